/* compare_stats.c — changes, intervals, p-values and verdicts of the nightly
 * comparison (see compare_stats.h for the methods and their references). */
#include "mrb/compare_stats.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/stats.h"

#define SQRT2 1.4142135623730951
#define SQRT_2PI 2.5066282746310002
/* Below this, the exact Mann-Whitney distribution (as R's wilcox.test). */
#define MW_EXACT_BELOW 50
/* Expected cell count under which the rate test is Fisher's exact test. */
#define FISHER_BELOW 5.0
/* Power for n_needed. */
#define POWER 0.8

/* ---- random numbers ---------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void cmp_rng_seed(cmp_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) /* cannot happen; cheap to rule out */
        r->s[0] = 1;
    r->spare = 0;
    r->has_spare = 0;
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The generator's steps are static inline here, the public cmp_rng_*
 * functions wrap them: the bootstrap calls them ~6 times per replicate,
 * and inlined they cost a fraction (most of all under sanitizers). */
static inline uint64_t rng_next(cmp_rng *r)
{
    uint64_t s0 = r->s[0], s1 = r->s[1], s2 = r->s[2], s3 = r->s[3];
    uint64_t result = rotl(s1 * 5, 7) * 9;
    uint64_t t = s1 << 17;

    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 45);
    r->s[0] = s0;
    r->s[1] = s1;
    r->s[2] = s2;
    r->s[3] = s3;
    return result;
}

static inline double rng_uniform(cmp_rng *r)
{
    /* The midpoints of the 2^53 equal cells of [0, 1): never 0 or 1. */
    return ((double)(rng_next(r) >> 11) + 0.5) * 0x1.0p-53;
}

static inline double rng_normal(cmp_rng *r)
{
    double u, v, s, m;

    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    do {
        u = 2 * rng_uniform(r) - 1;
        v = 2 * rng_uniform(r) - 1;
        s = u * u + v * v;
    } while (s >= 1 || s == 0);
    m = sqrt(-2 * log(s) / s);
    r->spare = v * m;
    r->has_spare = 1;
    return u * m;
}

static inline double rng_gamma(cmp_rng *r, double shape)
{
    double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d);

    for (;;) {
        double x, v, u;

        do {
            x = rng_normal(r);
            v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        u = rng_uniform(r);
        if (u < 1 - 0.0331 * x * x * x * x) /* the squeeze: no log, mostly */
            return d * v;
        if (log(u) < 0.5 * x * x + d * (1 - v + log(v)))
            return d * v;
    }
}

static inline double rng_beta(cmp_rng *r, double a, double b)
{
    double x = rng_gamma(r, a);
    double y = rng_gamma(r, b);

    return x / (x + y);
}

uint64_t cmp_rng_next(cmp_rng *r)
{
    return rng_next(r);
}

double cmp_rng_uniform(cmp_rng *r)
{
    return rng_uniform(r);
}

uint64_t cmp_rng_below(cmp_rng *r, uint64_t n)
{
    /* Values below 2^64 mod n would make small results more likely. */
    uint64_t floor_ = (0 - n) % n;
    uint64_t x;

    do
        x = rng_next(r);
    while (x < floor_);
    return x % n;
}

double cmp_rng_normal(cmp_rng *r)
{
    return rng_normal(r);
}

double cmp_rng_gamma(cmp_rng *r, double shape)
{
    return rng_gamma(r, shape);
}

double cmp_rng_beta(cmp_rng *r, double a, double b)
{
    return rng_beta(r, a, b);
}

/* ---- distributions ------------------------------------------------------- */

double cmp_norm_cdf(double z)
{
    return 0.5 * erfc(-z / SQRT2);
}

/* Two-sided normal p of z: 2 Phi(-|z|), accurate far in the tail. */
static double norm_p2(double z)
{
    return erfc(fabs(z) / SQRT2);
}

double cmp_norm_quantile(double q)
{
    static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                               -2.759285104469687e+02, 1.383577518672690e+02,
                               -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                               -1.556989798598866e+02, 6.680131188771972e+01,
                               -1.328068155288572e+01};
    static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                               -2.400758277161838e+00, -2.549732539343734e+00,
                               4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                               2.445134137142996e+00, 3.754408661907416e+00};
    const double q_low = 0.02425;
    double x, e, u;

    if (!(q > 0 && q < 1))
        return NAN;
    if (q < q_low) {
        double t = sqrt(-2 * log(q));
        x = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) /
            ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
    } else if (q <= 1 - q_low) {
        double t = q - 0.5, s = t * t;
        x = (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * t /
            (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    } else {
        double t = sqrt(-2 * log1p(-q));
        x = -(((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) /
            ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1);
    }
    /* One Halley step on Phi(x) - q; the upper tail through erfc, so that
     * q near 1 keeps its precision. */
    if (q < 0.5)
        e = cmp_norm_cdf(x) - q;
    else
        e = (1 - q) - 0.5 * erfc(x / SQRT2);
    u = e * SQRT_2PI * exp(x * x / 2);
    return x - u / (1 + x * u / 2);
}

/* ---- checks -------------------------------------------------------------- */

static int check_level(double level, mrb_err *err)
{
    if (!(level > 0 && level < 1))
        return mrb_err_set(err, 0, -1, "confidence level %g is not between 0 and 1", level);
    return 0;
}

/* 0 when x[0..n) is NaN-free, >= 0 when nonneg, ascending when sorted. */
static int check_values(const double *x, size_t n, int sorted, int nonneg, const char *side,
                        mrb_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            return mrb_err_set(err, 0, -1, "%s value %zu is NaN", side, i);
        if (nonneg && x[i] < 0)
            return mrb_err_set(err, 0, -1, "%s value %zu is negative (%g)", side, i, x[i]);
        if (sorted && i > 0 && x[i] < x[i - 1])
            return mrb_err_set(err, 0, -1, "%s values are not sorted (at %zu)", side, i);
    }
    return 0;
}

/* b / a, with 0 / 0 = 1 and x / 0 = +inf. */
static double ratio_of(double b, double a)
{
    if (a == 0)
        return b == 0 ? 1 : INFINITY;
    return b / a;
}

static void result_empty(cmp_result *out, size_t na, size_t nb, double level)
{
    out->base = NAN;
    out->cand = NAN;
    out->ratio = NAN;
    out->lo = NAN;
    out->hi = NAN;
    out->p = NAN;
    out->level = level;
    out->na = na;
    out->nb = nb;
}

/* ---- Mann-Whitney U ----------------------------------------------------- */

/* P(U <= u) for U the Mann-Whitney statistic of samples of m and n values
 * without ties, from the count of arrangements of m A's and n B's in a row
 * by their U. Positions t = 1..N are added one at a time; an A placed at t
 * as the k-th A has t - k B's before it and adds t - k to U, so
 *   f_t[k][v] = f_{t-1}[k][v] + f_{t-1}[k-1][v - (t - k)],
 * updated in place with k descending. All terms are positive counts (below
 * C(98, 49) ~ 2.5e28), so doubles lose no more than rounding. Returns NaN
 * when out of memory. */
static double mw_exact_cdf(size_t m, size_t n, double u)
{
    size_t mn = m * n, w = mn + 1, N = m + n;
    double *f = calloc((m + 1) * w, sizeof *f);
    double below = 0, total = 0;

    if (f == NULL)
        return NAN;
    f[0] = 1;
    for (size_t t = 1; t <= N; t++) {
        for (size_t k = t < m ? t : m; k >= 1; k--) {
            size_t add = t - k; /* B's before this A */
            double *dst = f + k * w, *src = f + (k - 1) * w;

            if (add > n)
                break; /* fewer k only means more B's: impossible too */
            for (size_t v = 0; v + add <= mn; v++)
                dst[v + add] += src[v];
        }
    }
    for (size_t v = 0; v <= mn; v++) {
        total += f[m * w + v];
        if ((double)v <= u)
            below += f[m * w + v];
    }
    free(f);
    return below / total;
}

int cmp_mann_whitney_sorted(const double *a, size_t na, const double *b, size_t nb,
                            cmp_mw *out, mrb_err *err)
{
    size_t i = 0, j = 0;
    double u = 0, tie_sum = 0, mn = (double)na * (double)nb, mean;
    int ties = 0;

    if (check_values(a, na, 1, 0, "baseline", err) != 0 ||
        check_values(b, nb, 1, 0, "candidate", err) != 0)
        return -1;
    out->u = 0;
    out->z = 0;
    out->p = NAN;
    out->cles = NAN;
    out->exact = 0;
    if (na == 0 || nb == 0)
        return 0;

    /* Merge: each run of equal values adds, for its A's, the B's below
     * them plus half the B's equal to them. */
    while (i < na || j < nb) {
        double v = (j >= nb || (i < na && a[i] <= b[j])) ? a[i] : b[j];
        size_t ca = 0, cb = 0, b_below = j;

        while (i < na && a[i] == v) {
            ca++;
            i++;
        }
        while (j < nb && b[j] == v) {
            cb++;
            j++;
        }
        u += (double)ca * ((double)b_below + 0.5 * (double)cb);
        if (ca + cb > 1) {
            double t = (double)(ca + cb);

            ties = 1;
            tie_sum += t * t * t - t;
        }
    }
    out->u = u;
    out->cles = 1 - u / mn;
    mean = mn / 2;

    if (!ties && na < MW_EXACT_BELOW && nb < MW_EXACT_BELOW) {
        size_t m = na < nb ? na : nb, n = na < nb ? nb : na; /* same law either way */
        /* The law of U is symmetric about mn / 2: take the nearer tail. */
        double tail = mw_exact_cdf(m, n, u <= mean ? u : mn - u);

        if (isnan(tail))
            return mrb_err_set(err, 0, -1, "out of memory");
        out->p = fmin(1, 2 * tail);
        out->exact = 1;
        return 0;
    }

    double big_n = (double)na + (double)nb;
    double var = mn / 12 * ((big_n + 1) - tie_sum / (big_n * (big_n - 1)));

    if (!(var > 0)) { /* every value the same */
        out->p = 1;
        return 0;
    }
    double d = u - mean;
    double corr = d > 0 ? 0.5 : (d < 0 ? -0.5 : 0);

    out->z = (d - corr) / sqrt(var);
    out->p = norm_p2(out->z);
    return 0;
}

int cmp_mann_whitney(const double *a, size_t na, const double *b, size_t nb, cmp_mw *out,
                     mrb_err *err)
{
    double *sa, *sb;
    int rc;

    if (check_values(a, na, 0, 0, "baseline", err) != 0 ||
        check_values(b, nb, 0, 0, "candidate", err) != 0)
        return -1;
    sa = malloc((na ? na : 1) * sizeof *sa);
    sb = malloc((nb ? nb : 1) * sizeof *sb);
    if (sa == NULL || sb == NULL) {
        free(sa);
        free(sb);
        return mrb_err_set(err, 0, -1, "out of memory");
    }
    if (na)
        memcpy(sa, a, na * sizeof *sa);
    if (nb)
        memcpy(sb, b, nb * sizeof *sb);
    stats_sort(sa, na);
    stats_sort(sb, nb);
    rc = cmp_mann_whitney_sorted(sa, na, sb, nb, out, err);
    free(sa);
    free(sb);
    return rc;
}

/* ---- quantiles: the bootstrap ------------------------------------------ */

/* The index floor(n u) of the value a uniform order statistic u picks. */
static size_t pick_index(double u, size_t n)
{
    double i = floor(u * (double)n);

    return i >= (double)(n - 1) ? n - 1 : (size_t)i;
}

/* cmp_resample_quantile's body; inline into the bootstrap loop. */
static inline double resample_quantile(const double *x, size_t n, double p, cmp_rng *r)
{
    double h, f, u, lo, hi;
    size_t i, j1, j2;

    if (n == 1)
        return x[0];
    if (!(p > 0))
        p = 0;
    else if (p > 100)
        p = 100;
    h = (double)(n - 1) * p / 100; /* as stats_percentile_sorted */
    i = (size_t)h;
    f = h - (double)i;
    if (i >= n - 1) {
        i = n - 1;
        f = 0;
    }
    /* Order statistic i (0-based) of n uniforms: Beta(i + 1, n - i). */
    u = rng_beta(r, (double)(i + 1), (double)(n - i));
    j1 = pick_index(u, n);
    if (f == 0)
        return x[j1];
    /* The next one: the least of the n - i - 1 uniforms above u. */
    u += (1 - u) * -expm1(log(rng_uniform(r)) / (double)(n - i - 1));
    j2 = pick_index(u, n);
    lo = x[j1];
    hi = x[j2];
    if (lo == hi)
        return lo;
    return lo + f * (hi - lo);
}

double cmp_resample_quantile(const double *x, size_t n, double p, cmp_rng *r)
{
    return resample_quantile(x, n, p, r);
}

/* Rearranges x[0..n) so that x[k] holds the value sorted order puts
 * there, nothing greater before it and nothing less after it (Wirth's
 * selection, "Algorithms + Data Structures = Programs", 1976, the pivot
 * x[k]): O(n) expected where a sort costs O(n log n); runs of equal values
 * split evenly. x must be NaN-free; n <= PTRDIFF_MAX. */
static void select_rank(double *x, size_t n, size_t k)
{
    ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

    while (l < m) {
        double pivot = x[kk];
        ptrdiff_t i = l, j = m;

        do {
            while (x[i] < pivot)
                i++;
            while (pivot < x[j])
                j--;
            if (i <= j) {
                double t = x[i];

                x[i] = x[j];
                x[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk)
            l = i;
        if (kk < i)
            m = j;
    }
}

/* The R-7 p-th percentile of x[0..n), n >= 1, reordering x: the same value
 * as stats_percentile_sorted on the sorted array, without sorting it. */
static double percentile_select(double *x, size_t n, double p)
{
    double h = (double)(n - 1) * p / 100, f, lo, hi;
    size_t i = (size_t)h;

    if (i >= n - 1) {
        select_rank(x, n, n - 1);
        return x[n - 1];
    }
    select_rank(x, n, i);
    lo = x[i];
    f = h - (double)i;
    if (f == 0)
        return lo;
    hi = x[i + 1];
    for (size_t j = i + 2; j < n; j++) /* the next order statistic: the least above */
        if (x[j] < hi)
            hi = x[j];
    if (lo == hi)
        return lo;
    return lo + f * (hi - lo);
}

int cmp_quantile(const double *a, size_t na, const double *b, size_t nb, double p,
                 unsigned iters, uint64_t seed, double level, cmp_result *out, mrb_err *err)
{
    double *ratios;
    double below = 0, above = 0, tail;
    cmp_rng rng;

    if (!(p >= 0 && p <= 100))
        return mrb_err_set(err, 0, -1, "percentile %g is not between 0 and 100", p);
    if (iters == 0)
        return mrb_err_set(err, 0, -1, "the bootstrap needs at least one replicate");
    if (check_level(level, err) != 0 ||
        check_values(a, na, 1, 1, "baseline", err) != 0 ||
        check_values(b, nb, 1, 1, "candidate", err) != 0)
        return -1;
    result_empty(out, na, nb, level);
    if (na)
        out->base = stats_percentile_sorted(a, na, p);
    if (nb)
        out->cand = stats_percentile_sorted(b, nb, p);
    if (na == 0 || nb == 0)
        return 0;
    out->ratio = ratio_of(out->cand, out->base);

    ratios = malloc(iters * sizeof *ratios);
    if (ratios == NULL)
        return mrb_err_set(err, 0, -1, "out of memory");
    cmp_rng_seed(&rng, seed);
    for (unsigned k = 0; k < iters; k++) {
        double qa = resample_quantile(a, na, p, &rng);
        double qb = resample_quantile(b, nb, p, &rng);
        double r = ratio_of(qb, qa);

        ratios[k] = r;
        if (r < 1)
            below += 1;
        else if (r > 1)
            above += 1;
        else {
            below += 0.5;
            above += 0.5;
        }
    }
    out->lo = percentile_select(ratios, iters, 100 * (1 - level) / 2);
    out->hi = percentile_select(ratios, iters, 100 * (1 + level) / 2);
    tail = below < above ? below : above;
    out->p = fmin(1, 2 * (tail + 1) / ((double)iters + 1));
    free(ratios);
    return 0;
}

/* ---- rates --------------------------------------------------------------- */

/* Two-sided Fisher exact p of the 2x2 table [[ka, na - ka], [kb, nb - kb]]:
 * the hypergeometric probabilities of x = ka given the margins, summed over
 * every x no more likely than the one seen (relative tolerance 1e-7, as R).
 * Built by the ratio P(x + 1) / P(x) from the mode outwards (no lgamma,
 * whose sign global is not thread-safe), scaled so the mode weighs 1. */
static double fisher_p(uint64_t ka, uint64_t na, uint64_t kb, uint64_t nb)
{
    double k = (double)ka + (double)kb;            /* events */
    double n1 = (double)na, n = n1 + (double)nb;   /* first row, all */
    double lo = fmax(0, n1 - (n - k)), hi = fmin(k, n1);
    double mode = floor((n1 + 1) * (k + 1) / (n + 2));
    double total = 0, seen_w = 0, extreme = 0, w;
    double x = (double)ka;

    if (mode < lo)
        mode = lo;
    if (mode > hi)
        mode = hi;
    /* First pass: the weight of x = ka and the total. */
    w = 1;
    for (double y = mode; y <= hi; y++) {
        if (y == x)
            seen_w = w;
        total += w;
        w *= (k - y) * (n1 - y) / ((y + 1) * (n - k - n1 + y + 1));
        if (w < 1e-300 && y > x)
            break;
    }
    w = 1;
    for (double y = mode; y > lo;) {
        w *= y * (n - k - n1 + y) / ((k - y + 1) * (n1 - y + 1));
        y--;
        if (y == x)
            seen_w = w;
        total += w;
        if (w < 1e-300 && y < x)
            break;
    }
    /* Second pass: the weights no larger than the one seen. */
    seen_w *= 1 + 1e-7;
    w = 1;
    for (double y = mode; y <= hi; y++) {
        if (w <= seen_w)
            extreme += w;
        w *= (k - y) * (n1 - y) / ((y + 1) * (n - k - n1 + y + 1));
        if (w < 1e-300)
            break;
    }
    w = 1;
    for (double y = mode; y > lo;) {
        w *= y * (n - k - n1 + y) / ((k - y + 1) * (n1 - y + 1));
        y--;
        if (w <= seen_w)
            extreme += w;
        if (w < 1e-300)
            break;
    }
    return fmin(1, extreme / total);
}

int cmp_rate(uint64_t ka, uint64_t na, uint64_t kb, uint64_t nb, double level,
             cmp_result *out, mrb_err *err)
{
    double pa, pb, z, k1, n1, k2, n2, se;
    double n, k, e_min;

    if (check_level(level, err) != 0)
        return -1;
    if (ka > na)
        return mrb_err_set(err, 0, -1, "baseline count %llu exceeds its total %llu",
                           (unsigned long long)ka, (unsigned long long)na);
    if (kb > nb)
        return mrb_err_set(err, 0, -1, "candidate count %llu exceeds its total %llu",
                           (unsigned long long)kb, (unsigned long long)nb);
    result_empty(out, (size_t)na, (size_t)nb, level);
    if (na)
        out->base = (double)ka / (double)na;
    if (nb)
        out->cand = (double)kb / (double)nb;
    if (na == 0 || nb == 0)
        return 0;
    pa = out->base;
    pb = out->cand;
    out->ratio = ratio_of(pb, pa);
    if (ka == 0 && kb == 0) { /* no events on either side: any ratio fits */
        out->lo = 0;
        out->hi = INFINITY;
        out->p = 1;
        return 0;
    }

    /* Katz's log interval, with 0.5 added to every cell if one is empty. */
    k1 = (double)ka;
    n1 = (double)na;
    k2 = (double)kb;
    n2 = (double)nb;
    if (ka == 0 || kb == 0 || ka == na || kb == nb) {
        k1 += 0.5;
        n1 += 1;
        k2 += 0.5;
        n2 += 1;
    }
    z = cmp_norm_quantile((1 + level) / 2);
    se = sqrt(1 / k1 - 1 / n1 + 1 / k2 - 1 / n2);
    out->lo = (k2 / n2) / (k1 / n1) * exp(-z * se);
    out->hi = (k2 / n2) / (k1 / n1) * exp(z * se);

    /* The test: Fisher's when a cell expects fewer than 5, else z. */
    n = (double)na + (double)nb;
    k = (double)ka + (double)kb;
    e_min = fmin(k, n - k) * fmin((double)na, (double)nb) / n; /* least row x least column / n */
    if (e_min < FISHER_BELOW) {
        out->p = fisher_p(ka, na, kb, nb);
    } else {
        double pool = k / n;
        double se0 = sqrt(pool * (1 - pool) * (1 / (double)na + 1 / (double)nb));

        out->p = norm_p2((pb - pa) / se0);
    }
    return 0;
}

/* ---- means --------------------------------------------------------------- */

int cmp_mean(const double *a, size_t na, const double *b, size_t nb, double level,
             cmp_result *out, mrb_err *err)
{
    stats_summary sa, sb;
    double se, lr, z;

    if (check_level(level, err) != 0 ||
        check_values(a, na, 0, 1, "baseline", err) != 0 ||
        check_values(b, nb, 0, 1, "candidate", err) != 0)
        return -1;
    result_empty(out, na, nb, level);
    stats_summarise(a, na, &sa);
    stats_summarise(b, nb, &sb);
    out->base = sa.mean; /* NaN when empty */
    out->cand = sb.mean;
    if (na == 0 || nb == 0)
        return 0;
    out->ratio = ratio_of(sb.mean, sa.mean);
    if (na < 2 || nb < 2 || !(sa.mean > 0) || !(sb.mean > 0))
        return 0;
    se = sqrt(sa.stddev * sa.stddev / ((double)na * sa.mean * sa.mean) +
              sb.stddev * sb.stddev / ((double)nb * sb.mean * sb.mean));
    lr = log(out->ratio);
    if (se == 0) {
        out->p = lr == 0 ? 1 : 0;
        out->lo = out->ratio;
        out->hi = out->ratio;
        return 0;
    }
    z = cmp_norm_quantile((1 + level) / 2);
    out->lo = exp(lr - z * se);
    out->hi = exp(lr + z * se);
    out->p = norm_p2(lr / se);
    return 0;
}

/* ---- the family ---------------------------------------------------------- */

typedef struct holm_item {
    double p;    /* the raw p */
    size_t pos;  /* its index in the caller's array */
} holm_item;

static int holm_order(const void *x, const void *y)
{
    const holm_item *a = x, *b = y;

    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos); /* stable: same input, same output */
}

int cmp_holm(const double *p, size_t n, double *adj, mrb_err *err)
{
    holm_item *items;
    size_t m = 0;
    double run = 0;

    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]) && !(p[i] >= 0 && p[i] <= 1))
            return mrb_err_set(err, 0, -1, "p-value %zu is %g, not between 0 and 1", i, p[i]);
    items = malloc((n ? n : 1) * sizeof *items);
    if (items == NULL)
        return mrb_err_set(err, 0, -1, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]))
            items[m++] = (holm_item){p[i], i};
    qsort(items, m, sizeof *items, holm_order);
    for (size_t i = 0; i < n; i++) /* adj may alias p: read all first */
        if (isnan(p[i]))
            adj[i] = NAN;
    for (size_t j = 0; j < m; j++) {
        double v = fmin(1, (double)(m - j) * items[j].p);

        if (v > run)
            run = v;
        adj[items[j].pos] = run;
    }
    free(items);
    return 0;
}

/* ---- verdicts ------------------------------------------------------------ */

cmp_rule cmp_rule_default(size_t n_min)
{
    cmp_rule r = {.alpha = CMP_ALPHA, .threshold = CMP_THRESHOLD, .n_min = n_min, .family = 1};

    return r;
}

size_t cmp_min_n_quantile(double p, unsigned tail)
{
    double side;

    if (!(p > 0 && p < 100))
        return SIZE_MAX;
    side = p < 50 ? p : 100 - p;
    /* 1e-9: 100 - 99.9 is a hair below 0.1, which must not add one. */
    return (size_t)ceil(100.0 * tail / side - 1e-9);
}

/* The harmonic-mean n at which the change seen in r would be significant
 * at alpha / family with POWER, from the CI's log half-width now; 0 when
 * the CI gives no finite width. */
static size_t needed_for(const cmp_result *r, const cmp_rule *rule)
{
    double z_ci = cmp_norm_quantile((1 + r->level) / 2);
    double width = log(r->hi) - log(r->lo);
    double effect = fabs(log(r->ratio));
    size_t family = rule->family ? rule->family : 1;
    double z_a = cmp_norm_quantile(1 - rule->alpha / (2 * (double)family));
    double z_b = cmp_norm_quantile(POWER);
    double n_now, se, want;

    if (!isfinite(width) || !(width > 0) || !isfinite(effect) || !(effect > 0) ||
        !isfinite(z_ci) || !isfinite(z_a))
        return 0;
    se = width / (2 * z_ci);
    n_now = 2 / (1 / (double)r->na + 1 / (double)r->nb);
    want = n_now * pow((z_a + z_b) * se / effect, 2);
    if (!(want < 1e18))
        return 0;
    return (size_t)ceil(want);
}

cmp_verdict cmp_judge(const cmp_result *r, double p_adj, const cmp_rule *rule,
                      size_t *n_needed)
{
    double change;
    int worse, excludes_one;
    size_t need;

    if (n_needed)
        *n_needed = 0;
    if (r->na < rule->n_min || r->nb < rule->n_min || r->na == 0 || r->nb == 0) {
        if (n_needed)
            *n_needed = rule->n_min ? rule->n_min : 1;
        return CMP_INCONCLUSIVE;
    }
    if (isnan(r->ratio))
        return CMP_INCONCLUSIVE;
    change = r->ratio - 1;
    /* The allowance keeps a ratio of exactly 1.05 (1.05 - 1 rounds above
     * 0.05) within a 5 % threshold. */
    if (fabs(change) <= rule->threshold + 1e-12)
        return CMP_NO_CHANGE;
    worse = rule->higher_is_better ? change < 0 : change > 0;
    excludes_one = change > 0 ? r->lo > 1 : r->hi < 1;
    if (p_adj < rule->alpha && excludes_one)
        return worse ? CMP_REGRESSED : CMP_IMPROVED;
    if (n_needed && !isnan(p_adj)) {
        need = needed_for(r, rule);
        *n_needed = need && need < rule->n_min ? rule->n_min : need;
    }
    return CMP_INCONCLUSIVE;
}

const char *cmp_verdict_name(cmp_verdict v)
{
    switch (v) {
    case CMP_NO_CHANGE:
        return "no change";
    case CMP_REGRESSED:
        return "regressed";
    case CMP_IMPROVED:
        return "improved";
    case CMP_INCONCLUSIVE:
        return "inconclusive";
    }
    return "?";
}
