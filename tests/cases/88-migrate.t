#!/usr/bin/env bash
# Migrations keep users' data: a database written by the release with schema
# version 5 (tests/data/schema-v5.sql.gz, see its README) is migrated to the
# current version by the next ingest, and every row it held is still there,
# with the provenance its files give it.
. "$(dirname "$0")/../lib.sh"
plan 10

gzip -dc "$ROOT/tests/data/schema-v5.sql.gz" | sqlite3 "$T/v5.db"
is "$(q "$T/v5.db" "pragma user_version")" "5" "the fixture is a version-5 database"
KEY="select count(*), sum(duration_ms), group_concat(request_id || function || runtime, ',') from (select * from invocations order by ts_ms, request_id)"
before_inv=$(q "$T/v5.db" "$KEY")
before_env=$(q "$T/v5.db" "select count(*), sum(invocations), sum(cold_starts) from environments")
before_ddb=$(q "$T/v5.db" "select count(*), group_concat(dedupe_key, ',') from stream_records")
before_met=$(q "$T/v5.db" "select count(*), sum(value) from metric_values")

# the first ingest of the new version migrates; from the source tree, as the
# fixture's files were named
(cd "$ROOT" && "$MRB" --db "$T/v5.db" ingest -q samples/s3-export samples/ddb)
is "$?" 0 "an ingest of the same files into the version-5 database"
is "$(q "$T/v5.db" "pragma user_version")|$(q "$T/v5.db" "pragma integrity_check")" \
    "$(q "$T/v5.db" "select $(grep -o 'STORE_SCHEMA_VERSION [0-9]*' "$ROOT/include/mrb/store.h" | cut -d' ' -f2)")|ok" \
    "migrated to the current version, intact"
is "$(q "$T/v5.db" "$KEY")" "$before_inv" "every invocation kept, none added"
is "$(q "$T/v5.db" "select count(*), sum(invocations), sum(cold_starts) from environments")" "$before_env" \
    "every environment kept"
is "$(q "$T/v5.db" "select count(*), group_concat(dedupe_key, ',') from stream_records")" "$before_ddb" \
    "every stream record kept"
is "$(q "$T/v5.db" "select count(*), sum(value) from metric_values")" "$before_met" "every metric value kept"
is "$(q "$T/v5.db" "select function_source || ' ' || function_rank || ' ' || count(*) from invocations group by function_source, function_rank")" \
    "legacy 5 100" "rows of S3 export files rank as named by the export path"

# the same invocations from CLI JSON pages: known, none added, none relabelled
run --db "$T/v5.db" ingest --json "$ROOT/samples/cli-json"
is "$(q "$T/v5.db" "select count(*) from invocations")|$(printf '%s' "$OUT" | grep -o '"invocations_new": *[0-9]*' | head -1 | grep -o '[0-9]*$')" \
    "100|0" "the same invocations from another shape add nothing"
run --db "$T/v5.db" report --no-plots --out "$T/rep"
is "$RC" 0 "a report of the migrated database"
