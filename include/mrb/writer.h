/* writer.h — the store, written from a thread of its own.
 *
 * SQLite inserts are the larger half of ingest's work, so the parsing thread
 * hands every write to a writer thread through a bounded queue and goes on.
 * Each call copies its arguments and returns at once; the writer applies
 * them in order with the store.h functions. What only the database knows
 * (is an invocation new? how many did an environment gain?) is counted on
 * the writer's side and can be read after writer_sync.
 *
 * Errors: a failed write stops the writer; that call's caller does not see
 * it, a later call (messages are handed over in batches: at the latest
 * writer_wait or writer_sync) returns -1 with the error; what was queued
 * after the failure is not written.
 *
 * Ownership: writer_start borrows the store (it must outlive the writer);
 * writer_stop joins the thread and frees the writer. Between writer_sync and
 * the next queued call, the caller may use the store directly. */
#ifndef MRB_WRITER_H
#define MRB_WRITER_H

#include "mrb/err.h"
#include "mrb/records.h"
#include "mrb/store.h"
#include "mrb/store_apigw.h"

typedef struct writer writer;

/* Invocations stored per function since writer_start. */
typedef struct writer_fn_count {
    char function[256];
    long long invocations_new, invocations_known, cold_new;
} writer_fn_count;

typedef struct writer_counts {
    long long invocations_new, invocations_known;
    long long annotations_orphan; /* timeout / exit lines whose REPORT was not found */
    long long metric_values_new, metric_values_known;
    long long stream_records_new, stream_records_known;
    long long stream_violations;  /* of the new stream records */
    writer_fn_count *functions;   /* n_functions of them, owned by the writer */
    int n_functions;
} writer_counts;

writer *writer_start(store *st, mrb_err *err);
void writer_stop(writer *w); /* discards what is queued if writer_sync was not called */

/* size_hint: as for store_file_begin. */
int writer_file_begin(writer *w, const char *path, const char *run, long long size_hint,
                      mrb_err *err);
/* runtime is the function's label. */
int writer_invocation(writer *w, const invocation *inv, const char *runtime, mrb_err *err);
int writer_annotation(writer *w, const annotation *a, mrb_err *err);
/* env's invocations / cold_starts are ignored: the writer counts the new ones. */
int writer_environment(writer *w, const environment *env, const char *runtime, mrb_err *err);
int writer_log_volume(writer *w, const char *function, const store_volume *v, mrb_err *err);
int writer_log_level(writer *w, const char *function, const char *level, long long lines,
                     mrb_err *err);
int writer_problem(writer *w, long long line, long long offset, const char *text, mrb_err *err);
int writer_function(writer *w, const function_info *fi, int relabel, mrb_err *err);
/* An EMF event's values (store_metric_event), as one message. Points name
 * their series by a number the caller chose, counting from 1 and starting
 * afresh (which `reset` says) once about WRITER_MAX_SERIES were given; the
 * first event to use a number since carries that series in `series`. The writer finds or creates each series in the store once,
 * and again only after a file's rollback or a relabel. It counts new and
 * known values. */
#define WRITER_MAX_SERIES 65536

typedef struct writer_series {
    int number;
    metric_series key;
} writer_series;

typedef struct writer_point {
    int series;        /* its number */
    double value;
    int value_index;
} writer_point;

typedef struct writer_emf_event {
    int64_t ts_ms, event_key;
    const char *log_stream;     /* may be NULL */
    const char *request_id;     /* may be NULL */
    const char *runtime;        /* the function's label: its series take it */
    const writer_point *points; /* in document order (seq) */
    int n_points;               /* at least 1 */
    const writer_series *series; /* numbers used here for the first time */
    int n_series;
    int reset;                  /* forget every number given before this event */
} writer_emf_event;

int writer_metric_event(writer *w, const writer_emf_event *e, mrb_err *err);

/* The other EMF writes of store.h. */
int writer_metric_definition(writer *w, const char *ns, const char *metric, const char *unit,
                             int storage_resolution, const char *dimension_sets,
                             int64_t first_ts_ms, int64_t last_ts_ms, mrb_err *err);
int writer_metric_reject(writer *w, const char *reason, long long documents, mrb_err *err);
/* The DynamoDB stream writes of store.h; the writer counts new and known
 * records and the violations of the new ones. writer_ddb_file gives the
 * file's records read; send it before writer_file_commit. */
int writer_ddb_record(writer *w, const ddb_row *r, mrb_err *err);
int writer_ddb_violation(writer *w, const char *image, int seq, const char *kind,
                            const char *attribute, const char *detail, mrb_err *err);
int writer_ddb_number(writer *w, const char *image, const char *attribute, const char *text,
                         int has_value, double value, int exact, mrb_err *err);
int writer_app_ids(writer *w, const char *function, int64_t first_ts_ms, int64_t last_ts_ms,
                   long long n, const void *entries, mrb_err *err);
int writer_ddb_file(writer *w, long long records, mrb_err *err);
/* st's invocations_new / invocations_known / metric_values_new / _known are ignored:
 * the writer's own are stored. */
int writer_file_commit(writer *w, const file_stats *st, mrb_err *err);
int writer_file_abort(writer *w, const file_stats *st, const mrb_err *why, mrb_err *err);
/* A file not read because its content is stored (store_file_known). */
int writer_file_known(writer *w, long long file_id, uint64_t content_hash, mrb_err *err);

/* An API Gateway access or execution line (store_apigw). */
int writer_apigw(writer *w, const apigw_row *row, mrb_err *err);

/* Waits until everything queued is written (not committed), so that the
 * caller may read the store. 0, or -1 with the first error. */
int writer_wait(writer *w, mrb_err *err);

/* Waits as writer_wait, then commits (store_flush). */
int writer_sync(writer *w, mrb_err *err);

/* Valid after writer_wait or writer_sync, until the next call. */
const writer_counts *writer_get_counts(const writer *w);

#endif
