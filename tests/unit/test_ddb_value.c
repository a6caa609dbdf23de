/* test_ddb_value.c — AttributeValues to plain JSON, numbers, item size, WRU (ddb_value.h).
 *
 * Every AttributeValue type (the second record of FORMATS.md §6.1: BOOL, L,
 * M, NS, NULL, SS, empty SS, short B), the same image in the SDK style with
 * null tags, exact N text (40 digits), number validation / rewriting /
 * digits / REAL / exact comparison, every malformed shape with its path,
 * item sizes against hand arithmetic, and WRU rounding. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/ddb_value.h"

static json_t *load(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (!j)
        fail_msg("test JSON does not parse: %s: %s", je.text, text);
    return j;
}

/* Plain JSON of an image given as text; the size through *size. */
static char *plain(const char *image, long long *size)
{
    json_t *j = load(image);
    sb out = SB_INIT;
    mrb_err err;
    long long s = -2;

    mrb_err_clear(&err);
    if (ddb_image_decode(j, "NewImage", &out, &s, &err) < 0)
        fail_msg("decode failed: %s", err.text);
    json_decref(j);
    if (size)
        *size = s;
    return sb_detach(&out);
}

/* The error text of decoding a malformed image. */
static void expect_error(const char *image, const char *want)
{
    json_t *j = load(image);
    sb out = SB_INIT;
    mrb_err err;
    long long size = 7;

    mrb_err_clear(&err);
    if (ddb_image_decode(j, "NewImage", &out, &size, &err) == 0)
        fail_msg("accepted: %s", image);
    assert_string_equal(err.text, want);
    assert_int_equal(size, 7); /* not written on failure */
    /* the size-only and JSON-only walks fail the same way */
    mrb_err_clear(&err);
    assert_int_equal(ddb_item_size(j, "NewImage", &err), -1);
    assert_string_equal(err.text, want);
    sb_release(&out);
    json_decref(j);
}

/* The image of aws-lambda-go's dynamodb-event.json second record (as quoted
 * in FORMATS.md §6.1), every AttributeValue type. */
static const char every_type[] =
    "{\"val\":{\"S\":\"data\"},\"asdf1\":{\"B\":\"AAEqQQ==\"},\"b2\":{\"B\":\"test\"},"
    "\"asdf2\":{\"BS\":[\"AAEqQQ==\",\"QSoBAA==\",\"AAEqQQ==\"]},\"key\":{\"S\":\"binary\"},"
    "\"Boolean\":{\"BOOL\":true},"
    "\"List\":{\"L\":[{\"S\":\"Cookies\"},{\"S\":\"Coffee\"},{\"N\":\"3.14159\"}]},"
    "\"Map\":{\"M\":{\"Name\":{\"S\":\"Joe\"},\"Age\":{\"N\":\"35\"}}},"
    "\"FloatNumber\":{\"N\":\"123.45\"},\"NumberSet\":{\"NS\":[\"1234\",\"567.8\"]},"
    "\"Null\":{\"NULL\":true},\"StringSet\":{\"SS\":[\"Giraffe\",\"Zebra\"]},"
    "\"EmptyStringSet\":{\"SS\":[]}}";

static const char every_type_plain[] =
    "{\"val\":\"data\",\"asdf1\":\"AAEqQQ==\",\"b2\":\"test\","
    "\"asdf2\":[\"AAEqQQ==\",\"QSoBAA==\",\"AAEqQQ==\"],\"key\":\"binary\",\"Boolean\":true,"
    "\"List\":[\"Cookies\",\"Coffee\",3.14159],\"Map\":{\"Name\":\"Joe\",\"Age\":35},"
    "\"FloatNumber\":123.45,\"NumberSet\":[1234,567.8],\"Null\":null,"
    "\"StringSet\":[\"Giraffe\",\"Zebra\"],\"EmptyStringSet\":[]}";

/* Size of every_type, attribute by attribute (name bytes + value):
 *   val            3 + 4 ("data")                                    =   7
 *   asdf1          5 + 4 (AAEqQQ== is 00 01 2a 41)                   =   9
 *   b2             2 + 3 ("test" decodes to 3 bytes)                 =   5
 *   asdf2          5 + 3 x 4 (BS: sum of elements)                   =  17
 *   key            3 + 6 ("binary")                                  =   9
 *   Boolean        7 + 1                                             =   8
 *   List           4 + 3 + (1+7) + (1+6) + (1 + N 3.14159: 6 digits
 *                  -> 1 + 3 = 4)                                     =  27
 *   Map            3 + 3 + (1 + 4 "Name" + 3 "Joe")
 *                  + (1 + 3 "Age" + N 35: 1 + 1 = 2)                 =  20
 *   FloatNumber   11 + N 123.45 (5 digits -> 1 + 3 = 4)              =  15
 *   NumberSet      9 + 1234 (4 digits -> 3) + 567.8 (4 -> 3)         =  15
 *   Null           4 + 1                                             =   5
 *   StringSet      9 + 7 + 5                                         =  21
 *   EmptyStringSet 14 + 0                                            =  14
 *                                                             total = 172 */
static void test_every_type(void **state)
{
    long long size;
    char *p = plain(every_type, &size);
    (void)state;

    assert_string_equal(p, every_type_plain);
    assert_int_equal(size, 172);
    free(p);
    /* the plain JSON is valid JSON with the same members */
    json_t *j = load(every_type_plain);
    assert_int_equal(json_object_size(j), 13);
    json_decref(j);
}

/* SDK serialisers (aws-lambda-go) write every tag and null all but one. */
static void test_null_tags(void **state)
{
    const char *go = "{\"v\":{\"B\":null,\"BOOL\":null,\"BS\":null,\"L\":null,\"M\":null,"
                     "\"N\":\"101\",\"NS\":null,\"NULL\":null,\"S\":null,\"SS\":null},"
                     "\"m\":{\"M\":{\"x\":{\"S\":\"y\",\"N\":null}},\"L\":null}}";
    long long size;
    char *p = plain(go, &size);
    (void)state;

    assert_string_equal(p, "{\"v\":101,\"m\":{\"x\":\"y\"}}");
    /* v: 1 + N 101 (3 digits -> 1 + 2 = 3) = 4; m: 1 + 3 + (1 + 1 + 1) = 7 */
    assert_int_equal(size, 11);
    free(p);

    json_t *av = load("{\"S\":null,\"BOOL\":false,\"N\":null}");
    const json_t *payload = NULL;
    assert_int_equal(ddb_value_type(av, &payload), DDB_BOOL);
    assert_true(json_is_false(payload));
    json_decref(av);
}

static void test_strings_escaped(void **state)
{
    /* "q\"b\\n\n\u0001é": q " b \ n LF 0x01 and é (2 UTF-8 bytes) = 9 bytes */
    long long size;
    char *p = plain("{\"s\":{\"S\":\"q\\\"b\\\\n\\n\\u0001\\u00e9\"},\"\\u00e9\":{\"SS\":[\"\\t\"]}}",
                    &size);
    (void)state;

    assert_string_equal(p, "{\"s\":\"q\\\"b\\\\n\\n\\u0001\xc3\xa9\",\"\xc3\xa9\":[\"\\t\"]}");
    /* s: 1 + 9; é: 2 + 1 */
    assert_int_equal(size, 13);
    free(p);
}

static void test_numbers_exact(void **state)
{
    const char *forty = "1234567890123456789012345678901234567890";
    char img[256];
    long long size;
    (void)state;

    snprintf(img, sizeof img, "{\"n\":{\"N\":\"%s\"},\"neg\":{\"N\":\"-0.000123\"}}", forty);
    char *p = plain(img, &size);
    char want[256];
    snprintf(want, sizeof want, "{\"n\":%s,\"neg\":-0.000123}", forty);
    assert_string_equal(p, want);
    /* n: 1 + (40 digits less the trailing 0: 39 -> 1 + 20 = 21); neg: 3 + (3 digits -> 1 + 2) */
    assert_int_equal(size, 1 + 21 + 3 + 3);
    free(p);

    /* DynamoDB spellings that JSON does not allow, rewritten minimally */
    static const struct { const char *in, *out; } rewrite[] = {
        {"+5", "5"}, {".5", "0.5"}, {"5.", "5"}, {"007", "7"}, {"-00.10", "-0.10"},
        {"1E+2", "1E+2"}, {"-0", "-0"}, {"0", "0"}, {"12.50e-3", "12.50e-3"}, {"+.5e1", "0.5e1"},
    };
    for (size_t i = 0; i < sizeof rewrite / sizeof rewrite[0]; i++) {
        sb out = SB_INIT;
        assert_int_equal(ddb_number_json(rewrite[i].in, strlen(rewrite[i].in), &out), 0);
        assert_string_equal(sb_str(&out), rewrite[i].out);
        sb_release(&out);
    }
    static const char *const invalid[] = {"", "abc", "1e", "--1", "1.2.3", " 1", "1 ", ".", "+",
                                          "e5", "1e+", "0x10", "NaN", "1,5"};
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        sb out = SB_INIT;
        assert_false(ddb_number_valid(invalid[i], strlen(invalid[i])));
        assert_int_equal(ddb_number_json(invalid[i], strlen(invalid[i]), &out), -1);
        assert_int_equal(out.len, 0);
        assert_int_equal(ddb_number_digits(invalid[i], strlen(invalid[i])), -1);
        sb_release(&out);
    }
}

static void test_number_digits(void **state)
{
    static const struct { const char *n; int digits; } cases[] = {
        {"0", 0}, {"0.000", 0}, {"1", 1}, {"1000", 1}, {"0.00120", 2}, {"123.45", 5},
        {"-35", 2}, {"1.5E+10", 2}, {"10.01", 4}, {"12345678901234567890123456789012345678", 38},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(ddb_number_digits(cases[i].n, strlen(cases[i].n)), cases[i].digits);
}

static void test_number_real(void **state)
{
    double d = 0;
    (void)state;

    assert_int_equal(ddb_number_real("3.14159", 7, &d), 1);
    assert_true(d == 3.14159);
    assert_int_equal(ddb_number_real("-12.5e2", 7, &d), 1);
    assert_true(d == -1250.0);
    assert_int_equal(ddb_number_real("1700000000123", 13, &d), 1);
    assert_true(d == 1700000000123.0);
    assert_int_equal(ddb_number_real(".5", 2, &d), 1);
    assert_true(d == 0.5);
    /* 15 significant digits read back; 16 or more may not */
    assert_int_equal(ddb_number_real("123456789012345", 15, &d), 1);
    const char *forty = "1234567890123456789012345678901234567890";
    assert_int_equal(ddb_number_real(forty, strlen(forty), &d), 0);
    assert_true(d > 1.2345678901e39 && d < 1.2345678902e39);
    assert_int_equal(ddb_number_real("1e-400", 6, &d), 0); /* underflows: rounded */
    d = 42;
    assert_int_equal(ddb_number_real("1e400", 5, &d), -1);
    assert_int_equal(ddb_number_real("abc", 3, &d), -1);
    assert_true(d == 42);
}

static int cmp(const char *a, const char *b)
{
    int ok = -1;
    int c = ddb_number_cmp(a, strlen(a), b, strlen(b), &ok);
    assert_int_equal(ok, 1);
    return c < 0 ? -1 : c > 0;
}

static void test_number_cmp(void **state)
{
    int ok = 1;
    (void)state;

    assert_int_equal(cmp("10", "9"), 1);
    assert_int_equal(cmp("9", "10"), -1);
    assert_int_equal(cmp("-1", "-2"), 1);
    assert_int_equal(cmp("-2", "1"), -1);
    assert_int_equal(cmp("1e2", "100"), 0);
    assert_int_equal(cmp("100.000", "1E+2"), 0);
    assert_int_equal(cmp("0.0", "-0"), 0);
    assert_int_equal(cmp("0", "-0.0001"), 1);
    assert_int_equal(cmp("99999999999", "100000000000"), -1);
    assert_int_equal(cmp("0.00123", "0.0123"), -1);
    assert_int_equal(cmp("-0.00123", "-0.0123"), 1);
    assert_int_equal(cmp("1.5", "1.49999999999999999999999"), 1);
    /* beyond double precision: these two are the same double */
    assert_int_equal(cmp("12345678901234567890", "12345678901234567891"), -1);
    assert_int_equal(cmp("1700000000000000000001", "1700000000000000000000"), 1);
    assert_int_equal(ddb_number_cmp("x", 1, "1", 1, &ok), 0);
    assert_int_equal(ok, 0);
}

static void test_malformed(void **state)
{
    (void)state;
    expect_error("{\"a\":{\"X\":\"1\"}}", "NewImage.a: unknown AttributeValue type \"X\"");
    expect_error("{\"a\":{\"S\":\"a\",\"N\":\"1\"}}", "NewImage.a: AttributeValue has two types (S and N)");
    expect_error("{\"a\":{}}", "NewImage.a: AttributeValue without a type (expected one of S, N, "
                               "B, BOOL, NULL, M, L, SS, NS, BS)");
    expect_error("{\"a\":{\"S\":null}}", "NewImage.a: AttributeValue without a type (expected "
                                         "one of S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
    expect_error("{\"a\":\"text\"}", "NewImage.a: AttributeValue must be an object, found a string");
    expect_error("{\"a\":{\"S\":1}}", "NewImage.a: S must be a string, found a number");
    expect_error("{\"price\":{\"N\":5}}", "NewImage.price: N must be a string, found a number");
    expect_error("{\"price\":{\"N\":\"abc\"}}", "NewImage.price: N value \"abc\" is not a number");
    expect_error("{\"a\":{\"BOOL\":\"true\"}}", "NewImage.a: BOOL must be true or false, found a string");
    expect_error("{\"a\":{\"NULL\":false}}", "NewImage.a: NULL must be true, found false");
    expect_error("{\"a\":{\"B\":\"!!\"}}", "NewImage.a: B is not valid base64 (character 1)");
    expect_error("{\"a\":{\"B\":[]}}", "NewImage.a: B must be a base64 string, found an array");
    expect_error("{\"a\":{\"L\":{}}}", "NewImage.a: L must be an array, found an object");
    expect_error("{\"a\":{\"M\":[]}}", "NewImage.a: M must be an object, found an array");
    expect_error("{\"a\":{\"SS\":\"x\"}}", "NewImage.a: SS must be an array, found a string");
    expect_error("{\"Map\":{\"M\":{\"Name\":{\"S\":\"Joe\"},\"Age\":{\"N\":\"3 5\"}}}}",
                 "NewImage.Map.Age: N value \"3 5\" is not a number");
    expect_error("{\"List\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"},{\"Q\":\"3\"}]}}",
                 "NewImage.List[2]: unknown AttributeValue type \"Q\"");
    expect_error("{\"l\":{\"L\":[{\"M\":{\"k\":{\"L\":[{\"BOOL\":1}]}}}]}}",
                 "NewImage.l[0].k[0]: BOOL must be true or false, found a number");
    expect_error("{\"ns\":{\"NS\":[\"1\",\"x\"]}}", "NewImage.ns[1]: NS element value \"x\" is not a number");
    expect_error("{\"ss\":{\"SS\":[\"a\",2]}}", "NewImage.ss[1]: SS element must be a string, found a number");
    expect_error("{\"bs\":{\"BS\":[\"AAEqQQ==\",\"A\"]}}",
                 "NewImage.bs[1]: BS element is not valid base64 (character 2)");
    expect_error("[]", "NewImage: must be an object of attributes, found an array");
}

/* Lenient: raw JSON numbers in NS (third-party fixtures). */
static void test_ns_lenient(void **state)
{
    long long size;
    char *p = plain("{\"ns\":{\"NS\":[1,2.5,\"30\",0.1]}}", &size);
    (void)state;

    assert_string_equal(p, "{\"ns\":[1,2.5,30,0.1]}");
    /* 2 + (1 -> 2) + (2.5 -> 2 digits -> 2) + (30 -> 1 digit -> 2) + (0.1 -> 2) */
    assert_int_equal(size, 2 + 2 + 2 + 2 + 2);
    free(p);
}

static long long size_of(const char *image)
{
    json_t *j = load(image);
    mrb_err err;
    long long s = ddb_item_size(j, "Item", &err);
    json_decref(j);
    return s;
}

/* Sizes against the Developer Guide's rules, by hand. */
static void test_item_size(void **state)
{
    (void)state;
    assert_int_equal(size_of("{}"), 0);
    /* id: 2 + 36 */
    assert_int_equal(size_of("{\"id\":{\"S\":\"0b6f2f5e-8a3f-4c11-9a5e-0c7d3e1f2a4b\"}}"), 38);
    /* price: 5 + 19.99 (4 digits -> 1 + 2 = 3) = 8; zero is 1 byte: 1 + 1 = 2 */
    assert_int_equal(size_of("{\"price\":{\"N\":\"19.99\"},\"z\":{\"N\":\"0\"}}"), 8 + 2);
    /* created_at: 10 + 1700000000123 (13 digits -> 1 + 7 = 8) = 18 */
    assert_int_equal(size_of("{\"created_at\":{\"N\":\"1700000000123\"}}"), 18);
    /* 1000: trailing zeros trimmed, 1 digit -> 2; 1 + 2 = 3 */
    assert_int_equal(size_of("{\"k\":{\"N\":\"1000\"}}"), 3);
    /* empty L / M: 3 bytes; 1 + 3 each */
    assert_int_equal(size_of("{\"l\":{\"L\":[]},\"m\":{\"M\":{}}}"), 4 + 4);
    /* nested: o: 1 + (3 + (1 + 1 "i" + (3 + (1 + BOOL 1) + (1 + NULL 1)))) = 1 + 3 + 1 + 1 + 7 = 13 */
    assert_int_equal(size_of("{\"o\":{\"M\":{\"i\":{\"L\":[{\"BOOL\":false},{\"NULL\":true}]}}}}"), 13);
    /* sets: 2 + ("a" 1 + "bc" 2); 2 + (7 -> 2, 1.5 -> 2) ; 2 + (AAE= -> 2 bytes) */
    assert_int_equal(size_of("{\"ss\":{\"SS\":[\"a\",\"bc\"]}}"), 5);
    assert_int_equal(size_of("{\"ns\":{\"NS\":[\"7\",\"1.5\"]}}"), 6);
    assert_int_equal(size_of("{\"bs\":{\"BS\":[\"AAE=\"]}}"), 4);
    /* one value alone, without a name */
    json_t *av = load("{\"L\":[{\"S\":\"ab\"}]}");
    mrb_err err;
    assert_int_equal(ddb_value_size(av, "x", &err), 3 + 1 + 2);
    sb out = SB_INIT;
    assert_int_equal(ddb_value_to_json(av, "x", &out, &err), 0);
    assert_string_equal(sb_str(&out), "[\"ab\"]");
    sb_release(&out);
    json_decref(av);
}

static void test_wru(void **state)
{
    (void)state;
    assert_int_equal(ddb_wru(-1), 1);
    assert_int_equal(ddb_wru(0), 1);
    assert_int_equal(ddb_wru(1), 1);
    assert_int_equal(ddb_wru(1024), 1);
    assert_int_equal(ddb_wru(1025), 2);
    assert_int_equal(ddb_wru(2048), 2);
    assert_int_equal(ddb_wru(2049), 3);
    assert_int_equal(ddb_wru(400 * 1024), 400); /* the item size limit */
}

static void test_type_names(void **state)
{
    static const char *const names[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
    (void)state;
    for (int i = 0; i < 10; i++) {
        assert_string_equal(ddb_type_name((enum ddb_type)i), names[i]);
        assert_int_equal(ddb_type_from_name(names[i]), i);
    }
    assert_int_equal(ddb_type_from_name("s"), DDB_BAD);
    assert_string_equal(ddb_type_name(DDB_BAD), "?");
    json_t *two = load("{\"S\":\"a\",\"N\":\"1\"}"), *unknown = load("{\"Q\":1}");
    assert_int_equal(ddb_value_type(two, NULL), DDB_BAD);
    assert_int_equal(ddb_value_type(unknown, NULL), DDB_BAD);
    json_decref(two);
    json_decref(unknown);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_null_tags),
        cmocka_unit_test(test_strings_escaped),
        cmocka_unit_test(test_numbers_exact),
        cmocka_unit_test(test_number_digits),
        cmocka_unit_test(test_number_real),
        cmocka_unit_test(test_number_cmp),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_ns_lenient),
        cmocka_unit_test(test_item_size),
        cmocka_unit_test(test_wru),
        cmocka_unit_test(test_type_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
