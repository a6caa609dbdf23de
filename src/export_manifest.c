/* export_manifest.c — OUT/manifest.json: every file of an export folder
 * with its table, partition, rows, bytes and CRC-32, kept across exports
 * (a partition written again replaces its entries). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_priv.h"
#include "mrb/store.h"
#include "mrb/xalloc.h"

/* 1 when path lies in one of the folders of rewritten ("a/b\n..."). */
static int in_rewritten(const char *path, const char *rewritten)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;

    for (const char *p = rewritten; *p;) {
        const char *end = strchr(p, '\n');
        if ((size_t)(end - p) == n && !strncmp(p, path, n))
            return 1;
        p = end + 1;
    }
    return 0;
}

static const char *text(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The old manifest's files that stay. */
static void keep_old(const char *path, const char *rewritten, export_files *keep)
{
    json_t *root = json_load_file(path, 0, NULL), *files = json_object_get(root, "files"), *f;
    size_t i;

    json_array_foreach(files, i, f) {
        const char *p = text(f, "path");
        if (!p || in_rewritten(p, rewritten))
            continue;
        export_files_add(keep, p, text(f, "table") ? text(f, "table") : "", text(f, "day"),
                         text(f, "runtime"), json_integer_value(json_object_get(f, "rows")),
                         json_integer_value(json_object_get(f, "bytes")),
                         strtoul(text(f, "crc32") ? text(f, "crc32") : "0", NULL, 16));
    }
    json_decref(root);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const export_file *)a)->path, ((const export_file *)b)->path);
}

static json_t *file_json(const export_file *e)
{
    char crc[16];

    snprintf(crc, sizeof crc, "%08lx", e->crc32);
    return json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:I, s:s}", "path", e->path, "table", e->table,
                     "day", e->day, "runtime", e->runtime, "rows", (json_int_t)e->rows, "bytes",
                     (json_int_t)e->bytes, "crc32", crc);
}

int export_manifest(const export_opts *o, const export_files *written, const char *rewritten,
                    mrb_err *err)
{
    char *path = xmalloc(strlen(o->out) + 32), *tmp = xmalloc(strlen(o->out) + 40);
    export_files all = {0};
    json_t *files = json_array();
    int rc = 0;

    sprintf(path, "%s/manifest.json", o->out);
    sprintf(tmp, "%s/.manifest.json.tmp", o->out);
    keep_old(path, rewritten, &all);
    for (size_t i = 0; i < written->n; i++) {
        const export_file *e = &written->v[i];
        export_files_add(&all, e->path, e->table, e->day, e->runtime, e->rows, e->bytes, e->crc32);
    }
    qsort(all.v, all.n, sizeof *all.v, by_path);
    for (size_t i = 0; i < all.n; i++)
        json_array_append_new(files, file_json(&all.v[i]));
    json_t *root = json_pack("{s:s, s:b, s:i, s:s, s:o}", "format",
                             o->format == EXPORT_CSV ? "csv" : "jsonl", "gzip", o->gzip,
                             "schema_version", STORE_SCHEMA_VERSION, "checksum", "crc32 of the file's bytes",
                             "files", files);
    if (!root || json_dump_file(root, tmp, JSON_INDENT(1) | JSON_PRESERVE_ORDER) < 0 ||
        rename(tmp, path) < 0)
        rc = mrb_err_set(err, 0, -1, "cannot write '%s'", path);
    json_decref(root);
    export_files_free(&all);
    free(path);
    free(tmp);
    return rc;
}
