#!/usr/bin/env bash
# Streaming: gzip members back to back, standard input, a 10 MB line, and
# memory that stays bounded whatever the size of a line or a document.
. "$(dirname "$0")/../lib.sh"
plan 13

# three gzip members, one event stream
{ s3_events mm 3 | gzip -c; s3_events mn 4 | gzip -c; s3_events mo 5 | gzip -c; } >"$T/multi.gz"
run --db "$T/db" ingest "$T/multi.gz"
is "$RC" 0 "a multi-member gzip file is read"
is "$(q "$T/db" "select count(*) from invocations")" 12 "every member's events are stored"

# standard input
s3_events sin 3 | gzip -c | "$MRB" --db "$T/db-stdin" ingest - 2>"$T/err"
is "$?" 0 "'-' reads standard input"
is "$(q "$T/db-stdin" "select count(*) || ' ' || min(f.path) from invocations join files f using (file_id)")" "3 -" "stdin is recorded as '-'"

# a 10 MB line between good events: skipped with a message, the rest kept
{
    s3_events before 2
    printf '2026-11-25T05:00:00.000Z '
    head -c 10485760 /dev/zero | tr '\0' 'x'
    printf '\n\n'
    s3_events after 3
} >"$T/long.log"
/usr/bin/time -f '%M' -o "$T/rss" "$MRB" --db "$T/db-long" ingest "$T/long.log" 2>"$T/err"
rc=$?
is "$rc" 1 "a skipped over-long line makes the exit code 1"
like "$(cat "$T/err")" "long.log:13: line of 10485785 bytes is longer than the limit, skipped" "the long line is named with its line and size"
is "$(q "$T/db-long" "select count(*) from invocations")" 5 "the events around it are stored"
rss=$(tail -n 1 "$T/rss")
rss_under "$rss" 65536 "peak RSS with a 10 MB line is under 64 MB (${rss} KB)"

# the same inside a CLI JSON document
{
    printf '{"events": [{"timestamp": 1795575600000, "message": "'
    head -c 10485760 /dev/zero | tr '\0' 'y'
    printf '"},\n'
    cli_events big 3 | sed -n '/START\|REPORT/p' | sed '$s/$/]}/'
} >"$T/long.json"
/usr/bin/time -f '%M' -o "$T/rss2" "$MRB" --db "$T/db-long2" ingest "$T/long.json" 2>"$T/err"
rc=$?
is "$rc" 1 "an over-long JSON event rejects the document"
like "$(cat "$T/err")" "long.json:1: value longer than 1048576 bytes" "the long JSON value is named"
rss=$(tail -n 1 "$T/rss2")
rss_under "$rss" 65536 "peak RSS with a 10 MB JSON value is under 64 MB (${rss} KB)"

# a big CLI JSON document is walked element by element
cli_events many 3000 >"$T/many.json"
/usr/bin/time -f '%M' -o "$T/rss3" "$MRB" --db "$T/db-many" ingest "$T/many.json" 2>"$T/err"
is "$(q "$T/db-many" "select count(*) from invocations")" 3000 "a 3000-invocation document is read"
rss=$(tail -n 1 "$T/rss3")
rss_under "$rss" 65536 "and in bounded memory (${rss} KB)"
done_testing
