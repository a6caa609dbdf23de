-- report: cost per runtime, ranked cheapest first: Lambda (per invocation, summed; per 1M as observed and with no cold starts; whether init was billed; architecture and region and where they came from), DynamoDB on-demand writes of its stream records, Lambda + DynamoDB, the price table of each region
WITH i AS (
    SELECT runtime, function, cold_start, init_ms, billed_ms, duration_ms,
           fcost_usd(function, memory_mb, billed_ms) AS usd -- cost_usd with fprice's arch, region
    FROM sel
), f AS (
    -- per function and start kind first: a function's price is one architecture and region
    SELECT runtime, function, cold_start, count(*) AS invocations, count(usd) AS priced,
           sum(usd) AS total, sum(init_ms) AS init_sum,
           sum(CASE WHEN init_ms IS NOT NULL
                    THEN billed_ms - (CAST(duration_ms AS INTEGER) +
                                      (duration_ms > CAST(duration_ms AS INTEGER))) END)
               AS billed_beyond_duration
    FROM i
    GROUP BY runtime, function, cold_start
), r AS (
    SELECT f.runtime, sum(invocations) AS invocations, sum(priced) AS priced, sum(total) AS total,
           1e6 * sum(total) / sum(priced) AS per_1m,
           1e6 * sum(CASE WHEN cold_start = 0 THEN total END) /
               sum(CASE WHEN cold_start = 0 THEN priced END) AS per_1m_warm,
           -- init was billed when, on cold starts, billed minus rounded-up duration is at
           -- least half the init
           CASE WHEN sum(CASE WHEN cold_start = 1 THEN init_sum END) IS NULL THEN 'no cold start'
                WHEN sum(CASE WHEN cold_start = 1 THEN billed_beyond_duration END) >=
                     0.5 * sum(CASE WHEN cold_start = 1 THEN init_sum END) THEN 'yes'
                ELSE 'no' END AS init_billed,
           group_concat(DISTINCT p.arch) AS arch, group_concat(DISTINCT p.arch_from) AS arch_from,
           group_concat(DISTINCT p.region) AS regions,
           group_concat(DISTINCT p.region_from) AS region_from,
           -- which table priced each region: shipped or imported (with its version)
           group_concat(DISTINCT p.region || ' ' || p.arch || ': ' ||
                        CASE WHEN cost_usd(0, 0, p.arch, p.region) IS NULL THEN 'no price'
                             ELSE price_table('lambda_gb_second_' || p.arch, p.region) END)
               AS prices
    FROM f
    JOIN fprice p USING (function)
    GROUP BY f.runtime
), d AS (
    -- the runtime's DynamoDB writes (stream records of the same selection), priced in the
    -- table's region
    SELECT runtime, sum(ttl_delete = 0) AS ddb_writes, sum(wru) AS ddb_wru,
           sum(ddb_cost_usd(wru, coalesce(region, 'us-east-1'))) AS ddb_total
    FROM ssel
    GROUP BY runtime
)
SELECT runtime, invocations, priced, round(total, 6) AS cost_usd, round(per_1m, 4) AS per_1m_usd,
       round(per_1m / min(per_1m) OVER (), 2) AS per_1m_x_best, round(per_1m_warm, 4) AS per_1m_no_cold_usd,
       init_billed, arch, arch_from, regions, region_from,
       coalesce(ddb_writes, 0) AS ddb_writes, coalesce(ddb_wru, 0) AS ddb_wru,
       round(coalesce(ddb_total, 0), 8) AS ddb_cost_usd,
       round(total + coalesce(ddb_total, 0), 6) AS lambda_ddb_usd,
       prices
FROM r
LEFT JOIN d USING (runtime)
ORDER BY per_1m;
