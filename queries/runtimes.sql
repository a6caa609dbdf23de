-- per runtime: invocations, cold starts, failures, warm duration p50/p90/p99, init p50/p99, memory
SELECT runtime,
       count(*) AS invocations,
       sum(cold_start) AS cold_starts,
       round(100.0 * sum(cold_start) / count(*), 2) AS cold_pct,
       sum(status = 'timeout') AS timeouts,
       sum(status = 'error') AS errors,
       round(percentile(CASE WHEN cold_start = 0 THEN duration_ms END, 50), 2) AS warm_p50_ms,
       round(percentile(CASE WHEN cold_start = 0 THEN duration_ms END, 90), 2) AS warm_p90_ms,
       round(percentile(CASE WHEN cold_start = 0 THEN duration_ms END, 99), 2) AS warm_p99_ms,
       round(percentile(init_ms, 50), 2) AS init_p50_ms,
       round(percentile(init_ms, 99), 2) AS init_p99_ms,
       max(max_memory_mb) AS max_memory_mb,
       max(memory_mb) AS memory_mb
FROM invocations
GROUP BY runtime
ORDER BY runtime;
