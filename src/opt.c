/* opt.c — table-driven option parsing (see opt.h). */
#include "mrb/opt.h"

#include <string.h>

#include "mrb/msg.h"

void opt_init(opt_state *st, int argc, char **argv)
{
    memset(st, 0, sizeof *st);
    st->argc = argc;
    st->argv = argv;
    st->i = 1;
}

static int find_long(const opt_spec *specs, const char *name, size_t n)
{
    for (int k = 0; specs[k].name; k++)
        if (strlen(specs[k].name) == n && !strncmp(specs[k].name, name, n))
            return k;
    return -1;
}

static int find_short(const opt_spec *specs, char c)
{
    for (int k = 0; specs[k].name; k++)
        if (specs[k].short_name == c)
            return k;
    return -1;
}

int opt_next(opt_state *st, const opt_spec *specs, const char *cmd)
{
    if (st->i >= st->argc)
        return OPT_END;
    char *a = st->argv[st->i++];
    if (st->only_operands || a[0] != '-' || !strcmp(a, "-")) {
        st->operand = a;
        return OPT_OPERAND;
    }
    if (!strcmp(a, "--")) {
        st->only_operands = 1;
        return opt_next(st, specs, cmd);
    }
    int k;
    const char *inline_val = NULL;
    if (a[1] == '-') {
        const char *eq = strchr(a + 2, '=');
        size_t n = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
        k = find_long(specs, a + 2, n);
        inline_val = eq ? eq + 1 : NULL;
    } else {
        k = a[2] ? -1 : find_short(specs, a[1]);
    }
    if (k < 0) {
        msg_usage(cmd, "unknown option '%s'", a);
        return OPT_ERROR;
    }
    st->value = NULL;
    if (specs[k].arg) {
        if (inline_val) {
            st->value = inline_val;
        } else if (st->i < st->argc) {
            st->value = st->argv[st->i++];
        } else {
            msg_usage(cmd, "option '--%s' needs %s", specs[k].name, specs[k].arg);
            return OPT_ERROR;
        }
    } else if (inline_val) {
        msg_usage(cmd, "option '--%s' takes no value", specs[k].name);
        return OPT_ERROR;
    }
    return k;
}

void opt_help(FILE *out, const opt_spec *specs)
{
    for (int k = 0; specs[k].name; k++) {
        char left[64];
        if (specs[k].short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", specs[k].short_name, specs[k].name,
                     specs[k].arg ? " " : "", specs[k].arg ? specs[k].arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", specs[k].name, specs[k].arg ? " " : "",
                     specs[k].arg ? specs[k].arg : "");
        fprintf(out, "  %-26s %s\n", left, specs[k].help);
    }
}
