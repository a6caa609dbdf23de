-- per runtime: max memory used p50/p99/max against the configured size, and invocations at 100 %
SELECT runtime,
       max(memory_mb) AS memory_mb,
       round(percentile(max_memory_mb, 50), 1) AS used_p50_mb,
       round(percentile(max_memory_mb, 99), 1) AS used_p99_mb,
       max(max_memory_mb) AS used_max_mb,
       round(100.0 * percentile(max_memory_mb, 99) / max(memory_mb), 1) AS p99_utilisation_pct,
       sum(max_memory_mb >= memory_mb) AS at_limit,
       max(memory_mb) - max(max_memory_mb) AS headroom_mb
FROM invocations
WHERE memory_mb IS NOT NULL
GROUP BY runtime
ORDER BY runtime;
