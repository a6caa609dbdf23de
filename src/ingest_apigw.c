/* ingest_apigw.c — API Gateway events to apigw_rows (see ingest_apigw.h). */
#include "mrb/ingest_apigw.h"

#include <stdlib.h>
#include <string.h>

#include "mrb/apigw.h"
#include "mrb/hash64.h"
#include "mrb/xalloc.h"

#define CURRENT_SLOTS 64 /* log streams whose current request is kept */

typedef struct current {
    uint64_t stream;  /* hash of the stream name; 0 unused */
    char id[72];
} current;

struct ingest_apigw {
    const attrib_map *map;
    const char *path;
    current cur[CURRENT_SLOTS];
    long long access, execution;
};

ingest_apigw *ingest_apigw_new(const attrib_map *map)
{
    ingest_apigw *a = xcalloc(1, sizeof *a);
    a->map = map;
    return a;
}

void ingest_apigw_free(ingest_apigw *a) { free(a); }

void ingest_apigw_file(ingest_apigw *a, const char *path)
{
    a->path = path;
    memset(a->cur, 0, sizeof a->cur);
}

void ingest_apigw_counts(const ingest_apigw *a, long long *access, long long *execution)
{
    *access = a->access;
    *execution = a->execution;
}

static current *slot_of(ingest_apigw *a, const char *stream)
{
    uint64_t h = hash64(stream ? stream : "", stream ? strlen(stream) : 0, 0xa91) | 1;
    current *c = &a->cur[h % CURRENT_SLOTS];
    if (c->stream != h) { /* another stream had the slot: its request is forgotten */
        c->stream = h;
        c->id[0] = '\0';
    }
    return c;
}

/* An execution line without a fact worth a write (headers, bodies, steps). */
static int no_fact(const apigw_rec *r)
{
    return !r->has && !r->extended_request_id.p && !r->http_method.p &&
           !r->integration_request_id.p && !r->xray_trace_id.p && !r->error_message.p;
}

/* The unprefixed form: the id of the stream's current request. */
static int unprefixed(ingest_apigw *a, const log_event *ev, apigw_rec *r, const char **why)
{
    current *c = slot_of(a, ev->log_stream);
    if (r->has & AG_STARTS) {
        size_t n = r->request_id.n < sizeof c->id - 1 ? r->request_id.n : sizeof c->id - 1;
        if (r->request_id.p)
            memcpy(c->id, r->request_id.p, n);
        c->id[r->request_id.p ? n : 0] = '\0';
        return 0;
    }
    if (no_fact(r))
        return 0;
    if (!c->id[0]) {
        *why = "API Gateway execution line before any 'Starting execution for request' line "
               "of its stream, skipped";
        return -1;
    }
    r->request_id = (mrb_slice){c->id, strlen(c->id)};
    return 0;
}

int ingest_apigw_event(ingest_apigw *a, writer *wr, const log_event *ev, const char *log_group,
                       const char **why, mrb_err *err)
{
    apigw_row row;
    apigw_doc doc;
    enum apigw_group grp = apigw_group_of_stream(log_group, ev->log_stream);

    *why = NULL;
    enum apigw_kind k = apigw_parse(ev->msg, ev->msg_len, grp, &row.rec, &doc);
    if (k == APIGW_NONE) {
        apigw_doc_release(&doc);
        return 0;
    }
    int rc = 1;
    if (k == APIGW_MALFORMED) {
        *why = row.rec.why;
        goto out;
    }
    apigw_rec *r = &row.rec;
    row.access = k == APIGW_ACCESS;
    if (!row.access && (!r->request_id.p || r->has & AG_STARTS) && unprefixed(a, ev, r, why) < 0)
        goto out;
    if (!row.access && (no_fact(r) || !r->request_id.p))
        goto out;
    if (!(r->has & AG_TIME) && ev->ts_ms != EVENT_TS_NONE)
        r->ts_ms = ev->ts_ms, r->has |= AG_TIME;
    r->has &= ~AG_STARTS;
    row.log_group = (mrb_slice){log_group, log_group ? strlen(log_group) : 0};
    mrb_slice stage = {NULL, 0};
    if (!apigw_exec_group(log_group, &row.api_id, &stage))
        row.api_id = (mrb_slice){NULL, 0};
    if (!r->stage.p)
        r->stage = stage;
    row.route_runtime = apigw_route_runtime(r);
    row.map_runtime = attrib_map_runtime(a->map, log_group, a->path);
    if (writer_apigw(wr, &row, err) < 0)
        rc = -1;
    else if (row.access)
        a->access++;
    else
        a->execution++;
out:
    apigw_doc_release(&doc);
    return rc;
}
