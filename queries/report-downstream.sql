-- report: downstream calls per runtime from the X-Ray traces of the selected invocations (subsegments of namespace aws or remote inside the function segment), best first per call: calls, latency p50 / p90 / p99 / max as the client SDK saw it, x_best (p50 over the best runtime's p50 for the same call), errors, faults, throttles
WITH g AS (
    SELECT runtime, service,
           coalesce(operation, http_method, '') AS operation,
           coalesce(table_name, '') AS target,
           count(*) AS calls,
           median(duration_ms) AS p50,
           percentile(duration_ms, 90) AS p90,
           percentile(duration_ms, 99) AS p99,
           max(duration_ms) AS mx,
           sum(error) AS errors, sum(fault) AS faults, sum(throttle) AS throttles
    FROM xsel
    WHERE duration_ms IS NOT NULL
    GROUP BY 1, 2, 3, 4
)
SELECT service, operation, target, runtime, calls,
       round(p50, 2) AS p50_ms, round(p90, 2) AS p90_ms, round(p99, 2) AS p99_ms,
       round(mx, 2) AS max_ms,
       round(p50 / nullif(min(p50) OVER (PARTITION BY service, operation, target), 0), 2) AS x_best,
       errors, faults, throttles
FROM g
ORDER BY service, operation, target, p50, runtime;
