-- report: the last nights per runtime (UTC days from :from_ms to :to_ms): invocations, warm p50 / p99, init p50, cold-start rate, cost per 1M
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
ORDER BY runtime, night;
