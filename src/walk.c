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
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->paths = xrealloc(l->paths, l->cap * sizeof *l->paths);
        l->named = xrealloc(l->named, l->cap * sizeof *l->named);
    }
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

static int walk_dir(walk_list *l, const char *dir, size_t named, int depth, mrb_err *err)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (depth > 64)
        return mrb_err_set(err, 0, -1, "folders nested too deep under '%s'", dir);
    if (!(d = opendir(dir)))
        return mrb_err_set(err, 0, -1, "cannot open folder '%s': %s", dir, strerror(errno));
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (skip_name(de->d_name)) {
            l->skipped++;
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        sb p = SB_INIT;
        struct stat lst, st;
        sb_addf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
        if (rc == 0 && lstat(p.buf, &lst) == 0) {
            if (S_ISDIR(lst.st_mode)) {
                rc = walk_dir(l, p.buf, named, depth + 1, err);
            } else if (stat(p.buf, &st) == 0 && S_ISREG(st.st_mode)) {
                add(l, sb_detach(&p), named);
            } else {
                l->skipped++; /* links to folders, sockets, broken links */
            }
        }
        sb_release(&p);
        free(names[i]);
    }
    free(names);
    return rc;
}

int walk_path(walk_list *l, const char *path, mrb_err *err)
{
    struct stat st;

    if (!strcmp(path, "-")) {
        add(l, xstrdup("-"), 0);
        return 0;
    }
    if (stat(path, &st) < 0)
        return mrb_err_set(err, 0, -1, "cannot read '%s': %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return walk_dir(l, path, name_start(path), 0, err);
    add(l, xstrdup(path), name_start(path));
    return 0;
}

void walk_list_release(walk_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->paths[i]);
    free(l->paths);
    free(l->named);
    l->paths = NULL;
    l->named = NULL;
    l->n = l->cap = l->skipped = 0;
}
