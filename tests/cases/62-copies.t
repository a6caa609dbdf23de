#!/usr/bin/env bash
# Lambda logs as people copy them (FORMATS.md §14, §15): the verbatim
# examples under tests/data/copies, forms built here after the CLIs' code,
# invocations without a time (NULL, known by request id, superseded by a
# timed copy), reports over them, the schema migration, and bad input.
. "$(dirname "$0")/../lib.sh"
plan 47

C=$ROOT/tests/data/copies
ingest1() { # ingest1 DB FILE: one file into a fresh database
    rm -f "$1"
    run --db "$1" ingest "$2"
}
inv="request_id, ts_ms, start_ts_ms, version, duration_ms, billed_ms, memory_mb, max_memory_mb, init_ms, restore_ms, billed_restore_ms, cold_start, status"

# §14.1 aws logs tail (detailed): two environments, streams from the lines
ingest1 "$T/a.db" "$C/logs-tail-detailed.log"
is "$RC|$(q "$T/a.db" "select shape || ' ' || events || ' ' || platform_lines from files")" "0|logs-tail 19 7" "aws logs tail is sniffed as logs-tail"
is "$(q "$T/a.db" "select log_stream, $inv from invocations order by ts_ms")" \
"2025/11/13/[\$LATEST]d238428ccf7e4b03856c3d7181bd5a72|f07f3f34-5f33-5d85-8251-5ebb926d93bb|1763035952023|1763035951196|\$LATEST|826.23|1417|512|96|590.33|||1|success
2025/11/14/[\$LATEST]800effc4b94e41319d2740c273dc02df|a57f6444-9aa3-542d-bd9c-05d43c4cc03e|1763091641050|1763091640452|\$LATEST|597.68|598|512|101||||0|success" \
    "its REPORTs give the invocations, with time, stream, START and cold start"
is "$(q "$T/a.db" "select runtime_version || ' ' || region || ' ' || first_ts_ms from environments order by first_ts_ms limit 1")" \
    "python:3.13.v68 us-east-1 1763035950602" "INIT_START gives the environment's runtime version and region"

# §14.2 --format short: no stream, seconds; the prompt line is reported, not stored
ingest1 "$T/b.db" "$C/logs-tail-short.log"
is "$(q "$T/b.db" "select shape, rejected_records from files")" "logs-tail|1" "the short format is logs-tail; the prompt line is a skipped record"
is "$(q "$T/b.db" "select $inv from invocations")" \
    "d404f4c7-1c53-5e41-a7db-aa2248dee8cd|1718309471000|1718309467000|\$LATEST|3430.49|3431|128|84|282.28|||1|success" \
    "the short format's REPORT, timed to the second"
is "$(q "$T/b.db" "select level || '=' || lines from log_levels")" "INFO=2" "its Python [INFO] lines are application lines"

# §14.3 sam logs: stream first, then the time; JSON re-indented over lines
ingest1 "$T/c.db" "$C/sam-logs-go.log"
is "$(q "$T/c.db" "select shape from files")|$(q "$T/c.db" "select log_stream || ' ' || billed_ms || ' ' || memory_mb || ' ' || ts_ms from invocations")" \
    "sam-logs|2018/10/07/[\$LATEST]68e50ab313c34257844b10666a0c8d62 1700 128 1538937754698" \
    "sam logs (go1.x, a space before a TAB): stream, 100 ms billing, time"
ingest1 "$T/d.db" "$C/sam-logs-python.log"
is "$(q "$T/d.db" "select $inv from invocations")" \
    "cf95e553-6351-4798-98a3-e848d19629f2|1697205855899|1697205855882|\$LATEST|16.83|17|128|44|162.32|||1|success" \
    "sam logs with TABs expanded to spaces: the REPORT is read"
is "$(q "$T/d.db" "select emf_documents || ' ' || emf_rejected from files")|$(q "$T/d.db" "select metric || '=' || value from metric_values")" \
    "1 0|Backups=1.0" "the EMF document sam re-indented over 23 lines is one document again"

# §14.4 decoded LogResult: no time at all; the XRAY line belongs to the REPORT
ingest1 "$T/e.db" "$C/logresult-xray.txt"
is "$(q "$T/e.db" "select shape from files")|$(q "$T/e.db" "select $inv, xray_trace_id, xray_segment_id, xray_sampled from invocations")" \
    "text|780baab8-54f3-4e91-bb8b-7936613f03d4|||\$LATEST|5262.18|5263|128|122|380.85|||1|success|1-605dbc0e-0a12f59838700d840275d1cc|08026845304e5069|1" \
    "a decoded LogResult: the invocation without a time (NULL), X-Ray from the next line"
is "$(q "$T/e.db" "select quote(first_ts_ms) || ' ' || quote(last_ts_ms) || ' ' || invocations || ' ' || cold_starts from environments")" \
    "NULL NULL 1 1" "its environment has no time either"
ingest1 "$T/f.db" "$C/sam-remote-invoke.txt"
is "$(q "$T/f.db" "select request_id || ' ' || quote(ts_ms) || ' ' || duration_ms || ' ' || init_ms from invocations")" \
    "e8ad25b2-9a2c-4c1d-b6fa-5a37b6e61fb1 NULL 4104.72 372.69" "sam remote invoke's tail (cut JSON, terminal padding) gives its REPORT"

# §14.5 --output table; §14.6 console copies (TAB after the time; time on its own line; Insights table)
ingest1 "$T/g.db" "$C/output-table.txt"
is "$(q "$T/g.db" "select request_id || ' ' || ts_ms || ' ' || billed_ms || ' ' || init_ms || ' ' || xray_trace_id || ' ' || xray_sampled from invocations")" \
    "c421f663-0e83-4ec1-8c09-56f40ed74ea1 1753725990606 364 1488.71 1-6887bc24-69a702443d9e988c3411ef70 1" \
    "--output table rows: epoch time cell, REPORT and XRAY on one row"
ingest1 "$T/h.db" "$C/console-tab.txt"
is "$(q "$T/h.db" "select $inv from invocations")" \
    "583a2051-69bc-4c8a-883f-0761b0c11214|1627677506084|1627677505121|\$LATEST|962.54|963|256|72|232.83|||1|success" \
    "console copy <ISO+02:00><TAB><message>: the offset is applied"
ingest1 "$T/i.db" "$C/console-time-lines.txt"
is "$(q "$T/i.db" "select $inv from invocations")|$(q "$T/i.db" "select runtime from functions")" \
    "314220ad-40f4-4204-843c-713576ded59a|1747798168374|1747798167829|\$LATEST|544.92|545|2048|174|1494.57|||1|success|java" \
    "console copy with each time on its own line (INIT_START's TAB a space)"
ingest1 "$T/j.db" "$C/insights-table.md"
is "$(q "$T/j.db" "select shape from files")|$(q "$T/j.db" "select log_stream || ' ' || runtime_version || ' ' || first_ts_ms from environments")" \
    "text|2024/10/24/[\$LATEST]63344b7930bb425bbc3ac9fc89dc3469 nodejs:20.v42 1729814233136" \
    "a Logs Insights table pasted as Markdown: time, message and stream from its cells"

# §15.1 SnapStart: RESTORE_START names the runtime; the REPORT copied again without a time adds nothing
ingest1 "$T/k.db" "$C/snapstart-console.txt"
is "$(q "$T/k.db" "select $inv from invocations")" \
    "5b321b10-9dfa-4a05-b900-c45b96303238|1747837616814|1747837616665|23|149.53|313|3538|163||789.64|163|1|success" \
    "a SnapStart restore: Restore and Billed Restore Duration, cold; one row for two copies of its REPORT"
is "$(q "$T/k.db" "select runtime_version from environments")|$(q "$T/k.db" "select runtime from functions")" \
    "java:21.v38|java" "RESTORE_START gives the runtime version"

# §15.3 REPORT lines with spaces, and a log viewer's time line ("YYYY-MM-DD hh:mm:ss.fff<TAB>")
ingest1 "$T/l.db" "$C/report-spaces.txt"
is "$(q "$T/l.db" "select request_id || ' ' || quote(ts_ms) || ' ' || billed_ms || ' ' || init_ms from invocations")" \
    "bf5f58db-ef7d-4cb2-b3c6-266eba1bbedb NULL 662 265.72" "a REPORT with single spaces for TABs"
ingest1 "$T/m.db" "$C/report-time-line.txt"
is "$(q "$T/m.db" "select ts_ms || ' ' || status || ' ' || billed_ms from invocations")" \
    "1767019001795 timeout 5579" "a time on the line before a REPORT with Status: timeout"

# §14.7 a Logs API batch; §2.1 JSON-format lines without an envelope
ingest1 "$T/n.db" "$C/logs-api-batch.json"
is "$(q "$T/n.db" "select shape || ' ' || events || ' ' || platform_lines || ' ' || other_lines from files")" \
    "telemetry 7 3 4" "a Logs API batch: platform events and function records"
is "$(q "$T/n.db" "select level || '=' || lines from log_levels order by 1")" "ERROR=1
INFO=3" "function records are the function's lines (the Node prefix read; the Python dict by its word)"
ingest1 "$T/o.db" "$C/jsonlog-lines.ndjson"
is "$(q "$T/o.db" "select shape from files")|$(q "$T/o.db" "select $inv from invocations")" \
    "telemetry|d661f7cf-9208-46b9-85b0-213b04a91065|1707468164080|1707468164078|8|1.317|2|1024|68|10.0|||1|success" \
    "JSON-format lines saved without CloudWatch's envelope: platform.report timed by its time"

# a real fixture: aws-cli's own test of `aws logs tail --color on` (no Lambda record in it)
ingest1 "$T/p.db" "$C/aws-cli-tail-color.log"
is "$RC|$(q "$T/p.db" "select shape || ' ' || status || ' ' || events || ' ' || rejected_records from files")" \
    "1|logs-tail ok 1 1" "colour codes are removed; a tail without Lambda lines is still read (its event, timed 1970, is a record problem)"
like "$ERR" "aws-cli-tail-color.log: no Lambda record in this file: not one of its events is a START, END, REPORT" \
    "and the file is reported as yielding no Lambda record"

# --output text (awscli/text.py): EVENTS rows, the time column after each message's newline
R='REPORT RequestId: ot-1\tDuration: 10.50 ms\tBilled Duration: 11 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\t'
printf "EVENTS\t00037460758713318543906163052290069498893116318418337792\t1795575600500\t2026/11/25/[\$LATEST]aa\tSTART RequestId: ot-1 Version: \$LATEST\n\t1795575600100\nEVENTS\t00037460758713318543906163052290069498893116318418337793\t1795575600600\t2026/11/25/[\$LATEST]aa\t$R\n\t1795575600300\n" >"$T/filter.txt"
ingest1 "$T/q.db" "$T/filter.txt"
is "$(q "$T/q.db" "select shape from files")|$(q "$T/q.db" "select log_stream || ' ' || ts_ms || ' ' || start_ts_ms || ' ' || billed_ms from invocations")" \
    "logs-text|2026/11/25/[\$LATEST]aa 1795575600300 1795575600100 11" "filter-log-events --output text: stream column, time from the next line"
printf "b/123\tf/456\nEVENTS\t1795575600600\t$R\n\t1795575600300\nEVENTS\t1795575600700\tno newline\t1795575600400\n" >"$T/get.txt"
ingest1 "$T/r.db" "$T/get.txt"
is "$(q "$T/r.db" "select shape || ' ' || events from files")|$(q "$T/r.db" "select request_id || ' ' || ts_ms from invocations")" \
    "logs-text 2|ot-1 1795575600300" "get-log-events --output text: the tokens row first, a message without a newline"
printf "START RequestId: m-1 Version: \$LATEST\n\tEND RequestId: m-1\n\t$R\n" | sed 's/ot-1/m-1/' >"$T/messages.txt"
ingest1 "$T/s.db" "$T/messages.txt"
is "$(q "$T/s.db" "select shape from files")|$(q "$T/s.db" "select request_id || ' ' || quote(ts_ms) || ' ' || version from invocations")" \
    "text|m-1 NULL \$LATEST" "--query 'events[].message' --output text: messages joined by TAB"
printf "1795575600100\tSTART RequestId: e-1 Version: 3\n\n1795575600300\t$R\n\n" | sed 's/ot-1/e-1/' >"$T/pairs.txt"
ingest1 "$T/t.db" "$T/pairs.txt"
is "$(q "$T/t.db" "select request_id || ' ' || ts_ms || ' ' || start_ts_ms || ' ' || version from invocations")" \
    "e-1 1795575600300 1795575600100 3" "--query 'events[*].[timestamp,message]' --output text: epoch ms first"

# plain text indented, with CRLF, and REPORTs whose separators are literal \t or runs of spaces
printf '    START RequestId: p-1 Version: $LATEST\r\n    REPORT RequestId: p-1\\tDuration: 2.25 ms\\tBilled Duration: 3 ms\\tMemory Size: 128 MB\\tMax Memory Used: 60 MB\\t\\n\r\n    REPORT RequestId: p-2    Duration: 4.50 ms    Billed Duration: 5 ms    Memory Size: 128 MB    Max Memory Used: 61 MB\r\n' >"$T/plain.txt"
ingest1 "$T/u.db" "$T/plain.txt"
is "$(q "$T/u.db" "select request_id || ' ' || coalesce(version, '-') || ' ' || duration_ms || ' ' || billed_ms || ' ' || max_memory_mb from invocations order by 1")" \
    "p-1 \$LATEST 2.25 3 60
p-2 - 4.5 5 61" "indented CRLF text; literal \\t separators; runs of spaces"

# Telemetry API: arrays back to back, NDJSON, function records
TEL='[{"time":"2026-11-25T03:00:00.000Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs:20.v33","runtimeVersionArn":"arn:aws:lambda:eu-west-1::runtime:ab"}},{"time":"2026-11-25T03:00:00.500Z","type":"platform.start","record":{"requestId":"t-1","version":"$LATEST"}},{"time":"2026-11-25T03:00:00.510Z","type":"function","record":"2026-11-25T03:00:00.510Z\tt-1\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\",\"errorMessage\":\"boom\"}\n"}]'
TEL2='[{"time":"2026-11-25T03:00:00.600Z","type":"platform.report","record":{"requestId":"t-1","status":"error","errorType":"TypeError","metrics":{"durationMs":100.0,"billedDurationMs":100.0,"memorySizeMB":256.0,"maxMemoryUsedMB":70.0,"initDurationMs":150.5}}}]'
printf '%s\n%s\n' "$TEL" "$TEL2" >"$T/tel.json"
ingest1 "$T/v.db" "$T/tel.json"
is "$(q "$T/v.db" "select shape from files")|$(q "$T/v.db" "select $inv, error_type, app_errors, first_error_message from invocations")" \
    "telemetry|t-1|1795575600600|1795575600500|\$LATEST|100.0|100|256|70|150.5|||1|error|TypeError|1|boom" \
    "Telemetry API batches back to back: metrics as floats, the function's ERROR line counted"
printf '%s\n' "$TEL" "$TEL2" | sed 's/^\[//; s/\]$//; s/},{"time"/}\n{"time"/g' >"$T/tel.ndjson"
ingest1 "$T/w.db" "$T/tel.ndjson"
is "$(q "$T/w.db" "select shape from files")|$(q "$T/w.db" "select $inv, error_type, app_errors from invocations")" \
    "telemetry|t-1|1795575600600|1795575600500|\$LATEST|100.0|100|256|70|150.5|||1|error|TypeError|1" \
    "the same events as NDJSON (the TCP delivery) give the same row"

# untimed copies: known by request id; a timed copy supersedes; reports say so
run --db "$T/e.db" ingest "$C/logresult-xray.txt"
cp "$C/logresult-xray.txt" "$T/again.txt" # the same bytes: --reread, or the file itself is known
run --db "$T/e.db" ingest --reread "$T/again.txt"
is "$(q "$T/e.db" "select count(*) from invocations")|$(q "$T/e.db" "select invocations_new || ' ' || invocations_known from files order by file_id")" \
    "1|1 0
0 1" "the same untimed invocation ingested again from another file is known"
run --db "$T/e.db" report --out "$T/rep-all"
like "$(cat "$T/rep-all/report.md")" "1 of these invocations was copied without a time \(no timestamp in the input\): counted in every table" \
    "an all-time report counts the untimed invocation and says so"
like "$(cat "$T/rep-all/summary.json")" '"untimed_invocations": 1' "(and in summary.json)"
like "$(cat "$T/rep-all/report.md")" '^\| unknown \| 1 \| 1 \| 100\.0 \|' "the overview counts it"
run --db "$T/e.db" report --day 2021-03-25 --out "$T/rep-day"
like "$(cat "$T/rep-day/report.md")" "1 invocation copied without a time \(no timestamp in the input\) is not in this selection" \
    "a day's report says it leaves the untimed invocation out"
printf '{"logStreamName":"2021/03/25/[$LATEST]x","timestamp":1616755726000,"message":"REPORT RequestId: 780baab8-54f3-4e91-bb8b-7936613f03d4\\tDuration: 5262.18 ms\\tBilled Duration: 5263 ms\\tMemory Size: 128 MB\\tMax Memory Used: 122 MB\\tInit Duration: 380.85 ms\\t\\n"}\n' >"$T/timed.ndjson"
run --db "$T/e.db" ingest "$T/timed.ndjson"
is "$(q "$T/e.db" "select count(*) || ' ' || quote(ts_ms) || ' ' || log_stream from invocations")" \
    "1 1616755726000 2021/03/25/[\$LATEST]x" "a timed copy of the same invocation supersedes the untimed row"
run --db "$T/e.db" ingest "$C/report-spaces.txt" "$T/again.txt"
cp "$C/logresult-xray.txt" "$T/third.txt"
run --db "$T/e.db" ingest "$T/third.txt"
is "$(q "$T/e.db" "select count(*) || ' ' || count(ts_ms) from invocations")" "2 1" \
    "an untimed copy of an invocation stored with a time adds nothing"

# the migration to the untimed schema (8 -> 9) keeps rows; the constraint is gone afterwards
ingest1 "$T/mig.db" "$C/logs-tail-detailed.log"
sqlite3 "$T/mig.db" "DROP VIEW request_paths; DROP TABLE apigw_requests;
  DROP INDEX IF EXISTS invocations_request_id; DROP INDEX IF EXISTS invocations_xray_trace_id;
  DROP INDEX invocations_untimed; PRAGMA writable_schema=ON;
  UPDATE sqlite_schema SET sql = replace(sql, '  ts_ms INTEGER,', '  ts_ms INTEGER NOT NULL,') WHERE name = 'invocations';
  UPDATE sqlite_schema SET sql = replace(replace(sql, 'first_ts_ms INTEGER,', 'first_ts_ms INTEGER NOT NULL,'), 'last_ts_ms INTEGER,', 'last_ts_ms INTEGER NOT NULL,') WHERE name = 'environments';
  PRAGMA writable_schema=RESET; PRAGMA user_version = 8;"
like "$(q "$T/mig.db" "select sql from sqlite_schema where name = 'invocations'")" "  ts_ms INTEGER NOT NULL," "(a version-8 database made for the test)"
run --db "$T/mig.db" ingest "$C/logresult-xray.txt"
is "$RC|$(q "$T/mig.db" "pragma user_version")|$(q "$T/mig.db" "pragma integrity_check")|$(q "$T/mig.db" "select count(*) || ' ' || count(ts_ms) from invocations")|$(q "$T/mig.db" "select count(*) from environments where first_ts_ms is null")" \
    "0|$(grep -o 'STORE_SCHEMA_VERSION [0-9]*' "$ROOT/include/mrb/store.h" | cut -d' ' -f2)|ok|3 2|1" \
    "migrating 8 -> 9 (and on to the current version) keeps the rows and then stores an untimed invocation"

# shapes stay where they were: an S3 export with Node.js lines, CloudWatch NDJSON
printf '2026-11-25T03:00:00.000Z 2026-11-25T03:00:00.000Z\tid-1\tINFO\thello\n\n2026-11-25T03:00:00.100Z REPORT RequestId: id-1\tDuration: 1.00 ms\t\n' >"$T/s3part"
ingest1 "$T/x.db" "$T/s3part"
is "$(q "$T/x.db" "select shape from files")" "s3-export" "an S3 export whose first message is a Node.js line stays s3-export"
printf '{"timestamp":1795575600100,"message":"{\\"timestamp\\":\\"2026-11-25T03:00:00Z\\",\\"level\\":\\"INFO\\"}"}\n' >"$T/cw.ndjson"
ingest1 "$T/y.db" "$T/cw.ndjson"
is "$(q "$T/y.db" "select shape from files")" "ndjson" "CloudWatch NDJSON with JSON-format messages stays ndjson"

# bad input: a broken batch is named with its line, nothing of it stays, the rest is read
mkdir -p "$T/bad"
printf '[{"time":"2026-11-25T03:00:00.500Z","type":"platform.start","record":{"requestId":"b-1"}},\n{"time":"2026-11-25T03:00:00.600Z","type":"platform.report","record":{"requestId":"b-1","metrics":{"durationMs":1.0}}},\n{"time": oops}]\n' >"$T/bad/a-batch.json"
cp "$C/console-tab.txt" "$T/bad/b-good.txt"
printf 'hello\nthis is just text\n' >"$T/bad/c-prose.txt"
run --db "$T/z.db" ingest "$T/bad"
is "$RC" 1 "exit 1 when a file is rejected"
like "$ERR" "a-batch.json:3: .*invalid JSON in a Telemetry API event" "a broken batch is named with file and line"
like "$ERR" "c-prose.txt:1: not a log export this tool knows, and no Lambda record \(START, END, REPORT, ...\) in its first 24 bytes" \
    "text without a Lambda line is refused with the reason"
is "$(q "$T/z.db" "select request_id from invocations")|$(q "$T/z.db" "select status from files order by path")" \
    "583a2051-69bc-4c8a-883f-0761b0c11214|rejected
ok
rejected" "nothing of the broken batch is stored; the good file is"

exit $((_failed > 0))
