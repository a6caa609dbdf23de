-- samples-traces.sql — X-Ray traces and CloudWatch metrics consistent with samples/.
--
-- Run by bench/samples-traces.sh on a database that holds the samples' Lambda logs:
-- every output row is "PATH<TAB>JSON", one file each. Everything is derived from the
-- stored invocations (trace ids, request ids, times, durations, init), so the traces
-- and metrics join the logs exactly; the DynamoDB call of each invocation gets a
-- deterministic operation and latency (per runtime: the SDKs differ).
WITH inv AS (
  SELECT i.*, row_number() OVER (PARTITION BY function ORDER BY ts_ms, request_id) AS n,
    substr(xray_trace_id, 12) AS hex,
    coalesce(start_ts_ms, ts_ms) / 1000.0 AS t0,
    CASE runtime WHEN 'python' THEN 6.0 WHEN 'typescript' THEN 5.0 WHEN 'go' THEN 3.5
                 ELSE 4.5 END AS ddb_base_ms
  FROM invocations i WHERE xray_trace_id IS NOT NULL
),
call AS (
  SELECT inv.*,
    CASE n % 4 WHEN 0 THEN 'PutItem' WHEN 1 THEN 'GetItem' WHEN 2 THEN 'Query'
               ELSE 'UpdateItem' END AS op,
    round(ddb_base_ms + (instr('0123456789abcdef', substr(hex, 24, 1)) - 1) * 0.35
          + CASE WHEN n % 4 = 2 THEN 2.0 ELSE 0 END, 3) AS ddb_ms
  FROM inv
),
seg AS (
  SELECT function, n, json_object('Id', xray_trace_id,
    'Duration', round((duration_ms + coalesce(init_ms, 0) + 3) / 1000.0, 3),
    'Segments', json_array(
      json_object('Id', substr(hex, 1, 16), 'Document', '' || json_object(
        'id', substr(hex, 1, 16), 'name', function,
        'start_time', round(t0 - coalesce(init_ms, 0) / 1000.0 - 0.002, 6),
        'end_time', round(t0 + duration_ms / 1000.0 + 0.001, 6),
        'http', json_object('response', json_object('status',
                  CASE status WHEN 'success' THEN 200 ELSE 502 END)),
        'aws', json_object('request_id', request_id),
        'trace_id', xray_trace_id, 'origin', 'AWS::Lambda',
        'resource_arn', 'arn:aws:lambda:eu-west-1:123456789012:function:' || function)),
      json_object('Id', xray_segment_id, 'Document', '' || json_object(
        'id', xray_segment_id, 'name', function,
        'start_time', round(t0 - coalesce(init_ms, 0) / 1000.0, 6),
        'end_time', round(t0 + duration_ms / 1000.0 + 0.0005, 6),
        'parent_id', substr(hex, 1, 16),
        'aws', json_object('function_arn',
                 'arn:aws:lambda:eu-west-1:123456789012:function:' || function,
                 'resource_names', json_array(function), 'account_id', '123456789012'),
        'trace_id', xray_trace_id, 'origin', 'AWS::Lambda::Function',
        'fault', json(CASE status WHEN 'success' THEN 'false' ELSE 'true' END),
        'subsegments', json(
          '[' || CASE WHEN init_ms IS NOT NULL THEN json_object(
            'id', substr(hex, 2, 16), 'name', 'Initialization',
            'start_time', round(t0 - init_ms / 1000.0, 6), 'end_time', round(t0, 6),
            'aws', json_object('function_arn',
                     'arn:aws:lambda:eu-west-1:123456789012:function:' || function)) || ','
          ELSE '' END || json_object(
            'id', substr(hex, 3, 16), 'name', 'Invocation',
            'start_time', round(t0, 6), 'end_time', round(t0 + duration_ms / 1000.0, 6)) || ','
          || json_object(
            'id', substr(hex, 4, 16), 'name', 'Overhead',
            'start_time', round(t0 + duration_ms / 1000.0, 6),
            'end_time', round(t0 + duration_ms / 1000.0 + 0.0005, 6)) || ','
          || json_object(
            'id', substr(hex, 5, 16), 'name', 'DynamoDB', 'namespace', 'aws',
            'start_time', round(t0 + duration_ms * 0.2 / 1000.0, 6),
            'end_time', round(t0 + duration_ms * 0.2 / 1000.0 + ddb_ms / 1000.0, 6),
            'http', json_object('response', json_object('status', 200)),
            'aws', json_object('table_name', 'dev-benchmark-items', 'operation', op,
                     'region', 'eu-west-1', 'retries', 0,
                     'request_id', upper(substr(hex, 1, 24)) || 'ABCDEFGHIJKLMNOPQRSTUVWX',
                     'resource_names', json_array('dev-benchmark-items'))) || ']'))),
      json_object('Id', substr(hex, 6, 16), 'Document', '' || json_object(
        'id', substr(hex, 6, 16), 'name', 'DynamoDB',
        'start_time', round(t0 + duration_ms * 0.2 / 1000.0, 6),
        'end_time', round(t0 + duration_ms * 0.2 / 1000.0 + ddb_ms / 1000.0, 6),
        'parent_id', substr(hex, 5, 16), 'inferred', json('true'),
        'http', json_object('response', json_object('status', 200)),
        'aws', json_object('table_name', 'dev-benchmark-items', 'operation', op),
        'trace_id', xray_trace_id, 'origin', 'AWS::DynamoDB::Table')))) AS trace
  FROM call
)
SELECT 'xray/' || function || '.json' || char(9) ||
  json_object('Traces', json_group_array(json(trace)), 'UnprocessedTraceIds', json_array())
FROM (SELECT * FROM seg ORDER BY function, n) GROUP BY function;
