/* store_priv.h — what store.c shares with the store_*.c files that write
 * its other tables; not a public API. Also the binding helpers they use. */
#ifndef MRB_STORE_PRIV_H
#define MRB_STORE_PRIV_H

#include <sqlite3.h>

#include "mrb/store.h"

/* The current file's row id and --run label (NULL when none). */
long long store_priv_file_id(const store *s);
const char *store_priv_run(const store *s);

/* The state of the DynamoDB stream record writes (store_ddb.c), kept by
 * the store: NULL until that file first needs it, then freed through the
 * release function it gave when the store closes. store.c calls no
 * function of store_ddb.c: the relabel and the move of a repeated file's
 * records are statements in its own tables. */
void **store_priv_ddb(store *s, void (*release)(void *));

typedef struct store_identity store_identity;

/* The identity state slot (NULL until store_identity.c first needs it). */
store_identity **store_priv_identity(store *s);
void store_identity_release(store_identity *si);

/* A known invocation v seen again: when its rank (fn_origin) is higher
 * than the stored one, the row takes v's function, log group and runtime
 * (counted). */
int store_identity_relabel(store *s, const invocation *v, const char *runtime, mrb_err *err);

/* Before a file's environment of stream is stored under t (the file saw
 * the stream between first and last): rows of the stream stored under
 * other functions of a lower rank move to t (counted); when another
 * function holds the stream with a higher rank, t becomes that one (its
 * strings copied into keep) and this file's rows of the stream move there. */
int store_identity_stream(store *s, const char *stream, store_name *t, int64_t first,
                          int64_t last, store_name_buf *keep, mrb_err *err);

/* The current file ends: returns the invocations it relabelled, and on
 * commit drops the functions its moves left without rows (-1 with err). */
long long store_identity_file_end(store *s, int commit, mrb_err *err);

/* Adds a committed file's relabelled invocations to the run's. */
void store_identity_committed(store *s, long long relabelled);

typedef struct store_apigw_state store_apigw_state;

/* The API Gateway state slot (store_apigw.c; NULL until first needed). */
store_apigw_state **store_priv_apigw(store *s);
void store_apigw_release(store_apigw_state *sa);

/* Binds a slice (absent: SQL NULL), read during the step. */
static inline void bind_slice(sqlite3_stmt *q, int i, mrb_slice v)
{
    if (v.p)
        sqlite3_bind_text(q, i, v.p, (int)v.n, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

/* Binds text (NULL: SQL NULL); SQLite reads it during the step, before the
 * caller's string goes away. */
static inline void bind_str(sqlite3_stmt *q, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

/* Binds v, or SQL NULL when the value is not present. */
static inline void bind_ll(sqlite3_stmt *q, int i, int present, long long v)
{
    if (present)
        sqlite3_bind_int64(q, i, v);
    else
        sqlite3_bind_null(q, i);
}

static inline void bind_dbl(sqlite3_stmt *q, int i, int present, double v)
{
    if (present)
        sqlite3_bind_double(q, i, v);
    else
        sqlite3_bind_null(q, i);
}


/* What an environment row seen again (same function and log stream) keeps:
 * the earliest and latest times (NULL-safe: an untimed copy keeps the
 * timed row's), the counts added up, the first known of the rest, and the
 * better-ranked function source. Shared by store.c and store_identity.c. */
#define STORE_ENV_UPSERT \
    "ON CONFLICT(function, log_stream) DO UPDATE SET " \
    "log_group = coalesce(log_group, excluded.log_group), runtime = excluded.runtime, " \
    "runtime_version = coalesce(runtime_version, excluded.runtime_version), " \
    "runtime_version_arn = coalesce(runtime_version_arn, excluded.runtime_version_arn), " \
    "region = coalesce(region, excluded.region), " \
    "first_ts_ms = coalesce(min(first_ts_ms, excluded.first_ts_ms), first_ts_ms, " \
    "excluded.first_ts_ms), " \
    "last_ts_ms = coalesce(max(last_ts_ms, excluded.last_ts_ms), last_ts_ms, " \
    "excluded.last_ts_ms), " \
    "invocations = invocations + excluded.invocations, " \
    "cold_starts = cold_starts + excluded.cold_starts, " \
    "init_ms = coalesce(init_ms, excluded.init_ms), " \
    "init_status = coalesce(init_status, excluded.init_status), " \
    "init_error_type = coalesce(init_error_type, excluded.init_error_type), " \
    "init_phase = coalesce(init_phase, excluded.init_phase), " \
    "function_rank = max(function_rank, excluded.function_rank), " \
    "function_source = CASE WHEN excluded.function_rank > function_rank " \
    "THEN excluded.function_source ELSE function_source END"

#endif
