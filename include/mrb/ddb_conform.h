/* ddb_conform.h — does an item image match the benchmark's item schema?
 *
 * A schema lists attributes (name, type, flags), whether attributes it
 * does not list are allowed, and ordered pairs (LATER >= EARLIER). The
 * default is the benchmark item:
 *
 *   schema id:S! name:S! description:S! price:N!+ created_at:N!@ms updated_at:N!@ms
 *   schema updated_at>=created_at
 *
 * Text form (the --map file style: one statement per line, '#' starts a
 * comment, blank lines skipped; every line starts with the word `schema`
 * and further lines add to the same schema). Words:
 *   NAME:TYPE[FLAGS]  an attribute; TYPE one of S N B BOOL NULL M L SS NS BS;
 *                     FLAGS in any order: '!' required, '+' an N that must
 *                     not be negative, '@ms' an N holding epoch milliseconds.
 *                     NAME is everything before the last ':'.
 *   LATER>=EARLIER    both declared N attributes; LATER < EARLIER is a violation
 *   extra=allow|deny  attributes not listed are allowed, or violations (default)
 *
 * JSON form:
 *   {"attributes": [{"name": "id", "type": "S", "required": true},
 *                   {"name": "price", "type": "N", "nonnegative": true},
 *                   {"name": "created_at", "type": "N", "timestamp": "ms"}],
 *    "extra": false,
 *    "order": [{"earlier": "created_at", "later": "updated_at"}]}
 *
 * Rules, each with a stable kind name (stored and reported as is):
 *   missing-attribute       a required attribute is absent
 *   extra-attribute         an attribute the schema does not list (extra=deny)
 *   wrong-type              present with another type ("price" as S), or a
 *                           malformed AttributeValue
 *   timestamp-in-seconds    an @ms attribute whose value is < 1e11 (a value
 *                           in seconds where milliseconds are expected);
 *                           judged per value
 *   negative-number         a '+' attribute below zero
 *   updated-before-created  LATER < EARLIER for an ordered pair (both present
 *                           and N; attribute = LATER)
 * Numbers are compared exactly as decimal text (ddb_number_cmp), never
 * through double. Only types of attributes are checked against the schema,
 * not the contents of M / L values.
 *
 * Ownership: a schema is a plain value (fixed arrays, no heap): copy it,
 * keep it on the stack. Violations passed to a callback are valid only
 * during the call. */
#ifndef MRB_DDB_CONFORM_H
#define MRB_DDB_CONFORM_H

#include <jansson.h>
#include "mrb/ddb_value.h"
#include "mrb/err.h"
#include "mrb/sb.h"

#define DDB_SCHEMA_ATTRS 64  /* attributes per schema */
#define DDB_SCHEMA_ORDERS 8  /* ordered pairs per schema */
#define DDB_SCHEMA_NAME 128  /* bytes of an attribute name, with the NUL */

/* Attribute flags. */
#define DDB_ATTR_REQUIRED 1 /* '!' */
#define DDB_ATTR_NONNEG 2   /* '+' */
#define DDB_ATTR_TS_MS 4    /* '@ms' */

typedef struct ddb_schema_attr {
    char name[DDB_SCHEMA_NAME]; /* attribute name */
    enum ddb_type type;         /* declared type */
    int flags;                  /* DDB_ATTR_* */
} ddb_schema_attr;

typedef struct ddb_schema_order {
    char earlier[DDB_SCHEMA_NAME]; /* e.g. created_at */
    char later[DDB_SCHEMA_NAME];   /* e.g. updated_at: must be >= earlier */
} ddb_schema_order;

typedef struct ddb_schema {
    ddb_schema_attr attr[DDB_SCHEMA_ATTRS];
    int n_attr;
    ddb_schema_order order[DDB_SCHEMA_ORDERS];
    int n_order;
    int allow_extra; /* 1: unlisted attributes are fine; 0: extra-attribute */
} ddb_schema;

/* The default schema's text (see above). */
extern const char ddb_schema_default_text[];

/* Empties s (no attributes, extra=deny). */
void ddb_schema_init(ddb_schema *s);

/* Fills s with the benchmark default. */
void ddb_schema_default(ddb_schema *s);

/* Adds an attribute. -1 with err when the name is empty, too long,
 * declared twice, the schema is full, or flags other than
 * DDB_ATTR_REQUIRED are given to a type other than N. */
int ddb_schema_add(ddb_schema *s, const char *name, enum ddb_type type, int flags, mrb_err *err);

/* Adds an ordered pair later >= earlier; both must be declared N
 * attributes already. -1 with err otherwise, or when the schema is full. */
int ddb_schema_add_order(ddb_schema *s, const char *later, const char *earlier, mrb_err *err);

/* Parses the text form (whole text, several lines) into s (initialised
 * first). -1 with err (line = the line in text) on a bad word. */
int ddb_schema_parse(const char *text, ddb_schema *s, mrb_err *err);

/* Parses the JSON form into s (initialised first). -1 with err. */
int ddb_schema_parse_json(const json_t *j, ddb_schema *s, mrb_err *err);

/* Appends the text form of s (one "schema ..." line, no newline) to out:
 * what ddb_schema_parse reads back to the same schema. */
void ddb_schema_format(const ddb_schema *s, sb *out);

enum ddb_violation_kind {
    DDB_V_MISSING = 0,
    DDB_V_EXTRA,
    DDB_V_WRONG_TYPE,
    DDB_V_TS_SECONDS,
    DDB_V_NEGATIVE,
    DDB_V_ORDER
};

/* The stable kind name, e.g. "missing-attribute". */
const char *ddb_violation_name(enum ddb_violation_kind k);

typedef struct ddb_violation {
    enum ddb_violation_kind kind;
    const char *attribute; /* the attribute concerned (borrowed) */
    char detail[192];      /* short text: "declared N, found S", "1700000000 < 1e11" */
} ddb_violation;

/* Called per violation; returns 0 to go on, anything else to stop. */
typedef int (*ddb_violation_fn)(void *arg, const ddb_violation *v);

/* Checks an image (attribute map: NewImage or OldImage) against s, calling
 * fn (which may be NULL to just count) per violation: first per schema
 * attribute in schema order (missing, wrong type, then its value rules),
 * then extra attributes in image order, then ordered pairs. Returns the
 * number of violations reported (the count so far when fn stopped), or -1
 * when image is not a JSON object. */
int ddb_conform_check(const ddb_schema *s, const json_t *image, ddb_violation_fn fn, void *arg);

#endif
