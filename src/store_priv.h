/* store_priv.h — what store.c shares with store_stream.c; not a public API.
 *
 * The stream record writes live in a file of their own, with their own
 * prepared statements; store.c keeps their state and calls the hooks below
 * where a file is merged into an earlier ingest of the same content, where
 * a function is relabelled, and when the store closes. Also the binding
 * helpers both use. */
#ifndef MRB_STORE_PRIV_H
#define MRB_STORE_PRIV_H

#include <sqlite3.h>

#include "mrb/store.h"

typedef struct store_stream store_stream;

/* The current file's row id and --run label (NULL when none). */
long long store_priv_file_id(const store *s);
const char *store_priv_run(const store *s);

/* The stream state slot (NULL until store_stream.c first needs it). */
store_stream **store_priv_stream(store *s);

/* Releases the state (its statements). */
void store_stream_release(store_stream *ss);

/* The current file (from) is a repeat of file to: its stream records and
 * counts move there. 0, or -1 with err. */
int store_stream_merge_file(store *s, long long from, long long to, mrb_err *err);

/* The function's records attributed from its logs take its new label. */
int store_stream_relabel(store *s, const char *function, const char *runtime, mrb_err *err);

/* Binds text (NULL: SQL NULL); SQLite reads it during the step, before the
 * caller's string goes away. */
static inline void bind_str(sqlite3_stmt *q, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

/* Binds v, or SQL NULL when the value is not present. */
static inline void bind_ll(sqlite3_stmt *q, int i, int present, long long v)
{
    if (present)
        sqlite3_bind_int64(q, i, v);
    else
        sqlite3_bind_null(q, i);
}

static inline void bind_dbl(sqlite3_stmt *q, int i, int present, double v)
{
    if (present)
        sqlite3_bind_double(q, i, v);
    else
        sqlite3_bind_null(q, i);
}

#endif
