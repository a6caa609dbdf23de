/* report_metrics.h — the report's "Custom metrics" section (EMF).
 *
 * From the view msel (the EMF metric values of the report's selection, see
 * queries.h) and sel: the table of queries/report-metrics.sql (per
 * namespace, metric and runtime: n, sum, p50, p99, max, unit), the
 * cross-check line of queries/report-metrics-coldstart.sql (the Powertools
 * ColdStart metric against the cold starts REPORT lines show, per runtime,
 * mismatches called out), and a box plot per runtime for each metric every
 * runtime with custom metrics emits (at most REPORT_METRIC_CHARTS; Lambda
 * Insights' own metrics are not custom). Names from the logs are escaped in
 * Markdown and sanitised in gnuplot scripts. */
#ifndef MRB_REPORT_METRICS_H
#define MRB_REPORT_METRICS_H

#include <stdio.h>
#include "mrb/err.h"
#include "mrb/metric_stats.h"
#include "mrb/report_plots.h"

#define REPORT_METRIC_CHARTS 3

typedef struct sqlite3 sqlite3;

/* Appends the section (its values loaded by job, started with
 * metric_stats_start, or here when job is NULL; job is freed) to md and its two summary.json members
 * (",\n\"custom_metrics\": [...],\n\"coldstart_check\": [...]") to json;
 * charts go to dir. Returns 0 (gnuplot's absence or failure is a note, as
 * in report_plots.h), or -1 with err when a query or a write fails. */
int report_metrics(sqlite3 *db, metric_stats_job *job, const char *dir, FILE *md, FILE *json,
                   report_plot_state *st, mrb_err *err);

#endif
