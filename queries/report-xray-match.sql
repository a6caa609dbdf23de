-- report: how the X-Ray traces and the selected invocations match, per runtime: invocations with a trace id, of which traced (X-Ray samples: one request a second and 5 % more by default), traced function segments without an invocation in the logs (and why: no invocation with that trace id at all, or its RequestId differs)
WITH inv AS (
    SELECT runtime, count(xray_trace_id) AS with_trace_id,
           sum(invocation_id IN (SELECT invocation_id FROM xlsel WHERE invocation_id IS NOT NULL)) AS traced
    FROM sel GROUP BY runtime
),
orphan AS (
    SELECT runtime,
           sum(NOT EXISTS (SELECT 1 FROM invocations i WHERE i.xray_trace_id = l.trace_id))
             AS no_invocation,
           sum(EXISTS (SELECT 1 FROM invocations i WHERE i.xray_trace_id = l.trace_id)) AS request_id_differs
    FROM xlsel l WHERE l.invocation_id IS NULL GROUP BY runtime
)
SELECT r.runtime,
       coalesce(inv.with_trace_id, 0) AS invocations_with_trace_id,
       coalesce(inv.traced, 0) AS traced,
       round(100.0 * inv.traced / nullif(inv.with_trace_id, 0), 1) AS traced_pct,
       coalesce(orphan.no_invocation, 0) AS traces_without_invocation,
       coalesce(orphan.request_id_differs, 0) AS traces_request_id_differs
FROM (SELECT runtime FROM inv UNION SELECT runtime FROM orphan) r
LEFT JOIN inv USING (runtime) LEFT JOIN orphan USING (runtime)
ORDER BY r.runtime;
