/* msg.h — the one place that prints diagnostics, and the exit codes.
 *
 * Grammar: "mrb-analyze: error: <subject>: <text>" — lowercase, the subject
 * (a file with its line or byte) first, no full stop. Exit codes are frozen:
 * a number once documented (README, man page) never changes meaning. */
#ifndef MRB_MSG_H
#define MRB_MSG_H

#include "mrb/err.h"

enum mrb_exit {
    MRB_EXIT_OK = 0,       /* everything was read and stored */
    MRB_EXIT_REJECTED = 1, /* finished, but some files or records were rejected */
    MRB_EXIT_USAGE = 2,    /* bad command line: nothing was done */
    MRB_EXIT_DATABASE = 3, /* the database could not be opened, migrated or written */
    MRB_EXIT_INPUT = 4,    /* an input path or --map file could not be read at all */
    MRB_EXIT_QUERY = 5,    /* the SQL of `sql` or `query` failed */
    MRB_EXIT_REGRESSION = 6, /* compare --fail-on-regression: a verdict is `regressed` */
    MRB_EXIT_OUTPUT = 7      /* an output could not be written: the report folder or its
                              * files, or standard output (sql, query, compare) */
};

void msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "mrb-analyze: error: " followed by the error with its location. */
void msg_err(const mrb_err *e);

/* Usage misuse: prints text, then "try 'mrb-analyze CMD --help'". Returns
 * MRB_EXIT_USAGE. */
int msg_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
