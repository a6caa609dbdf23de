-- report: the item schema check per runtime (identical behaviour): records, new images checked, records whose new image breaks the schema, violations of new images by kind, violations of old images (what an earlier write left)
WITH r AS (
    SELECT runtime, count(*) AS records, sum(new_image IS NOT NULL) AS new_images
    FROM ssel
    GROUP BY runtime
), v AS (
    SELECT runtime,
           count(DISTINCT CASE WHEN image = 'new' THEN record_id END) AS violating,
           sum(image = 'new' AND kind = 'missing-attribute') AS missing_attribute,
           sum(image = 'new' AND kind = 'extra-attribute') AS extra_attribute,
           sum(image = 'new' AND kind = 'wrong-type') AS wrong_type,
           sum(image = 'new' AND kind = 'timestamp-in-seconds') AS timestamp_in_seconds,
           sum(image = 'new' AND kind = 'negative-number') AS negative_number,
           sum(image = 'new' AND kind = 'updated-before-created') AS updated_before_created,
           sum(image = 'old') AS old_image_violations
    FROM vsel
    GROUP BY runtime
)
SELECT r.runtime, records, new_images, coalesce(violating, 0) AS records_violating,
       round(100.0 * coalesce(violating, 0) / nullif(new_images, 0), 2) AS violating_pct,
       coalesce(missing_attribute, 0) AS missing_attribute,
       coalesce(extra_attribute, 0) AS extra_attribute, coalesce(wrong_type, 0) AS wrong_type,
       coalesce(timestamp_in_seconds, 0) AS timestamp_in_seconds,
       coalesce(negative_number, 0) AS negative_number,
       coalesce(updated_before_created, 0) AS updated_before_created,
       coalesce(old_image_violations, 0) AS old_image_violations
FROM r
LEFT JOIN v USING (runtime)
ORDER BY r.runtime = 'unattributed', 1.0 * coalesce(violating, 0) / nullif(new_images, 0), r.runtime;
