/* shape_insights.c — mrb-gen: the insights shape (Logs Insights
 * get-query-results documents). */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* Hundredths as Java's Double.toString prints them: "12.34", "12.3", "13.0". */
static void b_java_cs(buf *b, long cs)
{
    b_num(b, cs / 100, 1);
    b_chr(b, '.');
    if (cs % 10)
        b_num(b, cs % 100, 2);
    else
        b_num(b, cs % 100 / 10, 1);
}

/* MB as Insights shows @memorySize: bytes (MB x 1,000,000) as Java's
 * Double.toString, scientific from 1e7 up: 512 -> "5.12E8", 87 -> "8.7E7". */
static void b_java_mb(buf *b, long mb)
{
    char d[24];
    int n = snprintf(d, sizeof d, "%ld", mb), last = n;
    if (mb < 10) {
        b_num(b, mb * 1000000L, 1);
        b_str(b, ".0");
        return;
    }
    while (last > 1 && d[last - 1] == '0')
        last--;
    b_chr(b, d[0]);
    b_chr(b, '.');
    if (last > 1)
        b_mem(b, d + 1, (size_t)(last - 1));
    else
        b_chr(b, '0');
    b_chr(b, 'E');
    b_num(b, n - 1 + 6, 1);
}

/* One {field, value} of a result row, indented as `aws` prints it. */
static void ins_field(buf *b, const char *field, const char *value, size_t n, int last)
{
    b_lit_str(b, "            {\n                \"field\": \"", field);
    b_str(b, "\",\n                \"value\": \"");
    b_json_escaped(b, value, n);
    b_str(b, last ? "\"\n            }\n" : "\"\n            },\n");
}

static void ins_field_buf(buf *b, const char *field, const buf *v, int last)
{
    ins_field(b, field, v->s, v->n, last);
}

/* An Insights results file being written. */
typedef struct ins_out {
    sink k;
    long rows;
} ins_out;

static void ins_row(ins_out *w, const buf *row)
{
    sink_write(&w->k, w->rows ? ",\n        [\n" : "\n        [\n", w->rows ? 12 : 11);
    sink_write(&w->k, row->s, row->n);
    sink_write(&w->k, "        ]", 9);
    w->rows++;
}

static void ins_end(ins_out *w, long long scanned, long long bytes)
{
    buf b = {.n = 0};
    b_str(&b, w->rows ? "\n    ],\n" : "],\n");
    b_str(&b, "    \"statistics\": {\n        \"recordsMatched\": ");
    b_num(&b, w->rows, 1);
    b_str(&b, ".0,\n        \"recordsScanned\": ");
    b_num(&b, scanned, 1);
    b_str(&b, ".0,\n        \"bytesScanned\": ");
    b_num(&b, bytes, 1);
    b_str(&b, ".0\n    },\n    \"status\": \"Complete\"\n}\n");
    sink_write(&w->k, b.s, b.n);
    sink_close(&w->k);
}

/* `aws logs get-query-results` of two queries per log group, sorted by
 * @timestamp ascending: DIR/insights/<fn>-messages.json (every event) and
 * DIR/insights/<fn>-reports.json (REPORT events, the discovered fields). */
long long write_insights(plan *plans, const opts *o)
{
    char dir[4096], path[4096];
    long long total = 0;
    if (o->out) {
        path_join(dir, sizeof dir, o->out, "insights");
        mkdirs(dir);
    }
    for (int f = 0; f < N_FN + o->emf; f++) {
        ins_out msg = {0}, rep = {0};
        merge mg;
        long long events = 0, bytes = 0;
        buf log = {.n = 0};
        int ins = f == N_FN; /* /aws/lambda-insights: messages only (it has no REPORT) */
        const char *name = ins ? INSIGHTS_NAME : plans[f].spec->name;
        b_str(&log, ins ? "123456789012:/aws/" : "123456789012:/aws/lambda/");
        b_str(&log, name);
        if (o->out) {
            path_fn(path, sizeof path, dir, name, "-messages.json");
            sink_open_file(&msg.k, path);
            if (!ins) {
                path_fn(path, sizeof path, dir, name, "-reports.json");
                sink_open_file(&rep.k, path);
            }
        }
        sink_write(&msg.k, "{\n    \"results\": [", 18);
        sink_write(&rep.k, "{\n    \"results\": [", 18);
        g_insights = ins;
        merge_init(&mg, ins ? plans : &plans[f], ins ? N_FN : 1);
        while (merge_top(&mg)) {
            const slot *s = merge_top(&mg);
            const invoc *v = &s->inv;
            uint64_t h = event_hash(s);
            buf m, ts, ptr, row;
            char raw[72];
            m.n = ts.n = row.n = 0;
            b_message(&m, s);
            b_date(&ts, '-');
            b_chr(&ts, ' ');
            b_clock(&ts, s->ts, '.');
            for (int i = 0; i < 9; i++) {
                uint64_t x = mix2(h, 16 + (uint64_t)i);
                memcpy(raw + 8 * i, &x, 8);
            }
            raw[0] = 0x0a;
            raw[1] = 0x46;
            ptr.n = base64(ptr.s, raw, sizeof raw);
            events++;
            bytes += (long long)m.n;

            ins_field_buf(&row, "@timestamp", &ts, 0);
            ins_field_buf(&row, "@message", &m, 0);
            ins_field(&row, "@logStream", s->stream, strlen(s->stream), 0);
            ins_field_buf(&row, "@log", &log, 0);
            ins_field_buf(&row, "@ptr", &ptr, 1);
            ins_row(&msg, &row);

            if (s->kind == EV_REPORT) {
                buf x;
                x.n = row.n = 0;
                ins_field_buf(&row, "@timestamp", &ts, 0);
                ins_field(&row, "@requestId", v->rid, strlen(v->rid), 0);
                b_java_cs(&x, v->dur_cs);
                ins_field_buf(&row, "@duration", &x, 0);
                x.n = 0;
                b_num(&x, v->billed, 1);
                b_str(&x, ".0");
                ins_field_buf(&row, "@billedDuration", &x, 0);
                x.n = 0;
                b_java_mb(&x, 512);
                ins_field_buf(&row, "@memorySize", &x, 0);
                x.n = 0;
                b_java_mb(&x, v->mem);
                ins_field_buf(&row, "@maxMemoryUsed", &x, 0);
                if (v->cold) {
                    x.n = 0;
                    b_java_cs(&x, v->init_cs);
                    ins_field_buf(&row, "@initDuration", &x, 0);
                }
                ins_field(&row, "@logStream", s->stream, strlen(s->stream), 0);
                ins_field_buf(&row, "@log", &log, 0);
                ins_field_buf(&row, "@ptr", &ptr, 1);
                ins_row(&rep, &row);
            }
            merge_pop(&mg);
        }
        merge_free(&mg);
        g_insights = 0;
        ins_end(&msg, events, bytes);
        ins_end(&rep, events, bytes);
        total += msg.k.total + (ins ? 0 : rep.k.total);
    }
    return total;
}
