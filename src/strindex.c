/* strindex.c — strings to positions, by hash (see strindex.h). Open
 * addressing with linear probing; the table doubles at three quarters. */
#include "mrb/strindex.h"

#include <stdlib.h>
#include <string.h>

#include "mrb/hash64.h"
#include "mrb/xalloc.h"

static uint64_t key_hash(const char *key)
{
    uint64_t h = hash64(key, strlen(key), 0x5bd1e995u);

    return h ? h : 1;
}

/* The slot of key: its own, or the empty one where it would go. */
static strindex_slot *find(const strindex *x, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (x->cap - 1);

    while (x->slot[i].hash && (x->slot[i].hash != h || strcmp(x->slot[i].key, key) != 0))
        i = (i + 1) & (x->cap - 1);
    return &x->slot[i];
}

static void grow(strindex *x)
{
    strindex old = *x;

    x->cap = old.cap ? 2 * old.cap : 16;
    x->slot = xcalloc(x->cap, sizeof *x->slot);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slot[i].hash)
            *find(x, old.slot[i].key, old.slot[i].hash) = old.slot[i];
    free(old.slot);
}

size_t strindex_get(const strindex *x, const char *key, size_t absent)
{
    if (x->n == 0)
        return absent;
    const strindex_slot *s = find(x, key, key_hash(key));
    return s->hash ? s->pos : absent;
}

void strindex_put(strindex *x, const char *key, size_t pos)
{
    uint64_t h = key_hash(key);

    if ((x->n + 1) * 4 > x->cap * 3)
        grow(x);
    strindex_slot *s = find(x, key, h);
    if (!s->hash)
        x->n++;
    *s = (strindex_slot){.hash = h, .key = key, .pos = pos};
}

void strindex_clear(strindex *x)
{
    if (x->n)
        memset(x->slot, 0, x->cap * sizeof *x->slot);
    x->n = 0;
}

void strindex_release(strindex *x)
{
    free(x->slot);
    *x = (strindex)STRINDEX_INIT;
}
