/* report_trend.c — the last N nights per runtime against their band (see
 * report_trend.h). */
#include "mrb/report_trend.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/out.h"
#include "mrb/queries.h"
#include "mrb/sb.h"
#include "mrb/stats.h"
#include "mrb/timeparse.h"
#include "mrb/xalloc.h"

#define DAY_MS 86400000LL
#define TREND_METRICS 11
#define TREND_LAMBDA 5 /* the metrics before are the invocations'; after, API Gateway's */

static const char *const metric_names[TREND_METRICS] = {
    "warm_p50_ms",   "warm_p99_ms",           "init_p50_ms",    "cold_start_pct",
    "cost_per_1m_usd", "client_p50_ms",       "client_p99_ms",  "apigw_overhead_p50_ms",
    "status_4xx_pct", "status_5xx_pct",       "cost_per_1m_e2e_usd"};
static const int metric_decimals[TREND_METRICS] = {2, 2, 2, 2, 4, 2, 2, 2, 2, 2, 4};

typedef struct trend_row {
    char night[11];
    char runtime[32];
    long long invocations;
    double v[TREND_METRICS];   /* NaN when the night has none */
    double lo[TREND_METRICS];  /* the band; NaN when too few earlier nights */
    double hi[TREND_METRICS];
    int outside[TREND_METRICS]; /* -1 below the band, +1 above, 0 inside or no band */
} trend_row;

typedef struct trend {
    trend_row *rows;
    size_t n, cap;
} trend;

/* The first day of the window: N - 1 days before the selection's last. -1
 * when the selection is empty. */
static int64_t window_start(sqlite3 *db, int nights, int64_t *end)
{
    sqlite3_stmt *st;
    int64_t last = -1;

    /* times outside years 1970..9999 (stored by older versions) cannot name a night */
    if (sqlite3_prepare_v2(db, "SELECT max(ts_ms) FROM sel WHERE ts_ms BETWEEN 0 AND ?", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_int64(st, 1, TIME_MAX_MS) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL)
        last = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (last < 0)
        return -1;
    *end = last - last % DAY_MS + DAY_MS;
    return *end - (int64_t)nights * DAY_MS;
}

static int load_rows(sqlite3 *db, int64_t from, int64_t to, trend *t, mrb_err *err)
{
    sb sql = SB_INIT;
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (queries_read("report-trend", &sql, err) < 0)
        goto done;
    if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "report-trend.sql: %s", sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":from_ms"), from);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":to_ms"), to);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        XGROW(t->rows, t->n, t->cap, 64);
        trend_row *r = &t->rows[t->n++];
        memset(r, 0, sizeof *r);
        snprintf(r->night, sizeof r->night, "%s", (const char *)sqlite3_column_text(st, 0));
        const unsigned char *rt = sqlite3_column_text(st, 1);
        snprintf(r->runtime, sizeof r->runtime, "%s", rt ? (const char *)rt : "?");
        r->invocations = sqlite3_column_int64(st, 2);
        for (int m = 0; m < TREND_METRICS; m++)
            r->v[m] = sqlite3_column_type(st, 3 + m) == SQLITE_NULL ? NAN
                                                                    : sqlite3_column_double(st, 3 + m);
    }
    if (rc != SQLITE_DONE) {
        mrb_err_set(err, 0, -1, "report-trend.sql: %s", sqlite3_errmsg(db));
        rc = -1;
    } else
        rc = 0;
done:
    sqlite3_finalize(st);
    sb_release(&sql);
    return rc;
}

/* Bands from the earlier nights of the same runtime (rows come ordered by
 * runtime, then night). */
static void bands(trend *t)
{
    double *x = xcalloc(t->n ? t->n : 1, sizeof *x);

    for (size_t i = 0; i < t->n; i++) {
        trend_row *r = &t->rows[i];
        for (int m = 0; m < TREND_METRICS; m++) {
            size_t k = 0;
            for (size_t j = i; j-- > 0 && strcmp(t->rows[j].runtime, r->runtime) == 0;)
                if (!isnan(t->rows[j].v[m]))
                    x[k++] = t->rows[j].v[m];
            r->lo[m] = r->hi[m] = NAN;
            if (k < TREND_MIN_BAND)
                continue;
            stats_sort(x, k);
            double q1 = stats_percentile_sorted(x, k, 25), q3 = stats_percentile_sorted(x, k, 75);
            double med = stats_percentile_sorted(x, k, 50);
            r->lo[m] = med - (q3 - q1);
            r->hi[m] = med + (q3 - q1);
            if (!isnan(r->v[m]))
                r->outside[m] = r->v[m] < r->lo[m] ? -1 : r->v[m] > r->hi[m] ? 1 : 0;
        }
    }
    free(x);
}

static void md_value(FILE *md, double v, int decimals)
{
    if (isnan(v))
        fputs("—", md);
    else
        fprintf(md, "%.*f", decimals, v);
}

/* The metrics the table shows: the end-to-end ones only when some night
 * has API Gateway requests. */
static int shown(const trend *t)
{
    for (size_t i = 0; i < t->n; i++)
        for (int m = TREND_LAMBDA; m < TREND_METRICS; m++)
            if (!isnan(t->rows[i].v[m]))
                return TREND_METRICS;
    return TREND_LAMBDA;
}

static void write_md(FILE *md, const trend *t)
{
    int n = shown(t);

    fputs("| runtime | night | invocations", md);
    for (int m = 0; m < n; m++)
        fprintf(md, " | %s", metric_names[m]);
    fputs(" | outside the band |\n| --- | --- | ---:", md);
    for (int m = 0; m < n; m++)
        fputs(" | ---:", md);
    fputs(" | --- |\n", md);
    for (size_t i = 0; i < t->n; i++) {
        const trend_row *r = &t->rows[i];
        int any = 0;
        fputs("| ", md);
        out_markdown_cell(md, r->runtime, strlen(r->runtime));
        fprintf(md, " | %s | %lld", r->night, r->invocations);
        for (int m = 0; m < n; m++) {
            fputs(" | ", md);
            md_value(md, r->v[m], metric_decimals[m]);
        }
        fputs(" | ", md);
        for (int m = 0; m < n; m++)
            if (r->outside[m]) {
                fprintf(md, "%s%s %s (band ", any++ ? ", " : "", metric_names[m],
                        r->outside[m] > 0 ? "above" : "below");
                md_value(md, r->lo[m], metric_decimals[m]);
                fputs("…", md);
                md_value(md, r->hi[m], metric_decimals[m]);
                fputs(")", md);
            }
        fputs(" |\n", md);
    }
}

static void write_json(FILE *json, const trend *t)
{
    fputc('[', json);
    for (size_t i = 0; i < t->n; i++) {
        const trend_row *r = &t->rows[i];
        fprintf(json, "%s\n{\"runtime\": ", i ? "," : "");
        out_json_string(json, r->runtime);
        fprintf(json, ", \"night\": \"%s\", \"invocations\": %lld", r->night, r->invocations);
        for (int m = 0; m < TREND_METRICS; m++) {
            fprintf(json, ", \"%s\": ", metric_names[m]);
            out_json_number(json, r->v[m]);
            fprintf(json, ", \"%s_band\": [", metric_names[m]);
            out_json_number(json, r->lo[m]);
            fputs(", ", json);
            out_json_number(json, r->hi[m]);
            fprintf(json, "], \"%s_outside\": %d", metric_names[m], r->outside[m]);
        }
        fputc('}', json);
    }
    fputs("]", json);
}

/* Warm p50 per runtime and night. */
static int chart(const trend *t, const char *dir, FILE *md, report_plot_state *st, mrb_err *err)
{
    plot_series ps[16];
    double *x = xcalloc(t->n ? t->n : 1, sizeof *x), *y = xcalloc(t->n ? t->n : 1, sizeof *y);
    size_t n_series = 0, k = 0;

    for (size_t i = 0; i < t->n && n_series < 16; i++) {
        const trend_row *r = &t->rows[i];
        if (i == 0 || strcmp(r->runtime, t->rows[i - 1].runtime) != 0)
            ps[n_series++] = (plot_series){.label = r->runtime, .values = y + k, .xs = x + k};
        if (isnan(r->v[0]))
            continue;
        int64_t ms;
        char iso[32];
        snprintf(iso, sizeof iso, "%sT00:00:00Z", r->night);
        x[k] = time_parse_iso(iso, strlen(iso), &ms) ? (double)(ms / 1000) : 0;
        y[k++] = r->v[0];
        ps[n_series - 1].n++;
    }
    plot_spec spec = {.name = "trend-warm-p50",
                      .title = "Warm p50 per night",
                      .x_label = "night (UTC)",
                      .y_label = "warm p50 (ms)",
                      .kind = PLOT_LINES,
                      .time_x = PLOT_TIME_DAYS,
                      .series = ps,
                      .n_series = n_series};
    int rc = report_plot_draw(&spec, "Warm p50 per runtime and night", dir, md, st, err);
    free(x);
    free(y);
    return rc;
}

int report_trend(sqlite3 *db, int nights, const char *dir, FILE *md, FILE *json,
                 report_plot_state *st, mrb_err *err)
{
    trend t = {NULL, 0, 0};
    int64_t to = 0, from = window_start(db, nights, &to);
    int rc = 0;

    if (from >= 0)
        rc = load_rows(db, from, to, &t, err);
    if (rc == 0) {
        bands(&t);
        if (t.n == 0)
            fputs("_No data for this selection._\n", md);
        else
            write_md(md, &t);
        write_json(json, &t);
        if (t.n)
            rc = chart(&t, dir, md, st, err);
    }
    free(t.rows);
    return rc;
}
