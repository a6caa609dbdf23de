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

/* Opens path ("-" is standard input). NULL with err filled when the file
 * cannot be opened. */
source *source_open(const char *path, mrb_err *err);

/* Wraps bytes already in memory (not copied; must outlive the source). */
source *source_open_mem(const void *data, size_t n, int gzip_allowed, mrb_err *err);

void source_close(source *s);

/* Reads up to n decoded bytes into buf. Returns the count (> 0), 0 at the
 * end of the input, or -1 with err filled: I/O error, corrupt deflate data,
 * a truncated gzip member, or a bad gzip trailer. err's offset is the
 * decoded offset reached. */
long source_read(source *s, void *buf, size_t n, mrb_err *err);

int source_is_gzip(const source *s);         /* 1 once the first bytes were seen */
long long source_raw_bytes(const source *s); /* bytes read from the file */
uint32_t source_raw_crc32(const source *s);  /* CRC-32 of those bytes */
int source_members(const source *s);         /* gzip members finished so far */

#endif
