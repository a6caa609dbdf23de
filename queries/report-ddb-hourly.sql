-- report: DynamoDB writes per UTC hour and runtime: INSERT, MODIFY, REMOVE (TTL deletes apart), write request units
SELECT strftime('%Y-%m-%dT%H:00Z', approx_ts_ms / 1000, 'unixepoch') AS hour, runtime,
       count(*) AS records,
       sum(event_name = 'INSERT') AS inserts,
       sum(event_name = 'MODIFY') AS modifies,
       sum(event_name = 'REMOVE' AND ttl_delete = 0) AS removes,
       sum(ttl_delete) AS ttl_deletes,
       sum(wru) AS wru
FROM ssel
GROUP BY 1, 2
ORDER BY 1, 2;
