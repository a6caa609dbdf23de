/* xalloc.h — allocation that cannot fail.
 *
 * Running out of memory is not an input error the tool can report per file,
 * so these print one line and abort instead of returning NULL. Every pointer
 * they return is owned by the caller and released with free(). */
#ifndef MRB_XALLOC_H
#define MRB_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
