/* cmd_prices.c — `mrb-analyze prices`: import AWS Price List offer files
 * into the database, and list the rates in force with their sources. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mrb/cmd.h"
#include "mrb/cost.h"
#include "mrb/db.h"
#include "mrb/msg.h"
#include "mrb/opt.h"
#include "mrb/price_db.h"
#include "mrb/price_offer.h"
#include "mrb/store.h"
#include "mrb/xalloc.h"

enum { O_REGION, O_CSV, O_JSON, O_DB, O_HELP };

static const opt_spec options[] = {
    [O_REGION] = {"region", 0, "REGION", "list: only this region"},
    [O_CSV] = {"csv", 0, NULL, "list: CSV"},
    [O_JSON] = {"json", 0, NULL, "list: JSON"},
    [O_DB] = {"db", 0, "FILE", "the database (default: $MRB_DB, else ./mrb.db)"},
    [O_HELP] = {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

static void help(void)
{
    printf("usage: mrb-analyze [--db FILE] prices import FILE...\n"
           "       mrb-analyze [--db FILE] prices list [--region R] [--csv | --json]\n\n"
           "import reads AWS Price List offer files (AWSLambda, AmazonDynamoDB,\n"
           "AmazonApiGateway, AmazonCloudWatch; whole-service or per-region index.json, plain\n"
           "or gzip, or `aws pricing get-products` output) into the database; their rates\n"
           "then take precedence over the shipped ones, rate by rate (--pricing FILE\n"
           "replaces both). A rate already imported from a newer version is kept.\n"
           "list shows every rate in force: region, rate, USD per unit, the table it comes\n"
           "from (shipped or imported, with its version), its source and date.\n\noptions:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 ok; 1 a file was rejected (bad or without wanted prices); 2 usage;\n"
           "3 database; 4 a file could not be read at all\n");
}

/* Imports one file in one transaction. An exit code. */
static int import_one(sqlite3 *db, const char *path)
{
    price_offer o;
    price_db_result res;
    mrb_err err;

    mrb_err_clear(&err);
    if (price_offer_read(path, &o, &err) < 0) {
        msg_err(&err);
        return strncmp(err.text, "cannot open", 11) == 0 ? MRB_EXIT_INPUT : MRB_EXIT_REJECTED;
    }
    if (o.n == 0) {
        msg_error("%s: %s %s has no price the tool uses (%lld products)", path, o.offer,
                  o.version, o.products);
        price_offer_free(&o);
        return MRB_EXIT_REJECTED;
    }
    mrb_err_source(&err, path);
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK &&
                     price_db_store(db, &o, path, &res, &err) == 0 &&
                     sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK
                 ? MRB_EXIT_OK
                 : MRB_EXIT_DATABASE;
    if (rc) {
        if (!err.text[0])
            mrb_err_set(&err, 0, -1, "cannot store prices: %s", sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        msg_err(&err);
    } else {
        printf("%s: %s %s (published %s): %d rates, %d tiers imported", path, o.offer, o.version,
               o.publication_date[0] ? o.publication_date : "n.d.", res.rates, res.tiers);
        if (res.kept)
            printf("; %d kept (a newer version is imported)", res.kept);
        printf("\n");
        if (res.duplicates)
            msg_warning("%s: %d price dimensions repeat a tier already read; the first is kept",
                        path, res.duplicates);
        if (o.unplaced)
            msg_warning("%s: %lld wanted products name no region the tool knows; skipped", path,
                        o.unplaced);
    }
    price_offer_free(&o);
    return rc;
}

static int import(mrb_ctx *ctx, char **files, int n)
{
    mrb_err err;
    int worst = MRB_EXIT_OK;

    mrb_err_clear(&err);
    store *st = store_open(ctx->db_path, &err);
    if (!st) {
        msg_err(&err);
        return MRB_EXIT_DATABASE;
    }
    for (int i = 0; i < n; i++) {
        int rc = import_one(store_db(st), files[i]);
        if (rc == MRB_EXIT_DATABASE) {
            worst = rc;
            break;
        }
        if (rc > worst)
            worst = rc;
    }
    store_close(st);
    return worst;
}

static int bind_region(sqlite3_stmt *st, void *arg)
{
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    return 0;
}

/* The rates of t into temp.rates_in_force on db. */
static int fill(sqlite3 *db, const price_table *t)
{
    sqlite3_stmt *ins;
    int rc = sqlite3_exec(db, "CREATE TEMP TABLE rates_in_force(region, rate, usd, from_table, "
                              "source, date)", NULL, NULL, NULL);

    if (rc != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO rates_in_force VALUES (?, ?, ?, ?, ?, ?)", -1, &ins,
                           NULL) != SQLITE_OK)
        return -1;
    for (int i = 0; i < t->n_rates && rc == SQLITE_OK; i++) {
        const price_rate *r = &t->rates[i];
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, r->region, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, cost_kind_name(r->kind), -1, SQLITE_STATIC);
        sqlite3_bind_double(ins, 3, r->usd);
        sqlite3_bind_text(ins, 4, r->table, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, r->source, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 6, r->date, -1, SQLITE_STATIC);
        rc = sqlite3_step(ins) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(ins);
    return rc == SQLITE_OK ? 0 : -1;
}

static int list(mrb_ctx *ctx, const char *region, enum out_mode mode)
{
    db_conn c = {NULL, NULL};
    mrb_err err;
    int code;

    mrb_err_clear(&err);
    if (access(ctx->db_path, F_OK) == 0) {
        code = db_connect(&c, ctx->db_path, 0, NULL, &err); /* migrates an older one */
    } else { /* no database yet: the shipped table */
        code = sqlite3_open(":memory:", &c.db) == SQLITE_OK ? 0 : MRB_EXIT_DATABASE;
        mrb_err_set(&err, 0, -1, "cannot open an in-memory database");
    }
    if (code == 0 && fill(c.db, c.prices ? c.prices : cost_default_prices()) < 0) {
        mrb_err_set(&err, 0, -1, "cannot list prices: %s", sqlite3_errmsg(c.db));
        code = MRB_EXIT_DATABASE;
    }
    if (code)
        msg_err(&err);
    else
        code = cmd_run_sql(c.db,
                           region ? "SELECT * FROM rates_in_force WHERE region = ?1 ORDER BY rate"
                                  : "SELECT * FROM rates_in_force ORDER BY region, rate",
                           mode, region ? bind_region : NULL, (void *)region);
    db_disconnect(&c);
    return code;
}

int cmd_prices(mrb_ctx *ctx, int argc, char **argv)
{
    opt_state st;
    const char *action = NULL, *region = NULL;
    enum out_mode mode = OUT_TABLE;
    char **files = xcalloc((size_t)(argc > 0 ? argc : 1), sizeof *files);
    int n = 0, k, code;

    opt_init(&st, argc, argv);
    while ((k = opt_next(&st, options, "prices")) != OPT_END) {
        switch (k) {
        case OPT_ERROR: free(files); return MRB_EXIT_USAGE;
        case OPT_OPERAND:
            if (!action)
                action = st.operand;
            else
                files[n++] = (char *)st.operand;
            break;
        case O_REGION: region = st.value; break;
        case O_CSV: mode = OUT_CSV; break;
        case O_JSON: mode = OUT_JSON; break;
        case O_DB: ctx->db_path = st.value; break;
        case O_HELP: help(); free(files); return MRB_EXIT_OK;
        }
    }
    if (!action)
        code = msg_usage("prices", "say import FILE... or list");
    else if (!strcmp(action, "import"))
        code = !n ? msg_usage("prices", "import wants at least one offer file")
               : region || mode != OUT_TABLE
                   ? msg_usage("prices", "--region, --csv and --json are for list")
                   : import(ctx, files, n);
    else if (!strcmp(action, "list"))
        code = n ? msg_usage("prices", "list takes no files") : list(ctx, region, mode);
    else
        code = msg_usage("prices", "unknown action '%s' (import or list)", action);
    free(files);
    return code;
}
