/* test_timeparse.c — timestamps (timeparse.h).
 *
 * Covers real calendar dates only (month 13, February 30 and 29 outside
 * leap years are not times), the shape test for lines that look like a
 * time whatever their values, the plausible range (2014 to a day after the
 * file) at its edges and at INT64 extremes, and time_describe for values no
 * calendar holds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mrb/timeparse.h"

static size_t parse(const char *s, int64_t *ms) { return time_parse_iso(s, strlen(s), ms); }

static void test_calendar(void **state)
{
    int64_t ms = 0;
    (void)state;

    assert_int_equal(parse("2026-11-25T03:00:00.000Z", &ms), 24);
    assert_int_equal(ms, INT64_C(1795575600000));
    assert_int_equal(parse("2026-13-25T03:00:00.000Z", &ms), 0);
    assert_int_equal(parse("2026-00-25T03:00:00.000Z", &ms), 0);
    assert_int_equal(parse("2026-02-30T03:00:00.000Z", &ms), 0);
    assert_int_equal(parse("2026-02-29T03:00:00.000Z", &ms), 0);
    assert_int_equal(parse("2024-02-29T03:00:00.000Z", &ms), 24);
    assert_int_equal(parse("2100-02-29T03:00:00.000Z", &ms), 0);
    assert_int_equal(parse("2000-02-29T03:00:00.000Z", &ms), 24);
    assert_int_equal(parse("2026-04-31T03:00:00.000Z", &ms), 0);
    assert_int_equal(parse("2026-11-25T24:00:00.000Z", &ms), 0);
}

static void test_looks_iso(void **state)
{
    (void)state;
    assert_true(time_looks_iso("2026-13-25T03:00:00.000Z REPORT", 31));
    assert_true(time_looks_iso("9999-99-99T99:99:99", 19));
    assert_false(time_looks_iso("2026-11-25T03:00:0", 18));
    assert_false(time_looks_iso("2026-11-25 03:00:00", 19));
    assert_false(time_looks_iso("    at Foo.bar(Foo.java:10)", 27));
    assert_false(time_looks_iso("2026/11/25T03:00:00", 19));
}

static void test_plausible(void **state)
{
    const int64_t written = INT64_C(1795575600000);
    (void)state;

    assert_true(time_plausible(TIME_PLAUSIBLE_MIN_MS, written));
    assert_false(time_plausible(TIME_PLAUSIBLE_MIN_MS - 1, written));
    assert_true(time_plausible(written + TIME_PLAUSIBLE_SLACK_MS, written));
    assert_false(time_plausible(written + TIME_PLAUSIBLE_SLACK_MS + 1, written));
    assert_false(time_plausible(INT64_MAX, written));
    assert_false(time_plausible(INT64_MIN, written));
    assert_false(time_plausible(0, written));
    assert_true(time_plausible(written - 1, written));
}

static void test_describe(void **state)
{
    char buf[40];
    (void)state;

    time_describe(INT64_C(1795575600000), buf);
    assert_string_equal(buf, "2026-11-25T03:00:00.000Z");
    time_describe(TIME_MAX_MS, buf);
    assert_string_equal(buf, "9999-12-31T23:59:59.999Z");
    time_describe(TIME_MAX_MS + 1, buf);
    assert_string_equal(buf, "253402300800000 ms since 1970");
    time_describe(INT64_MAX, buf);
    assert_string_equal(buf, "9223372036854775807 ms since 1970");
    time_describe(INT64_MIN, buf);
    assert_string_equal(buf, "-9223372036854775808 ms since 1970");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_looks_iso),
        cmocka_unit_test(test_plausible),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
