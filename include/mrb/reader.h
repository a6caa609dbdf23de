/* reader.h — buffered lines and bytes over a source, with positions.
 *
 * The reader keeps one buffer that grows up to max_line bytes and no further:
 * a longer line is skipped (reported as READER_TOO_LONG with its length), so
 * memory stays bounded whatever the input. Returned pointers point into the
 * reader's buffer and stay valid until the next call on the reader.
 *
 * Ownership: the reader borrows its source (the caller closes both, the
 * reader first). reader_new returns memory released by reader_free. */
#ifndef MRB_READER_H
#define MRB_READER_H

#include <stddef.h>
#include "mrb/err.h"
#include "mrb/source.h"

typedef struct reader reader;

enum reader_status {
    READER_ERROR = -1, /* err filled (source error) */
    READER_EOF = 0,
    READER_LINE = 1,   /* a complete line, without its '\n' (and '\r') */
    READER_TOO_LONG = 2 /* a line longer than max_line: skipped, len = its length */
};

reader *reader_new(source *src, size_t max_line);
void reader_free(reader *r);

/* Makes at least want bytes visible (fewer only at the end of input) and
 * points *p at them without consuming. Returns the number visible, or -1
 * with err filled. want is capped at max_line. */
long reader_peek(reader *r, size_t want, const char **p, mrb_err *err);

/* Next line (see enum reader_status). */
int reader_getline(reader *r, const char **line, size_t *len, mrb_err *err);

/* Next byte, or -1 at the end, or -2 with err filled. */
int reader_getc(reader *r, mrb_err *err);

/* Points *p at the buffered, unconsumed bytes, reading more first when
 * there are none. Returns how many (> 0), 0 at the end, or -1 with err
 * filled. Nothing is consumed: scanners look, then call reader_consume. */
long reader_window(reader *r, const char **p, mrb_err *err);

/* Consumes k bytes of the window (k <= what reader_window returned),
 * keeping the line count and offset right. */
void reader_consume(reader *r, size_t k);

long long reader_line(const reader *r);   /* line the next byte is on (1-based) */
long long reader_offset(const reader *r); /* decoded bytes consumed so far */
size_t reader_max_line(const reader *r);

/* Raises the longest line (and, for scanners, the largest value) the reader
 * allows to max_line; a smaller value is ignored. The buffer still grows
 * only when a line needs it. For a decoder chosen after sniffing that
 * needs more than the reader was made with. */
void reader_raise_max_line(reader *r, size_t max_line);

#endif
