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
    e->internal = 0;
}

int mrb_err_set(mrb_err *e, long long line, long long offset, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return -1;
    e->line = line;
    e->offset = offset;
    e->internal = 0;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
    return -1;
}

int mrb_err_internal(mrb_err *e, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return -1;
    e->line = 0;
    e->offset = -1;
    e->internal = 1;
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

void mrb_err_format_at(char *buf, unsigned long size, const char *source, long long line,
                       long long offset, const char *text)
{
    if (!size)
        return;
    if (!source || !source[0])
        snprintf(buf, size, "%s", text);
    else if (line > 0)
        snprintf(buf, size, "%s:%lld: %s", source, line, text);
    else if (offset >= 0)
        snprintf(buf, size, "%s: byte %lld: %s", source, offset, text);
    else
        snprintf(buf, size, "%s: %s", source, text);
}

void mrb_err_format(const mrb_err *e, char *buf, unsigned long size)
{
    mrb_err_format_at(buf, size, e->source, e->line, e->offset, e->text);
}
