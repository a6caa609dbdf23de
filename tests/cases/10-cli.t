#!/usr/bin/env bash
# The command line: help, version, usage errors and their exit codes.
. "$(dirname "$0")/../lib.sh"
plan 15

run --version
is "$RC" 0 "--version exits 0"
like "$OUT" '^mrb-analyze [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"

run --help
is "$RC" 0 "--help exits 0"
like "$OUT" 'ingest' "--help lists the ingest command"

run ingest --help
like "$OUT" '--map FILE' "ingest --help is generated from the option table"

run frobnicate
is "$RC" 2 "unknown command exits 2"
like "$ERR" "^mrb-analyze: error: unknown command 'frobnicate'" "unknown command is named"

run --db "$T/x.db" ingest --bogus "$T"
is "$RC" 2 "unknown option exits 2"
like "$ERR" "try 'mrb-analyze ingest --help'" "usage error points at --help"

run --db "$T/x.db" ingest
is "$RC" 2 "ingest without a PATH exits 2"

run --db "$T/x.db" ingest "$T/does-not-exist"
is "$RC" 4 "a PATH that cannot be read exits 4"
like "$ERR" "cannot read '.*does-not-exist'" "the unreadable PATH is named"
run --db "$T/no/such/dir/x.db" ingest "$T"
is "$RC" 3 "a database that cannot be created exits 3"
like "$ERR" "no/such/dir/x.db: cannot open database" "the database is named"

mkdir -p "$T/env"
printf '2026-11-25T03:00:00.000Z REPORT RequestId: e-1\tDuration: 1.00 ms\n' >"$T/env/a.log"
(cd "$T/env" && MRB_DB="$T/env.db" "$MRB" ingest -q a.log)
is "$(q "$T/env.db" "select request_id from invocations")" "e-1" "MRB_DB names the database"
done_testing
