/* export.c — `export`'s driver: each table read in time order through one
 * statement, its rows handed to the partition writers (export_sink.c),
 * then the manifest and the engine DDL. */
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export_priv.h"
#include "mrb/queries.h"
#include "mrb/timeparse.h"
#include "mrb/xalloc.h"

/* The statement reading t's rows: its columns in t->cols order, selected
 * by o, in time order (through the time index where there is one). */
static char *select_sql(const export_table *t, const export_opts *o)
{
    sb s;
    const char *and = " WHERE ";

    sb_init(&s);
    sb_adds(&s, "SELECT ");
    for (int i = 0; i < t->ncols; i++)
        sb_addf(&s, "%s\"%s\"", i ? ", " : "", t->cols[i].name);
    sb_addf(&s, " FROM %s", t->from);
    if (t->time_col && o->has_since) {
        sb_addf(&s, "%s\"%s\" >= %lld", and, t->time_col, (long long)o->since_ms);
        and = " AND ";
    }
    if (t->time_col && o->has_until) {
        sb_addf(&s, "%s\"%s\" < %lld", and, t->time_col, (long long)o->until_ms);
        and = " AND ";
    }
    if (o->run && t->has_run)
        sb_addf(&s, "%srun = ?1", and);
    else if (o->run && !strcmp(t->name, "environments"))
        sb_addf(&s, "%s(function, log_stream) IN (SELECT function, coalesce(log_stream, '') "
                    "FROM invocations WHERE run = ?1)", and);
    if (t->time_col)
        sb_addf(&s, " ORDER BY \"%s\"", t->time_col);
    return sb_detach(&s);
}

static int time_index(const export_table *t)
{
    for (int i = 0; t->time_col && i < t->ncols; i++)
        if (!strcmp(t->cols[i].name, t->time_col))
            return i;
    return -1;
}

/* The UTC day of column ti of the row ("undated" when NULL; "" when the
 * table is not partitioned). */
static void row_day(sqlite3_stmt *st, int ti, char day[16])
{
    char iso[25];

    if (ti < 0) {
        day[0] = '\0';
    } else if (sqlite3_column_type(st, ti) == SQLITE_NULL) {
        snprintf(day, 16, "undated");
    } else {
        time_format_iso(sqlite3_column_int64(st, ti), iso);
        snprintf(day, 16, "%.10s", iso);
    }
}

static int export_table_rows(sqlite3 *db, const export_table *t, export_sink *s, mrb_err *err)
{
    char *sql = select_sql(t, s->o);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL), step, ti = time_index(t);
    char day[16];

    free(sql);
    if (rc != SQLITE_OK)
        return mrb_err_set(err, 0, -1, "cannot read %s: %s", t->name, sqlite3_errmsg(db));
    if (s->o->run && sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_text(st, 1, s->o->run, -1, SQLITE_STATIC);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *runtime = t->has_runtime && t->time_col
                                  ? (const char *)sqlite3_column_text(st, t->ncols - 1) : NULL;
        row_day(st, ti, day);
        if (export_sink_row(s, day, runtime ? runtime : "", st, err) < 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return mrb_err_set(err, 0, -1, "cannot read %s: %s", t->name, sqlite3_errmsg(db));
    return export_sink_flush(s, err);
}

/* An export folder holds one format: refuses to mix. */
static int check_folder(const export_opts *o, mrb_err *err)
{
    char *path = xmalloc(strlen(o->out) + 16);
    json_t *root;
    int rc = 0;

    if (export_make_dirs(o->out) < 0) {
        free(path);
        return mrb_err_set(err, 0, -1, "cannot create '%s': %s", o->out, strerror(errno));
    }
    sprintf(path, "%s/manifest.json", o->out);
    root = json_load_file(path, 0, NULL);
    if (root) {
        const char *f = json_string_value(json_object_get(root, "format"));
        int gz = json_is_true(json_object_get(root, "gzip"));
        const char *want = o->format == EXPORT_CSV ? "csv" : "jsonl";
        if (!f || strcmp(f, want) != 0 || gz != (o->gzip != 0))
            rc = mrb_err_set(err, 0, -1,
                             "'%s' holds an export as %s%s: export as %s%s to another folder",
                             o->out, f ? f : "?", gz ? " --gzip" : "", want,
                             o->gzip ? " --gzip" : "");
    }
    json_decref(root);
    free(path);
    return rc;
}

int export_run(sqlite3 *db, const struct price_table *prices, const export_opts *o,
               export_totals *t, mrb_err *err)
{
    export_table *tables = NULL;
    export_files written = {0};
    export_sink s;
    int n = 0, rc;

    memset(t, 0, sizeof *t);
    memset(&s, 0, sizeof s);
    s.o = o;
    s.written = &written;
    s.tot = t;
    sb_init(&s.rewritten);
    rc = check_folder(o, err);
    if (rc == 0)
        rc = queries_select(db, prices, NULL, NULL, NULL, err);
    if (rc == 0)
        rc = export_tables(db, &tables, &n, err);
    /* one read transaction: the tables agree with each other */
    if (rc == 0 && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        rc = mrb_err_set(err, 0, -1, "cannot read the database: %s", sqlite3_errmsg(db));
    for (int i = 0; i < n && rc == 0; i++) {
        s.t = &tables[i];
        rc = export_table_rows(db, &tables[i], &s, err);
        t->tables++;
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    /* the partitions still open are dropped, their new files with them */
    export_sink_release(&s);
    /* The manifest lists what the folder holds: after a failure too, the
     * partitions completed before it, which replaced their old files. */
    if (rc == 0)
        rc = export_manifest(o, &written, sb_str(&s.rewritten), err);
    else if (s.rewritten.len > 0)
        (void)export_manifest(o, &written, sb_str(&s.rewritten), NULL);
    if (rc == 0)
        rc = export_ddl(o, tables, n, err);
    sb_release(&s.rewritten);
    export_files_free(&written);
    export_tables_free(tables, n);
    return rc;
}
