/* json_lex.h — the small lexing pieces both in-place JSON readers need:
 * one UTF-8 sequence validated, and the four hex digits of a \uXXXX escape.
 *
 * Header-only (static inline): the readers (jevent.c, emf_fast.c) call
 * them per byte on their hot paths. */
#ifndef MRB_JSON_LEX_H
#define MRB_JSON_LEX_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at b[i] (lead byte >= 0x80), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF (jansson's
 * utf8_check_first / utf8_check_full agree). */
static inline size_t utf8_len(const unsigned char *b, size_t n, size_t i)
{
    unsigned c = b[i], cp;
    size_t len;

    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + len > n)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((b[i + k] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (b[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* The value of a hex digit, or -1. */
static inline int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The four hex digits at b[i..i+4) of n bytes into *out; 0, or -1. */
static inline int read_u4(const char *b, size_t n, size_t i, unsigned *out)
{
    unsigned v = 0;

    if (i + 4 > n)
        return -1;
    for (size_t k = 0; k < 4; k++) {
        int h = hexval(b[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + (unsigned)h;
    }
    *out = v;
    return 0;
}

#endif
