/* shape_lambda.c — mrb-gen: the awslogs and kinesis shapes (Lambda
 * subscription and Kinesis events). */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* What a Lambda function subscribed to the log groups receives, one file
 * per invocation event: DIR/<shape>/<fn>-NNNNNN.json. */
typedef struct lambda_ev {
    const opts *o;         /* o->out NULL: only count */
    const char *shape;     /* "awslogs" or "kinesis" */
    const char *name;      /* of the files: the function, or lambda-insights */
    const plan *p;
    long files;
    long long total;       /* uncompressed bytes of every document */
    z_stream z;
    sb doc, gz, file;
    rng r;                 /* partition keys, batch sizes, latencies */
    long records, target;  /* kinesis: records in the file, and its size */
    long long seq;         /* kinesis: records put to the stream */
    char seq_prefix[21];   /* kinesis: the shard's sequence number prefix */
} lambda_ev;

/* Writes the current file and starts the next. */
static void lambda_ev_flush(lambda_ev *e)
{
    char path[4096];
    if (e->o->out) {
        int n = snprintf(path, sizeof path, "%s/%s/%s-%06ld.json", e->o->out, e->shape,
                         e->name, e->files);
        if (n < 0 || (size_t)n >= sizeof path)
            die("path too long: %s/%s", e->o->out, e->shape);
        write_file(path, e->file.buf, e->file.len);
    }
    e->files++;
    sb_reset(&e->file);
}

/* The batch's document, gzipped, as base64 appended to e->file. */
static void lambda_ev_data(lambda_ev *e, const batch *bt, const char *filter)
{
    batch_doc(&e->doc, e->p, bt, filter);
    e->total += (long long)e->doc.len;
    if (!e->o->out)
        return;
    sb_reset(&e->gz);
    gz_member(&e->z, &e->gz, e->doc.buf, e->doc.len);
    add_base64(&e->file, e->gz.buf, e->gz.len);
}

static void awslogs_emit(void *ctx, const plan *p, const batch *bt, long long when)
{
    lambda_ev *e = ctx;
    (void)p;
    (void)when;
    sb_adds(&e->file, "{\"awslogs\": {\"data\": \"");
    lambda_ev_data(e, bt, "benchmark-to-lambda");
    sb_adds(&e->file, "\"}}\n");
    lambda_ev_flush(e);
}

static void kinesis_emit(void *ctx, const plan *p, const batch *bt, long long when)
{
    lambda_ev *e = ctx;
    char key[33];
    buf seq, b;
    long long arrival = when + rng_range(&e->r, 20, 400);
    (void)p;
    seq.n = b.n = 0;
    if (e->records == 0) {
        sb_adds(&e->file, "{\"Records\": [");
        e->target = rng_range(&e->r, 1, 10);
    } else {
        sb_adds(&e->file, ", ");
    }
    rng_hex(&e->r, key, 32);
    b_str(&seq, e->seq_prefix);
    b_num(&seq, when, 13);
    b_num(&seq, e->seq++ % 100000, 5);
    b_num(&seq, (long long)(rng_next(&e->r) % 1000000000000000000ULL), 18);
    seq.s[seq.n] = '\0';
    sb_adds(&e->file, "{\"kinesis\": {\"kinesisSchemaVersion\": \"1.0\", \"partitionKey\": \"");
    sb_adds(&e->file, key);
    sb_adds(&e->file, "\", \"sequenceNumber\": \"");
    sb_adds(&e->file, seq.s);
    sb_adds(&e->file, "\", \"data\": \"");
    lambda_ev_data(e, bt, "benchmark-to-kinesis");
    b_str(&b, "\", \"approximateArrivalTimestamp\": ");
    b_num(&b, arrival / 1000, 1);
    b_chr(&b, '.');
    b_num(&b, arrival % 1000, 3);
    b.s[b.n] = '\0';
    sb_adds(&e->file, b.s);
    sb_adds(&e->file, "}, \"eventSource\": \"aws:kinesis\", \"eventVersion\": \"1.0\", "
                    "\"eventID\": \"shardId-000000000000:");
    sb_adds(&e->file, seq.s);
    sb_adds(&e->file, "\", \"eventName\": \"aws:kinesis:record\", "
                    "\"invokeIdentityArn\": \"arn:aws:iam::123456789012:role/benchmark-log-consumer\", "
                    "\"awsRegion\": \"us-east-1\", "
                    "\"eventSourceARN\": \"arn:aws:kinesis:us-east-1:123456789012:stream/benchmark-logs\"}");
    if (++e->records == e->target) {
        sb_adds(&e->file, "]}\n");
        lambda_ev_flush(e);
        e->records = 0;
    }
}

static long long write_lambda_ev(plan *plans, const opts *o, const char *shape, batch_fn emit)
{
    long long total = 0;
    char dir[4096];
    if (o->out) {
        path_join(dir, sizeof dir, o->out, shape);
        mkdirs(dir);
    }
    for (int f = 0; f < N_FN + o->emf; f++) {
        lambda_ev e;
        int ins = f == N_FN; /* /aws/lambda-insights, after the functions */
        memset(&e, 0, sizeof e);
        e.o = o;
        e.shape = shape;
        e.p = &plans[ins ? 0 : f];
        e.name = ins ? INSIGHTS_NAME : plans[f].spec->name;
        rng_seed(&e.r, ins ? mix2(plans[0].seed, hash_str(INSIGHTS_NAME))
                           : mix2(plans[f].seed, hash_str(shape)));
        snprintf(e.seq_prefix, sizeof e.seq_prefix, "4959%016llu",
                 (unsigned long long)(rng_next(&e.r) % 10000000000000000ULL));
        gz_init(&e.z, o->level);
        g_insights = ins;
        batch_run(ins ? plans : &plans[f], ins ? N_FN : 1, emit, &e);
        g_insights = 0;
        if (e.records > 0) {
            sb_adds(&e.file, "]}\n");
            lambda_ev_flush(&e);
        }
        total += e.total;
        deflateEnd(&e.z);
        sb_release(&e.doc);
        sb_release(&e.gz);
        sb_release(&e.file);
    }
    return total;
}

long long write_awslogs(plan *plans, const opts *o)
{
    return write_lambda_ev(plans, o, "awslogs", awslogs_emit);
}

long long write_kinesis(plan *plans, const opts *o)
{
    return write_lambda_ev(plans, o, "kinesis", kinesis_emit);
}
