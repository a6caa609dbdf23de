-- every function with its runtime label, why, the runtime versions and memory sizes seen
SELECT f.function, f.runtime, f.runtime_source, f.runtime_version,
       (SELECT count(*) FROM environments e WHERE e.function = f.function) AS environments,
       (SELECT group_concat(DISTINCT memory_mb) FROM invocations i WHERE i.function = f.function) AS memory_mb
FROM functions f
ORDER BY f.runtime, f.function;
