/* fuzz_lines.c — fuzz harness: the per-message parsers (Lambda text lines,
 * JSON platform events, application-log prefixes, ISO timestamps, the EMF
 * pre-test). Input: one log event message. */
#include <string.h>

#include "fuzz.h"
#include "mrb/applog.h"
#include "mrb/emf.h"
#include "mrb/lambda_json.h"
#include "mrb/lambda_line.h"
#include "mrb/timeparse.h"

static volatile size_t sink; /* keeps results observable */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *msg = (const char *)data;
    lambda_record rec;
    lambda_json_doc doc = {NULL};
    applog_line app;
    int64_t ms;

    if (lambda_parse(msg, size, &rec) == LAMBDA_MALFORMED && !rec.why)
        __builtin_trap(); /* a malformed record always says why */
    sink += rec.request_id.n + rec.status.n;
    if (lambda_json_parse(msg, size, &rec, &doc) == LAMBDA_MALFORMED && !rec.why)
        __builtin_trap();
    sink += rec.request_id.n;
    lambda_json_doc_release(&doc);
    applog_parse(msg, size, &app);
    size_t pos = 0;
    mrb_slice id;
    while (applog_next_uuid(msg, size, &pos, &id))
        sink += id.n;
    size_t k = time_parse_iso(msg, size, &ms);
    if (k > size)
        __builtin_trap();
    if (k > 0) {
        char buf[25];
        time_format_iso(ms, buf);
        sink += strlen(buf);
    }
    sink += (size_t)emf_maybe(msg, size);
    return 0;
}
