/* fuzz_jload.c — fuzz harness: jload_fast against json_loadb on the same
 * bytes. Whenever the fast reader returns a value, jansson must return one
 * too, and the two must print the same (key order, every number's bits):
 * the fast reader may decline anything, it may never differ. Input: any
 * bytes, JSON or not. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "mrb/jload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t e;
    json_t *fast = jload_fast((const char *)data, size);
    json_t *ref = json_loadb((const char *)data, size, 0, &e);

    if (fast && !ref)
        __builtin_trap(); /* took what jansson rejects */
    if (fast) {
        size_t flags = JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(17);
        char *a = json_dumps(fast, flags), *b = json_dumps(ref, flags);
        if (!a || !b || strcmp(a, b) != 0)
            __builtin_trap(); /* another value */
        free(a);
        free(b);
    }
    json_decref(fast);
    json_decref(ref);
    return 0;
}
