#!/usr/bin/env bash
# Bad inputs: each is rejected with its file and position, leaves no rows,
# and the good files beside it are still ingested.
. "$(dirname "$0")/../lib.sh"
plan 22

D=$T/in
mkdir -p "$D"
s3_events good 5 | gzip -c >"$D/a-good.gz"
s3_events trunc 400 | gzip -c >"$T/full.gz"
head -c $(( $(stat -c %s "$T/full.gz") / 2 )) "$T/full.gz" >"$D/b-truncated.gz"
cp "$T/full.gz" "$D/c-corrupt.gz"
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' |
    dd of="$D/c-corrupt.gz" bs=1 seek=200 conv=notrunc status=none
printf '{"events": [\n{"timestamp": 1795575600000, "message": "REPORT RequestId: json-1\\tDuration: 1.00 ms\\n"},\n{"timestamp": 1795575600001, "message": }\n]}\n' >"$D/d-invalid.json"
: >"$D/e-empty.log"
printf '\000\001\002\003garbage\377\376' >"$D/f-garbage.bin"
printf '{"events": [{"timestamp": 1795575600000, "message": "REPORT RequestId: utf-1\\tDuration: 1.00 ms"},\n{"timestamp": 1795575600001, "message": "bad \377\376 bytes"}]}\n' >"$D/g-bad-utf8.json"
: | gzip -c >"$D/h-empty.gz"

run --db "$T/db" ingest "$D"
is "$RC" 1 "exit 1 when some files are rejected"
like "$ERR" "b-truncated.gz: .*gzip data ends early" "truncated gzip is named with the cause"
like "$ERR" "c-corrupt.gz: .*corrupt gzip data at compressed byte [0-9]+" "corrupt deflate data is named with its offset"
like "$ERR" "d-invalid.json:3: .*invalid JSON" "invalid JSON is named with its line"
like "$ERR" "e-empty.log: file is empty" "an empty file is named"
like "$ERR" "f-garbage.bin:1: not a log export this tool knows \(it starts with '\\\\x00\\\\x01" "garbage is named, shown escaped"
like "$ERR" "g-bad-utf8.json:2: .*invalid JSON.*unable to decode byte 0xff" "invalid UTF-8 is named with its line"
like "$ERR" "h-empty.gz: file is empty after decompression" "an empty gzip file is named"
is "$(q "$T/db" "select count(*) from invocations")" 5 "only the good file's invocations are stored"
is "$(q "$T/db" "select group_concat(distinct substr(request_id, 1, 4)) from invocations")" "good" "nothing from a rejected file is left"
is "$(q "$T/db" "select status, count(*) from files group by 1 order by 1")" "ok|1
rejected|7" "files records 1 ok and 7 rejected"
is "$(q "$T/db" "select error is not null from files where path like '%d-invalid.json'")" 1 "files keeps the error"

# all-or-nothing: a file whose first half is fine and whose end is corrupt
s3_events half 300 | gzip -c >"$T/half.gz"
head -c $(( $(stat -c %s "$T/half.gz") - 40 )) "$T/half.gz" >"$T/half-cut.gz"
run --db "$T/db2" ingest "$T/half-cut.gz"
is "$RC" 1 "a file failing half-way exits 1"
is "$(q "$T/db2" "select count(*) from invocations")" 0 "a file failing half-way leaves no rows"

# re-ingesting the same bad file adds no rows to files
run --db "$T/db" ingest "$D"
is "$(q "$T/db" "select count(*) from files")" 8 "re-ingesting adds no files rows"
is "$(q "$T/db" "select count(*) from invocations")" 5 "re-ingesting adds no invocations"

# gzip members after the last one must be gzip too
{ s3_events m1 2 | gzip -c; printf 'trailing garbage'; } >"$T/trailing.gz"
run --db "$T/db3" ingest "$T/trailing.gz"
like "$ERR" "trailing.gz: byte [0-9]+: bytes after gzip member 1 at compressed byte [0-9]+ are not gzip" "garbage after a gzip member is reported"

# malformed platform lines are skipped records, not fatal
{ s3_events ok 2; printf '2026-11-25T04:00:00.000Z REPORT RequestId: bad-1\tBilled Duration: 3 ms\n'; } >"$T/malformed.log"
run --db "$T/db4" ingest "$T/malformed.log"
is "$RC" 1 "a skipped record makes the exit code 1"
like "$ERR" "warning: .*malformed.log:13: REPORT line without a Duration" "the skipped record is named with its line"
is "$(q "$T/db4" "select count(*) from invocations")" 2 "the other records are stored"
is "$(q "$T/db4" "select line || ':' || message from problems")" "13:REPORT line without a Duration" "problems table keeps it"
is "$(q "$T/db4" "select rejected_records from files")" 1 "files counts it"
done_testing
