/* test_term.c — which characters a terminal would act on (term.h).
 *
 * C0, DEL and UTF-8 C1 (C2 80..C2 9F) are controls; printable ASCII, other
 * UTF-8 (C2 A0 no-break space, é, €) and a lone C2 at the end are not. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mrb/term.h"

static size_t len_of(const char *s)
{
    return term_control_len(s, strlen(s));
}

static void test_c0_and_del(void **state)
{
    (void)state;
    assert_int_equal(term_control_len("\0x", 2), 1);
    assert_int_equal(len_of("\033[31m"), 1);
    assert_int_equal(len_of("\t"), 1);
    assert_int_equal(len_of("\n"), 1);
    assert_int_equal(len_of("\x1f"), 1);
    assert_int_equal(len_of("\x7f"), 1);
    assert_int_equal(len_of(" "), 0);
    assert_int_equal(len_of("~"), 0);
    assert_int_equal(term_control_len("", 0), 0);
}

static void test_c1(void **state)
{
    (void)state;
    assert_int_equal(len_of("\xc2\x80"), 2);
    assert_int_equal(len_of("\xc2\x9b" "31m"), 2); /* CSI */
    assert_int_equal(len_of("\xc2\x9f"), 2);
    assert_int_equal(len_of("\xc2\xa0"), 0); /* no-break space */
    assert_int_equal(len_of("\xc3\xa9"), 0); /* é */
    assert_int_equal(len_of("\xe2\x82\xac"), 0); /* € */
    assert_int_equal(term_control_len("\xc2\x9b", 1), 0); /* cut short: not a C1 */
}

static void test_has_control(void **state)
{
    (void)state;
    assert_int_equal(term_has_control("night-2026-11-25"), 0);
    assert_int_equal(term_has_control("caf\xc3\xa9"), 0);
    assert_int_equal(term_has_control("a\033b"), 1);
    assert_int_equal(term_has_control("a\xc2\x9b" "b"), 1);
    assert_int_equal(term_has_control("end\x7f"), 1);
    assert_int_equal(term_has_control(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_c0_and_del),
        cmocka_unit_test(test_c1),
        cmocka_unit_test(test_has_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
