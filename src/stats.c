/* stats.c — percentiles, summaries, the median's CI and their SQL functions
 * (see stats.h).
 *
 * Built twice: into libmrb.a against <sqlite3.h>, and, included by
 * stats_ext.c with MRB_STATS_EXTENSION defined, into the loadable extension
 * mrb_stats.so, where every sqlite3_* call goes through the sqlite3_api
 * table that stats_ext.c defines. */
#include "mrb/hash64.h"
#include "mrb/stats.h"

#ifdef MRB_STATS_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Φ⁻¹(0.975): the two-sided 95% normal quantile. */
#define CI_Z 1.959963984540054
/* Largest n whose CI ranks come from exact binomial sums. */
#define CI_EXACT_MAX 1000
/* The most values one aggregate group may hold (the byte count must fit). */
#define AGG_MAX_VALUES ((sqlite3_int64)(SIZE_MAX / sizeof(double) / 2))

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The bits of a double as an unsigned key that sorts like the double:
 * positive numbers get the sign bit set, negative ones are inverted. */
static uint64_t key_of(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return (u >> 63) ? ~u : u | 0x8000000000000000ull;
}

static double double_of(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & 0x7fffffffffffffffull : ~k;
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

/* LSD radix sort, 16 bits a pass: linear time for the large groups report
 * queries aggregate (a comparison sort of a million values costs ~10x more). */
static void radix_sort(double *x, size_t n)
{
    uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    size_t *count = calloc(65536, sizeof *count);

    if (!a || !b || !count) { /* no memory for the fast way: the slow one */
        free(a);
        free(b);
        free(count);
        qsort(x, n, sizeof *x, cmp_double);
        return;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = key_of(x[i]);
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(a[i] >> shift) & 0xffff]++;
        size_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[(a[i] >> shift) & 0xffff]++] = a[i];
        uint64_t *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = double_of(a[i]);
    free(a);
    free(b);
    free(count);
}

void stats_sort(double *x, size_t n)
{
    if (n < 2)
        return;
    if (n < 4096)
        qsort(x, n, sizeof *x, cmp_double);
    else
        radix_sort(x, n);
}

double stats_percentile_sorted(const double *x, size_t n, double p)
{
    double h, f;
    size_t i;

    if (n == 0)
        return NAN;
    if (!(p > 0)) /* also NaN */
        p = 0;
    else if (p > 100)
        p = 100;
    h = (double)(n - 1) * p / 100;
    i = (size_t)h;
    if (i >= n - 1)
        return x[n - 1];
    f = h - (double)i;
    /* Equal neighbours need no arithmetic (and inf - inf would be NaN). */
    if (f == 0 || x[i] == x[i + 1])
        return x[i];
    return x[i] + f * (x[i + 1] - x[i]);
}

/* The interval: with B ~ Binomial(n, 1/2) the number of values below the
 * population median M, the order statistics x(j) < x(k) (1-based) bound M
 * with probability P(j <= B <= k - 1), for any continuous distribution. We
 * take the symmetric k = n + 1 - j and the largest j with
 * P(B <= j - 1) <= 0.025, so the coverage 1 - 2 P(B <= j - 1) is at least
 * 95% and as tight as the ranks allow (Lehmann, "Nonparametrics", 1975,
 * pp. 182-183; the table of Campbell & Gardner, BMJ 1988;296:1454, and of
 * Altman et al., "Statistics with Confidence", 2000: n = 10 gives x(2), x(9)).
 * No j exists below n = 6 (P(B = 0) = 1/32 > 0.025 at n = 5).
 *
 * Up to n = 1000 the binomial terms are summed exactly, C(n, m) built by its
 * ratio in log space. Above, the normal approximation with continuity
 * correction, P(B <= j - 1) ~ Φ((j - 1/2 - n/2) / (√n / 2)), gives
 * j = floor(n/2 + 1/2 - z √n / 2). Checked against exact sums for every n
 * in 1001..6000 and a sample up to 200 000, it agrees or is one rank wider
 * (never narrower): 21 of 5198 n, e.g. n = 1001 gives x(469) for x(470). */
int stats_median_ci_ranks(size_t n, size_t *lo, size_t *hi)
{
    size_t j = 0;

    if (n <= CI_EXACT_MAX) {
        double log_c = 0; /* log C(n, m) */
        double log_half_n = (double)n * log(0.5);
        double cum = 0;   /* P(B <= m) */

        for (size_t m = 0; m < n; m++) {
            cum += exp(log_c + log_half_n);
            if (cum > 0.025)
                break;
            j = m + 1;
            log_c += log((double)(n - m)) - log((double)(m + 1));
        }
    } else {
        j = (size_t)floor((double)n / 2 + 0.5 - CI_Z * sqrt((double)n) / 2);
    }
    if (j == 0)
        return -1;
    *lo = j - 1;
    *hi = n - j;
    return 0;
}

/* Running count, mean, sum of squared deviations, min and max. */
typedef struct welford {
    size_t n;   /* values added */
    double mean; /* their mean */
    double m2;  /* sum of squared deviations from the mean */
    double min; /* smallest value; undefined while n == 0 */
    double max; /* largest value; undefined while n == 0 */
} welford;

static void welford_add(welford *w, double x)
{
    double d;

    if (w->n == 0) {
        w->min = x;
        w->max = x;
    } else if (x < w->min) {
        w->min = x;
    } else if (x > w->max) {
        w->max = x;
    }
    w->n++;
    d = x - w->mean;
    w->mean += d / (double)w->n;
    w->m2 += d * (x - w->mean);
}

static double welford_stddev(const welford *w)
{
    return w->n < 2 ? 0 : sqrt(w->m2 / (double)(w->n - 1));
}

/* With n == 0: mean, min and max are NaN, stddev 0. */
void stats_summarise(const double *x, size_t n, stats_summary *out)
{
    welford w = {0};

    for (size_t i = 0; i < n; i++)
        welford_add(&w, x[i]);
    out->n = n;
    out->mean = n ? w.mean : NAN;
    out->stddev = welford_stddev(&w);
    out->min = n ? w.min : NAN;
    out->max = n ? w.max : NAN;
}

/* ---- SQL functions ---------------------------------------------------- */

/* The aggregate context of the functions that need every value of a group
 * (percentile, median, median_ci_*). SQLite zeroes it on the first row and
 * calls xFinal once per group, also when the statement stops early, so
 * xFinal is the one place v is freed. */
typedef struct stats_agg {
    double *v;          /* the group's numbers (sqlite3_malloc'd), or NULL */
    sqlite3_int64 n;    /* numbers in v */
    sqlite3_int64 cap;  /* room in v */
    double p;           /* percentile: the group's p, once have_p */
    int have_p;         /* percentile: p was read from a row */
    const char *error;  /* the error reported by xStep (static text), or NULL */
    int nomem;          /* xStep ran out of memory */
} stats_agg;

/* The number x holds, stored in *out: 0, or -1 when x is NULL, a blob, text
 * that is not a number, or NaN. */
static int value_number(sqlite3_value *x, double *out)
{
    int type = sqlite3_value_numeric_type(x); /* converts numeric text */

    if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
        return -1;
    *out = sqlite3_value_double(x);
    return isnan(*out) ? -1 : 0;
}

static void agg_fail(sqlite3_context *ctx, stats_agg *a, const char *msg)
{
    a->error = msg;
    sqlite3_result_error(ctx, msg, -1);
}

static void agg_push(sqlite3_context *ctx, stats_agg *a, double x)
{
    if (a->n == a->cap) {
        sqlite3_int64 cap = a->cap ? a->cap * 2 : 64;
        double *v;

        if (cap > AGG_MAX_VALUES) {
            a->error = "too many values in one group";
            sqlite3_result_error_toobig(ctx);
            return;
        }
        v = sqlite3_realloc64(a->v, (sqlite3_uint64)cap * sizeof *v);
        if (v == NULL) {
            a->nomem = 1;
            sqlite3_result_error_nomem(ctx);
            return;
        }
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
}

/* The context for this row, or NULL (error set) when out of memory or when
 * an earlier row of the group failed. */
static stats_agg *agg_row(sqlite3_context *ctx)
{
    stats_agg *a = sqlite3_aggregate_context(ctx, (int)sizeof *a);

    if (a == NULL) {
        sqlite3_result_error_nomem(ctx);
        return NULL;
    }
    if (a->nomem) {
        sqlite3_result_error_nomem(ctx);
        return NULL;
    }
    if (a->error) {
        sqlite3_result_error(ctx, a->error, -1);
        return NULL;
    }
    return a;
}

static void values_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    stats_agg *a = agg_row(ctx);
    double x;

    (void)argc;
    if (a && value_number(argv[0], &x) == 0)
        agg_push(ctx, a, x);
}

static void percentile_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    stats_agg *a = agg_row(ctx);
    double x, p;

    (void)argc;
    if (a == NULL)
        return;
    if (value_number(argv[1], &p) != 0 || p < 0 || p > 100) {
        agg_fail(ctx, a, "percentile: p must be between 0 and 100");
        return;
    }
    if (!a->have_p) {
        a->p = p;
        a->have_p = 1;
    } else if (p != a->p) {
        agg_fail(ctx, a, "percentile: p must be the same for every row of a group");
        return;
    }
    if (value_number(argv[0], &x) == 0)
        agg_push(ctx, a, x);
}

/* A group's result from its sorted numbers x[0..n), n >= 1: 0 with *out
 * set, or -1 for NULL. */
typedef int (*pick_fn)(const stats_agg *a, const double *x, size_t n, double *out);

static int pick_percentile(const stats_agg *a, const double *x, size_t n, double *out)
{
    *out = stats_percentile_sorted(x, n, a->p);
    return 0;
}

static int pick_median(const stats_agg *a, const double *x, size_t n, double *out)
{
    (void)a;
    *out = stats_percentile_sorted(x, n, 50);
    return 0;
}

static int pick_ci_low(const stats_agg *a, const double *x, size_t n, double *out)
{
    size_t lo, hi;

    (void)a;
    if (stats_median_ci_ranks(n, &lo, &hi) != 0)
        return -1;
    *out = x[lo];
    return 0;
}

static int pick_ci_high(const stats_agg *a, const double *x, size_t n, double *out)
{
    size_t lo, hi;

    (void)a;
    if (stats_median_ci_ranks(n, &lo, &hi) != 0)
        return -1;
    *out = x[hi];
    return 0;
}

/* Sets the group's result with pick and frees the context's array. */
static void sorted_final(sqlite3_context *ctx, pick_fn pick)
{
    stats_agg *a = sqlite3_aggregate_context(ctx, 0);
    double r;

    if (a == NULL) { /* no rows */
        sqlite3_result_null(ctx);
        return;
    }
    if (a->nomem)
        sqlite3_result_error_nomem(ctx);
    else if (a->error)
        sqlite3_result_error(ctx, a->error, -1);
    else if (a->n == 0)
        sqlite3_result_null(ctx);
    else {
        stats_sort(a->v, (size_t)a->n);
        if (pick(a, a->v, (size_t)a->n, &r) == 0)
            sqlite3_result_double(ctx, r);
        else
            sqlite3_result_null(ctx);
    }
    sqlite3_free(a->v);
    a->v = NULL;
    a->n = 0;
    a->cap = 0;
}

static void percentile_final(sqlite3_context *ctx)
{
    sorted_final(ctx, pick_percentile);
}

static void median_final(sqlite3_context *ctx)
{
    sorted_final(ctx, pick_median);
}

static void ci_low_final(sqlite3_context *ctx)
{
    sorted_final(ctx, pick_ci_low);
}

static void ci_high_final(sqlite3_context *ctx)
{
    sorted_final(ctx, pick_ci_high);
}

/* sorted_values(x): the group's numbers once, sorted, as a BLOB that the
 * scalar functions below pick from: a query wanting p50, p90, p99 and the
 * median's interval of one column sorts it once instead of once each
 * (SQLite computes an aggregate written twice once). The BLOB is a magic
 * word, then the doubles in this machine's order: a value to pick from in
 * the same query, not to store. */
static const char sorted_magic[8] = {'m', 'r', 'b', 's', 'o', 'r', 't', '1'};

static void sorted_values_final(sqlite3_context *ctx)
{
    stats_agg *a = sqlite3_aggregate_context(ctx, 0);

    if (a == NULL || (a->n == 0 && !a->nomem && !a->error)) {
        sqlite3_result_null(ctx);
    } else if (a->nomem) {
        sqlite3_result_error_nomem(ctx);
    } else if (a->error) {
        sqlite3_result_error(ctx, a->error, -1);
    } else {
        size_t body = (size_t)a->n * sizeof *a->v;
        unsigned char *b = sqlite3_malloc64(sizeof sorted_magic + body);
        if (b == NULL) {
            sqlite3_result_error_nomem(ctx);
        } else {
            stats_sort(a->v, (size_t)a->n);
            memcpy(b, sorted_magic, sizeof sorted_magic);
            memcpy(b + sizeof sorted_magic, a->v, body);
            sqlite3_result_blob64(ctx, b, sizeof sorted_magic + body, sqlite3_free);
        }
    }
    if (a) {
        sqlite3_free(a->v);
        a->v = NULL;
        a->n = a->cap = 0;
    }
}

/* The numbers of a sorted_values() BLOB: 0 with x[0..n), n >= 1, set, 1
 * for NULL (the result is set), or -1 with an error set for anything else.
 * x points into the BLOB when its doubles are aligned, else to a copy that
 * *copy owns (the caller frees it). */
static int sorted_of(sqlite3_context *ctx, sqlite3_value *v, const double **x, size_t *n,
                     double **copy)
{
    *copy = NULL;
    if (sqlite3_value_type(v) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return 1;
    }
    const unsigned char *b = sqlite3_value_blob(v);
    size_t len = (size_t)sqlite3_value_bytes(v);
    if (sqlite3_value_type(v) != SQLITE_BLOB || len <= sizeof sorted_magic ||
        (len - sizeof sorted_magic) % sizeof(double) != 0 ||
        memcmp(b, sorted_magic, sizeof sorted_magic) != 0) {
        sqlite3_result_error(ctx, "expected the value of sorted_values(x)", -1);
        return -1;
    }
    b += sizeof sorted_magic;
    *n = (len - sizeof sorted_magic) / sizeof(double);
    if ((uintptr_t)b % _Alignof(double) == 0) {
        *x = (const double *)(const void *)b;
        return 0;
    }
    if ((*copy = sqlite3_malloc64(*n * sizeof(double))) == NULL) {
        sqlite3_result_error_nomem(ctx);
        return -1;
    }
    memcpy(*copy, b, *n * sizeof(double));
    *x = *copy;
    return 0;
}

/* Sets the result that pick gives for the BLOB v. */
static void sorted_pick(sqlite3_context *ctx, sqlite3_value *v, const stats_agg *a, pick_fn pick)
{
    const double *x;
    double *copy, r;
    size_t n;

    if (sorted_of(ctx, v, &x, &n, &copy) != 0)
        return;
    if (pick(a, x, n, &r) == 0)
        sqlite3_result_double(ctx, r);
    else
        sqlite3_result_null(ctx);
    sqlite3_free(copy);
}

/* sorted_percentile(v, p): percentile(x, p) of the x that made v. */
static void sorted_percentile_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    stats_agg a = {.have_p = 1};

    (void)argc;
    if (value_number(argv[1], &a.p) != 0 || a.p < 0 || a.p > 100) {
        sqlite3_result_error(ctx, "sorted_percentile: p must be between 0 and 100", -1);
        return;
    }
    sorted_pick(ctx, argv[0], &a, pick_percentile);
}

static void sorted_ci_low_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sorted_pick(ctx, argv[0], NULL, pick_ci_low);
}

static void sorted_ci_high_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sorted_pick(ctx, argv[0], NULL, pick_ci_high);
}

/* stddev keeps a running Welford state instead of the values. */
static void stddev_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    welford *w = sqlite3_aggregate_context(ctx, (int)sizeof *w);
    double x;

    (void)argc;
    if (w == NULL)
        sqlite3_result_error_nomem(ctx);
    else if (value_number(argv[0], &x) == 0)
        welford_add(w, x);
}

static void stddev_final(sqlite3_context *ctx)
{
    welford *w = sqlite3_aggregate_context(ctx, 0);

    if (w == NULL || w->n < 2)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_double(ctx, welford_stddev(w));
}

/* count_distinct(x [, y ...]): the number of distinct non-NULL values (or
 * tuples of values, none NULL), as count(DISTINCT x) but with a hash set
 * instead of SQLite's per-group b-tree (several times faster on millions of
 * rows). Values are compared by their text, numbers by their double value.
 * A tuple needs no joining text (function || '|' || stream costs a string
 * per row and cannot tell 'a|b', 'c' from 'a', 'b|c'). Exact: colliding
 * hashes fall back to comparing the bytes. */
typedef struct dset_entry {
    uint64_t hash; /* 0: empty slot */
    char *bytes;
    size_t len;
} dset_entry;

typedef struct dset {
    dset_entry *slot;
    size_t cap, n; /* cap is a power of two, n < cap * 3 / 4 */
    int nomem;
} dset;

static int dset_grow(dset *d)
{
    size_t cap = d->cap ? d->cap * 2 : 64;
    dset_entry *slot = sqlite3_malloc64(cap * sizeof *slot);

    if (!slot)
        return -1;
    memset(slot, 0, cap * sizeof *slot);
    for (size_t i = 0; i < d->cap; i++) {
        if (!d->slot[i].hash)
            continue;
        size_t j = d->slot[i].hash & (cap - 1);
        while (slot[j].hash)
            j = (j + 1) & (cap - 1);
        slot[j] = d->slot[i];
    }
    sqlite3_free(d->slot);
    d->slot = slot;
    d->cap = cap;
    return 0;
}

/* Adds the key bytes[0..n) unless present; -1 when out of memory. */
static int dset_add(dset *d, const void *bytes, size_t n)
{
    uint64_t h = hash64(bytes, n, 0x9e3779b97f4a7c15ULL);

    h = h ? h : 1;
    if ((d->n + 1) * 4 >= d->cap * 3 && dset_grow(d) < 0)
        return -1;
    size_t j = h & (d->cap - 1);
    for (; d->slot[j].hash; j = (j + 1) & (d->cap - 1))
        if (d->slot[j].hash == h && d->slot[j].len == n && memcmp(d->slot[j].bytes, bytes, n) == 0)
            return 0;
    char *copy = sqlite3_malloc64(n ? n : 1);
    if (!copy)
        return -1;
    memcpy(copy, bytes, n);
    d->slot[j] = (dset_entry){h, copy, n};
    d->n++;
    return 0;
}

static void dset_free(dset *d)
{
    for (size_t i = 0; i < d->cap; i++)
        sqlite3_free(d->slot[i].bytes);
    sqlite3_free(d->slot);
    memset(d, 0, sizeof *d);
}

/* The set and the key buffer it reuses row after row (grown with
 * sqlite3_realloc64: out of memory is SQLite's error, not an abort). */
typedef struct distinct_state {
    dset set;
    unsigned char *key;
    size_t len, cap;
} distinct_state;

/* Appends n bytes to the key; -1 when out of memory. */
static int key_put(distinct_state *d, const void *p, size_t n)
{
    if (d->len + n > d->cap) {
        size_t cap = d->cap ? d->cap : 128;
        while (cap < d->len + n)
            cap *= 2;
        unsigned char *key = sqlite3_realloc64(d->key, cap);
        if (!key)
            return -1;
        d->key = key;
        d->cap = cap;
    }
    if (n)
        memcpy(d->key + d->len, p, n);
    d->len += n;
    return 0;
}

/* Appends value v to the key as a tag, then a double or the length and
 * bytes, so that a key is one tuple however its values are cut. 0, or 1 for
 * a NULL value, or -1 when out of memory. */
static int key_add(distinct_state *d, sqlite3_value *v)
{
    int type = sqlite3_value_type(v);

    if (type == SQLITE_NULL)
        return 1;
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        double x = sqlite3_value_double(v);
        x = x == 0 ? 0 : x; /* -0.0 and 0.0 are one value */
        return key_put(d, "n", 1) < 0 || key_put(d, &x, sizeof x) < 0 ? -1 : 0;
    }
    const void *b = type == SQLITE_BLOB ? sqlite3_value_blob(v)
                                        : (const void *)sqlite3_value_text(v);
    uint32_t n = b ? (uint32_t)sqlite3_value_bytes(v) : 0;
    return key_put(d, type == SQLITE_BLOB ? "b" : "t", 1) < 0 || key_put(d, &n, sizeof n) < 0 ||
                   key_put(d, b, n) < 0
               ? -1
               : 0;
}

static void distinct_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    distinct_state *d = sqlite3_aggregate_context(ctx, (int)sizeof *d);

    if (argc == 0) {
        sqlite3_result_error(ctx, "count_distinct() needs at least one argument", -1);
        return;
    }
    if (d == NULL) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (d->set.nomem)
        return;
    d->len = 0;
    for (int i = 0; i < argc; i++) {
        int rc = key_add(d, argv[i]);
        if (rc != 0) {
            d->set.nomem |= rc < 0;
            return;
        }
    }
    d->set.nomem |= dset_add(&d->set, d->key, d->len) < 0;
}

static void distinct_final(sqlite3_context *ctx)
{
    distinct_state *d = sqlite3_aggregate_context(ctx, 0);

    if (d && d->set.nomem)
        sqlite3_result_error_nomem(ctx);
    else
        sqlite3_result_int64(ctx, d ? (sqlite3_int64)d->set.n : 0);
    if (d) {
        dset_free(&d->set);
        sqlite3_free(d->key);
    }
}

static const struct stats_fn {
    const char *name;                                          /* SQL name */
    int nargs;                                                 /* arguments, -1: any */
    void (*func)(sqlite3_context *, int, sqlite3_value **);   /* xFunc of a scalar */
    void (*step)(sqlite3_context *, int, sqlite3_value **);   /* xStep of an aggregate */
    void (*final)(sqlite3_context *);                          /* xFinal of an aggregate */
} stats_fns[] = {
    {.name = "percentile", .nargs = 2, .step = percentile_step, .final = percentile_final},
    {.name = "median", .nargs = 1, .step = values_step, .final = median_final},
    {.name = "stddev", .nargs = 1, .step = stddev_step, .final = stddev_final},
    {.name = "median_ci_low", .nargs = 1, .step = values_step, .final = ci_low_final},
    {.name = "median_ci_high", .nargs = 1, .step = values_step, .final = ci_high_final},
    {.name = "count_distinct", .nargs = -1, .step = distinct_step, .final = distinct_final},
    {.name = "sorted_values", .nargs = 1, .step = values_step, .final = sorted_values_final},
    {.name = "sorted_percentile", .nargs = 2, .func = sorted_percentile_fn},
    {.name = "sorted_median_ci_low", .nargs = 1, .func = sorted_ci_low_fn},
    {.name = "sorted_median_ci_high", .nargs = 1, .func = sorted_ci_high_fn},
};

#ifdef SQLITE_INNOCUOUS
#define STATS_FN_FLAGS (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)
#else
#define STATS_FN_FLAGS (SQLITE_UTF8 | SQLITE_DETERMINISTIC)
#endif

int stats_register(sqlite3 *db)
{
    for (size_t i = 0; i < sizeof stats_fns / sizeof stats_fns[0]; i++) {
        const struct stats_fn *f = &stats_fns[i];
        int rc = sqlite3_create_function_v2(db, f->name, f->nargs, STATS_FN_FLAGS, NULL,
                                            f->func, f->step, f->final, NULL);

        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}
