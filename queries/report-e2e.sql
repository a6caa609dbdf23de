-- report: per runtime, ranked by client p50: API Gateway requests, how many joined a Lambda invocation, client latency p50/p90/p99 (responseLatency) split into API Gateway overhead (latency - integration latency), Lambda init (cold requests), Lambda duration and the remainder (integration latency - init - duration: Lambda's invoke path), status mix and API Gateway-side errors
WITH r AS (
    SELECT runtime,
           count(*) AS requests,
           sum(invocation_id IS NOT NULL) AS with_invocation,
           round(percentile(response_latency_ms, 50), 2) AS client_p50_ms,
           round(percentile(response_latency_ms, 90), 2) AS client_p90_ms,
           round(percentile(response_latency_ms, 99), 2) AS client_p99_ms,
           round(percentile(apigw_overhead_ms, 50), 2) AS apigw_overhead_p50_ms,
           round(percentile(CASE WHEN cold_start = 1 THEN init_ms END, 50), 2) AS init_cold_p50_ms,
           sum(cold_start = 1) AS cold_requests,
           round(percentile(lambda_duration_ms, 50), 2) AS lambda_duration_p50_ms,
           round(percentile(integration_latency_ms - lambda_duration_ms
                            - CASE WHEN cold_start = 1 THEN coalesce(init_ms, 0) ELSE 0 END, 50), 2)
               AS remainder_p50_ms,
           round(100.0 * sum(status BETWEEN 200 AND 299) / count(status), 2) AS pct_2xx,
           round(100.0 * sum(status BETWEEN 400 AND 499) / count(status), 2) AS pct_4xx,
           round(100.0 * sum(status BETWEEN 500 AND 599) / count(status), 2) AS pct_5xx,
           sum(status = 429) AS throttled_429,
           sum(status = 504) AS timeout_504,
           sum(status >= 400 AND (lambda_status IS NULL OR lambda_status = 'success')) AS apigw_only_errors
    FROM asel
    GROUP BY runtime
)
SELECT runtime, requests, with_invocation, client_p50_ms,
       round(client_p50_ms / min(client_p50_ms) OVER (), 2) AS client_p50_x_best,
       client_p90_ms, client_p99_ms, apigw_overhead_p50_ms, cold_requests, init_cold_p50_ms,
       lambda_duration_p50_ms, remainder_p50_ms, pct_2xx, pct_4xx, pct_5xx, throttled_429,
       timeout_504, apigw_only_errors
FROM r
ORDER BY client_p50_ms IS NULL, client_p50_ms, runtime;
