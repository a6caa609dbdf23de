/* shape_s3.c — mrb-gen: the s3-export shape (CreateExportTask parts). */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* One event as an export line: "<ISO> <message>" (the message keeps its
 * newline, so events are separated by blank lines). With json, the message
 * is the LogFormat=JSON one; b->n is 0 when that format has no such event. */
static void s3_event(buf *b, const slot *s, int json)
{
    buf m;
    b->n = 0;
    m.n = 0;
    if (json)
        b_message_json(&m, s);
    else
        b_message(&m, s);
    if (m.n == 0)
        return;
    b_iso(b, s->ts);
    b_chr(b, ' ');
    b_mem(b, m.s, m.n);
    b_chr(b, '\n');
}

/* Writes (or, when fn_dir is NULL, only counts) every stream of one slot
 * under fn_dir/<stream>/: the s3-export shape, or jsonlog with json. */
static void s3_slot(slot *s, sink *k, const char *fn_dir, long long part_max, int level, int json)
{
    buf b;
    long stream_no = 0, part = 0;
    char dir[4096];
    for (; s->kind != EV_DONE; slot_advance(s)) {
        s3_event(&b, s, json);
        if (b.n == 0)
            continue;
        if (fn_dir && (s->stream_no != stream_no ||
                       (k->part_bytes > 0 && k->part_bytes + (long long)b.n > part_max))) {
            sink_close(k);
            part = s->stream_no != stream_no ? 0 : part + 1;
            stream_no = s->stream_no;
            path_join(dir, sizeof dir, fn_dir, s->stream);
            sink_open_gz(k, dir, part, level);
        }
        sink_write(k, b.s, b.n);
    }
    sink_close(k);
}

/* Writes every slot of plans[0..n) as one export task: the parts go under
 * DIR/<top>/<name>/<task>/ (only counted when o->out is NULL). json: the
 * LogFormat=JSON messages. */
void s3_task(plan *plans, int n, sink *k, const opts *o, const char *top, const char *name,
             const char *task, int json)
{
    char dir[4096], rel[512], fn_dir[4096];
    if (o->out) {
        path_join(dir, sizeof dir, o->out, top);
        snprintf(rel, sizeof rel, "%s/%s", name, task);
        path_join(fn_dir, sizeof fn_dir, dir, rel);
    }
    for (int f = 0; f < n; f++)
        for (long i = 0; i < plans[f].n_slots; i++) {
            slot s;
            slot_init(&s, &plans[f], i, 0);
            s3_slot(&s, k, o->out ? fn_dir : NULL, o->part_mb * MIB, o->level, json);
        }
}

/* Writes the s3-export shape; only counts its bytes when o->out is NULL. */
long long write_s3(plan *plans, const opts *o)
{
    sink k = {0};
    for (int f = 0; f < N_FN; f++)
        s3_task(&plans[f], 1, &k, o, "s3-export", plans[f].spec->name, plans[f].task_id, 0);
    if (o->emf) { /* the export of /aws/lambda-insights: every function's streams */
        char task[37];
        rng r;
        rng_seed(&r, mix2(plans[0].seed, hash_str("task-insights")));
        rng_uuid(&r, task);
        g_insights = 1;
        s3_task(plans, N_FN, &k, o, "s3-export", INSIGHTS_NAME, task, 0);
        g_insights = 0;
    }
    return k.total;
}
