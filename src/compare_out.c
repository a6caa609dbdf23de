/* compare_out.c — a comparison as Markdown or JSON (see compare.h). */
#include "mrb/compare.h"

#include <math.h>
#include <string.h>

#include "mrb/out.h"

static void md_text(FILE *f, const char *s)
{
    out_markdown_cell(f, s, strlen(s));
}

/* A number for a table: "—" when absent, else %.*f. */
static void md_num(FILE *f, double v, int decimals)
{
    if (isnan(v))
        fputs("—", f);
    else if (isinf(v))
        fputs(v > 0 ? "∞" : "−∞", f);
    else
        fprintf(f, "%.*f", decimals, v);
}

/* Change in percent of a ratio. */
static double pct(double ratio)
{
    return 100 * (ratio - 1);
}

static void md_p(FILE *f, double p)
{
    if (isnan(p))
        fputs("—", f);
    else if (p < 0.0001)
        fputs("<0.0001", f);
    else
        fprintf(f, "%.4f", p);
}

static int decimals_of(enum compare_metric m)
{
    return m == CM_COST_PER_1M || m == CM_E2E_COST_PER_1M ? 4 : m == CM_MEMORY_P99 ? 1 : 2;
}

static void md_verdict(FILE *f, const compare_row *r)
{
    fputs(cmp_verdict_name(r->verdict), f);
    if (r->verdict == CMP_INCONCLUSIVE && r->n_needed)
        fprintf(f, " (needs %zu a side)", r->n_needed);
}

/* A row's numbers in the order both formats write them: the name JSON
 * gives each, its value, and its decimals in Markdown (-1: a p-value). */
enum { V_BASE, V_CAND, V_CHANGE, V_CI_LOW, V_CI_HIGH, V_P, V_P_HOLM, V_P_MW, V_COUNT };

typedef struct row_value {
    const char *name;
    double v;
    int decimals;
} row_value;

static void row_values(const compare_row *r, row_value out[V_COUNT])
{
    int d = decimals_of(r->metric);

    out[V_BASE] = (row_value){"baseline", r->r.base, d};
    out[V_CAND] = (row_value){"candidate", r->r.cand, d};
    out[V_CHANGE] = (row_value){"change_pct", pct(r->r.ratio), 1};
    out[V_CI_LOW] = (row_value){"ci_low_pct", pct(r->r.lo), 1};
    out[V_CI_HIGH] = (row_value){"ci_high_pct", pct(r->r.hi), 1};
    out[V_P] = (row_value){"p", r->r.p, -1};
    out[V_P_HOLM] = (row_value){"p_holm", r->p_adj, -1};
    out[V_P_MW] = (row_value){"p_mw", r->p_mw, -1};
}

/* A row's runtime, metric and numbers: Markdown cells, or JSON members
 * after the object's opening brace. */
static void row_start(FILE *f, const compare_row *r, int json)
{
    row_value v[V_COUNT];

    row_values(r, v);
    fputs(json ? "{\"runtime\": " : "| ", f);
    if (json)
        out_json_string(f, r->runtime);
    else
        md_text(f, r->runtime);
    fprintf(f, json ? ", \"metric\": \"%s\"" : " | %s", compare_metric_name(r->metric));
    for (int i = 0; i < V_COUNT; i++) {
        if (json) {
            fprintf(f, ", \"%s\": ", v[i].name);
            out_json_number(f, v[i].v);
            continue;
        }
        fputs(i == V_CI_HIGH ? " … " : " | ", f); /* the interval is one cell */
        if (v[i].decimals < 0)
            md_p(f, v[i].v);
        else
            md_num(f, v[i].v, v[i].decimals);
    }
}

static void md_row(FILE *f, const compare_row *r)
{
    row_start(f, r, 0);
    fprintf(f, " | %zu | %zu | ", r->r.na, r->r.nb);
    md_verdict(f, r);
    fputs(" | ", f);
    if (r->note[0])
        fputs("⚠ ", f);
    md_text(f, r->note);
    fputs(" |\n", f);
}

void compare_write_markdown(FILE *f, const compare_report *rep, int level)
{
    const compare_opts *o = &rep->opts;

    fprintf(f, "%.*s Comparison: ", level < 1 ? 1 : level > 6 ? 6 : level, "######");
    md_text(f, rep->base.label);
    fputs(" → ", f);
    md_text(f, rep->cand.label);
    fprintf(f, "\n\n**%zu regressed, %zu improved, %zu no change, %zu inconclusive.** ",
            rep->counts[CMP_REGRESSED], rep->counts[CMP_IMPROVED], rep->counts[CMP_NO_CHANGE],
            rep->counts[CMP_INCONCLUSIVE]);
    fprintf(f,
            "Change = candidate / baseline − 1 with its %.0f %% confidence interval: quantiles by "
            "a seeded bootstrap of the ratio (%u replicates, seed %llu), rates by a proportion "
            "test (Fisher's exact or z), cost by the ratio of means. `p` is that test's, "
            "`p_holm` adjusted over the %zu comparisons with enough values (Holm; family-wise "
            "error %.2f), `p_mw` Mann-Whitney's for the whole distribution. A verdict needs "
            "`p_holm` < %.2f and a change beyond the noise threshold (%.0f %% unless set per "
            "metric); too few values make it inconclusive. Every metric: lower is better.\n\n",
            100 * CMP_LEVEL, o->iters, (unsigned long long)o->seed, rep->family, o->alpha,
            o->alpha, 100 * o->threshold[CM_WARM_P50]);
    fputs("| runtime | metric | baseline | candidate | change % | 95% CI % | p | p_holm | p_mw "
          "| n baseline | n candidate | verdict | note |\n"
          "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- "
          "|\n",
          f);
    for (size_t i = 0; i < rep->n_rows; i++)
        md_row(f, &rep->rows[i]);
}

/* ---- JSON ---------------------------------------------------------------- */

static void js_row(FILE *f, const compare_row *r)
{
    row_start(f, r, 1);
    fprintf(f, ", \"n_baseline\": %zu, \"n_candidate\": %zu, \"n_min\": %zu", r->r.na, r->r.nb,
            r->n_min);
    fprintf(f, ", \"verdict\": \"%s\", \"n_needed\": ", cmp_verdict_name(r->verdict));
    if (r->verdict == CMP_INCONCLUSIVE && r->n_needed)
        fprintf(f, "%zu", r->n_needed);
    else
        fputs("null", f);
    fputs(", \"note\": ", f);
    out_json_string(f, r->note);
    fputc('}', f);
}

void compare_write_json(FILE *f, const compare_report *rep)
{
    const compare_opts *o = &rep->opts;

    fputs("{\"baseline\": ", f);
    out_json_string(f, rep->base.label);
    fputs(", \"candidate\": ", f);
    out_json_string(f, rep->cand.label);
    fprintf(f, ", \"alpha\": %g, \"level\": %g, \"bootstrap_replicates\": %u, \"seed\": %llu, "
               "\"family\": %zu, \"thresholds_pct\": {",
            o->alpha, CMP_LEVEL, o->iters, (unsigned long long)o->seed, rep->family);
    for (int m = 0; m < CM_COUNT; m++)
        fprintf(f, "%s\"%s\": %g", m ? ", " : "", compare_metric_name((enum compare_metric)m),
                100 * o->threshold[m]);
    fprintf(f, "}, \"counts\": {\"regressed\": %zu, \"improved\": %zu, \"no change\": %zu, "
               "\"inconclusive\": %zu}, \"rows\": [",
            rep->counts[CMP_REGRESSED], rep->counts[CMP_IMPROVED], rep->counts[CMP_NO_CHANGE],
            rep->counts[CMP_INCONCLUSIVE]);
    for (size_t i = 0; i < rep->n_rows; i++) {
        fputs(i ? ",\n  " : "\n  ", f);
        js_row(f, &rep->rows[i]);
    }
    fputs("\n]}\n", f);
}
