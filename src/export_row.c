/* export_row.c — one row as a JSON Lines object or a CSV record, and
 * partition values as folder names. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "export_priv.h"

/* A number as JSON and CSV write it: integers exactly, reals to 17
 * significant digits (they read back as the same double); NULL when not
 * finite. Returns 0 when it wrote nothing (NULL). */
static int number(sb *out, sqlite3_stmt *st, int i, char type)
{
    int vt = sqlite3_column_type(st, i);

    if (vt == SQLITE_NULL)
        return 0;
    if (type == 'i' && vt == SQLITE_INTEGER) {
        sb_addf(out, "%lld", (long long)sqlite3_column_int64(st, i));
        return 1;
    }
    double v = sqlite3_column_double(st, i);
    if (!isfinite(v))
        return 0;
    if (type == 'i' && v == floor(v) && fabs(v) < 9e15)
        sb_addf(out, "%.0f", v);
    else
        sb_addf(out, "%.17g", v);
    return 1;
}

void export_json_row(sb *out, const export_table *t, sqlite3_stmt *st)
{
    sb_addc(out, '{');
    for (int i = 0; i < t->ncols; i++) {
        const export_col *c = &t->cols[i];
        if (i)
            sb_addc(out, ',');
        sb_add_json(out, c->name, strlen(c->name));
        sb_addc(out, ':');
        if (sqlite3_column_type(st, i) == SQLITE_NULL)
            sb_adds(out, "null");
        else if (c->type == 't')
            sb_add_json(out, (const char *)sqlite3_column_text(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
        else if (!number(out, st, i, c->type))
            sb_adds(out, "null");
    }
    sb_adds(out, "}\n");
}

static void csv_field(sb *out, const unsigned char *s, int n)
{
    int quote = n == 0 || (n == 2 && s[0] == '\\' && s[1] == 'N');

    for (int i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        sb_add(out, s, (size_t)n);
        return;
    }
    sb_addc(out, '"');
    for (int i = 0; i < n; i++) {
        if (s[i] == '"')
            sb_addc(out, '"');
        sb_addc(out, (char)s[i]);
    }
    sb_addc(out, '"');
}

void export_csv_row(sb *out, const export_table *t, sqlite3_stmt *st)
{
    for (int i = 0; i < t->ncols; i++) {
        if (i)
            sb_addc(out, ',');
        if (sqlite3_column_type(st, i) == SQLITE_NULL)
            sb_adds(out, "\\N");
        else if (t->cols[i].type == 't')
            csv_field(out, sqlite3_column_text(st, i), sqlite3_column_bytes(st, i));
        else if (!number(out, st, i, t->cols[i].type))
            sb_adds(out, "\\N");
    }
    sb_addc(out, '\n');
}

void export_csv_header(sb *out, const export_table *t)
{
    for (int i = 0; i < t->ncols; i++) {
        if (i)
            sb_addc(out, ',');
        sb_adds(out, t->cols[i].name);
    }
    sb_addc(out, '\n');
}

void export_partition_value(sb *out, const char *v)
{
    for (size_t i = 0; v[i]; i++) {
        unsigned char c = (unsigned char)v[i];
        int keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   c == '-' || c == '_' || (c == '.' && i > 0);
        if (keep)
            sb_addc(out, (char)c);
        else
            sb_addf(out, "%%%02X", c);
    }
    if (!v[0])
        sb_adds(out, "__HIVE_DEFAULT_PARTITION__");
}
