-- the 20 slowest invocations, with what made them slow
SELECT runtime, function, request_id,
       strftime('%Y-%m-%dT%H:%M:%fZ', ts_ms / 1000.0, 'unixepoch') AS time,
       duration_ms, init_ms, cold_start, status, error_type, max_memory_mb
FROM invocations
ORDER BY duration_ms DESC
LIMIT 20;
