/* sb.h — the one growable string builder for all text the tool produces.
 *
 * Invariants: buf is NULL only while cap == 0; otherwise buf[len] == '\0'.
 * The builder owns buf; sb_release frees it and leaves an empty builder,
 * sb_detach hands it to the caller (who must free it). Allocation failure
 * aborts the program (see xalloc.h): text building never fails. */
#ifndef MRB_SB_H
#define MRB_SB_H

#include <stddef.h>

typedef struct sb {
    char *buf;  /* NUL-terminated contents, or NULL when nothing allocated */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
} sb;

#define SB_INIT {NULL, 0, 0}

void sb_init(sb *s);
void sb_release(sb *s);
char *sb_detach(sb *s);                /* caller frees; s becomes empty */
void sb_reset(sb *s);                  /* len = 0, keeps the allocation */
void sb_grow(sb *s, size_t extra);     /* room for extra more bytes */
void sb_add(sb *s, const void *p, size_t n);
void sb_adds(sb *s, const char *str);
void sb_addc(sb *s, char c);
void sb_addf(sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s[0..n) as a JSON string: quotes, '"' '\\' and control bytes
 * below 0x20 escaped, every other byte (UTF-8) passed through as is. The
 * stream records' stored keys are written with it: its output must not
 * change. */
void sb_add_json(sb *out, const char *s, size_t n);
const char *sb_str(const sb *s);       /* never NULL: "" when empty */

#endif
