-- report: Lambda cost per runtime (per invocation, summed), ranked cheapest first: total, per 1M as observed, per 1M with no cold starts
WITH priced AS (
    SELECT s.runtime, s.cold_start,
           cost_usd(s.memory_mb, s.billed_ms, 'x86_64', coalesce(e.region, 'us-east-1')) AS usd
    FROM sel s
    LEFT JOIN environments e ON e.function = s.function AND e.log_stream = coalesce(s.log_stream, '')
), r AS (
    SELECT runtime, count(*) AS invocations, count(usd) AS priced, sum(usd) AS total,
           1e6 * avg(usd) AS per_1m, 1e6 * avg(CASE WHEN cold_start = 0 THEN usd END) AS per_1m_warm
    FROM priced
    GROUP BY runtime
)
SELECT runtime, invocations, priced, round(total, 6) AS cost_usd, round(per_1m, 4) AS per_1m_usd,
       round(per_1m / min(per_1m) OVER (), 2) AS per_1m_x_best, round(per_1m_warm, 4) AS per_1m_no_cold_usd
FROM r
ORDER BY per_1m;
