/* price_offer.h — reading AWS Price List offer files (FORMATS.md §10).
 *
 * Reads a bulk offer file (whole-service or per-region index.json, plain
 * or gzip) or the output of `aws pricing get-products` (PriceList strings)
 * and keeps the on-demand price dimensions of the usage types the tool
 * prices (cost.h enum price_kind): Lambda Request / Request-ARM /
 * Lambda-GB-Second / Lambda-GB-Second-ARM, DynamoDB WriteRequestUnits /
 * ReadRequestUnits / Streams-Requests, API Gateway ApiGatewayRequest,
 * CloudWatch DataProcessing-Bytes; after an optional region prefix
 * (`EUC1-`, `APN1-`, `EU-`), the region itself from attributes.regionCode
 * (else location). Every tier is kept, keyed by beginRange.
 *
 * Streamed: products and terms.OnDemand are walked one SKU at a time (at
 * most PRICE_OFFER_MAX_VALUE bytes each), so memory is bounded by the
 * wanted prices, not the file (the whole-service files are hundreds of MB).
 * In a bulk file products must come before terms, as AWS writes them.
 *
 * Ownership: price_offer_read fills a price_offer released with
 * price_offer_free. */
#ifndef MRB_PRICE_OFFER_H
#define MRB_PRICE_OFFER_H

#include "mrb/err.h"

#define PRICE_OFFER_MAX_VALUE (4u << 20)

/* One price dimension (tier) of a wanted product. */
typedef struct price_tier {
    int kind;              /* enum price_kind */
    char offer[32];        /* AWSLambda, AmazonDynamoDB, AmazonApiGateway, AmazonCloudWatch */
    char region[32];
    char usage_type[64];   /* as in the file, with its prefix */
    char sku[32];
    char rate_code[96];
    char unit[32];
    char effective_date[32];
    char usd_text[32];     /* pricePerUnit.USD as published */
    double usd;            /* per unit */
    double begin, end;     /* beginRange, endRange; end is INFINITY for "Inf" */
} price_tier;

typedef struct price_offer {
    char offer[32];        /* offerCode (bulk) or serviceCode (get-products) */
    char version[32];      /* YYYYMMDDhhmmss */
    char publication_date[32];
    price_tier *tiers;
    int n, cap;
    long long products;    /* products seen */
    long long unplaced;    /* wanted usage types without a region the tool knows */
} price_offer;

/* Reads path ("-": standard input) into o. 0, or -1 with err (the file, and
 * the line and byte where reading stopped). */
int price_offer_read(const char *path, price_offer *o, mrb_err *err);
void price_offer_free(price_offer *o);

/* The kind (enum price_kind) of usage type ut in offer, after its region
 * prefix; -1 when the tool does not use it. */
int price_offer_kind(const char *offer, const char *ut);

#endif
