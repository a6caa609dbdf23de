/* shape_cli_json.c — `aws logs filter-log-events` / `get-log-events` output.
 *
 * {"events": [{"logStreamName", "timestamp", "message", ...}, ...], ...}
 * One document, or several back to back (pages saved one after another).
 * The events array may be gigabytes: it is walked element by element and
 * each element alone is parsed (by jevent.h, or jansson when that declines),
 * so memory is bounded by the largest event. Other members (nextToken, searchedLogStreams) are skipped. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "mrb/jevent.h"
#include "mrb/jscan.h"
#include "mrb/shape.h"

/* Top-level keys that only these documents have. */
static const char *const marker_keys[] = {"\"events\"", "\"nextForwardToken\"",
                                          "\"nextBackwardToken\"", "\"searchedLogStreams\"",
                                          NULL};

static int detect(const char *head, size_t n)
{
    size_t i = 0;

    while (i < n && strchr(" \t\r\n", head[i]))
        i++;
    if (i >= n || head[i] != '{')
        return 0;
    i++;
    while (i < n && strchr(" \t\r\n", head[i]))
        i++;
    for (int k = 0; marker_keys[k]; k++) {
        size_t m = strlen(marker_keys[k]);
        if (n - i >= m && memcmp(head + i, marker_keys[k], m) == 0)
            return 1;
    }
    return 0;
}

static void problem(const event_sink *sink, long long line, long long off, const char *text)
{
    if (sink->problem)
        sink->problem(sink->arg, line, off, text);
}

static int hand_on(const event_sink *sink, const char *group, const char *stream, int64_t ts,
                   const char *msg, size_t len, long long line, long long off, mrb_err *err)
{
    log_event ev;

    ev.log_group = group;
    ev.log_stream = stream;
    ev.ts_ms = ts;
    ev.msg = msg;
    ev.msg_len = len;
    ev.line = line;
    ev.offset = off;
    return sink->event(sink->arg, &ev, err);
}

static const char no_fields[] =
    "event without a string message and an integer timestamp, skipped";

/* The general path: jansson parses the element (and names what is wrong). */
static int one_event_jansson(const sb *raw, long long line, long long off,
                             const event_sink *sink, mrb_err *err)
{
    json_error_t je;
    json_t *o = json_loadb(raw->buf, raw->len, 0, &je);
    int rc = 0;

    if (!o)
        return mrb_err_set(err, line + je.line - 1, off + je.position,
                           "invalid JSON in an event: %s", je.text);
    json_t *msg = json_object_get(o, "message");
    json_t *ts = json_object_get(o, "timestamp");
    json_t *stream = json_object_get(o, "logStreamName");
    json_t *group = json_object_get(o, "logGroupName");
    if (!json_is_object(o) || !json_is_string(msg) || !json_is_integer(ts))
        problem(sink, line, off, no_fields);
    else
        rc = hand_on(sink, json_is_string(group) ? json_string_value(group) : NULL,
                     json_is_string(stream) ? json_string_value(stream) : NULL,
                     (int64_t)json_integer_value(ts), json_string_value(msg),
                     json_string_length(msg), line, off, err);
    json_decref(o);
    return rc;
}

/* Parses one element of events[] and hands it on: the fast reader on a
 * copy (it unescapes in place), jansson on the original when the fast one
 * declines. */
static int one_event(const sb *raw, sb *copy, long long line, long long off,
                     const event_sink *sink, mrb_err *err)
{
    jevent ev;

    sb_reset(copy);
    sb_add(copy, raw->buf, raw->len);
    if (!jevent_parse(copy->buf, copy->len, &ev))
        return one_event_jansson(raw, line, off, sink, err);
    if (!ev.message || !ev.has_timestamp) {
        problem(sink, line, off, no_fields);
        return 0;
    }
    return hand_on(sink, ev.log_group, ev.log_stream, ev.timestamp, ev.message,
                   ev.message_len, line, off, err);
}

static int events_array(reader *r, const event_sink *sink, mrb_err *err)
{
    sb raw = SB_INIT, copy = SB_INIT;
    int rc = 0, more;

    if (jscan_expect(r, '[', "to start the events array", err) < 0)
        return -1;
    if (jscan_peek(r, err) == ']') {
        reader_consume(r, 1);
        return 0;
    }
    do {
        (void)jscan_peek(r, err);
        long long line = reader_line(r), off = reader_offset(r);
        sb_reset(&raw);
        if (jscan_value(r, &raw, reader_max_line(r), err) < 0 ||
            one_event(&raw, &copy, line, off, sink, err) < 0) {
            rc = -1;
            break;
        }
        more = jscan_next(r, ']', "an event", err);
        if (more < 0)
            rc = -1;
    } while (rc == 0 && more == 1);
    sb_release(&raw);
    sb_release(&copy);
    return rc;
}

static int document(reader *r, const event_sink *sink, mrb_err *err)
{
    sb key = SB_INIT;
    int rc = 0, more;

    if (jscan_expect(r, '{', "to start a document", err) < 0)
        return -1;
    if (jscan_peek(r, err) == '}') {
        reader_consume(r, 1);
        return 0;
    }
    do {
        sb_reset(&key);
        if (jscan_string(r, &key, 256, err) < 0 ||
            jscan_expect(r, ':', "after a key", err) < 0) {
            rc = -1;
            break;
        }
        if (!strcmp(sb_str(&key), "events"))
            rc = events_array(r, sink, err);
        else
            rc = jscan_value(r, NULL, 0, err);
        if (rc < 0)
            break;
        more = jscan_next(r, '}', "a member", err);
        if (more < 0)
            rc = -1;
    } while (rc == 0 && more == 1);
    sb_release(&key);
    return rc;
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    (void)h;
    for (;;) {
        if (document(r, sink, err) < 0)
            return -1;
        int c = jscan_peek(r, err);
        if (c == -2)
            return -1;
        if (c == -1)
            return 0;
    }
}

const shape shape_cli_json = {"cli-json", detect, decode};
