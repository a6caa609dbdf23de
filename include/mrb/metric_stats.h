/* metric_stats.h — the EMF values of a selection, grouped in memory.
 *
 * One pass over temp.mesel (the metric_events rows of the selection, see
 * queries.h) with the series read once from metric_series: every value
 * lands in its group (namespace, metric, runtime, unit), in the order
 * queries/report-metrics.sql sorts them. This is what that query computes
 * through the metric_values view (n, sum, p50, p99, max per group), without
 * sorting every value by four text columns: SQLite's GROUP BY cost about
 * 1 s per million values, this pass about 0.1 s. The query stays the
 * definition; tests compare the two.
 *
 * Each section reads its own snapshot of the database (the report holds
 * no read transaction across sections), and so does the loading thread.
 *
 * Ownership: everything belongs to the metric_stats until
 * metric_stats_release; a zeroed metric_stats is empty. */
#ifndef MRB_METRIC_STATS_H
#define MRB_METRIC_STATS_H

#include <stddef.h>

#include "mrb/err.h"

typedef struct sqlite3 sqlite3;

typedef struct metric_group {
    char *namespace, *metric, *runtime, *unit;
    long long rows;      /* values, NULL ones too (count(*)) */
    double *v;           /* the non-NULL values, sorted after the load */
    size_t n, cap;       /* of v */
    double sum, sum_err; /* of v, compensated (Neumaier) */
} metric_group;

typedef struct metric_stats {
    metric_group *group; /* groups with rows, in (namespace, metric, runtime, unit) order */
    size_t count;
    char **coldstart_functions; /* functions with ColdStart values here, sorted */
    size_t coldstart_count;
} metric_stats;

/* Fills ms (zeroed first) from temp.mesel and metric_series; 0, or -1
 * with err. */
int metric_stats_load(sqlite3 *db, metric_stats *ms, mrb_err *err);

/* The group's sum, p50, p99 and max as report-metrics.sql computes them
 * before rounding; 0, or -1 when the group has no non-NULL value (NULLs). */
int metric_group_figures(const metric_group *g, double *sum, double *p50, double *p99,
                         double *max);

void metric_stats_release(metric_stats *ms);

/* The load on a second core: a thread with a read-only connection of its
 * own to db's main database file loads the values of the selection `where`
 * (an SQL condition on ts_ms and run, or NULL for all) while the caller
 * writes other sections. NULL when no thread can start. */
typedef struct metric_stats_job metric_stats_job;
metric_stats_job *metric_stats_start(sqlite3 *db, const char *where);

/* Waits for job and frees it; its groups in ms. When the thread could not
 * load them (it could not open the database, say), they are loaded from db
 * here, whose temp.mesel must be the same selection. 0, or -1 with err. */
int metric_stats_finish(metric_stats_job *job, sqlite3 *db, metric_stats *ms, mrb_err *err);

/* Waits for job and frees it with what it loaded (a report that stopped
 * before the section). NULL is ignored. */
void metric_stats_abandon(metric_stats_job *job);

#endif
