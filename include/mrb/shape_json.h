/* shape_json.h — what the JSON input shapes share.
 *
 * Detection by the first key of the first top-level object, and the reading
 * of one log event object ({"timestamp", "message", ...}) captured by the
 * streaming scanner: the in-place fast reader (jevent.h) first, jansson when
 * it declines (jansson then also names what is wrong). */
#ifndef MRB_SHAPE_JSON_H
#define MRB_SHAPE_JSON_H

#include <stddef.h>
#include "mrb/event.h"
#include "mrb/reader.h"
#include "mrb/sb.h"

/* 1 when head starts (after white space) with '{' followed by the key
 * (given with its quotes, e.g. "\"events\""). */
int shape_json_first_key(const char *head, size_t n, const char *quoted_key);

/* Reads one event object raw[0..len) and hands it to the sink. The
 * object's own logGroupName / logStreamName win over group / stream (either
 * may be NULL). copy is scratch space. A record without a string message
 * and an integer timestamp is reported as a problem and skipped; invalid
 * JSON fails (err at line/offset of the object). */
int shape_json_event(const sb *raw, sb *copy, const char *group, const char *stream,
                     long long line, long long off, const event_sink *sink, mrb_err *err);

/* Walks a JSON array of event objects (the reader is at its '['), handing
 * each to shape_json_event. */
int shape_json_events(reader *r, const char *group, const char *stream, const event_sink *sink,
                      mrb_err *err);

/* Decodes subscription documents (shape_subscription.c) from r: for the
 * wrappers that carry them gzipped and base64-encoded. */
int shape_subscription_decode(reader *r, const event_sink *sink, mrb_err *err);

/* Decodes one base64 text of a (usually gzipped) subscription payload and
 * reads its documents; errors name what (e.g. "awslogs.data") and where. */
int shape_payload_decode(const char *b64, size_t n, const char *what, long long line,
                         const event_sink *sink, mrb_err *err);

#endif
