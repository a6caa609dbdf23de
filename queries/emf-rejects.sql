-- EMF documents that gave no metric, per file and reason, with the first problems the file kept
SELECT f.path, r.reason, r.documents,
       (SELECT group_concat(coalesce('line ' || p.line, 'byte ' || p.offset_bytes) || ': ' || p.message, ' / ')
          FROM problems AS p
         WHERE p.file_id = f.file_id AND p.message LIKE 'EMF document%') AS first_problems
FROM metric_rejects AS r
JOIN files AS f USING (file_id)
ORDER BY f.path, r.reason;
