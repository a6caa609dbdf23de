#!/usr/bin/env bash
# `merge`: shards made by separate ingests into one database. Overlapping
# shards store each invocation, EMF value and stream record once (as one
# ingest of all their inputs does); A+B, B+A and A+B+B are the same
# database table by table (row ids aside: they are compared through their
# natural keys); provenance, prices and run labels come along; schema
# versions are checked.
. "$(dirname "$0")/../lib.sh"
plan 30

S=$ROOT/samples
P=$ROOT/tests/fixtures/prices
# A: the S3 export and the DynamoDB records, the API Gateway access log,
# two functions' X-Ray traces and CloudWatch metrics; B: the same night as
# filter-log-events documents, two more nights, the same records, the API
# Gateway execution logs (the same requests: each shard knows other columns
# of them), one function's traces and metrics again and two others'
A_GW=("$S/apigw/access" "$S/xray/dev-benchmark-go.json" "$S/xray/dev-benchmark-python.json"
      "$S/metrics/dev-benchmark-go.json" "$S/metrics/dev-benchmark-python.json" "$S/metrics/dev-benchmark-items.json")
B_GW=("$S/apigw/execution" "$S/xray/dev-benchmark-python.json" "$S/xray/dev-benchmark-typescript.json"
      "$S/xray/dev-benchmark-kotlin.json" "$S/metrics/dev-benchmark-python.json"
      "$S/metrics/dev-benchmark-typescript.json" "$S/metrics/dev-benchmark-kotlin.json" "$S/metrics/namespace=AWS%2FLambda")
"$MRB" --db "$T/a.db" ingest -q --run shard-a "$S/s3-export" "$S/ddb" "${A_GW[@]}" || [ $? -le 1 ] || echo "# ingest a failed"
"$MRB" --db "$T/b.db" ingest -q --run shard-b "$S/cli-json" "$S/nights" "$S/ddb" "${B_GW[@]}" || [ $? -le 1 ] || echo "# ingest b failed"
"$MRB" --db "$T/b.db" prices import -q "$P/get-products-APN1-Request.json" >/dev/null 2>&1 ||
    "$MRB" --db "$T/b.db" prices import "$P/get-products-APN1-Request.json" >/dev/null 2>&1
"$MRB" --db "$T/all.db" ingest -q "$S/s3-export" "$S/ddb" "$S/cli-json" "$S/nights" "$S/apigw" "$S/xray" "$S/metrics" || [ $? -le 1 ] || echo "# ingest all failed"

run merge "$T/ab.db" "$T/a.db" "$T/b.db"
is "$RC" 0 "merge A B exits 0"
like "$ERR" "merged 2 shard\(s\)" "merge says what it did"
run merge "$T/ba.db" "$T/b.db" "$T/a.db"
is "$RC" 0 "merge B A exits 0"
cp "$T/ab.db" "$T/abb.db"
run merge "$T/abb.db" "$T/b.db"
is "$RC" 0 "merge B into A+B again exits 0"
like "$ERR" "0 files, 0 invocations new, 0 relabelled, 0 EMF events, 0 stream records, 0 prices, 0 API Gateway requests, 0 X-Ray traces, 0 X-Ray segments, 0 CloudWatch metric values" "merging a shard again adds nothing"

for t in invocations metric_values stream_records apigw_requests xray_traces xray_segments cw_metric_values; do
    is "$(q "$T/ab.db" "SELECT count(*) FROM $t")" "$(q "$T/all.db" "SELECT count(*) FROM $t")" \
        "$t: the union by natural key, as one ingest of both shards' inputs stores it"
done
over=$(q "$T/a.db" "SELECT count(*) FROM invocations") ; ob=$(q "$T/b.db" "SELECT count(*) FROM invocations")
ok "$([ "$(q "$T/ab.db" "SELECT count(*) FROM invocations")" -lt $((over + ob)) ] && echo 0 || echo 1)" \
    "the shards overlap ($over + $ob invocations), and the overlap is stored once"
is "$(q "$T/ab.db" "SELECT count(*) FROM (SELECT ts_ms, request_id FROM invocations GROUP BY 1, 2 HAVING count(*) > 1)")" 0 "no invocation twice"

# a canonical dump: every table's rows without row ids, ids replaced by
# what they stand for (a file by its path, a record by its dedupe key)
dump() {
    local db=$1 t cols
    for t in files functions environments invocations metric_values metric_definitions \
        stream_records stream_violations stream_numbers prices log_levels log_volume problems metric_rejects \
        apigw_requests xray_traces xray_segments cw_metric_values; do
        cols=$(q "$db" "SELECT group_concat(CASE WHEN name = 'file_id' THEN '(SELECT path FROM files f WHERE f.file_id = t.file_id)'
                        WHEN name = 'record_id' THEN '(SELECT dedupe_key FROM stream_records r WHERE r.record_id = t.record_id)'
                        ELSE '\"' || name || '\"' END, ', ')
                        FROM pragma_table_info('$t') WHERE name NOT IN ('invocation_id', 'env_id', 'value_id')
                        AND NOT ('$t' IN ('files', 'stream_records') AND name IN ('file_id', 'record_id'))")
        echo "== $t"
        q "$db" "SELECT $cols FROM \"$t\" AS t ORDER BY $(seq -s, 1 "$(echo "$cols" | awk -F', ' '{ print NF }')")"
    done
}
dump "$T/ab.db" >"$T/ab.txt"
dump "$T/ba.db" >"$T/ba.txt"
dump "$T/abb.db" >"$T/abb.txt"
is "$(diff "$T/ab.txt" "$T/ba.txt" | head -20)" "" "A+B and B+A: the same rows in every table"
is "$(diff "$T/ab.txt" "$T/abb.txt" | head -20)" "" "A+B and A+B+B: the same rows in every table"
ok "$([ "$(grep -c . "$T/ab.txt")" -gt 3000 ] && echo 0 || echo 1)" "the dump compares real rows ($(wc -l <"$T/ab.txt") lines)"

# provenance, run labels, prices
is "$(q "$T/ab.db" "SELECT count(*) FROM invocations WHERE function_source = 'log-group'")" \
   "$(q "$T/all.db" "SELECT count(*) FROM invocations WHERE function_source = 'log-group'")" "the stronger function source wins, as in ingest"
is "$(q "$T/ab.db" "SELECT group_concat(DISTINCT run) FROM (SELECT run FROM invocations ORDER BY 1)")" "shard-a,shard-b" "run labels are carried"
is "$(q "$T/ab.db" "SELECT count(*) FROM prices")" "$(q "$T/b.db" "SELECT count(*) FROM prices")" "imported prices are carried"
is "$(q "$T/ab.db" "SELECT sum(invocations) FROM environments")" "$(q "$T/ab.db" "SELECT count(*) FROM invocations")" "environment counts are made again from the merged invocations"

# schema versions: a newer shard is refused, an older one migrated
cp "$T/a.db" "$T/new.db"
sqlite3 "$T/new.db" "PRAGMA user_version = 99"
run merge "$T/x.db" "$T/new.db"
ok "$([ "$RC" = 3 ] && echo 0 || echo 1)" "a shard of a newer schema is refused (exit 3)"
like "$ERR" "new\.db.*(newer|version)" "and the message names the shard and its version"
gzip -dc "$ROOT/tests/data/schema-v5.sql.gz" | sqlite3 "$T/v5.db"
run merge "$T/y.db" "$T/v5.db"
is "$RC:$(q "$T/y.db" "SELECT count(*) FROM invocations")" "0:$(q "$T/v5.db" "SELECT count(*) FROM invocations")" "a version-5 shard is migrated and merged whole"

# API Gateway, X-Ray and metrics: the shards' halves of each request and
# trace make the row one ingest of every input makes (the file and run
# aside: they name the earlier file's ingest)
gw_cols="request_id, extended_request_id, api_id, stage, ts_ms, http_method, resource_path, path, status,
  response_length_bytes, response_latency_ms, integration_latency_ms, integration_status, integration_request_id,
  xray_trace_id, error_message, route_runtime, map_runtime, access_format, from_access, from_execution"
is "$(q "$T/ab.db" "SELECT count(*) FROM apigw_requests WHERE from_access AND from_execution")" \
   "$(q "$T/all.db" "SELECT count(*) FROM apigw_requests WHERE from_access AND from_execution")" \
   "requests known to A by their access line and to B by their execution lines are one row with both"
is "$(q "$T/ab.db" "SELECT $gw_cols FROM apigw_requests ORDER BY 1" | md5sum)" \
   "$(q "$T/all.db" "SELECT $gw_cols FROM apigw_requests ORDER BY 1" | md5sum)" "apigw_requests: every column as one ingest of both shards' inputs"
is "$(q "$T/ab.db" "SELECT trace_id, duration_ms, segments, source FROM xray_traces ORDER BY 1" | md5sum)" \
   "$(q "$T/all.db" "SELECT trace_id, duration_ms, segments, source FROM xray_traces ORDER BY 1" | md5sum)" "xray_traces: the same traces and values as one ingest"
is "$(q "$T/ab.db" "SELECT count(*) FROM request_paths WHERE invocation_id IS NOT NULL")" \
   "$(q "$T/all.db" "SELECT count(*) FROM request_paths WHERE invocation_id IS NOT NULL")" "requests join the merged invocations as in one ingest"
is "$(q "$T/ab.db" "SELECT count(*) FROM xray_segments s WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.file_id = s.file_id)")" 0 \
   "every merged segment names a file of the output"
is "$(q "$T/ab.db" "SELECT count(*) FROM sqlite_master WHERE name IN ('invocations_request_id', 'invocations_xray_trace_id')")" 2 \
   "the merged requests and traces come with the indexes that join them to invocations"
done_testing
