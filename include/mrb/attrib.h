/* attrib.h — which runtime a function is, and what a file's function is.
 *
 * The benchmark runs one API in several runtimes; every row carries a runtime
 * label (python, typescript, go, kotlin, ... or unknown). The decision, in
 * order: a --map rule; the runtime version from INIT_START ("python:3.11.v29"
 * is python, "nodejs:20.v13" is typescript); whole-word, CamelCase-aware
 * tokens of the function name, log group and path ("GoStack-Api" is go,
 * "mongo-sync" is not). Otherwise "unknown": never guessed.
 *
 * Map file: one rule per line, `GLOB key=value ...`; '#' starts a comment.
 * GLOB (fnmatch, '*' crosses '/') is matched against the log group and
 * against the file's path. Keys: runtime=LABEL, function=NAME,
 * arch=x86_64|arm64 and region=REGION (what the cost model prices the
 * function's invocations with), and table=NAME (the DynamoDB table of stream
 * records that name none: `aws dynamodbstreams get-records` output). The
 * first matching rule that sets a key wins for that key.
 *
 * DynamoDB stream records are attributed to a runtime by rules of their own,
 * `ddb:TABLE-GLOB key=value ...`, TABLE-GLOB matched against the record's
 * table name ("" when unknown). Keys:
 *   runtime=LABEL            every record of the table is this runtime's
 *   runtime-attribute=NAME   the item's attribute NAME (S: NewImage, else
 *                            OldImage, else Keys) holds the runtime label
 *   key-prefix=PREFIX:LABEL  an item id starting with PREFIX is LABEL's
 *                            (repeat the word for several prefixes)
 *   id-attribute=NAME        the key attribute that is the item id (default
 *                            id; a table with a single key attribute uses it)
 *   log-ids=yes|no           match the item id against the ids the functions'
 *                            logs name (default yes; see store.h)
 *   schema=FILE              the item schema (ddb_conform.h: text or JSON
 *                            form; a relative FILE is read beside the map)
 * The first matching ddb: rule that sets a key wins for it (all key-prefix
 * words of that rule count). A record's runtime is decided in this order:
 * runtime=, runtime-attribute=, key-prefix=, then the logs (after ingest),
 * else "unattributed". Lines starting with the word `schema` give the item
 * schema of every table without a schema= (the text form of ddb_conform.h);
 * without them the benchmark's default schema applies.
 *
 * Ownership: attrib_map_load returns a map released by attrib_map_free.
 * Returned label strings and schemas are static or owned by the map. */
#ifndef MRB_ATTRIB_H
#define MRB_ATTRIB_H

#include <jansson.h>
#include <stddef.h>
#include "mrb/ddb_conform.h"
#include "mrb/err.h"
#include "mrb/sb.h"

typedef struct attrib_map attrib_map;

/* Reads a map file. NULL with err (file:line) on a bad rule. */
attrib_map *attrib_map_load(const char *path, mrb_err *err);
void attrib_map_free(attrib_map *m);

/* The first rule matching log_group or path that sets runtime / function,
 * or NULL. Either argument may be NULL. m may be NULL. */
const char *attrib_map_runtime(const attrib_map *m, const char *log_group, const char *path);
const char *attrib_map_function(const attrib_map *m, const char *log_group, const char *path);
const char *attrib_map_arch(const attrib_map *m, const char *log_group, const char *path);
const char *attrib_map_region(const attrib_map *m, const char *log_group, const char *path);
const char *attrib_map_table(const attrib_map *m, const char *log_group, const char *path);

/* 1 when s looks like a region name (lowercase letters, digits, '-'; 1..31). */
int attrib_valid_region(const char *s);

/* Runtime label for an INIT_START runtime version, or NULL when it does not
 * decide (custom runtimes "provided:al2..." run Go and Kotlin alike). */
const char *attrib_from_version(const char *runtime_version);

/* Runtime label from whole-word tokens of a name or path, or NULL when none
 * or more than one runtime is named. */
const char *attrib_from_name(const char *name);

/* Where a decision came from, stored in functions.runtime_source. */
enum attrib_source { ATTRIB_UNKNOWN = 0, ATTRIB_NAME, ATTRIB_VERSION, ATTRIB_MAP };
const char *attrib_source_name(enum attrib_source s);

/* What is known of a function when its runtime is decided. Any may be NULL. */
typedef struct attrib_input {
    const char *function;
    const char *log_group;
    const char *path;            /* the input file as named: what --map globs see */
    const char *name_path;       /* the part of path below the PATH the user gave,
                                  * whose words may name the runtime (never the
                                  * folders above it: /tmp/ts-x/... names nothing) */
    const char *runtime_version; /* from INIT_START */
} attrib_input;

/* The whole decision for one function. */
const char *attrib_decide(const attrib_map *m, const attrib_input *in,
                          enum attrib_source *source);

/* ---- DynamoDB stream records ---- */

/* What the ddb: rules say about one table (fields borrowed from the map or
 * static; valid while the map is). */
typedef struct attrib_ddb {
    const char *runtime;           /* runtime=, or NULL */
    const char *runtime_attribute; /* runtime-attribute=, or NULL */
    const char *const *prefixes;   /* key-prefix=: PREFIX, LABEL, ..., NULL; or NULL */
    const char *id_attribute;      /* id-attribute=, else "id" */
    int log_ids;                   /* log-ids=: 1 (default) or 0 */
    const ddb_schema *schema;      /* schema=, else the map's schema lines, else the default */
} attrib_ddb;

/* The rules for table (NULL: a record without a table); m may be NULL (the
 * defaults). */
void attrib_map_ddb(const attrib_map *m, const char *table, attrib_ddb *out);

/* The benchmark's default item schema (ddb_conform.h). */
const ddb_schema *attrib_default_schema(void);

/* Where a record's runtime came from, stored in stream_records.runtime_source
 * ("log-id" is decided later, by the store). */
enum attrib_ddb_source {
    ATTRIB_DDB_UNATTRIBUTED = 0, ATTRIB_DDB_MAP, ATTRIB_DDB_ATTRIBUTE, ATTRIB_DDB_PREFIX
};
const char *attrib_ddb_source_name(enum attrib_ddb_source s);

/* Appends the item id of a record's Keys to out: the id attribute (c's
 * id_attribute), else the only key attribute, as text (S as is, N its
 * digits). 0, or -1 (nothing appended) when there is none, or it is not S
 * or N. */
int attrib_ddb_item_id(const attrib_ddb *c, const json_t *keys, sb *out);

/* The runtime of one record by c's rules: runtime=, runtime-attribute= (a
 * valid label, lower-cased into buf), key-prefix= on item_id (may be NULL);
 * "unattributed" with ATTRIB_DDB_UNATTRIBUTED when none decides. The images
 * may be NULL. */
const char *attrib_ddb_decide(const attrib_ddb *c, const json_t *keys, const json_t *new_image,
                              const json_t *old_image, const char *item_id, char *buf,
                              size_t size, enum attrib_ddb_source *source);

#endif
