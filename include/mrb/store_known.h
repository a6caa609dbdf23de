/* store_known.h — is a file's content stored already? Asked before parsing.
 *
 * Re-reading yesterday's export, or one that overlaps the last, is the
 * common case: a file whose raw bytes are those of a file stored with status
 * ok (same size, CRC-32 and content hash; rows from before schema 6 have no
 * hash and match on the same path, size and CRC-32) need not be read again.
 * The store_known connection is a reader of its own (WAL: it never waits for
 * a writer) and sees what other processes committed, so that concurrent
 * ingests of overlapping sets skip each other's files too.
 *
 * Ownership: store_known_open returns a handle released by store_known_close;
 * it is used by one thread. */
#ifndef MRB_STORE_KNOWN_H
#define MRB_STORE_KNOWN_H

#include <stdint.h>
#include "mrb/err.h"

typedef struct store_known store_known;

/* What the stored file held (its files row). */
typedef struct store_known_file {
    long long file_id;
    uint64_t content_hash;      /* of the file asked about */
    int moved;                  /* stored under another path */
    long long invocations;      /* invocations_new + invocations_known */
    long long metric_values;    /* metric_values_new + metric_values_known */
    long long stream_records;
    long long emf_documents;
} store_known_file;

/* Opens the database at path (created and migrated by store_open first).
 * NULL with err. */
store_known *store_known_open(const char *path, mrb_err *err);
void store_known_close(store_known *k);

/* 1 when a stored file has size bytes (only then is a file's content worth
 * hashing), 0 when none has, -1 with err. */
int store_known_size(store_known *k, long long size, mrb_err *err);

/* 1 and *out when a stored file has this content (one under path first)
 * and was stored whole (status ok, no record or EMF document rejected: a
 * file with problems is read again, so that they are reported again), 0
 * when none, -1 with err. */
int store_known_find(store_known *k, const char *path, long long size, uint32_t crc32,
                     uint64_t hash, store_known_file *out, mrb_err *err);

/* The two questions for the file at path, of size bytes (as stat said): its
 * raw bytes are read and hashed only when a stored file has that size. 1
 * and *out when its content is stored, 0 when not (also when it cannot be
 * read, or its size changed: reading it will say why), -1 with err when the
 * database failed. */
int store_known_path(store_known *k, const char *path, long long size, store_known_file *out,
                     mrb_err *err);

#endif
