/* jload.h — jansson values from JSON text, fast.
 *
 * json_loadb reads a byte at a time through a checked stream and spends
 * most of a DynamoDB record's parse there. jload_fast reads the same
 * grammar with plain loops and builds the value with jansson's own
 * constructors, the same ones json_loadb calls, in the same order: a value
 * it returns is the one json_loadb(buf, n, 0, ...) would return (same key
 * order, the last of duplicate keys kept in the first's place, integers as
 * strtoll reads them, reals as strtod does). It returns NULL for anything
 * it does not take: any text json_loadb rejects (bad UTF-8, control
 * characters, \u0000, lone surrogates, numbers that overflow, trailing
 * text, a scalar at the top) and a few valid rarities (integers of more
 * than 18 digits, nesting deeper than JLOAD_MAX_DEPTH). The caller then
 * calls json_loadb, whose value or error message stays the one given.
 *
 * Ownership: the caller owns the returned value (json_decref). */
#ifndef MRB_JLOAD_H
#define MRB_JLOAD_H

#include <jansson.h>
#include <stddef.h>

#define JLOAD_MAX_DEPTH 256

json_t *jload_fast(const char *buf, size_t n);

/* jload_fast, else json_loadb(buf, n, 0, error): one call for both. */
json_t *jload(const char *buf, size_t n, json_error_t *error);

#endif
