-- per runtime: Lambda cost in total, per 1M requests as observed, and per 1M with no cold starts
WITH priced AS (
    SELECT i.runtime, i.cold_start,
           cost_usd(i.memory_mb, i.billed_ms, 'x86_64', coalesce(e.region, 'us-east-1')) AS usd
    FROM invocations i
    LEFT JOIN (SELECT function, max(region) AS region FROM environments GROUP BY function) e
           ON e.function = i.function
)
SELECT runtime,
       count(*) AS invocations,
       round(sum(usd), 6) AS cost_usd,
       round(1e6 * avg(usd), 4) AS per_1m_usd,
       round(1e6 * avg(CASE WHEN cold_start = 0 THEN usd END), 4) AS per_1m_no_cold_usd,
       count(usd) AS priced,
       price_table_version() AS prices
FROM priced
GROUP BY runtime
ORDER BY per_1m_usd;
