#!/usr/bin/env bash
# 34-exit-output.t — "cannot write the output" has its own exit code, 7,
# for a report folder, the report's files and standard output; the other
# codes keep their meaning (4 stays "an input cannot be read").
. "$(dirname "$0")/../lib.sh"
plan 9

s3_events ok 3 >"$T/a.log"
run --db "$T/db" ingest -q "$T/a.log"
is "$RC" 0 "setup: a night ingested"

: >"$T/file"
run --db "$T/db" report --out "$T/file/sub"
is "$RC" 7 "report: the folder cannot be created: exit 7"
like "$ERR" "error: .*file/sub: cannot create the folder" "report: says which folder"

mkdir -p "$T/r/report.md"
run --db "$T/db" report --out "$T/r"
is "$RC" 7 "report: report.md cannot be created (a folder by that name): exit 7"

if [ -w /dev/full ]; then
    "$MRB" --db "$T/db" sql "select 1" >/dev/full 2>"$T/err"
    is "$?" 7 "sql: standard output cannot be written: exit 7"
    like "$(cat "$T/err")" "cannot write standard output" "sql: says so"
    "$MRB" --db "$T/db" query runtimes >/dev/full 2>"$T/err"
    is "$?" 7 "query: standard output cannot be written: exit 7"
else
    for i in 1 2 3; do ok 0 "# SKIP no /dev/full"; done
fi

run --db "$T/db" report --pricing "$T/missing.json" --out "$T/r2"
is "$RC" 4 "report: an unreadable --pricing file is still exit 4"
like "$("$MRB" report --help)" "7 cannot write the report" "report --help documents exit 7"
done_testing
