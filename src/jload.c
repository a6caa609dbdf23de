/* jload.c — jansson values from JSON text, fast (see jload.h).
 *
 * A recursive descent over the bytes. Whatever json_loadb would reject, and
 * the few valid inputs this reader leaves to it, end in NULL ("bail"): the
 * reader never decides an error, so its messages stay jansson's. */
#include "mrb/jload.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/json_lex.h"
#include "mrb/sb.h"
#include "mrb/xalloc.h"

typedef struct parser {
    const unsigned char *p, *end;
    sb text; /* the last string that had escapes, decoded */
    int depth;
} parser;

static json_t *value(parser *ps);

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static void skip_blanks(parser *ps)
{
    while (ps->p < ps->end &&
           (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
        ps->p++;
}

/* The length of the valid UTF-8 sequence at p (*p >= 0x80), or 0. */
static size_t utf8_at(const unsigned char *p, const unsigned char *end)
{
    return utf8_len(p, (size_t)(end - p), 0);
}

/* The rest of a string from p, the first backslash, decoded into
 * ps->text after start[0..p): 0, or -1 to bail. */
static int escaped(parser *ps, const unsigned char *start, const unsigned char *p)
{
    static const char simple[256] = {['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
                                     ['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t'};
    const unsigned char *end = ps->end;

    sb_reset(&ps->text);
    sb_add(&ps->text, start, (size_t)(p - start));
    while (p < end && *p != '"') {
        size_t k = 1;
        if (*p < 0x20)
            return -1;
        if (*p >= 0x80 && (k = utf8_at(p, end)) == 0)
            return -1;
        if (*p != '\\') {
            sb_add(&ps->text, p, k);
        } else if (p + 1 < end && p[1] == 'u') {
            unsigned cp;
            char u[4];
            if ((k = json_u_escape((const char *)p, (size_t)(end - p), 0, &cp)) == 0)
                return -1;
            sb_add(&ps->text, u, utf8_put(cp, u));
        } else if (p + 1 < end && simple[p[1]]) {
            sb_addc(&ps->text, simple[p[1]]);
            k = 2;
        } else {
            return -1;
        }
        p += k;
    }
    if (p >= end)
        return -1;
    ps->p = p + 1;
    return 0;
}

/* The string at ps->p (its opening quote): *s and *n point into the input,
 * or into ps->text when it had escapes. 0, or -1 to bail. */
static int string(parser *ps, const char **s, size_t *n)
{
    const unsigned char *start = ps->p + 1, *p = start, *end = ps->end;

    for (;;) {
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p >= end || *p < 0x20)
            return -1;
        if (*p == '"')
            break;
        if (*p == '\\') {
            if (escaped(ps, start, p) < 0)
                return -1;
            *s = ps->text.buf;
            *n = ps->text.len;
            return 0;
        }
        size_t k = utf8_at(p, end);
        if (k == 0)
            return -1;
        p += k;
    }
    *s = (const char *)start;
    *n = (size_t)(p - start);
    ps->p = p + 1;
    return 0;
}

static const unsigned char *digits(const unsigned char *p, const unsigned char *end)
{
    while (p < end && is_digit(*p))
        p++;
    return p;
}

/* A number as jansson's lexer reads it: an integer (strtoll) unless it has
 * a fraction or an exponent (strtod). NULL to bail. */
static json_t *number(parser *ps)
{
    const unsigned char *s = ps->p, *p = s, *end = ps->end;
    int real = 0;

    if (*p == '-')
        p++;
    if (p >= end || !is_digit(*p))
        return NULL;
    if (*p == '0') {
        if (++p < end && is_digit(*p))
            return NULL; /* a leading zero */
    } else {
        p = digits(p, end);
    }
    if (p < end && *p == '.') {
        if (++p >= end || !is_digit(*p))
            return NULL;
        p = digits(p, end);
        real = 1;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        if (++p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !is_digit(*p))
            return NULL;
        p = digits(p, end);
        real = 1;
    }
    size_t len = (size_t)(p - s);
    ps->p = p;
    if (!real) {
        int neg = *s == '-';
        long long v = 0;
        if (len - (size_t)neg > 18)
            return NULL; /* strtoll's range is jansson's to judge */
        for (const unsigned char *d = s + neg; d < p; d++)
            v = v * 10 + (*d - '0');
        return json_integer(neg ? -v : v);
    }
    char text[64];
    char *stop;
    if (len >= sizeof text)
        return NULL;
    memcpy(text, s, len);
    text[len] = '\0';
    errno = 0;
    double d = strtod(text, &stop);
    if (stop != text + len || ((d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE))
        return NULL; /* another locale's decimal point; overflow */
    return json_real(d);
}

/* A keyword, whole (the next byte is no letter, as jansson's lexer reads
 * one). */
static int keyword(parser *ps, const char *word, size_t n)
{
    const unsigned char *p = ps->p;

    if ((size_t)(ps->end - p) < n || memcmp(p, word, n) != 0)
        return 0;
    if (p + n < ps->end && ((p[n] | 0x20) >= 'a' && (p[n] | 0x20) <= 'z'))
        return 0;
    ps->p += n;
    return 1;
}

/* Past the opening byte of an object or array: 1 when the closing byte
 * follows at once (consumed), else 0. */
static int opened(parser *ps, unsigned char close)
{
    ps->p++;
    skip_blanks(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 1;
    }
    return 0;
}

/* After a member or an element: 1 at the closing byte (consumed), 0 after
 * a comma (consumed, with the blanks after it), -1 for anything else. */
static int next_item(parser *ps, unsigned char close)
{
    skip_blanks(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return 1;
    }
    if (ps->p >= ps->end || *ps->p != ',')
        return -1;
    ps->p++;
    skip_blanks(ps);
    return 0;
}

static json_t *object(parser *ps)
{
    json_t *o = json_object();
    int rc = opened(ps, '}');

    while (o && rc == 0) {
        const char *k;
        size_t kn;
        char *copy = NULL;
        json_t *v = NULL;
        if (ps->p >= ps->end || *ps->p != '"' || string(ps, &k, &kn) < 0)
            break;
        if (k == ps->text.buf) /* the value's strings reuse ps->text */
            k = copy = xstrndup(k, kn); /* no NUL inside: \u0000 bails */
        skip_blanks(ps);
        if (ps->p < ps->end && *ps->p == ':') {
            ps->p++;
            skip_blanks(ps);
            v = value(ps);
        }
        rc = v ? json_object_setn_new_nocheck(o, k, kn, v) : -1; /* v is taken either way */
        free(copy);
        if (rc == 0)
            rc = next_item(ps, '}');
    }
    if (rc == 1)
        return o;
    json_decref(o);
    return NULL;
}

static json_t *array(parser *ps)
{
    json_t *a = json_array();
    int rc = opened(ps, ']');

    while (a && rc == 0) {
        json_t *v = value(ps);
        rc = v ? json_array_append_new(a, v) : -1; /* v is taken either way */
        if (rc == 0)
            rc = next_item(ps, ']');
    }
    if (rc == 1)
        return a;
    json_decref(a);
    return NULL;
}

static json_t *value(parser *ps)
{
    json_t *v = NULL;

    if (ps->p >= ps->end || ++ps->depth > JLOAD_MAX_DEPTH)
        return NULL;
    switch (*ps->p) {
    case '{':
        v = object(ps);
        break;
    case '[':
        v = array(ps);
        break;
    case '"': {
        const char *s;
        size_t n;
        if (string(ps, &s, &n) == 0)
            v = json_stringn_nocheck(s, n);
        break;
    }
    case 't':
        v = keyword(ps, "true", 4) ? json_true() : NULL;
        break;
    case 'f':
        v = keyword(ps, "false", 5) ? json_false() : NULL;
        break;
    case 'n':
        v = keyword(ps, "null", 4) ? json_null() : NULL;
        break;
    default:
        v = *ps->p == '-' || is_digit(*ps->p) ? number(ps) : NULL;
    }
    ps->depth--;
    return v;
}

json_t *jload_fast(const char *buf, size_t n)
{
    if (!buf)
        return NULL;
    parser ps = {.p = (const unsigned char *)buf, .end = (const unsigned char *)buf + n};
    json_t *v = NULL;

    sb_init(&ps.text);
    skip_blanks(&ps);
    if (ps.p < ps.end && (*ps.p == '{' || *ps.p == '[')) /* no scalar at the top */
        v = value(&ps);
    skip_blanks(&ps);
    if (v && ps.p != ps.end) { /* text after the value */
        json_decref(v);
        v = NULL;
    }
    sb_release(&ps.text);
    return v;
}

json_t *jload(const char *buf, size_t n, json_error_t *error)
{
    json_t *v = jload_fast(buf, n);

    return v ? v : json_loadb(buf, n, 0, error);
}
