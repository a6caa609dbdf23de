/* store_bind.c — a row struct's members bound as a statement's
 * parameters by a table (see store_bind.h). */
#include "store_bind.h"

#include <string.h>

/* The integer member c describes (an int, long or long long). */
static long long integer(const char *p, const bind_col *c)
{
    if (c->kind == BK_INT) {
        int v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    if (c->kind == BK_LONG) {
        long v;
        memcpy(&v, p, sizeof v);
        return v;
    }
    long long v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Whether the member c describes is present in row. */
static int present(const char *row, const bind_col *c)
{
    unsigned flag;

    switch (c->when) {
    case BW_FLAG:
        memcpy(&flag, row + c->flag, sizeof flag);
        return (flag & c->mask) != 0;
    case BW_NONNEG:
        return integer(row + c->off, c) >= 0;
    default:
        return 1;
    }
}

void bind_row(sqlite3_stmt *q, const void *row, const bind_col *cols, int n)
{
    const char *base = row;

    for (int i = 0; i < n; i++) {
        const bind_col *c = &cols[i];
        const char *p = base + c->off;
        if (c->kind == BK_SKIP)
            continue;
        if (!present(base, c)) {
            sqlite3_bind_null(q, i + 1);
            continue;
        }
        switch (c->kind) {
        case BK_SLICE: {
            mrb_slice v;
            memcpy(&v, p, sizeof v);
            bind_slice(q, i + 1, v);
            break;
        }
        case BK_STR: {
            const char *v;
            memcpy(&v, p, sizeof v);
            bind_str(q, i + 1, v);
            break;
        }
        case BK_INT:
        case BK_LONG:
        case BK_LLONG:
            sqlite3_bind_int64(q, i + 1, integer(p, c));
            break;
        case BK_DBL: {
            double v;
            memcpy(&v, p, sizeof v);
            sqlite3_bind_double(q, i + 1, v);
            break;
        }
        }
    }
}
