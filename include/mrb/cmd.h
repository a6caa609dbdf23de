/* cmd.h — the subcommands and what they share.
 *
 * One file per subcommand (cmd_<name>.c). A command parses its own options,
 * prints through msg.h and returns an exit code (enum mrb_exit); it never
 * calls exit(). */
#ifndef MRB_CMD_H
#define MRB_CMD_H

#include "mrb/out.h"

/* The four output-mode options of a command that prints rows, for an
 * options table whose enum holds FIRST .. FIRST + 3 in the order of enum
 * out_mode (table, CSV, JSON, Markdown); option k then selects the mode
 * (enum out_mode)(k - FIRST). */
#define CMD_OUT_OPTIONS(first)                                                   \
    [first] = {"table", 0, NULL, "aligned columns (the default)"},              \
    [first + 1] = {"csv", 0, NULL, "CSV (RFC 4180) with a header row"},         \
    [first + 2] = {"json", 0, NULL, "a JSON array of objects"},                 \
    [first + 3] = {"markdown", 0, NULL, "a Markdown table, every cell escaped"}

typedef struct mrb_ctx {
    const char *db_path; /* --db, else $MRB_DB, else "mrb.db" */
} mrb_ctx;

typedef struct cmd_entry {
    const char *name;
    int (*fn)(mrb_ctx *ctx, int argc, char **argv); /* argv[0] is the command name */
    const char *summary;
} cmd_entry;

int cmd_ingest(mrb_ctx *ctx, int argc, char **argv);
int cmd_sql(mrb_ctx *ctx, int argc, char **argv);
int cmd_query(mrb_ctx *ctx, int argc, char **argv);
int cmd_report(mrb_ctx *ctx, int argc, char **argv);
int cmd_compare(mrb_ctx *ctx, int argc, char **argv);
int cmd_prices(mrb_ctx *ctx, int argc, char **argv);
int cmd_merge(mrb_ctx *ctx, int argc, char **argv);
int cmd_export(mrb_ctx *ctx, int argc, char **argv);

/* Runs every statement of sql on db, printing rows in mode; bind (may be
 * NULL) binds each statement's parameters, returning -1 (after a message)
 * when it cannot. Returns an exit code. Shared by sql and query. */
typedef struct sqlite3 sqlite3;
int cmd_run_sql(sqlite3 *db, const char *sql, enum out_mode mode,
                int (*bind)(sqlite3_stmt *st, void *arg), void *bind_arg);

#endif
