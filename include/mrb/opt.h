/* opt.h — command-line options from a table that is also the help text.
 *
 * Each command declares its options once; opt_next parses argv with them
 * and opt_help prints them, so usage can never drift from the parser.
 * Accepts --name value, --name=value, -x value, and "--" before operands.
 * Operands (non-options) are collected in order. Borrowed pointers only. */
#ifndef MRB_OPT_H
#define MRB_OPT_H

#include <stdio.h>

typedef struct opt_spec {
    const char *name;  /* long name without "--" */
    char short_name;   /* 0 when none */
    const char *arg;   /* argument placeholder ("FILE"), NULL for a flag */
    const char *help;  /* one line */
} opt_spec;

typedef struct opt_state {
    int argc;
    char **argv;
    int i;              /* next argv index */
    int only_operands;  /* after "--" */
    const char *value;  /* argument of the last option returned */
    const char *operand;/* the operand when OPT_OPERAND is returned */
} opt_state;

enum { OPT_END = -1, OPT_ERROR = -2, OPT_OPERAND = -3 };

void opt_init(opt_state *st, int argc, char **argv);

/* The index of the next option in specs (terminated by a zero row), or
 * OPT_OPERAND, OPT_END, or OPT_ERROR (message printed with msg_usage). */
int opt_next(opt_state *st, const opt_spec *specs, const char *cmd);

/* Prints "  -x, --name ARG   help" rows. */
void opt_help(FILE *out, const opt_spec *specs);

#endif
