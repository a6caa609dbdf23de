/* shape_s3_export.c — CloudWatch Logs CreateExportTask objects.
 *
 * Each event is `<ISO8601 timestamp> <message>` on its own line; a message
 * that spans lines (stack traces, pretty-printed objects) continues on lines
 * without a timestamp, and since Lambda's messages end in "\n" events are
 * usually separated by blank lines. The log stream is not in the file: it
 * comes from the object key (shape_hints.log_stream). */
#include <stdio.h>
#include <string.h>

#include "mrb/sb.h"
#include "mrb/shape.h"
#include "mrb/timeparse.h"

typedef struct pending {
    sb msg;
    int64_t ts_ms;
    long long line, offset;
    int active;   /* an event is being collected */
    int skipping; /* its first line was too long: drop its continuations */
} pending;

static int detect(const char *head, size_t n)
{
    int64_t ms;
    size_t k = time_parse_iso(head, n, &ms);
    /* a first line whose time is impossible is still this shape (and a
     * problem of that line, not an unknown file) */
    return (k > 0 && k < n && head[k] == ' ' && head[10] == 'T') || time_looks_iso(head, n);
}

static int flush(pending *pe, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    log_event ev;

    if (!pe->active)
        return 0;
    pe->active = 0;
    ev.log_group = NULL;
    ev.log_stream = h->log_stream;
    ev.ts_ms = pe->ts_ms;
    ev.msg = sb_str(&pe->msg);
    ev.msg_len = pe->msg.len;
    ev.line = pe->line;
    ev.offset = pe->offset;
    return sink->event(sink->arg, &ev, err);
}

static void problem(const event_sink *sink, long long line, long long off, const char *text)
{
    if (sink->problem)
        sink->problem(sink->arg, line, off, text);
}

/* One line: a new event, or more of the current one. */
static int take_line(pending *pe, const char *p, size_t n, long long line, long long off,
                     size_t max, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    int64_t ms;
    size_t k = time_parse_iso(p, n, &ms);

    if (k > 0 && k < n && p[k] == ' ') {
        if (flush(pe, h, sink, err) < 0)
            return -1;
        sb_reset(&pe->msg);
        sb_add(&pe->msg, p + k + 1, n - k - 1);
        pe->ts_ms = ms;
        pe->line = line;
        pe->offset = off;
        pe->active = 1;
        pe->skipping = 0;
        return 0;
    }
    if (time_looks_iso(p, n)) {
        /* an event whose time is impossible (month 13): not a continuation */
        char msg[96];
        if (flush(pe, h, sink, err) < 0)
            return -1;
        snprintf(msg, sizeof msg, "timestamp '%.19s' is not a valid time, event skipped", p);
        problem(sink, line, off, msg);
        pe->skipping = 1;
        return 0;
    }
    if (pe->skipping)
        return 0;
    if (!pe->active) {
        if (n > 0)
            problem(sink, line, off, "line without a timestamp before the first event, skipped");
        return 0;
    }
    if (pe->msg.len + 1 + n > max) {
        problem(sink, pe->line, pe->offset, "event longer than the limit, skipped");
        pe->active = 0;
        pe->skipping = 1;
        return 0;
    }
    sb_addc(&pe->msg, '\n');
    sb_add(&pe->msg, p, n);
    return 0;
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    pending pe = {SB_INIT, 0, 0, 0, 0, 0};
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
            char msg[128];
            snprintf(msg, sizeof msg, "line of %zu bytes is longer than the limit, skipped", n);
            problem(sink, line, off, msg);
            if (flush(&pe, h, sink, err) < 0) {
                rc = -1;
                break;
            }
            pe.skipping = 1;
            continue;
        }
        if (take_line(&pe, p, n, line, off, reader_max_line(r), h, sink, err) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0)
        rc = flush(&pe, h, sink, err);
    sb_release(&pe.msg);
    return rc;
}

const shape shape_s3_export = {"s3-export", detect, decode};
