/* err.h — errors as values: where something went wrong and what.
 *
 * Library code never prints. A failing function fills a caller-supplied
 * mrb_err and returns -1 (or NULL); the command that called it decides how
 * to report. The struct owns no heap memory; copy it freely. */
#ifndef MRB_ERR_H
#define MRB_ERR_H

#include <stdarg.h>

typedef struct mrb_err {
    char source[512]; /* file path, "-" for stdin, or "" when not about a file */
    long long line;   /* 1-based line in the decoded stream, 0 when unknown */
    long long offset; /* byte offset in the decoded stream, -1 when unknown */
    char text[512];   /* lowercase message without a location or full stop */
    int internal;     /* 1: a broken invariant of the program, not bad input
                       * (mrb_err_internal); printed as an internal error */
} mrb_err;

/* Clears e to "no error". */
void mrb_err_clear(mrb_err *e);

/* Fills e (source is kept) with the position and formatted text. Always
 * returns -1 so that callers can write `return mrb_err_set(...)`.
 * e may be NULL, in which case nothing is written. */
int mrb_err_set(mrb_err *e, long long line, long long offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A broken invariant: fills e like mrb_err_set with no position and marks
 * it internal, so that it is reported as a bug of the program, never as a
 * problem of the user's input. Returns -1. */
int mrb_err_internal(mrb_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the source (file) an error refers to; truncates silently. */
void mrb_err_source(mrb_err *e, const char *source);

/* Writes "source:line: text", "source: byte N: text" or "text" into buf
 * (always NUL-terminated). */
void mrb_err_format(const mrb_err *e, char *buf, unsigned long size);

/* mrb_err_format of the error {source, line, offset, text}: the one place
 * the location format is written, for callers that keep problems as text. */
void mrb_err_format_at(char *buf, unsigned long size, const char *source, long long line,
                       long long offset, const char *text);

#endif
