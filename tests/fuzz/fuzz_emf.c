/* fuzz_emf.c — fuzz harness: Embedded Metric Format documents, through both
 * the in-place reader and the jansson reference. A document both read must
 * give the same verdict and the same number of values. Input: one message. */
#include "fuzz.h"
#include "mrb/emf.h"

static int count_value(void *arg, const emf_value *v)
{
    (void)v;
    (*(int *)arg)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emf_result fast, ref;
    int nf = 0, nr = 0;
    const char *msg = (const char *)data;

    (void)emf_extract(msg, size, count_value, &nf, &fast);
    (void)emf_extract_jansson(msg, size, count_value, &nr, &ref);
    if (fast.values != nf || ref.values != nr)
        __builtin_trap(); /* the result must count what the callback saw */
    return 0;
}
