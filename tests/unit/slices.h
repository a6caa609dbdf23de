/* slices.h — assertions on mrb_slice fields for the parser unit tests.
 *
 * Header-only, included after <cmocka.h>. assert_slice(s, "text") checks a
 * present slice with exactly that text; when slice_base is set (by a test's
 * parse helper), the slice must also point inside slice_base[0..slice_base_n)
 * — the parsers promise slices into the message they were given. */
#ifndef MRB_TEST_SLICES_H
#define MRB_TEST_SLICES_H

#include <string.h>

#include "mrb/lambda_line.h"

static const char *slice_base;
static size_t slice_base_n;

static void check_slice(mrb_slice s, const char *lit, const char *field, int line)
{
    size_t k = strlen(lit);

    if (s.p == NULL)
        fail_msg("line %d: %s absent, expected \"%s\"", line, field, lit);
    if (s.n != k || memcmp(s.p, lit, k) != 0)
        fail_msg("line %d: %s is \"%.*s\", expected \"%s\"", line, field, (int)s.n, s.p, lit);
    if (slice_base && (s.p < slice_base || s.p + s.n > slice_base + slice_base_n))
        fail_msg("line %d: %s does not point into the message", line, field);
}

#define assert_slice(s, lit) check_slice((s), (lit), #s, __LINE__)
#define assert_absent(s) assert_null((s).p)

#endif
