-- report: what the numbers come from: per function, runtime and why, runtime versions, regions, memory sizes, architecture, files, time range
SELECT f.runtime, f.function, f.runtime_source,
       (SELECT group_concat(DISTINCT e.runtime_version) FROM environments e WHERE e.function = f.function) AS runtime_versions,
       (SELECT group_concat(DISTINCT e.region) FROM environments e WHERE e.function = f.function) AS regions,
       (SELECT group_concat(DISTINCT s.memory_mb) FROM sel s WHERE s.function = f.function) AS memory_mb,
       (SELECT arch || ' (' || arch_from || ')' FROM opts) AS arch,
       (SELECT count(DISTINCT s.file_id) FROM sel s WHERE s.function = f.function) AS files,
       (SELECT strftime('%Y-%m-%dT%H:%M:%SZ', min(s.ts_ms) / 1000, 'unixepoch') FROM sel s WHERE s.function = f.function) AS first,
       (SELECT strftime('%Y-%m-%dT%H:%M:%SZ', max(s.ts_ms) / 1000, 'unixepoch') FROM sel s WHERE s.function = f.function) AS last
FROM functions f
WHERE f.function IN (SELECT DISTINCT function FROM sel)
ORDER BY f.runtime, f.function;
