-- what was ingested: shapes, counts, and every rejected file with its error
SELECT status, shape, count(*) AS files, sum(events) AS events,
       sum(invocations_new) AS invocations_added, sum(rejected_records) AS records_skipped,
       group_concat(CASE WHEN status = 'rejected' THEN path || ': ' || error END, '; ') AS errors
FROM files
GROUP BY status, shape
ORDER BY status, shape;
