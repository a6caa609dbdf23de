/* base64.c — base64 decoding (see base64.h). */
#include "mrb/base64.h"

static int value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

size_t base64_decode(const char *text, size_t n, sb *out)
{
    unsigned acc = 0;
    int bits = 0, pad = 0;
    size_t i;

    sb_grow(out, n / 4 * 3 + 3);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = value(c);
        if (v < 0 || pad)
            return i + 1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            sb_addc(out, (char)((acc >> bits) & 0xFF));
        }
    }
    /* leftover bits must be padding: 2 chars -> 1 byte (4 bits), 3 -> 2 (2 bits) */
    if (bits >= 6 || pad > 2 || (pad && bits == 0) || (acc & ((1u << bits) - 1)))
        return n + 1;
    return 0;
}
