/* shape_cli_json.c — `aws logs filter-log-events` / `get-log-events` output.
 *
 * {"events": [{"logStreamName", "timestamp", "message", ...}, ...], ...}
 * One document, or several back to back (pages saved one after another).
 * The events array may be gigabytes: it is walked element by element and
 * each element alone is parsed (by jevent.h, or jansson when that declines),
 * so memory is bounded by the largest event. Other members (nextToken,
 * searchedLogStreams) are skipped. */
#include <stdio.h>
#include <string.h>

#include "mrb/jscan.h"
#include "mrb/shape.h"
#include "mrb/shape_json.h"

/* Top-level keys that only these documents have. */
static const char *const marker_keys[] = {"\"events\"", "\"nextForwardToken\"",
                                          "\"nextBackwardToken\"", "\"searchedLogStreams\"",
                                          NULL};

static int detect(const char *head, size_t n)
{
    for (int k = 0; marker_keys[k]; k++)
        if (shape_json_first_key(head, n, marker_keys[k]))
            return 1;
    return 0;
}

static int member(void *arg, const char *key, reader *r, mrb_err *err)
{
    if (!strcmp(key, "events"))
        return shape_json_events(r, NULL, NULL, arg, err);
    return jscan_value(r, NULL, 0, err);
}

static int document(reader *r, const event_sink *sink, mrb_err *err)
{
    return jscan_object(r, "a document", member, (void *)sink, err);
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    int more;

    (void)h;
    do {
        if (document(r, sink, err) < 0)
            return -1;
    } while ((more = jscan_more(r, err)) == 1);
    return more;
}

const shape shape_cli_json = {"cli-json", detect, decode, 0};
