/* ddb_file.c — walking a file of DynamoDB change records (see ddb_file.h). */
#include "mrb/ddb_file.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "mrb/base64.h"
#include "mrb/jload.h"
#include "mrb/jscan.h"
#include "mrb/sb.h"

/* ---- sniffing ---- */

#define SNIFF_DEPTH 16
#define SNIFF_KEY 24

/* Top-level keys of the CloudWatch Logs shapes (shape_*.c) and of log
 * events: a document with one of them is never ours. */
static const char *const cloudwatch_keys[] = {
    "events", "nextForwardToken", "nextBackwardToken", "searchedLogStreams", "messageType",
    "logGroup", "logStream", "logEvents", "owner", "subscriptionFilters", "awslogs",
    "results", "statistics", "message", "timestamp", "logStreamName", "logGroupName",
    "ingestionTime", NULL,
};

static int is_cloudwatch_key(const char *k)
{
    for (int i = 0; cloudwatch_keys[i]; i++)
        if (!strcmp(k, cloudwatch_keys[i]))
            return 1;
    return 0;
}

/* Does the (possibly cut) base64 text of a Kinesis record's data decode to
 * JSON naming a DynamoDB record? Escaped '/' ("\/") is allowed. */
static int data_is_ddb_json(const char *s, size_t n)
{
    char b64[2048];
    size_t m = 0;
    sb out = SB_INIT;
    int yes = 0;

    for (size_t i = 0; i < n && m < sizeof b64; i++)
        if (s[i] != '\\')
            b64[m++] = s[i];
    m -= m % 4;
    if (m >= 4 && base64_decode(b64, m, &out) == 0) {
        size_t i = 0;
        while (i < out.len && strchr(" \t\r\n", out.buf[i]))
            i++;
        yes = i < out.len && out.buf[i] == '{' &&
              (memmem(out.buf, out.len, "\"eventName\"", 11) ||
               memmem(out.buf, out.len, "\"tableName\"", 11) ||
               memmem(out.buf, out.len, "\"dynamodb\"", 10));
    }
    sb_release(&out);
    return yes;
}

int ddb_file_sniff(const char *head, size_t n)
{
    char kind[SNIFF_DEPTH + 2];
    char key[SNIFF_DEPTH + 2][SNIFF_KEY];
    int depth = 0, expect_key = 0, level = 0; /* level: depth of record objects' keys */
    int seen_dynamodb = 0, seen_event_name = 0;
    size_t i = 0;

    while (i < n && strchr(" \t\r\n", head[i]))
        i++;
    if (i >= n || (head[i] != '{' && head[i] != '['))
        return 0;
    level = head[i] == '[' ? 2 : 0; /* for '{', decided by the first key */
    while (i < n) {
        char c = head[i];
        if (c == '{' || c == '[') {
            if (depth == SNIFF_DEPTH)
                return 0;
            depth++;
            kind[depth] = c;
            key[depth][0] = '\0';
            expect_key = c == '{';
            i++;
        } else if (c == '}' || c == ']') {
            if (depth == 0)
                return 0;
            if (--depth == 0)
                return 0; /* the first value ended without deciding */
            expect_key = 0;
            i++;
        } else if (c == ',') {
            expect_key = kind[depth] == '{';
            i++;
        } else if (c == ':') {
            expect_key = 0;
            i++;
        } else if (c == '"') {
            size_t s = ++i;
            while (i < n && head[i] != '"')
                i += head[i] == '\\' ? 2 : 1;
            int cut = i >= n;
            size_t len = (cut ? n : i) - s;
            i++;
            int is_value = !(kind[depth] == '{' && expect_key);
            /* Lambda Kinesis event: Records[].kinesis.data; `aws kinesis
             * get-records`: Records[].Data */
            int is_data = is_value && level > 0 &&
                          ((depth == level + 1 && !strcmp(key[depth], "data") &&
                            !strcmp(key[level], "kinesis")) ||
                           (depth == level && !strcmp(key[depth], "Data")));
            if (is_data)
                return data_is_ddb_json(head + s, len); /* a cut prefix decodes too */
            /* DynamoDB Streams shard iterators are "arn:aws:dynamodb:...|1|..." */
            if (is_value && depth == 1 && !strcmp(key[1], "NextShardIterator") &&
                memmem(head + s, len, ":dynamodb:", 10))
                return 1;
            if (cut)
                return 0;
            if (depth > 0 && kind[depth] == '{' && expect_key) {
                snprintf(key[depth], SNIFF_KEY, "%.*s",
                         (int)(len < SNIFF_KEY ? len : SNIFF_KEY - 1), head + s);
                if (len >= SNIFF_KEY)
                    key[depth][0] = '\0'; /* long keys are none of ours */
                expect_key = 0;
                if (depth == 1) {
                    if (is_cloudwatch_key(key[1]))
                        return 0;
                    int container =
                        !strcmp(key[1], "Records") || !strcmp(key[1], "NextShardIterator");
                    if (level == 0 || (container && level == 1))
                        level = container ? 3 : 1;
                }
                if (depth == level) {
                    seen_dynamodb |= !strcmp(key[depth], "dynamodb");
                    seen_event_name |= !strcmp(key[depth], "eventName");
                    if (seen_dynamodb && seen_event_name)
                        return 1;
                }
            }
        } else {
            i++;
        }
    }
    return 0;
}

/* ---- walking ---- */

typedef struct walker {
    ddb_record_fn fn;
    void *arg;
    long long count;
    size_t max;   /* largest record copied */
    sb raw;       /* the record's text */
    sb data;      /* decoded kinesis.data */
} walker;

/* Prefixes err's text with "record N: " and sets its position. */
static int record_error(walker *w, long long line, long long off, mrb_err *err)
{
    char inner[sizeof err->text];

    snprintf(inner, sizeof inner, "%s", err->text);
    return mrb_err_set(err, line, off, "record %lld: %s", w->count + 1, inner);
}

static int one_record(walker *w, const json_t *o, const char *kinesis_seq, long long line,
                      long long off, mrb_err *err)
{
    ddb_record rec;
    ddb_pos pos = {line, off, w->count, kinesis_seq};

    if (ddb_record_parse(o, &rec, err) < 0)
        return record_error(w, line, off, err);
    err->line = 0; /* so that fn's own position can be told apart (err->source is kept) */
    err->offset = -1;
    err->text[0] = '\0';
    int rc = w->fn(w->arg, &rec, &pos, err);
    ddb_record_free(&rec);
    if (rc < 0) {
        if (err->line == 0 && err->offset < 0) {
            err->line = line;
            err->offset = off;
        }
        return -1;
    }
    w->count++;
    return 0;
}

/* A Kinesis record: its data is the DynamoDB record's JSON, base64. In a
 * Lambda event {"kinesis": {"data", "sequenceNumber"}}; in `aws kinesis
 * get-records` output {"Data", "SequenceNumber", "PartitionKey"}. */
static int kinesis_record(walker *w, const json_t *o, long long line, long long off, mrb_err *err)
{
    json_t *k = json_object_get(o, "kinesis");
    int lambda = k != NULL;
    json_t *data = lambda ? json_object_get(k, "data") : json_object_get(o, "Data");
    json_t *seq = lambda ? json_object_get(k, "sequenceNumber")
                         : json_object_get(o, "SequenceNumber");
    const char *what = lambda ? "kinesis.data" : "Data";
    json_error_t je;

    if (!json_is_string(data)) {
        mrb_err_set(err, line, off, "kinesis record without a string %s", what);
        return record_error(w, line, off, err);
    }
    sb_reset(&w->data);
    size_t bad = base64_decode(json_string_value(data), json_string_length(data), &w->data);
    if (bad) {
        mrb_err_set(err, line, off, "%s is not valid base64 (character %zu)", what, bad);
        return record_error(w, line, off, err);
    }
    if (w->data.len >= 2 && (unsigned char)w->data.buf[0] == 0x1f &&
        (unsigned char)w->data.buf[1] == 0x8b) {
        mrb_err_set(err, line, off, "%s is gzip (a CloudWatch Logs subscription payload), not "
                                    "a DynamoDB record", what);
        return record_error(w, line, off, err);
    }
    json_t *inner = jload(w->data.buf ? w->data.buf : "", w->data.len, &je);
    if (!inner) {
        mrb_err_set(err, line, off, "%s: invalid JSON: %s", what, je.text);
        return record_error(w, line, off, err);
    }
    int rc = one_record(w, inner, json_is_string(seq) ? json_string_value(seq) : NULL, line, off,
                        err);
    json_decref(inner);
    return rc;
}

/* A record, a Kinesis record, or (when whole documents are allowed) an
 * object with a Records array. */
static int one_object(walker *w, const json_t *o, int allow_document, long long line,
                      long long off, mrb_err *err)
{
    json_t *records = json_object_get(o, "Records");

    if (allow_document && json_is_array(records)) {
        size_t i;
        json_t *e;
        json_array_foreach(records, i, e)
            if (one_object(w, e, 0, line, off, err) < 0)
                return -1;
        return 0;
    }
    if (json_is_object(json_object_get(o, "kinesis")) ||
        (json_object_get(o, "Data") && json_object_get(o, "PartitionKey")))
        return kinesis_record(w, o, line, off, err);
    return one_record(w, o, NULL, line, off, err);
}

static int one_text(walker *w, const sb *raw, int allow_document, long long line, long long off,
                    mrb_err *err)
{
    json_error_t je;
    json_t *o = jload(raw->buf ? raw->buf : "", raw->len, &je);

    if (!o) {
        mrb_err_set(err, line + je.line - 1, off + je.position, "invalid JSON: %s", je.text);
        return record_error(w, line + je.line - 1, off + je.position, err);
    }
    int rc = one_object(w, o, allow_document, line, off, err);
    json_decref(o);
    return rc;
}

static int element(void *arg, const sb *raw, long long line, long long off, mrb_err *err)
{
    return one_text(arg, raw, 0, line, off, err);
}

static int document_member(void *arg, const char *key, reader *r, mrb_err *err)
{
    walker *w = arg;

    if (!strcmp(key, "Records"))
        return jscan_array(r, "the Records array", w->max, element, w, err);
    return jscan_value(r, NULL, 0, err);
}

/* 1 when the object that comes next starts with a "Records" or
 * "NextShardIterator" key (a document to walk element by element). */
static int starts_document(reader *r, mrb_err *err)
{
    const char *p;
    long n = reader_peek(r, 1024, &p, err);
    long i = 1;

    if (n < 0)
        return -1;
    while (i < n && strchr(" \t\r\n", p[i]))
        i++;
    if (i >= n || p[i] != '"')
        return 0;
    const char *k = p + i + 1, *e = memchr(k, '"', (size_t)(n - i - 1));
    if (!e)
        return 0;
    size_t len = (size_t)(e - k);
    return (len == 7 && !memcmp(k, "Records", 7)) ||
           (len == 17 && !memcmp(k, "NextShardIterator", 17));
}

static int top_value(walker *w, reader *r, mrb_err *err)
{
    int c = jscan_peek(r, err);
    long long line = reader_line(r), off = reader_offset(r);

    if (c == -2)
        return -1;
    if (c == '[')
        return jscan_array(r, "an array of records", w->max, element, w, err);
    if (c != '{') {
        char found[16];
        snprintf(found, sizeof found, c >= 0x20 && c < 0x7f ? "'%c'" : "byte 0x%02x", c);
        return mrb_err_set(err, line, off, "expected a record or a document with Records (a JSON "
                                           "object), found %s", found);
    }
    int doc = starts_document(r, err);
    if (doc < 0)
        return -1;
    if (doc)
        return jscan_object(r, "a Records document", document_member, w, err);
    sb_reset(&w->raw);
    if (jscan_value(r, &w->raw, w->max, err) < 0)
        return -1;
    return one_text(w, &w->raw, 1, line, off, err);
}

long long ddb_file_walk(reader *r, ddb_record_fn fn, void *arg, mrb_err *err)
{
    walker w = {.fn = fn, .arg = arg, .max = reader_max_line(r), .raw = SB_INIT, .data = SB_INIT};
    int more;

    while ((more = jscan_more(r, err)) == 1)
        if (top_value(&w, r, err) < 0) {
            more = -1;
            break;
        }
    sb_release(&w.raw);
    sb_release(&w.data);
    return more < 0 ? -1 : w.count;
}
