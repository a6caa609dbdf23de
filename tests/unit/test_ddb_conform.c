/* test_ddb_conform.c — images against an item schema (ddb_conform.h).
 *
 * The default benchmark schema (text, format round trip, JSON form), a
 * conforming item, every rule alone (missing, extra, wrong type, seconds
 * where ms are expected per value and at the 1e11 boundary, negative price,
 * updated < created, exact beyond double precision), malformed values,
 * stopping from the callback, and every schema text / JSON error with its
 * line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/ddb_conform.h"

static json_t *load(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        fail_msg("test JSON does not parse: %s: %s", je.text, text);
    return j;
}

/* Violations collected as "kind attribute: detail" lines. */
typedef struct seen {
    sb text;
    int stop_after; /* 0: never stop */
    int calls;
} seen;

static int collect(void *arg, const ddb_violation *v)
{
    seen *s = arg;
    sb_addf(&s->text, "%s %s: %s\n", ddb_violation_name(v->kind), v->attribute, v->detail);
    s->calls++;
    return s->stop_after && s->calls >= s->stop_after;
}

/* Checks image (text) against schema; asserts the count and the lines. */
static void expect(const ddb_schema *schema, const char *image, int count, const char *lines)
{
    json_t *j = load(image);
    seen s = {SB_INIT, 0, 0};
    int n = ddb_conform_check(schema, j, collect, &s);

    if (n != count || strcmp(sb_str(&s.text), lines) != 0)
        fail_msg("image %s\n got %d:\n%s expected %d:\n%s", image, n, sb_str(&s.text), count, lines);
    assert_int_equal(ddb_conform_check(schema, j, NULL, NULL), count);
    sb_release(&s.text);
    json_decref(j);
}

#define GOOD_ID "\"id\":{\"S\":\"0b6f2f5e\"}"
#define GOOD_NAME "\"name\":{\"S\":\"Widget\"}"
#define GOOD_DESC "\"description\":{\"S\":\"A widget\"}"
#define GOOD_PRICE "\"price\":{\"N\":\"19.99\"}"
#define GOOD_CREATED "\"created_at\":{\"N\":\"1700000000123\"}"
#define GOOD_UPDATED "\"updated_at\":{\"N\":\"1700000000456\"}"

static void test_default_schema(void **state)
{
    ddb_schema s;
    sb text = SB_INIT;
    (void)state;

    ddb_schema_default(&s);
    assert_int_equal(s.n_attr, 6);
    assert_int_equal(s.n_order, 1);
    assert_int_equal(s.allow_extra, 0);
    assert_string_equal(s.attr[0].name, "id");
    assert_int_equal(s.attr[0].type, DDB_S);
    assert_int_equal(s.attr[0].flags, DDB_ATTR_REQUIRED);
    assert_string_equal(s.attr[3].name, "price");
    assert_int_equal(s.attr[3].flags, DDB_ATTR_REQUIRED | DDB_ATTR_NONNEG);
    assert_int_equal(s.attr[4].flags, DDB_ATTR_REQUIRED | DDB_ATTR_TS_MS);
    assert_string_equal(s.order[0].later, "updated_at");
    assert_string_equal(s.order[0].earlier, "created_at");
    ddb_schema_format(&s, &text);
    assert_string_equal(sb_str(&text), "schema id:S! name:S! description:S! price:N!+ "
                                       "created_at:N!@ms updated_at:N!@ms updated_at>=created_at");
    /* reads back to the same schema */
    ddb_schema again;
    mrb_err err;
    assert_int_equal(ddb_schema_parse(sb_str(&text), &again, &err), 0);
    assert_memory_equal(&s, &again, sizeof s);
    sb_release(&text);
}

static void test_conforming_item(void **state)
{
    ddb_schema s;
    (void)state;
    ddb_schema_default(&s);
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC "," GOOD_PRICE "," GOOD_CREATED "," GOOD_UPDATED "}",
           0, "");
    /* SDK-style null tags are no type of their own */
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC ",\"price\":{\"S\":null,\"N\":\"0\"},"
               GOOD_CREATED "," GOOD_UPDATED "}", 0, "");
}

static void test_each_rule(void **state)
{
    ddb_schema s;
    (void)state;
    ddb_schema_default(&s);

    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_PRICE "," GOOD_CREATED "," GOOD_UPDATED "}", 1,
           "missing-attribute description: required S attribute absent\n");
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC "," GOOD_PRICE "," GOOD_CREATED ","
               GOOD_UPDATED ",\"color\":{\"S\":\"red\"},\"tags\":{\"SS\":[\"a\"]}}", 2,
           "extra-attribute color: not in the schema (S)\n"
           "extra-attribute tags: not in the schema (SS)\n");
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC ",\"price\":{\"S\":\"19.99\"}," GOOD_CREATED
               "," GOOD_UPDATED "}", 1,
           "wrong-type price: declared N, found S\n");
    /* per value: one timestamp in seconds, the other in ms; then the pair is out of order too */
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC "," GOOD_PRICE ","
               "\"created_at\":{\"N\":\"1700000000\"}," GOOD_UPDATED "}", 1,
           "timestamp-in-seconds created_at: 1700000000 < 1e11: seconds, not milliseconds\n");
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC "," GOOD_PRICE "," GOOD_CREATED ","
               "\"updated_at\":{\"N\":\"1700000456\"}}", 2,
           "timestamp-in-seconds updated_at: 1700000456 < 1e11: seconds, not milliseconds\n"
           "updated-before-created updated_at: updated_at 1700000456 < created_at 1700000000123\n");
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC ",\"price\":{\"N\":\"-0.01\"}," GOOD_CREATED
               "," GOOD_UPDATED "}", 1,
           "negative-number price: -0.01 < 0\n");
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC "," GOOD_PRICE ","
               "\"created_at\":{\"N\":\"1700000000456\"},\"updated_at\":{\"N\":\"1700000000123\"}}", 1,
           "updated-before-created updated_at: updated_at 1700000000123 < created_at 1700000000456\n");
}

static void test_boundaries(void **state)
{
    ddb_schema s;
    (void)state;
    ddb_schema_default(&s);

    /* 1e11 itself is ms (1973-03-03); one less is seconds; -0 is not negative */
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC ",\"price\":{\"N\":\"-0\"},"
               "\"created_at\":{\"N\":\"100000000000\"},\"updated_at\":{\"N\":\"1E+11\"}}", 0, "");
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC "," GOOD_PRICE ","
               "\"created_at\":{\"N\":\"99999999999\"},\"updated_at\":{\"N\":\"99999999999.9\"}}", 2,
           "timestamp-in-seconds created_at: 99999999999 < 1e11: seconds, not milliseconds\n"
           "timestamp-in-seconds updated_at: 99999999999.9 < 1e11: seconds, not milliseconds\n");
    /* equal timestamps are in order; beyond double precision the order is still exact */
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC "," GOOD_PRICE "," GOOD_CREATED ","
               "\"updated_at\":{\"N\":\"1700000000123.000\"}}", 0, "");
    expect(&s, "{" GOOD_ID "," GOOD_NAME "," GOOD_DESC "," GOOD_PRICE ","
               "\"created_at\":{\"N\":\"1700000000000000000001\"},"
               "\"updated_at\":{\"N\":\"1700000000000000000000\"}}", 1,
           "updated-before-created updated_at: updated_at 1700000000000000000000 < created_at "
           "1700000000000000000001\n");
}

static void test_malformed_values(void **state)
{
    ddb_schema s;
    (void)state;
    ddb_schema_default(&s);

    /* every attribute wrong: counted once each, the value rules skipped */
    expect(&s, "{\"id\":{\"N\":\"1\"},\"name\":{\"S\":\"a\",\"N\":\"1\"},\"description\":\"text\","
               "\"price\":{\"N\":\"ten\"},\"created_at\":{\"N\":1700000000123},"
               "\"updated_at\":{\"S\":\"2024-01-01\"}}", 6,
           "wrong-type id: declared S, found N\n"
           "wrong-type name: declared S, found a malformed AttributeValue\n"
           "wrong-type description: declared S, found a malformed AttributeValue\n"
           "wrong-type price: declared N, found a malformed number\n"
           "wrong-type created_at: declared N, found a malformed number\n"
           "wrong-type updated_at: declared N, found S\n");
    expect(&s, "{\"x\":{\"Q\":1}}", 7,
           "missing-attribute id: required S attribute absent\n"
           "missing-attribute name: required S attribute absent\n"
           "missing-attribute description: required S attribute absent\n"
           "missing-attribute price: required N attribute absent\n"
           "missing-attribute created_at: required N attribute absent\n"
           "missing-attribute updated_at: required N attribute absent\n"
           "extra-attribute x: not in the schema (malformed)\n");
    json_t *arr = load("[]");
    assert_int_equal(ddb_conform_check(&s, arr, NULL, NULL), -1);
    json_decref(arr);
}

static void test_stop_from_callback(void **state)
{
    ddb_schema s;
    json_t *j = load("{}");
    seen v = {SB_INIT, 2, 0};
    (void)state;

    ddb_schema_default(&s);
    assert_int_equal(ddb_conform_check(&s, j, collect, &v), 2);
    assert_int_equal(v.calls, 2);
    sb_release(&v.text);
    json_decref(j);
}

/* A schema the caller fills: optional attributes, extra allowed. */
static void test_filled_by_caller(void **state)
{
    ddb_schema s;
    mrb_err err;
    (void)state;

    ddb_schema_init(&s);
    assert_int_equal(ddb_schema_add(&s, "pk", DDB_S, DDB_ATTR_REQUIRED, &err), 0);
    assert_int_equal(ddb_schema_add(&s, "qty", DDB_N, DDB_ATTR_NONNEG, &err), 0);
    assert_int_equal(ddb_schema_add(&s, "flags", DDB_M, 0, &err), 0);
    s.allow_extra = 1;
    expect(&s, "{\"pk\":{\"S\":\"a\"},\"other\":{\"BOOL\":true}}", 0, "");
    expect(&s, "{\"pk\":{\"S\":\"a\"},\"qty\":{\"N\":\"-3\"},\"flags\":{\"L\":[]}}", 2,
           "negative-number qty: -3 < 0\n"
           "wrong-type flags: declared M, found L\n");

    assert_int_equal(ddb_schema_add(&s, "pk", DDB_S, 0, &err), -1);
    assert_string_equal(err.text, "attribute pk declared twice");
    assert_int_equal(ddb_schema_add(&s, "", DDB_S, 0, &err), -1);
    assert_string_equal(err.text, "empty attribute name");
    assert_int_equal(ddb_schema_add(&s, "s", DDB_S, DDB_ATTR_TS_MS, &err), -1);
    assert_string_equal(err.text, "attribute s: '+' and '@ms' apply to N only");
    assert_int_equal(ddb_schema_add(&s, "t", DDB_BAD, 0, &err), -1);
    assert_int_equal(ddb_schema_add_order(&s, "qty", "flags", &err), -1);
    assert_string_equal(err.text, "qty>=flags: flags is not a declared N attribute");
    char longname[200];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(ddb_schema_add(&s, longname, DDB_S, 0, &err), -1);
    assert_string_equal(err.text, "attribute name longer than 127 bytes");
    for (int i = s.n_attr; i < DDB_SCHEMA_ATTRS; i++) {
        char name[16];
        snprintf(name, sizeof name, "a%d", i);
        assert_int_equal(ddb_schema_add(&s, name, DDB_S, 0, &err), 0);
    }
    assert_int_equal(ddb_schema_add(&s, "full", DDB_S, 0, &err), -1);
    assert_string_equal(err.text, "more than 64 attributes");
}

static void test_text_form(void **state)
{
    ddb_schema s, d;
    mrb_err err;
    (void)state;

    /* comments, blank lines, several lines, flags in any order, names with ':' */
    const char *text = "# the benchmark item\n"
                       "\n"
                       "schema id:S!   name:S! description:S!  # trailing comment\r\n"
                       "  schema price:N+! created_at:N@ms! updated_at:N!@ms\n"
                       "schema updated_at>=created_at extra=deny\n";
    assert_int_equal(ddb_schema_parse(text, &s, &err), 0);
    ddb_schema_default(&d);
    assert_memory_equal(&s, &d, sizeof s);

    assert_int_equal(ddb_schema_parse("schema ns:a:b:NS extra=allow", &s, &err), 0);
    assert_string_equal(s.attr[0].name, "ns:a:b");
    assert_int_equal(s.attr[0].type, DDB_NS);
    assert_int_equal(s.allow_extra, 1);
    assert_int_equal(ddb_schema_parse("", &s, &err), 0);
    assert_int_equal(s.n_attr, 0);
}

static void expect_text_error(const char *text, long long line, const char *want)
{
    ddb_schema s;
    mrb_err err;

    mrb_err_clear(&err);
    if (ddb_schema_parse(text, &s, &err) == 0)
        fail_msg("accepted: %s", text);
    assert_string_equal(err.text, want);
    assert_int_equal(err.line, line);
    assert_int_equal(s.n_attr, 0); /* nothing partial */
}

static void test_text_errors(void **state)
{
    (void)state;
    expect_text_error("table id:S", 1, "unknown statement \"table\" (expected schema)");
    expect_text_error("schema id:S\nschema id", 2, "\"id\" is not NAME:TYPE");
    expect_text_error("schema :S", 1, "\":S\" is not NAME:TYPE");
    expect_text_error("schema id:", 1, "\"id:\": missing type");
    expect_text_error("schema id:!", 1, "\"id:!\": missing type");
    expect_text_error("schema id:STRING", 1, "\"id:STRING\": unknown type STRING (expected S, N, "
                                             "B, BOOL, NULL, M, L, SS, NS or BS)");
    expect_text_error("schema id:X!", 1, "\"id:X!\": unknown type X (expected S, N, B, BOOL, "
                                         "NULL, M, L, SS, NS or BS)");
    expect_text_error("schema id:S?", 1, "\"id:S?\": unknown type S? (expected S, N, B, BOOL, "
                                         "NULL, M, L, SS, NS or BS)");
    expect_text_error("schema id:S!@s", 1, "\"id:S!@s\": unknown flag \"@s\" (expected !, + or @ms)");
    expect_text_error("#\n\nschema price:S+", 3, "attribute price: '+' and '@ms' apply to N only");
    expect_text_error("schema a:S a:N", 1, "attribute a declared twice");
    expect_text_error("schema a:N extra=maybe", 1, "\"extra=maybe\": expected extra=allow or extra=deny");
    expect_text_error("schema a:N >=a", 1, "\">=a\" is not LATER>=EARLIER");
    /* pairs are checked at the end, against every line */
    expect_text_error("schema b>=a\nschema a:N b:S", 1, "b>=a: b is not a declared N attribute");
    expect_text_error("schema a:N b:N\nschema b>=a c>=a", 2, "c>=a: c is not a declared N attribute");
}

static void test_json_form(void **state)
{
    ddb_schema s, d;
    mrb_err err;
    (void)state;

    json_t *j = load("{\"attributes\":["
                     "{\"name\":\"id\",\"type\":\"S\",\"required\":true},"
                     "{\"name\":\"name\",\"type\":\"S\",\"required\":true},"
                     "{\"name\":\"description\",\"type\":\"S\",\"required\":true},"
                     "{\"name\":\"price\",\"type\":\"N\",\"required\":true,\"nonnegative\":true},"
                     "{\"name\":\"created_at\",\"type\":\"N\",\"required\":true,\"timestamp\":\"ms\"},"
                     "{\"name\":\"updated_at\",\"type\":\"N\",\"required\":true,\"timestamp\":\"ms\"}],"
                     "\"extra\":false,"
                     "\"order\":[{\"earlier\":\"created_at\",\"later\":\"updated_at\"}]}");
    assert_int_equal(ddb_schema_parse_json(j, &s, &err), 0);
    ddb_schema_default(&d);
    assert_memory_equal(&s, &d, sizeof s);
    json_decref(j);

    static const struct { const char *json, *err; } bad[] = {
        {"[]", "a JSON schema is an object with an attributes array"},
        {"{\"attributes\":[{\"name\":\"a\"}]}", "schema attribute 0: needs a string name and type"},
        {"{\"attributes\":[{\"name\":\"a\",\"type\":\"Q\"}]}", "schema attribute a: unknown type Q"},
        {"{\"attributes\":[{\"name\":\"a\",\"type\":\"N\",\"required\":1}]}",
         "schema attribute: required must be true or false"},
        {"{\"attributes\":[{\"name\":\"a\",\"type\":\"N\",\"timestamp\":\"s\"}]}",
         "schema attribute a: timestamp must be \"ms\""},
        {"{\"attributes\":[],\"extra\":\"yes\"}", "schema: extra must be true or false"},
        {"{\"attributes\":[],\"order\":{}}", "schema: order must be an array"},
        {"{\"attributes\":[],\"order\":[{\"later\":\"a\"}]}", "schema: order 0 needs string later and earlier"},
        {"{\"attributes\":[],\"order\":[{\"later\":\"a\",\"earlier\":\"b\"}]}",
         "a>=b: a is not a declared N attribute"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *b = load(bad[i].json);
        if (ddb_schema_parse_json(b, &s, &err) == 0)
            fail_msg("accepted: %s", bad[i].json);
        assert_string_equal(err.text, bad[i].err);
        assert_int_equal(s.n_attr, 0);
        json_decref(b);
    }
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(ddb_violation_name(DDB_V_MISSING), "missing-attribute");
    assert_string_equal(ddb_violation_name(DDB_V_EXTRA), "extra-attribute");
    assert_string_equal(ddb_violation_name(DDB_V_WRONG_TYPE), "wrong-type");
    assert_string_equal(ddb_violation_name(DDB_V_TS_SECONDS), "timestamp-in-seconds");
    assert_string_equal(ddb_violation_name(DDB_V_NEGATIVE), "negative-number");
    assert_string_equal(ddb_violation_name(DDB_V_ORDER), "updated-before-created");
    assert_string_equal(ddb_violation_name((enum ddb_violation_kind)99), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_schema),
        cmocka_unit_test(test_conforming_item),
        cmocka_unit_test(test_each_rule),
        cmocka_unit_test(test_boundaries),
        cmocka_unit_test(test_malformed_values),
        cmocka_unit_test(test_stop_from_callback),
        cmocka_unit_test(test_filled_by_caller),
        cmocka_unit_test(test_text_form),
        cmocka_unit_test(test_text_errors),
        cmocka_unit_test(test_json_form),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
