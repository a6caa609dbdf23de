#!/usr/bin/env bash
# bench/run.sh — ingest throughput of mrb-analyze against the physical limit.
#
#   bench/run.sh [BUILD_DIR]        (make bench runs: bench/run.sh build)
#
# Generates ~BENCH_MB MiB (default 1024) of uncompressed Lambda logs with
# mrb-gen, once (bench/data/stamp remembers size and generator), in four
# shapes: an S3 export (gzip per log stream), `aws logs filter-log-events`
# documents (one per function, ~BENCH_MB MiB each; the Python one is read), a
# Firehose delivery to S3 (objects of gzip members, ~BENCH_MB MiB of JSON
# documents) and the Python function's NDJSON (`jq -c '.events[]'`, ~BENCH_MB
# MiB). Then times, best wall time of 3 runs each:
#   - the floor: decompressing every part or object (gzip -dc) / reading the
#     JSON or NDJSON (cat);
#   - mrb-analyze ingest into a fresh database, with peak RSS from time -v.
# Three more rows measure EMF extraction (issue 5: ingest of a set where
# every third event is EMF may take at most twice as long as the same set
# without EMF): A, an S3 export of ~BENCH_MB MiB where 3 events in 8 are EMF
# documents (mrb-gen --emf-heavy: Powertools and hand-written metrics, Lambda
# Insights events; the share is counted from the data and printed); B(i), the
# same bytes with every document's "_aws" key spelled "_AWS" (--emf-plain),
# so that they are ordinary JSON log lines: A / B(i) is the cost of
# extraction, the ratio the issue's target is about; B(ii), the same
# invocations without the EMF lines at all (a third of the bytes). Both
# ratios are printed under the table.
# Prints a Markdown table. An ingest that fails (exit code > 1) shows as
# "failed (exit N)" in its row; the other rows still run, and the script then
# exits with the first such code.
#
# The night's mix , generated once under $DATA/night: an S3 export
# of 50,000 invocations per function in ~3,350 parts of ~45 KB (mrb-gen
# --streams 840), timed against `gzip -dc` of the parts and against
# bench/peer.py (a stdlib Python script reading the REPORT lines), and the
# night's DynamoDB stream records as one pretty-printed `aws dynamodbstreams
# get-records` document and as NDJSON, timed against cat. Each is also
# timed against SQLite alone storing the rows that ingest stored (bench/
# floor.c, build/mrb-floor: the same tables and indexes, one prepared INSERT
# per row, the ingest's settings), the floor no reader can go below. These
# rows end with the ratios the issue's targets are about.
#
# Then the per-record micro-benchmark (bench/micro.c: REPORT line, stream
# record, EMF document; BENCH_MICRO=0 skips it).
#
# Last, export and merge of the S3 export's database (BENCH_EXPORT=0 skips).
# Environment: BENCH_MB (default 1024), BENCH_RUNS (default 3),
# BENCH_INGEST=0 to time only the generator and the floor, BENCH_DATA (default
# bench/data) for where the data and the database go, BENCH_EMF_ONLY=1 for
# the three EMF rows alone, BENCH_NIGHT_ONLY=1 for the night's mix alone.
set -euo pipefail

cd "$(dirname "$0")/.."
B=${1:-build}
MB=${BENCH_MB:-1024}
RUNS=${BENCH_RUNS:-3}
DATA=${BENCH_DATA:-bench/data}
DB=$DATA/bench.db
GEN=$B/mrb-gen
ANALYZE=$B/mrb-analyze
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

die() { echo "bench: error: $*" >&2; exit 1; }

case $MB in '' | *[!0-9]*) die "BENCH_MB '$MB': expected a whole number of MiB" ;; esac
# make, not just -x: a stale generator may lack a shape
make --no-print-directory B="$B" "$GEN" >&2 || die "cannot build $GEN"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package 'time')"
INGEST=${BENCH_INGEST:-1}
if [ "$INGEST" != 0 ] && [ ! -x "$ANALYZE" ]; then
    die "$ANALYZE is missing: run make (or BENCH_INGEST=0 to skip ingest)"
fi

# ---------------------------------------------------------------- data
EMF_ONLY=${BENCH_EMF_ONLY:-0}
NIGHT_ONLY=${BENCH_NIGHT_ONLY:-0}
stamp="mb=$MB layout=5 emf-only=$EMF_ONLY gen=$(cat bench/gen/*.[ch] | cksum | cut -d' ' -f1)"
if [ "$NIGHT_ONLY" = 1 ]; then
    echo "bench: the night's mix alone (BENCH_NIGHT_ONLY=1)" >&2
elif [ "$(cat "$DATA/stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "bench: generating ~$MB MiB per shape under $DATA ..." >&2
    rm -rf "$DATA/s3-export" "$DATA/cli-json" "$DATA/firehose" "$DATA/ndjson" "$DATA/stamp" \
        "$DATA/emf" "$DATA/emfplain" "$DATA/noemf"
    mkdir -p "$DATA"
    # A: every third event EMF; B(i): the same bytes, no document EMF;
    # B(ii): the same invocations without the EMF lines
    "$GEN" --out "$DATA/emf" --shape s3-export --mb "$MB" --emf-heavy 2>"$DATA/emf.log"
    cat "$DATA/emf.log" >&2
    n_inv=$(sed -n 's/^mrb-gen: s3-export: \([0-9]*\) invocations.*/\1/p' "$DATA/emf.log")
    "$GEN" --out "$DATA/emfplain" --shape s3-export --invocations "$n_inv" --emf-heavy --emf-plain
    "$GEN" --out "$DATA/noemf" --shape s3-export --invocations "$n_inv"
    if [ "$EMF_ONLY" = 0 ]; then
    "$GEN" --out "$DATA" --shape s3-export --mb "$MB"
    # filter-log-events is per log group: one document per function, each
    # ~MB MiB (the benchmark reads the Python one)
    "$GEN" --out "$DATA" --shape cli-json --mb $((MB * 4))
    # a subscription delivers every log group to one Firehose stream
    "$GEN" --out "$DATA" --shape firehose --mb "$MB"
    # NDJSON is per log group too; only the Python file is kept
    "$GEN" --out "$DATA" --shape ndjson --mb $((MB * 4))
    find "$DATA/ndjson" -name '*.ndjson' ! -name dev-benchmark-python.ndjson -delete
    fi
    echo "$stamp" > "$DATA/stamp"
else
    echo "bench: reusing $DATA ($stamp)" >&2
fi
S3=$DATA/s3-export
EMF=$DATA/emf/s3-export
PLAIN=$DATA/emfplain/s3-export
NOEMF=$DATA/noemf/s3-export
JSON=$DATA/cli-json/dev-benchmark-python.json
FH=$DATA/firehose
NDJSON=$DATA/ndjson/dev-benchmark-python.ndjson

# ------------------------------------------------------------- helpers
# the inflater the build uses (Makefile: ISA-L when libisal is installed)
INFLATER=zlib
if [ -x "$ANALYZE" ] && ldd "$ANALYZE" 2>/dev/null | grep -q libisal; then INFLATER=isa-l; fi
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }'; }
div() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { if (b + 0 > 0) printf f, a / b; else print "-" }'; }

gunzip_all() { find "$S3" -name '*.gz' -print0 | sort -z | xargs -0 gzip -dc; }
gunzip_emf() { find "$EMF" -name '*.gz' -print0 | sort -z | xargs -0 gzip -dc; }
gunzip_plain() { find "$PLAIN" -name '*.gz' -print0 | sort -z | xargs -0 gzip -dc; }
gunzip_noemf() { find "$NOEMF" -name '*.gz' -print0 | sort -z | xargs -0 gzip -dc; }
cat_json() { cat "$JSON"; }
# Firehose objects have no extension; each is gzip members back to back
gunzip_firehose() { find "$FH" -type f -print0 | sort -z | xargs -0 gzip -dc; }
cat_ndjson() { cat "$NDJSON"; }

# Best wall time of RUNS runs of a command whose output is discarded.
best_floor() {
    local best="" t0 t1 i
    for ((i = 0; i < RUNS; i++)); do
        t0=$(now)
        "$@" > /dev/null
        t1=$(now)
        best=$(min "$best" "$(secs "$t0" "$t1")")
    done
    echo "$best"
}

# Ingests $1 into a fresh $DB RUNS times; sets BEST (s), RSS_MB (peak over
# the runs), EVENTS and EMF_DOCS (from the files table). When an ingest fails
# (exit code > 1) it stops there and sets FAILED to that code (0 otherwise).
best_ingest() {
    local input=$1 t0 t1 rc i kb
    BEST="" RSS_MB="" FAILED=0
    for ((i = 0; i < RUNS; i++)); do
        rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
        rc=0
        t0=$(now)
        /usr/bin/time -v -o "$TMP/time" "$ANALYZE" --db "$DB" ingest "$input" \
            > "$TMP/out" 2> "$TMP/err" || rc=$?
        t1=$(now)
        if [ "$rc" -gt 1 ]; then
            echo "bench: error: ingest of $input failed with exit code $rc:" >&2
            tail -n 20 "$TMP/err" >&2
            FAILED=$rc
            return
        fi
        BEST=$(min "$BEST" "$(secs "$t0" "$t1")")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/time")
        RSS_MB=$(max "$RSS_MB" "$(div "$kb" 1024 '%.1f')")
    done
    if [ "$rc" = 1 ]; then
        echo "bench: note: ingest of $input exited 1 (some records skipped):" >&2
        tail -n 5 "$TMP/err" >&2
    fi
    EVENTS=$(sqlite3 "$DB" 'SELECT coalesce(sum(events), 0) FROM files' 2>/dev/null) || EVENTS=""
    EMF_DOCS=$(sqlite3 "$DB" 'SELECT coalesce(sum(emf_documents), 0) FROM files' 2>/dev/null) ||
        EMF_DOCS=""
    RECORDS=$(sqlite3 "$DB" 'SELECT count(*) FROM stream_records' 2>/dev/null) || RECORDS=""
}

ROWS=()
EXIT_RC=0
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
# Measures one shape: name, floor label, floor function, input, its
# uncompressed bytes, and its events as counted from the data (used when
# the database cannot say).
measure() {
    local name=$1 floor_label=$2 floor_fn=$3 input=$4 bytes=$5 data_events=$6
    local in_mb floor ingest="-" ratio="-" mbs="-" evs="-" rss="-"
    in_mb=$(div "$bytes" 1048576 '%.1f')
    echo "bench: $name: $floor_label x$RUNS ..." >&2
    floor=$(best_floor "$floor_fn")
    FLOOR=$floor
    if [ "$INGEST" != 0 ]; then
        echo "bench: $name: mrb-analyze ingest x$RUNS ..." >&2
        best_ingest "$input"
        if [ "$FAILED" != 0 ]; then
            ingest="failed (exit $FAILED)"
            [ "$EXIT_RC" != 0 ] || EXIT_RC=$FAILED
        else
            ingest=$BEST
            rss=$RSS_MB
            [ -n "$EVENTS" ] && [ "$EVENTS" != 0 ] || EVENTS=$data_events
            ratio=$(div "$ingest" "$floor" '%.1f')
            mbs=$(div "$in_mb" "$ingest" '%.1f')
            evs=$(div "$EVENTS" "$ingest" '%.0f')
        fi
    fi
    ROWS+=("| $name | $in_mb | $floor | $ingest | $ratio | $mbs | $evs | $rss |")
}

# --------------------------------------------------------------- run
if [ "$NIGHT_ONLY" = 0 ]; then
echo "bench: measuring input sizes ..." >&2
emf_bytes=$(gunzip_emf | wc -c)
emf_events=$(gunzip_emf | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z ' || true)
emf_docs=$(gunzip_emf | grep -c '"_aws"' || true)
plain_bytes=$(gunzip_plain | wc -c)
plain_events=$(gunzip_plain | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z ' || true)
plain_docs=$(gunzip_plain | grep -c '"_aws"' || true)
noemf_bytes=$(gunzip_noemf | wc -c)
noemf_events=$(gunzip_noemf | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z ' || true)
[ "$plain_bytes" = "$emf_bytes" ] && [ "$plain_events" = "$emf_events" ] && [ "$plain_docs" = 0 ] ||
    die "B(i) is not A's bytes without EMF ($plain_bytes / $emf_bytes bytes, $plain_docs documents)"
measure "A: s3-export, EMF $emf_docs of $emf_events events" "gzip -dc" gunzip_emf "$EMF" "$emf_bytes" "$emf_events"
EMF_TIME=${BEST:-} A_EMF_DOCS=${EMF_DOCS:-} A_EVENTS=${EVENTS:-}
measure "B(i): the same bytes, \"_aws\" renamed (no EMF)" "gzip -dc" gunzip_plain "$PLAIN" "$plain_bytes" "$plain_events"
PLAIN_TIME=${BEST:-}
measure "B(ii): the same invocations without the EMF lines" "gzip -dc" gunzip_noemf "$NOEMF" "$noemf_bytes" "$noemf_events"
NOEMF_TIME=${BEST:-}
if [ "$EMF_ONLY" = 0 ]; then
s3_bytes=$(gunzip_all | wc -c)
s3_events=$(gunzip_all | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z ' || true)
json_bytes=$(wc -c < "$JSON")
json_events=$(grep -c '^            "timestamp": ' "$JSON" || true)
s3_files=$(find "$S3" -name '*.gz' | wc -l)
fh_bytes=$(gunzip_firehose | wc -c)
# every event is a logEvents element {"id":"<56 digits>",...
fh_events=$(gunzip_firehose | tr '[,' '\n\n' | grep -c '^{"id":"[0-9]' || true)
fh_files=$(find "$FH" -type f | wc -l)
nd_bytes=$(wc -c < "$NDJSON")
nd_events=$(wc -l < "$NDJSON")


measure "s3-export ($s3_files .gz)" "gzip -dc" gunzip_all "$S3" "$s3_bytes" "$s3_events"
measure "cli-json (1 doc)" "cat" cat_json "$JSON" "$json_bytes" "$json_events"
measure "firehose ($fh_files objects)" "gzip -dc" gunzip_firehose "$FH" "$fh_bytes" "$fh_events"
measure "ndjson (1 file)" "cat" cat_ndjson "$NDJSON" "$nd_bytes" "$nd_events"
fi
fi

# --------------------------------------------------- the night's mix
# 50,000 invocations per function in ~3,350 small parts (--streams 840: about
# 60 invocations per log stream, one part each) and the DynamoDB stream
# records the functions caused, once as `aws dynamodbstreams get-records`
# prints them (4-space indents, no eventSourceARN) and once as NDJSON.
NIGHT=$DATA/night
night_stamp="night=1 gen=$(cat bench/gen/*.[ch] | cksum | cut -d' ' -f1)"
if [ "$(cat "$NIGHT/stamp" 2>/dev/null)" != "$night_stamp" ]; then
    echo "bench: generating the night's mix under $NIGHT ..." >&2
    rm -rf "$NIGHT"
    mkdir -p "$NIGHT"
    "$GEN" --out "$NIGHT" --shape s3-export --invocations 50000 --streams 840 --ddb
    python3 - "$NIGHT/ddb/ndjson/dev-benchmark-items.ndjson" "$NIGHT/get-records.json" <<'PY'
import json, sys
records = []
with open(sys.argv[1]) as f:
    for line in f:
        r = json.loads(line)
        r.pop("eventSourceARN", None)  # get-records output names no table
        records.append(r)
with open(sys.argv[2], "w") as f:
    json.dump({"Records": records, "NextShardIterator": "arn:aws:dynamodb:us-east-1:"
               "123456789012:table/dev-benchmark-items/stream/2026-11-01T00:00:00.000|1|AAAA"},
              f, indent=4)
    f.write("\n")
PY
    echo "$night_stamp" > "$NIGHT/stamp"
fi
NS3=$NIGHT/s3-export
NGR=$NIGHT/get-records.json
NND=$NIGHT/ddb/ndjson/dev-benchmark-items.ndjson
gunzip_night() { find "$NS3" -name '*.gz' -print0 | sort -z | xargs -0 gzip -dc; }
cat_gr() { cat "$NGR"; }
cat_nd() { cat "$NND"; }
# the peer script on a fresh database; sets PEER (best s) and PEER_N
best_peer() {
    local t0 t1 i
    PEER="" PEER_N=""
    for ((i = 0; i < RUNS; i++)); do
        rm -f "$TMP/peer.db"
        t0=$(now)
        python3 bench/peer.py "$TMP/peer.db" "$NS3" > "$TMP/peer.out" || die "bench/peer.py failed"
        t1=$(now)
        PEER=$(min "$PEER" "$(secs "$t0" "$t1")")
    done
    PEER_N=$(sed -n 's/^peer: \([0-9]*\) invocations$/\1/p' "$TMP/peer.out")
}
# SQLite alone storing again the rows of the last ingest into $DB (bench/
# floor.c: one prepared INSERT per row, the ingest's settings), best of
# RUNS; sets SQL_FLOOR (s) or leaves it empty
sqlite_floor() {
    local i out s
    SQL_FLOOR=""
    [ "$INGEST" != 0 ] && [ -s "$DB" ] || return 0
    make --no-print-directory B="$B" "$B/mrb-floor" >&2 || return 0
    echo "bench: SQLite alone storing the same rows ($*) x$RUNS ..." >&2
    for ((i = 0; i < RUNS; i++)); do
        rm -f "$TMP/floor.db" "$TMP/floor.db-wal" "$TMP/floor.db-shm"
        out=$("$B/mrb-floor" "$DB" "$TMP/floor.db" "$@") || die "mrb-floor failed"
        s=$(sed -n 's/^floor: [0-9]* rows in \([0-9.]*\) s.*/\1/p' <<<"$out")
        SQL_FLOOR=$(min "$SQL_FLOOR" "$s")
    done
    rm -f "$TMP/floor.db" "$TMP/floor.db-wal" "$TMP/floor.db-shm"
}
ns3_bytes=$(gunzip_night | wc -c)
ns3_events=$(gunzip_night | grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z ' || true)
ns3_files=$(find "$NS3" -name '*.gz' | wc -l)
measure "night: s3-export ($ns3_files small .gz)" "gzip -dc" gunzip_night "$NS3" "$ns3_bytes" "$ns3_events"
N_S3=${BEST:-} N_FLOOR=$FLOOR N_INV=""
[ "$INGEST" = 0 ] || N_INV=$(sqlite3 "$DB" 'SELECT count(*) FROM invocations' 2>/dev/null || true)
sqlite_floor invocations environments files functions log_levels log_volume app_ids
N_S3_SQL=$SQL_FLOOR
# the same with the zlib build (issue 13: the faster inflater measured both ways)
if [ "$INGEST" != 0 ] && [ "$INFLATER" = isa-l ] &&
    make --no-print-directory INFLATE=zlib B="$B/zlib" "$B/zlib/mrb-analyze" >&2; then
    main_analyze=$ANALYZE
    ANALYZE=$B/zlib/mrb-analyze
    measure "night: s3-export, zlib build" "gzip -dc" gunzip_night "$NS3" "$ns3_bytes" "$ns3_events"
    ANALYZE=$main_analyze
    N_S3_ZLIB=${BEST:-}
fi
gr_records=$(grep -c '^        {$' "$NGR" || true)
measure "night: get-records (1 doc, $gr_records records)" "cat" cat_gr "$NGR" "$(wc -c < "$NGR")" "$gr_records"
N_GR=${BEST:-} N_GR_MB=$(div "$(wc -c < "$NGR")" 1048576 '%.1f') N_GR_REC=${RECORDS:-}
sqlite_floor stream_records stream_numbers stream_violations files functions
N_GR_SQL=$SQL_FLOOR
measure "night: ddb ndjson (1 file)" "cat" cat_nd "$NND" "$(wc -c < "$NND")" "$(wc -l < "$NND")"
N_ND=${BEST:-} N_ND_MB=$(div "$(wc -c < "$NND")" 1048576 '%.1f') N_ND_REC=${RECORDS:-}
sqlite_floor stream_records stream_numbers stream_violations files functions
N_ND_SQL=$SQL_FLOOR
if [ "$INGEST" != 0 ]; then
    echo "bench: night: bench/peer.py x$RUNS ..." >&2
    best_peer
fi

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "mrb-analyze ingest, best of $RUNS runs; ${cpu:-unknown CPU}, $(nproc) CPUs;" \
    "inflater: $INFLATER; load average before: $LOAD0"
echo "(MB = MiB uncompressed; floor = gzip -dc of every part or object, or cat of the file;
 ratio = ingest / floor; peak RSS = highest of the runs)"
echo
echo "| shape | input MB | gzip -dc (or cat) s | ingest s | ratio | MB/s | events/s | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
if [ "$INGEST" != 0 ] && [ -n "${EMF_TIME:-}" ] && [ -n "${PLAIN_TIME:-}" ]; then
    echo
    echo "EMF documents in A: $emf_docs of $emf_events events in the data" \
        "($(div "$((emf_docs * 100))" "$emf_events" '%.1f') %; every third would be 33.3 %)," \
        "${A_EMF_DOCS:-?} of ${A_EVENTS:-?} as ingest counted them"
    echo "EMF: A / B(i) (extraction, issue 5's target): $(div "$EMF_TIME" "$PLAIN_TIME" '%.2f')" \
        "(at most 2.0); A / B(ii) (without the EMF lines): $(div "$EMF_TIME" "$NOEMF_TIME" '%.2f')"
fi

if [ "$INGEST" != 0 ] && [ -n "${N_S3:-}" ]; then
    echo
    echo "The night's mix, side by side (best of $RUNS; targets of issue 13):"
    echo
    echo "| night s3-export | wall s |"
    echo "|---|---:|"
    echo "| gzip -dc of every part (floor) | $N_FLOOR |"
    echo "| mrb-analyze ingest ($N_INV invocations) | $N_S3 |"
    echo "| SQLite alone storing the same rows (bench/floor.c) | ${N_S3_SQL:-} |"
    echo "| bench/peer.py (${PEER_N:-?} invocations) | ${PEER:-} |"
    echo
    echo "ingest / gzip floor: $(div "$N_S3" "$N_FLOOR" '%.2f') (target <= 1.2)" \
        "${N_S3_ZLIB:+; with the zlib build: $(div "$N_S3_ZLIB" "$N_FLOOR" '%.2f')}"
    echo "peer / ingest: $(div "${PEER:-0}" "$N_S3" '%.2f') (target >= 5)"
    echo "ingest / SQLite floor: $(div "$N_S3" "${N_S3_SQL:-0}" '%.2f') (SQLite alone storing the" \
        "rows takes $(div "${N_S3_SQL:-0}" "$N_FLOOR" '%.2f') x the gzip floor)"
    echo "get-records: $(div "$N_GR_MB" "${N_GR:-0}" '%.0f') MB/s, ${N_GR_REC:-?} records" \
        "(target >= 250 MB/s); ddb ndjson: $(div "$N_ND_MB" "${N_ND:-0}" '%.0f') MB/s," \
        "${N_ND_REC:-?} records"
    echo "SQLite alone storing their rows: get-records ${N_GR_SQL:-?} s" \
        "(at most $(div "$N_GR_MB" "${N_GR_SQL:-0}" '%.0f') MB/s), ndjson ${N_ND_SQL:-?} s" \
        "(at most $(div "$N_ND_MB" "${N_ND_SQL:-0}" '%.0f') MB/s)"
    [ "${PEER_N:-}" = "$N_INV" ] ||
        echo "warning: the peer counted ${PEER_N:-?} invocations, ingest $N_INV"
fi

# ------------------------------------------------------------- micro
# the per-record paths alone (bench/micro.c): no I/O, no SQLite, one thread
if [ "${BENCH_MICRO:-1}" != 0 ] && make --no-print-directory B="$B" "$B/mrb-micro" >&2; then
    echo
    "$B/mrb-micro" || die "the micro-benchmark failed"
fi

# ------------------------------------------------------------- report
# time_report DB [ARGS...]: `report --no-plots` RUNS times; best (wall s)
# and rss (peak MB) set
time_report() {
    local db=$1 i t0 t1 kb
    shift
    best="" rss=""
    for ((i = 0; i < RUNS; i++)); do
        t0=$(now)
        /usr/bin/time -v -o "$TMP/rtime" "$ANALYZE" --db "$db" report "$@" --no-plots \
            --out "$TMP/report" >/dev/null || die "report failed"
        t1=$(now)
        best=$(min "$best" "$(secs "$t0" "$t1")")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/rtime")
        rss=$(max "$rss" "$(div "$kb" 1024 '%.1f')")
    done
}

# `report --no-plots` over the S3 export's invocations (about 1.3 M per GiB):
# the issue's target is under 5 s, with memory linear in what is selected.
if [ "$INGEST" != 0 ] && [ "$EMF_ONLY" = 0 ] && [ "$NIGHT_ONLY" = 0 ]; then
    RDB=$DATA/report.db
    if [ ! -s "$RDB" ] || [ "$(cat "$DATA/report.stamp" 2>/dev/null)" != "$stamp" ]; then
        rm -f "$RDB" "$RDB-journal"
        "$ANALYZE" --db "$RDB" ingest -q "$S3" || [ $? -le 1 ] || die "ingest for the report failed"
        echo "$stamp" > "$DATA/report.stamp"
    fi
    n_inv=$(sqlite3 "$RDB" 'SELECT count(*) FROM invocations')
    # the first million invocations by time, as `report --since/--until` selects them
    until=$(sqlite3 "$RDB" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ts_ms / 1000 + 1, 'unixepoch')
                            FROM invocations ORDER BY ts_ms LIMIT 1 OFFSET 999999")
    since=$(sqlite3 "$RDB" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', min(ts_ms) / 1000, 'unixepoch')
                            FROM invocations")
    echo
    echo "| report --no-plots | invocations | wall s (best of $RUNS) | peak RSS MB |"
    echo "|---|---:|---:|---:|"
    for sel in all first-1m; do
        args=() n=$n_inv
        if [ "$sel" = first-1m ]; then
            [ -n "$until" ] || continue
            args=(--since "$since" --until "$until")
            n=$(sqlite3 "$RDB" "SELECT count(*) FROM invocations WHERE ts_ms >= 1000 * strftime('%s', '$since')
                                AND ts_ms < 1000 * strftime('%s', '$until')")
        fi
        time_report "$RDB" "${args[@]}"
        echo "| s3-export data, $sel | $n | $best | $rss |"
    done
fi
# ---------------------------------------------------- EMF-heavy report
# `report --no-plots` over an EMF-heavy database of 80,000 invocations
# (mrb-gen --emf-heavy --invocations 20000: about 840,000 metric values),
# the size issue 13 measured; its target is 5 s per million invocations.
if [ "$INGEST" != 0 ]; then
    EDB=$DATA/emfreport.db
    if [ ! -s "$EDB" ] || [ "$(cat "$DATA/emfreport.stamp" 2>/dev/null)" != "$night_stamp" ]; then
        rm -rf "$EDB" "$EDB-wal" "$EDB-shm" "$DATA/emfreport"
        "$GEN" --out "$DATA/emfreport" --shape s3-export --emf-heavy --invocations 20000 2>/dev/null
        "$ANALYZE" --db "$EDB" ingest -q "$DATA/emfreport/s3-export" || [ $? -le 1 ] ||
            die "ingest for the EMF report failed"
        rm -rf "$DATA/emfreport"
        echo "$night_stamp" > "$DATA/emfreport.stamp"
    fi
    e_inv=$(sqlite3 "$EDB" 'SELECT count(*) FROM invocations')
    e_val=$(sqlite3 "$EDB" 'SELECT count(*) FROM metric_values')
    time_report "$EDB"
    echo
    echo "| report --no-plots, EMF-heavy | invocations | metric values | wall s (best of $RUNS) | s per million invocations | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| mrb-gen --emf-heavy --invocations 20000 | $e_inv | $e_val | $best | $(div "$best" "$(div "$e_inv" 1000000 '%.6f')" '%.2f') (target <= 5) | $rss |"
fi
# ------------------------------------------------------- export, merge
# export --gzip of the S3 export's database (every table, Hive partitions)
# and merge of it into a fresh database, then again (nothing new): MB/s of
# the database read, rows/s, peak RSS (one run each: they take minutes).
if [ "$INGEST" != 0 ] && [ "$EMF_ONLY" = 0 ] && [ "${BENCH_EXPORT:-1}" != 0 ]; then
    db_mb=$(div "$(stat -c %s "$RDB")" 1048576 '%.1f')
    timed() { # timed LABEL ROWS CMD...: one row of the table
        local label=$1 rows=$2 t0 t1 s kb
        shift 2
        t0=$(now)
        /usr/bin/time -v -o "$TMP/xtime" "$@" >/dev/null 2>"$TMP/xerr" || { tail -5 "$TMP/xerr" >&2; die "$label failed"; }
        t1=$(now)
        s=$(secs "$t0" "$t1")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/xtime")
        echo "| $label | $db_mb | $rows | $s | $(div "$db_mb" "$s" '%.1f') | $(div "$rows" "$s" '%.0f') | $(div "$kb" 1024 '%.1f') |"
    }
    rows=$(sqlite3 "$RDB" "SELECT (SELECT count(*) FROM invocations) + (SELECT count(*) FROM environments) + (SELECT count(*) FROM metric_values) + (SELECT count(*) FROM stream_records)")
    echo
    echo "| export / merge | database MB | rows | wall s | MB/s | rows/s | peak RSS MB |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    rm -rf "$DATA/export"
    timed "export --gzip (jsonl.gz)" "$rows" "$ANALYZE" --db "$RDB" export --gzip "$DATA/export"
    out_mb=$(du -sm "$DATA/export" | cut -f1)
    timed "export again (replaces every partition)" "$rows" "$ANALYZE" --db "$RDB" export --gzip "$DATA/export"
    rm -f "$DATA/merged.db" "$DATA/merged.db-wal" "$DATA/merged.db-shm"
    timed "merge into an empty database" "$rows" "$ANALYZE" merge -q "$DATA/merged.db" "$RDB"
    timed "merge the same shard again (adds nothing)" "$rows" "$ANALYZE" merge -q "$DATA/merged.db" "$RDB"
    echo
    echo "export output: $out_mb MiB of gzip JSON Lines in $(find "$DATA/export" -name 'part-*' | wc -l) files"
    rm -rf "$DATA/export" "$DATA/merged.db"
fi
exit "$EXIT_RC"
