/* msg.c — diagnostics on standard error (see msg.h). */
#include "mrb/msg.h"
#include "mrb/term.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Messages carry text from the logs (a JSON parser's "near '...'", a
 * path): each byte of a control character (term.h) is shown as '?' so that
 * nothing in a log can move the cursor or recolour the user's terminal. */
static void vsay(const char *level, const char *fmt, va_list ap)
{
    char buf[2048];

    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf);
    for (size_t i = 0; i < n; i++)
        for (size_t k = term_control_len(buf + i, n - i); k > 0; k--)
            buf[i + k - 1] = '?';
    fprintf(stderr, "mrb-analyze: %s%s%s\n", level, level[0] ? ": " : "", buf);
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

    if (e->internal) { /* a bug: the input is not to blame */
        msg_error("internal error: %s (please report this as a bug of mrb-analyze)", e->text);
        return;
    }
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
