/* reader.c — buffered lines and bytes over a source (see reader.h).
 *
 * One buffer, [start, end) unread. It starts at 256 KiB and grows only when
 * a single line needs it, up to max_line; a longer line is skipped in
 * place while counting its length. */
#include "mrb/reader.h"

#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

#define FIRST_CAP (256u * 1024u)
#define READ_CHUNK (128u * 1024u)

struct reader {
    source *src;
    char *buf;
    size_t cap, start, end;
    size_t max_line;
    int eof;
    long long line;   /* line the next unread byte is on */
    long long offset; /* bytes consumed */
};

reader *reader_new(source *src, size_t max_line)
{
    reader *r = xcalloc(1, sizeof *r);
    r->src = src;
    r->max_line = max_line < 16 ? 16 : max_line;
    r->cap = FIRST_CAP;
    if (r->cap > r->max_line + READ_CHUNK)
        r->cap = r->max_line + READ_CHUNK;
    r->buf = xmalloc(r->cap);
    r->line = 1;
    return r;
}

void reader_free(reader *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r);
}

/* Reads more after the unread bytes, compacting or growing (up to the
 * limit) as needed. Returns bytes added, 0 at the end, -1 on error. */
static long fill(reader *r, mrb_err *err)
{
    if (r->eof)
        return 0;
    if (r->start > 0 && (r->cap - r->end < READ_CHUNK || r->start == r->end)) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->cap - r->end < READ_CHUNK / 4) {
        size_t limit = r->max_line + READ_CHUNK;
        if (r->cap < limit) {
            r->cap = r->cap * 2 < limit ? r->cap * 2 : limit;
            r->buf = xrealloc(r->buf, r->cap);
        }
    }
    if (r->end == r->cap)
        return 0; /* full: the caller handles an over-long line */
    long got = source_read(r->src, r->buf + r->end, r->cap - r->end, err);
    if (got < 0)
        return -1;
    if (got == 0)
        r->eof = 1;
    r->end += (size_t)got;
    return got;
}

void reader_consume(reader *r, size_t k)
{
    const char *p = r->buf + r->start, *e = p + k;

    while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        r->line++;
        p++;
    }
    r->start += k;
    r->offset += (long long)k;
}

long reader_window(reader *r, const char **p, mrb_err *err)
{
    if (r->start == r->end && fill(r, err) < 0)
        return -1;
    *p = r->buf + r->start;
    return (long)(r->end - r->start);
}

long reader_peek(reader *r, size_t want, const char **p, mrb_err *err)
{
    if (want > r->max_line)
        want = r->max_line;
    while (r->end - r->start < want) {
        long got = fill(r, err);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
    }
    *p = r->buf + r->start;
    return (long)(r->end - r->start);
}

int reader_getc(reader *r, mrb_err *err)
{
    const char *p;
    long n = reader_window(r, &p, err);

    if (n < 0)
        return -2;
    if (n == 0)
        return -1;
    reader_consume(r, 1);
    return (unsigned char)*p;
}

/* Skips the rest of an over-long line; *len gets its full length. */
static int skip_long_line(reader *r, size_t *len, mrb_err *err)
{
    size_t total = 0;

    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->end - r->start);
        if (nl) {
            size_t k = (size_t)(nl - (r->buf + r->start));
            *len = total + k;
            r->offset += (long long)(k + 1);
            r->start += k + 1;
            r->line++;
            return READER_TOO_LONG;
        }
        total += r->end - r->start;
        r->offset += (long long)(r->end - r->start);
        r->start = r->end;
        long got = fill(r, err);
        if (got < 0)
            return READER_ERROR;
        if (got == 0) {
            *len = total;
            return READER_TOO_LONG;
        }
    }
}

int reader_getline(reader *r, const char **line, size_t *len, mrb_err *err)
{
    size_t scanned = 0;

    for (;;) {
        char *b = r->buf + r->start;
        char *nl = memchr(b + scanned, '\n', r->end - r->start - scanned);
        if (nl) {
            size_t k = (size_t)(nl - b);
            if (k > r->max_line)
                return skip_long_line(r, len, err);
            r->start += k + 1;
            r->offset += (long long)(k + 1);
            r->line++;
            *line = b;
            *len = (k > 0 && b[k - 1] == '\r') ? k - 1 : k;
            return READER_LINE;
        }
        scanned = r->end - r->start;
        if (scanned > r->max_line)
            return skip_long_line(r, len, err);
        long got = fill(r, err);
        if (got < 0)
            return READER_ERROR;
        if (got == 0) {
            if (!r->eof) /* cannot happen: the buffer always has room for max_line */
                return skip_long_line(r, len, err);
            if (scanned == 0)
                return READER_EOF;
            b = r->buf + r->start;
            r->start = r->end;
            r->offset += (long long)scanned;
            *line = b;
            *len = (scanned > 0 && b[scanned - 1] == '\r') ? scanned - 1 : scanned;
            return READER_LINE;
        }
    }
}

long long reader_line(const reader *r) { return r->line; }
long long reader_offset(const reader *r) { return r->offset; }
size_t reader_max_line(const reader *r) { return r->max_line; }

void reader_raise_max_line(reader *r, size_t max_line)
{
    if (max_line > r->max_line)
        r->max_line = max_line;
}
