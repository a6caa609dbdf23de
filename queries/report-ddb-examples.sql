-- report: up to three examples of each schema violation per runtime (new images): the attribute, what is wrong, the record's event, keys and time
SELECT runtime, kind, attribute, detail, event_name, keys,
       strftime('%Y-%m-%dT%H:%M:%SZ', approx_ts_ms / 1000, 'unixepoch') AS time
FROM (
    SELECT *, row_number() OVER (PARTITION BY runtime, kind ORDER BY approx_ts_ms, record_id, seq) AS k
    FROM vsel
    WHERE image = 'new'
)
WHERE k <= 3
ORDER BY runtime, kind, k;
