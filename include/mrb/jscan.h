/* jscan.h — a streaming scanner for large JSON documents.
 *
 * Walks the structure of a document held in a reader without building it:
 * keys of an object, elements of an array, and whole values either skipped
 * or copied out (so that jansson can parse one element at a time). Memory is
 * bounded by the largest value copied, which is capped by the caller.
 * Errors carry the line and byte offset where the scanner stopped. */
#ifndef MRB_JSCAN_H
#define MRB_JSCAN_H

#include <stddef.h>
#include "mrb/err.h"
#include "mrb/reader.h"
#include "mrb/sb.h"

/* Skips white space; returns the next byte without consuming it, -1 at the
 * end, -2 on a read error (err filled). */
int jscan_peek(reader *r, mrb_err *err);

/* Consumes the byte c after white space, or fails with "expected 'c' ...". */
int jscan_expect(reader *r, char c, const char *what, mrb_err *err);

/* Reads a string (the next value must be one) into out, raw: escapes are
 * kept as written, without the quotes. Keys are compared raw. */
int jscan_string(reader *r, sb *out, size_t max, mrb_err *err);

/* Copies the next complete value (object, array, string, number, literal)
 * into out (appending) when out is not NULL, or skips it. A value longer
 * than max bytes fails with "value longer than ..." (skipping is unbounded). */
int jscan_value(reader *r, sb *out, size_t max, mrb_err *err);

/* After an element: consumes ',' and returns 1 (another follows), or
 * consumes close (']' or '}') and returns 0; -1 otherwise. */
int jscan_next(reader *r, char close, const char *what, mrb_err *err);

/* After white space: 1 when another value follows (documents back to back),
 * 0 at the end of input, -1 on a read error (err). */
int jscan_more(reader *r, mrb_err *err);

/* Walks the object that comes next: for each member, member(arg, key, r,
 * err) is called with the reader at the value, which it must consume (or
 * skip with jscan_value(r, NULL, 0, err)). what names the object in errors.
 * Returns 0, or -1 with err (member's failure, or bad structure). */
int jscan_object(reader *r, const char *what,
                 int (*member)(void *arg, const char *key, reader *r, mrb_err *err), void *arg,
                 mrb_err *err);

/* Walks the array that comes next: each element (at most max bytes) is
 * copied and handed to element(arg, raw, line, offset, err), line and offset
 * being where it starts. Returns 0, or -1 with err. */
int jscan_array(reader *r, const char *what, size_t max,
                int (*element)(void *arg, const sb *raw, long long line, long long off,
                               mrb_err *err),
                void *arg, mrb_err *err);

#endif
