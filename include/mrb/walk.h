/* walk.h — command-line paths to a sorted list of input files.
 *
 * A file is taken as it is; a directory is walked recursively, its entries
 * in byte order so that every run sees the same files in the same order.
 * Hidden entries (".name"), the marker objects CreateExportTask writes
 * (aws-logs-write-test) and documentation (README*, *.md) are skipped (a file
 * named on the command line is always read); symbolic links to directories are not
 * followed (no loops), links to files are. "-" stands for standard input.
 *
 * Ownership: the list owns its strings; walk_list_release frees them. */
#ifndef MRB_WALK_H
#define MRB_WALK_H

#include <stddef.h>
#include "mrb/err.h"

typedef struct walk_list {
    char **paths;   /* files, in order */
    size_t *named;  /* for each, where in its path the part below the folder
                     * the user named begins ("/tmp/x/in/a.log" from operand
                     * "/tmp/x/in": 7, "in/a.log") */
    size_t n, cap;
    size_t skipped; /* entries passed over (markers, hidden, special files) */
} walk_list;

#define WALK_LIST_INIT {NULL, NULL, 0, 0, 0}

/* Appends the files under path. -1 with err when path cannot be read (the
 * list keeps what was added before). */
int walk_path(walk_list *list, const char *path, mrb_err *err);
void walk_list_release(walk_list *list);

#endif
