/* shape_lines.c — the line loop the line-based shapes share (see shape_lines.h). */
#include "mrb/shape_lines.h"

#include <stdio.h>
#include <string.h>

#include "mrb/sb.h"
#include "mrb/shape.h"

typedef struct pending {
    sb msg, stream;
    int64_t ts_ms;
    long long line, offset;
    int has_stream;
    int active;   /* an event is being collected */
    int skipping; /* its first line was too long: drop its continuations */
} pending;

static int flush(pending *pe, const shape_lines *how, const event_sink *sink, mrb_err *err)
{
    log_event ev;

    if (!pe->active)
        return 0;
    pe->active = 0;
    ev.log_group = NULL;
    ev.log_stream = pe->has_stream ? sb_str(&pe->stream) : how->log_stream;
    ev.ts_ms = pe->ts_ms;
    ev.msg = sb_str(&pe->msg);
    ev.msg_len = pe->msg.len;
    ev.line = pe->line;
    ev.offset = pe->offset;
    return sink->event(sink->arg, &ev, err);
}

/* Copies p[0..n) without its ESC [ ... m sequences into out. */
static void strip_ansi(const char *p, size_t n, sb *out)
{
    sb_reset(out);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\x1b' && i + 1 < n && p[i + 1] == '[') {
            size_t j = i + 2;
            while (j < n && ((p[j] >= '0' && p[j] <= '9') || p[j] == ';'))
                j++;
            if (j < n && p[j] == 'm') {
                i = j;
                continue;
            }
        }
        sb_addc(out, p[i]);
    }
}

static void start(pending *pe, const char *p, const line_part *lp, long long line, long long off)
{
    sb_reset(&pe->msg);
    sb_add(&pe->msg, p + lp->at, lp->len);
    pe->has_stream = lp->stream != NULL;
    sb_reset(&pe->stream);
    if (lp->stream)
        sb_add(&pe->stream, lp->stream, lp->stream_n);
    pe->ts_ms = lp->ts_ms;
    pe->line = line;
    pe->offset = off;
    pe->active = 1;
    pe->skipping = 0;
}

/* One line: a new event, more of the current one, or nothing. */
static int take_line(pending *pe, const char *p, size_t n, long long line, long long off,
                     size_t max, const shape_lines *how, const event_sink *sink, mrb_err *err)
{
    line_part lp = {.kind = LINE_MORE, .len = n, .ts_ms = EVENT_TS_NONE};

    how->classify(how->state, p, n, &lp);
    if (lp.kind == LINE_SKIP)
        return 0;
    if (lp.kind == LINE_NEW || lp.kind == LINE_BAD) {
        if (flush(pe, how, sink, err) < 0)
            return -1;
        if (lp.kind == LINE_NEW) {
            start(pe, p, &lp, line, off);
        } else {
            shape_problem(sink, line, off, lp.why);
            pe->skipping = 1;
        }
        return 0;
    }
    if (pe->skipping)
        return 0;
    if (!pe->active) {
        if (lp.len > 0 && how->orphan)
            shape_problem(sink, line, off, how->orphan);
        return 0;
    }
    if (pe->msg.len + 1 + lp.len > max) {
        shape_problem(sink, pe->line, pe->offset, "event longer than the limit, skipped");
        pe->active = 0;
        pe->skipping = 1;
        return 0;
    }
    sb_addc(&pe->msg, '\n');
    sb_add(&pe->msg, p + lp.at, lp.len);
    if (lp.ts_ms != EVENT_TS_NONE)
        pe->ts_ms = lp.ts_ms;
    return 0;
}

int shape_lines_decode(reader *r, const shape_lines *how, const event_sink *sink, mrb_err *err)
{
    pending pe = {.msg = SB_INIT, .stream = SB_INIT, .ts_ms = EVENT_TS_NONE};
    sb clean = SB_INIT;
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
            shape_problem(sink, line, off, msg);
            if (flush(&pe, how, sink, err) < 0) {
                rc = -1;
                break;
            }
            pe.skipping = 1;
            continue;
        }
        if (how->strip_ansi && memchr(p, '\x1b', n)) {
            strip_ansi(p, n, &clean);
            p = sb_str(&clean);
            n = clean.len;
        }
        if (take_line(&pe, p, n, line, off, reader_max_line(r), how, sink, err) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0)
        rc = flush(&pe, how, sink, err);
    sb_release(&pe.msg);
    sb_release(&pe.stream);
    sb_release(&clean);
    return rc;
}

int shape_lines_each(reader *r, const event_sink *sink, shape_line_fn each, void *arg,
                     mrb_err *err)
{
    const char *p;
    size_t n;

    for (;;) {
        long long line = reader_line(r), off = reader_offset(r);
        int st = reader_getline(r, &p, &n, err);
        if (st == READER_EOF)
            return 0;
        if (st == READER_ERROR)
            return -1;
        if (st == READER_TOO_LONG) {
            shape_problem(sink, line, off, "line longer than the limit, skipped");
            continue;
        }
        size_t i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i < n && each(arg, p, n, line, off, err) < 0)
            return -1;
    }
}
