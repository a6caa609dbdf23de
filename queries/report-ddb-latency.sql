-- report: DynamoDB request latency per table and operation: SuccessfulRequestLatency from the CloudWatch metrics (inside DynamoDB: the mean of the periods' Average, the largest Maximum; no network), beside what the functions' SDK clients saw in the X-Ray traces of the selection (p50, per runtime on their own lines)
WITH m AS (
    SELECT json_extract(dimensions, '$.TableName') AS table_name,
           json_extract(dimensions, '$.Operation') AS operation,
           avg(CASE WHEN stat = 'Average' THEN value END) AS server_avg_ms,
           max(CASE WHEN stat = 'Maximum' THEN value END) AS server_max_ms,
           sum(CASE WHEN stat = 'SampleCount' THEN value END) AS requests
    FROM cwsel
    WHERE namespace = 'AWS/DynamoDB' AND metric = 'SuccessfulRequestLatency'
    GROUP BY 1, 2
),
x AS (
    SELECT table_name, operation, runtime, count(*) AS traced_calls,
           median(duration_ms) AS client_p50_ms
    FROM xsel WHERE service = 'DynamoDB' AND duration_ms IS NOT NULL
    GROUP BY 1, 2, 3
)
SELECT m.table_name, m.operation, round(m.server_avg_ms, 2) AS server_avg_ms,
       round(m.server_max_ms, 2) AS server_max_ms, m.requests,
       x.runtime, x.traced_calls, round(x.client_p50_ms, 2) AS client_p50_ms
FROM m LEFT JOIN x USING (table_name, operation)
ORDER BY m.table_name, m.operation, x.client_p50_ms;
