/* shape.h — the registry of input shapes.
 *
 * Each shape is one file (shape_<name>.c) and one row in shape_registry:
 * a detector that looks at the first decoded bytes and a decoder that turns
 * the whole stream into log events. The shape is chosen from content only.
 * What the data does not say (the log stream of an S3 export) comes from the
 * file's path, through shape_hints. */
#ifndef MRB_SHAPE_H
#define MRB_SHAPE_H

#include <stddef.h>
#include "mrb/err.h"
#include "mrb/event.h"
#include "mrb/reader.h"
#include "mrb/rows.h"

typedef struct shape_hints {
    const char *path;       /* the input file as named by the user */
    const char *log_stream; /* derived from the path, or NULL */
} shape_hints;

typedef struct shape {
    const char *name; /* stable, stored in files.shape: "s3-export", "cli-json" */
    /* Returns 1 if the first bytes of the decoded stream (head, n of them;
     * n is less than asked only at the end of input) are this shape. */
    int (*detect)(const char *head, size_t n);
    /* Decodes the whole stream. 0 at the end, -1 with err filled when the
     * file cannot be read on (the caller discards what was stored). */
    int (*decode)(reader *r, const shape_hints *hints, const event_sink *sink, mrb_err *err);
    /* 1 for copies of Lambda logs (text, CLI output, Telemetry API
     * batches): chosen because they look like Lambda's, so a file of them
     * without a single platform record is reported as such. */
    int copied;
} shape;

/* NULL-terminated, in detection order. */
extern const shape *const shape_registry[];

/* How many leading bytes detectors look at. */
#define SHAPE_HEAD_BYTES 4096

/* The shape of a stream whose first bytes are head[0..n), or NULL. */
const shape *shape_sniff(const char *head, size_t n);

/* The shape called name, or NULL. */
const shape *shape_find(const char *name);

/* Every decoder reports a record it skips through this: hands text, with
 * the line and byte offset where the record starts, to sink->problem when
 * the sink has one. */
void shape_problem(const event_sink *sink, long long line, long long off, const char *text);

/* Inputs that are not log events (X-Ray traces, CloudWatch metrics,
 * DynamoDB stream records): the same registry idea, with a decoder that
 * hands typed rows (rows.h) to a row_sink. Row shapes are sniffed before
 * the log shapes. */
typedef struct row_shape {
    const char *name; /* stable, stored in files.shape: "xray", "cloudwatch-metrics",
                       * "dynamodb" */
    int (*detect)(const char *head, size_t n);
    /* Same contract as shape.decode. */
    int (*decode)(reader *r, const shape_hints *hints, const row_sink *sink, mrb_err *err);
    int records; /* 1: DynamoDB change records (row_sink.ddb_record), written through the
                  * writer by the driver; 0: rows stored as they come (ingest_rows.h) */
} row_shape;

/* NULL-terminated, in detection order. */
extern const row_shape *const row_shape_registry[];

/* The row shape of a stream whose first bytes are head[0..n), or NULL. */
const row_shape *shape_sniff_rows(const char *head, size_t n);

#endif
