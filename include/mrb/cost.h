/* cost.h — what an invocation costs, from a versioned price table.
 *
 * Per invocation (never from averages):
 *   cost_usd = request_usd + (billed_ms / 1000) * (memory_mb / 1024) * gb_second_usd
 * with the rates of the function's region and architecture. Billed Duration
 * is taken from the logs: it already contains billed init where AWS bills
 * it (custom runtimes always; managed runtimes since 2025-08-01). Free tier
 * and volume tiers are ignored: the first tier's rates apply (a benchmark
 * compares runtimes, it does not forecast a bill).
 *
 * DynamoDB writes (on-demand capacity) cost per write request unit:
 *   ddb_cost_usd = wru * wru_usd
 * with the rate of the table's region; a WRU is one write of up to 1 KB
 * (ddb_value.h sizes items; stream records carry the WRU of each write).
 *
 * Rates (price_rate) are per region and kind (enum price_kind), each with its
 * source, date and the table it comes from. The shipped table
 * (cost_default_prices; data in price_data.c) holds every rate FORMATS.md §7
 * sources, in every region it sources; rates imported from AWS Price List
 * offer files (price_db.h) take precedence over it rate by rate;
 * --pricing FILE replaces both with a JSON file of the form
 *   {"version": "...", "source": "...",
 *    "lambda": [{"region": "us-east-1", "arch": "x86_64",
 *                "request_usd": 0.0000002, "gb_second_usd": 0.0000166667}, ...],
 *    "dynamodb": [{"region": "us-east-1", "wru_usd": 0.000000625}, ...]}
 * ("dynamodb" optional). A region or architecture the table lacks has no
 * price: NULL in SQL, never a guess.
 *
 * SQL (cost_register): cost_usd(memory_mb, billed_ms [, arch [, region]]),
 * arch default "x86_64", region default "us-east-1"; NULL when an argument is
 * NULL or no price is known. ddb_cost_usd(wru [, region]), region default
 * "us-east-1", likewise. price_table_version() returns the version.
 * price_usd(rate, region): the rate per unit (rate named as in
 * cost_kind_name: 'lambda_gb_second_x86_64', 'ddb_read_request_unit', ...),
 * NULL when unknown; price_table(rate, region): the table it is in force
 * from ("shipped 2026-11-27.3", "imported AWSLambda 20261001184746");
 * price_from(rate, region): that table, its source and date. NULL when
 * unknown.
 *
 * Ownership: cost_load_prices returns a table freed with cost_free_prices;
 * the default table is static. cost_register keeps a pointer to the table:
 * it must outlive the connection. */
#ifndef MRB_COST_H
#define MRB_COST_H

#include "mrb/err.h"

typedef struct sqlite3 sqlite3;

/* What a rate prices, and its unit. */
enum price_kind {
    PRICE_LAMBDA_GBS_X86,   /* Lambda duration x86_64, per GB-second */
    PRICE_LAMBDA_GBS_ARM,   /* Lambda duration arm64, per GB-second */
    PRICE_LAMBDA_REQ_X86,   /* Lambda requests x86_64, per request */
    PRICE_LAMBDA_REQ_ARM,   /* Lambda requests arm64, per request */
    PRICE_DDB_WRU,          /* DynamoDB on-demand, per write request unit */
    PRICE_DDB_RRU,          /* DynamoDB on-demand, per read request unit */
    PRICE_DDB_STREAM_READ,  /* DynamoDB Streams, per streams read request unit */
    PRICE_APIGW_REST,       /* API Gateway REST API, per request (first tier) */
    PRICE_LOGS_INGEST,      /* CloudWatch Logs ingestion, Standard class, per GB */
    PRICE_XRAY_TRACE,       /* X-Ray, per trace recorded (above the free tier) */
    PRICE_KINDS
};

/* 'lambda_gb_second_x86_64', ...; NULL for an unknown kind. */
const char *cost_kind_name(int kind);
/* The kind of a name, or -1. */
int cost_kind_of(const char *name);

/* One rate in one region. */
typedef struct price_rate {
    char region[32];
    int kind;               /* enum price_kind */
    double usd;             /* per unit, first paid tier */
    char source[160];       /* where it was published (source keys, offer file) */
    char date[32];          /* its date, "n.d." when the source gives none */
    char table[96];         /* the table it is in force from ("shipped 2026-11-27.3", ...) */
} price_rate;

typedef struct price_row {
    char region[32];
    char arch[16];          /* "x86_64" or "arm64" */
    double request_usd;     /* per request */
    double gb_second_usd;   /* per GB-second of billed duration (GB = 1024 MB) */
    char from[200];         /* the table(s) both rates come from */
} price_row;

/* DynamoDB on-demand capacity in one region; a rate not known is NaN. */
typedef struct ddb_price_row {
    char region[32];
    double wru_usd;         /* per write request unit */
    double rru_usd;         /* per read request unit */
    double stream_read_usd; /* per streams read request unit */
} ddb_price_row;

typedef struct price_table {
    char version[256];
    char source[256];
    price_row *rows;        /* Lambda rows: regions and architectures with both rates */
    int n;
    ddb_price_row *ddb;     /* n_ddb DynamoDB rows */
    int n_ddb;
    price_rate *rates;      /* every rate, n_rates of them */
    int n_rates;
} price_table;

/* A table of n rates (copied); rows and ddb are derived from them (a
 * Lambda row where both rates of an architecture are known). A second rate
 * of the same region and kind replaces the first. Freed with
 * cost_free_prices. */
price_table *cost_table_new(const price_rate *rates, int n, const char *version,
                            const char *source);

/* The rate of kind in region, or NULL. */
const price_rate *cost_find_rate(const price_table *t, const char *region, int kind);

const price_table *cost_default_prices(void);
price_table *cost_load_prices(const char *path, mrb_err *err);
void cost_free_prices(price_table *t);

/* The row for region and arch, or NULL. */
const price_row *cost_find(const price_table *t, const char *region, const char *arch);

/* The DynamoDB row for region, or NULL. */
const ddb_price_row *cost_find_ddb(const price_table *t, const char *region);

/* What wru write request units cost in region; -1 when no price is known. */
double cost_ddb_write_usd(const price_table *t, const char *region, double wru);

/* The cost of one invocation; -1 when no price is known. */
double cost_invocation_usd(const price_table *t, const char *region, const char *arch,
                           double memory_mb, double billed_ms);

/* Registers cost_usd(), ddb_cost_usd() and price_table_version() on db. 0 or
 * an SQLite code. */
int cost_register(sqlite3 *db, const price_table *t);

/* Registers fcost_usd(function, memory_mb, billed_ms) on db: cost_usd with
 * the architecture and region that table (columns function, arch, region:
 * the report's temp.fprice) gives the function, read now; NULL for a
 * function the table lacks or whose price t lacks. t NULL: the shipped
 * table. Registering again replaces it. 0, or -1 with err. */
int cost_register_function_prices(sqlite3 *db, const price_table *t, const char *table,
                                  mrb_err *err);

#endif
