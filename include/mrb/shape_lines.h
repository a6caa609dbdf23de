/* shape_lines.h — the line loop the line-based shapes share.
 *
 * A line-based export is a sequence of events, each starting on a line of
 * its own (a timestamp, a stream name, a platform keyword: the shape
 * decides) and continuing on the lines that follow until the next one
 * starts. The loop reads lines, asks the shape's classifier what each one
 * is, gathers the message of the event being read and hands it to the sink
 * when the next event starts or the input ends. Lines longer than the
 * reader's limit and events that grow past it are skipped and reported as
 * problems; the file goes on. */
#ifndef MRB_SHAPE_LINES_H
#define MRB_SHAPE_LINES_H

#include <stddef.h>
#include <stdint.h>
#include "mrb/event.h"
#include "mrb/reader.h"

enum line_kind {
    LINE_NEW,  /* the line starts an event */
    LINE_MORE, /* the line continues the current event */
    LINE_SKIP, /* the line carries nothing (a header, a blank line) */
    LINE_BAD   /* the line starts an event that cannot be read (why says so):
                * a problem; the lines that continue it are dropped */
};

/* What the classifier says about one line. Slices point into the line. */
typedef struct line_part {
    enum line_kind kind;
    size_t at, len;         /* the part of the line that is message text */
    int64_t ts_ms;          /* NEW: the event's time, or EVENT_TS_NONE;
                             * MORE: the time of the current event when the
                             * line gives it (columns after the message),
                             * else EVENT_TS_NONE */
    const char *stream;     /* NEW: the log stream the line names, or NULL */
    size_t stream_n;
    char why[96];           /* BAD: the problem */
} line_part;

typedef struct shape_lines {
    /* Classifies line p[0..n) (without its end of line; ANSI colour codes
     * already removed when strip_ansi is set); fills *out. state is the
     * shape's own (e.g. a timestamp seen on a line of its own). */
    void (*classify)(void *state, const char *p, size_t n, line_part *out);
    void *state;
    int strip_ansi;          /* remove ESC [ ... m sequences first */
    const char *log_stream;  /* when a line names none (the path's hint), or NULL */
    const char *orphan;      /* problem text for text before the first event,
                              * NULL to drop such lines silently */
} shape_lines;

/* Reads r to its end. 0, or -1 with err filled when the source or a sink
 * call failed. */
int shape_lines_decode(reader *r, const shape_lines *how, const event_sink *sink, mrb_err *err);

/* The loop of the shapes with one record per line (NDJSON, telemetry
 * lines): reads r to its end and calls each(arg, p, n, line, off, err) for
 * every line p[0..n) that is not blank (spaces and tabs), with the line
 * number and byte offset where it starts. A line longer than the reader's
 * limit is reported to sink as a problem and skipped. 0, or -1 with err
 * filled when the source failed or each returned -1. */
typedef int (*shape_line_fn)(void *arg, const char *p, size_t n, long long line, long long off,
                             mrb_err *err);
int shape_lines_each(reader *r, const event_sink *sink, shape_line_fn each, void *arg,
                     mrb_err *err);

#endif
