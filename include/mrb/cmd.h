/* cmd.h — the subcommands and what they share.
 *
 * One file per subcommand (cmd_<name>.c). A command parses its own options,
 * prints through msg.h and returns an exit code (enum mrb_exit); it never
 * calls exit(). */
#ifndef MRB_CMD_H
#define MRB_CMD_H

typedef struct mrb_ctx {
    const char *db_path; /* --db, else $MRB_DB, else "mrb.db" */
} mrb_ctx;

typedef struct cmd_entry {
    const char *name;
    int (*fn)(mrb_ctx *ctx, int argc, char **argv); /* argv[0] is the command name */
    const char *summary;
} cmd_entry;

int cmd_ingest(mrb_ctx *ctx, int argc, char **argv);

#endif
