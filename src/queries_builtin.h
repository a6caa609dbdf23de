/* queries_builtin.h — the queries the binary carries (private to queries.c).
 *
 * The table is generated at build time from queries/NAME.sql by
 * tools/embed_queries.c into build/gen/queries_builtin.c: one entry per
 * file, in name order, ended by {NULL, NULL}. Static data; never freed. */
#ifndef MRB_QUERIES_BUILTIN_H
#define MRB_QUERIES_BUILTIN_H

typedef struct queries_builtin_entry {
    const char *name; /* the file name without ".sql" */
    const char *sql;  /* the file's text, NUL-ended */
} queries_builtin_entry;

extern const queries_builtin_entry queries_builtin[];

#endif
