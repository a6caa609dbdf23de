#!/usr/bin/env bash
# The other shapes, built by hand: subscription documents (back to back, per
# gzip member, per line), CONTROL_MESSAGE, the awslogs and Kinesis wrappers,
# NDJSON, Logs Insights rows, the JSON log format; and their bad inputs.
. "$(dirname "$0")/../lib.sh"
plan 24

R1='REPORT RequestId: sub-1\tDuration: 10.50 ms\tBilled Duration: 11 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\tInit Duration: 200.25 ms\t\n'
R2='REPORT RequestId: sub-2\tDuration: 3.25 ms\tBilled Duration: 4 ms\tMemory Size: 512 MB\tMax Memory Used: 81 MB\t\n'
doc() { # doc STREAM TS MESSAGE...: one DATA_MESSAGE document
    local stream=$1 ts=$2 sep="" ev=""
    shift 2
    for m in "$@"; do ev="$ev$sep{\"id\":\"1\",\"timestamp\":$ts,\"message\":\"$m\"}"; sep=","; ts=$((ts + 1)); done
    printf '{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/aws/lambda/dev-go-fn","logStream":"%s","subscriptionFilters":["f"],"logEvents":[%s]}' "$stream" "$ev"
}
CONTROL='{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1795575600000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}'

# Firehose: one document per gzip member, no file extension
mkdir -p "$T/fh"
{ printf '%s' "$CONTROL" | gzip -c
  doc 's/1' 1795575600000 'INIT_START Runtime Version: provided:al2.v41\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:ab\n' 'START RequestId: sub-1 Version: $LATEST\n' | gzip -c
  doc 's/1' 1795575600100 "$R1" | gzip -c
  doc 's/2' 1795575601000 "$R2" | gzip -c; } >"$T/fh/delivery-1-2026-11-25-03-00-00-abc"
run --db "$T/db" ingest "$T/fh"
is "$RC" 0 "a Firehose object is read"
is "$(q "$T/db" "select shape, control_messages from files")" "subscription|1" "shape subscription, the control message counted"
is "$(q "$T/db" "select function, runtime, log_group, log_stream, request_id, cold_start, init_ms from invocations order by request_id")" \
"dev-go-fn|go|/aws/lambda/dev-go-fn|s/1|sub-1|1|200.25
dev-go-fn|go|/aws/lambda/dev-go-fn|s/2|sub-2|0|" "function, group and stream come from the documents"

# back to back without separator, one per line, logEvents before logGroup
{ doc 'a' 1795575600100 "$R1"; doc 'b' 1795575601000 "$R2"; } >"$T/concat.json"
run --db "$T/db2" ingest "$T/concat.json"
is "$(q "$T/db2" "select count(*) from invocations")" 2 "documents back to back (}{)"
{ doc 'a' 1795575600100 "$R1"; echo; doc 'b' 1795575601000 "$R2"; echo; } >"$T/lines.json"
run --db "$T/db3" ingest "$T/lines.json"
is "$(q "$T/db3" "select count(*) from invocations")" 2 "one document per line"
printf '{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1795575600100,"message":"%s"}],"logGroup":"/aws/lambda/late-go","logStream":"z"}' "$R1" >"$T/late.json"
run --db "$T/db4" ingest "$T/late.json"
is "$(q "$T/db4" "select function || ' ' || log_stream from invocations")" "late-go z" "logEvents before logGroup is held until the document ends"

# awslogs and Kinesis wrappers
payload=$(doc 'k' 1795575600100 "$R1" | gzip -c | base64 -w0)
printf '{"awslogs": {"data": "%s"}}\n' "$payload" >"$T/trigger.json"
run --db "$T/db5" ingest "$T/trigger.json"
is "$RC|$(q "$T/db5" "select shape from files")|$(q "$T/db5" "select request_id from invocations")" "0|awslogs|sub-1" "an awslogs trigger event"
printf '{"Records": [{"kinesis": {"data": "%s", "partitionKey": "p"}, "eventSource": "aws:kinesis"}, {"kinesis": {"data": "%s"}}]}\n' \
    "$payload" "$(doc 'k' 1795575601000 "$R2" | gzip -c | base64 -w0)" >"$T/kinesis.json"
run --db "$T/db6" ingest "$T/kinesis.json"
is "$RC|$(q "$T/db6" "select shape from files")|$(q "$T/db6" "select count(*) from invocations")" "0|kinesis|2" "a Kinesis event with two records"

# NDJSON
printf '{"logStreamName":"n/1","timestamp":1795575600100,"message":"%s"}\n\n{"timestamp":1795575601000,"message":"%s","logGroupName":"/aws/lambda/other-py"}\n' "$R1" "$R2" >"$T/dev-kt.ndjson"
run --db "$T/db7" ingest "$T/dev-kt.ndjson"
is "$(q "$T/db7" "select shape from files")" "ndjson" "NDJSON is recognised"
is "$(q "$T/db7" "select function || ' ' || runtime || ' ' || coalesce(log_stream, '-') from invocations order by request_id")" \
"dev-kt kotlin n/1
other-py python -" "the file name or the line's own log group names the function"

# Logs Insights: discovered fields, bytes as MB x 1e6
cat >"$T/insights.json" <<'J'
{
    "results": [
        [
            {"field": "@timestamp", "value": "2026-11-25 03:00:00.100"},
            {"field": "@requestId", "value": "ins-1"},
            {"field": "@duration", "value": "14.97"},
            {"field": "@billedDuration", "value": "15.0"},
            {"field": "@memorySize", "value": "5.12E8"},
            {"field": "@maxMemoryUsed", "value": "6.7E7"},
            {"field": "@initDuration", "value": "166.62"},
            {"field": "@log", "value": "123456789012:/aws/lambda/api-python"}
        ],
        [
            {"field": "@timestamp", "value": "2026-11-25 03:00:01.000"},
            {"field": "@message", "value": "REPORT RequestId: ins-2\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 70 MB\t\n"},
            {"field": "@logStream", "value": "2026/11/25/[$LATEST]ff"},
            {"field": "@log", "value": "123456789012:/aws/lambda/api-python"}
        ]
    ],
    "statistics": {"recordsMatched": 2.0, "recordsScanned": 2.0, "bytesScanned": 400.0},
    "status": "Complete"
}
J
run --db "$T/db8" ingest "$T/insights.json"
is "$RC|$(q "$T/db8" "select shape from files")" "0|insights" "Logs Insights results are recognised"
is "$(q "$T/db8" "select request_id, ts_ms, duration_ms, billed_ms, memory_mb, max_memory_mb, init_ms, cold_start from invocations order by 1")" \
"ins-1|1795575600100|14.97|15|512|67|166.62|1
ins-2|1795575601000|2.0|2|512|70||0" "discovered fields become the same invocation a REPORT gives"

# the JSON log format gives the same rows as text
text_ev() { printf '2026-11-25T03:00:%s %s\n\n' "$1" "$2"; }
mkdir -p "$T/fmt/text" "$T/fmt/json"
{ text_ev 00.000Z 'INIT_START Runtime Version: python:3.11.v29	Runtime Version ARN: arn:aws:lambda:eu-west-1::runtime:ab'
  text_ev 00.500Z 'START RequestId: j-1 Version: $LATEST'
  text_ev 00.600Z 'END RequestId: j-1'
  text_ev 00.600Z 'REPORT RequestId: j-1	Duration: 45.12 ms	Billed Duration: 46 ms	Memory Size: 512 MB	Max Memory Used: 99 MB	Init Duration: 900.50 ms	XRAY TraceId: 1-abc-def	SegmentId: 0123456789abcdef	Sampled: true	'
  text_ev 05.000Z 'REPORT RequestId: j-2	Duration: 3000.00 ms	Billed Duration: 3000 ms	Memory Size: 512 MB	Max Memory Used: 100 MB	Status: timeout	'; } >"$T/fmt/text/svc.log"
{ text_ev 00.000Z '{"time":"2026-11-25T03:00:00.000Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"python:3.11.v29","runtimeVersionArn":"arn:aws:lambda:eu-west-1::runtime:ab"}}'
  text_ev 00.500Z '{"time":"2026-11-25T03:00:00.500Z","type":"platform.start","record":{"requestId":"j-1","version":"$LATEST"}}'
  text_ev 00.600Z '{"time":"2026-11-25T03:00:00.600Z","type":"platform.runtimeDone","record":{"requestId":"j-1","status":"success"}}'
  text_ev 00.600Z '{"time":"2026-11-25T03:00:00.600Z","type":"platform.report","record":{"requestId":"j-1","status":"success","metrics":{"durationMs":45.12,"billedDurationMs":46,"memorySizeMB":512,"maxMemoryUsedMB":99,"initDurationMs":900.5},"tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1-abc-def;Parent=0123456789abcdef;Sampled=1"}}}'
  text_ev 05.000Z '{"time":"2026-11-25T03:00:05.000Z","type":"platform.report","record":{"requestId":"j-2","status":"timeout","metrics":{"durationMs":3000.0,"billedDurationMs":3000,"memorySizeMB":512,"maxMemoryUsedMB":100}}}'; } >"$T/fmt/json/svc.log"
run --db "$T/t.db" ingest "$T/fmt/text"
run --db "$T/j.db" ingest "$T/fmt/json"
cols="function, runtime, request_id, ts_ms, start_ts_ms, version, duration_ms, billed_ms, memory_mb, max_memory_mb, init_ms, cold_start, status, error_type, xray_trace_id, xray_segment_id, xray_sampled"
is "$(q "$T/j.db" "select $cols from invocations order by 3")" "$(q "$T/t.db" "select $cols from invocations order by 3")" "JSON platform events give the rows text lines give"
like "$(q "$T/j.db" "select $cols from invocations order by 3")" "j-1.*1-abc-def\|0123456789abcdef\|1" "(including X-Ray from the tracing header)"
is "$(q "$T/j.db" "select runtime_version || ' ' || region from environments")" "python:3.11.v29 eu-west-1" "and the same environment"

# application errors count against their invocation
{ text_ev 10.000Z 'START RequestId: app-1 Version: $LATEST'
  printf '2026-11-25T03:00:10.010Z 2026-11-25T03:00:10.010Z\tapp-1\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined"}\n\n'
  printf '2026-11-25T03:00:10.020Z 2026-11-25T03:00:10.020Z\tapp-1\tINFO\tstill here\n\n'
  text_ev 10.050Z 'REPORT RequestId: app-1	Duration: 50.00 ms	Billed Duration: 50 ms	Memory Size: 512 MB	Max Memory Used: 90 MB	Status: error	Error Type: TypeError	'; } >"$T/api-ts.log"
run --db "$T/app.db" ingest "$T/api-ts.log"
is "$(q "$T/app.db" "select app_errors, first_error_type, first_error_message from invocations")" "1|TypeError|Cannot read properties of undefined" "an ERROR line is counted with its type and message"
is "$(q "$T/app.db" "select level || '=' || lines from log_levels order by level")" "ERROR=1
INFO=1" "application lines are counted per level"

# bad inputs of each shape: clear message, nothing stored, the others read
mkdir -p "$T/bad"
printf '{"awslogs": {"data": "H4sI!!!notbase64"}}\n' >"$T/bad/b64.json"
{ doc 'a' 1795575600100 "$R1"; doc 'b' 1795575601000 "$R2"; } | head -c 300 >"$T/bad/cut.json"
sed 's/"14.97"/"fast"/' "$T/insights.json" >"$T/bad/insights-nan.json"
{ doc 'a' 1795575600100 "$R1" | gzip -c; doc 'b' 1795575601000 "$R2" | gzip -c | head -c 40; } >"$T/bad/firehose-cut"
cp "$T/dev-kt.ndjson" "$T/bad/good.ndjson"
run --db "$T/bad.db" ingest "$T/bad"
is "$RC" 1 "bad inputs exit 1"
like "$ERR" "b64.json:1: awslogs.data is not valid base64 \(character 5\)" "invalid base64 is named with its position"
like "$ERR" "cut.json:1: .*(ends inside|unterminated)" "a }{ stream cut in the middle is named"
like "$ERR" "insights-nan.json:[0-9]+: Logs Insights value of @duration is not a number: 'fast'" "a non-numeric Insights value is named with its line"
like "$ERR" "firehose-cut: byte [0-9]+: gzip data ends early: member 2" "a truncated member of a Firehose object is named"
is "$(q "$T/bad.db" "select count(*) from invocations")" 2 "only the good file's rows are stored"
is "$(q "$T/bad.db" "select count(*) from files where status = 'rejected'")" 4 "the four bad files are recorded as rejected"
done_testing
