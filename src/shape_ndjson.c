/* shape_ndjson.c — newline-delimited JSON log events.
 *
 * One event object per line, {"timestamp": ms, "message": "...", and
 * optionally "logStreamName", "logGroupName"}, as `jq -c '.events[]'` writes
 * the CLI's output or as log shippers store events. Blank lines are skipped;
 * a line that is not such an object is a skipped record, not the end of the
 * file (one bad line in a shipper's output is common); invalid JSON is. */
#include <string.h>

#include "mrb/sb.h"
#include "mrb/shape.h"
#include "mrb/shape_json.h"

/* The first line is an object with "timestamp" and "message" keys, and not
 * the first line of another JSON shape. */
static int detect(const char *head, size_t n)
{
    const char *nl = memchr(head, '\n', n);
    size_t len = nl ? (size_t)(nl - head) : n;
    size_t i = 0;

    while (i < len && (head[i] == ' ' || head[i] == '\t'))
        i++;
    if (i >= len || head[i] != '{')
        return 0;
    return memmem(head, len, "\"message\"", 9) && memmem(head, len, "\"timestamp\"", 11);
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    sb raw = SB_INIT, copy = SB_INIT;
    const char *p;
    size_t n;
    int rc = 0;

    for (;;) {
        long long line = reader_line(r), off = reader_offset(r);
        int st = reader_getline(r, &p, &n, err);
        if (st == READER_EOF)
            break;
        if (st == READER_ERROR) {
            rc = -1;
            break;
        }
        if (st == READER_TOO_LONG) {
            shape_problem(sink, line, off, "line longer than the limit, skipped");
            continue;
        }
        size_t i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i == n)
            continue;
        sb_reset(&raw);
        sb_add(&raw, p, n);
        if (shape_json_event(&raw, &copy, NULL, h ? h->log_stream : NULL, line, off, sink, err) < 0) {
            rc = -1;
            break;
        }
    }
    sb_release(&raw);
    sb_release(&copy);
    return rc;
}

const shape shape_ndjson = {"ndjson", detect, decode, 0};
