#!/usr/bin/env bash
# compare: two nights per runtime with verdicts; report --baseline and --trend.
# The statistics themselves are checked in tests/unit/test_compare_stats.c;
# here: nights and defaults, what the verdict lines say, exit codes, notes.
. "$(dirname "$0")/../lib.sh"
plan 33

# two nights drawn from the same distributions (different seeds), 2000
# invocations per function and night
"$GEN" --out "$T/n1" --day 2026-11-24 --seed 11 --invocations 2000 2>/dev/null
"$GEN" --out "$T/n2" --day 2026-11-25 --seed 22 --invocations 2000 2>/dev/null
"$MRB" --db "$T/db" ingest -q --run night-a "$T/n1"
"$MRB" --db "$T/db" ingest -q --run night-b "$T/n2"

run --db "$T/db" compare
is "$RC" 0 "compare exits 0"
like "$OUT" "^## Comparison: 2026-11-24 → 2026-11-25" "default: the latest day against the day before"
is "$(echo "$OUT" | grep -cE '\| (no change|regressed|improved|inconclusive)( \(needs [0-9]+ a side\))? \|')" 36 "one row per runtime and metric (4 x 9)"
is "$(echo "$OUT" | grep -cE '\| (regressed|improved) ')" 0 "same distributions: no regressed, no improved"
run --db "$T/db" compare --fail-on-regression 2026-11-24 2026-11-25
is "$RC" 0 "--fail-on-regression exits 0 when nothing regressed"

run --db "$T/db" compare --json night-a night-b
is "$RC" 0 "run labels are nights too"
is "$(sqlite3 :memory: "select json_array_length(readfile('$T/out'), '\$.rows')")" 36 "--json: 36 rows"
is "$(sqlite3 :memory: "select json_extract(readfile('$T/out'), '\$.baseline') || ' ' || json_extract(readfile('$T/out'), '\$.rows[0].metric') || ' ' || json_extract(readfile('$T/out'), '\$.family')")" "night-a warm_p50_ms 32" "--json names the nights, the metrics and the family size"

run --db "$T/db" compare 2026-11-24T00:00:00Z..2026-11-24T12:00:00Z 2026-11-25..2026-11-26
is "$RC" 0 "time ranges are nights too (FROM..UNTIL, times or days)"
like "$OUT" "^## Comparison: 2026-11-24T00:00:00Z..2026-11-24T12:00:00Z → 2026-11-25..2026-11-26" "and are named as given"
run --db "$T/db" compare 2026-11-25..2026-11-24 2026-11-25
is "$RC" 2 "a range that ends before it starts is a usage error"

# a runtime version that changes between the nights is flagged
sqlite3 "$T/db" "UPDATE environments SET runtime_version = 'python:3.11.v30' WHERE runtime = 'python' AND first_ts_ms >= 1000 * strftime('%s', '2026-11-25')"
run --db "$T/db" compare
like "$OUT" '\| python \| warm_p50_ms \|.*⚠ runtime version changed: python:3.11.v29 → python:3.11.v30 \|' "a changed runtime version is flagged"

# a 30 % slower Go on the second night: warm quantiles regress
sqlite3 "$T/db" "UPDATE invocations SET duration_ms = duration_ms * 1.3 WHERE runtime = 'go' AND run = 'night-b'"
run --db "$T/db" compare --fail-on-regression
is "$RC" 6 "--fail-on-regression exits 6 on a regression"
like "$OUT" '\| go \| warm_p50_ms \| [0-9.]+ \| [0-9.]+ \| 3[0-9]\.[0-9] \| .*\| regressed \|' "go warm p50: +30 %, regressed"
is "$(echo "$OUT" | grep -cE '\| (python|typescript|kotlin) \|.*\| (regressed|improved) \|')" 0 "the other runtimes: no verdict moved"
run --db "$T/db" compare
is "$RC" 0 "without --fail-on-regression a regression still exits 0"
run --db "$T/db" compare --threshold warm_p50_ms=50 --threshold warm_p90_ms=50 --threshold warm_p99_ms=50 --threshold cost_per_1m_usd=50
like "$OUT" '\| go \| warm_p50_ms \|.*\| no change \|' "--threshold METRIC=PCT: 30 % is within a 50 % noise threshold"

# another memory size on the second night is not the code's change
sqlite3 "$T/db" "UPDATE invocations SET memory_mb = 1024 WHERE runtime = 'kotlin' AND run = 'night-b'"
run --db "$T/db" compare
like "$OUT" '\| kotlin \| warm_p50_ms \|.*⚠ memory size changed: 512 → 1024 MB \|' "a changed memory size is flagged in the verdict line"

# too few values: inconclusive, with how many are needed
"$GEN" --out "$T/tiny" --day 2026-11-26 --seed 5 --invocations 9 2>/dev/null # 8 warm
"$MRB" --db "$T/db" ingest -q "$T/tiny"
run --db "$T/db" compare 2026-11-25 2026-11-26
like "$OUT" '\| python \| warm_p50_ms \|.*\| 1950 \| 8 \| inconclusive \(needs 20 a side\) \|' "n = 8: inconclusive, needs 20 a side"

# usage and data errors
run --db "$T/db" compare 2026-11-24
is "$RC" 2 "one night alone is a usage error"
run --db "$T/db" compare --threshold p42=5
is "$RC" 2 "an unknown metric in --threshold is a usage error"
like "$ERR" "no metric 'p42'" "and says which"
run --db "$T/db" compare no-such-run 2026-11-25
is "$RC" 5 "a night without invocations exits 5"
like "$ERR" "no invocations for baseline 'no-such-run'" "and names it"
run --db "$T/db" compare '2026-13-40' 2026-11-25
is "$RC" 2 "a day that does not exist is a usage error"

# the report: --baseline adds the comparison, --trend the nights before
run --db "$T/db" report --day 2026-11-25 --baseline 2026-11-24 --trend 3 --no-plots --out "$T/r"
is "$RC" 0 "report --baseline --trend exits 0"
like "$(sed -n '/^## Comparison/,$p' "$T/r/report.md")" '\| go \| warm_p50_ms \|.*\| regressed \|' "the report's comparison shows the regression"
is "$(sqlite3 :memory: "select json_extract(readfile('$T/r/summary.json'), '\$.sections.comparison.counts.regressed') > 0 and json_array_length(readfile('$T/r/summary.json'), '\$.sections.trend') = 8")" 1 "summary.json has the comparison and 2 nights x 4 runtimes of trend"

# samples/nights: two nights of 400 invocations per function, Go 30 % slower
# on the second (mrb-gen --slower go=30): what `make demo` shows
"$MRB" --db "$T/nights.db" ingest -q "$ROOT/samples/nights"
run --db "$T/nights.db" compare --fail-on-regression
is "$RC" 6 "samples/nights: the default comparison (2026-11-24 against 2026-11-23) finds the regression"
like "$OUT" '\| go \| warm_p50_ms \|.*\| regressed \|' "go's warm p50 regressed"
is "$(echo "$OUT" | grep -E '\| regressed \|' | grep -vc '^| go |')" 0 "and nothing else regressed"

# the committed example of a comparison is what the tool writes today (golden)
"$MRB" --db "$T/nights.db" report --day 2026-11-24 --baseline 2026-11-23 --trend 2 \
    --title "Example: the night of 2026-11-24 against 2026-11-23 (samples/nights)" --out "$T/exc" >/dev/null
ok "$(cmp -s "$T/exc/report.md" "$ROOT/reports/example-compare/report.md"; echo $?)" "reports/example-compare/report.md is reproduced byte for byte" 2>/dev/null
bad=""
for f in "$ROOT"/reports/example-compare/*.dat "$ROOT"/reports/example-compare/*.gp "$ROOT"/reports/example-compare/summary.json; do
    cmp -s "$f" "$T/exc/$(basename "$f")" || bad="$bad $(basename "$f")"
done
is "$bad" "" "and its summary.json, every chart's data and gnuplot script"
