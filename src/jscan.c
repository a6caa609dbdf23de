/* jscan.c — streaming JSON structure scanner (see jscan.h). */
#include "mrb/jscan.h"

#include <stdio.h>
#include <string.h>

static int fail(reader *r, mrb_err *err, const char *fmt, const char *a, int c)
{
    char found[16];

    if (c < 0)
        strcpy(found, "end of input");
    else if (c >= 0x20 && c < 0x7f)
        snprintf(found, sizeof found, "'%c'", c);
    else
        snprintf(found, sizeof found, "byte 0x%02x", c);
    return mrb_err_set(err, reader_line(r), reader_offset(r), fmt, a, found);
}

/* The next window of input (its length, > 0); at the end of input the
 * error at_end with its position, -1. */
static long window(reader *r, const char **p, const char *at_end, mrb_err *err)
{
    long n = reader_window(r, p, err);
    if (n == 0)
        return mrb_err_set(err, reader_line(r), reader_offset(r), "%s", at_end);
    return n;
}

/* Passes n bytes of the window p, appending them to out when out is given
 * (the value copied since base may not pass max bytes: an error at the end
 * of the bytes, -1). */
static int pass(reader *r, sb *out, size_t max, size_t base, const char *p, size_t n,
                mrb_err *err)
{
    if (out) {
        if (out->len - base + n > max) {
            reader_consume(r, n);
            return mrb_err_set(err, reader_line(r), reader_offset(r),
                               "value longer than %zu bytes", max);
        }
        sb_add(out, p, n);
    }
    reader_consume(r, n);
    return 0;
}

int jscan_peek(reader *r, mrb_err *err)
{
    const char *p;

    for (;;) {
        long n = reader_window(r, &p, err);
        if (n < 0)
            return -2;
        if (n == 0)
            return -1;
        long i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
            i++;
        reader_consume(r, (size_t)i);
        if (i < n)
            return (unsigned char)p[i];
    }
}

int jscan_expect(reader *r, char c, const char *what, mrb_err *err)
{
    int got = jscan_peek(r, err);

    if (got == -2)
        return -1;
    if (got != (unsigned char)c) {
        char buf[96];
        snprintf(buf, sizeof buf, "expected '%c' %s", c, what);
        return fail(r, err, "%s, found %s", buf, got);
    }
    reader_consume(r, 1);
    return 0;
}

/* Copies (or skips) the rest of a string whose opening quote was consumed,
 * including the closing quote when copy_quotes. */
static int string_body(reader *r, sb *out, size_t max, size_t base, int copy_quote,
                       mrb_err *err)
{
    const char *p;
    int escaped = 0;

    for (;;) {
        long n = window(r, &p, "unterminated string at the end of input", err);
        if (n < 0)
            return -1;
        long i = 0;
        for (; i < n; i++) {
            char c = p[i];
            if (escaped) {
                escaped = 0;
            } else if (c == '\\') {
                escaped = 1;
            } else if (c == '"') {
                break;
            } else if (c == '\n') {
                reader_consume(r, (size_t)i);
                return mrb_err_set(err, reader_line(r), reader_offset(r),
                                   "newline inside a string");
            }
        }
        int done = i < n;
        if (pass(r, out, max, base, p, (size_t)i + (done && copy_quote), err) < 0)
            return -1;
        if (done) {
            if (!copy_quote)
                reader_consume(r, 1); /* the closing quote, not copied */
            return 0;
        }
    }
}

int jscan_string(reader *r, sb *out, size_t max, mrb_err *err)
{
    if (jscan_expect(r, '"', "to start a string", err) < 0)
        return -1;
    return string_body(r, out, max, out ? out->len : 0, 0, err);
}

/* Copies or skips a number or literal: bytes up to a delimiter. */
static int scalar(reader *r, sb *out, size_t max, size_t base, mrb_err *err)
{
    const char *p;

    for (;;) {
        long n = reader_window(r, &p, err);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        long i = 0;
        while (i < n && strchr(",]} \t\r\n", p[i]) == NULL)
            i++;
        if (pass(r, out, max, base, p, (size_t)i, err) < 0)
            return -1;
        if (i < n)
            return 0;
    }
}

/* Copies or skips an object or array whose opening byte is next. */
static int container(reader *r, sb *out, size_t max, size_t base, mrb_err *err)
{
    const char *p;
    int depth = 0;

    for (;;) {
        long n = window(r, &p, depth ? "document ends inside an object or array"
                                     : "document ends inside a value", err);
        if (n < 0)
            return -1;
        long i = 0;
        int in_string = 0;
        for (; i < n; i++) {
            char c = p[i];
            if (c == '"') {
                in_string = 1;
                i++;
                break;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    i++;
                    break;
                }
            }
        }
        if (pass(r, out, max, base, p, (size_t)i, err) < 0)
            return -1;
        if (in_string && string_body(r, out, max, base, 1, err) < 0)
            return -1;
        if (!in_string && depth == 0)
            return 0;
    }
}

int jscan_value(reader *r, sb *out, size_t max, mrb_err *err)
{
    int c = jscan_peek(r, err);
    size_t base = out ? out->len : 0;

    if (c == -2)
        return -1;
    if (c == '{' || c == '[')
        return container(r, out, max, base, err);
    if (c == '"') {
        reader_consume(r, 1);
        if (out)
            sb_addc(out, '"');
        return string_body(r, out, max, base, 1, err);
    }
    if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n')
        return scalar(r, out, max, base, err);
    return fail(r, err, "expected a JSON value%s, found %s", "", c);
}

int jscan_next(reader *r, char close, const char *what, mrb_err *err)
{
    int c = jscan_peek(r, err);

    if (c == -2)
        return -1;
    if (c == ',' || c == close) {
        reader_consume(r, 1);
        return c == ',';
    }
    char buf[96];
    snprintf(buf, sizeof buf, "expected ',' or '%c' after %s", close, what);
    return fail(r, err, "%s, found %s", buf, c);
}

int jscan_more(reader *r, mrb_err *err)
{
    int c = jscan_peek(r, err);
    return c == -2 ? -1 : c != -1;
}

/* Reads the open character of a container ("to start <what>" when it is
 * missing) and, when the close character follows at once, that too.
 * 1 for an empty container, 0 when members follow, -1 with err. */
static int open_container(reader *r, char open, char close, const char *what, mrb_err *err)
{
    char expect[96];

    snprintf(expect, sizeof expect, "to start %s", what);
    if (jscan_expect(r, open, expect, err) < 0)
        return -1;
    if (jscan_peek(r, err) == close) {
        reader_consume(r, 1);
        return 1;
    }
    return 0;
}

int jscan_object(reader *r, const char *what,
                 int (*member)(void *arg, const char *key, reader *r, mrb_err *err), void *arg,
                 mrb_err *err)
{
    sb key = SB_INIT;
    int rc = open_container(r, '{', '}', what, err), more = 0;

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    do {
        sb_reset(&key);
        if (jscan_string(r, &key, 256, err) < 0 ||
            jscan_expect(r, ':', "after a key", err) < 0 ||
            member(arg, sb_str(&key), r, err) < 0) {
            rc = -1;
            break;
        }
        more = jscan_next(r, '}', "a member", err);
        rc = more < 0 ? -1 : 0;
    } while (rc == 0 && more == 1);
    sb_release(&key);
    return rc;
}

int jscan_array(reader *r, const char *what, size_t max,
                int (*element)(void *arg, const sb *raw, long long line, long long off,
                               mrb_err *err),
                void *arg, mrb_err *err)
{
    sb raw = SB_INIT;
    int rc = open_container(r, '[', ']', what, err), more = 0;

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    do {
        if (jscan_peek(r, err) == -2) {
            rc = -1;
            break;
        }
        long long line = reader_line(r), off = reader_offset(r);
        sb_reset(&raw);
        if (jscan_value(r, &raw, max, err) < 0 || element(arg, &raw, line, off, err) < 0) {
            rc = -1;
            break;
        }
        more = jscan_next(r, ']', "an element", err);
        rc = more < 0 ? -1 : 0;
    } while (rc == 0 && more == 1);
    sb_release(&raw);
    return rc;
}
