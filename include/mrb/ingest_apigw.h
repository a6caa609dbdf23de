/* ingest_apigw.h — API Gateway log events on their way to the store.
 *
 * The per-file driver (ingest.c) hands every log event here first; an
 * event that is an API Gateway access or execution line (apigw.h) is taken
 * and sent to the writer as one apigw_row, the others are left to the
 * Lambda parsers. Execution lines of the older unprefixed form take the
 * request id of the last "Starting execution for request" line of their
 * log stream. A request's runtime: the route's first segment
 * (apigw_route_runtime), and a --map rule for its log group or the file's
 * path; the Lambda invocation it made decides otherwise (the request_paths
 * view).
 *
 * Ownership: ingest_apigw_new borrows map; ingest_apigw_free releases. */
#ifndef MRB_INGEST_APIGW_H
#define MRB_INGEST_APIGW_H

#include "mrb/attrib.h"
#include "mrb/err.h"
#include "mrb/event.h"
#include "mrb/writer.h"

typedef struct ingest_apigw ingest_apigw;

ingest_apigw *ingest_apigw_new(const attrib_map *map);
void ingest_apigw_free(ingest_apigw *a);

/* A new file (path borrowed until the next call): the streams' current
 * requests are forgotten. */
void ingest_apigw_file(ingest_apigw *a, const char *path);

/* log_group: the event's, or the one its file names (NULL: none).
 * Returns 1 when the event was API Gateway's (stored, or skipped with a
 * problem: *why is set to a static text), 0 when it is not, -1 when the
 * writer failed (err). */
int ingest_apigw_event(ingest_apigw *a, writer *wr, const log_event *ev, const char *log_group,
                       const char **why, mrb_err *err);

/* Rows sent since ingest_apigw_new: access lines, execution lines. */
void ingest_apigw_counts(const ingest_apigw *a, long long *access, long long *execution);

#endif
