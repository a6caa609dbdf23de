/* shape_s3_export.c — CloudWatch Logs CreateExportTask objects.
 *
 * Each event is `<ISO8601 timestamp> <message>` on its own line; a message
 * that spans lines (stack traces, pretty-printed objects) continues on lines
 * without a timestamp, and since Lambda's messages end in "\n" events are
 * usually separated by blank lines. The log stream is not in the file: it
 * comes from the object key (shape_hints.log_stream). The line loop is
 * shape_lines.h's. */
#include <stdio.h>
#include <string.h>

#include "mrb/shape.h"
#include "mrb/shape_lines.h"
#include "mrb/timeparse.h"

/* 1 when the first blank of p[0..n) is a space, as after an export line's
 * time (copies of logs put a TAB there: they are other shapes). */
static int space_first(const char *p, size_t n)
{
    for (size_t i = 0; i < n && p[i] != '\n'; i++)
        if (p[i] == ' ' || p[i] == '\t')
            return p[i] == ' ';
    return 0;
}

static int detect(const char *head, size_t n)
{
    int64_t ms;
    size_t k = time_parse_iso(head, n, &ms);
    /* a first line whose time is impossible is still this shape (and a
     * problem of that line, not an unknown file) */
    return (k > 0 && k < n && head[k] == ' ' && head[10] == 'T') ||
           (k == 0 && time_looks_iso(head, n) && space_first(head, n));
}

static void classify(void *state, const char *p, size_t n, line_part *out)
{
    int64_t ms;
    size_t k = time_parse_iso(p, n, &ms);

    (void)state;
    if (k > 0 && k < n && p[k] == ' ') {
        out->kind = LINE_NEW;
        out->at = k + 1;
        out->len = n - k - 1;
        out->ts_ms = ms;
    }
    else if (k == 0 && time_looks_iso(p, n) && space_first(p, n)) {
        /* an event whose time is impossible (month 13): not a continuation */
        out->kind = LINE_BAD;
        snprintf(out->why, sizeof out->why, "timestamp '%.19s' is not a valid time, event skipped",
                 p);
    }
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    shape_lines how = {classify, NULL, 0, h->log_stream,
                       "line without a timestamp before the first event, skipped"};

    return shape_lines_decode(r, &how, sink, err);
}

const shape shape_s3_export = {"s3-export", detect, decode, 0};
