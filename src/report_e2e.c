/* report_e2e.c — the End to end and whole-stack cost sections (see report_e2e.h). */
#include "mrb/report_e2e.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/out.h"
#include "mrb/plot.h"
#include "mrb/queries.h"
#include "mrb/sb.h"

#define E2E_MAX_RUNTIMES 32

static const char about_e2e[] =
    "What a client of the API waits, from API Gateway's access and execution logs, each request "
    "joined to the Lambda invocation it made (by the integration's request id, else by X-Ray "
    "trace id; view request_paths). Client latency is API Gateway's responseLatency; "
    "`apigw_overhead` is responseLatency - integrationLatency; `init_cold` the Init Duration of "
    "the cold requests; `remainder` is integrationLatency - init - Lambda duration (Lambda's "
    "invoke path). `apigw_only_errors` are 4xx/5xx answers whose Lambda invocation succeeded or "
    "never ran (throttling 429, integration timeouts 504): the function logs never see them.";

static const char about_cost[] =
    "Per 1M API Gateway requests of each runtime: API Gateway REST requests (first tier) + the "
    "Lambda invocations the requests made (as in Cost) + DynamoDB writes (stream records, as in "
    "DynamoDB writes) + CloudWatch Logs ingestion of the functions' log events (their message "
    "bytes per invocation, from the files that hold the selected invocations, 1 GB = 2^30 bytes; "
    "AWS may count a few bytes more per event, and API Gateway's own logs are not counted: a lower "
    "bound) + X-Ray traces recorded (requests with a trace id, $5.00 per 1M, no free "
    "tier), each priced in the runtime's region; `sources` names each rate's table. "
    "`ddb_read_per_1m_usd` stays empty: read request units are not in the logs (nor per runtime "
    "in the table's metrics, which every runtime shares), so it is not guessed; "
    "`logs_per_1m_usd` is empty for files ingested before schema 14 (ingest --reread them); "
    "`known_total_per_1m_usd` is the sum of the other parts.";

static int create_asel(sqlite3 *db, const char *where, mrb_err *err)
{
    char *sql = sqlite3_mprintf("DROP VIEW IF EXISTS temp.asel; "
                                "CREATE TEMP VIEW asel AS SELECT * FROM request_paths%s%s",
                                where ? " WHERE " : "", where ? where : "");
    char *msg = NULL;
    int rc = sql ? sqlite3_exec(db, sql, NULL, NULL, &msg) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot select API Gateway requests: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* queries/NAME.sql as a table in md and a JSON array in json; rows or -1. */
static long long table(sqlite3 *db, const char *name, FILE *md, FILE *json, mrb_err *err)
{
    sb sql = SB_INIT;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (queries_read(name, &sql, err) == 0) {
        if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK)
            mrb_err_set(err, 0, -1, "%s.sql: %s", name, sqlite3_errmsg(db));
        else
            n = out_rows_md_json(st, md, json, err);
    }
    sqlite3_finalize(st);
    sb_release(&sql);
    return n;
}

/* A bar per runtime: column col of queries/NAME.sql (NULL values left out). */
static int bars(sqlite3 *db, const char *query, int col, const char *chart, const char *title,
                const char *y_label, const char *dir, FILE *md, report_plot_state *ps, mrb_err *err)
{
    sb sql = SB_INIT;
    sqlite3_stmt *st = NULL;
    char labels[E2E_MAX_RUNTIMES][40];
    double values[E2E_MAX_RUNTIMES];
    plot_series series[E2E_MAX_RUNTIMES];
    size_t n = 0;
    int rc = -1;

    if (queries_read(query, &sql, err) < 0)
        goto out;
    if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "%s.sql: %s", query, sqlite3_errmsg(db));
        goto out;
    }
    while (n < E2E_MAX_RUNTIMES && sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_type(st, col) == SQLITE_NULL)
            continue;
        const unsigned char *rt = sqlite3_column_text(st, 0);
        snprintf(labels[n], sizeof labels[n], "%s", rt ? (const char *)rt : "");
        values[n] = sqlite3_column_double(st, col);
        series[n] = (plot_series){.label = labels[n], .values = &values[n], .n = 1};
        n++;
    }
    rc = 0;
    if (n > 0) {
        plot_spec spec = {.name = chart, .title = title, .x_label = "runtime", .y_label = y_label,
                          .kind = PLOT_BARS, .series = series, .n_series = n};
        fputs("\n", md);
        rc = report_plot_draw(&spec, title, dir, md, ps, err);
    }
out:
    sqlite3_finalize(st);
    sb_release(&sql);
    return rc;
}

static int e2e_section(sqlite3 *db, const char *dir, FILE *md, FILE *json,
                       report_plot_state *ps, mrb_err *err)
{
    fprintf(md, "\n## End to end\n\n%s\n\n", about_e2e);
    fputs(",\n\"end_to_end\": {\"runtimes\": ", json);
    long long n = table(db, "report-e2e", md, json, err);
    if (n < 0)
        return -1;
    if (n == 0) {
        fputs("_No API Gateway requests in this selection._\n", md);
        fputs(", \"match\": [], \"routes\": []}", json);
        return 0;
    }
    if (bars(db, "report-e2e", 3, "e2e-client-p50", "Client latency p50 (API Gateway)", "ms", dir,
             md, ps, err) < 0)
        return -1;
    fputs("\nHow requests joined Lambda invocations:\n\n", md);
    fputs(", \"match\": ", json);
    if (table(db, "report-e2e-match", md, json, err) < 0)
        return -1;
    fputs("\nPer route and method:\n\n", md);
    fputs(", \"routes\": ", json);
    if (table(db, "report-e2e-routes", md, json, err) < 0)
        return -1;
    fputs("}", json);
    return 0;
}

int report_e2e(sqlite3 *db, const char *where, const char *dir, FILE *md, FILE *json,
               report_plot_state *ps, mrb_err *err)
{
    if (create_asel(db, where, err) < 0 || e2e_section(db, dir, md, json, ps, err) < 0)
        return -1;
    fprintf(md, "\n## Cost per 1M requests, the whole stack\n\n%s\n\n", about_cost);
    fputs(",\n\"cost_e2e\": ", json);
    long long n = table(db, "report-e2e-cost", md, json, err);
    if (n < 0)
        return -1;
    if (n == 0) {
        fputs("_No API Gateway requests in this selection._\n", md);
        return 0;
    }
    fputs("\nNot priced (NULL above): DynamoDB reads (no read request units in the logs, nor "
          "per runtime in the shared table's metrics).\n",
          md);
    return bars(db, "report-e2e-cost", 10, "e2e-cost-per-1m", "Known cost per 1M requests, whole stack",
                "USD", dir, md, ps, err);
}
