/* compare.c — one night against another, per runtime and metric (see
 * compare.h). Reads each night's invocations once, keeps the values each
 * metric needs per runtime (memory linear in the invocations of the two
 * nights), then compares, adjusts the family's p-values and judges. */
#include "mrb/hash64.h"
#include "mrb/compare.h"

#include <math.h>
#include <stddef.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/stats.h"
#include "mrb/timeparse.h"
#include "mrb/term.h"
#include "mrb/xalloc.h"

#define MAX_RUNTIMES 64
#define DAY_MS 86400000LL

enum metric_kind { K_QUANTILE, K_RATE, K_MEAN };
enum values { V_WARM, V_INIT, V_MEMORY, V_COST, V_CLIENT, V_OVERHEAD, V_E2E_COST, V_COUNT };
/* counts of a rate: the events and the whole */
enum counts { N_COLD, N_ERROR, N_4XX, N_5XX };

static const struct metric_def {
    const char *name;
    enum metric_kind kind;
    enum values from; /* K_QUANTILE, K_MEAN */
    double p;         /* K_QUANTILE */
} metrics[CM_COUNT] = {
    [CM_WARM_P50] = {"warm_p50_ms", K_QUANTILE, V_WARM, 50},
    [CM_WARM_P90] = {"warm_p90_ms", K_QUANTILE, V_WARM, 90},
    [CM_WARM_P99] = {"warm_p99_ms", K_QUANTILE, V_WARM, 99},
    [CM_INIT_P50] = {"init_p50_ms", K_QUANTILE, V_INIT, 50},
    [CM_INIT_P99] = {"init_p99_ms", K_QUANTILE, V_INIT, 99},
    [CM_COLD_RATE] = {"cold_start_pct", K_RATE, V_COUNT, 0},
    [CM_ERROR_RATE] = {"error_pct", K_RATE, V_COUNT, 0},
    [CM_MEMORY_P99] = {"max_memory_p99_mb", K_QUANTILE, V_MEMORY, 99},
    [CM_COST_PER_1M] = {"cost_per_1m_usd", K_MEAN, V_COST, 0},
    [CM_CLIENT_P50] = {"client_p50_ms", K_QUANTILE, V_CLIENT, 50},
    [CM_CLIENT_P99] = {"client_p99_ms", K_QUANTILE, V_CLIENT, 99},
    [CM_OVERHEAD_P50] = {"apigw_overhead_p50_ms", K_QUANTILE, V_OVERHEAD, 50},
    [CM_4XX_RATE] = {"status_4xx_pct", K_RATE, V_COUNT, 0},
    [CM_5XX_RATE] = {"status_5xx_pct", K_RATE, V_COUNT, 0},
    [CM_E2E_COST_PER_1M] = {"cost_per_1m_e2e_usd", K_MEAN, V_E2E_COST, 0},
};

int compare_metric_e2e(enum compare_metric m)
{
    return m >= CM_CLIENT_P50 && m < CM_COUNT;
}

const char *compare_metric_name(enum compare_metric m)
{
    return (unsigned)m < CM_COUNT ? metrics[m].name : "?";
}

int compare_metric_by_name(const char *name)
{
    for (int m = 0; m < CM_COUNT; m++)
        if (strcmp(metrics[m].name, name) == 0)
            return m;
    return -1;
}

void compare_opts_default(compare_opts *o)
{
    for (int m = 0; m < CM_COUNT; m++)
        o->threshold[m] = CMP_THRESHOLD;
    o->alpha = CMP_ALPHA;
    o->iters = CMP_BOOT_ITERS;
    o->seed = 1;
}

/* ---- nights ------------------------------------------------------------ */

static void day_night(night *n, const char *day, int64_t from)
{
    snprintf(n->label, sizeof n->label, "%s", day);
    snprintf(n->where, sizeof n->where, "ts_ms >= %lld AND ts_ms < %lld", (long long)from,
             (long long)(from + DAY_MS));
    n->is_day = 1;
}

/* FROM..UNTIL, each an ISO 8601 UTC time or a day: 1 when spec has that
 * form (out filled), 0 when not, -1 with err when it does but is wrong. */
static int range_night(const char *spec, night *out, mrb_err *err)
{
    const char *dots = strstr(spec, "..");
    int64_t t[2];

    if (!dots)
        return 0;
    for (int i = 0; i < 2; i++) {
        const char *p = i ? dots + 2 : spec;
        size_t n = i ? strlen(p) : (size_t)(dots - spec);
        char iso[40];
        if (n == 10) /* a day: its midnight */
            snprintf(iso, sizeof iso, "%.10sT00:00:00Z", p);
        else
            snprintf(iso, sizeof iso, "%.*s", n < sizeof iso ? (int)n : 0, p);
        if (!iso[0] || time_parse_iso(iso, strlen(iso), &t[i]) != strlen(iso))
            return mrb_err_set(err, 0, -1, "'%.*s' in '%s' is not a UTC time (ISO 8601) or a day",
                               (int)(n < 40 ? n : 40), p, spec);
    }
    if (t[1] <= t[0])
        return mrb_err_set(err, 0, -1, "the range '%s' ends before it starts", spec);
    snprintf(out->label, sizeof out->label, "%s", spec);
    snprintf(out->where, sizeof out->where, "ts_ms >= %lld AND ts_ms < %lld", (long long)t[0],
             (long long)t[1]);
    return 1;
}

int compare_night(const char *spec, night *out, mrb_err *err)
{
    size_t n = strlen(spec);
    char iso[32];
    int64_t ms;

    memset(out, 0, sizeof *out);
    int r = range_night(spec, out, err);
    if (r != 0)
        return r < 0 ? -1 : 0;
    snprintf(iso, sizeof iso, "%.10sT00:00:00Z", spec);
    if (n == 10 && spec[4] == '-' && spec[7] == '-') {
        if (time_parse_iso(iso, strlen(iso), &ms) != strlen(iso))
            return mrb_err_set(err, 0, -1, "'%s' is not a day (YYYY-MM-DD)", spec);
        day_night(out, spec, ms);
        return 0;
    }
    if (n == 0 || n > 100)
        return mrb_err_set(err, 0, -1, "a night is a day (YYYY-MM-DD) or a run label of 1 to 100 "
                                       "characters");
    if (term_has_control(spec))
        return mrb_err_set(err, 0, -1, "a run label has no control characters");
    char *q = sqlite3_mprintf("run = %Q", spec);
    if (!q || strlen(q) >= sizeof out->where) {
        sqlite3_free(q);
        return mrb_err_set(err, 0, -1, "run label too long");
    }
    snprintf(out->label, sizeof out->label, "%s", spec);
    snprintf(out->where, sizeof out->where, "%s", q);
    sqlite3_free(q);
    return 0;
}

int compare_default_nights(sqlite3 *db, night *base, night *cand, mrb_err *err)
{
    sqlite3_stmt *st;
    int64_t last = -1;
    char day[16];

    /* times outside years 1970..9999 (stored by older versions) cannot name a night */
    if (sqlite3_prepare_v2(db, "SELECT max(ts_ms) FROM invocations WHERE ts_ms BETWEEN 0 AND ?",
                           -1, &st, NULL) != SQLITE_OK)
        return mrb_err_set(err, 0, -1, "%s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, TIME_MAX_MS);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        last = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (last < 0)
        return mrb_err_set(err, 0, -1, "the database holds no invocations to compare");
    int64_t from = last - last % DAY_MS;
    char iso[25];
    time_format_iso(from, iso);
    snprintf(day, sizeof day, "%.10s", iso);
    day_night(cand, day, from);
    time_format_iso(from - DAY_MS, iso);
    snprintf(day, sizeof day, "%.10s", iso);
    day_night(base, day, from - DAY_MS);
    return 0;
}

/* ---- one night's values ------------------------------------------------ */

typedef struct vec {
    double *v;
    size_t n, cap;
} vec;

static void vec_push(vec *x, double v)
{
    XGROW(x->v, x->n, x->cap, 256);
    x->v[x->n++] = v;
}

typedef struct side {
    vec val[V_COUNT];
    uint64_t n, cold, errors;
    uint64_t requests, with_status, s4xx, s5xx; /* API Gateway requests */
    char memory[64], arch[64], versions[160]; /* sorted distinct lists */
} side;

typedef struct runtime_sides {
    char name[32];
    side s[2]; /* 0 base, 1 candidate */
} runtime_sides;

typedef struct sides {
    runtime_sides rt[MAX_RUNTIMES];
    int n;
} sides;

static side *side_of(sides *all, const char *runtime, int which)
{
    int k = 0;

    while (k < all->n && strcmp(all->rt[k].name, runtime) != 0)
        k++;
    if (k == all->n) {
        if (all->n == MAX_RUNTIMES)
            return NULL;
        memset(&all->rt[k], 0, sizeof all->rt[k]);
        snprintf(all->rt[k].name, sizeof all->rt[k].name, "%s", runtime);
        all->n++;
    }
    return &all->rt[k].s[which];
}

static int query_error(sqlite3 *db, sqlite3_stmt *st, mrb_err *err)
{
    mrb_err_set(err, 0, -1, "compare: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return -1;
}

/* fmt (one %s: the night's condition) prepared; NULL with err. */
static sqlite3_stmt *prepare_night(sqlite3 *db, const char *fmt, const night *nt, mrb_err *err)
{
    char *sql = sqlite3_mprintf(fmt, nt->where);
    sqlite3_stmt *st = NULL;

    if (!sql || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "compare: %s", sql ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_finalize(st);
        st = NULL;
    }
    sqlite3_free(sql);
    return st;
}

/* Runs fmt (one %s: the night's condition; its first column the runtime)
 * and hands each row to take with the runtime's side. 0, or -1 with err. */
static int night_rows(sqlite3 *db, const char *fmt, const night *nt, int which, sides *all,
                      void (*take)(side *s, sqlite3_stmt *st), mrb_err *err)
{
    sqlite3_stmt *st = prepare_night(db, fmt, nt, err);
    int rc;

    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rt = (const char *)sqlite3_column_text(st, 0);
        side *s = side_of(all, rt ? rt : "?", which);
        if (s) /* else more runtimes than anyone compares */
            take(s, st);
    }
    if (rc != SQLITE_DONE)
        return query_error(db, st, err);
    sqlite3_finalize(st);
    return 0;
}

/* Pushes column c of st to v when it is not NULL. */
static void push_col(vec *v, sqlite3_stmt *st, int c)
{
    if (sqlite3_column_type(st, c) != SQLITE_NULL)
        vec_push(v, sqlite3_column_double(st, c));
}

static void take_invocation(side *s, sqlite3_stmt *st)
{
    int cold = sqlite3_column_int(st, 1);

    s->n++;
    s->cold += cold != 0;
    s->errors += sqlite3_column_int(st, 2) != 0;
    if (!cold)
        vec_push(&s->val[V_WARM], sqlite3_column_double(st, 3));
    if (cold)
        push_col(&s->val[V_INIT], st, 4);
    push_col(&s->val[V_MEMORY], st, 5);
    push_col(&s->val[V_COST], st, 6);
}

static void take_request(side *s, sqlite3_stmt *st)
{
    s->requests++;
    if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
        int status = sqlite3_column_int(st, 1);
        s->with_status++;
        s->s4xx += status >= 400 && status < 500;
        s->s5xx += status >= 500 && status < 600;
    }
    push_col(&s->val[V_CLIENT], st, 2);
    push_col(&s->val[V_OVERHEAD], st, 3);
    push_col(&s->val[V_E2E_COST], st, 4);
}

/* Every value the metrics need, per runtime, for one night: its
 * invocations, and its API Gateway requests (none when the database holds
 * none). */
static int load_values(sqlite3 *db, const night *nt, int which, sides *all, mrb_err *err)
{
    return night_rows(db,
                      "SELECT runtime, cold_start, status <> 'success', duration_ms, init_ms, "
                      "max_memory_mb, fcost_usd(function, memory_mb, billed_ms) FROM invocations "
                      "WHERE %s",
                      nt, which, all, take_invocation, err) < 0 ||
                   night_rows(db,
                              "SELECT runtime, status, response_latency_ms, apigw_overhead_ms, "
                              "cost_usd FROM temp.e2e_requests WHERE %s",
                              nt, which, all, take_request, err) < 0
               ? -1
               : 0;
}

/* A guard's list (column 1) into its field. */
static void copy_list(char *field, size_t size, sqlite3_stmt *st)
{
    const char *list = (const char *)sqlite3_column_text(st, 1);
    if (list)
        snprintf(field, size, "%s", list);
}

static void take_memory(side *s, sqlite3_stmt *st) { copy_list(s->memory, sizeof s->memory, st); }
static void take_arch(side *s, sqlite3_stmt *st) { copy_list(s->arch, sizeof s->arch, st); }
static void take_versions(side *s, sqlite3_stmt *st)
{
    copy_list(s->versions, sizeof s->versions, st);
}

/* What must be equal for a comparison to be about the code. */
static int load_guards(sqlite3 *db, const night *nt, int which, sides *all, mrb_err *err)
{
    static const char memory[] =
        "SELECT runtime, group_concat(v, ',') FROM (SELECT DISTINCT runtime, memory_mb AS v "
        "FROM invocations WHERE %s AND memory_mb IS NOT NULL ORDER BY 1, 2) GROUP BY runtime";
    static const char arch[] =
        "SELECT runtime, group_concat(arch, ',') FROM (SELECT DISTINCT i.runtime, p.arch "
        "FROM (SELECT DISTINCT runtime, function FROM invocations WHERE %s) i "
        "JOIN fprice p USING (function) ORDER BY 1, 2) GROUP BY runtime";
    static const char versions[] =
        "SELECT runtime, group_concat(runtime_version, ',') FROM (SELECT DISTINCT i.runtime, "
        "e.runtime_version FROM (SELECT DISTINCT runtime, function, log_stream FROM invocations "
        "WHERE %s) i JOIN environments e ON e.function = i.function AND e.log_stream = "
        "i.log_stream WHERE e.runtime_version IS NOT NULL ORDER BY 1, 2) GROUP BY runtime";

    return night_rows(db, memory, nt, which, all, take_memory, err) < 0 ||
                   night_rows(db, arch, nt, which, all, take_arch, err) < 0 ||
                   night_rows(db, versions, nt, which, all, take_versions, err) < 0
               ? -1
               : 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const runtime_sides *)a)->name, ((const runtime_sides *)b)->name);
}

static void sides_free(sides *all)
{
    for (int k = 0; k < all->n; k++)
        for (int w = 0; w < 2; w++)
            for (int v = 0; v < V_COUNT; v++)
                free(all->rt[k].s[w].val[v].v);
}

/* ---- comparing --------------------------------------------------------- */

static uint64_t seed_for(uint64_t seed, const char *runtime, int metric)
{
    uint64_t h = hash64_fnv_str(runtime, HASH64_FNV_BASIS);

    return seed ^ h ^ ((uint64_t)(metric + 1) * 0x9E3779B97F4A7C15ULL);
}

static void note_change(char *note, size_t size, const char *what, const char *a, const char *b,
                        const char *unit)
{
    size_t len = strlen(note);

    if (!*a || !*b || strcmp(a, b) == 0 || len + 1 >= size)
        return;
    snprintf(note + len, size - len, "%s%s changed: %s → %s%s", len ? "; " : "", what, a, b, unit);
}

/* The events and the whole of rate metric m on side s. */
static void rate_counts(const side *s, enum compare_metric m, uint64_t *k, uint64_t *n)
{
    switch (m) {
    case CM_COLD_RATE:
        *k = s->cold, *n = s->n;
        break;
    case CM_ERROR_RATE:
        *k = s->errors, *n = s->n;
        break;
    case CM_4XX_RATE:
        *k = s->s4xx, *n = s->with_status;
        break;
    default:
        *k = s->s5xx, *n = s->with_status;
        break;
    }
}

/* One metric of one runtime, before the family's adjustment. */
static int compare_one(runtime_sides *rs, enum compare_metric m, const compare_opts *o,
                       compare_row *row, mrb_err *err)
{
    const struct metric_def *d = &metrics[m];
    side *a = &rs->s[0], *b = &rs->s[1];
    int rc = 0;

    memset(row, 0, sizeof *row);
    snprintf(row->runtime, sizeof row->runtime, "%s", rs->name);
    row->metric = m;
    row->p_mw = NAN;
    if (d->kind == K_QUANTILE) {
        vec *x = &a->val[d->from], *y = &b->val[d->from];
        cmp_mw mw;
        row->n_min = cmp_min_n_quantile(d->p, CMP_TAIL_POINTS);
        rc = cmp_quantile(x->v, x->n, y->v, y->n, d->p, o->iters, seed_for(o->seed, rs->name, m),
                          CMP_LEVEL, &row->r, err);
        if (rc == 0 && x->n && y->n &&
            cmp_mann_whitney_sorted(x->v, x->n, y->v, y->n, &mw, err) == 0)
            row->p_mw = mw.p;
    } else if (d->kind == K_RATE) {
        uint64_t ka, na, kb, nb;
        rate_counts(a, m, &ka, &na);
        rate_counts(b, m, &kb, &nb);
        row->n_min = CMP_MIN_N_RATE;
        rc = cmp_rate(ka, na, kb, nb, CMP_LEVEL, &row->r, err);
        row->r.base *= 100;
        row->r.cand *= 100;
    } else {
        vec *x = &a->val[d->from], *y = &b->val[d->from];
        row->n_min = CMP_MIN_N_MEAN;
        rc = cmp_mean(x->v, x->n, y->v, y->n, CMP_LEVEL, &row->r, err);
        row->r.base *= 1e6;
        row->r.cand *= 1e6;
    }
    if (compare_metric_e2e(m) && (!a->requests || !b->requests))
        snprintf(row->note, sizeof row->note, "no API Gateway requests in the %s: n/a",
                 !a->requests ? "baseline" : "candidate");
    note_change(row->note, sizeof row->note, "memory size", a->memory, b->memory, " MB");
    note_change(row->note, sizeof row->note, "architecture", a->arch, b->arch, "");
    note_change(row->note, sizeof row->note, "runtime version", a->versions, b->versions, "");
    return rc;
}

/* Holm over every row with enough values on both sides, then verdicts. */
static int judge_all(compare_report *rep, const compare_opts *o, mrb_err *err)
{
    double *p = xcalloc(rep->n_rows ? rep->n_rows : 1, sizeof *p);
    int rc;

    rep->family = 0;
    for (size_t i = 0; i < rep->n_rows; i++) {
        const compare_row *r = &rep->rows[i];
        int judged = r->r.na >= r->n_min && r->r.nb >= r->n_min && !isnan(r->r.p);
        p[i] = judged ? r->r.p : NAN;
        rep->family += judged;
    }
    rc = cmp_holm(p, rep->n_rows, p, err);
    for (size_t i = 0; rc == 0 && i < rep->n_rows; i++) {
        compare_row *r = &rep->rows[i];
        cmp_rule rule = cmp_rule_default(r->n_min);
        rule.alpha = o->alpha;
        rule.threshold = o->threshold[r->metric];
        rule.family = rep->family ? rep->family : 1;
        r->p_adj = p[i];
        r->verdict = cmp_judge(&r->r, p[i], &rule, &r->n_needed);
        rep->counts[r->verdict]++;
    }
    free(p);
    return rc;
}

int compare_run(sqlite3 *db, const night *base, const night *cand, const compare_opts *o,
                compare_report *out, mrb_err *err)
{
    sides *all = xcalloc(1, sizeof *all);
    int rc = -1;

    memset(out, 0, sizeof *out);
    out->base = *base;
    out->cand = *cand;
    out->opts = *o;
    if (load_values(db, base, 0, all, err) < 0 || load_values(db, cand, 1, all, err) < 0 ||
        load_guards(db, base, 0, all, err) < 0 || load_guards(db, cand, 1, all, err) < 0)
        goto done;
    uint64_t na = 0, nb = 0;
    for (int k = 0; k < all->n; k++)
        na += all->rt[k].s[0].n, nb += all->rt[k].s[1].n;
    if (!na || !nb) {
        mrb_err_set(err, 0, -1, "no invocations for %s '%s'", !na ? "baseline" : "candidate",
                    !na ? base->label : cand->label);
        goto done;
    }
    /* runtimes in name order; values sorted for the quantile methods */
    qsort(all->rt, (size_t)all->n, sizeof all->rt[0], by_name);
    out->rows = xcalloc((size_t)all->n * CM_COUNT, sizeof *out->rows);
    for (int k = 0; k < all->n; k++) {
        for (int w = 0; w < 2; w++)
            for (int v = 0; v < V_COUNT; v++)
                stats_sort(all->rt[k].s[w].val[v].v, all->rt[k].s[w].val[v].n);
        const runtime_sides *rs = &all->rt[k];
        int requests = rs->s[0].requests || rs->s[1].requests;
        int invocations = rs->s[0].n || rs->s[1].n;
        for (int m = 0; m < CM_COUNT; m++) {
            if (compare_metric_e2e((enum compare_metric)m) ? !requests : !invocations)
                continue;
            if (compare_one(&all->rt[k], (enum compare_metric)m, o, &out->rows[out->n_rows++],
                            err) < 0)
                goto done;
        }
    }
    rc = judge_all(out, o, err);
done:
    sides_free(all);
    free(all);
    if (rc < 0)
        compare_free(out);
    return rc;
}

void compare_free(compare_report *rep)
{
    free(rep->rows);
    rep->rows = NULL;
    rep->n_rows = 0;
}
