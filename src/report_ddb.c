/* report_ddb.c — the report's "DynamoDB writes" section (see report_ddb.h). */
#include "mrb/report_ddb.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/out.h"
#include "mrb/plot.h"
#include "mrb/queries.h"
#include "mrb/report_table.h"
#include "mrb/sb.h"
#include "mrb/series.h"
#include "mrb/xalloc.h"

static const char about[] =
    "Writes to the functions' DynamoDB tables, one stream record each, attributed to a runtime "
    "by the map file's `ddb:` rules or by the ids the functions' logs name (`unattributed` when "
    "neither decides; TTL deletes are DynamoDB's own). Item size by DynamoDB's rules (attribute "
    "names and values; a MODIFY counts the larger of its old and new image, a record without "
    "images its keys); one write request unit (WRU) per started KB, priced on demand with the "
    "price table (TTL deletes are free; transactional writes, which cost twice, do not show in "
    "a stream). Lag is the record's ApproximateCreationDateTime minus the item's `updated_at` "
    "(else `created_at`): DynamoDB Streams round that time down to the second, so with "
    "`ts_precision` s a lag is known to 1 s only (values down to -1000 ms are that rounding); "
    "Kinesis Data Streams records carry ms or µs. The schema check is the benchmark's identical "
    "behaviour test: every new image against the item schema; old images were written by "
    "earlier writes and are counted apart.";

/* Writes per minute per runtime (lines on a time axis): counted in buckets
 * of a minute, of 10 s when the records span 10 minutes or less, of an hour
 * beyond 3 days; every bucket from the first to the last is drawn, and one
 * empty bucket on either side, so that a short selection still shows lines. */
static int chart_writes(sqlite3 *db, const char *dir, FILE *md, report_plot_state *ps,
                        mrb_err *err)
{
    series_set s;
    plot_series series[SERIES_MAX];
    double lo = 0, hi = 0, width;
    int any = 0, rc = 0;

    if (series_load(db,
             "SELECT runtime, approx_ts_ms / 1000 FROM ssel WHERE approx_ts_ms IS NOT NULL "
             "ORDER BY 1",
             &s, err) < 0)
        return -1;
    for (int k = 0; k < s.count; k++)
        for (size_t i = 0; i < s.n[k]; i++) {
            if (!any || s.x[k][i] < lo)
                lo = s.x[k][i];
            if (!any || s.x[k][i] > hi)
                hi = s.x[k][i];
            any = 1;
        }
    width = hi - lo <= 600 ? 10 : hi - lo <= 3 * 86400 ? 60 : 3600;
    long long first = (long long)(lo / width) - 1, last = (long long)(hi / width) + 1;
    size_t buckets = (size_t)(last - first + 1);
    for (int k = 0; any && k < s.count; k++) {
        double *count = xcalloc(buckets, sizeof *count), *at = xcalloc(buckets, sizeof *at);
        for (size_t i = 0; i < s.n[k]; i++)
            count[(long long)(s.x[k][i] / width) - first] += 60 / width;
        for (size_t b = 0; b < buckets; b++)
            at[b] = (double)(first + (long long)b) * width;
        free(s.x[k]);
        free(s.y[k]);
        s.x[k] = at;
        s.y[k] = count;
        s.n[k] = buckets;
        series[k] = (plot_series){s.label[k], s.y[k], s.x[k], s.n[k]};
    }
    plot_spec spec = {"ddb-writes-1min", "DynamoDB writes per minute", "time (UTC)",
                      width == 10 ? "writes per minute (10 s buckets)"
                      : width == 60 ? "writes per minute"
                                    : "writes per minute (hourly buckets)",
                      PLOT_LINES, 0, 1, 0, NULL, series, (size_t)s.count};
    if (any)
        rc = report_plot_draw(&spec, "DynamoDB writes per minute per runtime", dir, md, ps, err);
    series_release(&s);
    return rc;
}

/* Item sizes per runtime (box plots) against 1 KB, one write request unit. */
static int chart_sizes(sqlite3 *db, const char *dir, FILE *md, report_plot_state *ps,
                       mrb_err *err)
{
    series_set s;
    plot_series series[SERIES_MAX];

    if (series_load(db, "SELECT runtime, item_size FROM ssel WHERE item_size IS NOT NULL ORDER BY 1",
             &s, err) < 0)
        return -1;
    for (int k = 0; k < s.count; k++)
        series[k] = (plot_series){.label = s.label[k], .values = s.x[k], .n = s.n[k]};
    plot_spec spec = {.name = "ddb-item-size",
                      .title = "DynamoDB item size",
                      .x_label = "runtime",
                      .y_label = "bytes",
                      .kind = PLOT_BOX,
                      .hline = 1024,
                      .hline_label = "1 KB (1 WRU)",
                      .series = series,
                      .n_series = (size_t)s.count};
    int rc = s.count ? report_plot_draw(&spec, "DynamoDB item size per runtime", dir, md, ps,
                                        err)
                     : 0;
    series_release(&s);
    return rc;
}

static long long count_records(sqlite3 *db, mrb_err *err)
{
    sqlite3_stmt *st;
    long long n = -1;

    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM ssel", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n >= 0 ? n : mrb_err_set(err, 0, -1, "stream records: %s", sqlite3_errmsg(db));
}

int report_ddb(sqlite3 *db, const char *dir, FILE *md, FILE *json, report_plot_state *st,
               mrb_err *err)
{
    long long n = count_records(db, err);

    if (n < 0)
        return -1;
    fprintf(md, "\n## DynamoDB writes\n\n%s\n\n", about);
    if (n == 0) {
        fputs("_No DynamoDB stream records in this selection._\n", md);
        fputs(",\n\"ddb_writes\": [],\n\"ddb_conformance\": [],\n\"ddb_examples\": [],\n"
              "\"ddb_hourly\": []",
              json);
        return 0;
    }
    fputs("### Writes and cost\n\n", md);
    if (report_table(db, "report-ddb-writes", "ddb_writes", md, json, err) < 0 ||
        chart_writes(db, dir, md, st, err) < 0 || chart_sizes(db, dir, md, st, err) < 0)
        return -1;
    fputs("\n### Item schema\n\n", md);
    if (report_table(db, "report-ddb-conformance", "ddb_conformance", md, json, err) < 0)
        return -1;
    fputs("\n### Examples of each violation (at most three per runtime)\n\n", md);
    long long k = report_table(db, "report-ddb-examples", "ddb_examples", md, json, err);
    if (k < 0)
        return -1;
    if (k == 0)
        fputs("_No image breaks the item schema._\n", md);
    fputs("\n### Per hour\n\n", md);
    return report_table(db, "report-ddb-hourly", "ddb_hourly", md, json, err) < 0 ? -1 : 0;
}
