/* xalloc.c — allocation that aborts on exhaustion (see xalloc.h). */
#include "mrb/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xalloc_fail(const char *what)
{
    fprintf(stderr, "mrb-analyze: fatal: out of memory (%s)\n", what);
    abort();
}

static void *check(void *p, size_t n)
{
    if (!p && n) {
        fprintf(stderr, "mrb-analyze: fatal: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

void *xmalloc(size_t n) { return check(malloc(n ? n : 1), n ? n : 1); }

void *xcalloc(size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size)
        return check(NULL, (size_t)-1);
    return check(calloc(count ? count : 1, size ? size : 1), count * size + 1);
}

void *xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1), n ? n : 1); }

void *xreallocarray(void *p, size_t count, size_t size)
{
    if (size && count > (size_t)-1 / size)
        return check(NULL, (size_t)-1);
    return xrealloc(p, count * size);
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }
