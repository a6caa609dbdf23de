/* fuzz_ddb.c — fuzz harness: files of DynamoDB change records (Lambda
 * events, get-records output, NDJSON, Kinesis-wrapped records) through the
 * file walker, the record parser and the AttributeValue decoder, as ingest
 * reads them. Input: a file's bytes (gzip or plain). */
#include "fuzz.h"
#include "fuzz_common.h"
#include "mrb/ddb_file.h"
#include "mrb/ddb_value.h"
#include "mrb/sb.h"
#include "mrb/source.h"

static volatile size_t sink_bytes;

static int on_record(void *arg, const ddb_record *rec, const ddb_pos *pos, mrb_err *err)
{
    sb out;
    long long size = 0;

    (void)arg;
    if (!rec->dedupe_key || pos->index < 0)
        __builtin_trap();
    sb_init(&out);
    if (rec->new_image)
        (void)ddb_image_decode(rec->new_image, "NewImage", &out, &size, err);
    sink_bytes += out.len + (size_t)size + (size_t)rec->approx_ts_ms;
    sb_release(&out);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mrb_err err;
    const char *head;
    source *src = source_open_mem(data, size, 1, &err);
    reader *r = reader_new(src, FUZZ_MAX_LINE);

    mrb_err_clear(&err);
    long n = reader_peek(r, SHAPE_HEAD_BYTES, &head, &err);
    if (n > 0)
        (void)ddb_file_sniff(head, (size_t)n);
    (void)ddb_file_walk(r, on_record, NULL, &err);
    reader_free(r);
    source_close(src);
    return 0;
}
