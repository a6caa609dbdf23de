/* export_table.c — which tables `export` writes, and their columns.
 *
 * The columns come from the database itself (PRAGMA table_info), so a
 * column a later schema version adds is exported with no change here. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "export_priv.h"
#include "mrb/xalloc.h"

/* The normalised tables, with the column that gives their day. */
static const struct {
    const char *name, *time_col;
} known[] = {
    {"invocations", "ts_ms"},   {"environments", "first_ts_ms"}, {"metric_values", "ts_ms"},
    {"stream_records", "approx_ts_ms"}, {"functions", NULL},     {"function_prices", NULL},
};

/* Tables exported through a view that gives each row a day (ts_ms) and
 * the runtime the report gives it, as partitions: an API Gateway request
 * the runtime of request_paths (its route, else the invocation it made,
 * else the map); an X-Ray trace or segment the runtime of its function
 * segment (xray_lambda; a segment outside one, its trace's), its day from
 * its start; a CloudWatch metric value the runtime the report labels it
 * with (cw_metrics: the map, else the function's runtime in the logs).
 * The X-Ray and metrics views add run (of the file the row came from), so
 * that --run selects them too. Rows with no runtime go to runtime=unknown. */
static const struct {
    const char *name, *view;
} derived[] = {
    {"apigw_requests",
     "SELECT a.*, p.runtime AS runtime, p.runtime_source AS runtime_source "
     "FROM apigw_requests a JOIN request_paths p ON p.request_id = a.request_id"},
    {"xray_traces",
     "SELECT t.*, (SELECT CAST(round(min(s.start_s) * 1000) AS INTEGER) FROM xray_segments s "
     "WHERE s.trace_id = t.trace_id) AS ts_ms, "
     "coalesce((SELECT l.runtime FROM xray_lambda l WHERE l.trace_id = t.trace_id "
     "ORDER BY l.start_s LIMIT 1), 'unknown') AS runtime, "
     "(SELECT f.run FROM files f WHERE f.file_id = t.file_id) AS run FROM xray_traces t"},
    {"xray_segments",
     "SELECT s.*, CAST(round(s.start_s * 1000) AS INTEGER) AS ts_ms, "
     "coalesce((SELECT l.runtime FROM xray_lambda l WHERE l.trace_id = s.trace_id "
     "AND l.segment_id = s.segment_id), (SELECT l.runtime FROM xray_lambda l "
     "WHERE l.trace_id = s.trace_id ORDER BY l.start_s LIMIT 1), 'unknown') AS runtime, "
     "(SELECT f.run FROM files f WHERE f.file_id = s.file_id) AS run FROM xray_segments s"},
    {"cw_metric_values", NULL}, /* its columns, with runtime and runtime_source as the report's */
};

/* Tables internal to the store: their rows are in the tables above (the
 * metric_values view, stream_records), or are ingest bookkeeping. */
static const char *const internal[] = {
    "files", "problems", "log_levels", "log_volume", "metric_series", "metric_streams", "metric_events",
    "metric_slots", "metric_definitions", "metric_rejects", "stream_violations",
    "stream_numbers", "app_ids", "prices", NULL,
};

/* Types of view columns SQLite cannot declare (CASE expressions). */
static char view_type(const char *col)
{
    static const char *const real[] = {"value", "request_usd", "gb_second_usd", NULL};
    static const char *const integer[] = {"value_id", "value_index", "seq", "ts_ms", NULL};

    for (int i = 0; real[i]; i++)
        if (!strcmp(col, real[i]))
            return 'r';
    for (int i = 0; integer[i]; i++)
        if (!strcmp(col, integer[i]))
            return 'i';
    return 't';
}

static char col_type(const char *decl, const char *col)
{
    if (!decl || !*decl)
        return view_type(col);
    if (strstr(decl, "INT"))
        return 'i';
    if (strstr(decl, "REAL") || strstr(decl, "FLOA") || strstr(decl, "DOUB"))
        return 'r';
    return 't';
}

static void add_col(export_table *t, const char *name, char type, int notnull)
{
    t->cols = xrealloc(t->cols, (size_t)(t->ncols + 1) * sizeof *t->cols);
    t->cols[t->ncols++] = (export_col){xstrdup(name), type, notnull};
}

/* Fills t's columns from PRAGMA table_info (runtime moved last). */
static int read_columns(sqlite3 *db, export_table *t, mrb_err *err)
{
    char *sql = sqlite3_mprintf("SELECT name, type, \"notnull\" FROM pragma_table_info(%Q, %Q)",
                                strchr(t->from, '.') ? t->from + 5 : t->from,
                                strchr(t->from, '.') ? "temp" : "main");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL), runtime_notnull = -1;

    sqlite3_free(sql);
    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *decl = (const char *)sqlite3_column_text(st, 1);
        if (!name || sqlite3_column_type(st, 1) == SQLITE_BLOB || (decl && strstr(decl, "BLOB")))
            continue;
        if (!strcmp(name, "runtime")) {
            runtime_notnull = sqlite3_column_int(st, 2);
            continue;
        }
        if (!strcmp(name, "run"))
            t->has_run = 1;
        add_col(t, name, col_type(decl, name), sqlite3_column_int(st, 2));
    }
    if (sqlite3_finalize(st) != SQLITE_OK || rc != SQLITE_OK || t->ncols == 0)
        return mrb_err_set(err, 0, -1, "cannot read the columns of %s: %s", t->name,
                           sqlite3_errmsg(db));
    if (runtime_notnull >= 0) {
        t->has_runtime = 1;
        add_col(t, "runtime", 't', runtime_notnull);
    }
    return 0;
}

static int add_table(sqlite3 *db, export_table **v, int *n, const char *name, const char *from,
                     const char *time_col, mrb_err *err)
{
    *v = xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
    export_table *t = &(*v)[(*n)++];
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    t->from = xstrdup(from);
    t->time_col = time_col ? xstrdup(time_col) : NULL;
    return read_columns(db, t, err);
}

/* 1 when db has a table or view called name. */
static int exists(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    int found = 0;

    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE name = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

static int skipped(const char *name)
{
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(name, known[i].name))
            return 1;
    for (int i = 0; internal[i]; i++)
        if (!strcmp(name, internal[i]))
            return 1;
    for (size_t i = 0; i < sizeof derived / sizeof *derived; i++)
        if (!strcmp(name, derived[i].name))
            return 1;
    return !strncmp(name, "sqlite_", 7);
}

/* Any other table: partitioned by ts_ms when it has one. */
static int add_others(sqlite3 *db, export_table **v, int *n, mrb_err *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT m.name, EXISTS (SELECT 1 FROM pragma_table_info(m.name) p "
                                "WHERE p.name = 'ts_ms') FROM sqlite_schema m WHERE m.type = "
                                "'table' ORDER BY m.name",
                                -1, &st, NULL);

    while (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (name && !skipped(name) &&
            add_table(db, v, n, name, name, sqlite3_column_int(st, 1) ? "ts_ms" : NULL, err) < 0) {
            sqlite3_finalize(st);
            return -1;
        }
    }
    if (sqlite3_finalize(st) != SQLITE_OK || rc != SQLITE_OK)
        return mrb_err_set(err, 0, -1, "cannot list the tables: %s", sqlite3_errmsg(db));
    return 0;
}

/* temp.export_function_prices: the rates each function's invocations are
 * priced with (report-cost, fcost_usd): cost of an invocation =
 * request_usd + billed_ms / 1000 * memory_mb / 1024 * gb_second_usd. */
static int make_function_prices(sqlite3 *db, mrb_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(
        db,
        "DROP TABLE IF EXISTS temp.export_function_prices; "
        "CREATE TEMP TABLE export_function_prices (function TEXT NOT NULL, arch TEXT, "
        "arch_from TEXT, region TEXT, region_from TEXT, request_usd REAL, gb_second_usd REAL); "
        "INSERT INTO temp.export_function_prices SELECT function, arch, arch_from, region, "
        "region_from, price_usd('lambda_request_' || arch, region), "
        "price_usd('lambda_gb_second_' || arch, region) FROM temp.fprice ORDER BY function",
        NULL, NULL, &msg);

    if (rc != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot price the functions: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* cw_metric_values' view: its own columns, runtime and runtime_source
 * taken from cw_metrics' labels, and run. */
static char *metrics_view(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    sb v = SB_INIT;

    sb_adds(&v, "SELECT ");
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('cw_metric_values', 'main')",
                           -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *c = (const char *)sqlite3_column_text(st, 0);
            if (!strcmp(c, "runtime"))
                sb_adds(&v, "v.runtime_label AS runtime, ");
            else if (!strcmp(c, "runtime_source"))
                sb_adds(&v, "v.runtime_label_source AS runtime_source, ");
            else
                sb_addf(&v, "v.\"%s\", ", c);
        }
    sqlite3_finalize(st);
    sb_adds(&v, "(SELECT f.run FROM files f WHERE f.file_id = v.file_id) AS run FROM cw_metrics v");
    return sb_detach(&v);
}

/* The tables of derived[] the database has, as temp views export_NAME. */
static int add_derived(sqlite3 *db, export_table **v, int *n, mrb_err *err)
{
    for (size_t i = 0; i < sizeof derived / sizeof *derived; i++) {
        if (!exists(db, derived[i].name))
            continue;
        char *body = derived[i].view ? xstrdup(derived[i].view) : metrics_view(db);
        char *sql = sqlite3_mprintf("DROP VIEW IF EXISTS temp.export_%s; "
                                    "CREATE TEMP VIEW export_%s AS %s",
                                    derived[i].name, derived[i].name, body);
        char *from = sqlite3_mprintf("temp.export_%s", derived[i].name), *msg = NULL;
        int rc = sql && from ? sqlite3_exec(db, sql, NULL, NULL, &msg) : SQLITE_NOMEM;

        free(body);
        sqlite3_free(sql);
        if (rc != SQLITE_OK) {
            mrb_err_set(err, 0, -1, "cannot read %s: %s", derived[i].name, msg ? msg : "?");
            sqlite3_free(msg);
            sqlite3_free(from);
            return -1;
        }
        rc = add_table(db, v, n, derived[i].name, from, "ts_ms", err);
        sqlite3_free(from);
        if (rc < 0)
            return -1;
    }
    return 0;
}

int export_tables(sqlite3 *db, export_table **out, int *n, mrb_err *err)
{
    *out = NULL;
    *n = 0;
    if (make_function_prices(db, err) < 0)
        return -1;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
        int fp = !strcmp(known[i].name, "function_prices");
        if (!fp && !exists(db, known[i].name))
            continue;
        if (add_table(db, out, n, known[i].name, fp ? "temp.export_function_prices" : known[i].name,
                      known[i].time_col, err) < 0)
            return -1;
    }
    if (add_derived(db, out, n, err) < 0)
        return -1;
    return add_others(db, out, n, err);
}

void export_tables_free(export_table *t, int n)
{
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < t[i].ncols; k++)
            free(t[i].cols[k].name);
        free(t[i].cols);
        free(t[i].name);
        free(t[i].from);
        free(t[i].time_col);
    }
    free(t);
}
