/* store_ddb.c — DynamoDB stream records in the store (see store.h).
 *
 * Records are idempotent on their dedupe_key (INSERT ... ON CONFLICT DO
 * NOTHING); the violations and numbers that follow a record are written
 * only when the record was new. The attribution of records to runtimes
 * from the logs is ddb_attrib.c's. Statements are prepared on first use and
 * kept in the store (store_priv.h). Here the C names (ddb) meet the tables,
 * whose names the schema keeps: stream_records, stream_violations,
 * stream_numbers, app_ids and the files.stream_records* counts. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"
#include "store_priv.h"

enum ss_stmt {
    SS_RECORD,
    SS_VIOLATION,
    SS_NUMBER,
    SS_APP_IDS,
    SS_FILE_COUNTS,
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
};

typedef struct store_ddb store_ddb;

struct store_ddb {
    sqlite3_stmt *st[SS_COUNT];
    long long last_id; /* the last record's row id, 0 when it was already stored */
};

static void release(void *state)
{
    store_ddb *ss = state;

    for (int i = 0; i < SS_COUNT; i++)
        sqlite3_finalize(ss->st[i]);
    free(ss);
}

static int fail(store *s, mrb_err *err, const char *what)
{
    return mrb_err_set(err, 0, -1, "database: %s: %s", what, sqlite3_errmsg(store_db(s)));
}

/* The store's state of the stream record writes, made on first use. */
static store_ddb *state(store *s)
{
    void **slot = store_priv_slot(s, STORE_SLOT_DDB, release);

    if (!*slot)
        *slot = xcalloc(1, sizeof(store_ddb));
    return *slot;
}

/* The statement id, prepared on first use; NULL with err. */
static sqlite3_stmt *stmt(store *s, enum ss_stmt id, mrb_err *err)
{
    store_ddb *ss = state(s);

    if (!ss->st[id] && sqlite3_prepare_v3(store_db(s), ss_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                          &ss->st[id], NULL) != SQLITE_OK) {
        fail(s, err, "preparing a statement");
        return NULL;
    }
    return ss->st[id];
}

/* Steps a bound statement to its end and resets it. */
static int done(store *s, sqlite3_stmt *q, mrb_err *err)
{
    int rc = sqlite3_step(q);

    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(s, err, "writing");
}

/* SS_RECORD's parameters from the row; ?6 (the table's source), ?15 (the
 * TTL flag), ?29 (the lag) and ?34 .. ?37 are bound apart. */
#define R(m) BIND(ddb_row, m)
#define R_TS(m) BIND_IF(ddb_row, m, has_ts)
#define R_ITEM(m) BIND_IF(ddb_row, m, has_item_ts)
static const bind_col record_cols[] = {
    R(dedupe_key), R(origin), R(event_id), R(event_name), R(table_name), BIND_SKIP, R(region),
    R(stream_arn), R(stream_view_type), R(sequence_number), R(kinesis_seq), R_TS(approx_ts_ms),
    R_TS(approx_ts_us), R_TS(ts_precision), BIND_SKIP, R(keys), R(new_image), R(old_image),
    R(item_id), BIND_NONNEG(ddb_row, size_bytes), R(keys_size), BIND_NONNEG(ddb_row, new_size),
    BIND_NONNEG(ddb_row, old_size), BIND_NONNEG(ddb_row, item_size), R(wru), R(wru_basis),
    R_ITEM(item_ts_ms), R_ITEM(item_ts_attribute), BIND_SKIP, R(runtime), R(runtime_source),
    R(images_checked), R(violations),
};
#undef R
#undef R_TS
#undef R_ITEM

int store_ddb_record(store *s, const ddb_row *r, int *added, mrb_err *err)
{
    sqlite3_stmt *q = stmt(s, SS_RECORD, err);

    if (!q)
        return -1;
    bind_row(q, r, record_cols, BIND_N(record_cols));
    bind_str(q, 6, r->table_name ? r->table_from : NULL);
    sqlite3_bind_int(q, 15, r->ttl_delete ? 1 : 0);
    bind_ll(q, 29, r->has_item_ts && r->has_ts, r->approx_ts_ms - r->item_ts_ms);
    bind_str(q, 34, store_priv_run(s));
    sqlite3_bind_int64(q, 35, store_priv_file_id(s));
    bind_ll(q, 36, r->line > 0, r->line);
    sqlite3_bind_int64(q, 37, r->record_index);
    if (done(s, q, err) < 0)
        return -1;
    *added = sqlite3_changes(store_db(s)) > 0;
    state(s)->last_id = *added ? sqlite3_last_insert_rowid(store_db(s)) : 0;
    return 0;
}

/* SS_VIOLATION's parameters; ?1 (the record) is bound apart. */
#define V(m) BIND(ddb_violation_row, m)
static const bind_col violation_cols[] = {
    BIND_SKIP, V(image), V(seq), V(kind), V(attribute), V(detail),
};
#undef V

int store_ddb_violation(store *s, const ddb_violation_row *v, mrb_err *err)
{
    store_ddb *ss = state(s);
    sqlite3_stmt *q;

    if (!ss || !ss->last_id)
        return 0; /* the record was known: so are its violations */
    if (!(q = stmt(s, SS_VIOLATION, err)))
        return -1;
    bind_row(q, v, violation_cols, BIND_N(violation_cols));
    sqlite3_bind_int64(q, 1, ss->last_id);
    return done(s, q, err);
}

int store_ddb_number(store *s, const char *image, const char *attribute, const char *text,
                        int has_value, double value, int exact, mrb_err *err)
{
    store_ddb *ss = state(s);
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

int store_ddb_file(store *s, long long records, long long records_new, long long violations,
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
