#!/usr/bin/env bash
# 33-gen-bytes.t — mrb-gen writes the same bytes for the same arguments.
#
# The digests below were recorded from the single-file generator
# (bench/mrb-gen.c) before it was split into bench/gen/; the split, and any
# later change to the generator that is not meant to change its output, must
# keep them. Each set digests every file written (path and sha256, in C
# order) and the summary lines on stderr. Every shape, every option.
. "$(dirname "$0")/../lib.sh"
plan 14

digest() { # digest DIR: one sha256 over the sorted (sha256, path) list
    (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-64
}

check() { # check N EXPECTED-FILES EXPECTED-STDERR ARGS...
    local n=$1 files=$2 err=$3
    shift 3
    "$GEN" --out "$T/g$n" "$@" 2>"$T/g$n.err"
    ok $? "set $n: mrb-gen $* exits 0"
    is "$(digest "$T/g$n")" "$files" "set $n: the same files, byte for byte"
    is "$(sha256sum <"$T/g$n.err" | cut -c1-64)" "$err" "set $n: the same summary on stderr"
    rm -rf "$T/g$n"
}

check 1 06a122c83d1bb00e57bf51097276905137bd22503fcced646aa856ff13e9ad44 \
    ccfc5a6ae9e037a5e032677a1d98f14f8d3ba0424a0a1985fc5efac4607d68a4 \
    --shape all --invocations 90 --timeouts 3 --ooms 2 --emf --ddb --seed 7
check 2 9c944df406497c90c51625d4dd0f3fe4751d7675eedcc1c4827505f72be4f6c9 \
    3b67592ab52c2ca652592e84776f7ab66320300a15b753f6486655462c0387e7 \
    --shape all --invocations 60 --emf-heavy --emf-plain --single-doc --level 1 --seed 3 \
    --slower go=20 --slower python=5 --day 2026-01-31 --streams 3
check 3 fe22d6cb45d5deaa43afdb2a77959cf28080af6e466ccced0ea19e6be26a3329 \
    b1c332d412990f19600231c63d1f232ee6d2d0ebf02c6292c5c49f959c1cabdb \
    --shape firehose,s3-export,jsonlog --mb 2 --part-mb 1 --object-mb 1 --ddb
check 4 65ff7b8ebc6c8e16d9c6c325e9e7d72153e9c2c45cc606ff5128af5425a15921 \
    02886ffd0e054ab84ee280246821b1eceb8a712d91eb9e0556d0f28b79102c99 \
    --shape both --invocations 40

is "$("$GEN" --help | sha256sum | cut -c1-64)" \
    4be3e8eddda70c9bb33d37c311926950ae409d29c9fbd041300edcc667f7404e "--help: the same text"
"$GEN" --out "$T/x" --bogus 2>"$T/err"
is "$?:$(cat "$T/err")" "1:mrb-gen: error: unknown or incomplete option '--bogus' (try 'mrb-gen --help')" \
    "misuse: the same message and exit status"
done_testing
