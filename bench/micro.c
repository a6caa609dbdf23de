/* bench/micro.c — the per-record paths of ingest, timed alone (no I/O, no
 * SQLite, one thread): a REPORT line (lambda_parse), a DynamoDB stream record
 * (jload of the record's text + ddb_record_parse, what ddb_file does per
 * record; and with json_loadb, the reference) and an EMF document
 * (emf_extract, the in-place reader; and the jansson reference). Built as build/mrb-micro by `make build/mrb-micro`,
 * run by bench/run.sh (BENCH_MICRO=0 skips it) and alone:
 *
 *   build/mrb-micro [ITERATIONS]       (default 200000)
 *
 * Prints one line per path: ns per record and MB/s of its text, best of 3
 * rounds. Each round checks the result (a parse that fails stops with exit 1),
 * so that a path which stopped working cannot look fast. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mrb/clock.h"
#include "mrb/ddb_record.h"
#include "mrb/emf.h"
#include "mrb/jload.h"
#include "mrb/lambda_line.h"

static const char report_line[] =
    "REPORT RequestId: c07b7211-ccb8-4e89-a55f-7b39046036a1\tDuration: 28.07 ms\t"
    "Billed Duration: 217 ms\tMemory Size: 512 MB\tMax Memory Used: 55 MB\t"
    "Init Duration: 188.02 ms\t\nXRAY TraceId: 1-6b0663e6-43ed47e52f5ab37ed8ea57b9\t"
    "SegmentId: 5f4b8ca3e3895385\tSampled: true\t";

/* as mrb-gen --ddb writes them (the Lambda event / NDJSON form) */
static const char ddb_record_text[] =
    "{\"eventID\":\"7a69d5ec34cae2b3810788979d873645\",\"eventName\":\"MODIFY\","
    "\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\","
    "\"dynamodb\":{\"ApproximateCreationDateTime\":1795572004,\"Keys\":{\"id\":{\"S\":"
    "\"d96f5399-7895-4846-9c1e-6098fbe27ae7\"}},\"NewImage\":{\"id\":{\"S\":"
    "\"d96f5399-7895-4846-9c1e-6098fbe27ae7\"},\"name\":{\"S\":\"Set with lambda order "
    "edition\"},\"description\":{\"S\":\"Daily blue small start small fast steel cotton for "
    "order pack fast widget\"},\"price\":{\"N\":\"237.65\"},\"created_at\":{\"N\":"
    "\"1795572004149\"},\"updated_at\":{\"N\":\"1795572004149\"}},\"OldImage\":{\"id\":{\"S\":"
    "\"d96f5399-7895-4846-9c1e-6098fbe27ae7\"},\"name\":{\"S\":\"Set with lambda order "
    "edition\"},\"price\":{\"N\":\"230.00\"},\"created_at\":{\"N\":\"1795572004149\"},"
    "\"updated_at\":{\"N\":\"1795572004149\"}},\"SequenceNumber\":\"400000000000001000003\","
    "\"SizeBytes\":402,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},\"eventSourceARN\":"
    "\"arn:aws:dynamodb:us-east-1:123456789012:table/dev-benchmark-items/stream/"
    "2026-11-01T00:00:00.000\"}";

/* Powertools for Python, as the functions log it */
static const char emf_doc[] =
    "{\"_aws\":{\"Timestamp\":1795576091187,\"CloudWatchMetrics\":[{\"Namespace\":"
    "\"Benchmark\",\"Dimensions\":[[\"service\",\"function_name\"]],\"Metrics\":[{\"Name\":"
    "\"ItemsWritten\",\"Unit\":\"Count\"},{\"Name\":\"HandlerLatency\",\"Unit\":"
    "\"Milliseconds\"},{\"Name\":\"PayloadBytes\",\"Unit\":\"Bytes\"}]}]},\"service\":"
    "\"benchmark\",\"function_name\":\"dev-benchmark-python\",\"ItemsWritten\":3,"
    "\"HandlerLatency\":[12.5,13.25],\"PayloadBytes\":2048,\"function_request_id\":"
    "\"54ffe516-dec9-4d7e-a349-c84f9c614b7e\"}";


static void die(const char *what)
{
    fprintf(stderr, "mrb-micro: error: %s\n", what);
    exit(1);
}

static int one_report(void)
{
    lambda_record r;
    return lambda_parse(report_line, sizeof report_line - 1, &r) == LAMBDA_REPORT;
}

static int one_ddb(int jansson)
{
    json_error_t je;
    ddb_record rec;
    mrb_err err;
    json_t *o = jansson ? json_loadb(ddb_record_text, sizeof ddb_record_text - 1, 0, &je)
                        : jload_fast(ddb_record_text, sizeof ddb_record_text - 1);
    int ok = o && ddb_record_parse(o, &rec, &err) == 0;
    if (ok)
        ddb_record_free(&rec);
    json_decref(o);
    return ok;
}

static int count_value(void *arg, const emf_value *v)
{
    (void)v;
    ++*(int *)arg;
    return 0;
}

static int one_emf(int jansson)
{
    emf_result res;
    int n = 0;
    if (jansson)
        emf_extract_jansson(emf_doc, sizeof emf_doc - 1, count_value, &n, &res);
    else
        emf_extract(emf_doc, sizeof emf_doc - 1, count_value, &n, &res);
    return res.reason == EMF_OK && n == 4;
}

static int one(int path)
{
    switch (path) {
    case 0:
        return one_report();
    case 1:
    case 2:
        return one_ddb(path == 2);
    default:
        return one_emf(path == 4);
    }
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"REPORT line (lambda_parse)",
                                        "stream record (jload + ddb_record_parse)",
                                        "stream record (json_loadb + ddb_record_parse)",
                                        "EMF document (emf_extract, in place)",
                                        "EMF document (emf_extract_jansson)"};
    const size_t bytes[] = {sizeof report_line - 1, sizeof ddb_record_text - 1,
                            sizeof ddb_record_text - 1, sizeof emf_doc - 1, sizeof emf_doc - 1};
    long iters = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;

    if (iters < 1)
        die("ITERATIONS: expected a positive number");
    printf("| per-record path | bytes | ns per record | MB/s |\n|---|---:|---:|---:|\n");
    for (int path = 0; path < 5; path++) {
        double best = 0;
        for (int round = 0; round < 3; round++) {
            double t0 = clock_now_s();
            for (long i = 0; i < iters; i++)
                if (!one(path))
                    die(names[path]);
            double t = clock_now_s() - t0;
            if (round == 0 || t < best)
                best = t;
        }
        double ns = best * 1e9 / (double)iters;
        printf("| %s | %zu | %.0f | %.0f |\n", names[path], bytes[path], ns,
               (double)bytes[path] * 1e3 / ns);
    }
    return 0;
}
