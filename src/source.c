/* source.c — plain or multi-member gzip byte streams (see source.h).
 *
 * Gzip is inflated in fixed buffers; at the end of each member the stream is
 * reset for the next one (Firehose objects are many members back to back).
 * Whatever follows a member must be another member: anything else is
 * reported, since it means the file is not what it seems. The inflater is
 * zlib, or ISA-L's igzip when built with MRB_ISAL (the Makefile does when
 * libisal is installed: about twice as fast); both check the CRC-32 and
 * length of every member, and the gz_* functions below are all that
 * differs. */
#include "mrb/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef MRB_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "mrb/hash64.h"
#include "mrb/walk.h"
#include "mrb/xalloc.h"

#define RAW_CHUNK (256u * 1024u)

enum mode { MODE_UNKNOWN, MODE_PLAIN, MODE_GZIP, MODE_FEED };

struct source {
    FILE *f;                  /* NULL for memory sources */
    int close_f;              /* 0 for stdin */
    const unsigned char *mem; /* memory source */
    size_t mem_n, mem_pos;
    int gzip_allowed;
    enum mode mode;
#ifdef MRB_ISAL
    struct inflate_state *zs; /* 87 KB: allocated for gzip input only, not zeroed */
#else
    z_stream zs;
#endif
    int zs_live;              /* the inflater is started */
    int in_member;            /* inside a gzip member */
    unsigned char *in;        /* raw input buffer (RAW_CHUNK) */
    size_t in_pos, in_len;
    int raw_eof;
    long long raw_bytes;
    uint32_t crc;
    hash64_stream hash;       /* of the raw bytes, as crc */
    long long out_off;        /* decoded bytes returned */
    int members;
    int failed;               /* a gzip failure is waiting in pending */
    mrb_err pending;
    source_feed feed;         /* MODE_FEED */
    int feed_gzip;            /* MODE_FEED: totals given by the feed */
    uint64_t fed_hash;
};

/* ---- the inflater: zlib or ISA-L ---- */

enum gz_rc { GZ_MORE, GZ_END, GZ_BAD, GZ_NOMEM };

#ifdef MRB_ISAL
static int gz_start(source *s)
{
    s->zs = xmalloc(sizeof *s->zs);
    isal_inflate_init(s->zs);
    s->zs->crc_flag = ISAL_GZIP; /* header, CRC-32 and length checked */
    return 0;
}

static void gz_reset(source *s)
{
    isal_inflate_reset(s->zs);
    s->zs->crc_flag = ISAL_GZIP;
}

static void gz_end(source *s) { free(s->zs); }

static void gz_out(source *s, void *buf, size_t n)
{
    s->zs->next_out = buf;
    s->zs->avail_out = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
}

static size_t gz_out_left(const source *s) { return s->zs->avail_out; }

/* Which trailer check failed, in zlib's words: the member's trailer (CRC-32,
 * length) ends where ISA-L stopped; when the CRC-32 matches, the length did
 * not. A trailer split across two reads is not in the buffer: then either. */
static const char *isal_check_failed(const source *s)
{
    const unsigned char *end = s->zs->next_in;
    uint32_t crc;

    if (end - s->in < 8)
        return "incorrect data check or length";
    crc = (uint32_t)end[-8] | (uint32_t)end[-7] << 8 | (uint32_t)end[-6] << 16 |
          (uint32_t)end[-5] << 24; /* little-endian, as gzip stores it */
    return crc == s->zs->crc ? "incorrect length check" : "incorrect data check";
}

/* Inflates s->in[in_pos..in_len) into the output; *msg says why on GZ_BAD. */
static enum gz_rc gz_step(source *s, const char **msg)
{
    s->zs->next_in = s->in + s->in_pos;
    s->zs->avail_in = (uint32_t)(s->in_len - s->in_pos);
    int rc = isal_inflate(s->zs);
    s->in_pos = s->in_len - s->zs->avail_in;
    if (rc == ISAL_DECOMP_OK || rc == ISAL_END_INPUT || rc == ISAL_OUT_OVERFLOW)
        return s->zs->block_state == ISAL_BLOCK_FINISH ? GZ_END : GZ_MORE;
    *msg = rc == ISAL_INCORRECT_CHECKSUM  ? isal_check_failed(s)
           : rc == ISAL_UNSUPPORTED_METHOD ? "unknown compression method"
           : rc == ISAL_INVALID_WRAPPER    ? "incorrect header"
           : rc == ISAL_INVALID_LOOKBACK   ? "invalid distance too far back"
                                           : "invalid deflate data";
    return GZ_BAD;
}
#else
static int gz_start(source *s) { return inflateInit2(&s->zs, 15 + 16) == Z_OK ? 0 : -1; }
static void gz_reset(source *s) { inflateReset(&s->zs); }
static void gz_end(source *s) { inflateEnd(&s->zs); }

static void gz_out(source *s, void *buf, size_t n)
{
    s->zs.next_out = buf;
    s->zs.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
}

static size_t gz_out_left(const source *s) { return s->zs.avail_out; }

static enum gz_rc gz_step(source *s, const char **msg)
{
    s->zs.next_in = s->in + s->in_pos;
    s->zs.avail_in = (uInt)(s->in_len - s->in_pos);
    int rc = inflate(&s->zs, Z_NO_FLUSH);
    s->in_pos = s->in_len - s->zs.avail_in;
    if (rc == Z_STREAM_END)
        return GZ_END;
    if (rc == Z_OK || rc == Z_BUF_ERROR)
        return GZ_MORE;
    if (rc == Z_MEM_ERROR)
        return GZ_NOMEM;
    *msg = rc == Z_DATA_ERROR && s->zs.msg ? s->zs.msg : "invalid data";
    return GZ_BAD;
}
#endif

static source *source_new(void)
{
    source *s = xcalloc(1, sizeof *s);
    s->in = xmalloc(RAW_CHUNK); /* free(NULL) is fine for feeds, which have none */
    s->gzip_allowed = 1;
    hash64_stream_init(&s->hash, 0);
    return s;
}

/* Opens a regular file for reading; NULL with err for anything else. The
 * open never blocks (O_NONBLOCK: a FIFO put in the file's place since the
 * walk saw it would block until a writer came), and what was opened is
 * checked before a byte is read (/dev/zero would never end). */
static FILE *open_regular(const char *path, mrb_err *err)
{
    struct stat st;
    const char *kind;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

    if (fd < 0) {
        mrb_err_set(err, 0, -1, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) < 0) {
        mrb_err_set(err, 0, -1, "cannot open: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    kind = S_ISDIR(st.st_mode) ? "a folder" : walk_special_kind(st.st_mode);
    if (kind) {
        mrb_err_set(err, 0, -1, "%s, not a regular file: not read", kind);
        close(fd);
        return NULL;
    }
    FILE *f = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        mrb_err_set(err, 0, -1, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

source *source_open(const char *path, mrb_err *err)
{
    source *s;
    FILE *f;

    if (!strcmp(path, "-"))
        f = stdin;
    else if (!(f = open_regular(path, err)))
        return NULL;
    s = source_new();
    s->f = f;
    s->close_f = f != stdin;
    return s;
}

source *source_open_mem(const void *data, size_t n, int gzip_allowed, mrb_err *err)
{
    source *s = source_new();
    (void)err;
    s->mem = data;
    s->mem_n = n;
    s->gzip_allowed = gzip_allowed;
    return s;
}

source *source_open_feed(const source_feed *feed)
{
    source *s = xcalloc(1, sizeof *s);
    s->mode = MODE_FEED;
    s->feed = *feed;
    hash64_stream_init(&s->hash, 0);
    return s;
}

void source_set_totals(source *s, long long raw_bytes, uint32_t crc, int gzip, int members)
{
    s->raw_bytes = raw_bytes;
    s->crc = crc;
    s->feed_gzip = gzip;
    s->members = members;
}

void source_set_hash(source *s, uint64_t hash) { s->fed_hash = hash; }

void source_close(source *s)
{
    if (!s)
        return;
    if (s->zs_live)
        gz_end(s);
    if (s->f && s->close_f)
        fclose(s->f);
    free(s->in);
    free(s);
}

/* Refills the raw buffer (keeping unread bytes). Returns bytes added, 0 at
 * the end, -1 on a read error. */
static long refill(source *s, mrb_err *err)
{
    size_t keep = s->in_len - s->in_pos, got;

    if (s->raw_eof)
        return 0;
    memmove(s->in, s->in + s->in_pos, keep);
    s->in_pos = 0;
    s->in_len = keep;
    if (s->mem) {
        got = s->mem_n - s->mem_pos;
        if (got > RAW_CHUNK - keep)
            got = RAW_CHUNK - keep;
        memcpy(s->in + keep, s->mem + s->mem_pos, got);
        s->mem_pos += got;
    } else {
        got = fread(s->in + keep, 1, RAW_CHUNK - keep, s->f);
        if (got == 0 && ferror(s->f))
            return mrb_err_set(err, 0, s->out_off, "read error: %s", strerror(errno));
    }
    if (got == 0) {
        s->raw_eof = 1;
        return 0;
    }
    s->crc = (uint32_t)crc32(s->crc, s->in + keep, (uInt)got);
    hash64_stream_add(&s->hash, s->in + keep, got);
    s->raw_bytes += (long long)got;
    s->in_len += got;
    return (long)got;
}

void source_finish(source *s)
{
    if (s->mode == MODE_FEED) {
        if (s->feed.finish)
            s->feed.finish(s->feed.arg, s);
        s->feed.finish = NULL;
        return;
    }
    while (!s->raw_eof) {
        s->in_pos = s->in_len; /* drop what is buffered: it is counted already */
        if (refill(s, NULL) <= 0)
            break;
    }
}

/* Makes at least want raw bytes available if the input has them. */
static int need_raw(source *s, size_t want, mrb_err *err)
{
    while (s->in_len - s->in_pos < want) {
        long r = refill(s, err);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
    }
    return 0;
}

static int detect(source *s, mrb_err *err)
{
    if (need_raw(s, 2, err) < 0)
        return -1;
    s->mode = MODE_PLAIN;
    if (s->gzip_allowed && s->in_len - s->in_pos >= 2 && s->in[s->in_pos] == 0x1f &&
        s->in[s->in_pos + 1] == 0x8b) {
        s->mode = MODE_GZIP;
        if (gz_start(s) < 0)
            return mrb_err_set(err, 0, -1, "cannot start the inflater");
        s->zs_live = 1;
        s->in_member = 1;
    }
    return 0;
}

static long read_plain(source *s, void *buf, size_t n, mrb_err *err)
{
    if (s->in_pos == s->in_len && refill(s, err) < 0)
        return -1;
    size_t k = s->in_len - s->in_pos;
    if (k > n)
        k = n;
    memcpy(buf, s->in + s->in_pos, k);
    s->in_pos += k;
    s->out_off += (long long)k;
    return (long)k;
}

/* At the end of a member: the next bytes must start another member, or be
 * the end of the file. */
static int next_member(source *s)
{
    s->members++;
    s->in_member = 0;
    if (need_raw(s, 2, &s->pending) < 0)
        return -1;
    size_t left = s->in_len - s->in_pos;
    if (left == 0)
        return 0;
    if (left < 2 || s->in[s->in_pos] != 0x1f || s->in[s->in_pos + 1] != 0x8b)
        return mrb_err_set(&s->pending, 0, -1,
                           "bytes after gzip member %d at compressed byte %lld are not gzip",
                           s->members, s->raw_bytes - (long long)left);
    gz_reset(s);
    s->in_member = 1;
    return 0;
}

/* Inflates into out until it holds something or the stream ends; a failure
 * is left in s->pending. Returns -1 on failure. */
static int inflate_some(source *s)
{
    while (gz_out_left(s) > 0 && s->in_member) {
        if (s->in_pos == s->in_len && refill(s, &s->pending) < 0)
            return -1;
        if (s->in_pos == s->in_len)
            return mrb_err_set(&s->pending, 0, -1,
                               "gzip data ends early: member %d is truncated at compressed "
                               "byte %lld",
                               s->members + 1, s->raw_bytes);
        const char *msg = NULL;
        enum gz_rc rc = gz_step(s, &msg);
        if (rc == GZ_END) {
            if (next_member(s) < 0)
                return -1;
        } else if (rc == GZ_BAD) {
            return mrb_err_set(&s->pending, 0, -1,
                               "corrupt gzip data at compressed byte %lld: %s",
                               s->raw_bytes - (long long)(s->in_len - s->in_pos), msg);
        } else if (rc == GZ_NOMEM) {
            return mrb_err_set(&s->pending, 0, -1, "out of memory in the inflater");
        }
    }
    return 0;
}

/* Bytes decoded before a failure are returned first; the failure comes with
 * the next call, at the decoded offset where it happened. */
static long read_gzip(source *s, void *buf, size_t n, mrb_err *err)
{
    if (!s->failed) {
        gz_out(s, buf, n);
        if (inflate_some(s) < 0)
            s->failed = 1;
        size_t got = n - gz_out_left(s);
        s->out_off += (long long)got;
        if (got > 0 || !s->failed)
            return (long)got;
    }
    if (err) {
        char src[sizeof err->source];
        memcpy(src, err->source, sizeof src);
        *err = s->pending;
        memcpy(err->source, src, sizeof src);
        err->offset = s->out_off;
    }
    return -1;
}

long source_read(source *s, void *buf, size_t n, mrb_err *err)
{
    if (n == 0)
        return 0;
    if (s->mode == MODE_FEED) {
        long got = s->feed.read(s->feed.arg, buf, n, err);
        if (got > 0)
            s->out_off += got;
        return got;
    }
    if (s->mode == MODE_UNKNOWN && detect(s, err) < 0)
        return -1;
    return s->mode == MODE_GZIP ? read_gzip(s, buf, n, err) : read_plain(s, buf, n, err);
}

int source_is_gzip(const source *s)
{
    return s->mode == MODE_FEED ? s->feed_gzip : s->mode == MODE_GZIP;
}
long long source_raw_bytes(const source *s) { return s->raw_bytes; }
uint32_t source_raw_crc32(const source *s) { return s->crc; }
uint64_t source_raw_hash(const source *s)
{
    return s->mode == MODE_FEED ? s->fed_hash : hash64_stream_end(&s->hash);
}
int source_members(const source *s) { return s->members; }
