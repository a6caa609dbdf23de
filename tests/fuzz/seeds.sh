#!/bin/sh
# seeds.sh OUT — builds the seed corpus of every fuzz harness from samples/
# under OUT/<harness>/ (small files: fuzzers mutate, they need no volume).
#   lines         single messages: platform text and JSON lines, app lines
#   emf           single messages that hold an "_aws" document
#   shapes        whole small files of every shape (gzip and plain)
#   subscription  awslogs / Kinesis wrappers and a bare DATA_MESSAGE, each
#                 behind the byte that picks its decoder (see fuzz_subscription.c)
#   ddb           files of DynamoDB stream records
#   rows          X-Ray traces and CloudWatch metric exports, each behind the
#                 byte that picks the path (see fuzz_rows.c)
#   jload         JSON documents and records, and the tricky JSON of
#                 tests/data/json (escapes, numbers, UTF-8, duplicate keys)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S=$ROOT/samples
OUT=$1
rm -rf "$OUT"
mkdir -p "$OUT/lines" "$OUT/emf" "$OUT/shapes" "$OUT/subscription" "$OUT/ddb" "$OUT/rows" \
    "$OUT/jload"

# one message per file: every 7th line of the text and JSON-format exports
i=0
for f in $(find "$S/s3-export" "$S/jsonlog" -name '*.gz' | sort | head -12); do
    gzip -dc "$f" | cut -d' ' -f2- | awk 'NF && NR % 7 == 1' | head -40 |
        while IFS= read -r line; do
            i=$((i + 1))
            printf '%s\n' "$line" >"$OUT/lines/$(basename "$(dirname "$f")")-$i"
        done
done
gzip -dc $(find "$S/s3-export/lambda-insights" "$S/jsonlog" -name '*.gz' | sort | head -6) |
    grep '"_aws"' | cut -d' ' -f2- | head -60 | split -l 1 - "$OUT/emf/doc-"

# whole files, the big ones cut (a cut file is a seed for the error paths)
for f in $(find "$S" -type f ! -name '*.md' | sort | awk 'NR % 3 == 0'); do
    head -c 32768 "$f" >"$OUT/shapes/$(echo "$f" | cksum | cut -d' ' -f1)"
done

for f in $(ls "$S"/awslogs/*.json | head -10); do
    { printf '\001'; cat "$f"; } >"$OUT/subscription/awslogs-$(basename "$f")"
    { printf '\000'; jq -r .awslogs.data "$f" | base64 -d | gzip -dc; } \
        >"$OUT/subscription/plain-$(basename "$f")"
done
for f in $(ls "$S"/kinesis/* | head -6); do
    { printf '\002'; head -c 32768 "$f"; } >"$OUT/subscription/kinesis-$(basename "$f")"
done

cp "$S"/ddb/lambda/* "$OUT/ddb/"
head -c 16384 "$S/ddb/ndjson/dev-benchmark-items.ndjson" >"$OUT/ddb/ndjson"
gzip -c "$S/ddb/lambda/dev-benchmark-items-000000.json" >"$OUT/ddb/lambda.gz"
for f in "$S"/xray/*.json "$S"/metrics/*.json "$ROOT"/tests/data/xray/*.json "$ROOT"/tests/data/metrics/*.json; do
    { printf '\000'; head -c 16384 "$f"; } >"$OUT/rows/$(echo "$f" | cksum | cut -d' ' -f1)"
done
for f in "$ROOT"/tests/data/metrics/*.json; do
    { printf '\001'; cat "$f"; } >"$OUT/rows/keyed-$(basename "$f")"
done
{ printf '\000'; gzip -c "$ROOT/tests/data/xray/batch-get-traces-guide.json"; } >"$OUT/rows/guide.gz"
head -n 40 "$S/ddb/ndjson/dev-benchmark-items.ndjson" | split -l 4 - "$OUT/jload/ndjson-"
for f in "$S"/ddb/lambda/*.json "$ROOT"/tests/data/xray/*.json "$ROOT"/tests/data/json/*.json; do
    head -c 16384 "$f" >"$OUT/jload/$(echo "$f" | cksum | cut -d' ' -f1)"
done
for d in lines emf shapes subscription ddb rows jload; do
    printf '%s: %s seeds\n' "$d" "$(ls "$OUT/$d" | wc -l)"
done
