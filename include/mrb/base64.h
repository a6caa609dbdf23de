/* base64.h — standard base64 (RFC 4648, '+' '/' and '=' padding) decoding. */
#ifndef MRB_BASE64_H
#define MRB_BASE64_H

#include <stddef.h>
#include "mrb/sb.h"

/* Appends the bytes that text[0..n) encodes to out. White space is
 * ignored. Returns 0, or the 1-based position of the first character that
 * is not valid base64 (or of the end, when the length is wrong). */
size_t base64_decode(const char *text, size_t n, sb *out);

#endif
