/* cw_export.h — what identifies a CloudWatch metric export's values.
 *
 * `aws cloudwatch get-metric-data` output names each result by its query Id
 * and Label only; `get-metric-statistics` output by its Label (the metric
 * name) only. Neither says the namespace, the dimensions or the period, so
 * they come from one of two places, never from a guess:
 *
 *  1. the document itself: a get-metric-data output merged with its query
 *     ({"MetricDataQueries": [...], "MetricDataResults": [...]}, e.g.
 *     `jq -s '{MetricDataQueries: .[0]} + .[1]' queries.json out.json`):
 *     each result takes its query's MetricStat (Namespace, MetricName,
 *     Dimensions, Period, Stat, Unit);
 *  2. the file's path, Hive style: components `key=value` (value
 *     percent-decoded, so `namespace=AWS%2FLambda`; the last component
 *     without its .json / .gz / .txt endings). Keys: namespace, metric,
 *     period (seconds), stat (get-metric-data only; get-metric-statistics
 *     names its statistics in every datapoint), dimensions=none (a metric
 *     without dimensions); any other key is a dimension
 *     (FunctionName=mrb-python-dev, TableName=..., ApiName=..., Stage=...).
 *     Example: metrics/namespace=AWS%2FLambda/FunctionName=mrb-python-dev/
 *     period=60/metric=Duration.json
 *
 * A value whose namespace, metric, statistic or dimensions are not known
 * this way is an error (the file is not stored). A missing period is NULL
 * with a warning. Pure functions, no allocation beyond the caller's. */
#ifndef MRB_CW_EXPORT_H
#define MRB_CW_EXPORT_H

#include <jansson.h>
#include "mrb/err.h"

/* What identifies a series; NULL / has_period 0 when not known. Strings are
 * borrowed (from the path buffer or a json_t). dims is a JSON object text
 * of the dimensions, keys sorted ("{}" for none), owned by the struct. */
typedef struct cw_ident {
    const char *ns, *metric, *stat, *unit;
    int has_period;
    long long period_s;
    int has_dims;          /* dimensions known (possibly none) */
    char dims[1024];
} cw_ident;

/* The identity the path spells. buf (size bytes) holds the decoded values
 * ident points into. Returns the number of keys found (0: none), or -1 with
 * err (a key given twice, a bad period, a bad percent escape). */
int cw_path_ident(const char *path, char *buf, size_t size, cw_ident *ident, mrb_err *err);

/* The identity of a get-metric-data query (a MetricDataQueries element with
 * a MetricStat): 1; 0 for an Expression query (no metric of its own); -1
 * with err when the MetricStat is malformed. Strings borrowed from q. */
int cw_query_ident(const json_t *q, cw_ident *ident, mrb_err *err);

/* Fills what a lacks from b (a's own values win); dims likewise. */
void cw_ident_fill(cw_ident *a, const cw_ident *b);

/* The dimension value called name in a JSON dims text, copied into out, or
 * 0 when absent. */
int cw_dim_value(const char *dims, const char *name, char *out, size_t size);

#endif
