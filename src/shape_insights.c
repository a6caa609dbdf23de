/* shape_insights.c — CloudWatch Logs Insights results.
 *
 * `aws logs get-query-results` output: {"results": [[{"field": "@timestamp",
 * "value": "2024-05-19 06:10:35.743"}, {"field": "@message", ...}, ...], ...],
 * "statistics": {...}, "status": "Complete"}. Every value is a string.
 * A row with @message is a log event (its log group from @log, which is
 * "account:group"). A row with only the fields Insights discovers in REPORT
 * lines (@requestId, @duration, @billedDuration, @memorySize,
 * @maxMemoryUsed, @initDuration) is turned back into the REPORT line it
 * came from, so it joins the same pipeline; note @memorySize and
 * @maxMemoryUsed are bytes counted as MB x 1,000,000. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/jscan.h"
#include "mrb/sb.h"
#include "mrb/shape.h"
#include "mrb/shape_json.h"
#include "mrb/timeparse.h"

#define ROW_MAX (4u << 20)

static int detect(const char *head, size_t n)
{
    return shape_json_first_key(head, n, "\"results\"");
}

/* The value of field name in a row (an array of {field, value}), or NULL. */
static const char *field(json_t *row, const char *name)
{
    size_t i;
    json_t *cell;

    json_array_foreach(row, i, cell) {
        json_t *f = json_object_get(cell, "field");
        json_t *v = json_object_get(cell, "value");
        if (json_is_string(f) && json_is_string(v) && !strcmp(json_string_value(f), name))
            return json_string_value(v);
    }
    return NULL;
}

/* A number field, or -1 with err naming the field and (safely) the value. */
static int number(json_t *row, const char *name, double *out, long long line, mrb_err *err)
{
    const char *v = field(row, name);
    char shown[48], *end;
    size_t k = 0;

    if (!v)
        return 1;
    *out = strtod(v, &end);
    if (end != v && *end == '\0' && isfinite(*out) && *out >= 0)
        return 0;
    for (; v[k] && k < sizeof shown - 1; k++)
        shown[k] = (v[k] >= 0x20 && v[k] < 0x7f && v[k] != '\'') ? v[k] : '?';
    shown[k] = '\0';
    return mrb_err_set(err, line, -1, "Logs Insights value of %s is not a number: '%s'", name,
                       shown);
}

/* Rebuilds "REPORT RequestId: ..." from the discovered fields. */
static int report_text(json_t *row, const char *rid, sb *out, long long line, mrb_err *err)
{
    double dur, billed, mem, maxmem, init;
    int has_billed, has_mem, has_max, has_init;

    if (number(row, "@duration", &dur, line, err) != 0)
        return -1; /* absent is checked by the caller */
    if ((has_billed = number(row, "@billedDuration", &billed, line, err)) < 0 ||
        (has_mem = number(row, "@memorySize", &mem, line, err)) < 0 ||
        (has_max = number(row, "@maxMemoryUsed", &maxmem, line, err)) < 0 ||
        (has_init = number(row, "@initDuration", &init, line, err)) < 0)
        return -1;
    sb_reset(out);
    sb_addf(out, "REPORT RequestId: %s\tDuration: %.2f ms\t", rid, dur);
    if (has_billed == 0)
        sb_addf(out, "Billed Duration: %.0f ms\t", billed);
    if (has_mem == 0)
        sb_addf(out, "Memory Size: %.0f MB\t", mem / 1e6);
    if (has_max == 0)
        sb_addf(out, "Max Memory Used: %.0f MB\t", maxmem / 1e6);
    if (has_init == 0)
        sb_addf(out, "Init Duration: %.2f ms\t", init);
    return 0;
}

static int row_event(json_t *row, sb *text, long long line, long long off,
                     const event_sink *sink, mrb_err *err)
{
    const char *ts = field(row, "@timestamp"), *msg = field(row, "@message");
    const char *rid = field(row, "@requestId"), *log = field(row, "@log");
    log_event ev;

    if (!ts || !time_parse_iso(ts, strlen(ts), &ev.ts_ms)) {
        shape_problem(sink, line, off, "Logs Insights row without a readable @timestamp, skipped");
        return 0;
    }
    if (!msg) {
        if (!rid || !field(row, "@duration")) {
            shape_problem(sink, line, off,
                          "Logs Insights row with neither @message nor @requestId and "
                          "@duration, skipped");
            return 0;
        }
        if (report_text(row, rid, text, line, err) < 0)
            return -1;
        msg = sb_str(text);
    }
    const char *colon = log ? strchr(log, ':') : NULL;
    ev.log_group = colon && colon[1] ? colon + 1 : NULL;
    ev.log_stream = field(row, "@logStream");
    ev.msg = msg;
    ev.msg_len = strlen(msg);
    ev.line = line;
    ev.offset = off;
    return sink->event(sink->arg, &ev, err);
}

typedef struct rows_ctx {
    const event_sink *sink;
    sb text;
} rows_ctx;

static int one_row(void *arg, const sb *raw, long long line, long long off, mrb_err *err)
{
    rows_ctx *c = arg;
    json_error_t je;
    json_t *row = json_loadb(raw->buf, raw->len, 0, &je);
    int rc;

    if (!row)
        return mrb_err_set(err, line + je.line - 1, -1, "invalid JSON in a row: %s", je.text);
    if (!json_is_array(row))
        rc = mrb_err_set(err, line, -1, "a results row is not an array");
    else
        rc = row_event(row, &c->text, line, off, c->sink, err);
    json_decref(row);
    return rc;
}

static int member(void *arg, const char *key, reader *r, mrb_err *err)
{
    if (strcmp(key, "results") != 0)
        return jscan_value(r, NULL, 0, err);
    rows_ctx c = {arg, SB_INIT};
    int rc = jscan_array(r, "results", ROW_MAX, one_row, &c, err);
    sb_release(&c.text);
    return rc;
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    (void)h;
    if (jscan_object(r, "query results", member, (void *)sink, err) < 0)
        return -1;
    if (jscan_peek(r, err) != -1)
        return mrb_err_set(err, reader_line(r), reader_offset(r), "data after the query results");
    return 0;
}

const shape shape_insights = {"insights", detect, decode, 0};
