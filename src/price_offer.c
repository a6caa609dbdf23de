/* price_offer.c — the wanted prices of an AWS Price List offer file,
 * streamed SKU by SKU (see price_offer.h). */
#include "mrb/price_offer.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/cost.h"
#include "mrb/jscan.h"
#include "mrb/reader.h"
#include "mrb/sb.h"
#include "mrb/source.h"
#include "mrb/xalloc.h"

/* Usage types the tool prices, after the region prefix (FORMATS.md §10.7). */
static const struct {
    const char *offer, *usage;
    int kind;
} wanted[] = {
    {"AWSLambda", "Request", PRICE_LAMBDA_REQ_X86},
    {"AWSLambda", "Request-ARM", PRICE_LAMBDA_REQ_ARM},
    {"AWSLambda", "Lambda-GB-Second", PRICE_LAMBDA_GBS_X86},
    {"AWSLambda", "Lambda-GB-Second-ARM", PRICE_LAMBDA_GBS_ARM},
    {"AmazonDynamoDB", "WriteRequestUnits", PRICE_DDB_WRU},
    {"AmazonDynamoDB", "ReadRequestUnits", PRICE_DDB_RRU},
    {"AmazonDynamoDB", "Streams-Requests", PRICE_DDB_STREAM_READ},
    {"AmazonApiGateway", "ApiGatewayRequest", PRICE_APIGW_REST},
    {"AmazonCloudWatch", "DataProcessing-Bytes", PRICE_LOGS_INGEST},
};

/* Older records name only the location (FORMATS.md §10.3). */
static const char *const locations[][2] = {
    {"US East (N. Virginia)", "us-east-1"},      {"US East (Ohio)", "us-east-2"},
    {"US West (N. California)", "us-west-1"},    {"US West (Oregon)", "us-west-2"},
    {"Canada (Central)", "ca-central-1"},        {"South America (Sao Paulo)", "sa-east-1"},
    {"EU (Ireland)", "eu-west-1"},               {"EU (London)", "eu-west-2"},
    {"EU (Paris)", "eu-west-3"},                 {"EU (Frankfurt)", "eu-central-1"},
    {"EU (Stockholm)", "eu-north-1"},            {"EU (Milan)", "eu-south-1"},
    {"Asia Pacific (Mumbai)", "ap-south-1"},     {"Asia Pacific (Singapore)", "ap-southeast-1"},
    {"Asia Pacific (Sydney)", "ap-southeast-2"}, {"Asia Pacific (Tokyo)", "ap-northeast-1"},
    {"Asia Pacific (Seoul)", "ap-northeast-2"},  {"Asia Pacific (Osaka)", "ap-northeast-3"},
    {"Asia Pacific (Hong Kong)", "ap-east-1"},   {"Africa (Cape Town)", "af-south-1"},
    {"Middle East (Bahrain)", "me-south-1"},     {"Middle East (UAE)", "me-central-1"},
};

/* A region prefix: upper-case letters and a digit ("EUC1-", "APN1-"), or
 * eu-west-1's legacy "EU-". "IA-" (Standard-IA tables) is not one. */
static const char *strip_prefix(const char *ut)
{
    size_t i = 0;

    if (!strncmp(ut, "EU-", 3))
        return ut + 3;
    while (isupper((unsigned char)ut[i]))
        i++;
    if (i < 2 || i > 4 || !isdigit((unsigned char)ut[i]))
        return ut;
    while (isdigit((unsigned char)ut[i]))
        i++;
    return ut[i] == '-' ? ut + i + 1 : ut;
}

int price_offer_kind(const char *offer, const char *ut)
{
    const char *name = strip_prefix(ut);

    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; i++)
        if (!strcmp(offer, wanted[i].offer) && !strcmp(name, wanted[i].usage))
            return wanted[i].kind;
    return -1;
}

/* Text that may reach a terminal, a table or SQL: printable ASCII without
 * '|', '`' or '\\', 1 to size-1 bytes. */
static int copy_safe(char *dst, size_t size, const char *s)
{
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n >= size)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e || strchr("|`\\<>", s[i]))
            return -1;
    memcpy(dst, s, n + 1);
    return 0;
}

static const char *jstr(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ---- products ---- */

typedef struct product {
    char sku[32];
    char offer[32];
    char region[32];
    char usage_type[64];
    int kind;
} product;

typedef struct walk {
    price_offer *o;
    product *p;          /* wanted products, sorted by sku once terms begin */
    size_t n, cap;
    int sorted;
    sb raw;
    const char *path;
} walk;

static const char *region_of(json_t *attrs)
{
    const char *rc = jstr(attrs, "regionCode"), *loc = jstr(attrs, "location");

    if (rc)
        return rc;
    for (size_t i = 0; loc && i < sizeof locations / sizeof locations[0]; i++)
        if (!strcmp(loc, locations[i][0]))
            return locations[i][1];
    return NULL;
}

/* The wanted product of a parsed products[sku] value into p; 0 when not
 * wanted, 1 when wanted. */
static int product_of(walk *w, json_t *prod, product *p)
{
    json_t *attrs = json_object_get(prod, "attributes");
    const char *offer = jstr(attrs, "servicecode"), *ut = jstr(attrs, "usagetype");
    const char *region;

    w->o->products++;
    if (!offer)
        offer = w->o->offer;
    if (!ut || !*offer || (p->kind = price_offer_kind(offer, ut)) < 0)
        return 0;
    region = region_of(attrs);
    if (!region || copy_safe(p->region, sizeof p->region, region) < 0 ||
        copy_safe(p->sku, sizeof p->sku, jstr(prod, "sku")) < 0 ||
        copy_safe(p->usage_type, sizeof p->usage_type, ut) < 0 ||
        copy_safe(p->offer, sizeof p->offer, offer) < 0) {
        w->o->unplaced++;
        return 0;
    }
    return 1;
}

static json_t *parse_raw(walk *w, reader *r, mrb_err *err)
{
    json_error_t je;
    json_t *v = json_loadb(w->raw.buf, w->raw.len, JSON_DECODE_ANY, &je);

    if (!v)
        mrb_err_set(err, reader_line(r), reader_offset(r), "invalid JSON: %s", je.text);
    return v;
}

static int product_member(void *arg, const char *key, reader *r, mrb_err *err)
{
    walk *w = arg;
    product p;
    json_t *v;

    (void)key;
    if (w->sorted)
        return mrb_err_set(err, reader_line(r), reader_offset(r),
                           "products come after terms: cannot read this offer file in one pass");
    sb_reset(&w->raw);
    if (jscan_value(r, &w->raw, PRICE_OFFER_MAX_VALUE, err) < 0 || !(v = parse_raw(w, r, err)))
        return -1;
    memset(&p, 0, sizeof p);
    if (product_of(w, v, &p)) {
        XGROW(w->p, w->n, w->cap, 64);
        w->p[w->n++] = p;
    }
    json_decref(v);
    return 0;
}

static int by_sku(const void *a, const void *b)
{
    return strcmp(((const product *)a)->sku, ((const product *)b)->sku);
}

static const product *find_product(walk *w, const char *sku)
{
    product key;

    if (!w->sorted) {
        if (w->n)
            qsort(w->p, w->n, sizeof *w->p, by_sku);
        w->sorted = 1;
    }
    if (snprintf(key.sku, sizeof key.sku, "%s", sku) >= (int)sizeof key.sku || !w->n)
        return NULL;
    return bsearch(&key, w->p, w->n, sizeof *w->p, by_sku);
}

/* ---- terms ---- */

/* A range bound: a decimal string, "Inf" for none. */
static int range_of(json_t *dim, const char *k1, const char *k2, double dflt, double *out)
{
    const char *s = jstr(dim, k1);
    char *end;

    if (!s)
        s = jstr(dim, k2);
    if (!s) {
        *out = dflt;
        return 0;
    }
    if (!strcmp(s, "Inf")) {
        *out = INFINITY;
        return 0;
    }
    *out = strtod(s, &end);
    return end != s && !*end && isfinite(*out) && *out >= 0 ? 0 : -1;
}

static void add_tier(price_offer *o, const price_tier *t)
{
    XGROW(o->tiers, o->n, o->cap, 32);
    o->tiers[o->n++] = *t;
}

/* One priceDimensions entry of product p under a term. */
static int dimension(price_offer *o, const product *p, json_t *term, json_t *dim,
                     long long line, long long off, mrb_err *err)
{
    price_tier t;
    char *end;
    const char *usd = jstr(json_object_get(dim, "pricePerUnit"), "USD");

    memset(&t, 0, sizeof t);
    t.kind = p->kind;
    memcpy(t.offer, p->offer, sizeof t.offer);
    memcpy(t.region, p->region, sizeof t.region);
    memcpy(t.usage_type, p->usage_type, sizeof t.usage_type);
    memcpy(t.sku, p->sku, sizeof t.sku);
    if (!usd || copy_safe(t.usd_text, sizeof t.usd_text, usd) < 0 ||
        copy_safe(t.rate_code, sizeof t.rate_code, jstr(dim, "rateCode")) < 0 ||
        copy_safe(t.unit, sizeof t.unit, jstr(dim, "unit")) < 0)
        return mrb_err_set(err, line, off,
                           "sku %s: a price dimension without rateCode, unit or pricePerUnit.USD",
                           p->sku);
    t.usd = strtod(usd, &end);
    if (end == usd || *end || !isfinite(t.usd) || t.usd < 0)
        return mrb_err_set(err, line, off,
                           "sku %s: pricePerUnit.USD is not a price: %s", p->sku, t.usd_text);
    if (range_of(dim, "beginRange", "startingRange", 0, &t.begin) < 0 ||
        range_of(dim, "endRange", "endingRange", INFINITY, &t.end) < 0 || !(t.begin < t.end))
        return mrb_err_set(err, line, off,
                           "sku %s: bad beginRange / endRange", p->sku);
    if (copy_safe(t.effective_date, sizeof t.effective_date, jstr(term, "effectiveDate")) < 0)
        t.effective_date[0] = '\0';
    add_tier(o, &t);
    return 0;
}

/* Every term of terms (an object keyed "<sku>.<offerTermCode>"). */
static int terms_of(price_offer *o, const product *p, json_t *terms, long long line,
                    long long off, mrb_err *err)
{
    const char *code;
    json_t *term;

    json_object_foreach(terms, code, term) {
        const char *rc;
        json_t *dim;
        json_object_foreach(json_object_get(term, "priceDimensions"), rc, dim)
            if (dimension(o, p, term, dim, line, off, err) < 0)
                return -1;
    }
    return 0;
}

static int ondemand_member(void *arg, const char *sku, reader *r, mrb_err *err)
{
    walk *w = arg;
    const product *p = find_product(w, sku);
    long long line = reader_line(r), off = reader_offset(r);
    json_t *v;
    int rc;

    if (!p)
        return jscan_value(r, NULL, 0, err);
    sb_reset(&w->raw);
    if (jscan_value(r, &w->raw, PRICE_OFFER_MAX_VALUE, err) < 0 || !(v = parse_raw(w, r, err)))
        return -1;
    rc = terms_of(w->o, p, v, line, off, err);
    json_decref(v);
    return rc;
}

static int terms_member(void *arg, const char *key, reader *r, mrb_err *err)
{
    if (strcmp(key, "OnDemand") != 0)
        return jscan_value(r, NULL, 0, err);
    return jscan_object(r, "terms.OnDemand", ondemand_member, arg, err);
}

/* ---- get-products output: PriceList[] strings, one product each ---- */

static int price_list_element(void *arg, const sb *raw, long long line, long long off,
                              mrb_err *err)
{
    walk *w = arg;
    json_error_t je;
    json_t *s = json_loadb(raw->buf, raw->len, JSON_DECODE_ANY, &je), *rec = NULL;
    product p;
    int rc = 0;

    if (s && json_is_string(s))
        rec = json_loadb(json_string_value(s), json_string_length(s), 0, &je);
    if (!rec) {
        json_decref(s);
        return mrb_err_set(err, line, off, "a PriceList element is not a JSON string of a "
                           "product: %s", je.text);
    }
    if (!w->o->offer[0])
        copy_safe(w->o->offer, sizeof w->o->offer, jstr(rec, "serviceCode"));
    copy_safe(w->o->version, sizeof w->o->version, jstr(rec, "version"));
    copy_safe(w->o->publication_date, sizeof w->o->publication_date,
              jstr(rec, "publicationDate"));
    memset(&p, 0, sizeof p);
    if (product_of(w, json_object_get(rec, "product"), &p))
        rc = terms_of(w->o, &p, json_object_get(json_object_get(rec, "terms"), "OnDemand"), line,
                      off, err);
    json_decref(rec);
    json_decref(s);
    return rc;
}

/* ---- the document ---- */

/* A header string (offerCode, version, publicationDate) into dst. */
static int header(walk *w, reader *r, char *dst, size_t size, const char *key, mrb_err *err)
{
    json_t *v;

    sb_reset(&w->raw);
    if (jscan_value(r, &w->raw, 4096, err) < 0 || !(v = parse_raw(w, r, err)))
        return -1;
    int bad = copy_safe(dst, size, json_string_value(v)) < 0;
    json_decref(v);
    return bad ? mrb_err_set(err, reader_line(r), reader_offset(r),
                             "%s is not a short printable string", key)
               : 0;
}

static int top_member(void *arg, const char *key, reader *r, mrb_err *err)
{
    walk *w = arg;
    price_offer *o = w->o;

    if (!strcmp(key, "offerCode"))
        return header(w, r, o->offer, sizeof o->offer, key, err);
    if (!strcmp(key, "version"))
        return header(w, r, o->version, sizeof o->version, key, err);
    if (!strcmp(key, "publicationDate"))
        return header(w, r, o->publication_date, sizeof o->publication_date, key, err);
    if (!strcmp(key, "products"))
        return jscan_object(r, "products", product_member, w, err);
    if (!strcmp(key, "terms"))
        return jscan_object(r, "terms", terms_member, w, err);
    if (!strcmp(key, "PriceList"))
        return jscan_array(r, "PriceList", PRICE_OFFER_MAX_VALUE, price_list_element, w, err);
    return jscan_value(r, NULL, 0, err);
}

/* A version is YYYYMMDDhhmmss. */
static int is_version(const char *v)
{
    size_t n = strspn(v, "0123456789");
    return n == 14 && !v[n];
}

int price_offer_read(const char *path, price_offer *o, mrb_err *err)
{
    walk w;
    source *src;
    reader *r = NULL;
    int rc = -1;

    memset(o, 0, sizeof *o);
    memset(&w, 0, sizeof w);
    w.o = o;
    w.path = path;
    mrb_err_source(err, path);
    if (!(src = source_open(path, err)))
        return -1;
    r = reader_new(src, 1u << 20);
    if (jscan_object(r, "an offer file", top_member, &w, err) == 0) {
        if (jscan_more(r, err) != 0)
            mrb_err_set(err, reader_line(r), reader_offset(r),
                        "more data after the offer file's object");
        else if (!o->offer[0] || !is_version(o->version))
            mrb_err_set(err, 0, -1, "not an offer file: no offerCode and version "
                                    "(YYYYMMDDhhmmss)");
        else
            rc = 0;
    }
    reader_free(r);
    source_close(src);
    free(w.p);
    sb_release(&w.raw);
    if (rc < 0)
        price_offer_free(o);
    return rc;
}

void price_offer_free(price_offer *o)
{
    free(o->tiers);
    o->tiers = NULL;
    o->n = o->cap = 0;
}
