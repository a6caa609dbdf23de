/* compare.h — one night against another, per runtime and metric, with a
 * verdict (the statistics are compare_stats.h's).
 *
 * A night is a UTC day of event time (YYYY-MM-DD), a time range
 * (FROM..UNTIL) or a run label given at ingest. For each runtime present in either night, nine metrics are
 * compared: warm p50 / p90 / p99 duration, init p50 / p99, cold-start rate,
 * error rate (status other than success), max memory used p99 and cost per
 * 1M requests (the mean of each invocation's cost, priced as the report
 * prices it: fcost_usd). Quantiles by seeded bootstrap of the ratio, rates
 * by a proportion test, cost by the ratio of means; Mann-Whitney's p of the
 * whole distribution is given beside quantile metrics. The p-values of
 * every comparison that has enough values are adjusted together (Holm), so
 * a night drawn from the same distributions shows a false `regressed`
 * anywhere in at most alpha of comparisons; a change must also exceed the
 * metric's noise threshold. Nights that differ in memory size,
 * architecture or runtime version (INIT_START) carry a note: such a change
 * is not the code's.
 *
 * Where API Gateway requests were ingested, six end-to-end metrics follow
 * per runtime (temp.e2e_requests, queries.h): client-facing latency p50 and
 * p99 (the request's response latency), API Gateway overhead p50 (response
 * minus integration latency), the 4xx and 5xx rates of the requests with a
 * status, and the cost per 1M requests end to end (the mean of each
 * request's API Gateway request price + the Lambda invocation it made +
 * its X-Ray trace when traced; DynamoDB and CloudWatch Logs are night totals,
 * not per request: the report's Cost section). A runtime with requests in
 * neither night has no such rows; one with requests in one night only has
 * them with no value on the other side (—), a note, and the verdict
 * inconclusive: never a regression.
 *
 * Ownership: compare_run fills a compare_report released by compare_free. */
#ifndef MRB_COMPARE_H
#define MRB_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mrb/compare_stats.h"
#include "mrb/err.h"

typedef struct sqlite3 sqlite3;

enum compare_metric {
    CM_WARM_P50,
    CM_WARM_P90,
    CM_WARM_P99,
    CM_INIT_P50,
    CM_INIT_P99,
    CM_COLD_RATE,
    CM_ERROR_RATE,
    CM_MEMORY_P99,
    CM_COST_PER_1M,
    /* end to end, from API Gateway requests (request_paths): only for a
     * runtime with requests in either night */
    CM_CLIENT_P50,
    CM_CLIENT_P99,
    CM_OVERHEAD_P50,
    CM_4XX_RATE,
    CM_5XX_RATE,
    CM_E2E_COST_PER_1M,
    CM_COUNT
};

/* 1 for the end-to-end metrics. */
int compare_metric_e2e(enum compare_metric m);

/* "warm_p50_ms", ... (stable: used by --threshold and in JSON). */
const char *compare_metric_name(enum compare_metric m);
/* The metric named name, or -1. */
int compare_metric_by_name(const char *name);

/* A night as a condition over invocations. */
typedef struct night {
    char label[128];  /* as given: "2026-11-25" or the run label */
    char where[256];  /* SQL condition (literals quoted) */
    int is_day;
} night;

/* Parses YYYY-MM-DD as a UTC day, FROM..UNTIL as a time range (each an ISO
 * 8601 UTC time or a day; UNTIL excluded), anything else as a run label
 * (1..100 printable characters). 0, or -1 with err. */
int compare_night(const char *spec, night *out, mrb_err *err);

/* The latest UTC day with invocations and the day before it. -1 with err
 * when the database holds no invocations. */
int compare_default_nights(sqlite3 *db, night *base, night *cand, mrb_err *err);

typedef struct compare_opts {
    double threshold[CM_COUNT]; /* relative noise thresholds (0.05 = 5 %) */
    double alpha;               /* family-wise error rate */
    unsigned iters;             /* bootstrap replicates */
    uint64_t seed;
} compare_opts;

/* The defaults: 5 % everywhere, alpha 0.05, CMP_BOOT_ITERS replicates,
 * seed 1. */
void compare_opts_default(compare_opts *o);

typedef struct compare_row {
    char runtime[32];
    enum compare_metric metric;
    cmp_result r;         /* base / cand in display units (ms, %, MB, USD per 1M) */
    double p_mw;          /* Mann-Whitney p of the distribution (quantiles), else NaN */
    double p_adj;         /* Holm-adjusted p, NaN when not judged on p */
    cmp_verdict verdict;
    size_t n_min;         /* values a side needs for this metric */
    size_t n_needed;      /* with inconclusive: the values a side would settle it */
    char note[256];       /* memory size, architecture or runtime version changed; "" */
} compare_row;

typedef struct compare_report {
    night base, cand;
    compare_row *rows;    /* runtime-major, up to CM_COUNT per runtime */
    size_t n_rows;
    size_t family;        /* comparisons adjusted together */
    size_t counts[4];     /* rows per cmp_verdict */
    compare_opts opts;
} compare_report;

/* Compares cand against base on db (which must have fcost_usd registered:
 * queries_select). Fills out; 0, or -1 with err (a query failed, or a
 * night has no invocations at all). */
int compare_run(sqlite3 *db, const night *base, const night *cand, const compare_opts *o,
                compare_report *out, mrb_err *err);
void compare_free(compare_report *rep);

/* The comparison as Markdown: a heading at `level` (2 = "##"), a summary
 * line and one table row per runtime and metric, text from logs escaped.
 * And as one JSON object {"baseline", "candidate", "alpha", ..., "rows":
 * [...]}: numbers stay numbers, NaN and infinities become null. */
void compare_write_markdown(FILE *f, const compare_report *rep, int level);
void compare_write_json(FILE *f, const compare_report *rep);

#endif
