#!/usr/bin/env bash
# X-Ray traces and CloudWatch metric exports end to end: the verbatim
# examples of FORMATS.md 12 and 13 (tests/data/xray, tests/data/metrics),
# several documents back to back, gzip, idempotent re-ingest, where a
# metric's identity comes from (merged queries, the path, never a guess),
# bad input (a clear error with file and line, nothing stored), and the
# samples joined to their invocations by trace id.
. "$(dirname "$0")/../lib.sh"
plan 36

X=$ROOT/tests/data/xray
M=$ROOT/tests/data/metrics
S=$ROOT/samples

# --- X-Ray: the X-Ray guide's batch-get-traces example ---
run --db "$T/x.db" ingest "$X/batch-get-traces-guide.json"
is "$RC|$(q "$T/x.db" "select shape || ' ' || status from files")" "0|xray ok" "batch-get-traces is read as X-Ray"
is "$(q "$T/x.db" "select count(*), sum(depth = 0), sum(depth > 0) from xray_segments")" "11|5|6" \
    "5 segment documents and 6 nested subsegments"
is "$(q "$T/x.db" "select name || ' ' || printf('%.1f', duration_ms) || ' ' || parent_id from xray_segments where id = '2279c0030c955e52'")" \
    "Initialization 755.0 00f91aa01f4984fd" "the Initialization subsegment: its time and its function segment"
is "$(q "$T/x.db" "select depth || ' ' || aws_operation || ' ' || aws_table || ' ' || parent_id || ' ' || printf('%.1f', duration_ms) from xray_segments where id = '4cd3f10b76c624b4'")" \
    "2 UpdateItem scorekeep-user 071684f2e555e571 79.0" "a DynamoDB call two levels down, under its subsegment"
is "$(q "$T/x.db" "select function_name || ' ' || printf('%.1f', init_ms) || ' ' || request_id || ' ' || runtime from xray_lambda")" \
    "random-name 755.0 ac086670-6373-11e7-a174-f31b3397f190 unknown" \
    "the function segment: its init phase and the RequestId of its AWS::Lambda parent"
is "$(q "$T/x.db" "select service || ' ' || operation from xray_calls")" "SNS Publish" \
    "the function's own calls (the DynamoDB call is the Elastic Beanstalk app's)"
is "$(q "$T/x.db" "select duration_ms || ' ' || segments || ' ' || source from xray_traces")" \
    "3232.0 5 batch-get-traces" "the trace's Duration and segment count"

# --- the aws-cli example (blank lines, indented), the summaries, both back to back ---
cat "$X/batch-get-traces-cli.json" "$X/get-trace-summaries.json" >"$T/two.json"
run --db "$T/x.db" ingest "$T/two.json"
is "$RC|$(q "$T/x.db" "select count(*) from xray_traces")" "0|3" "two documents back to back: a new trace and a summary"
is "$(q "$T/x.db" "select parent_id from xray_segments where id = '2d6900034ccfe558'")" "54aff5735b12dd28" \
    "a subsegment without parent_id takes its segment's id"
is "$(q "$T/x.db" "select has_error || has_fault || has_throttle || ' ' || response_time_ms || ' ' || http_method from xray_traces where trace_id = '1-59602606-a43a1ac52fc7ee0eea12a82c'")" \
    "000 84.0 POST" "get-trace-summaries: flags, response time, method"

# --- idempotent: the same traces again (gzip: read again, not skipped) ---
gzip -c "$X/batch-get-traces-guide.json" >"$T/again.json.gz"
run --db "$T/x.db" ingest "$T/again.json.gz"
is "$RC|$(q "$T/x.db" "select count(*) from xray_segments")|$(q "$T/x.db" "select count(*) from xray_traces")" \
    "0|14|3" "re-ingest adds nothing"

# --- bad traces: a clear error, nothing stored ---
bad_trace() { # NAME SED-EXPRESSION EXPECTED-MESSAGE
    sed "$2" "$X/batch-get-traces-guide.json" >"$T/$1.json"
    run --db "$T/bad.db" ingest "$T/$1.json"
    like "$RC|$(cat "$T/err")" "^1\|.*error: $T/$1.json:3: .*$3" "bad trace ($1): clear error"
    is "$(q "$T/bad.db" "select count(*) from xray_segments")|$(q "$T/bad.db" "select count(*) from xray_traces")" \
        "0|0" "bad trace ($1): nothing stored"
}
bad_trace document 's/"Document": "{\\"id\\":\\"17ba/"Document": "{\\"id\\" 17ba/' \
    "trace 1-59602603-23fc5b688855d396af79b496: segment 4: Document is not JSON"
bad_trace traceid 's/\\"trace_id\\":\\"1-59602603-23fc5b688855d396af79b496\\",\\"origin\\":\\"AWS::SNS/\\"trace_id\\":\\"1-00000000-000000000000000000000000\\",\\"origin\\":\\"AWS::SNS/' \
    "segment 5: trace_id '1-00000000-000000000000000000000000' is not the trace's"
bad_trace start 's/\\"start_time\\":1.499473413112E9/\\"start_time\\":\\"soon\\"/' \
    "'b29b548af4d54a0f' has a non-numeric start_time"
head -c 2000 "$X/batch-get-traces-guide.json" >"$T/cut.json"
run --db "$T/bad.db" ingest "$T/cut.json"
like "$RC|$(cat "$T/err")" "^1\|.*cut.json:[0-9]+: " "a cut document: an error with its line"

# --- metrics: get-metric-data says no namespace or dimensions: never guessed ---
run --db "$T/m.db" ingest "$M/get-metric-data-cli.json"
like "$RC|$(cat "$T/err")" "^1\|.*get-metric-data-cli.json:5: result 'm3': its namespace is not known" \
    "get-metric-data alone: refused, naming the result"
is "$(q "$T/m.db" "select count(*) from cw_metric_values")" "0" "nothing stored"
P="$T/namespace=AWS%2FEC2/InstanceId=i-abcdef/period=300/stat=Sum/metric=TotalIOPS.json"
mkdir -p "$(dirname "$P")" && cp "$M/get-metric-data-cli.json" "$P"
run --db "$T/m.db" ingest "$P"
is "$RC|$(q "$T/m.db" "select namespace, metric, dimensions, stat, period_s, ts_ms, value, label, query_id, identity_from from cw_metric_values")" \
    '0|AWS/EC2|TotalIOPS|{"InstanceId":"i-abcdef"}|Sum|300|1727647800000|96.85|Avg Total IOPS|m3|path' \
    "the path names it (Hive style, percent-decoded)"
{ printf '{"MetricDataQueries":'; cat "$M/get-metric-data-cli.queries.json"
  printf ',"MetricDataResults":[{"Id":"m1","Label":"EBSReadOps","Timestamps":["2024-09-29T22:10:00+00:00","2024-09-29T22:05:00+00:00"],"Values":[5,7.5],"StatusCode":"PartialData"}]}'; } >"$T/merged.json"
run --db "$T/m.db" ingest "$T/merged.json"
is "$RC|$(q "$T/m.db" "select group_concat(value || ' ' || unit || ' ' || identity_from, ',') from cw_metric_values where metric = 'EBSReadOps' and dimensions = '{\"InstanceId\":\"i-abcdef\"}' and period_s = 300 and stat = 'Sum'")" \
    "0|5.0 Count document,7.5 Count document" "merged queries name each result"
like "$(q "$T/m.db" "select message from problems")" "result 'm1': StatusCode PartialData" "PartialData is a warning"
run --db "$T/m.db" ingest "$T/merged.json"
is "$(q "$T/m.db" "select count(*) from cw_metric_values")" "3" "metric re-ingest adds nothing"

# --- get-metric-statistics: Label and each datapoint's statistic; the rest from the path ---
run --db "$T/m.db" ingest "$M/get-metric-statistics-cli.json"
like "$RC|$(cat "$T/err")" "^1\|.*get-metric-statistics-cli.json:3: Datapoints: its namespace is not known" \
    "get-metric-statistics alone: refused"
P="$T/ec2/namespace=AWS%2FEC2/InstanceId=i-abcdef/cpu.json"
mkdir -p "$(dirname "$P")" && cp "$M/get-metric-statistics-cli.json" "$P"
run --db "$T/m.db" ingest "$P"
is "$RC|$(q "$T/m.db" "select count(*), sum(value), min(stat), max(stat), count(period_s), min(unit) from cw_metric_values where metric = 'CPUUtilization'")" \
    "0|4|192.74|Maximum|Maximum|0|Percent" "4 datapoints (unsorted), period unknown: NULL"
like "$(q "$T/m.db" "select message from problems")" "no period known" "and a warning says so"
P="$T/x/namespace=AWS%2FEC2/metric=Other/dimensions=none/s.json"
mkdir -p "$(dirname "$P")" && cp "$M/get-metric-statistics-cli.json" "$P"
run --db "$T/m.db" ingest "$P"
like "$RC|$(cat "$T/err")" "^1\|.*the Label 'CPUUtilization' is not the path's metric 'Other'" "Label and path disagree: refused"
P="$T/y/namespace=AWS%2FEC2/period=6x/s.json"
mkdir -p "$(dirname "$P")" && cp "$M/get-metric-statistics-cli.json" "$P"
run --db "$T/m.db" ingest "$P"
like "$RC|$(cat "$T/err")" "^1\|.*period '6x' is not a number" "a bad path period: refused"
sed 's/"2014-04-09T20:18:00Z"/"yesterday"/' "$M/get-metric-statistics-cli.json" >"$T/ec2/namespace=AWS%2FEC2/InstanceId=i-abcdef/badts.json"
run --db "$T/m.db" ingest "$T/ec2/namespace=AWS%2FEC2/InstanceId=i-abcdef/badts.json"
like "$RC|$(cat "$T/err")" "^1\|.*badts.json:10: datapoint 2 has no readable Timestamp" "a bad timestamp: its line"
is "$(q "$T/m.db" "select count(*) from cw_metric_values")" "7" "nothing of the refused files stored"
P="$T/ec2/namespace=AWS%2FEC2/InstanceId=i-other/cpu.json"
mkdir -p "$(dirname "$P")" && cp "$M/get-metric-statistics-cli.json" "$P"
run --db "$T/m.db" ingest "$P"
is "$RC|$(q "$T/m.db" "select count(*) from cw_metric_values where dimensions = '{\"InstanceId\":\"i-other\"}'")" "0|4" \
    "the same bytes under another keyed path are another metric's, read again"

# --- the samples: traces join their invocations; metrics take the functions' runtimes ---
run --db "$T/s.db" ingest "$S/cli-json" "$S/xray" "$S/metrics"
is "$RC|$(q "$T/s.db" "select count(*), sum(invocation_id is not null), count(distinct runtime) from xray_lambda")" \
    "0|100|100|4" "every sample trace joins its invocation (by trace id and RequestId)"
is "$(q "$T/s.db" "select count(*) from xray_lambda where init_ms is not null")" \
    "$(q "$T/s.db" "select count(*) from invocations where init_ms is not null")" "an Initialization phase per cold start"
is "$(q "$T/s.db" "select group_concat(runtime_label || ':' || runtime_label_source, ' ') from (select distinct runtime_label, runtime_label_source from cw_metrics where namespace = 'AWS/Lambda' order by 1, 2)")" \
    "go:function kotlin:function python:function typescript:function" "Lambda metrics: the functions' runtimes"
is "$(q "$T/s.db" "select count(*) from cw_metrics where namespace = 'AWS/Lambda' and metric = 'Throttles' and stat = 'Sum' and value > 0 and runtime_label = 'python'")" \
    "1" "the python throttle the logs cannot show"
done_testing
