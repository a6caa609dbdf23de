-- report: cost per 1M API Gateway requests, the whole stack, per runtime (best first): API Gateway requests + Lambda (the invocations the requests made) + DynamoDB writes (stream records) and reads + CloudWatch Logs ingestion (the functions' log events) + X-Ray traces recorded, each priced in the runtime's region from the price table; a part without a rate or a measure is NULL, never guessed
WITH reg AS (
    SELECT f.runtime, max(p.region) AS region
    FROM functions f JOIN fprice p USING (function)
    GROUP BY f.runtime
), a AS (
    SELECT runtime, count(*) AS requests,
           sum(trace_id IS NOT NULL) AS traces,
           sum(CASE WHEN invocation_id IS NOT NULL THEN 1 ELSE 0 END) AS invocations,
           sum((SELECT fcost_usd(i.function, i.memory_mb, i.billed_ms) FROM invocations i
                WHERE i.invocation_id = asel.invocation_id)) AS lambda_usd,
           sum(invocation_id IS NOT NULL AND (SELECT fcost_usd(i.function, i.memory_mb, i.billed_ms) IS NULL
                FROM invocations i WHERE i.invocation_id = asel.invocation_id)) AS lambda_unpriced
    FROM asel
    GROUP BY runtime
), d AS (
    SELECT runtime, sum(wru) AS wru FROM ssel GROUP BY runtime
), lv AS (
    -- the functions' log bytes per invocation (REPORT line) in the files that hold the
    -- selected invocations (message bytes as exported; a night read in two shapes counts
    -- twice over, bytes and invocations alike)
    SELECT f.runtime, sum(v.message_bytes) AS bytes, sum(v.invocations) AS invocations
    FROM log_volume v JOIN functions f USING (function)
    WHERE v.file_id IN (SELECT DISTINCT file_id FROM sel) AND v.invocations > 0
    GROUP BY f.runtime
), c AS (
    SELECT a.runtime, a.requests, coalesce(reg.region, 'us-east-1') AS region,
           CASE WHEN reg.region IS NULL THEN 'default' ELSE 'functions' END AS region_from,
           1e6 * price_usd('apigw_rest_request', coalesce(reg.region, 'us-east-1')) AS apigw_usd,
           CASE WHEN a.lambda_unpriced = 0 THEN 1e6 * coalesce(a.lambda_usd, 0) / a.requests END AS lambda_usd,
           1e6 * coalesce(d.wru, 0) * price_usd('ddb_write_request_unit', coalesce(reg.region, 'us-east-1'))
               / a.requests AS ddb_write_usd,
           NULL AS ddb_read_usd,
           1e6 * lv.bytes / lv.invocations * a.invocations / a.requests / 1073741824.0
               * price_usd('logs_ingestion_gb', coalesce(reg.region, 'us-east-1')) AS logs_usd,
           1e6 * a.traces * price_usd('xray_trace_recorded', coalesce(reg.region, 'us-east-1'))
               / a.requests AS xray_usd
    FROM a LEFT JOIN reg USING (runtime) LEFT JOIN d USING (runtime) LEFT JOIN lv USING (runtime)
)
SELECT runtime, requests, region, region_from,
       round(apigw_usd, 4) AS apigw_per_1m_usd, round(lambda_usd, 4) AS lambda_per_1m_usd,
       round(ddb_write_usd, 4) AS ddb_write_per_1m_usd, ddb_read_usd AS ddb_read_per_1m_usd,
       round(logs_usd, 4) AS logs_per_1m_usd, round(xray_usd, 4) AS xray_per_1m_usd,
       round(apigw_usd + lambda_usd + ddb_write_usd + coalesce(logs_usd, 0) + xray_usd, 4)
           AS known_total_per_1m_usd,
       'apigw: ' || coalesce(price_from('apigw_rest_request', region), 'no rate')
           || '; lambda: ' || coalesce(price_table('lambda_gb_second_x86_64', region), 'no rate')
           || '; ddb writes: ' || coalesce(price_from('ddb_write_request_unit', region), 'no rate')
           || '; logs: ' || coalesce(price_from('logs_ingestion_gb', region), 'no rate')
           || '; xray: ' || coalesce(price_from('xray_trace_recorded', region), 'no rate') AS sources
FROM c
ORDER BY known_total_per_1m_usd IS NULL, known_total_per_1m_usd, runtime;
