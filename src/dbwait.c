/* dbwait.c — the busy handler, WAL mode, the lock handed on (see dbwait.h). */
#include "mrb/clock.h"
#include "mrb/dbwait.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POLL_NS 1000000L /* a waiter tries again every millisecond */
#define YIELD_NS 2000000L /* a writer that released the lock waits this long */

long dbwait_timeout_ms(void)
{
    const char *v = getenv("MRB_BUSY_TIMEOUT");
    char *end;

    if (!v || !*v)
        return DBWAIT_DEFAULT_S * 1000L;
    errno = 0;
    double s = strtod(v, &end);
    if (errno || *end || !(s >= 0) || s > 86400.0 * 7)
        return DBWAIT_DEFAULT_S * 1000L;
    return (long)(s * 1000.0);
}

static void sleep_ns(long ns)
{
    struct timespec ts = {0, ns};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* SQLite counts the calls of one wait from 0; the time the wait started is
 * kept per thread (a connection is used by one thread at a time). */
static _Thread_local double wait_start;

static int busy(void *arg, int count)
{
    long timeout = (long)(intptr_t)arg;

    if (count == 0)
        wait_start = clock_now_s() * 1e3;
    if (clock_now_s() * 1e3 - wait_start >= (double)timeout)
        return 0;
    sleep_ns(POLL_NS);
    return 1;
}

void dbwait_install(sqlite3 *db, long timeout_ms)
{
    sqlite3_busy_handler(db, busy, (void *)(intptr_t)timeout_ms);
}

/* The journal mode a PRAGMA answers ("wal", "delete", ...), or "" with rc. */
static int journal_mode(sqlite3 *db, const char *sql, char *mode, size_t size)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);

    mode[0] = '\0';
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(q, 0);
        snprintf(mode, size, "%s", t ? (const char *)t : "");
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    return rc;
}

int dbwait_wal(sqlite3 *db, long timeout_ms, mrb_err *err)
{
    char mode[32];
    double start = clock_now_s() * 1e3;
    int rc;

    for (;;) {
        rc = journal_mode(db, "PRAGMA journal_mode", mode, sizeof mode);
        if (rc == SQLITE_OK && !strcmp(mode, "wal"))
            return 0;
        if (rc == SQLITE_OK)
            rc = journal_mode(db, "PRAGMA journal_mode = WAL", mode, sizeof mode);
        if (rc == SQLITE_OK)
            return 0; /* "wal", or the mode this file system allows */
        if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
            break;
        if (clock_now_s() * 1e3 - start >= (double)timeout_ms)
            break;
        sleep_ns(POLL_NS);
    }
    return mrb_err_set(err, 0, -1, "database: cannot switch to WAL mode: %s",
                       sqlite3_errmsg(db));
}

void dbwait_yield(void) { sleep_ns(YIELD_NS); }
