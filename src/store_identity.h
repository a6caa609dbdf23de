/* store_identity.h — which function an invocation and a log stream belong
 * to (store_identity.c): the part of the store that corrects names by rank.
 * store.c owns one and calls it; it knows only the database handle it was
 * given, never the store. Not a public API. */
#ifndef MRB_STORE_IDENTITY_H
#define MRB_STORE_IDENTITY_H

#include <sqlite3.h>
#include <stdint.h>

#include "mrb/store.h"

typedef struct store_identity store_identity;

/* A new identity state over db (statements prepared on first use); freed
 * by store_identity_free (NULL is fine). */
store_identity *store_identity_new(sqlite3 *db);
void store_identity_free(store_identity *si);

/* A known invocation v seen again: when its rank (fn_origin) is higher
 * than the stored one, the row takes v's function, log group and runtime
 * (counted). */
int store_identity_relabel(store_identity *si, const invocation *v, const char *runtime,
                           mrb_err *err);

/* Before a file's environment of stream is stored under t (the file saw
 * the stream between first and last): rows of the stream stored under
 * other functions of a lower rank move to t (counted); when another
 * function holds the stream with a higher rank, t becomes that one (its
 * strings copied into keep) and this file's rows of the stream move there. */
int store_identity_stream(store_identity *si, const char *stream, store_name *t, int64_t first,
                          int64_t last, store_name_buf *keep, mrb_err *err);

/* store_split_stream (store.h) for the file of row id file_id. */
int store_identity_split(store_identity *si, long long file_id, const char *from,
                         const char *stream, int64_t first, int64_t last, const store_name *to,
                         store_moved *m, mrb_err *err);

/* The current file ends: returns the invocations it relabelled, and on
 * commit drops the functions its moves left without rows (-1 with err). */
long long store_identity_file_end(store_identity *si, int commit, mrb_err *err);

/* Adds a committed file's relabelled invocations to the run's; the run's
 * total. */
void store_identity_committed(store_identity *si, long long relabelled);
long long store_identity_relabelled(const store_identity *si);

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
