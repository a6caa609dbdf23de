/* shape_telemetry.c — Telemetry API / Logs API batches and JSON-format lines
 * saved without a CloudWatch envelope (FORMATS.md §2, §14.7).
 *
 * An extension receives `{"time", "type", "record"}` events: a JSON array
 * per HTTP delivery (arrays may follow one another in a file), or one
 * object per line over TCP. A platform.* event becomes a log event whose
 * message is the object itself (what a JSON-format function writes to
 * CloudWatch, read by lambda_json.h); a function or extension record
 * becomes its text (or its object, when the function logs JSON). Lines of
 * a JSON-format function saved one per line without CloudWatch's envelope
 * are read the same way: platform events as such, application objects as
 * messages timed by their "timestamp" (or "time"), and lines that are not
 * JSON as text. Nothing here names a log stream: it comes from the path, if
 * at all. A time that is missing or not ISO 8601 is EVENT_TS_NONE. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/jload.h"
#include "mrb/jscan.h"
#include "mrb/sb.h"
#include "mrb/shape.h"
#include "mrb/shape_json.h"
#include "mrb/shape_lines.h"
#include "mrb/timeparse.h"

typedef struct tele_ctx {
    const shape_hints *h;
    const event_sink *sink;
    int strict; /* array elements must be objects; lines may be anything */
} tele_ctx;

static int has(const char *p, size_t n, const char *lit) { return memmem(p, n, lit, strlen(lit)) != NULL; }

/* A CloudWatch event object (the ndjson, cli-json and subscription shapes'). */
static int cloudwatch_event(const char *p, size_t n)
{
    const char *t = memmem(p, n, "\"timestamp\"", 11);

    if (has(p, n, "\"logStreamName\"") || has(p, n, "\"messageType\"") ||
        has(p, n, "\"ingestionTime\"") || has(p, n, "\"eventId\""))
        return 1;
    if (!t)
        return 0;
    size_t i = (size_t)(t - p) + 11;
    while (i < n && strchr(" \t:", p[i]))
        i++;
    return i < n && p[i] >= '0' && p[i] <= '9';
}

static int envelope(const char *p, size_t n)
{
    return has(p, n, "\"time\"") && has(p, n, "\"type\"") && has(p, n, "\"record\"");
}

static int detect(const char *head, size_t n)
{
    size_t i = 0;

    while (i < n && strchr(" \t\r\n", head[i]))
        i++;
    if (i < n && head[i] == '[') {
        i++;
        while (i < n && strchr(" \t\r\n", head[i]))
            i++;
        return i < n && head[i] == '{' && envelope(head + i, n - i) &&
               !cloudwatch_event(head + i, n - i);
    }
    if (i >= n || head[i] != '{')
        return 0;
    const char *nl = memchr(head + i, '\n', n - i);
    size_t len = nl ? (size_t)(nl - head) - i : n - i;
    const char *l = head + i;
    return !cloudwatch_event(l, len) &&
           (envelope(l, len) || (has(l, len, "\"timestamp\"") && has(l, len, "\"level\"")));
}

static int64_t iso_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    int64_t ms;

    if (json_is_string(v) &&
        time_parse_iso(json_string_value(v), json_string_length(v), &ms) == json_string_length(v))
        return ms;
    return EVENT_TS_NONE;
}

static int hand_on(tele_ctx *c, int64_t ts, const char *stream, const char *msg, size_t n,
                   long long line, long long off, mrb_err *err)
{
    log_event ev = {.log_stream = stream ? stream : c->h->log_stream,
                    .ts_ms = ts,
                    .msg = msg,
                    .msg_len = n,
                    .line = line,
                    .offset = off};
    return c->sink->event(c->sink->arg, &ev, err);
}

/* An object with "type" and "record": the Telemetry API's event. */
static int telemetry_event(tele_ctx *c, json_t *o, const char *raw, size_t n, long long line,
                           long long off, mrb_err *err)
{
    json_t *type = json_object_get(o, "type"), *rec = json_object_get(o, "record");
    int64_t ts = iso_member(o, "time");

    if (strncmp(json_string_value(type), "platform.", 9) == 0)
        return hand_on(c, ts, NULL, raw, n, line, off, err);
    if (json_is_string(rec))
        return hand_on(c, ts, NULL, json_string_value(rec), json_string_length(rec), line, off,
                       err);
    char *text = json_dumps(rec, JSON_COMPACT | JSON_ENCODE_ANY);
    int rc = text ? hand_on(c, ts, NULL, text, strlen(text), line, off, err) : 0;
    free(text);
    return rc;
}

/* One element of a batch, or one line. */
static int one(tele_ctx *c, const char *raw, size_t n, long long line, long long off,
               mrb_err *err)
{
    json_error_t je;
    json_t *o = jload(raw, n, &je);
    int rc = 0;

    if (!o && c->strict)
        return mrb_err_set(err, line + je.line - 1, off + je.position,
                           "invalid JSON in a Telemetry API event: %s", je.text);
    if (!json_is_object(o)) {
        if (c->strict)
            shape_problem(c->sink, line, off, "batch element that is not an object, skipped");
        else /* a line of text between JSON lines */
            rc = hand_on(c, EVENT_TS_NONE, NULL, raw, n, line, off, err);
        json_decref(o);
        return rc;
    }
    json_t *msg = json_object_get(o, "message"), *ts = json_object_get(o, "timestamp");
    json_t *st = json_object_get(o, "logStreamName");
    if (json_is_string(json_object_get(o, "type")) && json_object_get(o, "record"))
        rc = telemetry_event(c, o, raw, n, line, off, err);
    else if (json_is_string(msg) && json_is_integer(ts) &&
             json_integer_value(ts) == EVENT_TS_NONE) { /* a time of INT64_MIN, not none */
        char text[160];
        time_range_problem(EVENT_TS_NONE, "event", text, sizeof text);
        shape_problem(c->sink, line, line > 0 ? -1 : off, text);
    } else if (json_is_string(msg) && json_is_integer(ts)) /* a CloudWatch event after all */
        rc = hand_on(c, (int64_t)json_integer_value(ts),
                     json_is_string(st) ? json_string_value(st) : NULL, json_string_value(msg),
                     json_string_length(msg), line, off, err);
    else {
        int64_t t = iso_member(o, "timestamp");
        rc = hand_on(c, t != EVENT_TS_NONE ? t : iso_member(o, "time"), NULL, raw, n, line, off,
                     err);
    }
    json_decref(o);
    return rc;
}

static int element(void *arg, const sb *raw, long long line, long long off, mrb_err *err)
{
    return one(arg, raw->buf, raw->len, line, off, err);
}

/* One line: the record after its leading blanks. */
static int one_line(void *arg, const char *p, size_t n, long long line, long long off, mrb_err *err)
{
    size_t i = 0;

    while (p[i] == ' ' || p[i] == '\t')
        i++;
    return one(arg, p + i, n - i, line, off, err);
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    tele_ctx c = {h, sink, 1};
    int more, first = jscan_peek(r, err);

    if (first == -2)
        return -1;
    if (first != '[') {
        c.strict = 0;
        return shape_lines_each(r, c.sink, one_line, &c, err);
    }
    do {
        if (jscan_array(r, "a Telemetry API batch", reader_max_line(r), element, &c, err) < 0)
            return -1;
    } while ((more = jscan_more(r, err)) == 1);
    return more;
}

const shape shape_telemetry = {"telemetry", detect, decode, 1};
