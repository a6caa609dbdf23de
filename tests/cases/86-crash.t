#!/usr/bin/env bash
# Crash consistency: an ingest killed with SIGKILL at several moments (while
# creating the schema, in its first batch, later) leaves a database that
# passes integrity_check and holds whole files only; running it again
# brings the totals to exactly those of an ingest never interrupted.
. "$(dirname "$0")/../lib.sh"

# the CLI documents (over 4 MB each unsanitized) commit one by one, the S3
# files in batches of about a second
mb=8
[ "$SANITIZED" = 1 ] && mb=1
"$GEN" --out "$T/gen" --shape s3-export,cli-json --mb $mb >/dev/null 2>&1
S3=$T/gen/s3-export
CLI=$T/gen/cli-json
n=$(zcat $(find "$S3" -type f) | grep -c "REPORT RequestId")

totals="select (select count(*) from invocations), (select sum(invocations) from environments),
               (select count(*) from environments), (select count(*) from files where status = 'ok')"
run --db "$T/ref.db" ingest "$CLI" "$S3"
ref=$(q "$T/ref.db" "$totals")
rows=$(q "$T/ref.db" "select function, request_id, ts_ms, duration_ms from invocations order by 2, 3" | cksum)

# whole files only: every committed file's new invocations are stored, and
# nothing else; no file is left half-way ('loading')
whole="select (select count(*) from invocations) = (select coalesce(sum(invocations_new), 0) from files)
          and (select count(*) from files where status = 'loading') = 0
          and (select count(*) from invocations where file_id not in (select file_id from files)) = 0"

# kill points: a time after the start, or a number of files committed
points="t0.02 t0.3 f1 f3"
plan $((2 + 3 * 4 + 3))
files() { q "$T/k.db" "select count(*) from files" 2>/dev/null || echo 0; }
is "$RC" 0 "the reference ingests"
like "$ref" "^$n\|$n\|" "the reference holds every invocation ($n)"
for d in $points; do
    before=$(files)
    "$MRB" --db "$T/k.db" ingest -q "$CLI" "$S3" 2>/dev/null &
    pid=$!
    case $d in
    t*) sleep "${d#t}" ;;
    f*) while kill -0 "$pid" 2>/dev/null && [ "$(files)" -lt $((before + ${d#f})) ]; do sleep 0.01; done ;;
    esac
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    st=$(q "$T/k.db" "select count(*) || ' rows, ' || (select count(*) from files) || ' files' from invocations" 2>&1)
    if [ -s "$T/k.db" ] && [ "$(q "$T/k.db" "pragma user_version" 2>/dev/null)" != 0 ]; then
        is "$(q "$T/k.db" "pragma integrity_check")" ok "killed at $d ($st): integrity_check ok"
        is "$(q "$T/k.db" "$whole")" 1 "killed at $d: whole files only"
    else
        is "$(q "$T/k.db" "pragma integrity_check" 2>/dev/null || echo ok)" ok "killed at $d, before the schema: integrity_check ok"
        is "$(q "$T/k.db" "select count(*) from sqlite_master" 2>/dev/null || echo 0)" 0 "killed before the schema was committed: no half schema"
    fi
    # the next run (not killed here, or killed in its turn) starts from this state
    cp "$T/k.db" "$T/c.db" 2>/dev/null
    [ -e "$T/k.db-wal" ] && cp "$T/k.db-wal" "$T/c.db-wal"
    run --db "$T/c.db" ingest -q "$CLI" "$S3"
    is "$(q "$T/c.db" "$totals")" "$ref" "killed at $d, then run again: totals exact"
    rm -f "$T"/c.db*
done
run --db "$T/k.db" ingest "$CLI" "$S3"
ok "$([ "$RC" -le 1 ] && echo 0 || echo 1)" "after four kills, a run to the end succeeds (exit $RC)"
is "$(q "$T/k.db" "$totals")" "$ref" "and the totals are exactly the uninterrupted ingest's"
is "$(q "$T/k.db" "select function, request_id, ts_ms, duration_ms from invocations order by 2, 3" | cksum)" "$rows" \
   "row for row"
done_testing
