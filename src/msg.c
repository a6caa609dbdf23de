/* msg.c — diagnostics on standard error (see msg.h). */
#include "mrb/msg.h"

#include <stdarg.h>
#include <stdio.h>

static void vsay(const char *level, const char *fmt, va_list ap)
{
    fprintf(stderr, "mrb-analyze: %s%s", level, level[0] ? ": " : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void msg_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("error", fmt, ap);
    va_end(ap);
}

void msg_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("warning", fmt, ap);
    va_end(ap);
}

void msg_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("", fmt, ap);
    va_end(ap);
}

void msg_err(const mrb_err *e)
{
    char buf[1200];
    mrb_err_format(e, buf, sizeof buf);
    msg_error("%s", buf);
}

int msg_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay("error", fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "try 'mrb-analyze %s --help'\n", cmd);
    else
        fprintf(stderr, "try 'mrb-analyze --help'\n");
    return MRB_EXIT_USAGE;
}
