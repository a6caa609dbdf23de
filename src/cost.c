/* cost.c — per-invocation cost from a versioned price table (see cost.h). */
#include "mrb/cost.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

/* Copies the string member key of obj into dst[size]. An absent member
 * leaves dst alone and returns 0 unless required. -1 with err filled when
 * it is not a string, empty, or does not fit. */
static int copy_string(json_t *obj, const char *key, int required, char *dst, size_t size,
                       const char *where, mrb_err *err)
{
    json_t *v = json_object_get(obj, key);
    const char *s;
    size_t len;

    if (!v) {
        if (required)
            return mrb_err_set(err, 0, -1, "%s%s is missing", where, key);
        return 0;
    }
    if (!json_is_string(v))
        return mrb_err_set(err, 0, -1, "%s%s must be a string", where, key);
    s = json_string_value(v);
    len = json_string_length(v);
    if (len == 0 || strlen(s) != len)
        return mrb_err_set(err, 0, -1, "%s%s must be a non-empty string without NUL", where,
                           key);
    if (len >= size)
        return mrb_err_set(err, 0, -1, "%s%s is longer than %zu bytes", where, key, size - 1);
    memcpy(dst, s, len + 1);
    return 0;
}

static int get_rate(json_t *obj, const char *key, double *out, const char *where, mrb_err *err)
{
    json_t *v = json_object_get(obj, key);
    double x;

    if (!v)
        return mrb_err_set(err, 0, -1, "%s%s is missing", where, key);
    x = json_number_value(v); /* 0 for a non-number: rejected below */
    if (!json_is_number(v) || !(x > 0) || !isfinite(x))
        return mrb_err_set(err, 0, -1, "%s%s must be a positive number", where, key);
    *out = x;
    return 0;
}

/* A --pricing file's rates, as they are read. */
typedef struct rate_list {
    price_rate *r;
    int n, cap;
    char table[96];
} rate_list;

static void add_rate(rate_list *l, const char *region, int kind, double usd)
{
    XGROW(l->r, l->n, l->cap, 16);
    price_rate *r = &l->r[l->n++];
    memset(r, 0, sizeof *r);
    snprintf(r->region, sizeof r->region, "%s", region);
    r->kind = kind;
    r->usd = usd;
    snprintf(r->source, sizeof r->source, "--pricing file");
    snprintf(r->date, sizeof r->date, "n.d.");
    snprintf(r->table, sizeof r->table, "%s", l->table);
}

static int has_rate(const rate_list *l, const char *region, int kind)
{
    for (int i = 0; i < l->n; i++)
        if (l->r[i].kind == kind && strcmp(l->r[i].region, region) == 0)
            return 1;
    return 0;
}

static int load_row(json_t *e, size_t i, rate_list *l, mrb_err *err)
{
    char where[48], region[32], arch[16];
    double req, gbs;

    snprintf(where, sizeof where, "lambda[%zu]: ", i);
    if (!json_is_object(e))
        return mrb_err_set(err, 0, -1, "lambda[%zu] must be an object", i);
    if (copy_string(e, "region", 1, region, sizeof region, where, err) < 0 ||
        copy_string(e, "arch", 1, arch, sizeof arch, where, err) < 0)
        return -1;
    int arm = strcmp(arch, "arm64") == 0;
    if (strcmp(arch, "x86_64") != 0 && !arm)
        return mrb_err_set(err, 0, -1, "%sarch must be \"x86_64\" or \"arm64\"", where);
    if (get_rate(e, "request_usd", &req, where, err) < 0 ||
        get_rate(e, "gb_second_usd", &gbs, where, err) < 0)
        return -1;
    /* A second row for the same key would be silently shadowed. */
    if (has_rate(l, region, arm ? PRICE_LAMBDA_GBS_ARM : PRICE_LAMBDA_GBS_X86))
        return mrb_err_set(err, 0, -1, "lambda[%zu]: duplicate region \"%s\" and arch \"%s\"", i,
                           region, arch);
    add_rate(l, region, arm ? PRICE_LAMBDA_GBS_ARM : PRICE_LAMBDA_GBS_X86, gbs);
    add_rate(l, region, arm ? PRICE_LAMBDA_REQ_ARM : PRICE_LAMBDA_REQ_X86, req);
    return 0;
}

static int load_ddb_row(json_t *e, size_t i, rate_list *l, mrb_err *err)
{
    char where[48], region[32];
    double wru;

    snprintf(where, sizeof where, "dynamodb[%zu]: ", i);
    if (!json_is_object(e))
        return mrb_err_set(err, 0, -1, "dynamodb[%zu] must be an object", i);
    if (copy_string(e, "region", 1, region, sizeof region, where, err) < 0 ||
        get_rate(e, "wru_usd", &wru, where, err) < 0)
        return -1;
    if (has_rate(l, region, PRICE_DDB_WRU))
        return mrb_err_set(err, 0, -1, "dynamodb[%zu]: duplicate region \"%s\"", i, region);
    add_rate(l, region, PRICE_DDB_WRU, wru);
    return 0;
}

/* The optional "dynamodb" array of a price table file into l. */
static int load_ddb_rows(json_t *root, rate_list *l, mrb_err *err)
{
    json_t *arr = json_object_get(root, "dynamodb");
    size_t n, i;

    if (!arr)
        return 0;
    if (!json_is_array(arr))
        return mrb_err_set(err, 0, -1, "dynamodb must be an array");
    n = json_array_size(arr);
    if (n > INT_MAX / 4)
        return mrb_err_set(err, 0, -1, "dynamodb has too many entries");
    for (i = 0; i < n; i++)
        if (load_ddb_row(json_array_get(arr, i), i, l, err) < 0)
            return -1;
    return 0;
}

/* The members of a parsed --pricing file into a table; NULL with err. */
static price_table *load_root(json_t *root, mrb_err *err)
{
    char version[64] = "custom", source[256] = "custom";
    rate_list l = {NULL, 0, 0, ""};
    json_t *arr = json_object_get(root, "lambda");
    price_table *t = NULL;
    size_t n, i;

    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        mrb_err_set(err, 0, -1, "lambda must be a non-empty array");
        return NULL;
    }
    n = json_array_size(arr);
    if (n > INT_MAX / 4) {
        mrb_err_set(err, 0, -1, "lambda has too many entries");
        return NULL;
    }
    if (copy_string(root, "version", 0, version, sizeof version, "", err) < 0 ||
        copy_string(root, "source", 0, source, sizeof source, "", err) < 0)
        return NULL;
    snprintf(l.table, sizeof l.table, "--pricing %s", version);
    for (i = 0; i < n; i++)
        if (load_row(json_array_get(arr, i), i, &l, err) < 0)
            goto done;
    if (load_ddb_rows(root, &l, err) < 0)
        goto done;
    t = cost_table_new(l.r, l.n, version, source);
done:
    free(l.r);
    return t;
}

price_table *cost_load_prices(const char *path, mrb_err *err)
{
    json_error_t je;
    json_t *root;
    price_table *t = NULL;

    mrb_err_source(err, path);
    errno = 0;
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        int e = errno; /* set by jansson's failed fopen */

        if (json_error_code(&je) == json_error_cannot_open_file && e != 0)
            mrb_err_set(err, 0, -1, "cannot open price table: %s", strerror(e));
        else if (json_error_code(&je) == json_error_cannot_open_file)
            mrb_err_set(err, 0, -1, "cannot open price table");
        else
            mrb_err_set(err, je.line > 0 ? je.line : 0, -1, "invalid JSON: %s", je.text);
        return NULL;
    }
    if (!json_is_object(root))
        mrb_err_set(err, 0, -1, "price table must be a JSON object");
    else
        t = load_root(root, err);
    json_decref(root);
    return t;
}

double cost_ddb_write_usd(const price_table *t, const char *region, double wru)
{
    const ddb_price_row *r = cost_find_ddb(t, region);

    return r && wru >= 0 && !isnan(r->wru_usd) ? wru * r->wru_usd : -1;
}

double cost_invocation_usd(const price_table *t, const char *region, const char *arch,
                           double memory_mb, double billed_ms)
{
    const price_row *r = cost_find(t, region, arch);

    /* Written as !(x >= 0) so that NaN is refused too. */
    if (!r || !(memory_mb >= 0) || !(billed_ms >= 0))
        return -1;
    return r->request_usd + (billed_ms / 1000) * (memory_mb / 1024) * r->gb_second_usd;
}

/* A numeric argument as a double; 0 when NULL or not a number. */
static int sql_number(sqlite3_value *v, double *out)
{
    int type = sqlite3_value_numeric_type(v);

    if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
        return 0;
    *out = sqlite3_value_double(v);
    return 1;
}

/* cost_usd(memory_mb, billed_ms [, arch [, region]]): REAL, or NULL when an
 * argument is NULL or not a number, or no price is known. */
static void sql_cost_usd(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const price_table *t = sqlite3_user_data(ctx);
    const char *arch = "x86_64", *region = "us-east-1";
    double mem, ms, usd;

    if (!sql_number(argv[0], &mem) || !sql_number(argv[1], &ms))
        return; /* a function that sets no result returns NULL */
    if (argc >= 3) {
        arch = (const char *)sqlite3_value_text(argv[2]);
        if (!arch) {
            if (sqlite3_value_type(argv[2]) != SQLITE_NULL)
                sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    if (argc >= 4) {
        region = (const char *)sqlite3_value_text(argv[3]);
        if (!region) {
            if (sqlite3_value_type(argv[3]) != SQLITE_NULL)
                sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    usd = cost_invocation_usd(t, region, arch, mem, ms);
    if (usd >= 0)
        sqlite3_result_double(ctx, usd);
}

/* ddb_cost_usd(wru [, region]): REAL, or NULL when wru is NULL or not a
 * number, or the region has no DynamoDB price. */
static void sql_ddb_cost_usd(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const price_table *t = sqlite3_user_data(ctx);
    const char *region = "us-east-1";
    double wru, usd;

    if (!sql_number(argv[0], &wru))
        return;
    if (argc >= 2) {
        region = (const char *)sqlite3_value_text(argv[1]);
        if (!region) {
            if (sqlite3_value_type(argv[1]) != SQLITE_NULL)
                sqlite3_result_error_nomem(ctx);
            return;
        }
    }
    usd = cost_ddb_write_usd(t, region, wru);
    if (usd >= 0)
        sqlite3_result_double(ctx, usd);
}

static void sql_price_table_version(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const price_table *t = sqlite3_user_data(ctx);

    (void)argc;
    (void)argv;
    sqlite3_result_text(ctx, t->version, -1, SQLITE_TRANSIENT);
}

/* The rate named by argv[0] in region argv[1], or NULL (no result set). */
static const price_rate *sql_rate(sqlite3_context *ctx, sqlite3_value **argv)
{
    const char *name = (const char *)sqlite3_value_text(argv[0]);
    const char *region = (const char *)sqlite3_value_text(argv[1]);

    return name && region ? cost_find_rate(sqlite3_user_data(ctx), region, cost_kind_of(name))
                          : NULL;
}

/* price_usd(rate, region): USD per unit, NULL when unknown. */
static void sql_price_usd(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const price_rate *r = sql_rate(ctx, argv);

    (void)argc;
    if (r)
        sqlite3_result_double(ctx, r->usd);
}

/* price_table(rate, region): the table the rate is in force from, NULL
 * when unknown. */
static void sql_price_table(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const price_rate *r = sql_rate(ctx, argv);

    (void)argc;
    if (r)
        sqlite3_result_text(ctx, r->table, -1, SQLITE_TRANSIENT);
}

/* price_from(rate, region): "TABLE: SOURCE, DATE", NULL when unknown. */
static void sql_price_from(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    const price_rate *r = sql_rate(ctx, argv);

    (void)argc;
    if (r) {
        char *s = sqlite3_mprintf("%s: %s, %s", r->table, r->source, r->date);
        if (s)
            sqlite3_result_text(ctx, s, -1, sqlite3_free);
        else
            sqlite3_result_error_nomem(ctx);
    }
}

int cost_register(sqlite3 *db, const price_table *t)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    /* SQLite's user data is void *; the functions only read through it. */
    void *ud = (void *)t;
    int nargs, rc;

    for (nargs = 2; nargs <= 4; nargs++) {
        rc = sqlite3_create_function_v2(db, "cost_usd", nargs, flags, ud, sql_cost_usd, NULL,
                                        NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    for (nargs = 1; nargs <= 2; nargs++) {
        rc = sqlite3_create_function_v2(db, "ddb_cost_usd", nargs, flags, ud, sql_ddb_cost_usd,
                                        NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return rc;
    }
    rc = sqlite3_create_function_v2(db, "price_usd", 2, flags, ud, sql_price_usd, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "price_from", 2, flags, ud, sql_price_from, NULL, NULL,
                                        NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "price_table", 2, flags, ud, sql_price_table, NULL,
                                        NULL, NULL);
    if (rc != SQLITE_OK)
        return rc;
    return sqlite3_create_function_v2(db, "price_table_version", 0, flags, ud,
                                      sql_price_table_version, NULL, NULL, NULL);
}

/* ---- fcost_usd(function, memory_mb, billed_ms): priced per function -------- */

typedef struct fn_price {
    char *function;
    const price_row *row; /* NULL: no price for its architecture and region */
} fn_price;

typedef struct fn_prices {
    fn_price *e;
    size_t n, last; /* last: the entry that matched last (rows come grouped) */
} fn_prices;

static void fn_prices_free(void *p)
{
    fn_prices *fp = p;

    for (size_t i = 0; fp && i < fp->n; i++)
        sqlite3_free(fp->e[i].function);
    if (fp)
        sqlite3_free(fp->e);
    sqlite3_free(fp);
}

static const fn_price *fn_prices_find(fn_prices *fp, const char *f)
{
    if (fp->n && strcmp(fp->e[fp->last].function, f) == 0)
        return &fp->e[fp->last];
    for (size_t i = 0; i < fp->n; i++)
        if (strcmp(fp->e[i].function, f) == 0) {
            fp->last = i;
            return &fp->e[i];
        }
    return NULL;
}

static void sql_fcost_usd(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    fn_prices *fp = sqlite3_user_data(ctx);
    const char *f = (const char *)sqlite3_value_text(argv[0]);
    double mem, ms;

    (void)argc;
    if (!f || !sql_number(argv[1], &mem) || !sql_number(argv[2], &ms) || !(mem >= 0) ||
        !(ms >= 0))
        return;
    const fn_price *e = fn_prices_find(fp, f);
    if (e && e->row)
        sqlite3_result_double(ctx, e->row->request_usd +
                                       (ms / 1000) * (mem / 1024) * e->row->gb_second_usd);
}

/* Reads every (function, arch, region) of query q into fp. */
static int fn_prices_load(fn_prices *fp, sqlite3_stmt *q, const price_table *t)
{
    size_t cap = 0;
    int rc;

    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *f = (const char *)sqlite3_column_text(q, 0);
        if (!f)
            continue;
        if (fp->n == cap) {
            cap = cap ? cap * 2 : 16;
            fn_price *e = sqlite3_realloc64(fp->e, cap * sizeof *e);
            if (!e)
                return SQLITE_NOMEM;
            fp->e = e;
        }
        fp->e[fp->n].function = sqlite3_mprintf("%s", f);
        if (!fp->e[fp->n].function)
            return SQLITE_NOMEM;
        fp->e[fp->n++].row = cost_find(t, (const char *)sqlite3_column_text(q, 2),
                                       (const char *)sqlite3_column_text(q, 1));
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int cost_register_function_prices(sqlite3 *db, const price_table *t, const char *table,
                                  mrb_err *err)
{
    char *sql = sqlite3_mprintf("SELECT function, arch, region FROM %s", table);
    fn_prices *fp = sqlite3_malloc64(sizeof *fp);
    sqlite3_stmt *q = NULL;
    int rc = sql && fp ? SQLITE_OK : SQLITE_NOMEM;

    if (fp)
        memset(fp, 0, sizeof *fp);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = fn_prices_load(fp, q, t ? t : cost_default_prices());
    sqlite3_finalize(q);
    sqlite3_free(sql);
    if (rc == SQLITE_OK) /* on failure too, SQLite calls the destructor */
        return sqlite3_create_function_v2(db, "fcost_usd", 3, SQLITE_UTF8, fp, sql_fcost_usd,
                                          NULL, NULL, fn_prices_free) == SQLITE_OK
                   ? 0
                   : mrb_err_set(err, 0, -1, "cannot register fcost_usd: %s", sqlite3_errmsg(db));
    fn_prices_free(fp);
    return mrb_err_set(err, 0, -1, "cannot read %s: %s", table, sqlite3_errstr(rc));
}
