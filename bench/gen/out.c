/* out.c — mrb-gen: folders and paths, the counting output sink (gzip
 * parts or plain files), gzip members, base64 and whole files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gen.h"

void mkdirs(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n >= sizeof tmp)
        die("path too long: %s", path);
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        char c = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            die("cannot create directory %s: %s", tmp, strerror(errno));
        tmp[i] = c;
    }
}

void path_join(char *out, size_t size, const char *a, const char *b)
{
    int n = snprintf(out, size, "%s/%s", a, b);
    if (n < 0 || (size_t)n >= size)
        die("path too long: %s/%s", a, b);
}

/* out = "<dir>/<fn><suffix>". */
void path_fn(char *out, size_t size, const char *dir, const char *fn, const char *suffix)
{
    int n = snprintf(out, size, "%s/%s%s", dir, fn, suffix);
    if (n < 0 || (size_t)n >= size)
        die("path too long: %s/%s%s", dir, fn, suffix);
}

void sink_write(sink *k, const char *s, size_t n)
{
    if (k->gz) {
        if (gzwrite(k->gz, s, (unsigned)n) != (int)n) {
            int zerr;
            const char *msg = gzerror(k->gz, &zerr);
            die("cannot write %s: %s", k->path, zerr == Z_ERRNO ? strerror(errno) : msg);
        }
    } else if (k->fp) {
        if (fwrite(s, 1, n, k->fp) != n)
            die("cannot write %s: %s", k->path, strerror(errno));
    }
    k->part_bytes += (long long)n;
    k->total += (long long)n;
}

void sink_close(sink *k)
{
    if (k->gz) {
        int rc = gzclose(k->gz);
        k->gz = NULL;
        if (rc != Z_OK)
            die("cannot write %s: gzclose failed (%d)", k->path, rc);
    }
    if (k->fp) {
        int rc = fclose(k->fp);
        k->fp = NULL;
        if (rc != 0)
            die("cannot write %s: %s", k->path, strerror(errno));
    }
}

void sink_open_gz(sink *k, const char *dir, long part, int level)
{
    char name[32], mode[8];
    mkdirs(dir);
    snprintf(name, sizeof name, "%06ld.gz", part);
    path_join(k->path, sizeof k->path, dir, name);
    snprintf(mode, sizeof mode, "wb%d", level);
    k->gz = gzopen(k->path, mode);
    if (!k->gz)
        die("cannot create %s: %s", k->path, strerror(errno));
    if (gzbuffer(k->gz, 1 << 18) != 0)
        die("cannot set the gzip buffer of %s", k->path);
    k->part_bytes = 0;
}

void sink_open_file(sink *k, const char *path)
{
    snprintf(k->path, sizeof k->path, "%s", path);
    k->fp = fopen(path, "wb");
    if (!k->fp)
        die("cannot create %s: %s", path, strerror(errno));
    if (setvbuf(k->fp, NULL, _IOFBF, 1 << 20) != 0)
        die("cannot set the buffer of %s", path);
    k->part_bytes = 0;
}

/* ------------------------------------ gzip members, base64, whole files */

/* Writes the standard base64 (with padding) of n bytes, (n + 2) / 3 * 4
 * characters, to out and returns how many. */
size_t base64(char *out, const char *src, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = (const unsigned char *)src;
    char *o = out;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned long v = (unsigned long)s[i] << 16 | (unsigned long)s[i + 1] << 8 | s[i + 2];
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = tab[v >> 6 & 63];
        *o++ = tab[v & 63];
    }
    if (i < n) {
        unsigned long v = (unsigned long)s[i] << 16 | (i + 1 < n ? (unsigned long)s[i + 1] << 8 : 0);
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    return (size_t)(o - out);
}

void add_base64(sb *d, const char *src, size_t n)
{
    sb_grow(d, (n + 2) / 3 * 4);
    d->len += base64(d->buf + d->len, src, n);
    d->buf[d->len] = '\0';
}

/* A gzip compressor that makes one complete gzip member per call. */
void gz_init(z_stream *z, int level)
{
    memset(z, 0, sizeof *z);
    if (deflateInit2(z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        die("cannot initialise zlib");
}

/* Appends to out one gzip member holding s[0..n). */
void gz_member(z_stream *z, sb *out, const char *s, size_t n)
{
    int rc;
    if (n > UINT32_MAX || deflateReset(z) != Z_OK)
        die("internal: cannot compress %zu bytes", n);
    z->next_in = (const Bytef *)s;
    z->avail_in = (uInt)n;
    do {
        sb_grow(out, 1 << 16);
        z->next_out = (Bytef *)(out->buf + out->len);
        z->avail_out = 1 << 16;
        rc = deflate(z, Z_FINISH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            die("internal: deflate failed (%d)", rc);
        out->len += (1 << 16) - z->avail_out;
        out->buf[out->len] = '\0';
    } while (rc != Z_STREAM_END);
}

/* Writes a whole file. */
void write_file(const char *path, const char *s, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        die("cannot create %s: %s", path, strerror(errno));
    if (fwrite(s, 1, n, fp) != n || fclose(fp) != 0)
        die("cannot write %s: %s", path, strerror(errno));
}
