/* test_shapes.c — each shape decoder on its own (shape.h), from the
 * verbatim examples of FORMATS.md §4 (and the line layout §4b states).
 *
 * For every example: the sniffer picks the expected shape from the first
 * bytes, and that shape's decoder, fed through a reader over an in-memory
 * source, hands exactly the expected events (message, time, stream) to the
 * sink, in order, with no problem reported. Then a few edges per family:
 * an over-long NDJSON line is a problem and the next line still counts;
 * a subscription CONTROL_MESSAGE is skipped through the control callback. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/reader.h"
#include "mrb/shape.h"
#include "mrb/source.h"

#define MAX_EV 8

typedef struct got {
    int n, problems, controls;
    char msg[MAX_EV][200], stream[MAX_EV][64];
    int64_t ts[MAX_EV];
} got;

static int on_event(void *arg, const log_event *ev, mrb_err *err)
{
    got *g = arg;
    (void)err;
    if (g->n < MAX_EV) {
        snprintf(g->msg[g->n], sizeof g->msg[0], "%.*s", (int)ev->msg_len, ev->msg);
        snprintf(g->stream[g->n], sizeof g->stream[0], "%s", ev->log_stream ? ev->log_stream : "");
        g->ts[g->n] = ev->ts_ms;
    }
    g->n++;
    return 0;
}

static void on_problem(void *arg, long long line, long long off, const char *text)
{
    got *g = arg;
    (void)line, (void)off, (void)text;
    g->problems++;
}

static void on_control(void *arg)
{
    ((got *)arg)->controls++;
}

/* Sniffs and decodes text; checks the shape's name. */
static got decode(const char *text, const char *want_shape, size_t max_line)
{
    got g;
    memset(&g, 0, sizeof g);
    size_t n = strlen(text);
    const shape *sh = shape_sniff(text, n < SHAPE_HEAD_BYTES ? n : SHAPE_HEAD_BYTES);
    assert_non_null(sh);
    if (strcmp(sh->name, want_shape))
        fail_msg("sniffed as %s, expected %s", sh->name, want_shape);
    char *copy = malloc(n ? n : 1); /* exact size: ASan sees over-reads */
    assert_non_null(copy);
    memcpy(copy, text, n);
    mrb_err err;
    mrb_err_clear(&err);
    source *src = source_open_mem(copy, n, 1, &err);
    assert_non_null(src);
    reader *r = reader_new(src, max_line);
    assert_non_null(r);
    shape_hints hints = {.path = "in.json", .log_stream = NULL};
    event_sink sink = {.event = on_event, .problem = on_problem, .control = on_control, .arg = &g};
    if (sh->decode(r, &hints, &sink, &err) != 0)
        fail_msg("decode failed: %s", err.text);
    reader_free(r);
    source_close(src);
    free(copy);
    return g;
}

static void cli_json_filter_log_events(void **state)
{
    (void)state;
    got g = decode("{\n    \"events\": [\n        {\n"
                   "            \"logStreamName\": \"teststream\",\n"
                   "            \"timestamp\": 1712567843827,\n"
                   "            \"message\": \"Test MESSAGE1\",\n"
                   "            \"ingestionTime\": 1712567844822,\n"
                   "            \"eventId\": \"00091539120382912324200901570000096855579456010247667712\"\n"
                   "        },\n        {\n"
                   "            \"logStreamName\": \"2024/05/09/[$LATEST]abc1024\",\n"
                   "            \"timestamp\": 1712568068991,\n"
                   "            \"message\": \"Test MESSAGE2\",\n"
                   "            \"ingestionTime\": 1712568070017,\n"
                   "            \"eventId\": \"00001544141707904000000130886135001961903807164184002560\"\n"
                   "        }\n    ]\n}\n",
                   "cli-json", 1 << 20);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.problems, 0);
    assert_string_equal(g.msg[0], "Test MESSAGE1");
    assert_string_equal(g.stream[0], "teststream");
    assert_int_equal(g.ts[0], 1712567843827LL);
    assert_string_equal(g.msg[1], "Test MESSAGE2");
    assert_string_equal(g.stream[1], "2024/05/09/[$LATEST]abc1024");
}

static void cli_json_get_log_events(void **state)
{
    (void)state;
    got g = decode("  {\n      \"nextForwardToken\": "
                   "\"f/31961209122447488583055879464742346735121166569214640130\",\n"
                   "      \"events\": [\n          {\n"
                   "              \"ingestionTime\": 1433190494190,\n"
                   "              \"timestamp\": 1433190184356,\n"
                   "              \"message\": \"Example Event 1\"\n"
                   "          }\n      ]\n  }\n",
                   "cli-json", 1 << 20);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.msg[0], "Example Event 1");
    assert_int_equal(g.ts[0], 1433190184356LL);
}

static const char SUBSCRIPTION[] =
    "{\n    \"messageType\": \"DATA_MESSAGE\",\n    \"owner\": \"123456789012\",\n"
    "    \"logGroup\": \"/aws/lambda/echo-nodejs\",\n"
    "    \"logStream\": \"2019/03/13/[$LATEST]94fa867e5374431291a7fc14e2f56ae7\",\n"
    "    \"subscriptionFilters\": [\n        \"LambdaStream_cloudwatchlogs-node\"\n    ],\n"
    "    \"logEvents\": [\n        {\n"
    "            \"id\": \"34622316099697884706540976068822859012661220141643892546\",\n"
    "            \"timestamp\": 1552518348220,\n"
    "            \"message\": \"REPORT RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\\tDuration: "
    "46.84 ms\\tBilled Duration: 47 ms \\tMemory Size: 192 MB\\tMax Memory Used: 72 MB\\t\\n\"\n"
    "        }\n    ]\n}\n";

static void subscription_data_message(void **state)
{
    (void)state;
    got g = decode(SUBSCRIPTION, "subscription", 1 << 20);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.problems, 0);
    assert_string_equal(g.msg[0], "REPORT RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\t"
                                  "Duration: 46.84 ms\tBilled Duration: 47 ms \tMemory Size: "
                                  "192 MB\tMax Memory Used: 72 MB\t\n");
    assert_string_equal(g.stream[0], "2019/03/13/[$LATEST]94fa867e5374431291a7fc14e2f56ae7");
    assert_int_equal(g.ts[0], 1552518348220LL);
}

/* Firehose concatenates documents with no separator; a CONTROL_MESSAGE
 * among them is skipped through the control callback. */
static void subscription_concatenated_with_control(void **state)
{
    (void)state;
    char text[4096];
    snprintf(text, sizeof text, "%s{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\","
             "\"logGroup\":\"\",\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":["
             "{\"id\":\"\",\"timestamp\":1432826855000,\"message\":\"CWL CONTROL MESSAGE: "
             "Checking health of destination Kinesis stream.\"}]}%s",
             SUBSCRIPTION, SUBSCRIPTION);
    got g = decode(text, "subscription", 1 << 20);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.controls, 1);
    assert_int_equal(g.problems, 0);
}

/* §4b: "<ISO8601 with ms and Z> <message>", messages ending in a newline,
 * so events are separated by blank lines (the message keeps that
 * newline); a line without a timestamp continues the event before it. */
static void s3_export_lines(void **state)
{
    (void)state;
    got g = decode("2019-03-13T23:05:48.220Z START RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff "
                   "Version: $LATEST\n\n"
                   "2019-03-13T23:05:48.230Z Traceback (most recent call last):\n"
                   "  File \"/var/task/app.py\", line 3\n\n"
                   "2019-03-13T23:05:48.260Z END RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\n\n",
                   "s3-export", 1 << 20);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.problems, 0);
    assert_string_equal(g.msg[0], "START RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff "
                                  "Version: $LATEST\n"); /* Lambda's own newline, kept */
    assert_int_equal(g.ts[0], 1552518348220LL);
    if (!strstr(g.msg[1], "line 3"))
        fail_msg("the continuation line is not part of the event: \"%s\"", g.msg[1]);
    assert_string_equal(g.msg[2], "END RequestId: 6234bffe-149a-b642-81ff-2e8e376d8aff\n");
}

static void insights_results(void **state)
{
    (void)state;
    got g = decode("    {\n        \"results\": [\n            [\n"
                   "                {\n                    \"field\": \"@timestamp\",\n"
                   "                    \"value\": \"2024-05-19 06:10:35.743\"\n                },\n"
                   "                {\n                    \"field\": \"@message\",\n"
                   "                    \"value\": \"Test BENCHMARK 3\"\n                },\n"
                   "                {\n                    \"field\": \"@logStream\",\n"
                   "                    \"value\": \"TestStream\"\n                },\n"
                   "                {\n                    \"field\": \"@ptr\",\n"
                   "                    \"value\": \"ClQKGAoUODc3MzYyMTE0MTkzOnRlc3ROSFQQARI0\"\n"
                   "                }\n            ]\n        ],\n"
                   "        \"statistics\": {\n            \"recordsMatched\": 3.0,\n"
                   "            \"recordsScanned\": 3.0,\n            \"bytesScanned\": 141.0\n"
                   "        },\n        \"status\": \"Complete\"\n    }\n",
                   "insights", 1 << 20);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.problems, 0);
    assert_string_equal(g.msg[0], "Test BENCHMARK 3");
    assert_string_equal(g.stream[0], "TestStream");
    assert_int_equal(g.ts[0], 1716099035743LL);
}

/* jq -c '.events[]' of the filter-log-events example; a line longer than
 * the reader's limit is one problem and the lines after it still count. */
static void ndjson_lines(void **state)
{
    (void)state;
    char text[2048], pad[300];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    snprintf(text, sizeof text,
             "{\"logStreamName\":\"teststream\",\"timestamp\":1712567843827,\"message\":\"Test "
             "MESSAGE1\",\"ingestionTime\":1712567844822,\"eventId\":\"1\"}\n"
             "{\"logStreamName\":\"teststream\",\"timestamp\":1712567843828,\"message\":\"%s\"}\n"
             "   \n"
             "{\"logStreamName\":\"2024/05/09/[$LATEST]abc1024\",\"timestamp\":1712568068991,"
             "\"message\":\"Test MESSAGE2\",\"ingestionTime\":1712568070017,\"eventId\":\"2\"}\n",
             pad);
    got g = decode(text, "ndjson", 256);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.problems, 1);
    assert_string_equal(g.msg[0], "Test MESSAGE1");
    assert_string_equal(g.msg[1], "Test MESSAGE2");
    assert_string_equal(g.stream[1], "2024/05/09/[$LATEST]abc1024");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_json_filter_log_events),
        cmocka_unit_test(cli_json_get_log_events),
        cmocka_unit_test(subscription_data_message),
        cmocka_unit_test(subscription_concatenated_with_control),
        cmocka_unit_test(s3_export_lines),
        cmocka_unit_test(insights_results),
        cmocka_unit_test(ndjson_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
