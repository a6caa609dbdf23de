/* emf_fast.h — the in-place reader behind emf_extract (internal to emf.c).
 *
 * Parsing every EMF document with jansson (a tree, an allocation per
 * member) costs far more than the rest of ingest does per event. This
 * reader takes the common case: a well-formed document that breaks no rule.
 * It reads a private copy of the document without building anything,
 * checks its JSON syntax as jansson does (UTF-8, control bytes, escapes,
 * the number grammar and overflow, nothing after the document), then every
 * rule emf.c checks, and only then hands out the values: the same values,
 * in the same order, with the same canonical dimensions.
 *
 * It declines, before handing out anything, whatever it does not handle:
 * every document that breaks a rule (jansson's path then finds the reason
 * and its detail, so reasons are emf.c's by construction), escapes in a key
 * or in a string it hands out or looks up, a key of the root (or one it
 * reads in "_aws", a directive or a metric) given twice, nesting deeper than
 * 32, more than 160 root members, 16 directives, 128 metrics, 64 dimension
 * sets or 128 dimension keys, and numbers longer than 80 bytes. emf_extract then parses
 * the same bytes with jansson, which stays the judge of everything unusual.
 * tests/unit/test_emf.c holds the two to the same answers. */
#ifndef MRB_EMF_FAST_H
#define MRB_EMF_FAST_H

#include <stddef.h>

#include "mrb/emf.h"

/* Reads the document doc[0..n) (from its first byte, up to the end of the
 * message) that starts at `offset` in its message. prefix_id is the
 * request id of the Lambda text prefix (NUL-terminated), or NULL. Returns
 * 1 when the document was read (res->reason EMF_OK, res->values and
 * res->insights set, fn called for each value), 0 when it declined (fn not
 * called, res untouched), -1 when fn asked to stop. */
int emf_fast(const char *doc, size_t n, const char *prefix_id, size_t offset, emf_value_fn fn,
             void *arg, emf_result *res);

/* Shared with emf.c: a Unit of the specification (case matters); a request
 * id that is really absent ("", "undefined", "None", "null"). */
int emf_known_unit(const char *u, size_t n);
int emf_placeholder_id(const char *s, size_t n);

#endif
