/* lambda_json.h — Lambda JSON-format platform events to typed records.
 *
 * With LoggingConfig.LogFormat = JSON, Lambda writes its platform lines as
 * Telemetry-API objects, one per log event:
 *   {"time": "...", "type": "platform.report", "record": {...}}
 * This module maps them onto the same lambda_record the text lines give
 * (lambda_line.h), so both formats produce identical rows:
 *   platform.initStart  -> LAMBDA_INIT_START  (runtimeVersion, runtimeVersionArn)
 *   platform.initReport -> LAMBDA_INIT_REPORT (metrics.durationMs, phase, status, errorType)
 *   platform.start      -> LAMBDA_START       (requestId, version)
 *   platform.report     -> LAMBDA_REPORT      (metrics.durationMs, billedDurationMs,
 *                          memorySizeMB, maxMemoryUsedMB, initDurationMs,
 *                          restoreDurationMs, billedRestoreDurationMs; status, errorType;
 *                          tracing.value "Root=1-..;Parent=..;Sampled=1" -> X-Ray fields)
 *   platform.runtimeDone, platform.extension, platform.telemetrySubscription,
 *   platform.logsDropped, platform.restore* -> LAMBDA_EXTENSION (counted, no row)
 * status "success" leaves the record's status absent (as in text REPORT lines);
 * "timeout", "error", "failure" are copied.
 *
 * Ownership: the record's slices point into a parsed document owned by the
 * lambda_json_doc the caller passes in; they stay valid until
 * lambda_json_doc_release. No other allocation escapes. */
#ifndef MRB_LAMBDA_JSON_H
#define MRB_LAMBDA_JSON_H

#include <stddef.h>
#include "mrb/lambda_line.h"

typedef struct lambda_json_doc {
    void *json; /* the parsed document (json_t *), or NULL */
} lambda_json_doc;

/* Parses msg (a trailing "\n" is ignored) when it is a platform event.
 * Returns the kind: LAMBDA_OTHER when msg is not a JSON object with a
 * "type" starting "platform." (application JSON, EMF, plain text);
 * LAMBDA_MALFORMED (out->why set) when it is a platform event missing what
 * its type needs (a report without requestId or metrics.durationMs, a
 * number that is not a number). doc must be released by the caller
 * whatever is returned. */
enum lambda_kind lambda_json_parse(const char *msg, size_t n, lambda_record *out,
                                   lambda_json_doc *doc);

void lambda_json_doc_release(lambda_json_doc *doc);

#endif
