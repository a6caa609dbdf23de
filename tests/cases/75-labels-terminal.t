#!/usr/bin/env bash
# Labels and cells made safe for every sink: a run label never names a
# folder outside reports/ (".", "..", "../x", "a/b"); control characters
# never reach a terminal in any output mode (a terminal is made with
# script(1)), while CSV to a file keeps every byte.
. "$(dirname "$0")/../lib.sh"
plan 24

ESC=$(printf '\033')
"$MRB" --db "$T/db" ingest -q "$ROOT/samples/s3-export"
# labels that would be paths, set in the database directly (as an older
# version or another tool could have)
for l in '..' '../x' '.' 'a/b' 'a_b' "e${ESC}[31m"; do
    sqlite3 "$T/db" "update invocations set run = '$l' where rowid in (select rowid from invocations where run is null limit 4)"
done
mkdir -p "$T/w"
rep() { (cd "$T/w" && "$MRB" --db "$T/db" report --no-plots --run "$1" 2>"$T/rep.err"); }

where=$(rep '..')
like "$where" "^reports/_\.-[0-9a-f]{8}/report\.md$" "report --run .. writes into a folder of reports/"
is "$(ls "$T/w" | tr '\n' ' ')" "reports " "nothing is written beside reports/"
is "$(ls "$T/w/reports" | wc -l)" 1 "nor into reports/ itself"
like "$(sed -n 3p "$T/w/$where")" "^Selection: run \.\.\." "the report is of run '..'"
where=$(rep '../x')
like "$where" "^reports/_\._x-[0-9a-f]{8}/report\.md$" "report --run ../x stays in reports/"
where=$(rep '.')
like "$where" "^reports/_-[0-9a-f]{8}/report\.md$" "report --run . is not reports/ itself"
a=$(rep 'a/b')
b=$(rep 'a_b')
like "$a" "^reports/a_b-[0-9a-f]{8}/report\.md$" "a/b becomes a_b plus a hash"
is "$b" "reports/a_b/report.md" "a label that is a safe name is the folder name as it is"
where=$(rep "e${ESC}[31m")
like "$where" "^reports/e__31m-[0-9a-f]{8}/report\.md$" "a label with an escape byte is a safe folder name"
is "$(grep -c "$ESC" "$T/w/$where")" 0 "and no escape byte reaches the report"
is "$(ls -a "$T/w/reports" | grep -c '^\.')" 2 "no folder of reports/ is hidden, '.' or '..'"

run --db "$T/db2" ingest --run "n${ESC}x" "$ROOT/samples/s3-export"
is "$RC" 2 "ingest --run refuses a label with control characters"
run --db "$T/db2" ingest --run "$(printf 'n\302\233x')" "$ROOT/samples/s3-export"
is "$RC" 2 "(C1 ones too: U+009B is CSI)"

# control characters in cells: to a file or pipe, CSV keeps every byte
SQL="select 'a' || char(27) || '[2J' || char(13) || 'b' as x, 'c' || char(155) || 'd' as y"
run --db "$T/db" sql --csv "$SQL"
is "$(printf '%s' "$OUT" | od -An -c | tr -s ' ' | tr -d '\n')" \
    ' x , y \r \n " a 033 [ 2 J \r b " , c 302 233 d \r' "CSV to a pipe keeps every byte (RFC 4180 quoting)"
# on a terminal: no control character in any mode
tty_out() { # tty_out MODE: the bytes of `sql MODE` written to a terminal
    script -qec "'$MRB' --db '$T/db' sql $1 \"$SQL\"" /dev/null </dev/null >"$T/tty" 2>&1
    tr -d '\r\n' <"$T/tty" # the terminal's own line ends aside
}
if ! script -qec true /dev/null </dev/null >/dev/null 2>&1; then
    for i in 1 2 3 4 5 6 7 8 9 10; do _n=$((_n + 1)); echo "ok $_n # SKIP no script(1) to make a terminal"; done
else
    for m in --csv --table --json --markdown; do
        got=$(tty_out "$m")
        is "$(printf '%s' "$got" | LC_ALL=C grep -c "$ESC\|$(printf '\302\233')")" 0 "sql $m on a terminal: no ESC, no CSI"
    done
    got=$(tty_out --csv)
    is "$got" 'x,y"a[2Jb",cd' "CSV on a terminal drops them and keeps the text"
    got=$(tty_out --json)
    like "$got" '"x": "a\\u001b\[2J\\u000db", "y": "c\\u009bd"' "JSON escapes them, C1 included (the text is kept)"
    got=$(tty_out --table)
    like "$got" "a \[2J b +c  d" "table cells show them as spaces"
    got=$(tty_out --markdown)
    like "$got" '\| a\\\[2J b \| cd \|' "Markdown drops them (CR as a space)"
    script -qec "'$MRB' --db '$T/db' report --day \"$(printf 'x\302\233y')\"" /dev/null </dev/null >"$T/tty" 2>&1
    is "$(LC_ALL=C grep -c "$(printf '\302\233')" "$T/tty")" 0 "messages show a C1 control as '?'"
    like "$(cat "$T/tty")" "--day wants YYYY-MM-DD, not 'x\?\?y'" "(the value is still named)"
fi
done_testing
