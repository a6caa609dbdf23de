/* shape_text.c — Lambda log text as people copy it (FORMATS.md §14.4–14.6).
 *
 * One shape for every copy whose lines are Lambda's own text, with at most a
 * timestamp in front: a decoded `LogResult` of `aws lambda invoke
 * --log-type Tail` or a console "Test" result (no time at all), the
 * CloudWatch console's log events (`<ISO><TAB><message>`, or the timestamp
 * on a line of its own before its message), `--query
 * 'events[*].[timestamp,message]' --output text` (`<epoch ms><TAB>...`),
 * `--query 'events[].message' --output text` (messages joined by TAB, so
 * lines start with one), Logs Insights results or `--output table` rows
 * pasted as a table (`| time | message | ... |`). Lines may be indented and
 * end in CRLF. An event starts at a timestamp or at a platform line (START,
 * REPORT, ...); the `XRAY TraceId:` line of a REPORT and the
 * `Runtime.ExitError` line of a runtime exit continue the event before.
 * Without timestamps every other line is an event of its own; with them, a
 * line without one continues the event before (multi-line messages).
 * Events without a time carry EVENT_TS_NONE. */
#include <string.h>

#include "mrb/lambda_line.h"
#include "mrb/shape.h"
#include "mrb/slice.h"
#include "mrb/shape_lines.h"
#include "mrb/timeparse.h"

#define TABLE_BARS 16 /* a row with more '|' is not one this shape reads */

typedef struct text_state {
    int64_t next_ts; /* a timestamp alone on its line: the next line's time */
    int timed;       /* events so far came with a time */
} text_state;

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* An epoch in milliseconds: 13 digits (2001 to 2286). */
static int epoch_ms(const char *p, size_t n, int64_t *ms)
{
    int64_t v = 0;

    if (n < 13)
        return 0;
    for (size_t i = 0; i < 13; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    if (n > 13 && p[13] >= '0' && p[13] <= '9')
        return 0;
    *ms = v;
    return 1;
}

/* A line that belongs to the event before it: the X-Ray part of a REPORT
 * (§15.2) and the error type of a runtime exit written on its own line. */
static int continues(const char *p, size_t n)
{
    return bytes_start(p, n, "XRAY TraceId:") || (bytes_start(p, n, "Runtime.") && n < 64 &&
                                             !memchr(p, ' ', n) && !memchr(p, '\t', n));
}

/* A Node.js application line "<ISO>\t<request id>\t<LEVEL>\t...": its own
 * timestamp, not a console's. rest is what follows the first TAB. */
static int node_line(const char *rest, size_t n)
{
    static const char *const levels[] = {"INFO\t", "WARN\t", "ERROR\t", "DEBUG\t", "TRACE\t",
                                         "FATAL\t", NULL};
    const char *tab = memchr(rest, '\t', n);

    if (!tab)
        return 0;
    size_t k = (size_t)(tab + 1 - rest);
    for (int i = 0; levels[i]; i++)
        if (bytes_start(tab + 1, n - k, levels[i]))
            return 1;
    return 0;
}

static size_t trim_left(const char *p, size_t from, size_t to)
{
    while (from < to && p[from] == ' ')
        from++;
    return from;
}

static size_t trim_right(const char *p, size_t from, size_t to)
{
    while (to > from && p[to - 1] == ' ')
        to--;
    return to;
}

/* A row of a pasted table: `| time | message |` (--output table) or
 * `| @timestamp | @message | @log | @logStream |` (Logs Insights). Rows
 * without a time in the first cell (headers, rules, titles) are skipped. */
static void table_row(const char *p, size_t n, size_t at, line_part *out)
{
    size_t bars[TABLE_BARS], nb = 0;
    int64_t ms;

    out->kind = LINE_SKIP;
    for (size_t i = at; i < n && nb < TABLE_BARS; i++)
        if (p[i] == '|')
            bars[nb++] = i;
    if (nb < 3 || nb == TABLE_BARS)
        return;
    size_t c = trim_left(p, bars[0] + 1, bars[1]), ce = trim_right(p, c, bars[1]);
    size_t k = time_parse_iso(p + c, ce - c, &ms);
    if (!(k > 0 && k == ce - c) && !(ce - c == 13 && epoch_ms(p + c, 13, &ms)))
        return;
    int insights = nb == 5; /* time, message, log group, log stream */
    size_t end = insights ? bars[2] : bars[nb - 1];
    out->kind = LINE_NEW;
    out->ts_ms = ms;
    out->at = trim_left(p, bars[1] + 1, end);
    out->len = trim_right(p, out->at, end) - out->at;
    if (insights) {
        size_t s = trim_left(p, bars[3] + 1, bars[4]);
        out->stream = p + s;
        out->stream_n = trim_right(p, s, bars[4]) - s;
    }
}

/* A timestamp in front of the message: "<ISO><TAB or space>",
 * "<epoch ms><TAB>", or a timestamp alone on its line. Returns 1 when the
 * line was taken (out filled), 0 when it has no timestamp in front. */
static int timed_line(text_state *st, const char *p, size_t n, size_t at, line_part *out)
{
    int64_t ms;
    size_t k = time_parse_iso(p + at, n - at, &ms);

    if (k == 0 && epoch_ms(p + at, n - at, &ms) && n - at > 13 && p[at + 13] == '\t')
        k = 13;
    if (k == 0)
        return 0;
    size_t rest = at + k;
    while (rest < n && is_blank(p[rest]))
        rest++;
    if (rest == n) { /* the console's timestamp line: the message follows */
        st->next_ts = ms;
        out->kind = LINE_SKIP;
        return 1;
    }
    if (!is_blank(p[at + k]))
        return 0;
    out->kind = LINE_NEW;
    out->ts_ms = ms;
    out->at = p[at + k] == '\t' && node_line(p + at + k + 1, n - at - k - 1) ? at : at + k + 1;
    out->len = n - out->at;
    st->next_ts = EVENT_TS_NONE;
    st->timed = 1;
    return 1;
}

static void classify(void *state, const char *p, size_t n, line_part *out)
{
    text_state *st = state;
    lambda_record rec;
    size_t at = 0;

    while (at < n && is_blank(p[at]))
        at++;
    if (at == n) {
        out->kind = LINE_SKIP;
        return;
    }
    if (p[at] == '|') {
        table_row(p, n, at, out);
        return;
    }
    if (timed_line(st, p, n, at, out))
        return;
    out->at = at;
    out->len = n - at;
    if (continues(p + at, n - at)) {
        out->kind = LINE_MORE;
        return;
    }
    if (st->next_ts != EVENT_TS_NONE || !st->timed ||
        lambda_parse(p + at, n - at, &rec) != LAMBDA_OTHER) {
        out->kind = LINE_NEW;
        out->ts_ms = st->next_ts;
        st->next_ts = EVENT_TS_NONE;
        return;
    }
    out->kind = LINE_MORE; /* the rest of a multi-line message */
}

/* Some line of the head, after its indent, timestamp or table cell, is a
 * Lambda platform line; and the head is not JSON (a JSON document that no
 * JSON shape took stays unknown). */
static int detect(const char *head, size_t n)
{
    text_state st = {EVENT_TS_NONE, 0};
    size_t i = 0;

    while (i < n && strchr(" \t\r\n", head[i]))
        i++;
    if (i < n && (head[i] == '{' || head[i] == '['))
        return 0;
    for (size_t line = 0; line < n;) {
        const char *nl = memchr(head + line, '\n', n - line);
        size_t end = nl ? (size_t)(nl - head) : n, len = end - line;
        line_part lp = {.kind = LINE_MORE, .ts_ms = EVENT_TS_NONE};
        lambda_record rec;

        if (len > 0 && head[line + len - 1] == '\r')
            len--;
        classify(&st, head + line, len, &lp);
        if (lp.kind != LINE_SKIP &&
            lambda_parse(head + line + lp.at, lp.len, &rec) != LAMBDA_OTHER)
            return 1;
        line = end + 1;
    }
    return 0;
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    text_state st = {EVENT_TS_NONE, 0};
    shape_lines how = {.classify = classify, .state = &st, .strip_ansi = 1,
                       .log_stream = h->log_stream};

    return shape_lines_decode(r, &how, sink, err);
}

const shape shape_text = {"text", detect, decode, 1};
