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
#include "mrb/shape_lines.h"

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

typedef struct ndjson_ctx {
    sb raw, copy;
    const char *log_stream; /* the path's hint, or NULL */
    const event_sink *sink;
} ndjson_ctx;

static int one_line(void *arg, const char *p, size_t n, long long line, long long off, mrb_err *err)
{
    ndjson_ctx *c = arg;

    sb_reset(&c->raw);
    sb_add(&c->raw, p, n);
    return shape_json_event(&c->raw, &c->copy, NULL, c->log_stream, line, off, c->sink, err);
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    ndjson_ctx c = {SB_INIT, SB_INIT, h ? h->log_stream : NULL, sink};
    int rc = shape_lines_each(r, sink, one_line, &c, err);

    sb_release(&c.raw);
    sb_release(&c.copy);
    return rc;
}

const shape shape_ndjson = {"ndjson", detect, decode, 0};
