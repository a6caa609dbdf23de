/* export_sink.c — the partition writers of `export`: one per runtime of
 * the current day, each writing part files under temporary names that
 * replace the partition's old files when it is complete. */
#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "export_priv.h"
#include "mrb/xalloc.h"

#define FLUSH_BYTES (256 * 1024)

struct export_writer {
    char *runtime;              /* owned: the partition's runtime ("" none) */
    char *rel;                  /* owned: the partition folder, relative to OUT */
    char *dir;                  /* owned: OUT/rel */
    FILE *f;                    /* the open part file (plain) */
    gzFile gz;                  /* the open part file (gzip) */
    int parts;                  /* part files opened so far */
    long long *rows;            /* owned: rows of each part */
    sb buf;                     /* rows not yet written */
};

static const char *extension(const export_opts *o)
{
    if (o->format == EXPORT_CSV)
        return o->gzip ? ".csv.gz" : ".csv";
    return o->gzip ? ".jsonl.gz" : ".jsonl";
}

int export_make_dirs(const char *path)
{
    char *p = xstrdup(path);
    int rc = 0;

    for (char *s = p + 1; *s && rc == 0; s++)
        if (*s == '/') {
            *s = '\0';
            rc = mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
            *s = '/';
        }
    if (rc == 0)
        rc = mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

/* Removes the files of dir whose name starts with prefix. */
static int remove_prefixed(const char *dir, const char *prefix, mrb_err *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = strlen(prefix);
    sb path;

    if (!d)
        return mrb_err_set(err, 0, -1, "cannot read '%s': %s", dir, strerror(errno));
    sb_init(&path);
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, n) != 0)
            continue;
        sb_reset(&path);
        sb_addf(&path, "%s/%s", dir, e->d_name);
        if (unlink(sb_str(&path)) < 0 && errno != ENOENT) {
            mrb_err_set(err, 0, -1, "cannot remove '%s': %s", sb_str(&path), strerror(errno));
            closedir(d);
            sb_release(&path);
            return -1;
        }
    }
    closedir(d);
    sb_release(&path);
    return 0;
}

static void part_name(sb *out, const export_writer *w, const export_opts *o, int k, int tmp)
{
    sb_addf(out, "%s/%spart-%05d%s", w->dir, tmp ? ".tmp-" : "", k, extension(o));
}

static int open_part(export_sink *s, export_writer *w, mrb_err *err)
{
    sb path;

    sb_init(&path);
    part_name(&path, w, s->o, w->parts, 1);
    if (s->o->gzip)
        w->gz = gzopen(sb_str(&path), "wb1");
    else
        w->f = fopen(sb_str(&path), "wb");
    if (!w->gz && !w->f) {
        mrb_err_set(err, 0, -1, "cannot create '%s': %s", sb_str(&path), strerror(errno));
        sb_release(&path);
        return -1;
    }
    if (w->gz)
        gzbuffer(w->gz, 128 * 1024);
    sb_release(&path);
    w->rows = xrealloc(w->rows, (size_t)(w->parts + 1) * sizeof *w->rows);
    w->rows[w->parts++] = 0;
    if (s->o->format == EXPORT_CSV)
        export_csv_header(&w->buf, s->t);
    return 0;
}

static int drain(export_writer *w, mrb_err *err)
{
    size_t n = w->buf.len;
    int ok = n == 0 || (w->gz ? gzwrite(w->gz, w->buf.buf, (unsigned)n) == (int)n
                               : fwrite(w->buf.buf, 1, n, w->f) == n);

    sb_reset(&w->buf);
    return ok ? 0 : mrb_err_set(err, 0, -1, "cannot write in '%s': %s", w->dir, strerror(errno));
}

static int close_part(export_writer *w, mrb_err *err)
{
    int rc = drain(w, err);

    if (w->gz && gzclose(w->gz) != Z_OK && rc == 0)
        rc = mrb_err_set(err, 0, -1, "cannot write in '%s'", w->dir);
    if (w->f && fclose(w->f) != 0 && rc == 0)
        rc = mrb_err_set(err, 0, -1, "cannot write in '%s': %s", w->dir, strerror(errno));
    w->gz = NULL;
    w->f = NULL;
    return rc;
}

static export_writer *open_writer(export_sink *s, const char *day, const char *runtime,
                                  mrb_err *err)
{
    XGROW(s->w, s->nw, s->capw, 8);
    export_writer *w = &s->w[s->nw++];
    sb rel;

    memset(w, 0, sizeof *w);
    sb_init(&w->buf);
    sb_init(&rel);
    sb_adds(&rel, s->t->name);
    if (*day) {
        sb_adds(&rel, "/day=");
        export_partition_value(&rel, day);
        sb_adds(&rel, "/runtime=");
        export_partition_value(&rel, runtime);
    }
    w->runtime = xstrdup(runtime);
    w->rel = sb_detach(&rel);
    w->dir = xmalloc(strlen(s->o->out) + strlen(w->rel) + 2);
    sprintf(w->dir, "%s/%s", s->o->out, w->rel);
    if (export_make_dirs(w->dir) < 0) {
        mrb_err_set(err, 0, -1, "cannot create '%s': %s", w->dir, strerror(errno));
        return NULL;
    }
    if (remove_prefixed(w->dir, ".tmp-part-", err) < 0 || open_part(s, w, err) < 0)
        return NULL;
    return w;
}

int export_sink_row(export_sink *s, const char *day, const char *runtime, sqlite3_stmt *st,
                    mrb_err *err)
{
    export_writer *w = NULL;

    if (strcmp(day, s->day) != 0) {
        if (export_sink_flush(s, err) < 0)
            return -1;
        snprintf(s->day, sizeof s->day, "%s", day);
    }
    for (int i = s->nw - 1; i >= 0 && !w; i--)
        if (!strcmp(s->w[i].runtime, runtime))
            w = &s->w[i];
    if (!w && !(w = open_writer(s, day, runtime, err)))
        return -1;
    if (w->rows[w->parts - 1] >= s->o->rows_per_file &&
        (close_part(w, err) < 0 || open_part(s, w, err) < 0))
        return -1;
    if (s->o->format == EXPORT_CSV)
        export_csv_row(&w->buf, s->t, st);
    else
        export_json_row(&w->buf, s->t, st);
    w->rows[w->parts - 1]++;
    s->tot->rows++;
    return w->buf.len >= FLUSH_BYTES ? drain(w, err) : 0;
}

/* Size and CRC-32 of a file's bytes. */
static int file_crc(const char *path, long long *bytes, unsigned long *crc, mrb_err *err)
{
    FILE *f = fopen(path, "rb");
    unsigned char buf[65536];
    size_t n;

    *bytes = 0;
    *crc = crc32(0L, Z_NULL, 0);
    if (!f)
        return mrb_err_set(err, 0, -1, "cannot read '%s': %s", path, strerror(errno));
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        *crc = crc32(*crc, buf, (uInt)n);
        *bytes += (long long)n;
    }
    int bad = ferror(f);
    fclose(f);
    return bad ? mrb_err_set(err, 0, -1, "cannot read '%s'", path) : 0;
}

/* The partition's new files replace its old ones; each is listed. */
static int commit(export_sink *s, export_writer *w, mrb_err *err)
{
    sb from, to;
    int rc = close_part(w, err);

    if (rc == 0)
        rc = remove_prefixed(w->dir, "part-", err);
    sb_init(&from);
    sb_init(&to);
    for (int k = 0; k < w->parts && rc == 0; k++) {
        long long bytes;
        unsigned long crc;
        sb_reset(&from);
        sb_reset(&to);
        part_name(&from, w, s->o, k, 1);
        part_name(&to, w, s->o, k, 0);
        if (rename(sb_str(&from), sb_str(&to)) < 0) {
            rc = mrb_err_set(err, 0, -1, "cannot rename '%s': %s", sb_str(&from), strerror(errno));
            break;
        }
        rc = file_crc(sb_str(&to), &bytes, &crc, err);
        if (rc == 0) {
            const char *name = strrchr(sb_str(&to), '/') + 1;
            char *rel = xmalloc(strlen(w->rel) + strlen(name) + 2);
            sprintf(rel, "%s/%s", w->rel, name);
            export_files_add(s->written, rel, s->t->name, s->day[0] ? s->day : NULL,
                             s->day[0] ? w->runtime : NULL, w->rows[k], bytes, crc);
            free(rel);
            s->tot->files++;
            s->tot->bytes += bytes;
        }
    }
    sb_release(&from);
    sb_release(&to);
    sb_adds(&s->rewritten, w->rel);
    sb_addc(&s->rewritten, '\n');
    s->tot->partitions++;
    return rc;
}

static void free_writer_files(export_writer *w)
{
    if (w->gz)
        gzclose(w->gz);
    if (w->f)
        fclose(w->f);
    w->gz = NULL;
    w->f = NULL;
}

static void free_writer(export_writer *w)
{
    free_writer_files(w);
    free(w->runtime);
    free(w->rel);
    free(w->dir);
    free(w->rows);
    sb_release(&w->buf);
}

int export_sink_flush(export_sink *s, mrb_err *err)
{
    int rc = 0;

    for (int i = 0; i < s->nw; i++) {
        if (rc == 0)
            rc = commit(s, &s->w[i], err);
        free_writer(&s->w[i]);
    }
    s->nw = 0;
    s->day[0] = '\0';
    return rc;
}

void export_sink_release(export_sink *s)
{
    for (int i = 0; i < s->nw; i++) {
        mrb_err ignored;
        free_writer_files(&s->w[i]);
        (void)remove_prefixed(s->w[i].dir, ".tmp-part-", &ignored);
        free_writer(&s->w[i]);
    }
    free(s->w);
    s->w = NULL;
    s->nw = s->capw = 0;
}

void export_files_add(export_files *f, const char *path, const char *table, const char *day,
                      const char *runtime, long long rows, long long bytes, unsigned long crc)
{
    XGROW(f->v, f->n, f->cap, 64);
    f->v[f->n++] = (export_file){xstrdup(path), xstrdup(table), day ? xstrdup(day) : NULL,
                                 runtime ? xstrdup(runtime) : NULL, rows, bytes, crc};
}

void export_files_free(export_files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].path);
        free(f->v[i].table);
        free(f->v[i].day);
        free(f->v[i].runtime);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}
