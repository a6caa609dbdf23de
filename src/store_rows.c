/* store_rows.c — X-Ray and CloudWatch metric rows in the store (see
 * store_rows.h). */
#include "mrb/store_rows.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "mrb/xray.h"
#include "mrb/xalloc.h"
#include "store_priv.h"

enum { Q_TRACE, Q_TRACE_FILL, Q_SEGMENT, Q_METRIC, Q_COUNT };

static const char *const sql[Q_COUNT] = {
    [Q_TRACE] = "INSERT OR IGNORE INTO xray_traces (trace_id, duration_ms, response_time_ms,"
                " has_error, has_fault, has_throttle, http_status, http_method, http_url,"
                " segments, source, file_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    /* a trace met in both exports keeps what each says */
    [Q_TRACE_FILL] = "UPDATE xray_traces SET"
                     " duration_ms = coalesce(duration_ms, ?2),"
                     " response_time_ms = coalesce(response_time_ms, ?3),"
                     " has_error = coalesce(has_error, ?4), has_fault = coalesce(has_fault, ?5),"
                     " has_throttle = coalesce(has_throttle, ?6),"
                     " http_status = coalesce(http_status, ?7),"
                     " http_method = coalesce(http_method, ?8), http_url = coalesce(http_url, ?9),"
                     " segments = coalesce(segments, ?10)"
                     " WHERE trace_id = ?1",
    [Q_SEGMENT] = "INSERT OR IGNORE INTO xray_segments (trace_id, id, parent_id, segment_id, depth,"
                  " name, origin, namespace, start_s, end_s, duration_ms, inferred, error, fault,"
                  " throttle, in_progress, aws_operation, aws_table, aws_request_id, function_arn,"
                  " function_name, http_method, http_url, http_status, file_id) VALUES"
                  " (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,"
                  "?22,?23,?24,?25)",
    [Q_METRIC] = "INSERT OR IGNORE INTO cw_metric_values (namespace, metric, dimensions, stat,"
                 " period_s, ts_ms, value, unit, label, query_id, identity_from, runtime,"
                 " runtime_source, file_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
                 "?14)",
};

struct store_rows {
    store *st;
    sqlite3_stmt *q[Q_COUNT];
};

store_rows *store_rows_new(store *s, mrb_err *err)
{
    store_rows *r = xcalloc(1, sizeof *r);

    r->st = s;
    for (int i = 0; i < Q_COUNT; i++)
        if (sqlite3_prepare_v2(store_db(s), sql[i], -1, &r->q[i], NULL) != SQLITE_OK) {
            mrb_err_set(err, 0, -1, "database: %s", sqlite3_errmsg(store_db(s)));
            store_rows_free(r);
            return NULL;
        }
    return r;
}

void store_rows_free(store_rows *r)
{
    if (!r)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(r->q[i]);
    free(r);
}

/* Steps q once; added is whether a row changed. */
static int step(store_rows *r, sqlite3_stmt *q, int *added, mrb_err *err)
{
    int rc = sqlite3_step(q);

    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_DONE)
        return mrb_err_set(err, 0, -1, "database: %s", sqlite3_errmsg(store_db(r->st)));
    if (added)
        *added = sqlite3_changes(store_db(r->st)) > 0;
    return 0;
}

static void bind_trace(sqlite3_stmt *q, const xray_trace *t)
{
    bind_str(q, 1, t->trace_id);
    bind_dbl(q, 2, t->has_duration, t->duration_s * 1000);
    bind_dbl(q, 3, t->has_response_time, t->response_time_s * 1000);
    bind_ll(q, 4, t->has_flags, t->has_error);
    bind_ll(q, 5, t->has_flags, t->has_fault);
    bind_ll(q, 6, t->has_flags, t->has_throttle);
    bind_ll(q, 7, t->has_status, t->http_status);
    bind_str(q, 8, t->http_method);
    bind_str(q, 9, t->http_url);
    bind_ll(q, 10, t->segments >= 0, t->segments);
}

int store_rows_trace(store_rows *r, const xray_trace *t, int *added, mrb_err *err)
{
    sqlite3_stmt *q = r->q[Q_TRACE];

    if (store_join_indexes(r->st, err) < 0)
        return -1;
    bind_trace(q, t);
    bind_str(q, 11, t->source);
    sqlite3_bind_int64(q, 12, store_priv_file_id(r->st));
    if (step(r, q, added, err) < 0)
        return -1;
    if (*added)
        return 0;
    bind_trace(r->q[Q_TRACE_FILL], t);
    return step(r, r->q[Q_TRACE_FILL], NULL, err);
}

/* Q_SEGMENT's parameters: ?11 (the duration), ?21 (the function's name)
 * and ?25 (the file) are bound apart. */
#define S(m) BIND(xray_segment, m)
static const bind_col segment_cols[] = {
    S(trace_id), S(id), S(parent_id), S(segment_id), S(depth), S(name), S(origin), S(ns),
    S(start_s), BIND_IF(xray_segment, end_s, has_end), BIND_SKIP, S(inferred), S(error),
    S(fault), S(throttle), S(in_progress), S(aws_operation), S(aws_table), S(aws_request_id),
    S(function_arn), BIND_SKIP, S(http_method), S(http_url),
    BIND_IF(xray_segment, http_status, has_status),
};
#undef S

int store_rows_segment(store_rows *r, const xray_segment *s, int *added, mrb_err *err)
{
    sqlite3_stmt *q = r->q[Q_SEGMENT];
    char fn[256];

    if (store_join_indexes(r->st, err) < 0)
        return -1;

    bind_row(q, s, segment_cols, BIND_N(segment_cols));
    /* to the microsecond: the times are seconds with a binary fraction */
    bind_dbl(q, 11, s->has_end, round((s->end_s - s->start_s) * 1e6) / 1e3);
    bind_str(q, 21, xray_arn_function(s->function_arn, fn, sizeof fn) ? fn : NULL);
    sqlite3_bind_int64(q, 25, store_priv_file_id(r->st));
    return step(r, q, added, err);
}

/* Q_METRIC's parameters from the point; ?12 .. ?14 are bound apart. */
#define M(m) BIND(cw_point, m)
static const bind_col metric_cols[] = {
    M(ns), M(metric), M(dimensions), M(stat), BIND_IF(cw_point, period_s, has_period), M(ts_ms),
    M(value), M(unit), M(label), M(query_id), M(identity_from),
};
#undef M

int store_rows_metric(store_rows *r, const cw_point *p, const char *runtime,
                      const char *runtime_source, int *added, mrb_err *err)
{
    sqlite3_stmt *q = r->q[Q_METRIC];

    bind_row(q, p, metric_cols, BIND_N(metric_cols));
    bind_str(q, 12, runtime);
    bind_str(q, 13, runtime_source);
    sqlite3_bind_int64(q, 14, store_priv_file_id(r->st));
    return step(r, q, added, err);
}
