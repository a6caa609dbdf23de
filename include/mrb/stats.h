/* stats.h — the statistics every report number comes from.
 *
 * Exact percentiles by linear interpolation between closest ranks (R-7,
 * numpy's default): for sorted x[0..n) and p in [0, 100],
 *   h = (n - 1) * p / 100,  q = x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]).
 * Means and standard deviations (sample, n - 1) are computed with Welford's
 * method. The 95% confidence interval of the median uses order statistics
 * (the binomial ranks around n/2; exact for any continuous distribution),
 * and is absent below n = 6.
 *
 * The same numbers are registered as SQLite functions so that reports,
 * `mrb-analyze sql` and the queries/ files agree:
 *   percentile(x, p)      aggregate; p in 0..100 (constant per group); NULL x ignored
 *   median(x)             = percentile(x, 50)
 *   stddev(x)             sample standard deviation (NULL below 2 values)
 *   median_ci_low(x), median_ci_high(x)   the 95% CI of the median
 *   count_distinct(x [, y ...])   = count(DISTINCT x), with a hash set (0 for no
 *                         values); several arguments count distinct tuples
 *   sorted_values(x)      aggregate: the group's numbers sorted once, as a BLOB for
 *   sorted_percentile(v, p), sorted_median_ci_low(v), sorted_median_ci_high(v)
 *                         (scalars): the same numbers as percentile(x, p) and the
 *                         median's CI, one sort for all of them
 * A group without values gives NULL. stats_register adds them to a
 * connection; the same file builds as a loadable extension (mrb_stats.so)
 * for plain sqlite3 users: `.load ./mrb_stats`.
 *
 * Ownership: functions take caller arrays and allocate nothing unless said. */
#ifndef MRB_STATS_H
#define MRB_STATS_H

#include <stddef.h>

typedef struct sqlite3 sqlite3;

/* Sorts x[0..n) ascending in place. */
void stats_sort(double *x, size_t n);

/* The p-th percentile (0..100) of sorted x[0..n); n >= 1. */
double stats_percentile_sorted(const double *x, size_t n, double p);

/* The 0-based ranks [lo, hi] of sorted values that bound the 95% CI of the
 * median of n values. Returns 0, or -1 when n is too small (n < 6). */
int stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi);

typedef struct stats_summary {
    size_t n;
    double mean, stddev, min, max; /* stddev 0 when n < 2 */
} stats_summary;

/* Count, mean, sample standard deviation, min and max of x[0..n). */
void stats_summarise(const double *x, size_t n, stats_summary *out);

/* Registers the SQL functions above on db. 0, or an SQLite error code. */
int stats_register(sqlite3 *db);

#endif
