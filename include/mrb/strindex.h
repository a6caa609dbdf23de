/* strindex.h — strings to positions, by hash.
 *
 * An owner that keeps strings in an array of its own (names of streams,
 * say) finds the position of one in constant time instead of comparing it
 * with every element. The index borrows the keys: each must stay valid, and
 * unchanged, while it is in the index (until strindex_clear).
 *
 * Ownership: the index owns its table only; strindex_release frees it. */
#ifndef MRB_STRINDEX_H
#define MRB_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

typedef struct strindex_slot {
    uint64_t hash; /* 0: empty */
    const char *key;
    size_t pos;
} strindex_slot;

typedef struct strindex {
    strindex_slot *slot;
    size_t cap, n; /* cap: a power of two, or 0; n < cap * 3 / 4 */
} strindex;

#define STRINDEX_INIT {NULL, 0, 0}

/* The position stored for key, or absent. */
size_t strindex_get(const strindex *x, const char *key, size_t absent);

/* Stores pos for key (replacing the position of an equal key). */
void strindex_put(strindex *x, const char *key, size_t pos);

/* Empties the index, keeping its table. */
void strindex_clear(strindex *x);

void strindex_release(strindex *x);

#endif
