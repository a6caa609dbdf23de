-- samples-metrics.sql — CloudWatch metrics consistent with samples/ (see samples-traces.sql).
--
-- One `get-metric-data` output per function, merged with its queries (MetricDataQueries
-- first), per minute: AWS/Lambda Invocations, Errors, Throttles (Sum), Duration (Average,
-- Maximum), ConcurrentExecutions (Maximum: the log streams busy in the minute);
-- AWS/ApiGateway Count (SampleCount), 5XXError (Sum), Latency and IntegrationLatency
-- (Average) of the route /{runtime}/items. One for the table: AWS/DynamoDB
-- ConsumedRead/WriteCapacityUnits (Sum), SuccessfulRequestLatency (Average, per
-- Operation: 60 % of what the client's trace shows), ThrottledRequests (Sum). The python
-- function gets one throttle in its first minute, which no log can show. Needs the
-- samples' traces ingested (xray_calls). Plus one `get-metric-statistics` output whose
-- identity is in its path.
WITH inv AS (
  SELECT i.*, (ts_ms / 60000) * 60000 AS minute FROM invocations i
),
first_minute AS (SELECT function, min(minute) AS minute FROM inv GROUP BY function),
series(doc, ns, metric, stat, unit, dims, minute, value) AS (
  SELECT function, 'AWS/Lambda', 'Invocations', 'Sum', 'Count',
         json_object('FunctionName', function), minute, count(*) FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT function, 'AWS/Lambda', 'Errors', 'Sum', 'Count', json_object('FunctionName', function),
         minute, sum(status <> 'success') FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT i.function, 'AWS/Lambda', 'Throttles', 'Sum', 'Count',
         json_object('FunctionName', i.function), i.minute,
         CASE WHEN i.runtime = 'python' AND i.minute = f.minute THEN 1 ELSE 0 END
    FROM inv i JOIN first_minute f USING (function) GROUP BY 1, 7
  UNION ALL
  SELECT function, 'AWS/Lambda', 'Duration', 'Average', 'Milliseconds',
         json_object('FunctionName', function), minute, round(avg(duration_ms), 2)
    FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT function, 'AWS/Lambda', 'Duration', 'Maximum', 'Milliseconds',
         json_object('FunctionName', function), minute, max(duration_ms) FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT function, 'AWS/Lambda', 'ConcurrentExecutions', 'Maximum', 'Count',
         json_object('FunctionName', function), minute, count(DISTINCT log_stream)
    FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT function, 'AWS/ApiGateway', 'Count', 'SampleCount', 'Count',
         json_object('ApiName', 'multi-runtime-benchmark-api-dev', 'Method', 'GET',
                     'Resource', '/' || runtime || '/items', 'Stage', 'dev'),
         minute, count(*) FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT function, 'AWS/ApiGateway', '5XXError', 'Sum', 'Count',
         json_object('ApiName', 'multi-runtime-benchmark-api-dev', 'Method', 'GET',
                     'Resource', '/' || runtime || '/items', 'Stage', 'dev'),
         minute, sum(status <> 'success') FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT function, 'AWS/ApiGateway', 'IntegrationLatency', 'Average', 'Milliseconds',
         json_object('ApiName', 'multi-runtime-benchmark-api-dev', 'Method', 'GET',
                     'Resource', '/' || runtime || '/items', 'Stage', 'dev'),
         minute, round(avg(duration_ms + coalesce(init_ms, 0) + 4), 2) FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT function, 'AWS/ApiGateway', 'Latency', 'Average', 'Milliseconds',
         json_object('ApiName', 'multi-runtime-benchmark-api-dev', 'Method', 'GET',
                     'Resource', '/' || runtime || '/items', 'Stage', 'dev'),
         minute, round(avg(duration_ms + coalesce(init_ms, 0) + 4 + 11), 2) FROM inv GROUP BY 1, 7
  UNION ALL
  SELECT 'dev-benchmark-items', 'AWS/DynamoDB', 'ConsumedWriteCapacityUnits', 'Sum', 'Count',
         json_object('TableName', 'dev-benchmark-items'), (CAST(start_s * 1000 AS INTEGER) / 60000) * 60000,
         sum(operation IN ('PutItem', 'UpdateItem')) FROM xray_calls GROUP BY 7
  UNION ALL
  SELECT 'dev-benchmark-items', 'AWS/DynamoDB', 'ConsumedReadCapacityUnits', 'Sum', 'Count',
         json_object('TableName', 'dev-benchmark-items'), (CAST(start_s * 1000 AS INTEGER) / 60000) * 60000,
         sum(operation IN ('GetItem', 'Query')) * 0.5 FROM xray_calls GROUP BY 7
  UNION ALL
  SELECT 'dev-benchmark-items', 'AWS/DynamoDB', 'SuccessfulRequestLatency', 'Average',
         'Milliseconds', json_object('Operation', operation, 'TableName', 'dev-benchmark-items'),
         (CAST(start_s * 1000 AS INTEGER) / 60000) * 60000, round(avg(duration_ms) * 0.6, 2)
    FROM xray_calls GROUP BY operation, 7
  UNION ALL
  SELECT 'dev-benchmark-items', 'AWS/DynamoDB', 'ThrottledRequests', 'Sum', 'Count',
         json_object('Operation', operation, 'TableName', 'dev-benchmark-items'),
         (CAST(start_s * 1000 AS INTEGER) / 60000) * 60000, 0 FROM xray_calls GROUP BY operation, 7
),
ids AS (
  SELECT doc, ns, metric, stat, unit, dims,
         'm' || row_number() OVER (PARTITION BY doc ORDER BY ns, metric, stat, dims) AS id
  FROM (SELECT DISTINCT doc, ns, metric, stat, unit, dims FROM series)
),
results AS (
  SELECT s.doc, i.id, i.ns, i.metric, i.stat, i.unit, i.dims,
         json_group_array(strftime('%Y-%m-%dT%H:%M:%S+00:00', s.minute / 1000, 'unixepoch'))
           AS ts, json_group_array(s.value) AS vals
  FROM (SELECT * FROM series ORDER BY minute DESC) s JOIN ids i USING (doc, ns, metric, stat, dims)
  GROUP BY s.doc, i.id
)
SELECT 'metrics/' || doc || '.json' || char(9) || json_object(
  'MetricDataQueries', json_group_array(json_object('Id', id, 'MetricStat', json_object(
     'Metric', json_object('Namespace', ns, 'MetricName', metric, 'Dimensions',
        (SELECT json_group_array(json_object('Name', key, 'Value', value)) FROM json_each(dims))),
     'Period', 60, 'Stat', stat, 'Unit', unit), 'ReturnData', json('true'))),
  'MetricDataResults', json_group_array(json_object('Id', id, 'Label', metric,
     'Timestamps', json(ts), 'Values', json(vals), 'StatusCode', 'Complete')),
  'Messages', json_array())
FROM (SELECT * FROM results ORDER BY doc, CAST(substr(id, 2) AS INTEGER)) GROUP BY doc
UNION ALL
SELECT 'metrics/namespace=AWS%2FLambda/FunctionName=dev-benchmark-go/period=60/Throttles.json'
  || char(9) || json_object('Datapoints', json_group_array(json_object(
     'Timestamp', strftime('%Y-%m-%dT%H:%M:%SZ', minute / 1000, 'unixepoch'), 'Sum', 0.0,
     'Unit', 'Count')), 'Label', 'Throttles')
FROM (SELECT DISTINCT minute FROM inv WHERE runtime = 'go' ORDER BY minute);
