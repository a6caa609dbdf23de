/* xray.c — X-Ray trace documents to rows (see xray.h). */
#include "mrb/xray.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *str(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *str2(const json_t *o, const char *a, const char *b)
{
    return str(json_object_get(o, a), b);
}

static int flag(const json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key));
}

/* A finite JSON number into *v: 1; absent: 0; anything else: -1. */
static int number(const json_t *o, const char *key, double *v)
{
    const json_t *n = json_object_get(o, key);

    if (!n)
        return 0;
    if (!json_is_number(n))
        return -1;
    *v = json_number_value(n);
    return isfinite(*v) ? 1 : -1;
}

typedef struct walk {
    const row_sink *sink;
    const char *trace_id;
    const char *segment_id;
    long long line;
    const char *where; /* "trace 1-...: segment 3" */
    mrb_err *err;
} walk;

static int one(walk *w, const json_t *doc, const char *parent, int depth);

static int children(walk *w, const json_t *doc, const char *id, int depth)
{
    const json_t *subs = json_object_get(doc, "subsegments");
    size_t i;
    json_t *sub;

    if (!subs)
        return 0;
    if (!json_is_array(subs))
        return mrb_err_set(w->err, w->line, -1, "%s: subsegments of '%.40s' is not an array",
                           w->where, id);
    json_array_foreach(subs, i, sub) {
        if (one(w, sub, id, depth + 1) < 0)
            return -1;
    }
    return 0;
}

static void fill_aws(xray_segment *s, const json_t *doc)
{
    const json_t *aws = json_object_get(doc, "aws");
    const json_t *http = json_object_get(doc, "http");
    const json_t *status = json_object_get(json_object_get(http, "response"), "status");

    s->aws_operation = str(aws, "operation");
    s->aws_table = str(aws, "table_name");
    s->aws_request_id = str(aws, "request_id");
    s->function_arn = str(aws, "function_arn");
    if (!s->function_arn)
        s->function_arn = str(doc, "resource_arn");
    s->http_method = str2(http, "request", "method");
    s->http_url = str2(http, "request", "url");
    s->has_status = json_is_integer(status);
    s->http_status = s->has_status ? json_integer_value(status) : 0;
}

/* One (sub)segment object and, depth first, its subsegments. */
static int one(walk *w, const json_t *doc, const char *parent, int depth)
{
    xray_segment s;
    int rs, re;

    if (depth > XRAY_MAX_DEPTH)
        return mrb_err_set(w->err, w->line, -1, "%s: subsegments nested deeper than %d",
                           w->where, XRAY_MAX_DEPTH);
    if (!json_is_object(doc))
        return mrb_err_set(w->err, w->line, -1, "%s: a subsegment is not an object", w->where);
    memset(&s, 0, sizeof s);
    s.id = str(doc, "id");
    if (!s.id || !s.id[0])
        return mrb_err_set(w->err, w->line, -1, "%s: a %s without a string id", w->where,
                           depth ? "subsegment" : "segment");
    if ((rs = number(doc, "start_time", &s.start_s)) != 1)
        return mrb_err_set(w->err, w->line, -1, "%s: '%.40s' has %s start_time", w->where, s.id,
                           rs == 0 ? "no" : "a non-numeric");
    s.in_progress = flag(doc, "in_progress");
    re = number(doc, "end_time", &s.end_s);
    if (re < 0 || (re == 0 && !s.in_progress))
        return mrb_err_set(w->err, w->line, -1, "%s: '%.40s' has %s end_time", w->where, s.id,
                           re == 0 ? "no" : "a non-numeric");
    s.has_end = re == 1;
    s.trace_id = w->trace_id;
    s.parent_id = str(doc, "parent_id");
    if (!s.parent_id)
        s.parent_id = parent;
    s.segment_id = w->segment_id;
    s.depth = depth;
    s.name = str(doc, "name");
    s.origin = str(doc, "origin");
    s.ns = str(doc, "namespace");
    s.inferred = flag(doc, "inferred");
    s.error = flag(doc, "error");
    s.fault = flag(doc, "fault");
    s.throttle = flag(doc, "throttle");
    s.line = w->line;
    fill_aws(&s, doc);
    if (w->sink->xray_segment(w->sink->arg, &s, w->err) < 0)
        return -1;
    return children(w, doc, s.id, depth);
}

/* One Segments[] element: its Document decoded and walked. */
static int segment(walk *w, const json_t *seg, size_t k)
{
    char where[160];
    json_error_t je;
    const char *text = str(seg, "Document");

    snprintf(where, sizeof where, "trace %.40s: segment %zu", w->trace_id, k + 1);
    w->where = where;
    if (!text)
        return mrb_err_set(w->err, w->line, -1, "%s: Document is not a string", where);
    json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return mrb_err_set(w->err, w->line, -1, "%s: Document is not JSON: %s (column %d)",
                           where, je.text, je.column);
    int rc = -1;
    const char *tid = str(doc, "trace_id");
    if (!json_is_object(doc))
        mrb_err_set(w->err, w->line, -1, "%s: Document is not an object", where);
    else if (tid && strcmp(tid, w->trace_id) != 0)
        mrb_err_set(w->err, w->line, -1, "%s: trace_id '%.40s' is not the trace's", where, tid);
    else {
        w->segment_id = str(doc, "id");
        rc = one(w, doc, NULL, 0);
    }
    json_decref(doc);
    return rc;
}

int xray_trace_rows(const json_t *trace, long long index, long long line,
                    const row_sink *sink, mrb_err *err)
{
    xray_trace t;
    const json_t *segs = json_object_get(trace, "Segments");
    size_t k;
    json_t *seg;

    memset(&t, 0, sizeof t);
    t.trace_id = str(trace, "Id");
    if (!json_is_object(trace) || !t.trace_id || !t.trace_id[0])
        return mrb_err_set(err, line, -1, "trace %lld has no string Id", index + 1);
    if (segs && !json_is_array(segs))
        return mrb_err_set(err, line, -1, "trace %.40s: Segments is not an array", t.trace_id);
    int rd = number(trace, "Duration", &t.duration_s);
    if (rd < 0)
        return mrb_err_set(err, line, -1, "trace %.40s: Duration is not a number", t.trace_id);
    t.has_duration = rd == 1;
    t.segments = segs ? (int)json_array_size(segs) : 0;
    t.source = "batch-get-traces";
    t.line = line;
    if (sink->xray_trace(sink->arg, &t, err) < 0)
        return -1;
    walk w = {sink, t.trace_id, NULL, line, "", err};
    json_array_foreach(segs, k, seg) {
        if (segment(&w, seg, k) < 0)
            return -1;
    }
    return 0;
}

int xray_summary_rows(const json_t *summary, long long index, long long line,
                      const row_sink *sink, mrb_err *err)
{
    xray_trace t;
    const json_t *http = json_object_get(summary, "Http");
    const json_t *status = json_object_get(http, "HttpStatus");

    memset(&t, 0, sizeof t);
    t.trace_id = str(summary, "Id");
    if (!json_is_object(summary) || !t.trace_id || !t.trace_id[0])
        return mrb_err_set(err, line, -1, "trace summary %lld has no string Id", index + 1);
    int rd = number(summary, "Duration", &t.duration_s);
    int rr = number(summary, "ResponseTime", &t.response_time_s);
    if (rd < 0 || rr < 0)
        return mrb_err_set(err, line, -1, "trace summary %.40s: %s is not a number", t.trace_id,
                           rd < 0 ? "Duration" : "ResponseTime");
    t.has_duration = rd == 1;
    t.has_response_time = rr == 1;
    t.has_flags = json_object_get(summary, "HasError") != NULL;
    t.has_error = flag(summary, "HasError");
    t.has_fault = flag(summary, "HasFault");
    t.has_throttle = flag(summary, "HasThrottle");
    t.has_status = json_is_integer(status);
    t.http_status = t.has_status ? json_integer_value(status) : 0;
    t.http_method = str(http, "HttpMethod");
    t.http_url = str(http, "HttpURL");
    t.segments = -1;
    t.source = "get-trace-summaries";
    t.line = line;
    return sink->xray_trace(sink->arg, &t, err);
}

int xray_arn_function(const char *arn, char *out, size_t size)
{
    static const char prefix[] = "arn:aws";
    const char *f;

    if (!arn || strncmp(arn, prefix, sizeof prefix - 1) != 0 || !(f = strstr(arn, ":function:")))
        return 0;
    f += strlen(":function:");
    size_t n = strcspn(f, ":");
    if (n == 0 || n >= size)
        return 0;
    memcpy(out, f, n);
    out[n] = '\0';
    return 1;
}
