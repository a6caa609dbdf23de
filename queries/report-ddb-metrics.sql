-- report: DynamoDB capacity from the CloudWatch metrics per table (AWS/DynamoDB, dimension TableName alone): read and write capacity units consumed (Sum), the busiest period's units per second, throttled requests (Sum over operations), beside the write request units the table's stream records of the selection account for (see DynamoDB writes)
WITH m AS (
    SELECT json_extract(dimensions, '$.TableName') AS table_name, metric, stat, value, period_s,
           json_extract(dimensions, '$.Operation') AS operation,
           json_extract(dimensions, '$.GlobalSecondaryIndexName') AS gsi
    FROM cwsel WHERE namespace = 'AWS/DynamoDB'
),
t AS (
    SELECT table_name,
           sum(CASE WHEN metric = 'ConsumedReadCapacityUnits' AND stat = 'Sum' AND gsi IS NULL
                    THEN value END) AS read_units,
           sum(CASE WHEN metric = 'ConsumedWriteCapacityUnits' AND stat = 'Sum' AND gsi IS NULL
                    THEN value END) AS write_units,
           max(CASE WHEN metric = 'ConsumedReadCapacityUnits' AND stat = 'Sum' AND gsi IS NULL
                    THEN value / period_s END) AS peak_read_per_s,
           max(CASE WHEN metric = 'ConsumedWriteCapacityUnits' AND stat = 'Sum' AND gsi IS NULL
                    THEN value / period_s END) AS peak_write_per_s,
           sum(CASE WHEN metric = 'ThrottledRequests' AND stat = 'Sum' THEN value END)
             AS throttled_requests
    FROM m WHERE table_name IS NOT NULL GROUP BY table_name
),
s AS (
    SELECT table_name, count(*) AS stream_records, sum(wru) AS stream_wru
    FROM ssel GROUP BY table_name
)
SELECT t.table_name, round(t.read_units, 2) AS read_units, round(t.write_units, 2) AS write_units,
       round(t.peak_read_per_s, 3) AS peak_read_per_s,
       round(t.peak_write_per_s, 3) AS peak_write_per_s,
       t.throttled_requests, s.stream_records, s.stream_wru
FROM t LEFT JOIN s USING (table_name)
ORDER BY t.table_name;
