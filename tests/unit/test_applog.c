/* test_applog.c — applog_parse and applog_level_name (applog.h).
 *
 * Covers the real application lines of FORMATS.md §2.3 and §3 for every
 * runtime and level: Node text lines with their "Invoke Error" / "Uncaught
 * Exception" objects, Python text lines and unhandled-exception tracebacks,
 * Powertools (both request-id spellings, cold_start), Lambda JSON app logs,
 * and plain Go / Kotlin lines under the whole-word rule. Then the edges:
 * escaped quotes and nested values in JSON, very long lines, empty and cut
 * messages. Every message is parsed from an exact-size heap copy without a
 * NUL, so AddressSanitizer reports any read past n. applog_next_uuid: the
 * ids of the benchmark's lines, any case, at the edges of a message, and
 * look-alikes (longer hex runs, a missing dash, a cut id) that are none. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "slices.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/applog.h"

static char *g_msg;
static size_t g_msg_n;

/* Every slice of a line points into the message it was parsed from. */
static void check_bounds(const applog_line *a)
{
    const mrb_slice s[] = {a->request_id, a->error_type, a->error_message};

    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (s[i].p && (s[i].p < g_msg || s[i].p + s[i].n > g_msg + g_msg_n))
            fail_msg("slice %zu does not point into the message", i);
}

static void parse_n(const char *s, size_t n, applog_line *a)
{
    free(g_msg);
    g_msg = malloc(n ? n : 1);
    assert_non_null(g_msg);
    memcpy(g_msg, s, n);
    g_msg_n = n;
    applog_parse(g_msg, n, a);
    check_bounds(a);
}

static void parse(const char *s, applog_line *a) { parse_n(s, strlen(s), a); }

static int free_msg(void **state)
{
    (void)state;
    free(g_msg);
    g_msg = NULL;
    g_msg_n = 0;
    return 0;
}


/* format, level and request id (NULL: absent) in one go */
static void check_line(const applog_line *a, enum applog_format f, enum applog_level l,
                       const char *id, int line)
{
    if (a->format != f)
        fail_msg("line %d: format %d, expected %d", line, (int)a->format, (int)f);
    if (a->level != l)
        fail_msg("line %d: level %s, expected %s", line, applog_level_name(a->level),
                 applog_level_name(l));
    if (id)
        check_slice(a->request_id, id, "request_id", line);
    else if (a->request_id.p)
        fail_msg("line %d: request id \"%.*s\", expected none", line, (int)a->request_id.n,
                 a->request_id.p);
}

#define assert_line(a, f, l, id) check_line((a), (f), (l), (id), __LINE__)

#define ID_A "c793869b-ee49-115b-a5b6-4fd21e8dedac"

/* §3.1: console.* lines of every level. */
static void test_node_levels(void **state)
{
    static const struct {
        const char *level;
        enum applog_level want;
    } levels[] = {
        {"TRACE", APPLOG_TRACE}, {"DEBUG", APPLOG_DEBUG}, {"INFO", APPLOG_INFO},
        {"WARN", APPLOG_WARN},   {"ERROR", APPLOG_ERROR}, {"FATAL", APPLOG_FATAL},
    };
    applog_line a;
    (void)state;

    parse("2019-06-07T19:11:20.563Z\t" ID_A "\tINFO\tEVENT\n{\n  \"key\": \"value\"\n}\n", &a);
    assert_line(&a, APPLOG_NODE, APPLOG_INFO, ID_A);
    assert_absent(a.error_type);
    assert_absent(a.error_message);
    assert_int_equal(a.cold_start, -1);

    parse("2019-06-07T19:11:20.564Z\t" ID_A "\tWARN\tEvent not processed.\n", &a);
    assert_line(&a, APPLOG_NODE, APPLOG_WARN, ID_A);
    assert_absent(a.error_message);

    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "2024-02-09T08:42:44.078Z\treq-1\t%s\tsomething happened",
                 levels[i].level);
        parse(line, &a);
        assert_line(&a, APPLOG_NODE, levels[i].want, "req-1");
    }
}

/* console.error of text or of an Error: the message's first line. */
static void test_node_console_error(void **state)
{
    applog_line a;
    (void)state;

    parse("2024-02-09T08:42:44.078Z\t" ID_A "\tERROR\tTypeError: x is not a function\n"
          "    at Runtime.handler (file:///var/task/index.mjs:3:9)\n",
          &a);
    assert_line(&a, APPLOG_NODE, APPLOG_ERROR, ID_A);
    assert_absent(a.error_type);
    assert_slice(a.error_message, "TypeError: x is not a function");

    parse("2024-02-09T08:42:44.078Z\t" ID_A "\tERROR\t", &a);
    assert_line(&a, APPLOG_NODE, APPLOG_ERROR, ID_A);
    assert_absent(a.error_message);

    parse("2024-02-09T08:42:44.078Z\t" ID_A "\tERROR", &a);
    assert_line(&a, APPLOG_NODE, APPLOG_ERROR, ID_A);
    assert_absent(a.error_message);
}

/* §3.1: "Uncaught Exception " at init (request id "undefined"). */
static void test_node_uncaught_exception(void **state)
{
    applog_line a;
    (void)state;

    parse("2025-02-10T07:37:10.463Z\tundefined\tERROR\tUncaught Exception \t{\"errorType\":"
          "\"Runtime.UserCodeSyntaxError\",\"errorMessage\":\"SyntaxError: Unexpected end of "
          "input\",\"stack\":[\"Runtime.UserCodeSyntaxError: SyntaxError: Unexpected end of "
          "input\",\"    at _loadUserApp (file:///var/runtime/index.mjs:1084:17)\",\"    at async "
          "UserFunction.js.module.exports.load (file:///var/runtime/index.mjs:1119:21)\",\"    at "
          "async start (file:///var/runtime/index.mjs:1282:23)\",\"    at async file:///var/"
          "runtime/index.mjs:1288:1\"]}\n",
          &a);
    assert_line(&a, APPLOG_NODE, APPLOG_ERROR, NULL);
    assert_slice(a.error_type, "Runtime.UserCodeSyntaxError");
    assert_slice(a.error_message, "SyntaxError: Unexpected end of input");
}

/* §3.1: "Invoke Error " (handler rejection), and its escaped contents. */
static void test_node_invoke_error(void **state)
{
    applog_line a;
    (void)state;

    parse("2026-10-05T12:00:00.123Z\t" ID_A "\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\","
          "\"errorMessage\":\"Cannot read properties of undefined (reading 'id')\"}",
          &a);
    assert_line(&a, APPLOG_NODE, APPLOG_ERROR, ID_A);
    assert_slice(a.error_type, "TypeError");
    assert_slice(a.error_message, "Cannot read properties of undefined (reading 'id')");

    /* escaped quotes and a multi-line message: raw text, first line */
    parse("2026-10-05T12:00:00.123Z\t" ID_A "\tERROR\tInvoke Error \t{\"errorMessage\":"
          "\"bad \\\"id\\\" \\\\ given\\nsecond line\",\"errorType\":\"Error\",\"stack\":"
          "[\"Error: x\"]}\n",
          &a);
    assert_slice(a.error_type, "Error");
    assert_slice(a.error_message, "bad \\\"id\\\" \\\\ given");

    /* unhandled rejections come in the same shape */
    parse("2026-10-05T12:00:00.123Z\t" ID_A "\tERROR\tUnhandled Promise Rejection \t"
          "{\"errorType\":\"Runtime.UnhandledPromiseRejection\",\"errorMessage\":\"Error: boom\"}",
          &a);
    assert_slice(a.error_type, "Runtime.UnhandledPromiseRejection");
    assert_slice(a.error_message, "Error: boom");

    /* a cut object still gives what it holds before the cut */
    parse("2026-10-05T12:00:00.123Z\t" ID_A "\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\","
          "\"errorMessage\":\"Cannot re",
          &a);
    assert_slice(a.error_type, "TypeError");
    assert_absent(a.error_message);

    /* not an object after the tab: the message itself */
    parse("2026-10-05T12:00:00.123Z\t" ID_A "\tERROR\tInvoke Error \tnot json", &a);
    assert_absent(a.error_type);
    assert_slice(a.error_message, "Invoke Error \tnot json");
}

/* Lines that start like Node lines but are not. */
static void test_node_lookalikes(void **state)
{
    static const char *const lines[] = {
        "2019-06-07T19:11:20.563Z\t" ID_A "\tNOTICE\tmsg",
        "2019-06-07T19:11:20.563Z\t\tINFO\tmsg",
        "2019-06-07T19:11:20.563Z " ID_A " INFO msg",
        "2019-06-07\t" ID_A "\tINFO\tmsg",
        "2019/06/07T19:11:20.563Z\t" ID_A "\tINFO\tmsg",
        "2019-06-07T19:11:20.563Z\t" ID_A,
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        applog_line a;
        parse(lines[i], &a);
        assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
    }
}

/* §3.2: the runtime's logging handler. */
static void test_python_levels(void **state)
{
    static const struct {
        const char *level;
        enum applog_level want;
    } levels[] = {
        {"DEBUG", APPLOG_DEBUG}, {"INFO", APPLOG_INFO},         {"WARNING", APPLOG_WARN},
        {"WARN", APPLOG_WARN},   {"ERROR", APPLOG_ERROR},       {"CRITICAL", APPLOG_FATAL},
        {"FATAL", APPLOG_FATAL}, {"EXCEPTION", APPLOG_ERROR},   {"Error", APPLOG_ERROR},
    };
    applog_line a;
    (void)state;

    parse("[INFO]\t2026-07-06T22:00:00Z\treq-6\tLambda invocation started", &a);
    assert_line(&a, APPLOG_PYTHON, APPLOG_INFO, "req-6");
    assert_absent(a.error_message);

    parse("[ERROR]\t2026-07-06T22:00:00Z\treq-2\tFailed to write async result to s3://b/k: "
          "boom\n",
          &a);
    assert_line(&a, APPLOG_PYTHON, APPLOG_ERROR, "req-2");
    assert_absent(a.error_type);
    assert_slice(a.error_message, "Failed to write async result to s3://b/k: boom");

    /* logger.exception: the message, then the traceback */
    parse("[ERROR]\t2023-05-03T12:00:00.123Z\t" ID_A "\tcould not charge\r\nTraceback (most "
          "recent call last):\n  File \"/var/task/app.py\", line 9, in handler\n",
          &a);
    assert_line(&a, APPLOG_PYTHON, APPLOG_ERROR, ID_A);
    assert_slice(a.error_message, "could not charge");

    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        char line[128];
        snprintf(line, sizeof line, "[%s]\t2023-05-03T12:00:00.123Z\t%s\tmsg", levels[i].level,
                 ID_A);
        parse(line, &a);
        assert_line(&a, APPLOG_PYTHON, levels[i].want, ID_A);
    }

    /* at init the request id is empty */
    parse("[INFO]\t2023-05-03T12:00:00.123Z\t\tloading model", &a);
    assert_line(&a, APPLOG_PYTHON, APPLOG_INFO, NULL);
}

/* §3.2: unhandled exceptions, "[ERROR] <Type>: <message>\nTraceback ...". */
static void test_python_traceback(void **state)
{
    applog_line a;
    (void)state;

    parse("[ERROR] Runtime.ImportModuleError: Unable to import module 'app': No module named "
          "'daily'\nTraceback (most recent call last):\n",
          &a);
    assert_line(&a, APPLOG_PYTHON, APPLOG_ERROR, NULL);
    assert_slice(a.error_type, "Runtime.ImportModuleError");
    assert_slice(a.error_message, "Unable to import module 'app': No module named 'daily'");

    parse("[ERROR] KeyError: 'action'\nTraceback (most recent call last):\n  File "
          "\"/var/task/lambda_function.py\", line 36, in lambda_handler\n",
          &a);
    assert_line(&a, APPLOG_PYTHON, APPLOG_ERROR, NULL);
    assert_slice(a.error_type, "KeyError");
    assert_slice(a.error_message, "'action'");

    /* no "Type: " in front: the first line is the message */
    parse("[ERROR] something went wrong here\nTraceback (most recent call last):\n", &a);
    assert_absent(a.error_type);
    assert_slice(a.error_message, "something went wrong here");

    parse("[ERROR]", &a);
    assert_line(&a, APPLOG_PYTHON, APPLOG_ERROR, NULL);
    assert_absent(a.error_message);

    parse("[WARNING] deprecated call", &a);
    assert_line(&a, APPLOG_PYTHON, APPLOG_WARN, NULL);
    assert_absent(a.error_message);

    /* brackets that are not a level are plain text */
    parse("[AWS Parameters and Secrets Lambda Extension] 2024/04/11 02:14:17 "
          "PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL is info. Log level set to info.",
          &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
    parse("[ERRORS] three", &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
    parse("[ERROR]x", &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_ERROR, NULL);
}

/* §3.4: Powertools Python, uncaught exception hook (pretty and compact). */
static void test_powertools_python_exception(void **state)
{
    static const char *const lines[] = {
        "{\n    \"level\": \"ERROR\",\n    \"location\": \"log_uncaught_exception_hook:756\",\n"
        "    \"message\": \"500 Server Error: INTERNAL SERVER ERROR for url: "
        "http://httpbin.org/status/500\",\n    \"timestamp\": \"2022-11-16 13:51:29,198+0000\",\n"
        "    \"service\": \"payment\",\n    \"exception\": \"Traceback (most recent call last):\\n"
        "  File \\\"<input>\\\", line 52, in <module>\\n    handler({}, {})\\n  File \\\"<input>"
        "\\\", line 17, in handler\\n    ret.raise_for_status()\\n  File \\\"<input>/lib/python3.13"
        "/site-packages/requests/models.py\\\", line 1021, in raise_for_status\\n    raise "
        "HTTPError(http_error_msg, response=self)\\nrequests.exceptions.HTTPError: 500 Server "
        "Error: INTERNAL SERVER ERROR for url: http://httpbin.org/status/500\",\n"
        "    \"exception_name\": \"HTTPError\"\n}",
        "{\"level\":\"ERROR\",\"location\":\"log_uncaught_exception_hook:756\",\"message\":\"500 "
        "Server Error: INTERNAL SERVER ERROR for url: http://httpbin.org/status/500\","
        "\"timestamp\":\"2022-11-16 13:51:29,198+0000\",\"service\":\"payment\",\"exception\":"
        "\"Traceback (most recent call last):\\n  File \\\"<input>\\\", line 52\",\"exception_name\":"
        "\"HTTPError\"}\n",
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        applog_line a;
        parse(lines[i], &a);
        assert_line(&a, APPLOG_JSON, APPLOG_ERROR, NULL);
        assert_slice(a.error_type, "HTTPError");
        assert_slice(a.error_message,
                     "500 Server Error: INTERNAL SERVER ERROR for url: http://httpbin.org/status/500");
        assert_int_equal(a.cold_start, -1);
    }
}

/* Which text is the error message of a Powertools line. */
static void test_powertools_error_message_choice(void **state)
{
    applog_line a;
    (void)state;

    /* an exception without a traceback names itself on its first line */
    parse("{\"level\":\"ERROR\",\"message\":\"charge failed\",\"exception\":\"ValueError: bad "
          "amount\\nmore\",\"exception_name\":\"ValueError\"}",
          &a);
    assert_slice(a.error_type, "ValueError");
    assert_slice(a.error_message, "ValueError: bad amount");

    /* no message: the traceback's first line is all there is */
    parse("{\"level\":\"ERROR\",\"exception\":\"Traceback (most recent call last):\\n  File x\","
          "\"exception_name\":\"KeyError\"}",
          &a);
    assert_slice(a.error_type, "KeyError");
    assert_slice(a.error_message, "Traceback (most recent call last):");

    /* a plain error with a message only */
    parse("{\"level\":\"ERROR\",\"message\":\"Payment declined\\r\\nretry later\"}", &a);
    assert_absent(a.error_type);
    assert_slice(a.error_message, "Payment declined");

    /* below ERROR no error fields are filled */
    parse("{\"level\":\"WARNING\",\"message\":\"slow\",\"exception_name\":\"Timeout\"}", &a);
    assert_line(&a, APPLOG_JSON, APPLOG_WARN, NULL);
    assert_absent(a.error_type);
    assert_absent(a.error_message);
}

/* §3.4 / §3.5: request ids in both spellings and cold_start. */
static void test_powertools_context(void **state)
{
    applog_line a;
    (void)state;

    parse("{\n    \"cold_start\": true,\n    \"function_arn\": \"arn:aws:lambda:eu-west-1:"
          "123456789012:function:shopping-cart-api-lambda-prod-eu-west-1\",\n"
          "    \"function_memory_size\": 128,\n    \"function_request_id\": "
          "\"c6af9ac6-7b61-11e6-9a41-93e812345678\",\n    \"function_name\": "
          "\"shopping-cart-api-lambda-prod-eu-west-1\",\n    \"level\": \"INFO\",\n"
          "    \"message\": \"This is an INFO log with some context\",\n    \"service\": "
          "\"serverlessAirline\",\n    \"timestamp\": \"2021-12-12T21:21:08.921Z\",\n"
          "    \"xray_trace_id\": \"abcdef123456abcdef123456abcdef123456\"\n}",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_INFO, "c6af9ac6-7b61-11e6-9a41-93e812345678");
    assert_int_equal(a.cold_start, 1);
    assert_absent(a.error_message);

    parse("{\"level\":\"INFO\",\"location\":\"collect.handler:1\",\"message\":\"Collecting "
          "payment\",\"timestamp\":\"2021-05-03 11:47:12,494+0200\",\"service\":\"payment\","
          "\"cold_start\":false,\"lambda_function_name\":\"test\",\"lambda_function_memory_size\":"
          "128,\"lambda_function_arn\":\"arn:aws:lambda:eu-west-1:12345678910:function:test\","
          "\"lambda_request_id\":\"52fdfc07-2182-154f-163f-5f0f9a621d72\"}",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_INFO, "52fdfc07-2182-154f-163f-5f0f9a621d72");
    assert_int_equal(a.cold_start, 0);

    /* without inject_lambda_context: no request id, cold_start absent */
    parse("{\"level\":\"DEBUG\",\"location\":\"collect.handler:1\",\"message\":\"x\","
          "\"timestamp\":\"2021-05-03 10:20:19,650+0200\",\"service\":\"payment\"}",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_DEBUG, NULL);
    assert_int_equal(a.cold_start, -1);

    /* a cold_start that is not a boolean is absent */
    parse("{\"level\":\"INFO\",\"cold_start\":\"true\"}", &a);
    assert_int_equal(a.cold_start, -1);
}

/* §2.3: the Lambda JSON log format's application lines. */
static void test_lambda_json_app_logs(void **state)
{
    applog_line a;
    (void)state;

    parse("{\"timestamp\":\"2024-02-09T08:42:44.078Z\",\"level\":\"INFO\",\"requestId\":"
          "\"d661f7cf-9208-46b9-85b0-213b04a91065\",\"message\":\"Just some logs here =)\"}\n",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_INFO, "d661f7cf-9208-46b9-85b0-213b04a91065");
    assert_int_equal(a.cold_start, -1);

    parse("{\"timestamp\":\"2024-02-09T08:42:44.078Z\",\"level\":\"ERROR\",\"requestId\":\"r-9\","
          "\"message\":\"Invoke Error\",\"errorType\":\"TypeError\",\"errorMessage\":\"x is "
          "undefined\",\"stackTrace\":[\"TypeError: x is undefined\",\"    at a (b:1:2)\"]}",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, "r-9");
    assert_slice(a.error_type, "TypeError");
    assert_slice(a.error_message, "x is undefined");

    /* Node logs an Error object as the message itself */
    parse("{\"timestamp\":\"2024-02-09T08:42:44.078Z\",\"level\":\"ERROR\",\"requestId\":\"r-9\","
          "\"message\":{\"errorType\":\"Error\",\"errorMessage\":\"boom\",\"stackTrace\":"
          "[\"Error: boom\"]}}",
          &a);
    assert_slice(a.error_type, "Error");
    assert_slice(a.error_message, "boom");

    /* Python's logger in JSON format; init-phase placeholders are absent */
    parse("{\"timestamp\":\"2024-02-09T08:42:44Z\",\"level\":\"CRITICAL\",\"message\":\"down\","
          "\"logger\":\"root\",\"requestId\":\"\"}",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_FATAL, NULL);
    assert_slice(a.error_message, "down");
    parse("{\"level\":\"INFO\",\"requestId\":\"undefined\"}", &a);
    assert_line(&a, APPLOG_JSON, APPLOG_INFO, NULL);
}

/* Level names in any case; pino's numbers; unknown names are INFO. */
static void test_json_levels(void **state)
{
    static const struct {
        const char *level; /* the raw JSON value */
        enum applog_level want;
    } cases[] = {
        {"\"Error\"", APPLOG_ERROR},    {"\"error\"", APPLOG_ERROR},
        {"\"WARNING\"", APPLOG_WARN},   {"\"warn\"", APPLOG_WARN},
        {"\"CRITICAL\"", APPLOG_FATAL}, {"\"fatal\"", APPLOG_FATAL},
        {"\"EXCEPTION\"", APPLOG_ERROR}, {"\"trace\"", APPLOG_TRACE},
        {"\"Debug\"", APPLOG_DEBUG},    {"\"NOTICE\"", APPLOG_INFO},
        {"\"\"", APPLOG_INFO},          {"50", APPLOG_ERROR},
        {"60", APPLOG_FATAL},           {"30", APPLOG_INFO},
        {"10", APPLOG_TRACE},           {"null", APPLOG_INFO},
        {"{\"name\":\"ERROR\"}", APPLOG_INFO},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char line[128];
        applog_line a;
        snprintf(line, sizeof line, "{\"level\":%s,\"requestId\":\"r\"}", cases[i].level);
        parse(line, &a);
        assert_line(&a, APPLOG_JSON, cases[i].want, "r");
    }
}

/* The scanner: escaped quotes, nested values and odd spacing. */
static void test_json_scanner(void **state)
{
    applog_line a;
    (void)state;

    /* keys inside strings are not keys */
    parse("{\"message\":\"he said \\\"level\\\":\\\"ERROR\\\", \\\"requestId\\\":\\\"x\\\"\","
          "\"level\":\"INFO\",\"requestId\":\"r1\"}",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_INFO, "r1");

    /* an escaped backslash just before a closing quote */
    parse("{\"message\":\"path C:\\\\\",\"level\":\"ERROR\",\"requestId\":\"r2\"}", &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, "r2");
    assert_slice(a.error_message, "path C:\\\\");

    /* an escaped backslash, then an escaped quote */
    parse("{\"message\":\"x\\\\\\\"y\",\"level\":\"ERROR\",\"requestId\":\"r7\"}", &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, "r7");
    assert_slice(a.error_message, "x\\\\\\\"y");

    /* nested objects and arrays are skipped, brackets inside strings too */
    parse("{\"data\":{\"level\":\"DEBUG\",\"requestId\":\"inner\",\"deep\":[[{}],\"}\"]},"
          "\"list\":[1,\"]\",{\"x\":\"}\\\"{\"}],\"level\":\"WARN\",\"requestId\":\"outer\"}",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_WARN, "outer");

    /* white space everywhere, and numbers, booleans and null between keys */
    parse("  {  \"n\" : -1.5e3 , \"b\" : true , \"z\" : null , \"level\" : \"ERROR\" , "
          "\"errorType\" : \"E\" , \"requestId\" : \"r3\" }  \n",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, "r3");
    assert_slice(a.error_type, "E");

    /* the first of duplicate keys counts; request id spellings in order */
    parse("{\"level\":\"ERROR\",\"level\":\"INFO\",\"lambda_request_id\":\"l\","
          "\"function_request_id\":\"f\"}",
          &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, "f");

    /* JSON without a level is not a JSON log line */
    parse("{\"errorMessage\": \"'action'\", \"errorType\": \"KeyError\", \"stackTrace\": "
          "[\"  File \\\"/var/task/lambda_function.py\\\", line 36\"]}",
          &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
    assert_absent(a.error_type);

    /* broken JSON keeps what came before the break */
    parse("{\"level\":\"ERROR\",\"requestId\":\"r4\" \"message\":\"x\"}", &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, "r4");
    parse("{\"requestId\":\"r5\",\"level\"", &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
    parse("{\"level\":\"ERROR\",\"requestId\":\"r6", &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, NULL);
    parse("{\"level\":\"ERROR\",\"message\":\"ends with a backslash \\", &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, NULL);
    assert_absent(a.error_message);
}

/* §3.3: Go, Kotlin and print() lines; the whole-word rule. */
static void test_plain_lines(void **state)
{
    static const struct {
        const char *line;
        enum applog_level want;
    } cases[] = {
        {"2018/03/13 20:21:44 unexpected EOF", APPLOG_INFO},
        {"2018/03/13 20:21:44 ERROR: cannot connect to db", APPLOG_ERROR},
        {"panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:",
         APPLOG_ERROR},
        {"PANIC in handler", APPLOG_ERROR},
        {"02:00:01.123 [main] ERROR Application - Failed to start", APPLOG_ERROR},
        {"02:00:01.123 [main] INFO  Application - Started in 0.05s", APPLOG_INFO},
        {"Apr 11, 2024 2:14:17 AM com.example.App main\nSEVERE: boom", APPLOG_ERROR},
        {"SEVERE: boom", APPLOG_ERROR},
        {"FATAL could not bind", APPLOG_ERROR},
        {"time=\"2024-01-01T00:00:00Z\" level=error msg=\"x\"", APPLOG_ERROR},
        {"{'key': 'value'}", APPLOG_INFO},
        {"## EVENT", APPLOG_INFO},
        {"xERRORx", APPLOG_INFO},
        {"ERRORS: 0", APPLOG_INFO},
        {"error_count=0 warnings=2", APPLOG_INFO},
        {"terror struck", APPLOG_INFO},
        {"panicked at 'x'", APPLOG_INFO},
        {"(error)", APPLOG_ERROR},
        {"ERROR", APPLOG_ERROR},
        {"error", APPLOG_ERROR},
        {"2018/03/13 20:21:44 processed 12 records; the retry after that raised error",
         APPLOG_INFO},
    };
    (void)state;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        applog_line a;
        parse(cases[i].line, &a);
        if (a.format != APPLOG_PLAIN || a.level != cases[i].want)
            fail_msg("\"%s\": format %d level %s", cases[i].line, (int)a.format,
                     applog_level_name(a.level));
        assert_absent(a.request_id);
        assert_absent(a.error_type);
        assert_int_equal(a.cold_start, -1);
    }
}

/* The word must end within the first 64 bytes. */
static void test_plain_window(void **state)
{
    char line[128];
    applog_line a;
    (void)state;

    for (size_t start = 55; start <= 62; start++) {
        memset(line, '.', sizeof line);
        memcpy(line + start, "ERROR", 5);
        parse_n(line, sizeof line, &a);
        assert_int_equal(a.level, start + 5 <= 64 ? APPLOG_ERROR : APPLOG_INFO);
    }
    /* ending exactly at 64 bytes of a 64-byte message */
    memset(line, '.', 64);
    memcpy(line + 59, "PANIC", 5);
    parse_n(line, 64, &a);
    assert_int_equal(a.level, APPLOG_ERROR);
    /* and cut after "ERR": only n bytes are words */
    memcpy(line + 59, "ERROR", 5);
    parse_n(line, 62, &a);
    assert_int_equal(a.level, APPLOG_INFO);
}

static void test_empty_message(void **state)
{
    static const char *const lines[] = {"", "\n", "\r\n", "\n\n"};
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        applog_line a;
        parse(lines[i], &a);
        assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
        assert_absent(a.error_type);
        assert_absent(a.error_message);
        assert_int_equal(a.cold_start, -1);
    }
    applog_line a;
    parse(" ", &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
    parse("{}", &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
    parse("[", &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
}

static void test_very_long_lines(void **state)
{
    const size_t n = 1u << 20;
    char *big = malloc(n);
    applog_line a;
    (void)state;

    assert_non_null(big);

    /* a Node line with a megabyte of message */
    memset(big, 'm', n);
    memcpy(big, "2024-02-09T08:42:44.078Z\treq-1\tERROR\t", 37);
    parse_n(big, n, &a);
    assert_line(&a, APPLOG_NODE, APPLOG_ERROR, "req-1");
    assert_int_equal(a.error_message.n, n - 37);

    /* a JSON line whose level comes after a megabyte of string */
    memset(big, 'a', n);
    memcpy(big, "{\"message\":\"", 12);
    memcpy(big + n - 40, "\",\"level\":\"ERROR\",\"requestId\":\"r-long\"}", 39);
    big[n - 1] = '\n';
    parse_n(big, n, &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, "r-long");
    assert_int_equal(a.error_message.n, n - 40 - 12);

    /* deep nesting is counted, not recursed */
    memset(big, '[', n);
    memcpy(big, "{\"level\":\"WARN\",\"x\":", 20);
    parse_n(big, n, &a);
    assert_line(&a, APPLOG_JSON, APPLOG_WARN, NULL);

    /* a megabyte of one plain word, and of backslashes inside a string */
    memset(big, 'E', n);
    parse_n(big, n, &a);
    assert_line(&a, APPLOG_PLAIN, APPLOG_INFO, NULL);
    memset(big, '\\', n);
    memcpy(big, "{\"level\":\"ERROR\",\"message\":\"", 28);
    parse_n(big, n, &a);
    assert_line(&a, APPLOG_JSON, APPLOG_ERROR, NULL);

    free(big);
}

/* Every prefix of every shape is parsed from an exact-size copy, so any
 * read past n is caught by AddressSanitizer; slices stay inside. */
static void test_not_nul_terminated(void **state)
{
    static const char *const lines[] = {
        "2026-10-05T12:00:00.123Z\t" ID_A "\tERROR\tInvoke Error \t{\"errorType\":\"TypeError\","
        "\"errorMessage\":\"Cannot \\\"read\\\"\\nx\"}\n",
        "[ERROR]\t2026-07-06T22:00:00Z\treq-2\tFailed: boom\nTraceback",
        "[ERROR] Runtime.ImportModuleError: Unable to import module 'app'\nTraceback",
        "{\"level\":\"ERROR\",\"function_request_id\":\"c6af\",\"cold_start\":true,\"exception\":"
        "\"Traceback (most recent call last):\\n\",\"exception_name\":\"E\",\"message\":\"m\\\\\"}",
        "{\"level\":\"ERROR\",\"message\":{\"errorType\":\"Error\",\"errorMessage\":\"boom\"}}",
        "02:00:01.123 [main] ERROR Application - Failed",
    };
    (void)state;

    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        size_t len = strlen(lines[i]);
        for (size_t n = 0; n <= len; n++) {
            applog_line a;
            parse_n(lines[i], n, &a);
            assert_true(a.level < APPLOG_LEVEL_COUNT);
            /* in place, inside the longer string */
            applog_parse(lines[i], n, &a);
            if (a.request_id.p)
                assert_true(a.request_id.p + a.request_id.n <= lines[i] + n);
            if (a.error_message.p)
                assert_true(a.error_message.p + a.error_message.n <= lines[i] + n);
        }
    }

    /* a request id cut short is the shorter id, never more */
    {
        static const char line[] = "[INFO]\t2026-07-06T22:00:00Z\treq-6\tstarted";
        applog_line a;
        applog_parse(line, 31, &a);
        assert_int_equal(a.format, APPLOG_PYTHON);
        assert_absent(a.request_id);
        applog_parse(line, 33, &a);
        assert_absent(a.request_id); /* no tab yet: "req-6" is the message */
        applog_parse(line, 34, &a);
        assert_int_equal(a.request_id.n, 5);
    }
}

static void test_level_names(void **state)
{
    (void)state;

    assert_string_equal(applog_level_name(APPLOG_TRACE), "TRACE");
    assert_string_equal(applog_level_name(APPLOG_DEBUG), "DEBUG");
    assert_string_equal(applog_level_name(APPLOG_INFO), "INFO");
    assert_string_equal(applog_level_name(APPLOG_WARN), "WARN");
    assert_string_equal(applog_level_name(APPLOG_ERROR), "ERROR");
    assert_string_equal(applog_level_name(APPLOG_FATAL), "FATAL");
    assert_string_equal(applog_level_name(APPLOG_LEVEL_COUNT), "?");
}

/* The UUIDs applog_next_uuid finds in s (an exact-size copy), space-separated. */
static void uuids(const char *s, char *out, size_t size)
{
    size_t n = strlen(s), pos = 0, o = 0;
    mrb_slice id;

    free(g_msg);
    g_msg = malloc(n ? n : 1);
    assert_non_null(g_msg);
    memcpy(g_msg, s, n);
    g_msg_n = n;
    out[0] = '\0';
    while (applog_next_uuid(g_msg, n, &pos, &id)) {
        assert_true(id.p >= g_msg && id.p + id.n <= g_msg + n);
        assert_int_equal(pos, (size_t)(id.p - g_msg) + 36);
        o += (size_t)snprintf(out + o, size - o, "%s%.*s", o ? " " : "", (int)id.n, id.p);
    }
    assert_int_equal(pos, n);
}

static void test_next_uuid(void **state)
{
    char got[512];
    (void)state;

    uuids("2026/11/25 02:00:01 PUT /items/0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03 200 5.1ms", got,
          sizeof got);
    assert_string_equal(got, "0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03");
    uuids("2026-11-25T02:00:01.123Z\t7e4f0b52-7d6a-4c1b-9f3e-0a1b2c3d4e5f\tINFO\tGET "
          "/items/ABCDEF01-2345-4678-9ABC-DEF012345678", got, sizeof got);
    assert_string_equal(got, "7e4f0b52-7d6a-4c1b-9f3e-0a1b2c3d4e5f "
                             "ABCDEF01-2345-4678-9ABC-DEF012345678");
    uuids("0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03", got, sizeof got); /* the whole message */
    assert_string_equal(got, "0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03");
    uuids("a0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03 0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03f "
          "0c5a2f1e-9b1d-4f3e-8a6c2d7e4b9f1a03 0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a0 "
          "0c5a2f1g-9b1d-4f3e-8a6c-2d7e4b9f1a03 x-0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03-y",
          got, sizeof got);
    assert_string_equal(got, ""); /* longer hex runs, a missing dash, cut, not hex, dashes around */
    uuids("1-5f8a3b2c-6e1d4f0a9b8c7d6e5f4a3b2c trace; 2026-11-25 -- - ---------", got,
          sizeof got);
    assert_string_equal(got, "");
    uuids("", got, sizeof got);
    assert_string_equal(got, "");
    uuids("ids (0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03,1c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03)", got,
          sizeof got);
    assert_string_equal(got, "0c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03 "
                             "1c5a2f1e-9b1d-4f3e-8a6c-2d7e4b9f1a03");
}

#define T(f) cmocka_unit_test_teardown(f, free_msg)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_node_levels),
        T(test_node_console_error),
        T(test_node_uncaught_exception),
        T(test_node_invoke_error),
        T(test_node_lookalikes),
        T(test_python_levels),
        T(test_python_traceback),
        T(test_powertools_python_exception),
        T(test_powertools_error_message_choice),
        T(test_powertools_context),
        T(test_lambda_json_app_logs),
        T(test_json_levels),
        T(test_json_scanner),
        T(test_plain_lines),
        T(test_plain_window),
        T(test_empty_message),
        T(test_very_long_lines),
        T(test_not_nul_terminated),
        T(test_level_names),
        T(test_next_uuid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
