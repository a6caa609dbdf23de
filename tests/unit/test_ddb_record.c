/* test_ddb_record.c — one stream record into a struct (ddb_record.h).
 *
 * The records of FORMATS.md §6 (Lambda event, get-records output, the
 * tumbling-window event's INSERT / MODIFY / REMOVE, a Kinesis Data Streams
 * record): every field, SizeBytes equal to size(Keys) + size(images) as AWS
 * computes it, item size and WRU (MODIFY by the larger image); timestamps
 * in s (integer and ".0"), ms, µs, explicit precision and ISO; 40-digit
 * sequence numbers; TTL deletes; KEYS_ONLY / NEW_IMAGE / OLD_IMAGE views;
 * every malformed record (message, struct left empty); ARN helpers; dedupe
 * keys. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/ddb_record.h"

static json_t *load(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        fail_msg("test JSON does not parse: %s: %s", je.text, text);
    return j;
}

/* Parses text into *r; the JSON stays alive in *keep (decref after). */
static void parse_ok(const char *text, ddb_record *r, json_t **keep)
{
    mrb_err err;

    *keep = load(text);
    mrb_err_clear(&err);
    if (ddb_record_parse(*keep, r, &err) < 0)
        fail_msg("record rejected: %s", err.text);
}

static void done(ddb_record *r, json_t *keep)
{
    ddb_record_free(r);
    json_decref(keep);
}

/* FORMATS.md §6.1, first record (a TTL-style userIdentity included). */
static const char lambda_record[] =
    "{\"eventID\":\"f07f8ca4b0b26cb9c4e5e77e69f274ee\",\"eventName\":\"INSERT\","
    "\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\","
    "\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"},"
    "\"dynamodb\":{\"ApproximateCreationDateTime\":1480642020,"
    "\"Keys\":{\"val\":{\"S\":\"data\"},\"key\":{\"S\":\"binary\"}},"
    "\"NewImage\":{\"val\":{\"S\":\"data\"},\"asdf1\":{\"B\":\"AAEqQQ==\"},"
    "\"asdf2\":{\"BS\":[\"AAEqQQ==\",\"QSoBAA==\"]},\"key\":{\"S\":\"binary\"}},"
    "\"SequenceNumber\":\"1405400000000002063282832\",\"SizeBytes\":54,"
    "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
    "\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/Example-Table/stream/"
    "2016-12-01T00:00:00.000\"}";

static void test_lambda_record(void **state)
{
    ddb_record r;
    json_t *j;
    (void)state;

    parse_ok(lambda_record, &r, &j);
    assert_int_equal(r.origin, DDB_ORIGIN_STREAMS);
    assert_string_equal(r.event_id, "f07f8ca4b0b26cb9c4e5e77e69f274ee");
    assert_int_equal(r.event, DDB_EVENT_INSERT);
    assert_string_equal(ddb_event_name(r.event), "INSERT");
    assert_string_equal(r.table_name, "Example-Table");
    assert_string_equal(r.region, "us-east-1");
    assert_string_equal(r.stream_arn, "arn:aws:dynamodb:us-east-1:123456789012:table/"
                                      "Example-Table/stream/2016-12-01T00:00:00.000");
    assert_string_equal(r.stream_view_type, "NEW_AND_OLD_IMAGES");
    assert_string_equal(r.sequence_number, "1405400000000002063282832");
    assert_int_equal(r.has_ts, 1);
    assert_true(r.approx_ts_ms == 1480642020000LL);
    assert_true(r.approx_ts_us == 1480642020000000LL);
    assert_int_equal(r.ts_precision, DDB_TS_S);
    assert_string_equal(ddb_precision_name(r.ts_precision), "s");
    assert_int_equal(r.ttl_delete, 1);
    assert_string_equal(r.keys_json, "{\"val\":\"data\",\"key\":\"binary\"}");
    assert_string_equal(r.new_image_json, "{\"val\":\"data\",\"asdf1\":\"AAEqQQ==\","
                                          "\"asdf2\":[\"AAEqQQ==\",\"QSoBAA==\"],\"key\":\"binary\"}");
    assert_null(r.old_image_json);
    assert_null(r.old_image);
    assert_non_null(r.new_image);
    /* Keys: val 3 + 4, key 3 + 6 = 16; NewImage: 7 + (5 + 4) + (5 + 4 + 4) + 9 = 38;
     * 16 + 38 = 54 = SizeBytes */
    assert_int_equal(r.size_bytes, 54);
    assert_int_equal(r.keys_size, 16);
    assert_int_equal(r.new_size, 38);
    assert_int_equal(r.old_size, -1);
    assert_int_equal(r.keys_size + r.new_size, r.size_bytes);
    assert_int_equal(r.item_size, 38);
    assert_int_equal(r.wru, 1);
    assert_string_equal(r.dedupe_key,
                        "[\"streams\",\"Example-Table\",\"f07f8ca4b0b26cb9c4e5e77e69f274ee\"]");
    assert_string_equal(ddb_origin_name(r.origin), "streams");
    done(&r, j);
}

/* FORMATS.md §6.2: get-records output, a float timestamp, no ARN. */
static void test_get_records_record(void **state)
{
    const char *text =
        "{\"eventID\":\"c3b5d798eef6215d42f8137b19a88e50\",\"eventName\":\"INSERT\","
        "\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-west-1\","
        "\"dynamodb\":{\"ApproximateCreationDateTime\":1571849028.0,"
        "\"Keys\":{\"Artist\":{\"S\":\"No One You Know\"},\"SongTitle\":{\"S\":\"Call Me Today\"}},"
        "\"NewImage\":{\"AlbumTitle\":{\"S\":\"Somewhat Famous\"},\"Artist\":{\"S\":\"No One You Know\"},"
        "\"Awards\":{\"N\":\"1\"},\"SongTitle\":{\"S\":\"Call Me Today\"}},"
        "\"SequenceNumber\":\"700000000013256296913\",\"SizeBytes\":119,"
        "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"}}";
    ddb_record r;
    json_t *j;
    (void)state;

    parse_ok(text, &r, &j);
    assert_null(r.stream_arn);
    assert_null(r.table_name);
    assert_string_equal(r.region, "us-west-1");
    assert_true(r.approx_ts_ms == 1571849028000LL);
    assert_int_equal(r.ts_precision, DDB_TS_S);
    assert_int_equal(r.ttl_delete, 0);
    /* Keys: (6 + 15) + (9 + 13) = 43; NewImage: (10 + 15) + 21 + (6 + N 1: 1 + 1) + 22 = 76 */
    assert_int_equal(r.keys_size, 43);
    assert_int_equal(r.new_size, 76);
    assert_int_equal(r.keys_size + r.new_size, r.size_bytes);
    assert_string_equal(r.new_image_json, "{\"AlbumTitle\":\"Somewhat Famous\",\"Artist\":"
                                          "\"No One You Know\",\"Awards\":1,\"SongTitle\":"
                                          "\"Call Me Today\"}");
    assert_string_equal(r.dedupe_key, "[\"streams\",\"\",\"c3b5d798eef6215d42f8137b19a88e50\"]");
    done(&r, j);
}

/* The tumbling-window event's three records: INSERT, MODIFY, REMOVE. */
static void test_insert_modify_remove(void **state)
{
    const char *modify =
        "{\"eventID\":\"2\",\"eventName\":\"MODIFY\",\"eventVersion\":\"1.0\","
        "\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\",\"dynamodb\":{"
        "\"ApproximateCreationDateTime\":1480642020,\"Keys\":{\"Id\":{\"N\":\"101\"}},"
        "\"NewImage\":{\"Message\":{\"S\":\"This item has changed\"},\"Id\":{\"N\":\"101\"}},"
        "\"OldImage\":{\"Message\":{\"S\":\"New item!\"},\"Id\":{\"N\":\"101\"}},"
        "\"SequenceNumber\":\"222\",\"SizeBytes\":59,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
        "\"eventSourceARN\":\"stream-ARN\"}";
    const char *remove =
        "{\"eventID\":\"3\",\"eventName\":\"REMOVE\",\"dynamodb\":{"
        "\"ApproximateCreationDateTime\":1480642020,\"Keys\":{\"Id\":{\"N\":\"101\"}},"
        "\"OldImage\":{\"Message\":{\"S\":\"This item has changed\"},\"Id\":{\"N\":\"101\"}},"
        "\"SequenceNumber\":\"333\",\"SizeBytes\":38,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
        "\"eventSourceARN\":\"stream-ARN\"}";
    ddb_record r;
    json_t *j;
    (void)state;

    parse_ok(modify, &r, &j);
    assert_int_equal(r.event, DDB_EVENT_MODIFY);
    /* Keys: 2 + N 101 (3 digits: 1 + 2) = 5; new: (7 + 21) + 5 = 33; old: (7 + 9) + 5 = 21 */
    assert_int_equal(r.keys_size, 5);
    assert_int_equal(r.new_size, 33);
    assert_int_equal(r.old_size, 21);
    assert_int_equal(r.keys_size + r.new_size + r.old_size, r.size_bytes);
    assert_int_equal(r.item_size, 33); /* the larger image */
    assert_int_equal(r.wru, 1);
    assert_null(r.table_name);          /* "stream-ARN" is no ARN */
    assert_string_equal(r.region, "us-east-1");
    assert_string_equal(r.old_image_json, "{\"Message\":\"New item!\",\"Id\":101}");
    assert_string_equal(r.dedupe_key, "[\"streams\",\"stream-ARN\",\"2\"]");
    done(&r, j);

    parse_ok(remove, &r, &j);
    assert_int_equal(r.event, DDB_EVENT_REMOVE);
    assert_null(r.new_image_json);
    assert_int_equal(r.keys_size + r.old_size, r.size_bytes); /* 5 + 33 = 38 */
    assert_int_equal(r.item_size, 33);
    assert_null(r.region);
    done(&r, j);
}

/* A MODIFY whose old image is the larger one, several KB: WRU by it. */
static void test_modify_sized_by_larger_image(void **state)
{
    char big[3100], text[4096];
    ddb_record r;
    json_t *j;
    (void)state;

    memset(big, 'x', 3000);
    big[3000] = '\0';
    snprintf(text, sizeof text,
             "{\"eventID\":\"e\",\"eventName\":\"MODIFY\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"a\"}},"
             "\"NewImage\":{\"id\":{\"S\":\"a\"},\"d\":{\"S\":\"short\"}},"
             "\"OldImage\":{\"id\":{\"S\":\"a\"},\"d\":{\"S\":\"%s\"}}}}", big);
    parse_ok(text, &r, &j);
    /* new: 3 + 6 = 9; old: 3 + (1 + 3000) = 3004 -> ceil(3004 / 1024) = 3 */
    assert_int_equal(r.new_size, 9);
    assert_int_equal(r.old_size, 3004);
    assert_int_equal(r.item_size, 3004);
    assert_int_equal(r.wru, 3);
    assert_int_equal(r.size_bytes, -1);
    assert_int_equal(r.has_ts, 0);
    assert_int_equal(r.ts_precision, DDB_TS_NONE);
    assert_string_equal(ddb_precision_name(r.ts_precision), "");
    done(&r, j);
}

/* FORMATS.md §6.4: Kinesis Data Streams for DynamoDB, ms. */
static const char kds_record[] =
    "{\"awsRegion\":\"ap-northeast-2\",\"eventID\":\"8b29bf28-de2e-4171-b2cd-5dff8a131f3e\","
    "\"eventName\":\"INSERT\",\"userIdentity\":null,\"recordFormat\":\"application/json\","
    "\"tableName\":\"dynamodb-businfo\",\"dynamodb\":{\"ApproximateCreationDateTime\":1650163085569,"
    "\"Keys\":{\"Timestamp\":{\"S\":\"1650163085\"},\"RouteId\":{\"S\":\"227000019\"}},"
    "\"NewImage\":{\"Timestamp\":{\"S\":\"1650163085\"},\"RouteId\":{\"S\":\"227000019\"},"
    "\"Remain\":{\"N\":\"12\"}},\"SizeBytes\":78},\"eventSource\":\"aws:dynamodb\"}";

static void test_kds_record(void **state)
{
    ddb_record r;
    json_t *j;
    (void)state;

    parse_ok(kds_record, &r, &j);
    assert_int_equal(r.origin, DDB_ORIGIN_KINESIS);
    assert_string_equal(ddb_origin_name(r.origin), "kinesis");
    assert_string_equal(r.table_name, "dynamodb-businfo");
    assert_string_equal(r.region, "ap-northeast-2");
    assert_null(r.sequence_number);
    assert_null(r.stream_view_type);
    assert_null(r.stream_arn);
    assert_int_equal(r.ttl_delete, 0);
    assert_int_equal(r.ts_precision, DDB_TS_MS);
    assert_true(r.approx_ts_ms == 1650163085569LL);
    assert_true(r.approx_ts_us == 1650163085569000LL);
    /* Keys: (9 + 10) + (7 + 9) = 35; NewImage: 35 + (6 + N 12: 1 + 1) = 43; 78 */
    assert_int_equal(r.keys_size + r.new_size, r.size_bytes);
    assert_int_equal(r.new_size, 43);
    /* keys sorted by name, tags kept */
    assert_string_equal(r.dedupe_key,
                        "[\"kinesis\",\"dynamodb-businfo\",{\"RouteId\":{\"S\":\"227000019\"},"
                        "\"Timestamp\":{\"S\":\"1650163085\"}},1650163085569000,\"INSERT\"]");
    done(&r, j);

    /* the same record in the SDK style (null tags, other key order) dedupes alike */
    const char *nulls =
        "{\"eventID\":\"other-uuid\",\"eventName\":\"INSERT\",\"tableName\":\"dynamodb-businfo\","
        "\"dynamodb\":{\"ApproximateCreationDateTime\":1650163085569,"
        "\"Keys\":{\"RouteId\":{\"N\":null,\"S\":\"227000019\"},\"Timestamp\":{\"B\":null,"
        "\"S\":\"1650163085\"}}}}";
    parse_ok(nulls, &r, &j);
    assert_string_equal(r.dedupe_key,
                        "[\"kinesis\",\"dynamodb-businfo\",{\"RouteId\":{\"S\":\"227000019\"},"
                        "\"Timestamp\":{\"S\":\"1650163085\"}},1650163085569000,\"INSERT\"]");
    done(&r, j);
}

/* Build a record with a given timestamp member text. */
static void with_ts(const char *ts_members, ddb_record *r, json_t **j)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"tableName\":\"t\",\"dynamodb\":{%s"
             "\"Keys\":{\"id\":{\"N\":\"1\"}}}}", ts_members);
    parse_ok(text, r, j);
}

static void test_timestamps(void **state)
{
    static const struct {
        const char *members;
        enum ddb_precision p;
        long long us;
    } cases[] = {
        /* µs by magnitude (> 1e14), real examples from FORMATS.md §6.4 */
        {"\"ApproximateCreationDateTime\":1720740233012995,", DDB_TS_US, 1720740233012995LL},
        {"\"ApproximateCreationDateTime\":1719347890250647,"
         "\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\",", DDB_TS_US, 1719347890250647LL},
        /* ms by magnitude (> 1e11), and an explicit MILLISECOND */
        {"\"ApproximateCreationDateTime\":1650163085569,", DDB_TS_MS, 1650163085569000LL},
        {"\"ApproximateCreationDateTimePrecision\":\"MILLISECOND\","
         "\"ApproximateCreationDateTime\":1650163085,", DDB_TS_MS, 1650163085000LL},
        /* s: integer, ".0" real, a fraction */
        {"\"ApproximateCreationDateTime\":1480642020,", DDB_TS_S, 1480642020000000LL},
        {"\"ApproximateCreationDateTime\":1571849028.0,", DDB_TS_S, 1571849028000000LL},
        {"\"ApproximateCreationDateTime\":1571849028.25,", DDB_TS_S, 1571849028250000LL},
        /* ms as a real */
        {"\"ApproximateCreationDateTime\":1650163085569.0,", DDB_TS_MS, 1650163085569000LL},
        /* ISO strings: s, or ms with a fraction */
        {"\"ApproximateCreationDateTime\":\"2019-10-23T16:43:48Z\",", DDB_TS_S, 1571849028000000LL},
        {"\"ApproximateCreationDateTime\":\"2019-10-23T16:43:48.123+00:00\",", DDB_TS_MS,
         1571849028123000LL},
        /* boundaries: 1e11 is still s, 1e14 still ms */
        {"\"ApproximateCreationDateTime\":100000000000,", DDB_TS_S, 100000000000000000LL},
        {"\"ApproximateCreationDateTime\":100000000000000,", DDB_TS_MS, 100000000000000000LL},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ddb_record r;
        json_t *j;
        with_ts(cases[i].members, &r, &j);
        if (r.ts_precision != cases[i].p || r.approx_ts_us != cases[i].us || !r.has_ts)
            fail_msg("case %zu: precision %d us %lld", i, r.ts_precision, (long long)r.approx_ts_us);
        assert_true(r.approx_ts_ms == cases[i].us / 1000);
        done(&r, j);
    }
    ddb_record r;
    json_t *j;
    with_ts("", &r, &j);
    assert_int_equal(r.has_ts, 0);
    assert_string_equal(r.dedupe_key, "[\"kinesis\",\"t\",{\"id\":{\"N\":\"1\"}},null,\"INSERT\"]");
    done(&r, j);
}

static void test_sequence_number_exact(void **state)
{
    const char *seq = "4955000000000000000000000000000000000001";
    char text[512];
    ddb_record r;
    json_t *j;
    (void)state;

    snprintf(text, sizeof text,
             "{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"SequenceNumber\":\"%s\","
             "\"Keys\":{\"id\":{\"N\":\"12345678901234567890123456789012345678\"}}}}", seq);
    parse_ok(text, &r, &j);
    assert_string_equal(r.sequence_number, seq);
    assert_int_equal(strlen(r.sequence_number), 40);
    assert_string_equal(r.keys_json, "{\"id\":12345678901234567890123456789012345678}");
    done(&r, j);
}

static void test_ttl_delete(void **state)
{
    const char *fmt = "{\"eventID\":\"e\",\"eventName\":\"REMOVE\",\"userIdentity\":%s,"
                      "\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"a\"}}}}";
    static const struct { const char *identity; int ttl; } cases[] = {
        {"{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\"}", 1},
        {"{\"principalId\":\"dynamodb.amazonaws.com\",\"type\":\"Service\"}", 1},
        {"{\"type\":\"Service\",\"principalId\":\"lambda.amazonaws.com\"}", 0},
        {"{\"type\":\"User\",\"principalId\":\"dynamodb.amazonaws.com\"}", 0},
        {"null", 0},
        {"\"Service\"", 0},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        ddb_record r;
        json_t *j;
        snprintf(text, sizeof text, fmt, cases[i].identity);
        parse_ok(text, &r, &j);
        assert_int_equal(r.ttl_delete, cases[i].ttl);
        done(&r, j);
    }
}

/* Views: which images a record carries. */
static void test_views(void **state)
{
    ddb_record r;
    json_t *j;
    (void)state;

    /* KEYS_ONLY: no image, so no item size and no WRU */
    parse_ok("{\"eventID\":\"e\",\"eventName\":\"MODIFY\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"ab\"}},"
             "\"SizeBytes\":4,\"StreamViewType\":\"KEYS_ONLY\"}}", &r, &j);
    assert_string_equal(r.stream_view_type, "KEYS_ONLY");
    assert_string_equal(r.keys_json, "{\"id\":\"ab\"}");
    assert_null(r.new_image_json);
    assert_null(r.old_image_json);
    assert_int_equal(r.keys_size, 4);
    assert_int_equal(r.new_size, -1);
    assert_int_equal(r.old_size, -1);
    assert_int_equal(r.item_size, -1);
    assert_int_equal(r.wru, -1);
    done(&r, j);

    /* NEW_IMAGE: a REMOVE carries nothing but its keys */
    parse_ok("{\"eventID\":\"e\",\"eventName\":\"REMOVE\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"ab\"}},"
             "\"StreamViewType\":\"NEW_IMAGE\"}}", &r, &j);
    assert_null(r.new_image_json);
    assert_int_equal(r.wru, -1);
    done(&r, j);

    /* OLD_IMAGE: a MODIFY is sized by its old image; null images are absent */
    parse_ok("{\"eventID\":\"e\",\"eventName\":\"MODIFY\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"ab\"}},"
             "\"NewImage\":null,\"OldImage\":{\"id\":{\"S\":\"ab\"},\"n\":{\"N\":\"-5\"}},"
             "\"StreamViewType\":\"OLD_IMAGE\"}}", &r, &j);
    assert_null(r.new_image_json);
    assert_string_equal(r.old_image_json, "{\"id\":\"ab\",\"n\":-5}");
    /* 2 + 2 + 1 + (1 + 1) */
    assert_int_equal(r.item_size, 7);
    assert_int_equal(r.wru, 1);
    done(&r, j);
}

static void expect_reject(const char *text, const char *want)
{
    json_t *j = load(text);
    ddb_record r;
    mrb_err err;

    memset(&r, 0x5a, sizeof r);
    mrb_err_clear(&err);
    if (ddb_record_parse(j, &r, &err) == 0)
        fail_msg("accepted: %s", text);
    assert_string_equal(err.text, want);
    assert_int_equal(err.line, 0);
    /* nothing partial: the struct is empty */
    assert_null(r.event_id);
    assert_null(r.table_name);
    assert_null(r.region);
    assert_null(r.keys_json);
    assert_null(r.new_image_json);
    assert_null(r.dedupe_key);
    assert_null(r.keys);
    ddb_record_free(&r);
    json_decref(j);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_reject("[]", "a record must be a JSON object");
    expect_reject("{\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{}}}", "record without an eventID");
    expect_reject("{\"eventID\":7,\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{}}}",
                  "eventID must be a string");
    expect_reject("{\"eventID\":\"e\",\"dynamodb\":{\"Keys\":{}}}", "record without a string eventName");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"UPSERT\",\"dynamodb\":{\"Keys\":{}}}",
                  "eventName \"UPSERT\" is not INSERT, MODIFY or REMOVE");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\"}", "record without a dynamodb object");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{}}",
                  "record without a dynamodb.Keys object");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"awsRegion\":1,\"dynamodb\":{\"Keys\":{}}}",
                  "awsRegion must be a string");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{},"
                  "\"SequenceNumber\":1405400000000002063}}",
                  "dynamodb.SequenceNumber must be a string");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{},\"SizeBytes\":-1}}",
                  "dynamodb.SizeBytes must be an integer >= 0");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{},\"SizeBytes\":\"9\"}}",
                  "dynamodb.SizeBytes must be an integer >= 0");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{},"
                  "\"ApproximateCreationDateTime\":-5}}",
                  "dynamodb.ApproximateCreationDateTime -5 is out of range");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{},"
                  "\"ApproximateCreationDateTime\":1e30}}",
                  "dynamodb.ApproximateCreationDateTime 1e+30 is out of range");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{},"
                  "\"ApproximateCreationDateTime\":\"yesterday\"}}",
                  "dynamodb.ApproximateCreationDateTime \"yesterday\" is not a number or an ISO 8601 time");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{},"
                  "\"ApproximateCreationDateTime\":true}}",
                  "dynamodb.ApproximateCreationDateTime must be a number or a string");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{},"
                  "\"ApproximateCreationDateTime\":1,\"ApproximateCreationDateTimePrecision\":\"NANOSECOND\"}}",
                  "dynamodb.ApproximateCreationDateTimePrecision \"NANOSECOND\" is not MILLISECOND or MICROSECOND");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"eventSource\":\"aws:kinesis\","
                  "\"dynamodb\":{\"Keys\":{}}}",
                  "eventSource is \"aws:kinesis\", not aws:dynamodb");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"id\":{\"Z\":\"1\"}}}}",
                  "Keys.id: unknown AttributeValue type \"Z\"");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"INSERT\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"1\"}},"
                  "\"NewImage\":{\"id\":{\"S\":\"1\"},\"price\":{\"N\":\"abc\"}}}}",
                  "NewImage.price: N value \"abc\" is not a number");
    expect_reject("{\"eventID\":\"e\",\"eventName\":\"REMOVE\",\"dynamodb\":{\"Keys\":{\"id\":{\"S\":\"1\"}},"
                  "\"OldImage\":[1]}}",
                  "OldImage: must be an object of attributes, found an array");
}

static void test_arn(void **state)
{
    sb out = SB_INIT;
    (void)state;

    assert_int_equal(ddb_arn_table("arn:aws:dynamodb:eu-west-1:1:table/T.x_y-1/stream/2024-01-01T00:00:00.000", &out), 0);
    assert_string_equal(sb_str(&out), "T.x_y-1");
    sb_reset(&out);
    assert_int_equal(ddb_arn_table("arn:aws:dynamodb:eu-west-1:1:table/Plain", &out), 0);
    assert_string_equal(sb_str(&out), "Plain");
    sb_reset(&out);
    assert_int_equal(ddb_arn_region("arn:aws-cn:dynamodb:cn-north-1:1:table/T/stream/x", &out), 0);
    assert_string_equal(sb_str(&out), "cn-north-1");
    sb_reset(&out);
    assert_int_equal(ddb_arn_table("stream-ARN", &out), -1);
    assert_int_equal(ddb_arn_region("stream-ARN", &out), -1);
    assert_int_equal(ddb_arn_table("arn:aws:kinesis:us-east-1:1:stream/s", &out), -1);
    assert_int_equal(ddb_arn_table("arn:aws:dynamodb:us-east-1:1:table/", &out), -1);
    assert_int_equal(ddb_arn_region("arn:aws:dynamodb::1:table/T", &out), -1);
    assert_int_equal(out.len, 0);
    sb_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lambda_record),
        cmocka_unit_test(test_get_records_record),
        cmocka_unit_test(test_insert_modify_remove),
        cmocka_unit_test(test_modify_sized_by_larger_image),
        cmocka_unit_test(test_kds_record),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_sequence_number_exact),
        cmocka_unit_test(test_ttl_delete),
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_arn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
