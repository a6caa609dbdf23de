/* assemble.c — platform records into invocations and environments (see assemble.h).
 *
 * Cold starts: a REPORT is cold when it carries Init Duration or Restore
 * Duration (SnapStart), or when it is the first REPORT of a stream after an
 * INIT_START / INIT_REPORT (suppressed init, provisioned concurrency).
 * Status: the REPORT's own Status field wins; otherwise a timeout or
 * runtime-exit line for the same request; otherwise success. */
#include "mrb/hash64.h"
#include "mrb/assemble.h"

#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

#define RECENT 4

typedef struct late {
    char *request_id;
    int64_t ts_ms;
    const char *status; /* static */
    char *error_type;   /* may be NULL */
} late;

typedef struct stream_state {
    struct stream_state *next; /* hash chain */
    char *function, *log_group, *log_stream; /* log_stream "" when unknown */
    char *runtime_version, *runtime_arn;
    char *init_status, *init_error_type, *init_phase;
    int init_pending;       /* an init was seen and no REPORT since */
    int has_init_report;
    double init_report_ms;
    char cur_request[128];  /* START without REPORT yet */
    char cur_version[64];
    int64_t cur_start_ts;
    int in_flight;          /* a START without its REPORT */
    long long cur_errors;   /* ERROR / FATAL application lines of cur_request */
    char cur_error_type[128];
    char cur_error_message[256];
    int in_file;            /* has events in the current file */
    int64_t first_ts, last_ts; /* of the current file, EVENT_TS_NONE until a timed event */
    long long invocations, cold_starts; /* REPORTs in this file */
    int has_env_init;
    double env_init_ms;
    late *lates;
    size_t n_lates, cap_lates;
    char recent[RECENT][128]; /* request ids of the last REPORTs */
    int n_recent;
} stream_state;

struct assembler {
    assemble_sink sink;
    stream_state **buckets;
    size_t n_buckets, n_streams;
    stream_state *last; /* the stream of the last event of this file, or NULL */
};

static uint64_t hash2(const char *a, const char *b)
{
    return hash64_fnv_str(b, hash64_fnv("\xff", 1, hash64_fnv_str(a, HASH64_FNV_BASIS)));
}

assembler *assemble_new(const assemble_sink *sink)
{
    assembler *a = xcalloc(1, sizeof *a);
    a->sink = *sink;
    a->n_buckets = 256;
    a->buckets = xcalloc(a->n_buckets, sizeof *a->buckets);
    return a;
}

static char *dup_slice(mrb_slice s)
{
    return s.p ? xstrndup(s.p, s.n) : NULL;
}

static void set_slice(char **dst, mrb_slice s)
{
    if (!s.p)
        return;
    free(*dst);
    *dst = dup_slice(s);
}

static void copy_slice(char *dst, size_t size, mrb_slice s)
{
    size_t n = s.p ? (s.n < size - 1 ? s.n : size - 1) : 0;
    if (n)
        memcpy(dst, s.p, n);
    dst[n] = '\0';
}

static mrb_slice cslice(const char *s)
{
    mrb_slice r = {s, s ? strlen(s) : 0};
    return r;
}

static void state_free(stream_state *s)
{
    free(s->function);
    free(s->log_group);
    free(s->log_stream);
    free(s->runtime_version);
    free(s->runtime_arn);
    free(s->init_status);
    free(s->init_error_type);
    free(s->init_phase);
    for (size_t i = 0; i < s->n_lates; i++) {
        free(s->lates[i].request_id);
        free(s->lates[i].error_type);
    }
    free(s->lates);
    free(s);
}

static void grow(assembler *a)
{
    size_t nb = a->n_buckets * 2;
    stream_state **b = xcalloc(nb, sizeof *b);

    for (size_t i = 0; i < a->n_buckets; i++) {
        stream_state *s = a->buckets[i], *next;
        for (; s; s = next) {
            next = s->next;
            uint64_t h = hash2(s->function, s->log_stream) & (nb - 1);
            s->next = b[h];
            b[h] = s;
        }
    }
    free(a->buckets);
    a->buckets = b;
    a->n_buckets = nb;
}

/* The stream's time span in the file takes in ts (EVENT_TS_NONE: no time). */
static void widen(stream_state *s, int64_t ts)
{
    if (ts == EVENT_TS_NONE)
        return;
    if (s->first_ts == EVENT_TS_NONE || ts < s->first_ts)
        s->first_ts = ts;
    if (s->last_ts == EVENT_TS_NONE || ts > s->last_ts)
        s->last_ts = ts;
}

static stream_state *state_for(assembler *a, const assemble_where *w)
{
    const char *stream = w->log_stream ? w->log_stream : "";
    stream_state *s = a->last;

    /* a file's events mostly come from one stream: no hash for them */
    if (s && !strcmp(s->log_stream, stream) && !strcmp(s->function, w->function))
        return s;
    uint64_t h = hash2(w->function, stream) & (a->n_buckets - 1);

    for (s = a->buckets[h]; s; s = s->next)
        if (!strcmp(s->function, w->function) && !strcmp(s->log_stream, stream))
            break;
    if (s) {
        if (!s->in_file) { /* carried over from an earlier file */
            s->in_file = 1;
            s->first_ts = s->last_ts = EVENT_TS_NONE;
            widen(s, w->ts_ms);
        }
        return a->last = s;
    }
    if (a->n_streams >= a->n_buckets) {
        grow(a);
        h = hash2(w->function, stream) & (a->n_buckets - 1);
    }
    s = xcalloc(1, sizeof *s);
    s->function = xstrdup(w->function);
    s->log_stream = xstrdup(stream);
    s->log_group = w->log_group ? xstrdup(w->log_group) : NULL;
    s->first_ts = s->last_ts = EVENT_TS_NONE;
    widen(s, w->ts_ms);
    s->in_file = 1;
    s->next = a->buckets[h];
    a->buckets[h] = s;
    a->n_streams++;
    return a->last = s;
}

static int emit_late(assembler *a, stream_state *s, const char *request_id, int64_t ts,
                     const char *status, mrb_slice error_type, mrb_err *err)
{
    annotation an;
    an.function = cslice(s->function);
    an.request_id = cslice(request_id);
    an.ts_ms = ts;
    an.status = status;
    an.error_type = error_type;
    return a->sink.annotation(a->sink.arg, &an, err);
}

/* A timeout or runtime exit for request_id: applied at once when its REPORT
 * was just seen, else kept until the REPORT (or the end of the file). */
static int take_late(assembler *a, stream_state *s, mrb_slice id, int64_t ts, const char *status,
                     mrb_slice error_type, mrb_err *err)
{
    char rid[128];

    copy_slice(rid, sizeof rid, id);
    if (!rid[0])
        copy_slice(rid, sizeof rid, cslice(s->cur_request));
    if (!rid[0])
        return 0; /* nothing to attach it to */
    for (int i = 0; i < s->n_recent; i++)
        if (!strcmp(s->recent[i], rid))
            return emit_late(a, s, rid, ts, status, error_type, err);
    XGROW(s->lates, s->n_lates, s->cap_lates, 4);
    late *l = &s->lates[s->n_lates++];
    l->request_id = xstrdup(rid);
    l->ts_ms = ts;
    l->status = status;
    l->error_type = dup_slice(error_type);
    return 0;
}

/* Removes and returns (in *out) the pending line for id; 1 if found. */
static int pop_late(stream_state *s, mrb_slice id, late *out)
{
    for (size_t i = 0; i < s->n_lates; i++) {
        if (slice_is(id, s->lates[i].request_id)) {
            *out = s->lates[i];
            s->lates[i] = s->lates[--s->n_lates];
            return 1;
        }
    }
    return 0;
}

static const char *status_of(mrb_slice st)
{
    if (slice_is(st, "timeout"))
        return "timeout";
    if (st.p && !slice_is(st, "success"))
        return "error"; /* error, failure, and anything newer */
    return "success";
}

static void fill_invocation(invocation *inv, const stream_state *s, const lambda_record *r,
                            int64_t ts)
{
    memset(inv, 0, sizeof *inv);
    inv->function = cslice(s->function);
    inv->log_group = cslice(s->log_group);
    inv->log_stream = s->log_stream[0] ? cslice(s->log_stream) : cslice(NULL);
    inv->request_id = r->request_id;
    inv->ts_ms = ts;
    inv->has = r->has & (LR_DURATION | LR_BILLED | LR_MEMORY | LR_MAX_MEMORY | LR_INIT |
                         LR_RESTORE | LR_BILLED_RESTORE | LR_XRAY_SAMPLED);
    inv->duration_ms = r->duration_ms;
    inv->billed_ms = r->billed_ms;
    inv->memory_mb = r->memory_mb;
    inv->max_memory_mb = r->max_memory_mb;
    inv->init_ms = r->init_ms;
    inv->restore_ms = r->restore_ms;
    inv->billed_restore_ms = r->billed_restore_ms;
    inv->xray_trace_id = r->xray_trace_id;
    inv->xray_segment_id = r->xray_segment_id;
    inv->xray_sampled = r->xray_sampled;
    inv->error_type = r->error_type;
    if (slice_is(r->request_id, s->cur_request)) {
        inv->version = cslice(s->cur_version[0] ? s->cur_version : NULL);
        inv->start_ts_ms = s->cur_start_ts;
        inv->app_errors = s->cur_errors;
        inv->first_error_type = cslice(s->cur_error_type[0] ? s->cur_error_type : NULL);
        inv->first_error_message =
            cslice(s->cur_error_message[0] ? s->cur_error_message : NULL);
    }
}

/* Keeps the request id among the last RECENT reported in the stream. */
static void remember(stream_state *s, mrb_slice id)
{
    if (s->n_recent == RECENT) {
        memmove(s->recent, s->recent + 1, sizeof s->recent[0] * (RECENT - 1));
        s->n_recent--;
    }
    copy_slice(s->recent[s->n_recent++], sizeof s->recent[0], id);
}

static int take_report(assembler *a, stream_state *s, const lambda_record *r, int64_t ts,
                       mrb_err *err)
{
    invocation inv;
    late l = {NULL, 0, NULL, NULL};
    int found = pop_late(s, r->request_id, &l);

    fill_invocation(&inv, s, r, ts);
    inv.cold_start = (r->has & (LR_INIT | LR_RESTORE)) || s->init_pending;
    if (!(r->has & LR_INIT) && s->init_pending && s->has_init_report) {
        inv.has |= LR_INIT;
        inv.init_ms = s->init_report_ms;
    }
    inv.status = status_of(r->status);
    if (!r->status.p && found) {
        inv.status = l.status;
        if (!inv.error_type.p && l.error_type)
            inv.error_type = cslice(l.error_type);
        /* before REPORTs said Status, an out-of-memory kill looked like this */
        if (!strcmp(l.status, "error") && (r->has & LR_MEMORY) && (r->has & LR_MAX_MEMORY) &&
            r->max_memory_mb >= r->memory_mb)
            inv.error_type = cslice("Runtime.OutOfMemory");
    }
    int rc = a->sink.invocation(a->sink.arg, &inv, err);
    free(l.request_id);
    free(l.error_type);
    if (rc < 0)
        return -1;
    s->invocations++;
    s->cold_starts += inv.cold_start;
    if (inv.cold_start && (inv.has & LR_INIT) && !s->has_env_init) {
        s->has_env_init = 1;
        s->env_init_ms = inv.init_ms;
    }
    s->init_pending = 0;
    if (slice_is(r->request_id, s->cur_request))
        s->in_flight = 0;
    remember(s, r->request_id);
    return 0;
}

int assemble_record(assembler *a, const assemble_where *w, const lambda_record *r, mrb_err *err)
{
    stream_state *s = state_for(a, w);

    widen(s, w->ts_ms);
    switch (r->kind) {
    case LAMBDA_START:
        copy_slice(s->cur_request, sizeof s->cur_request, r->request_id);
        copy_slice(s->cur_version, sizeof s->cur_version, r->version);
        s->cur_start_ts = w->ts_ms;
        s->in_flight = 1;
        s->cur_errors = 0;
        s->cur_error_type[0] = s->cur_error_message[0] = '\0';
        return 0;
    case LAMBDA_REPORT:
        return take_report(a, s, r, w->ts_ms, err);
    case LAMBDA_INIT_START:
        set_slice(&s->runtime_version, r->runtime_version);
        set_slice(&s->runtime_arn, r->runtime_arn);
        s->init_pending = 1;
        return 0;
    case LAMBDA_INIT_REPORT:
        s->init_pending = 1;
        s->has_init_report = 1;
        s->init_report_ms = r->init_ms;
        set_slice(&s->init_status, r->status);
        set_slice(&s->init_error_type, r->error_type);
        set_slice(&s->init_phase, r->phase);
        return 0;
    case LAMBDA_TIMEOUT:
        return take_late(a, s, r->request_id, w->ts_ms, "timeout", cslice(NULL), err);
    case LAMBDA_RUNTIME_EXIT:
        return take_late(a, s, r->request_id, w->ts_ms, "error", r->error_type, err);
    default:
        return 0;
    }
}

int assemble_app(assembler *a, const assemble_where *w, const applog_line *line)
{
    if (line->level < APPLOG_ERROR)
        return 0;
    stream_state *s = state_for(a, w);
    if (line->request_id.p ? !slice_is(line->request_id, s->cur_request) : !s->in_flight)
        return 0; /* outside an invocation (init), or for one already reported */
    if (s->cur_errors++ == 0) {
        copy_slice(s->cur_error_type, sizeof s->cur_error_type, line->error_type);
        copy_slice(s->cur_error_message, sizeof s->cur_error_message, line->error_message);
    }
    return 0;
}

static int finish_stream(assembler *a, stream_state *s, mrb_err *err)
{
    environment env;

    for (size_t i = 0; i < s->n_lates; i++)
        if (emit_late(a, s, s->lates[i].request_id, s->lates[i].ts_ms, s->lates[i].status,
                      cslice(s->lates[i].error_type), err) < 0)
            return -1;
    memset(&env, 0, sizeof env);
    env.function = cslice(s->function);
    env.log_group = cslice(s->log_group);
    env.log_stream = cslice(s->log_stream);
    env.runtime_version = cslice(s->runtime_version);
    env.runtime_arn = cslice(s->runtime_arn);
    env.init_status = cslice(s->init_status);
    env.init_error_type = cslice(s->init_error_type);
    env.init_phase = cslice(s->init_phase);
    env.first_ts_ms = s->first_ts;
    env.last_ts_ms = s->last_ts;
    env.invocations = s->invocations;
    env.cold_starts = s->cold_starts;
    if (s->has_init_report) {
        env.has = LR_INIT;
        env.init_ms = s->init_report_ms;
    } else if (s->has_env_init) {
        env.has = LR_INIT;
        env.init_ms = s->env_init_ms;
    }
    return a->sink.environment(a->sink.arg, &env, err);
}

static void forget_all(assembler *a)
{
    a->last = NULL;
    for (size_t i = 0; i < a->n_buckets; i++) {
        stream_state *s = a->buckets[i], *next;
        for (; s; s = next) {
            next = s->next;
            state_free(s);
        }
        a->buckets[i] = NULL;
    }
    a->n_streams = 0;
}

/* After a file: a stream whose invocation is still open (its REPORT will
 * come in the next file, as when one subscription payload ends between a
 * START and its REPORT) or whose init has not met its first invoke is kept,
 * without the file's counts; every other stream is forgotten, so memory
 * follows the streams open at a time, not all the run has seen. */
static int keep_across_files(stream_state *s)
{
    if (!s->in_flight && !s->init_pending)
        return 0;
    for (size_t i = 0; i < s->n_lates; i++) {
        free(s->lates[i].request_id);
        free(s->lates[i].error_type);
    }
    s->n_lates = 0;
    s->invocations = s->cold_starts = 0;
    s->in_file = 0;
    return 1;
}

int assemble_finish(assembler *a, mrb_err *err)
{
    int rc = 0;

    a->last = NULL; /* streams are freed or carried over below */
    for (size_t i = 0; i < a->n_buckets; i++) {
        stream_state **link = &a->buckets[i];
        while (*link) {
            stream_state *s = *link;
            if (rc == 0 && s->in_file)
                rc = finish_stream(a, s, err);
            if (rc == 0 && keep_across_files(s)) {
                link = &s->next;
            } else {
                *link = s->next;
                state_free(s);
                a->n_streams--;
            }
        }
    }
    return rc;
}

void assemble_reset(assembler *a) { forget_all(a); }

void assemble_free(assembler *a)
{
    if (!a)
        return;
    forget_all(a);
    free(a->buckets);
    free(a);
}
