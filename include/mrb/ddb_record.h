/* ddb_record.h — one DynamoDB change record, from any shape, into a struct.
 *
 * Two record shapes are read (FORMATS.md §6):
 *   DynamoDB Streams (Lambda event Records[] element, `aws dynamodbstreams
 *     get-records` Records[] element): eventID (32 hex), eventName,
 *     eventVersion, eventSource "aws:dynamodb", awsRegion, optional
 *     eventSourceARN, optional userIdentity, dynamodb {ApproximateCreationDateTime
 *     (epoch s), Keys, NewImage, OldImage, SequenceNumber, SizeBytes,
 *     StreamViewType};
 *   Kinesis Data Streams for DynamoDB (the JSON inside a Kinesis record's
 *     data): tableName, recordFormat, eventID (a UUID), userIdentity null or
 *     the TTL object, no SequenceNumber / StreamViewType / eventSourceARN, and
 *     ApproximateCreationDateTime in ms or µs.
 * A record is the Kinesis kind when it has tableName or recordFormat.
 *
 * ApproximateCreationDateTime: an integer or a real (1571849028.0), or an
 * ISO 8601 string. Its unit comes from dynamodb.ApproximateCreationDateTimePrecision
 * ("MILLISECOND" / "MICROSECOND") when present, else from the magnitude:
 * > 1e14 µs, > 1e11 ms, else s. ISO strings are s, or ms with a fraction.
 *
 * Strict: a record without a string eventID, an eventName other than
 * INSERT / MODIFY / REMOVE, without a dynamodb object or its Keys object, a
 * field of the wrong JSON type, a malformed AttributeValue, a negative or
 * absurd timestamp, is an error (text with the field's path, e.g.
 * "dynamodb.NewImage.price: N value \"x\" is not a number"); the struct is
 * then left empty. Unknown fields are ignored.
 *
 * Ownership: every char * in the struct is owned by it (NUL-terminated,
 * released by ddb_record_free). The json_t * members are borrowed from the
 * object given to ddb_record_parse and are valid only while it is. */
#ifndef MRB_DDB_RECORD_H
#define MRB_DDB_RECORD_H

#include <jansson.h>
#include <stdint.h>
#include "mrb/err.h"
#include "mrb/sb.h"

enum ddb_event { DDB_EVENT_INSERT = 1, DDB_EVENT_MODIFY, DDB_EVENT_REMOVE };

enum ddb_origin {
    DDB_ORIGIN_STREAMS = 1, /* DynamoDB Streams (Lambda event, get-records) */
    DDB_ORIGIN_KINESIS      /* Kinesis Data Streams for DynamoDB */
};

/* The unit ApproximateCreationDateTime was written in. */
enum ddb_precision { DDB_TS_NONE = 0, DDB_TS_S, DDB_TS_MS, DDB_TS_US };

typedef struct ddb_record {
    enum ddb_origin origin;
    char *event_id;           /* eventID */
    enum ddb_event event;     /* from eventName */
    char *table_name;         /* tableName, else the ARN's "table/<name>/", else NULL */
    char *region;             /* awsRegion, else the ARN's region, else NULL */
    char *stream_arn;         /* eventSourceARN, or NULL */
    char *stream_view_type;   /* dynamodb.StreamViewType, or NULL */
    char *sequence_number;    /* dynamodb.SequenceNumber as text (21-40 digits), or NULL */
    int has_ts;               /* 0 when there is no ApproximateCreationDateTime */
    int64_t approx_ts_ms;     /* epoch ms (floor of ts_us / 1000) */
    int64_t approx_ts_us;     /* epoch µs (exact for every source precision) */
    enum ddb_precision ts_precision;
    int ttl_delete;           /* userIdentity {type Service, principalId dynamodb.amazonaws.com} */
    char *keys_json;          /* plain JSON of Keys (see ddb_value.h) */
    char *new_image_json;     /* plain JSON of NewImage, or NULL when absent */
    char *old_image_json;     /* plain JSON of OldImage, or NULL when absent */
    long long size_bytes;     /* dynamodb.SizeBytes as given, or -1 */
    long long keys_size;      /* ddb_item_size of Keys */
    long long new_size;       /* of NewImage, or -1 when absent */
    long long old_size;       /* of OldImage, or -1 when absent */
    long long item_size;      /* the larger of new_size and old_size; -1 when both absent */
    long long wru;            /* ddb_wru(item_size), or -1 when item_size is -1 */
    char *dedupe_key;         /* ddb_record_dedupe_key, computed once */
    const json_t *keys;       /* borrowed: dynamodb.Keys */
    const json_t *new_image;  /* borrowed: dynamodb.NewImage, or NULL */
    const json_t *old_image;  /* borrowed: dynamodb.OldImage, or NULL */
} ddb_record;

/* Reads one record object into *out (overwritten; no need to initialise).
 * Returns 0, or -1 with err (line 0, offset -1: the caller knows where the
 * record was) and *out empty (ddb_record_free on it is harmless). */
int ddb_record_parse(const json_t *rec, ddb_record *out, mrb_err *err);

/* Releases what the record owns and empties it. */
void ddb_record_free(ddb_record *r);

/* "INSERT", "MODIFY", "REMOVE". */
const char *ddb_event_name(enum ddb_event e);

/* "s", "ms", "us", or "" for DDB_TS_NONE. */
const char *ddb_precision_name(enum ddb_precision p);

/* "streams" or "kinesis". */
const char *ddb_origin_name(enum ddb_origin o);

/* The table name in a stream ARN ("arn:aws:dynamodb:REGION:ACCOUNT:table/
 * NAME/stream/LABEL"), appended to out; 0, or -1 when arn has no "table/". */
int ddb_arn_table(const char *arn, sb *out);

/* The region field of an ARN appended to out; 0, or -1 when not an ARN. */
int ddb_arn_region(const char *arn, sb *out);

/* The idempotency identity of a record, as compact JSON text appended to
 * out (equal records give equal text; distinct fields cannot run into each
 * other):
 *   streams: ["streams", STREAM, EVENT_ID] where STREAM is the table name
 *            (from tableName or the ARN), else the stream ARN when it names
 *            no table, else "": event ids are unique per table's stream, and
 *            keying by table makes a record read with its ARN (a Lambda
 *            event) and without it (get-records, given the table by the
 *            caller: set table_name and compute the key again) one record
 *   kinesis: ["kinesis", TABLE, KEYS, TS_US, EVENT] where KEYS is Keys with
 *            attributes sorted by name, each {"TAG": payload} without null
 *            tags, TS_US the timestamp in µs (null when absent) and EVENT
 *            "INSERT" / "MODIFY" / "REMOVE" (table "" when unknown).
 * keys must be r->keys (valid) for the kinesis form. */
void ddb_record_dedupe_key(const ddb_record *r, sb *out);

#endif
