/* main.c — global options and dispatch to the subcommands. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/cmd.h"
#include "mrb/msg.h"
#include "mrb/queries.h"

static const cmd_entry commands[] = {
    {"ingest", cmd_ingest, "read Lambda log exports into the database"},
    {"sql", cmd_sql, "run SQL on the database (table, CSV, JSON or Markdown)"},
    {"query", cmd_query, "run a named query from queries/ (--list shows them)"},
    {"report", cmd_report, "write the per-runtime report (Markdown + summary.json)"},
    {"compare", cmd_compare, "compare two nights per runtime, with a statistical verdict"},
    {"merge", cmd_merge, "merge databases made by separate ingests (shards) into one"},
    {"export", cmd_export, "write the tables as partitioned files for Athena, Trino, ClickHouse"},
    {"prices", cmd_prices, "import AWS Price List offer files; list the rates in force"},
    {NULL, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mrb-analyze [--db FILE] [--queries DIR] COMMAND [ARGS]\n"
            "\n"
            "Analyses exported AWS Lambda logs of one API benchmarked in several runtimes.\n"
            "\n"
            "global options:\n"
            "      --db FILE     the database (default: $MRB_DB, else ./mrb.db)\n"
            "      --queries DIR DIR/NAME.sql add to or override the built-in queries\n"
            "                    (default: $MRB_QUERIES, else the built-in ones only)\n"
            "  -h, --help        this help; 'mrb-analyze COMMAND --help' for a command\n"
            "  -V, --version     the version\n"
            "\n"
            "commands:\n");
    for (int i = 0; commands[i].name; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nexit codes: 0 ok, 1 some input rejected, 2 usage, 3 database, 4 unreadable input,\n"
                 "5 SQL failed\n");
}

int main(int argc, char **argv)
{
    mrb_ctx ctx = {NULL};
    int i = 1;

    /* the process's one SQLite configuration, before any connection: memory
     * statistics would take a global mutex on every allocation of every
     * connection (the store's and the report's) */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    ctx.db_path = getenv("MRB_DB");
    if (!ctx.db_path || !*ctx.db_path)
        ctx.db_path = "mrb.db";
    queries_set_dir(getenv("MRB_QUERIES"));
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return MRB_EXIT_OK;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            printf("mrb-analyze %s\n", MRB_VERSION);
            return MRB_EXIT_OK;
        }
        if (!strcmp(a, "--db") && i + 1 < argc) {
            ctx.db_path = argv[++i];
        } else if (!strncmp(a, "--db=", 5) && a[5]) {
            ctx.db_path = a + 5;
        } else if (!strcmp(a, "--queries") && i + 1 < argc) {
            queries_set_dir(argv[++i]);
        } else if (!strncmp(a, "--queries=", 10) && a[10]) {
            queries_set_dir(a + 10);
        } else {
            return msg_usage(NULL, "unknown or incomplete option '%s'", a);
        }
    }
    if (i == argc) {
        usage(stderr);
        return MRB_EXIT_USAGE;
    }
    for (int k = 0; commands[k].name; k++)
        if (!strcmp(argv[i], commands[k].name))
            return commands[k].fn(&ctx, argc - i, argv + i);
    return msg_usage(NULL, "unknown command '%s'", argv[i]);
}
