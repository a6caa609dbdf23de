/* test_err.c — errors as values (err.h).
 *
 * Covers mrb_err_clear, mrb_err_set (return value, kept source, formatted
 * and truncated text, NULL error), mrb_err_source truncation, and the three
 * forms of mrb_err_format ("src:12: text", "src: byte 40: text", "text"),
 * including output truncated to the buffer size; mrb_err_format_at (the
 * same forms from loose fields) and mrb_err_internal (a broken invariant:
 * no position, marked internal, cleared by mrb_err_set and mrb_err_clear). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mrb/err.h"

static void test_clear(void **state)
{
    mrb_err e;
    (void)state;

    memset(&e, 'x', sizeof e);
    mrb_err_clear(&e);
    assert_string_equal(e.source, "");
    assert_int_equal(e.line, 0);
    assert_int_equal(e.offset, -1);
    assert_string_equal(e.text, "");
    mrb_err_clear(NULL);
}

static void test_set(void **state)
{
    mrb_err e;
    (void)state;

    mrb_err_clear(&e);
    mrb_err_source(&e, "in.json");
    assert_int_equal(mrb_err_set(&e, 12, 345, "bad %s at %d", "token", 7), -1);
    assert_string_equal(e.source, "in.json");
    assert_int_equal(e.line, 12);
    assert_int_equal(e.offset, 345);
    assert_string_equal(e.text, "bad token at 7");
    assert_int_equal(mrb_err_set(NULL, 1, 2, "ignored %d", 3), -1);
}

static void test_truncation(void **state)
{
    char long_text[2000];
    mrb_err e;
    (void)state;

    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    mrb_err_clear(&e);
    mrb_err_source(&e, long_text);
    assert_int_equal(strlen(e.source), sizeof e.source - 1);
    mrb_err_set(&e, 1, -1, "%s", long_text);
    assert_int_equal(strlen(e.text), sizeof e.text - 1);
    assert_int_equal(e.text[0], 'a');
}

static void test_format_forms(void **state)
{
    mrb_err e;
    char buf[256];
    (void)state;

    mrb_err_clear(&e);
    mrb_err_source(&e, "src");
    mrb_err_set(&e, 12, -1, "text");
    mrb_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "src:12: text");

    mrb_err_set(&e, 1, -1, "first line");
    mrb_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "src:1: first line");

    mrb_err_set(&e, 0, 40, "text");
    mrb_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "src: byte 40: text");

    mrb_err_set(&e, 0, 0, "empty input");
    mrb_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "src: byte 0: empty input");

    /* a line, when known, is the position given */
    mrb_err_set(&e, 3, 40, "text");
    mrb_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "src:3: text");

    mrb_err_clear(&e);
    mrb_err_set(&e, 0, -1, "cannot open %s", "x");
    mrb_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "cannot open x");

    mrb_err_source(&e, "-");
    mrb_err_set(&e, 7, -1, "unexpected end of input");
    mrb_err_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "-:7: unexpected end of input");
}

static void test_format_small_buffer(void **state)
{
    mrb_err e;
    char buf[16];
    (void)state;

    mrb_err_clear(&e);
    mrb_err_source(&e, "some/long/file/name.json.gz");
    mrb_err_set(&e, 123456, -1, "something went wrong");
    memset(buf, '#', sizeof buf);
    mrb_err_format(&e, buf, 8);
    assert_string_equal(buf, "some/lo");
    for (size_t i = 8; i < sizeof buf; i++)
        assert_int_equal(buf[i], '#');
    mrb_err_format(&e, buf, 1);
    assert_string_equal(buf, "");
    buf[0] = '#';
    mrb_err_format(&e, buf, 0);
    assert_int_equal(buf[0], '#');
}

static void test_format_at_and_internal(void **state)
{
    char buf[128];
    mrb_err e;
    (void)state;

    mrb_err_format_at(buf, sizeof buf, "a.log", 7, 99, "bad");
    assert_string_equal(buf, "a.log:7: bad");
    mrb_err_format_at(buf, sizeof buf, "a.log", 0, 99, "bad");
    assert_string_equal(buf, "a.log: byte 99: bad");
    mrb_err_format_at(buf, sizeof buf, "a.log", 0, -1, "bad");
    assert_string_equal(buf, "a.log: bad");
    mrb_err_format_at(buf, sizeof buf, "", 3, 4, "bad");
    assert_string_equal(buf, "bad");

    mrb_err_clear(&e);
    assert_int_equal(e.internal, 0);
    mrb_err_source(&e, "a.log");
    assert_int_equal(mrb_err_set(&e, 5, 6, "x"), -1);
    assert_int_equal(mrb_err_internal(&e, "series %d never given", 3), -1);
    assert_int_equal(e.internal, 1);
    assert_int_equal(e.line, 0);
    assert_int_equal(e.offset, -1);
    assert_string_equal(e.text, "series 3 never given");
    mrb_err_set(&e, 1, -1, "user");
    assert_int_equal(e.internal, 0);
    mrb_err_internal(&e, "again");
    mrb_err_clear(&e);
    assert_int_equal(e.internal, 0);
    assert_int_equal(mrb_err_internal(NULL, "no error struct"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_format_forms),
        cmocka_unit_test(test_format_small_buffer),
        cmocka_unit_test(test_format_at_and_internal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
