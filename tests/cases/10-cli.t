#!/usr/bin/env bash
# The command line: help, version, usage errors and their exit codes.
. "$(dirname "$0")/../lib.sh"
plan 12

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
done_testing
