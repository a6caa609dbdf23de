#!/bin/sh
# samples-traces.sh — writes samples/xray/ and samples/metrics/ from samples/cli-json/.
#
#   bench/samples-traces.sh [BUILD]     (BUILD: the folder of mrb-analyze, default build)
#
# The traces and metrics are derived by SQL (bench/samples-traces.sql,
# bench/samples-metrics.sql) from the invocations the samples' logs hold, so they
# carry the same trace ids, request ids and times. Needs the sqlite3 shell.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$ROOT/$BUILD/mrb-analyze" --db "$TMP/s.db" ingest "$ROOT"/samples/cli-json/dev-benchmark-*.json 2>/dev/null \
    >/dev/null
rm -rf "$ROOT/samples/xray" "$ROOT/samples/metrics"
for sql in samples-traces.sql samples-metrics.sql; do
    sqlite3 -batch -noheader "$TMP/s.db" <"$ROOT/bench/$sql" | while IFS="$(printf '\t')" read -r path json; do
        mkdir -p "$ROOT/samples/$(dirname "$path")"
        printf '%s\n' "$json" >"$ROOT/samples/$path"
    done
    # the metrics of DynamoDB come from the calls the traces show
    "$ROOT/$BUILD/mrb-analyze" --db "$TMP/s.db" ingest "$ROOT/samples/xray" >/dev/null 2>&1
done
