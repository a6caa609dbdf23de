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

/* Asked on the worker thread before a file is decoded: 0 when it need not
 * be (its content is stored already), 1 when it must. */
typedef int (*prefetch_wanted)(void *arg, const char *path);

/* Starts the worker on paths[0..n). wanted may be NULL (every file is
 * decoded); else it and arg are used by the worker thread alone until
 * prefetch_stop. NULL with err if no thread can start. */
prefetch *prefetch_start(char *const *paths, size_t n, prefetch_wanted wanted, void *arg,
                         mrb_err *err);

/* The source of the next file, in order. If the file cannot be opened, its
 * first read fails with the reason. NULL after the last file. */
source *prefetch_next(prefetch *p);

/* 1 when the worker passed over the file prefetch_next returned last
 * (wanted said 0): its source is empty, and whoever still needs the file
 * reads it directly. Waits until the worker reached that file. */
int prefetch_passed(prefetch *p);

/* Stops the worker (also when files are left) and frees everything. */
void prefetch_stop(prefetch *p);

#endif
