/* slice.h — a borrowed run of bytes, and the few things done with one.
 *
 * An mrb_slice points into text it does not own (a log message, a line of
 * a file) and is valid as long as that text; p is NULL when a field is
 * absent. The parsers hand slices out instead of copies. */
#ifndef MRB_SLICE_H
#define MRB_SLICE_H

#include <stddef.h>
#include <string.h>

typedef struct mrb_slice {
    const char *p; /* NULL when absent */
    size_t n;
} mrb_slice;

static inline mrb_slice slice_of(const char *p, size_t n)
{
    return (mrb_slice){p, n};
}

/* 1 when s is present and holds exactly the bytes of lit. */
static inline int slice_is(mrb_slice s, const char *lit)
{
    size_t k = strlen(lit);
    return s.p && s.n == k && memcmp(s.p, lit, k) == 0;
}

/* 1 when p[0..n) starts with lit. */
static inline int bytes_start(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

#endif
