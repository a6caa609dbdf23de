-- report: custom metrics (EMF) per namespace, metric and runtime: values, sum, p50 / p99 / max, unit
SELECT namespace,
       metric,
       runtime,
       count(*) AS n,
       round(sum(value), 2) AS sum,
       round(percentile(value, 50), 2) AS p50,
       round(percentile(value, 99), 2) AS p99,
       round(max(value), 2) AS max,
       unit
FROM msel
GROUP BY namespace, metric, runtime, unit
ORDER BY namespace, metric, runtime, unit;
