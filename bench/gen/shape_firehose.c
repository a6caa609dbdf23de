/* shape_firehose.c — mrb-gen: the firehose shape (subscription filter
 * to Firehose to S3 objects of gzip members). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* A subscription filter to Kinesis Data Firehose delivering to S3: objects
 * DIR/firehose/YYYY/MM/DD/HH/<stream>-1-YYYY-MM-DD-HH-MM-SS-<uuid>, each a
 * concatenation of gzip members of one document each. */
typedef struct firehose {
    const opts *o;         /* o->out NULL: only count */
    FILE *fp;              /* object being written */
    char path[4096];
    long long obj_bytes;   /* uncompressed bytes in it */
    long long obj_hour;    /* epoch hour it belongs to */
    long objects;
    long long total;       /* uncompressed bytes of every document */
    z_stream z;
    sb doc, gz;
    rng r;                 /* object UUIDs */
} firehose;

static void firehose_close(firehose *fh)
{
    if (fh->fp && fclose(fh->fp) != 0)
        die("cannot write %s: %s", fh->path, strerror(errno));
    fh->fp = NULL;
}

/* Starts the object that holds what is sent at when. */
static void firehose_open(firehose *fh, long long when)
{
    char uuid[37], dir[4096];
    buf b = {.n = 0};
    long long t = when - g_day.start_ms;
    firehose_close(fh);
    fh->objects++;
    fh->obj_bytes = 0;
    fh->obj_hour = when / 3600000;
    if (!fh->o->out)
        return;
    rng_uuid(&fh->r, uuid);
    b_str(&b, fh->o->out);
    b_str(&b, "/firehose/");
    b_date(&b, '/');
    b_chr(&b, '/');
    b_num(&b, t / 3600000, 2);
    b.s[b.n] = '\0';
    snprintf(dir, sizeof dir, "%s", b.s);
    mkdirs(dir);
    b_str(&b, "/dev-benchmark-logs-1-");
    b_date(&b, '-');
    b_chr(&b, '-');
    b_num(&b, t / 3600000, 2);
    b_chr(&b, '-');
    b_num(&b, t / 60000 % 60, 2);
    b_chr(&b, '-');
    b_num(&b, t / 1000 % 60, 2);
    b_chr(&b, '-');
    b_str(&b, uuid);
    b.s[b.n] = '\0';
    snprintf(fh->path, sizeof fh->path, "%s", b.s);
    fh->fp = fopen(fh->path, "wb");
    if (!fh->fp)
        die("cannot create %s: %s", fh->path, strerror(errno));
}

/* Appends one document as a gzip member of the current object. */
static void firehose_put(firehose *fh, const char *s, size_t n)
{
    fh->obj_bytes += (long long)n;
    fh->total += (long long)n;
    if (!fh->fp)
        return;
    sb_reset(&fh->gz);
    gz_member(&fh->z, &fh->gz, s, n);
    if (fwrite(fh->gz.buf, 1, fh->gz.len, fh->fp) != fh->gz.len)
        die("cannot write %s: %s", fh->path, strerror(errno));
}

static void firehose_emit(void *ctx, const plan *p, const batch *bt, long long when)
{
    firehose *fh = ctx;
    long long max = fh->o->object_mb * MIB;
    batch_doc(&fh->doc, p, bt, "benchmark-to-firehose");
    if (fh->objects == 0) {
        /* the subscription filter checked the destination first */
        buf b = {.n = 0};
        firehose_open(fh, when);
        b_str(&b, "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\","
                  "\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":");
        b_num(&b, when, 1);
        b_str(&b, ",\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}");
        firehose_put(fh, b.s, b.n);
    } else if (when / 3600000 != fh->obj_hour || fh->obj_bytes + (long long)fh->doc.len > max) {
        firehose_open(fh, when);
    }
    firehose_put(fh, fh->doc.buf, fh->doc.len);
}

long long write_firehose(plan *plans, const opts *o)
{
    firehose fh;
    memset(&fh, 0, sizeof fh);
    fh.o = o;
    rng_seed(&fh.r, mix2(o->seed, hash_str("firehose")));
    gz_init(&fh.z, o->level);
    batch_run(plans, N_FN, firehose_emit, &fh);
    if (o->emf) { /* the subscription of /aws/lambda-insights delivers to the same stream */
        g_insights = 1;
        batch_run(plans, N_FN, firehose_emit, &fh);
        g_insights = 0;
    }
    firehose_close(&fh);
    deflateEnd(&fh.z);
    sb_release(&fh.doc);
    sb_release(&fh.gz);
    return fh.total;
}
