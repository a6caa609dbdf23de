-- report: the last nights per runtime (UTC days from :from_ms to :to_ms): invocations, warm p50 / p99, init p50, cold-start rate, cost per 1M; and where API Gateway requests were ingested, client p50 / p99, API Gateway overhead p50, 4xx / 5xx rates and cost per 1M requests end to end (temp.e2e_requests)
WITH l AS (
    SELECT strftime('%Y-%m-%d', ts_ms / 1000, 'unixepoch') AS night,
           runtime,
           count(*) AS invocations,
           round(percentile(CASE WHEN cold_start = 0 THEN duration_ms END, 50), 2) AS warm_p50_ms,
           round(percentile(CASE WHEN cold_start = 0 THEN duration_ms END, 99), 2) AS warm_p99_ms,
           round(percentile(CASE WHEN cold_start = 1 THEN init_ms END, 50), 2) AS init_p50_ms,
           round(100.0 * sum(cold_start) / count(*), 2) AS cold_start_pct,
           round(1e6 * avg(fcost_usd(function, memory_mb, billed_ms)), 4) AS cost_per_1m_usd
    FROM invocations
    WHERE ts_ms >= coalesce(:from_ms, 0) AND ts_ms < coalesce(:to_ms, 9e18)
    GROUP BY night, runtime
), e AS (
    SELECT strftime('%Y-%m-%d', ts_ms / 1000, 'unixepoch') AS night,
           runtime,
           round(percentile(response_latency_ms, 50), 2) AS client_p50_ms,
           round(percentile(response_latency_ms, 99), 2) AS client_p99_ms,
           round(percentile(apigw_overhead_ms, 50), 2) AS apigw_overhead_p50_ms,
           round(100.0 * sum(status BETWEEN 400 AND 499) / count(status), 2) AS status_4xx_pct,
           round(100.0 * sum(status BETWEEN 500 AND 599) / count(status), 2) AS status_5xx_pct,
           round(1e6 * avg(cost_usd), 4) AS cost_per_1m_e2e_usd
    FROM temp.e2e_requests
    WHERE ts_ms >= coalesce(:from_ms, 0) AND ts_ms < coalesce(:to_ms, 9e18)
    GROUP BY night, runtime
)
SELECT l.night, l.runtime, l.invocations, l.warm_p50_ms, l.warm_p99_ms, l.init_p50_ms,
       l.cold_start_pct, l.cost_per_1m_usd,
       e.client_p50_ms, e.client_p99_ms, e.apigw_overhead_p50_ms, e.status_4xx_pct,
       e.status_5xx_pct, e.cost_per_1m_e2e_usd
FROM l LEFT JOIN e USING (night, runtime)
ORDER BY l.runtime, l.night;
