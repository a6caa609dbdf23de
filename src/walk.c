/* walk.c — paths to a sorted list of input files (see walk.h). */
#include "mrb/walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mrb/sb.h"
#include "mrb/xalloc.h"

static void add(walk_list *l, char *path, size_t named)
{
    XGROW(l->named, l->n, l->cap_named, 64);
    XGROW(l->paths, l->n, l->cap, 64);
    l->named[l->n] = named;
    l->paths[l->n++] = path;
}

/* Where the operand's own name begins: after its last '/', trailing
 * slashes aside. */
static size_t name_start(const char *operand)
{
    size_t n = strlen(operand);

    while (n > 1 && operand[n - 1] == '/')
        n--;
    while (n > 0 && operand[n - 1] != '/')
        n--;
    return n;
}

/* Entries a folder walk passes over: hidden ones, the marker object
 * CreateExportTask writes, and documentation kept beside exports. */
static int skip_name(const char *name)
{
    size_t n = strlen(name);

    return name[0] == '.' || !strcmp(name, "aws-logs-write-test") ||
           !strncmp(name, "README", 6) || (n > 3 && !strcmp(name + n - 3, ".md"));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *walk_special_kind(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
    case S_IFDIR: return NULL;
    case S_IFIFO: return "a FIFO";
    case S_IFSOCK: return "a socket";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    default: return "not a regular file";
    }
}

/* Keeps a problem of a folder walk: path with its message. */
static void problem(walk_list *l, const char *path, const char *fmt, const char *what)
{
    XGROW(l->problems, l->n_problems, l->cap_problems, 8);
    mrb_err *e = &l->problems[l->n_problems++];
    mrb_err_clear(e);
    mrb_err_source(e, path);
    mrb_err_set(e, 0, -1, fmt, what);
}

/* The entries of folder dir, sorted (hidden and marker entries counted as
 * skipped). NULL with *n = 0 for an empty folder; -1 when it cannot be
 * opened. */
static int read_names(walk_list *l, const char *dir, char ***names, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t cap = 0;

    *names = NULL;
    *n = 0;
    if (!d)
        return -1;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (skip_name(de->d_name)) {
            l->skipped++;
            continue;
        }
        XGROW(*names, *n, cap, 32);
        (*names)[(*n)++] = xstrdup(de->d_name);
    }
    closedir(d);
    if (*n > 1) /* qsort wants a valid pointer, even for nothing to sort */
        qsort(*names, *n, sizeof **names, cmp_str);
    return 0;
}

static void walk_dir(walk_list *l, const char *dir, size_t named, int depth);

/* One entry of a folder: a file is added, a folder walked, anything else
 * kept as a problem. Never opens it. */
static void walk_entry(walk_list *l, sb *p, size_t named, int depth)
{
    struct stat lst, st;
    const char *kind;

    if (lstat(p->buf, &lst) < 0) {
        problem(l, p->buf, "cannot read: %s", strerror(errno));
    } else if (S_ISDIR(lst.st_mode)) {
        walk_dir(l, p->buf, named, depth + 1);
    } else if (S_ISLNK(lst.st_mode) && stat(p->buf, &st) < 0) {
        problem(l, p->buf, "cannot read: %s", strerror(errno)); /* a broken link */
    } else if (S_ISLNK(lst.st_mode) && S_ISDIR(st.st_mode)) {
        l->skipped++; /* links to folders are not followed: no loops */
    } else if ((kind = walk_special_kind(S_ISLNK(lst.st_mode) ? st.st_mode : lst.st_mode))) {
        problem(l, p->buf, "%s, not a regular file: not read", kind);
    } else {
        add(l, sb_detach(p), named);
    }
}

static void walk_dir(walk_list *l, const char *dir, size_t named, int depth)
{
    char **names;
    size_t n;

    if (depth > 64) {
        problem(l, dir, "%s", "folders nested too deep: not read");
        return;
    }
    if (read_names(l, dir, &names, &n) < 0) {
        problem(l, dir, "cannot open the folder: %s", strerror(errno));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        sb p = SB_INIT;
        sb_addf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        walk_entry(l, &p, named, depth);
        sb_release(&p);
        free(names[i]);
    }
    free(names);
}

int walk_path(walk_list *l, const char *path, mrb_err *err)
{
    struct stat st;
    const char *kind;

    if (!strcmp(path, "-")) {
        add(l, xstrdup("-"), 0);
        return 0;
    }
    if (stat(path, &st) < 0)
        return mrb_err_set(err, 0, -1, "cannot read '%s': %s", path, strerror(errno));
    if ((kind = walk_special_kind(st.st_mode)))
        return mrb_err_set(err, 0, -1, "'%s' is %s, not a regular file or folder: not read "
                                       "(to read it anyway, give '-' and redirect it)", path, kind);
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path); /* the folder named: unreadable is an error, not a problem */
        if (!d)
            return mrb_err_set(err, 0, -1, "cannot open folder '%s': %s", path, strerror(errno));
        closedir(d);
        walk_dir(l, path, name_start(path), 0);
        return 0;
    }
    add(l, xstrdup(path), name_start(path));
    return 0;
}

void walk_list_release(walk_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    free(l->named);
    free(l->problems);
    l->paths = NULL;
    l->named = NULL;
    l->problems = NULL;
    l->n = l->cap = l->cap_named = l->skipped = l->n_problems = l->cap_problems = 0;
}
