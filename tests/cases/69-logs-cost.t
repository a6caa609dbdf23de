#!/usr/bin/env bash
# The CloudWatch Logs ingestion cost: ingest counts each function's log
# events and their message bytes per file (log_volume, schema 14), platform
# lines and the function's own, not API Gateway's; re-ingest adds nothing;
# the whole-stack cost prices those bytes per invocation in the runtime's
# region.
. "$(dirname "$0")/../lib.sh"
plan 7

ev() { printf '{"timestamp":%s,"logStreamName":"2026/11/25/[$LATEST]abc","logGroupName":"/aws/lambda/%s","message":"%s"}\n' "$2" "$1" "$3"; }
{
    ev dev-python 1795575600000 'START RequestId: 0d0f4d47-5e6b-4f2e-9a57-111111111111 Version: $LATEST\\n'
    ev dev-python 1795575600005 '[INFO]\\t2026-11-25T03:00:00.005Z\\t0d0f4d47-5e6b-4f2e-9a57-111111111111\\tcaf\\u00e9 served\\n'
    ev dev-python 1795575600010 'END RequestId: 0d0f4d47-5e6b-4f2e-9a57-111111111111\\n'
    ev dev-python 1795575600011 'REPORT RequestId: 0d0f4d47-5e6b-4f2e-9a57-111111111111\\tDuration: 10.00 ms\\tBilled Duration: 10 ms\\tMemory Size: 512 MB\\tMax Memory Used: 80 MB\\t\\n'
} >"$T/py.ndjson"
# the messages' UTF-8 bytes, decoded as CloudWatch stored them
want=$(python3 -c 'import json,sys
print(sum(len(json.loads(l)["message"].encode()) for l in open(sys.argv[1])))' "$T/py.ndjson")

run --db "$T/db" ingest "$T/py.ndjson"
is "$RC" 0 "ingest exits 0"
is "$(q "$T/db" "SELECT function, events, message_bytes, invocations, first_ts_ms, last_ts_ms FROM log_volume")" \
   "dev-python|4|$want|1|1795575600000|1795575600011" \
   "four events (END included), their message bytes (é as two) and the one invocation"
run --db "$T/db" ingest "$T/py.ndjson"
is "$(q "$T/db" "SELECT sum(events) || ' ' || sum(message_bytes) FROM log_volume")" "4 $want" "ingesting the file again adds nothing"

# the samples: API Gateway's own lines are not a function's volume
S=$ROOT/samples
"$MRB" --db "$T/s.db" ingest -q "$S/s3-export" "$S/apigw" || [ $? -le 1 ] || echo "# ingest failed"
is "$(q "$T/s.db" "SELECT count(*) FROM log_volume WHERE function NOT IN (SELECT function FROM functions)")" 0 \
   "every row names a Lambda function (API Gateway's lines are not counted)"
run --db "$T/s.db" report --no-plots --out "$T/r"
got=$(python3 -c 'import json,sys
print(" ".join("%s=%s" % (r["runtime"], r["logs_per_1m_usd"]) for r in json.load(open(sys.argv[1]))["sections"]["cost_e2e"]))' "$T/r/summary.json")
# by hand: bytes per REPORT line in the files, times invocations per request, per GB (2^30) at $0.50
want=$(q "$T/s.db" "SELECT group_concat(r || '=' || printf('%.4f', 1e6 * b / n * ni / nr / 1073741824.0 * 0.50), ' ') FROM (
   SELECT f.runtime AS r, sum(v.message_bytes) AS b,
          sum(v.invocations) AS n,
          (SELECT count(*) FROM request_paths p WHERE p.runtime = f.runtime AND p.invocation_id IS NOT NULL) AS ni,
          (SELECT count(*) FROM request_paths p WHERE p.runtime = f.runtime) AS nr
   FROM log_volume v JOIN functions f USING (function) GROUP BY f.runtime ORDER BY 1)")
is "$(echo "$got" | tr ' ' '\n' | sort | sed 's/=\([0-9.]*\)$/=\1/' | awk -F= '{ printf "%s=%.4f ", $1, $2 }')" "$(echo "$want" | tr ' ' '\n' | sort | awk -F= '{ printf "%s=%.4f ", $1, $2 }')" \
   "the whole stack's logs per 1M requests: message bytes per invocation x invocations per request, per GB at us-east-1's \$0.50"
# the same night read in two shapes: bytes and invocations both count twice, the price per request stays
"$MRB" --db "$T/s.db" ingest -q "$S/cli-json" || [ $? -le 1 ] || echo "# ingest 2 failed"
run --db "$T/s.db" report --no-plots --out "$T/r2"
got2=$(python3 -c 'import json,sys
print(" ".join("%s=%s" % (r["runtime"], r["logs_per_1m_usd"]) for r in json.load(open(sys.argv[1]))["sections"]["cost_e2e"]))' "$T/r2/summary.json")
is "$got2" "$got" "the same night in a second shape does not change the logs' price per request"
like "$(grep -c 'Not priced (NULL above): DynamoDB reads' "$T/r/report.md")" "^1$" "DynamoDB reads stay unpriced, and the report says why"
done_testing
