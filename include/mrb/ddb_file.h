/* ddb_file.h — a whole file of DynamoDB change records, record by record.
 *
 * What a file may hold (decoded: the source has already undone gzip), any
 * of these back to back, separated by white space or nothing:
 *   {"Records": [record, ...], ...}  a Lambda DynamoDB event, or `aws
 *        dynamodbstreams get-records` output (with NextShardIterator; the
 *        CLI writes one document per page when paginating by hand); other
 *        members (NextShardIterator, window, state, shardId, ...) are skipped
 *   {"Records": [{"kinesis": {"data": "<base64>", ...}, "eventSource":
 *        "aws:kinesis", ...}, ...]}  a Lambda Kinesis event whose data is a
 *        Kinesis Data Streams for DynamoDB record (JSON, not gzip)
 *   {"Records": [{"SequenceNumber", "Data": "<base64>", "PartitionKey",
 *        ...}], "NextShardIterator", ...}  `aws kinesis get-records` output
 *        over such a stream
 *   record                           one record per line (NDJSON) or
 *                                    concatenated (Firehose), either kind,
 *                                    or a Kinesis-wrapped record
 *   [record, ...]                    an array of records (`jq .Records`)
 * A document whose first key is "Records" or "NextShardIterator" is walked
 * element by element (jscan): memory is bounded by the largest record (the
 * reader's max_line), not by the file. Any other object is read whole (up
 * to max_line) and is a record, or a small event whose "Records" come later
 * than its first key.
 *
 * Errors abort the walk (a file is stored all or nothing): invalid JSON, a
 * malformed record (see ddb_record.h), a record longer than max_line, bad
 * base64 or gzip in kinesis.data. The error carries the line and byte
 * offset where the record starts (or where the scanner stopped), and its
 * text names the record: "record 3: NewImage.price: N value \"x\" is not a
 * number". */
#ifndef MRB_DDB_FILE_H
#define MRB_DDB_FILE_H

#include <stddef.h>
#include "mrb/ddb_record.h"
#include "mrb/err.h"
#include "mrb/reader.h"

typedef struct ddb_pos {
    long long line;          /* 1-based line where the record starts (for a record
                              * inside a document read whole: where the document starts) */
    long long offset;        /* byte offset of the same, in the decoded stream */
    long long index;         /* 0-based number of the record in the file */
    const char *kinesis_seq; /* the Kinesis sequence number (kinesis.sequenceNumber or
                              * SequenceNumber) when the record came inside a Kinesis
                              * record, else NULL; borrowed for the call */
} ddb_pos;

/* Called once per record. rec and pos (and the json_t inside rec) are valid
 * only during the call: copy what is kept. Return 0 to go on, or -1 with
 * err to abort the walk (the walker fills err's line / offset with pos's
 * when fn left them unset: line 0 and offset -1). */
typedef int (*ddb_record_fn)(void *arg, const ddb_record *rec, const ddb_pos *pos, mrb_err *err);

/* 1 when the first bytes of a decoded stream (head[0..n), n less than
 * asked only at the end) are DynamoDB change records in one of the forms
 * above: the first record object (the top-level object, an element of a
 * top-level array, or an element of the first key's Records) has both a
 * "dynamodb" and an "eventName" key of its own (keys nested deeper, or
 * inside a logged message string, do not count); or its Kinesis data
 * (kinesis.data or Data) decodes to JSON naming a DynamoDB record, even
 * when cut by the end of head (a CloudWatch subscription's data is gzip);
 * or, for an empty first page, NextShardIterator is a DynamoDB Streams one
 * ("arn:aws:dynamodb:..."). Never claims CloudWatch Logs shapes: a document
 * with a top-level key of theirs (events, nextForwardToken, logEvents,
 * messageType, logGroup, awslogs, results, message, timestamp, ...) is not
 * ours. */
int ddb_file_sniff(const char *head, size_t n);

/* Walks every record of the stream in r, calling fn(arg, rec, pos, err).
 * Returns the number of records (>= 0), or -1 with err. */
long long ddb_file_walk(reader *r, ddb_record_fn fn, void *arg, mrb_err *err);

#endif
