/* fuzz_common.c — what the stream harnesses share: decode a buffer with a
 * shape (through source and reader, as ingest does) into a sink that runs
 * the per-message parsers over every event. */
#include "fuzz_common.h"

#include "mrb/emf.h"
#include "mrb/lambda_json.h"
#include "mrb/lambda_line.h"
#include "mrb/source.h"

static volatile size_t sink_bytes;

static int on_value(void *arg, const emf_value *v)
{
    (void)arg;
    sink_bytes += (size_t)v->seq;
    return 0;
}

static int on_event(void *arg, const log_event *ev, mrb_err *err)
{
    lambda_record rec;
    lambda_json_doc doc = {NULL};
    emf_result res;

    (void)arg;
    (void)err;
    if (!ev->msg && ev->msg_len)
        __builtin_trap();
    sink_bytes += ev->msg_len + (size_t)ev->ts_ms;
    if (lambda_parse(ev->msg, ev->msg_len, &rec) == LAMBDA_OTHER)
        (void)lambda_json_parse(ev->msg, ev->msg_len, &rec, &doc);
    lambda_json_doc_release(&doc);
    if (emf_maybe(ev->msg, ev->msg_len))
        (void)emf_extract(ev->msg, ev->msg_len, on_value, NULL, &res);
    return 0;
}

static void on_problem(void *arg, long long line, long long offset, const char *text)
{
    (void)arg;
    if (!text || (line <= 0 && offset < 0 && line != 0))
        __builtin_trap();
    sink_bytes += (size_t)line + (size_t)offset;
}

void fuzz_decode(const uint8_t *data, size_t size, const shape *sh)
{
    mrb_err err;
    const char *head;
    source *src = source_open_mem(data, size, 1, &err);
    reader *r = reader_new(src, FUZZ_MAX_LINE);
    event_sink sink = {on_event, on_problem, NULL, NULL};
    shape_hints hints = {"fuzz.log", "fuzz-stream"};

    mrb_err_clear(&err);
    long n = reader_peek(r, SHAPE_HEAD_BYTES, &head, &err);
    if (n > 0) {
        if (!sh)
            sh = shape_sniff(head, (size_t)n);
        if (sh)
            (void)sh->decode(r, &hints, &sink, &err);
    }
    reader_free(r);
    source_close(src);
}
