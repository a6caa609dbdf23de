/* compare_stats.h — the statistics of the nightly comparison (issue 7):
 * one metric, baseline night A against candidate night B, becomes a change,
 * its confidence interval, a p-value and a verdict.
 *
 * Every change is a ratio r = metric(B) / metric(A); the change in percent
 * is 100 (r - 1). Three kinds of metric, three methods:
 *
 *   quantiles (warm p50/p90/p99, init p50/p99, max memory p99)
 *     cmp_quantile: percentile bootstrap of q_B(p) / q_A(p) (Efron &
 *     Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13), each
 *     side resampled with replacement, R-7 quantile of each resample
 *     (stats.h). The p-value is the bootstrap's own two-sided p of r = 1,
 *     2 min(P*(r* < 1), P*(r* > 1)) (ties at 1 count half), with the
 *     (count + 1) / (B + 1) correction (Davison & Hinkley, "Bootstrap
 *     Methods and their Application", 1997, §4.4) so that p is never 0: the
 *     smallest p is 2 / (B + 1), so B must exceed 2 m / alpha for a Holm
 *     family of m comparisons to reach significance at all (m = 32,
 *     alpha = 0.05: B > 1280; CMP_BOOT_ITERS = 10000 allows m up to 250).
 *     Why not Mann-Whitney for these: Mann-Whitney tests P(B > A) = 1/2, a
 *     shift of the bulk. A p99 that moves while the median stays put passes
 *     it unnoticed, and with 100 000 values a 0.5 % shift of the bulk is
 *     "significant" though p99 did not move. A verdict about p99 must test
 *     p99. Mann-Whitney (cmp_mann_whitney) is kept as the p-value of the
 *     distribution as a whole, for the report; it does not enter verdicts.
 *
 *     The bootstrap is exact and costs O(1) per replicate and side: the R-7
 *     quantile of a resample of sorted x[0..n) needs only its order
 *     statistics i and i + 1 (i = floor((n - 1) p / 100)). Resampled indices
 *     are floor(n U) with U uniform, a monotone map, so the k-th smallest
 *     resampled index is floor(n U_(k)) with U_(k) the k-th of n uniform
 *     order statistics, U_(k) ~ Beta(k, n + 1 - k); given U_(k) = u,
 *     U_(k+1) = u + (1 - u)(1 - V^(1/(n-k))) with V uniform (the least of
 *     n - k uniforms on (u, 1)). One Beta (two gammas, Marsaglia & Tsang,
 *     ACM TOMS 26(3), 2000) and one power per replicate draw exactly the
 *     pair a full resample would, in law. n = 100 000 a side with 1000
 *     replicates takes well under a millisecond; B = 10 000 is cheap.
 *
 *   rates (cold-start rate, error rate)
 *     cmp_rate: ratio of proportions k_B/n_B over k_A/n_A. CI: Katz's log
 *     method (Katz et al., Biometrics 34, 1978), se(log r)^2 = 1/k_A - 1/n_A
 *     + 1/k_B - 1/n_B, with 0.5 added to every cell of the 2x2 table when a
 *     count is 0 or equals its n (the point estimate stays uncorrected).
 *     p: Fisher's exact test (two-sided: the tables no more likely than the
 *     one seen, as R's fisher.test) when an expected cell count is below 5,
 *     otherwise the pooled two-proportion z test (= Pearson's chi-square
 *     without continuity correction, R's prop.test(correct = FALSE)).
 *
 *   means (cost per 1M requests = 10^6 x mean cost per invocation)
 *     cmp_mean: ratio of means; delta method on the log scale,
 *     se^2 = s_A^2 / (n_A m_A^2) + s_B^2 / (n_B m_B^2); p = 2 Phi(-|log r| / se)
 *     (a Welch z test of log means; the normal approximation wants n >= 30).
 *
 * Verdicts (cmp_judge), for a comparison with Holm-adjusted p (cmp_holm,
 * Holm, Scand. J. Statist. 6, 1979) over the whole family of runtimes x
 * metrics, and a rule {alpha, threshold, n_min, direction}:
 *   inconclusive  n_A or n_B below n_min (or no p); also a change beyond the
 *                 threshold that is not significant: the night hints at a
 *                 change the sample cannot confirm. *n_needed says how many
 *                 values a side would resolve it.
 *   no change     |r - 1| within the threshold (default 5 %), significant or
 *                 not: a real 1 % change is noise for this report.
 *   regressed     beyond the threshold in the bad direction, adjusted p
 *                 below alpha, and the CI excludes 1 on the same side (so
 *                 the printed interval never contradicts the verdict).
 *   improved      the same in the good direction.
 * Requiring only the point estimate (not the whole CI) beyond the threshold
 * keeps the power to flag a clear 8 % regression with a CI of [3 %, 13 %];
 * false alarms are bounded by Holm alone: when nothing changed, the chance
 * that any adjusted p falls below alpha is at most alpha (= 0.05), and the
 * threshold only lowers it further. Measured on nights drawn from the same
 * distributions, 4 runtimes x 9 metrics: 5 of 200 nights with a false
 * verdict (B = 2000, test_compare_stats.c), 33 of 1000 at B = 10 000
 * (35 without the threshold).
 * Pass NaN to cmp_holm for comparisons below their n_min: they are left out
 * of the family (the choice depends on n only, never on the outcome).
 *
 * Reproducibility: the generator is xoshiro256** (Blackman & Vigna, 2018)
 * seeded through splitmix64; its stream is identical on every platform.
 * Bootstrap replicates also go through libm (log, exp, pow, sqrt), so the
 * last bit may differ between C libraries, in principle moving a bootstrap
 * endpoint to a neighbouring order statistic.
 *
 * Errors: functions return 0, or -1 with err (may be NULL) filled, for bad
 * arguments (NaN or negative values, unsorted input where sorted is
 * required, a level outside (0, 1), no replicates) and for lack of memory.
 * An empty side is not an error: the result holds NaN and the verdict is
 * inconclusive.
 *
 * Ownership: every function takes caller arrays and keeps no pointer to
 * them. cmp_mann_whitney, cmp_quantile and cmp_holm allocate scratch
 * memory, always freed before they return; nothing else allocates.
 * No function prints. All are thread-safe (no global state). */
#ifndef MRB_COMPARE_STATS_H
#define MRB_COMPARE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "mrb/err.h"

/* ---- defaults ---------------------------------------------------------- */

#define CMP_ALPHA 0.05      /* family-wise error rate of the verdicts */
#define CMP_THRESHOLD 0.05  /* noise threshold: relative change, 0.05 = 5 % */
#define CMP_LEVEL 0.95      /* confidence level of the intervals */
#define CMP_BOOT_ITERS 10000 /* bootstrap replicates */
#define CMP_TAIL_POINTS 10  /* values a quantile needs beyond it on each side */
#define CMP_MIN_N_RATE 20   /* least values a side for a rate */
#define CMP_MIN_N_MEAN 30   /* least values a side for a mean */

/* ---- random numbers ---------------------------------------------------- */

/* xoshiro256**: 256 bits of state, period 2^256 - 1. Copy to fork. */
typedef struct cmp_rng {
    uint64_t s[4];  /* never all zero once seeded */
    double spare;   /* the polar method's second normal, when has_spare */
    int has_spare;  /* spare is unused */
} cmp_rng;

/* Seeds r from any 64-bit seed (state filled by splitmix64). */
void cmp_rng_seed(cmp_rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t cmp_rng_next(cmp_rng *r);

/* Uniform on the open interval (0, 1), 53 bits: never 0 or 1, so log()
 * of it is always finite. */
double cmp_rng_uniform(cmp_rng *r);

/* Uniform integer in [0, n), unbiased (rejection); n >= 1. */
uint64_t cmp_rng_below(cmp_rng *r, uint64_t n);

/* Standard normal (Marsaglia's polar method; its pairs are used both). */
double cmp_rng_normal(cmp_rng *r);

/* Gamma(shape, 1) for shape >= 1 (Marsaglia & Tsang). */
double cmp_rng_gamma(cmp_rng *r, double shape);

/* Beta(a, b) for a, b >= 1, as G_a / (G_a + G_b). */
double cmp_rng_beta(cmp_rng *r, double a, double b);

/* ---- Mann-Whitney U ----------------------------------------------------- */

typedef struct cmp_mw {
    double u;     /* U of A = #{(a, b): a > b} + #{a == b} / 2; R's W of wilcox.test(a, b) */
    double z;     /* normal score of u (continuity-corrected); 0 when exact or all tied */
    double p;     /* two-sided p; NaN when a side is empty */
    double cles;  /* common-language effect size P(B > A) + P(B == A) / 2 = 1 - u / (nA nB) */
    int exact;    /* 1: p from the exact null distribution, 0: normal approximation */
} cmp_mw;

/* Mann-Whitney U test of A = a[0..na) against B = b[0..nb), two-sided.
 * Exact null distribution when na < 50, nb < 50 and no value ties (as R's
 * wilcox.test); otherwise the normal approximation with tie correction of
 * the variance and continuity correction 1/2. O(n log n): sorts copies of
 * a and b (allocates na + nb doubles; the exact case also (na + 1)(na nb + 1)
 * doubles). Values must not be NaN. An empty side gives p = NaN and
 * returns 0. Returns 0, or -1 (err set) on NaN input or no memory. */
int cmp_mann_whitney(const double *a, size_t na, const double *b, size_t nb, cmp_mw *out,
                     mrb_err *err);

/* The same for a and b already sorted ascending: allocates nothing unless
 * exact. Returns -1 (err set) when a or b is not sorted or holds NaN. */
int cmp_mann_whitney_sorted(const double *a, size_t na, const double *b, size_t nb,
                            cmp_mw *out, mrb_err *err);

/* ---- one metric --------------------------------------------------------- */

/* The comparison of one metric between baseline A and candidate B. */
typedef struct cmp_result {
    double base;   /* the metric on A: quantile, proportion or mean; NaN when A is empty */
    double cand;   /* the metric on B; NaN when B is empty */
    double ratio;  /* cand / base: 1 when both are 0, +inf when only base is 0; NaN if empty */
    double lo, hi; /* CI of ratio at the requested level (NaN if empty); may be 0 or +inf */
    double p;      /* two-sided p of ratio = 1, unadjusted; NaN when not computable */
    double level;  /* confidence level of lo, hi */
    size_t na, nb; /* values (quantiles, means) or trials (rates) on each side */
} cmp_result;

/* Percentile-bootstrap comparison of the p-th percentile (0..100, R-7) of
 * a[0..na) and b[0..nb), both sorted ascending, non-negative, NaN-free.
 * iters replicates (>= 1; CMP_BOOT_ITERS), CI at level (0 < level < 1),
 * from the generator seeded with seed: the same inputs and seed give the
 * same result. Allocates iters doubles. Returns 0, or -1 (err set) on bad
 * arguments or no memory. */
int cmp_quantile(const double *a, size_t na, const double *b, size_t nb, double p,
                 unsigned iters, uint64_t seed, double level, cmp_result *out, mrb_err *err);

/* One bootstrap replicate of the p-th percentile of sorted x[0..n),
 * n >= 1: in law, the percentile of n values drawn from x with replacement
 * (the method is in the comment at the top). Exposed for tests. */
double cmp_resample_quantile(const double *x, size_t n, double p, cmp_rng *r);

/* Comparison of the rates k_b / n_b against k_a / n_a (k <= n). A side with
 * n = 0 gives NaN. No events on either side (k_a = k_b = 0) gives ratio 1,
 * the interval [0, +inf) and p = 1: the nights say nothing about the ratio. Fisher's exact p allocates nothing; returns -1 (err set)
 * when k > n or level is outside (0, 1). */
int cmp_rate(uint64_t ka, uint64_t na, uint64_t kb, uint64_t nb, double level,
             cmp_result *out, mrb_err *err);

/* Comparison of the means of a[0..na) and b[0..nb) (any order; values
 * >= 0 and NaN-free). p, lo and hi are NaN when a side has fewer than 2
 * values or a mean of 0 (no log scale). Both sides constant: p = 1 when
 * equal, else 0, and lo = hi = ratio. Returns 0, or -1 (err set) on a
 * negative or NaN value or a level outside (0, 1). */
int cmp_mean(const double *a, size_t na, const double *b, size_t nb, double level,
             cmp_result *out, mrb_err *err);

/* ---- the family ---------------------------------------------------------- */

/* Holm-Bonferroni adjusted p-values of p[0..n) into adj[0..n) (adj may be
 * p): sorted ascending, the j-th (1-based) of the m non-NaN p-values
 * becomes max over i <= j of min(1, (m - i + 1) p_(i)); NaN entries stay
 * NaN and do not count in m (leave out comparisons that will not be judged,
 * e.g. inconclusive ones, by passing NaN). Reject where adj < alpha: the
 * chance of any false rejection is at most alpha. Allocates n indices.
 * Returns 0, or -1 (err set) when a p is outside [0, 1] or no memory. */
int cmp_holm(const double *p, size_t n, double *adj, mrb_err *err);

/* ---- verdicts ------------------------------------------------------------ */

typedef enum cmp_verdict {
    CMP_NO_CHANGE = 0,
    CMP_REGRESSED,
    CMP_IMPROVED,
    CMP_INCONCLUSIVE
} cmp_verdict;

/* What a verdict means for one metric. */
typedef struct cmp_rule {
    double alpha;         /* family-wise error rate; CMP_ALPHA */
    double threshold;     /* noise threshold, relative (0.05 = 5 %); CMP_THRESHOLD */
    size_t n_min;         /* fewer values on a side: inconclusive (see cmp_min_n_*) */
    size_t family;        /* comparisons in the Holm family (>= 1), for n_needed */
    int higher_is_better; /* 0: lower is better (every metric of issue 7) */
} cmp_rule;

/* The rule with the defaults above, n_min as given and family = 1. */
cmp_rule cmp_rule_default(size_t n_min);

/* The least n a side for the p-th percentile (0 < p < 100): `tail` values
 * expected beyond it on its shorter side, ceil(100 tail / min(p, 100 - p)):
 * with tail = CMP_TAIL_POINTS, p50 needs 20, p90 100, p99 1000. SIZE_MAX
 * for p <= 0 or p >= 100 (no sample pins down the minimum or maximum). */
size_t cmp_min_n_quantile(double p, unsigned tail);

/* The verdict on r with Holm-adjusted p_adj under rule (see the top of the
 * file). When n_needed is not NULL it receives, for an inconclusive verdict,
 * the values a side estimated to settle the question: n_min when a side is
 * below it; for an unconfirmed change, the n at which a change of the size
 * seen would be significant at alpha / family with 80 % power, given the
 * spread the CI shows now (the CI's log width shrinks as 1 / sqrt(n), n
 * taken as the harmonic mean of n_A and n_B), and at least n_min; 0 when
 * the CI is unbounded or absent and no estimate exists. For other verdicts
 * it receives 0. */
cmp_verdict cmp_judge(const cmp_result *r, double p_adj, const cmp_rule *rule,
                      size_t *n_needed);

/* "no change", "regressed", "improved", "inconclusive"; "?" for others. */
const char *cmp_verdict_name(cmp_verdict v);

/* ---- distributions ------------------------------------------------------- */

/* Phi(z), the standard normal CDF. */
double cmp_norm_cdf(double z);

/* Phi^-1(q) for 0 < q < 1 (Acklam's rational approximation refined by one
 * Halley step; relative error below 1e-15). NaN outside (0, 1). */
double cmp_norm_quantile(double q);

#endif
