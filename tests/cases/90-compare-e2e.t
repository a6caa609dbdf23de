#!/usr/bin/env bash
# compare and report --trend with the end-to-end metrics of API Gateway
# requests: client p50/p99, API Gateway overhead p50, 4xx and 5xx rates,
# cost per 1M requests end to end. Two nights from the same distributions
# flag nothing; a night whose python requests got slower and failing is
# flagged for those metrics and that runtime only; a night without API
# Gateway logs gives n/a (never a regression); a database without any has
# no such rows.
. "$(dirname "$0")/../lib.sh"
plan 15

# two nights of 1500 invocations per function, from different seeds; their
# API Gateway requests (the same RequestIds and trace ids), made by the
# samples' generator (bench/mrb-apigw-gen.c) from the ingested invocations
"$GEN" --out "$T/n1" --day 2026-11-24 --seed 11 --invocations 1500 2>/dev/null
"$GEN" --out "$T/n2" --day 2026-11-25 --seed 22 --invocations 1500 2>/dev/null
"$MRB" --db "$T/lambda.db" ingest -q "$T/n1" "$T/n2"
cc -std=c11 -D_GNU_SOURCE -O2 "$ROOT/bench/mrb-apigw-gen.c" -ljansson -lsqlite3 -o "$T/apigw-gen" &&
    "$T/apigw-gen" "$T/lambda.db" "$T/gw" || echo "# cannot build or run bench/mrb-apigw-gen.c"
ACCESS=$T/gw/access/dev-benchmark-api-access.json

# worse: the second night's python requests 3x slower plus 200 ms, one in four a 502
python3 - "$ACCESS" "$T/worse.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
k = 0
for e in d["events"]:
    m = json.loads(e["message"])
    if m["resourcePath"].startswith("/python/") and m["requestTime"].startswith("25/Nov/2026"):
        k += 1
        m["responseLatency"] = int(m["responseLatency"]) * 3 + 200
        if k % 4 == 0:
            m["status"] = 502
        e["message"] = json.dumps(m)
json.dump(d, open(sys.argv[2], "w"))
PY

cp "$T/lambda.db" "$T/same.db"
"$MRB" --db "$T/same.db" ingest -q "$ACCESS"
run --db "$T/same.db" compare --json 2026-11-24 2026-11-25
is "$RC" 0 "compare exits 0"
j() { sqlite3 :memory: "SELECT $1 FROM json_each(json_extract(readfile('$T/out'), '\$.rows')) AS r"; }
is "$(j "count(*)") $(j "sum(json_extract(r.value, '\$.metric') = 'client_p99_ms')")" "60 4" \
   "with API Gateway requests: 15 metrics per runtime, client p99 among them"
is "$(j "group_concat(json_extract(r.value, '\$.runtime') || ' ' || json_extract(r.value, '\$.metric'))" | tr ',' '\n' |
      grep -c -E 'client_p50_ms|client_p99_ms|apigw_overhead_p50_ms|status_4xx_pct|status_5xx_pct|cost_per_1m_e2e_usd')" 24 \
   "the six end-to-end metrics for each of the four runtimes"
is "$(j "count(*)" | head -1)-$(j "sum(json_extract(r.value, '\$.verdict') IN ('regressed', 'improved'))")" "60-0" \
   "two nights from the same distributions: nothing regressed or improved, end to end included"
is "$(sqlite3 :memory: "SELECT json_extract(readfile('$T/out'), '\$.family') > 40")" 1 \
   "the end-to-end comparisons are in the family Holm adjusts"

cp "$T/lambda.db" "$T/worse.db"
"$MRB" --db "$T/worse.db" ingest -q "$T/worse.json"
run --db "$T/worse.db" compare --json 2026-11-24 2026-11-25
v() { j "json_extract(r.value, '\$.verdict')" >/dev/null; sqlite3 :memory: "SELECT json_extract(r.value, '\$.verdict') FROM json_each(json_extract(readfile('$T/out'), '\$.rows')) AS r WHERE json_extract(r.value, '\$.runtime') = '$1' AND json_extract(r.value, '\$.metric') = '$2'"; }
is "$(v python client_p99_ms)" regressed "python's client p99 got worse: regressed"
is "$(v python status_5xx_pct)" regressed "python's 5xx rate got worse: regressed"
is "$(v python client_p50_ms) $(v python apigw_overhead_p50_ms)" "regressed regressed" "and its client p50 and API Gateway overhead"
is "$(j "sum(json_extract(r.value, '\$.verdict') = 'regressed' AND json_extract(r.value, '\$.runtime') <> 'python')")" 0 \
   "no other runtime regressed"
is "$(v python warm_p50_ms)" "no change" "the Lambda side of python did not change"

# a third night without API Gateway logs: n/a, never a regression
"$GEN" --out "$T/n3" --day 2026-11-26 --seed 33 --invocations 1500 2>/dev/null
"$MRB" --db "$T/worse.db" ingest -q "$T/n3"
run --db "$T/worse.db" compare --json 2026-11-25 2026-11-26
is "$(v python client_p99_ms)|$(sqlite3 :memory: "SELECT json_extract(r.value, '\$.candidate') IS NULL, json_extract(r.value, '\$.note') FROM json_each(json_extract(readfile('$T/out'), '\$.rows')) AS r WHERE json_extract(r.value, '\$.runtime') = 'python' AND json_extract(r.value, '\$.metric') = 'status_5xx_pct'")" \
   "inconclusive|1|no API Gateway requests in the candidate: n/a" "a night without API Gateway logs: no value, a note, inconclusive"
run --db "$T/lambda.db" compare --json 2026-11-24 2026-11-25
is "$(j "count(*)")" 36 "a database without API Gateway requests: the nine Lambda metrics only"

# --trend: the end-to-end columns per night
run --db "$T/worse.db" report --no-plots --trend 3 --out "$T/r"
is "$RC" 0 "report --trend exits 0"
is "$(grep -A6 '^## Trend' "$T/r/report.md" | grep -c 'client_p50_ms | client_p99_ms | apigw_overhead_p50_ms | status_4xx_pct | status_5xx_pct | cost_per_1m_e2e_usd')" 1 \
   "the trend has the end-to-end columns"
is "$(grep '^| python | 2026-11-2[56] ' "$T/r/report.md" | awk -F' [|] ' '{ print $2, $13 }' | tr '\n' ';')" "2026-11-25 $(q "$T/worse.db" "SELECT printf('%.2f', 100.0 * sum(status BETWEEN 500 AND 599) / count(status)) FROM request_paths WHERE runtime = 'python' AND ts_ms >= 1000 * strftime('%s', '2026-11-25') AND ts_ms < 1000 * strftime('%s', '2026-11-26')");2026-11-26 —;" \
   "python's 5xx rate per night: the worse night's, and none for the night without API Gateway logs"
done_testing
