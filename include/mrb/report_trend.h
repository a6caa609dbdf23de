/* report_trend.h — the report's "Trend" section: the last N nights.
 *
 * A night is a UTC day. For the N days ending with the selection's last
 * day, per runtime and night: invocations, warm p50 / p99, init p50,
 * cold-start rate and cost per 1M, and where API Gateway requests were
 * ingested client p50 / p99, API Gateway overhead p50, 4xx / 5xx rates and
 * cost per 1M requests end to end (their columns shown only then; NULL for
 * a night without requests) (queries/report-trend.sql). Each night's
 * value is set against the band of the nights before it in the window —
 * median ± IQR (R-7 quartiles) of at least three earlier nights — and a
 * night outside the band is flagged, per metric, with the direction. A
 * chart draws warm p50 per runtime and night.
 *
 * Ownership: nothing is kept; md and json are the caller's. */
#ifndef MRB_REPORT_TREND_H
#define MRB_REPORT_TREND_H

#include <stdio.h>

#include "mrb/err.h"
#include "mrb/report_plots.h"

typedef struct sqlite3 sqlite3;

#define TREND_MIN_BAND 3 /* earlier nights a band needs */

/* Writes the section's body (table and chart) to md and its JSON value
 * (an array of rows) to json. 0, or -1 with err. */
int report_trend(sqlite3 *db, int nights, const char *dir, FILE *md, FILE *json,
                 report_plot_state *st, mrb_err *err);

#endif
