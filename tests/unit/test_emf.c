/* test_emf.c — emf_extract, emf_maybe and emf_reason_name (emf.h).
 *
 * The specification's example (FORMATS.md §5), real producers' output
 * (Powertools Python's ColdStart and multi-value blobs, Powertools TypeScript
 * behind the Node.js prefix, pretty-printed on the next line, Python's
 * logging prefix, a Lambda Insights performance event), every validation
 * rule, array expansion, canonical dimensions, and fuzz-style damage:
 * every cut of a valid document and random byte flips give a result, never
 * a crash. The in-place reader (emf_fast.h) against jansson: hand-written
 * cases of what it takes and what it leaves, then a differential test where
 * every cut and tens of thousands of mutations of real documents must give
 * the same values and the same reasons both ways. Messages are copied to exact-size heap buffers without a NUL, so
 * AddressSanitizer reports any read past n. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/emf.h"

/* What the callback saw, copied. */
typedef struct got {
    int64_t ts;
    char ns[64], metric[64], unit[32], dims[256], sets[256], rid[64], fn[64];
    int res, idx, seq, has_rid, has_fn;
    double value;
} got;

static got g_vals[256];
static int g_n;
static int g_stop_at = -1;

static int collect(void *arg, const emf_value *v)
{
    (void)arg;
    if (g_n == g_stop_at)
        return -1;
    got *o = &g_vals[g_n++];
    o->ts = v->ts_ms;
    snprintf(o->ns, sizeof o->ns, "%s", v->ns);
    snprintf(o->metric, sizeof o->metric, "%s", v->metric);
    snprintf(o->unit, sizeof o->unit, "%s", v->unit);
    snprintf(o->dims, sizeof o->dims, "%s", v->dimensions);
    snprintf(o->sets, sizeof o->sets, "%s", v->dimension_sets);
    o->has_rid = v->request_id != NULL;
    snprintf(o->rid, sizeof o->rid, "%s", v->request_id ? v->request_id : "");
    o->has_fn = v->function_name != NULL;
    snprintf(o->fn, sizeof o->fn, "%s", v->function_name ? v->function_name : "");
    o->res = v->storage_resolution;
    o->idx = v->value_index;
    o->seq = v->seq;
    o->value = v->value;
    return 0;
}

static int extract_n(const char *s, size_t n, emf_result *res)
{
    char *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    memcpy(copy, s, n);
    g_n = 0;
    int rc = emf_extract(copy, n, collect, NULL, res);
    free(copy);
    return rc;
}

static int extract(const char *s, emf_result *res) { return extract_n(s, strlen(s), res); }

/* A document that must be valid: returns the number of values. */
static int valid(const char *s)
{
    emf_result res;
    assert_int_equal(extract(s, &res), 0);
    assert_int_equal(res.is_emf, 1);
    if (res.reason != EMF_OK)
        fail_msg("rejected as %s: %s", emf_reason_name(res.reason), res.detail);
    assert_int_equal(res.values, g_n);
    return g_n;
}

/* A document that must be rejected for reason r, giving nothing. */
static void rejected(const char *s, enum emf_reason r)
{
    emf_result res;
    assert_int_equal(extract(s, &res), 0);
    assert_int_equal(res.is_emf, 1);
    if (res.reason != r)
        fail_msg("expected %s, got %s (%s) for %s", emf_reason_name(r),
                 emf_reason_name(res.reason), res.detail, s);
    assert_true(res.detail[0] != '\0');
    assert_int_equal(g_n, 0);
    assert_int_equal(res.values, 0);
}

static void not_emf(const char *s)
{
    emf_result res;
    assert_int_equal(extract(s, &res), 0);
    assert_int_equal(res.is_emf, 0);
    assert_int_equal(g_n, 0);
}

static const char SPEC[] =
    "{\n  \"_aws\": {\n    \"Timestamp\": 1574109732004,\n    \"CloudWatchMetrics\": [\n"
    "      {\n        \"Namespace\": \"lambda-function-metrics\",\n"
    "        \"Dimensions\": [[\"functionVersion\"]],\n        \"Metrics\": [\n          {\n"
    "            \"Name\": \"time\",\n            \"Unit\": \"Milliseconds\",\n"
    "            \"StorageResolution\": 60\n          }\n        ]\n      }\n    ]\n  },\n"
    "  \"functionVersion\": \"$LATEST\",\n  \"time\": 100,\n"
    "  \"requestId\": \"989ffbf8-9ace-4817-a57c-e4dd734019ee\"\n}";

static void spec_example(void **state)
{
    (void)state;
    assert_int_equal(valid(SPEC), 1);
    got *v = &g_vals[0];
    assert_true(v->ts == 1574109732004LL);
    assert_string_equal(v->ns, "lambda-function-metrics");
    assert_string_equal(v->metric, "time");
    assert_string_equal(v->unit, "Milliseconds");
    assert_int_equal(v->res, 60);
    assert_true(v->value == 100.0);
    assert_string_equal(v->dims, "{\"functionVersion\":\"$LATEST\"}");
    assert_string_equal(v->sets, "[[\"functionVersion\"]]");
    assert_string_equal(v->rid, "989ffbf8-9ace-4817-a57c-e4dd734019ee");
    assert_int_equal(v->has_fn, 0);
}

/* Powertools Python capture_cold_start_metric output (FORMATS.md §5). */
static void powertools_cold_start(void **state)
{
    (void)state;
    assert_int_equal(valid("{\"_aws\":{\"Timestamp\":1656687493142,\"CloudWatchMetrics\":[{"
                           "\"Namespace\":\"ServerlessAirline\",\"Dimensions\":[[\"function_name\","
                           "\"service\"]],\"Metrics\":[{\"Name\":\"ColdStart\",\"Unit\":\"Count\"}]}]},"
                           "\"function_name\":\"test\",\"service\":\"booking\",\"ColdStart\":[1.0]}\n"),
                     1);
    assert_string_equal(g_vals[0].metric, "ColdStart");
    assert_string_equal(g_vals[0].unit, "Count");
    assert_true(g_vals[0].value == 1.0);
    assert_string_equal(g_vals[0].dims, "{\"function_name\":\"test\",\"service\":\"booking\"}");
    assert_int_equal(g_vals[0].has_rid, 0);
}

/* add_multi_value_metrics_output.json: one row per value, in order. */
static void multi_value(void **state)
{
    (void)state;
    assert_int_equal(valid("{\"_aws\":{\"Timestamp\":1656685750622,\"CloudWatchMetrics\":[{"
                           "\"Namespace\":\"ServerlessAirline\",\"Dimensions\":[[\"environment\","
                           "\"service\"]],\"Metrics\":[{\"Name\":\"TurbineReads\",\"Unit\":\"Count\"}]}]},"
                           "\"environment\":\"dev\",\"service\":\"booking\",\"TurbineReads\":[1.0,8.0]}"),
                     2);
    assert_true(g_vals[0].value == 1.0 && g_vals[1].value == 8.0);
    assert_int_equal(g_vals[0].idx, 0);
    assert_int_equal(g_vals[1].idx, 1);
    assert_int_equal(g_vals[0].seq, 0);
    assert_int_equal(g_vals[1].seq, 1);
}

/* 100 values are allowed, 101 are not. */
static void array_limits(void **state)
{
    char doc[2048];
    (void)state;
    for (int n = 100; n <= 101; n++) {
        int at = snprintf(doc, sizeof doc,
                          "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\","
                          "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"m\"}]}]},\"m\":[");
        for (int i = 0; i < n; i++)
            at += snprintf(doc + at, sizeof doc - (size_t)at, "%s%d", i ? "," : "", i);
        snprintf(doc + at, sizeof doc - (size_t)at, "]}");
        if (n == 100) {
            assert_int_equal(valid(doc), 100);
            assert_true(g_vals[99].value == 99.0);
            assert_int_equal(g_vals[99].idx, 99);
            assert_string_equal(g_vals[0].unit, "None");
            assert_string_equal(g_vals[0].dims, "{}");
            assert_string_equal(g_vals[0].sets, "[[]]");
        } else {
            rejected(doc, EMF_TOO_MANY_VALUES);
        }
    }
}

/* The Lambda Insights example event: eight metrics, two dimension sets but
 * one row per value, attributed to function_name, joined by request_id. */
static void lambda_insights(void **state)
{
    static const char ev[] =
        "{\"_aws\":{\"Timestamp\":1605034324256,\"CloudWatchMetrics\":[{\"Namespace\":"
        "\"LambdaInsights\",\"Dimensions\":[[\"function_name\"],[\"function_name\",\"version\"]],"
        "\"Metrics\":[{\"Name\":\"memory_utilization\",\"Unit\":\"Percent\"},{\"Name\":"
        "\"total_memory\",\"Unit\":\"Megabytes\"},{\"Name\":\"used_memory_max\",\"Unit\":"
        "\"Megabytes\"},{\"Name\":\"cpu_total_time\",\"Unit\":\"Milliseconds\"},{\"Name\":"
        "\"tx_bytes\",\"Unit\":\"Bytes\"},{\"Name\":\"rx_bytes\",\"Unit\":\"Bytes\"},{\"Name\":"
        "\"total_network\",\"Unit\":\"Bytes\"},{\"Name\":\"init_duration\",\"Unit\":"
        "\"Milliseconds\"}]}],\"LambdaInsights\":{\"ShareTelemetry\":true}},\"event_type\":"
        "\"performance\",\"function_name\":\"cpu-intensive\",\"version\":\"Blue\",\"request_id\":"
        "\"12345678-8bcc-42f7-b1de-123456789012\",\"trace_id\":\"1-5faae118-12345678901234567890\","
        "\"duration\":45191,\"billed_duration\":45200,\"billed_mb_ms\":11571200,\"cold_start\":true,"
        "\"init_duration\":130,\"tmp_free\":538329088,\"tmp_max\":551346176,\"threads_max\":11,"
        "\"used_memory_max\":63,\"total_memory\":256,\"memory_utilization\":24,\"cpu_user_time\":"
        "6640,\"cpu_system_time\":50,\"cpu_total_time\":6690,\"fd_use\":416,\"fd_max\":32642,"
        "\"tx_bytes\":4434,\"rx_bytes\":6911,\"timeout\":true,\"shutdown_reason\":\"Timeout\","
        "\"total_network\":11345,\"agent_version\":\"1.0.72.0\",\"agent_memory_avg\":10,"
        "\"agent_memory_max\":10}";
    emf_result res;
    (void)state;
    assert_int_equal(valid(ev), 8);
    assert_int_equal(extract(ev, &res), 0);
    assert_int_equal(res.insights, 1);
    got *cpu = &g_vals[3];
    assert_string_equal(cpu->metric, "cpu_total_time");
    assert_true(cpu->value == 6690.0);
    assert_string_equal(cpu->fn, "cpu-intensive");
    assert_string_equal(cpu->rid, "12345678-8bcc-42f7-b1de-123456789012");
    assert_string_equal(cpu->dims, "{\"function_name\":\"cpu-intensive\",\"version\":\"Blue\"}");
    assert_string_equal(cpu->sets, "[[\"function_name\",\"version\"],[\"function_name\"]]");
}

/* Powertools TypeScript through console.log: the Node.js prefix, the
 * document pretty-printed on the next line (issue 1766 of its repository). */
static void node_prefix(void **state)
{
    (void)state;
    assert_int_equal(
        valid("2023-10-25T17:38:05.273Z\t274cced9-0439-4a76-befe-eeef0ec34460\tINFO\t\n{\n"
              "    \"_aws\": {\n        \"Timestamp\": 1698255485273,\n"
              "        \"CloudWatchMetrics\": [\n            {\n"
              "                \"Namespace\": \"xxxxxx\",\n                \"Dimensions\": [\n"
              "                    [\n                        \"service\",\n"
              "                        \"environment\",\n                        \"function_name\"\n"
              "                    ]\n                ],\n                \"Metrics\": [\n"
              "                    {\n                        \"Name\": \"ColdStart\",\n"
              "                        \"Unit\": \"Count\"\n                    }\n"
              "                ]\n            }\n        ]\n    },\n"
              "    \"service\": \"xxxxxx\",\n    \"environment\": \"test\",\n"
              "    \"function_name\": \"xxxxxx\",\n    \"ColdStart\": 1\n}\n"),
        1);
    assert_string_equal(g_vals[0].rid, "274cced9-0439-4a76-befe-eeef0ec34460");
    assert_string_equal(g_vals[0].dims,
                        "{\"environment\":\"test\",\"function_name\":\"xxxxxx\",\"service\":\"xxxxxx\"}");
    assert_string_equal(g_vals[0].sets, "[[\"environment\",\"function_name\",\"service\"]]");
    /* the prefix's id wins over the document's; "undefined" (init) is none */
    assert_int_equal(valid("2024-01-01T00:00:00.000Z\tabc\tINFO\t{\"_aws\":{\"Timestamp\":1,"
                           "\"CloudWatchMetrics\":[]},\"requestId\":\"other\"}"),
                     0);
    assert_int_equal(valid("2024-01-01T00:00:00.000Z\tundefined\tINFO\t{\"_aws\":{\"Timestamp\":1,"
                           "\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":[[]],"
                           "\"Metrics\":[{\"Name\":\"m\"}]}]},\"m\":2}"),
                     1);
    assert_int_equal(g_vals[0].has_rid, 0);
}

/* Python's logging: "[INFO]\t<ISO>\t<id>\t{...}". */
static void python_prefix(void **state)
{
    (void)state;
    assert_int_equal(valid("[INFO]\t2024-01-01T00:00:00.123Z\tpy-req-1\t{\"_aws\":{\"Timestamp\":"
                           "1704067200123,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":"
                           "[[\"service\"]],\"Metrics\":[{\"Name\":\"Orders\",\"Unit\":\"Count\","
                           "\"StorageResolution\":1}]}]},\"service\":\"s\",\"Orders\":3}\n"),
                     1);
    assert_string_equal(g_vals[0].rid, "py-req-1");
    assert_int_equal(g_vals[0].res, 1);
    assert_true(g_vals[0].ts == 1704067200123LL);
}

/* Two directives: each value once per directive; dimension keys deduplicated
 * and sorted; sets sorted and unique. */
static void directives_and_sets(void **state)
{
    (void)state;
    assert_int_equal(valid("{\"_aws\":{\"Timestamp\":5.9,\"CloudWatchMetrics\":["
                           "{\"Namespace\":\"A\",\"Dimensions\":[[\"z\",\"a\"],[\"a\"],[\"a\",\"z\"],"
                           "[\"a\",\"a\"]],\"Metrics\":[{\"Name\":\"x\"},{\"Name\":\"y\",\"Unit\":"
                           "\"Bytes/Second\"}]},{\"Namespace\":\"B\",\"Dimensions\":[[\"a\"]],"
                           "\"Metrics\":[{\"Name\":\"x\"}]}]},\"z\":\"2\",\"a\":\"1\",\"x\":-1.5,"
                           "\"y\":[0,1e3]}"),
                     4);
    assert_true(g_vals[0].ts == 5);
    assert_string_equal(g_vals[0].sets, "[[\"a\",\"z\"],[\"a\"]]");
    assert_string_equal(g_vals[0].dims, "{\"a\":\"1\",\"z\":\"2\"}");
    assert_true(g_vals[0].value == -1.5);
    assert_true(g_vals[2].value == 1000.0);
    assert_string_equal(g_vals[2].unit, "Bytes/Second");
    assert_string_equal(g_vals[3].ns, "B");
    assert_string_equal(g_vals[3].dims, "{\"a\":\"1\"}");
    assert_int_equal(g_vals[3].seq, 3);
}

/* Every validation rule gives its reason and no value. */
static void validation_rules(void **state)
{
    char doc[16384];
    (void)state;
#define D(ns, dims, metrics, extra)                                                              \
    "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":" ns ",\"Dimensions\":" dims \
    ",\"Metrics\":" metrics "}]}" extra "}"
    rejected("{\"_aws\":{\"Timestamp\":1,", EMF_INVALID_JSON);
    rejected("{\"_aws\":{}} trailing", EMF_INVALID_JSON);
    rejected("[{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]}}]", EMF_NOT_OBJECT);
    rejected("{\"x\":{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]}}}", EMF_NO_AWS);
    rejected("{\"_aws\":[]}", EMF_NO_AWS);
    rejected("{\"_aws\":{\"CloudWatchMetrics\":[]}}", EMF_BAD_TIMESTAMP);
    rejected("{\"_aws\":{\"Timestamp\":\"1\",\"CloudWatchMetrics\":[]}}", EMF_BAD_TIMESTAMP);
    rejected("{\"_aws\":{\"Timestamp\":-1,\"CloudWatchMetrics\":[]}}", EMF_BAD_TIMESTAMP);
    rejected("{\"_aws\":{\"Timestamp\":1}}", EMF_BAD_DIRECTIVE);
    rejected("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[1]}}", EMF_BAD_DIRECTIVE);
    rejected(D("\"\"", "[[]]", "[]", ""), EMF_BAD_DIRECTIVE);
    rejected(D("\"n\"", "[]", "[]", ""), EMF_BAD_DIRECTIVE);
    rejected(D("\"n\"", "[\"a\"]", "[]", ",\"a\":\"x\""), EMF_BAD_DIRECTIVE);
    rejected(D("\"n\"", "[[1]]", "[]", ""), EMF_BAD_DIRECTIVE);
    rejected(D("\"n\"", "[[]]", "{}", ""), EMF_BAD_DIRECTIVE);
    rejected(D("\"n\"", "[[]]", "[{\"Unit\":\"Count\"}]", ""), EMF_BAD_DIRECTIVE);
    /* a dimension key without a string root member */
    rejected(D("\"n\"", "[[\"a\"]]", "[]", ""), EMF_BAD_DIMENSION);
    rejected(D("\"n\"", "[[\"a\"]]", "[]", ",\"a\":1"), EMF_BAD_DIMENSION);
    rejected(D("\"n\"", "[[\"a\"]]", "[]", ",\"a\":{\"b\":\"c\"}"), EMF_BAD_DIMENSION);
    /* a metric without a numeric value */
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"m\"}]", ""), EMF_VALUE_NOT_NUMBER);
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"m\"}]", ",\"m\":\"1\""), EMF_VALUE_NOT_NUMBER);
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"m\"}]", ",\"m\":[]"), EMF_VALUE_NOT_NUMBER);
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"m\"}]", ",\"m\":[1,null]"), EMF_VALUE_NOT_NUMBER);
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"m\"}]", ",\"m\":true"), EMF_VALUE_NOT_NUMBER);
    /* an unknown unit, a bad resolution */
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"m\",\"Unit\":\"Secs\"}]", ",\"m\":1"),
             EMF_UNKNOWN_UNIT);
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"m\",\"Unit\":\"count\"}]", ",\"m\":1"),
             EMF_UNKNOWN_UNIT);
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"m\",\"StorageResolution\":30}]", ",\"m\":1"),
             EMF_BAD_RESOLUTION);
    /* one bad metric spoils the whole document, even after a good one */
    rejected(D("\"n\"", "[[]]", "[{\"Name\":\"ok\"},{\"Name\":\"m\"}]", ",\"ok\":1"),
             EMF_VALUE_NOT_NUMBER);
    /* more than 100 metrics; more than 30 dimension keys */
    int at = snprintf(doc, sizeof doc,
                      "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\","
                      "\"Dimensions\":[[]],\"Metrics\":[");
    for (int i = 0; i < 101; i++)
        at += snprintf(doc + at, sizeof doc - (size_t)at, "%s{\"Name\":\"m\"}", i ? "," : "");
    snprintf(doc + at, sizeof doc - (size_t)at, "]}]},\"m\":1}");
    rejected(doc, EMF_TOO_MANY_METRICS);
    at = snprintf(doc, sizeof doc,
                  "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\","
                  "\"Dimensions\":[[");
    for (int i = 0; i < 31; i++)
        at += snprintf(doc + at, sizeof doc - (size_t)at, "%s\"d%d\"", i ? "," : "", i);
    at += snprintf(doc + at, sizeof doc - (size_t)at, "]],\"Metrics\":[]}]}");
    for (int i = 0; i < 31; i++)
        at += snprintf(doc + at, sizeof doc - (size_t)at, ",\"d%d\":\"v\"", i);
    snprintf(doc + at, sizeof doc - (size_t)at, "}");
    rejected(doc, EMF_TOO_MANY_DIMENSIONS);
    /* exactly 30 keys are fine */
    char *cut = strstr(doc, ",\"d30\"]]");
    assert_non_null(cut);
    memmove(cut, cut + 6, strlen(cut + 6) + 1);
    assert_int_equal(valid(doc), 0);
#undef D
}

/* Messages that are not EMF documents cost nothing and give nothing. */
static void not_documents(void **state)
{
    (void)state;
    not_emf("");
    not_emf("START RequestId: x Version: $LATEST\n");
    not_emf("{\"level\":\"INFO\",\"message\":\"hello\"}");
    not_emf("2026/11/25 02:00:01 logged \"_aws\" in a Go line {\"_aws\":1}");
    not_emf("[INFO] mentions \"_aws\" in passing");
    not_emf("2024-01-01T00:00:00.000Z\tid\tINFO\tsee \"_aws\"");
    assert_int_equal(emf_maybe("{\"_aws\":", 8), 1);
    assert_int_equal(emf_maybe("{\"_aws", 6), 0);
}

static void reason_names(void **state)
{
    (void)state;
    assert_string_equal(emf_reason_name(EMF_OK), "ok");
    assert_string_equal(emf_reason_name(EMF_INVALID_JSON), "invalid-json");
    assert_string_equal(emf_reason_name(EMF_UNKNOWN_UNIT), "unknown-unit");
    assert_string_equal(emf_reason_name(EMF_REASON_COUNT), "?");
    for (int r = 0; r < EMF_REASON_COUNT; r++)
        assert_true(strlen(emf_reason_name((enum emf_reason)r)) > 1);
}

/* Names from the log reach the detail only as printable ASCII, cut short. */
static void detail_is_safe(void **state)
{
    emf_result res;
    (void)state;
    extract("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":"
            "[[]],\"Metrics\":[{\"Name\":\"m\\n%s%n\\u00e9xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\","
            "\"Unit\":\"%n\"}]}]}}",
            &res);
    assert_int_equal(res.reason, EMF_UNKNOWN_UNIT);
    for (const char *c = res.detail; *c; c++)
        assert_true(*c >= 0x20 && *c < 0x7f);
    assert_non_null(strstr(res.detail, "unit '%n' of 'm?%s%n"));
    assert_non_null(strstr(res.detail, "..."));
}

/* A callback that stops makes emf_extract return -1. */
static void callback_stops(void **state)
{
    emf_result res;
    (void)state;
    g_stop_at = 1;
    assert_int_equal(extract("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":"
                             "\"n\",\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"m\"}]}]},\"m\":[1,2,3]}",
                             &res),
                     -1);
    g_stop_at = -1;
    assert_int_equal(g_n, 1);
}

/* Every cut of a valid document, and random byte changes: a result each
 * time, and no read past the message (ASan). */
static void fuzz(void **state)
{
    static const char base[] =
        "2024-01-01T00:00:00.000Z\tr-1\tINFO\t{\"_aws\":{\"Timestamp\":1704067200000,"
        "\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":[[\"a\",\"b\"],[\"a\"]],"
        "\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Count\"},{\"Name\":\"k\",\"StorageResolution\":1}]}]},"
        "\"a\":\"x\",\"b\":\"y\",\"m\":[1,2.5,-3e2],\"k\":4}";
    size_t n = sizeof base - 1;
    char buf[sizeof base];
    emf_result res;
    uint64_t x = 88172645463325252ULL;
    (void)state;
    assert_int_equal(valid(base), 4);
    for (size_t cut = 0; cut <= n; cut++) {
        assert_int_equal(extract_n(base, cut, &res), 0);
        if (cut < n && res.is_emf)
            assert_int_not_equal(res.reason, EMF_OK);
    }
    for (int round = 0; round < 20000; round++) {
        memcpy(buf, base, n);
        for (int k = 0; k < 1 + round % 4; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            size_t at = 33 + (size_t)(x % (n - 33)); /* keep "_aws" findable often */
            static const char alphabet[] = "{}[]\":,0123456789.-eE \\ntfnul\x01\xff";
            buf[at] = alphabet[(x >> 32) % (sizeof alphabet - 1)];
        }
        assert_int_equal(extract_n(buf, n, &res), 0);
        if (res.reason == EMF_OK)
            assert_int_equal(res.values, g_n);
        else
            assert_int_equal(g_n, 0);
    }
}


/* ---- the in-place reader against jansson ---- */

/* Everything emf_extract reports about one message, values included. */
typedef struct outcome {
    int rc;
    emf_result res;
    int n;
    got vals[256];
} outcome;

static void run_one(const char *s, size_t n, int inplace, outcome *o)
{
    char *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    memcpy(copy, s, n);
    g_n = 0;
    o->rc = inplace ? emf_extract(copy, n, collect, NULL, &o->res)
                    : emf_extract_jansson(copy, n, collect, NULL, &o->res);
    free(copy);
    o->n = g_n;
    memcpy(o->vals, g_vals, sizeof g_vals);
}

static long g_inplace, g_judged;

/* Both ways must give the same return, result (reason, detail, offset,
 * counts) and values, field by field. */
static void same_both_ways(const char *s, size_t n)
{
    static outcome a, b;
    run_one(s, n, 1, &a);
    run_one(s, n, 0, &b);
    g_judged += a.res.is_emf;
    g_inplace += a.res.inplace;
    assert_int_equal(b.res.inplace, 0);
    if (a.rc != b.rc || a.res.is_emf != b.res.is_emf || a.res.reason != b.res.reason ||
        strcmp(a.res.detail, b.res.detail) != 0 || a.res.offset != b.res.offset ||
        a.res.values != b.res.values || a.res.insights != b.res.insights || a.n != b.n)
        fail_msg("in place: rc %d %s (%s) %d values; jansson: rc %d %s (%s) %d values: %.*s", a.rc,
                 emf_reason_name(a.res.reason), a.res.detail, a.n, b.rc,
                 emf_reason_name(b.res.reason), b.res.detail, b.n, (int)n, s);
    for (int i = 0; i < a.n; i++) {
        const got *x = &a.vals[i], *y = &b.vals[i];
        if (x->ts != y->ts || strcmp(x->ns, y->ns) || strcmp(x->metric, y->metric) ||
            strcmp(x->unit, y->unit) || strcmp(x->dims, y->dims) || strcmp(x->sets, y->sets) ||
            x->has_rid != y->has_rid || strcmp(x->rid, y->rid) || x->has_fn != y->has_fn ||
            strcmp(x->fn, y->fn) || x->res != y->res || x->idx != y->idx || x->seq != y->seq ||
            memcmp(&x->value, &y->value, sizeof x->value) != 0)
            fail_msg("value %d differs: %s %s %.17g %s %s | %s %s %.17g %s %s: %.*s", i, x->metric,
                     x->dims, x->value, x->sets, x->rid, y->metric, y->dims, y->value, y->sets,
                     y->rid, (int)n, s);
    }
}

static void same_s(const char *s) { same_both_ways(s, strlen(s)); }

/* 1 when the in-place reader took s (and agreed with jansson). */
static int took(const char *s)
{
    emf_result res;
    same_s(s);
    extract(s, &res);
    return res.inplace;
}

#define DOC_HEAD "{\"_aws\":{\"Timestamp\":1704067200000,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","

/* What the reader takes, and what it leaves to jansson. */
static void inplace_cases(void **state)
{
    (void)state;
    assert_int_equal(took(SPEC), 1);
    assert_int_equal(took("[INFO]\t2024-01-01T00:00:00.123Z\tpy-req-1\t" DOC_HEAD
                          "\"Dimensions\":[[\"s\"]],\"Metrics\":[{\"Name\":\"m\"}]}]},\"s\":\"x\","
                          "\"m\":[1,2.5,-0,1e2,0.1,123456789012345678901234567890,4.9e-324]}\n"),
                     1);
    /* escapes in strings the reader neither hands out nor compares */
    assert_int_equal(took(DOC_HEAD "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"m\"}]}]},"
                                   "\"msg\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\",\"m\":1}"),
                     1);
    /* non-ASCII, '/', DEL and U+2028 in dimensions: their own JSON text */
    assert_int_equal(took(DOC_HEAD "\"Dimensions\":[[\"k\\u00e9\",\"r\"]],\"Metrics\":[]}]},"
                                   "\"r\":\"/a\x7f\xe2\x80\xa8\xc3\xa9\",\"k\\u00e9\":\"v\"}"),
                     0);
    assert_int_equal(took(DOC_HEAD "\"Dimensions\":[[\"k\xc3\xa9\",\"r\"]],\"Metrics\":[]}]},"
                                   "\"r\":\"/a\x7f\xe2\x80\xa8\xc3\xa9\",\"k\xc3\xa9\":\"v\"}"),
                     1);
    static const char *const left[] = {
        /* escapes in a key, a dimension value, a name */
        DOC_HEAD "\"Dimensions\":[[\"s\"]],\"Metrics\":[]}]},\"\\u0073\":\"x\"}",
        DOC_HEAD "\"Dimensions\":[[\"s\"]],\"Metrics\":[]}]},\"s\":\"x\\/y\"}",
        DOC_HEAD "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"m\\u0031\"}]}]},\"m1\":1}",
        /* a key given twice: jansson keeps the last */
        DOC_HEAD "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"m\"}]}]},\"m\":1,\"m\":2}",
        DOC_HEAD "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Count\","
                 "\"Unit\":\"Bytes\"}]}]},\"m\":1}",
        /* every rejected document */
        DOC_HEAD "\"Dimensions\":[[]],\"Metrics\":[{\"Name\":\"m\"}]}]},\"m\":\"1\"}",
        "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]},\"x\":1e400}",
        "[{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]}}]",
    };
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++)
        if (took(left[i]))
            fail_msg("taken in place: %s", left[i]);
    /* deep nesting in a member nobody reads */
    char deep[256];
    int at = snprintf(deep, sizeof deep, "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[]},\"x\":");
    for (int i = 0; i < 40; i++)
        deep[at++] = '[';
    for (int i = 0; i < 40; i++)
        deep[at++] = ']';
    snprintf(deep + at, sizeof deep - (size_t)at, "}");
    assert_int_equal(took(deep), 0);
}

/* Thousands of deterministic mutations of real documents, each read both
 * ways: the same values and the same reasons. */
static void differential(void **state)
{
    static const char *const seeds[] = {
        SPEC,
        "2024-01-01T00:00:00.000Z\tr-1\tINFO\t" DOC_HEAD "\"Dimensions\":[[\"a\",\"b\"],[\"a\"],[\"b\",\"a\"]],"
        "\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Count\"},{\"Name\":\"k\",\"StorageResolution\":1}]}]},"
        "\"a\":\"x\",\"b\":\"y\",\"m\":[1,2.5,-3e2,0.001],\"k\":4}\n",
        "{\"_aws\":{\"Timestamp\":1605034324256,\"CloudWatchMetrics\":[{\"Namespace\":\"LambdaInsights\","
        "\"Dimensions\":[[\"function_name\"],[\"function_name\",\"version\"]],\"Metrics\":[{\"Name\":"
        "\"memory_utilization\",\"Unit\":\"Percent\"},{\"Name\":\"cpu_total_time\",\"Unit\":"
        "\"Milliseconds\"}]}],\"LambdaInsights\":{\"ShareTelemetry\":true}},\"event_type\":\"performance\","
        "\"function_name\":\"cpu-intensive\",\"version\":\"Blue\",\"request_id\":\"12345678-8bcc\","
        "\"memory_utilization\":24.5,\"cpu_total_time\":6690,\"cold_start\":true,\"n\":null}",
        "[INFO]\t2024-01-01T00:00:00.123Z\tundefined\t{ \"_aws\" : { \"Timestamp\" : 17.9 , "
        "\"CloudWatchMetrics\" : [ { \"Namespace\" : \"A\" , \"Dimensions\" : [ [ ] ] , \"Metrics\" : "
        "[ { \"Name\" : \"x\" } ] } , { \"Namespace\" : \"B\" , \"Dimensions\" : [ [ \"s\" ] ] , "
        "\"Metrics\" : [ { \"Name\" : \"x\" , \"Unit\" : \"Bytes/Second\" } ] } ] } , \"s\" : "
        "\"\xc3\xa9/\" , \"x\" : [ 1E2 , -0.5 ] , \"requestId\" : \"rid\" , \"o\" : { \"k\" : [ \"\\n\" ] } }",
        "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":[[\"d\"]],"
        "\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"None\",\"StorageResolution\":60}]}]},\"d\":\"v\","
        "\"m\":12345678901234567,\"function_request_id\":\"f-1\",\"request_id\":\"None\"}",
    };
    static const char alphabet[] = "{}[]\":,0123456789.-+eE \\/ntfrulb_\x01\x7f\xc3\xa9\xff\xed\xa0";
    char buf[2048];
    uint64_t x = 88172645463325252ULL;
    const int n_seeds = (int)(sizeof seeds / sizeof seeds[0]);
    (void)state;

    g_inplace = g_judged = 0;
    for (int i = 0; i < n_seeds; i++) {
        size_t n = strlen(seeds[i]);
        same_both_ways(seeds[i], n);
        for (size_t cut = 0; cut < n; cut++)
            same_both_ways(seeds[i], cut);
    }
    for (int round = 0; round < 60000; round++) {
        const char *seed = seeds[round % n_seeds];
        size_t n = strlen(seed);
        memcpy(buf, seed, n);
        for (int k = 0; k < 1 + round % 3; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            size_t at = (size_t)(x % n);
            char c = alphabet[(x >> 32) % (sizeof alphabet - 1)];
            switch ((x >> 48) % 4) {
            case 0: /* a digit for a digit, a letter for a letter: mostly still valid */
                if (buf[at] >= '0' && buf[at] <= '9')
                    buf[at] = (char)('0' + (x >> 24) % 10);
                else if (buf[at] >= 'a' && buf[at] <= 'z')
                    buf[at] = (char)('a' + (x >> 24) % 26);
                else
                    buf[at] = c;
                break;
            case 1:
                buf[at] = c;
                break;
            case 2:
                if (n + 1 < sizeof buf) {
                    memmove(buf + at + 1, buf + at, n - at);
                    buf[at] = c;
                    n++;
                }
                break;
            default:
                if (n > 1) {
                    memmove(buf + at, buf + at + 1, n - at - 1);
                    n--;
                }
            }
        }
        same_both_ways(buf, n);
    }
    /* the mutations must exercise both readers */
    print_message("in place: %ld of %ld documents\n", g_inplace, g_judged);
    assert_true(g_inplace > 5000);
    assert_true(g_judged - g_inplace > 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spec_example),
        cmocka_unit_test(powertools_cold_start),
        cmocka_unit_test(multi_value),
        cmocka_unit_test(array_limits),
        cmocka_unit_test(lambda_insights),
        cmocka_unit_test(node_prefix),
        cmocka_unit_test(python_prefix),
        cmocka_unit_test(directives_and_sets),
        cmocka_unit_test(validation_rules),
        cmocka_unit_test(not_documents),
        cmocka_unit_test(reason_names),
        cmocka_unit_test(detail_is_safe),
        cmocka_unit_test(callback_stops),
        cmocka_unit_test(fuzz),
        cmocka_unit_test(inplace_cases),
        cmocka_unit_test(differential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
