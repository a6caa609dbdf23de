#!/usr/bin/env bash
# The report's Custom metrics table and ColdStart check come from one pass
# over the selection's metric events (metric_stats.c), not from the
# queries that define them; here the queries judge that pass: on the
# samples, on a generated EMF-heavy night and on hand-made documents off
# the happy path (one metric in two units, ColdStart in two namespaces, a
# runtime with a metric the others lack, Lambda Insights, NULL-free sums
# of many decimals), the report's rows equal `query report-metrics` and
# `query report-metrics-coldstart` row for row, and a narrowed report
# equals the query over a database holding only that selection.
. "$(dirname "$0")/../lib.sh"
plan 9

section() { # section SUMMARY.JSON NAME: the section's rows as sorted JSON lines
    python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["sections"][sys.argv[2]]: print(json.dumps(r, sort_keys=True))' "$1" "$2"
}
query() { # query DB NAME
    "$MRB" --db "$1" query --json "$2" | python3 -c 'import json,sys
for r in json.load(sys.stdin): print(json.dumps(r, sort_keys=True))'
}
same() { # same DB REPORT-DIR WHAT
    is "$(section "$2/summary.json" custom_metrics)" "$(query "$1" report-metrics)" "$3: the table equals queries/report-metrics.sql"
    is "$(section "$2/summary.json" coldstart_check)" "$(query "$1" report-metrics-coldstart)" "$3: the ColdStart check equals queries/report-metrics-coldstart.sql"
}

# hand-made documents: /aws/lambda/dev-python and dev-node (NDJSON events)
ev() { printf '{"timestamp":%s,"logStreamName":"%s","logGroupName":"/aws/lambda/%s","message":"%s"}\n' "$3" "$2" "$1" "$4"; }
doc() { # doc NAMESPACE NAME VALUE UNIT
    printf '{\\"_aws\\":{\\"Timestamp\\":1795575600000,\\"CloudWatchMetrics\\":[{\\"Namespace\\":\\"%s\\",\\"Dimensions\\":[[\\"service\\"]],\\"Metrics\\":[{\\"Name\\":\\"%s\\",\\"Unit\\":\\"%s\\"}]}]},\\"service\\":\\"api\\",\\"%s\\":%s}' "$1" "$2" "$4" "$2" "$3"
}
{
    t=1795575600000
    for i in $(seq 1 40); do
        ev dev-python s1 $((t + i)) "$(doc App Latency "$((i * 7 % 23)).$((i % 10))3" Milliseconds)"
        ev dev-node n1 $((t + i)) "$(doc App Latency "[$((i % 5)).125,$((i * 3)).5]" Milliseconds)"
        ev dev-python s1 $((t + 100 + i)) "$(doc App Latency "$((i % 4))" Seconds)"
        [ $((i % 9)) = 0 ] && ev dev-python s1 $((t + 200 + i)) "$(doc Other ColdStart 1 Count)"
        [ $((i % 7)) = 0 ] && ev dev-node n1 $((t + 200 + i)) "$(doc App ColdStart 1 Count)"
        ev dev-node n1 $((t + 300 + i)) "$(doc App NodeOnly "-$i.0625" None)"
    done
    ev dev-python s2 $((t + 999)) "$(doc App Latency '[0.1,0.2,0.30000000000000004,1e-3,12345678.9]' Milliseconds)"
} >"$T/odd.ndjson"
run --db "$T/odd.db" ingest "$T/odd.ndjson"
is "$RC" 0 "hand-made documents ingest"
run --db "$T/odd.db" report --no-plots --out "$T/r-odd"
same "$T/odd.db" "$T/r-odd" "hand-made documents"

"$MRB" --db "$T/s.db" ingest -q "$ROOT/samples" || [ $? -le 1 ] || echo "# ingest of samples failed"
run --db "$T/s.db" report --no-plots --out "$T/r-s"
same "$T/s.db" "$T/r-s" "samples"

"$GEN" --out "$T/gen" --shape s3-export --emf-heavy --invocations 300 2>/dev/null
"$MRB" --db "$T/g.db" ingest -q "$T/gen/s3-export"
run --db "$T/g.db" report --no-plots --out "$T/r-g"
same "$T/g.db" "$T/r-g" "generated EMF-heavy night"

# a narrowed report: the same rows as the queries over only that selection
run --db "$T/g.db" report --no-plots --since 2026-11-25T02:01:10Z --out "$T/r-since"
cp "$T/g.db" "$T/g.db.all"
sqlite3 "$T/g.db" "DELETE FROM metric_events WHERE ts_ms < strftime('%s', '2026-11-25T02:01:10') * 1000;
                   DELETE FROM invocations WHERE ts_ms < strftime('%s', '2026-11-25T02:01:10') * 1000;"
n_all=$(q "$T/g.db" "SELECT count(*) FROM metric_values")
is "$(section "$T/r-since/summary.json" custom_metrics)" "$(query "$T/g.db" report-metrics)" "a narrowed selection: the table equals the query over those values alone"
[ "$n_all" -gt 1000 ] && [ "$n_all" -lt "$(q "$T/g.db.all" "SELECT count(*) FROM metric_values")" ]
ok $? "(the selection holds some of the values, not all: $n_all)"
done_testing
