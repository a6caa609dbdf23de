/* test_apigw.c — the API Gateway record parser (apigw.h).
 *
 * The four console presets of FORMATS.md §11.2 filled with the example
 * values of §11.3, custom JSON with quoted and bare values and nested keys,
 * every execution-log line of §11.4 (b) verbatim and the unprefixed 2016
 * form of §11.4 (a), then what must not be taken (EMF, Lambda groups, plain
 * application lines) and what must be reported (bad numbers, statuses,
 * unclosed XML, no request id). Messages are parsed from exact-size heap
 * copies without a NUL, so AddressSanitizer reports any read past n. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "slices.h"

#include <stdlib.h>
#include <string.h>

#include "mrb/apigw.h"

static char *g_msg;
static apigw_doc g_doc;

static enum apigw_kind parse_g(const char *s, enum apigw_group g, apigw_rec *r)
{
    size_t n = strlen(s);
    free(g_msg);
    apigw_doc_release(&g_doc);
    g_msg = malloc(n ? n : 1);
    assert_non_null(g_msg);
    memcpy(g_msg, s, n);
    slice_base = s[0] == '{' ? NULL : g_msg; /* JSON slices point into the document */
    slice_base_n = n;
    return apigw_parse(g_msg, n, g, r, &g_doc);
}

static enum apigw_kind parse(const char *s, apigw_rec *r)
{
    return parse_g(s, APIGW_GROUP_ANY, r);
}

#define RID "286364ab-3a83-11e9-8dc8-db3cf4c83204"
#define XID "Vwc2MGFUrPEFV_g="
#define LID "71952965-d5cc-4974-ae08-6e2138b2275c"
#define TID "1-5c7674f4-a3491d0a9c8012c191821b83"
#define T_CLF_MS INT64_C(1624926530000) /* 29/Jun/2021:00:28:50 +0000 */

/* What every preset line below carries. */
static void check_preset(const apigw_rec *r, int format)
{
    assert_int_equal(r->format, format);
    assert_slice(r->request_id, RID);
    assert_slice(r->extended_request_id, XID);
    assert_slice(r->http_method, "GET");
    assert_slice(r->resource_path, "/echo");
    assert_true(r->has & AG_STATUS);
    assert_int_equal(r->status, 502);
    assert_true(r->has & AG_RESP_LENGTH);
    assert_int_equal(r->response_length, 115);
    assert_true(r->has & AG_TIME);
    assert_int_equal(r->ts_ms, T_CLF_MS);
    assert_false(r->has & (AG_RESP_LATENCY | AG_INTEG_LATENCY));
    assert_absent(r->integration_request_id);
}

static void test_preset_clf(void **state)
{
    (void)state;
    apigw_rec r;
    /* the preset has two spaces after $context.identity.caller */
    assert_int_equal(parse("49.177.65.219 -  - [29/Jun/2021:00:28:50 +0000] \"GET /echo "
                           "HTTP/1.1\" 502 115 " RID " " XID "\n", &r),
                     APIGW_ACCESS);
    check_preset(&r, APIGW_FMT_CLF);
}

static void test_preset_json(void **state)
{
    (void)state;
    apigw_rec r;
    assert_int_equal(parse("{ \"requestId\":\"" RID "\", \"extendedRequestId\":\"" XID "\", "
                           "\"ip\": \"49.177.65.219\", \"caller\":\"-\", \"user\":\"-\", "
                           "\"requestTime\":\"29/Jun/2021:00:28:50 +0000\", \"httpMethod\":\"GET\", "
                           "\"resourcePath\":\"/echo\", \"status\":\"502\", \"protocol\":\"HTTP/1.1\", "
                           "\"responseLength\":\"115\" }",
                           &r),
                     APIGW_ACCESS);
    check_preset(&r, APIGW_FMT_JSON);
}

static void test_preset_xml(void **state)
{
    (void)state;
    apigw_rec r;
    assert_int_equal(parse("<request id=\"" RID "\"> <extendedRequestId>" XID
                           "</extendedRequestId> <ip>49.177.65.219</ip> <caller>-</caller> "
                           "<user>-</user> <requestTime>29/Jun/2021:00:28:50 +0000</requestTime> "
                           "<httpMethod>GET</httpMethod> <resourcePath>/echo</resourcePath> "
                           "<status>502</status> <protocol>HTTP/1.1</protocol> "
                           "<responseLength>115</responseLength> </request>\n",
                           &r),
                     APIGW_ACCESS);
    check_preset(&r, APIGW_FMT_XML);
}

static void test_preset_csv(void **state)
{
    (void)state;
    apigw_rec r;
    assert_int_equal(parse("49.177.65.219,-,-,29/Jun/2021:00:28:50 +0000,GET,/echo,HTTP/1.1,502,"
                           "115," RID "," XID "\n",
                           &r),
                     APIGW_ACCESS);
    check_preset(&r, APIGW_FMT_CSV);
}

static void test_custom_json(void **state)
{
    (void)state;
    apigw_rec r;
    assert_int_equal(
        parse("{\"requestId\":\"" RID "\",\"requestTimeEpoch\":1624926530160,\"httpMethod\":"
              "\"GET\",\"resourcePath\":\"/go/items/{id}\",\"path\":\"/dev/go/items/42\","
              "\"stage\":\"dev\",\"status\":200,\"responseLatency\":57,\"integrationLatency\":"
              "48.5,\"integrationStatus\":\"200\",\"integrationRequestId\":\"" LID "\","
              "\"xrayTraceId\":\"" TID "\",\"errorMessage\":\"-\",\"responseLength\":\"-\"}",
              &r),
        APIGW_ACCESS);
    assert_int_equal(r.ts_ms, INT64_C(1624926530160));
    assert_int_equal(r.status, 200);
    assert_true(r.response_latency_ms == 57.0);
    assert_true(r.integration_latency_ms == 48.5);
    assert_int_equal(r.integration_status, 200);
    assert_slice(r.integration_request_id, LID);
    assert_slice(r.xray_trace_id, TID);
    assert_slice(r.path, "/dev/go/items/42");
    assert_absent(r.error_message); /* "-" is none */
    assert_false(r.has & AG_RESP_LENGTH);
    assert_string_equal(apigw_route_runtime(&r), "go");
}

/* Nested objects and $context names as keys; a subset without the time. */
static void test_custom_json_nested(void **state)
{
    (void)state;
    apigw_rec r;
    assert_int_equal(parse("{\"context.requestId\":\"" RID "\",\"status\":429,"
                           "\"integration\":{\"latency\":\"-\",\"requestId\":\"-\"},"
                           "\"error\":{\"message\":\"Too Many Requests\"},"
                           "\"path\":\"/dev/kotlin/items\"}",
                           &r),
                     APIGW_ACCESS);
    assert_slice(r.request_id, RID);
    assert_int_equal(r.status, 429);
    assert_slice(r.error_message, "Too Many Requests");
    assert_absent(r.integration_request_id);
    assert_false(r.has & (AG_TIME | AG_INTEG_LATENCY));
    assert_string_equal(apigw_route_runtime(&r), "kotlin"); /* /{stage}/{runtime}/... */
}

/* §11.4 (b), verbatim messages. */
static void test_exec_2019(void **state)
{
    (void)state;
    apigw_rec r;
    assert_int_equal(parse("(" RID ") Extended Request Id: " XID, &r), APIGW_EXEC);
    assert_slice(r.request_id, RID);
    assert_slice(r.extended_request_id, XID);
    assert_int_equal(parse("(" RID ") Received response. Integration latency: 11029 ms", &r),
                     APIGW_EXEC);
    assert_true(r.has & AG_INTEG_LATENCY);
    assert_true(r.integration_latency_ms == 11029.0);
    assert_int_equal(
        parse("(" RID ") Endpoint response headers: {Date=Wed, 27 Feb 2019 11:31:11 GMT, "
              "Content-Type=application/json, Content-Length=115, Connection=keep-alive, "
              "x-amzn-RequestId=" LID ", X-Amz-Function-Error=Unhandled, "
              "x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST, "
              "X-Amzn-Trace-Id=root=" TID ";sampled=1}",
              &r),
        APIGW_EXEC);
    assert_slice(r.integration_request_id, LID);
    assert_slice(r.xray_trace_id, TID);
    assert_int_equal(parse("(" RID ") Lambda execution failed with status 200 due to customer "
                           "function error: 2019-02-27T11:31:11.456Z " LID " Task timed out "
                           "after 10.00 seconds. Lambda request id: " LID,
                           &r),
                     APIGW_EXEC);
    assert_int_equal(r.integration_status, 200);
    assert_slice(r.integration_request_id, LID);
    assert_slice(r.error_message,
                 "2019-02-27T11:31:11.456Z " LID " Task timed out after 10.00 seconds");
    assert_int_equal(parse("(" RID ") Method completed with status: 502", &r), APIGW_EXEC);
    assert_int_equal(r.status, 502);
    assert_int_equal(parse("(" RID ") AWS Integration Endpoint RequestId : " LID, &r),
                     APIGW_EXEC);
    assert_slice(r.integration_request_id, LID);
    assert_int_equal(parse("(" RID ") X-ray Tracing ID : " TID, &r), APIGW_EXEC);
    assert_slice(r.xray_trace_id, TID);
    assert_int_equal(parse("(" RID ") Endpoint response body before transformations: "
                           "{\"errorMessage\":\"x\"}",
                           &r),
                     APIGW_EXEC);
    assert_int_equal(r.has, 0);
    assert_absent(r.error_message);
}

/* §11.4 (a): unprefixed lines, only in an execution-log group. */
static void test_exec_2016(void **state)
{
    (void)state;
    apigw_rec r;
    enum apigw_group g = APIGW_GROUP_EXEC;
    assert_int_equal(parse_g("Starting execution for request: 9ac0eacd-87c5-11e6-b30c-19c3d9849330",
                             g, &r),
                     APIGW_EXEC);
    assert_true(r.has & AG_STARTS);
    assert_slice(r.request_id, "9ac0eacd-87c5-11e6-b30c-19c3d9849330");
    assert_int_equal(parse_g("HTTP Method: POST, Resource Path: /repos/hello", g, &r), APIGW_EXEC);
    assert_absent(r.request_id);
    assert_slice(r.http_method, "POST");
    assert_slice(r.resource_path, "/repos/hello");
    assert_int_equal(
        parse_g("Endpoint response headers: {x-amzn-Remapped-Content-Length=0, "
                "x-amzn-RequestId=953898c1-87c5-11e6-8bfd-9d908893e99b, Connection=keep-alive, "
                "Content-Length=61, X-Amz-Function-Error=Handled, Date=Sat, 01 Oct 2016 "
                "10:55:36 GMT, Content-Type=application/json}",
                g, &r),
        APIGW_EXEC);
    assert_slice(r.integration_request_id, "953898c1-87c5-11e6-8bfd-9d908893e99b");
    assert_int_equal(parse_g("Method completed with status: 400", g, &r), APIGW_EXEC);
    assert_int_equal(r.status, 400);
    /* the same line in another group is not API Gateway's */
    assert_int_equal(parse("Method completed with status: 400", &r), APIGW_NONE);
}

static void test_not_apigw(void **state)
{
    (void)state;
    apigw_rec r;
    /* an EMF document naming a requestId (the samples' Go function logs these) */
    assert_int_equal(parse("{\"_aws\":{\"Timestamp\":1},\"requestId\":\"" RID "\",\"status\":200}",
                           &r),
                     APIGW_NONE);
    assert_int_equal(parse("{\"level\":\"INFO\",\"message\":\"hi\"}", &r), APIGW_NONE);
    assert_int_equal(parse("{not json", &r), APIGW_NONE);
    assert_int_equal(parse("2026/11/25 02:00:01 GET /items 200 11.3ms", &r), APIGW_NONE);
    assert_int_equal(parse("02:00:01.123 [main] INFO  c.b.Handler - GET /items", &r), APIGW_NONE);
    assert_int_equal(parse("(abc) not an id prefix", &r), APIGW_NONE);
    assert_int_equal(parse_g("(" RID ") Method completed with status: 502", APIGW_GROUP_LAMBDA, &r),
                     APIGW_NONE);
    assert_int_equal(parse("", &r), APIGW_NONE);
    assert_int_equal(apigw_group_of("API-Gateway-Execution-Logs_uwe3g5jm54/Prod"),
                     APIGW_GROUP_EXEC);
    assert_int_equal(apigw_group_of("/aws/lambda/dev-benchmark-go"), APIGW_GROUP_LAMBDA);
    mrb_slice api, stage;
    assert_int_equal(apigw_exec_group("API-Gateway-Execution-Logs_uwe3g5jm54/Prod", &api, &stage),
                     1);
    slice_base = NULL;
    assert_slice(api, "uwe3g5jm54");
    assert_slice(stage, "Prod");
    assert_int_equal(apigw_exec_group("API-Gateway-Execution-Logs_x", &api, &stage), 0);
}

static void test_malformed(void **state)
{
    (void)state;
    apigw_rec r;
    assert_int_equal(parse("{\"requestId\":\"" RID "\",\"httpMethod\":\"GET\",\"status\":\"abc\"}",
                           &r),
                     APIGW_MALFORMED);
    assert_non_null(r.why);
    assert_int_equal(parse("{\"requestId\":\"" RID "\",\"httpMethod\":\"GET\",\"status\":999}", &r),
                     APIGW_MALFORMED);
    assert_int_equal(parse("{\"requestId\":\"" RID "\",\"httpMethod\":\"GET\","
                           "\"requestTime\":\"yesterday\"}",
                           &r),
                     APIGW_MALFORMED);
    assert_int_equal(parse("49.177.65.219 - - [29/Jun/2021:00:28:50 +0000] \"GET /echo HTTP/1.1\" 502",
                           &r),
                     APIGW_MALFORMED);
    assert_int_equal(parse("49.177.65.219 - - [29/Jun/2021:00:28:50 +0000] \"GET /echo HTTP/1.1\" "
                           "5x2 115 " RID,
                           &r),
                     APIGW_MALFORMED);
    assert_int_equal(parse("49.177.65.219,-,-,29/Jun/2021:00:28:50 +0000,GET,/echo,HTTP/1.1,ok,115,"
                           RID "," XID,
                           &r),
                     APIGW_MALFORMED);
    assert_int_equal(parse("<request id=\"" RID "\"> <status>502</status> <httpMethod>GET", &r),
                     APIGW_MALFORMED);
    assert_int_equal(parse("<request id=\"" RID, &r), APIGW_MALFORMED);
    assert_int_equal(parse_g("{\"broken\":", APIGW_GROUP_EXEC, &r), APIGW_EXEC); /* a body line */
}

static void test_route_runtime(void **state)
{
    (void)state;
    apigw_rec r;
    memset(&r, 0, sizeof r);
    r.resource_path = (mrb_slice){"/typescript/items/{id}", 22};
    assert_string_equal(apigw_route_runtime(&r), "typescript");
    r.resource_path = (mrb_slice){"/echo", 5};
    assert_null(apigw_route_runtime(&r));
    r.resource_path = (mrb_slice){NULL, 0};
    r.path = (mrb_slice){"/prod/python/health", 19};
    r.stage = (mrb_slice){"prod", 4};
    assert_string_equal(apigw_route_runtime(&r), "python");
    assert_string_equal(apigw_format_name(APIGW_FMT_CSV), "csv");
}

int main(void)
{
#define T(f) cmocka_unit_test(f)
    const struct CMUnitTest tests[] = {
        T(test_preset_clf), T(test_preset_json), T(test_preset_xml), T(test_preset_csv),
        T(test_custom_json), T(test_custom_json_nested), T(test_exec_2019), T(test_exec_2016),
        T(test_not_apigw), T(test_malformed), T(test_route_runtime),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(g_msg);
    apigw_doc_release(&g_doc);
    return rc;
}
