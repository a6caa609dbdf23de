-- report: Lambda cost per runtime (per invocation, summed), ranked cheapest first: total, per 1M as observed and with no cold starts, whether init was billed, architecture and region and where they came from, price table version
WITH fp AS (
    -- per function: architecture (option, else map file, else x86_64) and region (the runtime
    -- ARN, else option, else map file, else us-east-1), and where each came from
    SELECT f.function,
           coalesce(o.arch, f.architecture, 'x86_64') AS arch,
           CASE WHEN o.arch IS NOT NULL THEN 'option'
                WHEN f.architecture IS NOT NULL THEN 'map file'
                ELSE 'default' END AS arch_from,
           coalesce(e.region, o.region, f.region, 'us-east-1') AS region,
           CASE WHEN e.region IS NOT NULL THEN 'runtime ARN'
                WHEN o.region IS NOT NULL THEN 'option'
                WHEN f.region IS NOT NULL THEN 'map file'
                ELSE 'default' END AS region_from
    FROM functions f
    CROSS JOIN opts o
    LEFT JOIN (SELECT function, max(region) AS region FROM environments GROUP BY function) e
           USING (function)
), priced AS (
    SELECT s.runtime, s.cold_start, s.init_ms, s.billed_ms, s.duration_ms, fp.arch, fp.arch_from,
           fp.region, fp.region_from, cost_usd(s.memory_mb, s.billed_ms, fp.arch, fp.region) AS usd
    FROM sel s
    JOIN fp USING (function)
), r AS (
    SELECT runtime, count(*) AS invocations, count(usd) AS priced, sum(usd) AS total,
           1e6 * avg(usd) AS per_1m, 1e6 * avg(CASE WHEN cold_start = 0 THEN usd END) AS per_1m_warm,
           CASE WHEN count(CASE WHEN cold_start = 1 THEN init_ms END) = 0 THEN 'no cold start'
                WHEN avg(CASE WHEN cold_start = 1 AND init_ms IS NOT NULL
                              THEN billed_ms - (CAST(duration_ms AS INTEGER) +
                                                (duration_ms > CAST(duration_ms AS INTEGER))) END)
                     >= 0.5 * avg(CASE WHEN cold_start = 1 THEN init_ms END) THEN 'yes'
                ELSE 'no' END AS init_billed,
           group_concat(DISTINCT arch) AS arch, group_concat(DISTINCT arch_from) AS arch_from,
           group_concat(DISTINCT region) AS regions, group_concat(DISTINCT region_from) AS region_from
    FROM priced
    GROUP BY runtime
)
SELECT runtime, invocations, priced, round(total, 6) AS cost_usd, round(per_1m, 4) AS per_1m_usd,
       round(per_1m / min(per_1m) OVER (), 2) AS per_1m_x_best, round(per_1m_warm, 4) AS per_1m_no_cold_usd,
       init_billed, arch, arch_from, regions, region_from, price_table_version() AS prices
FROM r
ORDER BY per_1m;
