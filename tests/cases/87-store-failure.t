#!/usr/bin/env bash
# A store failure in the middle of a file (a trigger makes SQLite refuse one
# invocation): ingest stops with exit 3 and names the file it was writing;
# nothing of that file, nor of the files of its batch, is kept (no partial
# file); what earlier runs stored stays; and a run after the fault is gone
# stores exactly what one clean ingest stores.
. "$(dirname "$0")/../lib.sh"
plan 5

S=$ROOT/samples/s3-export
BAD=$(find "$S/dev-benchmark-python" -name '000000.gz' | sort | head -1)
RID=$(gzip -dc "$BAD" | grep -o 'REPORT RequestId: [0-9a-f-]*' | head -1 | cut -d' ' -f3)
"$MRB" --db "$T/db" ingest -q "$S/dev-benchmark-go"
before=$(q "$T/db" "SELECT count(*) FROM invocations")
sqlite3 "$T/db" "CREATE TRIGGER fault BEFORE INSERT ON invocations WHEN NEW.request_id = '$RID'
                 BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
run --db "$T/db" ingest -q "$S/dev-benchmark-python" "$S/dev-benchmark-kotlin"
is "$RC" 3 "a store failure stops ingest with exit 3"
like "$(cat "$T/err")" "error: .*$(basename "$(dirname "$BAD")" | sed 's/[][$]/./g')/000000.gz: database: writing: injected failure" \
    "and names the file being written"
is "$(q "$T/db" "SELECT count(*) FROM invocations WHERE function <> 'dev-benchmark-go'")|$(q "$T/db" "SELECT count(*) FROM files WHERE path LIKE '%python%'")|$(q "$T/db" "SELECT count(*) FROM invocations")" \
    "0|0|$before" "nothing of the failing file or its batch is kept; the earlier run's rows stay"
sqlite3 "$T/db" "DROP TRIGGER fault"
run --db "$T/db" ingest -q "$S/dev-benchmark-python" "$S/dev-benchmark-kotlin"
is "$RC" 0 "with the fault gone, the run completes"
"$MRB" --db "$T/clean.db" ingest -q "$S/dev-benchmark-go" "$S/dev-benchmark-python" "$S/dev-benchmark-kotlin"
is "$(q "$T/db" "SELECT function, count(*), sum(cold_start) FROM invocations GROUP BY 1 ORDER BY 1")" \
   "$(q "$T/clean.db" "SELECT function, count(*), sum(cold_start) FROM invocations GROUP BY 1 ORDER BY 1")" \
   "and stores what one clean ingest stores"
done_testing
