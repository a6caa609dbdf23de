-- report: memory per runtime, ranked by p99 used: configured, used p50/p99/max, p99 utilisation, invocations at 100 %, headroom
WITH r AS (
    SELECT runtime,
           max(memory_mb) AS memory_mb,
           round(sorted_percentile(sorted_values(max_memory_mb), 50), 1) AS used_p50_mb,
           round(sorted_percentile(sorted_values(max_memory_mb), 99), 1) AS used_p99_mb,
           max(max_memory_mb) AS used_max_mb,
           sum(max_memory_mb >= memory_mb) AS at_limit
    FROM sel
    WHERE memory_mb IS NOT NULL
    GROUP BY runtime
)
SELECT runtime, memory_mb, used_p50_mb, used_p99_mb,
       round(used_p99_mb / min(used_p99_mb) OVER (), 2) AS used_p99_x_best,
       used_max_mb, round(100.0 * used_p99_mb / memory_mb, 1) AS p99_utilisation_pct, at_limit,
       memory_mb - used_max_mb AS headroom_mb
FROM r
ORDER BY used_p99_mb;
