-- per runtime: cold starts, init duration p50/p90/p99/max, first-invoke and init + first-invoke latency
SELECT runtime,
       count(*) AS cold_starts,
       round(percentile(init_ms, 50), 2) AS init_p50_ms,
       round(percentile(init_ms, 90), 2) AS init_p90_ms,
       round(percentile(init_ms, 99), 2) AS init_p99_ms,
       round(max(init_ms), 2) AS init_max_ms,
       round(median(duration_ms), 2) AS first_invoke_p50_ms,
       round(median(coalesce(init_ms, 0) + duration_ms), 2) AS cold_latency_p50_ms,
       round(percentile(coalesce(init_ms, 0) + duration_ms, 99), 2) AS cold_latency_p99_ms
FROM invocations
WHERE cold_start = 1
GROUP BY runtime
ORDER BY runtime;
