#!/usr/bin/env bash
# samples/ end to end: counts and values per runtime match what the raw files
# say (counted with grep, independently of the parser), in both shapes, and
# ingesting everything twice stores each invocation once. The same for the
# EMF metric values: every number of every document is one row.
. "$(dirname "$0")/../lib.sh"
plan 27
S=$ROOT/samples
# the shapes of the one sample night, and its DynamoDB stream records (samples/nights/
# holds two more nights, for compare; samples/pages/ the first pages of the night only,
# for 45-identity.t)
SHAPES=$(find "$S" -mindepth 1 -maxdepth 1 -type d ! -name nights ! -name pages | sort)

# the oracle: REPORT lines in the S3 export, per function folder
oracle() { # oracle FUNCTION PATTERN
    find "$S/s3-export/$1" -name '*.gz' -print0 | xargs -0 zcat | grep -a '^[0-9TZ:.-]* REPORT ' | grep -ac -- "$2"
}
expect=""
for fn in go kotlin python typescript; do
    d=dev-benchmark-$fn
    expect="$expect$fn|$(oracle $d 'REPORT')|$(oracle $d 'Init Duration')|$(oracle $d 'Status: timeout')|$(oracle $d 'Runtime.OutOfMemory')
"
done
expect=${expect%
}
per_runtime="select runtime, count(*), sum(cold_start), sum(status = 'timeout'),
              sum(error_type = 'Runtime.OutOfMemory') from invocations group by 1 order by 1"

run --db "$T/s3.db" ingest "$S/s3-export"
is "$RC" 0 "samples/s3-export ingests cleanly"
is "$(q "$T/s3.db" "$per_runtime")" "$expect" "S3 export: invocations, cold starts, timeouts, OOMs per runtime match the raw lines"
like "$(q "$T/s3.db" "select count(*) from invocations where status = 'timeout'")" '^[1-9]' "the samples have a timeout"
like "$(q "$T/s3.db" "select count(*) from invocations where error_type = 'Runtime.OutOfMemory'")" '^[1-9]' "the samples have an out-of-memory error"

run --db "$T/cli.db" ingest "$S/cli-json"
is "$RC" 0 "samples/cli-json ingests cleanly"
is "$(q "$T/cli.db" "$per_runtime")" "$expect" "CLI JSON: the same numbers"

cols="function, log_stream, runtime, request_id, ts_ms, start_ts_ms, version, duration_ms, billed_ms,
      memory_mb, max_memory_mb, init_ms, restore_ms, billed_restore_ms, cold_start, status,
      error_type, xray_trace_id, xray_segment_id, xray_sampled"
q "$T/s3.db" "select $cols from invocations order by request_id, ts_ms" >"$T/a"
q "$T/cli.db" "select $cols from invocations order by request_id, ts_ms" >"$T/b"
ok "$(cmp -s "$T/a" "$T/b"; echo $?)" "both shapes give identical invocations rows"
is "$(wc -l <"$T/a")" "$(q "$T/s3.db" "select count(*) from invocations")" "(and the comparison saw every row)"

run --db "$T/all.db" ingest $SHAPES
n=$(q "$T/s3.db" "select count(*) from invocations")
shapes=$(echo "$SHAPES" | grep -vcE "/(ddb|apigw|xray|metrics)$") # the Lambda log shapes
is "$(q "$T/all.db" "select count(*) from invocations")" "$n" "every shape in one database: each invocation once"
like "$ERR" "invocations: $n new, $(( n * shapes )) already known" "the summary says how many were known ($shapes shapes, insights twice: messages and REPORT fields)"
# DynamoDB stream records: the same records as Lambda events and as NDJSON,
# each stored once; counted in the raw files
nd=$S/ddb/ndjson/dev-benchmark-items.ndjson
records=$(wc -l <"$nd")
ttl=$(grep -c '"userIdentity"' "$nd")
is "$(cat "$S"/ddb/lambda/*.json | grep -o '"eventID": "[0-9a-f]*"' | sort | tr -d ' ' | sed 's/"eventID"://' | tr -d '"')" \
   "$(grep -o '"eventID":"[0-9a-f]*"' "$nd" | sed 's/"eventID"://' | tr -d '"' | sort)" "the Lambda events and the NDJSON hold the same records"
like "$ERR" "stream records: $records new, $records already known; .*; $((records - ttl)) attributed from the logs now, $ttl unattributed" \
   "every record stored once; every write attributed from the ids the logs name, TTL deletes not"
is "$(q "$T/all.db" "select count(*), sum(ttl_delete), sum(wru_basis = 'ttl') from stream_records")" "$records|$ttl|$ttl" "TTL deletes are flagged and cost no WRU"
is "$(q "$T/all.db" "select count(*) from stream_records where size_bytes = keys_size + coalesce(new_size, 0) + coalesce(old_size, 0)")" "$records" \
   "item sizes by DynamoDB's rules add up to each record's SizeBytes (mrb-gen sizes them on its own)"
is "$(q "$T/all.db" "select runtime || ':' || group_concat(kind, ',') from (select distinct runtime, kind from stream_violations join stream_records using (record_id) where image = 'new' order by 1, 2) group by runtime order by 1")" \
"go:timestamp-in-seconds
kotlin:wrong-type
python:negative-number,updated-before-created
typescript:extra-attribute,missing-attribute" "the deliberate schema breaks are found, per runtime"
is "$(q "$T/all.db" "select count(*) from stream_records r where runtime_source = 'log-id' and runtime <> (select runtime from functions f where f.function = r.function)")" 0 \
   "a record takes the runtime of the function whose logs name its id"
run --db "$T/all.db" ingest $SHAPES
files=$(find $SHAPES -type f ! -name '*.md' | wc -l)
is "$(q "$T/all.db" "select count(*) from invocations")" "$n" "ingesting again adds no invocations"
is "$(q "$T/all.db" "select count(*), sum(times_ingested) from files")" "$files|$(( files * 2 ))" "nor files rows"

# EMF: per runtime, the numbers in the functions' own documents (Powertools
# and hand-written) plus one per metric a Lambda Insights event declares
emf_oracle() { # emf_oracle FUNCTION
    local own ins
    own=$(find "$S/s3-export/$1" -name '*.gz' -print0 | xargs -0 zcat | grep -a '"_aws"' |
        grep -ao '"\(ColdStart\|HandlerLatency\|ItemsReturned\|DbCallLatency\)":\[\{0,1\}[-0-9.e,]*' |
        sed 's/^[^:]*://; s/\[//' | tr ',' '\n' | grep -c .)
    ins=$(find "$S/s3-export/lambda-insights" -name '*.gz' -print0 | xargs -0 zcat |
        grep -a "\"event_type\":\"performance\",\"function_name\":\"$1\"" | grep -ao '{"Name":"' | wc -l)
    echo $((own + ins))
}
emf_expect=""
for fn in go kotlin python typescript; do
    emf_expect="$emf_expect$fn|$(emf_oracle dev-benchmark-$fn)
"
done
emf_expect=${emf_expect%
}
emf_total=$(printf '%s\n' "$emf_expect" | awk -F'|' '{ s += $2 } END { print s }')
like "$emf_total" '^[1-9][0-9]{2,}$' "the samples hold EMF documents ($emf_total values)"
is "$(q "$T/s3.db" "select runtime, count(*) from metric_values group by 1 order by 1")" "$emf_expect" \
   "S3 export: every EMF value stored once, per runtime"
is "$(q "$T/all.db" "select count(*) from metric_values")" "$emf_total" "every shape in one database, ingested twice: each EMF value once"
is "$(q "$T/all.db" "select sum(emf_rejected) from files")" 0 "no sample document is rejected"
is "$(q "$T/all.db" "select group_concat(runtime || '=' || n, ' ') from (select runtime, count(*) as n from metric_values
      where namespace = 'LambdaInsights' and log_group = '/aws/lambda-insights' group by 1 order by 1)")" \
   "$(q "$T/all.db" "select group_concat(runtime || '=' || n, ' ') from (select runtime, count(*) as n from metric_values
      where namespace = 'LambdaInsights' group by 1 order by 1)")" "Lambda Insights values belong to the functions they name, not to their log group"
is "$(MRB_QUERIES=$ROOT/queries "$MRB" --db "$T/s3.db" query --csv emf-insights | tail -n +2 | awk -F, '$7 != ""' | wc -l)" \
   "$(q "$T/s3.db" "select count(*) from invocations")" "emf-insights: each invocation has its cpu_total_time beside duration_ms"
is "$(q "$T/s3.db" "select runtime, sum(value) from metric_values where metric = 'ColdStart' group by 1 order by 1")" \
   "$(q "$T/s3.db" "select runtime, sum(cold_start) || '.0' from invocations where runtime in ('python', 'typescript') group by 1 order by 1")" \
   "Powertools ColdStart values match the cold starts REPORT lines show"

# a value checked by hand: the first cold start of the python function
line=$(find "$S/s3-export/dev-benchmark-python" -name '*.gz' -print0 | sort -z | xargs -0 zcat | grep -a -m1 'REPORT .*Init Duration')
rid=$(printf '%s' "$line" | sed 's/.*RequestId: \([^[:space:]]*\).*/\1/')
dur=$(printf '%s' "$line" | sed 's/.*	Duration: \([0-9.]*\) ms.*/\1/')
init=$(printf '%s' "$line" | sed 's/.*Init Duration: \([0-9.]*\) ms.*/\1/')
is "$(q "$T/s3.db" "select printf('%.2f %.2f %d %s', duration_ms, init_ms, cold_start, runtime) from invocations where request_id = '$rid'")" \
   "$(printf '%.2f %.2f 1 python' "$dur" "$init")" "a cold python REPORT is stored with its values"
is "$(q "$T/s3.db" "select count(distinct runtime_version) from environments where runtime = 'python'")" 1 "python environments carry their runtime version"
done_testing
