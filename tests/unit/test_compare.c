/* test_compare.c — nights and metric names of compare.h (the comparison
 * itself runs end to end in tests/cases/90-compare.t; its statistics are in
 * test_compare_stats.c).
 *
 * Covers: a day becomes its UTC time range; FROM..UNTIL with times and with
 * days; a run label becomes a quoted condition (quotes doubled, so a label
 * cannot end the SQL string); rejected nights: impossible days, ranges that
 * end before they start, bad times, labels too long or with control
 * characters; metric names round-trip; the default nights of a database
 * (the latest day and the day before) and of an empty one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <string.h>

#include "mrb/compare.h"

#define DAY_25 1795564800000LL /* 2026-11-25T00:00:00Z */

static void test_day(void **state)
{
    night n;
    mrb_err err;
    char want[128];

    (void)state;
    assert_int_equal(compare_night("2026-11-25", &n, &err), 0);
    assert_string_equal(n.label, "2026-11-25");
    assert_int_equal(n.is_day, 1);
    snprintf(want, sizeof want, "ts_ms >= %lld AND ts_ms < %lld", DAY_25, DAY_25 + 86400000LL);
    assert_string_equal(n.where, want);
}

static void test_range(void **state)
{
    night n;
    mrb_err err;
    char want[128];

    (void)state;
    assert_int_equal(compare_night("2026-11-25T06:00:00Z..2026-11-25T12:30:00Z", &n, &err), 0);
    snprintf(want, sizeof want, "ts_ms >= %lld AND ts_ms < %lld", DAY_25 + 6 * 3600000LL,
             DAY_25 + 12 * 3600000LL + 30 * 60000LL);
    assert_string_equal(n.where, want);
    assert_int_equal(n.is_day, 0);
    assert_int_equal(compare_night("2026-11-24..2026-11-26", &n, &err), 0);
    snprintf(want, sizeof want, "ts_ms >= %lld AND ts_ms < %lld", DAY_25 - 86400000LL,
             DAY_25 + 86400000LL);
    assert_string_equal(n.where, want);
}

static void test_run_label(void **state)
{
    night n;
    mrb_err err;

    (void)state;
    assert_int_equal(compare_night("night-41", &n, &err), 0);
    assert_string_equal(n.where, "run = 'night-41'");
    assert_int_equal(compare_night("it's | `x`", &n, &err), 0);
    assert_string_equal(n.where, "run = 'it''s | `x`'");
    assert_string_equal(n.label, "it's | `x`");
}

static void test_rejected(void **state)
{
    static const char *const bad[] = {
        "2026-13-40",                         /* no such day */
        "2026-11-25..2026-11-24",             /* ends before it starts */
        "2026-11-25..2026-11-25",             /* empty */
        "2026-11-25T02:00Z..2026-11-26",      /* not a full time */
        "..2026-11-26",                       /* no start */
        "",                                   /* nothing */
        "a\tb",                               /* a control character */
    };
    night n;
    mrb_err err;
    char long_label[200];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mrb_err_clear(&err);
        if (compare_night(bad[i], &n, &err) != -1)
            fail_msg("'%s' was accepted", bad[i]);
        assert_true(err.text[0] != '\0');
    }
    memset(long_label, 'x', sizeof long_label - 1);
    long_label[sizeof long_label - 1] = '\0';
    assert_int_equal(compare_night(long_label, &n, &err), -1);
}

static void test_metric_names(void **state)
{
    (void)state;
    for (int m = 0; m < CM_COUNT; m++)
        assert_int_equal(compare_metric_by_name(compare_metric_name((enum compare_metric)m)), m);
    assert_int_equal(compare_metric_by_name("warm_p50_ms"), CM_WARM_P50);
    assert_int_equal(compare_metric_by_name("cost_per_1m_usd"), CM_COST_PER_1M);
    assert_int_equal(compare_metric_by_name("p42"), -1);
    assert_string_equal(compare_metric_name(CM_COUNT), "?");
}

static void test_default_nights(void **state)
{
    sqlite3 *db;
    night a, b;
    mrb_err err;
    char sql[256];

    (void)state;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE invocations(ts_ms INTEGER)", NULL, NULL, NULL),
                     SQLITE_OK);
    mrb_err_clear(&err);
    assert_int_equal(compare_default_nights(db, &a, &b, &err), -1);
    assert_non_null(strstr(err.text, "no invocations"));
    snprintf(sql, sizeof sql, "INSERT INTO invocations VALUES (%lld), (%lld)", DAY_25 - 5,
             DAY_25 + 3600000LL);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(compare_default_nights(db, &a, &b, &err), 0);
    assert_string_equal(a.label, "2026-11-24");
    assert_string_equal(b.label, "2026-11-25");
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day),         cmocka_unit_test(test_range),
        cmocka_unit_test(test_run_label),   cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_metric_names), cmocka_unit_test(test_default_nights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
