/* report_metrics.c — the report's "Custom metrics" section (see report_metrics.h). */
#include "mrb/report_metrics.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

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

/* Runs queries/NAME.sql; NULL with err. */
static sqlite3_stmt *prepare_query(sqlite3 *db, const char *name, mrb_err *err)
{
    sb sql = SB_INIT;
    sqlite3_stmt *st = NULL;

    if (queries_read(name, &sql, err) == 0 &&
        sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK)
        mrb_err_set(err, 0, -1, "%s.sql: %s", name, sqlite3_errmsg(db));
    sb_release(&sql);
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
    sqlite3_stmt *st = prepare_query(db, "report-metrics-coldstart", err);
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
    return rc == SQLITE_DONE ? 0 : mrb_err_set(err, 0, -1, "report-metrics-coldstart.sql: %s",
                                               sqlite3_errmsg(db));
}

/* One box plot: values of the metric per runtime, as chart metric-K. */
static int chart(sqlite3 *db, int k, const char *ns, const char *metric, const char *unit,
                 const char *dir, FILE *md, report_plot_state *ps, mrb_err *err)
{
    char name[32], title[160], alt[200];
    char *sql = sqlite3_mprintf("SELECT runtime, value FROM msel WHERE namespace = %Q "
                                "AND metric = %Q AND unit = %Q",
                                ns, metric, unit);
    series_set s;
    plot_series series[SERIES_MAX];

    if (!sql)
        return mrb_err_set(err, 0, -1, "chart data: out of memory");
    int rc = series_load(db, sql, &s, err);
    sqlite3_free(sql);
    if (rc < 0)
        return -1;
    snprintf(name, sizeof name, "metric-%d", k);
    snprintf(title, sizeof title, "%s/%s", ns, metric);
    snprintf(alt, sizeof alt, "%s/%s per runtime", ns, metric);
    for (int i = 0; i < s.count; i++)
        series[i] = (plot_series){s.label[i], s.x[i], NULL, s.n[i]};
    plot_spec spec = {name, title, "runtime", unit, PLOT_BOX, 0, 0, 0, NULL, series,
                      (size_t)s.count};
    rc = report_plot_draw(&spec, alt, dir, md, ps, err);
    series_release(&s);
    return rc;
}

/* The metrics every runtime with custom metrics emits, one chart each. */
static int charts(sqlite3 *db, const char *dir, FILE *md, report_plot_state *ps, mrb_err *err)
{
    static const char sql[] =
        "SELECT namespace, metric, unit FROM msel WHERE namespace <> 'LambdaInsights' "
        "GROUP BY namespace, metric, unit HAVING count(DISTINCT runtime) > 1 AND "
        "count(DISTINCT runtime) = (SELECT count(DISTINCT runtime) FROM msel "
        "WHERE namespace <> 'LambdaInsights') ORDER BY namespace, metric, unit LIMIT ?1";
    sqlite3_stmt *st;
    int rc, k = 0;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return mrb_err_set(err, 0, -1, "shared metrics: %s", sqlite3_errmsg(db));
    sqlite3_bind_int(st, 1, REPORT_METRIC_CHARTS);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *ns = xstrdup((const char *)sqlite3_column_text(st, 0));
        char *metric = xstrdup((const char *)sqlite3_column_text(st, 1));
        char *unit = xstrdup((const char *)sqlite3_column_text(st, 2));
        int bad = chart(db, ++k, ns, metric, unit, dir, md, ps, err) < 0;
        free(ns);
        free(metric);
        free(unit);
        if (bad) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : mrb_err_set(err, 0, -1, "shared metrics: %s",
                                               sqlite3_errmsg(db));
}

int report_metrics(sqlite3 *db, const char *dir, FILE *md, FILE *json, report_plot_state *st,
                   mrb_err *err)
{
    sqlite3_stmt *q = prepare_query(db, "report-metrics", err);
    long long n;

    if (!q)
        return -1;
    fprintf(md, "\n## Custom metrics\n\n%s\n\n", about);
    fputs(",\n\"custom_metrics\": ", json);
    n = out_rows_md_json(q, md, json, err);
    sqlite3_finalize(q);
    if (n < 0)
        return -1;
    if (n == 0)
        fputs("_No EMF metrics in this selection._\n", md);
    if (coldstart_check(db, md, json, err) < 0)
        return -1;
    return n > 0 ? charts(db, dir, md, st, err) : 0;
}
