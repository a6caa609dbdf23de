/* fuzz_subscription.c — fuzz harness: subscription DATA_MESSAGE documents,
 * the {"awslogs":{"data":...}} and Kinesis wrappers (base64 + gzip inside),
 * and base64 itself. The first byte picks the decoder, so each is reached
 * even by inputs its sniffer would decline. */
#include "fuzz.h"
#include "fuzz_common.h"
#include "mrb/base64.h"
#include "mrb/sb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"subscription", "awslogs", "kinesis"};
    sb out;

    if (size == 0)
        return 0;
    const shape *sh = shape_find(names[data[0] % 3]);
    if (!sh)
        __builtin_trap(); /* the registry lost a shape this harness is for */
    fuzz_decode(data + 1, size - 1, sh);
    sb_init(&out);
    (void)base64_decode((const char *)data + 1, size - 1, &out);
    sb_release(&out);
    return 0;
}
