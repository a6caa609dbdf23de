/* report_plots.c — the report's charts (see report_plots.h). */
#include "mrb/report_plots.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/out.h"
#include "mrb/plot.h"
#include "mrb/series.h"
#include "mrb/stats.h"
#include "mrb/timeparse.h"
#include "mrb/xalloc.h"

#define CDF_POINTS 2000

/* Sorts x[0..n) and keeps at most CDF_POINTS evenly spaced order
 * statistics, first and last included: the curve looks the same, and a
 * million-point data file would cost more than the whole report. Returns
 * the new count. */
static size_t thin_cdf(double *x, size_t n)
{
    stats_sort(x, n);
    if (n <= CDF_POINTS)
        return n;
    for (size_t i = 0; i < CDF_POINTS; i++)
        x[i] = x[(size_t)((double)i * (double)(n - 1) / (CDF_POINTS - 1) + 0.5)];
    return CDF_POINTS;
}

/* The charts drawn from the invocations themselves share one sequential
 * pass over sel (a query each would scan and sort the selection five
 * times). Values are grouped per runtime; 5-minute buckets are kept as one
 * value per invocation and counted once sorted. */
#define BUCKET_S 300

struct chart_cache {
    series_set set[CHART_COUNT]; /* the pass's charts; handed over when drawn */
};

static void put(series_set *s, const char *label, double x)
{
    int k = series_index(s, label);
    if (k >= 0)
        series_push(s, k, x, 0);
}

/* Turns each series of bucket starts into (bucket start, invocations). */
static void count_buckets(series_set *s)
{
    for (int k = 0; k < s->count; k++) {
        size_t n = s->n[k], m = 0;
        s->y[k] = xrealloc(s->y[k], (n ? n : 1) * sizeof *s->y[k]);
        stats_sort(s->x[k], n);
        for (size_t i = 0; i < n; m++) {
            size_t j = i;
            while (j < n && s->x[k][j] == s->x[k][i])
                j++;
            s->x[k][m] = s->x[k][i];
            s->y[k][m] = (double)(j - i);
            i = j;
        }
        s->n[k] = m;
    }
}

static int chart_pass(sqlite3 *db, struct chart_cache *cc, mrb_err *err)
{
    static const char sql[] =
        "SELECT runtime, ts_ms, cold_start, duration_ms, init_ms, max_memory_mb FROM sel";
    sqlite3_stmt *st;
    int rc;

    for (int c = 0; c < CHART_COUNT; c++)
        cc->set[c].no_y = 1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return mrb_err_set(err, 0, -1, "chart data: %s", sqlite3_errmsg(db));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rt = (const char *)sqlite3_column_text(st, 0);
        int64_t ts = sqlite3_column_int64(st, 1);
        /* a time outside years 1970..9999 (stored by older versions) would
         * stretch the time axis over millions of years */
        int on_axis = ts >= 0 && ts <= TIME_MAX_MS;
        double bucket = (double)(ts / (BUCKET_S * 1000) * BUCKET_S);
        int cold = sqlite3_column_int(st, 2);
        double ms = sqlite3_column_double(st, 3);

        rt = rt ? rt : "?";
        if (!cold && ms > 0)
            put(&cc->set[CHART_DURATION_CDF], rt, ms);
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            put(&cc->set[CHART_INIT_BOX], rt, sqlite3_column_double(st, 4));
        if (sqlite3_column_type(st, 5) != SQLITE_NULL)
            put(&cc->set[CHART_MEMORY_BOX], rt, sqlite3_column_double(st, 5));
        if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            continue; /* copied without a time: no place on a timeline */
        if (on_axis)
            put(&cc->set[CHART_TIMELINE], rt, bucket);
        if (cold && on_axis)
            put(&cc->set[CHART_COLD_TIMELINE], rt, bucket);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return mrb_err_set(err, 0, -1, "chart data: %s", sqlite3_errmsg(db));
    count_buckets(&cc->set[CHART_TIMELINE]);
    count_buckets(&cc->set[CHART_COLD_TIMELINE]);
    for (int c = 0; c < CHART_COUNT; c++)
        series_sort(&cc->set[c]);
    return 0;
}

void report_plots_release(report_plot_state *st)
{
    if (!st->cache)
        return;
    for (int c = 0; c < CHART_COUNT; c++)
        series_release(&st->cache->set[c]);
    free(st->cache);
    st->cache = NULL;
}

typedef struct chart_def {
    const char *name, *title, *x_label, *y_label, *alt;
    enum plot_kind kind;
    int log_x, time_x, with_limit;
    const char *sql; /* NULL: from the one pass over sel (chart_pass) */
} chart_def;

static const chart_def charts[CHART_COUNT] = {
    [CHART_DURATION_CDF] = {"duration-cdf", "Warm duration (CDF)", "duration in ms (log scale)",
                            "fraction of invocations", "Warm duration CDF per runtime",
                            PLOT_CDF, 1, 0, 0,
                            NULL},
    [CHART_INIT_BOX] = {"init-box", "Init duration", "runtime", "init (ms)",
                        "Init duration per runtime", PLOT_BOX, 0, 0, 0,
                        NULL},
    [CHART_MEMORY_BOX] = {"memory-box", "Max memory used", "runtime", "MB",
                          "Max memory used per runtime against the configured size", PLOT_BOX,
                          0, 0, 1,
                          NULL},
    [CHART_COST_BARS] = {"cost-bars", "Cost per 1M requests", "runtime", "USD",
                         "Cost per 1M requests per runtime", PLOT_BARS, 0, 0, 0,
                         "SELECT runtime, per_1m_usd FROM temp.report_cost "
                         "WHERE per_1m_usd IS NOT NULL"},
    [CHART_TIMELINE] = {"invocations-5min", "Invocations per 5 minutes",
                        "time (UTC)", "per 5 minutes", "Invocations per 5 minutes per runtime",
                        PLOT_LINES, 0, 1, 0,
                        NULL},
    [CHART_COLD_TIMELINE] = {"cold-starts-5min", "Cold starts per 5 minutes", "time (UTC)",
                             "cold starts per 5 minutes", "Cold starts per 5 minutes per runtime",
                             PLOT_LINES, 0, 1, 0,
                             NULL},
};

static double configured_memory(sqlite3 *db)
{
    sqlite3_stmt *st;
    double mb = 0;

    if (sqlite3_prepare_v2(db, "SELECT max(memory_mb) FROM temp.report_memory", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        mb = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return mb;
}

/* The chart's values: from its query, or handed over from the one pass
 * (run on the first such chart). */
static int chart_values(sqlite3 *db, const chart_def *c, enum report_chart chart,
                        report_plot_state *st, series_set *s, mrb_err *err)
{
    if (c->sql)
        return series_load(db, c->sql, s, err);
    if (!st->cache) {
        st->cache = xcalloc(1, sizeof *st->cache);
        if (chart_pass(db, st->cache, err) < 0) {
            report_plots_release(st);
            return -1;
        }
    }
    *s = st->cache->set[chart];
    memset(&st->cache->set[chart], 0, sizeof st->cache->set[chart]);
    return 0;
}

/* The Markdown for a rendered chart or the note that stands for it. */
static void markdown(FILE *md, const char *name, const char *alt, int rendered, const char *why)
{
    if (rendered) {
        fputs("\n![", md);
        out_markdown_cell(md, alt, strlen(alt)); /* it may name a metric from the logs */
        fprintf(md, "](%s.png)\n", name);
    } else
        fprintf(md, "\n_Chart not drawn (%s); its data and gnuplot script are %s.dat and %s.gp._\n",
                why, name, name);
}

int report_chart(sqlite3 *db, enum report_chart chart, const char *dir, FILE *md,
                 report_plot_state *st, mrb_err *err)
{
    const chart_def *c = &charts[chart];
    series_set s;
    plot_series ps[SERIES_MAX];
    plot_spec spec;

    if (chart_values(db, c, chart, st, &s, err) < 0)
        return -1;
    if (s.count == 0) {
        series_release(&s);
        return 0; /* nothing to draw: the section's table says "no data" */
    }
    for (int k = 0; k < s.count; k++) {
        int lines = c->kind == PLOT_LINES;
        if (c->kind == PLOT_CDF)
            s.n[k] = thin_cdf(s.x[k], s.n[k]);
        ps[k] = (plot_series){s.label[k], lines ? s.y[k] : s.x[k], lines ? s.x[k] : NULL, s.n[k]};
    }
    spec = (plot_spec){c->name, c->title, c->x_label, c->y_label, c->kind, c->log_x, c->time_x,
                       c->with_limit ? configured_memory(db) : 0,
                       c->with_limit ? "configured" : NULL, ps, (size_t)s.count};
    int rc = report_plot_draw(&spec, c->alt, dir, md, st, err);
    series_release(&s);
    return rc;
}

int report_plot_draw(const plot_spec *spec, const char *alt, const char *dir, FILE *md,
                     report_plot_state *st, mrb_err *err)
{
    if (plot_write(dir, spec, err) < 0)
        return -1;
    if (!st->render) {
        markdown(md, spec->name, alt, 0, "--no-plots");
        return 0;
    }
    mrb_err perr;
    mrb_err_clear(&perr);
    int rc = plot_render(dir, spec->name, 60, &perr);
    if (rc != 0 && !(rc == 1 && st->missing_warned)) {
        warnings_add(st->warn, "%s: %s", spec->name, perr.text);
        st->missing_warned |= rc == 1;
    }
    markdown(md, spec->name, alt, rc == 0, rc == 1 ? "gnuplot is not installed" : "gnuplot failed");
    return 0;
}
