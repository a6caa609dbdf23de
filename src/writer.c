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
    M_DDB_RECORD, M_DDB_VIOLATION, M_DDB_NUMBER, M_APP_IDS, M_DDB_FILE,
    M_FILE_KNOWN, M_APIGW, M_LOG_VOLUME, M_KIND_COUNT
};

/* The payload of each kind, its fields named. Strings are the producer's
 * until own() copies those the kind's fields table names into the message. */
typedef struct begin_msg {
    const char *path, *run;
    long long size_hint;
} begin_msg;

typedef struct invocation_msg {
    invocation inv;
    const char *runtime;
} invocation_msg;

typedef struct environment_msg {
    environment env;
    const char *runtime;
} environment_msg;

typedef struct problem_msg {
    long long line, offset;
    const char *text;
} problem_msg;

typedef struct function_msg {
    function_info fi;
    int relabel;
} function_msg;

typedef struct level_msg {
    const char *function, *level;
    long long lines;
} level_msg;

typedef struct volume_msg {
    const char *function;
    store_volume v;
} volume_msg;

typedef metric_definition definition_msg;

typedef struct reject_msg {
    const char *reason;
    long long documents;
} reject_msg;

typedef ddb_violation_row violation_msg;

typedef struct number_msg {
    const char *image, *attribute, *text;
    int has_value, exact;
    double value;
} number_msg;

typedef struct ids_msg {
    const char *function;
    const char *entries; /* n entries of STORE_APP_ID_BYTES, copied after the strings */
    long long n;
    int64_t first, last;
} ids_msg;

typedef struct file_end_msg {
    file_stats fs; /* its shape is a static name */
    mrb_err why;
} file_end_msg;

typedef struct known_msg {
    long long file_id;
    uint64_t hash;
} known_msg;

typedef union payload {
    begin_msg begin;
    invocation_msg inv;
    annotation ann;
    environment_msg env;
    problem_msg problem;
    function_msg function;
    level_msg level;
    volume_msg volume;
    writer_emf_event event;   /* its points and series copied by writer_metric_event */
    definition_msg definition;
    reject_msg reject;
    ddb_row record;
    violation_msg violation;
    number_msg number;
    ids_msg ids;
    long long records;        /* M_DDB_FILE */
    file_end_msg file;
    known_msg known;
    apigw_row apigw;
} payload;

/* The string fields of a kind's payload, as offsets into it: own() sizes
 * and copies them from this one table. */
typedef struct fields {
    const size_t *str;   /* const char * fields */
    size_t n_str;
    const size_t *slice; /* mrb_slice fields */
    size_t n_slice;
} fields;

#define P(f) offsetof(payload, f)
#define N(a) (sizeof a / sizeof a[0])
static const size_t begin_str[] = {P(begin.path), P(begin.run)};
static const size_t inv_str[] = {P(inv.runtime)};
static const size_t inv_slice[] = {
    P(inv.inv.function),   P(inv.inv.log_group),       P(inv.inv.log_stream),
    P(inv.inv.request_id), P(inv.inv.version),         P(inv.inv.error_type),
    P(inv.inv.xray_trace_id), P(inv.inv.xray_segment_id), P(inv.inv.first_error_type),
    P(inv.inv.first_error_message)};
static const size_t ann_slice[] = {P(ann.function), P(ann.request_id), P(ann.error_type)};
static const size_t env_str[] = {P(env.runtime)};
static const size_t env_slice[] = {
    P(env.env.function),    P(env.env.log_group),   P(env.env.log_stream),
    P(env.env.runtime_version), P(env.env.runtime_arn), P(env.env.init_status),
    P(env.env.init_error_type), P(env.env.init_phase)};
static const size_t problem_str[] = {P(problem.text)};
static const size_t function_str[] = {
    P(function.fi.function),        P(function.fi.log_group),    P(function.fi.runtime),
    P(function.fi.runtime_source),  P(function.fi.runtime_version),
    P(function.fi.architecture),    P(function.fi.region)};
static const size_t level_str[] = {P(level.function), P(level.level)};
static const size_t volume_str[] = {P(volume.function)};
static const size_t event_str[] = {P(event.log_stream), P(event.request_id), P(event.runtime)};
static const size_t definition_str[] = {P(definition.ns), P(definition.metric), P(definition.unit),
                                        P(definition.dimension_sets)};
static const size_t reject_str[] = {P(reject.reason)};
static const size_t record_str[] = {
    P(record.dedupe_key),   P(record.origin),          P(record.event_id),
    P(record.event_name),   P(record.table_name),      P(record.table_from),
    P(record.region),       P(record.stream_arn),      P(record.stream_view_type),
    P(record.sequence_number), P(record.kinesis_seq),  P(record.ts_precision),
    P(record.keys),         P(record.new_image),       P(record.old_image),
    P(record.item_id),      P(record.wru_basis),       P(record.item_ts_attribute),
    P(record.runtime),      P(record.runtime_source)};
static const size_t violation_str[] = {P(violation.image), P(violation.kind),
                                       P(violation.attribute), P(violation.detail)};
static const size_t number_str[] = {P(number.image), P(number.attribute), P(number.text)};
static const size_t ids_str[] = {P(ids.function)};
static const size_t apigw_str[] = {P(apigw.route_runtime), P(apigw.map_runtime)};
static const size_t apigw_slice[] = {
    P(apigw.rec.request_id), P(apigw.rec.extended_request_id), P(apigw.rec.http_method),
    P(apigw.rec.resource_path), P(apigw.rec.path), P(apigw.rec.stage),
    P(apigw.rec.integration_request_id), P(apigw.rec.xray_trace_id),
    P(apigw.rec.error_message), P(apigw.log_group), P(apigw.api_id)};

static const fields kind_fields[M_KIND_COUNT] = {
    [M_FILE_BEGIN] = {begin_str, N(begin_str), NULL, 0},
    [M_INVOCATION] = {inv_str, N(inv_str), inv_slice, N(inv_slice)},
    [M_ANNOTATION] = {NULL, 0, ann_slice, N(ann_slice)},
    [M_ENVIRONMENT] = {env_str, N(env_str), env_slice, N(env_slice)},
    [M_PROBLEM] = {problem_str, N(problem_str), NULL, 0},
    [M_FUNCTION] = {function_str, N(function_str), NULL, 0},
    [M_LOG_LEVEL] = {level_str, N(level_str), NULL, 0},
    [M_LOG_VOLUME] = {volume_str, N(volume_str), NULL, 0},
    [M_METRIC_EVENT] = {event_str, N(event_str), NULL, 0},
    [M_METRIC_DEF] = {definition_str, N(definition_str), NULL, 0},
    [M_METRIC_REJECT] = {reject_str, N(reject_str), NULL, 0},
    [M_DDB_RECORD] = {record_str, N(record_str), NULL, 0},
    [M_DDB_VIOLATION] = {violation_str, N(violation_str), NULL, 0},
    [M_DDB_NUMBER] = {number_str, N(number_str), NULL, 0},
    [M_APP_IDS] = {ids_str, N(ids_str), NULL, 0},
    [M_APIGW] = {apigw_str, N(apigw_str), apigw_slice, N(apigw_slice)},
};
#undef P
#undef N

typedef struct msg {
    enum msg_kind kind;
    payload u;
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
    char file[1024];         /* the path of the file being written, for errors */
    long long file_new, file_known, file_orphans;
    long long file_metric_new, file_metric_known;
    long long file_ddb_new, file_ddb_known, file_ddb_violations;
    writer_fn_count *file_fns; /* this file's per-function counts */
    int n_file_fns, cap_file_fns;
    stream_count *streams[STREAM_BUCKETS];
    stream_count *last_stream; /* the one asked for last, or NULL */
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

/* The bytes the strings kind_fields names in m's payload take. */
static size_t strings_need(const msg *m)
{
    const fields *f = &kind_fields[m->kind];
    const char *u = (const char *)&m->u;
    size_t total = 0;

    for (size_t i = 0; i < f->n_str; i++)
        total += need_str(*(const char *const *)(const void *)(u + f->str[i]));
    for (size_t i = 0; i < f->n_slice; i++)
        total += need(*(const mrb_slice *)(const void *)(u + f->slice[i]));
    return total;
}

/* Copies those strings into m's reserved storage. */
static void strings_keep(msg *m)
{
    const fields *f = &kind_fields[m->kind];
    char *u = (char *)&m->u;

    for (size_t i = 0; i < f->n_str; i++) {
        const char **field = (const char **)(void *)(u + f->str[i]);
        *field = keep_str(m, *field);
    }
    for (size_t i = 0; i < f->n_slice; i++)
        keep_slice(m, (mrb_slice *)(void *)(u + f->slice[i]));
}

/* Copies the payload's strings into m, with extra bytes reserved after
 * them (the caller's to fill). */
static void own(msg *m, size_t extra)
{
    reserve(m, strings_need(m) + extra);
    strings_keep(m);
}

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
            if (src[0]) /* the caller's file, else the one the writer was writing */
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
    stream_count *last = w->last_stream;

    /* a file's invocations mostly come from one stream: no key, no hash */
    if (last && last->n == n && !memcmp(last->key, fn.p, fn_n) && last->key[fn_n] == '\0' &&
        !memcmp(last->key + fn_n + 1, stream.p ? stream.p : "", st_n))
        return last;

    memcpy(key, fn.p, fn_n);
    key[fn_n] = '\0';
    if (st_n)
        memcpy(key + fn_n + 1, stream.p, st_n);
    key[n - 1] = '\0';
    uint64_t h = hash_key(key, n) % STREAM_BUCKETS;
    for (stream_count *c = w->streams[h]; c; c = c->next)
        if (c->n == n && !memcmp(c->key, key, n))
            return w->last_stream = c;
    stream_count *c = xcalloc(1, sizeof *c + n);
    c->n = n;
    memcpy(c->key, key, n);
    c->next = w->streams[h];
    w->streams[h] = c;
    return w->last_stream = c;
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
    w->last_stream = NULL;
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
    w->file_ddb_new = w->file_ddb_known = w->file_ddb_violations = 0;
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
    invocation *v = &m->u.inv.inv;

    if (store_invocation(w->st, v, m->u.inv.runtime, &added, err) < 0)
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
static int apply_ddb(writer *w, msg *m, mrb_err *err)
{
    int added;

    switch (m->kind) {
    case M_DDB_RECORD:
        if (store_ddb_record(w->st, &m->u.record, &added, err) < 0)
            return -1;
        w->file_ddb_new += added;
        w->file_ddb_known += !added;
        w->file_ddb_violations += added ? m->u.record.violations : 0;
        return 0;
    case M_DDB_VIOLATION:
        return store_ddb_violation(w->st, &m->u.violation, err);
    case M_DDB_NUMBER: {
        const number_msg *n = &m->u.number;
        return store_ddb_number(w->st, n->image, n->attribute, n->text, n->has_value, n->value,
                                   n->exact, err);
    }
    case M_APP_IDS: {
        const ids_msg *d = &m->u.ids;
        return store_app_ids(w->st, d->function, d->first, d->last, d->n, d->entries, err);
    }
    case M_DDB_FILE:
        if (store_ddb_file(w->st, m->u.records, w->file_ddb_new, w->file_ddb_violations,
                              err) < 0)
            return -1;
        w->counts.stream_records_new += w->file_ddb_new;
        w->counts.stream_records_known += w->file_ddb_known;
        w->counts.stream_violations += w->file_ddb_violations;
        w->file_ddb_new = w->file_ddb_known = w->file_ddb_violations = 0;
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
    metric_event me = {.ts_ms = e->ts_ms,
                       .event_key = e->event_key,
                       .log_stream = e->log_stream,
                       .request_id = e->request_id,
                       .points = w->points,
                       .n_points = e->n_points};
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
        snprintf(w->file, sizeof w->file, "%s", m->u.begin.path ? m->u.begin.path : "");
        return store_file_begin(w->st, m->u.begin.path, m->u.begin.run, m->u.begin.size_hint,
                                err);
    case M_INVOCATION:
        return apply_invocation(w, m, err);
    case M_ANNOTATION:
        if (store_annotation(w->st, &m->u.ann, &matched, err) < 0)
            return -1;
        w->file_orphans += !matched;
        return 0;
    case M_ENVIRONMENT: {
        environment *e = &m->u.env.env;
        mrb_slice stream = e->log_stream.n ? e->log_stream : (mrb_slice){NULL, 0};
        stream_count *c = stream_counter(w, e->function, stream);
        e->invocations = c->invocations;
        e->cold_starts = c->cold_starts;
        return store_environment(w->st, e, m->u.env.runtime, err);
    }
    case M_PROBLEM:
        return store_problem(w->st, m->u.problem.line, m->u.problem.offset, m->u.problem.text,
                             err);
    case M_FUNCTION:
        if (m->u.function.relabel)
            series_forget(w, 0); /* their runtime changes in the store */
        return store_function(w->st, &m->u.function.fi, m->u.function.relabel, err);
    case M_METRIC_EVENT:
        return apply_metric_event(w, &m->u.event, err);
    case M_METRIC_DEF:
        return store_metric_definition(w->st, &m->u.definition, err);
    case M_METRIC_REJECT:
        return store_metric_reject(w->st, m->u.reject.reason, m->u.reject.documents, err);
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
        return store_log_level(w->st, m->u.level.function, m->u.level.level, m->u.level.lines,
                               err);
    case M_LOG_VOLUME:
        return store_log_volume(w->st, m->u.volume.function, &m->u.volume.v, err);
    case M_DDB_RECORD:
    case M_DDB_VIOLATION:
    case M_DDB_NUMBER:
    case M_APP_IDS:
    case M_DDB_FILE:
        return apply_ddb(w, m, err);
    case M_APIGW:
        return store_apigw(w->st, &m->u.apigw, err);
    case M_KIND_COUNT:
        break;
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
                if (!err.source[0] && w->file[0]) /* the database failed writing this file */
                    mrb_err_source(&err, w->file);
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
    m->u.begin = (begin_msg){.path = path, .run = run_label, .size_hint = size_hint};
    own(m, 0);
    return publish(w);
}

int writer_invocation(writer *w, const invocation *inv, const char *runtime, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_INVOCATION;
    m->u.inv = (invocation_msg){.inv = *inv, .runtime = runtime};
    own(m, 0);
    return publish(w);
}

int writer_annotation(writer *w, const annotation *a, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_ANNOTATION;
    m->u.ann = *a;
    own(m, 0);
    return publish(w);
}

int writer_environment(writer *w, const environment *env, const char *runtime, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_ENVIRONMENT;
    m->u.env = (environment_msg){.env = *env, .runtime = runtime};
    own(m, 0);
    return publish(w);
}

int writer_problem(writer *w, long long line, long long offset, const char *text, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_PROBLEM;
    m->u.problem = (problem_msg){.line = line, .offset = offset, .text = text};
    own(m, 0);
    return publish(w);
}

int writer_function(writer *w, const function_info *fi, int relabel, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_FUNCTION;
    m->u.function = (function_msg){.fi = *fi, .relabel = relabel};
    own(m, 0);
    return publish(w);
}

int writer_log_volume(writer *w, const char *function, const store_volume *v, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_LOG_VOLUME;
    m->u.volume = (volume_msg){.function = function, .v = *v};
    own(m, 0);
    return publish(w);
}

int writer_log_level(writer *w, const char *function, const char *level, long long lines,
                     mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_LOG_LEVEL;
    m->u.level = (level_msg){.function = function, .level = level, .lines = lines};
    own(m, 0);
    return publish(w);
}

int writer_metric_event(writer *w, const writer_emf_event *e, mrb_err *err)
{
    size_t pts = (size_t)e->n_points * sizeof *e->points;
    size_t defs = (size_t)e->n_series * sizeof *e->series;
    size_t keys = 0;
    msg *m = claim(w, err);

    if (!m)
        return -1;
    for (int i = 0; i < e->n_series; i++) {
        const metric_series *k = &e->series[i].key;
        keys += need_str(k->ns) + need_str(k->metric) + need_str(k->unit) +
                need_str(k->dimensions) + need_str(k->function) + need_str(k->log_group);
    }
    m->kind = M_METRIC_EVENT;
    m->u.event = *e;
    reserve(m, pts + defs + keys + strings_need(m));
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
    m->u.event.points = p;
    m->u.event.series = d;
    strings_keep(m);
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
    m->u.definition = (definition_msg){.ns = ns,
                                       .metric = metric,
                                       .unit = unit,
                                       .dimension_sets = dimension_sets,
                                       .storage_resolution = storage_resolution,
                                       .first = first_ts_ms,
                                       .last = last_ts_ms};
    own(m, 0);
    return publish(w);
}

int writer_metric_reject(writer *w, const char *reason, long long documents, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_METRIC_REJECT;
    m->u.reject = (reject_msg){.reason = reason, .documents = documents};
    own(m, 0);
    return publish(w);
}

int writer_ddb_record(writer *w, const ddb_row *r, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_DDB_RECORD;
    m->u.record = *r;
    own(m, 0);
    return publish(w);
}

int writer_ddb_violation(writer *w, const char *image, int seq, const char *kind,
                            const char *attribute, const char *detail, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_DDB_VIOLATION;
    m->u.violation = (violation_msg){
        .image = image, .kind = kind, .attribute = attribute, .detail = detail, .seq = seq};
    own(m, 0);
    return publish(w);
}

int writer_ddb_number(writer *w, const char *image, const char *attribute, const char *text,
                         int has_value, double value, int exact, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_DDB_NUMBER;
    m->u.number = (number_msg){.image = image,
                               .attribute = attribute,
                               .text = text,
                               .has_value = has_value,
                               .exact = exact,
                               .value = value};
    own(m, 0);
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
    m->u.ids = (ids_msg){.function = function, .n = n, .first = first_ts_ms, .last = last_ts_ms};
    own(m, bytes + 1);
    m->u.ids.entries = keep(m, entries, bytes);
    return publish(w);
}

int writer_ddb_file(writer *w, long long records, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_DDB_FILE;
    m->u.records = records;
    own(m, 0);
    return publish(w);
}

static int file_end(writer *w, enum msg_kind kind, const file_stats *st, const mrb_err *why,
                    mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = kind;
    m->u.file.fs = *st;
    if (why)
        m->u.file.why = *why;
    own(m, 0);
    return publish(w);
}

int writer_file_known(writer *w, long long file_id, uint64_t content_hash, mrb_err *err)
{
    msg *m = claim(w, err);
    if (!m)
        return -1;
    m->kind = M_FILE_KNOWN;
    m->u.known = (known_msg){.file_id = file_id, .hash = content_hash};
    own(m, 0);
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
    m->kind = M_APIGW;
    m->u.apigw = *row;
    m->u.apigw.rec.why = NULL;
    own(m, 0);
    return publish(w);
}
