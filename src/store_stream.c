/* store_stream.c — DynamoDB stream records in the store (see store.h).
 *
 * Records are idempotent on their dedupe_key (INSERT ... ON CONFLICT DO
 * NOTHING); the violations and numbers that follow a record are written
 * only when the record was new. Runtime attribution from the logs runs
 * after the writes of an ingest (store_stream_attribute), over the records
 * still unattributed, so that logs ingested before or after the records
 * attribute them alike. Statements are prepared on first use and kept in
 * the store (store_priv.h). */
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"
#include "store_priv.h"

/* How far from a record its id may be logged: Lambda's longest invocation
 * (15 minutes) and a second of ApproximateCreationDateTime rounding. */
#define LOG_WINDOW_MS 901000LL
#define CHUNK 512 /* unattributed records read at a time */

enum ss_stmt {
    SS_RECORD,
    SS_VIOLATION,
    SS_NUMBER,
    SS_APP_ID,
    SS_FILE_COUNTS,
    SS_MOVE_RECORDS,
    SS_MOVE_COUNTS,
    SS_RELABEL,
    SS_UNATTRIBUTED,
    SS_CANDIDATES,
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
    [SS_APP_ID] = "INSERT INTO app_ids(ts_ms, id, function) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT DO NOTHING",
    [SS_FILE_COUNTS] = "UPDATE files SET stream_records = ?2, stream_records_new = ?3, "
                       "stream_violations = ?4 WHERE file_id = ?1",
    [SS_MOVE_RECORDS] = "UPDATE stream_records SET file_id = ?2 WHERE file_id = ?1",
    [SS_MOVE_COUNTS] =
        "UPDATE files SET stream_records = (SELECT stream_records FROM files WHERE file_id = ?1), "
        "stream_records_new = stream_records_new + "
        "(SELECT stream_records_new FROM files WHERE file_id = ?1), "
        "stream_violations = stream_violations + "
        "(SELECT stream_violations FROM files WHERE file_id = ?1) WHERE file_id = ?2",
    [SS_RELABEL] = "UPDATE stream_records SET runtime = ?2 WHERE function = ?1 "
                   "AND runtime_source = 'log-id' AND runtime <> ?2",
    [SS_UNATTRIBUTED] =
        "SELECT record_id, item_id, approx_ts_ms FROM stream_records "
        "WHERE runtime_source = 'unattributed' AND approx_ts_ms IS NOT NULL "
        "AND item_id IS NOT NULL AND (approx_ts_ms > ?1 OR (approx_ts_ms = ?1 AND record_id > ?2)) "
        "ORDER BY approx_ts_ms, record_id LIMIT ?3",
    [SS_CANDIDATES] =
        "SELECT runtime, function, d FROM ("
        " SELECT coalesce(f.runtime, 'unknown') AS runtime, a.function AS function, "
        "        min(abs(a.ts_ms - ?2)) AS d"
        " FROM app_ids a LEFT JOIN functions f ON f.function = a.function"
        " WHERE a.ts_ms BETWEEN ?2 - ?3 AND ?2 + ?3 AND a.id = ?1 GROUP BY a.function"
        " UNION ALL"
        " SELECT i.runtime, i.function, min(abs(i.ts_ms - ?2)) FROM invocations i"
        " WHERE i.ts_ms BETWEEN ?2 - 1000 AND ?2 + ?3 AND i.request_id = ?1 GROUP BY i.function)"
        " ORDER BY d, runtime, function LIMIT 2",
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

static void bind_str(sqlite3_stmt *q, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

static void bind_ll(sqlite3_stmt *q, int i, int present, long long v)
{
    if (present)
        sqlite3_bind_int64(q, i, v);
    else
        sqlite3_bind_null(q, i);
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

int store_app_id(store *s, int64_t ts_ms, const char *id, const char *function, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_APP_ID, err);

    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, ts_ms);
    bind_str(q, 2, id);
    bind_str(q, 3, function);
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
    static const enum ss_stmt moves[] = {SS_MOVE_RECORDS, SS_MOVE_COUNTS};

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

typedef struct pending {
    long long id;
    int64_t ts;
    char item[128]; /* lower case */
} pending;

/* Reads the next chunk of unattributed records after (*ts, *id). Returns
 * how many, or -1 with err. */
static int next_chunk(store *s, pending *p, int64_t *ts, long long *id, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_UNATTRIBUTED, err);
    int n = 0, rc;

    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, *ts);
    sqlite3_bind_int64(q, 2, *id);
    sqlite3_bind_int(q, 3, CHUNK);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const unsigned char *item = sqlite3_column_text(q, 1);
        size_t k = 0;
        p[n].id = sqlite3_column_int64(q, 0);
        p[n].ts = sqlite3_column_int64(q, 2);
        for (; item && item[k] && k + 1 < sizeof p[n].item; k++)
            p[n].item[k] = (char)tolower(item[k]);
        p[n].item[k] = '\0';
        *ts = p[n].ts;
        *id = p[n].id;
        n++;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? n : fail(s, err, "reading stream records");
}

/* Attributes one record when the logs name its id unambiguously; *hit 1
 * when it was. */
static int attribute_one(store *s, const pending *p, int *hit, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_CANDIDATES, err), *u;
    char runtime[64] = "", function[256] = "";
    long long best = -1;
    int rc, rows = 0, ambiguous = 0;

    *hit = 0;
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, p->item, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, p->ts);
    sqlite3_bind_int64(q, 3, LOG_WINDOW_MS);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *rt = (const char *)sqlite3_column_text(q, 0);
        long long d = sqlite3_column_int64(q, 2);
        if (rows++ == 0) {
            const char *fn = (const char *)sqlite3_column_text(q, 1);
            snprintf(runtime, sizeof runtime, "%s", rt ? rt : "unknown");
            snprintf(function, sizeof function, "%s", fn ? fn : "");
            best = d;
        } else if (d == best && strcmp(rt ? rt : "unknown", runtime) != 0) {
            ambiguous = 1; /* two runtimes named the id equally near */
        }
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_DONE)
        return fail(s, err, "reading ids in the logs");
    if (!rows || ambiguous)
        return 0;
    if (!(u = stmt(s, SS_ATTRIBUTE, err)))
        return -1;
    sqlite3_bind_int64(u, 1, p->id);
    sqlite3_bind_text(u, 2, runtime, -1, SQLITE_STATIC);
    sqlite3_bind_text(u, 3, function, -1, SQLITE_STATIC);
    if (done(s, u, err) < 0)
        return -1;
    *hit = 1;
    return 0;
}

static int exec(store *s, const char *sql, mrb_err *err)
{
    return sqlite3_exec(store_db(s), sql, NULL, NULL, NULL) == SQLITE_OK ? 0
                                                                          : fail(s, err, sql);
}

int store_stream_attribute(store *s, long long *attributed, long long *left, mrb_err *err)
{
    pending *p = xcalloc(CHUNK, sizeof *p);
    sqlite3_stmt *q;
    int64_t ts = INT64_MIN;
    long long id = 0;
    int n, rc = -1;

    *attributed = *left = 0;
    if (exec(s, "BEGIN IMMEDIATE", err) < 0) {
        free(p);
        return -1;
    }
    while ((n = next_chunk(s, p, &ts, &id, err)) > 0) {
        for (int i = 0; i < n; i++) {
            int hit;
            if (attribute_one(s, &p[i], &hit, err) < 0)
                goto done;
            *attributed += hit;
        }
        if (n < CHUNK)
            break;
    }
    if (n < 0)
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
    free(p);
    return rc;
}
