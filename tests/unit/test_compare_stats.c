/* test_compare_stats.c — the statistics of the nightly comparison
 * (compare_stats.h).
 *
 * Covers the generator (splitmix64 reference state, xoshiro256** outputs,
 * moments of the uniform, normal, gamma and beta draws), the normal
 * quantile, Mann-Whitney U against R's published example and against full
 * enumeration of the null distribution, ties and large samples by hand,
 * Holm against a hand-worked example, the rate test (z, Fisher, zero
 * counts) and the ratio of means by hand, the bootstrap's order-statistic
 * resampling against the exact law of a resampled quantile (binomial sums
 * and enumeration of every resample), its CI on lognormal data with a 20 %
 * shift and its coverage, a tail-only change Mann-Whitney cannot see, then
 * the verdicts: the 20 % / 2 % shifts at n = 2000, n = 8, the rules
 * one by one, the samples needed, and the false-alarm rate of a family of
 * 4 runtimes x 9 metrics over 200 nights drawn from the same distributions.
 *
 * Every random number comes from fixed seeds: the results never change
 * between runs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/compare_stats.h"
#include "mrb/stats.h"

#define Z975 1.959963984540054 /* Phi^-1(0.975) */
#define Z80 0.8416212335729143 /* Phi^-1(0.8) */

static void close_to(double got, double want, double rel, int line)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("line %d: got %.17g, expected %.17g (relative %g)", line, got, want, rel);
}

static void near_abs(double got, double want, double tol, int line)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("line %d: got %.17g, expected %.17g +- %g", line, got, want, tol);
}

#define CLOSE(got, want, rel) close_to((got), (want), (rel), __LINE__)
#define NEAR(got, want, tol) near_abs((got), (want), (tol), __LINE__)

/* ---- the generator ------------------------------------------------------ */

/* splitmix64 from seed 1234567 gives 6457827717110365317,
 * 3203168211198807973, 9817491932198370423, 4593380528125082431 (the
 * published reference sequence, e.g. Rosetta Code "Pseudo-random
 * numbers/Splitmix64"); xoshiro256** from that state was computed with
 * Vigna's reference code transcribed to Python. */
static void test_rng_reference(void **state)
{
    cmp_rng r;

    (void)state;
    cmp_rng_seed(&r, 1234567);
    assert_true(r.s[0] == 6457827717110365317ull);
    assert_true(r.s[1] == 3203168211198807973ull);
    assert_true(r.s[2] == 9817491932198370423ull);
    assert_true(r.s[3] == 4593380528125082431ull);
    assert_true(cmp_rng_next(&r) == 3504822795582309479ull);
    assert_true(cmp_rng_next(&r) == 1819558768956484042ull);
    assert_true(cmp_rng_next(&r) == 1250851346055027673ull);
}

static void test_rng_deterministic(void **state)
{
    cmp_rng a, b, c;
    int differ = 0;

    (void)state;
    cmp_rng_seed(&a, 99);
    cmp_rng_seed(&b, 99);
    cmp_rng_seed(&c, 100);
    for (int i = 0; i < 1000; i++) {
        assert_true(cmp_rng_normal(&a) == cmp_rng_normal(&b));
        differ += cmp_rng_next(&a) != cmp_rng_next(&c);
        (void)cmp_rng_next(&b);
    }
    assert_int_equal(differ, 1000);
}

/* Sample means and variances within 5 standard errors (deterministic: the
 * seed is fixed, the margin is for honesty, not for luck). */
static void test_rng_moments(void **state)
{
    enum { N = 100000 };
    cmp_rng r;
    stats_summary s;
    double *x = malloc(N * sizeof *x);
    unsigned counts[7] = {0};

    (void)state;
    assert_non_null(x);
    cmp_rng_seed(&r, 7);
    for (size_t i = 0; i < N; i++) {
        x[i] = cmp_rng_uniform(&r);
        assert_true(x[i] > 0 && x[i] < 1);
    }
    stats_summarise(x, N, &s);
    NEAR(s.mean, 0.5, 5 * sqrt(1.0 / 12 / N));
    NEAR(s.stddev * s.stddev, 1.0 / 12, 0.002);

    for (size_t i = 0; i < 70000; i++) {
        uint64_t k = cmp_rng_below(&r, 7);

        assert_true(k < 7);
        counts[k]++;
    }
    for (int k = 0; k < 7; k++)
        NEAR(counts[k], 10000, 5 * sqrt(10000 * 6.0 / 7));
    assert_true(cmp_rng_below(&r, 1) == 0);

    for (size_t i = 0; i < N; i++)
        x[i] = cmp_rng_normal(&r);
    stats_summarise(x, N, &s);
    NEAR(s.mean, 0, 5 / sqrt(N));
    NEAR(s.stddev, 1, 5 * sqrt(0.5 / N));

    /* Gamma(k): mean k, variance k. */
    const double shapes[] = {1, 2.5, 30, 5000};
    for (size_t j = 0; j < sizeof shapes / sizeof shapes[0]; j++) {
        double k = shapes[j];

        for (size_t i = 0; i < N; i++)
            x[i] = cmp_rng_gamma(&r, k);
        stats_summarise(x, N, &s);
        NEAR(s.mean, k, 5 * sqrt(k / N));
        CLOSE(s.stddev * s.stddev, k, 0.03);
    }
    /* Beta(a, b): mean a / (a + b), variance ab / ((a + b)^2 (a + b + 1)). */
    for (size_t i = 0; i < N; i++)
        x[i] = cmp_rng_beta(&r, 3, 7);
    stats_summarise(x, N, &s);
    NEAR(s.mean, 0.3, 5 * sqrt(0.21 / 11 / N));
    CLOSE(s.stddev * s.stddev, 0.21 / 11, 0.03);
    free(x);
}

static void test_norm_quantile(void **state)
{
    (void)state;
    CLOSE(cmp_norm_quantile(0.975), Z975, 1e-14);
    CLOSE(cmp_norm_quantile(0.8), Z80, 1e-14);
    CLOSE(cmp_norm_quantile(0.999), 3.090232306167813, 1e-14);
    CLOSE(cmp_norm_quantile(1e-10), -6.361340902404056, 1e-14);
    NEAR(cmp_norm_quantile(0.5), 0, 1e-15);
    for (double q = 0.001; q < 1; q += 0.0137)
        CLOSE(cmp_norm_cdf(cmp_norm_quantile(q)), q, 1e-13);
    CLOSE(1 - cmp_norm_cdf(cmp_norm_quantile(1 - 1e-9)), 1e-9, 1e-6);
    assert_true(isnan(cmp_norm_quantile(0)));
    assert_true(isnan(cmp_norm_quantile(1)));
    assert_true(isnan(cmp_norm_quantile(NAN)));
}

/* ---- Mann-Whitney U ----------------------------------------------------- */

/* R's ?wilcox.test example (Hollander & Wolfe, 1973, p. 69):
 *   wilcox.test(x, y, alternative = "g")  ->  W = 35, p-value = 0.1272
 * W counts the pairs x > y: 0 + 1 + 1 + 3 + 5 * 6 = 35 (x sorted). The exact
 * one-sided p is 382 / 3003 (15 choose 5 arrangements, checked by
 * enumeration), so the two-sided p is 764 / 3003. */
static void test_mw_r_example(void **state)
{
    const double x[] = {0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
    const double y[] = {1.15, 0.88, 0.90, 0.74, 1.21};
    cmp_mw mw;

    (void)state;
    assert_int_equal(cmp_mann_whitney(x, 10, y, 5, &mw, NULL), 0);
    CLOSE(mw.u, 35, 0);
    assert_int_equal(mw.exact, 1);
    CLOSE(mw.p / 2, 0.1272061272061272, 1e-12); /* R's one-sided 0.1272 */
    CLOSE(mw.p, 764.0 / 3003, 1e-12);
    CLOSE(mw.cles, 0.3, 1e-15); /* P(y > x) = 1 - 35 / 50 */

    assert_int_equal(cmp_mann_whitney(y, 5, x, 10, &mw, NULL), 0);
    CLOSE(mw.u, 15, 0); /* 50 - 35 */
    CLOSE(mw.p, 764.0 / 3003, 1e-12);
    CLOSE(mw.cles, 0.7, 1e-15);
}

/* The exact two-sided p from all C(m + n, m) arrangements of the ranks. */
static double enumerate_p(size_t m, size_t n, double u_seen)
{
    size_t big_n = m + n;
    double le = 0, ge = 0, all = 0;

    for (uint32_t mask = 0; mask < (1u << big_n); mask++) {
        size_t k = 0;
        double u = 0;

        for (size_t t = 0; t < big_n; t++) /* bit t set: rank t is an A */
            if (mask >> t & 1) {
                u += (double)(t - k); /* B's below this A */
                k++;
            }
        if (k != m)
            continue;
        all++;
        le += u <= u_seen;
        ge += u >= u_seen;
    }
    return fmin(1, 2 * fmin(le, ge) / all);
}

static void test_mw_exact_by_enumeration(void **state)
{
    const size_t sizes[][2] = {{1, 1}, {2, 3}, {4, 4}, {7, 6}, {10, 5}, {3, 13}, {1, 9}};
    cmp_rng r;

    (void)state;
    cmp_rng_seed(&r, 11);
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t m = sizes[s][0], n = sizes[s][1];

        for (int rep = 0; rep < 4; rep++) {
            double a[16], b[16];
            cmp_mw mw;

            /* Continuous values: no ties; B shifted up more each rep. */
            for (size_t i = 0; i < m; i++)
                a[i] = cmp_rng_uniform(&r);
            for (size_t i = 0; i < n; i++)
                b[i] = cmp_rng_uniform(&r) + 0.25 * rep;
            assert_int_equal(cmp_mann_whitney(a, m, b, n, &mw, NULL), 0);
            assert_int_equal(mw.exact, 1);
            CLOSE(mw.p, enumerate_p(m, n, mw.u), 1e-12);
        }
    }
}

/* By hand: combined 1a 2a 2a 2b 3a 3b 3b 4b 5b; ranks 1, 3 3 3, 6 6 6, 8, 9;
 * rank sum of A = 1 + 3 + 3 + 6 = 13, U = 13 - 4 * 5 / 2 = 3 (pairs: 0 +
 * 0.5 + 0.5 + 2). Ties: two groups of 3, sum(t^3 - t) = 48. Var U =
 * (20 / 12)(10 - 48 / 72) = 140 / 9; z = (3 - 10 + 0.5) / sqrt(140 / 9) =
 * -1.6480508, p = 2 Phi(-1.6480508) = 0.0993422 (R: wilcox.test(a, b,
 * exact = FALSE) gives W = 3, p-value = 0.09934). */
static void test_mw_ties(void **state)
{
    const double a[] = {2, 1, 3, 2};
    const double b[] = {3, 5, 2, 4, 3};
    cmp_mw mw;

    (void)state;
    assert_int_equal(cmp_mann_whitney(a, 4, b, 5, &mw, NULL), 0);
    assert_int_equal(mw.exact, 0);
    CLOSE(mw.u, 3, 0);
    CLOSE(mw.z, -1.6480507967206073, 1e-13);
    CLOSE(mw.p, 0.09934224785346527, 1e-12);
    CLOSE(mw.cles, 1 - 3.0 / 20, 1e-15);
}

/* a = 1, 3, ..., 119 and b = 2, 4, ..., 120 (60 each, too many for exact):
 * the i-th A (0-based) has i B's below it, U = 0 + ... + 59 = 1770, mean
 * 1800, Var = 3600 / 12 * 121 = 36300, z = (1770 - 1800 + 0.5) / sqrt(36300)
 * = -0.15483484, p = 0.87695152. */
static void test_mw_large_normal(void **state)
{
    double a[60], b[60];
    cmp_mw mw;

    (void)state;
    for (int i = 0; i < 60; i++) {
        a[i] = 2 * i + 1;
        b[i] = 2 * i + 2;
    }
    assert_int_equal(cmp_mann_whitney_sorted(a, 60, b, 60, &mw, NULL), 0);
    assert_int_equal(mw.exact, 0);
    CLOSE(mw.u, 1770, 0);
    CLOSE(mw.z, -0.154834844919036, 1e-13);
    CLOSE(mw.p, 0.8769515201868247, 1e-12);
}

static void test_mw_edges(void **state)
{
    double one_a[] = {1}, one_b[] = {2}, same[60], big_a[49], big_b[49];
    cmp_mw mw;

    (void)state;
    assert_int_equal(cmp_mann_whitney(one_a, 1, NULL, 0, &mw, NULL), 0);
    assert_true(isnan(mw.p));
    assert_int_equal(cmp_mann_whitney(NULL, 0, NULL, 0, &mw, NULL), 0);
    assert_true(isnan(mw.p));

    assert_int_equal(cmp_mann_whitney(one_a, 1, one_b, 1, &mw, NULL), 0);
    assert_int_equal(mw.exact, 1);
    CLOSE(mw.p, 1, 0); /* U = 0 or 1, each with probability 1/2 */
    CLOSE(mw.u, 0, 0);

    for (int i = 0; i < 60; i++)
        same[i] = 5;
    assert_int_equal(cmp_mann_whitney(same, 60, same, 60, &mw, NULL), 0);
    CLOSE(mw.p, 1, 0);
    CLOSE(mw.u, 1800, 0);
    CLOSE(mw.cles, 0.5, 0);

    /* Complete separation at 49 a side: one arrangement of C(98, 49) in
     * each tail, p = 2 / 25477612258980856902730428600 = 7.850029e-29. */
    for (int i = 0; i < 49; i++) {
        big_a[i] = i;
        big_b[i] = 100 + i;
    }
    assert_int_equal(cmp_mann_whitney_sorted(big_a, 49, big_b, 49, &mw, NULL), 0);
    assert_int_equal(mw.exact, 1);
    CLOSE(mw.p, 7.850029192963324e-29, 1e-9);
    CLOSE(mw.cles, 1, 0);
}

static void test_mw_errors(void **state)
{
    const double ok[] = {1, 2, 3};
    const double unsorted[] = {1, 3, 2};
    const double with_nan[] = {1, NAN, 3};
    cmp_mw mw;
    mrb_err err;

    (void)state;
    mrb_err_clear(&err);
    assert_int_equal(cmp_mann_whitney(ok, 3, with_nan, 3, &mw, &err), -1);
    assert_non_null(strstr(err.text, "candidate value 1 is NaN"));
    assert_int_equal(cmp_mann_whitney_sorted(unsorted, 3, ok, 3, &mw, &err), -1);
    assert_non_null(strstr(err.text, "not sorted"));
    assert_int_equal(cmp_mann_whitney_sorted(ok, 3, ok, 3, &mw, NULL), 0);
    assert_int_equal(cmp_mann_whitney(unsorted, 3, ok, 3, &mw, NULL), 0); /* sorts a copy */
    assert_int_equal(cmp_mann_whitney_sorted(ok, 3, with_nan, 3, &mw, NULL), -1);
}

/* ---- Holm ---------------------------------------------------------------- */

/* p = 0.01, 0.04, 0.03, 0.005 (m = 4); sorted 0.005, 0.01, 0.03, 0.04 times
 * 4, 3, 2, 1 gives 0.02, 0.03, 0.06, 0.04, then the running maximum 0.02,
 * 0.03, 0.06, 0.06 (R: p.adjust(c(.01, .04, .03, .005), "holm") =
 * 0.03 0.06 0.06 0.02). */
static void test_holm_hand(void **state)
{
    const double p[] = {0.01, 0.04, 0.03, 0.005};
    const double want[] = {0.03, 0.06, 0.06, 0.02};
    double adj[4];

    (void)state;
    assert_int_equal(cmp_holm(p, 4, adj, NULL), 0);
    for (int i = 0; i < 4; i++)
        CLOSE(adj[i], want[i], 1e-15);
}

static void test_holm_nan_cap_alias(void **state)
{
    double p[] = {0.5, NAN, 0.01, 0.3};
    double q[] = {0.7, 0.9};
    double ties[] = {0.02, 0.02, 0.02};
    double adj[4];
    mrb_err err;

    (void)state;
    /* NaN is left out: m = 3; 0.01 * 3 = 0.03, 0.3 * 2 = 0.6, max(0.5, 0.6). */
    assert_int_equal(cmp_holm(p, 4, adj, NULL), 0);
    CLOSE(adj[0], 0.6, 1e-15);
    assert_true(isnan(adj[1]));
    CLOSE(adj[2], 0.03, 1e-15);
    CLOSE(adj[3], 0.6, 1e-15);
    /* Capped at 1, computed in place. */
    assert_int_equal(cmp_holm(q, 2, q, NULL), 0);
    CLOSE(q[0], 1, 0);
    CLOSE(q[1], 1, 0);
    /* Equal p-values: 0.06, then max(0.06, 0.04), max(0.06, 0.02). */
    assert_int_equal(cmp_holm(ties, 3, ties, NULL), 0);
    for (int i = 0; i < 3; i++)
        CLOSE(ties[i], 0.06, 1e-15);
    assert_int_equal(cmp_holm(NULL, 0, NULL, NULL), 0);

    p[1] = 1.5;
    assert_int_equal(cmp_holm(p, 4, adj, &err), -1);
    assert_non_null(strstr(err.text, "p-value 1 is 1.5"));
}

/* ---- rates --------------------------------------------------------------- */

/* 10/100 against 20/100: expected cells 15 and 85, so the z test. Pooled
 * 0.15, se = sqrt(0.15 * 0.85 * 2 / 100) = 0.0504975, z = 0.1 / se =
 * 1.9802951, p = 0.0476704 (R: prop.test(c(20, 10), c(100, 100), correct =
 * FALSE): X-squared = 3.9216 = z^2, p-value = 0.04767). Ratio 2; Katz
 * se(log) = sqrt(1/20 - 1/100 + 1/10 - 1/100) = sqrt(0.13), CI 2 exp(+-1.96
 * sqrt(0.13)) = [0.98656, 4.05448]. */
static void test_rate_z(void **state)
{
    cmp_result r;

    (void)state;
    assert_int_equal(cmp_rate(10, 100, 20, 100, 0.95, &r, NULL), 0);
    CLOSE(r.base, 0.1, 1e-15);
    CLOSE(r.cand, 0.2, 1e-15);
    CLOSE(r.ratio, 2, 1e-15);
    CLOSE(r.p, 0.04767038065616144, 1e-12);
    CLOSE(r.lo, 0.9865632067317821, 1e-12);
    CLOSE(r.hi, 4.054479198804628, 1e-12);
    assert_int_equal(r.na, 100);
    assert_int_equal(r.nb, 100);
    CLOSE(r.level, 0.95, 0);
}

/* 1/10 against 7/10: expected events 4 < 5, so Fisher. Given 8 events, the
 * count in row 1 is hypergeometric, P(x) = C(8, x) C(12, 10 - x) / C(20, 10),
 * symmetric about 4; P(1) = 8 * 220 / 184756, and x = 0, 1, 7, 8 are no more
 * likely: p = 2 (66 + 1760) / 184756 = 83 / 4199 = 0.0197666 (R:
 * fisher.test(matrix(c(1, 7, 9, 3), 2)) p-value = 0.01977). */
static void test_rate_fisher(void **state)
{
    cmp_result r;

    (void)state;
    assert_int_equal(cmp_rate(1, 10, 7, 10, 0.95, &r, NULL), 0);
    CLOSE(r.p, 83.0 / 4199, 1e-10);
    CLOSE(r.ratio, 7, 1e-15);
    /* Katz: se = sqrt(1 - 1/10 + 1/7 - 1/10). */
    CLOSE(r.lo, 1.0436965934837632, 1e-12);
    CLOSE(r.hi, 46.948510042025255, 1e-12);
    /* The same table the other way round: the same p, the inverse ratio. */
    assert_int_equal(cmp_rate(7, 10, 1, 10, 0.95, &r, NULL), 0);
    CLOSE(r.p, 83.0 / 4199, 1e-10);
    CLOSE(r.ratio, 1.0 / 7, 1e-15);
}

/* 0/50 against 5/50: ratio +inf. Fisher: p = P(0) + P(5) = 2 C(50, 5) /
 * C(100, 5) = 0.0562845 (x = 1..4 are more likely). Katz with 0.5 added to
 * each cell: r = (5.5 / 51) / (0.5 / 51) = 11, se = sqrt(1/0.5 - 1/51 +
 * 1/5.5 - 1/51), CI [0.62436, 193.798]. */
static void test_rate_zero_counts(void **state)
{
    cmp_result r;
    mrb_err err;

    (void)state;
    assert_int_equal(cmp_rate(0, 50, 5, 50, 0.95, &r, NULL), 0);
    assert_true(isinf(r.ratio) && r.ratio > 0);
    CLOSE(r.p, 0.05628449442882433, 1e-10);
    CLOSE(r.lo, 0.6243602581582668, 1e-12);
    CLOSE(r.hi, 193.798369481307, 1e-12);

    assert_int_equal(cmp_rate(0, 1000, 0, 2000, 0.95, &r, NULL), 0); /* no events at all */
    CLOSE(r.ratio, 1, 0);
    CLOSE(r.p, 1, 1e-12);
    assert_true(r.lo == 0 && isinf(r.hi));

    assert_int_equal(cmp_rate(1000, 1000, 2000, 2000, 0.95, &r, NULL), 0); /* all events */
    CLOSE(r.ratio, 1, 0);
    CLOSE(r.p, 1, 1e-12);

    assert_int_equal(cmp_rate(3, 10, 0, 0, 0.95, &r, NULL), 0);
    assert_true(isnan(r.cand) && isnan(r.ratio) && isnan(r.p));
    CLOSE(r.base, 0.3, 1e-15);

    assert_int_equal(cmp_rate(11, 10, 0, 5, 0.95, &r, &err), -1);
    assert_non_null(strstr(err.text, "baseline count 11 exceeds its total 10"));
    assert_int_equal(cmp_rate(1, 10, 0, 5, 1.0, &r, &err), -1);
}

/* Large counts agree with the z test and stay finite; a cold-start rate
 * from 5 % to 6 % over 100 000 invocations a side is plainly significant. */
static void test_rate_large(void **state)
{
    cmp_result r;
    double pool = 11000.0 / 200000, se = sqrt(pool * (1 - pool) * 2 / 100000);

    (void)state;
    assert_int_equal(cmp_rate(5000, 100000, 6000, 100000, 0.95, &r, NULL), 0);
    CLOSE(r.ratio, 1.2, 1e-14);
    CLOSE(r.p, erfc(0.01 / se / sqrt(2)), 1e-12);
    assert_true(r.p < 1e-20);
    assert_true(r.lo > 1.15 && r.hi < 1.25);
}

/* ---- means --------------------------------------------------------------- */

/* a = 1..4 (mean 2.5, variance 5/3), b = 2, 4, 6, 8 (mean 5, variance 20/3):
 * ratio 2, se(log) = sqrt(5/3 / (4 * 6.25) + 20/3 / (4 * 25)) = sqrt(2/15)
 * = 0.3651484, z = ln 2 / se = 1.898263, p = 0.0576616, CI 2 exp(+-1.96 se)
 * = [0.97772, 4.09114]. */
static void test_mean_hand(void **state)
{
    const double a[] = {1, 2, 3, 4};
    const double b[] = {8, 2, 6, 4};
    cmp_result r;

    (void)state;
    assert_int_equal(cmp_mean(a, 4, b, 4, 0.95, &r, NULL), 0);
    CLOSE(r.base, 2.5, 1e-15);
    CLOSE(r.cand, 5, 1e-15);
    CLOSE(r.ratio, 2, 1e-15);
    CLOSE(r.p, 0.05766161233211345, 1e-12);
    CLOSE(r.lo, 0.9777214387944211, 1e-12);
    CLOSE(r.hi, 4.091144820279483, 1e-12);
}

static void test_mean_edges(void **state)
{
    const double c1[] = {3, 3, 3}, c2[] = {4, 4, 4}, zero[] = {0, 0}, neg[] = {1, -1};
    cmp_result r;
    mrb_err err;

    (void)state;
    assert_int_equal(cmp_mean(c1, 3, c1, 3, 0.95, &r, NULL), 0);
    CLOSE(r.p, 1, 0);
    CLOSE(r.lo, 1, 0);
    assert_int_equal(cmp_mean(c1, 3, c2, 3, 0.95, &r, NULL), 0);
    CLOSE(r.p, 0, 0);
    CLOSE(r.ratio, 4.0 / 3, 1e-15);
    CLOSE(r.hi, 4.0 / 3, 1e-15);
    assert_int_equal(cmp_mean(c1, 1, c2, 3, 0.95, &r, NULL), 0); /* one value: no variance */
    assert_true(isnan(r.p) && isnan(r.lo));
    CLOSE(r.ratio, 4.0 / 3, 1e-15);
    assert_int_equal(cmp_mean(zero, 2, c2, 3, 0.95, &r, NULL), 0); /* no log scale */
    assert_true(isinf(r.ratio) && isnan(r.p));
    assert_int_equal(cmp_mean(NULL, 0, c2, 3, 0.95, &r, NULL), 0);
    assert_true(isnan(r.base) && isnan(r.ratio) && isnan(r.p));
    assert_int_equal(cmp_mean(neg, 2, c2, 3, 0.95, &r, &err), -1);
    assert_non_null(strstr(err.text, "baseline value 1 is negative"));
}

/* ---- the bootstrap ------------------------------------------------------- */

/* The median of a resample of 5 values is its 3rd order statistic (h = 2).
 * It is at most x[j] exactly when at least 3 of the 5 draws pick one of the
 * j + 1 smallest: P = sum_{k=3..5} C(5, k) q^k (1 - q)^(5 - k), q = (j + 1)/5. */
static void test_resample_median_binomial(void **state)
{
    enum { DRAWS = 100000 };
    const double x[] = {10, 20, 30, 40, 50};
    double freq[5] = {0};
    cmp_rng r;

    (void)state;
    cmp_rng_seed(&r, 5);
    for (int i = 0; i < DRAWS; i++) {
        double v = cmp_resample_quantile(x, 5, 50, &r);
        int j = (int)(v / 10) - 1;

        assert_true(j >= 0 && j < 5 && v == x[j]);
        freq[j] += 1.0 / DRAWS;
    }
    double cum = 0;
    for (int j = 0; j < 5; j++) {
        double q = (j + 1) / 5.0, want = 0;

        for (int k = 3; k <= 5; k++)
            want += (k == 3 ? 10 : k == 4 ? 5 : 1) * pow(q, k) * pow(1 - q, 5 - k);
        cum += freq[j];
        NEAR(cum, want, 0.005); /* 5 standard errors at most */
    }
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The law of the R-7 percentile of a resample, from all n^n equally likely
 * index tuples, against 200 000 draws of cmp_resample_quantile: the largest
 * gap between the two distribution functions. The values are powers of two
 * so that every pair of order statistics gives its own interpolated value;
 * every draw must be one of the values the enumeration can produce. */
static double resample_gap(size_t n, double p, uint64_t seed)
{
    enum { DRAWS = 200000 };
    double x[6], buf[6];
    size_t tuples = 1, idx[6] = {0}, k = 0;
    double *all, *value, *weight, *drawn, gap = 0, cum_exact = 0, cum_drawn = 0;
    cmp_rng r;

    assert_true(n <= 6);
    for (size_t i = 0; i < n; i++) {
        x[i] = ldexp(1, (int)i);
        tuples *= n;
    }
    all = malloc(tuples * sizeof *all);
    value = malloc(tuples * sizeof *value);
    weight = calloc(tuples, sizeof *weight);
    drawn = calloc(tuples, sizeof *drawn);
    assert_true(all && value && weight && drawn);
    for (size_t t = 0; t < tuples; t++) {
        for (size_t i = 0; i < n; i++)
            buf[i] = x[idx[i]];
        qsort(buf, n, sizeof *buf, cmp_dbl);
        all[t] = stats_percentile_sorted(buf, n, p);
        for (size_t i = 0; i < n && ++idx[i] == n; i++) /* next tuple */
            idx[i] = 0;
    }
    /* The support, sorted and unique, in value[0..k), and its law. */
    memcpy(value, all, tuples * sizeof *value);
    qsort(value, tuples, sizeof *value, cmp_dbl);
    for (size_t t = 0; t < tuples; t++)
        if (k == 0 || value[k - 1] != value[t])
            value[k++] = value[t];
    for (size_t t = 0; t < tuples; t++) {
        double *hit = bsearch(&all[t], value, k, sizeof *value, cmp_dbl);

        weight[hit - value] += 1.0 / (double)tuples;
    }
    cmp_rng_seed(&r, seed);
    for (size_t i = 0; i < DRAWS; i++) {
        double v = cmp_resample_quantile(x, n, p, &r);
        double *hit = bsearch(&v, value, k, sizeof *value, cmp_dbl);

        assert_non_null(hit); /* a value no resample can give */
        drawn[hit - value] += 1.0 / DRAWS;
    }
    for (size_t i = 0; i < k; i++) {
        cum_exact += weight[i];
        cum_drawn += drawn[i];
        gap = fmax(gap, fabs(cum_exact - cum_drawn));
    }
    free(all);
    free(value);
    free(weight);
    free(drawn);
    return gap;
}

static void test_resample_enumerated(void **state)
{
    (void)state;
    /* 1.36 / sqrt(200000) = 0.003 is the 95 % Kolmogorov bound. */
    assert_true(resample_gap(4, 50, 1) < 0.004); /* h = 1.5: mean of ranks 1 and 2 */
    assert_true(resample_gap(6, 90, 2) < 0.004); /* h = 4.5: ranks 4 and 5 */
    assert_true(resample_gap(6, 33, 3) < 0.004); /* h = 1.65 */
    assert_true(resample_gap(5, 100, 4) < 0.004); /* the maximum */
    assert_true(resample_gap(5, 0, 5) < 0.004);   /* the minimum */
}

/* Lognormal durations: exp(mu + sigma Z). */
static void lognormal(double *x, size_t n, double mu, double sigma, double scale, cmp_rng *r)
{
    for (size_t i = 0; i < n; i++)
        x[i] = scale * exp(mu + sigma * cmp_rng_normal(r));
    stats_sort(x, n);
}

/* A 20 % multiplicative shift of a lognormal moves every quantile by 1.2:
 * the CI is around 1.2, and over 100 pairs of samples contains it about 95
 * times (the percentile bootstrap of a median is slightly generous or
 * mean at this n; fewer than 88 would be a broken interval). */
static void test_quantile_lognormal_shift(void **state)
{
    enum { N = 2000, TRIALS = 100 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    int covered50 = 0, covered90 = 0;
    cmp_result r;
    cmp_rng g;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    cmp_rng_seed(&g, 2020);
    lognormal(a, N, 4, 0.5, 1, &g);
    lognormal(b, N, 4, 0.5, 1.2, &g);
    assert_int_equal(cmp_quantile(a, N, b, N, 50, 2000, 1, 0.95, &r, NULL), 0);
    assert_true(r.lo < 1.2 && r.hi > 1.2);
    assert_true(r.lo > 1.1 && r.hi < 1.3);
    CLOSE(r.ratio, r.cand / r.base, 1e-15);
    CLOSE(r.base, stats_percentile_sorted(a, N, 50), 0);
    assert_true(r.p < 0.001);
    assert_int_equal(r.na, N);

    for (int t = 0; t < TRIALS; t++) {
        lognormal(a, N, 4, 0.5, 1, &g);
        lognormal(b, N, 4, 0.5, 1.2, &g);
        assert_int_equal(cmp_quantile(a, N, b, N, 50, 1000, (uint64_t)t, 0.95, &r, NULL), 0);
        covered50 += r.lo <= 1.2 && 1.2 <= r.hi;
        assert_int_equal(cmp_quantile(a, N, b, N, 90, 1000, (uint64_t)t, 0.95, &r, NULL), 0);
        covered90 += r.lo <= 1.2 && 1.2 <= r.hi;
    }
    assert_true(covered50 >= 88);
    assert_true(covered90 >= 88);
    free(a);
    free(b);
}

/* Only the slowest 2 % get 50 % slower: p99 regresses, the median does not
 * move, and Mann-Whitney (a test of the bulk) sees nothing. This is why
 * quantile verdicts use the bootstrap of the quantile itself. */
static void test_quantile_tail_only(void **state)
{
    enum { N = 5000 };
    double *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    double q98 = exp(4 + 0.5 * 2.053748910631823); /* Phi^-1(0.98) */
    cmp_result r99, r50;
    cmp_mw mw;
    cmp_rng g;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    cmp_rng_seed(&g, 98);
    lognormal(a, N, 4, 0.5, 1, &g);
    lognormal(b, N, 4, 0.5, 1, &g);
    for (size_t i = 0; i < N; i++)
        if (b[i] > q98)
            b[i] *= 1.5;
    assert_int_equal(cmp_quantile(a, N, b, N, 99, CMP_BOOT_ITERS, 9, 0.95, &r99, NULL), 0);
    assert_int_equal(cmp_quantile(a, N, b, N, 50, CMP_BOOT_ITERS, 9, 0.95, &r50, NULL), 0);
    assert_int_equal(cmp_mann_whitney_sorted(a, N, b, N, &mw, NULL), 0);
    assert_true(r99.ratio > 1.3 && r99.lo > 1.2 && r99.p < 0.001);
    assert_true(r50.lo < 1 && r50.hi > 1 && r50.p > 0.05);
    assert_true(mw.p > 0.05);
    free(a);
    free(b);
}

/* cmp_quantile rebuilt from the public pieces: the generator seeded with
 * the same seed, one replicate of A then one of B, the ratios sorted, R-7
 * percentiles at (1 -+ level) / 2 and the counted p. It must agree to the
 * bit (the implementation selects the two ranks instead of sorting). */
static void check_against_reference(const double *a, size_t na, const double *b, size_t nb,
                                    double p, unsigned iters, double level)
{
    double *ratio = malloc(iters * sizeof *ratio);
    double below = 0, above = 0;
    cmp_result r;
    cmp_rng g;

    assert_non_null(ratio);
    cmp_rng_seed(&g, 31337);
    for (unsigned k = 0; k < iters; k++) {
        double qa = cmp_resample_quantile(a, na, p, &g);
        double qb = cmp_resample_quantile(b, nb, p, &g);

        ratio[k] = qa == 0 ? (qb == 0 ? 1 : INFINITY) : qb / qa;
        below += ratio[k] < 1 ? 1 : ratio[k] == 1 ? 0.5 : 0;
        above += ratio[k] > 1 ? 1 : ratio[k] == 1 ? 0.5 : 0;
    }
    stats_sort(ratio, iters);
    assert_int_equal(cmp_quantile(a, na, b, nb, p, iters, 31337, level, &r, NULL), 0);
    assert_true(r.lo == stats_percentile_sorted(ratio, iters, 100 * (1 - level) / 2));
    assert_true(r.hi == stats_percentile_sorted(ratio, iters, 100 * (1 + level) / 2));
    assert_true(r.p == fmin(1, 2 * (fmin(below, above) + 1) / (iters + 1.0)));
    free(ratio);
}

static void test_quantile_matches_reference(void **state)
{
    double a[300], b[250];
    cmp_rng g;

    (void)state;
    cmp_rng_seed(&g, 4);
    for (size_t i = 0; i < 300; i++)
        a[i] = floor(100 * exp(0.3 * cmp_rng_normal(&g))); /* with ties */
    for (size_t i = 0; i < 250; i++)
        b[i] = floor(103 * exp(0.3 * cmp_rng_normal(&g)));
    stats_sort(a, 300);
    stats_sort(b, 250);
    check_against_reference(a, 300, b, 250, 50, 1000, 0.95);
    check_against_reference(a, 300, b, 250, 90, 999, 0.9);
    check_against_reference(a, 300, b, 250, 99, 4097, 0.95);
    check_against_reference(a, 300, b, 250, 100, 10, 0.5);
    check_against_reference(b, 250, a, 300, 37.5, 2, 0.95);
}

/* Max memory used is whole megabytes: runs of equal values everywhere. */
static void test_quantile_ties(void **state)
{
    double same[100], steps[100], up[100];
    cmp_result r;

    (void)state;
    for (int i = 0; i < 100; i++) {
        same[i] = 128;
        steps[i] = 60 + i / 25;  /* 60 x25, 61 x25, 62 x25, 63 x25 */
        up[i] = 61 + i / 25;
    }
    assert_int_equal(cmp_quantile(same, 100, same, 100, 99, 1000, 1, 0.95, &r, NULL), 0);
    CLOSE(r.ratio, 1, 0);
    CLOSE(r.lo, 1, 0);
    CLOSE(r.hi, 1, 0);
    CLOSE(r.p, 1, 0);
    assert_int_equal(cmp_quantile(steps, 100, steps, 100, 50, 1000, 1, 0.95, &r, NULL), 0);
    CLOSE(r.ratio, 1, 0);
    assert_true(r.lo < 1 && r.hi > 1 && r.p > 0.5);
    /* Medians: h = 49.5 between 61 and 62, then between 62 and 63. */
    assert_int_equal(cmp_quantile(steps, 100, up, 100, 50, 1000, 1, 0.95, &r, NULL), 0);
    CLOSE(r.ratio, 62.5 / 61.5, 1e-15);
}

static void test_quantile_zero_and_empty(void **state)
{
    const double zeros[] = {0, 0, 0}, pos[] = {1, 2, 3};
    cmp_result r;

    (void)state;
    assert_int_equal(cmp_quantile(zeros, 3, pos, 3, 50, 100, 1, 0.95, &r, NULL), 0);
    assert_true(isinf(r.ratio) && isinf(r.hi));
    assert_int_equal(cmp_quantile(zeros, 3, zeros, 3, 50, 100, 1, 0.95, &r, NULL), 0);
    CLOSE(r.ratio, 1, 0);
    CLOSE(r.p, 1, 0);
    assert_int_equal(cmp_quantile(pos, 3, NULL, 0, 50, 100, 1, 0.95, &r, NULL), 0);
    CLOSE(r.base, 2, 0);
    assert_true(isnan(r.cand) && isnan(r.ratio) && isnan(r.lo) && isnan(r.p));
    assert_int_equal(r.nb, 0);
}

static void test_quantile_deterministic_and_errors(void **state)
{
    const double a[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const double b[] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    const double unsorted[] = {2, 1}, neg[] = {-1, 2}, nan2[] = {1, NAN};
    cmp_result r1, r2, r3;
    mrb_err err;

    (void)state;
    assert_int_equal(cmp_quantile(a, 10, b, 10, 75, 500, 42, 0.9, &r1, NULL), 0);
    assert_int_equal(cmp_quantile(a, 10, b, 10, 75, 500, 42, 0.9, &r2, NULL), 0);
    assert_int_equal(cmp_quantile(a, 10, b, 10, 75, 500, 43, 0.9, &r3, NULL), 0);
    assert_memory_equal(&r1, &r2, sizeof r1);
    assert_true(r1.p != r3.p || r1.lo != r3.lo || r1.hi != r3.hi);
    CLOSE(r1.level, 0.9, 0);

    assert_int_equal(cmp_quantile(unsorted, 2, b, 10, 50, 10, 1, 0.95, &r1, &err), -1);
    assert_non_null(strstr(err.text, "baseline values are not sorted"));
    assert_int_equal(cmp_quantile(a, 10, neg, 2, 50, 10, 1, 0.95, &r1, &err), -1);
    assert_non_null(strstr(err.text, "negative"));
    assert_int_equal(cmp_quantile(a, 10, nan2, 2, 50, 10, 1, 0.95, &r1, &err), -1);
    assert_int_equal(cmp_quantile(a, 10, b, 10, 50, 0, 1, 0.95, &r1, &err), -1);
    assert_int_equal(cmp_quantile(a, 10, b, 10, 101, 10, 1, 0.95, &r1, &err), -1);
    assert_int_equal(cmp_quantile(a, 10, b, 10, NAN, 10, 1, 0.95, &r1, &err), -1);
    assert_int_equal(cmp_quantile(a, 10, b, 10, 50, 10, 1, 0, &r1, &err), -1);
    assert_non_null(strstr(err.text, "confidence level"));
}

/* ---- verdicts: rules ----------------------------------------------------- */

static cmp_result made(double ratio, double lo, double hi, double p, size_t n)
{
    cmp_result r = {1, ratio, ratio, lo, hi, p, 0.95, n, n};

    return r;
}

static void test_min_n(void **state)
{
    (void)state;
    assert_int_equal(cmp_min_n_quantile(50, CMP_TAIL_POINTS), 20);
    assert_int_equal(cmp_min_n_quantile(90, CMP_TAIL_POINTS), 100);
    assert_int_equal(cmp_min_n_quantile(99, CMP_TAIL_POINTS), 1000);
    assert_int_equal(cmp_min_n_quantile(99.9, CMP_TAIL_POINTS), 10000);
    assert_int_equal(cmp_min_n_quantile(10, CMP_TAIL_POINTS), 100);
    assert_int_equal(cmp_min_n_quantile(95, 20), 400);
    assert_true(cmp_min_n_quantile(100, 10) == SIZE_MAX);
    assert_true(cmp_min_n_quantile(0, 10) == SIZE_MAX);
}

static void test_judge_rules(void **state)
{
    cmp_rule rule = cmp_rule_default(20);
    cmp_result r;
    size_t need = 99;

    (void)state;
    CLOSE(rule.alpha, 0.05, 0);
    CLOSE(rule.threshold, 0.05, 0);
    assert_int_equal(rule.family, 1);
    assert_int_equal(rule.higher_is_better, 0);

    /* Significant and beyond 5 %: regressed / improved. */
    r = made(1.10, 1.07, 1.13, 1e-6, 1000);
    assert_int_equal(cmp_judge(&r, 1e-5, &rule, &need), CMP_REGRESSED);
    assert_int_equal(need, 0);
    r = made(0.90, 0.87, 0.93, 1e-6, 1000);
    assert_int_equal(cmp_judge(&r, 1e-5, &rule, &need), CMP_IMPROVED);
    /* Significant but within the threshold: a real 3 % is no change. */
    r = made(1.03, 1.02, 1.04, 1e-9, 100000);
    assert_int_equal(cmp_judge(&r, 1e-8, &rule, &need), CMP_NO_CHANGE);
    /* Exactly at the threshold is within it. */
    r = made(1.05, 1.04, 1.06, 1e-9, 100000);
    assert_int_equal(cmp_judge(&r, 1e-8, &rule, &need), CMP_NO_CHANGE);
    /* Not significant, within: no change. */
    r = made(0.98, 0.9, 1.07, 0.6, 200);
    assert_int_equal(cmp_judge(&r, 1, &rule, &need), CMP_NO_CHANGE);
    /* Beyond the threshold, not significant after Holm: inconclusive. */
    r = made(1.08, 1.08 * exp(-Z975 * 0.05), 1.08 * exp(Z975 * 0.05), 0.01, 100);
    assert_int_equal(cmp_judge(&r, 0.2, &rule, &need), CMP_INCONCLUSIVE);
    assert_true(need > 100);
    /* A significant p but a CI that reaches 1 (rate tests may disagree
     * slightly): the printed interval must not contradict the verdict. */
    r = made(1.2, 0.99, 1.4, 0.01, 500);
    assert_int_equal(cmp_judge(&r, 0.04, &rule, &need), CMP_INCONCLUSIVE);
    /* Below the minimum n, whatever the evidence. */
    r = made(10, 5, 20, 1e-5, 8);
    assert_int_equal(cmp_judge(&r, 1e-4, &rule, &need), CMP_INCONCLUSIVE);
    assert_int_equal(need, 20);
    r.nb = 20;
    r.na = 0;
    assert_int_equal(cmp_judge(&r, 1e-4, &rule, &need), CMP_INCONCLUSIVE);
    assert_int_equal(need, 20);
    /* No p (e.g. a mean of zero): inconclusive, no estimate. */
    r = made(2, NAN, NAN, NAN, 100);
    assert_int_equal(cmp_judge(&r, NAN, &rule, &need), CMP_INCONCLUSIVE);
    assert_int_equal(need, 0);
    /* An empty side's NaN ratio. */
    r = made(NAN, NAN, NAN, NAN, 100);
    assert_int_equal(cmp_judge(&r, NAN, &rule, NULL), CMP_INCONCLUSIVE);
    /* A new error where there was none: +inf, significant. */
    r = made(INFINITY, 3, INFINITY, 1e-6, 1000);
    assert_int_equal(cmp_judge(&r, 1e-5, &rule, &need), CMP_REGRESSED);
    /* Higher is better flips the names. */
    rule.higher_is_better = 1;
    r = made(1.10, 1.07, 1.13, 1e-6, 1000);
    assert_int_equal(cmp_judge(&r, 1e-5, &rule, NULL), CMP_IMPROVED);
    r = made(0.90, 0.87, 0.93, 1e-6, 1000);
    assert_int_equal(cmp_judge(&r, 1e-5, &rule, NULL), CMP_REGRESSED);

    assert_string_equal(cmp_verdict_name(CMP_REGRESSED), "regressed");
    assert_string_equal(cmp_verdict_name(CMP_IMPROVED), "improved");
    assert_string_equal(cmp_verdict_name(CMP_NO_CHANGE), "no change");
    assert_string_equal(cmp_verdict_name(CMP_INCONCLUSIVE), "inconclusive");
    assert_string_equal(cmp_verdict_name((cmp_verdict)42), "?");
}

/* An 8 % change seen with se(log ratio) = 0.05 at n = 100 a side: to make
 * it significant with 80 % power needs n = 100 ((z_a + z_0.8) 0.05 / ln 1.08)^2,
 * z_a = Phi^-1(1 - 0.05 / 2) = 1.959964: 331.29, so 332; in a family of 36,
 * z_a = Phi^-1(1 - 0.05 / 72) = 3.196950: 688.42, so 689. */
static void test_needed(void **state)
{
    cmp_rule rule = cmp_rule_default(20);
    cmp_result r = made(1.08, 1.08 * exp(-Z975 * 0.05), 1.08 * exp(Z975 * 0.05), 0.2, 100);
    size_t need;

    (void)state;
    assert_int_equal(cmp_judge(&r, 0.2, &rule, &need), CMP_INCONCLUSIVE);
    assert_int_equal(need, 332);
    rule.family = 36;
    assert_int_equal(cmp_judge(&r, 0.2, &rule, &need), CMP_INCONCLUSIVE);
    assert_int_equal(need, 689);
    /* Unequal sides: the harmonic mean 2 / (1/50 + 1/150) = 75 scales it. */
    r.na = 50;
    r.nb = 150;
    rule.family = 1;
    assert_int_equal(cmp_judge(&r, 0.2, &rule, &need), CMP_INCONCLUSIVE);
    assert_int_equal(need, 249); /* 331.288 * 0.75 = 248.47 */
    /* An unbounded CI gives no estimate. */
    r.hi = INFINITY;
    assert_int_equal(cmp_judge(&r, 0.2, &rule, &need), CMP_INCONCLUSIVE);
    assert_int_equal(need, 0);
}

/* ---- verdicts: whole nights --------------------------------------------- */

enum {
    RUNTIMES = 4,
    METRICS = 9, /* warm p50 p90 p99, init p50 p99, cold rate, error rate, memory p99, cost */
    FAMILY = RUNTIMES * METRICS,
    NWARM = 2000,
    NALL = NWARM + NWARM / 10, /* invocations; about 5 % of them cold */
    BOOT = 2000,               /* 2 / (BOOT + 1) < 0.05 / FAMILY: Holm can reject */
    MEM_MAX = 200              /* memory drawn is clamped to 1..MEM_MAX MB */
};

/* One runtime's night: what the lead's compare command reads per runtime. */
typedef struct night {
    double warm[NWARM];  /* warm durations, ms, sorted */
    double init[NALL];   /* init durations of the cold starts, ms, sorted */
    double mem[NALL];    /* max memory used, whole MB, sorted */
    double cost[NALL];   /* USD per 1M requests of each invocation */
    size_t ninit;        /* cold starts */
    uint64_t errors;     /* invocations that failed */
} night;

/* Runtime rt's night, warm durations times warm_scale. Lognormal warm
 * durations (median e^(3 + rt/2) ms, sigma 0.4 + 0.1 rt), cold starts with
 * probability 0.05 and lognormal inits, errors with probability 0.01,
 * memory around 60 + 10 rt MB, cost from the billed (ceiled) duration at
 * 128 MB plus the request price. */
static void draw_night(night *n, int rt, double warm_scale, cmp_rng *r)
{
    double mu = 3 + 0.5 * rt, sigma = 0.4 + 0.1 * rt;

    n->ninit = 0;
    n->errors = 0;
    for (size_t i = 0; i < NWARM; i++)
        n->warm[i] = warm_scale * exp(mu + sigma * cmp_rng_normal(r));
    size_t mem_count[MEM_MAX + 1] = {0}, m_at = 0;

    for (size_t i = 0; i < NALL; i++) {
        double d = i < NWARM ? n->warm[i] : exp(mu + sigma * cmp_rng_normal(r));
        double m = floor(60 + 10 * rt + 3 * cmp_rng_normal(r));

        if (cmp_rng_uniform(r) < 0.05)
            n->init[n->ninit++] = exp(5.5 + 0.3 * cmp_rng_normal(r));
        if (cmp_rng_uniform(r) < 0.01)
            n->errors++;
        mem_count[m < 1 ? 1 : m > MEM_MAX ? MEM_MAX : (size_t)m]++;
        n->cost[i] = 0.2 + ceil(d) * 0.125 * 0.0166667;
    }
    stats_sort(n->warm, NWARM);
    stats_sort(n->init, n->ninit);
    for (size_t mb = 0; mb <= MEM_MAX; mb++) /* whole megabytes: a counting sort */
        for (size_t c = 0; c < mem_count[mb]; c++)
            n->mem[m_at++] = (double)mb;
}

typedef struct night_verdicts {
    cmp_verdict v[FAMILY];  /* with the 5 % threshold */
    cmp_verdict v0[FAMILY]; /* with no threshold: Holm alone */
} night_verdicts;

/* Compares two nights of RUNTIMES runtimes, as the compare command would:
 * every metric's result, a NaN p for those below their minimum n (left out
 * of the family), Holm over the rest, then the verdicts. Runtime 0's warm
 * durations of the candidate night are scaled by shift. */
static void compare_nights(cmp_rng *r, double shift, uint64_t seed, night *a, night *b,
                           night_verdicts *out)
{
    cmp_result res[FAMILY];
    double p[FAMILY], adj[FAMILY];
    size_t n_min[FAMILY];
    const double warm_p[] = {50, 90, 99}, init_p[] = {50, 99};

    for (int rt = 0; rt < RUNTIMES; rt++) {
        cmp_result *o = res + rt * METRICS;
        size_t *nm = n_min + rt * METRICS;

        draw_night(a, rt, 1, r);
        draw_night(b, rt, rt == 0 ? shift : 1, r);
        for (int k = 0; k < 3; k++) {
            nm[k] = cmp_min_n_quantile(warm_p[k], CMP_TAIL_POINTS);
            assert_int_equal(cmp_quantile(a->warm, NWARM, b->warm, NWARM, warm_p[k], BOOT,
                                          seed++, CMP_LEVEL, &o[k], NULL), 0);
        }
        for (int k = 0; k < 2; k++) {
            nm[3 + k] = cmp_min_n_quantile(init_p[k], CMP_TAIL_POINTS);
            if (a->ninit < nm[3 + k] || b->ninit < nm[3 + k]) { /* no bootstrap needed */
                o[3 + k] = (cmp_result){NAN, NAN, NAN, NAN, NAN, NAN, CMP_LEVEL, a->ninit,
                                        b->ninit};
                continue;
            }
            assert_int_equal(cmp_quantile(a->init, a->ninit, b->init, b->ninit, init_p[k],
                                          BOOT, seed++, CMP_LEVEL, &o[3 + k], NULL), 0);
        }
        nm[5] = CMP_MIN_N_RATE;
        assert_int_equal(cmp_rate(a->ninit, NALL, b->ninit, NALL, CMP_LEVEL, &o[5], NULL), 0);
        nm[6] = CMP_MIN_N_RATE;
        assert_int_equal(cmp_rate(a->errors, NALL, b->errors, NALL, CMP_LEVEL, &o[6], NULL), 0);
        nm[7] = cmp_min_n_quantile(99, CMP_TAIL_POINTS);
        assert_int_equal(cmp_quantile(a->mem, NALL, b->mem, NALL, 99, BOOT, seed++, CMP_LEVEL,
                                      &o[7], NULL), 0);
        nm[8] = CMP_MIN_N_MEAN;
        assert_int_equal(cmp_mean(a->cost, NALL, b->cost, NALL, CMP_LEVEL, &o[8], NULL), 0);
    }
    for (int i = 0; i < FAMILY; i++)
        p[i] = res[i].na < n_min[i] || res[i].nb < n_min[i] ? NAN : res[i].p;
    assert_int_equal(cmp_holm(p, FAMILY, adj, NULL), 0);
    for (int i = 0; i < FAMILY; i++) {
        cmp_rule rule = cmp_rule_default(n_min[i]);

        rule.family = FAMILY;
        out->v[i] = cmp_judge(&res[i], adj[i], &rule, NULL);
        rule.threshold = 0;
        out->v0[i] = cmp_judge(&res[i], adj[i], &rule, NULL);
    }
}

/* The issue: a 20 % shift in warm p50 at n = 2000 a side is regressed (in
 * every one of 10 nights, inside the full family of 36 with Holm), and so
 * is p90. (p99 has 20 values beyond it: with BOOT = 2000 its smallest p,
 * 2 / 2001, times Holm's 32 is already 0.032, so a replicate or two on the
 * wrong side leaves it inconclusive some nights; CMP_BOOT_ITERS avoids
 * that.) The cost moves by ~4 % only (the request price dominates ~22 ms
 * at 128 MB): no change. A 20 % speed-up is improved. */
static void test_verdict_shift_20(void **state)
{
    night *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    night_verdicts v;
    cmp_rng r;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    cmp_rng_seed(&r, 20);
    for (int t = 0; t < 10; t++) {
        compare_nights(&r, 1.2, 1000 * (uint64_t)t, a, b, &v);
        assert_int_equal(v.v[0], CMP_REGRESSED); /* warm p50 of runtime 0 */
        assert_int_equal(v.v[1], CMP_REGRESSED);
        assert_true(v.v[2] == CMP_REGRESSED || v.v[2] == CMP_INCONCLUSIVE);
        assert_int_equal(v.v[8], CMP_NO_CHANGE);
        assert_int_equal(v.v[4], CMP_INCONCLUSIVE); /* init p99 of ~110 cold starts */
    }
    compare_nights(&r, 1 / 1.2, 77, a, b, &v);
    assert_int_equal(v.v[0], CMP_IMPROVED);
    free(a);
    free(b);
}

/* The issue: a 2 % shift is no change. With n = 2000 and sigma = 0.4 the
 * median's ratio has se ~ 1.6 %, so a night may see more than 5 % now and
 * then (inconclusive: a hint it cannot confirm), but never a regression;
 * in the 10 nights here it is no change in at least 8. */
static void test_verdict_shift_2(void **state)
{
    night *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    night_verdicts v;
    int no_change = 0;
    cmp_rng r;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    cmp_rng_seed(&r, 2);
    for (int t = 0; t < 10; t++) {
        compare_nights(&r, 1.02, 1000 * (uint64_t)t, a, b, &v);
        assert_true(v.v[0] == CMP_NO_CHANGE || v.v[0] == CMP_INCONCLUSIVE);
        no_change += v.v[0] == CMP_NO_CHANGE;
        if (t == 0)
            assert_int_equal(v.v[0], CMP_NO_CHANGE);
    }
    assert_true(no_change >= 8);
    free(a);
    free(b);
}

/* The issue: n = 8 is inconclusive, and says 20 values a side are needed,
 * even for a tenfold slowdown. */
static void test_verdict_n8(void **state)
{
    double a[8], b[8];
    cmp_result r;
    cmp_rule rule = cmp_rule_default(cmp_min_n_quantile(50, CMP_TAIL_POINTS));
    size_t need;
    cmp_rng g;

    (void)state;
    cmp_rng_seed(&g, 8);
    lognormal(a, 8, 4, 0.5, 1, &g);
    lognormal(b, 8, 4, 0.5, 10, &g);
    assert_int_equal(cmp_quantile(a, 8, b, 8, 50, CMP_BOOT_ITERS, 1, CMP_LEVEL, &r, NULL), 0);
    assert_true(r.ratio > 3);
    assert_int_equal(cmp_judge(&r, r.p, &rule, &need), CMP_INCONCLUSIVE);
    assert_int_equal(need, 20);
}

/* The issue: nights drawn from the same distributions show regressed or
 * improved in fewer than 5 % of 200 comparisons of 4 runtimes x 9 metrics
 * (36, of which init p99 is below its minimum n and left out). Holm bounds
 * the chance of any false verdict at alpha = 5 %; the threshold only helps.
 * Holm alone (no threshold) is held to the same bound, which checks that
 * the p-values are valid, not just hidden by the threshold (with these
 * seeds: 5 and 8 of 200). And the test is not vacuous: warm p50, which
 * 2000 values a side measure to within ~2-3 %, is judged "no change" in
 * at least 90 % of the comparisons (other metrics are often inconclusive:
 * 22 errors a night cannot resolve a 5 % change in the error rate, and
 * init p99 of ~110 cold starts is always below its minimum n). */
static void test_verdict_false_alarms(void **state)
{
    enum { TRIALS = 200 };
    night *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    night_verdicts v;
    int any = 0, any0 = 0, p50_no_change = 0, inconclusive = 0;
    cmp_rng r;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    cmp_rng_seed(&r, 2024);
    for (int t = 0; t < TRIALS; t++) {
        int bad = 0, bad0 = 0;

        compare_nights(&r, 1, 1000 * (uint64_t)t, a, b, &v);
        for (int i = 0; i < FAMILY; i++) {
            bad |= v.v[i] == CMP_REGRESSED || v.v[i] == CMP_IMPROVED;
            bad0 |= v.v0[i] == CMP_REGRESSED || v.v0[i] == CMP_IMPROVED;
            p50_no_change += i % METRICS == 0 && v.v[i] == CMP_NO_CHANGE;
            inconclusive += v.v[i] == CMP_INCONCLUSIVE;
        }
        any += bad;
        any0 += bad0;
    }
    assert_true(any < TRIALS / 20);
    assert_true(any0 < TRIALS / 20);
    assert_true(p50_no_change >= TRIALS * RUNTIMES * 9 / 10);
    assert_true(inconclusive < TRIALS * FAMILY / 2);
    free(a);
    free(b);
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_rng_reference),
        T(test_rng_deterministic),
        T(test_rng_moments),
        T(test_norm_quantile),
        T(test_mw_r_example),
        T(test_mw_exact_by_enumeration),
        T(test_mw_ties),
        T(test_mw_large_normal),
        T(test_mw_edges),
        T(test_mw_errors),
        T(test_holm_hand),
        T(test_holm_nan_cap_alias),
        T(test_rate_z),
        T(test_rate_fisher),
        T(test_rate_zero_counts),
        T(test_rate_large),
        T(test_mean_hand),
        T(test_mean_edges),
        T(test_resample_median_binomial),
        T(test_resample_enumerated),
        T(test_quantile_lognormal_shift),
        T(test_quantile_tail_only),
        T(test_quantile_matches_reference),
        T(test_quantile_ties),
        T(test_quantile_zero_and_empty),
        T(test_quantile_deterministic_and_errors),
        T(test_min_n),
        T(test_judge_rules),
        T(test_needed),
        T(test_verdict_shift_20),
        T(test_verdict_shift_2),
        T(test_verdict_n8),
        T(test_verdict_false_alarms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
