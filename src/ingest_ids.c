/* ingest_ids.c — the ids application lines name (see ingest_ids.h). */
#include "mrb/ingest_ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mrb/store.h"
#include "mrb/xalloc.h"

#define NAME_MAX_BYTES 512  /* longest function name kept (AWS allows 64) */
#define APP_IDS_FLUSH 65536 /* entries kept per function before they are written */

/* One id as the store keeps it (STORE_APP_ID_BYTES). */
typedef struct app_id {
    unsigned char b[STORE_APP_ID_BYTES];
} app_id;
_Static_assert(sizeof(app_id) == STORE_APP_ID_BYTES, "ids are written back to back");

/* The ids the application lines of one function named in the current file. */
typedef struct id_set {
    char function[NAME_MAX_BYTES + 1];
    app_id *buf; /* n entries */
    size_t n, cap;
    int64_t first, last;
} id_set;

struct ingest_ids {
    id_set *sets; /* per function */
    size_t n, cap;
};

ingest_ids *ingest_ids_new(void) { return xcalloc(1, sizeof(ingest_ids)); }

void ingest_ids_free(ingest_ids *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->sets[i].buf);
    free(d->sets);
    free(d);
}

/* Writes a function's ids gathered so far as one row. */
static int flush_set(id_set *a, writer *wr, mrb_err *err)
{
    if (a->n && writer_app_ids(wr, a->function, a->first, a->last, (long long)a->n, a->buf, err) < 0)
        return -1;
    a->n = 0;
    return 0;
}

int ingest_ids_flush(ingest_ids *d, writer *wr, mrb_err *err)
{
    for (size_t i = 0; i < d->n; i++)
        if (flush_set(&d->sets[i], wr, err) < 0)
            return -1;
    return 0;
}

void ingest_ids_forget(ingest_ids *d)
{
    for (size_t i = 0; i < d->n; i++)
        d->sets[i].n = 0;
}

static id_set *set_of(ingest_ids *d, const char *function)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->sets[i].function, function))
            return &d->sets[i];
    XGROW(d->sets, d->n, d->cap, 4);
    id_set *a = &d->sets[d->n++];
    memset(a, 0, sizeof *a);
    snprintf(a->function, sizeof a->function, "%s", function);
    return a;
}

static int hex_nibble(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Appends id (a UUID's 36 characters) seen at ts_ms to a. */
static void add(id_set *a, mrb_slice id, int64_t ts_ms)
{
    XGROW(a->buf, a->n, a->cap, 64);
    unsigned char *e = a->buf[a->n].b;
    for (size_t i = 0, k = 0; i < 36; i++)
        if (id.p[i] != '-') {
            e[k++] = (unsigned char)(hex_nibble(id.p[i]) << 4 | hex_nibble(id.p[i + 1]));
            i++;
        }
    for (int b = 0; b < 8; b++)
        e[16 + b] = (unsigned char)((uint64_t)ts_ms >> (56 - 8 * b));
    if (a->n == 0 || ts_ms < a->first)
        a->first = ts_ms;
    if (a->n == 0 || ts_ms > a->last)
        a->last = ts_ms;
    a->n++;
}

int ingest_ids_note(ingest_ids *d, writer *wr, const log_event *ev, const applog_line *line,
                    const char *function, mrb_err *err)
{
    size_t pos = 0;
    mrb_slice id;
    id_set *a = NULL;

    if (ev->ts_ms == EVENT_TS_NONE)
        return 0; /* attribution by ids matches times: an untimed id says nothing */
    while (applog_next_uuid(ev->msg, ev->msg_len, &pos, &id)) {
        if (line->request_id.p && line->request_id.n == id.n &&
            !strncasecmp(line->request_id.p, id.p, id.n))
            continue;
        if (!a)
            a = set_of(d, function);
        if (a->n == APP_IDS_FLUSH && flush_set(a, wr, err) < 0)
            return -1;
        add(a, id, ev->ts_ms);
    }
    return 0;
}
