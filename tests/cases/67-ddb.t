#!/usr/bin/env bash
# DynamoDB stream records end to end: every record form (Lambda DynamoDB
# events, get-records output, Lambda Kinesis events, decoded Kinesis records,
# NDJSON, gzip), every AttributeValue type, s / ms / µs timestamps, 40-digit
# sequence numbers, TTL deletes, KEYS_ONLY and NEW_IMAGE views, idempotency,
# malformed records (a clear error and nothing stored), item sizes and WRU
# against hand-computed values, every conformance rule, runtime attribution
# by the map file and by the ids the logs name (in either order), the
# summary, and a large document read with bounded memory.
. "$(dirname "$0")/../lib.sh"
plan 51

ARN=arn:aws:dynamodb:us-east-1:123456789012:table
# rec ID EVENT TABLE TS KEYS [MEMBERS]: a DynamoDB Streams record (Lambda event
# element); MEMBERS are more members of "dynamodb" (",\"NewImage\":{...}")
rec() {
    printf '{"eventID":"%s","eventName":"%s","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{"ApproximateCreationDateTime":%s,"Keys":%s%s,"StreamViewType":"NEW_AND_OLD_IMAGES"},"eventSourceARN":"%s/%s/stream/2026-11-01T00:00:00.000"}' \
        "$1" "$2" "$4" "$5" "${6:-}" "$ARN" "$3"
}
# item ID [PRICE [CREATED [UPDATED [EXTRA]]]]: an image of the benchmark's item
item() {
    printf '{"id":{"S":"%s"},"name":{"S":"n"},"description":{"S":"d"},"price":{"N":"%s"},"created_at":{"N":"%s"},"updated_at":{"N":"%s"}%s}' \
        "$1" "${2:-1.50}" "${3:-1795575600000}" "${4:-1795575600000}" "${5:-}"
}
key() { printf '{"id":{"S":"%s"}}' "$1"; }
event() { printf '{"Records": ['; local sep=""; for r in "$@"; do printf '%s%s' "$sep" "$r"; sep=", "; done; printf ']}\n'; }

# ---- every AttributeValue type, exact numbers, a 40-digit sequence number
event "$(printf '{"eventID":"types-1","eventName":"MODIFY","eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{"ApproximateCreationDateTime":1480642020,"Keys":{"key":{"S":"binary"}},"NewImage":{"key":{"S":"binary"},"Binary":{"B":"AAEqQQ=="},"Boolean":{"BOOL":true},"BinarySet":{"BS":["AAEqQQ==","QSoBAA=="]},"List":{"L":[{"S":"Cookies"},{"S":"Coffee"},{"N":"3.14159"}]},"Map":{"M":{"Name":{"S":"Joe"},"Age":{"N":"35"}}},"FloatNumber":{"N":"123.45"},"NumberSet":{"NS":["1234","567.8"]},"Null":{"NULL":true},"String":{"S":"Hello"},"StringSet":{"SS":["Giraffe","Zebra"]},"EmptyStringSet":{"SS":[]},"Big":{"N":"12345678901234567890123456789012345678"},"b2":{"B":"test"}},"SequenceNumber":"1234567890123456789012345678901234567890","StreamViewType":"NEW_IMAGE"},"eventSourceARN":"%s/Example-Table/stream/2016-12-01T00:00:00.000"}' "$ARN")" >"$T/types.json"
run --db "$T/t.db" ingest "$T/types.json"
is "$RC" 0 "a Lambda DynamoDB event ingests"
is "$(q "$T/t.db" "select new_image from stream_records")" \
   '{"key":"binary","Binary":"AAEqQQ==","Boolean":true,"BinarySet":["AAEqQQ==","QSoBAA=="],"List":["Cookies","Coffee",3.14159],"Map":{"Name":"Joe","Age":35},"FloatNumber":123.45,"NumberSet":[1234,567.8],"Null":null,"String":"Hello","StringSet":["Giraffe","Zebra"],"EmptyStringSet":[],"Big":12345678901234567890123456789012345678,"b2":"test"}' \
   "every AttributeValue type becomes plain JSON (B as base64, sets and lists as arrays, M as objects)"
is "$(q "$T/t.db" "select new_image -> '\$.Big', text, exact, printf('%.6e', value) from stream_records, stream_numbers where attribute = 'Big'")" \
   "12345678901234567890123456789012345678|12345678901234567890123456789012345678|0|1.234568e+37" \
   "a 38-digit N keeps its digits (JSON and text), with a REAL marked inexact"
is "$(q "$T/t.db" "select text, value, exact from stream_numbers where attribute = 'FloatNumber'")" "123.45|123.45|1" "a REAL that fits is exact"
is "$(q "$T/t.db" "select sequence_number, typeof(sequence_number), table_name, table_from, stream_view_type from stream_records")" \
   "1234567890123456789012345678901234567890|text|Example-Table|record|NEW_IMAGE" "a 40-digit sequence number is kept as text; the table comes from the ARN"
is "$(q "$T/t.db" "select shape, stream_records, stream_records_new, events from files")" "dynamodb|1|1|0" "the files row says what the file held"

# ---- timestamps: seconds (Streams), milliseconds and microseconds (Kinesis)
kds() { # kds ID TS [PRECISION-MEMBER]: a Kinesis Data Streams for DynamoDB record
    printf '{"awsRegion":"us-east-1","eventID":"%s","eventName":"INSERT","userIdentity":null,"recordFormat":"application/json","tableName":"kds-items","dynamodb":{"ApproximateCreationDateTime":%s%s,"Keys":{"id":{"S":"%s"}},"NewImage":%s,"SizeBytes":40},"eventSource":"aws:dynamodb"}' \
        "$1" "$2" "${3:-}" "$1" "$(item "$1")"
}
ms=$(kds k-ms 1795575600123)
us=$(kds k-us 1795575600123456)
usx=$(kds k-usx 1795575600123456 ',"ApproximateCreationDateTimePrecision":"MICROSECOND"')
printf '{"Records": [{"kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "p", "sequenceNumber": "49590338271490256608559692538361571095921575989136588898", "data": "%s", "approximateArrivalTimestamp": 1795575600.2}, "eventSource": "aws:kinesis", "eventID": "shardId-000000000006:4959", "eventName": "aws:kinesis:record"}]}\n' \
    "$(printf '%s' "$ms" | base64 -w0)" >"$T/kinesis-event.json"
printf '%s\n%s\n' "$us" "$usx" | gzip -c >"$T/kds.ndjson.gz"
run --db "$T/t.db" ingest "$T/kinesis-event.json" "$T/kds.ndjson.gz"
is "$RC" 0 "a Lambda Kinesis event and gzip NDJSON of Kinesis records ingest"
is "$(q "$T/t.db" "select event_id, origin, approx_ts_ms, approx_ts_us, ts_precision from stream_records where table_name = 'kds-items' order by 1")" \
"k-ms|kinesis|1795575600123|1795575600123000|ms
k-us|kinesis|1795575600123|1795575600123456|us
k-usx|kinesis|1795575600123|1795575600123456|us" "milliseconds and microseconds are told by magnitude or by the precision member"
is "$(q "$T/t.db" "select approx_ts_ms, approx_ts_us, ts_precision from stream_records where event_id = 'types-1'")" \
   "1480642020000|1480642020000000|s" "Streams records are seconds"
is "$(q "$T/t.db" "select kinesis_seq from stream_records where event_id = 'k-ms'")" "49590338271490256608559692538361571095921575989136588898" \
   "the Kinesis sequence number is kept"
# the same change read again (another eventID: Kinesis dedupes on table, keys, time and event)
printf '%s\n' "$(printf '%s' "$ms" | sed 's/"eventID":"k-ms"/"eventID":"other-uuid"/')" >"$T/kds-again.ndjson"
run --db "$T/t.db" ingest "$T/kds-again.ndjson"
like "$ERR" "stream records: 0 new, 1 already known" "a Kinesis record seen twice is stored once"

# ---- get-records output: no ARN; a map table= names the table, and then the
# same record from a Lambda event is the same record
gr=$(rec 'c3b5d798eef6215d42f8137b19a88e50' INSERT Music 1571849028.0 "$(key song-1)" ",\"NewImage\":$(item song-1),\"SequenceNumber\":\"700000000013256296913\",\"SizeBytes\":119" |
     sed 's/,"eventSourceARN":"[^"]*"//')
printf '{\n    "Records": [\n        %s\n    ],\n    "NextShardIterator": "arn:aws:dynamodb:us-west-2:123456789012:table/Music/stream/2019-10-23T16:41:08.740|1|AAAAAAAAAAH"\n}\n' "$gr" >"$T/get-records.json"
event "$(rec 'c3b5d798eef6215d42f8137b19a88e50' INSERT Music 1571849028 "$(key song-1)" ",\"NewImage\":$(item song-1),\"SequenceNumber\":\"700000000013256296913\",\"SizeBytes\":119")" >"$T/music-event.json"
printf '*get-records* table=Music\n' >"$T/table.map"
run --db "$T/g.db" ingest --map "$T/table.map" "$T/get-records.json" "$T/music-event.json"
is "$RC" 0 "get-records output ingests"
is "$(q "$T/g.db" "select count(*), table_name, table_from, approx_ts_ms from stream_records")" "1|Music|map|1571849028000" \
   "with the map's table=, get-records and the Lambda event give one record (float seconds read)"
run --db "$T/g2.db" ingest "$T/get-records.json" "$T/music-event.json"
is "$(q "$T/g2.db" "select count(*), count(table_name) from stream_records")" "2|1" "without it, a record without a table cannot be matched with its stream's (documented)"

# ---- views, TTL deletes, sizes and WRU by hand
x1020=$(head -c 1020 /dev/zero | tr '\0' x)
x1016=$(head -c 1016 /dev/zero | tr '\0' x)
{
    # 1028 bytes: id (2 + 2) + blob (4 + 1020): 2 WRU
    rec s-1 INSERT sizes 1795575601 "$(key a1)" ",\"NewImage\":{\"id\":{\"S\":\"a1\"},\"blob\":{\"S\":\"$x1020\"}}"
    echo
    # exactly 1024: 1 WRU
    rec s-2 INSERT sizes 1795575601 "$(key b1)" ",\"NewImage\":{\"id\":{\"S\":\"b1\"},\"blob\":{\"S\":\"$x1016\"}}"
    echo
    # N 123.4500: 1 + ceil(5 significant digits / 2) = 4, + name 1; id 2 + 1: 8
    rec s-3 INSERT sizes 1795575601 "$(key c)" ',"NewImage":{"id":{"S":"c"},"n":{"N":"123.4500"}}'
    echo
    # M: 1 + 3 + (1 + 1 + 2) = 8; L: 1 + 3 + (1 + 2) + (1 + 1) = 9; id 3: 20
    rec s-4 INSERT sizes 1795575601 "$(key d)" ',"NewImage":{"id":{"S":"d"},"m":{"M":{"a":{"S":"xy"}}},"l":{"L":[{"N":"1"},{"BOOL":true}]}}'
    echo
    # MODIFY: the larger image (new 1028 against old 1024): 2 WRU
    rec s-5 MODIFY sizes 1795575602 "$(key a1)" ",\"NewImage\":{\"id\":{\"S\":\"a1\"},\"blob\":{\"S\":\"$x1020\"}},\"OldImage\":{\"id\":{\"S\":\"a1\"},\"blob\":{\"S\":\"${x1020:4}\"}}"
    echo
    # KEYS_ONLY: no image, the keys (a lower bound): 1 WRU
    rec s-6 REMOVE sizes 1795575603 "$(key a1)" | sed 's/NEW_AND_OLD_IMAGES/KEYS_ONLY/'
    echo
    # a TTL delete: DynamoDB's own, free
    rec s-7 REMOVE sizes 1795575604 "$(key b1)" ",\"OldImage\":{\"id\":{\"S\":\"b1\"},\"blob\":{\"S\":\"$x1016\"}}" |
        sed 's/"awsRegion":"us-east-1",/&"userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"},/'
    echo
} >"$T/sizes.ndjson"
run --db "$T/s.db" ingest "$T/sizes.ndjson"
is "$RC" 0 "NDJSON of Streams records ingests"
is "$(q "$T/s.db" "select event_id, coalesce(new_size, '-'), coalesce(old_size, '-'), coalesce(item_size, '-'), wru, wru_basis, ttl_delete, images_checked from stream_records order by 1")" \
"s-1|1028|-|1028|2|image|0|1
s-2|1024|-|1024|1|image|0|1
s-3|8|-|8|1|image|0|1
s-4|20|-|20|1|image|0|1
s-5|1028|1024|1028|2|image|0|2
s-6|-|-|-|1|keys|0|0
s-7|-|1024|1024|0|ttl|1|1" "sizes by DynamoDB's rules and WRU per started KB, by hand; KEYS_ONLY and TTL deletes"
is "$(q "$T/s.db" "select keys_size from stream_records where event_id = 's-6'")" 4 "the keys' own size (2 + 2)"

# ---- conformance: every rule, and a clean item
{
    rec v-ok INSERT conf 1795575605 "$(key ok)" ",\"NewImage\":$(item ok)"; echo
    rec v-missing INSERT conf 1795575605 "$(key m)" ',"NewImage":{"id":{"S":"m"},"description":{"S":"d"},"price":{"N":"1"},"created_at":{"N":"1795575600000"},"updated_at":{"N":"1795575600000"}}'; echo
    rec v-extra INSERT conf 1795575605 "$(key e)" ",\"NewImage\":$(item e 1 1795575600000 1795575600000 ',"color":{"S":"red"}')"; echo
    rec v-type INSERT conf 1795575605 "$(key t)" ",\"NewImage\":$(item t | sed 's/"price":{"N"/"price":{"S"/')"; echo
    rec v-seconds INSERT conf 1795575605 "$(key s)" ",\"NewImage\":$(item s 1 1795575600 1795575600)"; echo
    rec v-negative INSERT conf 1795575605 "$(key n)" ",\"NewImage\":$(item n -0.01)"; echo
    rec v-order MODIFY conf 1795575605 "$(key o)" ",\"NewImage\":$(item o 1 1795575600000 1795575599999),\"OldImage\":$(item o)"; echo
} >"$T/conf.ndjson"
run --db "$T/c.db" ingest "$T/conf.ndjson"
is "$(q "$T/c.db" "select r.event_id || ' ' || coalesce(group_concat(v.kind || ':' || v.attribute, ' '), '-') from stream_records r left join stream_violations v using (record_id) group by r.record_id order by r.record_id")" \
"v-ok -
v-missing missing-attribute:name
v-extra extra-attribute:color
v-type wrong-type:price
v-seconds timestamp-in-seconds:created_at timestamp-in-seconds:updated_at
v-negative negative-number:price
v-order updated-before-created:updated_at" "each rule of the default item schema is found, with its attribute"
is "$(q "$T/c.db" "select violations from stream_records where event_id = 'v-seconds'")" 2 "the record counts its violations"
like "$ERR" "stream records: 7 new, 0 already known; 7 conformance violations in the new" "the summary counts violations"
is "$(q "$T/c.db" "select lag_ms, item_ts_attribute from stream_records where event_id = 'v-ok'")" "5000|updated_at" \
   "lag: ApproximateCreationDateTime minus updated_at"
is "$(q "$T/c.db" "select count(lag_ms) from stream_records where event_id = 'v-seconds'")" 0 "times in seconds give no lag"
# a schema from the map (schema lines), and one from a JSON file for a table
printf '{"attributes": [{"name": "id", "type": "S", "required": true}, {"name": "qty", "type": "N", "nonnegative": true}], "extra": true}\n' >"$T/orders.json"
printf 'schema id:S! name:S!\nschema extra=allow\nddb:orders schema=orders.json\n' >"$T/schema.map"
{
    rec m-1 INSERT conf 1795575605 "$(key m1)" ',"NewImage":{"id":{"S":"m1"},"color":{"S":"red"}}'; echo
    rec m-2 INSERT orders 1795575605 "$(key m2)" ',"NewImage":{"id":{"S":"m2"},"qty":{"N":"-1"},"color":{"S":"red"}}'; echo
} >"$T/schema.ndjson"
run --db "$T/c2.db" ingest --map "$T/schema.map" "$T/schema.ndjson"
is "$(q "$T/c2.db" "select r.event_id || ' ' || group_concat(v.kind || ':' || v.attribute, ' ') from stream_records r join stream_violations v using (record_id) group by r.record_id order by 1")" \
"m-1 missing-attribute:name
m-2 negative-number:qty" "the map's schema lines, and a table's schema= file (JSON, beside the map), replace the default"

# ---- malformed records: a clear error, nothing of the file stored
{ rec ok-1 INSERT bad 1795575601 "$(key a)"; echo; rec ok-2 INSERT bad 1795575601 "$(key b)"; echo
  rec bad-3 INSERT bad 1795575601 "$(key c)" ',"NewImage":{"id":{"S":"c"},"price":{"N":"abc"}}'; echo; } >"$T/bad-value.ndjson"
event "$(rec ok-1 INSERT bad 1795575601 "$(key a)")" "$(rec bad-2 UPSERT bad 1795575601 "$(key b)")" >"$T/bad-event.json"
printf '{"Records": [%s, {"eventID": ]}\n' "$(rec ok-1 INSERT bad 1795575601 "$(key a)")" >"$T/bad-json.json"
printf '{"Records": [{"kinesis": {"data": "%s", "sequenceNumber": "1"}, "eventSource": "aws:kinesis"}, {"kinesis": {"data": "not base64!", "sequenceNumber": "2"}, "eventSource": "aws:kinesis"}]}\n' \
    "$(kds k1 1795575600123 | base64 -w0)" >"$T/bad-kinesis.json"
{ rec ok-1 INSERT bad 1795575601 "$(key a)"; echo; rec no-keys INSERT bad 1795575601 '[]'; echo; } >"$T/bad-keys.ndjson"
run --db "$T/b.db" ingest "$T/bad-value.ndjson" "$T/bad-event.json" "$T/bad-json.json" "$T/bad-kinesis.json" "$T/bad-keys.ndjson" "$T/sizes.ndjson"
is "$RC" 1 "malformed records make the exit code 1"
like "$ERR" 'bad-value.ndjson:3: record 3: NewImage.price: N value "abc" is not a number' "a bad N is named with file, line, record and attribute"
like "$ERR" 'bad-event.json:1: record 2: eventName "UPSERT" is not INSERT, MODIFY or REMOVE' "a bad eventName is named"
like "$ERR" 'bad-json.json:1: .*invalid JSON' "invalid JSON is named"
like "$ERR" 'bad-kinesis.json:1: record 2: kinesis.data is not valid base64' "bad base64 in kinesis.data is named"
like "$ERR" 'bad-keys.ndjson:2: record 2: record without a dynamodb.Keys object' "a record without Keys is named"
is "$(q "$T/b.db" "select count(*) from stream_records where table_name in ('bad', 'kds-items')")" 0 "nothing of a file with a bad record is stored"
is "$(q "$T/b.db" "select count(*) from stream_records")" 7 "the good file beside them is"
is "$(q "$T/b.db" "select group_concat(status, ' ') from (select status from files order by path)")" "rejected rejected rejected rejected rejected ok" \
   "the files table says which were rejected"

# ---- runtime attribution
printf 'ddb:py-items runtime=python\nddb:shared runtime-attribute=runtime\nddb:prefixed key-prefix=kt-:kotlin key-prefix=ts-:typescript\nddb:quiet log-ids=no\n' >"$T/attr.map"
{
    rec a-1 INSERT py-items 1795575601 "$(key x1)" ",\"NewImage\":$(item x1)"; echo
    rec a-2 INSERT shared 1795575601 "$(key x2)" ",\"NewImage\":$(item x2 1 1795575600000 1795575600000 ',"runtime":{"S":"Go"}')"; echo
    rec a-3 REMOVE shared 1795575601 "$(key x3)" ",\"OldImage\":$(item x3 1 1795575600000 1795575600000 ',"runtime":{"S":"kotlin"}')"; echo
    rec a-4 INSERT prefixed 1795575601 "$(key kt-1)" ",\"NewImage\":$(item kt-1)"; echo
    rec a-5 INSERT prefixed 1795575601 "$(key ts-9)" ",\"NewImage\":$(item ts-9)"; echo
    rec a-6 INSERT prefixed 1795575601 "$(key zz-1)" ",\"NewImage\":$(item zz-1)"; echo
} >"$T/attr.ndjson"
run --db "$T/a.db" ingest --map "$T/attr.map" "$T/attr.ndjson"
is "$(q "$T/a.db" "select event_id || ' ' || runtime || ' ' || runtime_source from stream_records order by 1")" \
"a-1 python map
a-2 go attribute
a-3 kotlin attribute
a-4 kotlin key-prefix
a-5 typescript key-prefix
a-6 unattributed unattributed" "map runtime=, an item attribute (NewImage, else OldImage), a key prefix, else unattributed"
like "$ERR" "0 attributed from the logs now, 1 unattributed in the database" "unattributed records are counted"

# by the ids the logs name: the records first, the logs later
U1=11111111-2222-4333-8444-555555555555 # named in a Go application line (PUT /items/<id>)
U2=aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee # a Kotlin request id (POST: the item id is the request id)
U3=99999999-8888-4777-8666-555555555555 # named by two runtimes, equally near
U4=12345678-1234-4234-8234-123456789abc # named, but its table says log-ids=no
{
    rec l-1 MODIFY logged 1795575601 "$(key $U1)" ",\"NewImage\":$(item $U1),\"OldImage\":$(item $U1)"; echo
    rec l-2 INSERT logged 1795575601 "$(key $U2)" ",\"NewImage\":$(item $U2)"; echo
    rec l-3 REMOVE logged 1795575601 "$(key $U3)" ",\"OldImage\":$(item $U3)"; echo
    rec l-4 INSERT quiet 1795575601 "$(key $U4)" ",\"NewImage\":$(item $U4)"; echo
} >"$T/logged.ndjson"
run --db "$T/a.db" ingest --map "$T/attr.map" "$T/logged.ndjson"
like "$ERR" "stream records: 4 new, 0 already known; .*; 0 attributed from the logs now, 5 unattributed in the database" "without logs the records stay unattributed"
mkdir -p "$T/logs"
{
    printf '2026-11-25T03:00:01.500Z 2026/11/25 03:00:01 PUT /items/%s 200 5.0ms\n\n' "$U1"
    printf '2026-11-25T03:00:01.200Z 2026/11/25 03:00:01 DELETE /items/%s 204\n\n' "$U3"
    printf '2026-11-25T03:00:01.300Z 2026/11/25 03:00:01 GET /items/%s 200\n\n' "$U4"
    s3_events goreq 1
} >"$T/logs/dev-go.log"
{
    printf '2026-11-25T03:00:01.200Z 03:00:01.200 [main] INFO  Application - DELETE - /items/%s\n\n' "$U3"
    printf '2026-11-25T03:00:01.000Z START RequestId: %s Version: $LATEST\n\n' "$U2"
    printf '2026-11-25T03:00:01.900Z END RequestId: %s\n\n' "$U2"
    printf '2026-11-25T03:00:01.900Z REPORT RequestId: %s\tDuration: 900.00 ms\tBilled Duration: 900 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t\n\n' "$U2"
} >"$T/logs/dev-kotlin.log"
run --db "$T/a.db" ingest --map "$T/attr.map" "$T/logs"
like "$ERR" "2 attributed from the logs now, 3 unattributed in the database" "a later ingest of the logs attributes earlier records"
is "$(q "$T/a.db" "select event_id || ' ' || runtime || ' ' || runtime_source || ' ' || coalesce(function, '-') from stream_records where event_id like 'l-%' order by 1")" \
"l-1 go log-id dev-go
l-2 kotlin log-id dev-kotlin
l-3 unattributed unattributed -
l-4 unattributed unattributed -" "an id in an application line, a request id; two runtimes as near, or log-ids=no: unattributed"
MRB_QUERIES=$ROOT/queries "$MRB" --db "$T/a.db" query --csv ddb-unattributed >"$T/un.csv"
like "$(cat "$T/un.csv")" "no item id, or log-ids=no" "query ddb-unattributed says why"
# the logs first, the records later: the same answer
run --db "$T/a2.db" ingest "$T/logs"
run --db "$T/a2.db" ingest --map "$T/attr.map" "$T/logged.ndjson"
is "$(q "$T/a2.db" "select group_concat(runtime, ' ') from (select runtime from stream_records order by event_id)")" "go kotlin unattributed unattributed" \
   "logs ingested before the records attribute them alike"
# a relabelled function takes its records along
printf 'ddb:quiet log-ids=no\n/aws/lambda/x runtime=x\n*dev-go* runtime=rust\n' >"$T/relabel.map"
run --db "$T/a2.db" ingest --map "$T/relabel.map" "$T/logs/dev-go.log"
is "$(q "$T/a2.db" "select runtime from stream_records where event_id = 'l-1'")" rust "a runtime relabel reaches the records attributed from that function's logs"

# ---- idempotency and the summary
run --db "$T/s.db" ingest --json -q "$T/sizes.ndjson"
like "$OUT" '"stream_attributed": 0, "stream_records": 7, "stream_records_known": 7, "stream_records_new": 0, "stream_unattributed": 7, "stream_violations": 0' \
    "--json counts stream records read, new, known, violations and attribution"
is "$(q "$T/s.db" "select count(*), sum(times_ingested) from files")" "1|2" "the same file twice: one files row"
is "$(q "$T/s.db" "select count(*) from stream_records")" 7 "and each record once"

# ---- a record file among log files; a large document with bounded memory
mkdir -p "$T/mixed"
s3_events mix 3 >"$T/mixed/dev-go.log"
cp "$T/sizes.ndjson" "$T/mixed/records.ndjson"
run --db "$T/m.db" ingest "$T/mixed"
is "$(q "$T/m.db" "select (select count(*) from invocations) || ' ' || (select count(*) from stream_records) || ' ' || group_concat(shape, ' ') from files")" \
   "3 7 s3-export dynamodb" "records and logs in one folder each go their way"
one=$(rec big-ID INSERT big 1795575601 "$(key big-ID)" ",\"NewImage\":$(item big-ID 1 1795575600000 1795575600000 ",\"blob\":{\"S\":\"$(head -c 400 /dev/zero | tr '\0' b)\"}")")
{
    printf '{"Records": ['
    for i in $(seq 1 20000); do
        [ "$i" -gt 1 ] && printf ','
        printf '%s' "${one//big-ID/big-$i}"
    done
    printf ']}\n'
} >"$T/big.json"
/usr/bin/time -f '%M' -o "$T/rss" "$MRB" --db "$T/big.db" ingest -q "$T/big.json"
is "$?" 0 "a $(($(stat -c %s "$T/big.json") / 1000000)) MB one-line Lambda event ingests"
is "$(q "$T/big.db" "select count(*), sum(wru) from stream_records")" "20000|20000" "every record of it is stored"
rss=$(tail -n 1 "$T/rss")
rss_under "$rss" 65536 "peak RSS walking it record by record is under 64 MB (${rss} KB)"

# ---- the report section with hostile text: escaped and sanitised
printf 'ddb:* runtime-attribute=runtime\n' >"$T/h.map"
event "$(rec 'h|1' INSERT 'T|`x`' 1795575601 "$(key h1)" ',"NewImage":{"id":{"S":"h1"},"runtime":{"S":"go"},"na|me`<b>":{"S":"v"}}')" >"$T/hostile.json"
run --db "$T/h.db" ingest --map "$T/h.map" "$T/hostile.json"
run --db "$T/h.db" report --out "$T/hr" --no-plots
dw=$(sed -n '/^## DynamoDB writes/,$p' "$T/hr/report.md")
like "$dw" '\| go \| extra-attribute \| na\\\|me\\`\\<b\\> \|' "attribute names from records are escaped in Markdown"
is "$(grep -c 'set title' "$T/hr/ddb-item-size.gp") $(grep -c '[|`<]' "$T/hr/ddb-item-size.gp")" "1 0" "and nothing of them reaches the gnuplot script unsanitised"
like "$(sed -n '/^## Cost/,/^## Provenance/p' "$T/hr/report.md")" '_No data for this selection._' "a runtime with writes but no invocations has no cost row (its writes are in DynamoDB writes)"
like "$dw" '\| go \| 1 \| 1 \| 0 \| 0 \| 0 \|' "its writes are"
done_testing
