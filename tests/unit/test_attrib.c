/* test_attrib.c — runtime attribution (attrib.h).
 *
 * Covers attrib_from_name (whole-word, CamelCase-aware tokens; names that
 * name two runtimes decide nothing), attrib_from_version (INIT_START and
 * telemetry forms; custom runtimes decide nothing), attrib_decide precedence
 * map > runtime version > name > unknown with its source, attrib_source_name,
 * and map files written to temporary files: globs on log group and on path,
 * comments, blank lines, first rule wins per key, each kind of bad rule
 * (NULL with err.source = the file and err.line = the rule's line), and a
 * missing file. DynamoDB stream records: the table= key, ddb: rules (first
 * rule wins per key, every key-prefix word of that rule, defaults), schema
 * lines and schema= files (text and JSON, relative to the map), each bad
 * ddb: rule and schema line with its line, the item id of Keys, and the
 * order of attrib_ddb_decide (map, attribute, prefix, unattributed). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mrb/attrib.h"
#include "mrb/ddb_conform.h"

/* Writes text to a new temporary file; its path goes into path. */
static void write_temp(char *path, size_t size, const char *text)
{
    snprintf(path, size, "/tmp/mrb-ut-attrib-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
}

static void check_name(const char *name, const char *want, int line)
{
    const char *got = attrib_from_name(name);

    if (want == NULL && got != NULL)
        fail_msg("line %d: '%s' named %s, expected none", line, name ? name : "(null)", got);
    if (want != NULL && (got == NULL || strcmp(got, want) != 0))
        fail_msg("line %d: '%s' named %s, expected %s", line, name ? name : "(null)",
                 got ? got : "none", want);
}

#define NAME(name, want) check_name((name), (want), __LINE__)

static void test_from_name(void **state)
{
    (void)state;
    NAME("GoStack-Api", "go");
    NAME("mongo-sync", NULL);
    NAME("cargo", NULL);
    NAME("goroutine", NULL);
    NAME("TSApi", "typescript");
    NAME("dev-benchmark-python", "python");
    NAME("go-python", NULL);
    NAME("kotlinNative", "kotlin");
    NAME("/aws/lambda/dev-benchmark-kotlin", "kotlin");
    NAME("dev-go", "go");
    NAME("dev_typescript_api", "typescript");
    NAME("PythonHandler", "python");
    NAME("python-python", "python");
    NAME("algorithm", NULL);
    NAME("pygame", NULL);
    NAME("", NULL);
    NAME(NULL, NULL);
}

static void test_from_version(void **state)
{
    (void)state;
    assert_string_equal(attrib_from_version("python:3.11.v29"), "python");
    assert_string_equal(attrib_from_version("python:3.11.mainlinev2.v3"), "python");
    assert_string_equal(attrib_from_version("nodejs:20.v33"), "typescript");
    assert_string_equal(attrib_from_version("nodejs-14.v3"), "typescript");
    assert_null(attrib_from_version("provided:al2.v41"));
    assert_null(attrib_from_version("provided:al2023.v12"));
    assert_null(attrib_from_version(NULL));
    assert_null(attrib_from_version(""));
    assert_null(attrib_from_version("pythonic:1.v1"));
}

static void test_source_names(void **state)
{
    const enum attrib_source all[] = {ATTRIB_UNKNOWN, ATTRIB_NAME, ATTRIB_VERSION, ATTRIB_MAP};
    (void)state;

    assert_string_equal(attrib_source_name(ATTRIB_UNKNOWN), "unknown");
    assert_string_equal(attrib_source_name(ATTRIB_MAP), "map");
    for (size_t i = 0; i < 4; i++) {
        const char *a = attrib_source_name(all[i]);
        assert_non_null(a);
        assert_true(a[0] != '\0');
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(a, attrib_source_name(all[j]));
    }
}

static void test_decide_precedence(void **state)
{
    char path[64];
    mrb_err err;
    enum attrib_source src = ATTRIB_MAP;
    (void)state;

    write_temp(path, sizeof path, "/aws/lambda/dev-go runtime=rust\n");
    mrb_err_clear(&err);
    attrib_map *m = attrib_map_load(path, &err);
    unlink(path); /* read already: leave nothing behind */
    assert_non_null(m);

    /* map beats the version and the name */
    assert_string_equal(
        attrib_decide(m, &(attrib_input){"dev-go", "/aws/lambda/dev-go", "x/dev-go.json", "x/dev-go.json", "python:3.11.v29"}, &src),
        "rust");
    assert_int_equal(src, ATTRIB_MAP);

    /* version beats the name */
    assert_string_equal(
        attrib_decide(m, &(attrib_input){"dev-go", "/aws/lambda/other", NULL, NULL, "python:3.11.v29"}, &src), "python");
    assert_int_equal(src, ATTRIB_VERSION);

    /* a version that decides nothing falls through to the name */
    assert_string_equal(attrib_decide(m, &(attrib_input){"GoStack-Api", NULL, NULL, NULL, "provided:al2.v41"}, &src),
                        "go");
    assert_int_equal(src, ATTRIB_NAME);

    /* the name can come from the log group or the path */
    assert_string_equal(
        attrib_decide(NULL, &(attrib_input){NULL, "/aws/lambda/dev-benchmark-kotlin", NULL, NULL, NULL}, &src), "kotlin");
    assert_int_equal(src, ATTRIB_NAME);
    assert_string_equal(
        attrib_decide(NULL, &(attrib_input){"bench-a", NULL, "/data/typescript/bench-a.json.gz", "/data/typescript/bench-a.json.gz", NULL}, &src),
        "typescript");
    assert_int_equal(src, ATTRIB_NAME);

    /* nothing decides: unknown, never a guess */
    src = ATTRIB_MAP;
    assert_string_equal(attrib_decide(m, &(attrib_input){"mongo-sync", "/aws/lambda/mongo-sync", "x/cargo.json", "x/cargo.json", "provided:al2.v41"}, &src),
                        "unknown");
    assert_int_equal(src, ATTRIB_UNKNOWN);
    src = ATTRIB_MAP;
    assert_string_equal(attrib_decide(NULL, &(attrib_input){NULL, NULL, NULL, NULL, NULL}, &src), "unknown");
    assert_int_equal(src, ATTRIB_UNKNOWN);
    src = ATTRIB_MAP;
    assert_string_equal(attrib_decide(NULL, &(attrib_input){"go-python", NULL, NULL, NULL, NULL}, &src), "unknown");
    assert_int_equal(src, ATTRIB_UNKNOWN);

    attrib_map_free(m);
}

static void test_map_rules(void **state)
{
    char path[64];
    mrb_err err;
    (void)state;

    write_temp(path, sizeof path,
               "# runtime map for the benchmark\n"
               "\n"
               "   # an indented comment\n"
               "/aws/lambda/bench-a*\truntime=python function=bench-a\n"
               "\t\n"
               "/aws/lambda/bench-a-extra runtime=go function=never\n"
               "/aws/lambda/bench-* function=bench-other   # sets only the function\n"
               "*/exports/kt/* runtime=kotlin\n"
               "/aws/lambda/bench-b* runtime=typescript\r\n"
               "*/rust-only/* runtime=rust-nightly_2.x\n"
               "/aws/lambda/bench-a* arch=arm64\n"
               "/aws/lambda/bench-* arch=x86_64 region=eu-west-1\n");
    mrb_err_clear(&err);
    attrib_map *m = attrib_map_load(path, &err);
    unlink(path); /* read already: leave nothing behind */
    if (m == NULL)
        fail_msg("map rejected: line %lld: %s", err.line, err.text);

    /* first rule that sets a key wins, per key */
    assert_string_equal(attrib_map_runtime(m, "/aws/lambda/bench-a-extra", NULL), "python");
    assert_string_equal(attrib_map_function(m, "/aws/lambda/bench-a-extra", NULL), "bench-a");
    assert_string_equal(attrib_map_runtime(m, "/aws/lambda/bench-b1", NULL), "typescript");
    assert_string_equal(attrib_map_function(m, "/aws/lambda/bench-b1", NULL), "bench-other");

    /* globs match paths too, and '*' crosses '/' */
    assert_string_equal(attrib_map_runtime(m, NULL, "/data/exports/kt/x/2024/01/01/000000.gz"),
                        "kotlin");
    assert_null(attrib_map_function(m, NULL, "/data/exports/kt/x/2024/01/01/000000.gz"));
    assert_string_equal(attrib_map_runtime(m, "/aws/lambda/zzz", "/srv/rust-only/a.json"),
                        "rust-nightly_2.x");

    /* architecture and region: rules that set only them, first match per key */
    assert_string_equal(attrib_map_arch(m, "/aws/lambda/bench-a1", NULL), "arm64");
    assert_string_equal(attrib_map_region(m, "/aws/lambda/bench-a1", NULL), "eu-west-1");
    assert_string_equal(attrib_map_arch(m, "/aws/lambda/bench-b1", NULL), "x86_64");
    assert_null(attrib_map_arch(m, NULL, "/data/exports/kt/x/000000.gz"));
    assert_null(attrib_map_region(m, "/aws/lambda/zzz", NULL));
    assert_string_equal(attrib_map_runtime(m, "/aws/lambda/bench-a1", NULL), "python");

    /* nothing matches */
    assert_null(attrib_map_runtime(m, "/aws/lambda/zzz", "/tmp/none.gz"));
    assert_null(attrib_map_function(m, "/aws/lambda/zzz", "/tmp/none.gz"));
    assert_null(attrib_map_runtime(m, NULL, NULL));
    assert_null(attrib_map_runtime(m, "bench-a", NULL)); /* globs are anchored */
    assert_null(attrib_map_runtime(NULL, "/aws/lambda/bench-a", NULL));
    assert_null(attrib_map_function(NULL, "/aws/lambda/bench-a", NULL));

    attrib_map_free(m);
    attrib_map_free(NULL);
}

static void test_map_empty_file(void **state)
{
    char path[64];
    mrb_err err;
    (void)state;

    write_temp(path, sizeof path, "# nothing but a comment\n\n");
    mrb_err_clear(&err);
    attrib_map *m = attrib_map_load(path, &err);
    unlink(path); /* read already: leave nothing behind */
    assert_non_null(m);
    assert_null(attrib_map_runtime(m, "/aws/lambda/x", "x"));
    attrib_map_free(m);
}

static void test_map_bad_rules(void **state)
{
    static const char *const bad[] = {
        "x* color=blue\n",         /* unknown key */
        "x* runtime\n",            /* missing '=' */
        "x* runtime=\n",           /* empty value */
        "x* runtime=Python\n",     /* uppercase label */
        "x*\n",                    /* sets nothing */
        "x*   # only a comment\n", /* sets nothing */
        "x* arch=sparc\n",        /* not an architecture */
        "x* arch=ARM64\n",        /* case matters */
        "x* region=US_EAST_1\n",  /* not a region name */
        "x* region=us-east-1;rm\n",
        "x* runtime-attribute=runtime\n", /* a ddb: rule's key */
    };
    (void)state;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64], text[256];
        mrb_err err;

        snprintf(text, sizeof text,
                 "# header\n/aws/lambda/ok runtime=go\n%s/aws/lambda/after runtime=python\n",
                 bad[i]);
        write_temp(path, sizeof path, text);
        mrb_err_clear(&err);
        attrib_map *m = attrib_map_load(path, &err);
        unlink(path); /* read already: leave nothing behind */
        if (m != NULL)
            fail_msg("rule '%s' was accepted", bad[i]);
        assert_int_equal(err.line, 3);
        assert_string_equal(err.source, path);
        assert_true(err.text[0] != '\0');
    }
}

static void test_map_missing_file(void **state)
{
    mrb_err err;
    (void)state;

    mrb_err_clear(&err);
    assert_null(attrib_map_load("/tmp/mrb-ut-no-such-dir/map.txt", &err));
    assert_string_equal(err.source, "/tmp/mrb-ut-no-such-dir/map.txt");
    assert_true(err.text[0] != '\0');
}

/* ---- DynamoDB stream records ---- */

static void test_map_ddb_rules(void **state)
{
    char path[64], schema_path[64], text[1024];
    mrb_err err;
    attrib_ddb c;
    (void)state;

    /* a schema file in JSON form, named relative to the map's folder */
    write_temp(schema_path, sizeof schema_path,
               "{\"attributes\": [{\"name\": \"sku\", \"type\": \"S\", \"required\": true}]}\n");
    snprintf(text, sizeof text,
             "*/get-records/* table=items\n"
             "ddb:py-*   runtime=python   # a table per runtime\n"
             "ddb:shared runtime-attribute=runtime id-attribute=pk\n"
             "ddb:shared runtime=never key-prefix=kt-:kotlin key-prefix=ts-:typescript\n"
             "ddb:shared key-prefix=py-:python log-ids=no\n"
             "ddb:orders schema=%s\n"
             "ddb:*  log-ids=yes\n"
             "schema id:S! qty:N+\n"
             "schema extra=allow\n",
             strrchr(schema_path, '/') + 1);
    write_temp(path, sizeof path, text);
    mrb_err_clear(&err);
    attrib_map *m = attrib_map_load(path, &err);
    unlink(path);
    unlink(schema_path);
    if (m == NULL)
        fail_msg("map rejected: line %lld: %s", err.line, err.text);

    assert_string_equal(attrib_map_table(m, NULL, "/x/get-records/page-1.json"), "items");
    assert_null(attrib_map_table(m, NULL, "/x/lambda/e.json"));
    /* ddb: rules do not name functions, and function rules no tables */
    assert_null(attrib_map_runtime(m, "py-items", "py-items"));

    attrib_map_ddb(m, "py-items", &c);
    assert_string_equal(c.runtime, "python");
    assert_null(c.runtime_attribute);
    assert_string_equal(c.id_attribute, "id");
    assert_int_equal(c.log_ids, 1);
    assert_int_equal(c.schema->n_attr, 2); /* the map's schema lines */
    assert_int_equal(c.schema->allow_extra, 1);

    attrib_map_ddb(m, "shared", &c);
    assert_string_equal(c.runtime, "never");      /* the first rule that sets it */
    assert_string_equal(c.runtime_attribute, "runtime");
    assert_string_equal(c.id_attribute, "pk");
    assert_non_null(c.prefixes);                   /* every word of the first rule with some */
    assert_string_equal(c.prefixes[0], "kt-");
    assert_string_equal(c.prefixes[1], "kotlin");
    assert_string_equal(c.prefixes[2], "ts-");
    assert_string_equal(c.prefixes[3], "typescript");
    assert_null(c.prefixes[4]);
    assert_int_equal(c.log_ids, 0);

    attrib_map_ddb(m, "orders", &c);
    assert_int_equal(c.schema->n_attr, 1);
    assert_string_equal(c.schema->attr[0].name, "sku");
    assert_int_equal(c.log_ids, 1);

    attrib_map_ddb(m, NULL, &c); /* a record without a table: ddb:* matches "" */
    assert_null(c.runtime);
    assert_int_equal(c.log_ids, 1);
    attrib_map_free(m);

    /* no map: the defaults, and the benchmark's schema */
    attrib_map_ddb(NULL, "t", &c);
    assert_null(c.runtime);
    assert_null(c.runtime_attribute);
    assert_null(c.prefixes);
    assert_string_equal(c.id_attribute, "id");
    assert_int_equal(c.log_ids, 1);
    assert_ptr_equal(c.schema, attrib_default_schema());
    assert_int_equal(c.schema->n_attr, 6);
    assert_int_equal(c.schema->n_order, 1);
}

static void test_map_ddb_bad(void **state)
{
    static const char *const bad[] = {
        "ddb:t color=blue\n",              /* unknown key */
        "ddb:t function=x\n",              /* a function rule's key */
        "ddb:t table=x\n",
        "ddb:t runtime=Go\n",              /* not a label */
        "ddb:t key-prefix=kt-\n",          /* no label */
        "ddb:t key-prefix=:kotlin\n",      /* no prefix */
        "ddb:t key-prefix=kt-:Kotlin\n",   /* not a label */
        "ddb:t log-ids=maybe\n",
        "ddb:t schema=/tmp/mrb-ut-no-such-dir/s.schema\n",
        "ddb:t\n",                         /* sets nothing */
        "ddb: runtime=go\n",               /* no glob */
        "schema id:Q\n",                   /* an unknown type */
        "schema price:S+\n",               /* '+' on a string */
        "schema a>=b\n",                   /* undeclared attributes */
    };
    (void)state;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64], text[256];
        mrb_err err;

        snprintf(text, sizeof text, "# header\nddb:ok runtime=go\n%sddb:after runtime=python\n",
                 bad[i]);
        write_temp(path, sizeof path, text);
        mrb_err_clear(&err);
        attrib_map *m = attrib_map_load(path, &err);
        unlink(path);
        if (m != NULL)
            fail_msg("rule '%s' was accepted", bad[i]);
        if (err.line != 3)
            fail_msg("rule '%s': line %lld, not 3 (%s)", bad[i], err.line, err.text);
        assert_string_equal(err.source, path);
        assert_true(err.text[0] != '\0');
    }
}

/* An AttributeValue map from JSON text (the test's own, always valid). */
static json_t *J(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        fail_msg("bad test JSON: %s", je.text);
    return j;
}

static void test_ddb_item_id(void **state)
{
    attrib_ddb c;
    sb out = SB_INIT;
    json_t *k;
    (void)state;

    attrib_map_ddb(NULL, "t", &c);
    k = J("{\"sort\": {\"N\": \"2\"}, \"id\": {\"S\": \"abc\"}}");
    assert_int_equal(attrib_ddb_item_id(&c, k, &out), 0);
    assert_string_equal(sb_str(&out), "abc");
    json_decref(k);
    sb_reset(&out);
    k = J("{\"pk\": {\"N\": \"12.50\"}}"); /* the only key attribute, N as written */
    assert_int_equal(attrib_ddb_item_id(&c, k, &out), 0);
    assert_string_equal(sb_str(&out), "12.50");
    json_decref(k);
    sb_reset(&out);
    k = J("{\"a\": {\"S\": \"x\"}, \"b\": {\"S\": \"y\"}}"); /* two, neither named id */
    assert_int_equal(attrib_ddb_item_id(&c, k, &out), -1);
    json_decref(k);
    k = J("{\"id\": {\"B\": \"AAEqQQ==\"}}"); /* not S or N */
    assert_int_equal(attrib_ddb_item_id(&c, k, &out), -1);
    assert_int_equal(out.len, 0);
    json_decref(k);
    sb_release(&out);
}

static void test_ddb_decide(void **state)
{
    static const char *const prefixes[] = {"kt-", "kotlin", "k", "other", NULL};
    attrib_ddb c;
    enum attrib_ddb_source src;
    char buf[32];
    json_t *keys = J("{\"id\": {\"S\": \"kt-1\"}}");
    json_t *new_image = J("{\"id\": {\"S\": \"kt-1\"}, \"runtime\": {\"S\": \"TypeScript\"}}");
    json_t *old_image = J("{\"id\": {\"S\": \"kt-1\"}, \"runtime\": {\"S\": \"go\"}}");
    json_t *bad_label = J("{\"runtime\": {\"S\": \"no way!\"}}");
    json_t *not_s = J("{\"runtime\": {\"N\": \"1\"}}");
    (void)state;

    attrib_map_ddb(NULL, "t", &c);
    assert_string_equal(attrib_ddb_decide(&c, keys, new_image, old_image, "kt-1", buf, sizeof buf,
                                          &src),
                        "unattributed");
    assert_int_equal(src, ATTRIB_DDB_UNATTRIBUTED);
    assert_string_equal(attrib_ddb_source_name(src), "unattributed");

    c.prefixes = prefixes;
    assert_string_equal(attrib_ddb_decide(&c, keys, NULL, NULL, "kt-1", buf, sizeof buf, &src),
                        "kotlin"); /* the first prefix that matches */
    assert_string_equal(attrib_ddb_source_name(src), "key-prefix");
    assert_string_equal(attrib_ddb_decide(&c, keys, NULL, NULL, "x-1", buf, sizeof buf, &src),
                        "unattributed");
    assert_string_equal(attrib_ddb_decide(&c, keys, NULL, NULL, NULL, buf, sizeof buf, &src),
                        "unattributed");

    c.runtime_attribute = "runtime"; /* before prefixes; NewImage, else OldImage; lower case */
    assert_string_equal(attrib_ddb_decide(&c, keys, new_image, old_image, "kt-1", buf, sizeof buf,
                                          &src),
                        "typescript");
    assert_string_equal(attrib_ddb_source_name(src), "attribute");
    assert_string_equal(attrib_ddb_decide(&c, keys, NULL, old_image, "kt-1", buf, sizeof buf, &src),
                        "go");
    /* a value that is no label, or not S: the next rule decides */
    assert_string_equal(attrib_ddb_decide(&c, keys, bad_label, NULL, "kt-1", buf, sizeof buf, &src),
                        "kotlin");
    assert_string_equal(attrib_ddb_decide(&c, keys, not_s, NULL, "kt-1", buf, sizeof buf, &src),
                        "kotlin");

    c.runtime = "rust"; /* the map's runtime= wins */
    assert_string_equal(attrib_ddb_decide(&c, keys, new_image, old_image, "kt-1", buf, sizeof buf,
                                          &src),
                        "rust");
    assert_int_equal(src, ATTRIB_DDB_MAP);
    assert_string_equal(attrib_ddb_source_name(src), "map");
    json_decref(keys);
    json_decref(new_image);
    json_decref(old_image);
    json_decref(bad_label);
    json_decref(not_s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_name),
        cmocka_unit_test(test_from_version),
        cmocka_unit_test(test_source_names),
        cmocka_unit_test(test_decide_precedence),
        cmocka_unit_test(test_map_rules),
        cmocka_unit_test(test_map_empty_file),
        cmocka_unit_test(test_map_bad_rules),
        cmocka_unit_test(test_map_missing_file),
        cmocka_unit_test(test_map_ddb_rules),
        cmocka_unit_test(test_map_ddb_bad),
        cmocka_unit_test(test_ddb_item_id),
        cmocka_unit_test(test_ddb_decide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
