/* store_bind.h — binding a statement's parameters: the helpers every
 * store file uses (absent values bind SQL NULL), and the tables that bind a
 * row struct's members as ?1, ?2, ... in one call (bind_row). */
#ifndef MRB_STORE_BIND_H
#define MRB_STORE_BIND_H

#include <sqlite3.h>
#include <stddef.h>

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

/* A statement's parameters as a table: entry i binds ?(i + 1) from a member
 * of the row, its kind read from the member's type (a slice, a string, an
 * int, a long, a long long or a double). A member may be present only when a
 * flag of the row says so (an int flag, or bits of a has-word), or when it
 * is not negative; absent, it binds NULL. BIND_SKIP leaves the parameter to
 * the caller (a value not in the row, or computed). */
enum bind_kind { BK_SKIP, BK_SLICE, BK_STR, BK_INT, BK_LONG, BK_LLONG, BK_DBL };
enum bind_when { BW_ALWAYS, BW_FLAG, BW_NONNEG };

typedef struct bind_col {
    unsigned char kind;  /* enum bind_kind */
    unsigned char when;  /* enum bind_when */
    unsigned short off;  /* the member's offset */
    unsigned short flag; /* BW_FLAG: the offset of the int or unsigned flag word */
    unsigned mask;       /* BW_FLAG: present when flag & mask */
} bind_col;

#define BIND_KIND(x)                                                                            \
    _Generic((x), mrb_slice: BK_SLICE, const char *: BK_STR, char *: BK_STR, int: BK_INT,       \
             long: BK_LONG, long long: BK_LLONG, double: BK_DBL)
#define BIND_COL(T, m, when, flag, mask) {BIND_KIND(((T *)0)->m), when, offsetof(T, m), flag, mask}
#define BIND(T, m) BIND_COL(T, m, BW_ALWAYS, 0, 0)
#define BIND_IF(T, m, f) BIND_COL(T, m, BW_FLAG, offsetof(T, f), ~0u)
#define BIND_HAS(T, m, f, bits) BIND_COL(T, m, BW_FLAG, offsetof(T, f), bits)
#define BIND_NONNEG(T, m) BIND_COL(T, m, BW_NONNEG, 0, 0)
#define BIND_SKIP {BK_SKIP, BW_ALWAYS, 0, 0, 0}

/* Binds ?1 .. ?n of q from row by the table cols[0..n). */
void bind_row(sqlite3_stmt *q, const void *row, const bind_col *cols, int n);

#define BIND_N(cols) ((int)(sizeof cols / sizeof cols[0]))

#endif
