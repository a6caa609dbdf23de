-- report: the benchmark's CloudWatch alarms replayed on 5-minute windows: error rate > 1 %, p99 duration > 1000 ms, memory > 90 % of the configured size; every breaching window
WITH w AS (
    SELECT runtime,
           ts_ms / 300000 AS bucket,
           count(*) AS invocations,
           100.0 * sum(status <> 'success') / count(*) AS error_pct,
           percentile(duration_ms, 99) AS p99_ms,
           100.0 * max(max_memory_mb) / max(memory_mb) AS memory_pct
    FROM sel
    WHERE ts_ms IS NOT NULL
    GROUP BY runtime, bucket
)
SELECT runtime,
       strftime('%Y-%m-%dT%H:%M:%SZ', bucket * 300, 'unixepoch') AS window_start,
       invocations,
       round(error_pct, 2) AS error_pct,
       round(p99_ms, 2) AS p99_ms,
       round(memory_pct, 1) AS memory_pct,
       trim(CASE WHEN error_pct > 1 THEN 'errors>1% ' ELSE '' END ||
            CASE WHEN p99_ms > 1000 THEN 'p99>1000ms ' ELSE '' END ||
            CASE WHEN memory_pct > 90 THEN 'memory>90% ' ELSE '' END) AS breached
FROM w
WHERE error_pct > 1 OR p99_ms > 1000 OR memory_pct > 90
ORDER BY runtime, window_start;
