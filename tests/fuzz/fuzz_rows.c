/* fuzz_rows.c — fuzz harness: files of X-Ray traces and CloudWatch metric
 * exports through the row shapes (shape_xray.c, shape_metrics.c), the trace
 * parser and the metric identity, as ingest reads them. The first byte
 * picks the path the metric identity comes from (none, or one with keys),
 * the rest is the file's bytes (gzip or plain). Traps when a row breaks
 * its contract (a segment without ids, a value without its identity). */
#include "fuzz.h"
#include "fuzz_common.h"
#include "mrb/shape.h"
#include "mrb/source.h"

#include <string.h>

static volatile size_t sink_bytes;

static int on_segment(void *arg, const xray_segment *s, mrb_err *err)
{
    (void)arg;
    (void)err;
    if (!s->trace_id || !s->id || !s->segment_id || s->depth < 0)
        __builtin_trap();
    sink_bytes += strlen(s->id) + (size_t)s->depth;
    return 0;
}

static int on_trace(void *arg, const xray_trace *t, mrb_err *err)
{
    (void)arg;
    (void)err;
    if (!t->trace_id || !t->source)
        __builtin_trap();
    sink_bytes += strlen(t->trace_id);
    return 0;
}

static int on_point(void *arg, const cw_point *p, mrb_err *err)
{
    (void)arg;
    (void)err;
    if (!p->ns || !p->metric || !p->stat || !p->dimensions || !p->identity_from)
        __builtin_trap();
    sink_bytes += strlen(p->dimensions) + (size_t)p->ts_ms;
    return 0;
}

static int on_record(void *arg, const ddb_record *rec, const ddb_pos *pos, mrb_err *err)
{
    (void)arg;
    (void)err;
    if (!rec || !pos)
        __builtin_trap();
    sink_bytes += (size_t)pos->index + (rec->dedupe_key ? strlen(rec->dedupe_key) : 0);
    return 0;
}

static void on_problem(void *arg, long long line, long long offset, const char *text)
{
    (void)arg;
    if (!text)
        __builtin_trap();
    sink_bytes += (size_t)line + (size_t)offset;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {"fuzz.json",
                                        "namespace=AWS%2FLambda/FunctionName=f/period=60/"
                                        "stat=Sum/metric=Invocations.json"};
    mrb_err err;
    const char *head;

    if (size < 1)
        return 0;
    source *src = source_open_mem(data + 1, size - 1, 1, &err);
    reader *r = reader_new(src, FUZZ_MAX_LINE);
    row_sink sink = {.xray_segment = on_segment, .xray_trace = on_trace, .cw_point = on_point,
                     .ddb_record = on_record, .problem = on_problem};
    shape_hints hints = {paths[data[0] & 1], NULL};

    mrb_err_clear(&err);
    long n = reader_peek(r, SHAPE_HEAD_BYTES, &head, &err);
    const row_shape *sh = n > 0 ? shape_sniff_rows(head, (size_t)n) : NULL;
    if (sh)
        (void)sh->decode(r, &hints, &sink, &err);
    reader_free(r);
    source_close(src);
    return 0;
}
