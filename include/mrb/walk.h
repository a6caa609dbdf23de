/* walk.h — command-line paths to a sorted list of input files.
 *
 * Only regular files and folders are read. A file is taken as it is; a
 * folder is walked recursively, its entries in byte order so that every run
 * sees the same files in the same order. Hidden entries (".name"), the
 * marker objects CreateExportTask writes (aws-logs-write-test) and
 * documentation (README*, *.md) are skipped (a file named on the command
 * line is always read); symbolic links to folders are not followed (no
 * loops), links to files are. Devices, FIFOs and sockets (or links to them)
 * are refused without being opened: /dev/zero would never end and a FIFO
 * with no writer would block. "-" stands for standard input, whatever it is.
 *
 * What a folder walk cannot take — a subfolder it cannot open, an entry it
 * cannot stat, a special file — is a problem: it is kept with its message
 * and the walk goes on, so one bad entry never stops the rest.
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
    size_t n, cap, cap_named; /* files; room in paths, in named */
    size_t skipped; /* entries passed over (markers, hidden, links to folders) */
    mrb_err *problems; /* entries refused in a folder walk, in walk order */
    size_t n_problems, cap_problems;
} walk_list;

#define WALK_LIST_INIT {.paths = NULL}

/* Appends the files under path. -1 with err when path itself cannot be
 * read or is not a regular file or folder (nothing is added for it; the
 * list keeps what was added before). Problems below path are added to
 * list->problems, and the walk goes on. */
int walk_path(walk_list *list, const char *path, mrb_err *err);
void walk_list_release(walk_list *list);

/* What kind of file mode is when it is neither a regular file nor a folder
 * ("a FIFO", "a character device", ...); NULL for those two. */
const char *walk_special_kind(unsigned mode);

#endif
