/* rows.h — typed rows of the inputs that are not log events.
 *
 * X-Ray trace exports, CloudWatch metric exports and DynamoDB stream
 * records describe themselves: their decoders (shape_xray.c,
 * shape_metrics.c, shape_ddb.c) hand typed rows to a row_sink instead of log
 * events to an event_sink. Every pointer in a row is
 * borrowed: valid only during the call. */
#ifndef MRB_ROWS_H
#define MRB_ROWS_H

#include <stdint.h>
#include "mrb/ddb_file.h"
#include "mrb/err.h"

/* One X-Ray segment or subsegment (FORMATS.md 12.3). Absent strings are
 * NULL, absent numbers have their has_ flag 0. */
typedef struct xray_segment {
    const char *trace_id;    /* the segment's trace_id (subsegments: their segment's) */
    const char *id;          /* 16 hex digits */
    const char *parent_id;   /* parent_id, or the enclosing (sub)segment's id; NULL on a root */
    const char *segment_id;  /* the id of the segment document this one is part of */
    int depth;               /* 0 for a segment, 1.. for nested subsegments */
    const char *name;
    const char *origin;      /* segments: AWS::Lambda, AWS::Lambda::Function, ... */
    const char *ns;          /* subsegments: "aws", "remote", or NULL */
    double start_s;          /* epoch seconds */
    int has_end;             /* 0 while in_progress */
    double end_s;
    int inferred, error, fault, throttle, in_progress;
    const char *aws_operation;  /* aws.operation: UpdateItem, Invoke, ... */
    const char *aws_table;      /* aws.table_name */
    const char *aws_request_id; /* aws.request_id */
    const char *function_arn;   /* aws.function_arn, or resource_arn on AWS::Lambda */
    const char *http_method, *http_url;
    int has_status;
    long long http_status;
    long long line;          /* where the trace starts in the file */
} xray_segment;

/* One trace as a whole: Traces[] of batch-get-traces, or a TraceSummaries[]
 * entry of get-trace-summaries. */
typedef struct xray_trace {
    const char *trace_id;
    int has_duration;
    double duration_s;
    int has_response_time;
    double response_time_s;
    int has_flags;           /* summaries: HasError / HasFault / HasThrottle given */
    int has_error, has_fault, has_throttle;
    int has_status;
    long long http_status;
    const char *http_method, *http_url;
    int segments;            /* Segments[] count (batch-get-traces), else -1 */
    const char *source;      /* "batch-get-traces" or "get-trace-summaries" */
    long long line;
} xray_trace;

/* One CloudWatch metric value with everything that identifies it. */
typedef struct cw_point {
    const char *ns;          /* AWS/Lambda, AWS/ApiGateway, AWS/DynamoDB, ... */
    const char *metric;      /* Duration, Count, ConsumedReadCapacityUnits, ... */
    const char *dimensions;  /* "Name=Value" pairs sorted by name, joined by ','; "" for none */
    const char *stat;        /* Sum, Average, Maximum, SampleCount, p99, ... */
    int has_period;
    long long period_s;
    int64_t ts_ms;
    double value;
    const char *unit;        /* NULL when the export has none */
    const char *label;       /* the export's Label */
    const char *query_id;    /* get-metric-data result Id, else NULL */
    const char *identity_from; /* "document", "path" or "document+path" */
    long long line;
} cw_point;

typedef struct row_sink {
    int (*xray_segment)(void *arg, const xray_segment *s, mrb_err *err);
    int (*xray_trace)(void *arg, const xray_trace *t, mrb_err *err);
    int (*cw_point)(void *arg, const cw_point *p, mrb_err *err);
    ddb_record_fn ddb_record; /* a DynamoDB change record (ddb_file.h) */
    /* Something read but not as it should be (the file goes on). */
    void (*problem)(void *arg, long long line, long long offset, const char *text);
    void *arg;
} row_sink;

#endif
