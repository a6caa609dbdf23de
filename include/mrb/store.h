/* store.h — the SQLite database: schema, migrations and every write.
 *
 * The schema is a public interface (docs/SCHEMA.md), versioned with
 * PRAGMA user_version and migrated forward on open. Each input file is
 * all-or-nothing: store_file_begin ... store_file_commit, or store_file_abort,
 * which rolls the file back and records the failure. Files are batched in
 * one transaction committed about every second (committing each small file
 * alone costs more than reading it) and by store_flush: the first file of a
 * batch is undone by rolling the batch back, the others are savepoints. A
 * batch is never left half-written: store_close without store_flush rolls it
 * back. Inserts are idempotent on
 * natural keys (an invocation is its request id and REPORT time), so
 * ingesting anything twice adds nothing.
 *
 * Ownership: store_open returns a store released by store_close. Strings
 * passed in are copied by SQLite before the call returns. */
#ifndef MRB_STORE_H
#define MRB_STORE_H

#include <stdint.h>
#include "mrb/err.h"
#include "mrb/records.h"

#define STORE_SCHEMA_VERSION 14

typedef struct store store;
typedef struct sqlite3 sqlite3;

/* Opens (creating or migrating) the database at path. NULL with err. */
store *store_open(const char *path, mrb_err *err);
void store_close(store *s);
sqlite3 *store_db(store *s); /* borrowed */

/* Creates the indexes that join invocations to API Gateway requests and X-Ray
 * traces (invocations_request_id, invocations_xray_trace_id) if they are
 * missing. Called before the first such row is stored; a Lambda-only database
 * does without them (schema 13). Undone with the transaction it ran in. */
int store_join_indexes(store *s, mrb_err *err);
/* The same, but only when the database holds API Gateway requests or X-Ray
 * traces (as store_open does); for writers that bypass the store's inserts
 * (merge). */
int store_join_indexes_if_joined(store *s, mrb_err *err);

/* What a file contributed; kept in the files table. */
typedef struct file_stats {
    const char *shape;          /* shape name, or NULL when not recognised */
    long long size_bytes;       /* raw bytes read */
    unsigned long crc32;        /* of the raw bytes */
    uint64_t content_hash;      /* source_raw_hash of the raw bytes */
    int gzip;                   /* 0 / 1 */
    long long events;
    long long platform_lines;   /* START/END/REPORT/INIT_* / timeout / exit */
    long long other_lines;      /* application output and lines not known */
    long long rejected;         /* records skipped with a problem */
    long long control_messages; /* subscription CONTROL_MESSAGE documents skipped */
    long long invocations_new;
    long long invocations_known;
    long long emf_documents;    /* EMF documents found, valid or not */
    long long emf_rejected;     /* of which rejected (no value stored) */
    long long metric_values_new;
    long long metric_values_known;
} file_stats;

/* Starts one input file. size_hint is its size on disk (-1 when unknown):
 * files over a few MB start a batch of their own. */
int store_file_begin(store *s, const char *path, const char *run, long long size_hint,
                     mrb_err *err);

/* Adds an invocation; *added is 1 when new, 0 when already stored.
 * runtime is the label decided for its function. A known invocation whose
 * stored function was named with a lower rank (inv->fn_origin, fn_origin.h)
 * takes inv's function, log group and runtime: it is relabelled, never
 * duplicated; a lower or equal rank changes nothing. */
int store_invocation(store *s, const invocation *inv, const char *runtime, int *added,
                     mrb_err *err);

/* Applies a late status to a stored invocation; *matched 1 if one was found. */
int store_annotation(store *s, const annotation *a, int *matched, mrb_err *err);

/* Merges what a file says about an environment. A log stream belongs to
 * one function: rows of the stream stored under another function of a
 * lower rank move to env's function (relabelled), and when another
 * function holds it with a higher rank, env's rows of this file go there. */
int store_environment(store *s, const environment *env, const char *runtime, mrb_err *err);

/* Records a problem (non-fatal) of the current file; the first few per file
 * are kept. */
int store_problem(store *s, long long line, long long offset, const char *text, mrb_err *err);

/* Adds lines application log lines of level (a name: "ERROR") written by
 * function to the current file's counts. */
int store_log_level(store *s, const char *function, const char *level, long long lines,
                    mrb_err *err);

/* A function's log volume in a file: its log events, their message bytes,
 * the invocations (REPORT lines) among them, stored before or not, and the
 * times of the first and last timed event (EVENT_TS_NONE: none timed). */
typedef struct store_volume {
    long long events, message_bytes, invocations;
    int64_t first_ts_ms, last_ts_ms;
} store_volume;

/* Adds v to the current file's log volume of function. */
int store_log_volume(store *s, const char *function, const store_volume *v, mrb_err *err);

/* What an EMF metric value shares with every other value of its series. */
typedef struct metric_series {
    const char *ns, *metric, *unit;
    int storage_resolution;
    const char *dimensions;     /* canonical JSON object */
    const char *function;
    const char *log_group;      /* may be NULL */
} metric_series;

/* The id of a series (*id), created when new; its runtime label becomes
 * runtime (a series follows its function's label, as a relabel would). */
int store_metric_series(store *s, const metric_series *k, const char *runtime, long long *id,
                        mrb_err *err);

/* One metric value (emf.h) of an event; its seq is its index in the
 * event's points. */
typedef struct metric_point {
    long long series_id;        /* store_metric_series */
    double value;
    int value_index;
} metric_point;

/* The metric values of one EMF event (one document) with where it came
 * from. */
typedef struct metric_event {
    int64_t ts_ms;              /* _aws.Timestamp */
    int64_t event_key;          /* hash of the log stream and the event's document */
    const char *log_stream;     /* may be NULL */
    const char *request_id;     /* may be NULL */
    const metric_point *points;
    int n_points;               /* at least 1 */
} metric_event;

/* Adds an event's metric values (a metric_events row per 8); *added is 1
 * when they are new, 0 when the event is already stored (same ts_ms and
 * event_key): then nothing is written. */
int store_metric_event(store *s, const metric_event *e, int *added, mrb_err *err);

/* A metric definition seen between first and last (epoch ms). */
typedef struct metric_definition {
    const char *ns, *metric, *unit, *dimension_sets;
    int storage_resolution;
    int64_t first, last;
} metric_definition;

/* Merges a metric definition into what is stored. */
int store_metric_definition(store *s, const metric_definition *d, mrb_err *err);

/* Adds documents rejected EMF documents of reason (emf_reason_name) to the
 * current file's counts. */
int store_metric_reject(store *s, const char *reason, long long documents, mrb_err *err);

/* ---- DynamoDB stream records (store_ddb.c; docs/SCHEMA.md) ---- */

/* One change record as stored in stream_records. Strings may be NULL
 * (column NULL) unless marked; numbers flagged absent are NULL. */
typedef struct ddb_row {
    const char *dedupe_key;       /* not NULL: the natural key */
    const char *origin;           /* not NULL: "streams" or "kinesis" */
    const char *event_id;         /* not NULL */
    const char *event_name;       /* not NULL: INSERT, MODIFY, REMOVE */
    const char *table_name;
    const char *table_from;       /* "record" or "map", NULL with table_name */
    const char *region;
    const char *stream_arn;
    const char *stream_view_type;
    const char *sequence_number;
    const char *kinesis_seq;
    int has_ts;                   /* approx_ts_* and ts_precision are set */
    int64_t approx_ts_ms, approx_ts_us;
    const char *ts_precision;     /* "s", "ms", "us" */
    int ttl_delete;
    const char *keys;             /* not NULL: plain JSON */
    const char *new_image, *old_image;
    const char *item_id;          /* the id matched against the logs, or NULL */
    long long size_bytes;         /* SizeBytes, -1 when absent */
    long long keys_size;
    long long new_size, old_size, item_size; /* -1 when absent */
    long long wru;
    const char *wru_basis;        /* not NULL: "image", "keys" or "ttl" */
    int has_item_ts;              /* item_ts_ms and item_ts_attribute are set */
    int64_t item_ts_ms;
    const char *item_ts_attribute;
    const char *runtime;          /* not NULL: a label, or "unattributed" */
    const char *runtime_source;   /* not NULL: map, attribute, key-prefix, unattributed */
    int images_checked;           /* images checked against the item schema (0..2) */
    int violations;               /* conformance violations found in them */
    long long line;               /* where the record starts in its file, 0 unknown */
    long long record_index;       /* its number in the file (0-based) */
} ddb_row;

/* Adds a stream record of the current file; *added is 1 when new, 0 when
 * its dedupe_key is already stored. The violations and numbers written
 * next belong to it (and are dropped when it was known). */
int store_ddb_record(store *s, const ddb_row *r, int *added, mrb_err *err);

/* A conformance violation of the last record: image "new" or "old", seq its
 * position among the image's violations, kind (ddb_violation_name). */
typedef struct ddb_violation_row {
    const char *image, *kind, *attribute, *detail;
    int seq;
} ddb_violation_row;

int store_ddb_violation(store *s, const ddb_violation_row *v, mrb_err *err);

/* A top-level N attribute of the last record's image ("keys", "new",
 * "old"): its exact text and, when has_value, the REAL (exact: it reads back
 * as the same decimal). */
int store_ddb_number(store *s, const char *image, const char *attribute, const char *text,
                        int has_value, double value, int exact, mrb_err *err);

/* The UUIDs the application lines of function wrote in the current file
 * (or a part of it), between first_ts_ms and last_ts_ms: n entries of
 * STORE_APP_ID_BYTES, each the UUID's 16 bytes and the line's time (epoch ms,
 * 8 bytes big-endian). One row per call: the ids of a whole file cost one
 * insert, not one each. */
#define STORE_APP_ID_BYTES 24
int store_app_ids(store *s, const char *function, int64_t first_ts_ms, int64_t last_ts_ms,
                  long long n, const void *entries, mrb_err *err);

/* The current file's stream record counts (files columns). */
int store_ddb_file(store *s, long long records, long long records_new, long long violations,
                      mrb_err *err);


/* What ingest decided about a function. Any field but function, runtime
 * and runtime_source may be NULL ("not known": a stored value is kept). */
typedef struct function_info {
    const char *function;
    const char *log_group;
    const char *runtime;         /* label */
    const char *runtime_source;  /* attrib_source_name() */
    const char *runtime_version; /* from INIT_START */
    const char *architecture;    /* from the map file: x86_64 or arm64 */
    const char *region;          /* from the map file */
} function_info;

/* Records the function's attribution; with relabel, also rewrites the
 * runtime of its stored invocations, environments and metric series (a
 * full pass over the function's rows: only when the label changed), and of
 * the stream records attributed from its logs. */
int store_function(store *s, const function_info *fi, int relabel, mrb_err *err);

/* What is stored for a function: its runtime label and runtime version
 * (from an earlier INIT_START), each copied into a buffer of `size` bytes,
 * or "" when unknown. 0, or -1 with err. */
int store_function_get(store *s, const char *function, char *runtime, char *version,
                       unsigned long size, mrb_err *err);

/* A function name with its rank, for the moves below. */
typedef struct store_name {
    const char *function;
    const char *log_group;  /* may be NULL: a stored one is kept */
    const char *runtime;
    int rank;               /* enum fn_origin */
} store_name;

/* Room for a store_name's strings. */
typedef struct store_name_buf {
    char function[256], runtime[64], log_group[512];
} store_name_buf;

/* The invocations of a split stream in the file's time range, after the
 * move, per runtime: of the current file (added, of which cold) and stored
 * before (known). More runtimes than fit are folded into the last. */
#define STORE_MOVED_RUNTIMES 4
typedef struct store_moved_runtime {
    char runtime[32];
    long long added, cold_added, known;
} store_moved_runtime;

typedef struct store_moved {
    store_moved_runtime by[STORE_MOVED_RUNTIMES];
    int n;
    int owned; /* nothing moved: a function of a higher rank holds the stream */
} store_moved;

/* A function named by a guess held streams of several runtimes: its rows
 * in stream (invocations between first and last, widened by the stream's
 * environment row, and that row) move to the function `to` (its name,
 * runtime and rank), unless a function named with a higher rank holds
 * the stream already (m->owned). *m gets what the stream holds in
 * [first, last] after the move. 0, or -1 with err. */
int store_split_stream(store *s, const char *from, const char *stream, int64_t first,
                       int64_t last, const store_name *to, store_moved *m, mrb_err *err);

/* Invocations relabelled by committed files since store_open. */
long long store_relabelled(store *s);

/* The schema migrations, in order: store_migrations[v] takes a database
 * from user_version v to v + 1. NULL-terminated. */
extern const char *const store_migrations[];

/* Settles the file with its stats and status "ok" (durable once the batch
 * is committed). */
int store_file_commit(store *s, const file_stats *st, mrb_err *err);

/* A file whose content is stored already (store_known.h) was met again,
 * maybe under another path: file_id's row counts it (times_ingested,
 * last_ingested_at) and learns content_hash if it lacked it. The file is
 * not read. */
int store_file_known(store *s, long long file_id, uint64_t content_hash, mrb_err *err);

/* Commits the open batch, if any. */
int store_flush(store *s, mrb_err *err);

/* Rolls back everything of the current file and records it as rejected
 * with the given error (in a transaction of its own). */
int store_file_abort(store *s, const file_stats *st, const mrb_err *why, mrb_err *err);

#endif
