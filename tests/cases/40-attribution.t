#!/usr/bin/env bash
# Runtime attribution: --map rules, then the INIT_START runtime version, then
# whole-word tokens of names; unknown functions are listed, never guessed.
. "$(dirname "$0")/../lib.sh"
plan 15

init_start() { # init_start VERSION: an INIT_START line in S3-export form
    printf '2026-11-25T02:59:59.000Z INIT_START Runtime Version: %s\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:0123\n\n' "$1"
}
mkdir -p "$T/in"
s3_events go 2 >"$T/in/GoStack-Api.log"
s3_events mongo 2 >"$T/in/mongo-sync.log"
{ init_start python:3.11.v29; s3_events wf 2; } >"$T/in/weird-fn.log"
{ init_start nodejs:20.v33; s3_events nd 2; } >"$T/in/api-two.log"
{ init_start provided:al2.v41; s3_events kt 2; } >"$T/in/bench-kotlin-native.log"

run --db "$T/db" ingest "$T/in"
is "$RC" 0 "ingest of five functions"
is "$(q "$T/db" "select function || '=' || runtime || ' (' || runtime_source || ')' from functions order by 1")" \
"GoStack-Api=go (name)
api-two=typescript (runtime-version)
bench-kotlin-native=kotlin (name)
mongo-sync=unknown (unknown)
weird-fn=python (runtime-version)" "each function gets its label and the reason"
is "$(q "$T/db" "select count(*) from invocations where runtime = 'unknown'")" 2 "unknown rows stay unknown"
like "$ERR" "runtime unknown for: mongo-sync" "the summary lists unknown functions"
is "$(q "$T/db" "select region from environments where function = 'weird-fn'")" "eu-west-1" "the region comes from the runtime ARN"

# a map rule wins over everything and can rename the function
printf '# test map\n*mongo-sync*   runtime=go function=sync-go   # trailing comment\n\n*weird*  runtime=kotlin\n' >"$T/map"
run --db "$T/db2" ingest --map "$T/map" "$T/in"
is "$(q "$T/db2" "select function || '=' || runtime || ' (' || runtime_source || ')' from functions where function in ('sync-go', 'weird-fn') order by 1")" \
"sync-go=go (map)
weird-fn=kotlin (map)" "map rules set runtime and function"
is "$(q "$T/db2" "select count(*) from invocations where function = 'sync-go' and runtime = 'go'")" 2 "the mapped rows carry both"

# a label decided from names is corrected when a later file shows the runtime version
mkdir -p "$T/later"
s3_events rl 3 >"$T/later/go-or-not.log"
run --db "$T/db3" ingest "$T/later/go-or-not.log"
is "$(q "$T/db3" "select distinct runtime from invocations")" go "first labelled from the name"
{ init_start python:3.11.v29; s3_events rm 1; } >"$T/later2.log"
mkdir -p "$T/l2" && mv "$T/later2.log" "$T/l2/go-or-not.log"
run --db "$T/db3" ingest "$T/l2/go-or-not.log"
is "$(q "$T/db3" "select runtime || ':' || count(*) from invocations group by runtime")" "python:4" "earlier rows are relabelled"
is "$(q "$T/db3" "select distinct runtime from environments")" python "environments too"

# bad map files are usage-level input errors with file and line
printf '*x*  runtime=Python\n' >"$T/badmap"
run --db "$T/db4" ingest --map "$T/badmap" "$T/in"
is "$RC" 4 "a bad map file exits 4"
like "$ERR" "badmap:1: runtime label 'Python' must be lowercase" "the bad rule is named with its line"
printf '*x*\n' >"$T/badmap2"
run --db "$T/db4" ingest --map "$T/badmap2" "$T/in"
like "$ERR" "badmap2:1: rule sets nothing" "a rule without keys is refused"
# folders above the PATH the user named say nothing (a temporary folder
# named like a runtime, /home/node, ...); folders below it do
mkdir -p "$T/go-ts-node/in/python"
s3_events ab 1 >"$T/go-ts-node/in/mongo-sync.log"
s3_events ac 1 >"$T/go-ts-node/in/python/svc-b.log"
run --db "$T/db5" ingest "$T/go-ts-node/in"
is "$(q "$T/db5" "select function || '=' || runtime from functions order by 1")" "mongo-sync=unknown
svc-b=python" "only the named folder and below name runtimes"
run --db "$T/db6" ingest "$T/go-ts-node/in/mongo-sync.log"
is "$(q "$T/db6" "select runtime from functions")" "unknown" "a file named alone: only its own name counts"
done_testing
