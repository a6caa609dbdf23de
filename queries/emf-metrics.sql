-- EMF metric definitions: every namespace and metric with its unit, resolution, dimension sets, values and time range
SELECT d.namespace, d.metric, d.unit, d.storage_resolution, d.dimension_sets,
       (SELECT count(*) FROM msel AS m
         WHERE m.namespace = d.namespace AND m.metric = d.metric AND m.unit = d.unit) AS n_values,
       strftime('%Y-%m-%dT%H:%M:%fZ', d.first_ts_ms / 1000.0, 'unixepoch') AS first_seen,
       strftime('%Y-%m-%dT%H:%M:%fZ', d.last_ts_ms / 1000.0, 'unixepoch') AS last_seen
FROM metric_definitions AS d
ORDER BY d.namespace, d.metric, d.unit, d.dimension_sets;
