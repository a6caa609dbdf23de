/* shape_cli.c — mrb-gen: the cli-json shape (aws logs filter-log-events). */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* One element of "events", indented as `aws` prints it, without the
 * separator before it. */
static void cli_event(buf *b, const slot *s)
{
    buf m;
    uint64_t h = event_hash(s);
    m.n = 0;
    b_message(&m, s);
    b->n = 0;
    b_lit_str(b, "        {\n            \"logStreamName\": \"", s->stream);
    b_lit_num(b, "\",\n            \"timestamp\": ", s->ts);
    b_str(b, ",\n            \"message\": \"");
    b_json_escaped(b, m.s, m.n);
    b_lit_num(b, "\",\n            \"ingestionTime\": ", ingestion_ms(s, h));
    b_str(b, ",\n            \"eventId\": \"");
    b_event_id(b, h);
    b_str(b, "\"\n        }");
}

/* Writes one CLI document holding the events of plans[0..n) in time order. */
long long cli_doc(plan *plans, int n, const char *path, sink *k)
{
    merge m;
    long long before = k->total;
    buf b;
    int first = 1;
    merge_init(&m, plans, n);
    if (path)
        sink_open_file(k, path);
    sink_write(k, "{\n    \"events\": [", 17);
    while (merge_top(&m)) {
        const slot *s = merge_top(&m);
        cli_event(&b, s);
        sink_write(k, first ? "\n" : ",\n", first ? 1 : 2);
        sink_write(k, b.s, b.n);
        first = 0;
        merge_pop(&m);
    }
    if (!first)
        sink_write(k, "\n    ", 5);
    sink_write(k, "],\n    \"searchedLogStreams\": []\n}\n", 34);
    sink_close(k);
    merge_free(&m);
    return k->total - before;
}

/* Writes the cli-json shape; only counts its bytes (as one document) when
 * o->out is NULL. */
long long write_cli(plan *plans, const opts *o)
{
    sink k = {0};
    char dir[4096], path[4096];
    long long total = 0;
    if (!o->out)
        return cli_doc(plans, N_FN, NULL, &k);
    path_join(dir, sizeof dir, o->out, "cli-json");
    mkdirs(dir);
    if (o->single_doc) {
        path_join(path, sizeof path, dir, "all.json");
        total = cli_doc(plans, N_FN, path, &k);
    } else {
        for (int f = 0; f < N_FN; f++) {
            char name[256];
            snprintf(name, sizeof name, "%s.json", plans[f].spec->name);
            path_join(path, sizeof path, dir, name);
            total += cli_doc(&plans[f], 1, path, &k);
        }
    }
    if (o->emf) {
        path_join(path, sizeof path, dir, INSIGHTS_NAME ".json");
        g_insights = 1;
        total += cli_doc(plans, N_FN, path, &k);
        g_insights = 0;
    }
    return total;
}
