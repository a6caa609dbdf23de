#!/usr/bin/env bash
# The module graph of the library: which file calls which (a function one
# object file uses and another defines), read from the built objects with
# nm. No circle between files (tsort finds none); the store's helpers
# (store_identity.c) call no store function, and store.c calls nothing of
# the files that write its other tables (store_ddb.c, store_apigw.c,
# store_rows.c): their state is freed through the function they hand over.
. "$(dirname "$0")/../lib.sh"
plan 4

OBJ=$BUILD/obj
if ! command -v nm >/dev/null || [ ! -f "$OBJ/store.o" ]; then
    for i in 1 2 3 4; do echo "ok $i # SKIP no nm or no objects in $OBJ"; done
    exit 0
fi
# "caller callee" for every call across files
for o in "$OBJ"/*.o; do
    m=$(basename "$o" .o)
    nm "$o" | awk -v m="$m" '$1 == "U" { print "U", m, $2 } NF == 3 && $2 ~ /[TDBR]/ { print "D", m, $3 }'
done | awk '$1 == "D" { def[$3] = $2; next } { use[NR] = $2 " " $3 }
    END { for (i in use) { split(use[i], u, " "); if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]] } }' |
    sort -u >"$T/edges"

n=$(wc -l <"$T/edges")
ok "$([ "$n" -gt 100 ]; echo $?)" "the graph is read ($n calls between files)"
tsort "$T/edges" >/dev/null 2>"$T/loops"
is "$(grep -c 'loop' "$T/loops")" "0" "no circle between the library's files"
is "$(awk '$1 == "store_identity" && $2 ~ /^store/' "$T/edges")" "" \
    "store_identity.c calls no store function"
is "$(awk '$1 == "store" && $2 ~ /^store_(ddb|apigw|rows)$/' "$T/edges")" "" \
    "store.c calls nothing of store_ddb.c, store_apigw.c, store_rows.c"
done_testing
