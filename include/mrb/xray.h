/* xray.h — X-Ray trace documents to rows (FORMATS.md 12).
 *
 * Pure functions: one parsed element of batch-get-traces' Traces[] or of
 * get-trace-summaries' TraceSummaries[] in, rows out through a row_sink.
 * Each Segments[].Document is a JSON document inside a JSON string: it is
 * decoded here, and its nested subsegments are walked depth first (each
 * subsegment's parent is the enclosing (sub)segment unless it names one).
 * Subsegment names (Initialization, Invocation, Overhead, DynamoDB, ...)
 * are data: nothing is hard-coded here.
 *
 * Errors (-1, err with line and text; nothing of the trace is meant to be
 * kept): a trace without a string Id, a Document that is not a string or
 * not JSON, a segment without a string id or a numeric start_time, an
 * end_time that is not a number (unless in_progress), a segment whose
 * trace_id differs from its trace's Id, nesting deeper than XRAY_MAX_DEPTH. */
#ifndef MRB_XRAY_H
#define MRB_XRAY_H

#include <jansson.h>
#include "mrb/err.h"
#include "mrb/rows.h"

#define XRAY_MAX_DEPTH 64

/* One Traces[] element (index counts from 0, for messages); line is where
 * it starts. Hands the trace, then every (sub)segment, to sink. */
int xray_trace_rows(const json_t *trace, long long index, long long line,
                    const row_sink *sink, mrb_err *err);

/* One TraceSummaries[] element. */
int xray_summary_rows(const json_t *summary, long long index, long long line,
                      const row_sink *sink, mrb_err *err);

/* The function name of a Lambda ARN ("arn:aws:lambda:R:A:function:NAME[:Q]")
 * copied into out (size bytes), or 0 when arn is not one. */
int xray_arn_function(const char *arn, char *out, size_t size);

#endif
