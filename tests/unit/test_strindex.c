/* test_strindex.c — strings to positions (strindex.h): absent keys, many
 * keys (the table grows many times), equal text under another pointer,
 * replacing a key's position, clearing and reuse, and keys that differ only
 * late or are empty. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/strindex.h"

#define N 20000

static void test_many(void **state)
{
    static char names[N][48];
    strindex x = STRINDEX_INIT;
    char probe[48];

    (void)state;
    assert_int_equal(strindex_get(&x, "none", 7), 7);
    for (size_t i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "2026/11/25/[$LATEST]%024zx", i);
        strindex_put(&x, names[i], i);
    }
    assert_int_equal(x.n, N);
    assert_true(x.n * 4 <= x.cap * 3);
    for (size_t i = 0; i < N; i++) {
        snprintf(probe, sizeof probe, "2026/11/25/[$LATEST]%024zx", i); /* another pointer */
        assert_int_equal(strindex_get(&x, probe, N), i);
    }
    assert_int_equal(strindex_get(&x, "2026/11/25/[$LATEST]", N), N);
    strindex_put(&x, names[5], 99); /* an equal key: replaced, not added */
    assert_int_equal(x.n, N);
    assert_int_equal(strindex_get(&x, names[5], N), 99);
    size_t cap = x.cap;
    strindex_clear(&x);
    assert_int_equal(x.n, 0);
    assert_int_equal(x.cap, cap);
    assert_int_equal(strindex_get(&x, names[1], N), N);
    strindex_put(&x, "", 3);
    strindex_put(&x, names[1], 1);
    assert_int_equal(strindex_get(&x, "", N), 3);
    assert_int_equal(strindex_get(&x, names[1], N), 1);
    strindex_release(&x);
    assert_null(x.slot);
    assert_int_equal(strindex_get(&x, "", N), N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_many)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
