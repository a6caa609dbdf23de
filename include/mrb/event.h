/* event.h — the log event every shape decoder produces, and its sink.
 *
 * A decoder turns a file into a stream of events and hands each to the sink;
 * the event and every string in it are borrowed: valid only during the call.
 * Record-level problems (a line too long, an event without a timestamp)
 * are reported through the sink and the decoder goes on; only damage that
 * makes the rest of the file unreadable is returned as an error. */
#ifndef MRB_EVENT_H
#define MRB_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include "mrb/err.h"

/* The ts_ms of an event whose copy carries no time (a decoded LogResult, a
 * console "Test" result, plain text): stored as NULL, never guessed. */
#define EVENT_TS_NONE INT64_MIN


typedef struct log_event {
    const char *log_group;  /* from the data, NULL when the shape has none */
    const char *log_stream; /* from the data or the file's path, NULL if unknown */
    int64_t ts_ms;          /* event time, epoch milliseconds UTC, or EVENT_TS_NONE */
    const char *msg;        /* message bytes, not NUL-terminated */
    size_t msg_len;
    long long line;         /* line the event starts on, 0 when not line-based */
    long long offset;       /* decoded byte offset of the event */
} log_event;

typedef struct event_sink {
    /* Called once per event. Returns 0 to go on, -1 (err filled) to abort
     * the file. */
    int (*event)(void *arg, const log_event *ev, mrb_err *err);
    /* Called for a record the decoder skipped; the decoder goes on. */
    void (*problem)(void *arg, long long line, long long offset, const char *text);
    /* Called for a subscription CONTROL_MESSAGE (skipped by design); may be NULL. */
    void (*control)(void *arg);
    void *arg;
} event_sink;

#endif
