#!/bin/sh
# run.sh BUILD SECONDS NAME... — links each fuzz harness with libFuzzer
# against BUILD/libmrb.a (made by `make fuzz`), seeds its corpus from
# samples/ (seeds.sh) and runs it for SECONDS on one core. The corpus grows
# in BUILD/corpus/NAME; crashes land in BUILD/crash/NAME-*. Prints one line
# per harness with executions; exits 1 when a harness found a crash.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=$1
SECS=$2
shift 2
FLAGS="-O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 -D_GNU_SOURCE"
LIBS="$(pkg-config --libs jansson sqlite3 zlib) $(pkg-config --libs libisal 2>/dev/null) -lm -pthread"
INC="-I$ROOT/include -I$ROOT/tests/fuzz $(pkg-config --cflags jansson sqlite3 zlib)"
"$ROOT/tests/fuzz/seeds.sh" "$B/seeds" >/dev/null || exit 2
mkdir -p "$B/bin" "$B/crash"
status=0
for n in "$@"; do
    # shellcheck disable=SC2086
    clang $FLAGS $INC "$ROOT/tests/fuzz/fuzz_$n.c" "$ROOT/tests/fuzz/fuzz_common.c" \
        "$B/libmrb.a" $LIBS -o "$B/bin/fuzz_$n" || exit 2
    mkdir -p "$B/corpus/$n"
    cp -n "$B/seeds/$n"/* "$B/corpus/$n/" 2>/dev/null
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
        "$B/bin/fuzz_$n" -max_total_time="$SECS" -max_len=65536 -rss_limit_mb=2048 \
        -timeout=20 -print_final_stats=1 -artifact_prefix="$B/crash/$n-" \
        "$B/corpus/$n" >"$B/fuzz_$n.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz_$n.log")
    cov=$(grep -o 'cov: [0-9]*' "$B/fuzz_$n.log" | tail -1)
    if [ $rc -eq 0 ]; then
        echo "fuzz_$n: ${SECS}s, ${execs:-?} executions, $cov, no crash"
    else
        echo "fuzz_$n: CRASH (exit $rc), see $B/fuzz_$n.log and $B/crash/"
        status=1
    fi
done
exit $status
