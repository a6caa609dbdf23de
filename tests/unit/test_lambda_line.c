/* test_lambda_line.c — lambda_parse and lambda_kind_name (lambda_line.h).
 *
 * Covers every verbatim platform line of FORMATS.md §1.1–1.7 (START, END,
 * REPORT in all its shapes, INIT_START, INIT_REPORT, timeouts, runtime exits,
 * EXTENSION / TELEMETRY), then the edges: empty and malformed lines, bad
 * numbers, field order, unknown keys, application lines that look similar,
 * very long lines, and messages that are not NUL-terminated. Every message
 * is parsed from an exact-size heap copy without a NUL, so AddressSanitizer
 * reports any read past n. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "slices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/lambda_line.h"

/* The exact-size copy the current record points into. */
static char *g_msg;
static size_t g_msg_n;

static enum lambda_kind parse_n(const char *s, size_t n, lambda_record *r)
{
    free(g_msg);
    g_msg = malloc(n ? n : 1);
    assert_non_null(g_msg);
    memcpy(g_msg, s, n);
    g_msg_n = n;
    slice_base = g_msg; /* slices must point into the message */
    slice_base_n = n;
    return lambda_parse(g_msg, n, r);
}

static enum lambda_kind parse(const char *s, lambda_record *r)
{
    return parse_n(s, strlen(s), r);
}

static int free_msg(void **state)
{
    (void)state;
    free(g_msg);
    g_msg = NULL;
    g_msg_n = 0;
    return 0;
}


/* Checks the fields every well-formed record of a kind must have. */
static void assert_ok(const lambda_record *r, enum lambda_kind k)
{
    assert_int_equal(r->kind, k);
    assert_null(r->why);
}

static void assert_malformed(const lambda_record *r)
{
    assert_int_equal(r->kind, LAMBDA_MALFORMED);
    assert_non_null(r->why);
    assert_true(r->why[0] != '\0');
}

#define ID_A "c793869b-ee49-115b-a5b6-4fd21e8dedac"
#define ID_WARM "76269889-7d50-4d6d-a3f1-9b4f5322f47c"

/* §1.1 */
static void test_start_with_version(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("START RequestId: " ID_A " Version: $LATEST\n", &r), LAMBDA_START);
    assert_ok(&r, LAMBDA_START);
    assert_int_equal(r.request_id.n, 36);
    assert_slice(r.request_id, ID_A);
    assert_slice(r.version, "$LATEST");
    assert_int_equal(r.has, 0);
    assert_absent(r.status);

    assert_int_equal(parse("START RequestId: " ID_A " Version: 8", &r), LAMBDA_START);
    assert_slice(r.request_id, ID_A);
    assert_slice(r.version, "8");
}

static void test_start_without_version(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("START RequestId: a0537bcb-712d-11e4-8c97-af075a3c0929", &r),
                     LAMBDA_START);
    assert_ok(&r, LAMBDA_START);
    assert_slice(r.request_id, "a0537bcb-712d-11e4-8c97-af075a3c0929");
    assert_absent(r.version);

    /* short fake ids from fixtures are not rejected */
    assert_int_equal(parse("START RequestId: req-1 Version: $LATEST\r\n", &r), LAMBDA_START);
    assert_slice(r.request_id, "req-1");
    assert_slice(r.version, "$LATEST");
}

/* §1.2 */
static void test_end(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("END RequestId: " ID_A "\n", &r), LAMBDA_END);
    assert_ok(&r, LAMBDA_END);
    assert_slice(r.request_id, ID_A);
    assert_absent(r.version);
    assert_int_equal(r.has, 0);

    assert_int_equal(parse("END RequestId: " ID_A, &r), LAMBDA_END);
    assert_slice(r.request_id, ID_A);
}

/* §1.3 (a): the warm REPORT, with every line ending seen in exports. */
static void test_report_warm_endings(void **state)
{
    static const char *const lines[] = {
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: 15 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 67 MB\t\n",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: 15 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 67 MB\t",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: 15 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 67 MB",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: 15 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 67 MB\n",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: 15 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 67 MB\t\r\n",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: 15 ms\t"
        "Memory Size: 128 MB\tMax Memory Used: 67 MB\r\n",
        /* as AWS documentation pages render it: runs of spaces */
        "REPORT RequestId: " ID_WARM "  Duration: 14.97 ms      Billed Duration: 15 ms   "
        "Memory Size: 128 MB     Max Memory Used: 67 MB",
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        lambda_record r;
        assert_int_equal(parse(lines[i], &r), LAMBDA_REPORT);
        assert_ok(&r, LAMBDA_REPORT);
        assert_int_equal(r.request_id.n, 36);
        assert_slice(r.request_id, ID_WARM);
        assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY);
        assert_true(r.duration_ms == 14.97);
        assert_int_equal(r.billed_ms, 15);
        assert_int_equal(r.memory_mb, 128);
        assert_int_equal(r.max_memory_mb, 67);
        assert_int_equal(r.unknown_keys, 0);
        assert_absent(r.status);
        assert_absent(r.error_type);
        assert_absent(r.xray_trace_id);
    }
}

/* §1.3 (b): cold start with Init Duration and the X-Ray suffix. */
static void test_report_cold_xray(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("REPORT RequestId: " ID_A
                           "\tDuration: 128.83 ms\tBilled Duration: 200 ms"
                           "\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms"
                           "\tXRAY TraceId: 1-5d9d007f-0a8c7fd02xmpl480aed55ef0\t"
                           "SegmentId: 3d752xmpl1bbe37e\tSampled: true\n",
                           &r),
                     LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, ID_A);
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY | LR_INIT |
                                LR_XRAY_SAMPLED);
    assert_true(r.duration_ms == 128.83);
    assert_int_equal(r.billed_ms, 200);
    assert_int_equal(r.memory_mb, 128);
    assert_int_equal(r.max_memory_mb, 74);
    assert_true(r.init_ms == 166.62);
    assert_slice(r.xray_trace_id, "1-5d9d007f-0a8c7fd02xmpl480aed55ef0");
    assert_slice(r.xray_segment_id, "3d752xmpl1bbe37e");
    assert_int_equal(r.xray_sampled, 1);
    assert_int_equal(r.unknown_keys, 0);

    assert_int_equal(parse("REPORT RequestId: r1\tDuration: 1.00 ms\tXRAY TraceId: 1-a-b\t"
                           "SegmentId: 0123456789abcdef\tSampled: false\t",
                           &r),
                     LAMBDA_REPORT);
    assert_true((r.has & LR_XRAY_SAMPLED) != 0);
    assert_int_equal(r.xray_sampled, 0);
    assert_slice(r.xray_trace_id, "1-a-b");
}

/* §1.3 (a) and (d) as copied out of program strings: the separators are a
 * literal backslash-t (and the line ends in a literal \t\n), values intact. */
static void test_report_literal_escapes(void **state)
{
    lambda_record r;
    (void)state;

    /* §1.3 (a), the JS string literal from a Logs Insights result */
    assert_int_equal(parse("REPORT RequestId: 76269889-7d50-4d6d-a3f1-9b4f5322f47c\\tDuration: "
                           "14.97 ms\\tBilled Duration: 15 ms\\tMemory Size: 128 MB\\tMax Memory "
                           "Used: 67 MB\\t\\n",
                           &r),
                     LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "76269889-7d50-4d6d-a3f1-9b4f5322f47c");
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY);
    assert_true(r.duration_ms == 14.97);
    assert_int_equal(r.billed_ms, 15);
    assert_int_equal(r.memory_mb, 128);
    assert_int_equal(r.max_memory_mb, 67);
    assert_int_equal(r.unknown_keys, 0);

    /* §1.3 (d), the aws-lambda-power-tuning fixture: SnapStart fields */
    assert_int_equal(parse("REPORT RequestId: 55bc566d-1e2c-11e7-93e6-6705ceb4c1cc\\tDuration: "
                           "469.40 ms\\tBilled Duration: 500 ms\\tMemory Size: 1024 MB\\tMax "
                           "Memory Used: 21 MB\\tRestore Duration: 474.16 ms\\tBilled Restore "
                           "Duration: 75 ms",
                           &r),
                     LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "55bc566d-1e2c-11e7-93e6-6705ceb4c1cc");
    assert_true(r.restore_ms == 474.16);
    assert_int_equal(r.billed_restore_ms, 75);
    assert_int_equal(r.unknown_keys, 0);

    /* a status at the end keeps its value without the escape */
    assert_int_equal(parse("REPORT RequestId: x1\\tDuration: 6954.19 ms\\tStatus: error\\t"
                           "Error Type: Runtime.OutOfMemory\\t\\n",
                           &r),
                     LAMBDA_REPORT);
    assert_slice(r.status, "error");
    assert_slice(r.error_type, "Runtime.OutOfMemory");

    /* §15.2: the XRAY part after a newline, real or escaped */
    assert_int_equal(parse("REPORT RequestId: 780baab8-54f3-4e91-bb8b-7936613f03d4\tDuration: "
                           "5262.18 ms\tBilled Duration: 5263 ms\tMemory Size: 128 MB\tMax Memory "
                           "Used: 122 MB\tInit Duration: 380.85 ms\t\nXRAY TraceId: "
                           "1-605dbc0e-0a12f59838700d840275d1cc\tSegmentId: 08026845304e5069\t"
                           "Sampled: true\t\n",
                           &r),
                     LAMBDA_REPORT);
    assert_true(r.init_ms == 380.85);
    assert_slice(r.xray_trace_id, "1-605dbc0e-0a12f59838700d840275d1cc");
    assert_slice(r.xray_segment_id, "08026845304e5069");
    assert_int_equal(r.xray_sampled, 1);
    assert_int_equal(parse("REPORT RequestId: r9\\tDuration: 1.50 ms\\t\\nXRAY TraceId: 1-a-b\\t"
                           "SegmentId: 0123456789abcdef\\tSampled: true\\t\\n",
                           &r),
                     LAMBDA_REPORT);
    assert_true(r.duration_ms == 1.5);
    assert_slice(r.xray_trace_id, "1-a-b");
    assert_int_equal(r.unknown_keys, 0);

    /* a backslash followed by anything else stays part of the word */
    assert_int_equal(parse("REPORT RequestId: a\\xb\tDuration: 1.00 ms", &r), LAMBDA_REPORT);
    assert_slice(r.request_id, "a\\xb");
    assert_int_equal(parse("REPORT RequestId: r\tDuration: 1.0\\q ms", &r), LAMBDA_MALFORMED);
}

/* §15.1: SnapStart's RESTORE_START has INIT_START's layout (its TAB a
 * space in the console copy); RESTORE_REPORT is a platform line without a row. */
static void test_restore_lines(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("RESTORE_START Runtime Version: java:21.v38 Runtime Version ARN: "
                           "arn:aws:lambda:ap-southeast-2::runtime:81e4ff5669ca00936ae2ebcd7e3ee4"
                           "b820d9f1dec101bbabbb706dc9e1481298",
                           &r),
                     LAMBDA_INIT_START);
    assert_slice(r.runtime_version, "java:21.v38");
    assert_slice(r.runtime_arn, "arn:aws:lambda:ap-southeast-2::runtime:81e4ff5669ca00936ae2ebcd7e3"
                                "ee4b820d9f1dec101bbabbb706dc9e1481298");
    assert_int_equal(parse("RESTORE_REPORT Restore Duration: 789.64 ms", &r), LAMBDA_EXTENSION);
    assert_true(r.restore_ms == 789.64);
    assert_int_equal(parse("RESTORE_STARTED something", &r), LAMBDA_OTHER);
}

/* §1.3 (b), golang-logging.md: cold start with a trailing tab. */
static void test_report_cold_trailing_tab(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("REPORT RequestId: dbda340c-xmpl-4031-8810-11bb609b4c71\tDuration: 38.66 ms"
              "\tBilled Duration: 39 ms\tMemory Size: 128 MB\tMax Memory Used: 54 MB\t"
              "Init Duration: 203.69 ms\t",
              &r),
        LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "dbda340c-xmpl-4031-8810-11bb609b4c71");
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY | LR_INIT);
    assert_true(r.duration_ms == 38.66);
    assert_int_equal(r.billed_ms, 39);
    assert_int_equal(r.max_memory_mb, 54);
    assert_true(r.init_ms == 203.69);
}

/* §1.3 (c): custom runtime, single spaces everywhere. */
static void test_report_custom_runtime_spaces(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("REPORT RequestId: 89ba7dfa-72d1-4ad7-9dac-2214d1698697 Duration: 4.42 ms "
              "Billed Duration: 338 ms Memory Size: 1152 MB Max Memory Used: 75 MB "
              "Init Duration: 333.05 ms",
              &r),
        LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "89ba7dfa-72d1-4ad7-9dac-2214d1698697");
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY | LR_INIT);
    assert_true(r.duration_ms == 4.42);
    assert_int_equal(r.billed_ms, 338);
    assert_int_equal(r.memory_mb, 1152);
    assert_int_equal(r.max_memory_mb, 75);
    assert_true(r.init_ms == 333.05);
    assert_int_equal(r.unknown_keys, 0);
}

/* §1 general rules: one AWS doc example has a space before a tab. */
static void test_report_stray_space(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("REPORT RequestId: 3604209a-e9a3-11e6-939a-754dd98c7be3\tDuration: 26.97 ms"
              "\tBilled Duration: 27 ms \tMemory Size: 128 MB\tMax Memory Used: 19 MB \t\n",
              &r),
        LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "3604209a-e9a3-11e6-939a-754dd98c7be3");
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY);
    assert_true(r.duration_ms == 26.97);
    assert_int_equal(r.billed_ms, 27);
    assert_int_equal(r.memory_mb, 128);
    assert_int_equal(r.max_memory_mb, 19);
    assert_int_equal(r.unknown_keys, 0);
}

/* §1.3 (d): SnapStart restore fields instead of Init Duration. */
static void test_report_snapstart(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("REPORT RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763\tDuration: 2338.66 ms"
              "\tBilled Duration: 2521 ms\tMemory Size: 3009 MB\tMax Memory Used: 173 MB"
              "\tRestore Duration: 398.97 ms\tBilled Restore Duration: 182 ms\t",
              &r),
        LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "8c360c87-d4b7-4423-b5f3-af02be3c1763");
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY | LR_RESTORE |
                                LR_BILLED_RESTORE);
    assert_true(r.duration_ms == 2338.66);
    assert_int_equal(r.billed_ms, 2521);
    assert_int_equal(r.memory_mb, 3009);
    assert_int_equal(r.max_memory_mb, 173);
    assert_true(r.restore_ms == 398.97);
    assert_int_equal(r.billed_restore_ms, 182);

    /* aws-lambda-power-tuning fixture: no trailing tab */
    assert_int_equal(
        parse("REPORT RequestId: 55bc566d-1e2c-11e7-93e6-6705ceb4c1cc\tDuration: 469.40 ms"
              "\tBilled Duration: 500 ms\tMemory Size: 1024 MB\tMax Memory Used: 21 MB"
              "\tRestore Duration: 474.16 ms\tBilled Restore Duration: 75 ms",
              &r),
        LAMBDA_REPORT);
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY | LR_RESTORE |
                                LR_BILLED_RESTORE);
    assert_true(r.duration_ms == 469.40);
    assert_int_equal(r.billed_ms, 500);
    assert_int_equal(r.memory_mb, 1024);
    assert_int_equal(r.max_memory_mb, 21);
    assert_true(r.restore_ms == 474.16);
    assert_int_equal(r.billed_restore_ms, 75);
}

/* §1.3 (e): Status error + Error Type, tab and double-space forms. */
static void test_report_status_error(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("REPORT RequestId: 806ab12b-e660-4a4a-8d9a-eee01e457f98\t"
              "Duration: 376256.59 ms\tBilled Duration: 376257 ms\tMemory Size: 10239 MB"
              "\tMax Memory Used: 10239 MB\tInit Duration: 551.73 ms\tStatus: error\t"
              "Error Type: Runtime.OutOfMemory\n",
              &r),
        LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "806ab12b-e660-4a4a-8d9a-eee01e457f98");
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY | LR_INIT);
    assert_true(r.duration_ms == 376256.59);
    assert_int_equal(r.billed_ms, 376257);
    assert_int_equal(r.memory_mb, 10239);
    assert_int_equal(r.max_memory_mb, 10239);
    assert_true(r.init_ms == 551.73);
    assert_slice(r.status, "error");
    assert_slice(r.error_type, "Runtime.OutOfMemory");
    assert_int_equal(r.unknown_keys, 0);

    assert_int_equal(
        parse("REPORT RequestId: fa4e6a1f-083b-573d-ace2-090d2b00a3ac  Duration: 6954.19 ms"
              "  Billed Duration: 6955 ms  Memory Size: 1024 MB  Max Memory Used: 1023 MB"
              "  Status: error  Error Type: Runtime.OutOfMemory",
              &r),
        LAMBDA_REPORT);
    assert_slice(r.request_id, "fa4e6a1f-083b-573d-ace2-090d2b00a3ac");
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY);
    assert_true(r.duration_ms == 6954.19);
    assert_int_equal(r.billed_ms, 6955);
    assert_int_equal(r.max_memory_mb, 1023);
    assert_slice(r.status, "error");
    assert_slice(r.error_type, "Runtime.OutOfMemory");
}

/* §1.3 (e): the timeout variant has no Billed Duration or Memory Size. */
static void test_report_timeout_variant(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("REPORT RequestId: 22a3f9a9-...  Duration: 120000 ms   "
                           "Max Memory Used: 512 MB  Status: timeout",
                           &r),
                     LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "22a3f9a9-...");
    assert_int_equal(r.has, LR_DURATION | LR_MAX_MEMORY);
    assert_true(r.duration_ms == 120000.0);
    assert_int_equal(r.max_memory_mb, 512);
    assert_slice(r.status, "timeout");
    assert_absent(r.error_type);

    assert_int_equal(parse("REPORT RequestId: " ID_A
                           "\tDuration: 3001.50 ms\tBilled Duration: 3000 ms"
                           "\tMemory Size: 128 MB\tMax Memory Used: 88 MB\tStatus: timeout\t\n",
                           &r),
                     LAMBDA_REPORT);
    assert_true(r.duration_ms == 3001.50);
    assert_int_equal(r.billed_ms, 3000);
    assert_slice(r.status, "timeout");
}

/* §1.4 */
static void test_init_start(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("INIT_START Runtime Version: python:3.11.v29\tRuntime Version ARN: "
              "arn:aws:lambda:us-east-1::runtime:2fb93380dac14772d30092f109b1784b5173984"
              "58eef71a3f757425231fe6769\n",
              &r),
        LAMBDA_INIT_START);
    assert_ok(&r, LAMBDA_INIT_START);
    assert_slice(r.runtime_version, "python:3.11.v29");
    assert_slice(r.runtime_arn, "arn:aws:lambda:us-east-1::runtime:2fb93380dac14772d30092f109b1784"
                                "b517398458eef71a3f757425231fe6769");
    assert_absent(r.request_id);

    /* tabs rendered as spaces by a terminal */
    assert_int_equal(
        parse("INIT_START Runtime Version: python:3.11.v18    Runtime Version ARN: "
              "arn:aws:lambda:sa-east-1::runtime:6ebff6b58cf714d30879a40cc31554cd1bbc242"
              "da7bf75a000bc0c3052c6ebbc",
              &r),
        LAMBDA_INIT_START);
    assert_slice(r.runtime_version, "python:3.11.v18");
    assert_slice(r.runtime_arn, "arn:aws:lambda:sa-east-1::runtime:6ebff6b58cf714d30879a40cc31554cd"
                                "1bbc242da7bf75a000bc0c3052c6ebbc");

    assert_int_equal(parse("INIT_START Runtime Version: nodejs:20.v13\tRuntime Version ARN: "
                           "arn:aws:lambda:eu-west-1::runtime:abc\r\n",
                           &r),
                     LAMBDA_INIT_START);
    assert_slice(r.runtime_version, "nodejs:20.v13");
    assert_slice(r.runtime_arn, "arn:aws:lambda:eu-west-1::runtime:abc");

    assert_int_equal(parse("INIT_START Runtime Version: provided:al2.v41", &r), LAMBDA_INIT_START);
    assert_slice(r.runtime_version, "provided:al2.v41");
    assert_absent(r.runtime_arn);
}

/* §1.5: every INIT_REPORT shape. */
static void test_init_report_variants(void **state)
{
    static const struct {
        const char *line;
        double init_ms;
        const char *phase, *status, *error_type; /* NULL: absent */
    } cases[] = {
        {"INIT_REPORT Init Duration: 150.79 ms\tPhase: init\tStatus: error\t"
         "Error Type: Runtime.UserCodeSyntaxError",
         150.79, "init", "error", "Runtime.UserCodeSyntaxError"},
        {"INIT_REPORT Init Duration: 1882.55 ms\tPhase: init\tStatus: error\t"
         "Error Type: Runtime.ImportModuleError\n",
         1882.55, "init", "error", "Runtime.ImportModuleError"},
        {"INIT_REPORT Init Duration: 1670.77 ms   Phase: init     Status: error   "
         "Error Type: Runtime.Unknown",
         1670.77, "init", "error", "Runtime.Unknown"},
        {"INIT_REPORT Init Duration: 1712.41 ms   Phase: invoke   Status: error   "
         "Error Type: Runtime.Unknown",
         1712.41, "invoke", "error", "Runtime.Unknown"},
        {"INIT_REPORT Init Duration: 10007.33 ms  Phase: init  Status: timeout", 10007.33, "init",
         "timeout", NULL},
        {"INIT_REPORT Init Duration: 10.17 ms Phase: init Status: error   "
         "Error Type: Runtime.ExitError",
         10.17, "init", "error", "Runtime.ExitError"},
        {"INIT_REPORT Init Duration: 9908.09 ms", 9908.09, NULL, NULL, NULL},
        {"INIT_REPORT Init Duration: 9908.09 ms\t\r\n", 9908.09, NULL, NULL, NULL},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lambda_record r;
        assert_int_equal(parse(cases[i].line, &r), LAMBDA_INIT_REPORT);
        assert_ok(&r, LAMBDA_INIT_REPORT);
        assert_int_equal(r.has, LR_INIT);
        assert_true(r.init_ms == cases[i].init_ms);
        if (cases[i].phase)
            assert_slice(r.phase, cases[i].phase);
        else
            assert_absent(r.phase);
        if (cases[i].status)
            assert_slice(r.status, cases[i].status);
        else
            assert_absent(r.status);
        if (cases[i].error_type)
            assert_slice(r.error_type, cases[i].error_type);
        else
            assert_absent(r.error_type);
        assert_int_equal(r.unknown_keys, 0);
    }
}

static void test_init_report_without_duration(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("INIT_REPORT Phase: init\tStatus: error", &r), LAMBDA_MALFORMED);
    assert_malformed(&r);
}

/* §1.7: timeouts with and without the ISO + request id prefix. */
static void test_timeout_lines(void **state)
{
    static const struct {
        const char *line;
        const char *id; /* NULL: absent */
        double secs;
    } cases[] = {
        {"2019-02-13T20:12:38.950Z 41a10717-e9af-11e7-892c-5bb1a4054ed6 Task timed out after "
         "300.09 seconds",
         "41a10717-e9af-11e7-892c-5bb1a4054ed6", 300.09},
        {"2019-02-13T20:12:38.950Z\t41a10717-e9af-11e7-892c-5bb1a4054ed6\tTask timed out after "
         "300.09 seconds\n",
         "41a10717-e9af-11e7-892c-5bb1a4054ed6", 300.09},
        {"2024-05-09T10:00:03.051Z\t" ID_A "\tTask timed out after 3.05 seconds\r\n", ID_A, 3.05},
        {"Task timed out after 10.00 seconds", NULL, 10.00},
        {"Task timed out after 3.05 seconds\n", NULL, 3.05},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lambda_record r;
        assert_int_equal(parse(cases[i].line, &r), LAMBDA_TIMEOUT);
        assert_ok(&r, LAMBDA_TIMEOUT);
        assert_true((r.has & LR_TIMEOUT_S) != 0);
        assert_true(r.timeout_s == cases[i].secs);
        if (cases[i].id)
            assert_slice(r.request_id, cases[i].id);
        else
            assert_absent(r.request_id);
    }
}

/* §1.7: runtime exits, including Runtime.ExitError after a newline. */
static void test_runtime_exit(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("RequestId: 43e50939ce8c Error: Runtime exited with error: signal: killed "
              "Runtime.ExitError",
              &r),
        LAMBDA_RUNTIME_EXIT);
    assert_ok(&r, LAMBDA_RUNTIME_EXIT);
    assert_slice(r.request_id, "43e50939ce8c");
    assert_slice(r.error_type, "Runtime.ExitError");

    assert_int_equal(
        parse("RequestId: 43e50939ce8c Error: Runtime exited with error: signal: killed\n"
              "Runtime.ExitError\n",
              &r),
        LAMBDA_RUNTIME_EXIT);
    assert_slice(r.request_id, "43e50939ce8c");
    assert_slice(r.error_type, "Runtime.ExitError");

    assert_int_equal(parse("RequestId: req-1 Error: Runtime exited without providing a reason "
                           "Runtime.ExitError\n",
                           &r),
                     LAMBDA_RUNTIME_EXIT);
    assert_slice(r.request_id, "req-1");
    assert_slice(r.error_type, "Runtime.ExitError");

    /* No error type written: the header leaves it open whether one is
     * implied, but an implied one can only be Runtime.ExitError. */
    assert_int_equal(parse("RequestId: 00c4bc44-e48e-4e7d-ab38-a47800cd734b Error: Runtime exited "
                           "with error: exit status 1",
                           &r),
                     LAMBDA_RUNTIME_EXIT);
    assert_ok(&r, LAMBDA_RUNTIME_EXIT);
    assert_slice(r.request_id, "00c4bc44-e48e-4e7d-ab38-a47800cd734b");
    if (r.error_type.p) {
        assert_int_equal(r.error_type.n, 17);
        assert_memory_equal(r.error_type.p, "Runtime.ExitError", 17);
    }

    assert_int_equal(parse("RequestId: 7f1f7ac2-6b5e-11e6-b7d3-2b1d3ecf1a4d Process exited before "
                           "completing request\n",
                           &r),
                     LAMBDA_RUNTIME_EXIT);
    assert_ok(&r, LAMBDA_RUNTIME_EXIT);
    assert_slice(r.request_id, "7f1f7ac2-6b5e-11e6-b7d3-2b1d3ecf1a4d");
}

/* §1.6 */
static void test_extension_telemetry(void **state)
{
    static const struct {
        const char *line, *name;
    } cases[] = {
        {"EXTENSION\tName: AWSParametersAndSecretsLambdaExtension\tState: Ready\t"
         "Events: [SHUTDOWN, INVOKE]",
         "AWSParametersAndSecretsLambdaExtension"},
        {"EXTENSION\tName: lambda-adapter\tState: Ready\tEvents: []\n", "lambda-adapter"},
        {"EXTENSION\tName: bootstrap\tState: Ready\tEvents: [INVOKE, SHUTDOWN]", "bootstrap"},
        {"TELEMETRY\tName: datadog-agent\tState: Subscribed\tTypes: [Platform, Function, "
         "Extension]",
         "datadog-agent"},
        {"EXTENSION\tName: datadog-agent\tState: Ready\tEvents: [INVOKE,SHUTDOWN]\r\n",
         "datadog-agent"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lambda_record r;
        assert_int_equal(parse(cases[i].line, &r), LAMBDA_EXTENSION);
        assert_ok(&r, LAMBDA_EXTENSION);
        assert_slice(r.name, cases[i].name);
    }
}

static void test_empty_message(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse_n("", 0, &r), LAMBDA_OTHER);
    assert_int_equal(r.kind, LAMBDA_OTHER);
    assert_int_equal(r.has, 0);
    assert_absent(r.request_id);
    assert_int_equal(parse("\n", &r), LAMBDA_OTHER);
    assert_int_equal(parse("\r\n", &r), LAMBDA_OTHER);
}

static void test_report_malformed(void **state)
{
    static const char *const lines[] = {
        "REPORT RequestId:",
        "REPORT RequestId:\n",
        "REPORT RequestId: \t\n",
        /* no Duration */
        "REPORT RequestId: " ID_WARM "\tBilled Duration: 15 ms\tMemory Size: 128 MB\t"
        "Max Memory Used: 67 MB\t",
        /* bad numbers */
        "REPORT RequestId: " ID_WARM "\tDuration: 14.9x ms\tBilled Duration: 15 ms\t",
        "REPORT RequestId: " ID_WARM "\tDuration: fast ms\tBilled Duration: 15 ms\t",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: x15 ms\t",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tMemory Size: 1.5 MB\t",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tMax Memory Used: -3 MB\t",
        "REPORT RequestId: " ID_WARM "\tDuration: -1.00 ms\t",
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tInit Duration: ms\t",
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        lambda_record r;
        if (parse(lines[i], &r) != LAMBDA_MALFORMED)
            fail_msg("case %zu: kind %s, expected malformed", i, lambda_kind_name(r.kind));
        assert_malformed(&r);
    }
}

/* REPORT numbers are plain decimals ("<float, 2 decimals> ms", "<int> MB"):
 * infinities, NaN, hex floats and overflowing exponents cannot be read. */
static void test_report_non_decimal_numbers(void **state)
{
    static const char *const lines[] = {
        "REPORT RequestId: r\tDuration: inf ms\t",
        "REPORT RequestId: r\tDuration: INF ms\t",
        "REPORT RequestId: r\tDuration: infinity ms\t",
        "REPORT RequestId: r\tDuration: nan ms\t",
        "REPORT RequestId: r\tDuration: 1e999 ms\t",
        "REPORT RequestId: r\tDuration: 0x1p4 ms\t",
        "REPORT RequestId: r\tDuration: 1.00 ms\tMemory Size: 0x80 MB\t",
        "REPORT RequestId: r\tDuration: 1.00 ms\tInit Duration: inf ms\t",
        /* out of range for an integer field (the cast must not be undefined) */
        "REPORT RequestId: r\tDuration: 1.00 ms\tBilled Duration: 1e300 ms\t",
    };
    (void)state;

    char bad[1024] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        lambda_record r;
        enum lambda_kind k = parse(lines[i], &r);
        if (k == LAMBDA_MALFORMED) {
            assert_malformed(&r);
            continue;
        }
        int w = snprintf(bad + used, sizeof bad - used,
                         "\n  \"%s\": %s (duration %g, memory %lld, init %g)", lines[i],
                         lambda_kind_name(k), r.duration_ms, r.memory_mb, r.init_ms);
        if (w > 0 && (size_t)w < sizeof bad - used)
            used += (size_t)w;
    }
    if (used)
        fail_msg("read as numbers, expected malformed:%s", bad);
}

static void test_start_end_malformed(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("START RequestId:", &r), LAMBDA_MALFORMED);
    assert_malformed(&r);
    assert_int_equal(parse("END RequestId:\n", &r), LAMBDA_MALFORMED);
    assert_malformed(&r);
}

static void test_report_field_order(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("REPORT RequestId: " ID_WARM
                           "\tMax Memory Used: 67 MB\tInit Duration: 5.5 ms"
                           "\tMemory Size: 128 MB\tStatus: error\tBilled Duration: 15 ms\t"
                           "Error Type: Runtime.Unknown\tDuration: 14.97 ms\t\n",
                           &r),
                     LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, ID_WARM);
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY | LR_INIT);
    assert_true(r.duration_ms == 14.97);
    assert_true(r.init_ms == 5.5);
    assert_int_equal(r.billed_ms, 15);
    assert_int_equal(r.memory_mb, 128);
    assert_int_equal(r.max_memory_mb, 67);
    assert_slice(r.status, "error");
    assert_slice(r.error_type, "Runtime.Unknown");
}

static void test_report_unknown_keys(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: 15 ms"
              "\tFrobnication Level: 9 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t",
              &r),
        LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_int_equal(r.unknown_keys, 1);
    assert_int_equal(r.has, LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY);
    assert_true(r.duration_ms == 14.97);
    assert_int_equal(r.billed_ms, 15);
    assert_int_equal(r.memory_mb, 128);
    assert_int_equal(r.max_memory_mb, 67);

    assert_int_equal(parse("REPORT RequestId: " ID_WARM "\tShiny: yes\tDuration: 14.97 ms\t"
                           "Billed Duration: 15 ms\tQuux: 3 MB\t",
                           &r),
                     LAMBDA_REPORT);
    assert_int_equal(r.unknown_keys, 2);
    assert_true(r.duration_ms == 14.97);
    assert_int_equal(r.billed_ms, 15);
}

/* A record is overwritten entirely, not merged with the previous one. */
static void test_record_reset(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("REPORT RequestId: " ID_WARM
                           "\tDuration: 1.5 ms\tUnknown: 1\tStatus: error"
                           "\tError Type: Runtime.Unknown",
                           &r),
                     LAMBDA_REPORT);
    assert_int_equal(parse("END RequestId: " ID_A, &r), LAMBDA_END);
    assert_int_equal(r.has, 0);
    assert_int_equal(r.unknown_keys, 0);
    assert_absent(r.status);
    assert_absent(r.error_type);
    assert_null(r.why);

    assert_int_equal(parse("REPORT RequestId:", &r), LAMBDA_MALFORMED);
    assert_int_equal(parse("hello", &r), LAMBDA_OTHER);
    assert_null(r.why);
    assert_absent(r.request_id);
}

static void test_application_lines(void **state)
{
    static const char *const lines[] = {
        "2019-06-07T19:11:20.563Z\t" ID_A "\tINFO\tmsg",
        "2019-06-07T19:11:20.563Z\t" ID_A "\tINFO\tmsg\n",
        "[INFO]\t2023-11-02T10:00:00.123Z\t" ID_A "\thello from python",
        "2019-06-07T19:11:20.563Z\t" ID_A "\tERROR\tTask timed out after 3.00 seconds",
        "retrying because: Task timed out after 3.00 seconds",
        "12 attempts failed; last one said Task timed out after 3.00 seconds",
        "hello world",
        "START of the nightly job",
        "STARTRequestId: x",
        "REPORTING RequestId: x Duration: 1 ms",
        "ENDPOINT https://example.com",
        "EXTENSIONS are loaded",
        "TELEMETRYNAME: x",
        "INIT_STARTED python",
        "{\"level\":\"info\",\"message\":\"REPORT RequestId: x\"}",
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        lambda_record r;
        if (parse(lines[i], &r) != LAMBDA_OTHER)
            fail_msg("\"%s\": kind %s, expected other", lines[i], lambda_kind_name(r.kind));
        assert_null(r.why);
    }
}

/* Deterministic pseudo-random bytes (no dependence on rand()). */
static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void test_very_long_lines(void **state)
{
    const size_t n = 1u << 20;
    char *big = malloc(n);
    lambda_record r;
    uint32_t seed = 12345;
    (void)state;

    assert_non_null(big);

    /* printable garbage with tabs and colons */
    for (size_t i = 0; i < n; i++) {
        uint32_t v = lcg(&seed) % 100;
        big[i] = v < 5 ? '\t' : v < 10 ? ':' : (char)(' ' + v % 95);
    }
    big[0] = '#';
    assert_int_equal(parse_n(big, n, &r), LAMBDA_OTHER);

    /* a timestamped line that mentions a timeout after many words */
    for (size_t i = 0; i < n; i++)
        big[i] = i % 10 == 9 ? ' ' : 'x';
    memcpy(big, "2019-02-13T20:12:38.950Z ", 25);
    memcpy(big + 600, " Task timed out after 3.00 seconds", 34);
    assert_int_equal(parse_n(big, n, &r), LAMBDA_OTHER);

    /* a REPORT prefix followed by one enormous word */
    memset(big, 'a', n);
    memcpy(big, "REPORT RequestId: ", 18);
    assert_int_equal(parse_n(big, n, &r), LAMBDA_MALFORMED);
    assert_malformed(&r);

    /* a valid REPORT whose fields are separated by a megabyte of blanks */
    memset(big, '\t', n);
    memcpy(big, "REPORT RequestId: abc", 21);
    memcpy(big + n - 40, "Duration: 1.5 ms  Billed Duration: 2 ms", 39);
    assert_int_equal(parse_n(big, n, &r), LAMBDA_REPORT);
    assert_slice(r.request_id, "abc");
    assert_true(r.duration_ms == 1.5);
    assert_int_equal(r.billed_ms, 2);

    free(big);
}

/* n ends inside "Duration: 14.97": the parser must read only n bytes, so
 * the value is the truncated one (or the line is malformed), never 14.97. */
static void test_not_nul_terminated(void **state)
{
    static const char buf[] =
        "REPORT RequestId: " ID_WARM "\tDuration: 14.97 ms\tBilled Duration: 15 ms"
        "\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t\n";
    static const struct {
        const char *upto; /* the message ends right after this text */
        double value;     /* the duration it may yield; < 0: must be malformed */
    } cuts[] = {
        {"\tD", -1},
        {"\tDuration", -1},
        {"\tDuration:", -1},
        {"\tDuration: ", -1},
        {"\tDuration: 1", 1},
        {"\tDuration: 14", 14},
        {"\tDuration: 14.", 14},
        {"\tDuration: 14.9", 14.9},
        {"\tDuration: 14.97", 14.97},
    };
    const char *dur = strstr(buf, "\tDuration");
    (void)state;

    assert_non_null(dur);
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        size_t n = (size_t)(dur - buf) + strlen(cuts[i].upto);
        lambda_record r;

        /* in place, inside the bigger buffer */
        enum lambda_kind k = lambda_parse(buf, n, &r);
        if (cuts[i].value < 0) {
            if (k != LAMBDA_MALFORMED)
                fail_msg("cut after '%s': kind %s", cuts[i].upto, lambda_kind_name(k));
        } else if (k == LAMBDA_REPORT) {
            if (r.duration_ms != cuts[i].value)
                fail_msg("cut after '%s': duration %.17g", cuts[i].upto, r.duration_ms);
        } else {
            assert_int_equal(k, LAMBDA_MALFORMED);
        }
        assert_true((r.has & (LR_BILLED | LR_MEMORY | LR_MAX_MEMORY)) == 0);
        if (r.request_id.p)
            assert_true(r.request_id.p + r.request_id.n <= buf + n);

        /* from an exact-size copy: ASan catches any read past n */
        assert_int_equal(parse_n(buf, n, &r), k);
    }

    /* a START whose slice ends right after the request id */
    {
        static const char start[] = "START RequestId: abc Version: $LATEST";
        lambda_record r;
        assert_int_equal(lambda_parse(start, 20, &r), LAMBDA_START);
        assert_int_equal(r.request_id.n, 3);
        assert_memory_equal(r.request_id.p, "abc", 3);
        assert_absent(r.version);
    }

    /* a timeout whose slice ends in the middle of its seconds */
    {
        static const char to[] = "Task timed out after 300.09 seconds";
        lambda_record r;
        assert_int_equal(lambda_parse(to, 24, &r), LAMBDA_TIMEOUT);
        if (r.has & LR_TIMEOUT_S)
            assert_true(r.timeout_s == 300.0);
    }
}

static void test_number_precision(void **state)
{
    static const struct {
        const char *text;
        double value;
    } cases[] = {
        {"0.01", 0.01},
        {"0.1", 0.1},
        {"14.97", 14.97},
        {"128.83", 128.83},
        {"376256.59", 376256.59},
        {"1", 1.0},
        {"0", 0.0},
        {"3001.50", 3001.5},
        {"99999999.99", 99999999.99},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[128];
        lambda_record r;
        snprintf(line, sizeof line, "REPORT RequestId: x\tDuration: %s ms\t", cases[i].text);
        assert_int_equal(parse(line, &r), LAMBDA_REPORT);
        if (r.duration_ms != cases[i].value)
            fail_msg("Duration %s read as %.17g", cases[i].text, r.duration_ms);
    }
}

static void test_kind_names(void **state)
{
    (void)state;

    assert_string_equal(lambda_kind_name(LAMBDA_REPORT), "report");
    assert_string_equal(lambda_kind_name(LAMBDA_START), "start");
    for (int k = 0; k < LAMBDA_KIND_COUNT; k++) {
        const char *a = lambda_kind_name((enum lambda_kind)k);
        assert_non_null(a);
        assert_true(a[0] != '\0');
        assert_true(strlen(a) < 32);
        for (const char *c = a; *c; c++)
            assert_true((*c >= 'a' && *c <= 'z') || *c == '_');
        for (int j = 0; j < k; j++)
            assert_string_not_equal(a, lambda_kind_name((enum lambda_kind)j));
    }
}

#define T(f) cmocka_unit_test_teardown(f, free_msg)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_start_with_version),
        T(test_start_without_version),
        T(test_end),
        T(test_report_warm_endings),
        T(test_report_cold_xray),
        T(test_report_literal_escapes),
        T(test_restore_lines),
        T(test_report_cold_trailing_tab),
        T(test_report_custom_runtime_spaces),
        T(test_report_stray_space),
        T(test_report_snapstart),
        T(test_report_status_error),
        T(test_report_timeout_variant),
        T(test_init_start),
        T(test_init_report_variants),
        T(test_init_report_without_duration),
        T(test_timeout_lines),
        T(test_runtime_exit),
        T(test_extension_telemetry),
        T(test_empty_message),
        T(test_report_malformed),
        T(test_report_non_decimal_numbers),
        T(test_start_end_malformed),
        T(test_report_field_order),
        T(test_report_unknown_keys),
        T(test_record_reset),
        T(test_application_lines),
        T(test_very_long_lines),
        T(test_not_nul_terminated),
        T(test_number_precision),
        T(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
