-- report: duration per runtime, warm and cold apart, ranked by p50: n, p50 with its 95% CI, p90, p95, p99, p99.9, max
WITH r AS (
    SELECT runtime,
           CASE cold_start WHEN 1 THEN 'cold' ELSE 'warm' END AS start,
           count(*) AS n,
           round(sorted_percentile(sorted_values(duration_ms), 50), 2) AS p50_ms,
           round(sorted_median_ci_low(sorted_values(duration_ms)), 2) AS p50_ci_low_ms,
           round(sorted_median_ci_high(sorted_values(duration_ms)), 2) AS p50_ci_high_ms,
           round(sorted_percentile(sorted_values(duration_ms), 90), 2) AS p90_ms,
           round(sorted_percentile(sorted_values(duration_ms), 95), 2) AS p95_ms,
           round(sorted_percentile(sorted_values(duration_ms), 99), 2) AS p99_ms,
           round(sorted_percentile(sorted_values(duration_ms), 99.9), 2) AS p999_ms,
           round(max(duration_ms), 2) AS max_ms
    FROM sel
    GROUP BY runtime, start
)
SELECT runtime, start, n, p50_ms, p50_ci_low_ms, p50_ci_high_ms,
       round(p50_ms / min(p50_ms) OVER (PARTITION BY start), 2) AS p50_x_best,
       p90_ms, p95_ms, p99_ms, p999_ms, max_ms
FROM r
ORDER BY start DESC, p50_ms;
