#!/usr/bin/env bash
# The report's Downstream, DynamoDB metrics and metric alarms from X-Ray
# traces and CloudWatch metrics: numbers against an oracle that reads the
# sample files with SQLite's own JSON functions (not the tool's parsers),
# every verdict of the alarms on hand-made metrics, empty selections, and
# text from the traces escaped.
. "$(dirname "$0")/../lib.sh"
plan 15

S=$ROOT/samples
"$MRB" --db "$T/s.db" ingest -q "$S/cli-json" "$S/xray" "$S/metrics" "$S/ddb"
run --db "$T/s.db" report --out "$T/r" --no-plots
is "$RC" 0 "report with traces and metrics exits 0"
ds=$(sed -n '/^## Downstream/,/^## DynamoDB metrics/p' "$T/r/report.md")

# oracle: the GetItem calls of the go function's segments, straight from the file
oracle() { # RUNTIME OPERATION -> median ms
    sqlite3 -batch -noheader :memory: "
      WITH t AS (SELECT value AS tr FROM json_each(readfile('$S/xray/dev-benchmark-$1.json'), '\$.Traces')),
      d AS (SELECT json_extract(g.value, '\$.Document') AS doc FROM t, json_each(t.tr, '\$.Segments') g),
      c AS (SELECT x.value AS v FROM d, json_each(d.doc, '\$.subsegments') x
            WHERE json_extract(d.doc, '\$.origin') = 'AWS::Lambda::Function')
      SELECT (json_extract(v, '\$.end_time') - json_extract(v, '\$.start_time')) * 1000 FROM c
      WHERE json_extract(v, '\$.name') = 'DynamoDB' AND json_extract(v, '\$.aws.operation') = '$2'
      ORDER BY 1" |
        awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%d %.3f\n", NR, m }'
}
close_to() { # A B -> 0 when |A - B| <= 0.006
    awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d <= 0.006 && d >= -0.006) }'
}
for rt in go python; do
    read -r n want <<<"$(oracle "$rt" GetItem)"
    row=$(printf '%s\n' "$ds" | grep "^| DynamoDB | GetItem | dev-benchmark-items | $rt |")
    got_n=$(echo "$row" | cut -d'|' -f6 | tr -d ' ')
    got=$(echo "$row" | cut -d'|' -f7 | tr -d ' ')
    close_to "$got" "$want"
    ok $? "$rt GetItem p50 $got ms against the file's $want ms"
    is "$got_n" "$n" "$rt GetItem calls"
done
first=$(printf '%s\n' "$ds" | grep "^| DynamoDB | GetItem |" | head -1 | cut -d'|' -f5,11 | tr -d ' ')
is "$first" "go|1.0" "best first per call, x_best 1.0"
is "$(sqlite3 :memory: "select json_array_length(readfile('$T/r/summary.json'), '\$.sections.downstream'), json_extract(readfile('$T/r/summary.json'), '\$.sections.lambda_phases[0].runtime')")" \
    "16|go" "summary.json has the calls and the phases, fastest invocation first"
is "$(sqlite3 :memory: "select json_extract(readfile('$T/r/summary.json'), '\$.sections.downstream_match[2].traced')")" \
    "25" "and how traces matched the invocations"
want_wcu=$(sqlite3 -batch -noheader :memory: "
    WITH r AS (SELECT value AS r FROM json_each(readfile('$S/metrics/dev-benchmark-items.json'), '\$.MetricDataResults')),
    q AS (SELECT value AS q FROM json_each(readfile('$S/metrics/dev-benchmark-items.json'), '\$.MetricDataQueries'))
    SELECT sum(v.value) FROM r JOIN q ON json_extract(q, '\$.Id') = json_extract(r, '\$.Id'), json_each(r, '\$.Values') v
    WHERE json_extract(q, '\$.MetricStat.Metric.MetricName') = 'ConsumedWriteCapacityUnits'")
like "$(sed -n '/^## DynamoDB metrics/,$p' "$T/r/report.md")" "^\| dev-benchmark-items \| [0-9.]+ \| $want_wcu(\.0)? \|.*\| 25 \| 25 \|\$" \
    "DynamoDB capacity from the metrics ($want_wcu write units) beside the stream's 25 WRU"

# --- the alarms on hand-made metrics: every verdict ---
p99() { # FUNCTION STAT V1 V2
    printf '{"Id":"%s","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Duration","Dimensions":[{"Name":"FunctionName","Value":"dev-benchmark-%s"}]},"Period":60,"Stat":"%s"}}' "${1}x$2" "$1" "$2"
}
res() { printf '{"Id":"%s","Label":"Duration","Timestamps":["2026-11-25T02:00:00+00:00","2026-11-25T02:01:00+00:00"],"Values":[%s,%s]}' "${1}x$2" "$3" "$4"; }
{ printf '{"MetricDataQueries":[%s,%s,%s,%s],' "$(p99 python p99)" "$(p99 go p99)" "$(p99 kotlin p99)" "$(p99 typescript Maximum)"
  printf '"MetricDataResults":[%s,%s,%s,%s]}\n' "$(res python p99 1200 1500)" "$(res go p99 800 1200)" "$(res kotlin p99 300 900)" "$(res typescript Maximum 700 900)"; } >"$T/p99.json"
"$MRB" --db "$T/a.db" ingest -q "$S/cli-json" "$T/p99.json"
run --db "$T/a.db" report --out "$T/a" --no-plots
al=$(sed -n '/^| runtime | window\\_start | alarm |/,/^$/p' "$T/a/report.md" | grep 'p99')
is "$(echo "$al" | cut -d'|' -f2,6,8,9 | tr -d ' ' | tr '\n' ' ')" \
    "go|breach|unknown| kotlin|breach|ok|0 python|breach|breach|1 typescript|breach|ok|0 " \
    "p99: both p99s above (breach), across 1000 (unknown), below (ok), a Maximum below (ok); disagreements 0"
like "$(grep 'errors' <<<"$(sed -n '/^| runtime | window\\_start | alarm |/,/^$/p' "$T/a/report.md")" | head -1)" \
    '\| go \| 2026-11-25T02:00:00Z \| errors\\>1% \| 8\.0 \| breach \|  \| no data \|  \|' "a breach the metrics cannot see: no data, no verdict"
is "$(grep -c 'throttles' "$T/a/report.md")" "1" "no throttle rows without Throttles metrics (only the section's text names them)"

# --- a selection without invocations; no traces or metrics at all ---
run --db "$T/s.db" report --day 2026-11-26 --out "$T/empty" --no-plots
is "$RC|$(sed -n '/^## Downstream/,$p' "$T/empty/report.md" | grep -c '_No data for this selection._')" "0|5" \
    "a day without invocations: every new table says so"
"$MRB" --db "$T/l.db" ingest -q "$S/cli-json"
run --db "$T/l.db" report --out "$T/l" --no-plots
like "$(tr "\n" " " <"$T/l/report.md")" "_No X-Ray traces in the database.*_No AWS/DynamoDB metrics in the database" \
    "without traces or metrics: a line each"

# --- text from a trace is escaped ---
sed 's/\\"operation\\":\\"Publish\\",\\"region/\\"operation\\":\\"Pub|lish*`<b>\\",\\"region/' \
    "$ROOT/tests/data/xray/batch-get-traces-guide.json" >"$T/esc.json"
"$MRB" --db "$T/e.db" ingest -q "$T/esc.json"
run --db "$T/e.db" report --out "$T/e" --no-plots
like "$(grep '^| SNS' "$T/e/report.md")" '^\| SNS \| Pub\\\|lish\\\*\\`\\<b\\> \|' "an operation from a trace is escaped in Markdown"
done_testing
