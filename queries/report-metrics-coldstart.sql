-- report: the Powertools ColdStart metric against the cold starts REPORT lines show, per runtime (functions that emit ColdStart)
WITH m AS (
    SELECT runtime, sum(value) AS coldstart_metric
    FROM msel
    WHERE metric = 'ColdStart'
    GROUP BY runtime
), r AS (
    SELECT runtime, sum(cold_start) AS report_cold_starts
    FROM sel
    WHERE function IN (SELECT function FROM msel WHERE metric = 'ColdStart')
    GROUP BY runtime
)
SELECT m.runtime,
       CAST(m.coldstart_metric AS INTEGER) AS coldstart_metric,
       coalesce(r.report_cold_starts, 0) AS report_cold_starts,
       CAST(m.coldstart_metric - coalesce(r.report_cold_starts, 0) AS INTEGER) AS difference
FROM m LEFT JOIN r USING (runtime)
ORDER BY m.runtime;
