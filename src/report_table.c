/* report_table.c — one named query as a report table (see report_table.h). */
#include "mrb/report_table.h"

#include <sqlite3.h>
#include <stdio.h>

#include "mrb/out.h"
#include "mrb/queries.h"
#include "mrb/sb.h"

long long report_table(sqlite3 *db, const char *name, const char *key, FILE *md, FILE *json,
                       mrb_err *err)
{
    sb sql = SB_INIT;
    sqlite3_stmt *st = NULL;
    long long n = -1;

    fprintf(json, ",\n\"%s\": ", key);
    if (queries_read(name, &sql, err) < 0)
        goto done;
    if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "%s.sql: %s", name, sqlite3_errmsg(db));
        goto done;
    }
    n = out_rows_md_json(st, md, json, err);
    if (n < 0) {
        char text[sizeof err->text];
        snprintf(text, sizeof text, "%s", err->text);
        mrb_err_set(err, 0, -1, "%s.sql: %s", name, text);
    }
done:
    sqlite3_finalize(st);
    sb_release(&sql);
    return n;
}
