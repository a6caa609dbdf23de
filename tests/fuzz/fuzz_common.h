/* fuzz_common.h — shared by the stream harnesses (see fuzz_common.c). */
#ifndef MRB_FUZZ_COMMON_H
#define MRB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include "mrb/shape.h"

#define FUZZ_MAX_LINE (64u * 1024u) /* small, so long-line paths are reached */

/* Decodes data[0..size) (gzip or plain) with sh, or with the sniffed shape
 * when sh is NULL (nothing when none matches). Traps on a broken contract. */
void fuzz_decode(const uint8_t *data, size_t size, const shape *sh);

#endif
