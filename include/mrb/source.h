/* source.h — a byte stream over one input file, plain or gzip.
 *
 * Compression is detected from the magic bytes, never from the name. A gzip
 * file may hold any number of members (as Firehose writes them); they are
 * decoded back to back. Memory is fixed: one input and one zlib window.
 *
 * Ownership: source_open returns a source owned by the caller, released with
 * source_close (which also closes the file unless it is stdin). */
#ifndef MRB_SOURCE_H
#define MRB_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include "mrb/err.h"

typedef struct source source;

/* Opens path ("-" is standard input, whatever it is). NULL with err filled
 * when the file cannot be opened or is not a regular file (a device, FIFO,
 * socket or folder is never read, and the open never blocks). */
source *source_open(const char *path, mrb_err *err);

/* Wraps bytes already in memory (not copied; must outlive the source). */
source *source_open_mem(const void *data, size_t n, int gzip_allowed, mrb_err *err);

/* A source fed by someone else (see prefetch.h): bytes come already decoded
 * from feed->read; feed->finish is called by source_finish and must call
 * source_set_totals before it returns. */
typedef struct source_feed {
    long (*read)(void *arg, void *buf, size_t n, mrb_err *err); /* as source_read */
    void (*finish)(void *arg, source *s);
    void *arg;
} source_feed;
source *source_open_feed(const source_feed *feed);

/* For feeds: what the underlying file was. */
void source_set_totals(source *s, long long raw_bytes, uint32_t crc, int gzip, int members);

/* For feeds: the raw bytes' source_raw_hash. */
void source_set_hash(source *s, uint64_t hash);

/* Reads the rest of the raw input without decoding it, so that the size and
 * CRC describe the whole file even when decoding stopped early (or failed).
 * Read errors here are ignored: the totals then cover what could be read. */
void source_finish(source *s);

void source_close(source *s);

/* Reads up to n decoded bytes into buf. Returns the count (> 0), 0 at the
 * end of the input, or -1 with err filled: I/O error, corrupt deflate data,
 * a truncated gzip member, or a bad gzip trailer. err's offset is the
 * decoded offset reached. */
long source_read(source *s, void *buf, size_t n, mrb_err *err);

int source_is_gzip(const source *s);         /* 1 once the first bytes were seen */
long long source_raw_bytes(const source *s); /* bytes read from the file */
uint32_t source_raw_crc32(const source *s);  /* CRC-32 of those bytes */
uint64_t source_raw_hash(const source *s);   /* their hash64_stream (seed 0) */
int source_members(const source *s);         /* gzip members finished so far */

#endif
