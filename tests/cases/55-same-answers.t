#!/usr/bin/env bash
# Same answers whatever the shape: the generator writes the same invocations
# as an S3 export, CLI JSON, a Firehose delivery, awslogs and Kinesis trigger
# events, NDJSON, the JSON log format and Logs Insights results; each shape
# into its own database gives an identical invocations table, and all of
# them into one database store each invocation once.
. "$(dirname "$0")/../lib.sh"
plan 19

"$GEN" --out "$T/gen" --shape all --invocations 60 --streams 4 --timeouts 2 --ooms 1 --seed 11 2>/dev/null
ok $? "mrb-gen writes every shape"
cols="function, log_stream, runtime, request_id, ts_ms, start_ts_ms, version, duration_ms, billed_ms,
      memory_mb, max_memory_mb, init_ms, restore_ms, billed_restore_ms, cold_start, status,
      error_type, xray_trace_id, xray_segment_id, xray_sampled, app_errors"
run --db "$T/s3-export.db" ingest "$T/gen/s3-export"
is "$RC" 0 "s3-export ingests cleanly"
q "$T/s3-export.db" "select $cols from invocations order by ts_ms, request_id" >"$T/s3-export.rows"
is "$(wc -l <"$T/s3-export.rows")" 240 "s3-export: 4 functions x 60 invocations"
for shape in cli-json firehose awslogs kinesis ndjson jsonlog insights; do
    run --db "$T/$shape.db" ingest "$T/gen/$shape"
    is "$RC" 0 "$shape ingests cleanly"
    q "$T/$shape.db" "select $cols from invocations order by ts_ms, request_id" >"$T/$shape.rows"
    ok "$(diff "$T/s3-export.rows" "$T/$shape.rows" >"$T/$shape.diff"; echo $?)" "$shape: invocations identical to the S3 export's"
    [ -s "$T/$shape.diff" ] && head -5 "$T/$shape.diff" | sed 's/^/# /'
done
run --db "$T/all.db" ingest "$T/gen"
is "$(q "$T/all.db" "select count(*) from invocations")" 240 "all shapes in one database: each invocation once"
is "$(q "$T/all.db" "select sum(invocations_new) from files")" 240 "and the files say which added them"
done_testing
