/* shape_subscription.c — CloudWatch Logs subscription payloads.
 *
 * What a subscription filter delivers, once decompressed:
 *   {"messageType": "DATA_MESSAGE", "owner": "...", "logGroup": "...",
 *    "logStream": "...", "subscriptionFilters": [...], "logEvents": [...]}
 * One document per file, several back to back with no separator (Firehose
 * writes one per gzip member, which the source decodes as one stream), or
 * one per line. CONTROL_MESSAGE documents (destination health checks) are
 * counted and skipped. Each logEvents element is read alone; when logEvents
 * comes before logGroup / logStream, the array is held (up to the size of
 * a subscription payload) until the document ends. */
#include <string.h>

#include "mrb/jscan.h"
#include "mrb/sb.h"
#include "mrb/shape.h"
#include "mrb/shape_json.h"
#include "mrb/xalloc.h"

#define HELD_EVENTS_MAX (8u << 20) /* payloads are at most 1 MB; be generous */

typedef struct doc {
    sb type, group, stream;
    sb held;             /* logEvents seen before logGroup / logStream */
    long long held_line, held_off;
    int have_group, have_stream, have_held;
} doc;

static int detect(const char *head, size_t n)
{
    return shape_json_first_key(head, n, "\"messageType\"");
}

static int is_control(const doc *d) { return !strcmp(sb_str(&d->type), "CONTROL_MESSAGE"); }

/* The events held back, read now that the document is complete. */
static int read_held(doc *d, const event_sink *sink, mrb_err *err)
{
    source *src = source_open_mem(d->held.buf, d->held.len, 0, err);
    reader *r = reader_new(src, d->held.len + 16);
    int rc = shape_json_events(r, sb_str(&d->group), sb_str(&d->stream), sink, err);

    if (rc < 0) { /* positions inside the held copy mean nothing to the user */
        err->line = d->held_line;
        err->offset = -1;
    }
    reader_free(r);
    source_close(src);
    return rc;
}

typedef struct doc_ctx {
    doc *d;
    const event_sink *sink;
} doc_ctx;

static int member(void *arg, const char *k, reader *r, mrb_err *err)
{
    doc *d = ((doc_ctx *)arg)->d;
    const event_sink *sink = ((doc_ctx *)arg)->sink;
    sb *text = !strcmp(k, "messageType") ? &d->type
               : !strcmp(k, "logGroup")  ? &d->group
               : !strcmp(k, "logStream") ? &d->stream
                                         : NULL;

    if (text) {
        sb_reset(text);
        if (jscan_string(r, text, 1024, err) < 0)
            return -1;
        d->have_group |= text == &d->group;
        d->have_stream |= text == &d->stream;
        return 0;
    }
    if (strcmp(k, "logEvents") != 0 || is_control(d))
        return jscan_value(r, NULL, 0, err);
    if (d->have_group && d->have_stream)
        return shape_json_events(r, sb_str(&d->group), sb_str(&d->stream), sink, err);
    (void)jscan_peek(r, err);
    d->held_line = reader_line(r);
    d->held_off = reader_offset(r);
    d->have_held = 1;
    sb_reset(&d->held);
    return jscan_value(r, &d->held, HELD_EVENTS_MAX, err);
}

/* One document. Returns -1 on error. */
static int document(reader *r, doc *d, const event_sink *sink, mrb_err *err)
{
    doc_ctx c = {d, sink};

    sb_reset(&d->type);
    sb_reset(&d->group);
    sb_reset(&d->stream);
    d->have_group = d->have_stream = d->have_held = 0;
    if (jscan_object(r, "a subscription document", member, &c, err) < 0)
        return -1;
    if (is_control(d)) {
        if (sink->control)
            sink->control(sink->arg);
        return 0;
    }
    return d->have_held ? read_held(d, sink, err) : 0;
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    doc d;
    int more;

    (void)h;
    memset(&d, 0, sizeof d);
    while ((more = jscan_more(r, err)) == 1)
        if (document(r, &d, sink, err) < 0) {
            more = -1;
            break;
        }
    sb_release(&d.type);
    sb_release(&d.group);
    sb_release(&d.stream);
    sb_release(&d.held);
    return more;
}

const shape shape_subscription = {"subscription", detect, decode, 0};

/* For the wrappers (awslogs, Kinesis): the same decoding of a payload. */
int shape_subscription_decode(reader *r, const event_sink *sink, mrb_err *err)
{
    return decode(r, NULL, sink, err);
}
