-- every item schema violation of the stream records: runtime, image (new / old), kind, attribute, detail, event, keys, time, file
SELECT v.runtime, v.image, v.kind, v.attribute, v.detail, v.event_name, v.keys,
       strftime('%Y-%m-%dT%H:%M:%SZ', v.approx_ts_ms / 1000, 'unixepoch') AS time,
       f.path AS file, s.line
FROM vsel v
JOIN stream_records s USING (record_id)
LEFT JOIN files f ON f.file_id = s.file_id
ORDER BY v.runtime, v.approx_ts_ms, v.record_id, v.image, v.seq;
