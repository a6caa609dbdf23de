/* term.c — the characters a terminal would act on (see term.h). */
#include "mrb/term.h"

#include <string.h>

size_t term_control_len(const char *s, size_t n)
{
    unsigned char c = n ? (unsigned char)s[0] : 0x20;

    if (c < 0x20 || c == 0x7f)
        return 1;
    if (c == 0xc2 && n >= 2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f)
        return 2;
    return 0;
}

int term_has_control(const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i < n; i++)
        if (term_control_len(s + i, n - i))
            return 1;
    return 0;
}
