/* xalloc.h — allocation that cannot fail.
 *
 * Running out of memory is not an input error the tool can report per file,
 * so these print one line and abort instead of returning NULL. Every pointer
 * they return is owned by the caller and released with free(). */
#ifndef MRB_XALLOC_H
#define MRB_XALLOC_H

#include <stddef.h>

/* Prints "mrb-analyze: fatal: out of memory (what)" and aborts: the one
 * place allocation failure is reported, for allocators other than these
 * (jansson's, the string builder's size limit). */
void xalloc_fail(const char *what) __attribute__((noreturn));

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* xrealloc to count elements of size bytes; aborts when that overflows. */
void *xreallocarray(void *p, size_t count, size_t size);

/* The one array-grow: when n == cap, doubles cap (to first when it is 0)
 * and reallocates items to cap elements, so that items[n] may be written.
 * items and cap are evaluated more than once: pass plain lvalues. */
#define XGROW(items, n, cap, first)                                               \
    do {                                                                          \
        if ((n) == (cap)) {                                                       \
            (cap) = (cap) ? 2 * (cap) : (first);                                  \
            (items) = xreallocarray((items), (size_t)(cap), sizeof *(items));     \
        }                                                                         \
    } while (0)

#endif
