# lib.sh — TAP helpers for the end-to-end cases (sourced by tests/cases/*.t).
#
# Each case runs the built binary on real files in a fresh temporary folder
# and checks exit codes, messages and database contents with SQL. Output is
# TAP, so prove runs these beside the cmocka unit binaries.
set -u
export LC_ALL=C TZ=UTC
unset MRB_DB

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${MRB_BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
MRB=$BUILD/mrb-analyze
unset MRB_QUERIES # the built-in queries: what ships
GEN=$BUILD/mrb-gen
T=$(mktemp -d "${TMPDIR:-/tmp}/mrb-case.XXXXXX")
trap 'rm -rf "$T"' EXIT
_n=0
_failed=0
# sanitizer builds keep shadow memory: RSS limits are only checked without
case $BUILD in *asan* | *tsan*) SANITIZED=1 ;; *) SANITIZED=0 ;; esac

plan() { echo "1..$1"; }

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION
    _n=$((_n + 1))
    if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}

is() { # is GOT EXPECTED DESCRIPTION
    _n=$((_n + 1))
    if [ "$1" = "$2" ]; then
        echo "ok $_n - $3"
    else
        echo "not ok $_n - $3"
        printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" | sed '3,$s/^/#   /'
        _failed=$((_failed + 1))
    fi
}

like() { # like TEXT EXTENDED-REGEX DESCRIPTION
    _n=$((_n + 1))
    if printf '%s' "$1" | grep -Eq -- "$2"; then
        echo "ok $_n - $3"
    else
        echo "not ok $_n - $3"
        printf '%s\n' "$1" | head -20 | sed 's/^/#   /'
        echo "#   does not match: $2"
        _failed=$((_failed + 1))
    fi
}

q() { # q DB SQL — one value per line, columns separated by '|'
    sqlite3 -batch -noheader "$1" "$2"
}

# run ARGS...: runs mrb-analyze; sets RC, OUT and ERR.
run() {
    "$MRB" "$@" >"$T/out" 2>"$T/err"
    RC=$?
    OUT=$(cat "$T/out")
    ERR=$(cat "$T/err")
}

# gz_members FILE CONTENT...: writes each CONTENT as its own gzip member.
gz_members() {
    local f=$1
    shift
    : >"$f"
    for c in "$@"; do printf '%b' "$c" | gzip -c >>"$f"; done
}

# rss_under KB LIMIT_KB DESCRIPTION: a peak RSS check, skipped under sanitizers.
rss_under() {
    _n=$((_n + 1))
    if [ "$SANITIZED" = 1 ]; then
        echo "ok $_n # SKIP $3 (sanitizer build)"
    elif [ "$1" -lt "$2" ]; then
        echo "ok $_n - $3"
    else
        echo "not ok $_n - $3"
        _failed=$((_failed + 1))
    fi
}

done_testing() {
    [ "$_failed" -eq 0 ]
}

# s3_events TAG N: N warm invocations as S3-export lines (request ids TAG-1..N).
s3_events() {
    local tag=$1 n=$2 i
    for i in $(seq 1 "$n"); do
        printf '2026-11-25T03:%02d:%02d.000Z START RequestId: %s-%d Version: $LATEST\n\n' $((i / 60 % 60)) $((i % 60)) "$tag" "$i"
        printf '2026-11-25T03:%02d:%02d.050Z END RequestId: %s-%d\n\n' $((i / 60 % 60)) $((i % 60)) "$tag" "$i"
        printf '2026-11-25T03:%02d:%02d.050Z REPORT RequestId: %s-%d\tDuration: %d.25 ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t\n\n' \
            $((i / 60 % 60)) $((i % 60)) "$tag" "$i" "$i" $((i + 1))
    done
}

# cli_events TAG N: the same invocations as filter-log-events JSON.
cli_events() {
    local tag=$1 n=$2 i sep=""
    printf '{\n    "events": [\n'
    for i in $(seq 1 "$n"); do
        local ts=$((1795575600000 + (i / 60 % 60) * 60000 + (i % 60) * 1000))
        printf '%s        {"logStreamName": "2026/11/25/[$LATEST]aaaa", "timestamp": %d, "message": "START RequestId: %s-%d Version: $LATEST\\n"},\n' "$sep" "$ts" "$tag" "$i"
        printf '        {"logStreamName": "2026/11/25/[$LATEST]aaaa", "timestamp": %d, "message": "REPORT RequestId: %s-%d\\tDuration: %d.25 ms\\tBilled Duration: %d ms\\tMemory Size: 512 MB\\tMax Memory Used: 90 MB\\t\\n"}' \
            $((ts + 50)) "$tag" "$i" "$i" $((i + 1))
        sep=$',\n'
    done
    printf '\n    ],\n    "searchedLogStreams": []\n}\n'
}
