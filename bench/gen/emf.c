/* emf.c — mrb-gen: EMF documents, Lambda Insights events, REPORT lines
 * and the message of the slot's current event. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* Hundredths as a number: "12.34", "12.3", and "13.0" when with_zero (Python,
 * Kotlin) or "13" (JavaScript, Go). */
static void b_num_cs(buf *b, long cs, int with_zero)
{
    b_num(b, cs / 100, 1);
    if (cs % 100 == 0) {
        if (with_zero)
            b_str(b, ".0");
        return;
    }
    b_chr(b, '.');
    if (cs % 10)
        b_num(b, cs % 100, 2);
    else
        b_num(b, cs % 100 / 10, 1);
}

/* A metric value list: "[v]" or "[v1,v2]" for Powertools Python (always an
 * array), the bare number or an array for JavaScript and hand-written EMF. */
static void b_values(buf *b, const long *cs, int n, int python)
{
    if (n > 1 || python)
        b_chr(b, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            b_chr(b, ',');
        b_num_cs(b, cs[i], python || s_kotlin_zero);
    }
    if (n > 1 || python)
        b_chr(b, ']');
}

/* The database calls of an invocation, in hundredths of ms: a Scan of more
 * than 25 items reads two pages. Returns how many (0 without a call). */
static int db_calls(const invoc *v, long cs[2])
{
    if (!v->rt->db_op)
        return 0;
    if (!strcmp(v->rt->db_op, "Scan") && v->n_items > 25) {
        cs[0] = (long)v->db_ms * 60;
        cs[1] = (long)v->db_ms * 100 - cs[0];
        return 2;
    }
    cs[0] = (long)v->db_ms * 100;
    return 1;
}

static void b_aws_head(buf *b, long long ts, const char *ns)
{
    b_str(b, g_emf_plain ? "{\"_AWS\":{\"Timestamp\":" : "{\"_aws\":{\"Timestamp\":");
    b_num(b, ts, 1);
    b_lit_str(b, ",\"CloudWatchMetrics\":[{\"Namespace\":\"", ns);
    b_str(b, "\",\"Dimensions\":");
}

/* The EMF document of the current EV_EMF_COLD / EV_EMF event, without any
 * prefix or newline (FORMATS.md §5): Powertools for Python and TypeScript,
 * hand-written documents from Go and Kotlin. */
void b_emf_doc(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    const fn_spec *f = s->p->spec;
    int py = f->rt == RT_PYTHON, node = f->rt == RT_NODE;
    long lat = v->dur_cs, items = (long)(v->status == 404 ? 0 : v->n_items) * 100, db[2];
    int n_db = db_calls(v, db);

    s_kotlin_zero = f->rt == RT_KOTLIN;
    if (s->kind == EV_EMF_COUNT) {
        b_aws_head(b, s->ts, "Benchmark");
        b_str(b, "[[\"route\",\"status\"]],\"Metrics\":[{\"Name\":\"Requests\",\"Unit\":"
                 "\"Count\"}]}]},\"route\":\"");
        b_str(b, v->rt->method);
        b_chr(b, ' ');
        b_str(b, v->rt->path);
        if (v->rt->has_id)
            b_str(b, "{id}");
        b_lit_num(b, "\",\"status\":\"", v->status);
        b_str(b, py ? "\",\"Requests\":[1.0]}" : "\",\"Requests\":1}");
        return;
    }
    if (s->kind == EV_EMF_COLD) {
        b_aws_head(b, s->ts, "Benchmark");
        b_str(b, py ? "[[\"function_name\",\"service\"]]" : "[[\"service\",\"function_name\"]]");
        b_lit_str(b, ",\"Metrics\":[{\"Name\":\"ColdStart\",\"Unit\":\"Count\"}]}]},",
                     py ? "\"function_name\":\"" : "\"service\":\"benchmark-api\",\"function_name\":\"");
        b_str(b, f->name);
        b_str(b, py ? "\",\"service\":\"benchmark-api\",\"ColdStart\":[1.0]}" : "\",\"ColdStart\":1}");
        return;
    }
    b_aws_head(b, s->ts, "Benchmark");
    if (py || node) {
        b_str(b, "[[\"service\"]],\"Metrics\":[{\"Name\":\"HandlerLatency\",\"Unit\":"
                 "\"Milliseconds\"},{\"Name\":\"ItemsReturned\",\"Unit\":\"Count\"}");
        if (n_db)
            b_str(b, ",{\"Name\":\"DbCallLatency\",\"Unit\":\"Milliseconds\"}");
        b_str(b, "]}]},\"service\":\"benchmark-api\",\"HandlerLatency\":");
        b_values(b, &lat, 1, py);
        b_str(b, ",\"ItemsReturned\":");
        b_values(b, &items, 1, py);
        if (n_db) {
            b_str(b, ",\"DbCallLatency\":");
            b_values(b, db, n_db, py);
        }
        b_chr(b, '}');
        return;
    }
    b_str(b, f->rt == RT_GO ? "[[\"function\"],[\"function\",\"route\"]]" : "[[\"function\"]]");
    b_str(b, ",\"Metrics\":[{\"Name\":\"HandlerLatency\",\"Unit\":\"Milliseconds\"},"
             "{\"Name\":\"ItemsReturned\",\"Unit\":\"Count\"");
    b_str(b, f->rt == RT_GO ? ",\"StorageResolution\":1}]}]},\"function\":\"" : "}]}]},\"function\":\"");
    b_str(b, f->name);
    if (f->rt == RT_GO) {
        b_lit_str(b, "\",\"route\":\"", v->rt->method);
        b_chr(b, ' ');
        b_str(b, v->rt->path);
        if (v->rt->has_id)
            b_str(b, "{id}");
    }
    b_lit_str(b, "\",\"requestId\":\"", v->rid);
    b_str(b, "\",\"HandlerLatency\":");
    b_values(b, &lat, 1, 0);
    b_str(b, ",\"ItemsReturned\":");
    b_values(b, &items, 1, 0);
    b_chr(b, '}');
}

/* The Lambda Insights performance event of the invocation (FORMATS.md §5),
 * compact, as the extension writes it to /aws/lambda-insights. */
static void b_insights(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    long dur_ms = ceil_cs(v->dur_cs), cpu = dur_ms * 8 / 10 + 1, items = v->n_items;
    long rx = 600 + items * 180, tx = 900 + items * 150;

    s_kotlin_zero = 0;
    b_aws_head(b, s->ts, "LambdaInsights");
    b_str(b, "[[\"function_name\"],[\"function_name\",\"version\"]],\"Metrics\":["
             "{\"Name\":\"memory_utilization\",\"Unit\":\"Percent\"},"
             "{\"Name\":\"total_memory\",\"Unit\":\"Megabytes\"},"
             "{\"Name\":\"used_memory_max\",\"Unit\":\"Megabytes\"},"
             "{\"Name\":\"cpu_total_time\",\"Unit\":\"Milliseconds\"},"
             "{\"Name\":\"tx_bytes\",\"Unit\":\"Bytes\"},"
             "{\"Name\":\"rx_bytes\",\"Unit\":\"Bytes\"},"
             "{\"Name\":\"total_network\",\"Unit\":\"Bytes\"}");
    if (v->cold)
        b_str(b, ",{\"Name\":\"init_duration\",\"Unit\":\"Milliseconds\"}");
    b_str(b, "]}],\"LambdaInsights\":{\"ShareTelemetry\":true}},\"event_type\":\"performance\","
             "\"function_name\":\"");
    b_str(b, s->p->spec->name);
    b_lit_str(b, "\",\"version\":\"$LATEST\",\"request_id\":\"", v->rid);
    b_lit_str(b, "\",\"trace_id\":\"", v->trace);
    b_lit_num(b, "\",\"duration\":", dur_ms);
    b_lit_num(b, ",\"billed_duration\":", v->billed);
    b_lit_num(b, ",\"billed_mb_ms\":", v->billed * 512);
    if (v->cold) {
        b_lit_num(b, ",\"cold_start\":true,\"init_duration\":", ceil_cs(v->init_cs));
    }
    b_lit_num(b, ",\"tmp_free\":538329088,\"tmp_max\":551346176,\"threads_max\":",
                 s->p->spec->rt == RT_GO ? 7 : 11);
    b_lit_num(b, ",\"used_memory_max\":", v->mem);
    b_lit_num(b, ",\"total_memory\":512,\"memory_utilization\":", v->mem * 100 / 512);
    b_lit_num(b, ",\"cpu_user_time\":", cpu - cpu / 10);
    b_lit_num(b, ",\"cpu_system_time\":", cpu / 10);
    b_lit_num(b, ",\"cpu_total_time\":", cpu);
    b_lit_num(b, ",\"fd_use\":416,\"fd_max\":32642,\"tx_bytes\":", tx);
    b_lit_num(b, ",\"rx_bytes\":", rx);
    if (v->outcome == OUT_TIMEOUT)
        b_str(b, ",\"timeout\":true,\"shutdown_reason\":\"Timeout\"");
    b_lit_num(b, ",\"total_network\":", rx + tx);
    b_str(b, ",\"agent_version\":\"1.0.333.0\",\"agent_memory_avg\":10,\"agent_memory_max\":10}");
}

static void b_report(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    b_lit_str(b, "REPORT RequestId: ", v->rid);
    b_lit_cs(b, "\tDuration: ", v->dur_cs);
    b_lit_num(b, " ms\tBilled Duration: ", v->billed);
    b_lit_num(b, " ms\tMemory Size: 512 MB\tMax Memory Used: ", v->mem);
    b_str(b, " MB\t");
    if (v->cold) {
        b_lit_cs(b, "Init Duration: ", v->init_cs);
        b_str(b, " ms\t");
    }
    if (v->outcome == OUT_TIMEOUT)
        b_str(b, "Status: timeout\t");
    else if (v->outcome == OUT_OOM)
        b_str(b, "Status: error\tError Type: Runtime.OutOfMemory\t");
    b_lit_str(b, "XRAY TraceId: ", v->trace);
    b_lit_str(b, "\tSegmentId: ", v->segment);
    b_str(b, "\tSampled: true\t\n");
}

/* The message of the slot's current event, with its trailing newline. */
void b_message(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    switch (s->kind) {
    case EV_INIT_START:
        b_lit_str(b, "INIT_START Runtime Version: ", s->p->spec->rt_version);
        b_lit_str(b, "\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:", s->p->arn_hex);
        b_chr(b, '\n');
        break;
    case EV_START:
        b_lit_str(b, "START RequestId: ", v->rid);
        b_str(b, " Version: $LATEST\n");
        break;
    case EV_APP:
        b_app_line(b, s, s->app_i);
        break;
    case EV_TIMEOUT:
        b_iso(b, s->ts);
        b_chr(b, ' ');
        b_str(b, v->rid);
        b_lit_cs(b, " Task timed out after ", (v->dur_cs + 500) / 1000);
        b_str(b, " seconds\n");
        break;
    case EV_END:
        b_lit_str(b, "END RequestId: ", v->rid);
        b_chr(b, '\n');
        break;
    case EV_REPORT:
        b_report(b, s);
        break;
    case EV_OOM_EXIT:
        b_lit_str(b, "RequestId: ", v->rid);
        b_str(b, " Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n");
        break;
    case EV_EMF_COLD:
    case EV_EMF:
    case EV_EMF_COUNT:
        /* console.log (Powertools TypeScript) gets the runtime's prefix */
        if (s->p->spec->rt == RT_NODE) {
            b_iso(b, s->ts);
            b_chr(b, '\t');
            b_str(b, v->rid);
            b_str(b, "\tINFO\t");
        }
        b_emf_doc(b, s);
        b_chr(b, '\n');
        break;
    case EV_INSIGHTS:
        b_insights(b, s);
        break;
    default:
        die("internal: no current event");
    }
}
