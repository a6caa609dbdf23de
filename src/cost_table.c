/* cost_table.c — price tables built from rates; the shipped table (cost.h). */
#include "mrb/cost.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/price_data.h"
#include "mrb/xalloc.h"

static const char *const kind_names[PRICE_KINDS] = {
    [PRICE_LAMBDA_GBS_X86] = "lambda_gb_second_x86_64",
    [PRICE_LAMBDA_GBS_ARM] = "lambda_gb_second_arm64",
    [PRICE_LAMBDA_REQ_X86] = "lambda_request_x86_64",
    [PRICE_LAMBDA_REQ_ARM] = "lambda_request_arm64",
    [PRICE_DDB_WRU] = "ddb_write_request_unit",
    [PRICE_DDB_RRU] = "ddb_read_request_unit",
    [PRICE_DDB_STREAM_READ] = "ddb_streams_read_request_unit",
    [PRICE_APIGW_REST] = "apigw_rest_request",
    [PRICE_LOGS_INGEST] = "logs_ingestion_gb",
    [PRICE_XRAY_TRACE] = "xray_trace_recorded",
};

const char *cost_kind_name(int kind)
{
    return kind >= 0 && kind < PRICE_KINDS ? kind_names[kind] : NULL;
}

int cost_kind_of(const char *name)
{
    for (int k = 0; name && k < PRICE_KINDS; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return -1;
}

const price_rate *cost_find_rate(const price_table *t, const char *region, int kind)
{
    if (!t || !region)
        return NULL;
    for (int i = 0; i < t->n_rates; i++)
        if (t->rates[i].kind == kind && strcmp(t->rates[i].region, region) == 0)
            return &t->rates[i];
    return NULL;
}

/* The Lambda row of region for one architecture, when both rates are known. */
static void derive_row(price_table *t, const char *region, const char *arch, int gbs_kind,
                       int req_kind)
{
    const price_rate *g = cost_find_rate(t, region, gbs_kind);
    const price_rate *q = cost_find_rate(t, region, req_kind);

    if (!g || !q)
        return;
    price_row *r = &t->rows[t->n++];
    snprintf(r->region, sizeof r->region, "%s", region);
    snprintf(r->arch, sizeof r->arch, "%s", arch);
    r->gb_second_usd = g->usd;
    r->request_usd = q->usd;
    if (strcmp(g->table, q->table) == 0)
        snprintf(r->from, sizeof r->from, "%s", g->table);
    else
        snprintf(r->from, sizeof r->from, "%s + %s", g->table, q->table);
}

static double rate_or_nan(const price_table *t, const char *region, int kind)
{
    const price_rate *r = cost_find_rate(t, region, kind);
    return r ? r->usd : NAN;
}

/* Rows and ddb from the rates: one pass per region, in first-seen order. */
static void derive(price_table *t)
{
    t->rows = xcalloc((size_t)t->n_rates * 2 + 1, sizeof *t->rows);
    t->ddb = xcalloc((size_t)t->n_rates + 1, sizeof *t->ddb);
    for (int i = 0; i < t->n_rates; i++) {
        const char *region = t->rates[i].region;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = strcmp(t->rates[j].region, region) == 0;
        if (seen)
            continue;
        derive_row(t, region, "x86_64", PRICE_LAMBDA_GBS_X86, PRICE_LAMBDA_REQ_X86);
        derive_row(t, region, "arm64", PRICE_LAMBDA_GBS_ARM, PRICE_LAMBDA_REQ_ARM);
        ddb_price_row d;
        memset(&d, 0, sizeof d);
        snprintf(d.region, sizeof d.region, "%s", region);
        d.wru_usd = rate_or_nan(t, region, PRICE_DDB_WRU);
        d.rru_usd = rate_or_nan(t, region, PRICE_DDB_RRU);
        d.stream_read_usd = rate_or_nan(t, region, PRICE_DDB_STREAM_READ);
        if (!isnan(d.wru_usd) || !isnan(d.rru_usd) || !isnan(d.stream_read_usd))
            t->ddb[t->n_ddb++] = d;
    }
}

price_table *cost_table_new(const price_rate *rates, int n, const char *version,
                            const char *source)
{
    price_table *t = xcalloc(1, sizeof *t);

    snprintf(t->version, sizeof t->version, "%s", version);
    snprintf(t->source, sizeof t->source, "%s", source);
    t->rates = xcalloc((size_t)(n > 0 ? n : 1), sizeof *t->rates);
    for (int i = 0; i < n; i++) {
        price_rate *old = (price_rate *)cost_find_rate(t, rates[i].region, rates[i].kind);
        if (old)
            *old = rates[i]; /* a later rate replaces an earlier one */
        else
            t->rates[t->n_rates++] = rates[i];
    }
    derive(t);
    return t;
}

void cost_free_prices(price_table *t)
{
    if (!t)
        return;
    free(t->rows);
    free(t->ddb);
    free(t->rates);
    free(t);
}

static price_table *shipped;
static pthread_once_t shipped_once = PTHREAD_ONCE_INIT;

static void build_shipped(void)
{
    price_rate *r = xcalloc((size_t)price_data_count, sizeof *r);

    for (int i = 0; i < price_data_count; i++) {
        const price_data_rate *d = &price_data_rates[i];
        snprintf(r[i].region, sizeof r[i].region, "%s", d->region);
        r[i].kind = d->kind;
        r[i].usd = d->usd;
        snprintf(r[i].source, sizeof r[i].source, "FORMATS.md §7 %s", d->source);
        snprintf(r[i].date, sizeof r[i].date, "%s", d->date);
        snprintf(r[i].table, sizeof r[i].table, "shipped %s", PRICE_DATA_VERSION);
    }
    shipped = cost_table_new(r, price_data_count, PRICE_DATA_VERSION,
                             "FORMATS.md §7: Lambda, DynamoDB, API Gateway REST and CloudWatch "
                             "Logs list prices per region, first paid tier");
    free(r);
}

const price_table *cost_default_prices(void)
{
    pthread_once(&shipped_once, build_shipped);
    return shipped;
}

const price_row *cost_find(const price_table *t, const char *region, const char *arch)
{
    if (!t || !region || !arch)
        return NULL;
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].region, region) == 0 && strcmp(t->rows[i].arch, arch) == 0)
            return &t->rows[i];
    return NULL;
}

const ddb_price_row *cost_find_ddb(const price_table *t, const char *region)
{
    if (!t || !region)
        return NULL;
    for (int i = 0; i < t->n_ddb; i++)
        if (strcmp(t->ddb[i].region, region) == 0)
            return &t->ddb[i];
    return NULL;
}
