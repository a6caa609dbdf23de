/* cmd_sql.c — `mrb-analyze sql "SELECT ..."`: ad-hoc SQL on the database. */
#include <sqlite3.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mrb/cmd.h"
#include "mrb/db.h"
#include "mrb/msg.h"
#include "mrb/opt.h"
#include "mrb/out.h"

enum { O_TABLE, O_CSV, O_JSON, O_MARKDOWN, O_DB, O_PRICING, O_READONLY, O_HELP };
_Static_assert(O_CSV == O_TABLE + OUT_CSV && O_JSON == O_TABLE + OUT_JSON && O_MARKDOWN == O_TABLE + OUT_MARKDOWN,
               "the output options in the order of enum out_mode");

static const opt_spec options[] = {
    CMD_OUT_OPTIONS(O_TABLE),
    [O_DB] = {"db", 0, "FILE", "the database (default: $MRB_DB, else ./mrb.db)"},
    [O_PRICING] = {"pricing", 0, "FILE", "prices for cost_usd() (JSON; see the man page)"},
    [O_READONLY] = {"readonly", 0, NULL, "open the database read-only"},
    [O_HELP] = {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

static void help(void)
{
    printf("usage: mrb-analyze [--db FILE] sql [--table|--csv|--json|--markdown] SQL\n\n"
           "Runs SQL (one or more statements) on the database and prints what each\n"
           "statement returns. The statistics functions percentile(x, p), median(x),\n"
           "stddev(x), median_ci_low(x) and median_ci_high(x) are available; the\n"
           "tables are described in docs/SCHEMA.md.\n\noptions:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 ok; 2 usage; 3 database; 5 the SQL failed; 7 cannot write\n"
           "standard output\n");
}

/* Runs every statement of sql, printing rows. Returns an exit code. */
int cmd_run_sql(sqlite3 *db, const char *sql, enum out_mode mode, int (*bind)(sqlite3_stmt *, void *),
                void *bind_arg)
{
    const char *tail = sql;
    mrb_err err;

    mrb_err_clear(&err);
    while (tail && *tail) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK) {
            msg_error("SQL: %s", sqlite3_errmsg(db));
            return MRB_EXIT_QUERY;
        }
        if (!st)
            continue; /* white space or a comment */
        if (bind && bind(st, bind_arg) < 0) {
            sqlite3_finalize(st);
            return MRB_EXIT_USAGE;
        }
        long long n = out_rows(st, mode, stdout, isatty(STDOUT_FILENO), &err);
        sqlite3_finalize(st);
        if (n < 0) {
            msg_error("SQL: %s", err.text);
            return MRB_EXIT_QUERY;
        }
    }
    if (fflush(stdout) != 0) {
        msg_error("cannot write standard output: %s", strerror(errno));
        return MRB_EXIT_OUTPUT;
    }
    return MRB_EXIT_OK;
}

int cmd_sql(mrb_ctx *ctx, int argc, char **argv)
{
    opt_state st;
    enum out_mode mode = OUT_TABLE;
    const char *sql = NULL, *pricing = NULL;
    int k, readonly = 0;
    mrb_err err;

    opt_init(&st, argc, argv);
    while ((k = opt_next(&st, options, "sql")) != OPT_END) {
        switch (k) {
        case OPT_ERROR: return MRB_EXIT_USAGE;
        case OPT_OPERAND:
            if (sql)
                return msg_usage("sql", "give the SQL as one argument (quote it)");
            sql = st.operand;
            break;
        case O_TABLE: case O_CSV: case O_JSON: case O_MARKDOWN:
            mode = (enum out_mode)(k - O_TABLE);
            break;
        case O_DB: ctx->db_path = st.value; break;
        case O_PRICING: pricing = st.value; break;
        case O_READONLY: readonly = 1; break;
        case O_HELP: help(); return MRB_EXIT_OK;
        }
    }
    if (!sql)
        return msg_usage("sql", "no SQL given");
    mrb_err_clear(&err);
    db_conn c;
    int code = db_connect(&c, ctx->db_path, readonly, pricing, &err);
    if (code)
        msg_err(&err);
    else
        code = cmd_run_sql(c.db, sql, mode, NULL, NULL);
    db_disconnect(&c);
    return code;
}
