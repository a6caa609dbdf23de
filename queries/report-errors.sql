-- report: failures per runtime and cause (timeouts, Lambda error types, the first error the function logged)
SELECT runtime, status, coalesce(error_type, first_error_type, '') AS cause,
       count(*) AS invocations, sum(app_errors) AS error_lines
FROM sel
WHERE status <> 'success' OR app_errors > 0
GROUP BY runtime, status, cause
ORDER BY runtime, invocations DESC, cause;
