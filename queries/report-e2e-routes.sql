-- report: client latency per runtime, route and method (API Gateway requests), ranked per route by client p50
SELECT runtime, coalesce(http_method, '?') AS method, coalesce(resource_path, '?') AS route,
       count(*) AS requests,
       round(percentile(response_latency_ms, 50), 2) AS client_p50_ms,
       round(percentile(response_latency_ms, 99), 2) AS client_p99_ms,
       round(percentile(apigw_overhead_ms, 50), 2) AS apigw_overhead_p50_ms,
       round(percentile(lambda_duration_ms, 50), 2) AS lambda_duration_p50_ms,
       sum(status BETWEEN 400 AND 499) AS n_4xx, sum(status BETWEEN 500 AND 599) AS n_5xx
FROM asel
GROUP BY runtime, method, replace(coalesce(resource_path, '?'), '/' || runtime || '/', '/{runtime}/')
ORDER BY replace(coalesce(resource_path, '?'), '/' || runtime || '/', '/{runtime}/'), method,
         client_p50_ms IS NULL, client_p50_ms, runtime;
