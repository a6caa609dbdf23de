/* applog.h — application log lines of the four runtimes.
 *
 * Recognises what a function itself wrote, so that errors can be counted
 * per invocation and their causes reported per runtime:
 *   Node.js text:  "<ISO>\t<requestId>\t<LEVEL>\t<message>"   (LEVEL: TRACE DEBUG INFO
 *                  WARN ERROR FATAL; "Invoke Error " / "Uncaught Exception " messages
 *                  carry a JSON object with errorType / errorMessage)
 *   Python text:   "[<LEVEL>]\t<ISO>\t<requestId>\t<message>"; an unhandled exception is
 *                  "[ERROR] <Type>: <message>\nTraceback ..." (no request id)
 *   JSON (Lambda JSON log format or Powertools Logger): an object with "level" and
 *                  a request id in "requestId", "function_request_id" or
 *                  "lambda_request_id"; errors in "errorType"/"errorMessage",
 *                  "exception_name"/"exception", or "message"; Powertools "cold_start"
 *   anything else (Go `log`, Kotlin/Logback, print()): level ERROR when a whole
 *                  word ERROR, FATAL, SEVERE or PANIC (any case: "panic:") stands in
 *                  its first 64 bytes, else INFO; no request id.
 * Pure function: no allocation; slices point into msg (or static text). For
 * JSON lines a slice is the raw text between the quotes of a string value
 * (escapes left as written: request ids and error types have none). */
#ifndef MRB_APPLOG_H
#define MRB_APPLOG_H

#include <stddef.h>
#include "mrb/lambda_line.h"

enum applog_level {
    APPLOG_TRACE, APPLOG_DEBUG, APPLOG_INFO, APPLOG_WARN, APPLOG_ERROR, APPLOG_FATAL,
    APPLOG_LEVEL_COUNT
};

enum applog_format { APPLOG_PLAIN, APPLOG_NODE, APPLOG_PYTHON, APPLOG_JSON };

typedef struct applog_line {
    enum applog_format format;
    enum applog_level level;
    mrb_slice request_id;    /* absent when the line has none */
    mrb_slice error_type;    /* for ERROR / FATAL lines when the line names one */
    mrb_slice error_message; /* likewise; at most the first line of it */
    int cold_start;          /* Powertools "cold_start": 1 / 0, -1 when absent */
} applog_line;

/* Classifies one log event message that is not a platform line. Never
 * fails: anything unrecognised is APPLOG_PLAIN at APPLOG_INFO. */
void applog_parse(const char *msg, size_t n, applog_line *out);

const char *applog_level_name(enum applog_level l); /* "TRACE" ... "FATAL" */

/* Finds the next UUID in msg[*pos..n): 8-4-4-4-12 hex digits (any case)
 * that are not part of a longer run of hex digits and dashes. Returns 1
 * with *out pointing at it and *pos just after it, or 0 (with *pos = n)
 * when there is none. Start with *pos = 0. Item and request ids of the
 * benchmark are UUIDs; these are what stream records are matched with. */
int applog_next_uuid(const char *msg, size_t n, size_t *pos, mrb_slice *out);

#endif
