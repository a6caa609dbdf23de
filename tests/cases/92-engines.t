#!/usr/bin/env bash
# `export`: Hive partitions, manifest, re-export replaces; the DDL and the
# Trino queries of docs/engines.md parsed by Trino's and Hive's grammars
# (tools/sqlcheck, when installed); Debian's clickhouse-server on loopback
# loads an export of samples/ and the documented ClickHouse query gives the
# figures of the SQLite report's summary.json.
. "$(dirname "$0")/../lib.sh"
plan 22

DB=$T/s.db
"$MRB" --db "$DB" ingest -q "$ROOT/samples/" || [ $? -le 1 ] || echo "# ingest failed"
"$MRB" --db "$DB" report --no-plots --out "$T/rep" >/dev/null 2>&1
run --db "$DB" export --gzip "$T/exp"
is "$RC" 0 "export exits 0"
like "$ERR" "exported [0-9]+ rows of [0-9]+ tables" "export says what it wrote"

# the manifest's rows per table are the database's rows
man() { sqlite3 -batch -noheader :memory: "$1"; }
m_rows() { man "SELECT coalesce(sum(json_extract(value, '\$.rows')), 0) FROM json_each(readfile('$T/exp/manifest.json'), '\$.files') WHERE json_extract(value, '\$.table') = '$1'"; }
for t in invocations environments metric_values stream_records functions; do
    is "$(m_rows "$t")" "$(q "$DB" "SELECT count(*) FROM $t")" "manifest: $t rows = the database's"
done
n=$(man "SELECT count(*) FROM json_each(readfile('$T/exp/manifest.json'), '\$.files')")
is "$(cd "$T/exp" && find . -name 'part-*' | wc -l)" "$n" "manifest lists every part file"
f=$(man "SELECT json_extract(value, '\$.path') || ' ' || json_extract(value, '\$.rows') FROM json_each(readfile('$T/exp/manifest.json'), '\$.files') WHERE json_extract(value, '\$.path') LIKE 'invocations/day=2026-11-25/runtime=go/%'")
is "$(zcat "$T/exp/${f% *}" | wc -l)" "${f#* }" "a part file holds the rows the manifest says"
is "$(zcat "$T/exp/${f% *}" | grep -c '"runtime":"go"')" "${f#* }" "its rows are the partition's runtime"
if command -v python3 >/dev/null; then
    bad=$(python3 -c '
import json, sys, zlib
d = sys.argv[1]
m = json.load(open(d + "/manifest.json"))
print(sum(1 for f in m["files"] if "%08x" % zlib.crc32(open(d + "/" + f["path"], "rb").read()) != f["crc32"]))' "$T/exp")
    is "$bad" 0 "every file's CRC-32 is the manifest's"
else
    echo "ok $((_n += 1)) # SKIP python3 missing: CRC-32 not checked"
fi

# the same range again replaces its partitions; one day alone leaves the others
before=$(cd "$T/exp" && find . -type f -name 'part-*' | sort | xargs cksum)
run --db "$DB" export --gzip "$T/exp"
is "$(cd "$T/exp" && find . -type f -name 'part-*' | sort | xargs cksum)" "$before" "re-export: the same files, nothing duplicated"
run --db "$DB" export --gzip --since 2026-11-24T10:00:00Z --until 2026-11-24T12:00:00Z "$T/exp"
is "$(m_rows invocations)" "$(q "$DB" "SELECT count(*) FROM invocations")" "a one-day re-export (times rounded to the day) keeps every row once"
is "$(find "$T/exp" -name '.tmp-*' | wc -l)" 0 "no temporary file left"
run --db "$DB" export --format csv "$T/exp"
is "$RC" 4 "a folder of jsonl.gz files refuses csv"

# Trino / Athena syntax, with Trino's and Hive's grammars (offline)
CHK=$ROOT/tools/sqlcheck
sed -n '/<!-- trino-core -->/,/<!-- \/trino-core -->/p' "$ROOT/docs/engines.md" | grep -v '^<!--' | grep -v '^```' >"$T/trino-core.sql"
if command -v node >/dev/null && [ -d "$CHK/node_modules/dt-sql-parser" ]; then
    (cd "$CHK" && node --import ./register.mjs check.mjs trino "$T/exp/ddl/trino.sql") >"$T/chk" 2>&1
    ok $? "ddl/trino.sql parses with Trino's grammar: $(tail -1 "$T/chk")"
    (cd "$CHK" && node --import ./register.mjs check.mjs trino "$T/trino-core.sql") >"$T/chk" 2>&1
    ok $? "docs/engines.md's Trino query parses with Trino's grammar: $(tail -1 "$T/chk")"
    (cd "$CHK" && node --import ./register.mjs check.mjs hive "$T/exp/ddl/athena.sql") >"$T/chk" 2>&1
    ok $? "ddl/athena.sql parses with Hive's grammar: $(tail -1 "$T/chk")"
else
    for i in 1 2 3; do echo "ok $((_n += 1)) # SKIP tools/sqlcheck not installed (make deps: npm install there)"; done
fi

# ClickHouse: the documented query on the export gives the report's figures
want=$(sqlite3 -batch -noheader -separator '	' :memory: "
  WITH s AS (SELECT readfile('$T/rep/summary.json') AS j),
  o AS (SELECT value AS v FROM s, json_each(s.j, '\$.sections.overview')),
  c AS (SELECT value AS v FROM s, json_each(s.j, '\$.sections.cold_starts')),
  m AS (SELECT value AS v FROM s, json_each(s.j, '\$.sections.memory'))
  SELECT o.v ->> 'runtime', o.v ->> 'invocations', o.v ->> 'cold_pct', o.v ->> 'warm_p50_ms',
         o.v ->> 'warm_p99_ms', c.v ->> 'init_p50_ms', m.v ->> 'used_p99_mb', o.v ->> 'cost_per_1m_usd'
  FROM o JOIN c ON c.v ->> 'runtime' = o.v ->> 'runtime' JOIN m ON m.v ->> 'runtime' = o.v ->> 'runtime'
  ORDER BY 1")
CH_SKIP=""
if [ "$SANITIZED" = 1 ]; then
    CH_SKIP="sanitizer build (ClickHouse runs in the plain pass)"
elif ! command -v clickhouse-server >/dev/null || ! command -v clickhouse-client >/dev/null; then
    CH_SKIP="clickhouse-server / clickhouse-client not installed (make deps installs them)"
fi
if [ -z "$CH_SKIP" ]; then
    CHD=$T/ch
    mkdir -p "$CHD/data" "$CHD/tmp" "$CHD/user_files"
    port=$((20000 + $$ % 20000))
    cat >"$CHD/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$CHD/server.log</log><errorlog>$CHD/err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>$port</tcp_port>
  <path>$CHD/data/</path>
  <tmp_path>$CHD/tmp/</tmp_path>
  <user_files_path>$CHD/user_files/</user_files_path>
  <users_config>$CHD/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709</mark_cache_size>
</yandex>
XML
    cat >"$CHD/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
XML
    clickhouse-server --config-file="$CHD/config.xml" >"$CHD/stdout" 2>&1 &
    CH_PID=$!
    trap 'kill "$CH_PID" 2>/dev/null; wait "$CH_PID" 2>/dev/null; rm -rf "$T"' EXIT
    CH="clickhouse-client --host 127.0.0.1 --port $port"
    up=0
    for _ in $(seq 1 100); do
        if $CH --query 'SELECT 1' >/dev/null 2>&1; then up=1; break; fi
        kill -0 "$CH_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ "$up" = 1 ] || CH_SKIP="clickhouse-server did not start: $(tail -c 300 "$CHD/err.log" "$CHD/stdout" 2>/dev/null | tr '\n' ' ')"
fi
if [ -z "$CH_SKIP" ]; then
    run --db "$DB" export --gzip "$T/chx"
    $CH --multiquery <"$T/chx/ddl/clickhouse.sql" >"$T/ch.err" 2>&1
    ok $? "ClickHouse 18.16 takes ddl/clickhouse.sql $(head -c 200 "$T/ch.err")"
    loaded=0 # one INSERT per table: each client start costs ~0.2 s
    for t in $(sqlite3 -batch -noheader :memory: "SELECT DISTINCT json_extract(value, '\$.table') FROM json_each(readfile('$T/chx/manifest.json'), '\$.files')"); do
        sqlite3 -batch -noheader :memory: "SELECT json_extract(value, '\$.path') FROM json_each(readfile('$T/chx/manifest.json'), '\$.files') WHERE json_extract(value, '\$.table') = '$t'" |
            (cd "$T/chx" && xargs zcat) | $CH --query "INSERT INTO mrb.\`$t\` FORMAT JSONEachRow" 2>>"$T/ch.err" || loaded=1
    done
    ok "$loaded" "every part file loads with INSERT ... FORMAT JSONEachRow $(head -c 200 "$T/ch.err")"
    is "$($CH --query 'SELECT count() FROM mrb.invocations')" "$(q "$DB" 'SELECT count(*) FROM invocations')" "ClickHouse holds every invocation"
    sed -n '/<!-- clickhouse-core -->/,/<!-- \/clickhouse-core -->/p' "$ROOT/docs/engines.md" | grep -v '^<!--' | grep -v '^```' >"$T/ch-core.sql"
    got=$( (cat "$T/ch-core.sql"; echo 'FORMAT TSV') | $CH --multiquery 2>&1)
    num() { awk -F'\t' -v OFS='\t' '{ for (i = 2; i <= NF; i++) $i = sprintf("%.10g", $i); print }'; }
    is "$(printf '%s\n' "$got" | num)" "$(printf '%s\n' "$want" | num)" "docs/engines.md's ClickHouse query = summary.json (invocations, cold %, warm p50/p99, init p50, memory p99, cost per 1M)"
else
    for i in 1 2 3 4; do echo "ok $((_n += 1)) # SKIP $CH_SKIP"; done
fi
done_testing
