/* records.h — the rows ingest produces: invocations and environments.
 *
 * Plain value structs. Text fields are slices borrowed from the event being
 * processed (or from the assembler's state): valid only during the callback
 * that receives the struct. Numeric fields that may be missing are flagged
 * in `has` with the LR_* bits of lambda_line.h. A time the input does not
 * carry (a copy of logs without timestamps) is EVENT_TS_NONE (event.h). */
#ifndef MRB_RECORDS_H
#define MRB_RECORDS_H

#include <stdint.h>
#include "mrb/event.h"
#include "mrb/lambda_line.h"

typedef struct invocation {
    mrb_slice function;
    mrb_slice log_group;       /* may be absent */
    mrb_slice log_stream;      /* may be absent */
    mrb_slice request_id;
    mrb_slice version;         /* from START, may be absent */
    int64_t ts_ms;             /* time of the REPORT event, or EVENT_TS_NONE */
    int64_t start_ts_ms;       /* time of the START event, 0 when not seen,
                                * EVENT_TS_NONE when it has none */
    unsigned has;              /* LR_* bits */
    double duration_ms;
    long long billed_ms;
    long long memory_mb;
    long long max_memory_mb;
    double init_ms;            /* with LR_INIT */
    double restore_ms;         /* with LR_RESTORE */
    long long billed_restore_ms;
    int cold_start;            /* 0 / 1 */
    const char *status;        /* "success", "timeout" or "error" */
    mrb_slice error_type;      /* may be absent */
    mrb_slice xray_trace_id;
    mrb_slice xray_segment_id;
    int xray_sampled;          /* with LR_XRAY_SAMPLED */
    long long app_errors;      /* ERROR / FATAL application lines of the invocation */
    mrb_slice first_error_type;    /* of the first of them, when it names one */
    mrb_slice first_error_message;
    int fn_origin;             /* enum fn_origin: how function was named (0 unknown) */
} invocation;

/* A late fact about an invocation already reported (a timeout or runtime
 * exit line after its REPORT). */
typedef struct annotation {
    mrb_slice function;
    mrb_slice request_id;
    int64_t ts_ms;             /* time of the line; its REPORT is within 16 minutes
                                * (Lambda's longest timeout is 15) */
    const char *status;        /* "timeout" or "error" */
    mrb_slice error_type;      /* may be absent */
} annotation;

/* What one input file taught about one execution environment (log stream). */
typedef struct environment {
    mrb_slice function;
    mrb_slice log_group;
    mrb_slice log_stream;
    mrb_slice runtime_version;  /* INIT_START, may be absent */
    mrb_slice runtime_arn;
    mrb_slice init_status;      /* INIT_REPORT Status, may be absent */
    mrb_slice init_error_type;
    mrb_slice init_phase;
    int64_t first_ts_ms;        /* earliest timed event of the stream in this file,
                                 * EVENT_TS_NONE when none had a time */
    int64_t last_ts_ms;         /* latest (likewise) */
    long long invocations;      /* REPORT events in this file */
    long long cold_starts;      /* of which cold */
    unsigned has;               /* LR_INIT when init_ms is set */
    double init_ms;             /* INIT_REPORT, or the cold REPORT's Init Duration */
    int fn_origin;              /* enum fn_origin: how function was named (0 unknown) */
} environment;

#endif
