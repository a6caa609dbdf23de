#!/usr/bin/env bash
# Every fuzz harness (tests/fuzz) replays its seed corpus (made from
# samples/ by seeds.sh) and the whole bad-input corpus (tests/data/bad)
# without a crash or, in the sanitizer builds, a sanitizer report. This is
# the part of `make fuzz` that needs no libFuzzer.
. "$(dirname "$0")/../lib.sh"
NAMES="lines shapes subscription emf ddb rows jload"
plan 21

"$ROOT/tests/fuzz/seeds.sh" "$T/seeds" >/dev/null
for n in $NAMES; do
    bin=$BUILD/fuzz/fuzz_$n
    seeds=$(ls "$T/seeds/$n" | wc -l)
    ok $([ "$seeds" -ge 5 ] && echo 0 || echo 1) "fuzz_$n: $seeds seeds made from samples/"
    out=$("$bin" "$T/seeds/$n" 2>"$T/err")
    rc=$?
    ok $([ $rc -eq 0 ] && ! grep -Eq 'Sanitizer|runtime error:' "$T/err" && echo 0 || echo 1) \
        "fuzz_$n: replays its seeds ($out)"
    [ $rc -eq 0 ] || sed 's/^/#   /' "$T/err" | head -20
    out=$("$bin" "$ROOT"/tests/data/bad/*/ 2>"$T/err")
    rc=$?
    ok $([ $rc -eq 0 ] && ! grep -Eq 'Sanitizer|runtime error:' "$T/err" && echo 0 || echo 1) \
        "fuzz_$n: replays the bad-input corpus ($out)"
    [ $rc -eq 0 ] || sed 's/^/#   /' "$T/err" | head -20
done
done_testing
