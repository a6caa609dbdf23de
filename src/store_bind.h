/* store_bind.h — binding a statement's parameters: the helpers every
 * store file uses (absent values bind SQL NULL). */
#ifndef MRB_STORE_BIND_H
#define MRB_STORE_BIND_H

#include <sqlite3.h>

#include "mrb/slice.h"

/* Binds a slice (absent: SQL NULL), read during the step. */
static inline void bind_slice(sqlite3_stmt *q, int i, mrb_slice v)
{
    if (v.p)
        sqlite3_bind_text(q, i, v.p, (int)v.n, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, i);
}

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
