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

#endif
