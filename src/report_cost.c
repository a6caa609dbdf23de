/* report_cost.c — the rates behind the cost section, and the regions
 * without one (see report_cost.h). */
#include "mrb/report_cost.h"

#include <sqlite3.h>
#include <string.h>

#include "mrb/out.h"

/* Per region and architecture of the selection's functions: both Lambda
 * rates and where they come from (NULL when there is no price), and the
 * invocations. Made once into a temporary table that both lists read: the
 * selection is counted per function (a short sort key), not joined and
 * sorted whole. */
#define RATES_SQL                                                                                \
    "DROP TABLE IF EXISTS temp.cost_rates; "                                                     \
    "CREATE TEMP TABLE cost_rates AS "                                                           \
    "WITH n AS (SELECT function, count(*) AS n FROM sel GROUP BY function) "                     \
    "SELECT p.region, p.arch, price_usd('lambda_gb_second_' || p.arch, p.region) AS gb_s, "      \
    "price_from('lambda_gb_second_' || p.arch, p.region) AS gb_s_from, "                         \
    "price_usd('lambda_request_' || p.arch, p.region) AS request, "                              \
    "price_from('lambda_request_' || p.arch, p.region) AS request_from, sum(n.n) AS n "          \
    "FROM n JOIN fprice p USING (function) GROUP BY p.region, p.arch ORDER BY 1, 2"

/* Stream records whose table's region has no write price. */
#define DDB_SQL                                                                                  \
    "SELECT coalesce(region, 'us-east-1') AS r, count(*) FROM ssel "                           \
    "WHERE ddb_cost_usd(0, coalesce(region, 'us-east-1')) IS NULL GROUP BY r ORDER BY r"

/* A region or architecture fit for a terminal: [a-z0-9-_], else a stand-in. */
static const char *plain(const char *s)
{
    return s && *s && strlen(s) < 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") ==
                                             strlen(s)
               ? s
               : "(an unreadable region)";
}

static const char *text(sqlite3_stmt *q, int i)
{
    return (const char *)sqlite3_column_text(q, i);
}

static void md_cell(FILE *md, const char *s)
{
    out_markdown_cell(md, s ? s : "", s ? strlen(s) : 0);
}

static void json_member(FILE *json, const char *key, const char *s, int first)
{
    fprintf(json, "%s\"%s\": ", first ? "" : ", ", key);
    if (s)
        out_json_string(json, s);
    else
        fputs("null", json);
}

/* One line of the rates list (priced) or of the missing ones. */
static void rate_line(sqlite3_stmt *q, FILE *md)
{
    fputs("- ", md);
    md_cell(md, text(q, 0));
    fputs(", ", md);
    md_cell(md, text(q, 1));
    fprintf(md, ": $%.10f per GB-s (", sqlite3_column_double(q, 2));
    md_cell(md, text(q, 3));
    fprintf(md, "); $%.10f per request (", sqlite3_column_double(q, 4));
    md_cell(md, text(q, 5));
    fputs(")\n", md);
}

static void missing_line(sqlite3_stmt *q, FILE *md, warnings *warn)
{
    long long n = sqlite3_column_int64(q, 6);

    fputs("- **No Lambda price** for ", md);
    md_cell(md, text(q, 0));
    fputs(", ", md);
    md_cell(md, text(q, 1));
    fprintf(md, " (%s%s%s): %lld invocations have no cost. Import the region's AWSLambda offer "
                "file with `mrb-analyze prices import`.\n",
            sqlite3_column_type(q, 2) == SQLITE_NULL ? "no duration rate" : "",
            sqlite3_column_type(q, 2) == SQLITE_NULL && sqlite3_column_type(q, 4) == SQLITE_NULL
                ? ", "
                : "",
            sqlite3_column_type(q, 4) == SQLITE_NULL ? "no request rate" : "", n);
    warnings_add(warn, "no Lambda price for region %s (%s): %lld invocations not priced; "
                "see mrb-analyze prices import",
                plain(text(q, 0)), plain(text(q, 1)), n);
}

static int priced(sqlite3_stmt *q)
{
    return sqlite3_column_type(q, 2) != SQLITE_NULL && sqlite3_column_type(q, 4) != SQLITE_NULL;
}

/* The rates that priced the selection, then the regions without. */
static int lambda_notes(sqlite3_stmt *q, FILE *md, FILE *json, warnings *warn)
{
    int rc, n = 0, m = 0;

    fputs(",\n\"cost_prices\": [", json);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (!priced(q))
            continue;
        if (n++ == 0)
            fputs("\nRates in force (`mrb-analyze prices list` shows them all):\n\n", md);
        rate_line(q, md);
        fputs(n > 1 ? ",\n{" : "\n{", json);
        json_member(json, "region", text(q, 0), 1);
        json_member(json, "arch", text(q, 1), 0);
        fputs(", \"gb_second_usd\": ", json);
        out_json_number(json, sqlite3_column_double(q, 2));
        json_member(json, "gb_second_from", text(q, 3), 0);
        fputs(", \"request_usd\": ", json);
        out_json_number(json, sqlite3_column_double(q, 4));
        json_member(json, "request_from", text(q, 5), 0);
        fputs("}", json);
    }
    fputs("],\n\"cost_unpriced\": [", json);
    if (rc != SQLITE_DONE)
        return -1;
    sqlite3_reset(q);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (priced(q))
            continue;
        if (m++ == 0)
            fputs("\n", md);
        missing_line(q, md, warn);
        fputs(m > 1 ? ",\n{" : "\n{", json);
        json_member(json, "service", "lambda", 1);
        json_member(json, "region", text(q, 0), 0);
        json_member(json, "arch", text(q, 1), 0);
        fprintf(json, ", \"invocations\": %lld}", (long long)sqlite3_column_int64(q, 6));
    }
    return rc == SQLITE_DONE ? m : -1;
}

/* DynamoDB writes in regions without a write price; continues the
 * cost_unpriced array. */
static int ddb_notes(sqlite3_stmt *q, FILE *md, FILE *json, int lambda_missing,
                     warnings *warn)
{
    int rc, m = lambda_missing;

    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        long long n = sqlite3_column_int64(q, 1);
        fputs("\n- **No DynamoDB write price** for ", md);
        md_cell(md, text(q, 0));
        fprintf(md, ": %lld stream records' writes have no cost. Import the region's "
                    "AmazonDynamoDB offer file with `mrb-analyze prices import`.\n", n);
        warnings_add(warn, "no DynamoDB write price for region %s: %lld stream records not priced; "
                    "see mrb-analyze prices import",
                    plain(text(q, 0)), n);
        fputs(m++ ? ",\n{" : "\n{", json);
        json_member(json, "service", "dynamodb", 1);
        json_member(json, "region", text(q, 0), 0);
        fprintf(json, ", \"stream_records\": %lld}", n);
    }
    fputs("]", json);
    return rc == SQLITE_DONE ? 0 : -1;
}

int report_cost_notes(sqlite3 *db, FILE *md, FILE *json, warnings *warn, mrb_err *err)
{
    sqlite3_stmt *q = NULL, *d = NULL;
    int rc = -1, m;

    if (sqlite3_exec(db, RATES_SQL, NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT * FROM temp.cost_rates ORDER BY rowid", -1, &q, NULL) ==
            SQLITE_OK &&
        sqlite3_prepare_v2(db, DDB_SQL, -1, &d, NULL) == SQLITE_OK &&
        (m = lambda_notes(q, md, json, warn)) >= 0)
        rc = ddb_notes(d, md, json, m, warn);
    if (rc < 0)
        mrb_err_set(err, 0, -1, "report-cost prices: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    sqlite3_finalize(d);
    return rc;
}
