/* test_ddb_file.c — sniffing and walking whole files of records (ddb_file.h).
 *
 * Sniffing: every form claimed (Lambda event, get-records pages, tumbling
 * window event, NDJSON and concatenated records, arrays, Lambda Kinesis
 * events and `aws kinesis get-records` output carrying KDS records, an empty
 * get-records page), and none of the CloudWatch Logs shapes
 * (each also checked to be claimed by its own detector), nor S3 events, nor
 * a log line that merely mentions or nests "dynamodb". Walking: each form
 * with record positions (line, offset, index, Kinesis sequence number),
 * gzip through the source, odd key order, empty input; every error with
 * its record number and position; and a generated 10,000-record document
 * (about 7 MB) walked through a reader capped at 64 KiB, fed by a generator
 * so the document never exists in memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzbytes.h"
#include "mrb/ddb_file.h"
#include "mrb/shape.h"

/* ---- helpers ---- */

static void b64(const char *in, sb *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in), i;
    const unsigned char *p = (const unsigned char *)in;

    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63]};
        sb_add(out, q, 4);
    }
    if (n - i == 1) {
        unsigned v = (unsigned)p[i] << 16;
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], '=', '='};
        sb_add(out, q, 4);
    } else if (n - i == 2) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
        char q[4] = {tab[v >> 18], tab[(v >> 12) & 63], tab[(v >> 6) & 63], '='};
        sb_add(out, q, 4);
    }
}

/* What the walk saw: one line per record. */
typedef struct seen {
    sb text;
    long long calls;
    long long fail_at; /* 1-based call that fails, 0 for none */
} seen;

static int collect(void *arg, const ddb_record *rec, const ddb_pos *pos, mrb_err *err)
{
    seen *s = arg;

    s->calls++;
    assert_int_equal(pos->index, s->calls - 1);
    sb_addf(&s->text, "%lld:%lld %s %s %s%s%s\n", pos->line, pos->offset, ddb_event_name(rec->event),
            rec->event_id, rec->table_name ? rec->table_name : "-",
            pos->kinesis_seq ? " seq=" : "", pos->kinesis_seq ? pos->kinesis_seq : "");
    if (s->fail_at && s->calls == s->fail_at)
        return mrb_err_set(err, 0, -1, "the store said no");
    return 0;
}

/* Walks data[0..n) (gzip allowed) with a reader capped at max; returns the
 * walk's result and fills *s and *err. */
static long long walk_mem(const void *data, size_t n, size_t max, seen *s, mrb_err *err)
{
    mrb_err_clear(err);
    mrb_err_source(err, "in.json");
    source *src = source_open_mem(data, n, 1, err);
    assert_non_null(src);
    reader *r = reader_new(src, max);
    long long rc = ddb_file_walk(r, collect, s, err);
    reader_free(r);
    source_close(src);
    return rc;
}

static void expect_walk(const char *doc, long long count, const char *lines)
{
    seen s = {SB_INIT, 0, 0};
    mrb_err err;
    long long rc = walk_mem(doc, strlen(doc), 1 << 20, &s, &err);

    if (rc != count || strcmp(sb_str(&s.text), lines) != 0)
        fail_msg("walk returned %lld (%s), saw:\n%s expected %lld:\n%s", rc, err.text,
                 sb_str(&s.text), count, lines);
    assert_string_equal(err.source, "in.json"); /* kept */
    sb_release(&s.text);
}

static void expect_walk_error(const char *doc, size_t max, long long calls, const char *text,
                              long long line, long long offset)
{
    seen s = {SB_INIT, 0, 0};
    mrb_err err;
    long long rc = walk_mem(doc, strlen(doc), max, &s, &err);

    if (rc != -1)
        fail_msg("walk succeeded with %lld records: %s", rc, doc);
    assert_string_equal(err.text, text);
    assert_int_equal(s.calls, calls);
    assert_int_equal(err.line, line);
    if (offset != -2)
        assert_int_equal(err.offset, offset);
    assert_string_equal(err.source, "in.json");
    sb_release(&s.text);
}

/* Records in one line each. */
#define REC(id, ev)                                                                              \
    "{\"eventID\":\"" id "\",\"eventName\":\"" ev "\",\"eventVersion\":\"1.1\","                  \
    "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":{"                \
    "\"ApproximateCreationDateTime\":1480642020,\"Keys\":{\"id\":{\"S\":\"" id "\"}},"           \
    "\"NewImage\":{\"id\":{\"S\":\"" id "\"},\"price\":{\"N\":\"1.5\"}},"                        \
    "\"SequenceNumber\":\"1405400000000002063282832\",\"SizeBytes\":20,"                          \
    "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},\"eventSourceARN\":"                             \
    "\"arn:aws:dynamodb:us-east-1:123456789012:table/Items/stream/2016-12-01T00:00:00.000\"}"

#define KDS(id)                                                                                  \
    "{\"awsRegion\":\"eu-west-1\",\"eventID\":\"" id "\",\"eventName\":\"MODIFY\","              \
    "\"userIdentity\":null,\"recordFormat\":\"application/json\",\"tableName\":\"Orders\","      \
    "\"dynamodb\":{\"ApproximateCreationDateTime\":1720740233012995,"                            \
    "\"Keys\":{\"id\":{\"S\":\"" id "\"}},\"NewImage\":{\"id\":{\"S\":\"" id "\"}},"             \
    "\"OldImage\":{\"id\":{\"S\":\"" id "\"}},\"SizeBytes\":12},\"eventSource\":\"aws:dynamodb\"}"

/* A Lambda Kinesis event with the given KDS records' JSON, base64. */
static void kinesis_event(sb *out, const char *const *records, int n, int pretty)
{
    sb_adds(out, pretty ? "{\n  \"Records\": [\n" : "{\"Records\":[");
    for (int i = 0; i < n; i++) {
        sb_addf(out, "%s{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"k%d\","
                     "\"sequenceNumber\":\"4959%036d\",\"data\":\"",
                i ? (pretty ? ",\n    " : ",") : (pretty ? "    " : ""), i, i);
        b64(records[i], out);
        sb_addf(out, "\",\"approximateArrivalTimestamp\":1720740233.123},\"eventSource\":"
                     "\"aws:kinesis\",\"eventVersion\":\"1.0\",\"eventID\":\"shardId-000000000000:"
                     "4959%036d\",\"eventName\":\"aws:kinesis:record\",\"awsRegion\":\"eu-west-1\"}", i);
    }
    sb_adds(out, pretty ? "\n  ]\n}\n" : "]}");
}

/* `aws kinesis get-records` output over the given KDS records. */
static void kinesis_cli(sb *out, const char *const *records, int n)
{
    sb_adds(out, "{\n    \"Records\": [\n");
    for (int i = 0; i < n; i++) {
        sb_addf(out, "%s        {\n            \"SequenceNumber\": \"4960%036d\",\n"
                     "            \"ApproximateArrivalTimestamp\": \"2024-07-11T23:23:53.123000+00:00\",\n"
                     "            \"Data\": \"", i ? ",\n" : "", i);
        b64(records[i], out);
        sb_addf(out, "\",\n            \"PartitionKey\": \"K%d\"\n        }", i);
    }
    sb_adds(out, "\n    ],\n    \"NextShardIterator\": \"AAAAAAAAAAH\",\n    \"MillisBehindLatest\": 0\n}\n");
}

/* ---- sniffing ---- */

static void claimed(const char *head, int want, const char *why)
{
    if (ddb_file_sniff(head, strlen(head)) != want)
        fail_msg("sniff should %s: %s\n%s", want ? "claim" : "decline", why, head);
}

static void test_sniff_ours(void **state)
{
    (void)state;
    claimed("{\n  \"Records\": [\n    {\n      \"eventID\": \"1\",\n      \"eventName\": \"INSERT\",\n"
            "      \"eventSource\": \"aws:dynamodb\",\n      \"dynamodb\": {", 1, "Lambda event, pretty");
    claimed("{\"Records\":[" REC("a", "INSERT") "]}", 1, "Lambda event, compact");
    claimed("{\"NextShardIterator\":\"arn:aws:dynamodb:us-west-2:1:table/T/stream/x|1|AAA\","
            "\"Records\":[" REC("a", "INSERT") "]}", 1, "get-records, iterator first");
    claimed("{\"Records\":[],\"NextShardIterator\":\"arn:aws:dynamodb:us-west-2:1:table/T/stream/"
            "2024-01-01T00:00:00.000|1|AAAAAAAAAAGQ\"}", 1, "an empty get-records page");
    claimed("{\"Records\":[" REC("a", "INSERT") "],\"window\":{\"start\":\"2020-07-30T17:00:00Z\"},"
            "\"shardId\":\"s\"}", 1, "tumbling window event");
    claimed(REC("a", "INSERT") "\n" REC("b", "REMOVE") "\n", 1, "NDJSON of stream records");
    claimed(KDS("u1") KDS("u2"), 1, "concatenated KDS records (Firehose)");
    claimed("[" REC("a", "INSERT") "]", 1, "array of records");
    /* records whose images hold "message" and "timestamp" attributes are still records */
    claimed("{\"eventID\":\"1\",\"eventName\":\"INSERT\",\"dynamodb\":{\"NewImage\":{\"message\":"
            "{\"S\":\"hi\"},\"timestamp\":{\"N\":\"1\"}}}}", 1, "record with log-like attributes");
    /* the Go SDK writes every tag */
    claimed("{\"Records\":[{\"eventID\":\"1\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"v\":"
            "{\"B\":null,\"S\":\"x\"}}}}]}", 1, "null tags");

    const char *kds[2] = {KDS("u1"), KDS("u2")};
    sb ev = SB_INIT;
    kinesis_event(&ev, kds, 2, 1);
    claimed(sb_str(&ev), 1, "Lambda Kinesis event with KDS records");
    sb_reset(&ev);
    kinesis_cli(&ev, kds, 2);
    claimed(sb_str(&ev), 1, "aws kinesis get-records output with KDS records");
    sb_reset(&ev);
    kinesis_event(&ev, kds, 2, 1);
    /* only the first 4096 bytes are looked at: a cut data string still decodes */
    assert_true(ev.len > 200);
    assert_int_equal(ddb_file_sniff(ev.buf, 400), 1);
    sb_release(&ev);
}

/* The CloudWatch shapes: not ours, and each claimed by its own detector. */
static void test_sniff_not_ours(void **state)
{
    static const struct { const char *shape, *head; } cw[] = {
        {"cli-json", "{\"events\":[{\"logStreamName\":\"s\",\"timestamp\":1712567843827,\"message\":"
                     "\"{\\\"eventName\\\":\\\"INSERT\\\",\\\"dynamodb\\\":{}}\",\"ingestionTime\":1}]}"},
        {"cli-json", "{\"nextForwardToken\":\"f/1\",\"events\":[]}"},
        {"subscription", "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\",\"logGroup\":\"/aws/lambda/x\","
                         "\"logStream\":\"s\",\"subscriptionFilters\":[],\"logEvents\":[]}"},
        {"awslogs", "{\"awslogs\":{\"data\":\"H4sIAAAAAAAAAHWPwQqCQBCGX0Xm7EFtK\"}}"},
        {"kinesis", "{\"Records\":[{\"kinesis\":{\"kinesisSchemaVersion\":\"1.0\",\"partitionKey\":\"k\","
                    "\"sequenceNumber\":\"1\",\"data\":\"H4sIAAAAAAAAADWOwQrCMBBE\"},"
                    "\"eventSource\":\"aws:kinesis\"}]}"},
        {"insights", "{\"results\":[[{\"field\":\"@message\",\"value\":\"dynamodb\"}]],\"status\":\"Complete\"}"},
        {"ndjson", "{\"timestamp\":1712567843827,\"message\":\"REPORT RequestId: x\",\"dynamodb\":{},"
                   "\"eventName\":\"INSERT\"}\n"},
        {"s3-export", "2024-05-09T06:10:35.743Z START RequestId: 1 Version: $LATEST\n"},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cw / sizeof cw[0]; i++) {
        const shape *sh = shape_find(cw[i].shape);
        assert_non_null(sh);
        if (!sh->detect(cw[i].head, strlen(cw[i].head)))
            fail_msg("sample %zu is not %s", i, cw[i].shape);
        claimed(cw[i].head, 0, cw[i].shape);
    }
    /* S3, SQS events; a Powertools log line nesting a DynamoDB event */
    claimed("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":"
            "\"us-east-1\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{}}]}", 0, "S3 event");
    claimed("{\"level\":\"INFO\",\"event\":{\"eventName\":\"INSERT\",\"dynamodb\":{}}}", 0,
            "nested record");
    claimed("{\"level\":\"INFO\",\"message\":\"x\",\"Records\":[{\"eventName\":\"INSERT\","
            "\"dynamodb\":{}}]}", 0, "log line with a message key");
    /* Kinesis data that is JSON but no DynamoDB record */
    sb ev = SB_INIT;
    const char *other[1] = {"{\"sensor\":\"t1\",\"value\":21.5}"};
    kinesis_event(&ev, other, 1, 0);
    claimed(sb_str(&ev), 0, "Kinesis event with other JSON");
    sb_release(&ev);
    claimed("", 0, "empty");
    claimed("   \n", 0, "blank");
    claimed("hello", 0, "text");
    claimed("{}", 0, "empty object");
    claimed("[]", 0, "empty array");
    claimed("{\"Records\":[]}", 0, "no record to judge by");
    claimed("{\"Records\":[],\"NextShardIterator\":\"AAAAAAAAAAEDOW3ugseWPE4503kqN1yN1UaodY8unE0sYsl\"}",
            0, "an empty Kinesis page");
}

/* ---- walking ---- */

/* Positions computed from the document itself. */
static void test_walk_positions(void **state)
{
    (void)state;
    const char *l1 = "{\"Records\": [\n";
    const char *l2 = "  " REC("a", "INSERT") ",\n";
    char doc[4096], want[256];

    snprintf(doc, sizeof doc, "%s%s  %s\n], \"NextShardIterator\": \"x|1|AA\"}\n", l1, l2,
             REC("b", "MODIFY"));
    snprintf(want, sizeof want, "2:%zu INSERT a Items\n3:%zu MODIFY b Items\n", strlen(l1) + 2,
             strlen(l1) + strlen(l2) + 2);
    expect_walk(doc, 2, want);
}

static void test_walk_forms(void **state)
{
    (void)state;
    char doc[8192], want[512];
    size_t r1 = strlen(REC("a", "INSERT")), k1 = strlen(KDS("u1"));

    /* pages back to back, one empty */
    snprintf(doc, sizeof doc, "{\"Records\":[%s],\"NextShardIterator\":\"i1\"}\n"
                              "{\"Records\":[],\"NextShardIterator\":\"i2\"}\n"
                              "{\"Records\":[%s,%s]}",
             REC("a", "INSERT"), REC("b", "REMOVE"), REC("c", "INSERT"));
    size_t p3 = strlen("{\"Records\":[],\"NextShardIterator\":\"i1\"}\n") + r1 +
                strlen("{\"Records\":[],\"NextShardIterator\":\"i2\"}\n");
    snprintf(want, sizeof want, "1:12 INSERT a Items\n3:%zu REMOVE b Items\n3:%zu INSERT c Items\n",
             p3 + 12, p3 + 12 + r1 + 1);
    expect_walk(doc, 3, want);

    /* the tumbling-window event: members after Records are skipped */
    expect_walk("{\"Records\":[" REC("a", "INSERT") "],\"window\":{\"start\":\"2020-07-30T17:00:00Z\","
                "\"end\":\"2020-07-30T17:05:00Z\"},\"state\":{\"1\":\"state1\"},\"shardId\":\"s\","
                "\"eventSourceARN\":\"stream-ARN\",\"isFinalInvokeForWindow\":false}",
                1, "1:12 INSERT a Items\n");

    /* small events whose Records come later are read whole (positions: the event's) */
    expect_walk("{\"shardId\":\"s\",\"Records\":[" REC("a", "INSERT") "," REC("b", "INSERT") "]}",
                2, "1:0 INSERT a Items\n1:0 INSERT b Items\n");

    /* NDJSON of both kinds, blank lines, CRLF */
    snprintf(doc, sizeof doc, "%s\r\n\r\n%s\n", REC("a", "INSERT"), KDS("u1"));
    snprintf(want, sizeof want, "1:0 INSERT a Items\n3:%zu MODIFY u1 Orders\n", r1 + 4);
    expect_walk(doc, 2, want);

    /* concatenated without a separator (Firehose) */
    snprintf(doc, sizeof doc, "%s%s", KDS("u1"), KDS("u2"));
    snprintf(want, sizeof want, "1:0 MODIFY u1 Orders\n1:%zu MODIFY u2 Orders\n", k1);
    expect_walk(doc, 2, want);

}

static void test_walk_array(void **state)
{
    (void)state;
    char doc[4096], want[256];

    snprintf(doc, sizeof doc, "[%s,\n %s]", REC("a", "INSERT"), REC("b", "REMOVE"));
    snprintf(want, sizeof want, "1:1 INSERT a Items\n2:%zu REMOVE b Items\n",
             1 + strlen(REC("a", "INSERT")) + 3);
    expect_walk(doc, 2, want);
    expect_walk("", 0, "");
    expect_walk(" \n\t\n", 0, "");
    expect_walk("{\"Records\":[]}[]", 0, "");
}

static void test_walk_kinesis(void **state)
{
    (void)state;
    const char *kds[2] = {KDS("u1"), KDS("u2")};
    sb ev = SB_INIT;

    kinesis_event(&ev, kds, 2, 1);
    seen s = {SB_INIT, 0, 0};
    mrb_err err;
    assert_int_equal(walk_mem(ev.buf, ev.len, 1 << 20, &s, &err), 2);
    char want[512];
    snprintf(want, sizeof want,
             "3:%zu MODIFY u1 Orders seq=4959%036d\n4:%zu MODIFY u2 Orders seq=4959%036d\n",
             strlen("{\n  \"Records\": [\n    "), 0, strstr(ev.buf, ",\n    {") + 6 - ev.buf, 1);
    assert_string_equal(sb_str(&s.text), want);
    sb_release(&s.text);

    /* `aws kinesis get-records` output */
    sb_reset(&ev);
    kinesis_cli(&ev, kds, 2);
    s.calls = 0;
    assert_int_equal(walk_mem(ev.buf, ev.len, 1 << 20, &s, &err), 2);
    snprintf(want, sizeof want, "3:%zu MODIFY u1 Orders seq=4960%036d\n9:%zu MODIFY u2 Orders seq=4960%036d\n",
             strlen("{\n    \"Records\": [\n        "), 0,
             strstr(ev.buf, "},\n        {") + 11 - ev.buf, 1);
    assert_string_equal(sb_str(&s.text), want);
    sb_release(&s.text);

    /* a Kinesis record alone, one per line */
    sb line = SB_INIT;
    sb_adds(&line, "{\"kinesis\":{\"sequenceNumber\":\"7\",\"data\":\"");
    b64(KDS("u3"), &line);
    sb_adds(&line, "\"},\"eventSource\":\"aws:kinesis\"}\n");
    expect_walk(sb_str(&line), 1, "1:0 MODIFY u3 Orders seq=7\n");
    sb_release(&line);
    sb_release(&ev);
}

static void test_walk_gzip(void **state)
{
    (void)state;
    const char *doc = "{\"Records\":[" REC("a", "INSERT") "," REC("b", "INSERT") "]}\n";
    bytes gz = {NULL, 0, 0};
    seen s = {SB_INIT, 0, 0};
    mrb_err err;

    /* two gzip members, split inside the first record */
    gz_add(&gz, doc, 100);
    gz_add(&gz, doc + 100, strlen(doc) - 100);
    assert_int_equal(walk_mem(gz.p, gz.n, 1 << 20, &s, &err), 2);
    assert_int_equal(s.calls, 2);
    sb_release(&s.text);
    bytes_free(&gz);
}

static void test_walk_errors(void **state)
{
    (void)state;
    char doc[8192];
    size_t r1 = strlen(REC("a", "INSERT"));

    /* a malformed second record: its number, line and offset; the first was handed on */
    snprintf(doc, sizeof doc, "{\"Records\": [\n%s,\n%s\n]}",
             REC("a", "INSERT"),
             "{\"eventID\":\"b\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"b\"}},"
             "\"NewImage\":{\"price\":{\"N\":\"abc\"}}}}");
    expect_walk_error(doc, 1 << 20, 1, "record 2: NewImage.price: N value \"abc\" is not a number",
                      3, (long long)(14 + r1 + 2));

    /* invalid JSON on line 3 of NDJSON: where jansson stopped */
    snprintf(doc, sizeof doc, "%s\n%s\n{\"eventID\":\"c\",}\n%s\n", REC("a", "INSERT"),
             REC("b", "INSERT"), REC("d", "INSERT"));
    expect_walk_error(doc, 1 << 20, 2, "record 3: invalid JSON: string or '}' expected near '}'", 3,
                      -2);

    /* not a DynamoDB record */
    expect_walk_error("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
                      "\"eventName\":\"ObjectCreated:Put\"}]}", 1 << 20, 0,
                      "record 1: eventSource is \"aws:s3\", not aws:dynamodb", 1, 12);
    expect_walk_error("hello", 1 << 20, 0, "expected a record or a document with Records (a JSON "
                                           "object), found 'h'", 1, 0);
    expect_walk_error(REC("a", "INSERT") "\n42\n", 1 << 20, 1,
                      "expected a record or a document with Records (a JSON object), found '4'", 2, -2);

    /* a truncated document */
    snprintf(doc, sizeof doc, "{\"Records\":[%s", REC("a", "INSERT"));
    expect_walk_error(doc, 1 << 20, 1, "expected ',' or ']' after an element, found end of input", 1,
                      (long long)strlen(doc));
    expect_walk_error("{\"Records\":[{\"eventID\":\"a\"", 1 << 20, 0,
                      "document ends inside an object or array", 1, -2);

    /* a record longer than the reader's cap */
    char big[6000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(doc, sizeof doc, "{\"Records\":[{\"eventID\":\"a\",\"eventName\":\"INSERT\",\"pad\":\"%s\"}]}", big);
    expect_walk_error(doc, 4096, 0, "value longer than 4096 bytes", 1, -2);
}

static void test_walk_kinesis_errors(void **state)
{
    (void)state;
    expect_walk_error("{\"Records\":[{\"kinesis\":{\"data\":\"H4sIAAAAAAAAADWOwQrCMBBE\"},"
                      "\"eventSource\":\"aws:kinesis\"}]}", 1 << 20, 0,
                      "record 1: kinesis.data is gzip (a CloudWatch Logs subscription payload), "
                      "not a DynamoDB record", 1, 12);
    expect_walk_error("{\"Records\":[{\"kinesis\":{\"data\":\"e30*\"}}]}", 1 << 20, 0,
                      "record 1: kinesis.data is not valid base64 (character 4)", 1, 12);
    expect_walk_error("{\"Records\":[{\"kinesis\":{\"data\":\"bm90IGpzb24=\"}}]}", 1 << 20, 0,
                      "record 1: kinesis.data: invalid JSON: '[' or '{' expected near 'not'", 1, 12);
    expect_walk_error("{\"Records\":[{\"kinesis\":{\"data\":7}}]}", 1 << 20, 0,
                      "record 1: kinesis record without a string kinesis.data", 1, 12);
    expect_walk_error("{\"Records\":[{\"SequenceNumber\":\"1\",\"Data\":\"H4sIAAAAAAAAADWOwQrCMBBE\","
                      "\"PartitionKey\":\"k\"}]}", 1 << 20, 0,
                      "record 1: Data is gzip (a CloudWatch Logs subscription payload), not a "
                      "DynamoDB record", 1, 12);
    /* the inner record is checked like any other */
    sb ev = SB_INIT;
    const char *bad[1] = {"{\"eventID\":\"u\",\"eventName\":\"INSERT\",\"tableName\":\"T\"}"};
    kinesis_event(&ev, bad, 1, 0);
    expect_walk_error(sb_str(&ev), 1 << 20, 0, "record 1: record without a dynamodb object", 1, 12);
    sb_release(&ev);
}

static void test_callback_error(void **state)
{
    (void)state;
    char doc[4096];
    seen s = {SB_INIT, 0, 2};
    mrb_err err;

    snprintf(doc, sizeof doc, "%s\n%s\n%s\n", REC("a", "INSERT"), REC("b", "INSERT"), REC("c", "INSERT"));
    assert_int_equal(walk_mem(doc, strlen(doc), 1 << 20, &s, &err), -1);
    assert_string_equal(err.text, "the store said no");
    assert_int_equal(err.line, 2); /* filled from the record's position */
    assert_int_equal(err.offset, (long long)strlen(REC("a", "INSERT")) + 1);
    assert_int_equal(s.calls, 2);
    sb_release(&s.text);
}

/* ---- a generated 10,000-record document ---- */

enum { GEN_RECORDS = 10000 };

typedef struct gen {
    int next;        /* next record to produce */
    int stage;       /* 0 head, 1 records, 2 tail, 3 done */
    sb chunk;        /* text not yet handed out */
    size_t pos;
    long long bytes; /* produced so far */
} gen;

static void gen_record(gen *g, int i)
{
    sb_reset(&g->chunk);
    g->pos = 0;
    sb_addf(&g->chunk,
            "%s\n    {\"eventID\":\"%032x\",\"eventName\":\"%s\",\"eventVersion\":\"1.1\","
            "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":{"
            "\"ApproximateCreationDateTime\":%d,\"Keys\":{\"id\":{\"S\":\"item-%06d\"}},"
            "\"NewImage\":{\"id\":{\"S\":\"item-%06d\"},\"name\":{\"S\":\"Widget %d\"},"
            "\"description\":{\"S\":\"%.*s\"},\"price\":{\"N\":\"%d.%02d\"},"
            "\"created_at\":{\"N\":\"1700000000%03d\"},\"updated_at\":{\"N\":\"1700000001%03d\"}},"
            "\"SequenceNumber\":\"%021d\",\"SizeBytes\":200,\"StreamViewType\":\"NEW_IMAGE\"},"
            "\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/Bench/stream/"
            "2024-01-01T00:00:00.000\"}",
            i ? "," : "", (unsigned)i, i % 3 ? "MODIFY" : "INSERT", 1700000000 + i, i, i, i,
            i % 200, "................................................................................"
                     "................................................................................"
                     "........................................",
            i % 100, i % 100, i % 1000, i % 1000, i + 1);
}

static long gen_read(void *arg, void *buf, size_t n, mrb_err *err)
{
    gen *g = arg;
    (void)err;

    while (g->pos == g->chunk.len) {
        if (g->stage == 0) {
            sb_reset(&g->chunk);
            g->pos = 0;
            sb_adds(&g->chunk, "{\n  \"Records\": [");
            g->stage = 1;
        } else if (g->stage == 1 && g->next < GEN_RECORDS) {
            gen_record(g, g->next++);
        } else if (g->stage == 1) {
            sb_reset(&g->chunk);
            g->pos = 0;
            sb_adds(&g->chunk, "\n  ],\n  \"NextShardIterator\": \"arn:x|1|AAAA\"\n}\n");
            g->stage = 2;
        } else {
            return 0;
        }
    }
    size_t k = g->chunk.len - g->pos < n ? g->chunk.len - g->pos : n;
    memcpy(buf, g->chunk.buf + g->pos, k);
    g->pos += k;
    g->bytes += (long long)k;
    return (long)k;
}

typedef struct tally {
    long long n, wru, size;
    int inserts;
} tally;

static int count_record(void *arg, const ddb_record *rec, const ddb_pos *pos, mrb_err *err)
{
    tally *t = arg;
    char id[40];
    (void)err;

    snprintf(id, sizeof id, "%032x", (unsigned)pos->index);
    assert_string_equal(rec->event_id, id);
    assert_int_equal(pos->line, pos->index + 3); /* one record per line from line 3 */
    assert_string_equal(rec->table_name, "Bench");
    t->n++;
    t->wru += rec->wru;
    t->size += rec->item_size;
    t->inserts += rec->event == DDB_EVENT_INSERT;
    return 0;
}

static void test_ten_thousand_records_bounded(void **state)
{
    gen g = {0, 0, SB_INIT, 0, 0};
    source_feed feed = {gen_read, NULL, &g};
    tally t = {0, 0, 0, 0};
    mrb_err err;
    (void)state;

    source *src = source_open_feed(&feed);
    reader *r = reader_new(src, 64 * 1024);
    mrb_err_clear(&err);
    long long n = ddb_file_walk(r, count_record, &t, &err);
    if (n < 0)
        fail_msg("walk failed: line %lld: %s", err.line, err.text);
    assert_int_equal(n, GEN_RECORDS);
    assert_int_equal(t.n, GEN_RECORDS);
    assert_int_equal(t.inserts, (GEN_RECORDS + 2) / 3);
    assert_int_equal(t.wru, GEN_RECORDS); /* every item is under 1 KB */
    assert_true(t.size > 100LL * GEN_RECORDS);
    /* the document (about 7 MB) is over 100 times the reader's cap: never held whole */
    assert_true(g.bytes > 100LL * 64 * 1024);
    reader_free(r);
    source_close(src);
    sb_release(&g.chunk);

    /* control: the same document read as one value (Records not first) hits the cap */
    gen h = {0, 0, SB_INIT, 0, 0};
    source_feed hfeed = {gen_read, NULL, &h};
    src = source_open_feed(&hfeed);
    r = reader_new(src, 64 * 1024);
    sb_adds(&h.chunk, "{\"shardId\":\"s\",\"Records\":[");
    h.stage = 1;
    mrb_err_clear(&err);
    assert_int_equal(ddb_file_walk(r, count_record, &t, &err), -1);
    assert_string_equal(err.text, "value longer than 65536 bytes");
    reader_free(r);
    source_close(src);
    sb_release(&h.chunk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_ours),
        cmocka_unit_test(test_sniff_not_ours),
        cmocka_unit_test(test_walk_positions),
        cmocka_unit_test(test_walk_forms),
        cmocka_unit_test(test_walk_array),
        cmocka_unit_test(test_walk_kinesis),
        cmocka_unit_test(test_walk_gzip),
        cmocka_unit_test(test_walk_errors),
        cmocka_unit_test(test_walk_kinesis_errors),
        cmocka_unit_test(test_callback_error),
        cmocka_unit_test(test_ten_thousand_records_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
