/* prefetch.h — decompress the next files on a second thread.
 *
 * Inflating gzip costs about as much as everything else ingest does, so a
 * worker thread opens the files in order and decodes them into a small ring
 * of chunks (bounded memory: PREFETCH_CHUNKS x PREFETCH_CHUNK bytes) while
 * the caller parses and stores the previous ones. The caller sees each file
 * as an ordinary source: same bytes, same errors, same totals.
 *
 * Ownership: prefetch_start copies nothing: paths must outlive the prefetch.
 * The source returned by prefetch_next is owned by the prefetch and valid
 * until the next prefetch_next or prefetch_stop. */
#ifndef MRB_PREFETCH_H
#define MRB_PREFETCH_H

#include <stddef.h>
#include "mrb/err.h"
#include "mrb/source.h"

#define PREFETCH_CHUNK (256u * 1024u)
#define PREFETCH_CHUNKS 8

typedef struct prefetch prefetch;

/* Starts the worker on paths[0..n). NULL with err if no thread can start. */
prefetch *prefetch_start(char *const *paths, size_t n, mrb_err *err);

/* The source of the next file, in order. If the file cannot be opened, its
 * first read fails with the reason. NULL after the last file. */
source *prefetch_next(prefetch *p);

/* Stops the worker (also when files are left) and frees everything. */
void prefetch_stop(prefetch *p);

#endif
