#!/usr/bin/env python3
"""bench/peer.py — the script a user could write in an afternoon: the yardstick.

    python3 bench/peer.py DB S3_EXPORT_DIR

Reads every .gz part of a CloudWatch Logs S3 export (sorted, stdlib gzip),
keeps only the REPORT lines (one regex), and stores one row per invocation
with sqlite3 executemany, one transaction. It is what mrb-analyze's ingest is
measured against in `make bench` (issue 13: at least 5x faster). It does far
less than the tool: no START/END/timeouts, no cold starts, no application
lines, no EMF, no attribution beyond the export path's function folder.
Prints "peer: N invocations" so that bench/run.sh can check it counted the
same invocations as the tool."""
import gzip
import os
import re
import sqlite3
import sys

REPORT = re.compile(
    r"^(\S+) REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms\s+"
    r"Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB\s+Max Memory Used: (\d+) MB"
    r"(?:\s+Init Duration: ([\d.]+) ms)?"
)


def parts(root):
    found = []
    for folder, _, names in os.walk(root):
        found.extend(os.path.join(folder, n) for n in names if n.endswith(".gz"))
    return sorted(found)


def rows(root):
    for path in parts(root):
        # <export>/<function>/<task id>/<stream path...>/NNNNNN.gz
        function = os.path.relpath(path, root).split(os.sep)[0]
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as f:
            for line in f:
                if " REPORT " not in line:
                    continue
                m = REPORT.match(line)
                if m:
                    ts, rid, dur, billed, mem, maxmem, init = m.groups()
                    yield (function, rid, ts, float(dur), int(billed), int(mem), int(maxmem),
                           float(init) if init else None)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: peer.py DB S3_EXPORT_DIR")
    db = sqlite3.connect(sys.argv[1])
    db.execute(
        "CREATE TABLE IF NOT EXISTS invocations (function TEXT, request_id TEXT, ts TEXT, "
        "duration_ms REAL, billed_ms INTEGER, memory_mb INTEGER, max_memory_mb INTEGER, "
        "init_ms REAL, UNIQUE (ts, request_id))"
    )
    with db:
        db.executemany("INSERT OR IGNORE INTO invocations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       rows(sys.argv[2]))
    n = db.execute("SELECT count(*) FROM invocations").fetchone()[0]
    db.close()
    print(f"peer: {n} invocations")


if __name__ == "__main__":
    main()
