/* store.c — the SQLite database and every write to it (see store.h).
 *
 * All statements are prepared once and bound per row. A file's rows are
 * written inside one transaction; the files row is created at the start
 * (so problems and invocations can point at it) and settled at the end. */
#include "mrb/clock.h"
#include "mrb/hash64.h"
#include "mrb/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mrb/event.h"
#include "mrb/fn_origin.h"
#include "mrb/dbwait.h"
#include "mrb/xalloc.h"
#include "store_identity.h"
#include "store_priv.h"

#define MAX_PROBLEMS_KEPT 20
#define BATCH_SECONDS 1.0 /* files are committed together at most this long */
#define BATCH_SAVEPOINT_MAX (4LL << 20) /* larger files start a batch of their own */

enum stmt_id {
    ST_FILE_BEGIN,
    ST_INVOCATION,
    ST_INVOCATION_UNTIMED,
    ST_SUPERSEDE,
    ST_UNTIMED_ANY,
    ST_ANNOTATION_UNTIMED,
    ST_ANNOTATION,
    ST_ENVIRONMENT,
    ST_PROBLEM,
    ST_FUNCTION_GET,
    ST_FUNCTION_PUT,
    ST_RELABEL_INV,
    ST_RELABEL_ENV,
    ST_FILE_SAME,
    ST_FILE_SETTLE,
    ST_FILE_MERGE,
    ST_FILE_MOVE_INV,
    ST_FILE_MOVE_DDB,
    ST_FILE_MOVE_DDB_COUNTS,
    ST_FILE_DROP_APP_IDS,
    ST_FILE_MOVE_APP_IDS,
    ST_RELABEL_DDB,
    ST_FILE_DROP,
    ST_FILE_REJECT,
    ST_LOG_LEVEL,
    ST_LOG_VOLUME,
    ST_SERIES_GET,
    ST_SERIES_PUT,
    ST_SERIES_RUNTIME,
    ST_LOG_STREAM_GET,
    ST_LOG_STREAM_PUT,
    ST_METRIC_DEF,
    ST_METRIC_REJECT,
    ST_RELABEL_METRIC,
    ST_FILE_MOVE_METRIC,
    ST_FILE_KNOWN,
    ST_COUNT
};

/* A function's rows of table take runtime ?2 (cond: more of the WHERE). */
#define RELABEL(table, cond)                                                                  \
    "UPDATE " table " SET runtime = ?2 WHERE function = ?1 " cond "AND runtime <> ?2"
/* A repeated file's rows of table move to the earlier file ?2. */
#define MOVE(table) "UPDATE " table " SET file_id = ?2 WHERE file_id = ?1"

static const char *const stmt_sql[ST_COUNT] = {
    [ST_FILE_BEGIN] =
        "INSERT INTO files(path, status, run, first_ingested_at, last_ingested_at) "
        "VALUES (?1, 'loading', ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    [ST_INVOCATION] =
        "INSERT INTO invocations(function, log_group, log_stream, runtime, request_id, ts_ms, "
        "start_ts_ms, version, duration_ms, billed_ms, memory_mb, max_memory_mb, init_ms, "
        "restore_ms, billed_restore_ms, cold_start, status, error_type, xray_trace_id, "
        "xray_segment_id, xray_sampled, run, file_id, app_errors, first_error_type, "
        "first_error_message, function_rank, function_source) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
        "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28) ON CONFLICT DO NOTHING",
    /* without a time: known when any row has its request id (a timed row
     * scans the table: untimed copies are small) */
    [ST_INVOCATION_UNTIMED] =
        "INSERT INTO invocations(function, log_group, log_stream, runtime, request_id, ts_ms, "
        "start_ts_ms, version, duration_ms, billed_ms, memory_mb, max_memory_mb, init_ms, "
        "restore_ms, billed_restore_ms, cold_start, status, error_type, xray_trace_id, "
        "xray_segment_id, xray_sampled, run, file_id, app_errors, first_error_type, "
        "first_error_message, function_rank, function_source) "
        "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
        "?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28 WHERE NOT EXISTS (SELECT 1 FROM "
        "invocations WHERE request_id = ?5 AND ts_ms IS NOT NULL) ON CONFLICT DO NOTHING",
    /* a timed row supersedes the untimed copy of the same invocation */
    [ST_SUPERSEDE] = "DELETE FROM invocations WHERE ts_ms IS NULL AND request_id = ?1",
    [ST_UNTIMED_ANY] = "SELECT EXISTS (SELECT 1 FROM invocations WHERE ts_ms IS NULL)",
    [ST_ANNOTATION_UNTIMED] =
        "UPDATE invocations SET status = ?3, error_type = coalesce(error_type, ?4) "
        "WHERE ts_ms IS NULL AND request_id = ?1 AND function = ?2 AND status = 'success'",
    [ST_ANNOTATION] =
        "UPDATE invocations SET status = ?3, error_type = coalesce(error_type, ?4) "
        "WHERE ts_ms BETWEEN ?5 - 960000 AND ?5 + 960000 AND request_id = ?1 "
        "AND function = ?2 AND status = 'success'",
    [ST_ENVIRONMENT] =
        "INSERT INTO environments(function, log_group, log_stream, runtime, runtime_version, "
        "runtime_version_arn, region, first_ts_ms, last_ts_ms, invocations, cold_starts, "
        "init_ms, init_status, init_error_type, init_phase, function_rank, function_source) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
        STORE_ENV_UPSERT,
    [ST_LOG_LEVEL] =
        "INSERT INTO log_levels(file_id, function, level, lines) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT DO UPDATE SET lines = lines + excluded.lines",
    [ST_LOG_VOLUME] =
        "INSERT INTO log_volume(file_id, function, events, message_bytes, invocations, "
        "first_ts_ms, last_ts_ms) VALUES (?1, ?2, ?3, ?4, ?7, ?5, ?6) ON CONFLICT DO UPDATE SET "
        "events = events + excluded.events, message_bytes = message_bytes + "
        "excluded.message_bytes, invocations = invocations + excluded.invocations, "
        "first_ts_ms = coalesce(min(first_ts_ms, excluded.first_ts_ms), first_ts_ms, "
        "excluded.first_ts_ms), last_ts_ms = coalesce(max(last_ts_ms, excluded.last_ts_ms), "
        "last_ts_ms, excluded.last_ts_ms)",
    [ST_SERIES_GET] =
        "SELECT series_id, runtime FROM metric_series WHERE namespace = ?1 AND metric = ?2 "
        "AND unit = ?3 AND storage_resolution = ?4 AND dimensions = ?5 AND function = ?6 "
        "AND log_group IS ?7",
    [ST_SERIES_PUT] =
        "INSERT INTO metric_series(namespace, metric, unit, storage_resolution, dimensions, "
        "function, log_group, runtime) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_SERIES_RUNTIME] = "UPDATE metric_series SET runtime = ?2 WHERE series_id = ?1",
    [ST_LOG_STREAM_GET] = "SELECT stream_id FROM metric_streams WHERE log_stream = ?1",
    [ST_LOG_STREAM_PUT] = "INSERT INTO metric_streams(log_stream) VALUES (?1)",
    [ST_METRIC_DEF] =
        "INSERT INTO metric_definitions(namespace, metric, unit, storage_resolution, "
        "dimension_sets, first_ts_ms, last_ts_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT DO UPDATE SET first_ts_ms = min(first_ts_ms, excluded.first_ts_ms), "
        "last_ts_ms = max(last_ts_ms, excluded.last_ts_ms)",
    [ST_METRIC_REJECT] =
        "INSERT INTO metric_rejects(file_id, reason, documents) VALUES (?1, ?2, ?3) "
        "ON CONFLICT DO UPDATE SET documents = documents + excluded.documents",
    [ST_RELABEL_METRIC] = RELABEL("metric_series", ""),
    [ST_FILE_MOVE_METRIC] = MOVE("metric_events"),
    [ST_PROBLEM] = "INSERT INTO problems(file_id, line, offset_bytes, message) VALUES (?1, ?2, ?3, ?4)",
    [ST_FUNCTION_GET] = "SELECT runtime, runtime_version FROM functions WHERE function = ?1",
    [ST_FUNCTION_PUT] =
        "INSERT INTO functions(function, log_group, runtime, runtime_source, runtime_version, "
        "architecture, region) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(function) DO UPDATE "
        "SET log_group = coalesce(log_group, excluded.log_group), runtime = excluded.runtime, "
        "runtime_source = excluded.runtime_source, "
        "runtime_version = coalesce(excluded.runtime_version, runtime_version), "
        "architecture = coalesce(excluded.architecture, architecture), "
        "region = coalesce(excluded.region, region)",
    [ST_RELABEL_INV] = RELABEL("invocations", ""),
    [ST_RELABEL_ENV] = RELABEL("environments", ""),
    [ST_FILE_SAME] =
        "SELECT file_id FROM files WHERE path = ?1 AND size_bytes = ?2 AND crc32 = ?3 "
        "AND file_id <> ?4",
    [ST_FILE_SETTLE] =
        "UPDATE files SET shape = ?2, size_bytes = ?3, crc32 = ?4, gzip = ?5, status = ?6, "
        "error = ?7, events = ?8, platform_lines = ?9, other_lines = ?10, "
        "rejected_records = ?11, invocations_new = ?12, invocations_known = ?13, "
        "control_messages = ?14, emf_documents = ?15, emf_rejected = ?16, "
        "metric_values_new = ?17, invocations_relabelled = ?18, content_hash = ?19, "
        "metric_values_known = ?20 WHERE file_id = ?1",
    [ST_FILE_MERGE] =
        "UPDATE files SET status = 'ok', error = NULL, shape = ?2, events = ?3, "
        "platform_lines = ?4, other_lines = ?5, rejected_records = ?6, "
        "invocations_new = invocations_new + ?7, emf_documents = ?8, emf_rejected = ?9, "
        "metric_values_new = metric_values_new + ?10, "
        "invocations_relabelled = invocations_relabelled + ?11, "
        "last_ingested_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
        "times_ingested = times_ingested + 1 WHERE file_id = ?1",
    [ST_FILE_MOVE_INV] = MOVE("invocations"),
    [ST_FILE_MOVE_DDB] = MOVE("stream_records"),
    [ST_FILE_MOVE_DDB_COUNTS] =
        "UPDATE files SET stream_records = (SELECT stream_records FROM files WHERE file_id = ?1), "
        "stream_records_new = stream_records_new + "
        "(SELECT stream_records_new FROM files WHERE file_id = ?1), "
        "stream_violations = stream_violations + "
        "(SELECT stream_violations FROM files WHERE file_id = ?1) WHERE file_id = ?2",
    /* the same content: its ids are there already (unless that ingest kept none) */
    [ST_FILE_DROP_APP_IDS] = "DELETE FROM app_ids WHERE file_id = ?1 AND "
                             "EXISTS (SELECT 1 FROM app_ids WHERE file_id = ?2)",
    [ST_FILE_MOVE_APP_IDS] = MOVE("app_ids"),
    [ST_RELABEL_DDB] = RELABEL("stream_records", "AND runtime_source = 'log-id' "),
    [ST_FILE_DROP] = "DELETE FROM files WHERE file_id = ?1",
    [ST_FILE_KNOWN] =
        "UPDATE files SET times_ingested = times_ingested + 1, "
        "last_ingested_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
        "content_hash = coalesce(content_hash, ?2) WHERE file_id = ?1",
    [ST_FILE_REJECT] =
        "INSERT INTO files(path, shape, size_bytes, crc32, gzip, status, error, events, run, "
        "first_ingested_at, last_ingested_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, 'rejected', ?6, ?7, ?8, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
        "ON CONFLICT(path, size_bytes, crc32) DO UPDATE SET "
        "status = CASE status WHEN 'ok' THEN 'ok' ELSE 'rejected' END, "
        "error = excluded.error, last_ingested_at = excluded.last_ingested_at, "
        "times_ingested = times_ingested + 1",
};

#define EVENT_SLOTS 8 /* values per metric_events row */
#define LOG_STREAMS_KEPT 4096 /* metric_streams ids remembered */

/* A log stream's id in metric_streams. */
typedef struct log_stream_entry {
    struct log_stream_entry *next;
    long long id;
    char name[];
} log_stream_entry;

struct store {
    sqlite3 *db;
    sqlite3_stmt *event_st[EVENT_SLOTS]; /* a metric_events row of 1, 2, ... values */
    int in_batch;        /* the outer transaction is open */
    int file_savepoint;  /* the current file is a savepoint (else it began the batch) */
    double batch_start;  /* when it was opened (monotonic seconds) */
    sqlite3_stmt *st[ST_COUNT];
    char *path;       /* current file */
    char *run;        /* its --run label, or NULL */
    long long file_id;
    int in_file;
    int problems_kept;
    int untimed;      /* invocations without a time may be stored (superseding) */
    struct {
        void *state;              /* a store file's (store_priv_slot), or NULL */
        void (*release)(void *);  /* and how it is freed */
    } slot[STORE_SLOT_COUNT];
    store_identity *identity; /* which function rows belong to (store_identity.h) */
    log_stream_entry *log_streams[LOG_STREAMS_KEPT]; /* hash lists of ids known to exist */
    int n_log_streams;
    const log_stream_entry *last_log_stream; /* the one asked for last */
    int join_indexed;    /* the join indexes are known to exist (store_join_indexes) */
};

/* Forgets the log stream ids: after a rollback (ids the file or batch created
 * are gone), or when too many are kept. */
static void log_streams_forget(store *s)
{
    for (int i = 0; i < LOG_STREAMS_KEPT; i++) {
        log_stream_entry *e = s->log_streams[i], *next;
        for (; e; e = next) {
            next = e->next;
            free(e);
        }
        s->log_streams[i] = NULL;
    }
    s->n_log_streams = 0;
    s->last_log_stream = NULL;
}

/* Forgets what this connection believes the database holds, after a
 * rollback may have undone it: the log stream ids, the join indexes. */
static void forget_cached(store *s)
{
    log_streams_forget(s);
    s->join_indexed = 0;
}

static int db_fail(store *s, mrb_err *err, const char *what)
{
    return mrb_err_set(err, 0, -1, "database: %s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(store *s, const char *sql, mrb_err *err)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "database: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* A write lock waited for in vain says so, with the knob to turn. */
static int lock_fail(store *s, mrb_err *err, const char *what)
{
    int rc = sqlite3_errcode(s->db);

    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        return db_fail(s, err, what);
    return mrb_err_set(err, 0, -1,
                       "database: %s: another process kept the database locked for more than "
                       "%.0f s (set MRB_BUSY_TIMEOUT to wait longer)",
                       what, (double)dbwait_timeout_ms() / 1e3);
}

/* Opens a batch: the write lock is taken now (waiting for other writers),
 * not at the first write, so that no statement of the batch meets a lock. */
static int batch_begin(store *s, mrb_err *err)
{
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return lock_fail(s, err, "starting a transaction");
    s->in_batch = 1;
    s->batch_start = clock_now_s();
    s->file_savepoint = 0;
    return 0;
}

/* Commits the batch. A COMMIT that meets a lock keeps the transaction
 * open: it is tried again (the whole batch, as written) until the timeout.
 * Then other writers get a moment to take the lock. */
static int batch_commit(store *s, mrb_err *err)
{
    double until = clock_now_s() + (double)dbwait_timeout_ms() / 1e3;
    int rc;

    s->in_batch = 0;
    while ((rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK &&
           (rc & 0xff) == SQLITE_BUSY && clock_now_s() < until)
        dbwait_yield();
    if (rc != SQLITE_OK) {
        lock_fail(s, err, "committing");
        exec(s, "ROLLBACK", NULL);
        forget_cached(s);
        return -1;
    }
    dbwait_yield();
    return 0;
}

static int user_version(store *s, int *v, mrb_err *err)
{
    sqlite3_stmt *q;

    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return db_fail(s, err, "reading the schema version");
    *v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return 0;
}

static int too_new(int v, mrb_err *err)
{
    return mrb_err_set(err, 0, -1,
                       "database schema version %d is newer than this tool's (%d): "
                       "upgrade mrb-analyze",
                       v, STORE_SCHEMA_VERSION);
}

/* Whether the database holds rows the join indexes serve. */
static int holds_joined_rows(store *s)
{
    sqlite3_stmt *q;
    int found = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT EXISTS (SELECT 1 FROM apigw_requests)"
                           " OR EXISTS (SELECT 1 FROM xray_traces)",
                           -1, &q, NULL) != SQLITE_OK)
        return 0;
    if (sqlite3_step(q) == SQLITE_ROW)
        found = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return found;
}

int store_join_indexes(store *s, mrb_err *err)
{
    if (s->join_indexed)
        return 0;
    if (exec(s, "CREATE INDEX IF NOT EXISTS invocations_request_id ON invocations(request_id);"
                "CREATE INDEX IF NOT EXISTS invocations_xray_trace_id ON invocations(xray_trace_id)",
             err) < 0)
        return -1;
    s->join_indexed = 1;
    return 0;
}

int store_join_indexes_if_joined(store *s, mrb_err *err)
{
    return holds_joined_rows(s) ? store_join_indexes(s, err) : 0;
}


/* Brings the schema up to date in one transaction: a new database appears
 * whole or not at all. Several processes may open a new (or old) database
 * at once: the version is read again under the write lock, so that the
 * first creates the schema and the others, waiting on the lock, find it. */
static int migrate(store *s, mrb_err *err)
{
    int v = 0;

    if (user_version(s, &v, err) < 0)
        return -1;
    if (v == STORE_SCHEMA_VERSION)
        return 0;
    if (v > STORE_SCHEMA_VERSION)
        return too_new(v, err);
    if (exec(s, "BEGIN IMMEDIATE", err) < 0)
        return -1;
    if (user_version(s, &v, err) < 0 || (v > STORE_SCHEMA_VERSION && too_new(v, err) < 0))
        goto fail;
    for (; v < STORE_SCHEMA_VERSION; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (exec(s, store_migrations[v], err) < 0 || exec(s, bump, err) < 0)
            goto fail;
    }
    if (exec(s, "COMMIT", err) == 0)
        return 0;
fail:
    exec(s, "ROLLBACK", NULL);
    return -1;
}

/* The INSERT of a metric_events row of n values: a statement per n, so
 * that no slot is bound in vain. */
static int event_sql(int n, char *sql, size_t size)
{
    size_t at = (size_t)snprintf(sql, size,
                                 "INSERT INTO metric_events(ts_ms, event_key, chunk, stream_id, "
                                 "request_id, run, file_id, n_values");
    for (int i = 0; i < n && at < size; i++)
        at += (size_t)snprintf(sql + at, size - at, ", series%d, value%d, index%d", i, i, i);
    if (at < size)
        at += (size_t)snprintf(sql + at, size - at, ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8");
    for (int i = 0; i < 3 * n && at < size; i++)
        at += (size_t)snprintf(sql + at, size - at, ", ?%d", 9 + i);
    if (at < size)
        at += (size_t)snprintf(sql + at, size - at, ") ON CONFLICT DO NOTHING");
    return at < size ? 0 : -1;
}

store *store_open(const char *path, mrb_err *err)
{
    store *s = xcalloc(1, sizeof *s);
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

    mrb_err_source(err, path);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot open database: %s",
                    s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return NULL;
    }
    /* many writers: each waits for the lock (dbwait.h); readers read on */
    long wait_ms = dbwait_timeout_ms();
    dbwait_install(s->db, wait_ms);
    if (dbwait_wal(s->db, wait_ms, err) < 0 ||
        exec(s, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
                "PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY",
             err) < 0 ||
        migrate(s, err) < 0 || store_join_indexes_if_joined(s, err) < 0) {
        store_close(s);
        return NULL;
    }
    s->identity = store_identity_new(s->db);
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK) {
            db_fail(s, err, "preparing a statement");
            store_close(s);
            return NULL;
        }
    }
    for (int n = 1; n <= EVENT_SLOTS; n++) {
        char sql[1024];
        if (event_sql(n, sql, sizeof sql) < 0 ||
            sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->event_st[n - 1],
                               NULL) != SQLITE_OK) {
            db_fail(s, err, "preparing a statement");
            store_close(s);
            return NULL;
        }
    }
    mrb_err_source(err, "");
    return s;
}

void store_close(store *s)
{
    if (!s)
        return;
    if (s->in_batch)
        exec(s, "ROLLBACK", NULL); /* store_flush was not called: keep nothing half-said */
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    for (int i = 0; i < STORE_SLOT_COUNT; i++)
        if (s->slot[i].state)
            s->slot[i].release(s->slot[i].state);
    store_identity_free(s->identity);
    for (int i = 0; i < EVENT_SLOTS; i++)
        sqlite3_finalize(s->event_st[i]);
    sqlite3_close(s->db);
    log_streams_forget(s);
    free(s->path);
    free(s->run);
    free(s);
}

sqlite3 *store_db(store *s) { return s->db; }

long long store_priv_file_id(const store *s) { return s->file_id; }
const char *store_priv_run(const store *s) { return s->run; }
void **store_priv_slot(store *s, enum store_slot which, void (*release)(void *))
{
    s->slot[which].release = release;
    return &s->slot[which].state;
}

int store_split_stream(store *s, const char *from, const char *stream, int64_t first,
                       int64_t last, const store_name *to, store_moved *m, mrb_err *err)
{
    return store_identity_split(s->identity, s->file_id, from, stream, first, last, to, m, err);
}

long long store_relabelled(store *s) { return store_identity_relabelled(s->identity); }

/* Steps a bound statement to completion and resets it. */
static int run(store *s, enum stmt_id id, mrb_err *err)
{
    sqlite3_stmt *q = s->st[id];
    int rc = sqlite3_step(q);

    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_fail(s, err, "writing");
    return 0;
}

/* Whether the database holds invocations without a time (asked once per
 * file: an index lookup). */
static int note_untimed(store *s, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_UNTIMED_ANY];
    int rc = sqlite3_step(q);

    s->untimed = rc == SQLITE_ROW && sqlite3_column_int(q, 0) != 0;
    sqlite3_reset(q);
    return rc == SQLITE_ROW ? 0 : db_fail(s, err, "reading");
}

int store_file_begin(store *s, const char *path, const char *run_label, long long size_hint,
                     mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_BEGIN];

    /* A savepoint keeps, in memory, what its file changes of the pages that
     * existed before it: small for small files, unbounded for large ones.
     * A large file (or one of unknown size) therefore starts a batch of its
     * own, where the batch transaction itself undoes it. */
    if (s->in_batch && (size_hint < 0 || size_hint > BATCH_SAVEPOINT_MAX) &&
        store_flush(s, err) < 0)
        return -1;
    if (!s->in_batch) {
        if (batch_begin(s, err) < 0)
            return -1;
    } else {
        if (exec(s, "SAVEPOINT file", err) < 0)
            return -1;
        s->file_savepoint = 1;
    }
    free(s->path);
    free(s->run);
    s->path = xstrdup(path);
    s->run = run_label ? xstrdup(run_label) : NULL;
    s->in_file = 1;
    s->problems_kept = 0;
    bind_str(q, 1, path);
    bind_str(q, 2, run_label);
    if (run(s, ST_FILE_BEGIN, err) < 0)
        return -1;
    s->file_id = sqlite3_last_insert_rowid(s->db);
    return note_untimed(s, err);
}

/* ST_INVOCATION's parameters from the invocation; ?4 (the runtime), ?6
 * and ?7 (the times), ?16 (cold start), ?22, ?23 (run, file) and ?28 (the
 * name's source) are bound apart. */
#define I(m) BIND(invocation, m)
#define I_HAS(m, bit) BIND_HAS(invocation, m, has, bit)
static const bind_col invocation_cols[] = {
    I(function), I(log_group), I(log_stream), BIND_SKIP, I(request_id), BIND_SKIP, BIND_SKIP,
    I(version), I(duration_ms), I_HAS(billed_ms, LR_BILLED), I_HAS(memory_mb, LR_MEMORY),
    I_HAS(max_memory_mb, LR_MAX_MEMORY), I_HAS(init_ms, LR_INIT), I_HAS(restore_ms, LR_RESTORE),
    I_HAS(billed_restore_ms, LR_BILLED_RESTORE), BIND_SKIP, I(status), I(error_type),
    I(xray_trace_id), I(xray_segment_id), I_HAS(xray_sampled, LR_XRAY_SAMPLED), BIND_SKIP,
    BIND_SKIP, I(app_errors), I(first_error_type), I(first_error_message), I(fn_origin),
};
#undef I
#undef I_HAS

int store_invocation(store *s, const invocation *v, const char *runtime, int *added,
                     mrb_err *err)
{
    int timed = v->ts_ms != EVENT_TS_NONE;
    enum stmt_id id = timed ? ST_INVOCATION : ST_INVOCATION_UNTIMED;
    sqlite3_stmt *q = s->st[id];

    bind_row(q, v, invocation_cols, BIND_N(invocation_cols));
    bind_str(q, 4, runtime);
    bind_ll(q, 6, timed, v->ts_ms);
    bind_ll(q, 7, v->start_ts_ms != 0 && v->start_ts_ms != EVENT_TS_NONE, v->start_ts_ms);
    sqlite3_bind_int(q, 16, v->cold_start ? 1 : 0);
    bind_str(q, 22, s->run);
    sqlite3_bind_int64(q, 23, s->file_id);
    bind_str(q, 28, fn_origin_name((enum fn_origin)v->fn_origin));
    if (run(s, id, err) < 0)
        return -1;
    *added = sqlite3_changes(s->db) > 0;
    if (!timed) {
        /* an untimed copy is known by its request id alone; it is never
         * relabelled (the timed row that supersedes it carries its own name) */
        s->untimed = 1;
        return 0;
    }
    if (*added && s->untimed) {
        bind_slice(s->st[ST_SUPERSEDE], 1, v->request_id);
        if (run(s, ST_SUPERSEDE, err) < 0)
            return -1;
    }
    return *added || v->fn_origin <= FN_ORIGIN_UNKNOWN ? 0
                                                        : store_identity_relabel(s->identity, v, runtime, err);
}

int store_annotation(store *s, const annotation *a, int *matched, mrb_err *err)
{
    enum stmt_id id = a->ts_ms != EVENT_TS_NONE ? ST_ANNOTATION : ST_ANNOTATION_UNTIMED;
    sqlite3_stmt *q = s->st[id];

    bind_slice(q, 1, a->request_id);
    bind_slice(q, 2, a->function);
    bind_str(q, 3, a->status);
    bind_slice(q, 4, a->error_type);
    if (id == ST_ANNOTATION)
        sqlite3_bind_int64(q, 5, a->ts_ms);
    if (run(s, id, err) < 0)
        return -1;
    *matched = sqlite3_changes(s->db) > 0;
    return 0;
}

/* The region named by a runtime version ARN: arn:aws:lambda:REGION::runtime:... */
static mrb_slice arn_region(mrb_slice arn)
{
    mrb_slice r = {NULL, 0};
    static const char pfx[] = "arn:aws:lambda:";

    if (!arn.p || arn.n <= sizeof pfx - 1 || memcmp(arn.p, pfx, sizeof pfx - 1) != 0)
        return r;
    const char *b = arn.p + sizeof pfx - 1, *e = memchr(b, ':', arn.n - (sizeof pfx - 1));
    if (e && e > b) {
        r.p = b;
        r.n = (size_t)(e - b);
    }
    return r;
}

/* The name env's rows take: its own, or the better one its stream is
 * stored under (store_identity_stream). */
static int owner_of(store *s, const environment *e, const char *runtime, store_name *t,
                    store_name_buf *keep, mrb_err *err)
{
    char fn[256], lg[512], stream[1024];

    snprintf(fn, sizeof fn, "%.*s", (int)e->function.n, e->function.p);
    snprintf(lg, sizeof lg, "%.*s", (int)e->log_group.n, e->log_group.p ? e->log_group.p : "");
    snprintf(stream, sizeof stream, "%.*s", (int)e->log_stream.n, e->log_stream.p);
    t->function = fn;
    t->log_group = e->log_group.p ? lg : NULL;
    t->runtime = runtime;
    t->rank = e->fn_origin;
    if (store_identity_stream(s->identity, stream, t, e->first_ts_ms, e->last_ts_ms, keep, err) < 0)
        return -1;
    if (t->function == fn) /* unchanged: env's own strings are bound */
        t->function = NULL;
    return 0;
}

int store_environment(store *s, const environment *e, const char *runtime, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_ENVIRONMENT];
    store_name t = {NULL, NULL, NULL, e->fn_origin};
    store_name_buf keep;

    if (e->log_stream.p && owner_of(s, e, runtime, &t, &keep, err) < 0)
        return -1;
    if (t.function) { /* the stream is another function's */
        bind_str(q, 1, t.function);
        bind_str(q, 2, t.log_group);
        runtime = t.runtime;
    } else {
        bind_slice(q, 1, e->function);
        bind_slice(q, 2, e->log_group);
    }
    bind_slice(q, 3, e->log_stream);
    bind_str(q, 4, runtime);
    bind_slice(q, 5, e->runtime_version);
    bind_slice(q, 6, e->runtime_arn);
    bind_slice(q, 7, arn_region(e->runtime_arn));
    bind_ll(q, 8, e->first_ts_ms != EVENT_TS_NONE, e->first_ts_ms);
    bind_ll(q, 9, e->last_ts_ms != EVENT_TS_NONE, e->last_ts_ms);
    sqlite3_bind_int64(q, 10, e->invocations);
    sqlite3_bind_int64(q, 11, e->cold_starts);
    bind_dbl(q, 12, e->has & LR_INIT, e->init_ms);
    bind_slice(q, 13, e->init_status);
    bind_slice(q, 14, e->init_error_type);
    bind_slice(q, 15, e->init_phase);
    sqlite3_bind_int(q, 16, t.rank);
    bind_str(q, 17, fn_origin_name((enum fn_origin)t.rank));
    return run(s, ST_ENVIRONMENT, err);
}

int store_problem(store *s, long long line, long long offset, const char *text, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_PROBLEM];

    if (!s->in_file || s->problems_kept >= MAX_PROBLEMS_KEPT)
        return 0;
    s->problems_kept++;
    sqlite3_bind_int64(q, 1, s->file_id);
    bind_ll(q, 2, line > 0, line);
    bind_ll(q, 3, offset >= 0, offset);
    bind_str(q, 4, text);
    return run(s, ST_PROBLEM, err);
}

int store_log_level(store *s, const char *function, const char *level, long long lines,
                    mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_LOG_LEVEL];

    sqlite3_bind_int64(q, 1, s->file_id);
    bind_str(q, 2, function);
    bind_str(q, 3, level);
    sqlite3_bind_int64(q, 4, lines);
    return run(s, ST_LOG_LEVEL, err);
}

int store_log_volume(store *s, const char *function, const store_volume *v, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_LOG_VOLUME];
    long long events = v->events, message_bytes = v->message_bytes;
    int64_t first_ts_ms = v->first_ts_ms, last_ts_ms = v->last_ts_ms;

    sqlite3_bind_int64(q, 1, s->file_id);
    bind_str(q, 2, function);
    sqlite3_bind_int64(q, 3, events);
    sqlite3_bind_int64(q, 4, message_bytes);
    if (first_ts_ms == EVENT_TS_NONE)
        sqlite3_bind_null(q, 5), sqlite3_bind_null(q, 6);
    else
        sqlite3_bind_int64(q, 5, first_ts_ms), sqlite3_bind_int64(q, 6, last_ts_ms);
    sqlite3_bind_int64(q, 7, v->invocations);
    return run(s, ST_LOG_VOLUME, err);
}

/* A series' key as ?1 .. ?7 (the order of ST_SERIES_GET and ST_SERIES_PUT). */
#define K(m) BIND(metric_series, m)
static const bind_col series_cols[] = {
    K(ns), K(metric), K(unit), K(storage_resolution), K(dimensions), K(function), K(log_group),
};
#undef K

static void bind_series(sqlite3_stmt *q, const metric_series *k)
{
    bind_row(q, k, series_cols, BIND_N(series_cols));
}

int store_metric_series(store *s, const metric_series *k, const char *runtime, long long *id,
                        mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_SERIES_GET];
    int same = 1;

    bind_series(q, k);
    int rc = sqlite3_step(q);
    *id = 0;
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(q, 1);
        *id = sqlite3_column_int64(q, 0);
        same = t && !strcmp((const char *)t, runtime);
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "reading metric series");
    if (*id == 0) {
        q = s->st[ST_SERIES_PUT];
        bind_series(q, k);
        bind_str(q, 8, runtime);
        if (run(s, ST_SERIES_PUT, err) < 0)
            return -1;
        *id = sqlite3_last_insert_rowid(s->db);
    } else if (!same) {
        q = s->st[ST_SERIES_RUNTIME];
        sqlite3_bind_int64(q, 1, *id);
        bind_str(q, 2, runtime);
        if (run(s, ST_SERIES_RUNTIME, err) < 0)
            return -1;
    }
    return 0;
}

/* The id of a log stream in metric_streams, created when new; 0 for none. */
static int log_stream_id(store *s, const char *name, long long *id, mrb_err *err)
{
    if (!name) {
        *id = 0;
        return 0;
    }
    if (s->last_log_stream && !strcmp(s->last_log_stream->name, name)) {
        *id = s->last_log_stream->id;
        return 0;
    }
    size_t n = strlen(name);
    unsigned h = hash64_fnv32_str(name);
    log_stream_entry **bucket = &s->log_streams[h % LOG_STREAMS_KEPT], *c;
    for (c = *bucket; c; c = c->next)
        if (!strcmp(c->name, name)) {
            s->last_log_stream = c;
            *id = c->id;
            return 0;
        }
    sqlite3_stmt *q = s->st[ST_LOG_STREAM_GET];
    bind_str(q, 1, name);
    int rc = sqlite3_step(q);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "reading metric streams");
    if (*id == 0) {
        bind_str(s->st[ST_LOG_STREAM_PUT], 1, name);
        if (run(s, ST_LOG_STREAM_PUT, err) < 0)
            return -1;
        *id = sqlite3_last_insert_rowid(s->db);
    }
    if (s->n_log_streams >= 4 * LOG_STREAMS_KEPT) /* memory stays bounded */
        log_streams_forget(s);
    bucket = &s->log_streams[h % LOG_STREAMS_KEPT];
    c = xmalloc(sizeof *c + n + 1);
    c->id = *id;
    memcpy(c->name, name, n + 1);
    c->next = *bucket;
    *bucket = c;
    s->n_log_streams++;
    s->last_log_stream = c;
    return 0;
}

int store_metric_event(store *s, const metric_event *e, int *added, mrb_err *err)
{
    long long stream;

    *added = 0;
    if (log_stream_id(s, e->log_stream, &stream, err) < 0)
        return -1;
    for (int chunk = 0; chunk * EVENT_SLOTS < e->n_points; chunk++) {
        const metric_point *p = e->points + chunk * EVENT_SLOTS;
        int n = e->n_points - chunk * EVENT_SLOTS;
        if (n > EVENT_SLOTS)
            n = EVENT_SLOTS;
        sqlite3_stmt *q = s->event_st[n - 1];
        sqlite3_bind_int64(q, 1, e->ts_ms);
        sqlite3_bind_int64(q, 2, e->event_key);
        sqlite3_bind_int(q, 3, chunk);
        sqlite3_bind_int64(q, 4, stream);
        bind_str(q, 5, e->request_id);
        bind_str(q, 6, s->run);
        sqlite3_bind_int64(q, 7, s->file_id);
        sqlite3_bind_int(q, 8, n);
        for (int i = 0; i < n; i++) {
            sqlite3_bind_int64(q, 9 + 3 * i, p[i].series_id);
            sqlite3_bind_double(q, 10 + 3 * i, p[i].value);
            sqlite3_bind_int(q, 11 + 3 * i, p[i].value_index);
        }
        /* every parameter is bound at every step: no need to clear them */
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            return db_fail(s, err, "writing");
        if (chunk == 0 && sqlite3_changes(s->db) == 0)
            return 0; /* known: its other rows are too */
    }
    *added = 1;
    return 0;
}

/* ST_METRIC_DEF's parameters, in its order. */
#define D(m) BIND(metric_definition, m)
static const bind_col definition_cols[] = {
    D(ns), D(metric), D(unit), D(storage_resolution), D(dimension_sets), D(first), D(last),
};
#undef D

int store_metric_definition(store *s, const metric_definition *d, mrb_err *err)
{
    bind_row(s->st[ST_METRIC_DEF], d, definition_cols, BIND_N(definition_cols));
    return run(s, ST_METRIC_DEF, err);
}

int store_metric_reject(store *s, const char *reason, long long documents, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_METRIC_REJECT];

    sqlite3_bind_int64(q, 1, s->file_id);
    bind_str(q, 2, reason);
    sqlite3_bind_int64(q, 3, documents);
    return run(s, ST_METRIC_REJECT, err);
}

/* ST_FUNCTION_PUT's parameters, in its order. */
#define F(m) BIND(function_info, m)
static const bind_col function_cols[] = {
    F(function), F(log_group), F(runtime), F(runtime_source), F(runtime_version),
    F(architecture), F(region),
};
#undef F

int store_function(store *s, const function_info *fi, int relabel, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_FUNCTION_PUT];

    bind_row(q, fi, function_cols, BIND_N(function_cols));
    if (run(s, ST_FUNCTION_PUT, err) < 0)
        return -1;
    static const enum stmt_id relabels[] = {ST_RELABEL_INV, ST_RELABEL_ENV, ST_RELABEL_METRIC,
                                            ST_RELABEL_DDB};
    for (size_t i = 0; relabel && i < sizeof relabels / sizeof relabels[0]; i++) {
        bind_str(s->st[relabels[i]], 1, fi->function);
        bind_str(s->st[relabels[i]], 2, fi->runtime);
        if (run(s, relabels[i], err) < 0)
            return -1;
    }
    return 0;
}

static void copy_column(sqlite3_stmt *q, int col, char *buf, unsigned long size)
{
    const unsigned char *t = sqlite3_column_text(q, col);
    snprintf(buf, size, "%s", t ? (const char *)t : "");
}

int store_function_get(store *s, const char *function, char *runtime, char *version,
                       unsigned long size, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_FUNCTION_GET];
    int rc;

    runtime[0] = version[0] = '\0';
    bind_str(q, 1, function);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        copy_column(q, 0, runtime, size);
        copy_column(q, 1, version, size);
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "reading functions");
    return 0;
}

static void bind_stats(sqlite3_stmt *q, int first, const file_stats *st)
{
    sqlite3_bind_int64(q, first, st->events);
    sqlite3_bind_int64(q, first + 1, st->platform_lines);
    sqlite3_bind_int64(q, first + 2, st->other_lines);
    sqlite3_bind_int64(q, first + 3, st->rejected);
}

/* The file's content was ingested before under the same path: fold this
 * attempt into that row. */
static int merge_into(store *s, long long old_id, const file_stats *st, long long relabelled,
                      mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_MERGE];

    sqlite3_bind_int64(q, 1, old_id);
    bind_str(q, 2, st->shape);
    bind_stats(q, 3, st);
    sqlite3_bind_int64(q, 7, st->invocations_new);
    sqlite3_bind_int64(q, 8, st->emf_documents);
    sqlite3_bind_int64(q, 9, st->emf_rejected);
    sqlite3_bind_int64(q, 10, st->metric_values_new);
    sqlite3_bind_int64(q, 11, relabelled);
    if (run(s, ST_FILE_MERGE, err) < 0)
        return -1;
    static const enum stmt_id moves[] = {ST_FILE_MOVE_INV,        ST_FILE_MOVE_METRIC,
                                         ST_FILE_MOVE_DDB,        ST_FILE_MOVE_DDB_COUNTS,
                                         ST_FILE_DROP_APP_IDS,    ST_FILE_MOVE_APP_IDS};
    for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
        q = s->st[moves[i]];
        sqlite3_bind_int64(q, 1, s->file_id);
        sqlite3_bind_int64(q, 2, old_id);
        if (run(s, moves[i], err) < 0)
            return -1;
    }
    sqlite3_bind_int64(s->st[ST_FILE_DROP], 1, s->file_id);
    return run(s, ST_FILE_DROP, err);
}

static long long same_file(store *s, const file_stats *st, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_SAME];
    long long id = 0;

    bind_str(q, 1, s->path);
    sqlite3_bind_int64(q, 2, st->size_bytes);
    sqlite3_bind_int64(q, 3, (long long)st->crc32);
    sqlite3_bind_int64(q, 4, s->file_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(s, err, "reading files");
    return id;
}

int store_file_commit(store *s, const file_stats *st, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_SETTLE];
    long long old = same_file(s, st, err);
    long long relabelled = old < 0 ? -1 : store_identity_file_end(s->identity, 1, err);

    if (relabelled < 0)
        goto fail;
    if (old > 0) {
        if (merge_into(s, old, st, relabelled, err) < 0)
            goto fail;
    } else {
        sqlite3_bind_int64(q, 1, s->file_id);
        bind_str(q, 2, st->shape);
        sqlite3_bind_int64(q, 3, st->size_bytes);
        sqlite3_bind_int64(q, 4, (long long)st->crc32);
        sqlite3_bind_int(q, 5, st->gzip);
        bind_str(q, 6, "ok");
        bind_str(q, 7, NULL);
        bind_stats(q, 8, st);
        sqlite3_bind_int64(q, 12, st->invocations_new);
        sqlite3_bind_int64(q, 13, st->invocations_known);
        sqlite3_bind_int64(q, 14, st->control_messages);
        sqlite3_bind_int64(q, 15, st->emf_documents);
        sqlite3_bind_int64(q, 16, st->emf_rejected);
        sqlite3_bind_int64(q, 17, st->metric_values_new);
        sqlite3_bind_int64(q, 18, relabelled);
        sqlite3_bind_int64(q, 19, (long long)st->content_hash);
        sqlite3_bind_int64(q, 20, st->metric_values_known);
        if (run(s, ST_FILE_SETTLE, err) < 0)
            goto fail;
    }
    store_identity_committed(s->identity, relabelled);
    s->in_file = 0;
    if (s->file_savepoint && exec(s, "RELEASE file", err) < 0)
        goto fail;
    if (clock_now_s() - s->batch_start >= BATCH_SECONDS)
        return store_flush(s, err);
    return 0;
fail:
    exec(s, "ROLLBACK", NULL);
    forget_cached(s);
    s->in_file = 0;
    s->in_batch = 0;
    return -1;
}

int store_file_known(store *s, long long file_id, uint64_t content_hash, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_KNOWN];

    if (!s->in_batch && batch_begin(s, err) < 0)
        return -1;
    sqlite3_bind_int64(q, 1, file_id);
    sqlite3_bind_int64(q, 2, (long long)content_hash);
    if (run(s, ST_FILE_KNOWN, err) < 0)
        return -1;
    if (clock_now_s() - s->batch_start >= BATCH_SECONDS)
        return store_flush(s, err);
    return 0;
}

int store_flush(store *s, mrb_err *err)
{
    if (!s->in_batch)
        return 0;
    return batch_commit(s, err);
}

int store_file_abort(store *s, const file_stats *st, const mrb_err *why, mrb_err *err)
{
    sqlite3_stmt *q = s->st[ST_FILE_REJECT];
    char text[1200];

    forget_cached(s); /* ids the file created are rolled back with it */
    (void)store_identity_file_end(s->identity, 0, NULL);
    if (s->in_file && s->file_savepoint &&
        (exec(s, "ROLLBACK TO file", err) < 0 || exec(s, "RELEASE file", err) < 0))
        return -1;
    if (s->in_file && !s->file_savepoint) {
        if (exec(s, "ROLLBACK", err) < 0)
            return -1;
        s->in_batch = 0; /* the batch was this file alone */
    }
    s->in_file = 0;
    if (why->line > 0)
        snprintf(text, sizeof text, "line %lld: %s", why->line, why->text);
    else if (why->offset >= 0)
        snprintf(text, sizeof text, "byte %lld: %s", why->offset, why->text);
    else
        snprintf(text, sizeof text, "%s", why->text);
    bind_str(q, 1, s->path);
    bind_str(q, 2, st->shape);
    sqlite3_bind_int64(q, 3, st->size_bytes);
    sqlite3_bind_int64(q, 4, (long long)st->crc32);
    sqlite3_bind_int(q, 5, st->gzip);
    bind_str(q, 6, text);
    sqlite3_bind_int64(q, 7, st->events);
    bind_str(q, 8, s->run);
    if (run(s, ST_FILE_REJECT, err) < 0)
        return -1;
    if (!s->in_batch || clock_now_s() - s->batch_start >= BATCH_SECONDS)
        return store_flush(s, err);
    return 0;
}
