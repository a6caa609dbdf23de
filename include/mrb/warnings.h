/* warnings.h — warnings a library module gathers for its command to print.
 *
 * Library code does not print: a report section that wants the user to
 * know something beside the report (a chart not drawn, a region without
 * prices) adds a line here, and the command prints the lines (msg.h) when
 * the section is written.
 *
 * Ownership: the text belongs to the set until warnings_release; a set
 * initialised with WARNINGS_INIT (or zeroed) is empty. */
#ifndef MRB_WARNINGS_H
#define MRB_WARNINGS_H

#include <stddef.h>

#include "mrb/sb.h"

typedef struct warnings {
    sb text;  /* the lines, each NUL-ended */
    size_t n; /* how many */
} warnings;

#define WARNINGS_INIT {SB_INIT, 0}

void warnings_add(warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The line after *pos (start with 0), or NULL after the last. */
const char *warnings_next(const warnings *w, size_t *pos);

/* Forgets the lines (after they were printed). */
void warnings_clear(warnings *w);
void warnings_release(warnings *w);

#endif
