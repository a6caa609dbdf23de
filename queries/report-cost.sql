-- report: Lambda cost per runtime (per invocation, summed), ranked cheapest first: total, per 1M as observed and with no cold starts, whether init was billed, architecture and region and where they came from, price table version
WITH priced AS (
    SELECT s.runtime, s.cold_start, s.init_ms, s.billed_ms, s.duration_ms, o.arch, o.arch_from,
           coalesce(o.region, e.region, 'us-east-1') AS region,
           CASE WHEN o.region IS NOT NULL THEN 'option'
                WHEN e.region IS NOT NULL THEN 'runtime ARN'
                ELSE 'default' END AS region_from,
           cost_usd(s.memory_mb, s.billed_ms, o.arch, coalesce(o.region, e.region, 'us-east-1')) AS usd
    FROM sel s
    CROSS JOIN opts o
    LEFT JOIN (SELECT function, max(region) AS region FROM environments GROUP BY function) e
           ON e.function = s.function
), r AS (
    SELECT runtime, count(*) AS invocations, count(usd) AS priced, sum(usd) AS total,
           1e6 * avg(usd) AS per_1m, 1e6 * avg(CASE WHEN cold_start = 0 THEN usd END) AS per_1m_warm,
           CASE WHEN count(CASE WHEN cold_start = 1 THEN init_ms END) = 0 THEN 'no cold start'
                WHEN avg(CASE WHEN cold_start = 1 AND init_ms IS NOT NULL
                              THEN billed_ms - (CAST(duration_ms AS INTEGER) +
                                                (duration_ms > CAST(duration_ms AS INTEGER))) END)
                     >= 0.5 * avg(CASE WHEN cold_start = 1 THEN init_ms END) THEN 'yes'
                ELSE 'no' END AS init_billed,
           max(arch) AS arch, max(arch_from) AS arch_from,
           group_concat(DISTINCT region) AS regions, group_concat(DISTINCT region_from) AS region_from
    FROM priced
    GROUP BY runtime
)
SELECT runtime, invocations, priced, round(total, 6) AS cost_usd, round(per_1m, 4) AS per_1m_usd,
       round(per_1m / min(per_1m) OVER (), 2) AS per_1m_x_best, round(per_1m_warm, 4) AS per_1m_no_cold_usd,
       init_billed, arch, arch_from, regions, region_from, price_table_version() AS prices
FROM r
ORDER BY per_1m;
