/* merge.c — mrb-gen: every slot of some functions merged by time (a
 * min-heap), for the shapes that are not written stream by stream. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

static int slot_before(const slot *x, const slot *y)
{
    return x->key != y->key ? x->key < y->key : x->ord < y->ord;
}

void heap_down(heap *h, long i)
{
    for (;;) {
        long l = 2 * i + 1, m = i;
        if (l < h->n && slot_before(h->a[l], h->a[m]))
            m = l;
        if (l + 1 < h->n && slot_before(h->a[l + 1], h->a[m]))
            m = l + 1;
        if (m == i)
            return;
        slot *t = h->a[i];
        h->a[i] = h->a[m];
        h->a[m] = t;
        i = m;
    }
}

void merge_init(merge *m, plan *plans, int n)
{
    long total = 0, ord = 0;
    for (int f = 0; f < n; f++)
        total += plans[f].n_slots;
    m->n_slots = total;
    m->slots = xcalloc((size_t)total, sizeof *m->slots);
    m->h.a = xcalloc((size_t)total, sizeof(slot *));
    m->h.n = 0;
    for (int f = 0; f < n; f++)
        for (long i = 0; i < plans[f].n_slots; i++, ord++) {
            slot *s = &m->slots[ord];
            slot_init(s, &plans[f], i, ord);
            s->key = s->ts;
            if (s->kind != EV_DONE)
                m->h.a[m->h.n++] = s;
        }
    for (long i = m->h.n / 2 - 1; i >= 0; i--)
        heap_down(&m->h, i);
}

/* The slot whose current event comes first, or NULL when all are done. */
slot *merge_top(merge *m)
{
    return m->h.n > 0 ? m->h.a[0] : NULL;
}

/* Advances the top slot to its next event and restores the order. */
void merge_pop(merge *m)
{
    slot *s = m->h.a[0];
    slot_advance(s);
    s->key = s->ts;
    if (s->kind == EV_DONE)
        m->h.a[0] = m->h.a[--m->h.n];
    heap_down(&m->h, 0);
}

void merge_free(merge *m)
{
    free(m->h.a);
    free(m->slots);
    m->h.a = NULL;
    m->slots = NULL;
}
