#!/usr/bin/env bash
# Function identity: where a function's name comes from (the document's log
# group, the S3 export path, --log-group, a map rule, a folder that spells the
# log group, the file stem), that a guessed "function" holding log streams of
# several runtimes is split per stream, and that a better-named source
# relabels known invocations (never duplicating them) while a weaker one
# changes nothing -- in both ingest orders.
. "$(dirname "$0")/../lib.sh"
plan 36
S=$ROOT/samples

# each log stream's INIT_START runtime class, from the raw pages (the oracle:
# counted with grep, not with the parser)
runtime_of_version="CASE WHEN e.runtime_version LIKE 'python:%' THEN 'python'
  WHEN e.runtime_version LIKE 'nodejs:%' THEN 'typescript' ELSE 'provided' END"
grep_streams() { # grep_streams DIR: distinct log streams in the pages under DIR
    find "$1" -name 'page-*.json' -print0 | xargs -0 grep -ho '"logStreamName": "[^"]*"' | sort -u | wc -l
}
grep_reports() { # grep_reports DIR: REPORT events in the pages under DIR
    find "$1" -name 'page-*.json' -print0 | xargs -0 grep -ho '"message": "REPORT ' | wc -l
}

# ---- 1. pages saved one folder per log group: the folder names the function
run --db "$T/p.db" ingest --no-progress "$S/pages"
is "$RC" 0 "samples/pages ingests cleanly"
is "$(q "$T/p.db" "select function || '|' || runtime from functions order by 1")" \
"dev-benchmark-go|go
dev-benchmark-kotlin|kotlin
dev-benchmark-python|python
dev-benchmark-typescript|typescript" "each aws_lambda_NAME folder is one function, its runtime right"
is "$(q "$T/p.db" "select count(*) from functions where function like 'page%'")" 0 "no function is named after a page file"
is "$(q "$T/p.db" "select count(*) from invocations")" "$(grep_reports "$S/pages")" "every REPORT of the pages is one invocation"
is "$(q "$T/p.db" "select distinct function_source || '|' || function_rank from invocations")" "path|2" \
   "the invocations remember that a folder named their function"
is "$(q "$T/p.db" "select count(*) from environments where log_group <> '/aws/lambda/' || function")" 0 \
   "the spelled log group is stored"
is "$(q "$T/p.db" "select count(*) from environments e join functions f using (function)
     where e.runtime_version is not null and $runtime_of_version <> f.runtime
     and not ($runtime_of_version = 'provided' and f.runtime in ('go', 'kotlin'))")" 0 \
   "every stream's INIT_START agrees with its function's runtime"
is "$(q "$T/p.db" "select count(*) from invocations i join environments e using (function, log_stream) where i.runtime <> e.runtime")" 0 \
   "invocations and their environments carry one label"

# ---- 2. the same pages where nothing names the function: one guessed
# "function" whose streams are of several runtimes is split per stream
mkdir -p "$T/flat"
i=0
for fn in python typescript go kotlin; do
    mkdir -p "$T/flat/$i"
    cp "$S/pages/aws_lambda_dev-benchmark-$fn/"page-*.json "$T/flat/$i/"
    i=$((i + 1))
done
run --db "$T/f.db" ingest --no-progress --json "$T/flat"
is "$RC" 0 "the flat pages ingest"
like "$ERR" "split per log stream \(.*\): flat " "the split is said, with the function's name"
is "$(printf '%s' "$OUT" | grep -o '"streams_split": [0-9]*')" "\"streams_split\": $(($(grep_streams "$S/pages") - $(grep_streams "$S/pages/aws_lambda_dev-benchmark-python")))" \
   "every stream but the first function's (python) is split off (JSON summary)"
is "$(q "$T/f.db" "select count(*) from invocations i join environments e using (function, log_stream)
     where e.runtime_version is not null and not (
       ($runtime_of_version = 'provided' and i.runtime in ('go', 'kotlin', 'unknown'))
       or $runtime_of_version = i.runtime)")" 0 "no invocation is labelled with another stream's runtime"
is "$(q "$T/f.db" "select count(*) from invocations where runtime in ('go', 'kotlin')")" 0 \
   "a custom runtime (Go or Kotlin) stays unknown, not guessed"
is "$(q "$T/f.db" "select runtime || '|' || count(*) from invocations group by runtime order by 1")" \
"python|12
typescript|12
unknown|25" "per runtime: the python and typescript streams right, the rest unknown"
like "$ERR" 'runtime unknown for: 2026/11/25/\[\$LATEST\]' "the unknown streams are reported"
is "$(q "$T/f.db" "select count(*) from (select log_stream from environments group by 1 having count(*) > 1)")" 0 \
   "a log stream belongs to one function"

# ---- 3. pages first, then the S3 export of the same invocations
snapshot="select function || '|' || runtime || '|' || function_source from invocations order by ts_ms, request_id"
run --db "$T/f.db" ingest --no-progress --json "$S/s3-export"
is "$RC" 0 "the S3 export ingests after the pages"
is "$(printf '%s' "$OUT" | grep -o '"relabelled": [0-9]*')" "\"relabelled\": $(grep_reports "$S/pages")" \
   "every invocation of the pages is relabelled (JSON summary)"
like "$ERR" "invocations: [0-9]+ new, [0-9]+ already known, $(grep_reports "$S/pages") relabelled" \
   "the text summary counts them"
is "$(q "$T/f.db" "select count(*) || '|' || count(distinct request_id) from invocations")" "100|100" \
   "no invocation is stored twice"
is "$(q "$T/f.db" "select distinct function_source from invocations")" "export-path" \
   "all now named by the export path"
is "$(q "$T/f.db" "select function || '|' || runtime from functions order by 1")" \
"dev-benchmark-go|go
dev-benchmark-kotlin|kotlin
dev-benchmark-python|python
dev-benchmark-typescript|typescript" "the split and guessed functions are gone, left without rows"
is "$(q "$T/f.db" "select count(*) || '|' || count(distinct log_stream) || '|' || sum(invocations) from environments")" \
   "15|15|100" "environments merged: one row per stream, every invocation counted once"
run --db "$T/f.db" ingest --no-progress --json "$S/s3-export"
like "$OUT" '"relabelled": 0' "the same export again relabels nothing"

# ---- 4. the S3 export first, then the pages: the weaker names change nothing
run --db "$T/s.db" ingest --no-progress "$S/s3-export"
before=$(q "$T/s.db" "$snapshot")
run --db "$T/s.db" ingest --no-progress --json "$T/flat"
is "$RC" 0 "the flat pages ingest after the export"
like "$OUT" '"relabelled": 0' "nothing is relabelled by a weaker name"
is "$(q "$T/s.db" "$snapshot")" "$before" "every invocation keeps its function, runtime and provenance"
is "$(q "$T/s.db" "select count(*) from functions")" 4 "no function row for the guessed or split names"
is "$(q "$T/s.db" "select count(*) || '|' || count(distinct log_stream) || '|' || sum(invocations) from environments")" \
   "15|15|100" "no environment duplicated"
run --db "$T/s.db" ingest --no-progress --json "$S/pages"
like "$OUT" '"invocations_new": 0' "the page folders add nothing either"
is "$(q "$T/s.db" "$snapshot")" "$before" "and change nothing"

# ---- 5. --log-group names the function of files that name none; a map
# rule on the path comes after it
mkdir -p "$T/lg"
cp "$S/pages/aws_lambda_dev-benchmark-go/page-0000.json" "$T/lg/page-0000.json"
run --db "$T/lg.db" ingest --no-progress --log-group /aws/lambda/bench-go-x "$T/lg"
is "$(q "$T/lg.db" "select distinct function || '|' || log_group || '|' || function_source from invocations")" \
   "bench-go-x|/aws/lambda/bench-go-x|option" "--log-group names the function and is stored as the log group"
printf '*page-0000* function=mapped-fn runtime=go\n' >"$T/map"
run --db "$T/lg2.db" ingest --no-progress --map "$T/map" "$T/lg"
is "$(q "$T/lg2.db" "select distinct function || '|' || function_source from invocations")" "mapped-fn|map" \
   "without it, a map rule on the path"
run --db "$T/lg2.db" ingest --no-progress --json --log-group /aws/lambda/bench-go-x "$T/lg"
is "$(q "$T/lg2.db" "select distinct function || '|' || function_source from invocations")" "bench-go-x|option" \
   "the option outranks the map: the known invocations are relabelled"

# ---- 6. bad input keeps its rules in a page folder
mkdir -p "$T/bad/aws_lambda_dev-x"
cp "$S/pages/aws_lambda_dev-benchmark-go/page-0000.json" "$T/bad/aws_lambda_dev-x/page-0000.json"
head -c 3000 "$S/pages/aws_lambda_dev-benchmark-go/page-0001.json" >"$T/bad/aws_lambda_dev-x/page-0001.json"
run --db "$T/bad.db" ingest --no-progress "$T/bad"
is "$RC" 1 "a truncated page is rejected"
like "$ERR" "error: .*aws_lambda_dev-x/page-0001.json:[0-9]+: " "with its file and line"
done_testing
