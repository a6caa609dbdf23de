/* gzbytes.h — growable byte buffers and gzip members for the unit tests.
 *
 * Header-only (static functions), included after <cmocka.h> by the tests
 * that build gzip input in memory (test_source.c, test_reader.c). */
#ifndef MRB_TEST_GZBYTES_H
#define MRB_TEST_GZBYTES_H

#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST
#include <zlib.h>

typedef struct bytes {
    unsigned char *p;
    size_t n;
    size_t cap; /* doubles, so that building megabytes stays linear */
} bytes;

static void bytes_add(bytes *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        assert_non_null(q);
        b->p = q;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void bytes_free(bytes *b)
{
    free(b->p);
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
}

/* One gzip member holding data[0..n), appended to out. */
static void gz_add(bytes *out, const void *data, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t bound = deflateBound(&zs, (uLong)n) + 64;
    unsigned char *buf = malloc(bound);
    assert_non_null(buf);
    zs.next_in = data;
    zs.avail_in = (uInt)n;
    zs.next_out = buf;
    zs.avail_out = (uInt)bound;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    bytes_add(out, buf, zs.total_out);
    deflateEnd(&zs);
    free(buf);
}

#endif
