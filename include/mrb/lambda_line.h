/* lambda_line.h — Lambda platform text lines to typed records.
 *
 * Pure functions: no allocation, no I/O. Every text slice in a record points
 * into the message it was parsed from (or, for a default such as the error
 * type of a runtime exit line that names none, to a static string) and is
 * valid as long as that message.
 * REPORT and INIT_REPORT are tokenised as `Key: value [unit]` pairs split on
 * tabs or runs of spaces, so field order, trailing tabs and the odd stray
 * space do not matter. Formats: shared FORMATS.md §1. */
#ifndef MRB_LAMBDA_LINE_H
#define MRB_LAMBDA_LINE_H

#include <stddef.h>

#include "mrb/slice.h"

enum lambda_kind {
    LAMBDA_OTHER = 0,    /* not a platform line (application output) */
    LAMBDA_START,        /* START RequestId: <id> [Version: <v>] */
    LAMBDA_END,          /* END RequestId: <id> */
    LAMBDA_REPORT,       /* REPORT RequestId: <id>\tDuration: ... */
    LAMBDA_INIT_START,   /* INIT_START Runtime Version: ...\tRuntime Version ARN: ...
                          * (and SnapStart's RESTORE_START, the same layout) */
    LAMBDA_INIT_REPORT,  /* INIT_REPORT Init Duration: ... [Phase/Status/Error Type] */
    LAMBDA_TIMEOUT,      /* [<ISO> <id>] Task timed out after N seconds */
    LAMBDA_RUNTIME_EXIT, /* RequestId: <id> Error: Runtime exited ... / Process exited ... */
    LAMBDA_EXTENSION,    /* EXTENSION\tName: ...  and TELEMETRY\tName: ...; RESTORE_REPORT */
    LAMBDA_MALFORMED,    /* starts like a platform line but cannot be read: see why */
    LAMBDA_KIND_COUNT
};

/* Which optional fields a record carries (bits of lambda_record.has). */
enum {
    LR_DURATION = 1u << 0,
    LR_BILLED = 1u << 1,
    LR_MEMORY = 1u << 2,
    LR_MAX_MEMORY = 1u << 3,
    LR_INIT = 1u << 4,
    LR_RESTORE = 1u << 5,
    LR_BILLED_RESTORE = 1u << 6,
    LR_TIMEOUT_S = 1u << 7,
    LR_XRAY_SAMPLED = 1u << 8
};

typedef struct lambda_record {
    enum lambda_kind kind;
    unsigned has;              /* LR_* bits for the numeric fields below */
    mrb_slice request_id;      /* START, END, REPORT, TIMEOUT (if given), RUNTIME_EXIT */
    mrb_slice version;         /* START: Version */
    mrb_slice runtime_version; /* INIT_START: e.g. "python:3.11.v29" */
    mrb_slice runtime_arn;     /* INIT_START: Runtime Version ARN */
    mrb_slice status;          /* REPORT / INIT_REPORT: "timeout", "error", ... as written */
    mrb_slice error_type;      /* REPORT / INIT_REPORT / RUNTIME_EXIT: e.g. Runtime.ExitError */
    mrb_slice phase;           /* INIT_REPORT: "init" or "invoke" */
    mrb_slice xray_trace_id;   /* REPORT: XRAY TraceId */
    mrb_slice xray_segment_id; /* REPORT: SegmentId */
    mrb_slice name;            /* EXTENSION / TELEMETRY: Name */
    double duration_ms;        /* REPORT Duration */
    double init_ms;            /* REPORT or INIT_REPORT Init Duration */
    double restore_ms;         /* REPORT Restore Duration */
    double timeout_s;          /* TIMEOUT: seconds */
    long long billed_ms;       /* REPORT Billed Duration */
    long long memory_mb;       /* REPORT Memory Size */
    long long max_memory_mb;   /* REPORT Max Memory Used */
    long long billed_restore_ms; /* REPORT Billed Restore Duration */
    int xray_sampled;          /* REPORT Sampled: 1 true, 0 false */
    int unknown_keys;          /* REPORT / INIT_REPORT keys not recognised (kept out) */
    const char *why;           /* MALFORMED: static text saying what is wrong */
} lambda_record;

/* The numeric fields of REPORT and INIT_REPORT as the text line names them
 * and as a platform.report record's metrics do (lambda_json.h): one table
 * for both readers. */
typedef struct lambda_num_field {
    const char *text_key; /* "Billed Duration" */
    const char *json_key; /* "billedDurationMs" */
    unsigned bit;         /* its LR_* bit */
    int is_int;           /* a long long member (else a double) */
    size_t off;           /* offsetof(lambda_record, member) */
} lambda_num_field;

#define LAMBDA_NUM_FIELDS 7
extern const lambda_num_field lambda_num_fields[LAMBDA_NUM_FIELDS];

/* Parses one log event message (a trailing "\n" or "\r\n" is ignored) into
 * out and returns out->kind. Never fails: lines it does not know are
 * LAMBDA_OTHER, platform lines it cannot read are LAMBDA_MALFORMED. */
enum lambda_kind lambda_parse(const char *msg, size_t n, lambda_record *out);

/* A short stable name for a kind ("report", "start", ...). */
const char *lambda_kind_name(enum lambda_kind k);

#endif
