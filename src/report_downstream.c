/* report_downstream.c — the report's parts from X-Ray traces and
 * CloudWatch metrics (see report_downstream.h). */
#include "mrb/report_downstream.h"

#include <sqlite3.h>

#include "mrb/plot.h"
#include "mrb/report_table.h"
#include "mrb/series.h"

static const char downstream_about[] =
    "From the X-Ray traces (`aws xray batch-get-traces`) of the selected invocations, joined "
    "by trace id (and the RequestId of the `AWS::Lambda` segment). X-Ray samples requests "
    "(by default one a second and 5 % more), so fewer invocations are traced than run. The "
    "phases are the function segment's `Initialization`, `Invocation` and `Overhead` "
    "subsegments; a call is a subsegment of namespace `aws` (SDK) or `remote` (HTTP) inside "
    "the function segment, timed by the client: network and SDK included, so the runtimes' "
    "SDKs differ here even against one table.";

static const char ddb_about[] =
    "From the CloudWatch metrics (`aws cloudwatch get-metric-data` / "
    "`get-metric-statistics`, namespace AWS/DynamoDB): what the tables consumed and how fast "
    "DynamoDB answered (inside the service), beside the write request units the stream "
    "records account for and the latency the functions' SDKs saw in the traces. A table "
    "shared by every runtime has no runtime of its own.";

static const char alarms_about[] =
    "\nThe same alarms on the CloudWatch metrics (AWS/Lambda, per function's runtime), beside "
    "the logs' verdict, for every window where either breaches or the metrics cannot decide "
    "(`agree` is 0 where they disagree, empty where one cannot say). Throttles exist only in "
    "the metrics; memory is not an AWS/Lambda metric, so that alarm stays the logs' alone. A "
    "p99 from the metrics is decided from the Duration p99 statistic of periods that divide "
    "the window (its p99 lies between their smallest and largest) or, when every duration was "
    "at most 1000 ms, from the Maximum; otherwise it is `unknown`, never guessed.\n\n";

int report_downstream_select(sqlite3 *db, const char *where, mrb_err *err)
{
    char *sql = sqlite3_mprintf(
        "DROP VIEW IF EXISTS temp.xlsel; "
        "CREATE TEMP VIEW xlsel AS SELECT * FROM (SELECT l.*, coalesce(i.ts_ms, "
        "CAST(l.start_s * 1000 AS INTEGER)) AS ts_ms, i.run AS run FROM xray_lambda l "
        "LEFT JOIN invocations i ON i.invocation_id = l.invocation_id)%s%s; "
        "DROP VIEW IF EXISTS temp.xsel; "
        "CREATE TEMP VIEW xsel AS SELECT c.*, x.ts_ms, x.run FROM xray_calls c "
        "JOIN xlsel x ON x.trace_id = c.trace_id AND x.segment_id = c.segment_id; "
        "DROP VIEW IF EXISTS temp.cwsel; "
        "CREATE TEMP VIEW cwsel AS SELECT * FROM (SELECT v.*, f.run FROM cw_metrics v "
        "LEFT JOIN files f ON f.file_id = v.file_id)%s%s",
        where ? " WHERE " : "", where ? where : "", where ? " WHERE " : "", where ? where : "");
    char *msg = NULL;
    int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, &msg) : SQLITE_NOMEM;

    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot select traces and metrics: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* DynamoDB call latency per runtime, a box each (all operations). */
static int chart_calls(sqlite3 *db, const char *dir, FILE *md, report_plot_state *ps,
                       mrb_err *err)
{
    series_set s;
    plot_series series[SERIES_MAX];

    if (series_load(db, "SELECT runtime, duration_ms FROM xsel WHERE service = 'DynamoDB' "
                        "AND duration_ms IS NOT NULL ORDER BY 1",
                    &s, err) < 0)
        return -1;
    for (int k = 0; k < s.count; k++)
        series[k] = (plot_series){s.label[k], s.x[k], NULL, s.n[k]};
    plot_spec spec = {"downstream-ddb", "DynamoDB call latency (X-Ray client)", "runtime",
                      "ms", PLOT_BOX, 0, 0, 0, NULL, series, (size_t)s.count};
    int rc = s.count ? report_plot_draw(&spec, "DynamoDB call latency per runtime", dir, md, ps,
                                        err)
                     : 0;
    series_release(&s);
    return rc;
}

/* A table under a sub-heading, or a line saying there is none. */
static int titled(sqlite3 *db, const char *title, const char *query, const char *key, FILE *md,
                  FILE *json, mrb_err *err)
{
    fprintf(md, "\n### %s\n\n", title);
    long long n = report_table(db, query, key, md, json, err);
    if (n == 0)
        fputs("_No data for this selection._\n", md);
    return n < 0 ? -1 : 0;
}

/* 1 when the query's first value is above 0. */
static int any(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int yes = 0;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        yes = sqlite3_column_int64(st, 0) > 0;
    sqlite3_finalize(st);
    return yes;
}

/* Without any input of the kind: a line in md, empty arrays in json. */
static void none(FILE *md, FILE *json, const char *what, const char *const keys[])
{
    fprintf(md, "\n_%s_\n", what);
    for (int i = 0; keys[i]; i++)
        fprintf(json, ",\n\"%s\": []", keys[i]);
}

int report_downstream(sqlite3 *db, const char *dir, FILE *md, FILE *json,
                      report_plot_state *st, mrb_err *err)
{
    static const char *const xray_keys[] = {"downstream_match", "lambda_phases", "downstream",
                                            NULL};
    static const char *const cw_keys[] = {"ddb_metrics", "ddb_latency", NULL};

    fprintf(md, "\n## Downstream\n\n%s\n", downstream_about);
    if (!any(db, "SELECT EXISTS (SELECT 1 FROM xray_segments)"))
        none(md, json, "No X-Ray traces in the database (`aws xray batch-get-traces` output).",
             xray_keys);
    else if (titled(db, "Traces and invocations", "report-xray-match", "downstream_match", md, json,
               err) < 0 ||
        titled(db, "Lambda phases (X-Ray)", "report-xray-phases", "lambda_phases", md, json,
               err) < 0 ||
        titled(db, "Calls", "report-downstream", "downstream", md, json, err) < 0 ||
        chart_calls(db, dir, md, st, err) < 0)
        return -1;
    fprintf(md, "\n## DynamoDB metrics\n\n%s\n", ddb_about);
    if (!any(db, "SELECT EXISTS (SELECT 1 FROM cw_metric_values WHERE namespace = 'AWS/DynamoDB')"))
        none(md, json, "No AWS/DynamoDB metrics in the database (`aws cloudwatch "
             "get-metric-data` or `get-metric-statistics` output).", cw_keys);
    else if (titled(db, "Capacity", "report-ddb-metrics", "ddb_metrics", md, json, err) < 0 ||
        titled(db, "Latency", "report-ddb-latency", "ddb_latency", md, json, err) < 0)
        return -1;
    return 0;
}

int report_alarms_metrics(sqlite3 *db, FILE *md, FILE *json, mrb_err *err)
{
    static const char *const keys[] = {"alarms_metrics", NULL};

    fputs(alarms_about, md);
    if (!any(db, "SELECT EXISTS (SELECT 1 FROM cw_metric_values WHERE namespace = 'AWS/Lambda')")) {
        none(md, json, "No AWS/Lambda metrics in the database: the throttle alarm cannot be "
             "replayed, and the others have the logs' verdict alone.", keys);
        return 0;
    }
    long long n = report_table(db, "report-alarms-metrics", "alarms_metrics", md, json, err);
    if (n == 0)
        fputs("_No window breaches on either side, and the metrics decide every one._\n", md);
    return n < 0 ? -1 : 0;
}
