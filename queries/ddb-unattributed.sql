-- stream records no runtime was found for, and why: no item id in the keys, logs not asked (map), an id that is not a UUID, no time, or no function's log names it (within 15 minutes)
SELECT coalesce(table_name, '') AS table_name, event_name, ttl_delete, keys,
       strftime('%Y-%m-%dT%H:%M:%SZ', approx_ts_ms / 1000, 'unixepoch') AS time,
       CASE WHEN item_id IS NULL THEN 'no item id, or log-ids=no'
            WHEN approx_ts_ms IS NULL THEN 'no ApproximateCreationDateTime'
            WHEN length(item_id) <> 36 OR item_id NOT GLOB
                 '[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]-*'
                 THEN 'the item id is not a UUID'
            ELSE 'no log names the id' END AS why
FROM ssel
WHERE runtime_source = 'unattributed'
ORDER BY approx_ts_ms, record_id;
