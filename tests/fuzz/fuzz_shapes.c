/* fuzz_shapes.c — fuzz harness: whole files through gzip, the sniffer and
 * every export shape's decoder (S3 export lines, CLI JSON, NDJSON, Insights,
 * subscription documents), as ingest reads them. Input: a file's bytes. */
#include "fuzz.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_decode(data, size, NULL);
    return 0;
}
