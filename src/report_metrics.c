/* report_metrics.c — the report's "Custom metrics" section (see report_metrics.h). */
#include "mrb/report_metrics.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/metric_stats.h"
#include "mrb/out.h"
#include "mrb/plot.h"
#include "mrb/queries.h"
#include "mrb/sb.h"
#include "mrb/series.h"
#include "mrb/xalloc.h"


static const char about[] =
    "Embedded Metric Format values the functions logged (one row per value; Lambda Insights "
    "events count for the function they name), per namespace, metric and runtime. The check "
    "compares the Powertools `ColdStart` metric with the cold starts the REPORT lines show.";

/* The groups of ms as temp.mstat (their figures unrounded), and the
 * functions with ColdStart values as temp.mstat_coldstart. */
static int store_groups(sqlite3 *db, const metric_stats *ms, mrb_err *err)
{
    sqlite3_stmt *g = NULL, *f = NULL;
    int rc = sqlite3_exec(db,
                          "DROP TABLE IF EXISTS temp.mstat; DROP TABLE IF EXISTS temp.mstat_coldstart;"
                          "CREATE TEMP TABLE mstat (namespace TEXT, metric TEXT, runtime TEXT, "
                          "n INTEGER, sum REAL, p50 REAL, p99 REAL, max REAL, unit TEXT);"
                          "CREATE TEMP TABLE mstat_coldstart (function TEXT PRIMARY KEY)",
                          NULL, NULL, NULL);

    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO temp.mstat VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
                                &g, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO temp.mstat_coldstart VALUES (?)", -1, &f, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < ms->count; i++) {
        const metric_group *m = &ms->group[i];
        double v[4];
        sqlite3_bind_text(g, 1, m->namespace, -1, SQLITE_STATIC);
        sqlite3_bind_text(g, 2, m->metric, -1, SQLITE_STATIC);
        sqlite3_bind_text(g, 3, m->runtime, -1, SQLITE_STATIC);
        sqlite3_bind_int64(g, 4, m->rows);
        int known = metric_group_figures(m, &v[0], &v[1], &v[2], &v[3]) == 0;
        for (int k = 0; k < 4; k++)
            if (known)
                sqlite3_bind_double(g, 5 + k, v[k]);
            else
                sqlite3_bind_null(g, 5 + k);
        sqlite3_bind_text(g, 9, m->unit, -1, SQLITE_STATIC);
        rc = sqlite3_step(g) == SQLITE_DONE ? sqlite3_reset(g) : SQLITE_ERROR;
    }
    for (size_t i = 0; rc == SQLITE_OK && i < ms->coldstart_count; i++) {
        sqlite3_bind_text(f, 1, ms->coldstart_functions[i], -1, SQLITE_STATIC);
        rc = sqlite3_step(f) == SQLITE_DONE ? sqlite3_reset(f) : SQLITE_ERROR;
    }
    if (rc != SQLITE_OK)
        mrb_err_set(err, 0, -1, "custom metrics: %s", sqlite3_errmsg(db));
    sqlite3_finalize(g);
    sqlite3_finalize(f);
    return rc == SQLITE_OK ? 0 : -1;
}

/* queries/report-metrics.sql and report-metrics-coldstart.sql over the
 * groups metric_stats made (the same rows; 91-metric-stats.t compares). */
static const char table_sql[] =
    "SELECT namespace, metric, runtime, n, round(sum, 2) AS sum, round(p50, 2) AS p50, "
    "round(p99, 2) AS p99, round(max, 2) AS max, unit FROM temp.mstat "
    "ORDER BY namespace, metric, runtime, unit";
static const char coldstart_sql[] =
    "WITH m AS (SELECT runtime, sum(sum) AS coldstart_metric FROM temp.mstat "
    "WHERE metric = 'ColdStart' GROUP BY runtime), "
    "r AS (SELECT runtime, sum(cold_start) AS report_cold_starts FROM sel "
    "WHERE function IN (SELECT function FROM temp.mstat_coldstart) GROUP BY runtime) "
    "SELECT m.runtime, CAST(m.coldstart_metric AS INTEGER) AS coldstart_metric, "
    "coalesce(r.report_cold_starts, 0) AS report_cold_starts, "
    "CAST(m.coldstart_metric - coalesce(r.report_cold_starts, 0) AS INTEGER) AS difference "
    "FROM m LEFT JOIN r USING (runtime) ORDER BY m.runtime";

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, mrb_err *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        mrb_err_set(err, 0, -1, "custom metrics: %s", sqlite3_errmsg(db));
    return st;
}

static void md_text(FILE *md, const unsigned char *t)
{
    const char *s = t ? (const char *)t : "";
    out_markdown_cell(md, s, strlen(s));
}

/* The ColdStart line in md and its rows in json. */
static int coldstart_check(sqlite3 *db, FILE *md, FILE *json, mrb_err *err)
{
    sqlite3_stmt *st = prepare(db, coldstart_sql, err);
    int rc, n = 0;

    if (!st)
        return -1;
    fputs(",\n\"coldstart_check\": [", json);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long metric = sqlite3_column_int64(st, 1), report = sqlite3_column_int64(st, 2);
        const unsigned char *rt = sqlite3_column_text(st, 0);
        fputs(n ? ", " : "\nColdStart check (Powertools metric against REPORT cold starts): ", md);
        md_text(md, rt);
        if (metric == report)
            fprintf(md, " %lld = %lld", metric, report);
        else
            fprintf(md, " %lld against %lld (**mismatch: %+lld**)", metric, report, metric - report);
        json_t *o = json_pack("{s:s, s:I, s:I, s:I}", "runtime", rt ? (const char *)rt : "",
                              "coldstart_metric", (json_int_t)metric, "report_cold_starts",
                              (json_int_t)report, "difference", (json_int_t)(metric - report));
        char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        fprintf(json, "%s\n%s", n ? "," : "", text ? text : "{}");
        free(text);
        json_decref(o);
        n++;
    }
    fputs(n ? "\n]" : "]", json);
    if (n)
        fputs(".\n", md);
    else
        fputs("\nColdStart check: no function logged a ColdStart metric in this selection.\n", md);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : mrb_err_set(err, 0, -1, "ColdStart check: %s",
                                               sqlite3_errmsg(db));
}

/* One box plot: the values of (namespace, metric, unit) of group `first`
 * on, per runtime, as chart metric-K. */
static int chart(const metric_stats *ms, size_t first, int k, const char *dir, FILE *md,
                 report_plot_state *ps, mrb_err *err)
{
    const metric_group *g0 = &ms->group[first];
    char name[32], title[160], alt[200];
    plot_series series[SERIES_MAX];
    size_t count = 0;

    for (size_t i = first; i < ms->count && count < SERIES_MAX; i++) {
        const metric_group *g = &ms->group[i];
        if (strcmp(g->namespace, g0->namespace) || strcmp(g->metric, g0->metric))
            break;
        if (!strcmp(g->unit, g0->unit) && g->n > 0)
            series[count++] = (plot_series){.label = g->runtime, .values = g->v, .n = g->n};
    }
    snprintf(name, sizeof name, "metric-%d", k);
    snprintf(title, sizeof title, "%s/%s", g0->namespace, g0->metric);
    snprintf(alt, sizeof alt, "%s/%s per runtime", g0->namespace, g0->metric);
    plot_spec spec = {.name = name, .title = title, .x_label = "runtime", .y_label = g0->unit,
                      .kind = PLOT_BOX, .series = series, .n_series = count};
    return report_plot_draw(&spec, alt, dir, md, ps, err);
}

/* Whether group i is the first of its (namespace, metric, unit) among
 * the groups of its (namespace, metric); groups are in (namespace, metric,
 * runtime, unit) order. */
static int first_of_unit(const metric_stats *ms, size_t i)
{
    const metric_group *g = &ms->group[i];
    for (size_t j = i; j-- > 0;) {
        const metric_group *h = &ms->group[j];
        if (strcmp(h->namespace, g->namespace) || strcmp(h->metric, g->metric))
            break;
        if (!strcmp(h->unit, g->unit))
            return 0;
    }
    return 1;
}

/* The runtimes of (namespace, metric, unit) of group i. */
static size_t runtimes_of(const metric_stats *ms, size_t i)
{
    const metric_group *g = &ms->group[i];
    size_t n = 0;
    for (size_t j = i; j < ms->count; j++) {
        const metric_group *h = &ms->group[j];
        if (strcmp(h->namespace, g->namespace) || strcmp(h->metric, g->metric))
            break;
        n += !strcmp(h->unit, g->unit);
    }
    return n;
}

static int by_unit(const void *a, const void *b, void *ctx)
{
    const metric_stats *ms = ctx;
    const metric_group *x = &ms->group[*(const size_t *)a], *y = &ms->group[*(const size_t *)b];
    int c = strcmp(x->namespace, y->namespace);
    if (!c)
        c = strcmp(x->metric, y->metric);
    return c ? c : strcmp(x->unit, y->unit);
}

/* The metrics every runtime with custom metrics emits (Lambda Insights'
 * own are not custom), one chart each, in (namespace, metric, unit) order,
 * at most REPORT_METRIC_CHARTS. */
static int charts(const metric_stats *ms, const char *dir, FILE *md, report_plot_state *ps,
                  mrb_err *err)
{
    size_t *first = xcalloc(ms->count + 1, sizeof *first), n = 0, all = 0;
    const char *seen[SERIES_MAX * 4];
    size_t nseen = 0;
    int rc = 0, k = 0;

    for (size_t i = 0; i < ms->count; i++) {
        const metric_group *g = &ms->group[i];
        if (!strcmp(g->namespace, "LambdaInsights"))
            continue;
        size_t j = 0;
        while (j < nseen && strcmp(seen[j], g->runtime))
            j++;
        if (j == nseen && nseen < sizeof seen / sizeof *seen)
            seen[nseen++] = g->runtime;
        if (first_of_unit(ms, i))
            first[n++] = i;
    }
    all = nseen;
    qsort_r(first, n, sizeof *first, by_unit, (void *)ms);
    for (size_t i = 0; i < n && k < REPORT_METRIC_CHARTS && rc == 0; i++) {
        size_t r = runtimes_of(ms, first[i]);
        if (r > 1 && r == all)
            rc = chart(ms, first[i], ++k, dir, md, ps, err);
    }
    free(first);
    return rc;
}

int report_metrics(sqlite3 *db, metric_stats_job *job, const char *dir, FILE *md, FILE *json,
                   report_plot_state *st, mrb_err *err)
{
    metric_stats ms;
    sqlite3_stmt *q;
    long long n = -1;

    if (metric_stats_finish(job, db, &ms, err) < 0)
        return -1;
    if (store_groups(db, &ms, err) == 0 && (q = prepare(db, table_sql, err)) != NULL) {
        fprintf(md, "\n## Custom metrics\n\n%s\n\n", about);
        fputs(",\n\"custom_metrics\": ", json);
        n = out_rows_md_json(q, md, json, err);
        sqlite3_finalize(q);
    }
    if (n == 0)
        fputs("_No EMF metrics in this selection._\n", md);
    int rc = n < 0 || coldstart_check(db, md, json, err) < 0 ? -1
             : n > 0                                       ? charts(&ms, dir, md, st, err)
                                                           : 0;
    metric_stats_release(&ms);
    return rc;
}
