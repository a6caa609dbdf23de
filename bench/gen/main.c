/* main.c — mrb-gen: deterministic generator of realistic AWS Lambda CloudWatch logs.
 *
 * Writes the logs of four benchmark functions (Python 3.11, TypeScript on
 * Node.js 20, Go and Kotlin/GraalVM native on provided.al2, all 512 MB with
 * X-Ray) in every shape mrb-analyze reads: a CloudWatch Logs CreateExportTask
 * to S3 (gzip parts per log stream), `aws logs filter-log-events` JSON as the
 * AWS CLI prints it and as `jq -c '.events[]'` NDJSON, subscription filter
 * payloads (Firehose objects in S3, Lambda awslogs and Kinesis events), the
 * S3 export of the same functions with LogFormat=JSON, and Logs Insights
 * `get-query-results`. Used for samples/, end-to-end tests and `make bench`.
 *
 * Everything comes from one seed: the same arguments give byte-identical
 * output, and every shape holds exactly the same invocations. Each execution
 * environment "slot" is a small state machine with its own PRNG that yields
 * its events in time order, so the export shapes are written slot by slot
 * and the others are heap merges of all slots; memory stays bounded by the
 * number of streams, whatever the output size. Whatever a shape adds (batch
 * boundaries, object names, partition keys) comes from PRNGs of its own, so
 * adding a shape never changes the bytes of another.
 *
 * This file: the option parser, the table of shapes, --mb sizing and main.
 * A tool, not library code: errors go to stderr and exit 1. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mrb-gen: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* ---------------------------------------------------------------- sizing */

/* Every shape: its --shape name, its bit, its writer (which only counts
 * when o->out is NULL) and what the MiB it reports measure. */
typedef struct shape_def {
    const char *name;
    int bit;
    long long (*write)(plan *plans, const opts *o);
    const char *unit;
} shape_def;

static const shape_def SHAPES[] = {
    {"s3-export", SHAPE_S3, write_s3, " uncompressed"},
    {"cli-json", SHAPE_CLI, write_cli, ""},
    {"firehose", SHAPE_FIREHOSE, write_firehose, " of JSON documents, uncompressed"},
    {"awslogs", SHAPE_AWSLOGS, write_awslogs, " of JSON documents, decoded"},
    {"kinesis", SHAPE_KINESIS, write_kinesis, " of JSON documents, decoded"},
    {"ndjson", SHAPE_NDJSON, write_ndjson, ""},
    {"jsonlog", SHAPE_JSONLOG, write_jsonlog, " uncompressed"},
    {"insights", SHAPE_INSIGHTS, write_insights, ""},
};
#define N_SHAPES (sizeof SHAPES / sizeof SHAPES[0])

/* Uncompressed bytes one invocation of every function takes on average in
 * the given shape, measured on a sample generated without output. */
static double bytes_per_round(const opts *o, const shape_def *shape)
{
    opts so = *o;
    plan plans[N_FN];
    long long total;
    so.streams = 0;
    so.out = NULL;
    for (int f = 0; f < N_FN; f++)
        plan_init(&plans[f], f, &so, SAMPLE_INV, 0, 0);
    total = shape->write(plans, &so);
    for (int f = 0; f < N_FN; f++)
        plan_free(&plans[f]);
    return (double)total / SAMPLE_INV;
}

/* ---------------------------------------------------------------- options */

static const char USAGE[] =
    "usage: mrb-gen --out DIR [options]\n"
    "\n"
    "Writes deterministic, realistic CloudWatch Logs of four Lambda functions\n"
    "(dev-benchmark-python, -typescript, -go, -kotlin; 512 MB, X-Ray).\n"
    "\n"
    "  --out DIR            output folder (required)\n"
    "  --shape S[,S...]     what to write (default s3-export); all of them with\n"
    "                       'all', s3-export and cli-json with 'both':\n"
    "    s3-export   DIR/s3-export/<fn>/<task-id>/YYYY/MM/DD/[$LATEST]<hex>/000000.gz\n"
    "                (CreateExportTask: gzip text, '<ISO> <message>' lines)\n"
    "    cli-json    DIR/cli-json/<fn>.json (aws logs filter-log-events output)\n"
    "    firehose    DIR/firehose/YYYY/MM/DD/HH/dev-benchmark-logs-1-<time>-<uuid>\n"
    "                (subscription filter -> Firehose -> S3: gzip members, one\n"
    "                DATA_MESSAGE document each)\n"
    "    awslogs     DIR/awslogs/<fn>-NNNNNN.json (Lambda subscription events)\n"
    "    kinesis     DIR/kinesis/<fn>-NNNNNN.json (Lambda Kinesis events)\n"
    "    ndjson      DIR/ndjson/<fn>.ndjson (jq -c '.events[]' of cli-json)\n"
    "    jsonlog     DIR/jsonlog/... like s3-export, functions with LogFormat=JSON\n"
    "    insights    DIR/insights/<fn>-messages.json, <fn>-reports.json\n"
    "                (aws logs get-query-results output)\n"
    "  --seed N             PRNG seed (default 1)\n"
    "  --slower RT=PCT      make RT's (python, typescript, go, kotlin) invocations\n"
    "                       PCT % slower: a regression for compare (repeatable)\n"
    "  --day YYYY-MM-DD     UTC day of the events, from 02:00:00Z (default 2026-11-25)\n"
    "  --invocations N      invocations per function (default 50)\n"
    "  --mb N               instead: about N MiB uncompressed in all (sized on the\n"
    "                       first shape asked for, in the order above)\n"
    "  --streams N          execution environments per function\n"
    "                       (default invocations/40 rounded up)\n"
    "  --timeouts N         invocations per function that time out (default 0)\n"
    "  --ooms N             invocations per function that run out of memory\n"
    "                       and end their environment (default 0)\n"
    "  --level N            gzip level 0-9 (default 6)\n"
    "  --single-doc         cli-json: one document DIR/cli-json/all.json for all\n"
    "  --part-mb N          s3-export, jsonlog: start a new part above N MiB\n"
    "                       (default 64)\n"
    "  --object-mb N        firehose: start a new object above N MiB of\n"
    "                       documents, or each hour (default 5)\n"
    "  --emf                EMF metrics: Powertools ColdStart and metrics blobs from\n"
    "                       Python (whole line) and TypeScript (console.log prefix),\n"
    "                       hand-written documents from Go and Kotlin, and the log\n"
    "                       group /aws/lambda-insights with one Lambda Insights\n"
    "                       performance event per invocation (lambda-insights/ or\n"
    "                       lambda-insights.* beside the functions in each shape)\n"
    "  --emf-heavy          --emf and a request counter document per invocation:\n"
    "                       about every third event of the functions' log groups\n"
    "                       is EMF (for make bench)\n"
    "  --ddb                also DIR/ddb/: DynamoDB stream records of the items\n"
    "                       the functions write (table dev-benchmark-items):\n"
    "                       lambda/ Lambda DynamoDB events, ndjson/ the same\n"
    "                       records one per line; a few TTL deletes, and a few\n"
    "                       writes that break the item schema on purpose\n"
    "  --emf-plain          with --emf or --emf-heavy: the same bytes, but each\n"
    "                       document's \"_aws\" key spelled \"_AWS\", so that no\n"
    "                       line is EMF (make bench: the cost of extraction alone)\n"
    "  -h, --help           this text\n"
    "\n"
    "The same arguments always give the same bytes; every shape holds the same\n"
    "invocations. Errors go to stderr with exit status 1.\n";

static long parse_num(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        die("%s '%s': expected an integer from %ld to %ld", opt, s, lo, hi);
    return v;
}

/* SHAPE_* bits of a comma-separated list of shape names. */
static int parse_shapes(const char *arg)
{
    int bits = 0;
    const char *p = arg;
    for (;;) {
        size_t n = strcspn(p, ",");
        int bit = 0;
        if (n == 3 && !strncmp(p, "all", 3))
            bit = SHAPE_ALL;
        else if (n == 4 && !strncmp(p, "both", 4))
            bit = SHAPE_S3 | SHAPE_CLI;
        for (size_t i = 0; i < N_SHAPES && !bit; i++)
            if (strlen(SHAPES[i].name) == n && !strncmp(p, SHAPES[i].name, n))
                bit = SHAPES[i].bit;
        if (!bit)
            die("--shape '%s': expected a comma-separated list of s3-export, cli-json, "
                "firehose, awslogs, kinesis, ndjson, jsonlog, insights, both or all", arg);
        bits |= bit;
        if (p[n] == '\0')
            return bits;
        p += n + 1;
    }
}

/* --slower RUNTIME=PCT: python, typescript, go or kotlin, 0..1000. */
static void parse_slower(const char *arg, opts *o)
{
    static const char *const names[N_FN] = {"python", "typescript", "go", "kotlin"};
    const char *eq = strchr(arg, '=');

    for (int f = 0; eq && f < N_FN; f++)
        if ((size_t)(eq - arg) == strlen(names[f]) && !strncmp(arg, names[f], (size_t)(eq - arg))) {
            o->slower[f] = (double)parse_num("--slower", eq + 1, 0, 1000);
            return;
        }
    die("--slower '%s': expected RUNTIME=PCT with RUNTIME python, typescript, go or kotlin", arg);
}

static void parse_opts(int argc, char **argv, opts *o)
{
    enum { O_SHAPE = 256, O_SEED, O_DAY, O_MB, O_INV, O_STREAMS, O_TIMEOUTS, O_OOMS, O_LEVEL,
           O_SINGLE, O_PART, O_OBJECT, O_OUT, O_EMF, O_EMF_HEAVY, O_SLOWER,
           O_DDB, O_EMF_PLAIN };
    static const struct option longopts[] = {
        {"out", required_argument, NULL, O_OUT},
        {"shape", required_argument, NULL, O_SHAPE},
        {"seed", required_argument, NULL, O_SEED},
        {"day", required_argument, NULL, O_DAY},
        {"mb", required_argument, NULL, O_MB},
        {"invocations", required_argument, NULL, O_INV},
        {"streams", required_argument, NULL, O_STREAMS},
        {"timeouts", required_argument, NULL, O_TIMEOUTS},
        {"ooms", required_argument, NULL, O_OOMS},
        {"level", required_argument, NULL, O_LEVEL},
        {"single-doc", no_argument, NULL, O_SINGLE},
        {"part-mb", required_argument, NULL, O_PART},
        {"object-mb", required_argument, NULL, O_OBJECT},
        {"emf", no_argument, NULL, O_EMF},
        {"emf-heavy", no_argument, NULL, O_EMF_HEAVY},
        {"slower", required_argument, NULL, O_SLOWER},
        {"ddb", no_argument, NULL, O_DDB},
        {"emf-plain", no_argument, NULL, O_EMF_PLAIN},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *day_arg = "2026-11-25";
    int c;

    memset(o, 0, sizeof *o);
    o->shapes = SHAPE_S3;
    o->seed = 1;
    o->level = 6;
    o->part_mb = 64;
    o->object_mb = 5;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(USAGE, stdout); exit(0);
        case O_OUT: o->out = optarg; break;
        case O_SHAPE: o->shapes = parse_shapes(optarg); break;
        case O_SEED: o->seed = (uint64_t)parse_num("--seed", optarg, 0, 2147483647L); break;
        case O_DAY: day_arg = optarg; break;
        case O_MB: o->mb = parse_num("--mb", optarg, 1, 1048576L); break;
        case O_INV: o->invocations = parse_num("--invocations", optarg, 1, 100000000L); break;
        case O_STREAMS: o->streams = parse_num("--streams", optarg, 1, 10000000L); break;
        case O_TIMEOUTS: o->timeouts = parse_num("--timeouts", optarg, 0, 100000000L); break;
        case O_OOMS: o->ooms = parse_num("--ooms", optarg, 0, 100000000L); break;
        case O_LEVEL: o->level = (int)parse_num("--level", optarg, 0, 9); break;
        case O_SINGLE: o->single_doc = 1; break;
        case O_EMF: o->emf = 1; break;
        case O_EMF_HEAVY: o->emf = o->emf_heavy = 1; break;
        case O_SLOWER: parse_slower(optarg, o); break;
        case O_DDB: o->ddb = 1; break;
        case O_EMF_PLAIN: g_emf_plain = 1; break;
        case O_PART: o->part_mb = parse_num("--part-mb", optarg, 1, 1048576L); break;
        case O_OBJECT: o->object_mb = parse_num("--object-mb", optarg, 1, 1048576L); break;
        default:
            die("unknown or incomplete option '%s' (try 'mrb-gen --help')", argv[optind - 1]);
        }
    }
    if (optind < argc)
        die("unexpected argument '%s' (try 'mrb-gen --help')", argv[optind]);
    if (!o->out)
        die("--out DIR is required (try 'mrb-gen --help')");
    if (o->mb && o->invocations)
        die("give either --mb or --invocations, not both");
    if (g_emf_plain && !o->emf)
        die("--emf-plain goes with --emf or --emf-heavy");
    day_parse(day_arg, &g_day);
}

int main(int argc, char **argv)
{
    opts o;
    plan plans[N_FN];
    long n_inv;

    parse_opts(argc, argv, &o);
    if (o.mb) {
        size_t first = 0;
        while (!(o.shapes & SHAPES[first].bit))
            first++;
        double per_round = bytes_per_round(&o, &SHAPES[first]);
        n_inv = (long)ceil((double)o.mb * MIB / per_round);
        if (n_inv < 1)
            n_inv = 1;
    } else {
        n_inv = o.invocations ? o.invocations : 50;
    }
    if (o.timeouts + o.ooms > n_inv)
        die("--timeouts %ld and --ooms %ld exceed the %ld invocations per function",
            o.timeouts, o.ooms, n_inv);
    for (int f = 0; f < N_FN; f++)
        plan_init(&plans[f], f, &o, n_inv, o.timeouts, o.ooms);

    mkdirs(o.out);
    for (size_t i = 0; i < N_SHAPES; i++) {
        if (!(o.shapes & SHAPES[i].bit))
            continue;
        long long n = SHAPES[i].write(plans, &o);
        fprintf(stderr, "mrb-gen: %s: %ld invocations x %d functions, %.1f MiB%s\n",
                SHAPES[i].name, n_inv, N_FN, (double)n / MIB, SHAPES[i].unit);
    }
    if (o.ddb)
        write_ddb(plans, &o);
    for (int f = 0; f < N_FN; f++)
        plan_free(&plans[f]);
    return 0;
}
