/* assemble.h — platform records of one file into invocations and environments.
 *
 * Keeps state per log stream (= one execution environment): the runtime
 * version from INIT_START, whether an init is waiting for its first invoke,
 * the request in flight (START without REPORT), and timeout / runtime-exit
 * lines waiting for their REPORT. A REPORT becomes one invocation; a late
 * timeout or exit line becomes an annotation; assemble_finish reports one
 * environment per stream. Memory grows with the number of streams in a file
 * (and those left open at its end), not with its events.
 *
 * Ownership: assemble_new returns an assembler released by assemble_free.
 * Everything handed to the sink is borrowed for the duration of the call. */
#ifndef MRB_ASSEMBLE_H
#define MRB_ASSEMBLE_H

#include <stdint.h>
#include "mrb/err.h"
#include "mrb/applog.h"
#include "mrb/lambda_line.h"
#include "mrb/records.h"

typedef struct assemble_sink {
    /* Each returns 0, or -1 (err filled) to stop. */
    int (*invocation)(void *arg, const invocation *inv, mrb_err *err);
    int (*annotation)(void *arg, const annotation *a, mrb_err *err);
    int (*environment)(void *arg, const environment *env, mrb_err *err);
    void *arg;
} assemble_sink;

typedef struct assembler assembler;

/* Where a record came from: function and stream identify the environment. */
typedef struct assemble_where {
    const char *function;   /* never NULL */
    const char *log_group;  /* may be NULL */
    const char *log_stream; /* may be NULL: then all such events share one state */
    int64_t ts_ms;
} assemble_where;

assembler *assemble_new(const assemble_sink *sink);
void assemble_free(assembler *a);

/* Forgets all state without reporting anything (after a failed file). */
void assemble_reset(assembler *a);

/* Feeds one parsed record. Returns 0, or -1 when a sink call failed. */
int assemble_record(assembler *a, const assemble_where *w, const lambda_record *rec, mrb_err *err);

/* Feeds one application log line: ERROR / FATAL lines count against the
 * request they name, or the request in flight in their stream. */
int assemble_app(assembler *a, const assemble_where *w, const applog_line *line);

/* Flushes pending annotations and reports every environment the file
 * touched, then forgets the file: streams with an invocation still open (or
 * an init still waiting for its first invoke) are carried to the next file,
 * since one payload or export part can end between a START and its REPORT. */
int assemble_finish(assembler *a, mrb_err *err);

#endif
