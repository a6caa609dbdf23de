/* test_lambda_json.c — lambda_json_parse and lambda_json_doc_release (lambda_json.h).
 *
 * Covers every verbatim platform event of FORMATS.md §2.1, the §2.2 schema
 * examples made valid, status / errorType / tracing, malformed events, the
 * messages that are not platform events at all (application JSON, EMF,
 * plain text, invalid JSON), unknown platform types, and the equivalence
 * with the text parser: a text line and its JSON twin give the same kind,
 * has bits and values. Messages are parsed from exact-size heap copies
 * without a NUL, so AddressSanitizer reports any read past n. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "slices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/lambda_json.h"
#include "mrb/lambda_line.h"

static char *g_msg;
static lambda_json_doc g_doc;

static enum lambda_kind parse_n(const char *s, size_t n, lambda_record *r)
{
    lambda_json_doc_release(&g_doc);
    free(g_msg);
    g_msg = malloc(n ? n : 1);
    assert_non_null(g_msg);
    memcpy(g_msg, s, n);
    return lambda_json_parse(g_msg, n, r, &g_doc);
}

static enum lambda_kind parse(const char *s, lambda_record *r)
{
    return parse_n(s, strlen(s), r);
}

static int cleanup(void **state)
{
    (void)state;
    lambda_json_doc_release(&g_doc);
    free(g_msg);
    g_msg = NULL;
    return 0;
}


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

#define RID "d661f7cf-9208-46b9-85b0-213b04a91065"
#define ALL4 (LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY)

/* §2.1, first line */
static void test_verbatim_start(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("{\"time\":\"2024-02-09T08:42:44.078Z\",\"type\":\"platform.start\","
                           "\"record\":{\"requestId\":\"" RID "\",\"version\":\"8\"}}",
                           &r),
                     LAMBDA_START);
    assert_ok(&r, LAMBDA_START);
    assert_slice(r.request_id, RID);
    assert_slice(r.version, "8");
    assert_int_equal(r.has, 0);
    assert_int_equal(r.xray_sampled, -1);
    assert_absent(r.status);
    assert_non_null(g_doc.json);
}

/* §2.1, second line: runtimeDone is counted, not a row. */
static void test_verbatim_runtime_done(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("{\"time\":\"2024-02-09T08:42:44.079Z\",\"type\":\"platform.runtimeDone\","
              "\"record\":{\"requestId\":\"" RID "\",\"status\":\"success\",\"spans\":[{\"name\":"
              "\"responseLatency\",\"start\":\"2024-02-09T08:42:44.078Z\",\"durationMs\":0.677},"
              "{\"name\":\"responseDuration\",\"start\":\"2024-02-09T08:42:44.079Z\","
              "\"durationMs\":0.035},{\"name\":\"runtimeOverhead\",\"start\":"
              "\"2024-02-09T08:42:44.079Z\",\"durationMs\":0.211}],\"metrics\":{\"durationMs\":"
              "1.056,\"producedBytes\":50}}}",
              &r),
        LAMBDA_EXTENSION);
    assert_ok(&r, LAMBDA_EXTENSION);
    assert_int_equal(r.has, 0);
}

/* §2.1, third line: a cold start with initDurationMs (and the fixture's spaces). */
static void test_verbatim_report_init(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("{\"time\":\"2024-02-09T08:42:44.080Z\",\"type\":\"platform.report\",\"record\":"
              "{\"requestId\":\"" RID "\",\"status\":\"success\",\"metrics\":{\"durationMs\":1.317,"
              "\"billedDurationMs\":2,\"memorySizeMB\":1024,\"maxMemoryUsedMB\":68,"
              "\"initDurationMs\": 10}}}",
              &r),
        LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, RID);
    assert_int_equal(r.has, ALL4 | LR_INIT);
    assert_true(r.duration_ms == 1.317);
    assert_int_equal(r.billed_ms, 2);
    assert_int_equal(r.memory_mb, 1024);
    assert_int_equal(r.max_memory_mb, 68);
    assert_true(r.init_ms == 10.0);
    assert_absent(r.status);
    assert_absent(r.error_type);
    assert_absent(r.xray_trace_id);
    assert_int_equal(r.xray_sampled, -1);
    assert_int_equal(r.unknown_keys, 0);
}

/* §2.1, fourth line: SnapStart restore. */
static void test_verbatim_report_snapstart(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(
        parse("{\"time\":\"2024-02-09T08:42:44.080Z\",\"type\":\"platform.report\",\"record\":"
              "{\"requestId\":\"" RID "\",\"status\":\"success\",\"metrics\":{\"durationMs\": "
              "147.156,\"billedDurationMs\": 201, \"memorySizeMB\": 512,\"maxMemoryUsedMB\": 91,"
              "\"restoreDurationMs\": 500.795,\"billedRestoreDurationMs\": 53 }}}",
              &r),
        LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, RID);
    assert_int_equal(r.has, ALL4 | LR_RESTORE | LR_BILLED_RESTORE);
    assert_true(r.duration_ms == 147.156);
    assert_int_equal(r.billed_ms, 201);
    assert_int_equal(r.memory_mb, 512);
    assert_int_equal(r.max_memory_mb, 91);
    assert_true(r.restore_ms == 500.795);
    assert_int_equal(r.billed_restore_ms, 53);
    assert_absent(r.status);
}

/* §2.2: the AWS schema examples, pretty-printed, made valid. */
static void test_schema_examples(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("{\n    \"time\": \"2022-10-12T00:00:15.064Z\",\n"
                           "    \"type\": \"platform.initStart\",\n    \"record\": {\n"
                           "        \"initializationType\": \"on-demand\",\n"
                           "        \"phase\": \"init\",\n"
                           "        \"runtimeVersion\": \"nodejs-14.v3\",\n"
                           "        \"runtimeVersionArn\": \"arn\"\n    }\n}\n",
                           &r),
                     LAMBDA_INIT_START);
    assert_ok(&r, LAMBDA_INIT_START);
    assert_slice(r.runtime_version, "nodejs-14.v3");
    assert_slice(r.runtime_arn, "arn");
    assert_absent(r.phase);
    assert_int_equal(r.has, 0);

    /* the report without its trailing comma */
    assert_int_equal(parse("{\n    \"time\": \"2022-10-12T00:01:15.000Z\",\n"
                           "    \"type\": \"platform.report\",\n    \"record\": {\n"
                           "        \"metrics\": {\n            \"billedDurationMs\": 694,\n"
                           "            \"durationMs\": 693.92,\n"
                           "            \"initDurationMs\": 397.68,\n"
                           "            \"maxMemoryUsedMB\": 84,\n"
                           "            \"memorySizeMB\": 128\n        },\n"
                           "        \"requestId\": \"6d68ca91-49c9-448d-89b8-7ca3e6dc66aa\"\n"
                           "    }\n}",
                           &r),
                     LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_slice(r.request_id, "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa");
    assert_int_equal(r.has, ALL4 | LR_INIT);
    assert_true(r.duration_ms == 693.92);
    assert_int_equal(r.billed_ms, 694);
    assert_true(r.init_ms == 397.68);
    assert_int_equal(r.max_memory_mb, 84);
    assert_int_equal(r.memory_mb, 128);
    assert_absent(r.status);

    /* initRuntimeDone with the missing comma added */
    assert_int_equal(parse("{\"time\":\"2022-10-12T00:00:15.064Z\",\"type\":"
                           "\"platform.initRuntimeDone\",\"record\":{\"initializationType\":"
                           "\"on-demand\",\"phase\":\"init\",\"status\":\"success\"}}",
                           &r),
                     LAMBDA_EXTENSION);

    /* platform.start with its tracing object (mislabelled initStart in AWS's page) */
    assert_int_equal(parse("{\"time\":\"2022-10-12T00:00:15.064Z\",\"type\":\"platform.start\","
                           "\"record\":{\"requestId\":\"6d68ca91-49c9-448d-89b8-7ca3e6dc66aa\","
                           "\"version\":\"$LATEST\",\"tracing\":{\"spanId\":\"54565fb41ac79632\","
                           "\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1-62e900b2-"
                           "710d76f009d6e7785905449a;Parent=0efbd19962d95b05;Sampled=1\"}}}",
                           &r),
                     LAMBDA_START);
    assert_slice(r.request_id, "6d68ca91-49c9-448d-89b8-7ca3e6dc66aa");
    assert_slice(r.version, "$LATEST");

    /* initReport: the JSON twin of INIT_REPORT */
    assert_int_equal(parse("{\"time\":\"2022-10-12T00:00:15.064Z\",\"type\":\"platform.initReport\","
                           "\"record\":{\"initializationType\":\"on-demand\",\"phase\":\"init\","
                           "\"metrics\":{\"durationMs\":125.33}}}",
                           &r),
                     LAMBDA_INIT_REPORT);
    assert_ok(&r, LAMBDA_INIT_REPORT);
    assert_int_equal(r.has, LR_INIT);
    assert_true(r.init_ms == 125.33);
    assert_slice(r.phase, "init");
    assert_absent(r.status);
}

/* Failure statuses are copied; "success" is absent as in text lines. */
static void test_status(void **state)
{
    static const struct {
        const char *status_json; /* the record members before "metrics" */
        const char *status, *error_type; /* NULL: absent */
    } cases[] = {
        {"\"status\":\"timeout\",", "timeout", NULL},
        {"\"status\":\"error\",\"errorType\":\"Runtime.OutOfMemory\",", "error",
         "Runtime.OutOfMemory"},
        {"\"status\":\"failure\",\"errorType\":\"Runtime.ExitError\",", "failure",
         "Runtime.ExitError"},
        {"\"status\":\"success\",", NULL, NULL},
        {"", NULL, NULL},
        {"\"status\":7,", NULL, NULL},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[512];
        lambda_record r;
        snprintf(line, sizeof line,
                 "{\"time\":\"2024-02-09T08:42:44.080Z\",\"type\":\"platform.report\","
                 "\"record\":{\"requestId\":\"r1\",%s\"metrics\":{\"durationMs\":3001.5,"
                 "\"billedDurationMs\":3000,\"memorySizeMB\":128,\"maxMemoryUsedMB\":88}}}",
                 cases[i].status_json);
        assert_int_equal(parse(line, &r), LAMBDA_REPORT);
        assert_ok(&r, LAMBDA_REPORT);
        assert_int_equal(r.has, ALL4);
        assert_true(r.duration_ms == 3001.5);
        if (cases[i].status)
            assert_slice(r.status, cases[i].status);
        else
            assert_absent(r.status);
        if (cases[i].error_type)
            assert_slice(r.error_type, cases[i].error_type);
        else
            assert_absent(r.error_type);
    }

    lambda_record r;
    assert_int_equal(parse("{\"type\":\"platform.initReport\",\"record\":{\"phase\":\"invoke\","
                           "\"status\":\"error\",\"errorType\":\"Runtime.Unknown\","
                           "\"metrics\":{\"durationMs\":1712.41}}}",
                           &r),
                     LAMBDA_INIT_REPORT);
    assert_slice(r.phase, "invoke");
    assert_slice(r.status, "error");
    assert_slice(r.error_type, "Runtime.Unknown");
    assert_true(r.init_ms == 1712.41);

    assert_int_equal(parse("{\"type\":\"platform.initReport\",\"record\":{\"phase\":\"init\","
                           "\"status\":\"success\",\"metrics\":{\"durationMs\":9.5}}}",
                           &r),
                     LAMBDA_INIT_REPORT);
    assert_absent(r.status);
}

#define REPORT_WITH(tracing)                                                                   \
    "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r1\",\"status\":\"success\","     \
    "\"metrics\":{\"durationMs\":1.5}" tracing "}}"

static void test_tracing(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse(REPORT_WITH(",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":"
                                       "\"Root=1-5d9d007f-0a8c7fd02xmpl480aed55ef0;"
                                       "Parent=3d752xmpl1bbe37e;Sampled=1\"}"),
                           &r),
                     LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_int_equal(r.has, LR_DURATION | LR_XRAY_SAMPLED);
    assert_slice(r.xray_trace_id, "1-5d9d007f-0a8c7fd02xmpl480aed55ef0");
    assert_slice(r.xray_segment_id, "3d752xmpl1bbe37e");
    assert_int_equal(r.xray_sampled, 1);

    assert_int_equal(parse(REPORT_WITH(",\"tracing\":{\"spanId\":\"x\",\"type\":\"X-Amzn-Trace-Id\","
                                       "\"value\":\"Sampled=0;Root=1-a-b\"}"),
                           &r),
                     LAMBDA_REPORT);
    assert_int_equal(r.has, LR_DURATION | LR_XRAY_SAMPLED);
    assert_int_equal(r.xray_sampled, 0);
    assert_slice(r.xray_trace_id, "1-a-b");
    assert_absent(r.xray_segment_id);

    /* without a Sampled part, or with one that is neither 0 nor 1 */
    assert_int_equal(parse(REPORT_WITH(",\"tracing\":{\"value\":\"Root=1-a-b;Parent=0123;"
                                       "Sampled=?;Lineage=x:1;;junk\"}"),
                           &r),
                     LAMBDA_REPORT);
    assert_int_equal(r.has, LR_DURATION);
    assert_int_equal(r.xray_sampled, -1);
    assert_slice(r.xray_trace_id, "1-a-b");
    assert_slice(r.xray_segment_id, "0123");

    /* another tracing type, or no value: no X-Ray fields, still a report */
    assert_int_equal(parse(REPORT_WITH(",\"tracing\":{\"type\":\"traceparent\",\"value\":"
                                       "\"Root=1-a-b;Sampled=1\"}"),
                           &r),
                     LAMBDA_REPORT);
    assert_int_equal(r.has, LR_DURATION);
    assert_absent(r.xray_trace_id);
    assert_int_equal(parse(REPORT_WITH(",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\"}"), &r),
                     LAMBDA_REPORT);
    assert_absent(r.xray_trace_id);
    assert_int_equal(parse(REPORT_WITH(",\"tracing\":\"Root=1-a-b\""), &r), LAMBDA_REPORT);
    assert_absent(r.xray_trace_id);
    assert_int_equal(r.xray_sampled, -1);
}

static void test_malformed(void **state)
{
    static const char *const lines[] = {
        /* no requestId */
        "{\"type\":\"platform.report\",\"record\":{\"metrics\":{\"durationMs\":1.5}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":7,\"metrics\":{\"durationMs\":1}}}",
        /* no durationMs, no metrics, no record */
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"billedDurationMs\":2}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\"}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":[1.5]}}",
        "{\"type\":\"platform.report\"}",
        /* numbers that are not numbers, negative, or not integers */
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":\"1.5\"}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":null}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":-1.5}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":1.5,\"billedDurationMs\":1.5}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":1.5,\"memorySizeMB\":-128}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":1.5,\"maxMemoryUsedMB\":true}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":1.5,\"billedDurationMs\":1e300}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":1.5,\"initDurationMs\":\"fast\"}}}",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":1.5,\"billedRestoreDurationMs\":-0.5}}}",
        /* start without requestId; initReport without a duration */
        "{\"type\":\"platform.start\",\"record\":{\"version\":\"8\"}}",
        "{\"type\":\"platform.start\"}",
        "{\"type\":\"platform.initReport\",\"record\":{\"phase\":\"init\"}}",
        "{\"type\":\"platform.initReport\",\"record\":{\"metrics\":{\"durationMs\":\"x\"}}}",
        "{\"type\":\"platform.initReport\",\"record\":{\"metrics\":{\"durationMs\":-3}}}",
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        lambda_record r;
        if (parse(lines[i], &r) != LAMBDA_MALFORMED)
            fail_msg("case %zu: kind %s, expected malformed", i, lambda_kind_name(r.kind));
        assert_malformed(&r);
    }
}

/* Integer fields accept reals with a zero fraction; doubles accept integers. */
static void test_number_forms(void **state)
{
    lambda_record r;
    (void)state;

    assert_int_equal(parse("{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\","
                           "\"metrics\":{\"durationMs\":120000,\"billedDurationMs\":200.0,"
                           "\"memorySizeMB\":1e3,\"maxMemoryUsedMB\":0,"
                           "\"billedRestoreDurationMs\":53.000}}}",
                           &r),
                     LAMBDA_REPORT);
    assert_ok(&r, LAMBDA_REPORT);
    assert_int_equal(r.has, ALL4 | LR_BILLED_RESTORE);
    assert_true(r.duration_ms == 120000.0);
    assert_int_equal(r.billed_ms, 200);
    assert_int_equal(r.memory_mb, 1000);
    assert_int_equal(r.max_memory_mb, 0);
    assert_int_equal(r.billed_restore_ms, 53);

    /* metrics the schema does not name are counted, not fatal */
    assert_int_equal(parse("{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\","
                           "\"metrics\":{\"durationMs\":1.5,\"futureMs\":\"x\",\"other\":1}}}",
                           &r),
                     LAMBDA_REPORT);
    assert_int_equal(r.unknown_keys, 2);
    assert_int_equal(r.has, LR_DURATION);
}

/* Not platform events: application JSON, EMF, other types, plain text,
 * and text that mentions "platform. but is not valid JSON. */
static void test_other(void **state)
{
    static const char *const lines[] = {
        "",
        "\n",
        "   ",
        "{",
        "hello world",
        "REPORT RequestId: r\tDuration: 1.5 ms\t",
        "START RequestId: r Version: $LATEST \"platform.start\"",
        "{\"level\":\"INFO\",\"location\":\"collect.handler:1\",\"message\":\"Collecting payment\","
        "\"timestamp\":\"2021-05-03 10:20:19,650+0200\",\"service\":\"payment\"}",
        "{\"timestamp\":\"2024-02-09T08:42:44.078Z\",\"level\":\"INFO\",\"requestId\":\"" RID
        "\",\"message\":\"Just some logs here =)\"}",
        "{\"_aws\":{\"Timestamp\":1574109732004,\"CloudWatchMetrics\":[{\"Namespace\":\"lambda-"
        "function-metrics\",\"Dimensions\":[[\"functionVersion\"]],\"Metrics\":[{\"Name\":"
        "\"time\",\"Unit\":\"Milliseconds\"}]}]},\"functionVersion\":\"$LATEST\",\"time\":100}",
        "{\"type\":\"other\"}",
        "{\"type\":\"platform\",\"record\":{}}",
        "{\"type\":5,\"note\":\"platform.report\"}",
        "{\"message\":\"saw \\\"platform.report\\\" in the input\",\"level\":\"INFO\"}",
        "{\"note\":\"platform.report\"}",
        /* invalid JSON that mentions platform events */
        "{\"type\":\"platform.report\",\"record\":",
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",}}",
        "{\"type\":\"platform.report\"} trailing",
        "{'type':'platform.report'}",
        "[{\"type\":\"platform.report\"}]",
        "  [\"platform.report\"]",
        /* an integer jansson cannot hold makes the document unreadable */
        "{\"type\":\"platform.report\",\"record\":{\"requestId\":\"r\",\"metrics\":"
        "{\"durationMs\":1,\"memorySizeMB\":99999999999999999999999}}}",
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        lambda_record r;
        if (parse(lines[i], &r) != LAMBDA_OTHER)
            fail_msg("\"%s\": kind %s, expected other", lines[i], lambda_kind_name(r.kind));
        assert_null(r.why);
        assert_int_equal(r.has, 0);
        assert_absent(r.request_id);
        assert_int_equal(r.xray_sampled, -1);
        assert_null(g_doc.json);
    }
}

/* Every other platform.* type is counted as an extension event. */
static void test_unknown_platform_types(void **state)
{
    static const char *const lines[] = {
        "{\"time\":\"2022-10-12T00:00:15.064Z\",\"type\":\"platform.extension\",\"record\":"
        "{\"name\":\"Foo.bar\",\"state\":\"Ready\",\"events\":[\"INVOKE\",\"SHUTDOWN\"]}}",
        "{\"time\":\"2022-10-12T00:00:15.064Z\",\"type\":\"platform.telemetrySubscription\","
        "\"record\":{\"name\":\"Foo.bar\",\"state\":\"Subscribed\",\"types\":[\"platform\"]}}",
        "{\"type\":\"platform.logsDropped\",\"record\":{\"droppedBytes\":1,\"droppedRecords\":1,"
        "\"reason\":\"x\"}}",
        "{\"type\":\"platform.restoreStart\",\"record\":{}}",
        "{\"type\":\"platform.restoreRuntimeDone\",\"record\":{\"status\":\"success\"}}",
        "{\"type\":\"platform.restoreReport\",\"record\":{\"metrics\":{\"durationMs\":5}}}",
        "{\"type\":\"platform.somethingNew\"}",
        "{\"type\":\"platform.\"}",
        "{\"type\":\"platform.reportX\",\"record\":{}}",
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        lambda_record r;
        if (parse(lines[i], &r) != LAMBDA_EXTENSION)
            fail_msg("\"%s\": kind %s, expected extension", lines[i], lambda_kind_name(r.kind));
        assert_ok(&r, LAMBDA_EXTENSION);
        assert_int_equal(r.has, 0);
        if (i < 2)
            assert_slice(r.name, "Foo.bar");
    }
}

/* A trailing newline (as every exported platform event has) and leading blanks. */
static void test_line_endings(void **state)
{
    static const char *const endings[] = {"", "\n", "\r\n", "\n\n", " \n"};
    (void)state;

    for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
        char line[256];
        lambda_record r;
        snprintf(line, sizeof line,
                 "%s{\"type\":\"platform.start\",\"record\":{\"requestId\":\"r1\"}}%s",
                 i % 2 ? "  " : "", endings[i]);
        assert_int_equal(parse(line, &r), LAMBDA_START);
        assert_slice(r.request_id, "r1");
        assert_absent(r.version);
    }
}

/* The record is cleared and the document is owned by doc until released. */
static void test_reset_and_release(void **state)
{
    lambda_record r;
    lambda_json_doc doc = {NULL};
    static const char line[] = REPORT_WITH(",\"tracing\":{\"value\":\"Root=1-a-b;Sampled=1\"}");
    (void)state;

    assert_int_equal(parse(REPORT_WITH(",\"errorType\":\"X\""), &r), LAMBDA_REPORT);
    assert_int_equal(parse("{\"type\":\"platform.start\",\"record\":{\"requestId\":\"r\"}}", &r),
                     LAMBDA_START);
    assert_int_equal(r.has, 0);
    assert_absent(r.error_type);

    assert_int_equal(lambda_json_parse(line, sizeof line - 1, &r, &doc), LAMBDA_REPORT);
    assert_non_null(doc.json);
    /* the slices live in the document, not in the message */
    assert_true(r.xray_trace_id.p < line || r.xray_trace_id.p >= line + sizeof line);
    assert_slice(r.xray_trace_id, "1-a-b");
    lambda_json_doc_release(&doc);
    assert_null(doc.json);
    lambda_json_doc_release(&doc);

    assert_int_equal(lambda_json_parse("plain", 5, &r, &doc), LAMBDA_OTHER);
    assert_null(doc.json);
    lambda_json_doc_release(&doc);
}

/* Only n bytes are read: the message is a slice of a larger buffer. */
static void test_not_nul_terminated(void **state)
{
    static const char buf[] = "{\"type\":\"platform.start\",\"record\":{\"requestId\":\"r1\"}}"
                              "{\"type\":\"platform.report\"}";
    const size_t whole = strlen("{\"type\":\"platform.start\",\"record\":{\"requestId\":\"r1\"}}");
    lambda_record r;
    (void)state;

    assert_int_equal(parse_n(buf, whole, &r), LAMBDA_START);
    assert_slice(r.request_id, "r1");
    /* every shorter prefix is cut JSON: not a platform event we can read */
    for (size_t n = 0; n < whole; n++)
        if (parse_n(buf, n, &r) != LAMBDA_OTHER)
            fail_msg("prefix %zu: kind %s", n, lambda_kind_name(r.kind));
    /* and the reject never looks past n for the tag */
    assert_int_equal(parse_n("{\"x\":\"platform.", 9, &r), LAMBDA_OTHER);
}

/* ---- equivalence with the text parser ---- */

static void same_slice(mrb_slice a, mrb_slice b, const char *field, size_t i)
{
    if (!a.p != !b.p)
        fail_msg("pair %zu: %s present in one record only", i, field);
    if (a.p && (a.n != b.n || memcmp(a.p, b.p, a.n) != 0))
        fail_msg("pair %zu: %s \"%.*s\" vs \"%.*s\"", i, field, (int)a.n, a.p, (int)b.n, b.p);
}

static void same_record(const lambda_record *t, const lambda_record *j, size_t i)
{
#define SAME_SLICE(f) same_slice(t->f, j->f, #f, i)
#define SAME_NUM(f)                                                                            \
    do {                                                                                       \
        if (t->f != j->f)                                                                      \
            fail_msg("pair %zu: " #f " differs", i);                                           \
    } while (0)
    if (t->kind != j->kind)
        fail_msg("pair %zu: kind %s vs %s", i, lambda_kind_name(t->kind),
                 lambda_kind_name(j->kind));
    if (t->has != j->has)
        fail_msg("pair %zu: has %#x vs %#x", i, t->has, j->has);
    SAME_SLICE(request_id);
    SAME_SLICE(version);
    SAME_SLICE(runtime_version);
    SAME_SLICE(runtime_arn);
    SAME_SLICE(status);
    SAME_SLICE(error_type);
    SAME_SLICE(phase);
    SAME_SLICE(xray_trace_id);
    SAME_SLICE(xray_segment_id);
    SAME_NUM(duration_ms);
    SAME_NUM(init_ms);
    SAME_NUM(restore_ms);
    SAME_NUM(billed_ms);
    SAME_NUM(memory_mb);
    SAME_NUM(max_memory_mb);
    SAME_NUM(billed_restore_ms);
    SAME_NUM(xray_sampled);
    SAME_NUM(unknown_keys);
    assert_null(t->why);
    assert_null(j->why);
#undef SAME_SLICE
#undef SAME_NUM
}

#define J_REPORT(rec) "{\"time\":\"2024-05-09T10:00:03.051Z\",\"type\":\"platform.report\"," \
                      "\"record\":{" rec "}}\n"

static void test_text_json_equivalence(void **state)
{
    static const struct {
        const char *text, *json;
    } pairs[] = {
        {"START RequestId: " RID " Version: $LATEST\n",
         "{\"time\":\"2024-02-09T08:42:44.078Z\",\"type\":\"platform.start\",\"record\":"
         "{\"requestId\":\"" RID "\",\"version\":\"$LATEST\"}}\n"},
        {"START RequestId: " RID " Version: 8\n",
         "{\"type\":\"platform.start\",\"record\":{\"requestId\":\"" RID "\",\"version\":\"8\"}}"},
        {"START RequestId: " RID "\n",
         "{\"type\":\"platform.start\",\"record\":{\"requestId\":\"" RID "\"}}"},
        {"REPORT RequestId: 76269889-7d50-4d6d-a3f1-9b4f5322f47c\tDuration: 14.97 ms\t"
         "Billed Duration: 15 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t\n",
         J_REPORT("\"requestId\":\"76269889-7d50-4d6d-a3f1-9b4f5322f47c\",\"status\":\"success\","
                  "\"metrics\":{\"durationMs\":14.97,\"billedDurationMs\":15,\"memorySizeMB\":128,"
                  "\"maxMemoryUsedMB\":67}")},
        {"REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 128.83 ms\t"
         "Billed Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t"
         "Init Duration: 166.62 ms\tXRAY TraceId: 1-5d9d007f-0a8c7fd02xmpl480aed55ef0\t"
         "SegmentId: 3d752xmpl1bbe37e\tSampled: true\n",
         J_REPORT("\"requestId\":\"c793869b-ee49-115b-a5b6-4fd21e8dedac\",\"status\":\"success\","
                  "\"metrics\":{\"durationMs\":128.83,\"billedDurationMs\":200,\"memorySizeMB\":128,"
                  "\"maxMemoryUsedMB\":74,\"initDurationMs\":166.62},\"tracing\":{\"type\":"
                  "\"X-Amzn-Trace-Id\",\"value\":\"Root=1-5d9d007f-0a8c7fd02xmpl480aed55ef0;"
                  "Parent=3d752xmpl1bbe37e;Sampled=1\"}")},
        {"REPORT RequestId: r1\tDuration: 1.00 ms\tXRAY TraceId: 1-a-b\t"
         "SegmentId: 0123456789abcdef\tSampled: false\t",
         J_REPORT("\"requestId\":\"r1\",\"status\":\"success\",\"metrics\":{\"durationMs\":1.00},"
                  "\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=1-a-b;"
                  "Parent=0123456789abcdef;Sampled=0\"}")},
        {"REPORT RequestId: 8c360c87-d4b7-4423-b5f3-af02be3c1763\tDuration: 2338.66 ms\t"
         "Billed Duration: 2521 ms\tMemory Size: 3009 MB\tMax Memory Used: 173 MB\t"
         "Restore Duration: 398.97 ms\tBilled Restore Duration: 182 ms\t",
         J_REPORT("\"requestId\":\"8c360c87-d4b7-4423-b5f3-af02be3c1763\",\"status\":\"success\","
                  "\"metrics\":{\"durationMs\":2338.66,\"billedDurationMs\":2521,"
                  "\"memorySizeMB\":3009,\"maxMemoryUsedMB\":173,\"restoreDurationMs\":398.97,"
                  "\"billedRestoreDurationMs\":182}")},
        {"REPORT RequestId: 806ab12b-e660-4a4a-8d9a-eee01e457f98\tDuration: 376256.59 ms\t"
         "Billed Duration: 376257 ms\tMemory Size: 10239 MB\tMax Memory Used: 10239 MB\t"
         "Init Duration: 551.73 ms\tStatus: error\tError Type: Runtime.OutOfMemory\n",
         J_REPORT("\"requestId\":\"806ab12b-e660-4a4a-8d9a-eee01e457f98\",\"status\":\"error\","
                  "\"errorType\":\"Runtime.OutOfMemory\",\"metrics\":{\"durationMs\":376256.59,"
                  "\"billedDurationMs\":376257,\"memorySizeMB\":10239,\"maxMemoryUsedMB\":10239,"
                  "\"initDurationMs\":551.73}")},
        {"REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 3001.50 ms\t"
         "Billed Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 88 MB\t"
         "Status: timeout\t\n",
         J_REPORT("\"requestId\":\"c793869b-ee49-115b-a5b6-4fd21e8dedac\",\"status\":\"timeout\","
                  "\"metrics\":{\"durationMs\":3001.50,\"billedDurationMs\":3000,"
                  "\"memorySizeMB\":128,\"maxMemoryUsedMB\":88}")},
        {"INIT_START Runtime Version: python:3.11.v29\tRuntime Version ARN: arn:aws:lambda:"
         "us-east-1::runtime:2fb93380dac14772d30092f109b1784b517398458eef71a3f757425231fe6769\n",
         "{\"time\":\"2024-05-09T10:00:00.000Z\",\"type\":\"platform.initStart\",\"record\":"
         "{\"initializationType\":\"on-demand\",\"phase\":\"init\",\"runtimeVersion\":"
         "\"python:3.11.v29\",\"runtimeVersionArn\":\"arn:aws:lambda:us-east-1::runtime:"
         "2fb93380dac14772d30092f109b1784b517398458eef71a3f757425231fe6769\"}}\n"},
        {"INIT_REPORT Init Duration: 150.79 ms\tPhase: init\tStatus: error\t"
         "Error Type: Runtime.UserCodeSyntaxError\n",
         "{\"type\":\"platform.initReport\",\"record\":{\"initializationType\":\"on-demand\","
         "\"phase\":\"init\",\"status\":\"error\",\"errorType\":\"Runtime.UserCodeSyntaxError\","
         "\"metrics\":{\"durationMs\":150.79}}}"},
        {"INIT_REPORT Init Duration: 10007.33 ms\tPhase: init\tStatus: timeout",
         "{\"type\":\"platform.initReport\",\"record\":{\"phase\":\"init\",\"status\":\"timeout\","
         "\"metrics\":{\"durationMs\":10007.33}}}"},
        {"INIT_REPORT Init Duration: 9908.09 ms\n",
         "{\"type\":\"platform.initReport\",\"record\":{\"metrics\":{\"durationMs\":9908.09}}}"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        lambda_record t, j;
        enum lambda_kind tk = lambda_parse(pairs[i].text, strlen(pairs[i].text), &t);
        enum lambda_kind jk = parse(pairs[i].json, &j);
        assert_int_equal(tk, jk);
        assert_true(tk != LAMBDA_OTHER && tk != LAMBDA_MALFORMED);
        same_record(&t, &j, i);
    }
}

#define T(f) cmocka_unit_test_teardown(f, cleanup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_verbatim_start),
        T(test_verbatim_runtime_done),
        T(test_verbatim_report_init),
        T(test_verbatim_report_snapstart),
        T(test_schema_examples),
        T(test_status),
        T(test_tracing),
        T(test_malformed),
        T(test_number_forms),
        T(test_other),
        T(test_unknown_platform_types),
        T(test_line_endings),
        T(test_reset_and_release),
        T(test_not_nul_terminated),
        T(test_text_json_equivalence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
