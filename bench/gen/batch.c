/* batch.c — mrb-gen: subscription filter batches (DATA_MESSAGE
 * documents), shared by the firehose, awslogs and kinesis shapes. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* Adds the slot's current event to its batch. */
static void batch_event(batch *bt, const slot *s)
{
    buf b, m;
    uint64_t h = event_hash(s);
    if (bt->n == 0) {
        uint64_t r = mix2(mix2(mix2(s->p->seed, (uint64_t)s->index), 0xba7c4), (uint64_t)bt->no);
        bt->no++;
        bt->target = 1 + (long)(r % 50);
        bt->deadline = s->ts + 1000 + (long long)(mix2(r, 1) % 9000);
        bt->stream_no = s->stream_no;
        memcpy(bt->stream, s->stream, sizeof bt->stream);
        sb_reset(&bt->events);
    } else {
        sb_add(&bt->events, ",", 1);
    }
    m.n = 0;
    b_message(&m, s);
    b.n = 0;
    b_str(&b, "{\"id\":\"");
    b_event_id(&b, h);
    b_str(&b, "\",\"timestamp\":");
    b_num(&b, s->ts, 1);
    b_str(&b, ",\"message\":\"");
    b_json_escaped(&b, m.s, m.n);
    b_str(&b, "\"}");
    sb_add(&bt->events, b.s, b.n);
    bt->n++;
}

/* The compact DATA_MESSAGE document of a batch into d (replacing it). */
void batch_doc(sb *d, const plan *p, const batch *bt, const char *filter)
{
    sb_reset(d);
    sb_adds(d, "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"/aws/");
    sb_adds(d, g_insights ? INSIGHTS_NAME : "lambda/");
    if (!g_insights)
        sb_adds(d, p->spec->name);
    sb_adds(d, "\",\"logStream\":\"");
    sb_adds(d, bt->stream);
    sb_adds(d, "\",\"subscriptionFilters\":[\"");
    sb_adds(d, filter);
    sb_adds(d, "\"],\"logEvents\":[");
    sb_add(d, bt->events.buf, bt->events.len);
    sb_adds(d, "]}");
}

/* Calls emit for every batch of the slots of plans[0..n), in the order
 * they are sent. A heap merge like cli_doc, keyed by the earlier of a
 * slot's next event and its open batch's deadline, so memory holds only
 * the open batches of running environments. */
void batch_run(plan *plans, int n, batch_fn emit, void *ctx)
{
    merge m;
    merge_init(&m, plans, n);
    batch *bts = xcalloc((size_t)m.n_slots, sizeof *bts);
    while (merge_top(&m)) {
        slot *s = merge_top(&m);
        batch *bt = &bts[s->ord];
        if (bt->n > 0 && (s->kind == EV_DONE || s->key < s->ts || s->stream_no != bt->stream_no)) {
            emit(ctx, s->p, bt, s->key);
            bt->n = 0;
        } else {
            long long t = s->ts;
            batch_event(bt, s);
            slot_advance(s);
            if (bt->n == bt->target) {
                emit(ctx, s->p, bt, t);
                bt->n = 0;
            }
        }
        if (s->kind == EV_DONE && bt->n == 0) {
            sb_release(&bt->events);
            m.h.a[0] = m.h.a[--m.h.n];
        } else if (bt->n > 0 && (s->kind == EV_DONE || bt->deadline < s->ts)) {
            s->key = bt->deadline;
        } else {
            s->key = s->ts;
        }
        heap_down(&m.h, 0);
    }
    free(bts);
    merge_free(&m);
}
