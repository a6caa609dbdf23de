/* hash64.h — a fast 64-bit hash of bytes (MurmurHash64A's structure).
 *
 * Eight bytes per step, so that hashing a whole EMF document per event
 * (the event key) or a series key per value costs little next to parsing.
 * Not cryptographic. The result depends only on the bytes and the seed
 * (bytes are read as little-endian words whatever the machine): event keys
 * stored in the database are such hashes, so it must never change. Chain
 * calls through the seed to hash several pieces. */
#ifndef MRB_HASH64_H
#define MRB_HASH64_H

#include <stddef.h>
#include <stdint.h>

/* Compilers turn this into one load on little-endian machines. */
static inline uint64_t hash64_le(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t hash64(const void *data, size_t n, uint64_t seed)
{
    const uint64_t m = 0xc6a4a7935bd1e995ULL;
    const unsigned char *p = data;
    uint64_t h = seed ^ (n * m);

    for (; n >= 8; n -= 8, p += 8) {
        uint64_t k = hash64_le(p);
        k *= m;
        k ^= k >> 47;
        k *= m;
        h ^= k;
        h *= m;
    }
    if (n) {
        uint64_t k = 0;
        for (size_t i = 0; i < n; i++)
            k |= (uint64_t)p[i] << (8 * i);
        h ^= k;
        h *= m;
    }
    h ^= h >> 47;
    h *= m;
    h ^= h >> 47;
    return h;
}

/* The same mixing over a stream of bytes given in pieces of any size: the
 * result depends only on the bytes (not on how they were cut) and the seed.
 * It is not hash64() of the whole: the length is mixed in at the end. Used
 * for the content of input files (files.content_hash): it must never
 * change either. */
typedef struct hash64_stream {
    uint64_t h, total;
    unsigned char tail[8];
    size_t n_tail;
} hash64_stream;

static inline void hash64_stream_init(hash64_stream *s, uint64_t seed)
{
    s->h = seed;
    s->total = 0;
    s->n_tail = 0;
}

static inline void hash64_stream_word(hash64_stream *s, uint64_t k)
{
    const uint64_t m = 0xc6a4a7935bd1e995ULL;
    k *= m;
    k ^= k >> 47;
    k *= m;
    s->h ^= k;
    s->h *= m;
}

static inline void hash64_stream_add(hash64_stream *s, const void *data, size_t n)
{
    const unsigned char *p = data;

    s->total += n;
    while (s->n_tail && n) {
        s->tail[s->n_tail++] = *p++;
        n--;
        if (s->n_tail == 8) {
            hash64_stream_word(s, hash64_le(s->tail));
            s->n_tail = 0;
        }
    }
    for (; n >= 8; n -= 8, p += 8)
        hash64_stream_word(s, hash64_le(p));
    for (; n; n--)
        s->tail[s->n_tail++] = *p++;
}

static inline uint64_t hash64_stream_end(const hash64_stream *s)
{
    const uint64_t m = 0xc6a4a7935bd1e995ULL;
    uint64_t h = s->h, k = 0;

    for (size_t i = 0; i < s->n_tail; i++)
        k |= (uint64_t)s->tail[i] << (8 * i);
    h ^= k ^ (s->total * m);
    h *= m;
    h ^= h >> 47;
    h *= m;
    h ^= h >> 47;
    return h;
}

#endif
