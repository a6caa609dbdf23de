/* shape.c — the registry of input shapes and content sniffing (see shape.h). */
#include "mrb/shape.h"

#include <string.h>

extern const shape shape_s3_export;
extern const shape shape_cli_json;
extern const shape shape_subscription;
extern const shape shape_awslogs;
extern const shape shape_kinesis;
extern const shape shape_insights;
extern const shape shape_ndjson;
extern const shape shape_logs_tail;
extern const shape shape_sam_logs;
extern const shape shape_logs_text;
extern const shape shape_telemetry;
extern const shape shape_text;

/* Detection order: `aws logs tail` before the S3 export (both start with a
 * time and a space; the tail's has "+00:00" and microseconds, or no
 * fraction at all), the JSON shapes by their first key, Telemetry API
 * events and JSON-format lines before NDJSON (which they decline), then the
 * other copies of text, and plain Lambda text last: it takes any text with
 * a platform line that no other shape took. */
const shape *const shape_registry[] = {
    &shape_logs_tail,
    &shape_s3_export,
    &shape_cli_json,
    &shape_subscription,
    &shape_awslogs,
    &shape_kinesis,
    &shape_insights,
    &shape_telemetry,
    &shape_ndjson,
    &shape_sam_logs,
    &shape_logs_text,
    &shape_text,
    NULL,
};

const shape *shape_sniff(const char *head, size_t n)
{
    for (int i = 0; shape_registry[i]; i++)
        if (shape_registry[i]->detect(head, n))
            return shape_registry[i];
    return NULL;
}

const shape *shape_find(const char *name)
{
    for (int i = 0; shape_registry[i]; i++)
        if (!strcmp(shape_registry[i]->name, name))
            return shape_registry[i];
    return NULL;
}

extern const row_shape shape_xray;
extern const row_shape shape_metrics;
extern const row_shape shape_ddb;

/* Their first keys are their own: no log shape starts with them. */
const row_shape *const row_shape_registry[] = {
    &shape_xray,
    &shape_metrics,
    &shape_ddb, /* declines every CloudWatch shape (ddb_file_sniff) */
    NULL,
};

const row_shape *shape_sniff_rows(const char *head, size_t n)
{
    for (int i = 0; row_shape_registry[i]; i++)
        if (row_shape_registry[i]->detect(head, n))
            return row_shape_registry[i];
    return NULL;
}
