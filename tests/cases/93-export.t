#!/usr/bin/env bash
# `export` of the API Gateway, X-Ray and CloudWatch metrics tables as Hive
# partitions (day and runtime as the report decides them), into folders
# that do not exist yet, and a failure half-way: the manifest lists what
# the folder holds (every file it names is there with its rows, bytes and
# CRC-32, every part file there is named), no temporary file stays, and
# the next export completes the folder.
. "$(dirname "$0")/../lib.sh"
plan 15

S=$ROOT/samples
DB=$T/x.db
"$MRB" --db "$DB" ingest -q "$S/s3-export" "$S/apigw" "$S/xray" "$S/metrics" || [ $? -le 1 ] || echo "# ingest failed"

run --db "$DB" export --gzip "$T/deep/er/exp"
is "$RC" 0 "export into a folder whose parents do not exist: created"
for t in apigw_requests xray_traces xray_segments cw_metric_values; do
    is "$(cd "$T/deep/er/exp" && find "$t" -name 'part-*' | sed 's|/part-.*||' | sort -u | tr '\n' ' ')" \
       "$(q "$DB" "SELECT group_concat(p, ' ') || ' ' FROM (SELECT DISTINCT '$t/day=2026-11-25/runtime=' || r AS p FROM (
            SELECT runtime AS r FROM request_paths WHERE '$t' = 'apigw_requests'
            UNION ALL SELECT coalesce((SELECT runtime FROM xray_lambda l WHERE l.trace_id = t.trace_id), 'unknown') FROM xray_traces t WHERE '$t' IN ('xray_traces', 'xray_segments')
            UNION ALL SELECT runtime_label FROM cw_metrics WHERE '$t' = 'cw_metric_values') ORDER BY 1)")" \
       "$t: a partition per day and runtime, the runtime as the report gives it"
done
rows() { gzip -dc $(find "$T/deep/er/exp/$1" -name 'part-*') | wc -l | tr -d ' '; }
is "$(rows apigw_requests):$(rows xray_segments):$(rows cw_metric_values)" \
   "$(q "$DB" "SELECT (SELECT count(*) FROM apigw_requests) || ':' || (SELECT count(*) FROM xray_segments) || ':' || (SELECT count(*) FROM cw_metric_values)")" \
   "every row exported once"
is "$(for t in apigw_requests xray_traces xray_segments cw_metric_values; do awk -v t="\`$t\`" 'index($0, t) { on = 1 } on && /PARTITIONED BY/ { print; on = 0 }' "$T/deep/er/exp/ddl/athena.sql"; done | sort -u)" \
   'PARTITIONED BY (`day` string, `runtime` string)' \
   "the DDL declares their partitions"

# consistent DIR: the manifest and the folder agree; prints what differs
consistent() {
    python3 - "$1" <<'PY'
import json, os, sys, zlib, gzip
out = sys.argv[1]
m = json.load(open(os.path.join(out, "manifest.json")))
bad, named = [], set()
for f in m["files"]:
    p = os.path.join(out, f["path"]); named.add(f["path"])
    if not os.path.exists(p):
        bad.append("missing " + f["path"]); continue
    data = open(p, "rb").read()
    if len(data) != f["bytes"] or "%08x" % zlib.crc32(data) != f["crc32"]:
        bad.append("differs " + f["path"])
    lines = gzip.decompress(data).count(b"\n") if p.endswith(".gz") else data.count(b"\n")
    if lines != f["rows"]:
        bad.append("rows " + f["path"])
for root, dirs, files in os.walk(out):
    for n in files:
        rel = os.path.relpath(os.path.join(root, n), out)
        if n.startswith(".tmp"):
            bad.append("temporary " + rel)
        elif n.startswith("part-") and rel not in named:
            bad.append("unlisted " + rel)
print(" ".join(bad))
PY
}
is "$(consistent "$T/deep/er/exp")" "" "the manifest and the folder agree"

# a failure half-way: more nights and DynamoDB records since, and a file
# where the stream_records partition folders must go
"$MRB" --db "$DB" ingest -q "$S/nights" "$S/cli-json" "$S/ddb" || [ $? -le 1 ] || echo "# ingest 2 failed"
rm -rf "$T/deep/er/exp/stream_records"
echo "in the way" > "$T/deep/er/exp/stream_records"
run --db "$DB" export --gzip "$T/deep/er/exp"
isnt_zero=$([ "$RC" != 0 ] && echo yes)
is "$isnt_zero" yes "an export that cannot write a partition fails (exit $RC)"
like "$ERR" "cannot create '.*/exp/stream_records/day=" "and names the folder it could not create"
is "$(consistent "$T/deep/er/exp")" "" "after the failure the manifest still lists exactly what the folder holds"
is "$(cd "$T/deep/er/exp" && find invocations -name 'part-*' | grep -c 'day=2026-11-2[0-4]')" \
   "$(cd "$T/deep/er/exp" && python3 -c 'import json; print(sum(1 for f in json.load(open("manifest.json"))["files"] if f["table"] == "invocations" and f["day"] < "2026-11-25"))')" \
   "the other nights' invocations, completed before the failure, are listed"

rm -f "$T/deep/er/exp/stream_records"
run --db "$DB" export --gzip "$T/deep/er/exp"
is "$RC" 0 "the next export completes the folder"
is "$(consistent "$T/deep/er/exp")" "" "and the manifest lists exactly what the folder holds"
is "$(gzip -dc $(find "$T/deep/er/exp/invocations" -name 'part-*') | wc -l | tr -d ' ')" "$(q "$DB" "SELECT count(*) FROM invocations")" \
   "every invocation once"
done_testing
