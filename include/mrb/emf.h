/* emf.h — CloudWatch Embedded Metric Format documents in log events.
 *
 * Finds the EMF document of one log event message, validates it as
 * CloudWatch does (FORMATS.md §5), and hands each metric value to a
 * callback. Where the document may stand:
 *   the whole message (Powertools Python, hand-written EMF, any runtime in
 *     the Lambda JSON log format, Lambda Insights), white space around it;
 *   after a Lambda text prefix: Node.js "<ISO>\t<requestId>\t<LEVEL>\t" (the
 *     document may start on the next line: Powertools TypeScript pretty-prints)
 *     or Python "[<LEVEL>]\t<ISO>\t<requestId>\t".
 * A message is only parsed when it contains "_aws" between quotes and the
 * text at that place starts with '{' or '['; everything else costs one
 * memmem and is "not EMF". A well-formed valid document is read in place
 * (emf_fast.h); jansson parses every other one and judges its reason.
 *
 * Values: one per number of a metric's root member (a number, or an array of
 * up to 100 numbers: one value each), under the metric's directive. A
 * directive with several dimension sets still gives each value once; its
 * dimensions are every key the sets name, with the root member's string
 * value, as one canonical JSON object (keys sorted, compact). A document
 * that breaks a rule of the specification gives no value at all (as in
 * CloudWatch): emf_extract reports the first rule broken as an enum
 * emf_reason with a stable name.
 *
 * Lambda Insights performance events ("event_type": "performance", or an
 * "_aws.LambdaInsights" member) are recognised: their values belong to the
 * function their "function_name" names, not to the log group they are in.
 *
 * Pure module: no I/O, no printing. Ownership: everything in an emf_value
 * (and in emf_result) is borrowed for the duration of the callback (of the
 * call); the caller copies what it keeps. */
#ifndef MRB_EMF_H
#define MRB_EMF_H

#include <stddef.h>
#include <stdint.h>

#define EMF_MAX_METRICS 100    /* per directive */
#define EMF_MAX_DIMENSIONS 30  /* keys per dimension set */
#define EMF_MAX_VALUES 100     /* numbers per metric member */

/* Why a document gave no values. Names (emf_reason_name) are stable: they
 * are counter keys in the database (metric_rejects.reason). */
enum emf_reason {
    EMF_OK = 0,
    EMF_INVALID_JSON,        /* "invalid-json": not parseable JSON (or text after it) */
    EMF_NOT_OBJECT,          /* "not-object": the document is not a JSON object */
    EMF_NO_AWS,              /* "no-aws": no "_aws" object at the root */
    EMF_BAD_TIMESTAMP,       /* "bad-timestamp": _aws.Timestamp missing or not ms >= 0 */
    EMF_BAD_DIRECTIVE,       /* "bad-directive": CloudWatchMetrics not an array of
                              * {Namespace 1..1024 chars, Dimensions: a non-empty array of
                              * arrays of keys (1..250 chars), Metrics: [{Name 1..1024}]} */
    EMF_BAD_DIMENSION,       /* "bad-dimension": a dimension key without a string root
                              * member of at most 1024 characters */
    EMF_TOO_MANY_DIMENSIONS, /* "too-many-dimensions": a set of more than 30 keys */
    EMF_VALUE_NOT_NUMBER,    /* "value-not-number": a metric whose root member is missing,
                              * not a number, an empty array or an array with a non-number */
    EMF_TOO_MANY_METRICS,    /* "too-many-metrics": more than 100 in a directive */
    EMF_TOO_MANY_VALUES,     /* "too-many-values": an array of more than 100 numbers */
    EMF_UNKNOWN_UNIT,        /* "unknown-unit": a Unit not in the specification's list */
    EMF_BAD_RESOLUTION,      /* "bad-resolution": StorageResolution not 1 or 60 */
    EMF_REASON_COUNT
};

/* The stable name of a reason ("invalid-json" ...; "ok" for EMF_OK). */
const char *emf_reason_name(enum emf_reason r);

/* One metric value, borrowed for the duration of the callback. */
typedef struct emf_value {
    int64_t ts_ms;              /* _aws.Timestamp (epoch ms) */
    const char *ns;             /* Namespace */
    const char *metric;         /* Name */
    const char *unit;           /* Unit, "None" when absent */
    int storage_resolution;     /* 1 or 60 (the default) */
    double value;
    int value_index;            /* position in the member's array; 0 for a plain number */
    int seq;                    /* position among all values of the document (0, 1, ...) */
    int directive;              /* position of its directive in CloudWatchMetrics: ns,
                                 * dimensions and dimension_sets change only with it */
    const char *dimensions;     /* canonical JSON object: {"key":"value",...}, keys sorted */
    const char *dimension_sets; /* the directive's sets, canonical: each set's keys sorted and
                                 * unique, the sets (as compact JSON) in byte order and unique:
                                 * [["a","b"],["a"]] */
    const char *request_id;     /* the prefix's request id, else the document's "requestId",
                                 * "request_id" or "function_request_id"; NULL when none */
    const char *function_name;  /* Lambda Insights: the function; NULL otherwise */
    size_t offset;              /* where the document starts in the message (after any
                                 * prefix and white space) */
} emf_value;

/* What emf_extract found. */
typedef struct emf_result {
    int is_emf;              /* 1 when the message held a document to judge */
    enum emf_reason reason;  /* EMF_OK, or why the document gave no value */
    char detail[160];        /* for a reject: what exactly ("unit 'Secs' of 'Latency'"),
                              * names from the log cut to 40 printable ASCII bytes */
    size_t offset;           /* where the document starts in the message */
    int values;              /* values handed to the callback */
    int insights;            /* a Lambda Insights performance event */
    int inplace;             /* read by the in-place reader (emf_fast.h), not jansson */
} emf_result;

/* Called for each value of a valid document, in document order; returns 0
 * to go on, -1 to stop (emf_extract then returns -1). */
typedef int (*emf_value_fn)(void *arg, const emf_value *v);

/* 1 when msg[0..n) may hold an EMF document (contains "\"_aws\""); a cheap
 * first test for callers that do other work on the message first. */
int emf_maybe(const char *msg, size_t n);

/* Looks for a document in msg[0..n) (not NUL-terminated) and, when it is
 * valid, calls fn for each value. Returns 0 (res says whether a document was
 * there, and whether it was valid), or -1 when fn asked to stop. Never
 * fails otherwise; any input is safe. */
int emf_extract(const char *msg, size_t n, emf_value_fn fn, void *arg, emf_result *res);

/* emf_extract with jansson alone: the reference the in-place reader is
 * tested against (tests/unit/test_emf.c). */
int emf_extract_jansson(const char *msg, size_t n, emf_value_fn fn, void *arg, emf_result *res);

#endif
