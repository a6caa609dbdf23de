/* db.h — opening the database for reading commands (sql, query, report).
 *
 * Ingest owns writing (store.h). The other commands open an existing
 * database, check that its schema version is one this tool knows (migrating
 * an older one unless read-only), and register the statistics functions
 * (stats.h) and the cost functions with the shipped prices (cost.h).
 *
 * Ownership: db_open returns a connection closed with sqlite3_close. */
#ifndef MRB_DB_H
#define MRB_DB_H

#include "mrb/err.h"

typedef struct sqlite3 sqlite3;

/* Opens path (which must exist) read-write, or read-only when readonly.
 * NULL with err: missing file, not a database, a schema newer than this
 * tool's, or no schema at all ("run mrb-analyze ingest first"). */
sqlite3 *db_open(const char *path, int readonly, mrb_err *err);

/* A reading command's connection, with the price table its cost_usd() uses. */
typedef struct db_conn {
    sqlite3 *db;
    struct price_table *prices; /* from --pricing, else the shipped table with the
                                   imported prices over it, or NULL: the shipped table */
} db_conn;

/* Loads pricing (a --pricing FILE, or NULL) and opens path as db_open does.
 * Returns 0, or the exit code with err: MRB_EXIT_INPUT when the price file
 * is bad, MRB_EXIT_DATABASE when the database is. db_disconnect releases
 * whatever was opened, also after a failure. */
int db_connect(db_conn *c, const char *path, int readonly, const char *pricing, mrb_err *err);
void db_disconnect(db_conn *c);

#endif
