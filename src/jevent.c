/* jevent.c — flat JSON log event objects, parsed in place (see jevent.h). */
#include "mrb/jevent.h"

#include <string.h>

#include "mrb/json_lex.h"

static size_t skip_ws(const char *b, size_t n, size_t i)
{
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
        i++;
    return i;
}

/* An escape at b[*r] == '\\': writes its bytes at *w. -1 when invalid or
 * not handled (\u0000, lone surrogates). */
static int unescape(char *b, size_t n, size_t *r, size_t *w)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    unsigned cp;
    size_t k;

    if (*r + 1 >= n)
        return -1;
    char e = b[*r + 1];
    const char *at = e ? strchr(from, e) : NULL;
    if (at) {
        b[(*w)++] = to[at - from];
        *r += 2;
        return 0;
    }
    if (e != 'u' || (k = json_u_escape(b, n, *r, &cp)) == 0)
        return -1;
    *r += k;
    *w += utf8_put(cp, b + *w);
    return 0;
}

/* A string at b[*i] == '"', unescaped in place: *s points at it, NUL-ended.
 * -1 when invalid or not handled. */
static int string_at(char *b, size_t n, size_t *i, const char **s, size_t *len)
{
    size_t r = *i + 1, w = r;

    for (;;) {
        if (r >= n)
            return -1;
        unsigned char c = (unsigned char)b[r];
        if (c == '"')
            break;
        if (c == '\\') {
            if (unescape(b, n, &r, &w) < 0)
                return -1;
        } else if (c < 0x20) {
            return -1;
        } else if (c < 0x80) {
            b[w++] = b[r++];
        } else {
            size_t k = utf8_len((const unsigned char *)b, n, r);
            if (!k)
                return -1;
            memmove(b + w, b + r, k);
            w += k;
            r += k;
        }
    }
    *s = b + *i + 1;
    *len = w - (*i + 1);
    b[w] = '\0'; /* w <= r: the closing quote or earlier */
    *i = r + 1;
    return 0;
}

/* An integer (optional '-', digits); -1 if the value is another number. */
static int integer_at(const char *b, size_t n, size_t *i, int64_t *v)
{
    size_t k = *i;
    int neg = 0;
    int64_t x = 0;

    if (k < n && b[k] == '-') {
        neg = 1;
        k++;
    }
    size_t start = k;
    while (k < n && b[k] >= '0' && b[k] <= '9') {
        if (k - start >= 18)
            return -1;
        x = x * 10 + (b[k] - '0');
        k++;
    }
    if (k == start || (b[start] == '0' && k - start > 1))
        return -1;
    if (k < n && (b[k] == '.' || b[k] == 'e' || b[k] == 'E'))
        return -1;
    *v = neg ? -x : x;
    *i = k;
    return 0;
}

/* Skips a number or a literal we do not keep; -1 on anything else. */
static int skip_scalar(const char *b, size_t n, size_t *i)
{
    static const char *const lits[] = {"true", "false", "null"};
    size_t k = *i;

    for (int l = 0; l < 3; l++) {
        size_t m = strlen(lits[l]);
        if (n - k >= m && !memcmp(b + k, lits[l], m)) {
            *i = k + m;
            return 0;
        }
    }
    if (k < n && (b[k] == '-' || (b[k] >= '0' && b[k] <= '9'))) {
        while (k < n && strchr("+-.eE0123456789", b[k]))
            k++;
        *i = k;
        return 0; /* malformed numbers are caught by the fallback: see below */
    }
    return -1;
}

static int key_is(const char *k, size_t len, const char *lit)
{
    return strlen(lit) == len && !memcmp(k, lit, len);
}

/* One member's value, stored in out when it is one we keep. */
static int member(char *b, size_t n, size_t *i, const char *key, size_t klen, jevent *out)
{
    const char *s;
    size_t len;

    if (key_is(key, klen, "timestamp")) {
        if (integer_at(b, n, i, &out->timestamp) < 0)
            return -1;
        out->has_timestamp = 1;
        return 0;
    }
    if (b[*i] == '"') {
        if (string_at(b, n, i, &s, &len) < 0)
            return -1;
        if (key_is(key, klen, "message")) {
            out->message = s;
            out->message_len = len;
        } else if (key_is(key, klen, "logStreamName")) {
            out->log_stream = s;
        } else if (key_is(key, klen, "logGroupName")) {
            out->log_group = s;
        }
        return 0;
    }
    if (key_is(key, klen, "message") || key_is(key, klen, "logStreamName") ||
        key_is(key, klen, "logGroupName"))
        return -1; /* a kept member that is not a string: let jansson judge */
    size_t before = *i;
    if (skip_scalar(b, n, i) < 0)
        return -1;
    /* numbers we skip must still be valid JSON numbers */
    if (b[before] == '-' || (b[before] >= '0' && b[before] <= '9')) {
        size_t k = before;
        int64_t ignored;
        if (integer_at(b, n, &k, &ignored) < 0 || k != *i)
            return -1; /* not a plain integer: leave it to jansson */
    }
    return 0;
}

int jevent_parse(char *b, size_t n, jevent *out)
{
    size_t i = skip_ws(b, n, 0);

    memset(out, 0, sizeof *out);
    if (i >= n || b[i] != '{')
        return 0;
    i = skip_ws(b, n, i + 1);
    if (i < n && b[i] == '}') {
        i++;
    } else {
        for (;;) {
            const char *key;
            size_t klen;
            if (i >= n || b[i] != '"' || string_at(b, n, &i, &key, &klen) < 0)
                return 0;
            i = skip_ws(b, n, i);
            if (i >= n || b[i] != ':')
                return 0;
            i = skip_ws(b, n, i + 1);
            if (i >= n || member(b, n, &i, key, klen, out) < 0)
                return 0;
            i = skip_ws(b, n, i);
            if (i < n && b[i] == ',') {
                i = skip_ws(b, n, i + 1);
                continue;
            }
            if (i < n && b[i] == '}') {
                i++;
                break;
            }
            return 0;
        }
    }
    return skip_ws(b, n, i) == n;
}
