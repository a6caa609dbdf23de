/* term.h — the characters a terminal would act on instead of showing.
 *
 * C0 controls (bytes 0x00-0x1f), DEL (0x7f) and the C1 controls U+0080 to
 * U+009F, which UTF-8 writes as the two bytes C2 80 to C2 9F (U+009B is
 * CSI, the start of an escape sequence for terminals that read UTF-8 C1).
 * Text from logs or a database passes through these before it reaches a
 * terminal: messages, table and Markdown cells, CSV written to a terminal.
 * No state, no allocation. */
#ifndef MRB_TERM_H
#define MRB_TERM_H

#include <stddef.h>

/* The length of the control character at s[0..n): 1 for C0 or DEL, 2 for
 * a C1 control in UTF-8, 0 when s does not begin with one (or n is 0). */
size_t term_control_len(const char *s, size_t n);

/* 1 when the string s holds a control character. */
int term_has_control(const char *s);

#endif
