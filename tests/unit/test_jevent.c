/* test_jevent.c — the fast event reader against jansson.
 *
 * Hand-written cases for escapes, UTF-8 and what must be declined, then a
 * differential test: thousands of deterministic mutations of real events,
 * each read by both; whenever jevent accepts, jansson must accept too and
 * agree on every field, and whatever jansson rejects, jevent must decline. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/jevent.h"

/* jevent_parse on a private copy (it writes into its buffer). */
static int parse_copy(const char *text, size_t n, jevent *ev, char **keep)
{
    char *b = malloc(n + 1);
    memcpy(b, text, n);
    b[n] = '\0';
    *keep = b;
    return jevent_parse(b, n, ev);
}

/* The differential check for one input. */
static void agree(const char *text, size_t n)
{
    jevent ev;
    char *buf;
    int fast = parse_copy(text, n, &ev, &buf);
    json_error_t je;
    json_t *o = json_loadb(text, n, 0, &je);

    if (fast) {
        if (!o)
            fail_msg("jevent accepted what jansson rejects (%s): %.*s", je.text, (int)n, text);
        json_t *m = json_object_get(o, "message"), *t = json_object_get(o, "timestamp");
        json_t *s = json_object_get(o, "logStreamName"), *g = json_object_get(o, "logGroupName");
        assert_int_equal(ev.message != NULL, json_is_string(m));
        if (ev.message) {
            assert_int_equal(ev.message_len, json_string_length(m));
            assert_memory_equal(ev.message, json_string_value(m), ev.message_len);
        }
        assert_int_equal(ev.has_timestamp, json_is_integer(t));
        if (ev.has_timestamp)
            assert_true(ev.timestamp == json_integer_value(t));
        assert_int_equal(ev.log_stream != NULL, json_is_string(s));
        if (ev.log_stream)
            assert_string_equal(ev.log_stream, json_string_value(s));
        assert_int_equal(ev.log_group != NULL, json_is_string(g));
        if (ev.log_group)
            assert_string_equal(ev.log_group, json_string_value(g));
    }
    json_decref(o);
    free(buf);
}

static void agree_s(const char *text) { agree(text, strlen(text)); }

static void test_real_event(void **state)
{
    const char *e = "{\"logStreamName\": \"2024/05/09/[$LATEST]abc1024\", \"timestamp\": "
                    "1712568068991, \"message\": \"REPORT RequestId: x\\tDuration: 1.00 ms\\t\\n\", "
                    "\"ingestionTime\": 1712568070017, \"eventId\": "
                    "\"00001544141707904000000130886135001961903807164184002560\"}";
    jevent ev;
    char *b;
    (void)state;
    assert_int_equal(parse_copy(e, strlen(e), &ev, &b), 1);
    assert_string_equal(ev.message, "REPORT RequestId: x\tDuration: 1.00 ms\t\n");
    assert_int_equal(ev.message_len, strlen("REPORT RequestId: x\tDuration: 1.00 ms\t\n"));
    assert_string_equal(ev.log_stream, "2024/05/09/[$LATEST]abc1024");
    assert_true(ev.timestamp == 1712568068991LL);
    assert_null(ev.log_group);
    free(b);
    agree_s(e);
}

static void test_escapes_and_utf8(void **state)
{
    jevent ev;
    char *b;
    const char *e = "{\"message\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00 \xc3\xa9\","
                    "\"timestamp\":-5}";
    (void)state;
    assert_int_equal(parse_copy(e, strlen(e), &ev, &b), 1);
    assert_string_equal(ev.message, "a\"b\\c/d\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xc3\xa9");
    assert_true(ev.timestamp == -5);
    free(b);
    agree_s(e);
}

static void test_declined(void **state)
{
    static const char *const no[] = {
        "",                                                    /* nothing */
        "[]",                                                  /* not an object */
        "{\"message\":\"x\",\"timestamp\":1.5}",               /* not an integer */
        "{\"message\":\"x\",\"timestamp\":1e3}",
        "{\"message\":{\"a\":1},\"timestamp\":1}",             /* nested */
        "{\"message\":\"x\",\"other\":[1],\"timestamp\":1}",
        "{\"message\":\"bad \xff\",\"timestamp\":1}",          /* invalid UTF-8 */
        "{\"message\":\"overlong \xc0\xaf\",\"timestamp\":1}",
        "{\"message\":\"surrogate \xed\xa0\x80\",\"timestamp\":1}",
        "{\"message\":\"\\ud800 lone\",\"timestamp\":1}",      /* lone surrogate */
        "{\"message\":\"\\udc00\",\"timestamp\":1}",
        "{\"message\":\"nul \\u0000\",\"timestamp\":1}",       /* jansson refuses NUL */
        "{\"message\":\"ctl \x01\",\"timestamp\":1}",          /* raw control byte */
        "{\"message\":\"x\",\"timestamp\":1,}",                /* trailing comma */
        "{\"message\":\"x\" \"timestamp\":1}",
        "{\"message\":\"x\",\"timestamp\":01}",                /* leading zero */
        "{\"message\":\"unterminated}",
        "{\"message\":\"x\",\"timestamp\":1} extra",
        "{\"message\":\"x\",\"timestamp\":12345678901234567890}", /* too big */
    };
    (void)state;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        jevent ev;
        char *b;
        if (parse_copy(no[i], strlen(no[i]), &ev, &b))
            fail_msg("accepted: %s", no[i]);
        free(b);
        agree_s(no[i]);
    }
}

static void test_missing_members(void **state)
{
    jevent ev;
    char *b;
    (void)state;
    assert_int_equal(parse_copy("{}", 2, &ev, &b), 1);
    assert_null(ev.message);
    assert_int_equal(ev.has_timestamp, 0);
    free(b);
    const char *other = " { \"id\" : \"x\" , \"n\" : null , \"t\" : true } ";
    assert_int_equal(parse_copy(other, strlen(other), &ev, &b), 1);
    assert_null(ev.message);
    free(b);
}

/* Deterministic mutations of real events, each judged by both parsers. */
static void test_differential(void **state)
{
    static const char *const seeds[] = {
        "{\"logStreamName\":\"2026/11/25/[$LATEST]0a\",\"timestamp\":1795575600000,"
        "\"message\":\"START RequestId: a-1 Version: $LATEST\\n\",\"ingestionTime\":1795575600300,"
        "\"eventId\":\"123\"}",
        "{\"logGroupName\":\"/aws/lambda/f\",\"message\":\"2026-11-25T03:00:00.000Z\\tid\\tINFO\\t"
        "{\\\"k\\\": \\\"\\u00e9\\\"}\\n\",\"timestamp\":1}",
        "{ \"timestamp\" : 7 , \"message\" : \"\xe2\x82\xac \\ud83d\\ude00\" }",
    };
    static const char alphabet[] = "{}[]\":,\\ntu0a9-.e \x01\x7f\xc3\xa9\xff\xed";
    uint64_t x = 88172645463325252ull;
    char buf[512];
    (void)state;

    for (int iter = 0; iter < 30000; iter++) {
        const char *seed = seeds[iter % 3];
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        int edits = 1 + iter % 4;
        for (int k = 0; k < edits; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            size_t at = x % n;
            char c = alphabet[(x >> 20) % (sizeof alphabet - 1)];
            switch ((x >> 40) % 3) {
            case 0: buf[at] = c; break;                                   /* replace */
            case 1: if (n < sizeof buf - 1) { memmove(buf + at + 1, buf + at, n - at); buf[at] = c; n++; } break;
            default: if (n > 1) { memmove(buf + at, buf + at + 1, n - at - 1); n--; } break;
            }
        }
        agree(buf, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_event),
        cmocka_unit_test(test_escapes_and_utf8),
        cmocka_unit_test(test_declined),
        cmocka_unit_test(test_missing_members),
        cmocka_unit_test(test_differential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
