/* test_stats.c — percentiles, summaries, the median's CI and the SQL
 * functions (stats.h).
 *
 * Covers stats_percentile_sorted against hand-computed R-7 values (1..10,
 * one value, ties, negatives, p clamped), stats_sort, stats_summarise
 * (a known set, n = 1, n = 0, a large offset), stats_median_ci_ranks against
 * the published table for n = 6..20 and exact / normal values for large n,
 * then the SQL functions on an in-memory database (NULL and text ignored,
 * GROUP BY, empty groups, bad or varying p, a large group) and the same
 * functions loaded from the extension $MRB_BUILD/mrb_stats.so. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mrb/stats.h"

#define EPS 1e-12

static const double one_to_ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

/* ---- percentiles ------------------------------------------------------ */

static void test_percentile_one_to_ten(void **state)
{
    (void)state;
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 0), 1, EPS);
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 25), 3.25, EPS);
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 50), 5.5, EPS);
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 90), 9.1, EPS);
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 99), 9.91, EPS);
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 100), 10, EPS);
    /* h = 9 * 10 / 100 = 0.9 */
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 10), 1.9, EPS);
}

static void test_percentile_p_clamped(void **state)
{
    (void)state;
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, -5), 1, EPS);
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 100.5), 10, EPS);
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, 1e300), 10, EPS);
    assert_float_equal(stats_percentile_sorted(one_to_ten, 10, NAN), 1, EPS);
}

static void test_percentile_one_value(void **state)
{
    const double x[] = {42.5};

    (void)state;
    assert_float_equal(stats_percentile_sorted(x, 1, 0), 42.5, EPS);
    assert_float_equal(stats_percentile_sorted(x, 1, 37), 42.5, EPS);
    assert_float_equal(stats_percentile_sorted(x, 1, 100), 42.5, EPS);
}

static void test_percentile_ties(void **state)
{
    const double x[] = {1, 2, 2, 2, 3};
    const double same[] = {5, 5, 5, 5};
    const double inf[] = {1, INFINITY, INFINITY};

    (void)state;
    assert_float_equal(stats_percentile_sorted(x, 5, 10), 1.4, EPS); /* h = 0.4 */
    assert_float_equal(stats_percentile_sorted(x, 5, 25), 2, EPS);
    assert_float_equal(stats_percentile_sorted(x, 5, 60), 2, EPS); /* h = 2.4, between ties */
    assert_float_equal(stats_percentile_sorted(x, 5, 90), 2.6, EPS); /* h = 3.6 */
    assert_float_equal(stats_percentile_sorted(same, 4, 33), 5, EPS);
    assert_true(isinf(stats_percentile_sorted(inf, 3, 80))); /* not inf - inf */
}

static void test_percentile_negative(void **state)
{
    const double x[] = {-10, -5, -1, 0.5};

    (void)state;
    assert_float_equal(stats_percentile_sorted(x, 4, 0), -10, EPS);
    assert_float_equal(stats_percentile_sorted(x, 4, 50), -3, EPS); /* h = 1.5 */
    assert_float_equal(stats_percentile_sorted(x, 4, 25), -6.25, EPS); /* h = 0.75 */
    assert_float_equal(stats_percentile_sorted(x, 4, 100), 0.5, EPS);
}

static void test_sort_then_percentile(void **state)
{
    double x[] = {7, -1, 3, 10, 0, 3, -0.5};
    const double sorted[] = {-1, -0.5, 0, 3, 3, 7, 10};

    (void)state;
    stats_sort(x, 7);
    for (size_t i = 0; i < 7; i++)
        assert_float_equal(x[i], sorted[i], 0);
    assert_float_equal(stats_percentile_sorted(x, 7, 50), 3, EPS); /* h = 3 */
    assert_float_equal(stats_percentile_sorted(x, 7, 75), 5, EPS); /* h = 4.5 */
    assert_float_equal(stats_percentile_sorted(x, 7, 10), -0.7, EPS); /* h = 0.6 */
    stats_sort(x, 0);
    stats_sort(NULL, 0);
}

static void test_sort_larger(void **state)
{
    enum { N = 1000 };
    double x[N];

    (void)state;
    for (size_t i = 0; i < N; i++)
        x[i] = (double)((i * 7919) % N) - 500; /* a permutation of -500..499 */
    stats_sort(x, N);
    for (size_t i = 0; i < N; i++)
        assert_float_equal(x[i], (double)i - 500, 0);
    assert_float_equal(stats_percentile_sorted(x, N, 50), -0.5, EPS);
}

/* ---- summaries -------------------------------------------------------- */

static void test_summarise_known(void **state)
{
    const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
    stats_summary s;

    (void)state;
    stats_summarise(x, 8, &s);
    assert_int_equal(s.n, 8);
    assert_float_equal(s.mean, 5, EPS);
    assert_float_equal(s.stddev, sqrt(32.0 / 7), EPS); /* squared deviations sum to 32 */
    assert_float_equal(s.min, 2, 0);
    assert_float_equal(s.max, 9, 0);
}

static void test_summarise_one_and_none(void **state)
{
    const double x[] = {-3.5};
    stats_summary s;

    (void)state;
    stats_summarise(x, 1, &s);
    assert_int_equal(s.n, 1);
    assert_float_equal(s.mean, -3.5, 0);
    assert_float_equal(s.stddev, 0, 0);
    assert_float_equal(s.min, -3.5, 0);
    assert_float_equal(s.max, -3.5, 0);

    stats_summarise(NULL, 0, &s);
    assert_int_equal(s.n, 0);
    assert_float_equal(s.stddev, 0, 0);
    assert_true(isnan(s.mean));
    assert_true(isnan(s.min));
    assert_true(isnan(s.max));
}

/* Welford keeps the precision a naive sum of squares loses at a large offset. */
static void test_summarise_large_offset(void **state)
{
    const double x[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    stats_summary s;

    (void)state;
    stats_summarise(x, 4, &s);
    assert_float_equal(s.mean, 1e9 + 10, 1e-6);
    assert_float_equal(s.stddev, sqrt(30), 1e-9); /* (36 + 9 + 9 + 36) / 3 */
    assert_float_equal(s.min, 1e9 + 4, 0);
    assert_float_equal(s.max, 1e9 + 16, 0);
}

/* ---- the median's confidence interval --------------------------------- */

/* 1-based ranks of the 95% CI of the median, n = 6..20: Campbell & Gardner,
 * BMJ 1988;296:1454, table 1 (also Altman et al., "Statistics with
 * Confidence", 2000), equal to the exact binomial definition in stats.c. */
static const struct {
    size_t n, j, k;
} ci_table[] = {
    {6, 1, 6},   {7, 1, 7},   {8, 1, 8},   {9, 2, 8},   {10, 2, 9},
    {11, 2, 10}, {12, 3, 10}, {13, 3, 11}, {14, 3, 12}, {15, 4, 12},
    {16, 4, 13}, {17, 5, 13}, {18, 5, 14}, {19, 5, 15}, {20, 6, 15},
};

static void check_ranks(size_t n, size_t j, size_t k, int line)
{
    size_t lo = 99, hi = 99;

    if (stats_median_ci_ranks(n, &lo, &hi) != 0)
        fail_msg("line %d: n = %zu has no CI", line, n);
    if (lo != j - 1 || hi != k - 1)
        fail_msg("line %d: n = %zu gives x(%zu), x(%zu), expected x(%zu), x(%zu)", line, n,
                 lo + 1, hi + 1, j, k);
}

#define assert_ranks(n, j, k) check_ranks((n), (j), (k), __LINE__)

static void test_ci_ranks_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ci_table / sizeof ci_table[0]; i++)
        assert_ranks(ci_table[i].n, ci_table[i].j, ci_table[i].k);
}

static void test_ci_ranks_too_few(void **state)
{
    size_t lo = 7, hi = 7;

    (void)state;
    for (size_t n = 0; n < 6; n++)
        assert_int_equal(stats_median_ci_ranks(n, &lo, &hi), -1);
    assert_int_equal(lo, 7);
    assert_int_equal(hi, 7);
}

static void test_ci_ranks_large(void **state)
{
    (void)state;
    /* Exact binomial sums (computed with integers): */
    assert_ranks(21, 6, 16);
    assert_ranks(50, 18, 33);
    assert_ranks(100, 40, 61); /* also n/2 -+ 1.96 sqrt(n) / 2 rounded */
    assert_ranks(500, 228, 273);
    assert_ranks(1000, 469, 532);
    /* Normal approximation: n/2 - 1.96 * 100 / 2 = 4902, n/2 + 1 + 98 = 5099. */
    assert_ranks(10000, 4902, 5099);
    assert_ranks(1000000, 499020, 500981);
    /* Exact gives x(470), x(532) at n = 1001; the approximation is one wider. */
    assert_ranks(1001, 469, 533);
}

/* ---- SQL functions ---------------------------------------------------- */

static sqlite3 *g_db;

static int open_db(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &g_db) != SQLITE_OK)
        return -1;
    return stats_register(g_db) == SQLITE_OK ? 0 : -1;
}

static int close_db(void **state)
{
    (void)state;
    sqlite3_close(g_db);
    g_db = NULL;
    return 0;
}

static void exec(const char *sql)
{
    char *err = NULL;

    if (sqlite3_exec(g_db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "# %s\n", err ? err : "?");
        sqlite3_free(err);
        fail_msg("exec failed: %s", sql);
    }
}

/* Runs sql (one row, one column): 1 with *out set, 0 for NULL. */
static int query_on(sqlite3 *db, const char *sql, double *out, int line)
{
    sqlite3_stmt *st = NULL;
    int rc, type;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("line %d: %s: %s", line, sql, sqlite3_errmsg(db));
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        char msg[256];

        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        fail_msg("line %d: %s: %s", line, sql, msg);
    }
    type = sqlite3_column_type(st, 0);
    if (type != SQLITE_NULL && type != SQLITE_FLOAT) {
        sqlite3_finalize(st);
        fail_msg("line %d: %s: a result that is not a REAL", line, sql);
    }
    *out = sqlite3_column_double(st, 0);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    return type != SQLITE_NULL;
}

static void check_value(sqlite3 *db, const char *sql, double want, int line)
{
    double got;

    if (!query_on(db, sql, &got, line))
        fail_msg("line %d: %s: NULL, expected %.17g", line, sql, want);
    if (fabs(got - want) > 1e-9)
        fail_msg("line %d: %s: %.17g, expected %.17g", line, sql, got, want);
}

static void check_null(sqlite3 *db, const char *sql, int line)
{
    double got;

    if (query_on(db, sql, &got, line))
        fail_msg("line %d: %s: %.17g, expected NULL", line, sql, got);
}

/* sql fails, when prepared or stepped, with a message containing want. */
static void check_error(sqlite3 *db, const char *sql, const char *want, int line)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

    while (rc == SQLITE_OK || rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(st);
        fail_msg("line %d: %s: no error, expected \"%s\"", line, sql, want);
    }
    if (strstr(sqlite3_errmsg(db), want) == NULL) {
        char msg[256];

        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        fail_msg("line %d: %s: \"%s\", expected \"%s\"", line, sql, msg, want);
    }
    sqlite3_finalize(st);
}

#define assert_sql(sql, want) check_value(g_db, (sql), (want), __LINE__)
#define assert_sql_null(sql) check_null(g_db, (sql), __LINE__)
#define assert_sql_error(sql, want) check_error(g_db, (sql), (want), __LINE__)

#define ONE_TO_TEN "(WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s " \
                   "WHERE v < 10) SELECT v FROM s)"

/* Group a: 1, 2, 3, 4 (and NULL, text, a blob); group b: 10, '20', 30.5. */
static void make_table(void)
{
    exec("CREATE TABLE t(g TEXT, v);"
         "INSERT INTO t VALUES ('a', 3), ('a', NULL), ('a', 'fast'), ('a', 1), "
         "('a', X'0102'), ('a', 4.0), ('a', ''), ('a', 2), ('a', '12abc'), "
         "('b', 30.5), ('b', '20'), ('b', 10), ('b', NULL)");
}

static void test_sql_percentile_ignores_null_and_text(void **state)
{
    (void)state;
    make_table();
    assert_sql("SELECT percentile(v, 50) FROM t WHERE g = 'a'", 2.5);
    assert_sql("SELECT percentile(v, 25) FROM t WHERE g = 'a'", 1.75);
    assert_sql("SELECT percentile(v, 100) FROM t WHERE g = 'a'", 4);
    assert_sql("SELECT percentile(v, 0) FROM t WHERE g = 'a'", 1);
    assert_sql("SELECT percentile(v, 50) FROM t WHERE g = 'b'", 20); /* '20' is a number */
    assert_sql("SELECT percentile(v, '75') FROM t WHERE g = 'b'", 25.25);
    assert_sql("SELECT percentile(v, 25.5) FROM t WHERE g = 'a'", 1.765);
    assert_sql("SELECT percentile(v, 90) FROM " ONE_TO_TEN, 9.1);
    assert_sql("SELECT percentile(v, 99) FROM " ONE_TO_TEN, 9.91);
}

static void test_sql_group_by(void **state)
{
    static const struct {
        const char *g;
        double p90, median, sd;
    } want[] = {
        {"a", 3.7, 2.5, 1.2909944487358056}, /* sqrt(5 / 3) */
        {"b", 28.4, 20, 10.251016209787855},
    };
    sqlite3_stmt *st = NULL;
    size_t i = 0;
    int rc;

    (void)state;
    make_table();
    assert_int_equal(sqlite3_prepare_v2(g_db,
                                        "SELECT g, percentile(v, 90), median(v), stddev(v) "
                                        "FROM t GROUP BY g ORDER BY g",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        assert_true(i < 2);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), want[i].g);
        assert_float_equal(sqlite3_column_double(st, 1), want[i].p90, 1e-9);
        assert_float_equal(sqlite3_column_double(st, 2), want[i].median, 1e-9);
        assert_float_equal(sqlite3_column_double(st, 3), want[i].sd, 1e-9);
        i++;
    }
    assert_int_equal(rc, SQLITE_DONE);
    assert_int_equal(i, 2);
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
}

static void test_sql_empty_group(void **state)
{
    (void)state;
    make_table();
    assert_sql_null("SELECT percentile(v, 50) FROM t WHERE 0");
    assert_sql_null("SELECT median(v) FROM t WHERE 0");
    assert_sql_null("SELECT stddev(v) FROM t WHERE 0");
    assert_sql_null("SELECT median_ci_low(v) FROM t WHERE 0");
    assert_sql_null("SELECT median_ci_high(v) FROM t WHERE 0");
    /* Rows, but no numbers. */
    assert_sql_null("SELECT percentile(v, 50) FROM t WHERE typeof(v) IN ('null', 'blob')");
    assert_sql_null("SELECT median(v) FROM t WHERE v = 'fast'");
    assert_sql_null("SELECT stddev(v) FROM t WHERE v IS NULL");
    /* stddev needs 2 values, the CI 6. */
    assert_sql_null("SELECT stddev(v) FROM t WHERE v = 3");
    assert_sql_null("SELECT median_ci_low(v) FROM " ONE_TO_TEN " WHERE v <= 5");
    assert_sql_null("SELECT median_ci_high(v) FROM " ONE_TO_TEN " WHERE v <= 5");
}

static void test_sql_p_out_of_range(void **state)
{
    const char *msg = "percentile: p must be between 0 and 100";

    (void)state;
    make_table();
    assert_sql_error("SELECT percentile(v, 101) FROM t", msg);
    assert_sql_error("SELECT percentile(v, -0.5) FROM t", msg);
    assert_sql_error("SELECT percentile(v, NULL) FROM t", msg);
    assert_sql_error("SELECT percentile(v, 'half') FROM t", msg);
    assert_sql_error("SELECT g, percentile(v, 200) FROM t GROUP BY g", msg);
    /* Also with no numbers in the group. */
    assert_sql_error("SELECT percentile(NULL, 100.5)", msg);
    /* Bad only on a late row, after values were kept (freed: see ASan). */
    assert_sql_error("SELECT percentile(v, CASE WHEN v = 30.5 THEN 1000 ELSE 50 END) "
                     "FROM (SELECT v FROM t ORDER BY g)",
                     msg);
}

static void test_sql_p_varies(void **state)
{
    const char *msg = "percentile: p must be the same for every row of a group";

    (void)state;
    make_table();
    assert_sql_error("SELECT percentile(v, rowid) FROM t", msg);
    assert_sql_error("SELECT percentile(v, CASE g WHEN 'a' THEN 50 ELSE 90 END) FROM t", msg);
    /* Constant within each group is fine. */
    assert_sql("SELECT max(p) FROM (SELECT percentile(v, CASE g WHEN 'a' THEN 50 ELSE 0 END) "
               "AS p FROM t GROUP BY g)",
               10);
    /* 50 and '50' are the same number. */
    assert_sql("SELECT percentile(v, CASE WHEN v = 1 THEN '50' ELSE 50 END) FROM t "
               "WHERE g = 'a'",
               2.5);
}

static void test_sql_median_stddev_ci(void **state)
{
    (void)state;
    assert_sql("SELECT median(v) FROM " ONE_TO_TEN, 5.5);
    assert_sql("SELECT stddev(v) FROM " ONE_TO_TEN, sqrt(55.0 / 6));
    assert_sql("SELECT median_ci_low(v) FROM " ONE_TO_TEN, 2);
    assert_sql("SELECT median_ci_high(v) FROM " ONE_TO_TEN, 9);
    assert_sql("SELECT median_ci_low(v) FROM " ONE_TO_TEN " WHERE v <= 6", 1);
    assert_sql("SELECT median_ci_high(v) FROM " ONE_TO_TEN " WHERE v <= 6", 6);
    assert_sql("SELECT median(v) FROM (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT 10)",
               2);
    assert_sql("SELECT median(-v) FROM " ONE_TO_TEN, -5.5);
    /* The CI follows the sorted order, not the row order. */
    assert_sql("SELECT median_ci_low(v) FROM (SELECT v FROM " ONE_TO_TEN " ORDER BY -v)", 2);
    assert_sql("SELECT median_ci_high(v * 1.5) FROM (SELECT v FROM " ONE_TO_TEN " ORDER BY -v)",
               13.5);
}

/* 100 000 values in one group: the array grows many times. */
static void test_sql_large_group(void **state)
{
    (void)state;
    exec("CREATE TABLE big AS WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s "
         "WHERE v < 100000) SELECT (v * 7919) % 100000 + 1 AS v FROM s");
    assert_sql("SELECT median(v) FROM big", 50000.5);
    assert_sql("SELECT percentile(v, 99) FROM big", 99000.01);
    /* Normal approximation: floor(50000.5 - 1.96 sqrt(100000) / 2) = 49690. */
    assert_sql("SELECT median_ci_low(v) FROM big", 49690);
    assert_sql("SELECT median_ci_high(v) FROM big", 100001 - 49690);
}

/* count_distinct agrees with count(DISTINCT) on text, numbers, blobs, NULLs,
 * groups and a set large enough to grow its hash table many times. */
static void test_sql_count_distinct(void **state)
{
    (void)state;
    exec("CREATE TABLE d(g, v); INSERT INTO d VALUES "
         "(1, 'a'), (1, 'a'), (1, 'b'), (1, NULL), (1, ''), (1, ''), "
         "(2, 1), (2, 1.0), (2, '1'), (2, x'01'), (2, x'01'), (2, 0.0), (2, -0.0), "
         "(3, NULL)");
    assert_sql("SELECT 1.0 * count_distinct(v) FROM d WHERE g = 1", 3); /* a, b, '' */
    /* 1 and 1.0 are one number; '1' is text, x'01' a blob; 0.0 = -0.0 */
    assert_sql("SELECT 1.0 * count_distinct(v) FROM d WHERE g = 2", 4);
    assert_sql("SELECT 1.0 * count_distinct(v) FROM d WHERE g = 3", 0);
    assert_sql("SELECT 1.0 * count_distinct(v) FROM d WHERE g = 9", 0);
    assert_sql("SELECT 1.0 * sum(n = m) FROM (SELECT g, count_distinct(v) AS n, count(DISTINCT v) AS m "
               "FROM d WHERE g <> 2 GROUP BY g)", 2);
    exec("CREATE TABLE many AS WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s "
         "WHERE v < 50000) SELECT 'stream-' || (v % 12345) AS k, v FROM s");
    assert_sql("SELECT 1.0 * count_distinct(k) FROM many", 12345);
    assert_sql("SELECT 1.0 * count_distinct(v) FROM many", 50000);
    assert_sql("SELECT 1.0 * count_distinct(k || '|' || (v % 2)) FROM many", 24690);
    /* Tuples: no joining text, a NULL member skips the row, -0.0 = 0.0. */
    assert_sql("SELECT 1.0 * count_distinct(k, v % 2) FROM many", 24690);
    assert_sql("SELECT 1.0 * count_distinct(a, b) FROM (SELECT 'a|b' AS a, 'c' AS b "
               "UNION ALL SELECT 'a', 'b|c' UNION ALL SELECT 'a', 'b|c')",
               2); /* one text 'a|b|c' would make them 1 */
    assert_sql("SELECT 1.0 * count_distinct(a, b) FROM (SELECT 1 AS a, NULL AS b "
               "UNION ALL SELECT NULL, 1 UNION ALL SELECT 1, 2 UNION ALL SELECT 1.0, 2)",
               1);
    assert_sql("SELECT 1.0 * count_distinct(a, b) FROM (SELECT 'x' AS a, 0.0 AS b "
               "UNION ALL SELECT 'x', -0.0 UNION ALL SELECT x'78', 0 UNION ALL SELECT 'x', '0')",
               3); /* text 'x' and blob x'78' differ, as do 0 and '0' */
    assert_sql_error("SELECT count_distinct() FROM many",
                     "count_distinct() needs at least one argument");
}

/* sorted_values sorts a group once; every pick from it equals the
 * aggregate of the same name, NULLs and text skipped alike. */
static void test_sql_sorted_values(void **state)
{
    (void)state;
    make_table();
    assert_sql("SELECT sorted_percentile(sorted_values(v), 50) FROM " ONE_TO_TEN, 5.5);
    assert_sql("SELECT sorted_percentile(sorted_values(v), 90) FROM " ONE_TO_TEN, 9.1);
    assert_sql("SELECT sorted_median_ci_low(sorted_values(v)) FROM " ONE_TO_TEN, 2);
    assert_sql("SELECT sorted_median_ci_high(sorted_values(v)) FROM " ONE_TO_TEN, 9);
    assert_sql_null("SELECT sorted_median_ci_low(sorted_values(v)) FROM " ONE_TO_TEN
                    " WHERE v <= 5");
    assert_sql_null("SELECT sorted_values(v) FROM t WHERE 0");
    assert_sql_null("SELECT sorted_percentile(sorted_values(v), 50) FROM t WHERE v = 'fast'");
    assert_sql_null("SELECT sorted_percentile(NULL, 50)");
    /* per group, over the whole table and its odd values, as the aggregates */
    assert_sql("SELECT 1.0 * sum(a = b AND c = d AND e IS f) FROM (SELECT g, "
               "sorted_percentile(sorted_values(v), 37.5) AS a, percentile(v, 37.5) AS b, "
               "sorted_percentile(sorted_values(v), 100) AS c, percentile(v, 100) AS d, "
               "sorted_median_ci_high(sorted_values(v)) AS e, median_ci_high(v) AS f "
               "FROM t GROUP BY g)",
               2);
    exec("CREATE TABLE sv AS WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s "
         "WHERE v < 100000) SELECT (v * 7919) % 100000 + 1 AS v FROM s");
    assert_sql("SELECT sorted_percentile(sorted_values(v), 99) FROM sv", 99000.01);
    assert_sql("SELECT sorted_median_ci_low(sorted_values(v)) FROM sv", 49690);
    /* a BLOB from elsewhere, or a p out of range, is an error */
    assert_sql_error("SELECT sorted_percentile(x'00112233445566778899aabbccddeeff', 50)",
                     "expected the value of sorted_values(x)");
    assert_sql_error("SELECT sorted_median_ci_low('text')",
                     "expected the value of sorted_values(x)");
    assert_sql_error("SELECT sorted_percentile(sorted_values(v), 101) FROM sv",
                     "sorted_percentile: p must be between 0 and 100");
    /* the same BLOB one byte off its alignment: the doubles are copied out */
    sqlite3_stmt *st = NULL;
    unsigned char buf[200];
    assert_int_equal(sqlite3_prepare_v2(g_db, "SELECT sorted_values(v) FROM " ONE_TO_TEN, -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_bytes(st, 0);
    assert_int_equal(n, 8 + 10 * 8);
    unsigned char *off = buf + ((uintptr_t)(buf + 9) % 8 ? 1 : 2); /* doubles not aligned */
    memcpy(off, sqlite3_column_blob(st, 0), (size_t)n);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_prepare_v2(g_db, "SELECT sorted_percentile(?1, 50)", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_bind_blob(st, 1, off, n, SQLITE_STATIC), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_float_equal(sqlite3_column_double(st, 0), 5.5, 1e-12);
    sqlite3_finalize(st);
}

static int g_progress_calls;

static int interrupt_later(void *arg)
{
    (void)arg;
    return ++g_progress_calls > 100;
}

/* A statement stopped inside a group still releases its array (no leak
 * under ASan): interrupted mid-aggregation, and finalized after one group. */
static void test_sql_stopped_early(void **state)
{
    sqlite3_stmt *st = NULL;

    (void)state;
    g_progress_calls = 0;
    sqlite3_progress_handler(g_db, 10, interrupt_later, NULL);
    assert_int_equal(sqlite3_prepare_v2(g_db,
                                        "WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL "
                                        "SELECT v + 1 FROM s WHERE v < 100000) "
                                        "SELECT median(v) FROM s",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_INTERRUPT);
    sqlite3_finalize(st);
    sqlite3_progress_handler(g_db, 0, NULL, NULL);

    make_table();
    assert_int_equal(sqlite3_prepare_v2(g_db,
                                        "SELECT g, median(v), median_ci_low(v) FROM "
                                        "(SELECT * FROM t UNION ALL SELECT * FROM t) "
                                        "GROUP BY g ORDER BY g",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
}

/* ---- the loadable extension ------------------------------------------- */

static void test_extension_loads(void **state)
{
    const char *dir = getenv("MRB_BUILD");
    char path[4096];
    char *err = NULL;
    sqlite3 *db = NULL;
    double v;

    (void)state;
    if (dir == NULL || dir[0] == '\0')
        dir = "build";
    snprintf(path, sizeof path, "%s/mrb_stats.so", dir);
    /* Not cmocka's skip(): 1.1.5 prints "not ok N # SKIP", which prove
     * counts as a failure. `make test` always builds the extension. */
    if (access(path, R_OK) != 0) {
        print_message("# %s absent: the extension is not tested\n", path);
        return;
    }

    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    check_error(db, "SELECT median(1)", "no such function", __LINE__);
    assert_int_equal(sqlite3_enable_load_extension(db, 1), SQLITE_OK);
    if (sqlite3_load_extension(db, path, NULL, &err) != SQLITE_OK) {
        char msg[512];

        snprintf(msg, sizeof msg, "%s", err ? err : "?");
        sqlite3_free(err);
        sqlite3_close(db);
        fail_msg("loading %s: %s", path, msg);
    }
    check_value(db, "SELECT median(v) FROM (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL "
                    "SELECT 10)",
                2, __LINE__);
    check_value(db, "SELECT percentile(v, 25) FROM " ONE_TO_TEN, 3.25, __LINE__);
    check_value(db, "SELECT stddev(v) FROM " ONE_TO_TEN, sqrt(55.0 / 6), __LINE__);
    check_value(db, "SELECT median_ci_low(v) FROM " ONE_TO_TEN, 2, __LINE__);
    check_value(db, "SELECT median_ci_high(v) FROM " ONE_TO_TEN, 9, __LINE__);
    check_error(db, "SELECT percentile(v, 101) FROM " ONE_TO_TEN,
                "percentile: p must be between 0 and 100", __LINE__);
    assert_true(query_on(db, "SELECT median(NULL)", &v, __LINE__) == 0);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

#define T(f) cmocka_unit_test(f)
#define TDB(f) cmocka_unit_test_setup_teardown(f, open_db, close_db)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_percentile_one_to_ten),
        T(test_percentile_p_clamped),
        T(test_percentile_one_value),
        T(test_percentile_ties),
        T(test_percentile_negative),
        T(test_sort_then_percentile),
        T(test_sort_larger),
        T(test_summarise_known),
        T(test_summarise_one_and_none),
        T(test_summarise_large_offset),
        T(test_ci_ranks_table),
        T(test_ci_ranks_too_few),
        T(test_ci_ranks_large),
        TDB(test_sql_percentile_ignores_null_and_text),
        TDB(test_sql_group_by),
        TDB(test_sql_empty_group),
        TDB(test_sql_p_out_of_range),
        TDB(test_sql_p_varies),
        TDB(test_sql_median_stddev_ci),
        TDB(test_sql_large_group),
        TDB(test_sql_count_distinct),
        TDB(test_sql_sorted_values),
        TDB(test_sql_stopped_early),
        T(test_extension_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
