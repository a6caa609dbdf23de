/* report_cost.h — what the cost section says about prices: the rates that
 * priced each region (with their table, source and date) and every region
 * the tool has no rate for (a warning on stderr and a note; those costs
 * stay NULL, never guessed).
 *
 * Reads temp.sel, temp.fprice and temp.ssel (queries.h) with the cost
 * functions registered (cost.h). Writes Markdown to md and, to json, the
 * members `"cost_prices": [...]` and `"cost_unpriced": [...]` each preceded
 * by ",\n" (inside the report's "sections" object). */
#ifndef MRB_REPORT_COST_H
#define MRB_REPORT_COST_H

#include <stdio.h>
#include "mrb/err.h"
#include "mrb/warnings.h"

typedef struct sqlite3 sqlite3;

/* 0, or -1 with err. */
int report_cost_notes(sqlite3 *db, FILE *md, FILE *json, warnings *warn, mrb_err *err);

#endif
