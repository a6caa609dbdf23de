/* mrb-apigw-gen.c — API Gateway logs for the samples, from their Lambda invocations.
 *
 *   mrb-apigw-gen DB OUTDIR
 *
 * Reads the invocations of a database made by `mrb-analyze ingest` of the
 * Lambda samples and writes, for each, the API Gateway request that made it:
 * the same Lambda RequestId (as the integration's request id) and X-Ray
 * trace id; the client latency is the Lambda time (with Init Duration on a
 * cold start) plus an invoke and a gateway overhead drawn from a PRNG
 * seeded by the request id. A timeout (the Lambda ran 30 s) is a 504 at API
 * Gateway's 29 s limit, an out-of-memory exit a 502; two throttled requests
 * (429, no Lambda call) per runtime are added. Routes /{runtime}/... are
 * drawn from the same PRNG. Output (deterministic):
 *   OUTDIR/access/dev-benchmark-api-access.json   filter-log-events JSON, custom
 *       JSON access format with every $context variable the report reads; every
 *       7th request without integrationRequestId (joined by trace id)
 *   OUTDIR/execution/<runtime>.json   subscription DATA_MESSAGE documents of the
 *       group API-Gateway-Execution-Logs_a1b2c3d4e5/dev (2019 prefixed lines),
 *       for every request but every 7th */
#include <inttypes.h>
#include <stdarg.h>
#include <time.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../include/mrb/hash64.h"

#define API "a1b2c3d4e5"
#define STAGE "dev"

typedef struct req {
    char runtime[16], lambda_id[40], trace[40], id[40], ext[20], method[8], route[48], path[64];
    int64_t start_ms, end_ms;
    int status, integ_status, has_lambda, exec;
    double integ_ms, resp_ms;
    const char *error;
} req;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33, x *= 0xff51afd7ed558ccdull, x ^= x >> 33, x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
}

static uint64_t seed_of(const char *s) { return hash64_fnv_str(s, HASH64_FNV_BASIS); }

static double unit(uint64_t *s) { return (double)((*s = mix(*s + 0x9e37)) >> 11) / 9007199254740992.0; }

static void make_ids(req *r, uint64_t *s)
{
    uint64_t a = mix(*s + 1), b = mix(*s + 2);
    snprintf(r->id, sizeof r->id, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-a%03" PRIx64 "-%012" PRIx64,
             a >> 32, (a >> 16) & 0xffff, a & 0xfff, (b >> 48) & 0xfff, (uint64_t)(b & 0xffffffffffffull));
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < 15; i++)
        r->ext[i] = b64[(mix(*s + 10 + (uint64_t)i) >> 20) & 63];
    r->ext[15] = '=', r->ext[16] = '\0';
}

static void make_route(req *r, uint64_t *s)
{
    double u = unit(s);
    const char *m = "GET", *tail = "items";
    if (u < 0.25)
        tail = "items/{id}";
    else if (u < 0.40)
        m = "POST";
    else if (u < 0.50)
        tail = "health";
    snprintf(r->method, sizeof r->method, "%s", m);
    snprintf(r->route, sizeof r->route, "/%s/%s", r->runtime, tail);
    if (!strcmp(tail, "items/{id}"))
        snprintf(r->path, sizeof r->path, "/%s/%s/items/%d", STAGE, r->runtime, (int)(unit(s) * 900) + 100);
    else
        snprintf(r->path, sizeof r->path, "/%s%s", STAGE, r->route);
}

/* The request of one invocation. */
static void from_invocation(req *r, sqlite3_stmt *q, int n)
{
    memset(r, 0, sizeof *r);
    snprintf(r->runtime, sizeof r->runtime, "%s", (const char *)sqlite3_column_text(q, 0));
    snprintf(r->lambda_id, sizeof r->lambda_id, "%s", (const char *)sqlite3_column_text(q, 1));
    snprintf(r->trace, sizeof r->trace, "%s", (const char *)sqlite3_column_text(q, 2));
    int64_t start = sqlite3_column_int64(q, 3);
    double dur = sqlite3_column_double(q, 4), init = sqlite3_column_double(q, 5);
    const char *st = (const char *)sqlite3_column_text(q, 6);
    uint64_t s = seed_of(r->lambda_id);
    make_ids(r, &s);
    make_route(r, &s);
    double invoke = 4 + unit(&s) * 12, before = 2 + unit(&s) * 4, after = 1 + unit(&s) * 3;
    r->has_lambda = 1;
    r->exec = n % 7 != 6;
    r->start_ms = start - (int64_t)(init + invoke / 2 + before);
    r->integ_ms = (double)(int64_t)(dur + init + invoke);
    r->integ_status = 200;
    r->status = !strcmp(r->method, "POST") ? 201 : 200;
    if (!strcmp(st, "timeout")) {
        r->integ_ms = 29000, r->status = 504, r->integ_status = 0;
        r->error = "Endpoint request timed out";
    } else if (!strcmp(st, "error")) {
        r->status = 502, r->error = "Internal server error";
    }
    r->resp_ms = (double)(int64_t)(r->integ_ms + before + after);
    r->end_ms = r->start_ms + (int64_t)r->resp_ms;
}

/* A throttled request: API Gateway answers 429 and calls nothing. */
static void throttled(req *r, const char *runtime, int64_t at, int k)
{
    char key[64];
    memset(r, 0, sizeof *r);
    snprintf(r->runtime, sizeof r->runtime, "%s", runtime);
    snprintf(key, sizeof key, "%s-throttle-%d", runtime, k);
    uint64_t s = seed_of(key);
    make_ids(r, &s);
    make_route(r, &s);
    snprintf(r->trace, sizeof r->trace, "1-%08" PRIx64 "-%024" PRIx64, (uint64_t)(at / 1000),
             mix(s));
    r->start_ms = at;
    r->resp_ms = 1 + (int)(unit(&s) * 3);
    r->end_ms = at + (int64_t)r->resp_ms;
    r->status = 429;
    r->error = "Too Many Requests";
}

static void clf_time(int64_t ms, char *out, size_t n)
{
    static const char *mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, n, "%02d/%s/%04d:%02d:%02d:%02d +0000", tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static json_t *access_event(const req *r, int n)
{
    char t[40], len[16];
    clf_time(r->start_ms, t, sizeof t);
    snprintf(len, sizeof len, "%d", r->status == 429 ? 44 : 120 + (int)(mix(seed_of(r->id)) % 900));
    json_t *m = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:i}", "requestId", r->id,
                          "extendedRequestId", r->ext, "requestTime", t, "requestTimeEpoch", (json_int_t)r->start_ms,
                          "httpMethod", r->method, "resourcePath", r->route, "path", r->path, "stage", STAGE,
                          "status", r->status, "protocol", "HTTP/1.1", "responseLength", len,
                          "responseLatency", (int)r->resp_ms);
    json_object_set_new(m, "integrationLatency", r->has_lambda ? json_integer((json_int_t)r->integ_ms) : json_string("-"));
    json_object_set_new(m, "integrationStatus", r->integ_status ? json_sprintf("%d", r->integ_status) : json_string("-"));
    json_object_set_new(m, "integrationRequestId",
                        json_string(r->has_lambda && n % 7 != 6 ? r->lambda_id : "-"));
    json_object_set_new(m, "xrayTraceId", json_string(r->trace));
    json_object_set_new(m, "errorMessage", json_string(r->error ? r->error : "-"));
    char *text = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(m);
    json_t *ev = json_pack("{s:s, s:I, s:s}", "logStreamName", "access", "timestamp", (json_int_t)r->end_ms,
                           "message", text);
    free(text);
    return ev;
}

static void line(json_t *arr, const req *r, int64_t ts, const char *fmt, ...)
{
    char body[1024], msg[1100];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "(%s) %s", r->id, body);
    char id[64];
    snprintf(id, sizeof id, "%020" PRIu64 "%016" PRIx64, (uint64_t)ts, mix(seed_of(msg)) >> 8);
    json_array_append_new(arr, json_pack("{s:s, s:I, s:s}", "id", id, "timestamp", (json_int_t)ts, "message", msg));
}

static void exec_lines(json_t *arr, const req *r)
{
    int64_t t0 = r->start_ms, t1 = r->end_ms;
    line(arr, r, t0, "Extended Request Id: %s", r->ext);
    line(arr, r, t0, "Starting execution for request: %s", r->id);
    line(arr, r, t0, "HTTP Method: %s, Resource Path: %s", r->method, r->route);
    line(arr, r, t0, "Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
                     "arn:aws:lambda:us-east-1:123456789012:function:dev-benchmark-%s/invocations", r->runtime);
    line(arr, r, t0, "Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/"
                     "arn:aws:lambda:us-east-1:123456789012:function:dev-benchmark-%s/invocations", r->runtime);
    if (r->status == 504) {
        line(arr, r, t1, "Execution failed due to a timeout error");
    } else {
        line(arr, r, t1, "Received response. Status: 200, Integration latency: %d ms", (int)r->integ_ms);
        line(arr, r, t1, "Endpoint response headers: {Date=Wed, 25 Nov 2026 02:00:00 GMT, "
                         "Content-Type=application/json, Connection=keep-alive, x-amzn-RequestId=%s, "
                         "X-Amz-Executed-Version=$LATEST, X-Amzn-Trace-Id=root=%s;sampled=1}",
             r->lambda_id, r->trace);
        line(arr, r, t1, "Method response headers: {Content-Type=application/json}");
        line(arr, r, t1, "Successfully completed execution");
    }
    line(arr, r, t1, "Method completed with status: %d", r->status);
    line(arr, r, t1, "AWS Integration Endpoint RequestId : %s", r->lambda_id);
    line(arr, r, t1, "X-ray Tracing ID : %s", r->trace);
}

static int write_json(const char *path, json_t *doc)
{
    int rc = json_dump_file(doc, path, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (rc < 0)
        fprintf(stderr, "mrb-apigw-gen: cannot write %s\n", path);
    return rc;
}

int main(int argc, char **argv)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    char path[1024];
    if (argc != 3) {
        fprintf(stderr, "usage: mrb-apigw-gen DB OUTDIR\n");
        return 2;
    }
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT runtime, request_id, xray_trace_id, start_ts_ms, duration_ms, "
                               "coalesce(init_ms, 0) * cold_start, status FROM invocations "
                               "ORDER BY runtime, start_ts_ms, request_id", -1, &q, NULL) != SQLITE_OK) {
        fprintf(stderr, "mrb-apigw-gen: %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    snprintf(path, sizeof path, "%s/access", argv[2]);
    mkdir(argv[2], 0755), mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/execution", argv[2]);
    mkdir(path, 0755);
    json_t *access = json_array(), *exec = NULL;
    char runtime[16] = "";
    int n = 0, rc = 0;
    req r;
    for (int more = sqlite3_step(q) == SQLITE_ROW;; more = sqlite3_step(q) == SQLITE_ROW) {
        const char *rt = more ? (const char *)sqlite3_column_text(q, 0) : "";
        if (strcmp(rt, runtime) != 0 && exec) { /* a runtime ends: its throttles, its file */
            for (int k = 0; k < 2; k++) {
                throttled(&r, runtime, r.start_ms + 200 + 150 * k, k);
                json_array_append_new(access, access_event(&r, 0));
            }
            snprintf(path, sizeof path, "%s/execution/%s.json", argv[2], runtime);
            rc |= write_json(path, json_pack("{s:s, s:s, s:s, s:s, s:[s], s:o}", "messageType", "DATA_MESSAGE",
                                             "owner", "123456789012", "logGroup",
                                             "API-Gateway-Execution-Logs_" API "/" STAGE, "logStream",
                                             "e369853df766fa44e1ed0ff613f563bd", "subscriptionFilters",
                                             "apigw-exec", "logEvents", exec));
            exec = NULL;
        }
        if (!more)
            break;
        if (!exec) {
            snprintf(runtime, sizeof runtime, "%s", rt);
            exec = json_array();
            n = 0;
        }
        from_invocation(&r, q, n);
        json_array_append_new(access, access_event(&r, n));
        if (r.exec)
            exec_lines(exec, &r);
        n++;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    snprintf(path, sizeof path, "%s/access/dev-benchmark-api-access.json", argv[2]);
    rc |= write_json(path, json_pack("{s:o, s:[]}", "events", access, "searchedLogStreams"));
    return rc ? 1 : 0;
}
