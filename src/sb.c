/* sb.c — the string builder (see sb.h). */
#include "mrb/sb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

void sb_init(sb *s)
{
    s->buf = NULL;
    s->len = 0;
    s->cap = 0;
}

void sb_release(sb *s)
{
    free(s->buf);
    sb_init(s);
}

char *sb_detach(sb *s)
{
    char *p = s->buf ? s->buf : xstrdup("");
    sb_init(s);
    return p;
}

void sb_reset(sb *s)
{
    s->len = 0;
    if (s->buf)
        s->buf[0] = '\0';
}

void sb_grow(sb *s, size_t extra)
{
    size_t need;

    if (extra > (size_t)-1 / 2 - s->len)
        xalloc_fail("a string too large");
    need = s->len + extra + 1;
    if (need <= s->cap)
        return;
    size_t cap = s->cap ? s->cap : 64;
    while (cap < need)
        cap *= 2;
    s->buf = xrealloc(s->buf, cap);
    s->cap = cap;
}

void sb_add(sb *s, const void *p, size_t n)
{
    sb_grow(s, n);
    if (n)
        memcpy(s->buf + s->len, p, n);
    s->len += n;
    s->buf[s->len] = '\0';
}

void sb_adds(sb *s, const char *str) { sb_add(s, str, strlen(str)); }

void sb_addc(sb *s, char c) { sb_add(s, &c, 1); }

void sb_addf(sb *s, const char *fmt, ...)
{
    va_list ap;
    int n;

    sb_grow(s, 64);
    va_start(ap, fmt);
    n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= s->cap - s->len) {
        sb_grow(s, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
        va_end(ap);
    }
    s->len += (size_t)n;
}

const char *sb_str(const sb *s) { return s->buf ? s->buf : ""; }

void sb_add_json(sb *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";

    sb_grow(out, n + 2);
    sb_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        size_t run = i; /* characters written as they are, added at once */
        while (run < n && (unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            sb_add(out, s + i, run - i);
            i = run - 1;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sb_addc(out, '\\');
            sb_addc(out, (char)c);
        } else if (c == '\n') {
            sb_adds(out, "\\n");
        } else if (c == '\t') {
            sb_adds(out, "\\t");
        } else if (c == '\r') {
            sb_adds(out, "\\r");
        } else { /* another control character */
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], '\0'};
            sb_adds(out, u);
        }
    }
    sb_addc(out, '"');
}
