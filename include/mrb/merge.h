/* merge.h — one database from shards made by separate ingests.
 *
 * A shard's rows are added to the output by natural keys (docs/SCHEMA.md),
 * never by row id: file ids, environment, series, stream and record ids
 * are mapped to the output's. What two shards both hold is stored once:
 * an invocation by (ts_ms, request_id) (untimed ones by request id, and not
 * when a timed row has it), an EMF event by (log stream, ts_ms, event key,
 * chunk), a stream record by dedupe_key, a file by (path, size, CRC-32), a
 * price by (rate, region, begin_range), an API Gateway request by its
 * request id, an X-Ray trace by its id and a segment by (trace, id), a
 * CloudWatch metric value by (namespace, metric, dimensions, statistic,
 * period, time). When both hold an invocation, the
 * stronger function provenance wins (function_rank, as in ingest); at
 * equal rank the row of the file ingested first (files.first_ingested_at,
 * then path) is kept, so merging is commutative: A+B and B+A hold the same
 * rows, and merging again adds nothing. Environment counts are counted
 * again from the merged invocations; a function's runtime comes from its
 * strongest source (map, runtime version, name); a price from the newer
 * offer version; records still unattributed are attributed again. An API
 * Gateway request or an X-Ray trace both hold is merged column by column
 * as ingest merges its lines: each column from the row of the earlier file
 * when that row knows it, else from the other (the earliest time; access
 * and execution flags from either); segments and metric values are taken
 * whole from the earlier file's row.
 *
 * Shards of an older schema version are migrated forward when opened (as
 * every command does); a newer one is refused. */
#ifndef MRB_MERGE_H
#define MRB_MERGE_H

#include "mrb/err.h"

typedef struct store store;

typedef struct merge_totals {
    long long files_new;        /* files rows added */
    long long invocations_new;  /* invocations added */
    long long invocations_relabelled; /* known invocations that took a stronger row */
    long long events_new;       /* metric_events rows added */
    long long records_new;      /* stream_records added */
    long long prices_new;       /* price rows added or replaced */
    long long apigw_new;        /* apigw_requests rows added */
    long long traces_new;       /* xray_traces rows added */
    long long segments_new;     /* xray_segments rows added */
    long long metric_values_new; /* cw_metric_values rows added */
} merge_totals;

/* Merges the shard database at path into out (one transaction). The
 * shard is opened with store_open first (migrating it when older). Adds
 * to *t. 0, or -1 with err (nothing of the shard merged). */
int merge_shard(store *out, const char *path, merge_totals *t, mrb_err *err);

/* After the last shard: environment counts from the merged invocations,
 * and stream record attribution. 0, or -1 with err. */
int merge_finish(store *out, mrb_err *err);

#endif
