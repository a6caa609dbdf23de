/* event.c — mrb-gen: the text of the plain events (platform lines and
 * application lines of each runtime), and the ids every shape gives an
 * event. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

static void b_path(buf *b, const invoc *v)
{
    b_str(b, v->rt->path);
    if (v->rt->has_id)
        b_str(b, v->item);
}

/* The text of an application line, without any runtime prefix. */
void b_app_text(buf *b, const slot *s, int kind)
{
    const invoc *v = &s->inv;
    const fn_spec *f = s->p->spec;
    if (kind == APP_SUMMARY) {
        if (f->rt == RT_KOTLIN) {
            if (v->outcome != OUT_OK) {
                b_str(b, "Processing: ");
            } else {
                b_num(b, v->status, 1);
                b_chr(b, ' ');
                b_str(b, status_text(v->status));
                b_str(b, ": ");
            }
            b_str(b, v->rt->method);
            b_str(b, " - ");
            b_path(b, v);
            if (v->outcome == OUT_OK) {
                b_lit_num(b, " in ", v->dur_cs > 150 ? (v->dur_cs - 50) / 100 : 1);
                b_str(b, "ms");
            }
            return;
        }
        b_str(b, v->rt->method);
        b_chr(b, ' ');
        b_path(b, v);
        if (f->rt != RT_PYTHON && v->outcome == OUT_OK) {
            b_chr(b, ' ');
            b_num(b, v->status, 1);
            if (f->rt == RT_GO) {
                long d10 = v->dur_cs > 20 ? (v->dur_cs - 10) / 10 : 1; /* tenths of ms */
                b_chr(b, ' ');
                b_num(b, d10 / 10, 1);
                b_chr(b, '.');
                b_num(b, d10 % 10, 1);
                b_str(b, "ms");
            }
        }
    } else if (kind == APP_DB && v->rt->db_op) {
        b_lit_str(b, "DynamoDB ", v->rt->db_op);
        b_lit_num(b, " dev-benchmark-items: ", v->status == 404 ? 0 : v->n_items);
        b_str(b, v->n_items == 1 ? " item in " : " items in ");
        b_num(b, v->db_ms, 1);
        b_str(b, " ms");
    } else if (kind == APP_DB) {
        b_str(b, v->rt->path[1] == 'h' ? "health check: dynamodb ok in " : "collected metrics in ");
        b_num(b, v->db_ms, 1);
        b_str(b, " ms");
    } else if (v->rt->ok_status == 201 || !strcmp(v->rt->method, "PUT")) {
        b_lit_num(b, "validated request body: ", 120 + v->n_items * 7);
        b_str(b, " bytes");
    } else if (v->rt->db_op) {
        b_str(b, "cache miss: ");
        b_path(b, v);
    } else {
        b_str(b, "api key accepted: usage plan benchmark");
    }
}

void b_app_line(buf *b, const slot *s, int i)
{
    const invoc *v = &s->inv;
    int kind = v->app_kind[i];
    long long t = v->t_app[i];
    int warn = kind == APP_SUMMARY && v->status == 404;

    switch (s->p->spec->rt) {
    case RT_PYTHON:
        b_lit_str(b, "{\"level\":\"", warn ? "WARNING" : "INFO");
        b_lit_str(b, "\",\"location\":\"",
                     kind == APP_SUMMARY ? "handler:42" : kind == APP_DB ? "repository:27" : "middleware:18");
        b_str(b, "\",\"message\":\"");
        b_app_text(b, s, kind);
        b_str(b, "\",\"timestamp\":\"");
        b_date(b, '-');
        b_chr(b, ' ');
        b_clock(b, t, ',');
        b_lit_str(b, "+0000\",\"service\":\"benchmark-api\",\"cold_start\":",
                     v->cold ? "true" : "false");
        b_lit_str(b, ",\"function_name\":\"", s->p->spec->name);
        b_lit_str(b, "\",\"function_memory_size\":512,\"function_request_id\":\"", v->rid);
        b_lit_str(b, "\",\"xray_trace_id\":\"", v->trace);
        b_str(b, "\"}");
        break;
    case RT_NODE:
        b_iso(b, t);
        b_chr(b, '\t');
        b_str(b, v->rid);
        b_str(b, warn ? "\tWARN\t" : "\tINFO\t");
        b_app_text(b, s, kind);
        break;
    case RT_GO:
        b_date(b, '/');
        b_chr(b, ' ');
        b_clock(b, t, 0);
        b_chr(b, ' ');
        b_app_text(b, s, kind);
        break;
    default:
        b_clock(b, t, '.');
        b_str(b, warn ? " [main] WARN  " : " [main] INFO  ");
        b_str(b, kind == APP_SUMMARY ? "Application - " : kind == APP_DB ? "ItemRepository - " : "RequestFilter - ");
        b_app_text(b, s, kind);
        break;
    }
    b_chr(b, '\n');
}

/* A hash that identifies the slot's current event: the source of its
 * eventId, ingestion time and Insights @ptr in every shape. */
uint64_t event_hash(const slot *s)
{
    return mix2(mix2(s->p->seed, (uint64_t)s->index), s->seq);
}

/* The 56-digit eventId of an event with hash h. */
void b_event_id(buf *b, uint64_t h)
{
    b_num(b, (long long)(h % 1000000000000000000ULL), 18);
    b_num(b, (long long)(mix2(h, 1) % 1000000000000000000ULL), 19);
    b_num(b, (long long)(mix2(h, 2) % 1000000000000000000ULL), 19);
}

long long ingestion_ms(const slot *s, uint64_t h)
{
    return s->ts + 150 + (long long)(h % 450);
}
