/* shape_ndjson.c — mrb-gen: the ndjson shape (jq -c '.events[]'). */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* `jq -c '.events[]'` of one filter-log-events document: DIR/ndjson/<fn>.ndjson. */
long long write_ndjson(plan *plans, const opts *o)
{
    sink k = {0};
    char dir[4096], path[4096];
    buf b, m;
    if (o->out) {
        path_join(dir, sizeof dir, o->out, "ndjson");
        mkdirs(dir);
    }
    for (int f = 0; f < N_FN + o->emf; f++) {
        merge mg;
        int ins = f == N_FN; /* /aws/lambda-insights, after the functions */
        g_insights = ins;
        merge_init(&mg, ins ? plans : &plans[f], ins ? N_FN : 1);
        if (o->out) {
            path_fn(path, sizeof path, dir, ins ? INSIGHTS_NAME : plans[f].spec->name, ".ndjson");
            sink_open_file(&k, path);
        }
        while (merge_top(&mg)) {
            const slot *s = merge_top(&mg);
            uint64_t h = event_hash(s);
            m.n = 0;
            b_message(&m, s);
            b.n = 0;
            b_str(&b, "{\"logStreamName\":\"");
            b_str(&b, s->stream);
            b_str(&b, "\",\"timestamp\":");
            b_num(&b, s->ts, 1);
            b_str(&b, ",\"message\":\"");
            b_json_escaped(&b, m.s, m.n);
            b_str(&b, "\",\"ingestionTime\":");
            b_num(&b, ingestion_ms(s, h), 1);
            b_str(&b, ",\"eventId\":\"");
            b_event_id(&b, h);
            b_str(&b, "\"}\n");
            sink_write(&k, b.s, b.n);
            merge_pop(&mg);
        }
        sink_close(&k);
        merge_free(&mg);
        g_insights = 0;
    }
    return k.total;
}
