/* fuzz.h — the one entry point every fuzz harness defines.
 *
 * A harness is LLVMFuzzerTestOneInput over one parser family. Built with
 * clang -fsanitize=fuzzer it is a libFuzzer binary (`make fuzz`); linked
 * with replay.c by any compiler it replays files (`make test` replays the
 * seed corpus and the bad-input corpus through every harness). */
#ifndef MRB_FUZZ_H
#define MRB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
