/* test_store.c — the store (store.h) and the writer (writer.h) as units.
 *
 * Store: an invocation stored twice is stored once (in one file and across
 * files); a known invocation named with a higher rank is relabelled, not
 * duplicated, and a lower rank changes nothing; a database of every older
 * schema version migrates to STORE_SCHEMA_VERSION keeping its rows.
 * Writer: a store failure in the middle of a file (injected with an SQLite
 * trigger that aborts one insert, so no hook in the code) rolls that file
 * back, reaches the producer as an error naming the failure, and leaves the
 * files committed before it stored. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mrb/fn_origin.h"
#include "mrb/store.h"
#include "mrb/writer.h"

static char g_path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(g_path, sizeof g_path, "/tmp/mrb-test-store.%ld.db", (long)getpid());
    unlink(g_path);
    return 0;
}

static int teardown(void **state)
{
    char side[80];
    (void)state;
    unlink(g_path);
    snprintf(side, sizeof side, "%s-wal", g_path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", g_path);
    unlink(side);
    return 0;
}

static mrb_slice sl(const char *s)
{
    mrb_slice x = {s, s ? strlen(s) : 0};
    return x;
}

static invocation inv_of(const char *function, const char *rid, int origin)
{
    invocation v;
    memset(&v, 0, sizeof v);
    v.function = sl(function);
    v.log_group = sl("/aws/lambda/x");
    v.request_id = sl(rid);
    v.ts_ms = 1795575600000LL;
    v.duration_ms = 12.5;
    v.billed_ms = 13;
    v.memory_mb = 512;
    v.max_memory_mb = 90;
    v.status = "success";
    v.fn_origin = origin;
    return v;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

static long long count(store *s, const char *sql)
{
    sqlite3_stmt *q;
    long long n = -1;
    if (sqlite3_prepare_v2(store_db(s), sql, -1, &q, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(s)));
    if (sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

static void file(store *s, const char *path, mrb_err *err)
{
    assert_int_equal(store_file_begin(s, path, "run-1", 100, err), 0);
}

static void commit(store *s, mrb_err *err)
{
    file_stats fs;
    memset(&fs, 0, sizeof fs);
    fs.shape = "s3-export";
    assert_int_equal(store_file_commit(s, &fs, err), 0);
    assert_int_equal(store_flush(s, err), 0);
}

static void invocations_are_stored_once(void **state)
{
    (void)state;
    mrb_err err;
    mrb_err_clear(&err);
    store *s = store_open(g_path, &err);
    assert_non_null(s);
    invocation v = inv_of("fn-a", "r-1", FN_ORIGIN_LOG_GROUP);
    int added = -1;

    file(s, "/in/a.log", &err);
    assert_int_equal(store_invocation(s, &v, "python", &added, &err), 0);
    assert_int_equal(added, 1);
    assert_int_equal(store_invocation(s, &v, "python", &added, &err), 0);
    assert_int_equal(added, 0);
    commit(s, &err);
    file(s, "/in/b.log", &err); /* the same invocation in another file */
    assert_int_equal(store_invocation(s, &v, "python", &added, &err), 0);
    assert_int_equal(added, 0);
    commit(s, &err);
    assert_int_equal(count(s, "select count(*) from invocations"), 1);
    assert_int_equal(count(s, "select count(*) from files"), 2);
    store_close(s);
}

static void a_stronger_name_relabels(void **state)
{
    (void)state;
    mrb_err err;
    mrb_err_clear(&err);
    store *s = store_open(g_path, &err);
    assert_non_null(s);
    int added = -1;

    file(s, "/in/stem.log", &err);
    invocation weak = inv_of("stem", "r-9", FN_ORIGIN_FILE_STEM);
    assert_int_equal(store_invocation(s, &weak, "unknown", &added, &err), 0);
    assert_int_equal(added, 1);
    commit(s, &err);

    file(s, "/in/doc.json", &err);
    invocation strong = inv_of("dev-benchmark-go", "r-9", FN_ORIGIN_LOG_GROUP);
    assert_int_equal(store_invocation(s, &strong, "go", &added, &err), 0);
    assert_int_equal(added, 0);
    commit(s, &err);
    assert_int_equal(count(s, "select count(*) from invocations"), 1);
    assert_int_equal(count(s, "select count(*) from invocations where "
                              "function = 'dev-benchmark-go' and runtime = 'go'"), 1);
    assert_int_equal(store_relabelled(s), 1);

    file(s, "/in/stem2.log", &err); /* a weaker name again changes nothing */
    assert_int_equal(store_invocation(s, &weak, "unknown", &added, &err), 0);
    assert_int_equal(added, 0);
    commit(s, &err);
    assert_int_equal(count(s, "select count(*) from invocations where runtime = 'go'"), 1);
    store_close(s);
}

/* A database made by each older version (its migrations applied by hand,
 * one invocation-free files row added) opens at the current version with
 * the row kept. */
static void every_older_version_migrates(void **state)
{
    (void)state;
    int n = 0;
    while (store_migrations[n])
        n++;
    assert_int_equal(n, STORE_SCHEMA_VERSION);
    for (int v = 1; v < STORE_SCHEMA_VERSION; v++) {
        sqlite3 *db;
        char bump[48];
        teardown(NULL);
        assert_int_equal(sqlite3_open(g_path, &db), SQLITE_OK);
        for (int i = 0; i < v; i++)
            exec_ok(db, store_migrations[i]);
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v);
        exec_ok(db, bump);
        exec_ok(db, "INSERT INTO files (path, status, first_ingested_at, last_ingested_at) "
                    "VALUES ('/old/f.log', 'ok', '2026-11-25', '2026-11-25')");
        sqlite3_close(db);

        mrb_err err;
        mrb_err_clear(&err);
        store *s = store_open(g_path, &err);
        if (!s)
            fail_msg("version %d: %s", v, err.text);
        assert_int_equal(count(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
        assert_int_equal(count(s, "select count(*) from files where path = '/old/f.log'"), 1);
        store_close(s);
        s = store_open(g_path, &err); /* opening again migrates nothing */
        assert_non_null(s);
        assert_int_equal(count(s, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
        store_close(s);
    }
}

/* Writer: file A, then file B failing in its middle. With sync_a, A was
 * made durable (writer_sync: its batch committed) before B began. */
static void fail_in_b(int sync_a)
{
    mrb_err err;
    mrb_err_clear(&err);
    store *s = store_open(g_path, &err);
    assert_non_null(s);
    exec_ok(store_db(s), "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.invocations "
                         "WHEN NEW.request_id = 'boom' "
                         "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    writer *w = writer_start(s, &err);
    assert_non_null(w);
    file_stats fs;
    memset(&fs, 0, sizeof fs);
    fs.shape = "s3-export";

    invocation a1 = inv_of("fn-a", "a-1", FN_ORIGIN_LOG_GROUP);
    invocation a2 = inv_of("fn-a", "a-2", FN_ORIGIN_LOG_GROUP);
    assert_int_equal(writer_file_begin(w, "/in/a.log", "run-1", 100, &err), 0);
    assert_int_equal(writer_invocation(w, &a1, "python", &err), 0);
    assert_int_equal(writer_invocation(w, &a2, "python", &err), 0);
    assert_int_equal(writer_file_commit(w, &fs, &err), 0);
    assert_int_equal(sync_a ? writer_sync(w, &err) : writer_wait(w, &err), 0);

    invocation b1 = inv_of("fn-a", "b-1", FN_ORIGIN_LOG_GROUP);
    invocation boom = inv_of("fn-a", "boom", FN_ORIGIN_LOG_GROUP);
    invocation b3 = inv_of("fn-a", "b-3", FN_ORIGIN_LOG_GROUP);
    int rc = writer_file_begin(w, "/in/b.log", "run-1", 100, &err);
    rc |= writer_invocation(w, &b1, "python", &err);
    rc |= writer_invocation(w, &boom, "python", &err);
    rc |= writer_invocation(w, &b3, "python", &err);
    if (rc == 0)
        rc = writer_file_commit(w, &fs, &err);
    if (rc == 0)
        rc = writer_sync(w, &err);
    assert_int_equal(rc, -1); /* the failure reaches the producer */
    if (!strstr(err.text, "injected failure"))
        fail_msg("the error does not name the failure: %s", err.text);
    writer_stop(w);
    store_close(s);

    mrb_err_clear(&err);
    s = store_open(g_path, &err);
    assert_non_null(s);
    /* B: nothing of it, and not known as read */
    assert_int_equal(count(s, "select count(*) from invocations where request_id like 'b-%'"), 0);
    assert_int_equal(count(s, "select count(*) from files where path = '/in/b.log' "
                              "and status = 'ok'"), 0);
    /* A: stored when it was durable; else all of it gone with the batch, its
     * files row too, so that a re-run reads it again (never half a file) */
    assert_int_equal(count(s, "select count(*) from invocations where request_id like 'a-%'"),
                     sync_a ? 2 : 0);
    assert_int_equal(count(s, "select count(*) from files where path = '/in/a.log' "
                              "and status = 'ok'"), sync_a ? 1 : 0);
    store_close(s);
}

static void a_store_failure_rolls_back_its_file(void **state)
{
    (void)state;
    fail_in_b(1);
}

static void a_store_failure_loses_no_half_batch(void **state)
{
    (void)state;
    fail_in_b(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(invocations_are_stored_once, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stronger_name_relabels, setup, teardown),
        cmocka_unit_test_setup_teardown(every_older_version_migrates, setup, teardown),
        cmocka_unit_test_setup_teardown(a_store_failure_rolls_back_its_file, setup, teardown),
        cmocka_unit_test_setup_teardown(a_store_failure_loses_no_half_batch, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
