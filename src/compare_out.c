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

static void md_row(FILE *f, const compare_row *r)
{
    int d = decimals_of(r->metric);

    fputs("| ", f);
    md_text(f, r->runtime);
    fprintf(f, " | %s | ", compare_metric_name(r->metric));
    md_num(f, r->r.base, d);
    fputs(" | ", f);
    md_num(f, r->r.cand, d);
    fputs(" | ", f);
    md_num(f, pct(r->r.ratio), 1);
    fputs(" | ", f);
    md_num(f, pct(r->r.lo), 1);
    fputs(" … ", f);
    md_num(f, pct(r->r.hi), 1);
    fputs(" | ", f);
    md_p(f, r->r.p);
    fputs(" | ", f);
    md_p(f, r->p_adj);
    fputs(" | ", f);
    md_p(f, r->p_mw);
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
    fputs("{\"runtime\": ", f);
    out_json_string(f, r->runtime);
    fprintf(f, ", \"metric\": \"%s\", \"baseline\": ", compare_metric_name(r->metric));
    out_json_number(f, r->r.base);
    fputs(", \"candidate\": ", f);
    out_json_number(f, r->r.cand);
    fputs(", \"change_pct\": ", f);
    out_json_number(f, pct(r->r.ratio));
    fputs(", \"ci_low_pct\": ", f);
    out_json_number(f, pct(r->r.lo));
    fputs(", \"ci_high_pct\": ", f);
    out_json_number(f, pct(r->r.hi));
    fputs(", \"p\": ", f);
    out_json_number(f, r->r.p);
    fputs(", \"p_holm\": ", f);
    out_json_number(f, r->p_adj);
    fputs(", \"p_mw\": ", f);
    out_json_number(f, r->p_mw);
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
