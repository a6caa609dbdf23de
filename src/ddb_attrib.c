/* ddb_attrib.c — DynamoDB stream records attributed to runtimes from the
 * logs (see ddb_attrib.h). */
#include "mrb/ddb_attrib.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/hash64.h"
#include "mrb/json_lex.h"
#include "mrb/xalloc.h"

/* How far from a record its id may be logged: Lambda's longest invocation
 * (15 minutes) and a second of ApproximateCreationDateTime rounding. */
#define LOG_WINDOW_MS 901000LL
#define CHUNK 65536 /* unattributed records read at a time (about 3 MB) */

enum attr_stmt { A_UNATTRIBUTED, A_SCAN_APP_IDS, A_SCAN_REQUESTS, A_REQUEST_ROW, A_ATTRIBUTE, A_LEFT,
                 A_COUNT };

static const char *const attr_sql[A_COUNT] = {
    [A_UNATTRIBUTED] =
        "SELECT record_id, item_id, approx_ts_ms FROM stream_records "
        "WHERE runtime_source = 'unattributed' AND approx_ts_ms IS NOT NULL "
        "AND item_id IS NOT NULL AND (approx_ts_ms > ?1 OR (approx_ts_ms = ?1 AND record_id > ?2)) "
        "ORDER BY approx_ts_ms, record_id LIMIT ?3",
    [A_SCAN_APP_IDS] =
        "SELECT a.function, coalesce(f.runtime, 'unknown'), a.ids, a.entries FROM app_ids a "
        "LEFT JOIN functions f ON f.function = a.function "
        "WHERE a.last_ts_ms >= ?1 AND a.first_ts_ms <= ?2",
    [A_SCAN_REQUESTS] = "SELECT request_id, ts_ms FROM invocations WHERE ts_ms BETWEEN ?1 AND ?2",
    [A_REQUEST_ROW] =
        "SELECT runtime, function FROM invocations WHERE ts_ms = ?1 AND request_id = ?2",
    [A_ATTRIBUTE] = ("UPDATE stream_records SET runtime = ?2, runtime_source = 'log-id', "
                     "function = ?3 WHERE record_id = ?1"),
    [A_LEFT] = "SELECT count(*) FROM stream_records WHERE runtime_source = 'unattributed'",
};

/* The statements of one run, prepared at its start. */
typedef struct attr {
    sqlite3 *db;
    sqlite3_stmt *st[A_COUNT];
} attr;

static int fail(attr *a, mrb_err *err, const char *what)
{
    return mrb_err_set(err, 0, -1, "database: %s: %s", what, sqlite3_errmsg(a->db));
}

/* Steps a bound statement to its end and resets it. */
static int done(attr *a, sqlite3_stmt *q, mrb_err *err)
{
    int rc = sqlite3_step(q);

    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(a, err, "writing");
}


/* A record waiting for attribution, and the nearest function that named
 * its id so far. */
typedef struct pending {
    long long id;
    int64_t ts;
    unsigned char uuid[16];
    int next;          /* the next pending with the same uuid, or -1 */
    int best;          /* index into the chunk's functions, or -1 */
    long long best_d;  /* its distance in ms */
    int ambiguous;     /* another runtime is as near */
} pending;

typedef struct fn_label {
    char *function;
    char *runtime;
} fn_label;

typedef struct chunk {
    pending *p;
    int n;
    int *slot;         /* hash of uuid -> first pending, -1 empty */
    size_t mask;
    fn_label *fns;
    int n_fns, cap_fns;
    int64_t min_ts, max_ts;
} chunk;

/* 0 when text (len bytes) is a UUID, its 16 bytes in out; -1 otherwise. */
static int parse_uuid(const char *text, size_t len, unsigned char out[16])
{
    int k = 0;

    if (len != 36)
        return -1;
    for (size_t i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i] != '-')
                return -1;
            continue;
        }
        int hi = hexval(text[i]), lo = hexval(text[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[k++] = (unsigned char)(hi << 4 | lo);
        i++;
    }
    return 0;
}

static size_t uuid_hash(const unsigned char *u)
{
    return (size_t)hash64_fnv(u, 16, HASH64_FNV_BASIS);
}

/* The first pending of a uuid, or -1. */
static int find(const chunk *c, const unsigned char *u)
{
    for (size_t i = uuid_hash(u) & c->mask;; i = (i + 1) & c->mask) {
        int k = c->slot[i];
        if (k < 0 || !memcmp(c->p[k].uuid, u, 16))
            return k;
    }
}

static void index_chunk(chunk *c)
{
    size_t size = 16;

    while (size < (size_t)c->n * 2)
        size *= 2;
    c->mask = size - 1;
    c->slot = xrealloc(c->slot, size * sizeof *c->slot);
    for (size_t i = 0; i < size; i++)
        c->slot[i] = -1;
    for (int k = 0; k < c->n; k++) {
        size_t i = uuid_hash(c->p[k].uuid) & c->mask;
        while (c->slot[i] >= 0 && memcmp(c->p[c->slot[i]].uuid, c->p[k].uuid, 16) != 0)
            i = (i + 1) & c->mask;
        c->p[k].next = c->slot[i];
        c->slot[i] = k;
    }
}

/* The index of (function, runtime) among the chunk's functions. */
static int intern(chunk *c, const char *function, const char *runtime)
{
    for (int i = 0; i < c->n_fns; i++)
        if (!strcmp(c->fns[i].function, function) && !strcmp(c->fns[i].runtime, runtime))
            return i;
    XGROW(c->fns, c->n_fns, c->cap_fns, 8);
    c->fns[c->n_fns].function = xstrdup(function);
    c->fns[c->n_fns].runtime = xstrdup(runtime);
    return c->n_fns++;
}

static void forget_fns(chunk *c)
{
    for (int i = 0; i < c->n_fns; i++) {
        free(c->fns[i].function);
        free(c->fns[i].runtime);
    }
    c->n_fns = 0;
}

/* A function that named p's id d ms away. */
static void candidate(chunk *c, pending *p, int fn, long long d)
{
    if (p->best < 0 || d < p->best_d) {
        p->best = fn;
        p->best_d = d;
        p->ambiguous = 0;
    } else if (d == p->best_d && strcmp(c->fns[fn].runtime, c->fns[p->best].runtime) != 0) {
        p->ambiguous = 1;
    }
}

/* Reads the next chunk of unattributed records with a UUID item id after
 * (*ts, *id). Returns the rows read (those without a UUID are passed over),
 * or -1 with err. */
static int next_chunk(attr *a, chunk *c, int64_t *ts, long long *id, mrb_err *err)
{
    sqlite3_stmt *q = a->st[A_UNATTRIBUTED];
    int rows = 0, rc;

    c->n = 0;
    sqlite3_bind_int64(q, 1, *ts);
    sqlite3_bind_int64(q, 2, *id);
    sqlite3_bind_int(q, 3, CHUNK);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        pending *p = &c->p[c->n];
        const char *item = (const char *)sqlite3_column_text(q, 1);
        *id = sqlite3_column_int64(q, 0);
        *ts = sqlite3_column_int64(q, 2);
        rows++;
        if (!item || parse_uuid(item, (size_t)sqlite3_column_bytes(q, 1), p->uuid) < 0)
            continue;
        p->id = *id;
        p->ts = *ts;
        p->best = -1;
        p->ambiguous = 0;
        if (c->n == 0 || p->ts < c->min_ts)
            c->min_ts = p->ts;
        if (c->n == 0 || p->ts > c->max_ts)
            c->max_ts = p->ts;
        c->n++;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? rows : fail(a, err, "reading stream records");
}

static long long distance(int64_t a, int64_t b) { return a > b ? a - b : b - a; }

/* One pass over the application ids that may be near the chunk. */
static int scan_app_ids(attr *a, chunk *c, mrb_err *err)
{
    sqlite3_stmt *q = a->st[A_SCAN_APP_IDS];
    int rc;

    sqlite3_bind_int64(q, 1, c->min_ts - LOG_WINDOW_MS);
    sqlite3_bind_int64(q, 2, c->max_ts + LOG_WINDOW_MS);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const unsigned char *e = sqlite3_column_blob(q, 3);
        long long n = sqlite3_column_bytes(q, 3) / STORE_APP_ID_BYTES;
        int fn = -1;
        for (long long i = 0; e && i < n; i++, e += STORE_APP_ID_BYTES) {
            int k = find(c, e);
            if (k < 0)
                continue;
            int64_t t = 0;
            for (int b = 0; b < 8; b++)
                t = (int64_t)((uint64_t)t << 8 | e[16 + b]);
            for (; k >= 0; k = c->p[k].next) {
                if (distance(t, c->p[k].ts) > LOG_WINDOW_MS)
                    continue;
                if (fn < 0) {
                    const char *f = (const char *)sqlite3_column_text(q, 0);
                    const char *rt = (const char *)sqlite3_column_text(q, 1);
                    fn = intern(c, f ? f : "", rt ? rt : "unknown");
                }
                candidate(c, &c->p[k], fn, distance(t, c->p[k].ts));
            }
        }
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : fail(a, err, "reading app_ids");
}

/* The runtime and function of one invocation, interned; -1 with err. */
static int request_fn(attr *a, chunk *c, int64_t ts, const char *rid, int *fn, mrb_err *err)
{
    sqlite3_stmt *q = a->st[A_REQUEST_ROW];
    int rc;

    sqlite3_bind_int64(q, 1, ts);
    sqlite3_bind_text(q, 2, rid, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const char *rt = (const char *)sqlite3_column_text(q, 0);
        const char *f = (const char *)sqlite3_column_text(q, 1);
        *fn = intern(c, f ? f : "", rt ? rt : "unknown");
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(a, err, "reading invocations");
}

/* One pass over the request ids of the invocations near the chunk (the
 * time index holds them: only matches read their rows). */
static int scan_requests(attr *a, chunk *c, mrb_err *err)
{
    sqlite3_stmt *q = a->st[A_SCAN_REQUESTS];
    unsigned char u[16];
    int rc;

    sqlite3_bind_int64(q, 1, c->min_ts - 1000);
    sqlite3_bind_int64(q, 2, c->max_ts + LOG_WINDOW_MS);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *rid = (const char *)sqlite3_column_text(q, 0);
        int k;
        if (!rid || parse_uuid(rid, (size_t)sqlite3_column_bytes(q, 0), u) < 0 ||
            (k = find(c, u)) < 0)
            continue;
        int64_t t = sqlite3_column_int64(q, 1);
        int fn = -1;
        for (; k >= 0; k = c->p[k].next) {
            /* a REPORT comes after the write it ran (rounded down to the second) */
            if (t < c->p[k].ts - 1000 || t > c->p[k].ts + LOG_WINDOW_MS)
                continue;
            if (fn < 0) {
                char id[40];
                snprintf(id, sizeof id, "%s", rid);
                if (request_fn(a, c, t, id, &fn, err) < 0) {
                    sqlite3_reset(q);
                    return -1;
                }
                if (fn < 0)
                    break;
            }
            candidate(c, &c->p[k], fn, distance(t, c->p[k].ts));
        }
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : fail(a, err, "reading invocations");
}

/* Writes the chunk's unambiguous decisions; their count in *hits. */
static int settle_chunk(attr *a, chunk *c, long long *hits, mrb_err *err)
{
    for (int k = 0; k < c->n; k++) {
        pending *p = &c->p[k];
        sqlite3_stmt *u;
        if (p->best < 0 || p->ambiguous)
            continue;
        u = a->st[A_ATTRIBUTE];
        sqlite3_bind_int64(u, 1, p->id);
        sqlite3_bind_text(u, 2, c->fns[p->best].runtime, -1, SQLITE_STATIC);
        sqlite3_bind_text(u, 3, c->fns[p->best].function, -1, SQLITE_STATIC);
        if (done(a, u, err) < 0)
            return -1;
        (*hits)++;
    }
    return 0;
}

static int exec(attr *a, const char *sql, mrb_err *err)
{
    return sqlite3_exec(a->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(a, err, sql);
}

static int prepare(attr *a, mrb_err *err)
{
    for (int i = 0; i < A_COUNT; i++)
        if (sqlite3_prepare_v2(a->db, attr_sql[i], -1, &a->st[i], NULL) != SQLITE_OK)
            return fail(a, err, "preparing a statement");
    return 0;
}

static void finalize(attr *a)
{
    for (int i = 0; i < A_COUNT; i++)
        sqlite3_finalize(a->st[i]);
}

static int attribute(attr *a, long long *attributed, long long *left, mrb_err *err)
{
    chunk c;
    sqlite3_stmt *q;
    int64_t ts = INT64_MIN;
    long long id = 0;
    int rows, rc = -1;

    memset(&c, 0, sizeof c);
    *attributed = *left = 0;
    if (exec(a, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    c.p = xcalloc(CHUNK, sizeof *c.p);
    while ((rows = next_chunk(a, &c, &ts, &id, err)) > 0) {
        if (c.n > 0) {
            index_chunk(&c);
            if (scan_app_ids(a, &c, err) < 0 || scan_requests(a, &c, err) < 0 ||
                settle_chunk(a, &c, attributed, err) < 0)
                goto done;
            forget_fns(&c);
        }
        if (rows < CHUNK)
            break;
    }
    if (rows < 0)
        goto done;
    q = a->st[A_LEFT];
    if (sqlite3_step(q) == SQLITE_ROW)
        *left = sqlite3_column_int64(q, 0);
    if (sqlite3_reset(q) != SQLITE_OK) {
        fail(a, err, "counting stream records");
        goto done;
    }
    rc = exec(a, "COMMIT", err);
done:
    if (rc < 0)
        sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
    forget_fns(&c);
    free(c.fns);
    free(c.slot);
    free(c.p);
    return rc;
}

int ddb_attribute(store *s, long long *attributed, long long *left, mrb_err *err)
{
    attr a = {.db = store_db(s)};
    int rc = prepare(&a, err) < 0 ? -1 : attribute(&a, attributed, left, err);

    finalize(&a);
    return rc;
}
