#!/usr/bin/env bash
# A full disk: the database on a 2 MB tmpfs (when root may mount one; the
# case is skipped otherwise). Ingest stops with a clear error and exit 3;
# the database passes integrity_check and holds whole files only; with room
# again, a re-run completes it.
. "$(dirname "$0")/../lib.sh"
plan 7

skip_all() {
    for i in $(seq 1 7); do echo "ok $i # SKIP $1"; done
    exit 0
}
[ "$(id -u)" = 0 ] || skip_all "not root: cannot mount a small tmpfs to fill"
mkdir "$T/mnt"
mount -t tmpfs -o size=2m tmpfs "$T/mnt" 2>/dev/null || skip_all "mount -t tmpfs is not allowed here"
trap 'umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT

"$GEN" --out "$T/gen" --shape s3-export --invocations 1500 >/dev/null 2>&1
DB=$T/mnt/db
run --db "$DB" ingest "$T/gen/s3-export"
is "$RC" 3 "a full disk: exit 3 (database error)"
like "$ERR" "mrb-analyze: error: .*(database or disk is full|disk I/O error)" "the error says the disk is full"
is "$(q "$DB" "pragma integrity_check")" ok "the database passes integrity_check"
whole="select (select count(*) from invocations) = (select coalesce(sum(invocations_new), 0) from files)
          and (select count(*) from files where status = 'loading') = 0"
is "$(q "$DB" "$whole")" 1 "it holds whole files only"
stored=$(q "$DB" "select count(*) from files")
ok "$([ "$stored" -lt "$(find "$T/gen/s3-export" -type f | wc -l)" ] && echo 0 || echo 1)" \
   "(the disk filled before the end: $stored files stored)"
# room again: the rest is read, the totals are those of a full ingest
mount -o remount,size=64m "$T/mnt"
run --db "$DB" ingest -q "$T/gen/s3-export"
is "$RC" 0 "with room again, a re-run succeeds"
is "$(q "$DB" "select count(*) from invocations")" "$((4 * 1500))" "and every invocation is stored once"
done_testing
