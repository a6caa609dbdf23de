-- write-to-stream lag per runtime and timestamp precision (ApproximateCreationDateTime minus the item's updated_at, else created_at): n, p50 / p90 / p99 / max in ms; with precision s the values are known to 1 s only
SELECT runtime, ts_precision, count(lag_ms) AS n,
       round(percentile(lag_ms, 50), 1) AS p50_ms, round(percentile(lag_ms, 90), 1) AS p90_ms,
       round(percentile(lag_ms, 99), 1) AS p99_ms, max(lag_ms) AS max_ms,
       group_concat(DISTINCT item_ts_attribute) AS from_attribute
FROM ssel
WHERE lag_ms IS NOT NULL
GROUP BY runtime, ts_precision
ORDER BY runtime, ts_precision;
