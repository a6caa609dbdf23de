/* writer.c — store writes on a thread of their own (see writer.h).
 *
 * One producer (the ingest thread), one consumer (the writer thread), a
 * ring of WRITER_SLOTS messages. A message owns copies of its strings (in
 * its inline buffer, or one heap block when they do not fit). The writer
 * counts what the database answers: new or known invocations per file, per
 * function and per log stream; a file's counts join the run's only when the
 * file commits. */
#include "mrb/hash64.h"
#include "mrb/writer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

#define WRITER_SLOTS 512
#define WAKE_BATCH 64 /* a sleeping writer is woken when this many messages wait */
#define PUBLISH_BATCH 32 /* messages the producer hands over at once */
#define RELEASE_BATCH 64 /* messages the writer frees at once */
#define MSG_INLINE 1024

enum msg_kind {
    M_FILE_BEGIN, M_INVOCATION, M_ANNOTATION, M_ENVIRONMENT, M_PROBLEM,
    M_FUNCTION, M_FILE_COMMIT, M_FILE_ABORT, M_LOG_LEVEL, M_METRIC_EVENT, M_METRIC_DEF,
    M_METRIC_REJECT,
    M_STREAM_RECORD, M_STREAM_VIOLATION, M_STREAM_NUMBER, M_APP_IDS, M_STREAM_FILE,
    M_FILE_KNOWN, M_APIGW, M_LOG_VOLUME
};

typedef struct msg {
    enum msg_kind kind;
    union {
        invocation inv;
        annotation ann;
        environment env;
        writer_emf_event me;
        stream_row sr;
        apigw_row ag;
        struct {
            int has_value, exact;
            double value;
        } num;
        struct {
            int64_t first, last;
            long long n;
        } ids;
        struct {
            int storage_resolution;
            int64_t first, last;
        } def;
        struct {
            long long line, offset;
        } prob;
        struct {
            file_stats fs;
            mrb_err why;
        } file;
        int relabel;
        struct {
            long long file_id;
            uint64_t hash;
        } known;
        long long size_hint;
        long long lines;
        store_volume vol;
    } u;
    const char *s[7];  /* other strings, by kind */
    char *heap;        /* string storage when buf is too small */
    size_t used, room;
    _Alignas(double) char buf[MSG_INLINE]; /* an EMF event's points start it */
} msg;

/* New invocations of one log stream in the current file. */
typedef struct stream_count {
    struct stream_count *next;
    long long invocations, cold_starts;
    size_t n;   /* bytes in key */
    char key[]; /* function '\0' stream '\0' */
} stream_count;

#define STREAM_BUCKETS 1024

/* A metric series the producer numbered (writer_metric_event). */
typedef struct series_slot {
    char *text;         /* the key's strings, one block; NULL when the number is unused */
    metric_series key;  /* pointing into text */
    long long id;       /* in the store; 0 until found or created */
    char *runtime;      /* the label it was stored with */
} series_slot;

struct writer {
    store *st;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full, idle;
    msg *ring;
    size_t head, count;      /* under mu: the messages handed over */
    int quit;
    int failed;              /* written by the writer, read under mu */
    mrb_err error;
    /* the producer's own state: it fills slots without the lock and hands
     * them over PUBLISH_BATCH at a time (the lock is taken once per batch on
     * each side, not twice per message) */
    size_t tail;             /* the next slot to fill */
    size_t free_slots;       /* slots known to be free from tail on */
    size_t pending;          /* filled, not yet handed over */
    /* the writer thread's own state */
    long long file_new, file_known, file_orphans;
    long long file_metric_new, file_metric_known;
    long long file_stream_new, file_stream_known, file_stream_violations;
    writer_fn_count *file_fns; /* this file's per-function counts */
    int n_file_fns, cap_file_fns;
    stream_count *streams[STREAM_BUCKETS];
    writer_counts counts;    /* committed files only */
    int cap_fns;
    series_slot *series;     /* by number */
    int cap_series;
    metric_point *points;    /* scratch for store_metric_event */
    int cap_points;
};

/* ---- message strings ---- */

static void reserve(msg *m, size_t total)
{
    m->used = 0;
    m->heap = total > MSG_INLINE ? xmalloc(total) : NULL;
    m->room = total > MSG_INLINE ? total : MSG_INLINE;
}

static char *area(msg *m) { return m->heap ? m->heap : m->buf; }

static const char *keep(msg *m, const char *p, size_t n)
{
    if (!p)
        return NULL;
    char *d = area(m) + m->used;
    memcpy(d, p, n);
    d[n] = '\0';
    m->used += n + 1;
    return d;
}

static void keep_slice(msg *m, mrb_slice *sl)
{
    sl->p = keep(m, sl->p, sl->n);
}

static const char *keep_str(msg *m, const char *s)
{
    return s ? keep(m, s, strlen(s)) : NULL;
}

static size_t need(mrb_slice s) { return s.p ? s.n + 1 : 0; }
static size_t need_str(const char *s) { return s ? strlen(s) + 1 : 0; }

/* ---- the queue ---- */

/* Hands the pending messages over (mu held); wakes a sleeping writer when
 * a batch has gathered or when asked. */
static void hand_over(writer *w, int wake)
{
    w->count += w->pending;
    w->pending = 0;
    if (w->count >= WAKE_BATCH || (wake && w->count > 0))
        pthread_cond_signal(&w->not_empty);
    if (w->failed)
        w->free_slots = 0; /* the next claim reports it */
}

/* A free slot for the producer, or NULL (err) when the writer failed. */
static msg *claim(writer *w, mrb_err *err)
{
    if (w->free_slots > 0)
        return &w->ring[w->tail];
    pthread_mutex_lock(&w->mu);
    hand_over(w, 1);
    while (w->count == WRITER_SLOTS && !w->failed)
        pthread_cond_wait(&w->not_full, &w->mu);
    if (w->failed) {
        if (err) {
            char src[sizeof err->source];
            memcpy(src, err->source, sizeof src);
            *err = w->error;
            memcpy(err->source, src, sizeof src);
        }
        pthread_mutex_unlock(&w->mu);
        return NULL;
    }
    w->free_slots = WRITER_SLOTS - w->count;
    pthread_mutex_unlock(&w->mu);
    return &w->ring[w->tail];
}

/* Waking the writer for every message would cost a context switch each,
 * and taking the lock for each a cache line bouncing between the cores:
 * messages are handed over in batches, a sleeping writer is woken when
 * WAKE_BATCH wait, at a file's end, or when the producer itself waits
 * (claim on a full ring, writer_wait). */
static int publish(writer *w)
{
    enum msg_kind k = w->ring[w->tail].kind;

    w->tail = (w->tail + 1) % WRITER_SLOTS;
    w->free_slots--;
    w->pending++;
    if (w->pending >= PUBLISH_BATCH || k == M_FILE_COMMIT || k == M_FILE_ABORT) {
        pthread_mutex_lock(&w->mu);
        hand_over(w, k == M_FILE_COMMIT || k == M_FILE_ABORT);
        pthread_mutex_unlock(&w->mu);
    }
    return 0;
}

/* ---- the writer thread's bookkeeping ---- */

static uint64_t hash_key(const char *k, size_t n)
{
    return hash64_fnv(k, n, HASH64_FNV_BASIS);
}

static stream_count *stream_counter(writer *w, mrb_slice fn, mrb_slice stream)
{
    char key[1024];
    size_t fn_n = fn.n < 511 ? fn.n : 511;
    size_t st_n = stream.p ? (stream.n < 511 ? stream.n : 511) : 0;
    size_t n = fn_n + 1 + st_n + 1;

    memcpy(key, fn.p, fn_n);
    key[fn_n] = '\0';
    if (st_n)
        memcpy(key + fn_n + 1, stream.p, st_n);
    key[n - 1] = '\0';
    uint64_t h = hash_key(key, n) % STREAM_BUCKETS;
    for (stream_count *c = w->streams[h]; c; c = c->next)
        if (c->n == n && !memcmp(c->key, key, n))
            return c;
    stream_count *c = xcalloc(1, sizeof *c + n);
    c->n = n;
    memcpy(c->key, key, n);
    c->next = w->streams[h];
    w->streams[h] = c;
    return c;
}

static writer_fn_count *fn_counter(writer_fn_count **arr, int *n, int *cap, const char *fn,
                                   size_t len)
{
    for (int i = 0; i < *n; i++)
        if (strlen((*arr)[i].function) == len && !memcmp((*arr)[i].function, fn, len))
            return &(*arr)[i];
    XGROW(*arr, *n, *cap, 8);
    writer_fn_count *c = &(*arr)[(*n)++];
    memset(c, 0, sizeof *c);
    snprintf(c->function, sizeof c->function, "%.*s", (int)len, fn);
    return c;
}

static void forget_file(writer *w)
{
    for (int i = 0; i < STREAM_BUCKETS; i++) {
        stream_count *c = w->streams[i], *next;
        for (; c; c = next) {
            next = c->next;
            free(c);
        }
        w->streams[i] = NULL;
    }
    w->file_new = w->file_known = w->file_orphans = 0;
    w->file_metric_new = w->file_metric_known = 0;
    w->file_stream_new = w->file_stream_known = w->file_stream_violations = 0;
    w->n_file_fns = 0;
}

/* A committed file's counts join the run's. */
static void count_file(writer *w)
{
    w->counts.invocations_new += w->file_new;
    w->counts.invocations_known += w->file_known;
    w->counts.annotations_orphan += w->file_orphans;
    w->counts.metric_values_new += w->file_metric_new;
    w->counts.metric_values_known += w->file_metric_known;
    for (int i = 0; i < w->n_file_fns; i++) {
        writer_fn_count *f = &w->file_fns[i];
        writer_fn_count *r = fn_counter(&w->counts.functions, &w->counts.n_functions,
                                        &w->cap_fns, f->function, strlen(f->function));
        r->invocations_new += f->invocations_new;
        r->invocations_known += f->invocations_known;
        r->cold_new += f->cold_new;
    }
}

static int apply_invocation(writer *w, msg *m, mrb_err *err)
{
    int added;
    invocation *v = &m->u.inv;

    if (store_invocation(w->st, v, m->s[0], &added, err) < 0)
        return -1;
    writer_fn_count *f = fn_counter(&w->file_fns, &w->n_file_fns, &w->cap_file_fns,
                                    v->function.p, v->function.n);
    if (added) {
        stream_count *c = stream_counter(w, v->function, v->log_stream);
        c->invocations++;
        c->cold_starts += v->cold_start != 0;
        w->file_new++;
        f->invocations_new++;
        f->cold_new += v->cold_start != 0;
    } else {
        w->file_known++;
        f->invocations_known++;
    }
    return 0;
}

/* The DynamoDB stream record messages; the writer counts new and known
 * records and the violations of the new ones. */
static int apply_stream(writer *w, msg *m, mrb_err *err)
{
    int added;

    switch (m->kind) {
    case M_STREAM_RECORD:
        if (store_stream_record(w->st, &m->u.sr, &added, err) < 0)
            return -1;
        w->file_stream_new += added;
        w->file_stream_known += !added;
        w->file_stream_violations += added ? m->u.sr.violations : 0;
        return 0;
    case M_STREAM_VIOLATION:
        return store_stream_violation(w->st, m->s[0], (int)m->u.lines, m->s[1], m->s[2], m->s[3],
                                      err);
    case M_STREAM_NUMBER:
        return store_stream_number(w->st, m->s[0], m->s[1], m->s[2], m->u.num.has_value,
                                   m->u.num.value, m->u.num.exact, err);
    case M_APP_IDS:
        return store_app_ids(w->st, m->s[0], m->u.ids.first, m->u.ids.last, m->u.ids.n, m->s[1],
                             err);
    case M_STREAM_FILE:
        if (store_stream_file(w->st, m->u.lines, w->file_stream_new, w->file_stream_violations,
                              err) < 0)
            return -1;
        w->counts.stream_records_new += w->file_stream_new;
        w->counts.stream_records_known += w->file_stream_known;
        w->counts.stream_violations += w->file_stream_violations;
        w->file_stream_new = w->file_stream_known = w->file_stream_violations = 0;
        return 0;
    default:
        return 0;
    }
}

/* ---- EMF series ---- */

/* Every number's store id is forgotten (found again at its next use), and
 * with drop_keys the numbers themselves. */
static void series_forget(writer *w, int drop_keys)
{
    for (int i = 0; i < w->cap_series; i++) {
        series_slot *s = &w->series[i];
        s->id = 0;
        if (drop_keys) {
            free(s->text);
            free(s->runtime);
            s->text = s->runtime = NULL;
        }
    }
}

static const char *copy_in(char **at, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = *at;
    memcpy(d, s, n);
    *at += n;
    return d;
}

/* ws->number now names the series ws->key (copied). */
static void series_define(writer *w, const writer_series *ws)
{
    const metric_series *k = &ws->key;
    if (ws->number >= w->cap_series) {
        int cap = w->cap_series ? w->cap_series : 64;
        while (cap <= ws->number)
            cap *= 2;
        w->series = xrealloc(w->series, (size_t)cap * sizeof *w->series);
        memset(w->series + w->cap_series, 0, (size_t)(cap - w->cap_series) * sizeof *w->series);
        w->cap_series = cap;
    }
    series_slot *s = &w->series[ws->number];
    free(s->text);
    free(s->runtime);
    s->runtime = NULL;
    s->id = 0;
    s->text = xmalloc(need_str(k->ns) + need_str(k->metric) + need_str(k->unit) +
                      need_str(k->dimensions) + need_str(k->function) + need_str(k->log_group));
    char *at = s->text;
    s->key = *k;
    s->key.ns = copy_in(&at, k->ns);
    s->key.metric = copy_in(&at, k->metric);
    s->key.unit = copy_in(&at, k->unit);
    s->key.dimensions = copy_in(&at, k->dimensions);
    s->key.function = copy_in(&at, k->function);
    s->key.log_group = copy_in(&at, k->log_group);
}

static int apply_metric_event(writer *w, const writer_emf_event *e, mrb_err *err)
{
    int added;

    if (e->reset)
        series_forget(w, 1);
    for (int i = 0; i < e->n_series; i++)
        series_define(w, &e->series[i]);
    if (e->n_points > w->cap_points) {
        w->cap_points = e->n_points > 64 ? e->n_points : 64;
        w->points = xrealloc(w->points, (size_t)w->cap_points * sizeof *w->points);
    }
    for (int i = 0; i < e->n_points; i++) {
        const writer_point *p = &e->points[i];
        series_slot *s = p->series > 0 && p->series < w->cap_series ? &w->series[p->series] : NULL;
        if (!s || !s->text)
            return mrb_err_internal(err, "EMF series %d was never given", p->series);
        if (!s->id || strcmp(s->runtime, e->runtime) != 0) {
            if (store_metric_series(w->st, &s->key, e->runtime, &s->id, err) < 0)
                return -1;
            free(s->runtime);
            s->runtime = xstrdup(e->runtime);
        }
        w->points[i].series_id = s->id;
        w->points[i].value = p->value;
        w->points[i].value_index = p->value_index;
    }
    metric_event me = {e->ts_ms, e->event_key, e->log_stream, e->request_id, w->points,
                       e->n_points};
    if (store_metric_event(w->st, &me, &added, err) < 0)
        return -1;
    w->file_metric_new += added ? e->n_points : 0;
    w->file_metric_known += added ? 0 : e->n_points;
    return 0;
}

static int apply(writer *w, msg *m, mrb_err *err)
{
    int matched;

    switch (m->kind) {
    case M_FILE_BEGIN:
        forget_file(w);
        return store_file_begin(w->st, m->s[0], m->s[1], m->u.size_hint, err);
    case M_INVOCATION:
        return apply_invocation(w, m, err);
    case M_ANNOTATION:
        if (store_annotation(w->st, &m->u.ann, &matched, err) < 0)
            return -1;
        w->file_orphans += !matched;
        return 0;
    case M_ENVIRONMENT: {
        mrb_slice stream = m->u.env.log_stream.n ? m->u.env.log_stream : (mrb_slice){NULL, 0};
        stream_count *c = stream_counter(w, m->u.env.function, stream);
        m->u.env.invocations = c->invocations;
        m->u.env.cold_starts = c->cold_starts;
        return store_environment(w->st, &m->u.env, m->s[0], err);
    }
    case M_PROBLEM:
        return store_problem(w->st, m->u.prob.line, m->u.prob.offset, m->s[0], err);
    case M_FUNCTION: {
        function_info fi = {m->s[0], m->s[1], m->s[2], m->s[3], m->s[4], m->s[5], m->s[6]};
        if (m->u.relabel)
            series_forget(w, 0); /* their runtime changes in the store */
        return store_function(w->st, &fi, m->u.relabel, err);
    }
    case M_METRIC_EVENT:
        return apply_metric_event(w, &m->u.me, err);
    case M_METRIC_DEF:
        return store_metric_definition(w->st, m->s[0], m->s[1], m->s[2],
                                       m->u.def.storage_resolution, m->s[3], m->u.def.first,
                                       m->u.def.last, err);
    case M_METRIC_REJECT:
        return store_metric_reject(w->st, m->s[0], m->u.lines, err);
    case M_FILE_COMMIT:
        m->u.file.fs.invocations_new = w->file_new;
        m->u.file.fs.invocations_known = w->file_known;
        m->u.file.fs.metric_values_new = w->file_metric_new;
        m->u.file.fs.metric_values_known = w->file_metric_known;
        if (store_file_commit(w->st, &m->u.file.fs, err) < 0)
            return -1;
        count_file(w);
        return 0;
    case M_FILE_ABORT:
        series_forget(w, 0); /* series the file created are rolled back with it */
        return store_file_abort(w->st, &m->u.file.fs, &m->u.file.why, err);
    case M_FILE_KNOWN:
        return store_file_known(w->st, m->u.known.file_id, m->u.known.hash, err);
    case M_LOG_LEVEL:
        return store_log_level(w->st, m->s[0], m->s[1], m->u.lines, err);
    case M_LOG_VOLUME:
        return store_log_volume(w->st, m->s[0], &m->u.vol, err);
    case M_STREAM_RECORD:
    case M_STREAM_VIOLATION:
    case M_STREAM_NUMBER:
    case M_APP_IDS:
    case M_STREAM_FILE:
        return apply_stream(w, m, err);
    case M_APIGW:
        return store_apigw(w->st, &m->u.ag, err);
    }
    return 0;
}

static void *run(void *arg)
{
    writer *w = arg;
    mrb_err err;

    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->count == 0 && !w->quit)
            pthread_cond_wait(&w->not_empty, &w->mu);
        size_t n = w->count, head = w->head;
        int failed = w->failed;
        pthread_mutex_unlock(&w->mu);
        if (n == 0)
            return NULL;

        /* the n messages handed over, their slots freed RELEASE_BATCH at a time */
        for (size_t done = 0; done < n;) {
            size_t batch = n - done < RELEASE_BATCH ? n - done : RELEASE_BATCH;
            int rc = 0;
            for (size_t i = 0; i < batch; i++) {
                msg *m = &w->ring[(head + done + i) % WRITER_SLOTS];
                if (!failed && rc == 0) {
                    mrb_err_clear(&err);
                    rc = apply(w, m, &err);
                }
                free(m->heap);
                m->heap = NULL;
            }
            done += batch;
            pthread_mutex_lock(&w->mu);
            if (rc < 0) {
                w->failed = 1;
                w->error = err;
                pthread_cond_broadcast(&w->not_full);
            }
            failed = w->failed; /* writer_stop sets it too */
            w->head = (w->head + batch) % WRITER_SLOTS;
            w->count -= batch;
            if (w->count <= WRITER_SLOTS / 2)
                pthread_cond_signal(&w->not_full);
            if (w->count == 0)
                pthread_cond_broadcast(&w->idle);
            pthread_mutex_unlock(&w->mu);
        }
    }
}

/* ---- the producer's calls ---- */

writer *writer_start(store *st, mrb_err *err)
{
    writer *w = xcalloc(1, sizeof *w);

    w->st = st;
    w->ring = xcalloc(WRITER_SLOTS, sizeof *w->ring);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->not_empty, NULL);
    pthread_cond_init(&w->not_full, NULL);
    pthread_cond_init(&w->idle, NULL);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        mrb_err_set(err, 0, -1, "cannot start the database thread");
        free(w->ring);
        free(w);
        return NULL;
    }
    return w;
}

void writer_stop(writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    w->failed = 1; /* anything still queued is dropped */
    pthread_cond_broadcast(&w->not_empty);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    for (size_t i = 0; i < WRITER_SLOTS; i++)
        free(w->ring[i].heap);
    forget_file(w);
    series_forget(w, 1);
    free(w->series);
    free(w->points);
    free(w->file_fns);
    free(w->counts.functions);
    pthread_cond_destroy(&w->not_empty);
    pthread_cond_destroy(&w->not_full);
    pthread_cond_destroy(&w->idle);
    pthread_mutex_destroy(&w->mu);
    free(w->ring);
    free(w);
}

int writer_file_begin(writer *w, const char *path, const char *run_label, long long size_hint,
                      mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_FILE_BEGIN;
    m->u.size_hint = size_hint;
    reserve(m, need_str(path) + need_str(run_label));
    m->s[0] = keep_str(m, path);
    m->s[1] = keep_str(m, run_label);
    return publish(w);
}

int writer_invocation(writer *w, const invocation *inv, const char *runtime, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    invocation *v = &m->u.inv;
    m->kind = M_INVOCATION;
    *v = *inv;
    reserve(m, need(v->function) + need(v->log_group) + need(v->log_stream) +
                   need(v->request_id) + need(v->version) + need(v->error_type) +
                   need(v->xray_trace_id) + need(v->xray_segment_id) + need_str(runtime) +
                   need(v->first_error_type) + need(v->first_error_message));
    keep_slice(m, &v->function);
    keep_slice(m, &v->log_group);
    keep_slice(m, &v->log_stream);
    keep_slice(m, &v->request_id);
    keep_slice(m, &v->version);
    keep_slice(m, &v->error_type);
    keep_slice(m, &v->xray_trace_id);
    keep_slice(m, &v->xray_segment_id);
    keep_slice(m, &v->first_error_type);
    keep_slice(m, &v->first_error_message);
    m->s[0] = keep_str(m, runtime);
    return publish(w);
}

int writer_annotation(writer *w, const annotation *a, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_ANNOTATION;
    m->u.ann = *a;
    reserve(m, need(a->function) + need(a->request_id) + need(a->error_type));
    keep_slice(m, &m->u.ann.function);
    keep_slice(m, &m->u.ann.request_id);
    keep_slice(m, &m->u.ann.error_type);
    return publish(w);
}

int writer_environment(writer *w, const environment *env, const char *runtime, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    environment *e = &m->u.env;
    m->kind = M_ENVIRONMENT;
    *e = *env;
    reserve(m, need(e->function) + need(e->log_group) + need(e->log_stream) +
                   need(e->runtime_version) + need(e->runtime_arn) + need(e->init_status) +
                   need(e->init_error_type) + need(e->init_phase) + need_str(runtime));
    keep_slice(m, &e->function);
    keep_slice(m, &e->log_group);
    keep_slice(m, &e->log_stream);
    keep_slice(m, &e->runtime_version);
    keep_slice(m, &e->runtime_arn);
    keep_slice(m, &e->init_status);
    keep_slice(m, &e->init_error_type);
    keep_slice(m, &e->init_phase);
    m->s[0] = keep_str(m, runtime);
    return publish(w);
}

int writer_problem(writer *w, long long line, long long offset, const char *text, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_PROBLEM;
    m->u.prob.line = line;
    m->u.prob.offset = offset;
    reserve(m, need_str(text));
    m->s[0] = keep_str(m, text);
    return publish(w);
}

int writer_function(writer *w, const function_info *fi, int relabel, mrb_err *err)
{
    const char *str[7] = {fi->function,        fi->log_group,    fi->runtime, fi->runtime_source,
                          fi->runtime_version, fi->architecture, fi->region};
    size_t need = 0;
    msg *m = claim(w, err);

    if (!m)
        return -1;
    m->kind = M_FUNCTION;
    m->u.relabel = relabel;
    for (int i = 0; i < 7; i++)
        need += need_str(str[i]);
    reserve(m, need);
    for (int i = 0; i < 7; i++)
        m->s[i] = keep_str(m, str[i]);
    return publish(w);
}

int writer_log_volume(writer *w, const char *function, const store_volume *v, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_LOG_VOLUME;
    m->u.vol = *v;
    reserve(m, need_str(function));
    m->s[0] = keep_str(m, function);
    return publish(w);
}

int writer_log_level(writer *w, const char *function, const char *level, long long lines,
                     mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_LOG_LEVEL;
    m->u.lines = lines;
    reserve(m, need_str(function) + need_str(level));
    m->s[0] = keep_str(m, function);
    m->s[1] = keep_str(m, level);
    return publish(w);
}

int writer_metric_event(writer *w, const writer_emf_event *e, mrb_err *err)
{
    size_t pts = (size_t)e->n_points * sizeof *e->points;
    size_t defs = (size_t)e->n_series * sizeof *e->series;
    size_t strings = need_str(e->log_stream) + need_str(e->request_id) + need_str(e->runtime);
    msg *m = claim(w, err);

    if (!m)
        return -1;
    for (int i = 0; i < e->n_series; i++) {
        const metric_series *k = &e->series[i].key;
        strings += need_str(k->ns) + need_str(k->metric) + need_str(k->unit) +
                   need_str(k->dimensions) + need_str(k->function) + need_str(k->log_group);
    }
    m->kind = M_METRIC_EVENT;
    m->u.me = *e;
    reserve(m, pts + defs + strings);
    /* the points, then the series (sizes are multiples of their alignment,
     * which is at most double's: buf's and malloc's), then the strings */
    writer_point *p = (writer_point *)(void *)area(m);
    writer_series *d = (writer_series *)(void *)(area(m) + pts);
    memcpy(p, e->points, pts);
    if (defs)
        memcpy(d, e->series, defs);
    m->used = pts + defs;
    for (int i = 0; i < e->n_series; i++) {
        metric_series *k = &d[i].key;
        k->ns = keep_str(m, k->ns);
        k->metric = keep_str(m, k->metric);
        k->unit = keep_str(m, k->unit);
        k->dimensions = keep_str(m, k->dimensions);
        k->function = keep_str(m, k->function);
        k->log_group = keep_str(m, k->log_group);
    }
    m->u.me.points = p;
    m->u.me.series = d;
    m->u.me.log_stream = keep_str(m, e->log_stream);
    m->u.me.request_id = keep_str(m, e->request_id);
    m->u.me.runtime = keep_str(m, e->runtime);
    return publish(w);
}

int writer_metric_definition(writer *w, const char *ns, const char *metric, const char *unit,
                             int storage_resolution, const char *dimension_sets,
                             int64_t first_ts_ms, int64_t last_ts_ms, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_METRIC_DEF;
    m->u.def.storage_resolution = storage_resolution;
    m->u.def.first = first_ts_ms;
    m->u.def.last = last_ts_ms;
    reserve(m, need_str(ns) + need_str(metric) + need_str(unit) + need_str(dimension_sets));
    m->s[0] = keep_str(m, ns);
    m->s[1] = keep_str(m, metric);
    m->s[2] = keep_str(m, unit);
    m->s[3] = keep_str(m, dimension_sets);
    return publish(w);
}

int writer_metric_reject(writer *w, const char *reason, long long documents, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_METRIC_REJECT;
    m->u.lines = documents;
    reserve(m, need_str(reason));
    m->s[0] = keep_str(m, reason);
    return publish(w);
}

int writer_stream_record(writer *w, const stream_row *r, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    stream_row *v = &m->u.sr;
    const char **str[] = {&v->dedupe_key, &v->origin, &v->event_id, &v->event_name,
                          &v->table_name, &v->table_from, &v->region, &v->stream_arn,
                          &v->stream_view_type, &v->sequence_number, &v->kinesis_seq,
                          &v->ts_precision, &v->keys, &v->new_image, &v->old_image,
                          &v->item_id, &v->wru_basis, &v->item_ts_attribute, &v->runtime,
                          &v->runtime_source};
    size_t total = 0;

    m->kind = M_STREAM_RECORD;
    *v = *r;
    for (size_t i = 0; i < sizeof str / sizeof str[0]; i++)
        total += need_str(*str[i]);
    reserve(m, total);
    for (size_t i = 0; i < sizeof str / sizeof str[0]; i++)
        *str[i] = keep_str(m, *str[i]);
    return publish(w);
}

int writer_stream_violation(writer *w, const char *image, int seq, const char *kind,
                            const char *attribute, const char *detail, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_STREAM_VIOLATION;
    m->u.lines = seq;
    reserve(m, need_str(image) + need_str(kind) + need_str(attribute) + need_str(detail));
    m->s[0] = keep_str(m, image);
    m->s[1] = keep_str(m, kind);
    m->s[2] = keep_str(m, attribute);
    m->s[3] = keep_str(m, detail);
    return publish(w);
}

int writer_stream_number(writer *w, const char *image, const char *attribute, const char *text,
                         int has_value, double value, int exact, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_STREAM_NUMBER;
    m->u.num.has_value = has_value;
    m->u.num.value = value;
    m->u.num.exact = exact;
    reserve(m, need_str(image) + need_str(attribute) + need_str(text));
    m->s[0] = keep_str(m, image);
    m->s[1] = keep_str(m, attribute);
    m->s[2] = keep_str(m, text);
    return publish(w);
}

int writer_app_ids(writer *w, const char *function, int64_t first_ts_ms, int64_t last_ts_ms,
                   long long n, const void *entries, mrb_err *err)
{
    size_t bytes = (size_t)n * STORE_APP_ID_BYTES;
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_APP_IDS;
    m->u.ids.first = first_ts_ms;
    m->u.ids.last = last_ts_ms;
    m->u.ids.n = n;
    reserve(m, need_str(function) + bytes + 1);
    m->s[0] = keep_str(m, function);
    m->s[1] = keep(m, entries, bytes);
    return publish(w);
}

int writer_stream_file(writer *w, long long records, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_STREAM_FILE;
    m->u.lines = records;
    reserve(m, 0);
    return publish(w);
}

static int file_end(writer *w, enum msg_kind kind, const file_stats *st, const mrb_err *why,
                    mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = kind;
    m->u.file.fs = *st; /* shape is a static name */
    if (why)
        m->u.file.why = *why;
    reserve(m, 0);
    return publish(w);
}

int writer_file_known(writer *w, long long file_id, uint64_t content_hash, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_FILE_KNOWN;
    m->u.known.file_id = file_id;
    m->u.known.hash = content_hash;
    reserve(m, 0);
    return publish(w);
}

int writer_file_commit(writer *w, const file_stats *st, mrb_err *err)
{
    return file_end(w, M_FILE_COMMIT, st, NULL, err);
}

int writer_file_abort(writer *w, const file_stats *st, const mrb_err *why, mrb_err *err)
{
    return file_end(w, M_FILE_ABORT, st, why, err);
}

int writer_wait(writer *w, mrb_err *err)
{
    int rc = 0;

    pthread_mutex_lock(&w->mu);
    hand_over(w, 1);
    while (w->count > 0 && !w->failed)
        pthread_cond_wait(&w->idle, &w->mu);
    if (w->failed) {
        if (err)
            *err = w->error;
        rc = -1;
    }
    pthread_mutex_unlock(&w->mu);
    return rc;
}

int writer_sync(writer *w, mrb_err *err)
{
    if (writer_wait(w, err) < 0)
        return -1;
    if (store_flush(w->st, err) < 0) {
        pthread_mutex_lock(&w->mu);
        w->failed = 1;
        w->error = *err;
        pthread_mutex_unlock(&w->mu);
        return -1;
    }
    return 0;
}

const writer_counts *writer_get_counts(const writer *w) { return &w->counts; }

int writer_apigw(writer *w, const apigw_row *row, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    apigw_row *a = &m->u.ag;
    apigw_rec *r = &a->rec;
    m->kind = M_APIGW;
    *a = *row;
    r->why = NULL;
    reserve(m, need(r->request_id) + need(r->extended_request_id) + need(r->http_method) +
                   need(r->resource_path) + need(r->path) + need(r->stage) +
                   need(r->integration_request_id) + need(r->xray_trace_id) +
                   need(r->error_message) + need(a->log_group) + need(a->api_id) +
                   need_str(a->route_runtime) + need_str(a->map_runtime));
    keep_slice(m, &r->request_id);
    keep_slice(m, &r->extended_request_id);
    keep_slice(m, &r->http_method);
    keep_slice(m, &r->resource_path);
    keep_slice(m, &r->path);
    keep_slice(m, &r->stage);
    keep_slice(m, &r->integration_request_id);
    keep_slice(m, &r->xray_trace_id);
    keep_slice(m, &r->error_message);
    keep_slice(m, &a->log_group);
    keep_slice(m, &a->api_id);
    a->route_runtime = keep_str(m, a->route_runtime);
    a->map_runtime = keep_str(m, a->map_runtime);
    return publish(w);
}
