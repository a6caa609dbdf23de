/* out.c — query results as table, CSV, JSON or Markdown (see out.h). */
#include "mrb/out.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/sb.h"
#include "mrb/term.h"
#include "mrb/xalloc.h"

typedef struct table {
    int cols;
    size_t *width;
    sb cells;       /* buffered rows: NUL-separated cell texts */
    size_t rows;
    int *numeric;   /* right-align: the column's first non-NULL value was a number */
    int *typed;     /* that first value was seen */
} table;

static int is_number(sqlite3_stmt *st, int c)
{
    int t = sqlite3_column_type(st, c);
    return t == SQLITE_INTEGER || t == SQLITE_FLOAT;
}

static const char *text_of(sqlite3_stmt *st, int c, size_t *n)
{
    const char *t = (const char *)sqlite3_column_text(st, c);
    *n = t ? (size_t)sqlite3_column_bytes(st, c) : 0;
    return t ? t : "";
}

/* Table cells show each byte of a control character as a space: a cell is
 * one line, and its width is kept. */
static void put_plain(FILE *f, const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = term_control_len(t + i, n - i);
        for (size_t j = 1; j < k; j++, i++)
            fputc(' ', f);
        fputc(k ? ' ' : t[i], f);
    }
}

static void pad(FILE *f, size_t k)
{
    while (k--)
        fputc(' ', f);
}

static void table_cell(FILE *f, const table *t, int c, const char *s, size_t n)
{
    size_t w = t->width[c];
    if (t->numeric[c] && n < w)
        pad(f, w - n);
    put_plain(f, s, n);
    if (!t->numeric[c] && n < w && c + 1 < t->cols)
        pad(f, w - n);
    fputs(c + 1 < t->cols ? "  " : "\n", f);
}

static void table_flush(FILE *f, table *t, sqlite3_stmt *st)
{
    for (int c = 0; c < t->cols; c++) {
        const char *name = sqlite3_column_name(st, c);
        table_cell(f, t, c, name, strlen(name));
    }
    for (int c = 0; c < t->cols; c++) {
        for (size_t k = 0; k < t->width[c]; k++)
            fputc('-', f);
        fputs(c + 1 < t->cols ? "  " : "\n", f);
    }
    const char *p = t->cells.buf;
    for (size_t r = 0; r < t->rows; r++)
        for (int c = 0; c < t->cols; c++) {
            size_t n = strlen(p);
            table_cell(f, t, c, p, n);
            p += n + 1;
        }
    sb_reset(&t->cells);
    t->rows = 0;
}

static void table_row(FILE *f, table *t, sqlite3_stmt *st, int flushed)
{
    for (int c = 0; c < t->cols; c++) {
        size_t n;
        const char *s = text_of(st, c, &n);
        n = strnlen(s, n); /* a cell ends at a NUL byte (blobs) */
        if (flushed) {
            table_cell(f, t, c, s, n);
            continue;
        }
        if (n > t->width[c])
            t->width[c] = n;
        if (sqlite3_column_type(st, c) != SQLITE_NULL && !t->typed[c]) {
            t->numeric[c] = is_number(st, c);
            t->typed[c] = 1;
        }
        sb_add(&t->cells, s, n);
        sb_addc(&t->cells, '\0');
    }
    if (!flushed)
        t->rows++;
}

/* A CSV cell, quoted when it holds , " CR or LF. To a terminal, control
 * characters other than TAB and LF are dropped (an escape sequence from a
 * log must not reach it); to a file or pipe every byte is kept. */
static void csv_cell(FILE *f, const char *s, size_t n, int terminal)
{
    int quote = memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) || memchr(s, '\r', n);

    if (!quote && !terminal) {
        fwrite(s, 1, n, f);
        return;
    }
    if (quote)
        fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        size_t k = terminal && s[i] != '\t' && s[i] != '\n' ? term_control_len(s + i, n - i) : 0;
        if (k) {
            i += k - 1;
            continue;
        }
        if (s[i] == '"')
            fputc('"', f);
        fputc(s[i], f);
    }
    if (quote)
        fputc('"', f);
}

static void json_string(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (term_control_len(s + i, n - i) == 2) /* C1: escaped, the text kept */
            fprintf(f, "\\u%04x", (unsigned char)s[++i]);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

void out_json_string(FILE *f, const char *s)
{
    json_string(f, s, strlen(s));
}

void out_json_number(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        fputs("null", f);
    else
        fprintf(f, "%.17g", v);
}

void out_markdown_cell(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        size_t k = term_control_len(s + i, n - i);
        if (c == '\n' || c == '\r' || c == '\t')
            fputc(' ', f);
        else if (k)
            i += k - 1;
        else if (strchr("|\\`*_[]<>#", c))
            fprintf(f, "\\%c", c);
        else
            fputc(c, f);
    }
}

static void header(FILE *f, sqlite3_stmt *st, enum out_mode mode, int terminal)
{
    int cols = sqlite3_column_count(st);

    if (mode == OUT_CSV) {
        for (int c = 0; c < cols; c++) {
            const char *name = sqlite3_column_name(st, c);
            if (c)
                fputc(',', f);
            csv_cell(f, name, strlen(name), terminal);
        }
        fputs("\r\n", f);
    } else if (mode == OUT_MARKDOWN) {
        fputc('|', f);
        for (int c = 0; c < cols; c++) {
            const char *name = sqlite3_column_name(st, c);
            fputc(' ', f);
            out_markdown_cell(f, name, strlen(name));
            fputs(" |", f);
        }
        fputs("\n|", f);
        for (int c = 0; c < cols; c++)
            fputs(is_number(st, c) ? " ---: |" : " --- |", f);
        fputc('\n', f);
    } else if (mode == OUT_JSON) {
        fputc('[', f);
    }
}

static void row(FILE *f, sqlite3_stmt *st, enum out_mode mode, long long nrow, int terminal)
{
    int cols = sqlite3_column_count(st);

    if (mode == OUT_JSON)
        fputs(nrow ? ",\n {" : "\n {", f);
    else if (mode == OUT_MARKDOWN)
        fputc('|', f);
    for (int c = 0; c < cols; c++) {
        size_t n;
        const char *s = text_of(st, c, &n);
        if (mode == OUT_CSV) {
            if (c)
                fputc(',', f);
            csv_cell(f, s, n, terminal);
        } else if (mode == OUT_MARKDOWN) {
            fputc(' ', f);
            out_markdown_cell(f, s, n);
            fputs(" |", f);
        } else {
            const char *name = sqlite3_column_name(st, c);
            if (c)
                fputs(", ", f);
            json_string(f, name, strlen(name));
            fputs(": ", f);
            if (sqlite3_column_type(st, c) == SQLITE_NULL)
                fputs("null", f);
            else if (is_number(st, c))
                fwrite(s, 1, n, f);
            else
                json_string(f, s, n);
        }
    }
    fputs(mode == OUT_CSV ? "\r\n" : mode == OUT_JSON ? "}" : "\n", f);
}

long long out_rows(sqlite3_stmt *st, enum out_mode mode, FILE *f, int terminal, mrb_err *err)
{
    table t = {0};
    long long n = 0;
    int rc, flushed = 0;

    t.cols = sqlite3_column_count(st);
    t.width = xcalloc((size_t)t.cols + 1, sizeof *t.width);
    t.numeric = xcalloc((size_t)t.cols + 1, sizeof *t.numeric);
    t.typed = xcalloc((size_t)t.cols + 1, sizeof *t.typed);
    for (int c = 0; c < t.cols; c++)
        t.width[c] = strlen(sqlite3_column_name(st, c));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == 0 && mode != OUT_TABLE)
            header(f, st, mode, terminal);
        if (mode == OUT_TABLE) {
            table_row(f, &t, st, flushed);
            if (!flushed && t.rows == OUT_TABLE_SAMPLE) {
                table_flush(f, &t, st);
                flushed = 1;
            }
        } else {
            row(f, st, mode, n, terminal);
        }
        n++;
    }
    if (mode == OUT_TABLE && !flushed && t.cols > 0)
        table_flush(f, &t, st);
    if (n == 0 && (mode == OUT_CSV || mode == OUT_MARKDOWN) && t.cols > 0)
        header(f, st, mode, terminal);
    if (mode == OUT_JSON && n > 0)
        fputs("\n]\n", f);
    else if (mode == OUT_JSON && t.cols > 0)
        fputs("[]\n", f);
    sb_release(&t.cells);
    free(t.width);
    free(t.numeric);
    free(t.typed);
    if (rc != SQLITE_DONE)
        return mrb_err_set(err, 0, -1, "%s", sqlite3_errmsg(sqlite3_db_handle(st)));
    if (ferror(f))
        return mrb_err_set(err, 0, -1, "cannot write the results");
    return n;
}

long long out_rows_md_json(sqlite3_stmt *st, FILE *md, FILE *json, mrb_err *err)
{
    long long n = 0;
    int rc;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == 0) {
            header(md, st, OUT_MARKDOWN, 0);
            header(json, st, OUT_JSON, 0);
        }
        row(md, st, OUT_MARKDOWN, n, 0);
        row(json, st, OUT_JSON, n, 0);
        n++;
    }
    fputs(n > 0 ? "\n]\n" : "[]\n", json);
    if (rc != SQLITE_DONE)
        return mrb_err_set(err, 0, -1, "%s", sqlite3_errmsg(sqlite3_db_handle(st)));
    if (ferror(md) || ferror(json))
        return mrb_err_set(err, 0, -1, "cannot write the results");
    return n;
}
