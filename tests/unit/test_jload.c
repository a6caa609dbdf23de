/* test_jload.c — the fast JSON reader (jload.h) against json_loadb.
 *
 * Every case is read both ways. Whenever jload_fast returns a value,
 * json_loadb must return one that prints the same (key order and every
 * number's bits); the cases the fast reader is for (records, escapes,
 * surrogate pairs, numbers of every form, duplicate keys, every blank)
 * must not be declined, and what jansson rejects, or leaves to strtoll's
 * range, must be. jload() gives jansson's error text for bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "mrb/jload.h"

#define FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17))

/* Reads text both ways; returns whether the fast reader took it, after
 * checking that it agrees with jansson when it did. */
static int agrees(const char *text, size_t n)
{
    json_error_t e;
    json_t *fast = jload_fast(text, n), *ref = json_loadb(text, n, 0, &e);

    if (fast) {
        assert_non_null(ref);
        char *a = json_dumps(fast, FLAGS), *b = json_dumps(ref, FLAGS);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    json_decref(fast);
    json_decref(ref);
    return fast != NULL;
}

static int agrees_s(const char *text) { return agrees(text, strlen(text)); }

static void test_taken(void **state)
{
    static const char *const taken[] = {
        "{}",
        "[]",
        " \t\r\n{ \"a\" : [ 1 , 2 ] }\r\n ",
        "{\"eventID\":\"1\",\"eventName\":\"MODIFY\",\"dynamodb\":{\"ApproximateCreationDateTime\":"
        "1700000000,\"Keys\":{\"id\":{\"S\":\"item-1\"}},\"NewImage\":{\"n\":{\"N\":\"0.10\"},"
        "\"l\":{\"L\":[{\"BOOL\":true},{\"NULL\":true}]}},\"SizeBytes\":59}}",
        "{\"a\":\"\\u00e9\\u20ac\\ud83d\\ude00 caf\xc3\xa9\",\"b\":\"\\t\\n\\\"\\/\\\\\\b\\f\\r\"}",
        "{\"\\u006bey\":\"\\u00E9\",\"k\\\"\":1}",
        "[1,-0,0,0.5,-1.25e-3,1E+2,2e-400,123456789012345678,-123456789012345678,0.1]",
        "[1.7976931348623157e308,5e-324,-0.0,1e-5,12.5E-1,0e0]",
        "{\"k\":1,\"k\":2,\"j\":{\"k\":[true,false,null]},\"k\":3}",
        "[\"\xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa9 \xef\xbf\xbf \xf4\x8f\xbf\xbf\"]",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    };
    (void)state;
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++)
        if (!agrees_s(taken[i]))
            fail_msg("declined: %s", taken[i]);
}

static void test_declined(void **state)
{
    static const char *const declined[] = {
        "",
        "   ",
        "1",
        "\"text\"",
        "null",
        "{} x",
        "{}{}",
        "\xef\xbb\xbf{}",                 /* a byte-order mark */
        "{\"a\":1,}",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "[01]",
        "[1.]",
        "[.5]",
        "[1e]",
        "[-]",
        "[+1]",
        "[1e999]",                        /* real number overflow */
        "[-1e999]",
        "[1234567890123456789]",          /* valid, but strtoll's range is jansson's */
        "[99999999999999999999]",         /* too big integer */
        "[\"\\u0000\"]",                  /* NUL without JSON_ALLOW_NUL */
        "{\"\\u0000\":1}",
        "[\"\\ud800\"]",                  /* lone surrogates */
        "[\"\\udc00\"]",
        "[\"\\ud800\\u0041\"]",
        "[\"\\x41\"]",                    /* no such escape */
        "[\"\\u12G4\"]",
        "[\"a\x01" "b\"]",                /* a control character */
        "[\"\xc0\xaf\"]",                 /* overlong */
        "[\"\xed\xa0\x80\"]",             /* a surrogate in UTF-8 */
        "[\"\xf4\x90\x80\x80\"]",         /* above U+10FFFF */
        "[\"\xe2\x82\"]",                 /* cut */
        "[\"\x80\"]",
        "[truex]",
        "[nul]",
        "[True]",
        "[\"open",
        "{\"a\":[1,2}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++)
        if (agrees_s(declined[i]))
            fail_msg("taken: %s", declined[i]);
    /* a NUL byte in the text, inside and after a value */
    assert_false(agrees("[\"a\0b\"]", 7));
    assert_false(agrees("{}\0", 3));
}

/* Nesting beyond JLOAD_MAX_DEPTH is jansson's to judge (its own limit is
 * deeper): declined, and jload still reads it. */
static void test_deep(void **state)
{
    char text[2 * (JLOAD_MAX_DEPTH + 1)];
    json_error_t e;

    (void)state;
    for (size_t d = JLOAD_MAX_DEPTH; d <= JLOAD_MAX_DEPTH + 1; d++) {
        memset(text, '[', d);
        memset(text + d, ']', d);
        assert_int_equal(agrees(text, 2 * d), d <= JLOAD_MAX_DEPTH);
        json_t *v = jload(text, 2 * d, &e);
        assert_non_null(v);
        json_decref(v);
    }
}

/* jload falls back to json_loadb: its value for what the fast reader
 * declines, its error text for what it rejects. */
static void test_fallback(void **state)
{
    json_error_t e;
    json_t *v;

    (void)state;
    v = jload("[1234567890123456789]", 21, &e);
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_array_get(v, 0)), 1234567890123456789LL);
    json_decref(v);
    assert_null(jload("{\"a\":1,}", 8, &e));
    assert_string_equal(e.text, "string or '}' expected near '}'");
    assert_null(jload("[1e999]", 7, &e));
    assert_string_equal(e.text, "real number overflow near '1e999'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taken),
        cmocka_unit_test(test_declined),
        cmocka_unit_test(test_deep),
        cmocka_unit_test(test_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
