/* test_xray_cw.c — the pure parsers of X-Ray traces (xray.h) and of what
 * identifies a CloudWatch metric export (cw_export.h).
 *
 * Covers the subsegment tree of a Document (parents, depths, the segment
 * each belongs to), timings in exponent notation, in_progress segments
 * without end_time, every error the parser names, Lambda ARNs, and the
 * Hive-style path keys (percent escapes, endings, keys given twice, a bad
 * period, dimensions=none beside dimensions), get-metric-data queries and
 * filling one identity from another. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mrb/cw_export.h"
#include "mrb/xray.h"

typedef struct seen {
    int n, traces;
    char ids[16][20], parents[16][20], segs[16][20];
    int depth[16];
    double ms[16];
    int has_end[16];
} seen;

static int on_seg(void *arg, const xray_segment *s, mrb_err *err)
{
    seen *v = arg;
    (void)err;
    if (v->n == 16)
        return -1;
    snprintf(v->ids[v->n], 20, "%s", s->id);
    snprintf(v->parents[v->n], 20, "%s", s->parent_id ? s->parent_id : "-");
    snprintf(v->segs[v->n], 20, "%s", s->segment_id);
    v->depth[v->n] = s->depth;
    v->has_end[v->n] = s->has_end;
    v->ms[v->n] = s->has_end ? (s->end_s - s->start_s) * 1000 : -1;
    v->n++;
    return 0;
}

static int on_trace(void *arg, const xray_trace *t, mrb_err *err)
{
    (void)t;
    (void)err;
    ((seen *)arg)->traces++;
    return 0;
}

static int count_seg(void *arg, const xray_segment *s, mrb_err *err)
{
    (void)s;
    (void)err;
    ++*(int *)arg;
    return 0;
}

static int no_trace(void *arg, const xray_trace *t, mrb_err *err)
{
    (void)arg;
    (void)t;
    (void)err;
    return 0;
}

static int walk(const char *text, seen *v, mrb_err *err)
{
    row_sink sink = {.xray_segment = on_seg, .xray_trace = on_trace, .arg = v};
    json_t *t = json_loads(text, 0, NULL);
    assert_non_null(t);
    memset(v, 0, sizeof *v);
    mrb_err_clear(err);
    int rc = xray_trace_rows(t, 0, 7, &sink, err);
    json_decref(t);
    return rc;
}

#define DOC(s) "{\"Id\":\"1-5d82881a-0a9126e92a73e971eed891b9\",\"Segments\":[{\"Id\":\"a\",\"Document\":" s "}]}"

static void test_tree(void **state)
{
    seen v;
    mrb_err err;
    (void)state;

    assert_int_equal(walk(DOC("\"{\\\"id\\\":\\\"s1\\\",\\\"start_time\\\":1.568835610432E9,"
                              "\\\"end_time\\\":1.568835610664E9,\\\"subsegments\\\":[{\\\"id\\\":"
                              "\\\"c1\\\",\\\"start_time\\\":1.5688356106E9,\\\"in_progress\\\":true,"
                              "\\\"subsegments\\\":[{\\\"id\\\":\\\"g1\\\",\\\"parent_id\\\":\\\"zz\\\","
                              "\\\"start_time\\\":1.5688356106E9,\\\"end_time\\\":1.568835610601E9}]}]}\""),
                          &v, &err),
                     0);
    assert_int_equal(v.traces, 1);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.parents[0], "-");
    assert_string_equal(v.parents[1], "s1");
    assert_string_equal(v.parents[2], "zz"); /* its own parent_id wins */
    assert_int_equal(v.depth[2], 2);
    assert_string_equal(v.segs[2], "s1");
    assert_int_equal(v.has_end[1], 0);
    assert_true(fabs(v.ms[0] - 232.0) < 1e-3);
    assert_true(fabs(v.ms[2] - 1.0) < 1e-3);
}

static void test_errors(void **state)
{
    seen v;
    mrb_err err;
    (void)state;

    assert_int_equal(walk("{\"Segments\":[]}", &v, &err), -1);
    assert_string_equal(err.text, "trace 1 has no string Id");
    assert_int_equal(err.line, 7);
    assert_int_equal(walk(DOC("{\"id\":\"x\"}"), &v, &err), -1);
    assert_non_null(strstr(err.text, "segment 1: Document is not a string"));
    assert_int_equal(walk(DOC("\"{\\\"id\\\":\\\"s1\\\",\\\"start_time\\\":1}\""), &v, &err), -1);
    assert_non_null(strstr(err.text, "'s1' has no end_time"));
    assert_int_equal(walk(DOC("\"{\\\"start_time\\\":1,\\\"end_time\\\":2}\""), &v, &err), -1);
    assert_non_null(strstr(err.text, "a segment without a string id"));
    assert_int_equal(walk(DOC("\"{\\\"id\\\":\\\"s\\\",\\\"start_time\\\":1,\\\"end_time\\\":2,"
                              "\\\"subsegments\\\":{}}\""),
                          &v, &err),
                     -1);
    assert_non_null(strstr(err.text, "subsegments of 's' is not an array"));
    assert_int_equal(walk(DOC("\"[1]\""), &v, &err), -1);
    assert_non_null(strstr(err.text, "Document is not an object"));
    assert_int_equal(walk("{\"Id\":\"t\",\"Duration\":\"x\"}", &v, &err), -1);
    assert_non_null(strstr(err.text, "Duration is not a number"));
}

static void test_deep(void **state)
{
    char doc[8192];
    size_t o = 0;
    int n = 0;
    mrb_err err;
    (void)state;

    o += (size_t)snprintf(doc + o, sizeof doc - o, "{\"Id\":\"t\",\"Segments\":[{\"Document\":\"");
    for (int i = 0; i < XRAY_MAX_DEPTH + 2; i++)
        o += (size_t)snprintf(doc + o, sizeof doc - o,
                              "{\\\"id\\\":\\\"%d\\\",\\\"start_time\\\":1,\\\"end_time\\\":2,"
                              "\\\"subsegments\\\":[", i);
    o += (size_t)snprintf(doc + o, sizeof doc - o, "%s", "");
    for (int i = 0; i < XRAY_MAX_DEPTH + 2; i++)
        o += (size_t)snprintf(doc + o, sizeof doc - o, "]}");
    snprintf(doc + o, sizeof doc - o, "\"}]}");
    json_t *t = json_loads(doc, 0, NULL);
    assert_non_null(t);
    row_sink sink = {.xray_segment = count_seg, .xray_trace = no_trace, .arg = &n};
    mrb_err_clear(&err);
    assert_int_equal(xray_trace_rows(t, 0, 1, &sink, &err), -1);
    assert_non_null(strstr(err.text, "subsegments nested deeper than 64"));
    assert_int_equal(n, XRAY_MAX_DEPTH + 1); /* depths 0..64 were handed over */
    json_decref(t);
}

static void test_arn(void **state)
{
    char fn[64];
    (void)state;

    assert_int_equal(xray_arn_function("arn:aws:lambda:us-west-2:1:function:random-name", fn,
                                       sizeof fn), 1);
    assert_string_equal(fn, "random-name");
    assert_int_equal(xray_arn_function("arn:aws:lambda:us-west-2:1:function:f:live", fn, sizeof fn), 1);
    assert_string_equal(fn, "f");
    assert_int_equal(xray_arn_function("arn:aws:sns:us-west-2:1:topic", fn, sizeof fn), 0);
    assert_int_equal(xray_arn_function("arn:aws:lambda:r:1:function:", fn, sizeof fn), 0);
    assert_int_equal(xray_arn_function(NULL, fn, sizeof fn), 0);
}

static void test_path(void **state)
{
    char buf[512];
    cw_ident id;
    mrb_err err;
    (void)state;

    mrb_err_clear(&err);
    assert_int_equal(cw_path_ident("m/namespace=AWS%2FLambda/FunctionName=f-1/period=60/"
                                   "metric=Duration.json.gz", buf, sizeof buf, &id, &err), 4);
    assert_string_equal(id.ns, "AWS/Lambda");
    assert_string_equal(id.metric, "Duration");
    assert_int_equal(id.has_period, 1);
    assert_int_equal(id.period_s, 60);
    assert_int_equal(id.has_dims, 1);
    assert_string_equal(id.dims, "{\"FunctionName\":\"f-1\"}");
    assert_null(id.stat);
    assert_int_equal(cw_path_ident("plain/file.json", buf, sizeof buf, &id, &err), 0);
    assert_int_equal(id.has_dims, 0);
    assert_int_equal(cw_path_ident("dimensions=none/x.json", buf, sizeof buf, &id, &err), 1);
    assert_int_equal(id.has_dims, 1);
    assert_string_equal(id.dims, "{}");
    assert_int_equal(cw_path_ident("TableName=b/Operation=Query/TableName=a", buf, sizeof buf,
                                   &id, &err), -1);
    assert_string_equal(err.text, "the path gives dimension 'TableName' twice");
    assert_int_equal(cw_path_ident("metric=a/metric=b", buf, sizeof buf, &id, &err), -1);
    assert_int_equal(cw_path_ident("period=0", buf, sizeof buf, &id, &err), -1);
    assert_int_equal(cw_path_ident("period=60s", buf, sizeof buf, &id, &err), -1);
    assert_int_equal(cw_path_ident("namespace=AWS%2", buf, sizeof buf, &id, &err), -1);
    assert_int_equal(cw_path_ident("namespace=AWS%00x", buf, sizeof buf, &id, &err), -1);
    assert_int_equal(cw_path_ident("dimensions=none/A=b", buf, sizeof buf, &id, &err), -1);
    assert_int_equal(cw_path_ident("dimensions=some", buf, sizeof buf, &id, &err), -1);
    /* sorted by name, whatever the path's order */
    assert_int_equal(cw_path_ident("Stage=dev/ApiName=api", buf, sizeof buf, &id, &err), 2);
    assert_string_equal(id.dims, "{\"ApiName\":\"api\",\"Stage\":\"dev\"}");
}

static void test_query(void **state)
{
    cw_ident id, path;
    mrb_err err;
    char buf[256];
    (void)state;

    json_t *q = json_loads("{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"AWS/EC2\","
                           "\"MetricName\":\"EBSReadOps\",\"Dimensions\":[{\"Name\":\"Z\",\"Value\":"
                           "\"1\"},{\"Name\":\"A\",\"Value\":\"2\"}]},\"Period\":300,\"Stat\":\"Sum\","
                           "\"Unit\":\"Count\"},\"ReturnData\":false}", 0, NULL);
    assert_int_equal(cw_query_ident(q, &id, &err), 1);
    assert_string_equal(id.dims, "{\"A\":\"2\",\"Z\":\"1\"}");
    assert_int_equal(id.period_s, 300);
    assert_string_equal(id.unit, "Count");
    json_decref(q);
    q = json_loads("{\"Id\":\"m3\",\"Expression\":\"(m1+m2)/300\"}", 0, NULL);
    assert_int_equal(cw_query_ident(q, &id, &err), 0);
    assert_int_equal(cw_path_ident("namespace=N/stat=Sum/metric=M", buf, sizeof buf, &path, &err), 3);
    cw_ident_fill(&id, &path);
    assert_string_equal(id.ns, "N");
    assert_int_equal(id.has_dims, 0); /* the path named none: still unknown */
    json_decref(q);
    q = json_loads("{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"N\"},\"Stat\":\"Sum\"}}",
                   0, NULL);
    assert_int_equal(cw_query_ident(q, &id, &err), -1);
    assert_non_null(strstr(err.text, "query 'm1'"));
    json_decref(q);
    assert_int_equal(cw_dim_value("{\"FunctionName\":\"f\"}", "FunctionName", buf, sizeof buf), 1);
    assert_string_equal(buf, "f");
    assert_int_equal(cw_dim_value("{}", "FunctionName", buf, sizeof buf), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree),  cmocka_unit_test(test_errors), cmocka_unit_test(test_deep),
        cmocka_unit_test(test_arn),   cmocka_unit_test(test_path),   cmocka_unit_test(test_query),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
