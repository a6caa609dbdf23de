-- application log lines per runtime and level
SELECT coalesce(fn.runtime, 'unknown') AS runtime, l.level, sum(l.lines) AS lines
FROM log_levels l LEFT JOIN functions fn USING (function)
GROUP BY 1, 2
ORDER BY 1, 2;
