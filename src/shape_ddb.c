/* shape_ddb.c — DynamoDB stream records, in every form ddb_file.h reads
 * (`aws dynamodbstreams get-records` output, Lambda DynamoDB events,
 * Kinesis Data Streams records, NDJSON of any of them): each record is
 * handed to the row_sink as it is walked, memory bounded by the largest. */
#include "mrb/ddb_file.h"
#include "mrb/rows.h"
#include "mrb/shape.h"

static int detect(const char *head, size_t n) { return ddb_file_sniff(head, n); }

static int decode(reader *r, const shape_hints *hints, const row_sink *sink, mrb_err *err)
{
    (void)hints;
    return ddb_file_walk(r, sink->ddb_record, sink->arg, err) < 0 ? -1 : 0;
}

const row_shape shape_ddb = {.name = "dynamodb", .detect = detect, .decode = decode, .records = 1};
