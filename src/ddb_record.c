/* ddb_record.c — one DynamoDB change record into a struct (see ddb_record.h). */
#include "mrb/ddb_record.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/ddb_value.h"
#include "mrb/timeparse.h"
#include "mrb/xalloc.h"

/* Timestamps beyond year 9999 are not times. */
#define TS_US_MAX 253402300800000000LL

const char *ddb_event_name(enum ddb_event e)
{
    switch (e) {
    case DDB_EVENT_INSERT: return "INSERT";
    case DDB_EVENT_MODIFY: return "MODIFY";
    case DDB_EVENT_REMOVE: return "REMOVE";
    }
    return "?";
}

const char *ddb_precision_name(enum ddb_precision p)
{
    switch (p) {
    case DDB_TS_S: return "s";
    case DDB_TS_MS: return "ms";
    case DDB_TS_US: return "us";
    default: return "";
    }
}

const char *ddb_origin_name(enum ddb_origin o)
{
    return o == DDB_ORIGIN_KINESIS ? "kinesis" : "streams";
}

/* The start of field k (0-based) of an ARN and its length, or NULL. */
static const char *arn_field(const char *arn, int k, size_t *len)
{
    const char *p = arn;

    if (strncmp(arn, "arn:", 4) != 0)
        return NULL;
    for (int i = 0; i < k; i++) {
        p = strchr(p, ':');
        if (!p)
            return NULL;
        p++;
    }
    /* the resource (field 5) runs to the end: stream labels contain ':' */
    const char *e = k >= 5 ? NULL : strchr(p, ':');
    *len = e ? (size_t)(e - p) : strlen(p);
    return p;
}

int ddb_arn_table(const char *arn, sb *out)
{
    size_t n;
    const char *res = arn_field(arn, 5, &n);

    if (!res || n <= 6 || strncmp(res, "table/", 6) != 0)
        return -1;
    const char *name = res + 6, *slash = strchr(name, '/');
    size_t len = slash ? (size_t)(slash - name) : strlen(name);
    if (!len)
        return -1;
    sb_add(out, name, len);
    return 0;
}

int ddb_arn_region(const char *arn, sb *out)
{
    size_t n;
    const char *region = arn_field(arn, 3, &n);

    if (!region || !n)
        return -1;
    sb_add(out, region, n);
    return 0;
}

void ddb_record_free(ddb_record *r)
{
    free(r->event_id);
    free(r->table_name);
    free(r->region);
    free(r->stream_arn);
    free(r->stream_view_type);
    free(r->sequence_number);
    free(r->keys_json);
    free(r->new_image_json);
    free(r->old_image_json);
    free(r->dedupe_key);
    memset(r, 0, sizeof *r);
}

/* An optional string member: *out = copy or NULL. -1 with err when present
 * (and not null) but not a string. */
static int opt_string(const json_t *o, const char *key, const char *path, char **out,
                      mrb_err *err)
{
    json_t *v = json_object_get(o, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return mrb_err_set(err, 0, -1, "%s must be a string", path);
    *out = xstrndup(json_string_value(v), json_string_length(v));
    return 0;
}

static enum ddb_precision by_magnitude(double v)
{
    return v > 1e14 ? DDB_TS_US : v > 1e11 ? DDB_TS_MS : DDB_TS_S;
}

/* dynamodb.ApproximateCreationDateTime (and its precision) into r. */
static int timestamp(const json_t *ddb, ddb_record *r, mrb_err *err)
{
    static const char *const what = "dynamodb.ApproximateCreationDateTime";
    json_t *v = json_object_get(ddb, "ApproximateCreationDateTime");
    json_t *p = json_object_get(ddb, "ApproximateCreationDateTimePrecision");
    enum ddb_precision explicit_p = DDB_TS_NONE;

    if (!v || json_is_null(v))
        return 0;
    if (p && !json_is_null(p)) {
        const char *s = json_is_string(p) ? json_string_value(p) : "";
        if (!strcmp(s, "MICROSECOND"))
            explicit_p = DDB_TS_US;
        else if (!strcmp(s, "MILLISECOND"))
            explicit_p = DDB_TS_MS;
        else
            return mrb_err_set(err, 0, -1,
                               "dynamodb.ApproximateCreationDateTimePrecision \"%.40s\" is not "
                               "MILLISECOND or MICROSECOND", s);
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t n = json_string_length(v);
        int64_t ms;
        if (time_parse_iso(s, n, &ms) != n)
            return mrb_err_set(err, 0, -1, "%s \"%.40s\" is not a number or an ISO 8601 time",
                               what, s);
        r->ts_precision = memchr(s, '.', n) ? DDB_TS_MS : DDB_TS_S;
        r->approx_ts_us = ms * 1000;
    } else if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        r->ts_precision = explicit_p ? explicit_p : by_magnitude((double)i);
        long long scale = r->ts_precision == DDB_TS_S    ? 1000000
                          : r->ts_precision == DDB_TS_MS ? 1000
                                                         : 1;
        if (i < 0 || i > TS_US_MAX / scale)
            return mrb_err_set(err, 0, -1, "%s %" JSON_INTEGER_FORMAT " is out of range", what, i);
        r->approx_ts_us = (int64_t)i * scale;
    } else if (json_is_real(v)) {
        double d = json_real_value(v);
        r->ts_precision = explicit_p ? explicit_p : by_magnitude(d);
        double scale = r->ts_precision == DDB_TS_S ? 1e6 : r->ts_precision == DDB_TS_MS ? 1e3 : 1;
        if (!(d >= 0) || d * scale >= (double)TS_US_MAX)
            return mrb_err_set(err, 0, -1, "%s %g is out of range", what, d);
        r->approx_ts_us = (int64_t)llround(d * scale);
    } else {
        return mrb_err_set(err, 0, -1, "%s must be a number or a string", what);
    }
    if (r->approx_ts_us < 0 || r->approx_ts_us >= TS_US_MAX)
        return mrb_err_set(err, 0, -1, "%s is out of range", what);
    r->has_ts = 1;
    r->approx_ts_ms = r->approx_ts_us / 1000;
    return 0;
}

static int is_ttl_identity(const json_t *u)
{
    json_t *type = json_object_get(u, "type"), *principal = json_object_get(u, "principalId");

    return json_is_string(type) && !strcmp(json_string_value(type), "Service") &&
           json_is_string(principal) &&
           !strcmp(json_string_value(principal), "dynamodb.amazonaws.com");
}

/* One image: plain JSON and size; absent (or null) leaves NULL and -1. */
static int image(const json_t *ddb, const char *key, char **json, long long *size,
                 const json_t **borrowed, mrb_err *err)
{
    json_t *m = json_object_get(ddb, key);
    sb text = SB_INIT;

    *json = NULL;
    *size = -1;
    *borrowed = NULL;
    if (!m || json_is_null(m))
        return 0;
    if (ddb_image_decode(m, key, &text, size, err) < 0) {
        sb_release(&text);
        return -1;
    }
    *json = sb_detach(&text);
    *borrowed = m;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Keys sorted by name, each {"TAG": payload} without the null tags. */
static void canonical_keys(const json_t *keys, sb *out)
{
    size_t n = json_object_size(keys), k = 0;
    const char **names = xcalloc(n ? n : 1, sizeof *names);
    const char *name;
    json_t *v;

    json_object_foreach((json_t *)keys, name, v)
        names[k++] = name;
    qsort(names, k, sizeof *names, cmp_names);
    sb_addc(out, '{');
    for (size_t i = 0; i < k; i++) {
        const char *tag;
        json_t *payload;
        int first = 1;
        if (i)
            sb_addc(out, ',');
        sb_add_json(out, names[i], strlen(names[i]));
        sb_adds(out, ":{");
        json_object_foreach(json_object_get(keys, names[i]), tag, payload) {
            if (json_is_null(payload))
                continue;
            char *dump = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
            if (!first)
                sb_addc(out, ',');
            first = 0;
            sb_add_json(out, tag, strlen(tag));
            sb_addc(out, ':');
            sb_adds(out, dump ? dump : "null");
            free(dump);
        }
        sb_addc(out, '}');
    }
    sb_addc(out, '}');
    free(names);
}

static void json_text_or_empty(sb *out, const char *s)
{
    sb_add_json(out, s ? s : "", s ? strlen(s) : 0);
}

void ddb_record_dedupe_key(const ddb_record *r, sb *out)
{
    if (r->origin == DDB_ORIGIN_KINESIS) {
        sb_adds(out, "[\"kinesis\",");
        json_text_or_empty(out, r->table_name);
        sb_addc(out, ',');
        canonical_keys(r->keys, out);
        if (r->has_ts)
            sb_addf(out, ",%lld,", (long long)r->approx_ts_us);
        else
            sb_adds(out, ",null,");
        json_text_or_empty(out, ddb_event_name(r->event));
        sb_addc(out, ']');
        return;
    }
    sb_adds(out, "[\"streams\",");
    json_text_or_empty(out, r->table_name ? r->table_name : r->stream_arn);
    sb_addc(out, ',');
    json_text_or_empty(out, r->event_id);
    sb_addc(out, ']');
}

static int parse(const json_t *rec, ddb_record *r, mrb_err *err)
{
    json_t *v;
    sb tmp = SB_INIT;

    if (!json_is_object(rec))
        return mrb_err_set(err, 0, -1, "a record must be a JSON object");
    v = json_object_get(rec, "eventSource");
    if (json_is_string(v) && strcmp(json_string_value(v), "aws:dynamodb") != 0)
        return mrb_err_set(err, 0, -1, "eventSource is \"%.40s\", not aws:dynamodb",
                           json_string_value(v));
    r->origin = json_object_get(rec, "tableName") || json_object_get(rec, "recordFormat")
                    ? DDB_ORIGIN_KINESIS
                    : DDB_ORIGIN_STREAMS;

    if (opt_string(rec, "eventID", "eventID", &r->event_id, err) < 0)
        return -1;
    if (!r->event_id)
        return mrb_err_set(err, 0, -1, "record without an eventID");
    v = json_object_get(rec, "eventName");
    if (!json_is_string(v))
        return mrb_err_set(err, 0, -1, "record without a string eventName");
    const char *name = json_string_value(v);
    if (!strcmp(name, "INSERT"))
        r->event = DDB_EVENT_INSERT;
    else if (!strcmp(name, "MODIFY"))
        r->event = DDB_EVENT_MODIFY;
    else if (!strcmp(name, "REMOVE"))
        r->event = DDB_EVENT_REMOVE;
    else
        return mrb_err_set(err, 0, -1, "eventName \"%.40s\" is not INSERT, MODIFY or REMOVE",
                           name);

    if (opt_string(rec, "eventSourceARN", "eventSourceARN", &r->stream_arn, err) < 0 ||
        opt_string(rec, "awsRegion", "awsRegion", &r->region, err) < 0 ||
        opt_string(rec, "tableName", "tableName", &r->table_name, err) < 0)
        return -1;
    if (!r->table_name && r->stream_arn && ddb_arn_table(r->stream_arn, &tmp) == 0)
        r->table_name = sb_detach(&tmp);
    sb_reset(&tmp);
    if (!r->region && r->stream_arn && ddb_arn_region(r->stream_arn, &tmp) == 0)
        r->region = sb_detach(&tmp);
    sb_release(&tmp);

    v = json_object_get(rec, "userIdentity");
    r->ttl_delete = json_is_object(v) && is_ttl_identity(v);

    json_t *ddb = json_object_get(rec, "dynamodb");
    if (!json_is_object(ddb))
        return mrb_err_set(err, 0, -1, "record without a dynamodb object");
    if (opt_string(ddb, "SequenceNumber", "dynamodb.SequenceNumber", &r->sequence_number,
                   err) < 0 ||
        opt_string(ddb, "StreamViewType", "dynamodb.StreamViewType", &r->stream_view_type, err) < 0)
        return -1;
    r->size_bytes = -1;
    v = json_object_get(ddb, "SizeBytes");
    if (v && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return mrb_err_set(err, 0, -1, "dynamodb.SizeBytes must be an integer >= 0");
        r->size_bytes = (long long)json_integer_value(v);
    }
    if (timestamp(ddb, r, err) < 0)
        return -1;

    json_t *keys = json_object_get(ddb, "Keys");
    if (!json_is_object(keys))
        return mrb_err_set(err, 0, -1, "record without a dynamodb.Keys object");
    sb text = SB_INIT;
    if (ddb_image_decode(keys, "Keys", &text, &r->keys_size, err) < 0) {
        sb_release(&text);
        return -1;
    }
    r->keys_json = sb_detach(&text);
    r->keys = keys;
    if (image(ddb, "NewImage", &r->new_image_json, &r->new_size, &r->new_image, err) < 0 ||
        image(ddb, "OldImage", &r->old_image_json, &r->old_size, &r->old_image, err) < 0)
        return -1;
    r->item_size = r->new_size > r->old_size ? r->new_size : r->old_size;
    r->wru = r->item_size < 0 ? -1 : ddb_wru(r->item_size);

    sb_init(&text);
    ddb_record_dedupe_key(r, &text);
    r->dedupe_key = sb_detach(&text);
    return 0;
}

int ddb_record_parse(const json_t *rec, ddb_record *out, mrb_err *err)
{
    memset(out, 0, sizeof *out);
    if (parse(rec, out, err) < 0) {
        ddb_record_free(out);
        return -1;
    }
    return 0;
}
