/* store_apigw.c — the apigw_requests writes (see store_apigw.h). */
#include "mrb/store_apigw.h"

#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"
#include "store_priv.h"

#define KEEP(c) c " = coalesce(" c ", excluded." c "), "

static const char UPSERT[] =
    "INSERT INTO apigw_requests(request_id, extended_request_id, api_id, stage, log_group, "
    "ts_ms, http_method, resource_path, path, status, response_length_bytes, "
    "response_latency_ms, integration_latency_ms, integration_status, integration_request_id, "
    "xray_trace_id, error_message, route_runtime, map_runtime, access_format, from_access, "
    "from_execution, file_id, run) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
    "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24) "
    "ON CONFLICT(request_id) DO UPDATE SET "
    KEEP("extended_request_id") KEEP("api_id") KEEP("stage") KEEP("log_group")
    "ts_ms = coalesce(min(ts_ms, excluded.ts_ms), ts_ms, excluded.ts_ms), "
    KEEP("http_method") KEEP("resource_path") KEEP("path") KEEP("status")
    KEEP("response_length_bytes") KEEP("response_latency_ms") KEEP("integration_latency_ms")
    KEEP("integration_status") KEEP("integration_request_id") KEEP("xray_trace_id")
    KEEP("error_message") KEEP("route_runtime") KEEP("map_runtime") KEEP("access_format")
    "from_access = max(from_access, excluded.from_access), "
    "from_execution = max(from_execution, excluded.from_execution)";

typedef struct store_apigw_state {
    sqlite3_stmt *upsert;
} store_apigw_state;

static void release(void *state)
{
    store_apigw_state *sa = state;

    sqlite3_finalize(sa->upsert);
    free(sa);
}

static sqlite3_stmt *upsert_stmt(store *s, mrb_err *err)
{
    void **slot = store_priv_slot(s, STORE_SLOT_APIGW, release);
    if (!*slot)
        *slot = xcalloc(1, sizeof(store_apigw_state));
    store_apigw_state *sa = *slot;
    if (!sa->upsert && sqlite3_prepare_v3(store_db(s), UPSERT, -1, SQLITE_PREPARE_PERSISTENT,
                                          &sa->upsert, NULL) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "database: preparing a statement: %s",
                    sqlite3_errmsg(store_db(s)));
        return NULL;
    }
    return sa->upsert;
}

/* The row's key: the request id, else (absent or replaced) the extended one. */
static mrb_slice row_key(const apigw_rec *r)
{
    static const char replaced[] = "UUID_REPLACED_INVALID_REQUEST_ID";
    mrb_slice id = r->request_id;
    if ((!id.p || (id.n == sizeof replaced - 1 && !memcmp(id.p, replaced, id.n))) &&
        r->extended_request_id.p)
        return r->extended_request_id;
    return id;
}

/* UPSERT's parameters from the row; ?1 (the key), ?20 (the access log's
 * format) and ?21 .. ?24 are bound apart. */
#define A(m) BIND(apigw_row, m)
#define A_HAS(m, bit) BIND_HAS(apigw_row, rec.m, rec.has, bit)
static const bind_col cols[] = {
    BIND_SKIP, A(rec.extended_request_id), A(api_id), A(rec.stage), A(log_group),
    A_HAS(ts_ms, AG_TIME), A(rec.http_method), A(rec.resource_path), A(rec.path),
    A_HAS(status, AG_STATUS), A_HAS(response_length, AG_RESP_LENGTH),
    A_HAS(response_latency_ms, AG_RESP_LATENCY), A_HAS(integration_latency_ms, AG_INTEG_LATENCY),
    A_HAS(integration_status, AG_INTEG_STATUS), A(rec.integration_request_id),
    A(rec.xray_trace_id), A(rec.error_message), A(route_runtime), A(map_runtime),
};
#undef A
#undef A_HAS

int store_apigw(store *s, const apigw_row *row, mrb_err *err)
{
    const apigw_rec *r = &row->rec;
    mrb_slice key = row_key(r);
    if (!key.p)
        return 0;
    if (store_join_indexes(s, err) < 0)
        return -1;
    sqlite3_stmt *q = upsert_stmt(s, err);
    if (!q)
        return -1;
    bind_row(q, row, cols, BIND_N(cols));
    bind_slice(q, 1, key);
    bind_str(q, 20, row->access ? apigw_format_name(r->format) : NULL);
    sqlite3_bind_int(q, 21, row->access != 0);
    sqlite3_bind_int(q, 22, row->access == 0);
    sqlite3_bind_int64(q, 23, store_priv_file_id(s));
    bind_str(q, 24, store_priv_run(s));
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_DONE)
        return mrb_err_set(err, 0, -1, "database: storing an API Gateway request: %s",
                           sqlite3_errmsg(store_db(s)));
    return 0;
}
