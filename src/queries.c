/* queries.c — the named SQL files in queries/ (see queries.h). */
#include "mrb/queries.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mrb/cost.h"
#include "mrb/xalloc.h"
#include "queries_builtin.h"

static const char *folder; /* --queries DIR or $MRB_QUERIES; NULL for none */

void queries_set_dir(const char *dir)
{
    folder = dir && *dir ? dir : NULL;
}

const char *queries_dir(void)
{
    return folder;
}

int queries_check_dir(mrb_err *err)
{
    struct stat st;

    if (!folder)
        return 0;
    if (stat(folder, &st) < 0)
        return mrb_err_set(err, 0, -1, "cannot open the queries folder '%s' (--queries or "
                                       "$MRB_QUERIES): %s", folder, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return mrb_err_set(err, 0, -1, "the queries folder '%s' (--queries or $MRB_QUERIES) "
                                       "is not a folder", folder);
    return 0;
}

int queries_valid_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_'))
            return 0;
    return 1;
}

static const char *builtin_sql(const char *name)
{
    for (const queries_builtin_entry *q = queries_builtin; q->name; q++)
        if (!strcmp(q->name, name))
            return q->sql;
    return NULL;
}

/* -1 with err: path and "cannot read the query: why". */
static int read_failed(const char *path, const char *why, mrb_err *err)
{
    mrb_err_source(err, path);
    return mrb_err_set(err, 0, -1, "cannot read the query: %s", why);
}

/* Appends the file at path to out: 1, 0 when it does not exist, -1 with
 * err when it cannot be read or is not a regular file (a FIFO would block). */
static int read_file(const char *path, sb *out, mrb_err *err)
{
    char buf[4096];
    size_t n;
    struct stat st;

    if (stat(path, &st) < 0)
        return errno == ENOENT ? 0 : read_failed(path, strerror(errno), err);
    if (!S_ISREG(st.st_mode))
        return read_failed(path, "not a regular file", err);
    FILE *f = fopen(path, "r");
    if (!f)
        return read_failed(path, strerror(errno), err);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(out, buf, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? read_failed(path, "read error", err) : 1;
}

int queries_read(const char *name, sb *out, mrb_err *err)
{
    if (!queries_valid_name(name))
        return mrb_err_set(err, 0, -1, "'%s' is not a query name", name);
    if (folder) {
        sb path = SB_INIT;
        int rc = queries_check_dir(err);
        if (rc == 0) {
            sb_addf(&path, "%s/%s.sql", folder, name);
            rc = read_file(path.buf, out, err);
        }
        sb_release(&path);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
    }
    const char *sql = builtin_sql(name);
    if (!sql)
        return mrb_err_set(err, 0, -1, "no query '%s'", name);
    sb_adds(out, sql);
    return 0;
}

static int cmp_item(const void *a, const void *b)
{
    return strcmp(((const queries_item *)a)->name, ((const queries_item *)b)->name);
}

/* Adds the folder's NAME.sql files to the list; 0 or -1 with err. */
static int list_folder(queries_item **items, size_t *n, size_t *cap, mrb_err *err)
{
    DIR *d = opendir(folder);
    struct dirent *de;

    if (!d)
        return mrb_err_set(err, 0, -1, "cannot open the queries folder '%s' (--queries or "
                                       "$MRB_QUERIES): %s", folder, strerror(errno));
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len <= 4 || strcmp(de->d_name + len - 4, ".sql") != 0)
            continue;
        char *name = xstrdup(de->d_name);
        name[len - 4] = '\0';
        if (!queries_valid_name(name)) {
            free(name);
            continue;
        }
        XGROW(*items, *n, *cap, 64);
        sb path = SB_INIT;
        sb_addf(&path, "%s/%s", folder, de->d_name);
        (*items)[(*n)++] = (queries_item){name, sb_detach(&path), builtin_sql(name) != NULL};
    }
    closedir(d);
    return 0;
}

int queries_list(queries_item **items, size_t *n, mrb_err *err)
{
    size_t cap = 0;

    *items = NULL;
    *n = 0;
    if (folder && list_folder(items, n, &cap, err) < 0) {
        queries_list_free(*items, *n);
        *items = NULL;
        *n = 0;
        return -1;
    }
    size_t from_folder = *n;
    for (const queries_builtin_entry *q = queries_builtin; q->name; q++) {
        int overridden = 0;
        for (size_t i = 0; i < from_folder && !overridden; i++)
            overridden = !strcmp((*items)[i].name, q->name);
        if (overridden)
            continue;
        XGROW(*items, *n, cap, 64);
        (*items)[(*n)++] = (queries_item){xstrdup(q->name), NULL, 1};
    }
    if (*n)
        qsort(*items, *n, sizeof **items, cmp_item);
    return 0;
}

void queries_list_free(queries_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i].name);
        free(items[i].path);
    }
    free(items);
}

/* A number from a one-value query, or -1. */
static long long one_number(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The percentage of invocations where selects (0 when unknown). */
static int share_pct(sqlite3 *db, const char *where)
{
    char *sql = sqlite3_mprintf("SELECT count(*) FROM invocations WHERE %s", where);
    long long part = one_number(db, sql);
    long long all = one_number(db, "SELECT count(*) FROM invocations");

    sqlite3_free(sql);
    return part >= 0 && all > 0 ? (int)(100 * part / all) : 0;
}

/* Per function: the architecture and region its invocations are priced
 * with, and where each came from (see queries.h). */
#define FPRICE_SQL                                                                              \
    "SELECT f.function, coalesce(o.arch, f.architecture, 'x86_64') AS arch, "                   \
    "CASE WHEN o.arch IS NOT NULL THEN 'option' WHEN f.architecture IS NOT NULL "               \
    "THEN 'map file' ELSE 'default' END AS arch_from, "                                         \
    "coalesce(e.region, o.region, f.region, 'us-east-1') AS region, "                          \
    "CASE WHEN e.region IS NOT NULL THEN 'runtime ARN' WHEN o.region IS NOT NULL THEN 'option' " \
    "WHEN f.region IS NOT NULL THEN 'map file' ELSE 'default' END AS region_from "              \
    "FROM functions f CROSS JOIN opts o LEFT JOIN (SELECT function, max(region) AS region "     \
    "FROM environments GROUP BY function) e USING (function)"

/* The views ssel (the DynamoDB stream records of the selection: where reads
 * their approx_ts_ms as ts_ms, and run) and vsel (the conformance violations
 * of those records, with the record's runtime, event and keys). */
static int select_streams(sqlite3 *db, const char *where, mrb_err *err)
{
    char *sql = sqlite3_mprintf(
        "DROP VIEW IF EXISTS temp.ssel; "
        "CREATE TEMP VIEW ssel AS SELECT * FROM (SELECT *, approx_ts_ms AS ts_ms "
        "FROM stream_records)%s%s; "
        "DROP VIEW IF EXISTS temp.vsel; "
        "CREATE TEMP VIEW vsel AS SELECT v.*, s.runtime, s.event_id, s.event_name, s.table_name, "
        "s.keys, s.approx_ts_ms FROM stream_violations v JOIN ssel s USING (record_id)",
        where ? " WHERE " : "", where ? where : "");
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot select stream records: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* Every API Gateway request with what compare and --trend judge of it: its
 * runtime (request_paths), status, client latency, API Gateway overhead and
 * its cost end to end: the API Gateway request price + the Lambda
 * invocation it made (priced as the report prices it) + its X-Ray trace
 * when traced, in the region of its runtime's functions (else us-east-1);
 * NULL when a rate or the invocation's price is unknown. */
#define E2E_REQUESTS_SQL                                                                       \
    "SELECT p.request_id, p.ts_ms, p.run, p.runtime, p.status, p.response_latency_ms, "        \
    "p.apigw_overhead_ms, price_usd('apigw_rest_request', coalesce(r.region, 'us-east-1')) + " \
    "CASE WHEN p.invocation_id IS NULL THEN 0 ELSE (SELECT fcost_usd(i.function, i.memory_mb, " \
    "i.billed_ms) FROM invocations i WHERE i.invocation_id = p.invocation_id) END + "         \
    "CASE WHEN p.trace_id IS NULL THEN 0 ELSE price_usd('xray_trace_recorded', "             \
    "coalesce(r.region, 'us-east-1')) END AS cost_usd FROM request_paths p LEFT JOIN "       \
    "(SELECT f.runtime, max(fp.region) AS region FROM functions f JOIN temp.fprice fp "      \
    "USING (function) GROUP BY f.runtime) r USING (runtime)"

int queries_select(sqlite3 *db, const struct price_table *prices, const char *where,
                   const char *arch, const char *region, mrb_err *err)
{
    /* How a narrowed selection is read: a small share is copied once through
     * the time index (read through the index, a dozen queries would pay its
     * random row lookups again each); a middling share is copied by one
     * sequential scan; most of the table is cheaper to scan again in each
     * query than to copy (about 1 s per million rows). */
    int pct = where ? share_pct(db, where) : 100;
    int copy = where && pct <= 50;
    char *sql = sqlite3_mprintf("DROP VIEW IF EXISTS temp.sel; DROP TABLE IF EXISTS temp.sel; "
                                "CREATE TEMP %s sel AS SELECT * FROM invocations%s%s%s; "
                                "DROP VIEW IF EXISTS temp.msel; "
                                "CREATE TEMP VIEW msel AS SELECT * FROM metric_values%s%s; "
                                "DROP VIEW IF EXISTS temp.mesel; "
                                "CREATE TEMP VIEW mesel AS SELECT * FROM metric_events%s%s; "
                                "DROP TABLE IF EXISTS temp.opts; "
                                "CREATE TEMP TABLE opts AS SELECT %Q AS arch, %Q AS region; "
                                "DROP TABLE IF EXISTS temp.fprice; "
                                "CREATE TEMP TABLE fprice AS " FPRICE_SQL "; "
                                "DROP VIEW IF EXISTS temp.e2e_requests; "
                                "CREATE TEMP VIEW e2e_requests AS " E2E_REQUESTS_SQL,
                                copy ? "TABLE" : "VIEW", where && pct > 20 ? " NOT INDEXED" : "",
                                where ? " WHERE " : "", where ? where : "",
                                where ? " WHERE " : "", where ? where : "",
                                where ? " WHERE " : "", where ? where : "", arch, region);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        mrb_err_set(err, 0, -1, "cannot select invocations: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    if (select_streams(db, where, err) < 0)
        return -1;
    return cost_register_function_prices(db, prices, "temp.fprice", err);
}
