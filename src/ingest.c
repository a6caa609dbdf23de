/* ingest.c — one file at a time from bytes to rows (see ingest.h).
 *
 * Data flow per file: source -> reader -> shape decoder -> on_event (parse
 * the platform line, resolve the function) -> assembler -> on_invocation /
 * on_annotation / on_environment -> writer (a thread that owns the store).
 * Per-function attribution is kept in a small cache and written to the
 * functions table at the file's end. */
#include "mrb/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mrb/applog.h"
#include "mrb/assemble.h"
#include "mrb/lambda_json.h"
#include "mrb/lambda_line.h"
#include "mrb/pathinfo.h"
#include "mrb/reader.h"
#include "mrb/sb.h"
#include "mrb/shape.h"
#include "mrb/source.h"
#include "mrb/writer.h"
#include "mrb/xalloc.h"

#define PROGRESS_EVERY 4096 /* events between progress calls */

typedef struct fn_entry {
    char *name;
    char *log_group;
    char *version;     /* runtime version seen (INIT_START), or NULL */
    char *stored;      /* runtime label in the database, or NULL */
    const char *runtime;
    int label_changed; /* rows of this run were stored under another label */
    enum attrib_source source;
    int decided;
    int touched;       /* seen in the current file */
    long long levels[APPLOG_LEVEL_COUNT]; /* application lines in the current file */
} fn_entry;

struct ingest {
    store *st;
    writer *wr;
    const attrib_map *map;
    char *run;
    assembler *asm_;
    ingest_totals totals;
    fn_entry *fns;
    size_t n_fns, cap_fns;
    sb unknown;        /* NUL-separated names of unknown-runtime functions */
    /* the current file */
    const char *path;
    const char *name_path; /* the part of path that may name a runtime */
    char path_function[256];
    char path_stream[512];
    int function_known;     /* cache for resolve_function: the last group */
    const char *last_group; /* (NULL, or last_group_buf) and its function */
    char last_group_buf[512];
    char last_function[256];
    file_stats fs;
    ingest_file_result *res;
    source *src;
    void (*progress)(void *arg, long long bytes);
    void *progress_arg;
};

static int on_invocation(void *arg, const invocation *inv, mrb_err *err);
static int on_annotation(void *arg, const annotation *a, mrb_err *err);
static int on_environment(void *arg, const environment *env, mrb_err *err);

ingest *ingest_new(store *st, const attrib_map *map, const char *run, mrb_err *err)
{
    ingest *g = xcalloc(1, sizeof *g);
    assemble_sink sink = {on_invocation, on_annotation, on_environment, g};

    g->wr = writer_start(st, err);
    if (!g->wr) {
        free(g);
        return NULL;
    }
    g->st = st;
    g->map = map;
    g->run = run ? xstrdup(run) : NULL;
    g->asm_ = assemble_new(&sink);
    sb_init(&g->unknown);
    return g;
}

static void forget_functions(ingest *g)
{
    for (size_t i = 0; i < g->n_fns; i++) {
        free(g->fns[i].name);
        free(g->fns[i].log_group);
        free(g->fns[i].version);
        free(g->fns[i].stored);
    }
    g->n_fns = 0;
}

void ingest_free(ingest *g)
{
    if (!g)
        return;
    writer_stop(g->wr);
    forget_functions(g);
    free(g->fns);
    assemble_free(g->asm_);
    sb_release(&g->unknown);
    free(g->run);
    free(g);
}

void ingest_set_progress(ingest *g, void (*fn)(void *arg, long long bytes), void *arg)
{
    g->progress = fn;
    g->progress_arg = arg;
}

const ingest_totals *ingest_get_totals(const ingest *g) { return &g->totals; }

const char *ingest_unknown_functions(const ingest *g)
{
    return g->unknown.len ? g->unknown.buf : "\0";
}

/* The cache entry for a function, loading what the database knows (which
 * waits for the writer: this happens once per function and run). */
static fn_entry *function_entry(ingest *g, const char *name, const char *log_group,
                                mrb_err *err)
{
    char version[128], stored[128];

    for (size_t i = 0; i < g->n_fns; i++)
        if (!strcmp(g->fns[i].name, name))
            return &g->fns[i];
    if (writer_wait(g->wr, err) < 0 ||
        store_function_get(g->st, name, stored, version, sizeof version, err) < 0)
        return NULL;
    if (g->n_fns == g->cap_fns) {
        g->cap_fns = g->cap_fns ? g->cap_fns * 2 : 16;
        g->fns = xrealloc(g->fns, g->cap_fns * sizeof *g->fns);
    }
    fn_entry *f = &g->fns[g->n_fns++];
    memset(f, 0, sizeof *f);
    f->name = xstrdup(name);
    f->log_group = log_group ? xstrdup(log_group) : NULL;
    f->version = version[0] ? xstrdup(version) : NULL;
    f->stored = stored[0] ? xstrdup(stored) : NULL;
    return f;
}

static void decide(ingest *g, fn_entry *f)
{
    const char *before = f->runtime;
    attrib_input in = {f->name, f->log_group, g->path, g->name_path, f->version};

    f->runtime = attrib_decide(g->map, &in, &f->source);
    f->decided = 1;
    if (before && strcmp(before, f->runtime) != 0)
        f->label_changed = 1;
}

/* Function name for an event: a map rule, else the log group's last part
 * ("/aws/lambda/NAME"), else what the path says, else "unknown". */
static const char *resolve_function(ingest *g, const char *log_group)
{
    if (g->function_known && (log_group == g->last_group ||
                              (log_group && g->last_group && !strcmp(log_group, g->last_group))))
        return g->last_function;
    const char *fn = attrib_map_function(g->map, log_group, g->path);
    if (!fn && log_group) {
        const char *slash = strrchr(log_group, '/');
        fn = slash && slash[1] ? slash + 1 : log_group;
    }
    if (!fn)
        fn = g->path_function[0] ? g->path_function : "unknown";
    snprintf(g->last_function, sizeof g->last_function, "%s", fn);
    snprintf(g->last_group_buf, sizeof g->last_group_buf, "%s", log_group ? log_group : "");
    g->last_group = log_group ? g->last_group_buf : NULL;
    g->function_known = 1;
    return g->last_function;
}

static void on_problem(void *arg, long long line, long long offset, const char *text)
{
    ingest *g = arg;
    ingest_file_result *res = g->res;

    g->fs.rejected++;
    if (res->n_problems < (int)(sizeof res->problems / sizeof res->problems[0])) {
        if (line > 0)
            snprintf(res->problems[res->n_problems++], sizeof res->problems[0], "%s:%lld: %s",
                     g->path, line, text);
        else
            snprintf(res->problems[res->n_problems++], sizeof res->problems[0],
                     "%s: byte %lld: %s", g->path, offset, text);
    }
    /* a database failure here resurfaces at the next write */
    (void)writer_problem(g->wr, line, offset, text, NULL);
}

/* Records the runtime version an INIT_START names for the function. A
 * version of another runtime than the one already seen (one file mixing
 * several functions without log groups) is not allowed to flip the label
 * back and forth: the first runtime stays, and the conflict is counted. */
static void note_version(ingest *g, fn_entry *f, mrb_slice v)
{
    if (f->version && strlen(f->version) == v.n && !memcmp(f->version, v.p, v.n))
        return;
    char *nv = xstrndup(v.p, v.n);
    const char *was = attrib_from_version(f->version), *now = attrib_from_version(nv);
    if (f->version && (was || now) && (!was || !now || strcmp(was, now) != 0)) {
        g->totals.version_conflicts++;
        free(nv);
        return;
    }
    free(f->version);
    f->version = nv;
    f->decided = 0;
}

static void on_control(void *arg)
{
    ingest *g = arg;
    g->fs.control_messages++;
}

/* Where an event belongs: its function (entry marked as seen in this file)
 * and stream. NULL with err when the database failed. */
static fn_entry *where_of(ingest *g, const log_event *ev, assemble_where *w, mrb_err *err)
{
    w->function = resolve_function(g, ev->log_group);
    w->log_group = ev->log_group;
    w->log_stream = ev->log_stream;
    w->ts_ms = ev->ts_ms;
    fn_entry *f = function_entry(g, w->function, ev->log_group, err);
    if (f)
        f->touched = 1;
    return f;
}

/* An application line: counted per level, and errors per invocation. */
static int take_app_line(ingest *g, const log_event *ev, mrb_err *err)
{
    applog_line line;
    assemble_where w;

    g->fs.other_lines++;
    applog_parse(ev->msg, ev->msg_len, &line);
    fn_entry *f = where_of(g, ev, &w, err);
    if (!f)
        return -1;
    f->levels[line.level]++;
    return assemble_app(g->asm_, &w, &line);
}

static int take_platform(ingest *g, const log_event *ev, enum lambda_kind k,
                         const lambda_record *rec, mrb_err *err)
{
    assemble_where w;

    g->fs.platform_lines++;
    if (k == LAMBDA_EXTENSION || k == LAMBDA_END)
        return 0;
    fn_entry *f = where_of(g, ev, &w, err);
    if (!f)
        return -1;
    if (k == LAMBDA_INIT_START && rec->runtime_version.p)
        note_version(g, f, rec->runtime_version);
    return assemble_record(g->asm_, &w, rec, err);
}

/* One log event: a text or JSON platform line, or the function's own. */
static int on_event(void *arg, const log_event *ev, mrb_err *err)
{
    ingest *g = arg;
    lambda_record rec;
    lambda_json_doc doc = {NULL};
    int rc;

    if (++g->fs.events % PROGRESS_EVERY == 0 && g->progress)
        g->progress(g->progress_arg, g->totals.bytes + source_raw_bytes(g->src));
    enum lambda_kind k = lambda_parse(ev->msg, ev->msg_len, &rec);
    if (k == LAMBDA_OTHER)
        k = lambda_json_parse(ev->msg, ev->msg_len, &rec, &doc);
    if (k == LAMBDA_OTHER)
        rc = take_app_line(g, ev, err);
    else if (k == LAMBDA_MALFORMED) {
        on_problem(g, ev->line, ev->line > 0 ? -1 : ev->offset, rec.why);
        rc = 0;
    } else
        rc = take_platform(g, ev, k, &rec, err);
    lambda_json_doc_release(&doc);
    return rc;
}

static fn_entry *decided_entry(ingest *g, mrb_slice function, mrb_err *err)
{
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)function.n, function.p);
    fn_entry *f = function_entry(g, name, NULL, err);
    if (f && !f->decided)
        decide(g, f);
    return f;
}

static int on_invocation(void *arg, const invocation *inv, mrb_err *err)
{
    ingest *g = arg;
    fn_entry *f = decided_entry(g, inv->function, err);

    return f ? writer_invocation(g->wr, inv, f->runtime, err) : -1;
}

static int on_annotation(void *arg, const annotation *a, mrb_err *err)
{
    ingest *g = arg;
    return writer_annotation(g->wr, a, err);
}

static int on_environment(void *arg, const environment *env, mrb_err *err)
{
    ingest *g = arg;
    fn_entry *f = decided_entry(g, env->function, err);

    return f ? writer_environment(g->wr, env, f->runtime, err) : -1;
}

/* Writes the attribution of every function seen in the file. */
static int settle_functions(ingest *g, mrb_err *err)
{
    for (size_t i = 0; i < g->n_fns; i++) {
        fn_entry *f = &g->fns[i];
        if (!f->touched)
            continue;
        f->touched = 0;
        if (!f->decided)
            decide(g, f);
        int relabel = f->label_changed || (f->stored && strcmp(f->stored, f->runtime) != 0);
        function_info fi = {f->name, f->log_group, f->runtime, attrib_source_name(f->source),
                            f->version, attrib_map_arch(g->map, f->log_group, g->path),
                            attrib_map_region(g->map, f->log_group, g->path)};
        if (writer_function(g->wr, &fi, relabel, err) < 0)
            return -1;
        f->label_changed = 0;
        free(f->stored);
        f->stored = xstrdup(f->runtime);
        for (int l = 0; l < APPLOG_LEVEL_COUNT; l++) {
            if (f->levels[l] &&
                writer_log_level(g->wr, f->name, applog_level_name((enum applog_level)l),
                                 f->levels[l], err) < 0)
                return -1;
            f->levels[l] = 0;
        }
    }
    return 0;
}

/* Tells what the first bytes of an unknown file look like, safely. */
static void describe_head(const char *p, long n, char *out, size_t size)
{
    size_t o = 0;

    for (long i = 0; i < n && i < 24 && o + 5 < size; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, size - o, "\\x%02x", c);
    }
    out[o] = '\0';
}

/* Sniffs the shape; NULL with err when the content is empty or unknown. */
static const shape *sniff(ingest *g, reader *r, mrb_err *err)
{
    const char *head;
    long n = reader_peek(r, SHAPE_HEAD_BYTES, &head, err);
    char what[128];

    if (n < 0)
        return NULL;
    if (n == 0) {
        mrb_err_set(err, 0, -1, "file is empty%s",
                    source_is_gzip(g->src) ? " after decompression" : "");
        return NULL;
    }
    const shape *sh = shape_sniff(head, (size_t)n);
    if (!sh) {
        describe_head(head, n, what, sizeof what);
        mrb_err_set(err, 1, -1, "not a log export this tool knows (it starts with '%s')", what);
    }
    return sh;
}

static int decode_file(ingest *g, mrb_err *err)
{
    reader *r = reader_new(g->src, INGEST_MAX_LINE);
    event_sink sink = {on_event, on_problem, on_control, g};
    shape_hints hints = {g->path, g->path_stream[0] ? g->path_stream : NULL};
    int rc = -1;

    const shape *sh = sniff(g, r, err);
    if (sh) {
        g->fs.shape = sh->name;
        g->res->shape = sh->name;
        rc = sh->decode(r, &hints, &sink, err);
    }
    if (rc == 0)
        rc = assemble_finish(g->asm_, err);
    reader_free(r);
    return rc;
}

/* Reads the source to its end and notes the file's size, CRC and kind. */
static void close_source(ingest *g, source *given)
{
    if (!g->src)
        return;
    source_finish(g->src); /* size and CRC of the whole file, even after an error */
    g->fs.size_bytes = source_raw_bytes(g->src);
    g->fs.crc32 = source_raw_crc32(g->src);
    g->fs.gzip = source_is_gzip(g->src);
    g->totals.bytes += g->fs.size_bytes;
    if (!given)
        source_close(g->src);
    g->src = NULL;
}

static void start_file(ingest *g, const char *path, ingest_file_result *res)
{
    memset(res, 0, sizeof *res);
    memset(&g->fs, 0, sizeof g->fs);
    res->path = path;
    g->res = res;
    g->path = path;
    g->function_known = 0;
    if (pathinfo_stream(path, g->path_stream, sizeof g->path_stream) < 0)
        g->path_stream[0] = '\0';
    if (pathinfo_function(path, g->path_function, sizeof g->path_function) < 0)
        g->path_function[0] = '\0';
}

int ingest_file(ingest *g, const char *path, const char *name_path, source *src,
                ingest_file_result *res, mrb_err *err)
{
    mrb_err ferr;

    start_file(g, path, res);
    g->name_path = name_path ? name_path : path;
    mrb_err_clear(&ferr);
    mrb_err_source(&ferr, path);
    struct stat st;
    long long size_hint = strcmp(path, "-") && stat(path, &st) == 0 ? (long long)st.st_size : -1;
    if (writer_file_begin(g->wr, path, g->run, size_hint, err) < 0)
        return -1;
    g->src = src ? src : source_open(path, &ferr);
    int rc = g->src ? decode_file(g, &ferr) : -1;
    close_source(g, src);
    res->events = g->fs.events;
    res->rejected = g->fs.rejected;
    g->totals.events += g->fs.events;
    if (rc == 0) {
        if (settle_functions(g, err) < 0 || writer_file_commit(g->wr, &g->fs, err) < 0)
            return -1;
        res->ok = 1;
        g->totals.files_read++;
        g->totals.rejected_records += g->fs.rejected;
        return 0;
    }
    /* The file failed: nothing of it stays, and what the caches learnt from
     * it may be wrong, so they start afresh. A database failure shows in the
     * writer's next answer. */
    res->error = ferr;
    g->totals.files_rejected++;
    assemble_reset(g->asm_);
    forget_functions(g);
    return writer_file_abort(g->wr, &g->fs, &ferr, err);
}

static ingest_runtime_count *runtime_count(ingest *g, const char *runtime)
{
    ingest_totals *t = &g->totals;

    for (int i = 0; i < t->n_runtimes; i++)
        if (!strcmp(t->runtimes[i].runtime, runtime))
            return &t->runtimes[i];
    if (t->n_runtimes == INGEST_MAX_RUNTIMES)
        return &t->runtimes[INGEST_MAX_RUNTIMES - 1]; /* folded into the last */
    ingest_runtime_count *c = &t->runtimes[t->n_runtimes++];
    memset(c, 0, sizeof *c);
    snprintf(c->runtime, sizeof c->runtime, "%.31s", runtime); /* labels are at most 31 */
    return c;
}

int ingest_finish(ingest *g, mrb_err *err)
{
    char runtime[128], version[128];

    if (writer_sync(g->wr, err) < 0)
        return -1;
    const writer_counts *c = writer_get_counts(g->wr);
    g->totals.invocations_new = c->invocations_new;
    g->totals.invocations_known = c->invocations_known;
    g->totals.annotations_orphan = c->annotations_orphan;
    for (int i = 0; i < c->n_functions; i++) {
        const writer_fn_count *f = &c->functions[i];
        if (store_function_get(g->st, f->function, runtime, version, sizeof runtime, err) < 0)
            return -1;
        if (!runtime[0] || !strcmp(runtime, "unknown")) {
            snprintf(runtime, sizeof runtime, "unknown");
            sb_add(&g->unknown, f->function, strlen(f->function) + 1);
        }
        ingest_runtime_count *r = runtime_count(g, runtime);
        r->invocations_new += f->invocations_new;
        r->invocations_known += f->invocations_known;
        r->cold_new += f->cold_new;
    }
    return 0;
}
