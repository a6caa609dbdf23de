/* lambda_json.c — Lambda JSON-format platform events to typed records (see lambda_json.h).
 *
 * Every application line of a JSON-format function passes through here
 * first, so a message is only parsed when it starts with '{' and mentions
 * "platform. somewhere; everything else is LAMBDA_OTHER after one scan.
 * Field mapping follows FORMATS.md §2.2; the LR_* bits and the status rule
 * ("success" is absent) are those of the text parser, so both formats give
 * identical rows. */
#include "mrb/lambda_json.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#define PLATFORM_TAG "\"platform."
#define INT_LIMIT 1e18 /* integer fields: the text parser reads at most 18 digits */

static enum lambda_kind malformed(lambda_record *r, const char *why)
{
    r->kind = LAMBDA_MALFORMED;
    r->why = why;
    return r->kind;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The slice of a string member of obj, or an absent slice when the member
 * is missing or not a string. Points into jansson's copy of the string. */
static mrb_slice str_member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    mrb_slice s = {NULL, 0};

    if (json_is_string(v)) {
        s.p = json_string_value(v);
        s.n = json_string_length(v);
    }
    return s;
}

/* Reads metrics[key] as a non-negative double (is_int == 0) or as a
 * non-negative integer, where a real with a zero fraction also counts.
 * Returns 1 when read, 0 when the member is absent, -1 when it is present
 * but not such a number. */
static int metric(json_t *metrics, const char *key, int is_int, void *out)
{
    json_t *v = json_object_get(metrics, key);

    if (v == NULL)
        return 0;
    if (!json_is_number(v))
        return -1;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i < 0 || (double)i >= INT_LIMIT)
            return -1;
        if (is_int)
            *(long long *)out = (long long)i;
        else
            *(double *)out = (double)i;
        return 1;
    }
    double d = json_real_value(v);
    if (!isfinite(d) || d < 0)
        return -1;
    if (!is_int) {
        *(double *)out = d;
        return 1;
    }
    if (d >= INT_LIMIT || floor(d) != d)
        return -1;
    *(long long *)out = (long long)d;
    return 1;
}

/* status and errorType of a report or initReport; "success" stays absent. */
static void take_status(lambda_record *r, json_t *rec)
{
    mrb_slice st = str_member(rec, "status");

    if (st.p && !slice_is(st, "success"))
        r->status = st;
    r->error_type = str_member(rec, "errorType");
}

/* Next "Key=value" of an X-Ray trace header, split on ';'. Returns 0 at the end. */
static int next_pair(mrb_slice *rest, mrb_slice *key, mrb_slice *val)
{
    while (rest->n > 0) {
        const char *semi = memchr(rest->p, ';', rest->n);
        size_t len = semi ? (size_t)(semi - rest->p) : rest->n;
        const char *eq = memchr(rest->p, '=', len);
        mrb_slice item = {rest->p, len};

        rest->p += semi ? len + 1 : len;
        rest->n -= semi ? len + 1 : len;
        if (eq == NULL)
            continue;
        key->p = item.p;
        key->n = (size_t)(eq - item.p);
        val->p = eq + 1;
        val->n = item.n - key->n - 1;
        return 1;
    }
    return 0;
}

/* tracing.value "Root=1-..;Parent=..;Sampled=1" -> X-Ray fields. A tracing
 * object of another type, or parts that are missing or unknown, are left
 * out: tracing is optional and never makes a report malformed. */
static void take_tracing(lambda_record *r, json_t *rec)
{
    json_t *tr = json_object_get(rec, "tracing");
    mrb_slice type = str_member(tr, "type");
    mrb_slice rest = str_member(tr, "value");
    mrb_slice key, val;

    if (!rest.p || (type.p && !slice_is(type, "X-Amzn-Trace-Id")))
        return;
    while (next_pair(&rest, &key, &val)) {
        if (slice_is(key, "Root") && val.n > 0) {
            r->xray_trace_id = val;
        } else if (slice_is(key, "Parent") && val.n > 0) {
            r->xray_segment_id = val;
        } else if (slice_is(key, "Sampled") && (slice_is(val, "1") || slice_is(val, "0"))) {
            r->xray_sampled = val.p[0] == '1';
            r->has |= LR_XRAY_SAMPLED;
        }
    }
}

/* platform.report: requestId and metrics.durationMs are required. */
static enum lambda_kind parse_report(lambda_record *r, json_t *rec)
{
    const lambda_num_field *nums = lambda_num_fields;
    json_t *metrics = json_object_get(rec, "metrics");
    size_t known = 0;

    r->kind = LAMBDA_REPORT;
    r->request_id = str_member(rec, "requestId");
    if (!r->request_id.p)
        return malformed(r, "platform.report without a requestId");
    if (!json_is_object(metrics))
        return malformed(r, "platform.report without metrics");
    for (size_t i = 0; i < LAMBDA_NUM_FIELDS; i++) {
        int rc = metric(metrics, nums[i].json_key, nums[i].is_int, (char *)r + nums[i].off);
        if (rc < 0)
            return malformed(r, "platform.report with a bad number in metrics");
        if (rc > 0) {
            r->has |= nums[i].bit;
            known++;
        }
    }
    if (!(r->has & LR_DURATION))
        return malformed(r, "platform.report without metrics.durationMs");
    r->unknown_keys = (int)(json_object_size(metrics) - known);
    take_status(r, rec);
    take_tracing(r, rec);
    return r->kind;
}

/* platform.initReport: metrics.durationMs is required. */
static enum lambda_kind parse_init_report(lambda_record *r, json_t *rec)
{
    json_t *metrics = json_object_get(rec, "metrics");

    r->kind = LAMBDA_INIT_REPORT;
    int rc = metric(metrics, "durationMs", 0, &r->init_ms);
    if (rc < 0)
        return malformed(r, "platform.initReport with a bad metrics.durationMs");
    if (rc == 0)
        return malformed(r, "platform.initReport without metrics.durationMs");
    r->has |= LR_INIT;
    r->unknown_keys = (int)(json_object_size(metrics) - 1);
    r->phase = str_member(rec, "phase");
    take_status(r, rec);
    return r->kind;
}

static enum lambda_kind parse_start(lambda_record *r, json_t *rec)
{
    r->kind = LAMBDA_START;
    r->request_id = str_member(rec, "requestId");
    if (!r->request_id.p)
        return malformed(r, "platform.start without a requestId");
    r->version = str_member(rec, "version");
    return r->kind;
}

static enum lambda_kind parse_init_start(lambda_record *r, json_t *rec)
{
    r->kind = LAMBDA_INIT_START;
    r->runtime_version = str_member(rec, "runtimeVersion");
    r->runtime_arn = str_member(rec, "runtimeVersionArn");
    return r->kind;
}

/* Every other platform.* type: counted, no row; extensions keep their name. */
static enum lambda_kind parse_extension(lambda_record *r, json_t *rec)
{
    r->kind = LAMBDA_EXTENSION;
    r->name = str_member(rec, "name");
    return r->kind;
}

/* True when p[0..n) could be a platform event: an object that mentions
 * "platform. (the type value). Dots are rarer than quotes in log JSON, so
 * each dot is found with memchr and the tag is checked behind it. Reads
 * nothing past n. */
static int may_be_platform(const char *p, size_t n)
{
    const size_t k = sizeof PLATFORM_TAG - 1;
    size_t i = 0;

    while (i < n && is_ws(p[i]))
        i++;
    if (i >= n || p[i] != '{')
        return 0;
    for (size_t at = i + k - 1; at < n;) {
        const char *dot = memchr(p + at, '.', n - at);
        if (dot == NULL)
            return 0;
        if (memcmp(dot - (k - 1), PLATFORM_TAG, k - 1) == 0)
            return 1;
        at = (size_t)(dot - p) + 1;
    }
    return 0;
}

/* Returns the kind; see lambda_json.h. doc->json is overwritten (it holds
 * the parsed document only for platform events; NULL otherwise). */
enum lambda_kind lambda_json_parse(const char *msg, size_t n, lambda_record *out,
                                   lambda_json_doc *doc)
{
    static const struct {
        const char *type;
        enum lambda_kind (*parse)(lambda_record *, json_t *);
    } types[] = {
        {"platform.report", parse_report},
        {"platform.start", parse_start},
        {"platform.initStart", parse_init_start},
        {"platform.initReport", parse_init_report},
    };

    memset(out, 0, sizeof *out);
    out->xray_sampled = -1;
    doc->json = NULL;
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        n--;
    if (!may_be_platform(msg, n))
        return out->kind;

    /* a key given twice ("durationMs" twice) leaves no way to know which
     * value is right: such a platform event is malformed, not the last one */
    json_t *root = json_loadb(msg, n, JSON_REJECT_DUPLICATES, NULL);
    int dup = !root && (root = json_loadb(msg, n, 0, NULL)) != NULL;
    mrb_slice type = str_member(root, "type");
    if (!type.p || type.n < 9 || memcmp(type.p, "platform.", 9) != 0) {
        json_decref(root);
        return out->kind;
    }
    doc->json = root;
    if (dup)
        return malformed(out, "platform event with a key given twice");
    json_t *rec = json_object_get(root, "record");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (slice_is(type, types[i].type))
            return types[i].parse(out, rec);
    return parse_extension(out, rec);
}

/* Frees the document; the doc may be released twice or never filled. */
void lambda_json_doc_release(lambda_json_doc *doc)
{
    json_decref((json_t *)doc->json);
    doc->json = NULL;
}
