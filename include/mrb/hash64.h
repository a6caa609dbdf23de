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

#endif
