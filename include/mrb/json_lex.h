/* json_lex.h — the small lexing pieces both in-place JSON readers need:
 * one UTF-8 sequence validated, the four hex digits of a \uXXXX escape,
 * the code point of such an escape (or of a surrogate pair), and a code
 * point written as UTF-8.
 *
 * Header-only (static inline): the readers (jevent.c, emf_fast.c, jload.c)
 * call them per byte on their hot paths. */
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

/* The \uXXXX escape at b[i] (b[i] == '\\', b[i + 1] == 'u'), or the
 * surrogate pair starting there: its code point in *cp and the bytes it
 * takes (6 or 12), or 0 for what the readers leave to jansson: bad hex,
 * \u0000, a lone surrogate. */
static inline size_t json_u_escape(const char *b, size_t n, size_t i, unsigned *cp)
{
    unsigned hi, lo;

    if (read_u4(b, n, i + 2, &hi) < 0 || hi == 0 || (hi >= 0xDC00 && hi <= 0xDFFF))
        return 0;
    if (hi < 0xD800 || hi > 0xDBFF) {
        *cp = hi;
        return 6;
    }
    if (i + 8 > n || b[i + 6] != '\\' || b[i + 7] != 'u' || read_u4(b, n, i + 8, &lo) < 0 ||
        lo < 0xDC00 || lo > 0xDFFF)
        return 0;
    *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    return 12;
}

/* Code point cp (at most U+10FFFF) as UTF-8 at out: the bytes written
 * (1 to 4). */
static inline size_t utf8_put(unsigned cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

#endif
