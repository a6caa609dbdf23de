#!/usr/bin/env bash
# The CLF, CSV and XML access-log presets (FORMATS.md §10) in every export
# shape a user copies logs in: the S3 export (gzip '<ISO> <message>' lines,
# no log group), `aws logs filter-log-events` JSON, NDJSON and a subscription
# DATA_MESSAGE document. The lines are the JSON sample's requests written in
# each preset; each shape and preset must give the JSON preset's request id,
# extended request id, method, resource path, status, response length and
# time (to the second: the presets carry no milliseconds), and NULL for what
# the preset does not carry (latencies, the Lambda RequestId), never a guess.
. "$(dirname "$0")/../lib.sh"
plan 14

SAMPLE=$ROOT/samples/apigw/access/dev-benchmark-api-access.json
"$MRB" --db "$T/json.db" ingest -q "$SAMPLE"
python3 - "$SAMPLE" "$T" <<'PY'
import datetime, gzip, json, os, sys
src, out = sys.argv[1], sys.argv[2]
events = json.load(open(src))["events"][:12]
def preset(kind, m):
    ip, t = "49.177.65.219", m["requestTime"]
    rl = m.get("responseLength", "-")
    if kind == "clf":
        return '%s - - [%s] "%s %s %s" %s %s %s %s' % (ip, t, m["httpMethod"], m["resourcePath"], m["protocol"], m["status"], rl, m["requestId"], m["extendedRequestId"])
    if kind == "csv":
        return ",".join([ip, "-", "-", t, m["httpMethod"], m["resourcePath"], m["protocol"], str(m["status"]), str(rl), m["requestId"], m["extendedRequestId"]])
    return ('<request id="%s"> <extendedRequestId>%s</extendedRequestId> <ip>%s</ip> <caller>-</caller> <user>-</user> '
            '<requestTime>%s</requestTime> <httpMethod>%s</httpMethod> <resourcePath>%s</resourcePath> <status>%s</status> '
            '<protocol>%s</protocol> <responseLength>%s</responseLength> </request>') % (
            m["requestId"], m["extendedRequestId"], ip, t, m["httpMethod"], m["resourcePath"], m["status"], m["protocol"], rl)
group = "/aws/apigateway/benchmark-access"
for kind in ("clf", "csv", "xml"):
    evs = [{"timestamp": e["timestamp"], "message": preset(kind, json.loads(e["message"])), "logStreamName": "access"} for e in events]
    d = os.path.join(out, kind)
    os.makedirs(os.path.join(d, "s3", "exportedlogs", "1a2b", "access"), exist_ok=True)
    with gzip.open(os.path.join(d, "s3", "exportedlogs", "1a2b", "access", "000000.gz"), "wt") as f:
        for e in evs:
            t = datetime.datetime.fromtimestamp(e["timestamp"] / 1000, datetime.timezone.utc)
            f.write(t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ %s\n" % (e["timestamp"] % 1000, e["message"]))
    json.dump({"events": [dict(e, logGroupName=group) for e in evs]}, open(os.path.join(d, "cli.json"), "w"))
    with open(os.path.join(d, "events.ndjson"), "w") as f:
        for e in evs:
            f.write(json.dumps(dict(e, logGroupName=group)) + "\n")
    json.dump({"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": group, "logStream": "access",
               "subscriptionFilters": ["access"], "logEvents": [{"id": str(i), "timestamp": e["timestamp"], "message": e["message"]}
                                                              for i, e in enumerate(evs)]},
              open(os.path.join(d, "subscription.json"), "w"))
open(os.path.join(out, "ids"), "w").write(",".join("'%s'" % json.loads(e["message"])["requestId"] for e in events))
PY
IDS=$(cat "$T/ids")
cols="request_id, extended_request_id, http_method, resource_path, status, response_length_bytes, ts_ms / 1000"
want=$(q "$T/json.db" "SELECT $cols FROM apigw_requests WHERE request_id IN ($IDS) ORDER BY 1")
[ "$(echo "$want" | wc -l)" = 12 ] || echo "# the JSON sample gave $(echo "$want" | wc -l) of 12 requests"
for kind in clf csv xml; do
    for shape in s3 cli.json events.ndjson subscription.json; do
        db=$T/$kind-$shape.db
        "$MRB" --db "$db" ingest -q "$T/$kind/$shape" 2>"$T/err" || true
        [ "$shape" = s3 ] || [ "$shape" = subscription.json ] && continue
        is "$(q "$db" "SELECT $cols FROM apigw_requests ORDER BY 1")" "$want" "$kind in $shape: the JSON preset's values"
    done
    same=1
    for shape in s3 subscription.json; do
        [ "$(q "$T/$kind-$shape.db" "SELECT $cols FROM apigw_requests ORDER BY 1")" = "$want" ] || same=0
    done
    is "$same" 1 "$kind in an S3 export and a subscription document: the same"
    is "$(q "$T/$kind-cli.json.db" "SELECT count(*) FROM apigw_requests WHERE response_latency_ms IS NULL AND integration_request_id IS NULL AND access_format = '$kind'")" 12 \
       "$kind: latencies and the Lambda RequestId unknown (NULL), the preset named"
done
is "$(q "$T/json.db" "SELECT count(*) FROM apigw_requests WHERE request_id IN ($IDS) AND response_latency_ms IS NOT NULL")" 12 \
   "(the JSON preset of the sample does carry the latencies)"
is "$(q "$T/clf-s3.db" "SELECT count(*) FROM invocations")" 0 "no access line is taken for a Lambda line"
done_testing
