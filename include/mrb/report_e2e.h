/* report_e2e.h — the report's "End to end" and "Cost per 1M requests, the
 * whole stack" sections (API Gateway requests joined to Lambda).
 *
 * From the view asel (request_paths of the report's selection: where reads
 * its ts_ms and run), sel, ssel and fprice (queries.h): the tables of
 * queries/report-e2e.sql (per runtime, best client p50 first),
 * report-e2e-match.sql (how requests joined invocations, and why not),
 * report-e2e-routes.sql (per route and method) and report-e2e-cost.sql
 * (per runtime, best first, each part's rate source named; a part without
 * a rate or a measure is NULL and said so), with a bar chart of client p50
 * and one of the known cost per 1M requests. Without API Gateway requests
 * in the selection the sections say so.
 *
 * Ownership: nothing is kept. */
#ifndef MRB_REPORT_E2E_H
#define MRB_REPORT_E2E_H

#include <stdio.h>
#include "mrb/err.h"
#include "mrb/report_plots.h"

typedef struct sqlite3 sqlite3;

/* Appends both sections to md and their summary.json members
 * (",\n\"end_to_end\": {...},\n\"cost_e2e\": [...]") to json; charts go to
 * dir. where: the selection's condition (NULL: all). 0, or -1 with err. */
int report_e2e(sqlite3 *db, const char *where, const char *dir, FILE *md, FILE *json,
               report_plot_state *st, mrb_err *err);

#endif
