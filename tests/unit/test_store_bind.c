/* test_store_bind.c — a row struct bound by a table (store_bind.h).
 *
 * A row holding every kind of member (slice, string, int, long, long long,
 * double) is bound to `SELECT ?1, ?2, ...` and each result column is read
 * back with its SQLite type: values exact, absent slices and strings NULL,
 * a member behind a has-word bit or an int flag NULL when the flag says
 * absent, a BIND_NONNEG member NULL when negative and kept at 0, and a
 * BIND_SKIP parameter left to the caller. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <string.h>

#include "../../src/store_bind.h"

typedef struct row {
    mrb_slice slice, no_slice;
    const char *str, *no_str;
    int i;
    long l;
    long long ll;
    double d;
    unsigned has;
    int flag;
    long long size;
    int64_t ts;
} row;

enum { HAS_A = 1u << 0, HAS_B = 1u << 3 };

#define C(m) BIND(row, m)
static const bind_col cols[] = {
    C(slice), C(no_slice), C(str), C(no_str), C(i), C(l), C(ll), C(d),
    BIND_HAS(row, ll, has, HAS_A), BIND_HAS(row, d, has, HAS_B), BIND_IF(row, str, flag),
    BIND_NONNEG(row, size), BIND_SKIP, C(ts),
};
#undef C

/* Binds r to SELECT ?1 .. ?14 (?13 bound by hand to 'mine') and steps once. */
static sqlite3_stmt *bound(sqlite3 *db, const row *r)
{
    sqlite3_stmt *q = NULL;

    assert_int_equal(BIND_N(cols), 14);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                        "?12, ?13, ?14",
                                        -1, &q, NULL),
                     SQLITE_OK);
    bind_row(q, r, cols, BIND_N(cols));
    sqlite3_bind_text(q, 13, "mine", -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    return q;
}

static void expect_text(sqlite3_stmt *q, int col, const char *want)
{
    assert_int_equal(sqlite3_column_type(q, col), SQLITE_TEXT);
    assert_int_equal(sqlite3_column_bytes(q, col), (int)strlen(want));
    assert_memory_equal(sqlite3_column_text(q, col), want, strlen(want));
}

static void expect_int(sqlite3_stmt *q, int col, long long want)
{
    assert_int_equal(sqlite3_column_type(q, col), SQLITE_INTEGER);
    assert_true(sqlite3_column_int64(q, col) == want);
}

static void expect_null(sqlite3_stmt *q, int col)
{
    assert_int_equal(sqlite3_column_type(q, col), SQLITE_NULL);
}

static sqlite3 *open_db(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    return db;
}

static void every_kind_present(void **state)
{
    (void)state;
    static const char text[] = "abcdef";
    row r = {
        .slice = {text + 1, 3}, /* "bcd": the length counts, not a NUL */
        .str = "plain",
        .i = -7,
        .l = 1L << 40,
        .ll = -(1LL << 62),
        .d = 0.1,
        .has = HAS_A | HAS_B,
        .flag = 1,
        .size = 0,
        .ts = INT64_C(1764547200123),
    };
    sqlite3 *db = open_db();
    sqlite3_stmt *q = bound(db, &r);

    expect_text(q, 0, "bcd");
    expect_null(q, 1);
    expect_text(q, 2, "plain");
    expect_null(q, 3);
    expect_int(q, 4, -7);
    expect_int(q, 5, 1LL << 40);
    expect_int(q, 6, -(1LL << 62));
    assert_int_equal(sqlite3_column_type(q, 7), SQLITE_FLOAT);
    assert_true(sqlite3_column_double(q, 7) == 0.1);
    expect_int(q, 8, -(1LL << 62));
    assert_true(sqlite3_column_double(q, 9) == 0.1);
    expect_text(q, 10, "plain");
    expect_int(q, 11, 0); /* 0 is a size */
    expect_text(q, 12, "mine");
    expect_int(q, 13, INT64_C(1764547200123));
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static void absent_members_bind_null(void **state)
{
    (void)state;
    row r = {
        .str = "kept",
        .ll = 5,
        .d = 2.5,
        .has = 1u << 1, /* neither HAS_A nor HAS_B */
        .flag = 0,
        .size = -1,
    };
    sqlite3 *db = open_db();
    sqlite3_stmt *q = bound(db, &r);

    expect_int(q, 6, 5); /* unconditional: bound */
    expect_null(q, 8);   /* behind HAS_A */
    expect_null(q, 9);   /* behind HAS_B */
    expect_null(q, 10);  /* behind the int flag */
    expect_text(q, 2, "kept");
    expect_null(q, 11); /* negative size */
    sqlite3_finalize(q);

    r.has = HAS_B; /* one bit of two */
    q = bound(db, &r);
    expect_null(q, 8);
    assert_true(sqlite3_column_double(q, 9) == 2.5);
    sqlite3_finalize(q);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kind_present),
        cmocka_unit_test(absent_members_bind_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
