-- one UTC day per runtime (--param day=YYYY-MM-DD): invocations, cold starts, warm p50/p99, failures
SELECT runtime,
       count(*) AS invocations,
       sum(cold_start) AS cold_starts,
       round(percentile(CASE WHEN cold_start = 0 THEN duration_ms END, 50), 2) AS warm_p50_ms,
       round(percentile(CASE WHEN cold_start = 0 THEN duration_ms END, 99), 2) AS warm_p99_ms,
       sum(status <> 'success') AS failed
FROM invocations
WHERE ts_ms >= unixepoch(:day) * 1000 AND ts_ms < unixepoch(:day, '+1 day') * 1000
GROUP BY runtime
ORDER BY runtime;
