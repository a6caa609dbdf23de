#!/usr/bin/env bash
# `make install`: the installed binary carries its queries and works from any
# folder, with no $MRB_QUERIES and a decoy queries/ folder in the working
# directory (which must not be read); --queries names a folder explicitly.
. "$(dirname "$0")/../lib.sh"
plan 18

unset MRB_QUERIES MAKEFLAGS MAKELEVEL MFLAGS
make -s -C "$ROOT" --no-print-directory B="$BUILD" PREFIX="$T/prefix" DESTDIR= install >"$T/make.out" 2>&1
ok $? "make install PREFIX=$T/prefix"
P=$T/prefix
missing=""
for f in bin/mrb-analyze share/man/man1/mrb-analyze.1 lib/mrb-analyze/mrb_stats.so share/doc/mrb-analyze/queries/runtimes.sql; do
    [ -f "$P/$f" ] || missing="$missing $f"
done
is "$missing" "" "it installs the binary, the man page, mrb_stats.so and the queries' source"

mkdir -p "$T/elsewhere/queries"
printf -- "-- decoy: must never be read\nSELECT 'decoy' AS runtime;\n" >"$T/elsewhere/queries/runtimes.sql"
printf -- "-- decoy: must never be listed\nSELECT 1;\n" >"$T/elsewhere/queries/decoy.sql"
cd "$T/elsewhere" || exit 1
"$P/bin/mrb-analyze" --db x.db ingest -q "$ROOT/samples/s3-export"
ok $? "the installed binary ingests"
"$P/bin/mrb-analyze" --db x.db query --csv runtimes >out 2>err
ok $? "query runs from another folder"
is "$(tail -n +2 out | cut -d, -f1 | tr -d '\r' | tr '\n' ' ')" "go kotlin python typescript " \
    "with the built-in query, not ./queries/runtimes.sql"
"$P/bin/mrb-analyze" query --list >list 2>err
ok $? "query --list runs from another folder"
is "$(grep -c ' built-in ' list)" "$(ls "$ROOT"/queries/*.sql | wc -l)" "every query of the source tree is built in"
is "$(grep -c 'decoy' list)" 0 "the decoy folder is not listed"
"$P/bin/mrb-analyze" --db x.db report --no-plots --out rep >out 2>err
ok $? "report runs from another folder"
like "$(grep -A12 "^## Overview" rep/report.md)" "\\| python \\| 25 \\|" "and fills its tables"

"$P/bin/mrb-analyze" --db x.db --queries "$T/elsewhere/queries" query --csv runtimes >out 2>err
is "$(tail -n +2 out | tr -d '\r')" "decoy" "--queries DIR overrides a built-in query by name"
MRB_QUERIES=$T/elsewhere/queries "$P/bin/mrb-analyze" query --list >list 2>err
is "$(grep -E '^(runtimes|decoy) ' list | awk '{ print $1 ":" $2 }' | tr '\n' ' ')" "decoy:added runtimes:override " \
    "\$MRB_QUERIES adds and overrides, and --list says which"
"$P/bin/mrb-analyze" --db x.db --queries "$T/none" query runtimes >out 2>err
is "$?" 4 "a --queries folder that does not exist exits 4"
like "$(cat err)" "cannot open the queries folder '$T/none'" "and is named, never silently ignored"

mkfifo "$T/elsewhere/queries/blocked.sql"
timeout 20 "$P/bin/mrb-analyze" --db x.db --queries "$T/elsewhere/queries" query blocked >out 2>err
is "$?:$(cat err)" "4:mrb-analyze: error: $T/elsewhere/queries/blocked.sql: cannot read the query: not a regular file" \
    "a FIFO in the --queries folder is refused, not opened"

if [ "$SANITIZED" = 1 ]; then
    _n=$((_n + 1))
    echo "ok $_n # SKIP sqlite3 cannot load a sanitizer-built mrb_stats.so"
else
    is "$(sqlite3 :memory: ".load $P/lib/mrb-analyze/mrb_stats" "select median(v) from (select 1 as v union all select 2 union all select 10)")" \
        2.0 "the installed mrb_stats.so loads in sqlite3"
fi

# DESTDIR stages the tree; the staged binary needs no file of PREFIX.
make -s -C "$ROOT" --no-print-directory B="$BUILD" PREFIX=/opt/mrb-test DESTDIR="$T/stage" install >"$T/make.out" 2>&1
ok $? "make install PREFIX=/opt/mrb-test DESTDIR=$T/stage"
"$T/stage/opt/mrb-test/bin/mrb-analyze" --db x.db query --csv runtimes >out 2>err
is "$(tail -n +2 out | cut -d, -f1 | tr -d '\r' | tr '\n' ' ')" "go kotlin python typescript " \
    "the staged binary runs its built-in queries"
done_testing
