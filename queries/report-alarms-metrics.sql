-- report: the alarms evaluated on the CloudWatch metrics beside the logs, per runtime and 5-minute window (the windows of report-alarms.sql): errors > 1 % (Errors / Invocations, Sum), p99 duration > 1000 ms (the Duration p99 statistic: a window's p99 lies between the smallest and the largest p99 of its periods; a Maximum <= 1000 ms settles it as ok), throttles > 0 (Throttles, Sum; function logs cannot show throttles). Only metrics whose period divides 5 minutes count. Every window where either source breaches or the metrics cannot decide, with agree = 0 where they disagree
WITH m AS (
    SELECT runtime_label AS runtime, ts_ms / 300000 AS bucket, metric, stat, value
    FROM cwsel
    WHERE namespace = 'AWS/Lambda' AND function IS NOT NULL
      AND period_s > 0 AND 300 % period_s = 0
),
mw AS (
    SELECT runtime, bucket,
           sum(CASE WHEN metric = 'Invocations' AND stat = 'Sum' THEN value END) AS invocations,
           sum(CASE WHEN metric = 'Errors' AND stat = 'Sum' THEN value END) AS errors,
           sum(CASE WHEN metric = 'Throttles' AND stat = 'Sum' THEN value END) AS throttles,
           min(CASE WHEN metric = 'Duration' AND stat = 'p99' THEN value END) AS p99_lo,
           max(CASE WHEN metric = 'Duration' AND stat = 'p99' THEN value END) AS p99_hi,
           max(CASE WHEN metric = 'Duration' AND stat = 'Maximum' THEN value END) AS max_ms
    FROM m GROUP BY 1, 2
),
lw AS (
    SELECT runtime, ts_ms / 300000 AS bucket, count(*) AS invocations,
           100.0 * sum(status <> 'success') / count(*) AS error_pct,
           percentile(duration_ms, 99) AS p99_ms
    FROM sel WHERE ts_ms IS NOT NULL GROUP BY 1, 2
),
keys AS (SELECT runtime, bucket FROM mw UNION SELECT runtime, bucket FROM lw),
v AS (
    SELECT k.runtime, k.bucket, a.alarm,
           CASE a.alarm
             WHEN 'errors>1%' THEN CASE WHEN lw.bucket IS NULL THEN NULL ELSE round(lw.error_pct, 2) END
             WHEN 'p99>1000ms' THEN round(lw.p99_ms, 2) END AS logs_value,
           CASE WHEN a.alarm = 'throttles>0' THEN 'not in logs'
                WHEN lw.bucket IS NULL THEN 'no data'
                WHEN a.alarm = 'errors>1%' AND lw.error_pct > 1 THEN 'breach'
                WHEN a.alarm = 'p99>1000ms' AND lw.p99_ms > 1000 THEN 'breach'
                ELSE 'ok' END AS logs,
           CASE a.alarm
             WHEN 'errors>1%' THEN round(100.0 * mw.errors / nullif(mw.invocations, 0), 2)
             WHEN 'p99>1000ms' THEN round(coalesce(mw.p99_hi, mw.max_ms), 2)
             ELSE mw.throttles END AS metrics_value,
           CASE a.alarm
             WHEN 'errors>1%' THEN
               CASE WHEN mw.errors IS NULL OR mw.invocations IS NULL THEN 'no data'
                    WHEN mw.invocations > 0 AND 100.0 * mw.errors / mw.invocations > 1 THEN 'breach'
                    ELSE 'ok' END
             WHEN 'p99>1000ms' THEN
               CASE WHEN mw.p99_hi <= 1000 OR mw.max_ms <= 1000 THEN 'ok'
                    WHEN mw.p99_lo > 1000 THEN 'breach'
                    WHEN mw.p99_hi IS NULL AND mw.max_ms IS NULL THEN 'no data'
                    ELSE 'unknown' END
             ELSE CASE WHEN mw.throttles IS NULL THEN 'no data'
                       WHEN mw.throttles > 0 THEN 'breach' ELSE 'ok' END
           END AS metrics
    FROM keys k
    CROSS JOIN (SELECT 'errors>1%' AS alarm UNION ALL SELECT 'p99>1000ms'
                UNION ALL SELECT 'throttles>0') a
    LEFT JOIN mw ON mw.runtime = k.runtime AND mw.bucket = k.bucket
    LEFT JOIN lw ON lw.runtime = k.runtime AND lw.bucket = k.bucket
)
SELECT runtime,
       strftime('%Y-%m-%dT%H:%M:%SZ', bucket * 300, 'unixepoch') AS window_start,
       alarm, logs_value, logs, metrics_value, metrics,
       CASE WHEN logs IN ('breach', 'ok') AND metrics IN ('breach', 'ok')
            THEN logs = metrics END AS agree
FROM v
WHERE logs = 'breach' OR metrics IN ('breach', 'unknown')
ORDER BY runtime, window_start, alarm;
