/* apigw.c — the API Gateway record parser (see apigw.h): execution-log
 * lines and access-log lines (JSON, CLF, CSV, XML) to apigw_rec. */
#include "mrb/apigw.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/attrib.h"
#include "mrb/timeparse.h"

static const char EXEC_PREFIX[] = "API-Gateway-Execution-Logs_";

/* ---- small slice helpers ---- */

/* The bytes of p after the first occurrence of lit, or NULL. */
static const char *after(const char *p, size_t n, const char *lit, size_t *rest)
{
    size_t k = strlen(lit);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(p + i, lit, k) == 0) {
            *rest = n - i - k;
            return p + i + k;
        }
    return NULL;
}

static mrb_slice trim(mrb_slice s)
{
    while (s.n && isspace((unsigned char)s.p[0]))
        s.p++, s.n--;
    while (s.n && isspace((unsigned char)s.p[s.n - 1]))
        s.n--;
    return s;
}

/* A value that means "none": empty or "-". */
static int is_none(mrb_slice s) { return s.n == 0 || (s.n == 1 && s.p[0] == '-'); }

/* A whole slice as a finite non-negative number; 0 on success. */
static int to_num(mrb_slice s, double *out)
{
    char buf[48];
    s = trim(s);
    if (s.n == 0 || s.n >= sizeof buf || !(isdigit((unsigned char)s.p[0])))
        return -1;
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end || !(v >= 0 && v < 1e15))
        return -1;
    *out = v;
    return 0;
}

/* The token of p up to the first byte in stop (or the end). */
static mrb_slice token(const char *p, size_t n, const char *stop)
{
    size_t i = 0;
    while (i < n && !strchr(stop, p[i]))
        i++;
    return slice_of(p, i);
}

/* ---- log groups ---- */

enum apigw_group apigw_group_of(const char *log_group)
{
    if (!log_group)
        return APIGW_GROUP_ANY;
    if (!strncmp(log_group, EXEC_PREFIX, sizeof EXEC_PREFIX - 1))
        return APIGW_GROUP_EXEC;
    if (!strncmp(log_group, "/aws/lambda/", 12))
        return APIGW_GROUP_LAMBDA;
    return APIGW_GROUP_ANY;
}

/* "YYYY/MM/DD/[": how every Lambda log stream name begins. */
static int lambda_stream(const char *s)
{
    static const char form[] = "dddd/dd/dd/[";
    for (size_t i = 0; i < sizeof form - 1; i++) {
        if (form[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != form[i])
            return 0;
    }
    return strchr(s + sizeof form - 1, ']') != NULL;
}

enum apigw_group apigw_group_of_stream(const char *log_group, const char *log_stream)
{
    enum apigw_group g = apigw_group_of(log_group);
    if (g == APIGW_GROUP_ANY && log_stream && lambda_stream(log_stream))
        return APIGW_GROUP_LAMBDA;
    return g;
}

int apigw_exec_group(const char *log_group, mrb_slice *api_id, mrb_slice *stage)
{
    if (apigw_group_of(log_group) != APIGW_GROUP_EXEC)
        return 0;
    const char *p = log_group + sizeof EXEC_PREFIX - 1;
    const char *slash = strchr(p, '/');
    if (!slash || slash == p || !slash[1])
        return 0;
    *api_id = slice_of(p, (size_t)(slash - p));
    *stage = slice_of(slash + 1, strlen(slash + 1));
    return 1;
}

const char *apigw_format_name(int format)
{
    static const char *const names[] = {"exec", "json", "clf", "csv", "xml"};
    return format >= 0 && format <= APIGW_FMT_XML ? names[format] : "exec";
}

/* ---- times ---- */

/* "29/Jun/2021:00:28:50 +0000" (CLF); 0 on success. */
static int clf_time(mrb_slice s, int64_t *ms)
{
    static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    s = trim(s);
    if (s.n != 26 || s.p[2] != '/' || s.p[6] != '/' || s.p[11] != ':' || s.p[20] != ' ')
        return -1;
    const char *m = NULL;
    for (int i = 0; i < 12 && !m; i++)
        if (!memcmp(mon + 3 * i, s.p + 3, 3))
            m = mon + 3 * i;
    int v[7];
    static const int at[6] = {0, 7, 12, 15, 18, 22};
    static const int len[6] = {2, 4, 2, 2, 2, 4};
    for (int f = 0; f < 6; f++) {
        v[f] = 0;
        for (int k = 0; k < len[f]; k++) {
            char c = s.p[at[f] + k];
            if (!isdigit((unsigned char)c))
                return -1;
            v[f] = v[f] * 10 + (c - '0');
        }
    }
    if (!m || (s.p[21] != '+' && s.p[21] != '-') || v[0] < 1 || v[0] > 31 || v[2] > 23 ||
        v[3] > 59 || v[4] > 60)
        return -1;
    int off = (v[5] / 100) * 60 + v[5] % 100;
    if (s.p[21] == '-')
        off = -off;
    int64_t days = time_days_from_civil(v[1], (unsigned)((m - mon) / 3 + 1), (unsigned)v[0]);
    *ms = ((days * 86400 + v[2] * 3600 + v[3] * 60 + v[4]) - (int64_t)off * 60) * 1000;
    return 0;
}

/* ---- fields by name (JSON keys, XML tags) ---- */

enum afield {
    F_NONE, F_REQUEST_ID, F_EXTENDED, F_TIME, F_EPOCH, F_METHOD, F_RESOURCE, F_PATH, F_STAGE,
    F_STATUS, F_RESP_LENGTH, F_RESP_LATENCY, F_INTEG_LATENCY, F_INTEG_STATUS, F_INTEG_REQ_ID,
    F_TRACE, F_ERROR, F_INTEG_ERROR
};

/* Names as written in formats, compared lowercased, without '.', '_', '-'
 * and a leading "context" (so "$context.integration.latency", the key
 * "integrationLatency" and the tag <integration_latency> are one). */
static const struct {
    const char *name;
    enum afield f;
} field_names[] = {
    {"requestid", F_REQUEST_ID}, {"id", F_REQUEST_ID}, {"extendedrequestid", F_EXTENDED},
    {"requesttime", F_TIME}, {"requesttimeepoch", F_EPOCH}, {"httpmethod", F_METHOD},
    {"method", F_METHOD}, {"resourcepath", F_RESOURCE}, {"resource", F_RESOURCE},
    {"path", F_PATH}, {"stage", F_STAGE}, {"status", F_STATUS}, {"statuscode", F_STATUS},
    {"responselength", F_RESP_LENGTH}, {"responselatency", F_RESP_LATENCY},
    {"latency", F_RESP_LATENCY}, {"integrationlatency", F_INTEG_LATENCY},
    {"integrationstatus", F_INTEG_STATUS}, {"integrationintegrationstatus", F_INTEG_STATUS},
    {"integrationrequestid", F_INTEG_REQ_ID}, {"awsendpointrequestid", F_INTEG_REQ_ID},
    {"xraytraceid", F_TRACE}, {"traceid", F_TRACE}, {"errormessage", F_ERROR},
    {"errormessagestring", F_ERROR}, {"error", F_ERROR},
    {"integrationerrormessage", F_INTEG_ERROR}, {"integrationerror", F_INTEG_ERROR},
};

static enum afield field_of(const char *name, size_t n)
{
    char k[64];
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (c == '.' || c == '_' || c == '-' || c == '$')
            continue;
        if (m + 1 >= sizeof k)
            return F_NONE;
        k[m++] = (char)tolower((unsigned char)c);
    }
    k[m] = '\0';
    const char *key = strncmp(k, "context", 7) == 0 && m > 7 ? k + 7 : k;
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (!strcmp(key, field_names[i].name))
            return field_names[i].f;
    return F_NONE;
}

/* Sets field f of r from the text v; -1 (r->why) when a number is not one. */
static int set_field(apigw_rec *r, enum afield f, mrb_slice v)
{
    double d = 0;
    v = trim(v);
    if (f == F_NONE || is_none(v))
        return 0;
    switch (f) {
    case F_REQUEST_ID: r->request_id = v; return 0;
    case F_EXTENDED: r->extended_request_id = v; return 0;
    case F_METHOD: r->http_method = v; return 0;
    case F_RESOURCE: r->resource_path = v; return 0;
    case F_PATH: r->path = v; return 0;
    case F_STAGE: r->stage = v; return 0;
    case F_INTEG_REQ_ID: r->integration_request_id = v; return 0;
    case F_TRACE: r->xray_trace_id = v; return 0;
    case F_ERROR: r->error_message = v; return 0;
    case F_INTEG_ERROR:
        if (!r->error_message.p)
            r->error_message = v;
        return 0;
    case F_TIME:
        if (clf_time(v, &r->ts_ms) < 0)
            return r->why = "access log: requestTime is not a CLF time (dd/MMM/yyyy:HH:mm:ss +hhmm)", -1;
        r->has |= AG_TIME;
        return 0;
    default:
        break;
    }
    if (to_num(v, &d) < 0)
        return r->why = "access log: a status, length, latency or epoch field is not a number", -1;
    switch (f) {
    case F_EPOCH: r->ts_ms = (int64_t)d, r->has |= AG_TIME; break;
    case F_STATUS: r->status = (int)d, r->has |= AG_STATUS; break;
    case F_RESP_LENGTH: r->response_length = (long long)d, r->has |= AG_RESP_LENGTH; break;
    case F_RESP_LATENCY: r->response_latency_ms = d, r->has |= AG_RESP_LATENCY; break;
    case F_INTEG_LATENCY: r->integration_latency_ms = d, r->has |= AG_INTEG_LATENCY; break;
    case F_INTEG_STATUS: r->integration_status = (int)d, r->has |= AG_INTEG_STATUS; break;
    default: break;
    }
    return 0;
}

/* A row must name its request. */
static enum apigw_kind access_done(apigw_rec *r, int format)
{
    r->format = format;
    if (!r->request_id.p && !r->extended_request_id.p)
        return r->why = "access log: no requestId or extendedRequestId", APIGW_MALFORMED;
    if (r->has & AG_STATUS && (r->status < 100 || r->status > 599))
        return r->why = "access log: status is not an HTTP status", APIGW_MALFORMED;
    return APIGW_ACCESS;
}

/* ---- JSON access lines ---- */

/* Walks obj's members; nested objects join their key to the parent's. */
static int json_fields(apigw_rec *r, json_t *obj, const char *prefix, int depth, int *named)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        char full[128];
        snprintf(full, sizeof full, "%s%s", prefix, key);
        if (json_is_object(v) && depth < 3) {
            if (json_fields(r, v, full, depth + 1, named) < 0)
                return -1;
            continue;
        }
        enum afield f = field_of(full, strlen(full));
        if (f == F_NONE)
            continue;
        (*named)++;
        char num[40];
        mrb_slice s = {NULL, 0};
        if (json_is_string(v))
            s = slice_of(json_string_value(v), json_string_length(v));
        else if (json_is_integer(v))
            s = slice_of(num, (size_t)snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v)));
        else if (json_is_real(v))
            s = slice_of(num, (size_t)snprintf(num, sizeof num, "%.17g", json_real_value(v)));
        else if (json_is_null(v))
            continue;
        else
            return r->why = "access log: a field is neither text nor a number", -1;
        if (s.p == num && f != F_STATUS && f != F_RESP_LENGTH && f != F_RESP_LATENCY &&
            f != F_INTEG_LATENCY && f != F_INTEG_STATUS && f != F_EPOCH)
            continue; /* a number where an id or text belongs: not kept */
        if (set_field(r, f, s) < 0)
            return -1;
    }
    return 0;
}

static enum apigw_kind parse_json(const char *p, size_t n, enum apigw_group group, apigw_rec *r,
                                  apigw_doc *doc)
{
    json_t *root = json_loadb(p, n, JSON_REJECT_DUPLICATES, NULL);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        if (group == APIGW_GROUP_ANY)
            return APIGW_NONE; /* application JSON of something else */
        return r->why = "access log: not a JSON object", APIGW_MALFORMED;
    }
    doc->json = root;
    if (json_object_get(root, "_aws"))
        return APIGW_NONE; /* an EMF document */
    int named = 0;
    json_t *rid = json_object_get(root, "requestId");
    if (json_fields(r, root, "", 0, &named) < 0) {
        /* only a line that looks like an access line is reported */
        return rid && (r->http_method.p || json_object_get(root, "status")) ? APIGW_MALFORMED
                                                                          : APIGW_NONE;
    }
    /* an access line names its request and at least how it went */
    if (!(r->request_id.p || r->extended_request_id.p) ||
        !(r->has & AG_STATUS || r->http_method.p || r->resource_path.p))
        return APIGW_NONE;
    return access_done(r, APIGW_FMT_JSON);
}

/* ---- CLF and CSV presets ---- */

static int is_method(mrb_slice s)
{
    static const char *const m[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (s.n == strlen(m[i]) && !memcmp(s.p, m[i], s.n))
            return 1;
    return 0;
}

/* ip caller user [time] "METHOD resource protocol" status length requestId extendedRequestId */
static enum apigw_kind parse_clf(const char *p, size_t n, apigw_rec *r)
{
    size_t rest;
    const char *t = memchr(p, '[', n);
    if (!t)
        return APIGW_NONE;
    const char *te = memchr(t, ']', n - (size_t)(t - p));
    if (!te || clf_time(slice_of(t + 1, (size_t)(te - t - 1)), &r->ts_ms) < 0)
        return APIGW_NONE;
    const char *q = after(te, n - (size_t)(te - p), " \"", &rest);
    const char *qe = q ? memchr(q, '"', rest) : NULL;
    if (!qe)
        return APIGW_NONE;
    mrb_slice req = slice_of(q, (size_t)(qe - q));
    mrb_slice m = token(req.p, req.n, " ");
    if (!is_method(m))
        return APIGW_NONE;
    r->has |= AG_TIME;
    r->http_method = m;
    mrb_slice res = token(m.p + m.n + (m.n < req.n), req.n - m.n - (m.n < req.n), " ");
    r->resource_path = res;
    const char *f = qe + 1, *end = p + n;
    mrb_slice fields[4] = {{NULL, 0}};
    for (int i = 0; i < 4; i++) {
        while (f < end && *f == ' ')
            f++;
        if (f >= end)
            break;
        fields[i] = token(f, (size_t)(end - f), " ");
        f += fields[i].n;
    }
    if (!fields[2].p)
        return r->why = "access log (CLF): fewer than status, length and requestId after the request line", APIGW_MALFORMED;
    if (set_field(r, F_STATUS, fields[0]) < 0 || set_field(r, F_RESP_LENGTH, fields[1]) < 0)
        return APIGW_MALFORMED;
    set_field(r, F_REQUEST_ID, fields[2]);
    set_field(r, F_EXTENDED, fields[3]);
    return access_done(r, APIGW_FMT_CLF);
}

/* ip,caller,user,requestTime,method,resource,protocol,status,length,requestId,extendedRequestId */
static enum apigw_kind parse_csv(const char *p, size_t n, apigw_rec *r)
{
    mrb_slice c[12];
    size_t k = 0, at = 0;
    while (k < 12) {
        c[k] = token(p + at, n - at, ",");
        at += c[k++].n;
        if (at >= n)
            break;
        at++;
    }
    if (k < 10 || k > 11 || clf_time(c[3], &r->ts_ms) < 0 || !is_method(trim(c[4])))
        return APIGW_NONE;
    if (at < n)
        return APIGW_NONE;
    r->has |= AG_TIME;
    set_field(r, F_METHOD, c[4]);
    set_field(r, F_RESOURCE, c[5]);
    if (set_field(r, F_STATUS, c[7]) < 0 || set_field(r, F_RESP_LENGTH, c[8]) < 0)
        return APIGW_MALFORMED;
    set_field(r, F_REQUEST_ID, c[9]);
    if (k == 11)
        set_field(r, F_EXTENDED, c[10]);
    return access_done(r, APIGW_FMT_CSV);
}

/* ---- XML preset ---- */

static enum apigw_kind parse_xml(const char *p, size_t n, apigw_rec *r)
{
    size_t rest;
    const char *id = after(p, n, "<request id=\"", &rest);
    if (!bytes_start(p, n, "<request") || !id)
        return APIGW_NONE;
    mrb_slice v = token(id, rest, "\"");
    if (v.n == rest)
        return r->why = "access log (XML): unterminated id attribute", APIGW_MALFORMED;
    set_field(r, F_REQUEST_ID, v);
    const char *q = id + v.n, *end = p + n;
    while (q < end && (q = memchr(q, '<', (size_t)(end - q))) != NULL) {
        mrb_slice tag = token(q + 1, (size_t)(end - q - 1), ">");
        q += tag.n + 2;
        if (q > end || tag.n == 0 || tag.p[0] == '/' || tag.p[tag.n - 1] == '/')
            continue;
        const char *close = memchr(q, '<', (size_t)(end - q));
        if (!close || close + 1 >= end || close[1] != '/')
            return r->why = "access log (XML): an element without its closing tag", APIGW_MALFORMED;
        enum afield f = field_of(tag.p, tag.n);
        if (f != F_REQUEST_ID && set_field(r, f, slice_of(q, (size_t)(close - q))) < 0)
            return APIGW_MALFORMED;
        q = close;
    }
    return access_done(r, APIGW_FMT_XML);
}

/* ---- execution-log lines ---- */

/* A "Key=Value" of a header map "{K=V, K=V}": the value up to ", " + the
 * next key, or the closing brace. */
static mrb_slice header(const char *p, size_t n, const char *key)
{
    size_t rest;
    const char *v = after(p, n, key, &rest);
    if (!v)
        return slice_of(NULL, 0);
    return token(v, rest, ",;}");
}

static int int_after(const char *p, size_t n, const char *lit, int *out)
{
    size_t rest;
    double d;
    const char *v = after(p, n, lit, &rest);
    if (!v || to_num(token(v, rest, " ,."), &d) < 0)
        return -1;
    *out = (int)d;
    return 0;
}

/* Lines that tell something; the rest are steps without a fact. */
static void exec_text(const char *p, size_t n, apigw_rec *r)
{
    size_t rest;
    const char *v;
    double d;

    if (bytes_start(p, n, "Starting execution for request: "))
        r->request_id = trim(slice_of(p + 32, n - 32)), r->has |= AG_STARTS;
    else if (bytes_start(p, n, "Extended Request Id: "))
        r->extended_request_id = trim(slice_of(p + 21, n - 21));
    else if (bytes_start(p, n, "HTTP Method: ") && (v = after(p, n, ", Resource Path: ", &rest))) {
        r->http_method = token(p + 13, n - 13, ",");
        r->resource_path = trim(slice_of(v, rest));
    } else if (bytes_start(p, n, "Received response.") &&
               (v = after(p, n, "Integration latency: ", &rest)) &&
               to_num(token(v, rest, " "), &d) == 0) {
        r->integration_latency_ms = d, r->has |= AG_INTEG_LATENCY;
        if (int_after(p, n, "Status: ", &r->integration_status) == 0)
            r->has |= AG_INTEG_STATUS;
    } else if (bytes_start(p, n, "Endpoint response headers: ")) {
        r->integration_request_id = header(p, n, "x-amzn-RequestId=");
        mrb_slice t = header(p, n, "X-Amzn-Trace-Id=root=");
        r->xray_trace_id = t.p ? t : header(p, n, "X-Amzn-Trace-Id=Root=");
    } else if (bytes_start(p, n, "Lambda execution failed with status ")) {
        if (int_after(p, n, "with status ", &r->integration_status) == 0)
            r->has |= AG_INTEG_STATUS;
        size_t idrest = 0;
        const char *id = after(p, n, ". Lambda request id: ", &idrest);
        if (id)
            r->integration_request_id = trim(slice_of(id, idrest));
        if ((v = after(p, n, "customer function error: ", &rest)))
            r->error_message = trim(slice_of(v, id ? (size_t)(id - v) - 21 : rest));
    } else if (bytes_start(p, n, "Execution failed due to ")) {
        r->error_message = trim(slice_of(p, n));
    } else if (bytes_start(p, n, "Method completed with status: ")) {
        if (int_after(p, n, "status: ", &r->status) == 0 && r->status >= 100 && r->status <= 599)
            r->has |= AG_STATUS;
    } else if ((v = after(p, n, "Integration Endpoint RequestId : ", &rest)) &&
               bytes_start(p, n, "AWS Integration"))
        r->integration_request_id = trim(slice_of(v, rest));
    else if (bytes_start(p, n, "X-ray Tracing ID : "))
        r->xray_trace_id = trim(slice_of(p + 19, n - 19));
}

/* "(<id>) text": the id slice and the text, or 0. */
static int exec_prefix(const char *p, size_t n, mrb_slice *id, mrb_slice *text)
{
    if (n < 4 || p[0] != '(')
        return 0;
    const char *close = memchr(p, ')', n < 130 ? n : 130);
    if (!close || close == p + 1 || close + 1 >= p + n || close[1] != ' ')
        return 0;
    for (const char *c = p + 1; c < close; c++)
        if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '_'))
            return 0;
    *id = slice_of(p + 1, (size_t)(close - p - 1));
    *text = slice_of(close + 2, n - (size_t)(close + 2 - p));
    return 1;
}

/* 8-4-4-4-12 hex digits: outside an execution-log group, only such a
 * prefix makes a line an execution line. */
static int is_uuid(mrb_slice s)
{
    if (s.n != 36)
        return 0;
    for (size_t i = 0; i < 36; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s.p[i] != '-'
                                                       : !isxdigit((unsigned char)s.p[i]))
            return 0;
    return 1;
}

enum apigw_kind apigw_parse(const char *msg, size_t n, enum apigw_group group, apigw_rec *out,
                            apigw_doc *doc)
{
    mrb_slice id, text;

    memset(out, 0, sizeof *out);
    doc->json = NULL;
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        n--;
    if (group == APIGW_GROUP_LAMBDA || n == 0)
        return APIGW_NONE;
    if (exec_prefix(msg, n, &id, &text) && (group == APIGW_GROUP_EXEC || is_uuid(id))) {
        out->request_id = id;
        exec_text(text.p, text.n, out);
        return APIGW_EXEC;
    }
    if (group == APIGW_GROUP_EXEC) {
        exec_text(msg, n, out); /* the unprefixed (2016) form */
        return APIGW_EXEC;
    }
    if (msg[0] == '{')
        return parse_json(msg, n, group, out, doc);
    if (msg[0] == '<')
        return parse_xml(msg, n, out);
    enum apigw_kind k = parse_clf(msg, n, out);
    if (k == APIGW_NONE) {
        memset(out, 0, sizeof *out);
        k = parse_csv(msg, n, out);
    }
    if (k == APIGW_NONE)
        memset(out, 0, sizeof *out);
    return k;
}

void apigw_doc_release(apigw_doc *doc)
{
    if (doc->json)
        json_decref(doc->json);
    doc->json = NULL;
}

/* ---- the runtime a route names ---- */

static const char *segment_runtime(mrb_slice s, int skip)
{
    size_t i = 0;
    for (int seg = 0; i < s.n && seg <= skip; seg++) {
        while (i < s.n && s.p[i] == '/')
            i++;
        mrb_slice t = token(s.p + i, s.n - i, "/?");
        i += t.n;
        if (seg < skip)
            continue;
        char buf[64];
        if (t.n == 0 || t.n >= sizeof buf)
            return NULL;
        memcpy(buf, t.p, t.n);
        buf[t.n] = '\0';
        return attrib_from_name(buf);
    }
    return NULL;
}

const char *apigw_route_runtime(const apigw_rec *r)
{
    const char *rt = r->resource_path.p ? segment_runtime(r->resource_path, 0) : NULL;
    if (!rt && r->path.p)
        rt = segment_runtime(r->path, r->stage.p ? 1 : 0);
    if (!rt && r->path.p && !r->stage.p)
        rt = segment_runtime(r->path, 1); /* /{stage}/{runtime}/... */
    return rt;
}
