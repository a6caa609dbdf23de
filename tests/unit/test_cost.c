/* test_cost.c — price tables, per-invocation cost and the SQL functions
 * (cost.h).
 *
 * Covers the shipped table (version, the regional rows of FORMATS.md §7:
 * us-east-1, a region priced from [R], the exception regions, regions
 * without an arm64 request rate, a source and date on every rate), cost_find, cost_invocation_usd against hand-computed values (512 MB x
 * 100 ms x86_64, 1024 MB x 1 ms arm64, 128 MB, billed 0, unknown region or
 * arch, negative and NaN inputs), cost_usd() and price_table_version() on an
 * in-memory database (2, 3 and 4 arguments, NULL and non-numeric arguments,
 * unknown region, a SUM over a small table), then cost_load_prices on
 * temporary files: valid tables, defaults, a missing file, invalid JSON with
 * its line, and bad entries (rates, region, arch, lengths, duplicates).
 * DynamoDB writes: the shipped on-demand WRU rate ($0.625 per million,
 * us-east-1), cost_ddb_write_usd and ddb_cost_usd() by hand, and the
 * optional "dynamodb" rows of a price table file with their bad entries. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mrb/cost.h"

#define REL 1e-15

/* Hand-computed: request $0.0000002 + (ms / 1000) * (MB / 1024) * rate. */
#define USD_512_100_X86 0.000001033335    /* 2e-7 + 0.1 * 0.5 * 0.0000166667 */
#define USD_1024_1_ARM 0.0000002133334    /* 2e-7 + 0.001 * 1 * 0.0000133334 */
#define USD_128_1000_X86 0.0000022833375  /* 2e-7 + 1 * 0.125 * 0.0000166667 */
#define USD_128_1000_ARM 0.00000186667500 /* 2e-7 + 1 * 0.125 * 0.0000133334 */
#define USD_REQUEST 0.0000002

static void check_rel(double got, double want, int line)
{
    if (!(fabs(got - want) <= REL * fabs(want)))
        fail_msg("line %d: got %.17g, expected %.17g", line, got, want);
}

#define ASSERT_USD(got, want) check_rel((got), (want), __LINE__)

/* ---- the shipped table and cost_invocation_usd ------------------------ */

static void test_default_table(void **state)
{
    const price_table *t = cost_default_prices();
    const price_row *r;

    (void)state;
    assert_string_equal(t->version, "2026-11-27.3");
    assert_non_null(strstr(t->source, "FORMATS.md"));
    assert_int_equal(t->n, 37); /* 21 regions x86_64, 16 of them arm64 too */
    r = cost_find(t, "us-east-1", "x86_64");
    assert_non_null(r);
    assert_true(r->request_usd == 0.0000002);
    assert_true(r->gb_second_usd == 0.0000166667);
    r = cost_find(t, "us-east-1", "arm64");
    assert_non_null(r);
    assert_true(r->request_usd == 0.0000002);
    assert_true(r->gb_second_usd == 0.0000133334);
    assert_null(cost_find(t, "ap-southeast-4", "x86_64")); /* FORMATS.md: not found */
    assert_null(cost_find(t, "us-east-1", "ARM64")); /* exact match */
    assert_null(cost_find(t, "us-east-1 ", "arm64"));
    assert_null(cost_find(t, NULL, "arm64"));
    assert_null(cost_find(NULL, "us-east-1", "arm64"));
}

static void test_invocation_hand_computed(void **state)
{
    const price_table *t = cost_default_prices();

    (void)state;
    ASSERT_USD(cost_invocation_usd(t, "us-east-1", "x86_64", 512, 100), USD_512_100_X86);
    ASSERT_USD(cost_invocation_usd(t, "us-east-1", "arm64", 1024, 1), USD_1024_1_ARM);
    ASSERT_USD(cost_invocation_usd(t, "us-east-1", "x86_64", 128, 1000), USD_128_1000_X86);
    ASSERT_USD(cost_invocation_usd(t, "us-east-1", "arm64", 128, 1000), USD_128_1000_ARM);
    /* 10,240 MB for 15 min: 2e-7 + 900 * 10 * 0.0000166667 */
    ASSERT_USD(cost_invocation_usd(t, "us-east-1", "x86_64", 10240, 900000), 0.1500005);
}

static void test_invocation_billed_zero(void **state)
{
    const price_table *t = cost_default_prices();

    (void)state;
    ASSERT_USD(cost_invocation_usd(t, "us-east-1", "x86_64", 512, 0), USD_REQUEST);
    ASSERT_USD(cost_invocation_usd(t, "us-east-1", "arm64", 10240, 0), USD_REQUEST);
    ASSERT_USD(cost_invocation_usd(t, "us-east-1", "arm64", 0, 500), USD_REQUEST);
}

/* FORMATS.md §7.2 / §7.3 cell by cell, for regions other than us-east-1. */
static void test_default_regions(void **state)
{
    const price_table *t = cost_default_prices();
    const price_rate *r;
    const price_row *row;

    (void)state;
    row = cost_find(t, "eu-central-1", "arm64"); /* [R] [J] */
    assert_non_null(row);
    assert_true(row->gb_second_usd == 0.0000133334 && row->request_usd == 0.0000002);
    assert_non_null(strstr(row->from, "shipped 2026-11-27.3"));
    row = cost_find(t, "eu-south-1", "x86_64"); /* an exception region */
    assert_true(row && row->gb_second_usd == 0.0000195172 && row->request_usd == 0.00000023);
    assert_null(cost_find(t, "eu-south-1", "arm64")); /* its arm64 requests: not found */
    row = cost_find(t, "af-south-1", "x86_64");
    assert_true(row && row->gb_second_usd == 0.0000221 && row->request_usd == 0.00000027);
    row = cost_find(t, "ap-northeast-3", "x86_64");
    assert_true(row && row->gb_second_usd == 0.00002153 && row->request_usd == 0.00000026);
    assert_null(cost_find(t, "ap-northeast-3", "arm64")); /* not found, and not [A]'s base */
    assert_null(cost_find(t, "me-central-1", "x86_64"));  /* its requests: not found */
    row = cost_find(t, "us-west-1", "arm64"); /* [A] base and the §7.4 request rule */
    assert_true(row && row->gb_second_usd == 0.0000133334 && row->request_usd == 0.0000002);
    r = cost_find_rate(t, "us-west-1", PRICE_LAMBDA_GBS_ARM);
    assert_true(r && strstr(r->source, "[A]") && strcmp(r->date, "2022-11-10") == 0);
    r = cost_find_rate(t, "eu-west-1", PRICE_LOGS_INGEST);
    assert_true(r && r->usd == 0.57 && strcmp(r->date, "2026-09-22") == 0);
    r = cost_find_rate(t, "ap-northeast-1", PRICE_LOGS_INGEST);
    assert_true(r && r->usd == 0.76);
    r = cost_find_rate(t, "eu-west-1", PRICE_APIGW_REST);
    assert_true(r && r->usd == 0.0000035 && strstr(r->source, "[M]"));
    assert_null(cost_find_rate(t, "eu-central-1", PRICE_DDB_WRU));
    assert_null(cost_find_rate(t, "eu-central-1", PRICE_APIGW_REST));
    r = cost_find_rate(t, "us-east-1", PRICE_DDB_RRU);
    assert_true(r && r->usd == 0.000000125);
    for (int i = 0; i < t->n_rates; i++) { /* every rate names its source and date */
        assert_true(t->rates[i].usd > 0);
        assert_true(strlen(t->rates[i].source) > 12 && strlen(t->rates[i].date) >= 4);
        assert_non_null(cost_kind_name(t->rates[i].kind));
    }
    assert_int_equal(cost_kind_of("ddb_streams_read_request_unit"), PRICE_DDB_STREAM_READ);
    assert_int_equal(cost_kind_of("nothing"), -1);
}

static void test_invocation_no_price(void **state)
{
    const price_table *t = cost_default_prices();

    (void)state;
    assert_true(cost_invocation_usd(t, "ap-southeast-4", "x86_64", 512, 100) == -1);
    assert_true(cost_invocation_usd(t, "me-central-1", "x86_64", 512, 100) == -1);
    assert_true(cost_invocation_usd(t, "us-east-1", "sparc", 512, 100) == -1);
    assert_true(cost_invocation_usd(t, "us-east-1", "", 512, 100) == -1);
    assert_true(cost_invocation_usd(t, NULL, "x86_64", 512, 100) == -1);
    assert_true(cost_invocation_usd(t, "us-east-1", NULL, 512, 100) == -1);
    assert_true(cost_invocation_usd(NULL, "us-east-1", "x86_64", 512, 100) == -1);
}

static void test_invocation_negative(void **state)
{
    const price_table *t = cost_default_prices();

    (void)state;
    assert_true(cost_invocation_usd(t, "us-east-1", "x86_64", -512, 100) == -1);
    assert_true(cost_invocation_usd(t, "us-east-1", "x86_64", 512, -1) == -1);
    assert_true(cost_invocation_usd(t, "us-east-1", "arm64", -0.5, -0.5) == -1);
    assert_true(cost_invocation_usd(t, "us-east-1", "arm64", NAN, 100) == -1);
    assert_true(cost_invocation_usd(t, "us-east-1", "arm64", 512, NAN) == -1);
}

/* ---- SQL --------------------------------------------------------------- */

static sqlite3 *g_db;

static int open_db(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &g_db) != SQLITE_OK)
        return -1;
    return cost_register(g_db, cost_default_prices()) == SQLITE_OK ? 0 : -1;
}

static int close_db(void **state)
{
    (void)state;
    sqlite3_close(g_db);
    g_db = NULL;
    return 0;
}

/* Runs a one-value query; returns the column type and stores a REAL (or
 * INTEGER) in *v, a TEXT in text[size]. */
static int query(const char *sql, double *v, char *text, size_t size, int line)
{
    sqlite3_stmt *st = NULL;
    int type;

    if (sqlite3_prepare_v2(g_db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("line %d: %s: %s", line, sql, sqlite3_errmsg(g_db));
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("line %d: %s: no row: %s", line, sql, sqlite3_errmsg(g_db));
    type = sqlite3_column_type(st, 0);
    if (v)
        *v = sqlite3_column_double(st, 0);
    if (text && size) {
        const unsigned char *s = sqlite3_column_text(st, 0);

        snprintf(text, size, "%s", s ? (const char *)s : "");
    }
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    return type;
}

static void check_sql(const char *sql, double want, int line)
{
    double v = 0;
    int type = query(sql, &v, NULL, 0, line);

    if (type != SQLITE_FLOAT)
        fail_msg("line %d: %s: type %d, expected REAL", line, sql, type);
    check_rel(v, want, line);
}

static void check_sql_null(const char *sql, int line)
{
    int type = query(sql, NULL, NULL, 0, line);

    if (type != SQLITE_NULL)
        fail_msg("line %d: %s: type %d, expected NULL", line, sql, type);
}

#define SQL_USD(sql, want) check_sql((sql), (want), __LINE__)
#define SQL_NULL(sql) check_sql_null((sql), __LINE__)

static void exec(const char *sql)
{
    char *err = NULL;

    if (sqlite3_exec(g_db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

static void test_sql_arities(void **state)
{
    (void)state;
    SQL_USD("SELECT cost_usd(512, 100)", USD_512_100_X86);
    SQL_USD("SELECT cost_usd(512.0, 100.0)", USD_512_100_X86);
    SQL_USD("SELECT cost_usd('512', '100')", USD_512_100_X86); /* numeric text */
    SQL_USD("SELECT cost_usd(512, 100, 'x86_64')", USD_512_100_X86);
    SQL_USD("SELECT cost_usd(1024, 1, 'arm64')", USD_1024_1_ARM);
    SQL_USD("SELECT cost_usd(1024, 1, 'arm64', 'us-east-1')", USD_1024_1_ARM);
    SQL_USD("SELECT cost_usd(128, 1000, 'x86_64', 'us-east-1')", USD_128_1000_X86);
    SQL_USD("SELECT cost_usd(128, 0, 'arm64')", USD_REQUEST);
}

static void test_sql_null(void **state)
{
    (void)state;
    SQL_NULL("SELECT cost_usd(NULL, 100)");
    SQL_NULL("SELECT cost_usd(512, NULL)");
    SQL_NULL("SELECT cost_usd(512, 100, NULL)");
    SQL_NULL("SELECT cost_usd(512, 100, 'x86_64', NULL)");
    SQL_NULL("SELECT cost_usd(512, 100, 'x86_64', 'ap-southeast-4')");
    SQL_NULL("SELECT cost_usd(512, 100, 'sparc')");
    SQL_NULL("SELECT cost_usd(512, -1)");
    SQL_NULL("SELECT cost_usd('lots', 100)");
    SQL_NULL("SELECT cost_usd(512, x'00')");
}

static void test_sql_wrong_arity(void **state)
{
    sqlite3_stmt *st = NULL;

    (void)state;
    assert_int_not_equal(sqlite3_prepare_v2(g_db, "SELECT cost_usd(512)", -1, &st, NULL),
                         SQLITE_OK);
    assert_null(st);
    assert_int_not_equal(sqlite3_prepare_v2(g_db, "SELECT cost_usd(1, 2, 'arm64', 'us-east-1', 5)",
                                            -1, &st, NULL),
                         SQLITE_OK);
    assert_null(st);
}

static void test_sql_version(void **state)
{
    char text[80];

    (void)state;
    assert_int_equal(query("SELECT price_table_version()", NULL, text, sizeof text, __LINE__),
                     SQLITE_TEXT);
    assert_string_equal(text, "2026-11-27.3");
}

/* fcost_usd prices each function with the architecture and region a table
 * gives it, as cost_usd would with them spelt out. */
static void test_sql_function_prices(void **state)
{
    mrb_err err;

    (void)state;
    exec("CREATE TABLE fp(function TEXT, arch TEXT, region TEXT);"
         "INSERT INTO fp VALUES ('go', 'x86_64', 'us-east-1'), ('kt', 'arm64', 'us-east-1'),"
         " ('eu', 'x86_64', 'eu-central-2'), (NULL, 'arm64', 'us-east-1');");
    mrb_err_clear(&err);
    assert_int_equal(cost_register_function_prices(g_db, NULL, "fp", &err), 0);
    SQL_USD("SELECT fcost_usd('go', 512, 100)", USD_512_100_X86);
    SQL_USD("SELECT fcost_usd('kt', 1024, 1)", USD_1024_1_ARM);
    SQL_USD("SELECT fcost_usd('kt', 128, 1000)", USD_128_1000_ARM);
    SQL_USD("SELECT fcost_usd('go', 128, 0)", USD_REQUEST);
    SQL_NULL("SELECT fcost_usd('eu', 512, 100)");    /* a region without prices */
    SQL_NULL("SELECT fcost_usd('nobody', 512, 100)"); /* a function the table lacks */
    SQL_NULL("SELECT fcost_usd(NULL, 512, 100)");
    SQL_NULL("SELECT fcost_usd('go', NULL, 100)");
    SQL_NULL("SELECT fcost_usd('go', 512, 'abc')");
    SQL_NULL("SELECT fcost_usd('go', -1, 100)");
    /* alternating functions hit the one-entry cache and the search in turn */
    SQL_USD("SELECT sum(fcost_usd(f, 512, 100)) FROM (SELECT 'go' AS f UNION ALL SELECT 'kt' "
            "UNION ALL SELECT 'go' UNION ALL SELECT 'nobody')",
            2 * USD_512_100_X86 + USD_REQUEST + 0.1 * 0.5 * 0.0000133334);
    /* registering again reads the table again */
    exec("UPDATE fp SET arch = 'arm64' WHERE function = 'go'");
    assert_int_equal(cost_register_function_prices(g_db, NULL, "fp", &err), 0);
    SQL_USD("SELECT fcost_usd('go', 1024, 1)", USD_1024_1_ARM);
    /* a table that is not there is an error, named */
    assert_int_equal(cost_register_function_prices(g_db, NULL, "no_such_table", &err), -1);
    assert_non_null(strstr(err.text, "no_such_table"));
}

static void test_sql_sum(void **state)
{
    double v = 0;

    (void)state;
    exec("CREATE TABLE inv(memory_mb INTEGER, billed_ms INTEGER, arch TEXT, region TEXT);"
         "INSERT INTO inv VALUES (512, 100, 'x86_64', 'us-east-1'),"
         " (1024, 1, 'arm64', 'us-east-1'), (128, 1000, 'x86_64', 'us-east-1'),"
         " (128, 0, 'arm64', 'us-east-1'),"
         " (128, 1000, 'arm64', 'ap-northeast-3'), (NULL, 5, 'x86_64', 'us-east-1');");
    SQL_USD("SELECT sum(cost_usd(memory_mb, billed_ms, arch, region)) FROM inv",
            USD_512_100_X86 + USD_1024_1_ARM + USD_128_1000_X86 + USD_REQUEST);
    SQL_USD("SELECT sum(cost_usd(memory_mb, billed_ms, arch)) FROM inv WHERE arch = 'arm64'",
            USD_1024_1_ARM + USD_REQUEST + USD_128_1000_ARM);
    assert_int_equal(query("SELECT count(cost_usd(memory_mb, billed_ms, arch, region)) = 4 "
                           "FROM inv",
                           &v, NULL, 0, __LINE__),
                     SQLITE_INTEGER);
    assert_true(v == 1);
}

/* ---- cost_load_prices -------------------------------------------------- */

/* Writes text to a new temporary file; its path goes into path. */
static void write_temp(char *path, size_t size, const char *text)
{
    size_t n = strlen(text);
    int fd;

    snprintf(path, size, "/tmp/mrb-ut-cost-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
}

static price_table *load_text(const char *text, mrb_err *err)
{
    char path[64];
    price_table *t;

    write_temp(path, sizeof path, text);
    mrb_err_clear(err);
    t = cost_load_prices(path, err);
    assert_string_equal(err->source, path);
    assert_int_equal(unlink(path), 0);
    return t;
}

/* Loading text fails with exactly want as the error text. */
static void check_bad(const char *text, const char *want, int line)
{
    mrb_err err;
    price_table *t = load_text(text, &err);

    if (t) {
        cost_free_prices(t);
        fail_msg("line %d: loaded, expected \"%s\"", line, want);
    }
    if (strcmp(err.text, want) != 0)
        fail_msg("line %d: error \"%s\", expected \"%s\"", line, err.text, want);
}

#define BAD(text, want) check_bad((text), (want), __LINE__)

/* One lambda entry with the given members, for the bad-entry cases. */
#define ROW_X86 "{\"region\":\"us-east-1\",\"arch\":\"x86_64\",\"request_usd\":2e-7," \
                "\"gb_second_usd\":0.0000166667}"
#define TABLE(rows) "{\"version\":\"t\",\"lambda\":[" rows "]}"

static void test_load_valid(void **state)
{
    mrb_err err;
    price_table *t;

    (void)state;
    t = load_text("{\"version\": \"test-1\", \"source\": \"unit test\",\n"
                  " \"lambda\": [\n"
                  "  {\"region\": \"eu-west-1\", \"arch\": \"x86_64\",\n"
                  "   \"request_usd\": 1, \"gb_second_usd\": 0.5},\n"
                  "  {\"region\": \"eu-west-1\", \"arch\": \"arm64\",\n"
                  "   \"request_usd\": 0.0000002, \"gb_second_usd\": 2, \"note\": \"ignored\"}\n"
                  " ]}\n",
                  &err);
    assert_non_null(t);
    assert_string_equal(t->version, "test-1");
    assert_string_equal(t->source, "unit test");
    assert_int_equal(t->n, 2);
    assert_string_equal(t->rows[0].region, "eu-west-1");
    assert_string_equal(t->rows[1].arch, "arm64");
    ASSERT_USD(cost_invocation_usd(t, "eu-west-1", "x86_64", 1024, 1000), 1.5);
    ASSERT_USD(cost_invocation_usd(t, "eu-west-1", "arm64", 512, 250), 0.2500002);
    assert_true(cost_invocation_usd(t, "us-east-1", "x86_64", 512, 100) == -1); /* replaced */
    cost_free_prices(t);
    cost_free_prices(NULL);
}

static void test_load_defaults_and_sql(void **state)
{
    mrb_err err;
    price_table *t;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    (void)state;
    t = load_text(TABLE(ROW_X86), &err);
    assert_non_null(t);
    assert_string_equal(t->version, "t");
    assert_string_equal(t->source, "custom");
    cost_free_prices(t);

    t = load_text("{\"lambda\":[" ROW_X86 "]}", &err);
    assert_non_null(t);
    assert_string_equal(t->version, "custom");
    assert_string_equal(t->source, "custom");

    /* A loaded table behind the SQL functions. */
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(cost_register(db, t), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT price_table_version(), cost_usd(512, 100)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "custom");
    check_rel(sqlite3_column_double(st, 1), USD_512_100_X86, __LINE__);
    assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    cost_free_prices(t);
}

static void test_load_missing_file(void **state)
{
    const char *path = "/tmp/mrb-ut-cost-no-such-dir/prices.json";
    mrb_err err;
    char msg[1200];

    (void)state;
    mrb_err_clear(&err);
    assert_null(cost_load_prices(path, &err));
    assert_string_equal(err.source, path);
    assert_string_equal(err.text, "cannot open price table: No such file or directory");
    mrb_err_format(&err, msg, sizeof msg);
    assert_string_equal(msg, "/tmp/mrb-ut-cost-no-such-dir/prices.json: "
                             "cannot open price table: No such file or directory");
    assert_null(cost_load_prices(path, NULL)); /* no error struct: still fails cleanly */
}

static void test_load_invalid_json(void **state)
{
    mrb_err err;
    price_table *t;

    (void)state;
    t = load_text("{\n  \"lambda\": [\n    {,\n  ]\n}\n", &err);
    assert_null(t);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.text, "invalid JSON: "));

    t = load_text("", &err);
    assert_null(t);
    assert_non_null(strstr(err.text, "invalid JSON: "));

    /* Duplicate keys are refused rather than silently overwritten. */
    t = load_text("{\"version\":\"a\",\n\"version\":\"b\",\"lambda\":[" ROW_X86 "]}", &err);
    assert_null(t);
    assert_int_equal(err.line, 2);
}

static void test_load_bad_entries(void **state)
{
    (void)state;
    BAD("[]", "price table must be a JSON object");
    BAD("{\"version\":\"t\"}", "lambda must be a non-empty array");
    BAD(TABLE(""), "lambda must be a non-empty array");
    BAD("{\"lambda\":{}}", "lambda must be a non-empty array");
    BAD(TABLE(ROW_X86 ",[]"), "lambda[1] must be an object");
    BAD(TABLE(ROW_X86 "," ROW_X86),
        "lambda[1]: duplicate region \"us-east-1\" and arch \"x86_64\"");
    BAD(TABLE(ROW_X86 ",{\"region\":\"us-east-1\",\"arch\":\"arm64\","
                      "\"request_usd\":2e-7,\"gb_second_usd\":-0.0000133334}"),
        "lambda[1]: gb_second_usd must be a positive number");
    BAD(TABLE("{\"region\":\"us-east-1\",\"arch\":\"arm64\","
              "\"request_usd\":0,\"gb_second_usd\":1}"),
        "lambda[0]: request_usd must be a positive number");
    BAD(TABLE("{\"region\":\"us-east-1\",\"arch\":\"arm64\","
              "\"request_usd\":\"0.2\",\"gb_second_usd\":1}"),
        "lambda[0]: request_usd must be a positive number");
    BAD(TABLE("{\"region\":\"us-east-1\",\"arch\":\"arm64\",\"request_usd\":1}"),
        "lambda[0]: gb_second_usd is missing");
    BAD(TABLE("{\"arch\":\"arm64\",\"request_usd\":1,\"gb_second_usd\":1}"),
        "lambda[0]: region is missing");
    BAD(TABLE("{\"region\":\"\",\"arch\":\"arm64\",\"request_usd\":1,\"gb_second_usd\":1}"),
        "lambda[0]: region must be a non-empty string without NUL");
    BAD(TABLE("{\"region\":7,\"arch\":\"arm64\",\"request_usd\":1,\"gb_second_usd\":1}"),
        "lambda[0]: region must be a string");
    BAD(TABLE("{\"region\":\"us-east-1\",\"arch\":\"sparc\","
              "\"request_usd\":1,\"gb_second_usd\":1}"),
        "lambda[0]: arch must be \"x86_64\" or \"arm64\"");
    BAD(TABLE("{\"region\":\"us-east-1\",\"request_usd\":1,\"gb_second_usd\":1}"),
        "lambda[0]: arch is missing");
    BAD("{\"version\":1,\"lambda\":[" ROW_X86 "]}", "version must be a string");
    BAD("{\"source\":null,\"lambda\":[" ROW_X86 "]}", "source must be a string");
}

static void test_load_too_long(void **state)
{
    mrb_err err;
    price_table *t;

    (void)state;
    /* region[32]: 31 characters fit, 32 do not. */
    t = load_text(TABLE("{\"region\":\"abcdefghijklmnopqrstuvwxyz-1234\",\"arch\":\"arm64\","
                        "\"request_usd\":1,\"gb_second_usd\":1}"),
                  &err);
    assert_non_null(t);
    assert_string_equal(t->rows[0].region, "abcdefghijklmnopqrstuvwxyz-1234");
    cost_free_prices(t);
    BAD(TABLE("{\"region\":\"abcdefghijklmnopqrstuvwxyz-12345\",\"arch\":\"arm64\","
              "\"request_usd\":1,\"gb_second_usd\":1}"),
        "lambda[0]: region is longer than 31 bytes");
    BAD("{\"version\":\"0123456789012345678901234567890123456789012345678901234567890123\","
        "\"lambda\":[" ROW_X86 "]}",
        "version is longer than 63 bytes");
}

/* ---- DynamoDB writes ------------------------------------------------- */

static void test_ddb_default_and_hand_computed(void **state)
{
    const price_table *t = cost_default_prices();
    const ddb_price_row *r;

    (void)state;
    assert_int_equal(t->n_ddb, 1);
    r = cost_find_ddb(t, "us-east-1");
    assert_non_null(r);
    assert_true(r->wru_usd == 0.000000625); /* $0.625 per million, after 2024-11-01 */
    assert_non_null(strstr(t->source, "DynamoDB"));
    assert_null(cost_find_ddb(t, "eu-west-1")); /* FORMATS.md: not found */
    assert_null(cost_find_ddb(t, NULL));
    ASSERT_USD(cost_ddb_write_usd(t, "us-east-1", 1), 0.000000625);
    ASSERT_USD(cost_ddb_write_usd(t, "us-east-1", 1e6), 0.625);
    ASSERT_USD(cost_ddb_write_usd(t, "us-east-1", 3), 0.000001875);
    assert_true(cost_ddb_write_usd(t, "us-east-1", 0) == 0);
    assert_true(cost_ddb_write_usd(t, "eu-west-1", 1) == -1);
    assert_true(cost_ddb_write_usd(t, "us-east-1", -1) == -1);
    assert_true(cost_ddb_write_usd(t, "us-east-1", NAN) == -1);
}

static void test_sql_ddb_cost(void **state)
{
    (void)state;
    SQL_USD("SELECT ddb_cost_usd(1)", 0.000000625);
    SQL_USD("SELECT ddb_cost_usd(4, 'us-east-1')", 0.0000025);
    SQL_USD("SELECT sum(ddb_cost_usd(w)) FROM (SELECT 1 AS w UNION ALL SELECT 2 UNION ALL "
            "SELECT 3)",
            0.00000375);
    SQL_NULL("SELECT ddb_cost_usd(1, 'eu-west-1')");
    SQL_NULL("SELECT ddb_cost_usd(NULL)");
    SQL_NULL("SELECT ddb_cost_usd('x')");
    SQL_NULL("SELECT ddb_cost_usd(1, NULL)");
}

static void test_load_ddb(void **state)
{
    mrb_err err;
    price_table *t;

    (void)state;
    t = load_text("{\"lambda\":[" ROW_X86 "],\"dynamodb\":[{\"region\":\"eu-west-1\","
                  "\"wru_usd\":0.000000705},{\"region\":\"us-east-1\",\"wru_usd\":1.25e-6}]}",
                  &err);
    assert_non_null(t);
    assert_int_equal(t->n_ddb, 2);
    ASSERT_USD(cost_ddb_write_usd(t, "eu-west-1", 2), 0.00000141);
    ASSERT_USD(cost_ddb_write_usd(t, "us-east-1", 2), 0.0000025);
    cost_free_prices(t);
    /* without "dynamodb": Lambda only, writes unpriced */
    t = load_text(TABLE(ROW_X86), &err);
    assert_non_null(t);
    assert_int_equal(t->n_ddb, 0);
    assert_true(cost_ddb_write_usd(t, "us-east-1", 1) == -1);
    cost_free_prices(t);
    BAD("{\"lambda\":[" ROW_X86 "],\"dynamodb\":{}}", "dynamodb must be an array");
    BAD("{\"lambda\":[" ROW_X86 "],\"dynamodb\":[1]}", "dynamodb[0] must be an object");
    BAD("{\"lambda\":[" ROW_X86 "],\"dynamodb\":[{\"region\":\"us-east-1\"}]}",
        "dynamodb[0]: wru_usd is missing");
    BAD("{\"lambda\":[" ROW_X86 "],\"dynamodb\":[{\"region\":\"us-east-1\",\"wru_usd\":0}]}",
        "dynamodb[0]: wru_usd must be a positive number");
    BAD("{\"lambda\":[" ROW_X86 "],\"dynamodb\":[{\"wru_usd\":1}]}",
        "dynamodb[0]: region is missing");
    BAD("{\"lambda\":[" ROW_X86 "],\"dynamodb\":[{\"region\":\"a\",\"wru_usd\":1},"
        "{\"region\":\"a\",\"wru_usd\":2}]}",
        "dynamodb[1]: duplicate region \"a\"");
}

#define T(f) cmocka_unit_test(f)
#define TDB(f) cmocka_unit_test_setup_teardown(f, open_db, close_db)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_default_table),
        T(test_default_regions),
        T(test_invocation_hand_computed),
        T(test_invocation_billed_zero),
        T(test_invocation_no_price),
        T(test_invocation_negative),
        TDB(test_sql_arities),
        TDB(test_sql_null),
        TDB(test_sql_wrong_arity),
        TDB(test_sql_version),
        TDB(test_sql_sum),
        TDB(test_sql_function_prices),
        T(test_load_valid),
        T(test_load_defaults_and_sql),
        T(test_load_missing_file),
        T(test_load_invalid_json),
        T(test_load_bad_entries),
        T(test_load_too_long),
        T(test_ddb_default_and_hand_computed),
        TDB(test_sql_ddb_cost),
        T(test_load_ddb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
