#!/usr/bin/env bash
# Embedded Metric Format end to end: documents in every position a log event
# may hold them, every validation rule counted per reason and reported with
# file and line, array expansion, idempotency (the same event twice, in two
# shapes, and two streams writing the same document at the same millisecond),
# Lambda Insights attribution, and damaged documents that must not crash.
. "$(dirname "$0")/../lib.sh"
plan 23

# ev STREAM TS MESSAGE-JSON-ESCAPED: one NDJSON event of /aws/lambda/dev-python
ev() { printf '{"timestamp":%s,"logStreamName":"%s","logGroupName":"/aws/lambda/dev-python","message":"%s"}\n' "$2" "$1" "$3"; }
doc() { # doc NAME VALUE [UNIT]: an escaped EMF document with one metric
    printf '{\\"_aws\\":{\\"Timestamp\\":1795575600000,\\"CloudWatchMetrics\\":[{\\"Namespace\\":\\"App\\",\\"Dimensions\\":[[\\"service\\"],[\\"service\\",\\"route\\"]],\\"Metrics\\":[{\\"Name\\":\\"%s\\",\\"Unit\\":\\"%s\\"}]}]},\\"service\\":\\"api\\",\\"route\\":\\"/x\\",\\"%s\\":%s}' "$1" "${3:-Count}" "$1" "$2"
}
{
    ev s1 1795575600001 "$(doc Orders 3)"
    ev s1 1795575600002 "2026-11-25T02:00:00.002Z\tnode-req-1\tINFO\t\n$(doc Latency '[1.5,2.5,3.5]' Milliseconds)\n"
    ev s1 1795575600003 "[INFO]\t2026-11-25T02:00:00.003Z\tpy-req-1\t$(doc Items 7)"
    ev s2 1795575600001 "$(doc Orders 3)"
    ev s3 1795575600004 "{\\\"_aws\\\":{\\\"Timestamp\\\":1795575600004,\\\"CloudWatchMetrics\\\":[{\\\"Namespace\\\":\\\"LambdaInsights\\\",\\\"Dimensions\\\":[[\\\"function_name\\\"]],\\\"Metrics\\\":[{\\\"Name\\\":\\\"cpu_total_time\\\",\\\"Unit\\\":\\\"Milliseconds\\\"}]}],\\\"LambdaInsights\\\":{\\\"ShareTelemetry\\\":true}},\\\"event_type\\\":\\\"performance\\\",\\\"function_name\\\":\\\"dev-go\\\",\\\"request_id\\\":\\\"go-req-1\\\",\\\"cpu_total_time\\\":12}"
} >"$T/good.ndjson"
run --db "$T/db" ingest "$T/good.ndjson"
is "$RC" 0 "valid documents ingest cleanly"
is "$(q "$T/db" "select metric, value_index, value, unit, coalesce(request_id, '-'), log_stream from metric_values order by value_id")" \
"Orders|0|3.0|Count|-|s1
Latency|0|1.5|Milliseconds|node-req-1|s1
Latency|1|2.5|Milliseconds|node-req-1|s1
Latency|2|3.5|Milliseconds|node-req-1|s1
Items|0|7.0|Count|py-req-1|s1
Orders|0|3.0|Count|-|s2
cpu_total_time|0|12.0|Milliseconds|go-req-1|s3" "whole message, Node and Python prefixes, arrays one row per value, equal documents of two streams both kept"
is "$(q "$T/db" "select distinct dimensions from metric_values where namespace = 'App'")" '{"route":"/x","service":"api"}' \
   "one row per value however many dimension sets: every key, sorted"
is "$(q "$T/db" "select dimension_sets from metric_definitions where metric = 'Orders'")" '[["route","service"],["service"]]' "definitions keep the dimension sets"
is "$(q "$T/db" "select function || ' ' || runtime from metric_values where namespace = 'LambdaInsights'")" "dev-go go" \
   "a Lambda Insights event belongs to the function it names"
like "$ERR" "metric values: 7 new, 0 already known; 5 EMF documents, 0 gave no metric" "the summary counts metric values"
run --db "$T/db" ingest "$T/good.ndjson"
like "$ERR" "metric values: 0 new, 7 already known" "ingesting again adds nothing"
# the same events as a filter-log-events document: the same rows
{ printf '{"events": ['; sed 's/,"logGroupName":"[^"]*"//; $!s/$/,/' "$T/good.ndjson"; printf ']}\n'; } >"$T/dev-python.json"
run --db "$T/db" ingest "$T/dev-python.json"
like "$ERR" "metric values: 0 new, 7 already known" "the same events in another shape are known too"

# every validation rule: counted per reason, first few with file and line
bad() { ev b "$1" "$2"; }
D='{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\",\"Dimensions\":'
{
    bad 1795575601001 '{\"_aws\":{\"Timestamp\":1,'
    bad 1795575601002 '[{\"_aws\":{}}]'
    bad 1795575601003 '{\"x\":{\"_aws\":{}}}'
    bad 1795575601004 "$D"'[[\"k\"]],\"Metrics\":[]}]},\"k\":5}'
    bad 1795575601005 "$D"'[[]],\"Metrics\":[{\"Name\":\"m\"}]}]},\"m\":\"5\"}'
    bad 1795575601006 "$D"'[[]],\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Secs\"}]}]},\"m\":5}'
    bad 1795575601007 "$D"'[[]],\"Metrics\":[{\"Name\":\"m\"}]}]},\"m\":['"$(seq -s, 1 101)"']}'
    bad 1795575601008 "$D"'[['"$(seq -f '\"d%g\"' -s, 1 31)"']],\"Metrics\":[]}]}}'
    bad 1795575601009 "$D"'[[]],\"Metrics\":['"$(for i in $(seq 1 101); do printf '{\\"Name\\":\\"m\\"},'; done | sed 's/,$//')"']}]},\"m\":1}'
    bad 1795575601010 '{\"_aws\":{\"CloudWatchMetrics\":[]}}'
    bad 1795575601012 '{\"_aws\":{\"Timestamp\":1}}'
    bad 1795575601011 "$D"'[[]],\"Metrics\":[{\"Name\":\"m\",\"StorageResolution\":5}]}]},\"m\":1}'
} >"$T/bad.ndjson"
run --db "$T/bad.db" ingest "$T/bad.ndjson"
is "$RC" 1 "rejected documents make the exit code 1"
is "$(q "$T/bad.db" "select count(*) from metric_values")" 0 "a rejected document gives no metric"
is "$(q "$T/bad.db" "select group_concat(reason || '=' || documents, ' ') from (select * from metric_rejects order by reason)")" \
   "bad-dimension=1 bad-directive=1 bad-resolution=1 bad-timestamp=1 invalid-json=1 no-aws=1 not-object=1 too-many-dimensions=1 too-many-metrics=1 too-many-values=1 unknown-unit=1 value-not-number=1" \
   "every rule is counted per reason"
is "$(q "$T/bad.db" "select emf_documents, emf_rejected from files")" "12|12" "the files row counts documents and rejects"
like "$ERR" "warning: $T/bad.ndjson:1: EMF document gives no metric \(invalid-json\)" "the first rejects are reported with file and line"
like "$ERR" "7 more EMF documents gave no metric \(see the metric_rejects table\)" "the rest are counted"
is "$(q "$T/bad.db" "select count(*) from problems where message like 'EMF document%'")" 5 "the first five are kept as problems"
is "$(MRB_QUERIES=$ROOT/queries "$MRB" --db "$T/bad.db" query --csv emf-rejects | tail -n +2 | wc -l)" 12 "query emf-rejects lists them"
run --db "$T/bad.db" ingest --json -q "$T/bad.ndjson"
like "$OUT" '"emf_rejected": 12, "emf_rejects": \{"bad-dimension": 1' "--json has the counts per reason"

# damaged documents (an S3-export text file): each line a cut or a changed
# byte of a valid one
base="$(printf '2026-11-25T02:00:00.002Z\tid\tINFO\t')$(doc Latency '[1.5,2.5]' Milliseconds | sed 's/\\"/"/g')"
: >"$T/fuzz.log"
for i in $(seq 8 3 ${#base}); do printf '2026-11-25T02:00:00.000Z %s\n' "${base:0:$i}" >>"$T/fuzz.log"; done
for i in $(seq 30 2 ${#base}); do
    for c in '}' '"' ',' '['; do printf '2026-11-25T02:00:00.000Z %s%s%s\n' "${base:0:$i}" "$c" "${base:$((i + 1))}" >>"$T/fuzz.log"; done
done
"$MRB" --db "$T/fuzz.db" ingest -q "$T/fuzz.log" 2>/dev/null
rc=$?
ok "$([ "$rc" -le 1 ] && echo 0 || echo 1)" "damaged documents give errors, not a crash (exit $rc)"
is "$(q "$T/fuzz.db" "select sum(emf_documents) >= sum(emf_rejected) and sum(emf_rejected) > 0 from files")" 1 "and are counted"
# a file that fails after its first EMF event: the series and log stream it
# created are rolled back with it, and the next file's values get their own
# (not the ids the failed file had)
ev2() { # ev2 STREAM TS NAME VALUE
    printf '{"timestamp":%s,"logStreamName":"%s","logGroupName":"/aws/lambda/dev-python","message":"{\\"_aws\\":{\\"Timestamp\\":%s,\\"CloudWatchMetrics\\":[{\\"Namespace\\":\\"R\\",\\"Dimensions\\":[[]],\\"Metrics\\":[{\\"Name\\":\\"%s\\"}]}]},\\"%s\\":%s}"}\n' \
        "$2" "$1" "$2" "$3" "$3" "$4"
}
ev2 r1 1795575700000 X 1 >"$T/r0.ndjson"
{
    ev2 r2 1795575700001 Y 2
    seq 1 3000 | sed 's/.*/{"timestamp":1795575700001,"logStreamName":"r2","message":"filler & long enough for gzip to need more than one block"}/'
} | gzip -c | head -c 3000 >"$T/r1.ndjson.gz"
{ ev2 r3 1795575700003 Z 3; ev2 r2 1795575700004 Y 4; } >"$T/r2.ndjson"
"$MRB" --db "$T/r.db" ingest -q "$T/r0.ndjson" "$T/r1.ndjson.gz" "$T/r2.ndjson" 2>/dev/null
is "$(q "$T/r.db" "select group_concat(status, ' ') from files")" "ok rejected ok" "the truncated file is rejected"
is "$(q "$T/r.db" "select group_concat(log_stream || ':' || metric || '=' || value, ' ') from (select * from metric_values order by value_id)")" \
   "r1:X=1.0 r3:Z=3.0 r2:Y=4.0" "series and streams of a rolled-back file are found or created again"
# more series than the writer is told about at once (65,536): numbering
# starts afresh and every value keeps its own series
awk 'BEGIN { for (i = 1; i <= 66000; i++) printf "{\"timestamp\":%.0f,\"logStreamName\":\"h\",\"logGroupName\":\"/aws/lambda/dev-go\",\"message\":\"{\\\"_aws\\\":{\\\"Timestamp\\\":%.0f,\\\"CloudWatchMetrics\\\":[{\\\"Namespace\\\":\\\"H\\\",\\\"Dimensions\\\":[[\\\"k\\\"]],\\\"Metrics\\\":[{\\\"Name\\\":\\\"m\\\"}]}]},\\\"k\\\":\\\"%d\\\",\\\"m\\\":%d}\"}\n", 1795575800000 + i, 1795575800000 + i, i, i }' >"$T/many.ndjson"
"$MRB" --db "$T/many.db" ingest -q "$T/many.ndjson" 2>/dev/null
is "$(q "$T/many.db" "select count(*), count(distinct dimensions), sum(dimensions = '{\"k\":\"' || cast(value as integer) || '\"}') from metric_values")" \
   "66000|66000|66000" "66,000 series: each value under its own"
# a relabelled function takes its metric values along
printf '# map\n*dev-python* runtime=kotlin\n' >"$T/map"
"$MRB" --db "$T/db" ingest -q --map "$T/map" "$T/good.ndjson"
is "$(q "$T/db" "select group_concat(distinct runtime) from metric_values where function = 'dev-python'")" kotlin "a runtime relabel reaches metric_values"
done_testing
