/* warnings.c — warnings a library module gathers for its command to print
 * (see warnings.h). */
#include "mrb/warnings.h"

#include <stdarg.h>
#include <stdio.h>

void warnings_add(warnings *w, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sb_add(&w->text, line, (size_t)n < sizeof line ? (size_t)n + 1 : sizeof line);
    w->n++;
}

const char *warnings_next(const warnings *w, size_t *pos)
{
    if (*pos >= w->text.len)
        return NULL;
    const char *line = w->text.buf + *pos;
    while (*pos < w->text.len && w->text.buf[*pos])
        (*pos)++;
    (*pos)++;
    return line;
}

void warnings_clear(warnings *w)
{
    sb_reset(&w->text);
    w->n = 0;
}

void warnings_release(warnings *w)
{
    sb_release(&w->text);
    w->n = 0;
}
