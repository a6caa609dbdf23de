/* rng.c — mrb-gen: the PRNG (xoshiro256** seeded through splitmix64),
 * seed mixing, hex digits and UUIDs. Never libc rand. */
#include <math.h>
#include <string.h>
#include "gen.h"
#include "mrb/hash64.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A well-mixed 64-bit value from two: derives independent seeds. */
uint64_t mix2(uint64_t a, uint64_t b)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ b;
    splitmix64(&x);
    return splitmix64(&x);
}

uint64_t hash_str(const char *s)
{
    return hash64_fnv_str(s, HASH64_FNV_BASIS);
}

void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
long rng_range(rng *r, long lo, long hi)
{
    return lo + (long)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* Standard normal (Box-Muller, one value per call). */
static double rng_normal(rng *r)
{
    double u = 1.0 - rng_unit(r);
    double v = rng_unit(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

double rng_lognormal(rng *r, double median, double sigma)
{
    return median * exp(sigma * rng_normal(r));
}

/* n lowercase hex digits and a NUL into out. */
void rng_hex(rng *r, char *out, int n)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t bits = 0;
    for (int i = 0; i < n; i++) {
        if (i % 16 == 0)
            bits = rng_next(r);
        out[i] = hex[bits & 15];
        bits >>= 4;
    }
    out[n] = '\0';
}

/* A version 4 UUID (36 chars and a NUL). */
void rng_uuid(rng *r, char out[37])
{
    char h[33];
    rng_hex(r, h, 32);
    h[12] = '4';
    h[16] = "89ab"[rng_next(r) & 3];
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}
