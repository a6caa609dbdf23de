/* out.h — query results to text: aligned table, CSV, JSON or Markdown.
 *
 * One spec drives every mode (as SQLite's shell does). Values are printed
 * the way SQLite converts them to text (so 14.97 stays 14.97); NULL is
 * empty in table / CSV / Markdown and null in JSON. Every cell is escaped
 * for its format: CSV quotes per RFC 4180, JSON escapes per RFC 8259,
 * Markdown escapes | \ ` * _ [ ] < > # and turns line breaks into spaces,
 * so text from logs can never break a table.
 *
 * No control character (term.h) reaches a terminal: table cells show each
 * of its bytes as a space, Markdown drops it (line breaks and TAB become
 * spaces), JSON escapes it (\u001b, \u009b: the text is kept). CSV keeps
 * every byte when written to a file or pipe, so that a saved CSV holds the
 * data exactly; written to a terminal, its cells lose every control
 * character but TAB and LF. */
#ifndef MRB_OUT_H
#define MRB_OUT_H

#include <stdio.h>
#include "mrb/err.h"

typedef struct sqlite3_stmt sqlite3_stmt;

enum out_mode { OUT_TABLE, OUT_CSV, OUT_JSON, OUT_MARKDOWN };

/* Steps st to its end, writing its rows to f; terminal says f is a terminal
 * (CSV cells then lose their control characters). Table mode aligns
 * columns on the first OUT_TABLE_SAMPLE rows and streams the rest. Returns
 * the number of rows, or -1 with err (an SQL error, or a write error). */
long long out_rows(sqlite3_stmt *st, enum out_mode mode, FILE *f, int terminal, mrb_err *err);

#define OUT_TABLE_SAMPLE 1000

/* Steps st once, writing its rows as Markdown to md and as a JSON array to
 * json (a report's table and its summary.json entry from one query run).
 * Returns the number of rows, or -1 with err. */
long long out_rows_md_json(sqlite3_stmt *st, FILE *md, FILE *json, mrb_err *err);

/* Appends the Markdown-escaped form of text[0..n) to f. */
void out_markdown_cell(FILE *f, const char *text, size_t n);

/* Writes s as a JSON string (quoted, escaped). */
void out_json_string(FILE *f, const char *s);

/* Writes v as a JSON number (17 significant digits), null for NaN or an
 * infinity. */
void out_json_number(FILE *f, double v);

#endif
