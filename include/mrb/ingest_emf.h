/* ingest_emf.h — EMF documents of log events on their way to the store.
 *
 * The per-file driver (ingest.c) hands an application line that may hold a
 * document (emf_maybe) here. Its values are numbered by series for the
 * writer (a series is namespace, metric, unit, resolution, dimensions,
 * function and log group; the writer stores a series once and its values
 * by number), the file's metric definitions and rejects per reason are
 * gathered and written when the file ends. The numbering outlives files
 * (the writer keeps the same numbers); it starts afresh, and tells the
 * writer so, when dimensions of unbounded cardinality would grow it past
 * WRITER_MAX_SERIES numbers or 16 MB of keys: memory stays bounded.
 *
 * Who the values belong to (function and runtime label) is the driver's
 * to say, through emf_owner, at a document's first value.
 *
 * Ownership: ingest_emf_new allocates, ingest_emf_free releases; the
 * strings emf_owner.resolve returns must live until the file ends. */
#ifndef MRB_INGEST_EMF_H
#define MRB_INGEST_EMF_H

#include <stdint.h>

#include "mrb/emf.h"
#include "mrb/err.h"
#include "mrb/event.h"
#include "mrb/writer.h"

typedef struct ingest_emf ingest_emf;

/* The function and runtime label of a document's values: insights_function
 * is the function a Lambda Insights event names, else NULL (the event's
 * log group or the file says). 0, or -1 with err. */
typedef struct emf_owner {
    int (*resolve)(void *arg, const log_event *ev, const char *insights_function,
                   const char **function, const char **runtime, mrb_err *err);
    void *arg;
} emf_owner;

/* What one event held. */
typedef struct emf_outcome {
    enum { EMF_NONE, EMF_STORED, EMF_REJECTED, EMF_BAD_TIME } kind;
    int insights;    /* a Lambda Insights performance event: no line of the function's */
    int64_t ts_ms;   /* EMF_BAD_TIME: the implausible _aws.Timestamp */
    emf_result res;  /* EMF_REJECTED: why */
} emf_outcome;

ingest_emf *ingest_emf_new(void);
void ingest_emf_free(ingest_emf *m);

/* Extracts ev's document, if any, and sends its values to wr as one event
 * (EMF_STORED; a document without values sends nothing). A document whose
 * time is not plausible for a file written at written_ms is skipped
 * (EMF_BAD_TIME); a rejected one is counted for the file (EMF_REJECTED).
 * 0 with *out, or -1 with err when the owner or the writer failed. */
int ingest_emf_take(ingest_emf *m, writer *wr, const log_event *ev, int64_t written_ms,
                    const emf_owner *owner, emf_outcome *out, mrb_err *err);

/* The file's rejects per reason (EMF_REASON_COUNT entries, [EMF_OK] 0). */
const long long *ingest_emf_rejects(const ingest_emf *m);

/* Writes the file's metric definitions and reject counts, then forgets
 * them. 0, or -1 with err. */
int ingest_emf_settle(ingest_emf *m, writer *wr, mrb_err *err);

/* Forgets the file's definitions and rejects (the file was rolled back). */
void ingest_emf_forget_file(ingest_emf *m);

#endif
