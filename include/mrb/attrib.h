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
 * function's invocations with). The first matching rule that sets a key wins
 * for that key.
 *
 * Ownership: attrib_map_load returns a map released by attrib_map_free.
 * Returned label strings are static or owned by the map. */
#ifndef MRB_ATTRIB_H
#define MRB_ATTRIB_H

#include "mrb/err.h"

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

#endif
