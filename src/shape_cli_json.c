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

static int document(reader *r, const event_sink *sink, mrb_err *err)
{
    sb key = SB_INIT;
    int rc = 0, more;

    if (jscan_expect(r, '{', "to start a document", err) < 0)
        return -1;
    if (jscan_peek(r, err) == '}') {
        reader_consume(r, 1);
        return 0;
    }
    do {
        sb_reset(&key);
        if (jscan_string(r, &key, 256, err) < 0 ||
            jscan_expect(r, ':', "after a key", err) < 0) {
            rc = -1;
            break;
        }
        if (!strcmp(sb_str(&key), "events"))
            rc = shape_json_events(r, NULL, NULL, sink, err);
        else
            rc = jscan_value(r, NULL, 0, err);
        if (rc < 0)
            break;
        more = jscan_next(r, '}', "a member", err);
        if (more < 0)
            rc = -1;
    } while (rc == 0 && more == 1);
    sb_release(&key);
    return rc;
}

static int decode(reader *r, const shape_hints *h, const event_sink *sink, mrb_err *err)
{
    (void)h;
    for (;;) {
        if (document(r, sink, err) < 0)
            return -1;
        int c = jscan_peek(r, err);
        if (c == -2)
            return -1;
        if (c == -1)
            return 0;
    }
}

const shape shape_cli_json = {"cli-json", detect, decode};
