#!/usr/bin/env bash
# What makes ingest fast keeps every answer: the CHECK constraints of schema
# 10 are tested with comparisons (no temporary b-tree per row written, which
# EXPLAIN shows) and refuse exactly what they refused, on a new database and
# on one migrated from version 5; files whose content is stored are not read
# again (nor inflated ahead) and leave the database as it was; a known file
# changed on disk after the first ingest is read again.
. "$(dirname "$0")/../lib.sh"
plan 20

# ---- the constraints, on a new database
run --db "$T/n.db" ingest -q "$ROOT/samples/s3-export" "$ROOT/samples/ddb"
is "$RC" 0 "samples ingest"
for t in files invocations stream_records stream_numbers; do
    is "$(q "$T/n.db" "explain insert into $t default values" | grep -c OpenEphemeral)" 0 \
        "a row of $t is checked without a temporary b-tree"
done
bad() { # bad DB SQL: the CHECK error text, or "accepted"
    sqlite3 "$1" "$2" 2>&1 | grep -o 'CHECK constraint failed: [a-z_]*' || echo accepted
}
INV="insert into invocations(function, runtime, request_id, ts_ms, duration_ms, cold_start, status)"
is "$(bad "$T/n.db" "$INV values ('f', 'go', 'r1', 1, 1.0, 0, 'bogus')")" \
    "CHECK constraint failed: status" "a status outside success / timeout / error is refused"
is "$(bad "$T/n.db" "begin; $INV values ('f', 'go', 'r2', 1, 1.0, 0, 'timeout'); rollback")" \
    "accepted" "timeout is accepted"
rid=$(q "$T/n.db" "select record_id from stream_records limit 1")
is "$(bad "$T/n.db" "update stream_records set runtime_source = 'guess' where record_id = $rid")" \
    "CHECK constraint failed: runtime_source" "an unknown runtime_source is refused"
is "$(bad "$T/n.db" "begin; update stream_records set runtime_source = 'log-id', wru_basis = 'ttl', ts_precision = 'us', event_name = 'REMOVE' where record_id = $rid; rollback")" \
    "accepted" "every listed value is accepted"

# ---- the same on a database migrated from version 5
gzip -dc "$ROOT/tests/data/schema-v5.sql.gz" | sqlite3 "$T/v5.db"
run --db "$T/v5.db" ingest -q "$ROOT/samples/ddb"
is "$(q "$T/v5.db" "explain insert into invocations default values" | grep -c OpenEphemeral)|$(q "$T/v5.db" "explain insert into stream_records default values" | grep -c OpenEphemeral)" \
    "0|0" "a migrated database checks its rows the same way"
is "$(bad "$T/v5.db" "update invocations set status = 'bogus' where rowid = (select min(rowid) from invocations)")" \
    "CHECK constraint failed: status" "and refuses what it refused"

# ---- known files: not read again, nothing changes; a changed one is read
cp -r "$ROOT/samples/s3-export" "$T/s3"
run --db "$T/k.db" ingest -q "$T/s3"
before=$(q "$T/k.db" "select count(*), sum(duration_ms) from invocations")
run --db "$T/k.db" ingest "$T/s3"
like "$OUT$ERR" "files: 0 read" "a second ingest reads no file"
is "$(q "$T/k.db" "select count(*), sum(duration_ms) from invocations")" "$before" "and adds nothing"
# one part changed on disk (same size is not enough: its bytes differ)
part=$(find "$T/s3" -name '*.gz' | sort | head -1)
gzip -dc "$part" | sed 's/Duration: \([0-9]*\)\.\([0-9]*\) ms/Duration: \1.\2 ms /' | gzip -c > "$T/p.gz"
mv "$T/p.gz" "$part"
run --db "$T/k.db" ingest "$T/s3"
like "$OUT$ERR" "files: 1 read" "a part whose content changed is read again"

# ---- the join indexes (schema 13): only while API Gateway or X-Ray rows are there
has_ix() { q "$1" "select group_concat(name, ' ') from (select name from sqlite_schema where name in ('invocations_request_id', 'invocations_xray_trace_id') order by name)"; }
is "$(has_ix "$T/n.db")" "" "a Lambda-only database has no index on request or trace ids"
is "$(has_ix "$T/v5.db")" "" "nor one migrated from version 5"
run --db "$T/n.db" ingest -q "$ROOT/samples/apigw" "$ROOT/samples/xray"
is "$RC|$(has_ix "$T/n.db")" "0|invocations_request_id invocations_xray_trace_id" \
    "API Gateway requests and X-Ray traces bring both"
like "$(q "$T/n.db" "explain query plan select count(invocation_id) from request_paths")" \
    "USING (COVERING )?INDEX invocations_request_id" "and request_paths uses them"
cp "$T/n.db" "$T/n12.db"
current=$(q "$T/n.db" "pragma user_version")
sqlite3 "$T/n12.db" "pragma user_version = 12; DROP TABLE IF EXISTS log_volume"
run --db "$T/n12.db" ingest -q "$ROOT/samples/s3-export"
is "$RC|$(q "$T/n12.db" "pragma user_version")|$(has_ix "$T/n12.db")" \
    "0|$current|invocations_request_id invocations_xray_trace_id" \
    "migrating 12 -> 13 (and on) keeps them where such rows are"

# ---- an application line of a Lambda stream is never an access log line, however it looks
p="$T/exp/fn/0b1e/2026/11/25/[\$LATEST]0a1b2c3d4e5f60718293a4b5c6d7e8f9"
mkdir -p "$p"
{
    printf '2026-11-25T02:00:01.000Z START RequestId: 6f1c0c55-0d4e-4a5b-9d43-3c6f1f0a1b2c Version: $LATEST\n'
    printf '2026-11-25T02:00:01.001Z {"requestId":"c8aedc08-fadc-42c6-ac42-bdf2aeab4b14","httpMethod":"GET","resourcePath":"/go/items","status":200}\n'
    printf '2026-11-25T02:00:01.002Z 127.0.0.1 - - [25/Nov/2026:02:00:01 +0000] "GET /go/items HTTP/1.1" 200 345 c8aedc08-fadc-42c6-ac42-bdf2aeab4b15\n'
    printf '2026-11-25T02:00:01.010Z END RequestId: 6f1c0c55-0d4e-4a5b-9d43-3c6f1f0a1b2c\n'
    printf '2026-11-25T02:00:01.010Z REPORT RequestId: 6f1c0c55-0d4e-4a5b-9d43-3c6f1f0a1b2c\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 40 MB\t\n'
} | gzip -c >"$p/000000.gz"
run --db "$T/app.db" ingest -q "$T/exp"
is "$RC|$(q "$T/app.db" "select (select count(*) from invocations) || ' ' || (select count(*) from apigw_requests)")" \
    "0|1 0" "an S3 export's JSON and CLF-like application lines stay application lines"
