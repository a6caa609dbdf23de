-- report: cold starts per runtime, ranked by init p50: n, init p50/p90/p99/max, first-invoke p50, init + first invoke p50/p99
WITH r AS (
    SELECT runtime,
           count(*) AS cold_starts,
           count(init_ms) AS n_init,
           round(sorted_percentile(sorted_values(init_ms), 50), 2) AS init_p50_ms,
           round(sorted_percentile(sorted_values(init_ms), 90), 2) AS init_p90_ms,
           round(sorted_percentile(sorted_values(init_ms), 99), 2) AS init_p99_ms,
           round(max(init_ms), 2) AS init_max_ms,
           round(median(duration_ms), 2) AS first_invoke_p50_ms,
           round(sorted_percentile(sorted_values(coalesce(init_ms, 0) + duration_ms), 50), 2) AS cold_latency_p50_ms,
           round(sorted_percentile(sorted_values(coalesce(init_ms, 0) + duration_ms), 99), 2) AS cold_latency_p99_ms
    FROM sel
    WHERE cold_start = 1
    GROUP BY runtime
)
SELECT runtime, cold_starts, n_init, init_p50_ms,
       round(init_p50_ms / min(init_p50_ms) OVER (), 2) AS init_p50_x_best,
       init_p90_ms, init_p99_ms, init_max_ms, first_invoke_p50_ms, cold_latency_p50_ms,
       cold_latency_p99_ms
FROM r
ORDER BY init_p50_ms;
