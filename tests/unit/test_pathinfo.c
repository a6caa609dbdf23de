/* test_pathinfo.c — pathinfo_stream and pathinfo_function (pathinfo.h).
 *
 * Covers S3 CreateExportTask keys (task-id UUID, YYYY/MM/DD segments,
 * [$LATEST] and numbered versions, the flattened "2024-01-02-[$LATEST]abc"
 * form, a bare 32-hex segment), CLI output file names ("dev-go.json.gz",
 * "x/000000.gz"), standard input "-", and buffers too small for the result
 * (which must fail without writing past size). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mrb/pathinfo.h"

#define TASK "5b1e2a9c-3f4d-4e6a-9b8c-0d1e2f3a4b5c"
#define ENV "94fa867e5374431291a7fc14e2f56ae7"

static void check_stream(const char *path, const char *want, int line)
{
    char buf[256];

    memset(buf, '#', sizeof buf);
    int rc = pathinfo_stream(path, buf, sizeof buf);
    if (want == NULL) {
        if (rc != -1)
            fail_msg("line %d: stream of '%s' is '%s', expected none", line, path, buf);
        return;
    }
    if (rc != 0)
        fail_msg("line %d: no stream in '%s', expected '%s'", line, path, want);
    if (strcmp(buf, want) != 0)
        fail_msg("line %d: stream of '%s' is '%s', expected '%s'", line, path, buf, want);
}

/* origin < 0: any; spelled < 0: any */
static void check_function(const char *path, const char *want, int origin, int spelled,
                           int line)
{
    char buf[256];
    enum fn_origin o = FN_ORIGIN_COUNT;
    int sp = -1;

    memset(buf, '#', sizeof buf);
    int rc = pathinfo_function(path, buf, sizeof buf, &o, &sp);
    if (want == NULL) {
        if (rc != -1)
            fail_msg("line %d: function of '%s' is '%s', expected none", line, path, buf);
        return;
    }
    if (rc != 0)
        fail_msg("line %d: no function in '%s', expected '%s'", line, path, want);
    if (strcmp(buf, want) != 0)
        fail_msg("line %d: function of '%s' is '%s', expected '%s'", line, path, buf, want);
    if (origin >= 0 && (int)o != origin)
        fail_msg("line %d: origin of '%s' is %s, expected %s", line, path, fn_origin_name(o),
                 fn_origin_name((enum fn_origin)origin));
    if (spelled >= 0 && sp != spelled)
        fail_msg("line %d: '%s' spelled %d, expected %d", line, path, sp, spelled);
}

#define STREAM(path, want) check_stream((path), (want), __LINE__)
#define FUNCTION(path, want) check_function((path), (want), -1, -1, __LINE__)
#define NAMED(path, want, origin, spelled) \
    check_function((path), (want), (origin), (spelled), __LINE__)

static void test_s3_dated_latest(void **state)
{
    (void)state;
    STREAM("exports/dev-python/" TASK "/2024/01/02/[$LATEST]" ENV "/000000.gz",
           "2024/01/02/[$LATEST]" ENV);
    FUNCTION("exports/dev-python/" TASK "/2024/01/02/[$LATEST]" ENV "/000000.gz", "dev-python");
    /* later parts, absolute and relative paths */
    STREAM("/data/s3/exports/dev-go/" TASK "/2019/03/13/[$LATEST]" ENV "/000001.gz",
           "2019/03/13/[$LATEST]" ENV);
    FUNCTION("/data/s3/exports/dev-go/" TASK "/2019/03/13/[$LATEST]" ENV "/000001.gz", "dev-go");
    STREAM("./dev-kotlin/" TASK "/2024/12/31/[$LATEST]abc/000000.gz", "2024/12/31/[$LATEST]abc");
    FUNCTION("./dev-kotlin/" TASK "/2024/12/31/[$LATEST]abc/000000.gz", "dev-kotlin");
}

static void test_s3_numbered_version(void **state)
{
    (void)state;
    STREAM("bucket/dev-typescript/" TASK
           "/2023/06/02/[72]88ab219a63d343d294d0a9947e8ab36a/000000.gz",
           "2023/06/02/[72]88ab219a63d343d294d0a9947e8ab36a");
    FUNCTION("bucket/dev-typescript/" TASK
             "/2023/06/02/[72]88ab219a63d343d294d0a9947e8ab36a/000000.gz",
             "dev-typescript");
}

static void test_s3_flattened(void **state)
{
    (void)state;
    STREAM("exports/dev-python/" TASK "/2024-01-02-[$LATEST]abc/000000.gz",
           "2024/01/02/[$LATEST]abc");
    FUNCTION("exports/dev-python/" TASK "/2024-01-02-[$LATEST]abc/000000.gz", "dev-python");
    /* elastic-serverless-forwarder fixtures: exportedlogs/uuid/yyyy-mm-dd-[$LATEST]hash */
    STREAM("exportedlogs/" TASK "/2024-03-05-[$LATEST]" ENV "/000000.gz",
           "2024/03/05/[$LATEST]" ENV);
    STREAM("exports/fn/" TASK "/2023-06-02-[72]" ENV "/000003.gz", "2023/06/02/[72]" ENV);
}

static void test_s3_hex_segment(void **state)
{
    (void)state;
    STREAM("exports/dev-go/" TASK "/0123456789abcdef0123456789abcdef/000000.gz",
           "0123456789abcdef0123456789abcdef");
    FUNCTION("exports/dev-go/" TASK "/0123456789abcdef0123456789abcdef/000000.gz", "dev-go");
}

static void test_cli_file_names(void **state)
{
    (void)state;
    NAMED("dev-go.json.gz", "dev-go", FN_ORIGIN_FILE_STEM, 0);
    FUNCTION("dev-go.json", "dev-go");
    FUNCTION("/home/me/logs/dev-python.json.gz", "dev-python");
    FUNCTION("logs/dev-kotlin.log", "dev-kotlin");
    FUNCTION("dev-typescript", "dev-typescript");
    NAMED("x/000000.gz", "x", FN_ORIGIN_PATH, 0);
    FUNCTION("/tmp/dev-go/000001.gz", "dev-go");
    STREAM("dev-go.json.gz", NULL);
    STREAM("x/000000.gz", NULL);
    STREAM("/home/me/logs/dev-python.json.gz", NULL);
}

/* `aws logs filter-log-events` pages saved one folder per log group: the
 * folder names the function, never the page file. */
static void test_page_folders(void **state)
{
    (void)state;
    NAMED("logs/aws_lambda_dev-go/page-0000.json", "dev-go", FN_ORIGIN_PATH, 1);
    NAMED("logs/aws_lambda_dev-go/page-0013.json.gz", "dev-go", FN_ORIGIN_PATH, 1);
    NAMED("_aws_lambda_dev-python/part-1.json", "dev-python", FN_ORIGIN_PATH, 1);
    NAMED("x/%2Faws%2Flambda%2Fdev-kotlin/chunk_003.ndjson", "dev-kotlin", FN_ORIGIN_PATH, 1);
    NAMED("x/%2faws%2flambda%2fdev-kotlin/3.json", "dev-kotlin", FN_ORIGIN_PATH, 1);
    NAMED("dump/aws/lambda/dev-ts/page-0001.json", "dev-ts", FN_ORIGIN_PATH, 1);
    /* the spelling as the file name itself */
    NAMED("pages/aws_lambda_dev-go.json", "dev-go", FN_ORIGIN_PATH, 1);
    /* the nearest folder that is not generic, over dates, numbers, task ids */
    NAMED("exports/my-fn/2026-11-25/page-0002.json", "my-fn", FN_ORIGIN_PATH, 0);
    NAMED("my-fn/cli/json/2026/11/25/part0001.json", "my-fn", FN_ORIGIN_PATH, 0);
    NAMED("my-fn/logs/0001/p-7.json", "my-fn", FN_ORIGIN_PATH, 0);
    NAMED("/data/svc-a/output-20261125T020000Z.json", "svc-a", FN_ORIGIN_PATH, 0);
    /* a stem that names something wins over its folders */
    NAMED("my-fn/dev-go.json", "dev-go", FN_ORIGIN_FILE_STEM, 0);
    NAMED("lambda-insights.json", "lambda-insights", FN_ORIGIN_FILE_STEM, 0);
    /* all generic: the stem stays, the weakest name */
    NAMED("page-0000.json", "page-0000", FN_ORIGIN_FILE_STEM, 0);
    NAMED("logs/2026/page-0000.json", "page-0000", FN_ORIGIN_FILE_STEM, 0);
    /* S3 exports: the prefix, decoded when spelled */
    NAMED("exports/dev-python/" TASK "/2024/01/02/[$LATEST]" ENV "/000000.gz", "dev-python",
          FN_ORIGIN_EXPORT_PATH, 0);
    NAMED("b/aws_lambda_dev-python/" TASK "/2024/01/02/[$LATEST]" ENV "/000000.gz",
          "dev-python", FN_ORIGIN_EXPORT_PATH, 1);
    NAMED("b/dev-python/exports/" TASK "/2024/01/02/[$LATEST]" ENV "/000000.gz", "dev-python",
          FN_ORIGIN_EXPORT_PATH, 0);
    /* nothing left after a prefix */
    NAMED("aws_lambda_/page-1.json", "page-1", FN_ORIGIN_FILE_STEM, 0);
}

static void test_stdin(void **state)
{
    (void)state;
    FUNCTION("-", NULL);
    STREAM("-", NULL);
    FUNCTION("", NULL);
    STREAM("", NULL);
}

/* A result that does not fit fails and never writes past size. */
static void test_buffer_too_small(void **state)
{
    const char *path = "exports/dev-python/" TASK "/2024/01/02/[$LATEST]" ENV "/000000.gz";
    const char *stream = "2024/01/02/[$LATEST]" ENV;
    char buf[128];
    enum fn_origin o;
    int sp;
    (void)state;

    memset(buf, '#', sizeof buf);
    assert_int_equal(pathinfo_stream(path, buf, 8), -1);
    for (size_t i = 8; i < sizeof buf; i++)
        assert_int_equal(buf[i], '#');

    /* one byte short of the NUL, then exactly enough */
    memset(buf, '#', sizeof buf);
    assert_int_equal(pathinfo_stream(path, buf, strlen(stream)), -1);
    for (size_t i = strlen(stream); i < sizeof buf; i++)
        assert_int_equal(buf[i], '#');
    assert_int_equal(pathinfo_stream(path, buf, strlen(stream) + 1), 0);
    assert_string_equal(buf, stream);

    memset(buf, '#', sizeof buf);
    assert_int_equal(pathinfo_function("dev-go.json.gz", buf, 3, &o, &sp), -1);
    for (size_t i = 3; i < sizeof buf; i++)
        assert_int_equal(buf[i], '#');
    assert_int_equal(pathinfo_function("dev-go.json.gz", buf, 6, &o, &sp), -1);
    assert_int_equal(pathinfo_function("dev-go.json.gz", buf, 7, &o, &sp), 0);
    assert_string_equal(buf, "dev-go");

    memset(buf, '#', sizeof buf);
    assert_int_equal(pathinfo_function(path, buf, 0, &o, &sp), -1);
    assert_int_equal(pathinfo_stream(path, buf, 0), -1);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], '#');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_s3_dated_latest),
        cmocka_unit_test(test_s3_numbered_version),
        cmocka_unit_test(test_s3_flattened),
        cmocka_unit_test(test_s3_hex_segment),
        cmocka_unit_test(test_cli_file_names),
        cmocka_unit_test(test_page_folders),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_buffer_too_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
