/* shape_tail.c — what the CLIs print of log events (FORMATS.md §14.1–14.3, 14.5).
 *
 * Three shapes, each a line prefix in front of Lambda's message; a line
 * without the prefix continues the event before (a REPORT's XRAY line, a
 * message re-indented as JSON):
 *   logs-tail  `aws logs tail`: `<ISO with +00:00> <stream> <message>`
 *              (--format detailed, the default, and --format json) or
 *              `<YYYY-MM-DDTHH:MM:SS> <message>` (--format short, no
 *              stream); colour codes are removed first.
 *   sam-logs   `sam logs`: `<stream> <ISO without zone> <message>`.
 *   logs-text  `aws logs filter-log-events` / `get-log-events` with
 *              `--output text`: `EVENTS<TAB>` rows whose columns are sorted
 *              by name, so the event's timestamp is the last column: after
 *              the message, on the next line when the message ends in a
 *              newline (as Lambda's do).
 * The line loop is shape_lines.h's; times are UTC as the CLIs print them. */
#include <string.h>

#include "mrb/shape.h"
#include "mrb/slice.h"
#include "mrb/shape_lines.h"
#include "mrb/timeparse.h"

#define DETECT_LINES 4 /* lines of the head a detector reads (a prompt may come first) */

/* The first lines of the head (ANSI colour codes removed) through a
 * classifier: 1 when one starts an event before any line that is neither
 * blank nor a command prompt. */
static int detect_lines(const char *head, size_t n,
                        void (*classify)(void *, const char *, size_t, line_part *))
{
    char buf[512];
    size_t line = 0;

    for (int k = 0; k < DETECT_LINES && line < n; k++) {
        const char *nl = memchr(head + line, '\n', n - line);
        size_t end = nl ? (size_t)(nl - head) : n, m = 0;
        for (size_t i = line; i < end && m < sizeof buf; i++) {
            if (head[i] == '\x1b' && i + 1 < end && head[i + 1] == '[') {
                while (i < end && head[i] != 'm')
                    i++;
                continue;
            }
            buf[m++] = head[i];
        }
        if (m > 0 && buf[m - 1] == '\r')
            m--;
        line_part lp = {.kind = LINE_MORE, .len = m, .ts_ms = EVENT_TS_NONE};
        classify(NULL, buf, m, &lp);
        if (lp.kind == LINE_NEW)
            return 1;
        if (m > 0 && buf[0] != '$' && buf[0] != '%')
            return 0;
        line = end + 1;
    }
    return 0;
}

/* ---- aws logs tail ---- */

/* `<ISO> ` where the ISO time has microseconds (or none) and "+00:00" (the
 * detailed and json formats: a stream name follows), or exactly seconds
 * without a zone (the short format). */
static void tail_classify(void *state, const char *p, size_t n, line_part *out)
{
    int64_t ms;
    size_t k = time_parse_iso(p, n, &ms);

    (void)state;
    if (k == 0 || (k < n && p[k] != ' '))
        return;
    /* Python's isoformat() of a UTC time: microseconds, or none when zero */
    int zoned = (k == 32 || k == 25) && memcmp(p + k - 6, "+00:00", 6) == 0;
    if (!zoned && k != 19)
        return;
    out->kind = LINE_NEW;
    out->ts_ms = ms;
    size_t at = k < n ? k + 1 : n;
    if (zoned) { /* the stream name has no space */
        const char *sp = memchr(p + at, ' ', n - at);
        size_t end = sp ? (size_t)(sp - p) : n;
        out->stream = p + at;
        out->stream_n = end - at;
        at = sp ? end + 1 : n;
    }
    out->at = at;
    out->len = n - at;
}

static int tail_detect(const char *head, size_t n)
{
    return detect_lines(head, n, tail_classify);
}

static int tail_decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    shape_lines how = {tail_classify, NULL, 1, h->log_stream,
                       "line without a timestamp before the first event, skipped"};

    return shape_lines_decode(r, &how, sink, err);
}

const shape shape_logs_tail = {"logs-tail", tail_detect, tail_decode, 1};

/* ---- sam logs ---- */

/* `<stream> <ISO without zone>[ <message>]`: the stream is one word that is
 * not itself a time. */
static void sam_classify(void *state, const char *p, size_t n, line_part *out)
{
    int64_t ms;
    const char *sp = memchr(p, ' ', n);

    (void)state;
    if (!sp || sp == p || memchr(p, '\t', (size_t)(sp - p)) || time_parse_iso(p, n, &ms) > 0)
        return;
    size_t at = (size_t)(sp + 1 - p);
    size_t k = time_parse_iso(p + at, n - at, &ms);
    if (k == 0 || p[at + k - 1] == 'Z' || (at + k < n && p[at + k] != ' '))
        return;
    out->kind = LINE_NEW;
    out->ts_ms = ms;
    out->stream = p;
    out->stream_n = (size_t)(sp - p);
    out->at = at + k < n ? at + k + 1 : n;
    out->len = n - out->at;
}

static int sam_detect(const char *head, size_t n)
{
    return detect_lines(head, n, sam_classify);
}

static int sam_decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    shape_lines how = {sam_classify, NULL, 1, h->log_stream,
                       "line without a log stream and time before the first event, skipped"};

    return shape_lines_decode(r, &how, sink, err);
}

const shape shape_sam_logs = {"sam-logs", sam_detect, sam_decode, 1};

/* ---- --output text ---- */

/* The column p[*at..) up to the next TAB (or the end); *at moves past it. */
static size_t column(const char *p, size_t n, size_t *at)
{
    const char *tab = memchr(p + *at, '\t', n - *at);
    size_t end = tab ? (size_t)(tab - p) : n, len = end - *at;

    *at = tab ? end + 1 : n;
    return len;
}

static int all_digits(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

/* A line ending in `<TAB><epoch ms>`: the timestamp column after the
 * message. Returns 1 with *ms and the length of the text before it. */
static int trailing_time(const char *p, size_t n, int64_t *ms, size_t *before)
{
    size_t i = n;

    while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9' && n - i < 16)
        i--;
    if (n - i < 12 || n - i > 15 || i == 0 || p[i - 1] != '\t')
        return 0;
    *ms = 0;
    for (size_t j = i; j < n; j++)
        *ms = *ms * 10 + (p[j] - '0');
    *before = i - 1;
    return 1;
}

/* EVENTS rows: filter-log-events writes eventId (56 digits),
 * ingestionTime, logStreamName, message, timestamp; get-log-events writes
 * ingestionTime, message, timestamp. Other rows (the next tokens,
 * SEARCHEDLOGSTREAMS) are skipped. */
static void text_classify(void *state, const char *p, size_t n, line_part *out)
{
    size_t at = 7, before;
    int64_t ms;

    (void)state;
    if (!bytes_start(p, n, "EVENTS\t")) {
        if (bytes_start(p, n, "SEARCHEDLOGSTREAMS\t") ||
            ((bytes_start(p, n, "b/") || bytes_start(p, n, "f/")) && memchr(p, '\t', n))) {
            out->kind = LINE_SKIP;
            return;
        }
        if (trailing_time(p, n, &ms, &before)) {
            out->ts_ms = ms;
            out->len = before;
        }
        return;
    }
    size_t c0 = at, n0 = column(p, n, &at);
    if (!all_digits(p + c0, n0))
        return;
    if (n0 > 15) { /* an eventId: ingestionTime and the stream follow */
        column(p, n, &at);
        size_t s = at, sn = column(p, n, &at);
        out->stream = p + s;
        out->stream_n = sn;
    }
    out->kind = LINE_NEW;
    out->at = at;
    out->len = n - at;
    if (trailing_time(p + at, n - at, &ms, &before)) {
        out->ts_ms = ms;
        out->len = before;
    }
}

static int text_detect(const char *head, size_t n)
{
    return detect_lines(head, n, text_classify) ||
           ((bytes_start(head, n, "b/") || bytes_start(head, n, "f/")) && memchr(head, '\t', n) &&
            memmem(head, n, "\nEVENTS\t", 8));
}

static int text_decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    shape_lines how = {text_classify, NULL, 0, h->log_stream,
                       "line before the first EVENTS row, skipped"};

    return shape_lines_decode(r, &how, sink, err);
}

const shape shape_logs_text = {"logs-text", text_detect, text_decode, 1};
