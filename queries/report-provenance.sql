-- report: what the numbers come from: per function, runtime and why, runtime versions, regions, memory sizes, architecture, files, time range
WITH s AS (
    SELECT function, group_concat(DISTINCT memory_mb) AS memory_mb, count_distinct(file_id) AS files,
           min(ts_ms) AS first_ms, max(ts_ms) AS last_ms
    FROM sel
    GROUP BY function
), e AS (
    SELECT function, group_concat(DISTINCT runtime_version) AS runtime_versions,
           group_concat(DISTINCT region) AS regions
    FROM environments
    GROUP BY function
)
SELECT f.runtime, f.function, f.runtime_source, e.runtime_versions, e.regions, s.memory_mb,
       coalesce(o.arch || ' (option)', f.architecture || ' (map file)', 'x86_64 (default)') AS arch,
       s.files,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.first_ms / 1000, 'unixepoch') AS first,
       strftime('%Y-%m-%dT%H:%M:%SZ', s.last_ms / 1000, 'unixepoch') AS last
FROM s
JOIN functions f USING (function)
CROSS JOIN opts o
LEFT JOIN e USING (function)
ORDER BY f.runtime, f.function;
