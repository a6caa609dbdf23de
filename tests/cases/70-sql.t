#!/usr/bin/env bash
# `sql` and `query`: output modes, escaping of text from logs, the
# statistics functions against an independent computation, parameters.
. "$(dirname "$0")/../lib.sh"
plan 22

"$MRB" --db "$T/db" ingest -q "$ROOT/samples/s3-export"
run --db "$T/db" sql "select runtime, count(*) as n from invocations group by 1 order by 1"
is "$OUT" "runtime      n
----------  --
go          25
kotlin      25
python      25
typescript  25" "table mode aligns columns, numbers (and their heading) to the right"

run --db "$T/db" sql --csv "select 'a,b' as x, 'say \"hi\"' as y, null as z"
is "$OUT" "$(printf 'x,y,z\r\n"a,b","say ""hi""",\r')" "CSV quotes per RFC 4180, NULL empty"

run --db "$T/db" sql --json "select 1 as n, 2.5 as r, 'a\"b' as s, null as z"
is "$OUT" '[
 {"n": 1, "r": 2.5, "s": "a\"b", "z": null}
]' "JSON: numbers as numbers, strings escaped, null"

# hostile text as it could come from a log group name
run --db "$T/db" sql --markdown "select 'x | y \`z\` *b* <i>' || char(10) || '# h' as name, 3 as n"
is "$OUT" '| name | n |
| --- | ---: |
| x \| y \`z\` \*b\* \<i\> \# h | 3 |' "Markdown escapes every cell and keeps it on one line"

run --db "$T/db" sql --json "select 1 where 0"
is "$OUT" "[]" "an empty JSON result is []"

# statistics functions against sort + awk over the same values
q "$T/db" "select duration_ms from invocations where runtime = 'go' and cold_start = 0 order by 1" >"$T/go"
n=$(wc -l <"$T/go")
want=$(awk -v n="$n" '{ v[NR] = $1 } END { h = (n - 1) * 0.9; l = int(h); printf "%.6f", v[l + 1] + (h - l) * (v[l + 2] - v[l + 1]) }' "$T/go")
run --db "$T/db" sql "select printf('%.6f', percentile(duration_ms, 90)) from invocations where runtime = 'go' and cold_start = 0"
is "$(printf '%s' "$OUT" | tail -n 1)" "$want" "percentile(x, 90) is R-7 (checked with awk over the same $n values)"
want=$(awk -v n="$n" '{ v[NR] = $1 } END { if (n % 2) printf "%.6f", v[(n + 1) / 2]; else printf "%.6f", (v[n / 2] + v[n / 2 + 1]) / 2 }' "$T/go")
run --db "$T/db" sql --csv "select printf('%.6f', median(duration_ms)) as m from invocations where runtime = 'go' and cold_start = 0"
is "$(printf '%s' "$OUT" | tail -n 1 | tr -d '\r')" "$want" "median(x)"

run --db "$T/db" sql "select percentile(duration_ms, 101) from invocations"
is "$RC" 5 "a failing statement exits 5"
like "$ERR" "percentile: p must be between 0 and 100" "and says why"
run --db "$T/db" sql "select nonsense from nowhere"
like "$ERR" "^mrb-analyze: error: SQL: no such table: nowhere" "SQL errors are named"
run --db "$T/missing.db" sql "select 1"
is "$RC" 3 "a missing database exits 3"
like "$ERR" "run mrb-analyze ingest first" "and says what to do"

# named queries
run query --list
like "$OUT" "runtimes +built-in +per runtime" "query --list shows each query, its origin and what it answers"
run --db "$T/db" query runtimes --csv
like "$OUT" "^runtime,invocations,cold_starts," "query runtimes runs queries/runtimes.sql"
is "$(printf '%s\n' "$OUT" | grep -c '^[a-z]*,25,')" 4 "with 25 invocations for each of the four runtimes"
run --db "$T/db" query day
like "$ERR" "this query needs --param day=VALUE" "a missing parameter is named"
run --db "$T/db" query day --param day=2026-11-25 --csv
is "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d, -f1,2 | tr -d '\r' | tr '\n' ' ')" "go,25 kotlin,25 python,25 typescript,25 " "parameters are bound"
run --db "$T/db" query ../etc/passwd
is "$RC" 2 "a query name cannot leave queries/"
# cost: summed per invocation, checked with awk over the same rows
q "$T/db" "select billed_ms, memory_mb from invocations where runtime = 'python'" |
    awk -F'|' '{ s += 0.0000002 + ($1 / 1000) * ($2 / 1024) * 0.0000166667 } END { printf "%.9f\n", s }' >"$T/want"
run --db "$T/db" sql --csv "select printf('%.9f', sum(cost_usd(memory_mb, billed_ms))) from invocations where runtime = 'python'"
is "$(printf '%s\n' "$OUT" | tail -n 1 | tr -d '\r')" "$(cat "$T/want")" "cost_usd() per invocation, summed (checked with awk)"
printf '{"version": "test-1", "lambda": [{"region": "us-east-1", "arch": "x86_64", "request_usd": 0, "gb_second_usd": 0.001}]}' >"$T/bad-prices.json"
run --db "$T/db" sql --pricing "$T/bad-prices.json" "select 1"
is "$RC" 4 "a bad --pricing file exits 4"
printf '{"version": "test-2", "lambda": [{"region": "us-east-1", "arch": "x86_64", "request_usd": 0.000001, "gb_second_usd": 0.001}]}' >"$T/prices.json"
run --db "$T/db" sql --csv --pricing "$T/prices.json" "select price_table_version() as v, cost_usd(1024, 1000) as c"
is "$(printf '%s\n' "$OUT" | tail -n 1 | tr -d '\r')" "test-2,0.001001" "--pricing replaces the shipped prices"
run --db "$T/db" query report-cost --csv
is "$(printf '%s\n' "$OUT" | grep -c '^[a-z]*,25,25,.*,us-east-1 x86_64: shipped 2026-11-27.3')" 4 "query report-cost prices every invocation with the shipped table"
done_testing
