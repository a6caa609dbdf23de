/* report_ddb.h — the report's "DynamoDB writes" section (stream records).
 *
 * From the views ssel and vsel (the stream records of the report's
 * selection and their schema violations, see queries.h): the tables of
 * queries/report-ddb-writes.sql (per runtime: records, INSERT / MODIFY /
 * REMOVE, TTL deletes, item sizes, write request units, on-demand write
 * cost, write-to-stream lag, how the runtime was attributed),
 * report-ddb-conformance.sql (the item schema check per runtime, violations
 * by kind), report-ddb-examples.sql (three examples of each) and
 * report-ddb-hourly.sql, and two charts: writes per minute per runtime and
 * item sizes per runtime against 1 KB (one write request unit). Text from
 * the records is escaped in Markdown (out.h) and sanitised in gnuplot
 * scripts (plot.h). */
#ifndef MRB_REPORT_DDB_H
#define MRB_REPORT_DDB_H

#include <stdio.h>
#include "mrb/err.h"
#include "mrb/report_plots.h"

typedef struct sqlite3 sqlite3;

/* Appends the section to md and its summary.json members (",\n\"ddb_writes\":
 * [...]", then ddb_conformance, ddb_examples, ddb_hourly) to json; charts go
 * to dir. Returns 0 (gnuplot's absence or failure is a note, as in
 * report_plots.h), or -1 with err when a query or a write fails. */
int report_ddb(sqlite3 *db, const char *dir, FILE *md, FILE *json, report_plot_state *st,
               mrb_err *err);

#endif
