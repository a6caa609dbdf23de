#!/usr/bin/env bash
# The bad-input corpus: every folder of tests/data/bad holds one hostile
# input (its files) and `expect`, lines of
#   exit N               the exit code of `ingest FOLDER`
#   stderr REGEX         stderr matches (grep -E), one per line, all must
#   sql QUERY => VALUE   the database answers VALUE (rows joined by ',')
# Every case must also end without a crash or a sanitizer report. Inputs
# too big to keep (a 10 MB line, 100k-deep nesting, a gzip bomb) are made
# here, bounded in time.
. "$(dirname "$0")/../lib.sh"
CORPUS=$ROOT/tests/data/bad

# no_crash NAME: the last run ended by itself, and no sanitizer spoke
no_crash() {
    local bad=0
    [ "$RC" -lt 128 ] || bad=1
    printf '%s' "$ERR" | grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:|ThreadSanitizer' && bad=1
    ok $bad "$1: no crash, no sanitizer report (exit $RC)"
}

# check_case DIR: ingests DIR's inputs and checks its expect lines
check_case() {
    local dir=$1 name db line
    name=$(basename "$dir")
    mkdir -p "$T/in/$name"
    find "$dir" -maxdepth 1 -type f ! -name expect -exec cp {} "$T/in/$name/" \;
    db=$T/$name.db
    run --db "$db" ingest "$T/in/$name"
    no_crash "$name"
    while IFS= read -r line; do
        case $line in
        exit\ *) is "$RC" "${line#exit }" "$name: exit ${line#exit }" ;;
        stderr\ *) like "$ERR" "${line#stderr }" "$name: stderr matches ${line#stderr }" ;;
        sql\ *)
            local qa=${line#sql } got
            got=$(q "$db" "${qa%% => *}" | paste -sd, -)
            is "$got" "${qa##* => }" "$name: ${qa%% => *}"
            ;;
        '#'* | '') ;;
        *) ok 1 "$name: expect line not understood: $line" ;;
        esac
    done <"$dir/expect"
}

for dir in "$CORPUS"/*/; do
    check_case "${dir%/}"
done

# ---- made here: too big to keep ----
# a 10 MB line between good events: skipped with its length, the rest kept
{ s3_events big 2; printf '2026-11-25T03:00:09.000Z '; head -c 10485760 /dev/zero | tr '\0' 'x'; printf '\n\n'; s3_events after 1; } >"$T/long-line.log"
run --db "$T/long.db" ingest "$T/long-line.log"
no_crash "10 MB line"
like "$ERR" "long-line.log:13: line of 104857[0-9]+ bytes is longer than the limit, skipped" "10 MB line: skipped, named with its line and length"
is "$(q "$T/long.db" "select count(*) from invocations")" 3 "10 MB line: the events around it are kept"

# 100k-deep nesting in an event, in a DynamoDB image and at the top
deep() { head -c "$1" /dev/zero | tr '\0' "$2"; }
{ printf '{"events": [{"timestamp": 1795575600000, "message": "x", "extra": '; deep 100000 '['; deep 100000 ']'; printf '}]}\n'; } >"$T/deep-event.json"
{ deep 100000 '['; deep 100000 ']'; } >"$T/deep-top.json"
{ printf '{"Records": [{"eventID": "e1", "eventName": "INSERT", "dynamodb": {"Keys": {"id": {"S": "k"}}, "NewImage": {"deep": '; deep 100000 '['; deep 100000 ']'; printf '}}}]}\n'; } >"$T/deep-ddb.json"
for f in deep-event deep-top deep-ddb; do
    run --db "$T/$f.db" ingest "$T/$f.json"
    no_crash "100k-deep nesting ($f)"
    is "$RC" 1 "100k-deep nesting ($f): rejected or skipped, exit 1"
    like "$ERR" "$f.json" "100k-deep nesting ($f): the file is named"
done

# a gzip bomb (16 GiB of zeros in 16 MB of members) is rejected at its first
# bytes and not inflated further: the ingest takes a fraction of a second
head -c 67108864 /dev/zero | gzip -9 >"$T/zeros.gz"
for i in $(seq 1 256); do cat "$T/zeros.gz"; done >"$T/bomb.gz"
start=$(date +%s%N)
run --db "$T/bomb.db" ingest "$T/bomb.gz"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
no_crash "gzip bomb"
like "$ERR" "bomb.gz:1: not a log export this tool knows" "gzip bomb: rejected at its first bytes"
ok $([ "$ms" -lt 4000 ] && echo 0 || echo 1) "gzip bomb: not inflated to its end (${ms} ms; inflating 16 GiB takes over 10 s)"
is "$(q "$T/bomb.db" "select size_bytes from files")" "$(stat -c %s "$T/bomb.gz")" "gzip bomb: its raw size is still recorded"

# a database that an older version filled with impossible times: compare and
# the trend neither overflow nor print a night in year 292278994
s3_events ok 3 >"$T/ok.log"
s3_events prev 3 | sed 's/^2026-11-25/2026-11-24/' >"$T/prev.log"
run --db "$T/old.db" ingest "$T/ok.log" "$T/prev.log"
sqlite3 "$T/old.db" "update invocations set ts_ms = 9223372036854775807 where request_id = 'ok-1';
                     update invocations set ts_ms = -9223372036854775807 where request_id = 'ok-2'"
run --db "$T/old.db" compare
no_crash "compare over INT64_MAX times"
like "$OUT" "2026-11-24.*2026-11-25|2026-11-25.*2026-11-24" "compare picks the last real nights, not year 292278994"
is "$RC" 0 "compare over INT64_MAX times: exit 0"
run --db "$T/old.db" report --trend 3 --out "$T/rep"
no_crash "report --trend over INT64_MAX times"
ok "$(grep -c 292278 "$T/rep/report.md" 2>/dev/null | grep -qx 0; echo $?)" "the trend names no night in year 292278994"
plan "$_n"
done_testing
