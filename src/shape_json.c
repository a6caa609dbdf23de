/* shape_json.c — what the JSON input shapes share (see shape_json.h). */
#include "mrb/shape_json.h"
#include "mrb/timeparse.h"

#include <jansson.h>
#include <string.h>

#include "mrb/jevent.h"
#include "mrb/jscan.h"
#include "mrb/shape.h"

int shape_json_first_key(const char *head, size_t n, const char *quoted_key)
{
    size_t i = 0, m = strlen(quoted_key);

    while (i < n && strchr(" \t\r\n", head[i]))
        i++;
    if (i >= n || head[i] != '{')
        return 0;
    i++;
    while (i < n && strchr(" \t\r\n", head[i]))
        i++;
    return n - i >= m && memcmp(head + i, quoted_key, m) == 0;
}

static int hand_on(const event_sink *sink, const char *group, const char *stream, int64_t ts,
                   const char *msg, size_t len, long long line, long long off, mrb_err *err)
{
    log_event ev;

    ev.log_group = group;
    ev.log_stream = stream;
    if (ts == EVENT_TS_NONE) { /* a time of INT64_MIN, not "no time" */
        char text[160];
        time_range_problem(ts, "event", text, sizeof text);
        shape_problem(sink, line, line > 0 ? -1 : off, text);
        return 0;
    }
    ev.ts_ms = ts;
    ev.msg = msg;
    ev.msg_len = len;
    ev.line = line;
    ev.offset = off;
    return sink->event(sink->arg, &ev, err);
}

static const char no_fields[] =
    "event without a string message and an integer timestamp, skipped";

static const char *either(const char *own, const char *given) { return own ? own : given; }

/* The general path: jansson parses the element (and names what is wrong). */
static int event_jansson(const sb *raw, const char *group, const char *stream, long long line,
                         long long off, const event_sink *sink, mrb_err *err)
{
    json_error_t je;
    json_t *o = json_loadb(raw->buf, raw->len, 0, &je);
    int rc = 0;

    if (!o)
        return mrb_err_set(err, line + je.line - 1, off + je.position,
                           "invalid JSON in an event: %s", je.text);
    json_t *msg = json_object_get(o, "message");
    json_t *ts = json_object_get(o, "timestamp");
    json_t *st = json_object_get(o, "logStreamName");
    json_t *gr = json_object_get(o, "logGroupName");
    if (!json_is_object(o) || !json_is_string(msg) || !json_is_integer(ts))
        shape_problem(sink, line, off, no_fields);
    else
        rc = hand_on(sink, either(json_is_string(gr) ? json_string_value(gr) : NULL, group),
                     either(json_is_string(st) ? json_string_value(st) : NULL, stream),
                     (int64_t)json_integer_value(ts), json_string_value(msg),
                     json_string_length(msg), line, off, err);
    json_decref(o);
    return rc;
}

int shape_json_event(const sb *raw, sb *copy, const char *group, const char *stream,
                     long long line, long long off, const event_sink *sink, mrb_err *err)
{
    jevent ev;

    sb_reset(copy);
    sb_add(copy, raw->buf, raw->len);
    if (!jevent_parse(copy->buf, copy->len, &ev))
        return event_jansson(raw, group, stream, line, off, sink, err);
    if (!ev.message || !ev.has_timestamp) {
        shape_problem(sink, line, off, no_fields);
        return 0;
    }
    return hand_on(sink, either(ev.log_group, group), either(ev.log_stream, stream),
                   ev.timestamp, ev.message, ev.message_len, line, off, err);
}

typedef struct events_ctx {
    const char *group, *stream;
    const event_sink *sink;
    sb copy;
} events_ctx;

static int one_element(void *arg, const sb *raw, long long line, long long off, mrb_err *err)
{
    events_ctx *c = arg;
    return shape_json_event(raw, &c->copy, c->group, c->stream, line, off, c->sink, err);
}

int shape_json_events(reader *r, const char *group, const char *stream, const event_sink *sink,
                      mrb_err *err)
{
    events_ctx c = {group, stream, sink, SB_INIT};
    int rc = jscan_array(r, "an array of events", reader_max_line(r), one_element, &c, err);

    sb_release(&c.copy);
    return rc;
}
