/* dbwait.h — many processes, one database: waiting for the lock, WAL.
 *
 * Several ingests (a nightly job, an ad-hoc run) and readers (report, sql)
 * may use one database at once. SQLite lets one writer in at a time; the
 * others wait here instead of failing: a busy handler that polls every
 * millisecond (so that a waiter gets in between two batches of a busy
 * writer) up to a timeout sized for real files, MRB_BUSY_TIMEOUT seconds
 * (default DBWAIT_DEFAULT_S). Write-ahead logging lets readers read while a
 * writer writes.
 *
 * Ownership: nothing is allocated; the connections are the caller's. */
#ifndef MRB_DBWAIT_H
#define MRB_DBWAIT_H

#include "mrb/err.h"

typedef struct sqlite3 sqlite3;

#define DBWAIT_DEFAULT_S 60

/* The timeout in milliseconds: MRB_BUSY_TIMEOUT (seconds, a decimal number
 * >= 0) when set and valid, else DBWAIT_DEFAULT_S seconds. */
long dbwait_timeout_ms(void);

/* Installs the busy handler waiting up to timeout_ms on db. */
void dbwait_install(sqlite3 *db, long timeout_ms);

/* Puts the database in WAL mode unless it is already (the mode is stored in
 * the file): a change that needs the database to itself, retried while
 * another process holds it, up to timeout_ms. A file system without WAL
 * support keeps its rollback journal. 0, or -1 with err. */
int dbwait_wal(sqlite3 *db, long timeout_ms, mrb_err *err);

/* Gives other waiting writers a moment to take the lock just released. */
void dbwait_yield(void);

#endif
