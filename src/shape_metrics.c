/* shape_metrics.c — CloudWatch metric exports (FORMATS.md 13).
 *
 * `aws cloudwatch get-metric-data` output {"MetricDataResults": [{Id, Label,
 * Timestamps, Values, StatusCode}], "Messages": [...]} (optionally merged
 * with its "MetricDataQueries"), and `get-metric-statistics` output
 * {"Datapoints": [{Timestamp, Sum, ..., Unit, ExtendedStatistics}],
 * "Label"}; documents back to back (one per page) are read one after the
 * other. Elements are copied out by the streaming scanner and parsed alone;
 * a document's elements are kept until its end, because what identifies
 * them (the queries, the Label) may come after them. Where the namespace,
 * dimensions and period come from: cw_export.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/cw_export.h"
#include "mrb/jscan.h"
#include "mrb/shape.h"
#include "mrb/shape_json.h"
#include "mrb/timeparse.h"

#define ELEMENT_MAX (16u << 20)

static const char *const key_names[] = {"MetricDataResults", "MetricDataQueries", "Datapoints",
                                        "Label"};

static int detect(const char *head, size_t n)
{
    char quoted[40];

    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
        snprintf(quoted, sizeof quoted, "\"%s\"", key_names[i]);
        if (shape_json_first_key(head, n, quoted))
            return 1;
    }
    return 0;
}

typedef struct doc {
    const row_sink *sink;
    const cw_ident *path;  /* what the path says */
    int path_keys;
    json_t *queries, *results, *points; /* arrays of [line, element] */
    char *label;           /* get-metric-statistics Label */
    long long line;        /* where the document starts */
} doc;

static int element(void *arg, const sb *raw, long long line, long long off, mrb_err *err)
{
    json_t *into = arg;
    json_error_t je;
    json_t *v = json_loadb(raw->buf, raw->len, JSON_REJECT_DUPLICATES, &je);

    (void)off;
    if (!v)
        return mrb_err_set(err, line + je.line - 1, -1, "invalid JSON in a metric element: %s",
                           je.text);
    if (!json_is_object(v)) {
        json_decref(v);
        return mrb_err_set(err, line, -1, "a metric element is not an object");
    }
    json_array_append_new(into, json_pack("[Io]", (json_int_t)line, v));
    return 0;
}

static int member(void *arg, const char *key, reader *r, mrb_err *err)
{
    doc *d = arg;
    json_t *into;

    if (!strcmp(key, "Label")) {
        sb raw = SB_INIT;
        long long line = reader_line(r);
        int rc = jscan_value(r, &raw, 4096, err);
        json_t *v = rc < 0 ? NULL : json_loadb(raw.buf, raw.len, JSON_DECODE_ANY, NULL);
        sb_release(&raw);
        if (rc < 0)
            return -1;
        if (!json_is_string(v) || d->label) {
            json_decref(v);
            return mrb_err_set(err, line, -1, "Label is not a string given once");
        }
        d->label = strdup(json_string_value(v));
        json_decref(v);
        return 0;
    }
    if (!strcmp(key, "MetricDataResults"))
        into = d->results;
    else if (!strcmp(key, "MetricDataQueries"))
        into = d->queries;
    else if (!strcmp(key, "Datapoints"))
        into = d->points;
    else
        return jscan_value(r, NULL, 0, err);
    return jscan_array(r, key, ELEMENT_MAX, element, into, err);
}

/* Element i of a kept array, and the line it started on. */
static const json_t *el(const json_t *arr, size_t i, long long *line)
{
    const json_t *pair = json_array_get(arr, i);

    if (line)
        *line = json_integer_value(json_array_get(pair, 0));
    return json_array_get(pair, 1);
}

static int emit(const doc *d, const cw_ident *id, const char *label, const char *qid,
                const char *from, int64_t ts, double v, const char *unit, long long line,
                mrb_err *err)
{
    cw_point p = {id->ns, id->metric, id->dims, id->stat, id->has_period, id->period_s,
                  ts, v, unit ? unit : id->unit, label, qid, from, line};
    return d->sink->cw_point(d->sink->arg, &p, err);
}

/* Checks that id names everything a value needs; warns once of no period. */
static int complete(const doc *d, cw_ident *id, const char *what, const char *hint,
                    long long line, mrb_err *err)
{
    const char *missing = !id->ns       ? "namespace"
                          : !id->metric ? "metric"
                          : !id->stat   ? "statistic"
                          : !id->has_dims ? "dimensions"
                                          : NULL;
    if (missing)
        return mrb_err_set(err, line, -1, "%s: its %s is not known: %sname it in the path "
                           "(namespace=, metric=, stat=, NAME=VALUE or dimensions=none; see "
                           "METRIC EXPORTS in the manual)", what, missing, hint);
    if (!id->has_period) {
        char text[400];
        snprintf(text, sizeof text, "%s: no period known (path 'period=SECONDS'): stored as NULL",
                 what);
        d->sink->problem(d->sink->arg, line, -1, text);
    }
    return 0;
}

static const json_t *query_for(const doc *d, const char *qid)
{
    for (size_t i = 0; i < json_array_size(d->queries); i++) {
        const json_t *q = el(d->queries, i, NULL);
        const char *s = json_string_value(json_object_get(q, "Id"));
        if (s && !strcmp(s, qid))
            return q;
    }
    return NULL;
}

/* One get-metric-data result. */
static int result(const doc *d, const json_t *res, long long line, int path_only_ok,
                  mrb_err *err)
{
    const char *qid = json_string_value(json_object_get(res, "Id"));
    const char *label = json_string_value(json_object_get(res, "Label"));
    const char *status = json_string_value(json_object_get(res, "StatusCode"));
    const json_t *ts = json_object_get(res, "Timestamps"), *vs = json_object_get(res, "Values");
    char what[160];
    cw_ident id;
    const char *from = "path";

    snprintf(what, sizeof what, "result '%.40s'", qid ? qid : "?");
    if (!qid || !json_is_array(ts) || !json_is_array(vs) ||
        json_array_size(ts) != json_array_size(vs))
        return mrb_err_set(err, line, -1, "%s: needs a string Id and Timestamps and Values of "
                           "the same length", what);
    const json_t *q = query_for(d, qid);
    int qi = q ? cw_query_ident(q, &id, err) : 0;
    if (qi < 0)
        return -1;
    if (qi == 0)
        memset(&id, 0, sizeof id);
    else
        from = "document";
    if (qi == 0 && !path_only_ok && json_array_size(ts) > 0)
        return mrb_err_set(err, line, -1, "%s: several results but only the path to name them: "
                           "merge the queries into the document", what);
    cw_ident_fill(&id, d->path);
    if (qi == 1 && d->path_keys)
        from = "document+path";
    if (json_array_size(ts) == 0)
        return 0;
    if (complete(d, &id, what, "merge its query into the document or ", line, err) < 0)
        return -1;
    if (status && strcmp(status, "Complete") != 0) {
        char text[300];
        snprintf(text, sizeof text, "%s: StatusCode %.40s: the values are not all there", what,
                 status);
        d->sink->problem(d->sink->arg, line, -1, text);
    }
    for (size_t i = 0; i < json_array_size(ts); i++) {
        const char *t = json_string_value(json_array_get(ts, i));
        const json_t *v = json_array_get(vs, i);
        int64_t ms;
        if (!t || !time_parse_iso(t, strlen(t), &ms) || !json_is_number(v))
            return mrb_err_set(err, line, -1, "%s: value %zu has a bad timestamp or value", what,
                               i + 1);
        if (emit(d, &id, label, qid, from, ms, json_number_value(v), NULL, line, err) < 0)
            return -1;
    }
    return 0;
}

static const char *const stat_names[] = {"SampleCount", "Average", "Sum", "Minimum", "Maximum"};

/* One get-metric-statistics datapoint: a value per statistic it holds. */
static int datapoint(const doc *d, cw_ident *id, const json_t *p, size_t i, long long line,
                     mrb_err *err)
{
    const char *t = json_string_value(json_object_get(p, "Timestamp"));
    const char *unit = json_string_value(json_object_get(p, "Unit"));
    const json_t *ext = json_object_get(p, "ExtendedStatistics");
    const char *name;
    json_t *v;
    int64_t ms;
    int n = 0;

    if (!t || !time_parse_iso(t, strlen(t), &ms))
        return mrb_err_set(err, line, -1, "datapoint %zu has no readable Timestamp", i + 1);
    if (ext && !json_is_object(ext))
        return mrb_err_set(err, line, -1, "datapoint %zu: ExtendedStatistics is not an object",
                           i + 1);
    for (size_t k = 0; k < sizeof stat_names / sizeof stat_names[0]; k++) {
        v = json_object_get(p, stat_names[k]);
        if (!v)
            continue;
        if (!json_is_number(v))
            return mrb_err_set(err, line, -1, "datapoint %zu: %s is not a number", i + 1,
                               stat_names[k]);
        id->stat = stat_names[k];
        if (emit(d, id, d->label, NULL, "path", ms, json_number_value(v), unit, line, err) < 0)
            return -1;
        n++;
    }
    json_object_foreach((json_t *)ext, name, v) {
        if (!json_is_number(v))
            return mrb_err_set(err, line, -1, "datapoint %zu: %.20s is not a number", i + 1, name);
        id->stat = name;
        if (emit(d, id, d->label, NULL, "path", ms, json_number_value(v), unit, line, err) < 0)
            return -1;
        n++;
    }
    if (n == 0)
        return mrb_err_set(err, line, -1, "datapoint %zu holds no statistic", i + 1);
    return 0;
}

static int statistics(const doc *d, mrb_err *err)
{
    cw_ident id = *d->path;

    if (!d->label && json_array_size(d->points) == 0)
        return 0; /* a get-metric-data document */
    if (!d->label && !id.metric)
        return mrb_err_set(err, d->line, -1, "Datapoints without a Label or a path 'metric='");
    if (d->label && id.metric && strcmp(d->label, id.metric) != 0)
        return mrb_err_set(err, d->line, -1, "the Label '%.60s' is not the path's metric '%.60s'",
                           d->label, id.metric);
    if (!id.metric)
        id.metric = d->label;
    id.stat = "Datapoints"; /* each datapoint names its own */
    if (json_array_size(d->points) && complete(d, &id, "Datapoints", "", d->line, err) < 0)
        return -1;
    for (size_t i = 0; i < json_array_size(d->points); i++) {
        long long line;
        const json_t *p = el(d->points, i, &line);
        if (datapoint(d, &id, p, i, line, err) < 0)
            return -1;
    }
    return 0;
}

static int finish(const doc *d, mrb_err *err)
{
    size_t from_path = 0;
    long long line;

    if (json_array_size(d->points) && json_array_size(d->results))
        return mrb_err_set(err, d->line, -1, "a document with both Datapoints and "
                           "MetricDataResults");
    for (size_t i = 0; i < json_array_size(d->results); i++) {
        const json_t *res = el(d->results, i, NULL);
        const char *qid = json_string_value(json_object_get(res, "Id"));
        const json_t *q = qid ? query_for(d, qid) : NULL;
        if (!q || !json_object_get(q, "MetricStat"))
            from_path += json_array_size(json_object_get(res, "Timestamps")) > 0;
    }
    for (size_t i = 0; i < json_array_size(d->results); i++) {
        const json_t *res = el(d->results, i, &line);
        if (result(d, res, line, from_path <= 1, err) < 0)
            return -1;
    }
    return statistics(d, err);
}

static int decode_rows(reader *r, const shape_hints *h, const row_sink *sink, mrb_err *err)
{
    char buf[2048];
    cw_ident path;
    int more = 1;

    int keys = cw_path_ident(h && h->path ? h->path : "", buf, sizeof buf, &path, err);
    if (keys < 0)
        return -1;
    while (more == 1) {
        doc d = {.sink = sink,
                 .path = &path,
                 .path_keys = keys,
                 .queries = json_array(),
                 .results = json_array(),
                 .points = json_array()};
        jscan_peek(r, err);
        d.line = reader_line(r);
        int rc = jscan_object(r, "metric document", member, &d, err);
        if (rc == 0)
            rc = finish(&d, err);
        json_decref(d.queries);
        json_decref(d.results);
        json_decref(d.points);
        free(d.label);
        if (rc < 0)
            return -1;
        more = jscan_more(r, err);
    }
    return more;
}

const row_shape shape_metrics = {.name = "cloudwatch-metrics", .detect = detect, .decode = decode_rows};
