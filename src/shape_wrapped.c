/* shape_wrapped.c — subscription payloads inside Lambda trigger events.
 *
 * A function subscribed to a log group receives
 *   {"awslogs": {"data": "<base64 of gzip of a subscription document>"}}
 * and one reading a Kinesis stream that a subscription feeds receives
 *   {"Records": [{"kinesis": {"data": "<base64 of gzip ...>", ...}, ...}, ...]}
 * Users save these events to files. Each payload is decoded in memory (a
 * payload is at most a few MB) and read as subscription documents. */
#include <jansson.h>
#include <string.h>

#include "mrb/base64.h"
#include "mrb/jload.h"
#include "mrb/jscan.h"
#include "mrb/shape.h"
#include "mrb/shape_json.h"

#define RECORD_MAX (16u << 20)

int shape_payload_decode(const char *b64, size_t n, const char *what, long long line,
                         const event_sink *sink, mrb_err *err)
{
    sb bytes = SB_INIT;
    size_t bad = base64_decode(b64, n, &bytes);
    int rc = -1;

    if (bad) {
        mrb_err_set(err, line, -1, "%s is not valid base64 (character %zu)", what, bad);
    } else if (bytes.len == 0) {
        /* AWS never sends an empty payload: a record problem, not silence */
        char text[96];
        snprintf(text, sizeof text, "%s is empty, record skipped", what);
        shape_problem(sink, line, -1, text);
        rc = 0;
    } else {
        source *src = source_open_mem(bytes.buf, bytes.len, 1, err);
        reader *r = reader_new(src, RECORD_MAX);
        rc = shape_subscription_decode(r, sink, err);
        if (rc < 0) {
            char inner[sizeof err->text];
            snprintf(inner, sizeof inner, "%s", err->text);
            mrb_err_set(err, line, -1, "in %s: %s", what, inner);
        }
        reader_free(r);
        source_close(src);
    }
    sb_release(&bytes);
    return rc;
}

/* ---- {"awslogs": {"data": ...}} ---- */

static int detect_awslogs(const char *head, size_t n)
{
    return shape_json_first_key(head, n, "\"awslogs\"");
}

/* One event (object), parsed by jansson: they are small. */
static int awslogs_event(const sb *raw, long long line, const event_sink *sink, mrb_err *err)
{
    json_error_t je;
    json_t *o = jload(raw->buf, raw->len, &je);
    int rc;

    if (!o)
        return mrb_err_set(err, line + je.line - 1, -1, "invalid JSON: %s", je.text);
    json_t *data = json_object_get(json_object_get(o, "awslogs"), "data");
    if (!json_is_string(data))
        rc = mrb_err_set(err, line, -1, "awslogs event without a string awslogs.data");
    else
        rc = shape_payload_decode(json_string_value(data), json_string_length(data),
                                  "awslogs.data", line, sink, err);
    json_decref(o);
    return rc;
}

/* Several events back to back or one per line, like the other shapes. */
static int decode_awslogs(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    sb raw = SB_INIT;
    int more;

    (void)h;
    while ((more = jscan_more(r, err)) == 1) {
        long long line = reader_line(r);
        sb_reset(&raw);
        if (jscan_value(r, &raw, RECORD_MAX, err) < 0 || awslogs_event(&raw, line, sink, err) < 0) {
            more = -1;
            break;
        }
    }
    sb_release(&raw);
    return more;
}

const shape shape_awslogs = {"awslogs", detect_awslogs, decode_awslogs, 0};

/* ---- {"Records": [{"kinesis": {"data": ...}}, ...]} ---- */

static int detect_kinesis(const char *head, size_t n)
{
    return shape_json_first_key(head, n, "\"Records\"") && memmem(head, n, "\"kinesis\"", 9);
}

static int kinesis_record(void *arg, const sb *raw, long long line, long long off, mrb_err *err)
{
    const event_sink *sink = arg;
    (void)off;
    json_error_t je;
    json_t *o = jload(raw->buf, raw->len, &je);
    int rc;

    if (!o)
        return mrb_err_set(err, line + je.line - 1, -1, "invalid JSON in a record: %s", je.text);
    json_t *data = json_object_get(json_object_get(o, "kinesis"), "data");
    if (!json_is_string(data))
        rc = mrb_err_set(err, line, -1, "record without a string kinesis.data");
    else
        rc = shape_payload_decode(json_string_value(data), json_string_length(data),
                                  "kinesis.data", line, sink, err);
    json_decref(o);
    return rc;
}

static int kinesis_member(void *arg, const char *key, reader *r, mrb_err *err)
{
    if (!strcmp(key, "Records"))
        return jscan_array(r, "Records", RECORD_MAX, kinesis_record, arg, err);
    return jscan_value(r, NULL, 0, err);
}

static int kinesis_document(reader *r, const event_sink *sink, mrb_err *err)
{
    return jscan_object(r, "a Kinesis event", kinesis_member, (void *)sink, err);
}

static int decode_kinesis(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    int more;

    (void)h;
    while ((more = jscan_more(r, err)) == 1)
        if (kinesis_document(r, sink, err) < 0)
            return -1;
    return more;
}

const shape shape_kinesis = {"kinesis", detect_kinesis, decode_kinesis, 0};
