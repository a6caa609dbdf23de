/* db.c — opening the database for the reading commands (see db.h). */
#include "mrb/db.h"

#include <sqlite3.h>

#include "mrb/cost.h"
#include "mrb/dbwait.h"
#include "mrb/msg.h"
#include "mrb/price_db.h"
#include "mrb/stats.h"
#include "mrb/store.h"

static int schema_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *q;

    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(q);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Brings an older schema up to date through the store, which owns it. */
static int migrate(const char *path, mrb_err *err)
{
    store *st = store_open(path, err);
    store_close(st);
    return st ? 0 : -1;
}

sqlite3 *db_open(const char *path, int readonly, mrb_err *err)
{
    sqlite3 *db = NULL;
    /* one thread uses the connection at a time: no mutex on every call */
    int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    int v;

    mrb_err_source(err, path);
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot open database: %s (run mrb-analyze ingest first)",
                    db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    /* a writer may hold the lock for a batch; WAL readers never wait for it */
    dbwait_install(db, dbwait_timeout_ms());
    /* sorting for GROUP BY over a million rows may use the second core */
    sqlite3_exec(db, "PRAGMA threads = 2", NULL, NULL, NULL);
    if (schema_version(db, &v) < 0) {
        mrb_err_set(err, 0, -1, "not a database: %s", sqlite3_errmsg(db));
    } else if (v == 0) {
        mrb_err_set(err, 0, -1, "no mrb-analyze schema here (run mrb-analyze ingest first)");
    } else if (v > STORE_SCHEMA_VERSION) {
        mrb_err_set(err, 0, -1, "database schema version %d is newer than this tool's (%d)", v,
                    STORE_SCHEMA_VERSION);
    } else if (v < STORE_SCHEMA_VERSION && (readonly || migrate(path, err) < 0)) {
        if (readonly)
            mrb_err_set(err, 0, -1, "database schema version %d is older than this tool's (%d): "
                        "open it once without --readonly to migrate it", v, STORE_SCHEMA_VERSION);
    } else if (stats_register(db) != SQLITE_OK ||
               cost_register(db, cost_default_prices()) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot register the statistics functions");
    } else {
        mrb_err_source(err, "");
        return db;
    }
    sqlite3_close(db);
    return NULL;
}

int db_connect(db_conn *c, const char *path, int readonly, const char *pricing, mrb_err *err)
{
    c->db = NULL;
    c->prices = NULL;
    if (pricing && !(c->prices = cost_load_prices(pricing, err)))
        return MRB_EXIT_INPUT;
    if (!(c->db = db_open(path, readonly, err)))
        return MRB_EXIT_DATABASE;
    /* without --pricing: imported prices over the shipped ones (price_db.h) */
    if (!pricing && price_db_overlay(c->db, cost_default_prices(), &c->prices, err) < 0)
        return MRB_EXIT_DATABASE;
    if (c->prices && cost_register(c->db, c->prices) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot register the cost functions");
        return MRB_EXIT_DATABASE;
    }
    return 0;
}

void db_disconnect(db_conn *c)
{
    sqlite3_close(c->db);
    cost_free_prices(c->prices);
    c->db = NULL;
    c->prices = NULL;
}
