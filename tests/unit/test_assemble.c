/* test_assemble.c — the assembler (assemble.h) on its own: every order of
 * the platform lines of one stream.
 *
 * Exports interleave streams and a payload may cut a stream anywhere, but
 * within one stream the lines can also arrive in any order (a merge by
 * timestamp with equal times, a late timeout line). For a cold invocation
 * (INIT_START, START, END, REPORT with Init Duration) and for one that also
 * has a "Task timed out" line, every permutation is fed and the outcome
 * checked: one invocation with the REPORT's numbers, cold, the timeout
 * either in its status or as one late annotation, and one environment with
 * the runtime version. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/assemble.h"
#include "mrb/lambda_line.h"

static const char *const LINES[] = {
    "INIT_START Runtime Version: python:3.11.v29\tRuntime Version ARN: "
    "arn:aws:lambda:us-east-1::runtime:abc",
    "START RequestId: r-1 Version: $LATEST",
    "END RequestId: r-1",
    "REPORT RequestId: r-1\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\t"
    "Max Memory Used: 90 MB\tInit Duration: 200.00 ms\t",
    "2026-11-25T03:00:03.000Z r-1 Task timed out after 3.00 seconds",
};

/* What the sink saw. */
typedef struct seen {
    int invocations, annotations, environments, timeouts;
    int cold;
    double duration_ms, init_ms;
    long long max_memory_mb, env_invocations, env_cold;
    char rid[16], runtime[32];
} seen;

static int on_inv(void *arg, const invocation *inv, mrb_err *err)
{
    seen *s = arg;
    (void)err;
    s->invocations++;
    s->cold = inv->cold_start;
    s->duration_ms = inv->duration_ms;
    s->init_ms = inv->init_ms;
    s->max_memory_mb = inv->max_memory_mb;
    snprintf(s->rid, sizeof s->rid, "%.*s", (int)inv->request_id.n, inv->request_id.p);
    if (inv->status && !strcmp(inv->status, "timeout"))
        s->timeouts++;
    return 0;
}

static int on_ann(void *arg, const annotation *a, mrb_err *err)
{
    seen *s = arg;
    (void)err;
    s->annotations++;
    if (a->status && !strcmp(a->status, "timeout"))
        s->timeouts++;
    return 0;
}

static int on_env(void *arg, const environment *env, mrb_err *err)
{
    seen *s = arg;
    (void)err;
    s->environments++;
    s->env_invocations = env->invocations;
    s->env_cold = env->cold_starts;
    snprintf(s->runtime, sizeof s->runtime, "%.*s", (int)env->runtime_version.n,
             env->runtime_version.p ? env->runtime_version.p : "");
    return 0;
}

/* Feeds LINES[order[0..n)] as one stream, one second apart. */
static seen feed(const int *order, int n)
{
    seen s;
    memset(&s, 0, sizeof s);
    assemble_sink sink = {.invocation = on_inv, .annotation = on_ann, .environment = on_env,
                          .arg = &s};
    assembler *a = assemble_new(&sink);
    mrb_err err;
    mrb_err_clear(&err);
    for (int i = 0; i < n; i++) {
        const char *line = LINES[order[i]];
        size_t len = strlen(line);
        char *copy = malloc(len); /* exact size: ASan sees over-reads */
        assert_non_null(copy);
        memcpy(copy, line, len);
        lambda_record rec;
        assert_int_not_equal(lambda_parse(copy, len, &rec), LAMBDA_OTHER);
        assemble_where w = {.function = "fn", .log_group = "/aws/lambda/fn",
                            .log_stream = "2026/11/25/[$LATEST]abc",
                            .ts_ms = 1795575600000LL + 1000 * i};
        assert_int_equal(assemble_record(a, &w, &rec, &err), 0);
        free(copy);
    }
    assert_int_equal(assemble_finish(a, &err), 0);
    assemble_free(a);
    return s;
}

/* Calls check on every permutation of 0..n-1; returns how many. */
static int permute(int *p, int k, int n, void (*check)(const int *, int))
{
    if (k == n) {
        check(p, n);
        return 1;
    }
    int count = 0;
    for (int i = k; i < n; i++) {
        int t = p[k];
        p[k] = p[i];
        p[i] = t;
        count += permute(p, k + 1, n, check);
        p[i] = p[k];
        p[k] = t;
    }
    return count;
}

static void check_common(const seen *s, const int *order, int n)
{
    char desc[64] = "";
    for (int i = 0; i < n; i++)
        snprintf(desc + strlen(desc), sizeof desc - strlen(desc), "%d", order[i]);
    if (s->invocations != 1)
        fail_msg("order %s: %d invocations, expected 1", desc, s->invocations);
    assert_string_equal(s->rid, "r-1");
    assert_true(s->duration_ms == 12.5);
    assert_true(s->init_ms == 200.0);
    assert_int_equal(s->max_memory_mb, 90);
    if (s->cold != 1)
        fail_msg("order %s: not cold", desc);
    assert_int_equal(s->environments, 1);
    assert_int_equal(s->env_invocations, 1);
    assert_int_equal(s->env_cold, 1);
    if (strcmp(s->runtime, "python:3.11.v29"))
        fail_msg("order %s: runtime version '%s'", desc, s->runtime);
}

static void check_plain(const int *order, int n)
{
    seen s = feed(order, n);
    check_common(&s, order, n);
    assert_int_equal(s.annotations, 0);
    assert_int_equal(s.timeouts, 0);
}

static void check_timeout(const int *order, int n)
{
    seen s = feed(order, n);
    check_common(&s, order, n);
    /* before its REPORT the timeout is the invocation's status; after it,
     * one late annotation: never lost, never counted twice */
    if (s.timeouts != 1)
        fail_msg("a timeout seen %d times, expected once", s.timeouts);
}

static void every_order_of_a_cold_invocation(void **state)
{
    (void)state;
    int p[4] = {0, 1, 2, 3};
    assert_int_equal(permute(p, 0, 4, check_plain), 24);
}

static void every_order_with_a_timeout_line(void **state)
{
    (void)state;
    int p[5] = {0, 1, 2, 3, 4};
    assert_int_equal(permute(p, 0, 5, check_timeout), 120);
}

/* Two streams of one function, interleaved: two environments, each with
 * its invocation. */
static void two_streams_interleaved(void **state)
{
    (void)state;
    seen s;
    memset(&s, 0, sizeof s);
    assemble_sink sink = {.invocation = on_inv, .annotation = on_ann, .environment = on_env,
                          .arg = &s};
    assembler *a = assemble_new(&sink);
    mrb_err err;
    mrb_err_clear(&err);
    const char *streams[2] = {"s-a", "s-b"};
    for (int i = 0; i < 8; i++) {
        const char *line = LINES[i / 2];
        lambda_record rec;
        assert_int_not_equal(lambda_parse(line, strlen(line), &rec), LAMBDA_OTHER);
        assemble_where w = {.function = "fn", .log_stream = streams[i % 2], .ts_ms = 1000 + i};
        assert_int_equal(assemble_record(a, &w, &rec, &err), 0);
    }
    assert_int_equal(assemble_finish(a, &err), 0);
    assemble_free(a);
    assert_int_equal(s.invocations, 2);
    assert_int_equal(s.environments, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_order_of_a_cold_invocation),
        cmocka_unit_test(every_order_with_a_timeout_line),
        cmocka_unit_test(two_streams_interleaved),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
