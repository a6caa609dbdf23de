/* report_table.h — one named query as a report table.
 *
 * Runs queries/NAME.sql and writes its rows as a Markdown table to md and,
 * after ",\n\"KEY\": ", as a JSON array to json (out.h escapes every cell).
 * Shared by the report modules that write several tables per section. */
#ifndef MRB_REPORT_TABLE_H
#define MRB_REPORT_TABLE_H

#include <stdio.h>
#include "mrb/err.h"

typedef struct sqlite3 sqlite3;

/* The row count, or -1 with err ("NAME.sql: ..."). */
long long report_table(sqlite3 *db, const char *name, const char *key, FILE *md, FILE *json,
                       mrb_err *err);

#endif
