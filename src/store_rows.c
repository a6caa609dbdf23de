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

int store_rows_segment(store_rows *r, const xray_segment *s, int *added, mrb_err *err)
{
    sqlite3_stmt *q = r->q[Q_SEGMENT];
    char fn[256];

    if (store_join_indexes(r->st, err) < 0)
        return -1;

    bind_str(q, 1, s->trace_id);
    bind_str(q, 2, s->id);
    bind_str(q, 3, s->parent_id);
    bind_str(q, 4, s->segment_id);
    sqlite3_bind_int(q, 5, s->depth);
    bind_str(q, 6, s->name);
    bind_str(q, 7, s->origin);
    bind_str(q, 8, s->ns);
    sqlite3_bind_double(q, 9, s->start_s);
    bind_dbl(q, 10, s->has_end, s->end_s);
    /* to the microsecond: the times are seconds with a binary fraction */
    bind_dbl(q, 11, s->has_end, round((s->end_s - s->start_s) * 1e6) / 1e3);
    sqlite3_bind_int(q, 12, s->inferred);
    sqlite3_bind_int(q, 13, s->error);
    sqlite3_bind_int(q, 14, s->fault);
    sqlite3_bind_int(q, 15, s->throttle);
    sqlite3_bind_int(q, 16, s->in_progress);
    bind_str(q, 17, s->aws_operation);
    bind_str(q, 18, s->aws_table);
    bind_str(q, 19, s->aws_request_id);
    bind_str(q, 20, s->function_arn);
    bind_str(q, 21, xray_arn_function(s->function_arn, fn, sizeof fn) ? fn : NULL);
    bind_str(q, 22, s->http_method);
    bind_str(q, 23, s->http_url);
    bind_ll(q, 24, s->has_status, s->http_status);
    sqlite3_bind_int64(q, 25, store_priv_file_id(r->st));
    return step(r, q, added, err);
}

int store_rows_metric(store_rows *r, const cw_point *p, const char *runtime,
                      const char *runtime_source, int *added, mrb_err *err)
{
    sqlite3_stmt *q = r->q[Q_METRIC];

    bind_str(q, 1, p->ns);
    bind_str(q, 2, p->metric);
    bind_str(q, 3, p->dimensions);
    bind_str(q, 4, p->stat);
    bind_ll(q, 5, p->has_period, p->period_s);
    sqlite3_bind_int64(q, 6, p->ts_ms);
    sqlite3_bind_double(q, 7, p->value);
    bind_str(q, 8, p->unit);
    bind_str(q, 9, p->label);
    bind_str(q, 10, p->query_id);
    bind_str(q, 11, p->identity_from);
    bind_str(q, 12, runtime);
    bind_str(q, 13, runtime_source);
    sqlite3_bind_int64(q, 14, store_priv_file_id(r->st));
    return step(r, q, added, err);
}
