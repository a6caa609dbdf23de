-- DynamoDB stream records per table, origin and event: records, TTL deletes, runtimes, first and last time, timestamp precision, stream view types
SELECT coalesce(table_name, '') AS table_name, origin, event_name, count(*) AS records,
       sum(ttl_delete) AS ttl_deletes, count(DISTINCT runtime) AS runtimes,
       strftime('%Y-%m-%dT%H:%M:%SZ', min(approx_ts_ms) / 1000, 'unixepoch') AS first,
       strftime('%Y-%m-%dT%H:%M:%SZ', max(approx_ts_ms) / 1000, 'unixepoch') AS last,
       group_concat(DISTINCT ts_precision) AS ts_precision,
       group_concat(DISTINCT stream_view_type) AS view_types
FROM ssel
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3;
