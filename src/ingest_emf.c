/* ingest_emf.c — EMF documents of log events on their way to the store
 * (see ingest_emf.h). */
#include "mrb/ingest_emf.h"

#include <stdlib.h>
#include <string.h>

#include "mrb/hash64.h"
#include "mrb/sb.h"
#include "mrb/timeparse.h"
#include "mrb/xalloc.h"

#define DEF_BUCKETS 256         /* metric definitions of a file: hash buckets */
#define SERIES_BUCKETS 1024     /* metric series: hash buckets */
#define SERIES_BYTES (16 << 20) /* keys kept before numbering starts afresh */

/* A metric series numbered for the writer: its key is the resolution, then
 * namespace, metric, unit, dimensions, function and log group (or "-" when
 * none: "g" prefixes one), each NUL-ended. */
typedef struct series_num {
    struct series_num *next;
    uint64_t hash;
    int number;
    size_t n;
    char key[];
} series_num;

/* A metric definition seen in the current file, written at its end. */
typedef struct def_entry {
    struct def_entry *next;
    int storage_resolution;
    int64_t first, last;
    size_t n;   /* bytes of key */
    char key[]; /* namespace '\0' dimension sets '\0' metric '\0' unit '\0' */
} def_entry;

struct ingest_emf {
    def_entry *defs[DEF_BUCKETS];           /* metric definitions of the current file */
    long long rejects[EMF_REASON_COUNT];    /* per reason, in the current file */
    series_num *series[SERIES_BUCKETS];     /* numbered for the writer */
    int n_series;                           /* numbers given since the last reset */
    size_t series_bytes;                    /* their keys' size */
    int series_reset;                       /* the next event tells the writer to start afresh */
    sb series_key;                          /* scratch */
    /* the values of the event being read, sent as one message */
    writer_point *pts;
    int n_pts, cap_pts;
    writer_series *new_series; /* numbers the event uses first */
    int n_new, cap_new;
};

/* The state of one event's extraction. */
typedef struct emf_event {
    ingest_emf *m;
    const log_event *ev;
    const emf_owner *owner;
    int64_t written_ms;
    mrb_err *err;
    const char *function; /* resolved at the first value */
    const char *runtime;
    int64_t key;
    int64_t ts_ms;          /* the document's, from its first value */
    const char *request_id; /* NULL, or rid */
    char rid[256];
    /* the current directive's part of series and definition keys */
    int directive; /* its index, -1 before the first */
    size_t series_plen, def_plen;
    uint64_t series_ph, def_ph;
    int bad_time; /* _aws.Timestamp is implausible: the document is skipped */
} emf_event;

ingest_emf *ingest_emf_new(void)
{
    ingest_emf *m = xcalloc(1, sizeof *m);
    sb_init(&m->series_key);
    return m;
}

void ingest_emf_forget_file(ingest_emf *m)
{
    for (int i = 0; i < DEF_BUCKETS; i++) {
        def_entry *d = m->defs[i], *next;
        for (; d; d = next) {
            next = d->next;
            free(d);
        }
        m->defs[i] = NULL;
    }
    memset(m->rejects, 0, sizeof m->rejects);
}

static void forget_series(ingest_emf *m)
{
    for (int i = 0; i < SERIES_BUCKETS; i++) {
        series_num *e = m->series[i], *next;
        for (; e; e = next) {
            next = e->next;
            free(e);
        }
        m->series[i] = NULL;
    }
    m->n_series = 0;
    m->series_bytes = 0;
}

void ingest_emf_free(ingest_emf *m)
{
    if (!m)
        return;
    ingest_emf_forget_file(m);
    forget_series(m);
    free(m->pts);
    free(m->new_series);
    sb_release(&m->series_key);
    free(m);
}

const long long *ingest_emf_rejects(const ingest_emf *m) { return m->rejects; }

/* The event's identity among the documents of its log stream: a hash of
 * the stream and of the document's text (without surrounding space). */
static int64_t event_key(const log_event *ev, size_t offset)
{
    const char *s = ev->msg + offset;
    size_t n = ev->msg_len - offset;

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n > 0 && (s[0] == '\n' || s[0] == '\r' || s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    uint64_t h = hash64(ev->log_stream ? ev->log_stream : "",
                        ev->log_stream ? strlen(ev->log_stream) : 0, 0xe7e27);
    return (int64_t)hash64(s, n, h);
}

/* Notes a definition (namespace, metric, unit, resolution, dimension sets)
 * seen at ts; the file's distinct definitions are written at its end. The
 * key is the directive's part (namespace, sets: prefix[0..plen), hashed
 * into ph) and the metric's (metric, unit), each NUL-ended. */
static void note_definition(ingest_emf *m, const char *prefix, size_t plen, uint64_t ph,
                            const emf_value *v)
{
    size_t b = strlen(v->metric) + 1, c = strlen(v->unit) + 1, n = plen + b + c;
    char suffix[2 * 1026];

    memcpy(suffix, v->metric, b); /* names are at most 1024 bytes */
    memcpy(suffix + b, v->unit, c);
    uint64_t h = hash64(suffix, b + c, ph) % DEF_BUCKETS;
    def_entry *e = m->defs[h];
    while (e && !(e->n == n && e->storage_resolution == v->storage_resolution &&
                  !memcmp(e->key, prefix, plen) && !memcmp(e->key + plen, suffix, b + c)))
        e = e->next;
    if (!e) {
        e = xmalloc(sizeof *e + n);
        e->next = m->defs[h];
        e->storage_resolution = v->storage_resolution;
        e->first = e->last = v->ts_ms;
        e->n = n;
        memcpy(e->key, prefix, plen);
        memcpy(e->key + plen, suffix, b + c);
        m->defs[h] = e;
    }
    if (v->ts_ms < e->first)
        e->first = v->ts_ms;
    if (v->ts_ms > e->last)
        e->last = v->ts_ms;
}

int ingest_emf_settle(ingest_emf *m, writer *wr, mrb_err *err)
{
    for (int i = 0; i < DEF_BUCKETS; i++)
        for (def_entry *d = m->defs[i]; d; d = d->next) {
            const char *ns = d->key, *sets = ns + strlen(ns) + 1,
                       *metric = sets + strlen(sets) + 1, *unit = metric + strlen(metric) + 1;
            if (writer_metric_definition(wr, ns, metric, unit, d->storage_resolution, sets,
                                         d->first, d->last, err) < 0)
                return -1;
        }
    for (int r = 1; r < EMF_REASON_COUNT; r++)
        if (m->rejects[r] &&
            writer_metric_reject(wr, emf_reason_name((enum emf_reason)r), m->rejects[r], err) < 0)
            return -1;
    ingest_emf_forget_file(m);
    return 0;
}

/* Starts the keys of the directive of v: in m->series_key, the series
 * part (namespace, dimensions, function, log group: "g" prefixes one, "-"
 * stands for none), then the definition part (namespace, dimension sets),
 * each NUL-ended, and their hashes. */
static void directive_keys(emf_event *e, const emf_value *v)
{
    const char *lg = e->ev->log_group;
    sb *k = &e->m->series_key;

    sb_reset(k);
    sb_add(k, v->ns, strlen(v->ns) + 1);
    sb_add(k, v->dimensions, strlen(v->dimensions) + 1);
    sb_add(k, e->function, strlen(e->function) + 1);
    sb_addc(k, lg ? 'g' : '-');
    if (lg)
        sb_add(k, lg, strlen(lg));
    sb_addc(k, '\0');
    e->series_plen = k->len;
    sb_add(k, v->ns, strlen(v->ns) + 1);
    sb_add(k, v->dimension_sets, strlen(v->dimension_sets) + 1);
    e->def_plen = k->len - e->series_plen;
    e->series_ph = hash64(k->buf, e->series_plen, 0x5e51e5);
    e->def_ph = hash64(k->buf + e->series_plen, e->def_plen, 0xdef);
    e->directive = v->directive;
}

/* The series a new number names, for the writer: its strings point into
 * the number's key, which lives until the event is sent. */
static void announce(ingest_emf *m, const series_num *s)
{
    const char *at = s->key;

    XGROW(m->new_series, m->n_new, m->cap_new, 16);
    writer_series *ws = &m->new_series[m->n_new++];
    ws->number = s->number;
    ws->key.ns = at;
    at += strlen(at) + 1;
    ws->key.dimensions = at;
    at += strlen(at) + 1;
    ws->key.function = at;
    at += strlen(at) + 1;
    ws->key.log_group = *at == 'g' ? at + 1 : NULL;
    at += strlen(at) + 1;
    ws->key.storage_resolution = (unsigned char)*at++;
    ws->key.metric = at;
    at += strlen(at) + 1;
    ws->key.unit = at;
}

/* The number of v's series: its key is the directive's part, then the
 * resolution (a byte: 1 or 60), metric and unit. A number is given the
 * first time; the event then carries the series to the writer. */
static int series_number(ingest_emf *m, const emf_event *e, const emf_value *v)
{
    const char *prefix = m->series_key.buf;
    size_t plen = e->series_plen, b = strlen(v->metric) + 1, c = strlen(v->unit) + 1;
    size_t sl = 1 + b + c, n = plen + sl;
    char suffix[1 + 2 * 1026];

    suffix[0] = (char)v->storage_resolution;
    memcpy(suffix + 1, v->metric, b); /* names are at most 1024 bytes */
    memcpy(suffix + 1 + b, v->unit, c);
    uint64_t h = hash64(suffix, sl, e->series_ph);
    series_num **bucket = &m->series[h % SERIES_BUCKETS];
    for (series_num *s = *bucket; s; s = s->next)
        if (s->hash == h && s->n == n && !memcmp(s->key + plen, suffix, sl) &&
            !memcmp(s->key, prefix, plen))
            return s->number;
    series_num *s = xmalloc(sizeof *s + n);
    s->hash = h;
    s->number = ++m->n_series;
    s->n = n;
    memcpy(s->key, prefix, plen);
    memcpy(s->key + plen, suffix, sl);
    s->next = *bucket;
    *bucket = s;
    m->series_bytes += n;
    announce(m, s);
    return s->number;
}

/* The document's first value: its time, key, request id and owner. */
static int first_value(emf_event *e, const emf_value *v)
{
    e->ts_ms = v->ts_ms;
    if (!time_plausible(v->ts_ms, e->written_ms)) {
        e->bad_time = 1;
        return -1;
    }
    e->key = event_key(e->ev, v->offset);
    if (v->request_id) {
        size_t n = strlen(v->request_id); /* shorter than 256 (emf.h) */
        memcpy(e->rid, v->request_id, n < sizeof e->rid ? n + 1 : sizeof e->rid);
        e->rid[sizeof e->rid - 1] = '\0';
        e->request_id = e->rid;
    }
    return e->owner->resolve(e->owner->arg, e->ev, v->function_name, &e->function, &e->runtime,
                             e->err);
}

static int on_value(void *arg, const emf_value *v)
{
    emf_event *e = arg;
    ingest_emf *m = e->m;

    if (!e->function && first_value(e, v) < 0)
        return -1;
    if (v->directive != e->directive)
        directive_keys(e, v);
    XGROW(m->pts, m->n_pts, m->cap_pts, 64);
    writer_point *p = &m->pts[m->n_pts];
    if (v->value_index > 0) { /* the values of an array share their series */
        p->series = p[-1].series;
    } else {
        note_definition(m, m->series_key.buf + e->series_plen, e->def_plen, e->def_ph, v);
        p->series = series_number(m, e, v);
    }
    p->value = v->value;
    p->value_index = v->value_index;
    m->n_pts++;
    return 0;
}

/* Sends the values gathered by on_value as one event. */
static int send_event(ingest_emf *m, const emf_event *e, writer *wr, mrb_err *err)
{
    writer_emf_event we = {
        .ts_ms = e->ts_ms,
        .event_key = e->key,
        .log_stream = e->ev->log_stream,
        .request_id = e->request_id,
        .runtime = e->runtime,
        .points = m->pts,
        .n_points = m->n_pts,
        .series = m->new_series,
        .n_series = m->n_new,
        .reset = m->series_reset,
    };

    m->series_reset = 0;
    return writer_metric_event(wr, &we, err);
}

int ingest_emf_take(ingest_emf *m, writer *wr, const log_event *ev, int64_t written_ms,
                    const emf_owner *owner, emf_outcome *out, mrb_err *err)
{
    emf_event e = {.m = m, .ev = ev, .owner = owner, .written_ms = written_ms, .err = err,
                   .directive = -1};
    emf_result *res = &out->res;

    memset(out, 0, sizeof *out);
    m->n_pts = m->n_new = 0;
    if (m->n_series >= WRITER_MAX_SERIES || m->series_bytes > SERIES_BYTES) {
        forget_series(m); /* dimensions of unbounded cardinality: memory stays bounded */
        m->series_reset = 1;
    }
    if (emf_extract(ev->msg, ev->msg_len, on_value, &e, res) < 0) {
        m->n_pts = m->n_new = 0;
        if (!e.bad_time)
            return -1;
        out->kind = EMF_BAD_TIME;
        out->ts_ms = e.ts_ms;
        return 0;
    }
    if (!res->is_emf)
        return 0;
    out->insights = res->insights;
    if (res->reason != EMF_OK) {
        m->rejects[res->reason]++;
        out->kind = EMF_REJECTED;
        return 0;
    }
    out->kind = EMF_STORED;
    return m->n_pts > 0 ? send_event(m, &e, wr, err) : 0;
}
