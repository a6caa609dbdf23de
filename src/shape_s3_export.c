/* shape_s3_export.c — CloudWatch Logs CreateExportTask objects.
 *
 * Each event is `<ISO8601 timestamp> <message>` on its own line; a message
 * that spans lines (stack traces, pretty-printed objects) continues on lines
 * without a timestamp, and since Lambda's messages end in "\n" events are
 * usually separated by blank lines. The log stream is not in the file: it
 * comes from the object key (shape_hints.log_stream). The line loop is
 * shape_lines.h's. */
#include <string.h>

#include "mrb/shape.h"
#include "mrb/shape_lines.h"
#include "mrb/timeparse.h"

static int detect(const char *head, size_t n)
{
    int64_t ms;
    size_t k = time_parse_iso(head, n, &ms);
    return k > 0 && k < n && head[k] == ' ' && head[10] == 'T';
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
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    shape_lines how = {classify, NULL, 0, h->log_stream,
                       "line without a timestamp before the first event, skipped"};

    return shape_lines_decode(r, &how, sink, err);
}

const shape shape_s3_export = {"s3-export", detect, decode, 0};
