/* shape_xray.c — X-Ray trace exports (FORMATS.md 12).
 *
 * `aws xray batch-get-traces` output {"Traces": [...], "UnprocessedTraceIds":
 * [...]} and `aws xray get-trace-summaries` output {"TraceSummaries": [...],
 * "ApproximateTime", "TracesProcessedCount", "NextToken"}, one document or
 * many back to back (one per page). Each trace is copied out by the
 * streaming scanner and parsed alone, so memory is bounded by the largest
 * trace; xray.c turns it into rows. */
#include <jansson.h>
#include <string.h>

#include "mrb/jscan.h"
#include "mrb/shape.h"
#include "mrb/shape_json.h"
#include "mrb/xray.h"

#define TRACE_MAX (16u << 20) /* bytes of one trace (a Document is at most 64 KiB in X-Ray) */

static int detect(const char *head, size_t n)
{
    return shape_json_first_key(head, n, "\"Traces\"") ||
           shape_json_first_key(head, n, "\"TraceSummaries\"") ||
           shape_json_first_key(head, n, "\"UnprocessedTraceIds\"");
}

typedef struct walk {
    const row_sink *sink;
    int summaries;    /* the array being walked is TraceSummaries */
    long long index;  /* of the element in the file */
} walk;

static int element(void *arg, const sb *raw, long long line, long long off, mrb_err *err)
{
    walk *w = arg;
    json_error_t je;
    json_t *t = json_loadb(raw->buf, raw->len, JSON_REJECT_DUPLICATES, &je);
    int rc;

    (void)off;
    if (!t)
        return mrb_err_set(err, line + je.line - 1, -1, "invalid JSON in a trace: %s", je.text);
    rc = w->summaries ? xray_summary_rows(t, w->index, line, w->sink, err)
                      : xray_trace_rows(t, w->index, line, w->sink, err);
    w->index++;
    json_decref(t);
    return rc;
}

static int member(void *arg, const char *key, reader *r, mrb_err *err)
{
    walk *w = arg;

    if (strcmp(key, "Traces") != 0 && strcmp(key, "TraceSummaries") != 0)
        return jscan_value(r, NULL, 0, err);
    w->summaries = key[5] == 'S';
    return jscan_array(r, key, TRACE_MAX, element, w, err);
}

static int decode_rows(reader *r, const shape_hints *h, const row_sink *sink, mrb_err *err)
{
    walk w = {sink, 0, 0};
    int more;

    (void)h;
    do {
        if (jscan_object(r, "X-Ray document", member, &w, err) < 0)
            return -1;
    } while ((more = jscan_more(r, err)) == 1);
    return more;
}

const row_shape shape_xray = {.name = "xray", .detect = detect, .decode = decode_rows};
