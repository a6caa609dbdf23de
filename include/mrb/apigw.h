/* apigw.h — API Gateway REST API log messages to typed records.
 *
 * Two log types (FORMATS.md §11): access logs, one message per request in a
 * format the user chose (the JSON, CLF, CSV and XML console presets, or
 * custom JSON / XML with any subset of the $context variables, values
 * quoted or bare, "-" meaning none); and execution logs, one message per
 * processing step, each prefixed "(<requestId>) " (since 2019) or, in the
 * older form, unprefixed after a "Starting execution for request: <id>"
 * line. An access message gives a whole row; an execution message gives
 * the facts of its one line, which the store merges per request.
 *
 * A record parser: a pure function of the message, no I/O. Text fields are
 * slices borrowed from the message, or from the document held by the
 * apigw_doc the caller passes in (valid until apigw_doc_release). */
#ifndef MRB_APIGW_H
#define MRB_APIGW_H

#include <stddef.h>
#include <stdint.h>
#include "mrb/lambda_line.h"

enum apigw_kind {
    APIGW_NONE = 0,   /* not an API Gateway message */
    APIGW_ACCESS,     /* an access-log line: a row */
    APIGW_EXEC,       /* an execution-log line: facts of one request */
    APIGW_MALFORMED   /* looks like one but cannot be read: why is set */
};

/* Which log type the message may be, from its log group. */
enum apigw_group {
    APIGW_GROUP_ANY = 0,  /* no group, or a group that names neither */
    APIGW_GROUP_EXEC,     /* API-Gateway-Execution-Logs_{restApiId}/{stage} */
    APIGW_GROUP_LAMBDA    /* /aws/lambda/...: never an API Gateway message */
};

/* The access-log format a row was read from. */
enum apigw_format {
    APIGW_FMT_EXEC = 0, APIGW_FMT_JSON, APIGW_FMT_CLF, APIGW_FMT_CSV, APIGW_FMT_XML
};

/* has bits */
#define AG_STATUS        (1u << 0)
#define AG_RESP_LENGTH   (1u << 1)
#define AG_RESP_LATENCY  (1u << 2)
#define AG_INTEG_LATENCY (1u << 3)
#define AG_INTEG_STATUS  (1u << 4)
#define AG_TIME          (1u << 5)
#define AG_STARTS        (1u << 6) /* "Starting execution for request": the
                                    * unprefixed lines that follow are its */

typedef struct apigw_rec {
    int format;                    /* enum apigw_format */
    mrb_slice request_id;          /* $context.requestId */
    mrb_slice extended_request_id; /* $context.extendedRequestId */
    mrb_slice http_method;
    mrb_slice resource_path;       /* the route template: /go/items/{id} */
    mrb_slice path;                /* the request path: /dev/go/items/42 */
    mrb_slice stage;
    mrb_slice integration_request_id; /* the Lambda RequestId */
    mrb_slice xray_trace_id;
    mrb_slice error_message;       /* API Gateway's, else the integration's */
    unsigned has;                  /* AG_* */
    int status;
    long long response_length;
    double response_latency_ms;
    double integration_latency_ms;
    int integration_status;
    int64_t ts_ms;                 /* requestTime / requestTimeEpoch (access logs) */
    const char *why;               /* APIGW_MALFORMED: a static text */
} apigw_rec;

typedef struct apigw_doc {
    void *json; /* a parsed JSON access line (json_t *), or NULL */
} apigw_doc;

/* The log type a log group allows (NULL: any). */
enum apigw_group apigw_group_of(const char *log_group);

/* The log type a log group and stream allow: a stream Lambda named
 * ("2026/11/25/[$LATEST]0123abcd..."; API Gateway never names one so) is
 * Lambda's whatever its group, which S3 exports and pasted logs do not tell. */
enum apigw_group apigw_group_of_stream(const char *log_group, const char *log_stream);

/* The restApiId and stage of an execution-log group; 0 when not one. */
int apigw_exec_group(const char *log_group, mrb_slice *api_id, mrb_slice *stage);

/* Parses one message (a trailing newline is ignored). group is what the
 * message's log group allows. An unprefixed execution line is returned as
 * APIGW_EXEC with no request_id: the caller gives it the id of the last
 * AG_STARTS line of its log stream. */
enum apigw_kind apigw_parse(const char *msg, size_t n, enum apigw_group group, apigw_rec *out,
                            apigw_doc *doc);

/* Releases what apigw_parse kept in doc; call it after every apigw_parse,
 * whatever it returned. */
void apigw_doc_release(apigw_doc *doc);

/* The runtime a route names: the first segment of the resource path (or,
 * after the stage, of the path) that attrib_from_name takes for a runtime;
 * NULL when none. */
const char *apigw_route_runtime(const apigw_rec *r);

/* "json", "clf", "csv", "xml" or "exec". */
const char *apigw_format_name(int format);

#endif
