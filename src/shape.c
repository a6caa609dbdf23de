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

/* Detection order: the JSON shapes by their first key, NDJSON (any flat
 * event object on the first line) last. */
const shape *const shape_registry[] = {
    &shape_s3_export,
    &shape_cli_json,
    &shape_subscription,
    &shape_awslogs,
    &shape_kinesis,
    &shape_insights,
    &shape_ndjson,
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
