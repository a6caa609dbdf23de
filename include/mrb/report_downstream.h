/* report_downstream.h — the report's parts from X-Ray traces and CloudWatch
 * metrics: the "Downstream" and "DynamoDB metrics" sections and the
 * metrics' half of the "Alarms replay".
 *
 * report_downstream_select makes the selection's views (after
 * queries_select, which makes sel and ssel): xlsel (the traced Lambda
 * function segments, xray_lambda, with ts_ms and run from their invocation,
 * else the segment's start and NULL), xsel (the downstream calls,
 * xray_calls, of those segments) and cwsel (cw_metrics with run from their
 * file). where is the report's condition on ts_ms and run, or NULL.
 *
 * Every table comes from a named query (report_table.h); text from the
 * inputs is escaped (out.h) and sanitised in gnuplot scripts (plot.h). */
#ifndef MRB_REPORT_DOWNSTREAM_H
#define MRB_REPORT_DOWNSTREAM_H

#include <stdio.h>
#include "mrb/err.h"
#include "mrb/report_plots.h"

typedef struct sqlite3 sqlite3;

/* 0, or -1 with err. */
int report_downstream_select(sqlite3 *db, const char *where, mrb_err *err);

/* Appends the two sections to md (with a chart of DynamoDB call latency
 * per runtime into dir) and their members to json (",\n\"downstream_match\":
 * [...]", lambda_phases, downstream, ddb_metrics, ddb_latency). 0 (gnuplot's
 * absence is a note), or -1 with err. */
int report_downstream(sqlite3 *db, const char *dir, FILE *md, FILE *json,
                      report_plot_state *st, mrb_err *err);

/* Appends the metrics' evaluation of the alarms beside the logs' to the
 * Alarms replay section (md) and ",\n\"alarms_metrics\": [...]" to json. */
int report_alarms_metrics(sqlite3 *db, FILE *md, FILE *json, mrb_err *err);

#endif
