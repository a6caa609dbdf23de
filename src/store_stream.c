/* store_stream.c — DynamoDB stream records in the store (see store.h).
 *
 * Records are idempotent on their dedupe_key (INSERT ... ON CONFLICT DO
 * NOTHING); the violations and numbers that follow a record are written
 * only when the record was new. Runtime attribution from the logs runs
 * after the writes of an ingest (store_stream_attribute), over the records
 * still unattributed, so that logs ingested before or after the records
 * attribute them alike. Statements are prepared on first use and kept in
 * the store (store_priv.h). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/hash64.h"
#include "mrb/xalloc.h"
#include "store_priv.h"

/* How far from a record its id may be logged: Lambda's longest invocation
 * (15 minutes) and a second of ApproximateCreationDateTime rounding. */
#define LOG_WINDOW_MS 901000LL
#define CHUNK 65536 /* unattributed records read at a time (about 3 MB) */

enum ss_stmt {
    SS_RECORD,
    SS_VIOLATION,
    SS_NUMBER,
    SS_APP_IDS,
    SS_FILE_COUNTS,
    SS_MOVE_RECORDS,
    SS_MOVE_COUNTS,
    SS_DROP_APP_IDS,
    SS_MOVE_APP_IDS,
    SS_RELABEL,
    SS_UNATTRIBUTED,
    SS_SCAN_APP_IDS,
    SS_SCAN_REQUESTS,
    SS_REQUEST_ROW,
    SS_ATTRIBUTE,
    SS_LEFT,
    SS_COUNT
};

static const char *const ss_sql[SS_COUNT] = {
    [SS_RECORD] =
        "INSERT INTO stream_records(dedupe_key, origin, event_id, event_name, table_name, "
        "table_from, region, stream_arn, stream_view_type, sequence_number, kinesis_seq, "
        "approx_ts_ms, approx_ts_us, ts_precision, ttl_delete, keys, new_image, old_image, "
        "item_id, size_bytes, keys_size, new_size, old_size, item_size, wru, wru_basis, "
        "item_ts_ms, item_ts_attribute, lag_ms, runtime, runtime_source, images_checked, "
        "violations, run, file_id, line, record_index) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
        "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, "
        "?35, ?36, ?37) ON CONFLICT(dedupe_key) DO NOTHING",
    [SS_VIOLATION] = "INSERT INTO stream_violations(record_id, image, seq, kind, attribute, "
                     "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    [SS_NUMBER] = "INSERT INTO stream_numbers(record_id, image, attribute, text, value, exact) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    [SS_APP_IDS] = "INSERT INTO app_ids(file_id, function, first_ts_ms, last_ts_ms, ids, entries) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [SS_FILE_COUNTS] = "UPDATE files SET stream_records = ?2, stream_records_new = ?3, "
                       "stream_violations = ?4 WHERE file_id = ?1",
    [SS_MOVE_RECORDS] = "UPDATE stream_records SET file_id = ?2 WHERE file_id = ?1",
    [SS_MOVE_COUNTS] =
        "UPDATE files SET stream_records = (SELECT stream_records FROM files WHERE file_id = ?1), "
        "stream_records_new = stream_records_new + "
        "(SELECT stream_records_new FROM files WHERE file_id = ?1), "
        "stream_violations = stream_violations + "
        "(SELECT stream_violations FROM files WHERE file_id = ?1) WHERE file_id = ?2",
    /* the same content: its ids are there already (unless that ingest kept none) */
    [SS_DROP_APP_IDS] = "DELETE FROM app_ids WHERE file_id = ?1 AND "
                        "EXISTS (SELECT 1 FROM app_ids WHERE file_id = ?2)",
    [SS_MOVE_APP_IDS] = "UPDATE app_ids SET file_id = ?2 WHERE file_id = ?1",
    [SS_RELABEL] = "UPDATE stream_records SET runtime = ?2 WHERE function = ?1 "
                   "AND runtime_source = 'log-id' AND runtime <> ?2",
    [SS_UNATTRIBUTED] =
        "SELECT record_id, item_id, approx_ts_ms FROM stream_records "
        "WHERE runtime_source = 'unattributed' AND approx_ts_ms IS NOT NULL "
        "AND item_id IS NOT NULL AND (approx_ts_ms > ?1 OR (approx_ts_ms = ?1 AND record_id > ?2)) "
        "ORDER BY approx_ts_ms, record_id LIMIT ?3",
    [SS_SCAN_APP_IDS] =
        "SELECT a.function, coalesce(f.runtime, 'unknown'), a.ids, a.entries FROM app_ids a "
        "LEFT JOIN functions f ON f.function = a.function "
        "WHERE a.last_ts_ms >= ?1 AND a.first_ts_ms <= ?2",
    [SS_SCAN_REQUESTS] = "SELECT request_id, ts_ms FROM invocations WHERE ts_ms BETWEEN ?1 AND ?2",
    [SS_REQUEST_ROW] =
        "SELECT runtime, function FROM invocations WHERE ts_ms = ?1 AND request_id = ?2",
    [SS_ATTRIBUTE] = "UPDATE stream_records SET runtime = ?2, runtime_source = 'log-id', "
                     "function = ?3 WHERE record_id = ?1",
    [SS_LEFT] = "SELECT count(*) FROM stream_records WHERE runtime_source = 'unattributed'",
};

struct store_stream {
    sqlite3_stmt *st[SS_COUNT];
    long long last_id; /* the last record's row id, 0 when it was already stored */
};

void store_stream_release(store_stream *ss)
{
    if (!ss)
        return;
    for (int i = 0; i < SS_COUNT; i++)
        sqlite3_finalize(ss->st[i]);
    free(ss);
}

static int fail(store *s, mrb_err *err, const char *what)
{
    return mrb_err_set(err, 0, -1, "database: %s: %s", what, sqlite3_errmsg(store_db(s)));
}

/* The statement id, prepared on first use; NULL with err. */
static sqlite3_stmt *stmt(store *s, enum ss_stmt id, mrb_err *err)
{
    store_stream **slot = store_priv_stream(s);

    if (!*slot)
        *slot = xcalloc(1, sizeof **slot);
    if (!(*slot)->st[id] &&
        sqlite3_prepare_v3(store_db(s), ss_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                           &(*slot)->st[id], NULL) != SQLITE_OK) {
        fail(s, err, "preparing a statement");
        return NULL;
    }
    return (*slot)->st[id];
}

/* Steps a bound statement to its end and resets it. */
static int done(store *s, sqlite3_stmt *q, mrb_err *err)
{
    int rc = sqlite3_step(q);

    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(s, err, "writing");
}

int store_stream_record(store *s, const stream_row *r, int *added, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_RECORD, err);

    if (!q)
        return -1;
    bind_str(q, 1, r->dedupe_key);
    bind_str(q, 2, r->origin);
    bind_str(q, 3, r->event_id);
    bind_str(q, 4, r->event_name);
    bind_str(q, 5, r->table_name);
    bind_str(q, 6, r->table_name ? r->table_from : NULL);
    bind_str(q, 7, r->region);
    bind_str(q, 8, r->stream_arn);
    bind_str(q, 9, r->stream_view_type);
    bind_str(q, 10, r->sequence_number);
    bind_str(q, 11, r->kinesis_seq);
    bind_ll(q, 12, r->has_ts, r->approx_ts_ms);
    bind_ll(q, 13, r->has_ts, r->approx_ts_us);
    bind_str(q, 14, r->has_ts ? r->ts_precision : NULL);
    sqlite3_bind_int(q, 15, r->ttl_delete ? 1 : 0);
    bind_str(q, 16, r->keys);
    bind_str(q, 17, r->new_image);
    bind_str(q, 18, r->old_image);
    bind_str(q, 19, r->item_id);
    bind_ll(q, 20, r->size_bytes >= 0, r->size_bytes);
    sqlite3_bind_int64(q, 21, r->keys_size);
    bind_ll(q, 22, r->new_size >= 0, r->new_size);
    bind_ll(q, 23, r->old_size >= 0, r->old_size);
    bind_ll(q, 24, r->item_size >= 0, r->item_size);
    sqlite3_bind_int64(q, 25, r->wru);
    bind_str(q, 26, r->wru_basis);
    bind_ll(q, 27, r->has_item_ts, r->item_ts_ms);
    bind_str(q, 28, r->has_item_ts ? r->item_ts_attribute : NULL);
    bind_ll(q, 29, r->has_item_ts && r->has_ts, r->approx_ts_ms - r->item_ts_ms);
    bind_str(q, 30, r->runtime);
    bind_str(q, 31, r->runtime_source);
    sqlite3_bind_int(q, 32, r->images_checked);
    sqlite3_bind_int(q, 33, r->violations);
    bind_str(q, 34, store_priv_run(s));
    sqlite3_bind_int64(q, 35, store_priv_file_id(s));
    bind_ll(q, 36, r->line > 0, r->line);
    sqlite3_bind_int64(q, 37, r->record_index);
    if (done(s, q, err) < 0)
        return -1;
    *added = sqlite3_changes(store_db(s)) > 0;
    (*store_priv_stream(s))->last_id = *added ? sqlite3_last_insert_rowid(store_db(s)) : 0;
    return 0;
}

int store_stream_violation(store *s, const char *image, int seq, const char *kind,
                           const char *attribute, const char *detail, mrb_err *err)
{
    store_stream *ss = *store_priv_stream(s);
    sqlite3_stmt *q;

    if (!ss || !ss->last_id)
        return 0; /* the record was known: so are its violations */
    if (!(q = stmt(s, SS_VIOLATION, err)))
        return -1;
    sqlite3_bind_int64(q, 1, ss->last_id);
    bind_str(q, 2, image);
    sqlite3_bind_int(q, 3, seq);
    bind_str(q, 4, kind);
    bind_str(q, 5, attribute);
    bind_str(q, 6, detail);
    return done(s, q, err);
}

int store_stream_number(store *s, const char *image, const char *attribute, const char *text,
                        int has_value, double value, int exact, mrb_err *err)
{
    store_stream *ss = *store_priv_stream(s);
    sqlite3_stmt *q;

    if (!ss || !ss->last_id)
        return 0;
    if (!(q = stmt(s, SS_NUMBER, err)))
        return -1;
    sqlite3_bind_int64(q, 1, ss->last_id);
    bind_str(q, 2, image);
    bind_str(q, 3, attribute);
    bind_str(q, 4, text);
    if (has_value)
        sqlite3_bind_double(q, 5, value);
    else
        sqlite3_bind_null(q, 5);
    sqlite3_bind_int(q, 6, exact ? 1 : 0);
    return done(s, q, err);
}

int store_app_ids(store *s, const char *function, int64_t first_ts_ms, int64_t last_ts_ms,
                  long long n, const void *entries, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_APP_IDS, err);

    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, store_priv_file_id(s));
    bind_str(q, 2, function);
    sqlite3_bind_int64(q, 3, first_ts_ms);
    sqlite3_bind_int64(q, 4, last_ts_ms);
    sqlite3_bind_int64(q, 5, n);
    sqlite3_bind_blob64(q, 6, entries, (sqlite3_uint64)n * STORE_APP_ID_BYTES, SQLITE_STATIC);
    return done(s, q, err);
}

int store_stream_file(store *s, long long records, long long records_new, long long violations,
                      mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_FILE_COUNTS, err);

    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, store_priv_file_id(s));
    sqlite3_bind_int64(q, 2, records);
    sqlite3_bind_int64(q, 3, records_new);
    sqlite3_bind_int64(q, 4, violations);
    return done(s, q, err);
}

int store_stream_merge_file(store *s, long long from, long long to, mrb_err *err)
{
    static const enum ss_stmt moves[] = {SS_MOVE_RECORDS, SS_MOVE_COUNTS, SS_DROP_APP_IDS,
                                         SS_MOVE_APP_IDS};

    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        sqlite3_stmt *q = stmt(s, moves[i], err);
        if (!q)
            return -1;
        sqlite3_bind_int64(q, 1, from);
        sqlite3_bind_int64(q, 2, to);
        if (done(s, q, err) < 0)
            return -1;
    }
    return 0;
}

int store_stream_relabel(store *s, const char *function, const char *runtime, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_RELABEL, err);

    if (!q)
        return -1;
    bind_str(q, 1, function);
    bind_str(q, 2, runtime);
    return done(s, q, err);
}

/* ---- attribution from the logs ---- */

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

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

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
        int hi = hexval((unsigned char)text[i]), lo = hexval((unsigned char)text[i + 1]);
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
static int next_chunk(store *s, chunk *c, int64_t *ts, long long *id, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_UNATTRIBUTED, err);
    int rows = 0, rc;

    c->n = 0;
    if (!q)
        return -1;
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
    return rc == SQLITE_DONE ? rows : fail(s, err, "reading stream records");
}

static long long distance(int64_t a, int64_t b) { return a > b ? a - b : b - a; }

/* One pass over the application ids that may be near the chunk. */
static int scan_app_ids(store *s, chunk *c, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_SCAN_APP_IDS, err);
    int rc;

    if (!q)
        return -1;
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
    return rc == SQLITE_DONE ? 0 : fail(s, err, "reading app_ids");
}

/* The runtime and function of one invocation, interned; -1 with err. */
static int request_fn(store *s, chunk *c, int64_t ts, const char *rid, int *fn, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_REQUEST_ROW, err);
    int rc;

    if (!q)
        return -1;
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
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(s, err, "reading invocations");
}

/* One pass over the request ids of the invocations near the chunk (the
 * time index holds them: only matches read their rows). */
static int scan_requests(store *s, chunk *c, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_SCAN_REQUESTS, err);
    unsigned char u[16];
    int rc;

    if (!q)
        return -1;
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
                if (request_fn(s, c, t, id, &fn, err) < 0) {
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
    return rc == SQLITE_DONE ? 0 : fail(s, err, "reading invocations");
}

/* Writes the chunk's unambiguous decisions; their count in *hits. */
static int settle_chunk(store *s, chunk *c, long long *hits, mrb_err *err)
{
    for (int k = 0; k < c->n; k++) {
        pending *p = &c->p[k];
        sqlite3_stmt *u;
        if (p->best < 0 || p->ambiguous)
            continue;
        if (!(u = stmt(s, SS_ATTRIBUTE, err)))
            return -1;
        sqlite3_bind_int64(u, 1, p->id);
        bind_str(u, 2, c->fns[p->best].runtime);
        bind_str(u, 3, c->fns[p->best].function);
        if (done(s, u, err) < 0)
            return -1;
        (*hits)++;
    }
    return 0;
}

static int exec(store *s, const char *sql, mrb_err *err)
{
    return sqlite3_exec(store_db(s), sql, NULL, NULL, NULL) == SQLITE_OK ? 0
                                                                          : fail(s, err, sql);
}

int store_stream_attribute(store *s, long long *attributed, long long *left, mrb_err *err)
{
    chunk c;
    sqlite3_stmt *q;
    int64_t ts = INT64_MIN;
    long long id = 0;
    int rows, rc = -1;

    memset(&c, 0, sizeof c);
    *attributed = *left = 0;
    if (exec(s, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    c.p = xcalloc(CHUNK, sizeof *c.p);
    while ((rows = next_chunk(s, &c, &ts, &id, err)) > 0) {
        if (c.n > 0) {
            index_chunk(&c);
            if (scan_app_ids(s, &c, err) < 0 || scan_requests(s, &c, err) < 0 ||
                settle_chunk(s, &c, attributed, err) < 0)
                goto done;
            forget_fns(&c);
        }
        if (rows < CHUNK)
            break;
    }
    if (rows < 0)
        goto done;
    if (!(q = stmt(s, SS_LEFT, err)))
        goto done;
    if (sqlite3_step(q) == SQLITE_ROW)
        *left = sqlite3_column_int64(q, 0);
    if (sqlite3_reset(q) != SQLITE_OK) {
        fail(s, err, "counting stream records");
        goto done;
    }
    rc = exec(s, "COMMIT", err);
done:
    if (rc < 0)
        sqlite3_exec(store_db(s), "ROLLBACK", NULL, NULL, NULL);
    forget_fns(&c);
    free(c.fns);
    free(c.slot);
    free(c.p);
    return rc;
}
