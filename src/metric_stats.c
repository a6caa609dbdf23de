/* metric_stats.c — the EMF values of a selection, grouped in memory (see
 * metric_stats.h). */
#include "mrb/metric_stats.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/stats.h"
#include "mrb/xalloc.h"

/* A series of metric_series: its id, group and function. */
typedef struct series {
    long long id;
    size_t group;
    char *function;
    int coldstart, seen;
} series;

typedef struct loader {
    metric_stats *ms;
    series *s;
    size_t n, cap;
    size_t last; /* the series found last: values of a series come in runs */
} loader;

static int by_id(const void *a, const void *b)
{
    long long x = ((const series *)a)->id, y = ((const series *)b)->id;
    return (x > y) - (x < y);
}

static int same_key(const metric_group *g, const unsigned char *const k[4])
{
    return !strcmp(g->namespace, (const char *)k[0]) && !strcmp(g->metric, (const char *)k[1]) &&
           !strcmp(g->runtime, (const char *)k[2]) && !strcmp(g->unit, (const char *)k[3]);
}

/* Reads every series, and a group for each distinct key, in key order. */
static int read_series(sqlite3 *db, loader *l, mrb_err *err)
{
    static const char sql[] = "SELECT series_id, namespace, metric, runtime, unit, function, "
                              "metric = 'ColdStart' FROM metric_series "
                              "ORDER BY namespace, metric, runtime, unit";
    metric_stats *ms = l->ms;
    size_t gcap = 0;
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return mrb_err_set(err, 0, -1, "metric series: %s", sqlite3_errmsg(db));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *k[4];
        for (int i = 0; i < 4; i++)
            k[i] = sqlite3_column_text(st, 1 + i);
        if (!k[0] || !k[1] || !k[2] || !k[3])
            continue; /* NOT NULL columns: never */
        if (ms->count == 0 || !same_key(&ms->group[ms->count - 1], k)) {
            XGROW(ms->group, ms->count, gcap, 16);
            ms->group[ms->count++] = (metric_group){
                .namespace = xstrdup((const char *)k[0]),
                .metric = xstrdup((const char *)k[1]),
                .runtime = xstrdup((const char *)k[2]),
                .unit = xstrdup((const char *)k[3]),
            };
        }
        const unsigned char *fn = sqlite3_column_text(st, 5);
        XGROW(l->s, l->n, l->cap, 64);
        l->s[l->n++] = (series){
            .id = sqlite3_column_int64(st, 0),
            .group = ms->count - 1,
            .function = xstrdup(fn ? (const char *)fn : ""),
            .coldstart = sqlite3_column_int(st, 6),
        };
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return mrb_err_set(err, 0, -1, "metric series: %s", sqlite3_errmsg(db));
    if (l->n > 1)
        qsort(l->s, l->n, sizeof *l->s, by_id);
    return 0;
}

/* The series of id, or NULL (a value of no known series: not counted, as
 * the view's inner join drops it). */
static series *find(loader *l, long long id)
{
    size_t lo = 0, hi = l->n;

    if (l->last < l->n && l->s[l->last].id == id)
        return &l->s[l->last];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->s[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == l->n || l->s[lo].id != id)
        return NULL;
    l->last = lo;
    return &l->s[lo];
}

static void add(metric_group *g, double x)
{
    double t = g->sum + x;

    /* Neumaier: the low bits each addition loses, added back at the end */
    if ((g->sum < 0 ? -g->sum : g->sum) >= (x < 0 ? -x : x))
        g->sum_err += (g->sum - t) + x;
    else
        g->sum_err += (x - t) + g->sum;
    g->sum = t;
    XGROW(g->v, g->n, g->cap, 64);
    g->v[g->n++] = x;
}

/* One pass over the selection's events: each slot's value to its group. */
static int read_values(sqlite3 *db, loader *l, mrb_err *err)
{
    static const char sql[] = "SELECT n_values, series0, value0, series1, value1, series2, value2, "
                              "series3, value3, series4, value4, series5, value5, series6, "
                              "value6, series7, value7 FROM temp.mesel";
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return mrb_err_set(err, 0, -1, "metric values: %s", sqlite3_errmsg(db));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int n = sqlite3_column_int(st, 0);
        for (int k = 0; k < n && k < 8; k++) {
            if (sqlite3_column_type(st, 1 + 2 * k) == SQLITE_NULL)
                continue;
            series *s = find(l, sqlite3_column_int64(st, 1 + 2 * k));
            if (!s)
                continue;
            metric_group *g = &l->ms->group[s->group];
            s->seen = 1;
            g->rows++;
            if (sqlite3_column_type(st, 2 + 2 * k) != SQLITE_NULL)
                add(g, sqlite3_column_double(st, 2 + 2 * k));
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : mrb_err_set(err, 0, -1, "metric values: %s", sqlite3_errmsg(db));
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Drops the groups without values, sorts each group's values, and lists
 * the functions whose ColdStart values were seen. */
static void finish(loader *l)
{
    metric_stats *ms = l->ms;
    size_t kept = 0, cap = 0;

    for (size_t i = 0; i < ms->count; i++) {
        metric_group *g = &ms->group[i];
        if (g->rows == 0) {
            free(g->namespace), free(g->metric), free(g->runtime), free(g->unit), free(g->v);
            continue;
        }
        stats_sort(g->v, g->n);
        ms->group[kept++] = *g;
    }
    ms->count = kept;
    for (size_t i = 0; i < l->n; i++) {
        if (!l->s[i].seen || !l->s[i].coldstart)
            continue;
        XGROW(ms->coldstart_functions, ms->coldstart_count, cap, 4);
        ms->coldstart_functions[ms->coldstart_count++] = l->s[i].function;
        l->s[i].function = NULL;
    }
    if (ms->coldstart_count > 1)
        qsort(ms->coldstart_functions, ms->coldstart_count, sizeof(char *), by_string);
    size_t d = 0; /* distinct */
    for (size_t i = 0; i < ms->coldstart_count; i++) {
        if (d && !strcmp(ms->coldstart_functions[d - 1], ms->coldstart_functions[i]))
            free(ms->coldstart_functions[i]);
        else
            ms->coldstart_functions[d++] = ms->coldstart_functions[i];
    }
    ms->coldstart_count = d;
}

int metric_stats_load(sqlite3 *db, metric_stats *ms, mrb_err *err)
{
    loader l = {.ms = ms};
    int rc;

    memset(ms, 0, sizeof *ms);
    rc = read_series(db, &l, err);
    if (rc == 0)
        rc = read_values(db, &l, err);
    if (rc == 0)
        finish(&l);
    for (size_t i = 0; i < l.n; i++)
        free(l.s[i].function);
    free(l.s);
    if (rc < 0)
        metric_stats_release(ms);
    return rc;
}

int metric_group_figures(const metric_group *g, double *sum, double *p50, double *p99,
                         double *max)
{
    if (g->n == 0)
        return -1;
    *sum = g->sum + g->sum_err;
    *p50 = stats_percentile_sorted(g->v, g->n, 50);
    *p99 = stats_percentile_sorted(g->v, g->n, 99);
    *max = g->v[g->n - 1];
    return 0;
}

void metric_stats_release(metric_stats *ms)
{
    for (size_t i = 0; i < ms->count; i++) {
        metric_group *g = &ms->group[i];
        free(g->namespace), free(g->metric), free(g->runtime), free(g->unit), free(g->v);
    }
    free(ms->group);
    for (size_t i = 0; i < ms->coldstart_count; i++)
        free(ms->coldstart_functions[i]);
    free(ms->coldstart_functions);
    memset(ms, 0, sizeof *ms);
}

struct metric_stats_job {
    pthread_t thread;
    char *path, *where;
    metric_stats ms;
    int rc; /* of the load: 0, or -1 (then finish loads in line) */
};

static void *load_job(void *arg)
{
    metric_stats_job *job = arg;
    sqlite3 *db = NULL;
    mrb_err err;
    char *sql = sqlite3_mprintf("CREATE TEMP VIEW mesel AS SELECT * FROM metric_events%s%s",
                                job->where ? " WHERE " : "", job->where ? job->where : "");

    mrb_err_clear(&err);
    job->rc = -1;
    if (sql && sqlite3_open_v2(job->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
        sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
        job->rc = metric_stats_load(db, &job->ms, &err);
    sqlite3_free(sql);
    sqlite3_close(db);
    return NULL;
}

metric_stats_job *metric_stats_start(sqlite3 *db, const char *where)
{
    const char *path = sqlite3_db_filename(db, "main");
    metric_stats_job *job;

    if (!path || !*path) /* a temporary or in-memory database: no second connection */
        return NULL;
    job = xcalloc(1, sizeof *job);
    job->path = xstrdup(path);
    job->where = where ? xstrdup(where) : NULL;
    if (pthread_create(&job->thread, NULL, load_job, job) != 0) {
        free(job->path);
        free(job->where);
        free(job);
        return NULL;
    }
    return job;
}

int metric_stats_finish(metric_stats_job *job, sqlite3 *db, metric_stats *ms, mrb_err *err)
{
    int rc = -1;

    if (job) {
        pthread_join(job->thread, NULL);
        rc = job->rc;
        *ms = job->ms;
        free(job->path);
        free(job->where);
        free(job);
    }
    return rc == 0 ? 0 : metric_stats_load(db, ms, err);
}

void metric_stats_abandon(metric_stats_job *job)
{
    if (!job)
        return;
    pthread_join(job->thread, NULL);
    metric_stats_release(&job->ms);
    free(job->path);
    free(job->where);
    free(job);
}
