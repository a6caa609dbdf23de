-- report: DynamoDB writes per runtime (stream records), ranked by write request units per write: records, INSERT / MODIFY / REMOVE, TTL deletes, item size p50 / p99 / max, WRU, on-demand write cost, write-to-stream lag p50 / p99, timestamp precision, how the runtime was attributed
WITH a AS (
    SELECT runtime, runtime_source, count(*) AS n
    FROM ssel
    GROUP BY runtime, runtime_source
    ORDER BY runtime, runtime_source
), how AS (
    SELECT runtime, group_concat(runtime_source || ' ' || n, ', ') AS attributed_by
    FROM a
    GROUP BY runtime
), r AS (
    SELECT runtime,
           count(*) AS records,
           sum(event_name = 'INSERT') AS inserts,
           sum(event_name = 'MODIFY') AS modifies,
           sum(event_name = 'REMOVE' AND ttl_delete = 0) AS removes,
           sum(ttl_delete) AS ttl_deletes,
           percentile(item_size, 50) AS size_p50,
           percentile(item_size, 99) AS size_p99,
           max(item_size) AS size_max,
           sum(wru) AS wru,
           sum(ttl_delete = 0) AS writes,
           -- priced where the table's region is (records name it), else us-east-1
           sum(ddb_cost_usd(wru, coalesce(region, 'us-east-1'))) AS cost,
           count(lag_ms) AS lag_n,
           percentile(lag_ms, 50) AS lag_p50,
           percentile(lag_ms, 99) AS lag_p99,
           group_concat(DISTINCT ts_precision) AS ts_precision
    FROM ssel
    GROUP BY runtime
), w AS (
    SELECT r.*, 1.0 * wru / nullif(writes, 0) AS wru_per_write
    FROM r
)
SELECT w.runtime, records, inserts, modifies, removes, ttl_deletes,
       round(size_p50, 1) AS item_bytes_p50, round(size_p99, 1) AS item_bytes_p99,
       size_max AS item_bytes_max, wru, round(wru_per_write, 3) AS wru_per_write,
       round(wru_per_write / min(CASE WHEN w.runtime <> 'unattributed' THEN wru_per_write END) OVER (), 2)
           AS wru_per_write_x_best,
       round(cost, 8) AS write_cost_usd, round(1e6 * cost / nullif(writes, 0), 4) AS per_1m_writes_usd,
       lag_n, round(lag_p50, 1) AS lag_p50_ms, round(lag_p99, 1) AS lag_p99_ms, ts_precision,
       attributed_by
FROM w
JOIN how USING (runtime)
ORDER BY w.runtime = 'unattributed', wru_per_write, w.runtime;
