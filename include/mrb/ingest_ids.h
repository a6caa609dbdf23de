/* ingest_ids.h — the ids application lines name, for the attribution of
 * DynamoDB stream records to runtimes.
 *
 * The per-file driver (ingest.c) hands each timed application line here
 * with the function it belongs to. Every UUID the line names but its own
 * request id (invocations have those) is kept per function with the
 * line's time, STORE_APP_ID_BYTES each, and written in bulk: one writer
 * message per function and file, or per APP_IDS_FLUSH ids when a file
 * names more.
 *
 * Ownership: ingest_ids_new allocates, ingest_ids_free releases. */
#ifndef MRB_INGEST_IDS_H
#define MRB_INGEST_IDS_H

#include "mrb/applog.h"
#include "mrb/err.h"
#include "mrb/event.h"
#include "mrb/writer.h"

typedef struct ingest_ids ingest_ids;

ingest_ids *ingest_ids_new(void);
void ingest_ids_free(ingest_ids *d);

/* Notes the ids of ev's message (parsed as line) for function. 0, or -1
 * with err when a bulk write to wr failed. */
int ingest_ids_note(ingest_ids *d, writer *wr, const log_event *ev, const applog_line *line,
                    const char *function, mrb_err *err);

/* Writes the ids the file named so far. 0, or -1 with err. */
int ingest_ids_flush(ingest_ids *d, writer *wr, mrb_err *err);

/* Forgets the ids not yet written (the file was rolled back). */
void ingest_ids_forget(ingest_ids *d);

#endif
