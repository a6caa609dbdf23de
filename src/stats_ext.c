/* stats_ext.c — the loadable SQLite extension mrb_stats.so: stats.c's SQL
 * functions for plain sqlite3 users (`.load ./mrb_stats`).
 *
 * Built on its own by the Makefile (never into libmrb.a): it defines the
 * sqlite3_api table and compiles stats.c against <sqlite3ext.h>. Only the
 * entry point is exported, so the copies of the stats_* functions inside
 * the extension never interpose on those of a program that loads it. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#define MRB_STATS_EXTENSION
#include "stats.c"

#if defined(__GNUC__)
#define MRB_STATS_EXPORT __attribute__((visibility("default")))
#else
#define MRB_STATS_EXPORT
#endif

/* The entry point SQLite derives from the file name mrb_stats.so (the
 * letters of the name without any "lib" prefix). Registers the functions
 * on db; SQLITE_OK, or an SQLite error code with *err left NULL. */
MRB_STATS_EXPORT int sqlite3_mrbstats_init(sqlite3 *db, char **err,
                                           const sqlite3_api_routines *api);

int sqlite3_mrbstats_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    (void)err;
    return stats_register(db);
}
