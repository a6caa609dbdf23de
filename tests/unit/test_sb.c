/* test_sb.c — the string builder (sb.h).
 *
 * Covers the invariants (buf NULL only while cap == 0, buf[len] == '\0'),
 * growth over many appends, binary data, sb_addf with output longer than
 * any initial allocation and at every size around the first allocation,
 * sb_grow reserving room, sb_reset keeping the allocation, and sb_detach /
 * sb_release leaving an empty, reusable builder. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/sb.h"

static void assert_invariants(const sb *s)
{
    if (s->cap == 0) {
        assert_null(s->buf);
        assert_int_equal(s->len, 0);
    } else {
        assert_non_null(s->buf);
        assert_true(s->len < s->cap);
        assert_int_equal(s->buf[s->len], '\0');
    }
    assert_non_null(sb_str(s));
}

static void test_empty(void **state)
{
    sb a = SB_INIT, b;
    (void)state;

    sb_init(&b);
    assert_invariants(&a);
    assert_invariants(&b);
    assert_null(a.buf);
    assert_int_equal(a.cap, 0);
    assert_string_equal(sb_str(&a), "");
    assert_string_equal(sb_str(&b), "");
    sb_add(&a, "", 0);
    assert_invariants(&a);
    assert_string_equal(sb_str(&a), "");
    sb_release(&a);
    sb_release(&b);
    assert_invariants(&a);
}

static void test_many_appends(void **state)
{
    sb s = SB_INIT;
    const size_t rounds = 100000;
    (void)state;

    for (size_t i = 0; i < rounds; i++) {
        sb_addc(&s, (char)('a' + i % 26));
        sb_adds(&s, "xy");
        if (i % 9973 == 0)
            assert_invariants(&s);
    }
    assert_invariants(&s);
    assert_int_equal(s.len, rounds * 3);
    assert_int_equal(strlen(sb_str(&s)), rounds * 3);
    for (size_t i = 0; i < rounds; i++) {
        assert_int_equal(s.buf[3 * i], 'a' + i % 26);
        assert_int_equal(s.buf[3 * i + 1], 'x');
        assert_int_equal(s.buf[3 * i + 2], 'y');
    }
    sb_release(&s);
}

static void test_binary(void **state)
{
    static const char bytes[] = {'a', '\0', 'b', '\xff', '\0'};
    sb s = SB_INIT;
    (void)state;

    sb_add(&s, bytes, sizeof bytes);
    sb_add(&s, bytes, sizeof bytes);
    assert_int_equal(s.len, 2 * sizeof bytes);
    assert_memory_equal(s.buf, bytes, sizeof bytes);
    assert_memory_equal(s.buf + sizeof bytes, bytes, sizeof bytes);
    assert_invariants(&s);
    sb_release(&s);
}

static void test_addf_long(void **state)
{
    sb s = SB_INIT;
    char *big = malloc(10001);
    char *want = malloc(20100);
    (void)state;

    assert_non_null(big);
    assert_non_null(want);
    memset(big, 'q', 10000);
    big[10000] = '\0';

    sb_adds(&s, "head:");
    sb_addf(&s, "%s|%d|%s|%lld", big, -42, big, 1234567890123LL);
    snprintf(want, 20100, "head:%s|%d|%s|%lld", big, -42, big, 1234567890123LL);
    assert_int_equal(s.len, strlen(want));
    assert_string_equal(sb_str(&s), want);
    assert_invariants(&s);

    sb_addf(&s, "%s", "");
    assert_int_equal(s.len, strlen(want));
    sb_addf(&s, "%.3f", 2.5);
    assert_string_equal(sb_str(&s) + strlen(want), "2.500");
    assert_invariants(&s);

    free(big);
    free(want);
    sb_release(&s);
}

/* Every split of prefix and formatted length around small allocations. */
static void test_addf_boundaries(void **state)
{
    char pre[300], arg[300], want[600];
    (void)state;

    memset(pre, 'p', sizeof pre);
    memset(arg, 'f', sizeof arg);
    for (size_t a = 0; a < 140; a += 3) {
        for (size_t b = 0; b < 140; b++) {
            sb s = SB_INIT;
            sb_add(&s, pre, a);
            sb_addf(&s, "%.*s!", (int)b, arg);
            memcpy(want, pre, a);
            memcpy(want + a, arg, b);
            want[a + b] = '!';
            assert_int_equal(s.len, a + b + 1);
            assert_memory_equal(s.buf, want, a + b + 1);
            assert_invariants(&s);
            sb_release(&s);
        }
    }
}

static void test_grow_reserves(void **state)
{
    sb s = SB_INIT;
    (void)state;

    sb_adds(&s, "abc");
    sb_grow(&s, 5000);
    assert_true(s.cap >= 3 + 5000 + 1);
    assert_int_equal(s.len, 3);
    assert_string_equal(sb_str(&s), "abc");
    char *before = s.buf;
    size_t cap = s.cap;
    for (int i = 0; i < 5000; i++)
        sb_addc(&s, 'z');
    assert_ptr_equal(s.buf, before);
    assert_int_equal(s.cap, cap);
    assert_int_equal(s.len, 5003);
    assert_invariants(&s);
    sb_release(&s);
}

static void test_reset(void **state)
{
    sb s = SB_INIT;
    (void)state;

    sb_reset(&s);
    assert_invariants(&s);
    sb_adds(&s, "some text that is long enough");
    size_t cap = s.cap;
    char *buf = s.buf;
    sb_reset(&s);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.cap, cap);
    assert_ptr_equal(s.buf, buf);
    assert_string_equal(sb_str(&s), "");
    sb_adds(&s, "again");
    assert_string_equal(sb_str(&s), "again");
    sb_release(&s);
}

static void test_detach_release(void **state)
{
    sb s = SB_INIT;
    (void)state;

    sb_addf(&s, "%s-%d", "run", 7);
    char *p = sb_detach(&s);
    assert_string_equal(p, "run-7");
    assert_null(s.buf);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.cap, 0);
    assert_string_equal(sb_str(&s), "");
    free(p);

    /* detaching an empty builder still gives a string to free */
    p = sb_detach(&s);
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);

    sb_adds(&s, "reused");
    assert_string_equal(sb_str(&s), "reused");
    sb_release(&s);
    assert_null(s.buf);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.cap, 0);
    sb_release(&s);
    sb_adds(&s, "after release");
    assert_string_equal(sb_str(&s), "after release");
    sb_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_many_appends),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_addf_long),
        cmocka_unit_test(test_addf_boundaries),
        cmocka_unit_test(test_grow_reserves),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_detach_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
