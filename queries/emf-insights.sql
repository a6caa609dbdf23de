-- Lambda Insights next to each invocation, joined by request id: duration_ms beside cpu_total_time, memory and network
WITH li AS (
    SELECT function, request_id, ts_ms,
           max(CASE metric WHEN 'cpu_total_time' THEN value END) AS cpu_total_time_ms,
           max(CASE metric WHEN 'used_memory_max' THEN value END) AS used_memory_max_mb,
           max(CASE metric WHEN 'memory_utilization' THEN value END) AS memory_utilization_pct,
           max(CASE metric WHEN 'total_network' THEN value END) AS total_network_bytes,
           max(CASE metric WHEN 'init_duration' THEN value END) AS init_duration_ms
    FROM msel
    WHERE namespace = 'LambdaInsights' AND request_id IS NOT NULL
    GROUP BY function, request_id, ts_ms
)
SELECT i.runtime, i.function, i.request_id, i.ts_ms, i.cold_start,
       i.duration_ms, li.cpu_total_time_ms,
       round(li.cpu_total_time_ms / i.duration_ms, 3) AS cpu_per_wall,
       i.max_memory_mb, li.used_memory_max_mb, li.memory_utilization_pct,
       li.total_network_bytes, i.init_ms, li.init_duration_ms
FROM sel AS i
CROSS JOIN li -- each invocation looks its request id up in li (an automatic index)
  ON li.request_id = i.request_id AND li.function = i.function
 AND li.ts_ms BETWEEN i.ts_ms - 960000 AND i.ts_ms + 960000
ORDER BY i.runtime, i.ts_ms;
