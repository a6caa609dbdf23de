-- report: per runtime, ranked by warm p50: invocations, environments, cold-start / error / timeout rates, warm p50/p90/p99, cold p50/p99 (init + first invoke), memory, cost per 1M
WITH e AS (
    -- distinct first (a set of a few thousand streams), then counted: cheaper than
    -- carrying every row's stream name through the sort below
    SELECT runtime, count(*) AS environments
    FROM (SELECT DISTINCT runtime, function, coalesce(log_stream, '') FROM sel)
    GROUP BY runtime
), r AS (
    SELECT runtime,
           count(*) AS invocations,
           round(100.0 * sum(cold_start) / count(*), 2) AS cold_pct,
           round(100.0 * sum(status = 'error') / count(*), 2) AS error_pct,
           round(100.0 * sum(status = 'timeout') / count(*), 2) AS timeout_pct,
           round(sorted_percentile(sorted_values(CASE WHEN cold_start = 0 THEN duration_ms END), 50), 2) AS warm_p50_ms,
           round(sorted_percentile(sorted_values(CASE WHEN cold_start = 0 THEN duration_ms END), 90), 2) AS warm_p90_ms,
           round(sorted_percentile(sorted_values(CASE WHEN cold_start = 0 THEN duration_ms END), 99), 2) AS warm_p99_ms,
           round(sorted_percentile(sorted_values(CASE WHEN cold_start = 1 THEN coalesce(init_ms, 0) + duration_ms END), 50), 2) AS cold_p50_ms,
           round(sorted_percentile(sorted_values(CASE WHEN cold_start = 1 THEN coalesce(init_ms, 0) + duration_ms END), 99), 2) AS cold_p99_ms,
           max(max_memory_mb) AS max_memory_mb,
           max(memory_mb) AS memory_mb,
           round(1e6 * avg(fcost_usd(function, memory_mb, billed_ms)), 4) AS cost_per_1m_usd
    FROM sel
    GROUP BY runtime
)
SELECT runtime, invocations, environments, cold_pct, error_pct, timeout_pct, warm_p50_ms,
       round(warm_p50_ms / min(warm_p50_ms) OVER (), 2) AS warm_p50_x_best,
       warm_p90_ms, warm_p99_ms, cold_p50_ms, cold_p99_ms, max_memory_mb, memory_mb, cost_per_1m_usd
FROM r
JOIN e USING (runtime)
ORDER BY warm_p50_ms;
