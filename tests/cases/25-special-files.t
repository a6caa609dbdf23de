#!/usr/bin/env bash
# Only regular files and folders are read: devices, FIFOs and sockets are
# refused without being opened (named, linked to, or met in a folder); an
# unreadable subfolder is reported and skipped, the rest ingested (exit 1);
# an empty folder is fine. Every run is under `timeout`, so a regression
# fails instead of hanging.
. "$(dirname "$0")/../lib.sh"
plan 22

S=$ROOT/samples/s3-export
inv() { q "$1" "select count(*) from invocations"; }
# tm ARGS...: run with a time limit (124 = it would have hung)
tm() { run_t=$T/tm; timeout 20 "$MRB" "$@" >"$run_t.out" 2>"$run_t.err"; RC=$?; ERR=$(cat "$run_t.err"); }

tm --db "$T/zero.db" ingest /dev/zero
is "$RC" 4 "/dev/zero as PATH: refused at once (exit 4), not read forever"
like "$ERR" "error: '/dev/zero' is a character device, not a regular file or folder: not read" "and says what it is"

mkfifo "$T/fifo"
tm --db "$T/fifo.db" ingest "$T/fifo" "$S"
is "$RC" 4 "a FIFO with no writer as PATH: refused, open never blocks"
like "$ERR" "'$T/fifo' is a FIFO, not a regular file or folder" "and named as a FIFO"

ln -s /dev/urandom "$T/random-link"
tm --db "$T/link.db" ingest "$T/random-link"
is "$RC" 4 "a link to /dev/urandom is refused like the device"

one=$(find "$S/dev-benchmark-go" -name '*.gz' | sort | head -1)
tm --db "$T/stdin.db" ingest - <"$one"
is "$RC" 0 "'-' still reads standard input"
tm --db "$T/one.db" ingest "$one"
like "$(inv "$T/stdin.db") = $(inv "$T/one.db")" "^([1-9][0-9]*) = \1$" "(its invocations stored, as from the file)"

# a folder holding good files beside a FIFO, a socket and a link to a device
mkdir -p "$T/mixed/empty-sub"
cp -r "$S" "$T/mixed/good"
mkfifo "$T/mixed/a-fifo"
ln -s /dev/zero "$T/mixed/b-zero"
have_sock=0
if command -v python3 >/dev/null &&
    python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/mixed/c-sock" 2>/dev/null; then
    have_sock=1
fi
tm --db "$T/mixed.db" ingest "$T/mixed"
is "$RC" 1 "special files in a folder: the rest is ingested, exit 1"
is "$(inv "$T/mixed.db")" 100 "every invocation of the good files is stored"
like "$ERR" "error: $T/mixed/a-fifo: a FIFO, not a regular file: not read" "the FIFO is named"
like "$ERR" "error: $T/mixed/b-zero: a character device, not a regular file: not read" "the link to /dev/zero is named"
if [ "$have_sock" = 1 ]; then
    like "$ERR" "error: $T/mixed/c-sock: a socket, not a regular file: not read" "the socket is named"
else
    _n=$((_n + 1)); echo "ok $_n # SKIP no python3 to make a socket"
fi
like "$ERR" "files: 30 read, $((2 + have_sock)) rejected" "the summary counts them as rejected"

# an empty folder (qsort of nothing, under UBSan too)
mkdir "$T/empty"
tm --db "$T/empty.db" ingest "$T/empty"
is "$RC" 0 "an empty folder ingests nothing, exit 0"
like "$ERR" "files: 0 read, 0 rejected, 0 skipped" "and says so"

# an unreadable subfolder. Root reads a chmod 000 folder anyway, so as root
# the binary runs as nobody (setpriv) in a folder nobody owns.
mkdir -p "$T/u/in/locked" "$T/u/in/open"
cp -r "$S/dev-benchmark-go" "$T/u/in/locked/"
cp -r "$S/dev-benchmark-python" "$T/u/in/open/"
chmod 000 "$T/u/in/locked"
as=()
if [ "$(id -u)" = 0 ]; then
    chmod 755 "$T"
    chown -R nobody "$T/u"
    as=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    "${as[@]}" "$MRB" --version >/dev/null 2>&1 || as=(none)
fi
if [ "${as[0]:-}" = none ]; then
    for i in 1 2 3 4 5 6; do _n=$((_n + 1)); echo "ok $_n # SKIP cannot run as nobody to make a folder unreadable"; done
else
    timeout 20 "${as[@]}" "$MRB" --db "$T/u/u.db" ingest "$T/u/in" >"$T/u.out" 2>"$T/u.err"
    RC=$?
    ERR=$(cat "$T/u.err")
    is "$RC" 1 "an unreadable subfolder: exit 1, not 4"
    like "$ERR" "error: $T/u/in/locked: cannot open the folder: Permission denied" "it is named with the reason"
    is "$(inv "$T/u/u.db")" 25 "the rest is ingested (python's 25 invocations)"
    like "$ERR" "files: 4 read, 1 rejected" "the summary counts the folder as rejected"
    timeout 20 "${as[@]}" "$MRB" --db "$T/u/u2.db" ingest "$T/u/in/locked" >"$T/u.out" 2>"$T/u.err"
    is "$?" 4 "an unreadable folder named as PATH is still exit 4"
    like "$(cat "$T/u.err")" "cannot open folder '$T/u/in/locked': Permission denied" "and says why"
fi
chmod 755 "$T/u/in/locked"

tm --db "$T/file.db" ingest "$one" "$T/fifo"
is "$RC $(inv "$T/file.db")" "4 $(inv "$T/one.db")" \
    "a refused PATH is named, the other PATHs are ingested all the same, exit 4"
done_testing
