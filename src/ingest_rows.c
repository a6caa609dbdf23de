/* ingest_rows.c — one file of a row shape into the store (see
 * ingest_rows.h). */
#include "mrb/ingest_rows.h"

#include <stdio.h>
#include <string.h>

#include "mrb/cw_export.h"
#include "mrb/store_rows.h"

typedef struct ctx {
    store *st;
    store_rows *rows;
    const attrib_map *map;
    const char *path;
    const char *map_runtime;  /* the map's runtime= for the path, or NULL */
    char dims[1024];          /* cache: the last dimensions and their runtime */
    const char *runtime, *runtime_source;
    ingest_rows_counts *c;
} ctx;

static int counted(ctx *x, int rc, int added)
{
    if (rc == 0) {
        x->c->rows++;
        x->c->rows_new += added;
    }
    return rc;
}

static int on_segment(void *arg, const xray_segment *s, mrb_err *err)
{
    ctx *x = arg;
    int added = 0;

    return counted(x, store_rows_segment(x->rows, s, &added, err), added);
}

static int on_trace(void *arg, const xray_trace *t, mrb_err *err)
{
    ctx *x = arg;
    int added = 0;

    return counted(x, store_rows_trace(x->rows, t, &added, err), added);
}

/* The runtime of a value with these dimensions (see ingest_rows.h). */
static void decide(ctx *x, const char *dims)
{
    static const char *const names[] = {"FunctionName", "Resource", "ApiName", "TableName"};
    char v[512];

    if (!strcmp(dims, x->dims) && x->runtime)
        return;
    snprintf(x->dims, sizeof x->dims, "%s", dims);
    x->runtime = "unknown";
    x->runtime_source = "none";
    if (x->map_runtime) {
        x->runtime = x->map_runtime;
        x->runtime_source = "map";
        return;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *label;
        if (cw_dim_value(dims, names[i], v, sizeof v) && (label = attrib_from_name(v))) {
            x->runtime = label;
            x->runtime_source = names[i];
            return;
        }
    }
}

static int on_point(void *arg, const cw_point *p, mrb_err *err)
{
    ctx *x = arg;
    int added = 0;

    decide(x, p->dimensions);
    return counted(x, store_rows_metric(x->rows, p, x->runtime, x->runtime_source, &added, err),
                   added);
}

static void on_problem(void *arg, long long line, long long offset, const char *text)
{
    ctx *x = arg;
    mrb_err ignored;

    x->c->problems++;
    (void)store_problem(x->st, line, offset, text, &ignored);
}

int ingest_rows_file(store *st, writer *wr, const attrib_map *map, const char *path,
                     const row_shape *sh, reader *r, ingest_rows_counts *c, mrb_err *err)
{
    ctx x;
    row_sink sink = {.xray_segment = on_segment, .xray_trace = on_trace, .cw_point = on_point,
                     .problem = on_problem, .arg = &x};
    mrb_err werr;

    memset(c, 0, sizeof *c);
    memset(&x, 0, sizeof x);
    x.st = st;
    x.map = map;
    x.path = path;
    x.c = c;
    x.map_runtime = attrib_map_runtime(map, NULL, path);
    if (writer_wait(wr, &werr) < 0) {
        *err = werr;
        return -1;
    }
    x.rows = store_rows_new(st, err);
    if (!x.rows)
        return -1;
    int rc = sh->decode(r, &(shape_hints){path, NULL}, &sink, err);
    store_rows_free(x.rows);
    return rc;
}

int ingest_rows_path_keyed(const char *path)
{
    char buf[2048];
    cw_ident id;
    mrb_err ignored;

    return cw_path_ident(path, buf, sizeof buf, &id, &ignored) != 0;
}
