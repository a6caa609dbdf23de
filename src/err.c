/* err.c — errors as values (see err.h). */
#include "mrb/err.h"

#include <stdio.h>
#include <string.h>

void mrb_err_clear(mrb_err *e)
{
    if (!e)
        return;
    e->source[0] = '\0';
    e->line = 0;
    e->offset = -1;
    e->text[0] = '\0';
}

int mrb_err_set(mrb_err *e, long long line, long long offset, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return -1;
    e->line = line;
    e->offset = offset;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
    return -1;
}

void mrb_err_source(mrb_err *e, const char *source)
{
    if (e)
        snprintf(e->source, sizeof e->source, "%s", source ? source : "");
}

void mrb_err_format(const mrb_err *e, char *buf, unsigned long size)
{
    if (!size)
        return;
    if (!e->source[0])
        snprintf(buf, size, "%s", e->text);
    else if (e->line > 0)
        snprintf(buf, size, "%s:%lld: %s", e->source, e->line, e->text);
    else if (e->offset >= 0)
        snprintf(buf, size, "%s: byte %lld: %s", e->source, e->offset, e->text);
    else
        snprintf(buf, size, "%s: %s", e->source, e->text);
}
