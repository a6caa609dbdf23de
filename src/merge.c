/* merge.c — shards into one database by natural keys (merge.h). Column
 * lists come from the output's schema, so columns a later version adds
 * are carried with no change here. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/ddb_attrib.h"
#include "mrb/merge.h"
#include "mrb/sb.h"
#include "mrb/store.h"

/* Column i of table's list, with what the shard row x gives it: the same
 * column, or an expression mapping an id. */
typedef struct subst {
    const char *col, *expr;
} subst;

static const subst file_ids[] = {
    {"file_id", "(SELECT new FROM temp.merge_fmap WHERE old = x.file_id)"}, {NULL, NULL}};

/* The names of table's columns in the output, one a row; NULL on error. */
static sqlite3_stmt *column_names(sqlite3 *db, const char *table)
{
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?1, 'main')", -1, &st, NULL) !=
        SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    return st;
}

/* names: "a, b, ..."; exprs: the shard's values; sets: "a = excluded.a, ...".
 * skip: a column left out (the row id), or NULL. */
static int columns(sqlite3 *db, const char *table, const char *skip, const subst *sub, sb *names,
                   sb *exprs, sb *sets)
{
    sqlite3_stmt *st = column_names(db, table);
    int n = 0;

    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0), *e = NULL;
        if (skip && !strcmp(c, skip))
            continue;
        for (int i = 0; sub && sub[i].col; i++)
            if (!strcmp(sub[i].col, c))
                e = sub[i].expr;
        sb_addf(names, "%s\"%s\"", n ? ", " : "", c);
        if (e)
            sb_addf(exprs, "%s%s", n ? ", " : "", e);
        else
            sb_addf(exprs, "%sx.\"%s\"", n ? ", " : "", c);
        if (sets)
            sb_addf(sets, "%s\"%s\" = excluded.\"%s\"", n ? ", " : "", c, c);
        n++;
    }
    return sqlite3_finalize(st) == SQLITE_OK && n > 0 ? 0 : -1;
}

static int exec(sqlite3 *db, const char *sql, mrb_err *err)
{
    char *msg = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    mrb_err_set(err, 0, -1, "cannot merge: %s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

/* Rows of table (a constant name), -1 when it cannot be read. */
static long long count(sqlite3 *db, const char *table)
{
    char *sql = sqlite3_mprintf("SELECT count(*) FROM %s", table);
    sqlite3_stmt *st = NULL;
    long long n = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return n;
}

/* INSERT INTO table (cols) SELECT exprs FROM shard.table x [where] tail. */
static int copy(sqlite3 *db, const char *table, const char *skip, const subst *sub,
                const char *where, const char *tail, long long *added, mrb_err *err)
{
    sb names, exprs, sets, sql;
    int rc;

    sb_init(&names);
    sb_init(&exprs);
    sb_init(&sets);
    sb_init(&sql);
    rc = columns(db, table, skip, sub, &names, &exprs, &sets);
    if (rc < 0) {
        mrb_err_set(err, 0, -1, "cannot read the columns of %s", table);
    } else {
        sb_addf(&sql, "INSERT INTO main.\"%s\" (%s) SELECT %s FROM shard.\"%s\" AS x WHERE %s %s",
                table, sb_str(&names), sb_str(&exprs), table, where ? where : "true",
                tail ? tail : "");
        if (strstr(sb_str(&sql), "@SETS@")) { /* the upsert's SET list */
            sb t;
            sb_init(&t);
            const char *p = strstr(sb_str(&sql), "@SETS@");
            sb_add(&t, sb_str(&sql), (size_t)(p - sb_str(&sql)));
            sb_adds(&t, sb_str(&sets));
            sb_adds(&t, p + 6);
            sb_release(&sql);
            sql = t;
        }
        int before = sqlite3_total_changes(db);
        rc = exec(db, sb_str(&sql), err);
        if (added)
            *added += sqlite3_total_changes(db) - before;
    }
    sb_release(&names);
    sb_release(&exprs);
    sb_release(&sets);
    sb_release(&sql);
    return rc;
}

/* A file's order among files stored by several shards: the earlier ingest
 * first (then the path), so that the same row is kept in any merge order. */
#define FILE_ORDER(f)                                                                       \
    "(SELECT first_ingested_at || char(1) || path FROM main.files AS o WHERE o.file_id = " f ")"
/* A row's order: its file's, then its run label (the same file in two
 * shards is one files row; the rows of its ingests differ by run only). */
#define ROW_ORDER(t) "(" FILE_ORDER(t ".file_id") " || char(1) || coalesce(" t ".run, ''))"

/* Copies table (its one unique key) from the shard; a row both hold takes
 * every column from the earlier one: by ROW_ORDER when by_run (the table has
 * a run column), else by FILE_ORDER. Adds the rows added to *added and the
 * rows inserted or updated to *changed (may be NULL). */
static int copy_earlier(sqlite3 *db, const char *table, const char *skip, const subst *sub,
                        int by_run, long long *added, long long *changed, mrb_err *err)
{
    char *main_table = sqlite3_mprintf("main.\"%s\"", table);
    long long before = count(db, main_table);
    sb tail;

    sb_init(&tail);
    sb_adds(&tail, "ON CONFLICT DO UPDATE SET @SETS@ WHERE ");
    for (int side = 0; side < 2; side++) {
        const char *t = side ? table : "excluded";
        if (side)
            sb_adds(&tail, " < ");
        sb_addf(&tail, "(" FILE_ORDER("%s.file_id"), t);
        if (by_run)
            sb_addf(&tail, " || char(1) || coalesce(%s.run, '')", t);
        sb_adds(&tail, ")");
    }
    int rc = copy(db, table, skip, sub, NULL, sb_str(&tail), changed, err);
    *added += count(db, main_table) - before;
    sb_release(&tail);
    sqlite3_free(main_table);
    return rc;
}

/* The files: added when new (a known one keeps the earliest first ingest,
 * the latest last one and the highest count); merge_fmap maps the shard's
 * ids to the output's, new = 1 for the files this shard adds (their per-file
 * rows: problems, log levels, rejects, app ids come along). */
static int merge_files(sqlite3 *db, merge_totals *t, mrb_err *err)
{
    if (exec(db,
             "DROP TABLE IF EXISTS temp.merge_fmap;"
             "CREATE TEMP TABLE merge_fmap (old INTEGER PRIMARY KEY, new INTEGER, is_new INTEGER);"
             "INSERT INTO temp.merge_fmap SELECT x.file_id, NULL, NOT EXISTS (SELECT 1 FROM "
             "main.files m WHERE m.path = x.path AND m.size_bytes IS x.size_bytes AND "
             "m.crc32 IS x.crc32) FROM shard.files x;",
             err) < 0)
        return -1;
    static const subst none[] = {{NULL, NULL}};
    if (copy(db, "files", "file_id", none, NULL,
             "ON CONFLICT (path, size_bytes, crc32) DO UPDATE SET @SETS@ WHERE "
             "(excluded.first_ingested_at, coalesce(excluded.run, '')) < "
             "(files.first_ingested_at, coalesce(files.run, ''))",
             NULL, err) < 0)
        return -1;
    if (exec(db,
             "UPDATE temp.merge_fmap SET new = (SELECT m.file_id FROM main.files m, shard.files x "
             "WHERE x.file_id = merge_fmap.old AND m.path = x.path AND m.size_bytes IS x.size_bytes "
             "AND m.crc32 IS x.crc32);",
             err) < 0)
        return -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM temp.merge_fmap WHERE is_new", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        t->files_new += sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    const char *new_only = "x.file_id IN (SELECT old FROM temp.merge_fmap WHERE is_new)";
    return copy(db, "problems", NULL, file_ids, new_only, NULL, NULL, err) < 0 ||
                   copy(db, "log_levels", NULL, file_ids, new_only, "ON CONFLICT DO NOTHING",
                        NULL, err) < 0 ||
                   copy(db, "log_volume", NULL, file_ids, new_only, "ON CONFLICT DO NOTHING",
                        NULL, err) < 0 ||
                   copy(db, "metric_rejects", NULL, file_ids, new_only, "ON CONFLICT DO NOTHING",
                        NULL, err) < 0 ||
                   copy(db, "app_ids", NULL, file_ids, new_only, NULL, NULL, err) < 0
               ? -1
               : 0;
}

/* Functions: the runtime of the strongest source (map, runtime version,
 * name, unknown; at equal strength the smaller label), known fields kept. */
#define SOURCE_RANK(s)                                                                       \
    "(CASE " s " WHEN 'map' THEN 3 WHEN 'runtime-version' THEN 2 WHEN 'name' THEN 1 ELSE 0 END)"
static int merge_functions(sqlite3 *db, mrb_err *err)
{
    static const subst none[] = {{NULL, NULL}};
    return copy(db, "functions", NULL, none, NULL,
                "ON CONFLICT (function) DO UPDATE SET "
                "runtime = CASE WHEN " SOURCE_RANK("excluded.runtime_source") " > " SOURCE_RANK(
                    "runtime_source") " OR (" SOURCE_RANK("excluded.runtime_source") " = " SOURCE_RANK("runtime_source") " AND excluded.runtime < runtime) THEN excluded.runtime ELSE runtime END, "
                "runtime_source = CASE WHEN " SOURCE_RANK("excluded.runtime_source") " > " SOURCE_RANK(
                    "runtime_source") " THEN excluded.runtime_source ELSE runtime_source END, "
                "log_group = coalesce(min(log_group, excluded.log_group), log_group, excluded.log_group), "
                "runtime_version = coalesce(max(runtime_version, excluded.runtime_version), runtime_version, excluded.runtime_version), "
                "architecture = coalesce(min(architecture, excluded.architecture), architecture, excluded.architecture), "
                "region = coalesce(min(region, excluded.region), region, excluded.region)",
                NULL, err);
}

/* Environments by (function, log_stream): the widest time range, the
 * strongest name; counts are made again by merge_finish. */
static int merge_environments(sqlite3 *db, mrb_err *err)
{
    static const subst none[] = {{NULL, NULL}};
    return copy(db, "environments", "env_id", none, NULL,
                "ON CONFLICT (function, log_stream) DO UPDATE SET "
                "first_ts_ms = coalesce(min(first_ts_ms, excluded.first_ts_ms), first_ts_ms, excluded.first_ts_ms), "
                "last_ts_ms = coalesce(max(last_ts_ms, excluded.last_ts_ms), last_ts_ms, excluded.last_ts_ms), "
                "runtime_version = coalesce(max(runtime_version, excluded.runtime_version), runtime_version, excluded.runtime_version), "
                "runtime_version_arn = coalesce(max(runtime_version_arn, excluded.runtime_version_arn), runtime_version_arn, excluded.runtime_version_arn), "
                "region = coalesce(max(region, excluded.region), region, excluded.region), "
                "init_ms = coalesce(min(init_ms, excluded.init_ms), init_ms, excluded.init_ms), "
                "init_status = coalesce(max(init_status, excluded.init_status), init_status, excluded.init_status), "
                "init_error_type = coalesce(max(init_error_type, excluded.init_error_type), init_error_type, excluded.init_error_type), "
                "init_phase = coalesce(max(init_phase, excluded.init_phase), init_phase, excluded.init_phase), "
                "function_source = CASE WHEN excluded.function_rank > function_rank THEN excluded.function_source ELSE function_source END, "
                "function_rank = max(function_rank, excluded.function_rank)",
                NULL, err);
}

/* The shard's row wins over a stored one when its name is stronger, or as
 * strong and from a file ingested earlier. */
#define WINS                                                                                   \
    "WHERE excluded.function_rank > invocations.function_rank OR (excluded.function_rank = "      \
    "invocations.function_rank AND " ROW_ORDER("excluded") " < " ROW_ORDER("invocations") ")"

static int merge_invocations(sqlite3 *db, merge_totals *t, mrb_err *err)
{
    long long before = count(db, "main.invocations"), changed = 0;

    if (copy(db, "invocations", "invocation_id", file_ids, "x.ts_ms IS NOT NULL",
             "ON CONFLICT (ts_ms, request_id) DO UPDATE SET @SETS@ " WINS, &changed, err) < 0 ||
        copy(db, "invocations", "invocation_id", file_ids,
             "x.ts_ms IS NULL AND NOT EXISTS (SELECT 1 FROM main.invocations i WHERE "
             "i.request_id = x.request_id AND i.ts_ms IS NOT NULL)",
             "ON CONFLICT (request_id) WHERE ts_ms IS NULL DO UPDATE SET @SETS@ " WINS, &changed,
             err) < 0 ||
        exec(db,
             "DELETE FROM main.invocations WHERE ts_ms IS NULL AND request_id IN (SELECT "
             "request_id FROM shard.invocations WHERE ts_ms IS NOT NULL)",
             err) < 0)
        return -1;
    long long added = count(db, "main.invocations") - before;
    t->invocations_new += added;
    t->invocations_relabelled += changed - added > 0 ? changed - added : 0;
    return 0;
}

#define SERIES_MATCH                                                                         \
    "m.namespace = x.namespace AND m.metric = x.metric AND m.unit = x.unit AND "             \
    "m.storage_resolution = x.storage_resolution AND m.dimensions = x.dimensions AND "       \
    "m.function = x.function AND m.log_group IS x.log_group"

/* EMF: series and streams by natural key, events with their ids mapped. */
static int merge_metrics(sqlite3 *db, merge_totals *t, mrb_err *err)
{
    static const subst none[] = {{NULL, NULL}};
    /* log_group may be NULL, which a unique index does not compare: matched with IS */
    if (copy(db, "metric_series", "series_id", none,
             "NOT EXISTS (SELECT 1 FROM main.metric_series m WHERE " SERIES_MATCH ")",
             "ON CONFLICT DO NOTHING", NULL, err) < 0 ||
        copy(db, "metric_streams", "stream_id", none, NULL, "ON CONFLICT DO NOTHING", NULL, err) < 0 ||
        exec(db,
             "DROP TABLE IF EXISTS temp.merge_smap; DROP TABLE IF EXISTS temp.merge_tmap;"
             "CREATE TEMP TABLE merge_smap (old INTEGER PRIMARY KEY, new INTEGER);"
             "INSERT INTO temp.merge_smap SELECT x.series_id, min(m.series_id) FROM "
             "shard.metric_series x JOIN main.metric_series m ON " SERIES_MATCH " GROUP BY 1;"
             "CREATE TEMP TABLE merge_tmap (old INTEGER PRIMARY KEY, new INTEGER);"
             "INSERT INTO temp.merge_tmap VALUES (0, 0);"
             "INSERT OR IGNORE INTO temp.merge_tmap SELECT x.stream_id, m.stream_id FROM "
             "shard.metric_streams x JOIN main.metric_streams m USING (log_stream);",
             err) < 0)
        return -1;
    static const subst ev[] = {
        {"file_id", "(SELECT new FROM temp.merge_fmap WHERE old = x.file_id)"},
        {"stream_id", "(SELECT new FROM temp.merge_tmap WHERE old = x.stream_id)"},
        {"series0", "(SELECT new FROM temp.merge_smap WHERE old = x.series0)"},
        {"series1", "(SELECT new FROM temp.merge_smap WHERE old = x.series1)"},
        {"series2", "(SELECT new FROM temp.merge_smap WHERE old = x.series2)"},
        {"series3", "(SELECT new FROM temp.merge_smap WHERE old = x.series3)"},
        {"series4", "(SELECT new FROM temp.merge_smap WHERE old = x.series4)"},
        {"series5", "(SELECT new FROM temp.merge_smap WHERE old = x.series5)"},
        {"series6", "(SELECT new FROM temp.merge_smap WHERE old = x.series6)"},
        {"series7", "(SELECT new FROM temp.merge_smap WHERE old = x.series7)"},
        {NULL, NULL}};
    if (copy_earlier(db, "metric_events", "event_id", ev, 1, &t->events_new, NULL, err) < 0)
        return -1;
    return
                   copy(db, "metric_definitions", NULL, none, NULL,
                        "ON CONFLICT DO UPDATE SET first_ts_ms = min(first_ts_ms, "
                        "excluded.first_ts_ms), last_ts_ms = max(last_ts_ms, excluded.last_ts_ms)",
                        NULL, err) < 0
               ? -1
               : 0;
}

/* Stream records by dedupe_key; their violations and numbers follow. */
static int merge_records(sqlite3 *db, merge_totals *t, mrb_err *err)
{
    static const subst rec[] = {
        {"record_id", "(SELECT m.record_id FROM main.stream_records m, shard.stream_records r "
                      "WHERE r.record_id = x.record_id AND m.dedupe_key = r.dedupe_key)"},
        {NULL, NULL}};
    if (copy_earlier(db, "stream_records", "record_id", file_ids, 1, &t->records_new, NULL,
                     err) < 0)
        return -1;
    return
                   copy(db, "stream_violations", NULL, rec, NULL, "ON CONFLICT DO NOTHING", NULL,
                        err) < 0 ||
                   copy(db, "stream_numbers", NULL, rec, NULL, "ON CONFLICT DO NOTHING", NULL,
                        err) < 0
               ? -1
               : 0;
}

/* Imported prices: the newer offer version wins (then the larger rate code). */
static int merge_prices(sqlite3 *db, merge_totals *t, mrb_err *err)
{
    static const subst none[] = {{NULL, NULL}};
    return copy(db, "prices", NULL, none, NULL,
                "ON CONFLICT (rate, region, begin_range) DO UPDATE SET @SETS@ WHERE "
                "excluded.version > version OR (excluded.version = version AND "
                "excluded.rate_code > rate_code)",
                &t->prices_new, err);
}

/* The SET list of an upsert that fills what the stored row lacks: every
 * column but the key and the overrides, each "c = coalesce(A.c, B.c)"
 * where A is excluded (the shard's row first) or the stored row. */
static int fill_sets(sqlite3 *db, const char *table, const char *const *skip, int shard_first,
                     sb *sets)
{
    sqlite3_stmt *st = column_names(db, table);
    int n = 0;

    if (!st)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        int skipped = 0;
        for (int i = 0; skip[i] && !skipped; i++)
            skipped = !strcmp(skip[i], c);
        if (skipped)
            continue;
        if (shard_first)
            sb_addf(sets, "%s\"%s\" = coalesce(excluded.\"%s\", \"%s\".\"%s\")", n ? ", " : "",
                    c, c, table, c);
        else
            sb_addf(sets, "%s\"%s\" = coalesce(\"%s\".\"%s\", excluded.\"%s\")", n ? ", " : "",
                    c, table, c, c);
        n++;
    }
    return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

/* A table whose rows merge column by column, as ingest merges the lines
 * of an API Gateway request or the two X-Ray exports of a trace: the row
 * of the earlier file (`ex_order` for the shard's row, `st_order` for the
 * stored one) gives each column it knows, the other fills what it lacks.
 * skip: the key and the columns `first` (the shard's row comes first) and
 * `second` (it does not) set otherwise. Two upserts: the shard's rows that
 * come first, then the others (and those the first one added, which then
 * change nothing). Adds the rows added to *added. */
typedef struct filled {
    const char *table, *key;
    const char *const *skip;
    const char *first, *second, *ex_order, *st_order;
} filled;

static int merge_filled(sqlite3 *db, const filled *f, long long *added, mrb_err *err)
{
    char *main_table = sqlite3_mprintf("main.\"%s\"", f->table);
    long long before = count(db, main_table);
    int rc = 0;

    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        sb sets, tail;
        sb_init(&sets);
        sb_init(&tail);
        if (fill_sets(db, f->table, f->skip, pass == 0, &sets) < 0) {
            rc = mrb_err_set(err, 0, -1, "cannot read the columns of %s", f->table);
        } else {
            sb_addf(&tail, "ON CONFLICT (%s) DO UPDATE SET %s, %s WHERE %s %s %s", f->key,
                    sb_str(&sets), pass == 0 ? f->first : f->second, f->ex_order,
                    pass == 0 ? "<" : ">=", f->st_order);
            rc = copy(db, f->table, NULL, file_ids, NULL, sb_str(&tail), NULL, err);
        }
        sb_release(&sets);
        sb_release(&tail);
    }
    *added += count(db, main_table) - before;
    sqlite3_free(main_table);
    return rc;
}

/* API Gateway requests by request id: each column from the earlier file's
 * row when it knows it (ingest keeps the first value known), the earliest
 * time, access and execution flags from either. */
static int merge_apigw(sqlite3 *db, merge_totals *t, mrb_err *err)
{
    static const char *const skip[] = {"request_id", "ts_ms", "from_access", "from_execution",
                                       "file_id", "run", NULL};
#define AG_BOTH                                                                              \
    "ts_ms = coalesce(min(apigw_requests.ts_ms, excluded.ts_ms), apigw_requests.ts_ms, "     \
    "excluded.ts_ms), from_access = max(apigw_requests.from_access, excluded.from_access), " \
    "from_execution = max(apigw_requests.from_execution, excluded.from_execution)"
    static const filled f = {
        .table = "apigw_requests",
        .key = "request_id",
        .skip = skip,
        .first = AG_BOTH ", file_id = excluded.file_id, run = excluded.run",
        .second = AG_BOTH,
        .ex_order = ROW_ORDER("excluded"),
        .st_order = ROW_ORDER("apigw_requests"),
    };
#undef AG_BOTH
    return merge_filled(db, &f, &t->apigw_new, err);
}

/* X-Ray: a trace's columns as the API Gateway requests' (the first export
 * read names the source); segments and metric values whole, from the
 * earlier file (ingest keeps the first row). */
static int merge_xray_metrics(sqlite3 *db, merge_totals *t, mrb_err *err)
{
    static const char *const skip[] = {"trace_id", "source", "file_id", NULL};
    static const filled f = {
        .table = "xray_traces",
        .key = "trace_id",
        .skip = skip,
        .first = "source = excluded.source, file_id = excluded.file_id",
        .second = "source = xray_traces.source",
        .ex_order = FILE_ORDER("excluded.file_id"),
        .st_order = FILE_ORDER("xray_traces.file_id"),
    };
    return merge_filled(db, &f, &t->traces_new, err) < 0 ||
                   copy_earlier(db, "xray_segments", NULL, file_ids, 0, &t->segments_new, NULL,
                                err) < 0 ||
                   copy_earlier(db, "cw_metric_values", NULL, file_ids, 0, &t->metric_values_new,
                                NULL, err) < 0
               ? -1
               : 0;
}

int merge_shard(store *out, const char *path, merge_totals *t, mrb_err *err)
{
    sqlite3 *db = store_db(out);
    store *shard = store_open(path, err); /* checks and migrates its schema */

    if (!shard)
        return -1;
    store_close(shard);
    char *attach = sqlite3_mprintf("ATTACH %Q AS shard", path);
    int rc = exec(db, attach, err);
    sqlite3_free(attach);
    if (rc < 0)
        return -1;
    rc = exec(db, "BEGIN IMMEDIATE", err);
    if (rc == 0)
        rc = merge_files(db, t, err) < 0 || merge_functions(db, err) < 0 ||
                     merge_environments(db, err) < 0 || merge_invocations(db, t, err) < 0 ||
                     merge_metrics(db, t, err) < 0 || merge_records(db, t, err) < 0 ||
                     merge_prices(db, t, err) < 0 || merge_apigw(db, t, err) < 0 ||
                     merge_xray_metrics(db, t, err) < 0
                 ? -1
                 : 0;
    if (rc == 0)
        rc = exec(db, "COMMIT", err);
    else
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(db, "DETACH shard", NULL, NULL, NULL);
    return rc;
}

int merge_finish(store *out, mrb_err *err)
{
    sqlite3 *db = store_db(out);
    long long attributed, left;

    if (exec(db,
             "BEGIN IMMEDIATE;"
             "DROP TABLE IF EXISTS temp.merge_envc;"
             "CREATE TEMP TABLE merge_envc AS SELECT function, coalesce(log_stream, '') AS "
             "log_stream, count(*) AS n, sum(cold_start) AS cold FROM main.invocations "
             "GROUP BY 1, 2;"
             "UPDATE main.environments SET invocations = coalesce(c.n, 0), cold_starts = "
             "coalesce(c.cold, 0) FROM (SELECT e.env_id, c.n, c.cold FROM main.environments e "
             "LEFT JOIN temp.merge_envc c USING (function, log_stream)) AS c WHERE "
             "c.env_id = environments.env_id;"
             /* a function's rows carry its label (a stronger source may have
              * changed it), as ingest's relabel does */
             "UPDATE main.invocations SET runtime = f.runtime FROM main.functions f WHERE "
             "f.function = invocations.function AND f.runtime <> invocations.runtime;"
             "UPDATE main.environments SET runtime = f.runtime FROM main.functions f WHERE "
             "f.function = environments.function AND f.runtime <> environments.runtime;"
             "UPDATE main.metric_series SET runtime = f.runtime FROM main.functions f WHERE "
             "f.function = metric_series.function AND f.runtime <> metric_series.runtime;"
             "COMMIT;",
             err) < 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    /* merged API Gateway or X-Ray rows need the join indexes ingest makes */
    if (store_join_indexes_if_joined(out, err) < 0)
        return -1;
    return ddb_attribute(out, &attributed, &left, err);
}
