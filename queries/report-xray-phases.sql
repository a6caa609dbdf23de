-- report: the Lambda phases per runtime from X-Ray (function segments of the selected invocations): traced invocations, how many matched an invocation of the logs, Initialization (cold starts only), Invocation and Overhead p50 / p99, and the share of the Invocation phase spent in downstream calls
WITH l AS (
    SELECT x.*,
           (SELECT sum(c.duration_ms) FROM xray_calls c
             WHERE c.trace_id = x.trace_id AND c.segment_id = x.segment_id) AS calls_ms
    FROM xlsel x
)
SELECT runtime,
       count(*) AS traced,
       sum(invocation_id IS NOT NULL) AS matched,
       count(init_ms) AS with_init,
       round(median(init_ms), 2) AS init_p50_ms,
       round(median(invocation_ms), 2) AS invocation_p50_ms,
       round(percentile(invocation_ms, 99), 2) AS invocation_p99_ms,
       round(median(overhead_ms), 2) AS overhead_p50_ms,
       round(100.0 * sum(calls_ms) / nullif(sum(invocation_ms), 0), 1) AS downstream_pct
FROM l
GROUP BY runtime
ORDER BY median(invocation_ms), runtime;
