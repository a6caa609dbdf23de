#!/usr/bin/env bash
# API Gateway logs end to end: the four access-log presets and custom JSON,
# execution logs in the 2019 prefixed form (FORMATS.md §11.4 (b), verbatim,
# as a subscription payload and as an S3 export) and the unprefixed 2016 form,
# merged per request; the samples joined to their Lambda invocations; bad
# lines reported with file and line and not stored; a damaged file stores
# nothing; ingesting twice adds nothing; the report's End to end section.
. "$(dirname "$0")/../lib.sh"
plan 19

D=$ROOT/tests/data/apigw
RID=286364ab-3a83-11e9-8dc8-db3cf4c83204
# ev GROUP TS MESSAGE: one NDJSON event (MESSAGE JSON-escaped by the caller)
ev() { printf '{"timestamp":%s,"logStreamName":"s","logGroupName":"%s","message":"%s"}\n' "$2" "$1" "$3"; }
A=/aws/apigateway/benchmark-access
{
    ev $A 1624926530500 '49.177.65.219 -  - [29/Jun/2021:00:28:50 +0000] \"GET /go/items HTTP/1.1\" 200 115 aaaaaaaa-0000-4000-8000-000000000001 clfXID='
    ev $A 1624926530500 '49.177.65.219,-,-,29/Jun/2021:00:28:50 +0000,GET,/python/items,HTTP/1.1,404,20,aaaaaaaa-0000-4000-8000-000000000002,csvXID='
    ev $A 1624926530500 '<request id=\"aaaaaaaa-0000-4000-8000-000000000003\"> <extendedRequestId>xmlXID=</extendedRequestId> <ip>49.177.65.219</ip> <caller>-</caller> <user>-</user> <requestTime>29/Jun/2021:00:28:50 +0000</requestTime> <httpMethod>POST</httpMethod> <resourcePath>/kotlin/items</resourcePath> <status>201</status> <protocol>HTTP/1.1</protocol> <responseLength>7</responseLength> </request>'
    ev $A 1624926530500 '{ \"requestId\":\"aaaaaaaa-0000-4000-8000-000000000004\", \"extendedRequestId\":\"jsonXID=\", \"ip\": \"49.177.65.219\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":\"29/Jun/2021:00:28:50 +0000\", \"httpMethod\":\"GET\", \"resourcePath\":\"/typescript/health\", \"status\":\"200\", \"protocol\":\"HTTP/1.1\", \"responseLength\":\"2\" }'
    ev $A 1624926530500 '{\"requestId\":\"aaaaaaaa-0000-4000-8000-000000000005\",\"requestTimeEpoch\":1624926530160,\"httpMethod\":\"GET\",\"path\":\"/dev/go/items/7\",\"stage\":\"dev\",\"status\":504,\"responseLatency\":29004,\"integration\":{\"latency\":29000,\"requestId\":\"71952965-d5cc-4974-ae08-6e2138b2275c\"},\"xrayTraceId\":\"1-5c7674f4-a3491d0a9c8012c191821b83\",\"error\":{\"message\":\"Endpoint request timed out\"}}'
} >"$T/access.ndjson"
run ingest --db "$T/db" "$T/access.ndjson"
is "$RC" 0 "access presets ingest"
is "$(q "$T/db" "select request_id, extended_request_id, http_method, coalesce(resource_path, path), status, coalesce(response_length_bytes, '-'), ts_ms, access_format, route_runtime from apigw_requests order by request_id")" \
"aaaaaaaa-0000-4000-8000-000000000001|clfXID=|GET|/go/items|200|115|1624926530000|clf|go
aaaaaaaa-0000-4000-8000-000000000002|csvXID=|GET|/python/items|404|20|1624926530000|csv|python
aaaaaaaa-0000-4000-8000-000000000003|xmlXID=|POST|/kotlin/items|201|7|1624926530000|xml|kotlin
aaaaaaaa-0000-4000-8000-000000000004|jsonXID=|GET|/typescript/health|200|2|1624926530000|json|typescript
aaaaaaaa-0000-4000-8000-000000000005||GET|/dev/go/items/7|504|-|1624926530160|json|go" \
    "CLF, CSV, XML, JSON presets and custom nested JSON: one row each"
is "$(q "$T/db" "select response_latency_ms, integration_latency_ms, integration_request_id, xray_trace_id, error_message from apigw_requests where status = 504")" \
    "29004.0|29000.0|71952965-d5cc-4974-ae08-6e2138b2275c|1-5c7674f4-a3491d0a9c8012c191821b83|Endpoint request timed out" \
    "custom JSON: latencies, the Lambda RequestId, the trace id and the error"
is "$(q "$T/db" "select count(*) from invocations")" 0 "no access line is taken for a Lambda line"

# §11.4 (b) verbatim, as a subscription payload and as an S3 export copy
run ingest --db "$T/db2" "$D/exec-2019-subscription.json"
is "$RC" 0 "execution log (subscription payload) ingests"
R=$(q "$T/db2" "select request_id, extended_request_id, api_id, stage, status, integration_latency_ms, integration_status, integration_request_id, xray_trace_id, ts_ms, from_execution, from_access from apigw_requests")
is "$R" "$RID|Vwc2MGFUrPEFV_g=|uwe3g5jm54|Prod|502|11029.0|200|71952965-d5cc-4974-ae08-6e2138b2275c|1-5c7674f4-a3491d0a9c8012c191821b83|1551267060000|1|0" \
    "the request's lines merge into one row"
mkdir -p "$T/s3/exportedlogs/e369853df766fa44e1ed0ff613f563bd"
python3 -c '
import json,sys,datetime
d=json.load(open(sys.argv[1]))
for e in d["logEvents"]:
    t=datetime.datetime.fromtimestamp(e["timestamp"]/1000, datetime.timezone.utc)
    print(t.strftime("%Y-%m-%dT%H:%M:%S.")+"%03dZ"%(e["timestamp"]%1000), e["message"])
' "$D/exec-2019-subscription.json" | gzip -c >"$T/s3/exportedlogs/e369853df766fa44e1ed0ff613f563bd/000000.gz"
run ingest --db "$T/db3" "$T/s3"
is "$(q "$T/db3" "select request_id, status, integration_request_id, xray_trace_id from apigw_requests")" \
    "$RID|502|71952965-d5cc-4974-ae08-6e2138b2275c|1-5c7674f4-a3491d0a9c8012c191821b83" \
    "the same lines from an S3 export (no log group: the prefix decides)"
run ingest --db "$T/db2" "$T/s3"
is "$(q "$T/db2" "select count(*), max(status) from apigw_requests")" "1|502" \
    "the same request in another shape adds nothing"

# §11.4 (a): the unprefixed form, only in an execution-log group
G=API-Gateway-Execution-Logs_ulhoxnm2x2/dev
{
    ev $G 1475319345602 'Verifying Usage Plan for request: 9ac0eacd-87c5-11e6-b30c-19c3d9849330. API Key: **********************************bMZHBg API Stage: ulhoxnm2x2/dev'
    ev $G 1475319345611 'Starting execution for request: 9ac0eacd-87c5-11e6-b30c-19c3d9849330'
    ev $G 1475319345611 'HTTP Method: POST, Resource Path: /repos/hello'
    ev $G 1475319345611 'Method request path: {id=hello}'
    ev $G 1475319345700 'Endpoint response headers: {x-amzn-Remapped-Content-Length=0, x-amzn-RequestId=953898c1-87c5-11e6-8bfd-9d908893e99b, Connection=keep-alive, Content-Length=61, X-Amz-Function-Error=Handled, Date=Sat, 01 Oct 2016 10:55:36 GMT, Content-Type=application/json}'
    ev $G 1475319345701 'Method completed with status: 400'
} >"$T/exec2016.ndjson"
run ingest --db "$T/db4" "$T/exec2016.ndjson"
is "$(q "$T/db4" "select request_id, http_method, resource_path, status, integration_request_id, api_id, stage from apigw_requests")" \
    "9ac0eacd-87c5-11e6-b30c-19c3d9849330|POST|/repos/hello|400|953898c1-87c5-11e6-8bfd-9d908893e99b|ulhoxnm2x2|dev" \
    "2016 form: unprefixed lines join the request their stream started"

# bad lines: reported with file and line, not stored; the rest is
{
    ev $A 1624926530500 '{\"requestId\":\"bbbbbbbb-0000-4000-8000-000000000001\",\"httpMethod\":\"GET\",\"status\":\"abc\"}'
    ev $A 1624926530500 '{\"requestId\":\"bbbbbbbb-0000-4000-8000-000000000002\",\"httpMethod\":\"GET\",\"status\":200}'
    ev $A 1624926530500 '49.177.65.219 - - [29/Jun/2021:00:28:50 +0000] \"GET /echo HTTP/1.1\" 502'
    ev $G 1475319336480 'Method completed with status: 200'
} >"$T/bad.ndjson"
run ingest --db "$T/db5" "$T/bad.ndjson"
like "$ERR" "bad.ndjson:1: access log: a status, length, latency or epoch field is not a number" "a bad number is named with file and line"
like "$ERR" "bad.ndjson:3: access log \\(CLF\\): fewer than" "a short CLF line is named"
like "$ERR" "bad.ndjson:4: API Gateway execution line before any 'Starting execution" "an orphan unprefixed line is named"
is "$(q "$T/db5" "select group_concat(request_id) from apigw_requests")" "bbbbbbbb-0000-4000-8000-000000000002" \
    "only the good line is stored"
head -c 900 "$D/exec-2019-subscription.json" >"$T/cut.json"
run ingest --db "$T/db6" "$T/cut.json"
is "$(q "$T/db6" "select count(*) from apigw_requests")" 0 "a damaged document stores nothing"

# the samples: every request with a Lambda call joins its invocation
run ingest --db "$T/s" "$ROOT/samples/cli-json" "$ROOT/samples/apigw"
is "$(q "$T/s" "select runtime, count(*), sum(joined_by = 'integration_request_id'), sum(joined_by = 'xray_trace_id'), sum(invocation_id is null) from request_paths group by runtime order by runtime")" \
"go|27|22|3|2
kotlin|27|22|3|2
python|27|22|3|2
typescript|27|22|3|2" "samples: 25 requests per runtime join their invocation, 3 of them by trace id"
is "$(q "$T/s" "select distinct status || ' ' || unmatched_why from request_paths where invocation_id is null")" \
    "429 rejected by API Gateway before the integration" "the unmatched are the throttled, and say why"
run ingest --db "$T/s" "$ROOT/samples/apigw"
is "$(q "$T/s" "select count(*) from apigw_requests")" 108 "ingesting again adds nothing"
run report --db "$T/s" -o "$T/rep" --no-plots
like "$(cat "$T/rep/report.md")" "## End to end" "the report has the End to end section"
is "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["sections"]; print(len(d["end_to_end"]["runtimes"]), len(d["cost_e2e"]), d["cost_e2e"][0]["apigw_per_1m_usd"])' "$T/rep/summary.json")" \
    "4 4 3.5" "summary.json: end_to_end and cost_e2e per runtime, API Gateway at \$3.50 per 1M"
done_testing
