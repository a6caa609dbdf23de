/* cmd_compare.c — `mrb-analyze compare [BASELINE CANDIDATE]`: did a night get
 * better or worse, per runtime and metric, with a statistical verdict. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/cmd.h"
#include "mrb/compare.h"
#include "mrb/db.h"
#include "mrb/msg.h"
#include "mrb/opt.h"
#include "mrb/queries.h"

enum {
    O_MARKDOWN, O_JSON, O_FAIL, O_THRESHOLD, O_ALPHA, O_SEED, O_ITERS, O_PRICING, O_ARCH,
    O_REGION, O_DB, O_HELP
};

static const opt_spec options[] = {
    [O_MARKDOWN] = {"markdown", 0, NULL, "a Markdown table (the default)"},
    [O_JSON] = {"json", 0, NULL, "one JSON object"},
    [O_FAIL] = {"fail-on-regression", 0, NULL, "exit 6 when any verdict is `regressed`"},
    [O_THRESHOLD] = {"threshold", 0, "[METRIC=]PCT",
                     "noise threshold in % (default 5), for every metric or one; repeatable"},
    [O_ALPHA] = {"alpha", 0, "A", "family-wise error rate (default 0.05)"},
    [O_SEED] = {"seed", 0, "N", "bootstrap seed (default 1): same seed, same answer"},
    [O_ITERS] = {"replicates", 0, "N", "bootstrap replicates (default 10000)"},
    [O_PRICING] = {"pricing", 0, "FILE", "prices for the cost metric (JSON; see the man page)"},
    [O_ARCH] = {"arch", 0, "ARCH", "x86_64 or arm64 for the cost metric (as report)"},
    [O_REGION] = {"region", 0, "REGION", "region for the cost metric (as report)"},
    [O_DB] = {"db", 0, "FILE", "the database (default: $MRB_DB, else ./mrb.db)"},
    [O_HELP] = {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

typedef struct compare_cli {
    const char *nights[2];
    int n_nights, json, fail, help;
    const char *pricing, *arch, *region;
    compare_opts o;
} compare_cli;

static void help(void)
{
    printf("usage: mrb-analyze [--db FILE] compare [options] [BASELINE CANDIDATE]\n\n"
           "Compares two nights per runtime: warm p50/p90/p99, init p50/p99, cold-start rate,\n"
           "error rate, max memory p99 and cost per 1M requests, and where API Gateway logs\n"
           "were ingested client p50/p99, API Gateway overhead p50, 4xx and 5xx rates and the\n"
           "cost per 1M requests end to end; each with its change, 95%% CI,\n"
           "p-value and a verdict: regressed, improved, no change (within the noise threshold)\n"
           "or inconclusive (too few values; says how many are needed). A night is a UTC day\n"
           "YYYY-MM-DD or a run label given at ingest; without them, the latest day in the\n"
           "database against the day before. Metrics: ");
    for (int m = 0; m < CM_COUNT; m++)
        printf("%s%s", m ? ", " : "", compare_metric_name((enum compare_metric)m));
    printf(".\n\noptions:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 compared; 2 usage; 3 database; 4 cannot read --pricing; 5 a night\n"
           "has no invocations or a query failed; 6 a verdict is `regressed` (with\n"
           "--fail-on-regression); 7 cannot write standard output\n");
}

/* A number option: 0, or MRB_EXIT_USAGE after a message. */
static int number(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);

    if (errno || end == v || *end || !(x >= lo && x <= hi))
        return msg_usage("compare", "--%s wants a number from %g to %g, not '%s'", opt, lo, hi,
                         v);
    *out = x;
    return 0;
}

/* --threshold [METRIC=]PCT: 0, or MRB_EXIT_USAGE after a message. */
static int threshold(compare_cli *c, const char *v)
{
    const char *eq = strchr(v, '=');
    double pct;

    if (!eq) {
        if (number("threshold", v, 0, 1000, &pct) != 0)
            return MRB_EXIT_USAGE;
        for (int m = 0; m < CM_COUNT; m++)
            c->o.threshold[m] = pct / 100;
        return 0;
    }
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(eq - v), v);
    int m = compare_metric_by_name(name);
    if (m < 0)
        return msg_usage("compare", "--threshold: no metric '%s' (see --help)", name);
    if (number("threshold", eq + 1, 0, 1000, &pct) != 0)
        return MRB_EXIT_USAGE;
    c->o.threshold[m] = pct / 100;
    return 0;
}

/* 0, or MRB_EXIT_USAGE after a message. */
static int parse(mrb_ctx *ctx, int argc, char **argv, compare_cli *c)
{
    opt_state st;
    double x;
    int k;

    compare_opts_default(&c->o);
    opt_init(&st, argc, argv);
    while ((k = opt_next(&st, options, "compare")) != OPT_END) {
        switch (k) {
        case OPT_ERROR: return MRB_EXIT_USAGE;
        case OPT_OPERAND:
            if (c->n_nights == 2)
                return msg_usage("compare", "at most two nights, BASELINE and CANDIDATE");
            c->nights[c->n_nights++] = st.operand;
            break;
        case O_MARKDOWN: c->json = 0; break;
        case O_JSON: c->json = 1; break;
        case O_FAIL: c->fail = 1; break;
        case O_THRESHOLD:
            if (threshold(c, st.value) != 0)
                return MRB_EXIT_USAGE;
            break;
        case O_ALPHA:
            if (number("alpha", st.value, 1e-6, 0.5, &c->o.alpha) != 0)
                return MRB_EXIT_USAGE;
            break;
        case O_SEED:
            if (number("seed", st.value, 0, 9007199254740992.0, &x) != 0)
                return MRB_EXIT_USAGE;
            c->o.seed = (uint64_t)x;
            break;
        case O_ITERS:
            if (number("replicates", st.value, 100, 1000000, &x) != 0)
                return MRB_EXIT_USAGE;
            c->o.iters = (unsigned)x;
            break;
        case O_PRICING: c->pricing = st.value; break;
        case O_ARCH: c->arch = st.value; break;
        case O_REGION: c->region = st.value; break;
        case O_DB: ctx->db_path = st.value; break;
        case O_HELP: c->help = 1; return 0;
        }
    }
    if (c->n_nights == 1)
        return msg_usage("compare", "give both nights, BASELINE and CANDIDATE, or neither");
    if (c->arch && strcmp(c->arch, "x86_64") != 0 && strcmp(c->arch, "arm64") != 0)
        return msg_usage("compare", "--arch is x86_64 or arm64, not '%s'", c->arch);
    return 0;
}

static int run(mrb_ctx *ctx, compare_cli *c)
{
    db_conn conn = {NULL, NULL};
    night base, cand;
    compare_report rep;
    mrb_err err;
    int code;

    mrb_err_clear(&err);
    if (c->n_nights == 2 &&
        (compare_night(c->nights[0], &base, &err) < 0 || compare_night(c->nights[1], &cand, &err) < 0))
        return msg_usage("compare", "%s", err.text);
    code = db_connect(&conn, ctx->db_path, 0, c->pricing, &err);
    if (code == 0 &&
        queries_select(conn.db, conn.prices, NULL, c->arch, c->region, &err) < 0)
        code = MRB_EXIT_DATABASE;
    if (code == 0 && c->n_nights == 0 && compare_default_nights(conn.db, &base, &cand, &err) < 0)
        code = MRB_EXIT_QUERY;
    if (code == 0 && compare_run(conn.db, &base, &cand, &c->o, &rep, &err) < 0)
        code = MRB_EXIT_QUERY;
    if (code) {
        msg_err(&err);
        db_disconnect(&conn);
        return code;
    }
    if (c->json)
        compare_write_json(stdout, &rep);
    else
        compare_write_markdown(stdout, &rep, 2);
    if (fflush(stdout) != 0) {
        msg_error("cannot write standard output: %s", strerror(errno));
        code = MRB_EXIT_OUTPUT;
    } else if (c->fail && rep.counts[CMP_REGRESSED]) {
        code = MRB_EXIT_REGRESSION;
    }
    compare_free(&rep);
    db_disconnect(&conn);
    return code;
}

int cmd_compare(mrb_ctx *ctx, int argc, char **argv)
{
    compare_cli c;

    memset(&c, 0, sizeof c);
    int code = parse(ctx, argc, argv, &c);
    if (code != 0)
        return code;
    if (c.help) {
        help();
        return MRB_EXIT_OK;
    }
    return run(ctx, &c);
}
