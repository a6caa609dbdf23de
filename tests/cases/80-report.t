#!/usr/bin/env bash
# report: the Markdown report and summary.json from samples/, selections,
# and text from the logs that must come out escaped.
. "$(dirname "$0")/../lib.sh"
plan 40

"$MRB" --db "$T/db" ingest -q --run night-1 "$ROOT/samples/s3-export"
run --db "$T/db" report --day 2026-11-25 --out "$T/r"
is "$RC" 0 "report exits 0"
is "$OUT" "$T/r/report.md" "and prints where the report is"
for s in Overview "Cold starts" Duration Memory Errors "Alarms replay" Cost Provenance "Custom metrics" "DynamoDB writes" Downstream "DynamoDB metrics"; do
    grep -q "^## $s\$" "$T/r/report.md" || echo "# missing section $s"
done
is "$(grep -c "^## " "$T/r/report.md")" 14 "fourteen sections"
like "$(cat "$T/r/report.md")" "Selection: UTC day 2026-11-25" "the selection is named, no 'now'"
ov=$(sed -n '/^## Overview/,/^## /p' "$T/r/report.md" | grep '^| [a-z]' | tail -n +2 | cut -d'|' -f2 | tr -d ' ' | tr '\n' ' ')
want=$(for rt in go kotlin python typescript; do
    q "$T/db" "select duration_ms from invocations where runtime = '$rt' and cold_start = 0 order by 1" |
        awk -v rt="$rt" '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m, rt }'
done | sort -g | cut -d' ' -f2 | tr '\n' ' ')
is "$ov" "$want" "overview ranks runtimes by warm median, best first"
is "$(sed -n '/^## Overview/,/^## /p' "$T/r/report.md" | grep '^| [a-z]' | sed -n 2p | cut -d'|' -f9 | tr -d ' ')" "1.0" "the best runtime's ratio to the best is 1.0"
is "$(sqlite3 :memory: "select json_array_length(readfile('$T/r/summary.json'), '\$.sections.overview')")" 4 "summary.json has the four runtimes"
is "$(sqlite3 :memory: "select json_extract(readfile('$T/r/summary.json'), '\$.sections.cost[0].priced')")" 25 "and the same numbers (every invocation priced)"

like "$(sed -n '/^## Alarms replay/,/^## Cost/p' "$T/r/report.md")" '\| go \| 2026-11-25T02:00:00Z \| 25 \| 8\.0 .*errors\\>1% p99\\>1000ms memory\\>90%' "the alarms replay lists breaching windows"
like "$(sed -n '/^## Cost/,/^## Provenance/p' "$T/r/report.md")" '\| go \|.*\| yes \| x86\\_64 \| default \| us-east-1 \| runtime ARN \|.*\| us-east-1 x86\\_64: shipped 2026-11-27.3 \|' "cost says init was billed (custom runtime), and where arch and region came from"
run --db "$T/db" report --arch sparc --out "$T/x"
is "$RC" 2 "an unknown --arch is a usage error"
run --db "$T/db" report --region eu-west-1 --arch arm64 --out "$T/eu" --no-plots
like "$(sed -n '/^## Cost/,/^## Provenance/p' "$T/eu/report.md")" '\| go \| 25 \| 25 \|.*\| arm64 \| option \| us-east-1 \| runtime ARN \|' "--arch prices as asked; the region the runtime ARN names beats --region"
printf '{"timestamp":1795575600100,"message":"REPORT RequestId: m-1\\tDuration: 99.50 ms\\tBilled Duration: 100 ms\\tMemory Size: 512 MB\\tMax Memory Used: 50 MB\\t","logGroupName":"/aws/lambda/go-mapped"}\n' >"$T/mapped.ndjson"
printf '# architecture and region of a function without INIT_START\n/aws/lambda/go-mapped arch=arm64 region=ap-southeast-4\n' >"$T/arch.map"
"$MRB" --db "$T/m.db" ingest -q --map "$T/arch.map" "$T/mapped.ndjson"
"$MRB" --db "$T/m.db" report --out "$T/m" --no-plots >/dev/null 2>"$T/m.err"
like "$(sed -n '/^## Cost/,/^## Provenance/p' "$T/m/report.md")" '\| go \| 1 \| 0 \|.*\| arm64 \| map file \| ap-southeast-4 \| map file \|.*\| ap-southeast-4 arm64: no price \|' "arch and region from the map file; a region without prices is not priced, never guessed"
"$MRB" --db "$T/m.db" report --region us-east-1 --out "$T/m2" --no-plots >/dev/null
like "$(sed -n '/^## Cost/,/^## Provenance/p' "$T/m2/report.md")" '\| go \| 1 \| 1 \| 1\.0e-06 \| 0\.8667 \|.*\| arm64 \| map file \| us-east-1 \| option \|' "--region beats the map file: 2e-7 + 0.1 s x 0.5 GB x 0.0000133334 = \$0.8667 per 1M"
# a selection is read three ways (most of the table: scanned in each query;
# about half: copied by a scan; a small share: copied through the time index):
# each report counts exactly the invocations of its range, warm medians agree
for range in "02:00:00 02:01:00" "02:00:00 02:00:30" "02:00:00 02:00:08"; do
    set -- $range
    "$MRB" --db "$T/db" report --since "2026-11-25T$1Z" --until "2026-11-25T$2Z" --out "$T/sel" --no-plots >/dev/null
    cond="ts_ms >= 1000 * strftime('%s', '2026-11-25T$1') AND ts_ms < 1000 * strftime('%s', '2026-11-25T$2')"
    got=$(sqlite3 :memory: "select sum(j.value ->> 'invocations') || ' ' || sum(k.value ->> 'priced') from json_each(readfile('$T/sel/summary.json'), '\$.sections.overview') j, json_each(readfile('$T/sel/summary.json'), '\$.sections.cost') k where j.value ->> 'runtime' = k.value ->> 'runtime'")
    want=$(q "$T/db" "select count(*) || ' ' || count(*) from invocations where $cond")
    is "$got" "$want" "$1-$2: every invocation of the range counted and priced"
    medians=$(for rt in go kotlin python typescript; do
        q "$T/db" "select duration_ms from invocations where runtime = '$rt' and cold_start = 0 and $cond order by 1" |
            awk '{ v[NR] = $1 } END { if (NR) printf "%.6f ", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
    done)
    got=$(sqlite3 :memory: "select group_concat(printf('%.2f', value ->> 'warm_p50_ms'), ' ') from (select value from json_each(readfile('$T/sel/summary.json'), '\$.sections.overview') order by value ->> 'runtime')")
    close=$(echo "$got | $medians" | awk -F'|' '{ n = split($1, a, " "); m = split($2, b, " ")
        bad = n != m || n == 0; for (i = 1; i <= n; i++) if (a[i] - b[i] > 0.005001 || b[i] - a[i] > 0.005001) bad = 1
        print bad ? "differ: " $0 : "same" }')
    is "$close" "same" "$1-$2: warm medians per runtime agree with the raw rows (to the report's 2 decimals)"
done
run --db "$T/db" report --day 2026-11-26 --out "$T/empty"
like "$(cat "$T/empty/report.md")" "_No data for this selection._" "an empty day says so"
(cd "$T" && "$MRB" --db "$T/db" report --run night-1 >/dev/null)
ok $([ -s "$T/reports/night-1/report.md" ] && echo 0 || echo 1) "the default folder is reports/<run>"
run --db "$T/db" report --day 2026-11-25 --since 2026-11-25
is "$RC" 2 "--day with --since is a usage error"

# a hostile log group: Markdown stays a table, no folder escapes
printf '{"timestamp":1795575600100,"message":"REPORT RequestId: h-1\\tDuration: 1.00 ms\\tBilled Duration: 1 ms\\tMemory Size: 512 MB\\tMax Memory Used: 50 MB\\t","logGroupName":"/aws/lambda/go-x|`y`<b>*"}\n' >"$T/hostile.ndjson"
"$MRB" --db "$T/h.db" ingest -q --run '../../etc' "$T/hostile.ndjson"
(cd "$T" && "$MRB" --db "$T/h.db" report --run '../../etc' --title 'T | `x`' >"$T/where")
like "$(cat "$T/where")" "^reports/_\._\.\._etc-[0-9a-f]{8}/report\.md$" "a run label never becomes a path outside reports/"
like "$(grep 'go-x' "$T/$(cat "$T/where")")" 'go-x\\\|\\`y\\`\\<b\\>\\\*' "function names from logs are escaped in Markdown"
is "$(head -1 "$T/$(cat "$T/where")")" '# T \| \`x\`' "and so is the title"
# Custom metrics: the samples' EMF per runtime, the ColdStart check, a chart
cm=$(sed -n '/^## Custom metrics/,$p' "$T/r/report.md")
like "$cm" '\| Benchmark \| HandlerLatency \| go \| 23 \|' "custom metrics per namespace, metric and runtime"
like "$cm" 'ColdStart check \(Powertools metric against REPORT cold starts\): python 4 = 4, typescript 3 = 3\.' \
    "the ColdStart check agrees with the REPORT lines"
like "$(cat "$T/empty/report.md")" "_No EMF metrics in this selection._" "the day selection narrows metric values too"
like "$(sed -n '/^## DynamoDB writes/,$p' "$T/r/report.md")" "_No DynamoDB stream records in this selection._" "a selection without stream records says so"
# hostile names, and a ColdStart without a cold REPORT: escaped, sanitised, called out
emf() { # emf FUNCTION TS REQUEST NAME VALUE
    printf '{"timestamp":%s,"logStreamName":"s-%s","logGroupName":"/aws/lambda/%s","message":"{\\"_aws\\":{\\"Timestamp\\":%s,\\"CloudWatchMetrics\\":[{\\"Namespace\\":\\"N`<b>\\",\\"Dimensions\\":[[\\"svc\\"]],\\"Metrics\\":[{\\"Name\\":\\"%s\\",\\"Unit\\":\\"Count\\"}]}]},\\"svc\\":\\"a|b\\",\\"%s\\":%s}"}\n' \
        "$2" "$1" "$1" "$2" "$4" "$4" "$5"
    printf '{"timestamp":%s,"logStreamName":"s-%s","logGroupName":"/aws/lambda/%s","message":"REPORT RequestId: %s\\tDuration: 1.00 ms\\tBilled Duration: 1 ms\\tMemory Size: 512 MB\\tMax Memory Used: 50 MB\\t"}\n' \
        "$(($2 + 5))" "$1" "$1" "$3"
}
{ emf bench-go 1795575600100 r1 'Lat|x`y*' 3; emf bench-python 1795575600200 r2 'Lat|x`y*' 4; emf bench-python 1795575600300 r3 ColdStart 1; } >"$T/emf.ndjson"
"$MRB" --db "$T/emf.db" ingest -q "$T/emf.ndjson"
run --db "$T/emf.db" report --out "$T/emf" --no-plots
cm=$(sed -n '/^## Custom metrics/,$p' "$T/emf/report.md")
like "$cm" '\| N\\`\\<b\\> \| Lat\\\|x\\`y\\\* \| go \| 1 \|' "metric names and namespaces from logs are escaped in Markdown"
like "$cm" 'python 1 against 0 \(\*\*mismatch: \+1\*\*\)' "a ColdStart count that REPORT lines do not show is called out"
like "$(grep -h "set title" "$T/emf/metric-1.gp") $(grep -c '[`|*<]' "$T/emf/metric-1.dat")" '^set title .N__b_/Lat_x_y_. 0$' "and sanitised in the gnuplot script"
# the committed example is what the tool writes today (golden, byte for byte)
"$MRB" --db "$T/all.db" ingest -q $(find "$ROOT/samples" -mindepth 1 -maxdepth 1 -type d ! -name nights | sort)
"$MRB" --db "$T/all.db" report --title "Example: samples/ (every shape, one benchmark night)" --out "$T/ex" >/dev/null
dw=$(sed -n '/^## DynamoDB writes/,$p' "$T/ex/report.md")
like "$dw" '\| kotlin \| 8 \| 5 \| 2 \| 1 \| 0 \|.*\| log-id 8 \|' "DynamoDB writes per runtime, attributed from the ids the logs name"
like "$(sed -n '/^## Cost/,/^## Provenance/p' "$T/ex/report.md")" '\| go \|.*\| runtime ARN \| 3 \| 5 \| 3\.13e-06 \| 0\.00028 \| us-east-1 x86\\_64: shipped 2026-11-27.3 \|' \
    "the cost section adds each runtime's DynamoDB writes: 5 WRU x \$0.625 per million"
ok "$(cmp -s "$T/ex/report.md" "$ROOT/reports/example/report.md"; echo $?)" "reports/example/report.md is reproduced byte for byte"
ok "$(cmp -s "$T/ex/summary.json" "$ROOT/reports/example/summary.json"; echo $?)" "and summary.json"
bad=""
for f in "$ROOT"/reports/example/*.dat "$ROOT"/reports/example/*.gp; do
    cmp -s "$f" "$T/ex/$(basename "$f")" || bad="$bad $(basename "$f")"
done
is "$bad" "" "and every chart's data and gnuplot script"
if command -v gnuplot >/dev/null; then
    n=0
    for f in "$T"/ex/*.png "$T"/ex/*.svg; do [ -s "$f" ] && n=$((n + 1)); done
    is "$n" 26 "thirteen charts, each as a non-empty PNG and SVG"
else
    ok 0 "# SKIP gnuplot is not installed"
fi
PATH=/nonexistent "$MRB" --db "$T/all.db" report --out "$T/nogp" >/dev/null 2>"$T/nogp.err"
like "$(cat "$T/nogp.err") $(grep -c 'Chart not drawn (gnuplot is not installed)' "$T/nogp/report.md")" \
    "warning: .*gnuplot is not installed.* 13$" "without gnuplot: one warning, a note in place of each chart"
done_testing
