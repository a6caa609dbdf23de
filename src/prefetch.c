/* prefetch.c — files decoded one step ahead on a worker thread (see prefetch.h).
 *
 * A ring of chunks between one producer (the worker) and one consumer. Each
 * chunk is a piece of a file's decoded bytes, or the end of a file with its
 * totals, or an error. The consumer's source reads through a feed that pops
 * chunks; finishing a file drains it to its end marker. A file the consumer
 * finishes before its end (rejected) is not decoded further: the worker
 * only reads its raw bytes for the totals (a gzip bomb is not inflated). A
 * file the caller's `wanted` turns down (a known file) is not decoded at
 * all: its place in the ring is one CH_PASSED marker. */
#include "mrb/prefetch.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

enum chunk_kind { CH_DATA, CH_END, CH_ERROR, CH_PASSED };

typedef struct chunk {
    enum chunk_kind kind;
    char *data;       /* PREFETCH_CHUNK bytes */
    size_t len, pos;  /* CH_DATA: bytes held, bytes consumed */
    long long raw_bytes; /* CH_END / CH_ERROR: the file's totals */
    uint32_t crc;
    uint64_t hash;
    int gzip, members;
    mrb_err err;      /* CH_ERROR */
} chunk;

struct prefetch {
    char *const *paths;
    size_t n;
    prefetch_wanted wanted; /* worker side only */
    void *wanted_arg;
    pthread_t thread;
    int started;         /* thread runs (joined by prefetch_stop, even for no files) */
    pthread_mutex_t mu;
    pthread_cond_t not_full, not_empty;
    chunk ring[PREFETCH_CHUNKS];
    size_t head, count;  /* consumer takes ring[head]; count chunks are full */
    int stop;            /* consumer asks the worker to quit */
    size_t next;         /* next file the consumer will take */
    size_t abandoned;    /* 1 + the index of a file the consumer finished early, or 0 */
    source *current;     /* the consumer's source of the current file */
    int current_done;    /* its end marker was taken */
    int current_failed;  /* that marker was an error: later reads fail the same way */
    mrb_err current_err;
};

/* ---- worker side ---- */

/* Waits for a free chunk; NULL when asked to stop. *abandoned is set when
 * the consumer no longer wants file index. */
static chunk *claim(prefetch *p, size_t index, int *abandoned)
{
    chunk *c = NULL;

    pthread_mutex_lock(&p->mu);
    *abandoned = p->abandoned == index + 1;
    if (p->count == PREFETCH_CHUNKS)
        while (p->count > PREFETCH_CHUNKS / 2 && !p->stop)
            pthread_cond_wait(&p->not_full, &p->mu);
    if (!p->stop)
        c = &p->ring[(p->head + p->count) % PREFETCH_CHUNKS];
    pthread_mutex_unlock(&p->mu);
    return c;
}

static void publish(prefetch *p)
{
    pthread_mutex_lock(&p->mu);
    p->count++;
    pthread_cond_signal(&p->not_empty);
    pthread_mutex_unlock(&p->mu);
}

static void set_totals(chunk *c, source *s)
{
    c->raw_bytes = source_raw_bytes(s);
    c->crc = source_raw_crc32(s);
    c->hash = source_raw_hash(s);
    c->gzip = source_is_gzip(s);
    c->members = source_members(s);
}

/* A file not decoded: an end marker without totals. -1 when asked to stop. */
static int pass_file(prefetch *p, size_t index)
{
    int abandoned;
    chunk *c = claim(p, index, &abandoned);

    if (!c)
        return -1;
    c->kind = CH_PASSED;
    c->raw_bytes = 0;
    c->crc = 0;
    c->hash = 0;
    c->gzip = c->members = 0;
    mrb_err_clear(&c->err);
    publish(p);
    return 0;
}

/* Decodes one file into chunks. Returns -1 when asked to stop. */
static int feed_file(prefetch *p, size_t index)
{
    const char *path = p->paths[index];
    mrb_err err;
    chunk *c;
    int abandoned;

    mrb_err_clear(&err);
    mrb_err_source(&err, path);
    source *s = source_open(path, &err);
    for (;;) {
        if (!(c = claim(p, index, &abandoned))) {
            source_close(s);
            return -1;
        }
        long got = !s ? -1 : abandoned ? 0 : source_read(s, c->data, PREFETCH_CHUNK, &err);
        if (got > 0) {
            c->kind = CH_DATA;
            c->len = (size_t)got;
            c->pos = 0;
            publish(p);
            continue;
        }
        c->kind = got == 0 ? CH_END : CH_ERROR;
        c->err = err;
        c->raw_bytes = 0;
        c->crc = 0;
        c->hash = 0;
        c->gzip = c->members = 0;
        if (s) {
            source_finish(s);
            set_totals(c, s);
        }
        publish(p);
        source_close(s);
        return 0;
    }
}

static void *worker(void *arg)
{
    prefetch *p = arg;

    for (size_t i = 0; i < p->n; i++) {
        int wanted = !p->wanted || p->wanted(p->wanted_arg, p->paths[i]);
        if ((wanted ? feed_file(p, i) : pass_file(p, i)) < 0)
            break;
    }
    return NULL;
}

/* ---- consumer side ---- */

static chunk *front(prefetch *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->count == 0)
        pthread_cond_wait(&p->not_empty, &p->mu);
    chunk *c = &p->ring[p->head];
    pthread_mutex_unlock(&p->mu);
    return c;
}

/* Wakes the worker only once half the ring is free: waking it for every
 * chunk costs two context switches per chunk. */
static void pop(prefetch *p)
{
    pthread_mutex_lock(&p->mu);
    p->head = (p->head + 1) % PREFETCH_CHUNKS;
    p->count--;
    if (p->count <= PREFETCH_CHUNKS / 2)
        pthread_cond_signal(&p->not_full);
    pthread_mutex_unlock(&p->mu);
}

/* Takes an end or error marker: the file's totals go to its source. */
static void take_end(prefetch *p, chunk *c, source *s)
{
    source_set_totals(s, c->raw_bytes, c->crc, c->gzip, c->members);
    source_set_hash(s, c->hash);
    p->current_done = 1;
    pop(p);
}

/* Fills err (when not NULL) with a file's error, keeping err's source. */
static void give_err(mrb_err *err, const mrb_err *e)
{
    if (err) {
        char source_name[sizeof err->source];
        memcpy(source_name, err->source, sizeof source_name);
        *err = *e;
        memcpy(err->source, source_name, sizeof source_name);
    }
}

static long feed_read(void *arg, void *buf, size_t n, mrb_err *err)
{
    prefetch *p = arg;

    if (p->current_done) {
        if (p->current_failed)
            give_err(err, &p->current_err);
        return p->current_failed ? -1 : 0;
    }
    chunk *c = front(p);
    if (c->kind == CH_DATA) {
        size_t k = c->len - c->pos < n ? c->len - c->pos : n;
        memcpy(buf, c->data + c->pos, k);
        c->pos += k;
        if (c->pos == c->len)
            pop(p);
        return (long)k;
    }
    p->current_failed = c->kind == CH_ERROR;
    if (p->current_failed) {
        p->current_err = c->err;
        give_err(err, &c->err);
    }
    long rc = c->kind == CH_ERROR ? -1 : 0;
    take_end(p, c, p->current);
    return rc;
}

static void feed_finish(void *arg, source *s)
{
    prefetch *p = arg;

    pthread_mutex_lock(&p->mu);
    p->abandoned = p->next; /* 1 + the current file's index */
    pthread_mutex_unlock(&p->mu);
    while (!p->current_done) {
        chunk *c = front(p);
        if (c->kind == CH_DATA)
            pop(p);
        else
            take_end(p, c, s);
    }
}

prefetch *prefetch_start(char *const *paths, size_t n, prefetch_wanted wanted, void *arg,
                         mrb_err *err)
{
    prefetch *p = xcalloc(1, sizeof *p);

    p->paths = paths;
    p->n = n;
    p->wanted = wanted;
    p->wanted_arg = arg;
    for (int i = 0; i < PREFETCH_CHUNKS; i++)
        p->ring[i].data = xmalloc(PREFETCH_CHUNK);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->not_full, NULL);
    pthread_cond_init(&p->not_empty, NULL);
    if (pthread_create(&p->thread, NULL, worker, p) != 0) {
        mrb_err_set(err, 0, -1, "cannot start the decompression thread");
        prefetch_stop(p);
        return NULL;
    }
    p->started = 1;
    p->next = 0;
    p->current_done = 1;
    return p;
}

source *prefetch_next(prefetch *p)
{
    source_feed feed = {feed_read, feed_finish, p};

    if (p->current) {
        source_finish(p->current);
        source_close(p->current);
        p->current = NULL;
    }
    if (p->next >= p->n)
        return NULL;
    p->next++;
    p->current_done = 0;
    p->current_failed = 0;
    p->current = source_open_feed(&feed);
    return p->current;
}

int prefetch_passed(prefetch *p)
{
    return !p->current_done && front(p)->kind == CH_PASSED;
}

void prefetch_stop(prefetch *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->not_full);
    pthread_mutex_unlock(&p->mu);
    if (p->started)
        pthread_join(p->thread, NULL);
    source_close(p->current);
    pthread_cond_destroy(&p->not_full);
    pthread_cond_destroy(&p->not_empty);
    pthread_mutex_destroy(&p->mu);
    for (int i = 0; i < PREFETCH_CHUNKS; i++)
        free(p->ring[i].data);
    free(p);
}
