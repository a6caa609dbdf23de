/* event_json.c — mrb-gen: the messages of functions with LogFormat=JSON
 * and JSON string escaping. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* A JSON string body (no quotes) escaped as Python's json module does. */
void b_json_escaped(buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': b_mem(b, "\\\"", 2); break;
        case '\\': b_mem(b, "\\\\", 2); break;
        case '\n': b_mem(b, "\\n", 2); break;
        case '\r': b_mem(b, "\\r", 2); break;
        case '\t': b_mem(b, "\\t", 2); break;
        case '\b': b_mem(b, "\\b", 2); break;
        case '\f': b_mem(b, "\\f", 2); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                b_mem(b, u, 6);
            } else {
                b_chr(b, (char)c);
            }
        }
    }
}

/* The start of a Telemetry API platform event, up to the record's "{". */
/* The head of a platform record of type, up to its record's first member:
 * the request id when rid is not NULL (then the caller starts with ','). */
static void b_platform(buf *b, const slot *s, const char *type, const char *rid)
{
    b_str(b, "{\"time\":\"");
    b_iso(b, s->ts);
    b_lit_str(b, "\",\"type\":\"platform.", type);
    b_str(b, "\",\"record\":{");
    if (rid) {
        b_lit_str(b, "\"requestId\":\"", rid);
        b_chr(b, '"');
    }
}

static void b_json_status(buf *b, const invoc *v)
{
    b_str(b, v->outcome == OUT_TIMEOUT ? ",\"status\":\"timeout\""
             : v->outcome == OUT_OOM   ? ",\"status\":\"error\",\"errorType\":\"Runtime.OutOfMemory\""
                                       : ",\"status\":\"success\"");
}

/* The message of the current event when the function has LogFormat=JSON
 * (FORMATS.md 2): platform lines become single-line Telemetry API objects
 * without a trailing newline, Node.js console lines become JSON application
 * logs; Powertools, Go and Kotlin lines and the runtime exit stay text.
 * Empty for the timeout line, which JSON reports only in the status. */
void b_message_json(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    switch (s->kind) {
    case EV_INIT_START:
        b_platform(b, s, "initStart", NULL);
        b_lit_str(b, "\"initializationType\":\"on-demand\",\"phase\":\"init\",\"runtimeVersion\":\"",
                     s->p->spec->rt_version);
        b_lit_str(b, "\",\"runtimeVersionArn\":\"arn:aws:lambda:us-east-1::runtime:",
                     s->p->arn_hex);
        b_str(b, "\"}}");
        break;
    case EV_START:
        b_platform(b, s, "start", v->rid);
        b_str(b, ",\"version\":\"$LATEST\"}}");
        break;
    case EV_APP:
        if (s->p->spec->rt == RT_NODE) {
            buf t;
            int kind = v->app_kind[s->app_i];
            t.n = 0;
            b_app_text(&t, s, kind);
            b_str(b, "{\"timestamp\":\"");
            b_iso(b, v->t_app[s->app_i]);
            b_str(b, kind == APP_SUMMARY && v->status == 404 ? "\",\"level\":\"WARN\"" : "\",\"level\":\"INFO\"");
            b_lit_str(b, ",\"requestId\":\"", v->rid);
            b_str(b, "\",\"message\":\"");
            b_json_escaped(b, t.s, t.n);
            b_str(b, "\"}");
        } else {
            b_app_line(b, s, s->app_i);
        }
        break;
    case EV_TIMEOUT:
        break;
    case EV_EMF_COLD:
    case EV_EMF:
    case EV_EMF_COUNT:
        /* Powertools writes the document itself: no JSON wrapper, no prefix */
        b_emf_doc(b, s);
        b_chr(b, '\n');
        break;
    case EV_END:
        b_platform(b, s, "runtimeDone", v->rid);
        b_json_status(b, v);
        b_lit_cs(b, ",\"metrics\":{\"durationMs\":", v->dur_cs);
        b_str(b, "}}}");
        break;
    case EV_REPORT:
        b_platform(b, s, "report", v->rid);
        b_lit_cs(b, ",\"metrics\":{\"durationMs\":", v->dur_cs);
        b_lit_num(b, ",\"billedDurationMs\":", v->billed);
        b_lit_num(b, ",\"memorySizeMB\":512,\"maxMemoryUsedMB\":", v->mem);
        if (v->cold) {
            b_lit_cs(b, ",\"initDurationMs\":", v->init_cs);
        }
        b_lit_str(b, "},\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=", v->trace);
        b_lit_str(b, ";Parent=", v->segment);
        b_str(b, ";Sampled=1\"}");
        b_json_status(b, v);
        b_str(b, "}}");
        break;
    default:
        b_message(b, s);
        break;
    }
}
