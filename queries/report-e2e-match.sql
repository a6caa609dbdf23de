-- report: how API Gateway requests joined Lambda invocations, per runtime: by the integration's request id, by X-Ray trace id, requests without an invocation (and why), and invocations of the runtime in the requests' time span that no request names
WITH m AS (
    SELECT runtime, count(*) AS requests,
           sum(joined_by = 'integration_request_id') AS by_request_id,
           sum(joined_by = 'xray_trace_id') AS by_trace_id,
           sum(invocation_id IS NULL) AS without_invocation,
           group_concat(DISTINCT unmatched_why) AS why,
           min(ts_ms) AS first_ms, max(ts_ms) AS last_ms
    FROM asel
    GROUP BY runtime
), o AS (
    SELECT m.runtime,
           (SELECT count(*) FROM sel i
            WHERE i.runtime = m.runtime AND i.ts_ms BETWEEN m.first_ms AND m.last_ms + 900000
              AND i.invocation_id NOT IN (SELECT p.invocation_id FROM request_paths p
                                          WHERE p.invocation_id IS NOT NULL))
               AS invocations_without_request
    FROM m
)
SELECT runtime, requests, by_request_id, by_trace_id,
       round(100.0 * (by_request_id + by_trace_id) / requests, 2) AS matched_pct,
       without_invocation, coalesce(why, '') AS without_invocation_why,
       invocations_without_request,
       CASE WHEN invocations_without_request > 0
            THEN 'no API Gateway request names it: invoked another way, or its request''s logs were not ingested'
            ELSE '' END AS invocations_without_request_why
FROM m JOIN o USING (runtime)
ORDER BY runtime;
