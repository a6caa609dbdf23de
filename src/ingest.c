/* ingest.c — one file at a time from bytes to rows (see ingest.h).
 *
 * Data flow per file: source -> reader -> shape decoder -> on_event (parse
 * the platform line, resolve the function) -> assembler -> on_invocation /
 * on_annotation / on_environment -> writer (a thread that owns the store).
 * Per-function attribution is kept in a small cache and written to the
 * functions table at the file's end. */
#include "mrb/ddb_attrib.h"
#include "mrb/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mrb/applog.h"
#include "mrb/assemble.h"
#include "mrb/emf.h"
#include "mrb/fn_origin.h"
#include "mrb/ingest_rows.h"
#include "mrb/lambda_json.h"
#include "mrb/lambda_line.h"
#include "mrb/ingest_apigw.h"
#include "mrb/ingest_ddb.h"
#include "mrb/ingest_emf.h"
#include "mrb/ingest_ids.h"
#include "mrb/pathinfo.h"
#include "mrb/reader.h"
#include "mrb/sb.h"
#include "mrb/shape.h"
#include "mrb/source.h"
#include "mrb/store_known.h"
#include "mrb/strindex.h"
#include "mrb/timeparse.h"
#include "mrb/writer.h"
#include "mrb/xalloc.h"

#define PROGRESS_EVERY 4096 /* events between progress calls */
#define EMF_PROBLEMS 5      /* rejected EMF documents per file kept as problems */
#define NAME_MAX_BYTES 512 /* longest log group / stream name (AWS allows 512) */

/* A log stream of a function named by a guess, in the current file: the
 * runtime evidence that may show the "function" to be several. */
typedef struct stream_ev {
    char *name;
    char *version;        /* the first INIT_START runtime version, or NULL */
    int64_t first, last;  /* its events' times in the file */
} stream_ev;

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
    store_volume volume;     /* its log events in the current file (log_volume) */
    enum fn_origin origin; /* how the current file named it (the best seen) */
    int split;         /* a log stream split from a mixed function */
    const char *base_class; /* version_class of version before the current file */
    int mixed;         /* split in the current file: no row of its own unless streamless */
    int streamless;    /* events without a log stream in the current file */
    stream_ev *streams; /* the current file's, when origin is a guess */
    size_t n_streams, cap_streams;
    size_t last_stream; /* index of the stream seen last */
    strindex stream_at; /* stream name -> index in streams */
} fn_entry;

/* A function split in this run, and what its streams held, per runtime. */
typedef struct split_total {
    char *function;
    store_moved m;
} split_total;

struct ingest {
    store *st;
    writer *wr;
    ingest_apigw *apigw;    /* API Gateway lines (ingest_apigw.h) */
    const attrib_map *map;
    char *run;
    assembler *asm_;
    ingest_totals totals;
    fn_entry *fns;
    size_t n_fns, cap_fns;
    sb unknown;        /* NUL-separated names of unknown-runtime functions */
    ingest_emf *emf;       /* EMF documents (ingest_emf.h) */
    ingest_ids *ids;       /* ids in application lines (ingest_ids.h) */
    /* the current file */
    const char *path;
    const char *name_path; /* the part of path that may name a runtime */
    const char *opt_group; /* --log-group, or NULL */
    split_total *splits;
    size_t n_splits, cap_splits;
    sb split_names;        /* NUL-separated names of split functions */
    char **split_streams; /* the log streams split off in this run */
    size_t n_split_streams, cap_split_streams;
    strindex split_at;    /* their names -> index in split_streams */
    enum fn_origin path_origin; /* of path_function */
    char path_group[300];  /* "/aws/lambda/NAME" when the path spelled it, else "" */
    enum fn_origin last_origin; /* cache for resolve_function, with last_function */
    const char *last_out_group;
    char path_function[256];
    char path_stream[512];
    int function_known;     /* cache for resolve_function: the last group */
    const char *last_group; /* (NULL, or last_group_buf) and its function */
    char last_group_buf[NAME_MAX_BYTES + 1];
    char last_function[NAME_MAX_BYTES + 1];
    int64_t written_ms;     /* when the file was written (mtime; now for a pipe) */
    file_stats fs;
    ingest_file_result *res;
    source *src;
    void (*progress)(void *arg, long long bytes);
    void *progress_arg;
    store_known *known;      /* files whose content is stored are not read (or NULL) */
    long long known_invocations, known_metric_values, known_records; /* of those files */
    /* a file of DynamoDB stream records */
    int records_file;
    long long records;
    ingest_ddb *ddb;         /* DynamoDB stream records (ingest_ddb.h) */
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
    g->apigw = ingest_apigw_new(map);
    sb_init(&g->unknown);
    g->emf = ingest_emf_new();
    g->ddb = ingest_ddb_new(map);
    g->ids = ingest_ids_new();
    sb_init(&g->split_names);
    return g;
}

static void forget_streams(fn_entry *f)
{
    for (size_t i = 0; i < f->n_streams; i++) {
        free(f->streams[i].name);
        free(f->streams[i].version);
    }
    f->n_streams = 0;
    strindex_clear(&f->stream_at);
}

static void forget_functions(ingest *g)
{
    for (size_t i = 0; i < g->n_fns; i++) {
        forget_streams(&g->fns[i]);
        free(g->fns[i].streams);
        strindex_release(&g->fns[i].stream_at);
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
    ingest_apigw_free(g->apigw);
    ingest_emf_free(g->emf);
    ingest_ddb_free(g->ddb);
    ingest_ids_free(g->ids);
    forget_functions(g);
    free(g->fns);
    for (size_t i = 0; i < g->n_splits; i++)
        free(g->splits[i].function);
    free(g->splits);
    for (size_t i = 0; i < g->n_split_streams; i++)
        free(g->split_streams[i]);
    free(g->split_streams);
    strindex_release(&g->split_at);
    sb_release(&g->split_names);
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

void ingest_set_known(ingest *g, store_known *known) { g->known = known; }

const ingest_totals *ingest_get_totals(const ingest *g) { return &g->totals; }

const char *ingest_unknown_functions(const ingest *g)
{
    return g->unknown.len ? g->unknown.buf : "\0";
}

const char *ingest_split_functions(const ingest *g)
{
    return g->split_names.len ? g->split_names.buf : "\0";
}

void ingest_set_log_group(ingest *g, const char *log_group)
{
    g->opt_group = log_group;
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
    XGROW(g->fns, g->n_fns, g->cap_fns, 16);
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
    /* a split stream's file mixes functions: its path words say nothing */
    attrib_input in = {f->name, f->log_group, g->path, f->split ? NULL : g->name_path,
                       f->version};

    f->runtime = attrib_decide(g->map, &in, &f->source);
    f->decided = 1;
    if (before && strcmp(before, f->runtime) != 0)
        f->label_changed = 1;
}

/* The last part of a log group ("/aws/lambda/NAME" -> "NAME"). */
static const char *group_function(const char *log_group)
{
    const char *slash = strrchr(log_group, '/');
    return slash && slash[1] ? slash + 1 : log_group;
}

/* Function name for an event, how it was named (*origin) and the log group
 * to store (*group, may be NULL). An event that names its log group: a map
 * rule, else the group's last part. One that does not: --log-group, a map
 * rule on the path, what the path says (pathinfo_function), "unknown". */
static const char *resolve_function(ingest *g, const char *log_group, enum fn_origin *origin,
                                    const char **group)
{
    if (!(g->function_known && (log_group == g->last_group ||
                                (log_group && g->last_group && !strcmp(log_group, g->last_group))))) {
        const char *fn = NULL, *lg = log_group;
        enum fn_origin o = FN_ORIGIN_MAP;
        if (log_group) {
            fn = attrib_map_function(g->map, log_group, g->path);
            if (!fn) {
                fn = group_function(log_group);
                o = FN_ORIGIN_LOG_GROUP;
            }
        } else if (g->opt_group) {
            lg = g->opt_group;
            fn = group_function(lg);
            o = FN_ORIGIN_OPTION;
        } else if (!(fn = attrib_map_function(g->map, NULL, g->path))) {
            fn = g->path_function[0] ? g->path_function : "unknown";
            o = g->path_function[0] ? g->path_origin : FN_ORIGIN_UNKNOWN;
            lg = g->path_group[0] ? g->path_group : NULL;
        }
        snprintf(g->last_function, sizeof g->last_function, "%s", fn);
        snprintf(g->last_group_buf, sizeof g->last_group_buf, "%s", log_group ? log_group : "");
        g->last_group = log_group ? g->last_group_buf : NULL;
        g->last_out_group = lg == log_group ? g->last_group : lg;
        g->last_origin = o;
        g->function_known = 1;
    }
    *origin = g->last_origin;
    *group = g->last_out_group;
    return g->last_function;
}

/* A problem kept (stored and printed) without rejecting a record. */
static void note_problem(ingest *g, long long line, long long offset, const char *text)
{
    ingest_file_result *res = g->res;

    if (res->n_problems < (int)(sizeof res->problems / sizeof res->problems[0]))
        mrb_err_format_at(res->problems[res->n_problems++], sizeof res->problems[0], g->path,
                          line, offset, text);
    /* a database failure here resurfaces at the next write */
    (void)writer_problem(g->wr, line, offset, text, NULL);
}

static void on_problem(void *arg, long long line, long long offset, const char *text)
{
    ingest *g = arg;

    if (line > 0 || offset >= 0) /* not a note about the whole file */
        g->fs.rejected++;
    note_problem(g, line, offset, text);
}

/* 1 (and a problem) when a time is not one the file can hold: before 2014
 * or over a day after the file was written. Such a record is not stored. */
static int implausible(ingest *g, int64_t ms, long long line, long long offset, const char *what)
{
    char text[160];

    if (time_plausible(ms, g->written_ms))
        return 0;
    time_range_problem(ms, what, text, sizeof text);
    on_problem(g, line, line > 0 ? -1 : offset, text);
    return 1;
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
        /* a guessed name: its streams are split at the file's end instead */
        if (f->origin > FN_ORIGIN_PATH)
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

/* The runtime class of a runtime version: its label, or "provided" for a
 * custom runtime (Go or Kotlin: not Python, not TypeScript); NULL for none. */
static const char *version_class(const char *version)
{
    const char *v = attrib_from_version(version);
    return v ? v : version ? "provided" : NULL;
}

/* Marks f as seen in the current file with a name of origin o. */
static void touch(fn_entry *f, enum fn_origin o)
{
    if (!f->touched) {
        f->origin = o;
        f->base_class = version_class(f->version);
    } else if (o > f->origin) {
        f->origin = o;
    }
    f->touched = 1;
}

/* The entry of the stream of ev in f's streams of the current file (a file
 * whose events interleave thousands of streams looks each up by hash, not
 * by comparing it with every stream before). */
static stream_ev *stream_of(fn_entry *f, const log_event *ev)
{
    size_t i = f->last_stream;

    if (i >= f->n_streams || strcmp(f->streams[i].name, ev->log_stream) != 0)
        i = strindex_get(&f->stream_at, ev->log_stream, f->n_streams);
    if (i == f->n_streams) {
        XGROW(f->streams, f->n_streams, f->cap_streams, 8);
        stream_ev *e = &f->streams[f->n_streams++];
        e->name = xstrdup(ev->log_stream);
        e->version = NULL;
        e->first = e->last = ev->ts_ms;
        strindex_put(&f->stream_at, e->name, i);
    }
    f->last_stream = i;
    stream_ev *e = &f->streams[i];
    if (ev->ts_ms < e->first)
        e->first = ev->ts_ms;
    if (ev->ts_ms > e->last)
        e->last = ev->ts_ms;
    return e;
}

/* Where an event belongs: its function (entry marked as seen in this file,
 * with the best origin its name had) and stream; the streams of a function
 * named by a guess are noted. *sev gets the stream's entry, or NULL. NULL
 * with err when the database failed. */
/* One more log event of f in the current file (CloudWatch Logs bills the
 * bytes of the messages). */
static void count_volume(fn_entry *f, const log_event *ev)
{
    store_volume *v = &f->volume;

    if (v->events++ == 0)
        v->first_ts_ms = v->last_ts_ms = EVENT_TS_NONE;
    v->message_bytes += (long long)ev->msg_len;
    if (ev->ts_ms != EVENT_TS_NONE) {
        if (v->first_ts_ms == EVENT_TS_NONE || ev->ts_ms < v->first_ts_ms)
            v->first_ts_ms = ev->ts_ms;
        if (v->last_ts_ms == EVENT_TS_NONE || ev->ts_ms > v->last_ts_ms)
            v->last_ts_ms = ev->ts_ms;
    }
}

static fn_entry *where_of(ingest *g, const log_event *ev, assemble_where *w, stream_ev **sev,
                          mrb_err *err)
{
    enum fn_origin o;
    const char *lg;

    w->function = resolve_function(g, ev->log_group, &o, &lg);
    w->log_group = lg;
    w->log_stream = ev->log_stream;
    w->ts_ms = ev->ts_ms;
    *sev = NULL;
    fn_entry *f = function_entry(g, w->function, lg, err);
    if (!f)
        return NULL;
    touch(f, o);
    count_volume(f, ev);
    if (!ev->log_stream)
        f->streamless = 1;
    else if (f->origin <= FN_ORIGIN_PATH)
        *sev = stream_of(f, ev);
    return f;
}

/* ---- Embedded Metric Format ---- */

/* What identifies one EMF event across files, shapes and log formats: its
 * log stream and its document (from offset, without the runtime's prefix and
 * surrounding white space). The same event exported twice has both, and so
 * has the same document logged in the text and the JSON log format; two
 * environments writing the same document at the same millisecond differ in
 * the stream. */
/* The runtime label of a function named by a Lambda Insights event: what is
 * already decided or stored for it; only a function never seen is decided
 * here (from its name) and recorded. */
static const char *insights_runtime(ingest *g, fn_entry *f)
{
    if (f->decided)
        return f->runtime;
    if (f->stored)
        return f->stored;
    decide(g, f);
    f->touched = 1;
    return f->runtime;
}

/* emf_owner.resolve: the function of an EMF document's values, named by a
 * Lambda Insights event or by the event's log group (or the file). */
static int emf_function(void *arg, const log_event *ev, const char *insights_function,
                        const char **function, const char **runtime, mrb_err *err)
{
    ingest *g = arg;
    fn_entry *f;

    if (insights_function) {
        if (!(f = function_entry(g, insights_function, NULL, err)))
            return -1;
        *runtime = insights_runtime(g, f);
    } else {
        enum fn_origin o;
        const char *lg;
        const char *name = resolve_function(g, ev->log_group, &o, &lg);
        if (!(f = function_entry(g, name, lg, err)))
            return -1;
        touch(f, o);
        if (!f->decided)
            decide(g, f);
        *runtime = f->runtime;
    }
    *function = f->name;
    return 0;
}

/* A rejected document: the first few of a file are problems (stored and
 * printed) with the event's position. */
static void emf_reject(ingest *g, const log_event *ev, const emf_result *res)
{
    ingest_file_result *fr = g->res;
    char text[300];

    g->fs.emf_rejected++;
    if (g->fs.emf_rejected > EMF_PROBLEMS)
        return;
    snprintf(text, sizeof text, "EMF document gives no metric (%s): %s",
             emf_reason_name(res->reason), res->detail);
    if (fr->n_problems < (int)(sizeof fr->problems / sizeof fr->problems[0])) {
        mrb_err_format_at(fr->problems[fr->n_problems++], sizeof fr->problems[0], g->path,
                          ev->line, ev->offset, text);
        fr->n_emf_problems++;
    }
    (void)writer_problem(g->wr, ev->line, ev->line > 0 ? -1 : ev->offset, text, NULL);
}

/* Extracts the EMF document of an event, if any. Returns 1 when the event
 * was a Lambda Insights performance event (not the function's own output),
 * 0 otherwise, -1 when the database failed. */
static int take_emf(ingest *g, const log_event *ev, mrb_err *err)
{
    const emf_owner owner = {.resolve = emf_function, .arg = g};
    emf_outcome out;

    if (ingest_emf_take(g->emf, g->wr, ev, g->written_ms, &owner, &out, err) < 0)
        return -1;
    if (out.kind != EMF_NONE)
        g->fs.emf_documents++;
    if (out.kind == EMF_BAD_TIME)
        (void)implausible(g, out.ts_ms, ev->line, ev->offset, "EMF document");
    else if (out.kind == EMF_REJECTED)
        emf_reject(g, ev, &out.res);
    return out.insights;
}

/* An application line: counted per level, and errors per invocation; EMF
 * documents give metric values. */
static int take_app_line(ingest *g, const log_event *ev, mrb_err *err)
{
    applog_line line;
    assemble_where w;

    g->fs.other_lines++;
    if (emf_maybe(ev->msg, ev->msg_len)) {
        int rc = take_emf(g, ev, err);
        if (rc != 0)
            return rc < 0 ? -1 : 0; /* Lambda Insights: no line of the function's */
    }
    applog_parse(ev->msg, ev->msg_len, &line);
    stream_ev *sev;
    fn_entry *f = where_of(g, ev, &w, &sev, err);
    if (!f)
        return -1;
    f->levels[line.level]++;
    if (ingest_ids_note(g->ids, g->wr, ev, &line, f->name, err) < 0)
        return -1;
    return assemble_app(g->asm_, &w, &line);
}

static int take_platform(ingest *g, const log_event *ev, enum lambda_kind k,
                         const lambda_record *rec, mrb_err *err)
{
    assemble_where w;

    g->fs.platform_lines++;
    stream_ev *sev;
    fn_entry *f = where_of(g, ev, &w, &sev, err); /* counted in the log volume too */
    if (!f)
        return -1;
    if (k == LAMBDA_EXTENSION || k == LAMBDA_END)
        return 0;
    if (k == LAMBDA_INIT_START && rec->runtime_version.p) {
        if (sev && !sev->version)
            sev->version = xstrndup(rec->runtime_version.p, rec->runtime_version.n);
        note_version(g, f, rec->runtime_version);
    }
    return assemble_record(g->asm_, &w, rec, err);
}

/* An API Gateway access or execution line: 1 taken (or skipped with a
 * problem), 0 not one, -1 when the writer failed. */
static int take_apigw(ingest *g, const log_event *ev, mrb_err *err)
{
    const char *group = ev->log_group ? ev->log_group
                        : g->path_group[0] ? g->path_group : g->opt_group;
    const char *why;
    int rc = ingest_apigw_event(g->apigw, g->wr, ev, group, &why, err);
    if (rc > 0 && why)
        on_problem(g, ev->line, ev->line > 0 ? -1 : ev->offset, why);
    return rc;
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
    if (ev->ts_ms != EVENT_TS_NONE && implausible(g, ev->ts_ms, ev->line, ev->offset, "event"))
        return 0;
    if ((ev->log_group && strlen(ev->log_group) > NAME_MAX_BYTES) ||
        (ev->log_stream && strlen(ev->log_stream) > NAME_MAX_BYTES)) {
        /* never cut: a cut name would merge distinct functions or streams */
        on_problem(g, ev->line, ev->line > 0 ? -1 : ev->offset,
                   "log group or stream name longer than 512 bytes (AWS allows 512), skipped");
        return 0;
    }
    if ((rc = take_apigw(g, ev, err)) != 0)
        return rc < 0 ? -1 : 0;
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
    if (!f)
        return -1;
    invocation v = *inv;
    v.fn_origin = (int)f->origin;
    f->volume.invocations++;
    return writer_invocation(g->wr, &v, f->runtime, err);
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
    if (!f)
        return -1;
    environment e = *env;
    e.fn_origin = (int)f->origin;
    return writer_environment(g->wr, &e, f->runtime, err);
}

/* The runtime class a stream's evidence shows: the label of its runtime
 * version ("provided" for a custom runtime, which may be Go or Kotlin),
 * else the label its name's words give (the part before "[$LATEST]"), or
 * NULL. */
static const char *stream_class(const stream_ev *e)
{
    char name[256];

    if (e->version)
        return version_class(e->version);
    const char *b = strchr(e->name, '[');
    size_t n = b ? (size_t)(b - e->name) : strlen(e->name);
    snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), e->name);
    return attrib_from_name(name);
}

/* 1 when the streams of f show more than one runtime, or another than f's
 * runtime version before the file. */
static int is_mixed(const fn_entry *f)
{
    const char *seen = f->base_class;

    for (size_t i = 0; i < f->n_streams; i++) {
        const char *c = stream_class(&f->streams[i]);
        if (c && seen && strcmp(c, seen) != 0)
            return 1;
        if (c)
            seen = c;
    }
    return 0;
}

/* Adds what a split stream held to the run's record of function's splits. */
static void note_split(ingest *g, const char *function, const store_moved *m)
{
    split_total *t = NULL;

    for (size_t i = 0; !t && i < g->n_splits; i++)
        if (!strcmp(g->splits[i].function, function))
            t = &g->splits[i];
    if (!t) {
        XGROW(g->splits, g->n_splits, g->cap_splits, 4);
        t = &g->splits[g->n_splits++];
        memset(t, 0, sizeof *t);
        t->function = xstrdup(function);
        sb_add(&g->split_names, function, strlen(function) + 1);
    }
    for (int i = 0; i < m->n; i++) {
        int k = 0;
        while (k < t->m.n && strcmp(t->m.by[k].runtime, m->by[i].runtime) != 0)
            k++;
        if (k == t->m.n) {
            if (t->m.n == STORE_MOVED_RUNTIMES)
                k = STORE_MOVED_RUNTIMES - 1; /* folded into the last */
            else
                snprintf(t->m.by[t->m.n++].runtime, sizeof t->m.by[0].runtime, "%s",
                         m->by[i].runtime);
        }
        t->m.by[k].added += m->by[i].added;
        t->m.by[k].cold_added += m->by[i].cold_added;
        t->m.by[k].known += m->by[i].known;
    }
}

/* Lists name among the functions whose runtime stayed unknown, once. */
static void note_unknown(ingest *g, const char *name)
{
    for (size_t at = 0; at < g->unknown.len; at += strlen(g->unknown.buf + at) + 1)
        if (!strcmp(g->unknown.buf + at, name))
            return;
    sb_add(&g->unknown, name, strlen(name) + 1);
}

/* 1 when the log stream was split off earlier in this run. */
static int was_split(const ingest *g, const char *name)
{
    return strindex_get(&g->split_at, name, g->n_split_streams) < g->n_split_streams;
}

static void note_split_stream(ingest *g, const char *name)
{
    if (was_split(g, name))
        return;
    XGROW(g->split_streams, g->n_split_streams, g->cap_split_streams, 16);
    char *kept = xstrdup(name);
    g->split_streams[g->n_split_streams] = kept;
    strindex_put(&g->split_at, kept, g->n_split_streams++);
}

/* Splits the function at index i, named by a guess and holding streams of
 * several runtimes, into one function per log stream (named like the
 * stream), each labelled from its own evidence or "unknown". With
 * only_known, only the streams split off earlier in the run (a log stream
 * belongs to one function: the later pages of a split stream follow it). */
static int split_function(ingest *g, size_t i, int only_known, mrb_err *err)
{
    if (writer_wait(g->wr, err) < 0) /* the store is read and written directly */
        return -1;
    for (size_t j = 0; j < g->fns[i].n_streams; j++) {
        const stream_ev *e = &g->fns[i].streams[j];
        int known = was_split(g, e->name);
        if (only_known && !known)
            continue;
        g->totals.streams_split += !known;
        note_split_stream(g, e->name);
        fn_entry *t = function_entry(g, e->name, NULL, err); /* may move g->fns */
        if (!t)
            return -1;
        fn_entry *f = &g->fns[i];
        t->split = 1;
        t->touched = 1;
        t->origin = f->origin;
        if (e->version)
            note_version(g, t, (mrb_slice){e->version, strlen(e->version)});
        decide(g, t);
        store_name to = {t->name, NULL, t->runtime, (int)t->origin};
        store_moved m;
        if (store_split_stream(g->st, f->name, e->name, e->first, e->last, &to, &m, err) < 0)
            return -1;
        note_split(g, f->name, &m);
        if (m.owned)
            t->touched = 0; /* no row of its own */
        else if (!strcmp(t->runtime, "unknown"))
            note_unknown(g, t->name);
    }
    fn_entry *f = &g->fns[i];
    g->totals.functions_split++;
    f->mixed = 1;
    f->decided = 0; /* what is left of it keeps what it was */
    return 0;
}

/* Splits every function of the file named by a guess whose streams show
 * several runtimes, then forgets the file's streams. */
static int split_mixed(ingest *g, mrb_err *err)
{
    size_t n = g->n_fns; /* the split functions are added after */

    for (size_t i = 0; i < n; i++) {
        fn_entry *f = &g->fns[i];
        if (!f->touched || f->split || f->origin > FN_ORIGIN_PATH || f->n_streams == 0)
            continue;
        int mixed = is_mixed(f), known = 0;
        for (size_t j = 0; !mixed && !known && j < f->n_streams; j++)
            known = was_split(g, f->streams[j].name);
        if ((mixed || known) && split_function(g, i, !mixed, err) < 0)
            return -1;
    }
    for (size_t i = 0; i < g->n_fns; i++)
        forget_streams(&g->fns[i]);
    return 0;
}

/* Writes the attribution of every function seen in the file. */
static int settle_functions(ingest *g, mrb_err *err)
{
    if (split_mixed(g, err) < 0)
        return -1;
    for (size_t i = 0; i < g->n_fns; i++) {
        fn_entry *f = &g->fns[i];
        if (!f->touched)
            continue;
        f->touched = 0;
        int row = !f->mixed || f->streamless;
        f->mixed = f->streamless = 0;
        if (!f->decided)
            decide(g, f);
        int relabel = f->label_changed || (f->stored && strcmp(f->stored, f->runtime) != 0);
        function_info fi = {
            .function = f->name,
            .log_group = f->log_group,
            .runtime = f->runtime,
            .runtime_source = attrib_source_name(f->source),
            .runtime_version = f->version,
            .architecture = attrib_map_arch(g->map, f->log_group, g->path),
            .region = attrib_map_region(g->map, f->log_group, g->path),
        };
        if (row && writer_function(g->wr, &fi, relabel, err) < 0)
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
        if (f->volume.events && writer_log_volume(g->wr, f->name, &f->volume, err) < 0)
            return -1;
        memset(&f->volume, 0, sizeof f->volume);
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

/* ---- DynamoDB stream records ---- */

/* ingest_ddb_file.warning: a record kept with a note. */
static void ddb_warning(void *arg, long long line, long long offset, const char *text)
{
    note_problem(arg, line, offset, text);
}

static void ddb_progress(void *arg)
{
    ingest *g = arg;
    if (g->progress)
        g->progress(g->progress_arg, g->totals.bytes + source_raw_bytes(g->src));
}

/* A file of DynamoDB stream records (ingest_ddb.h). */
static int decode_records(ingest *g, const row_shape *rs, reader *r, mrb_err *err)
{
    const ingest_ddb_file f = {
        .wr = g->wr,
        .path = g->path,
        .written_ms = g->written_ms,
        .skipped = on_problem,
        .warning = ddb_warning,
        .progress = ddb_progress,
        .arg = g,
    };

    g->fs.shape = rs->name;
    g->res->shape = rs->name;
    g->records_file = 1;
    reader_raise_max_line(r, INGEST_MAX_RECORD);
    return ingest_ddb_read(g->ddb, &f, rs, r, &g->records, err);
}

/* A file of X-Ray traces or CloudWatch metrics (ingest_rows.h): its rows
 * count as the file's events. */
static int decode_rows(ingest *g, const row_shape *rs, reader *r, mrb_err *err)
{
    ingest_rows_counts c;

    g->fs.shape = rs->name;
    g->res->shape = rs->name;
    reader_raise_max_line(r, INGEST_MAX_RECORD);
    int rc = ingest_rows_file(g->st, g->wr, g->map, g->path, rs, r, &c, err);
    g->fs.events = c.rows;
    return rc;
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
        if (memchr(head, '\0', (size_t)n))
            mrb_err_set(err, 1, -1, "not a log export this tool knows (it starts with '%s')", what);
        else
            mrb_err_set(err, 1, -1, "not a log export this tool knows, and no Lambda record "
                        "(START, END, REPORT, ...) in its first %ld bytes (it starts with '%s')",
                        n, what);
    }
    return sh;
}

static int decode_file(ingest *g, mrb_err *err)
{
    reader *r = reader_new(g->src, INGEST_MAX_LINE);
    event_sink sink = {on_event, on_problem, on_control, g};
    shape_hints hints = {g->path, g->path_stream[0] ? g->path_stream : NULL};
    int rc = -1;
    const char *head;

    /* a UTF-8 byte order mark (Windows editors write one) is not content */
    long n = reader_peek(r, 3, &head, err);
    if (n >= 3 && !memcmp(head, "\xef\xbb\xbf", 3))
        reader_consume(r, 3);
    const char *peek;
    long m = n < 0 ? -1 : reader_peek(r, SHAPE_HEAD_BYTES, &peek, err);
    const row_shape *rs = m > 0 ? shape_sniff_rows(peek, (size_t)m) : NULL;
    if (rs || m < 0) {
        rc = !rs ? -1 : rs->records ? decode_records(g, rs, r, err) : decode_rows(g, rs, r, err);
        reader_free(r);
        return rc;
    }
    const shape *sh = sniff(g, r, err);
    if (sh) {
        g->fs.shape = sh->name;
        g->res->shape = sh->name;
        rc = sh->decode(r, &hints, &sink, err);
        if (rc == 0 && sh->copied && g->fs.platform_lines == 0)
            note_problem(g, 0, -1, "no Lambda record in this file: not one of its events is a "
                                 "START, END, REPORT or other platform line");
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
    g->fs.content_hash = source_raw_hash(g->src);
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
    ingest_apigw_file(g->apigw, path);
    g->function_known = 0;
    g->records_file = 0;
    g->records = 0;
    if (pathinfo_stream(path, g->path_stream, sizeof g->path_stream) < 0)
        g->path_stream[0] = '\0';
    int spelled = 0;
    if (pathinfo_function(path, g->path_function, sizeof g->path_function, &g->path_origin,
                          &spelled) < 0)
        g->path_function[0] = '\0';
    snprintf(g->path_group, sizeof g->path_group, "%s%s", spelled ? "/aws/lambda/" : "",
             spelled ? g->path_function : "");
}

/* 1 when the file's content is stored: then it is counted, not read. Its
 * raw bytes are hashed first only when a stored file has its size. 0 when
 * it must be read (also when it cannot be hashed: reading it reports why),
 * -1 when the database failed. */
static int skip_known(ingest *g, const char *path, long long size, ingest_file_result *res,
                      mrb_err *err)
{
    store_known_file kf;

    int rc = store_known_path(g->known, path, size, &kf, err);
    if (rc <= 0)
        return rc;
    if (kf.moved && ingest_rows_path_keyed(path))
        return 0; /* a metric export whose path names what it holds: another metric */
    if (writer_file_known(g->wr, kf.file_id, kf.content_hash, err) < 0)
        return -1;
    res->ok = 1;
    res->known = 1 + kf.moved;
    g->totals.files_known++;
    g->totals.bytes += size;
    g->totals.stream_records += kf.stream_records;
    g->totals.emf_documents += kf.emf_documents;
    g->known_invocations += kf.invocations;
    g->known_metric_values += kf.metric_values;
    g->known_records += kf.stream_records;
    return 1;
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
    long long size_hint = strcmp(path, "-") && stat(path, &st) == 0 && S_ISREG(st.st_mode)
                              ? (long long)st.st_size
                              : -1;
    int known = g->known && size_hint >= 0 ? skip_known(g, path, size_hint, res, err) : 0;
    if (known != 0)
        return known < 0 ? -1 : 0;
    g->written_ms = (int64_t)(size_hint >= 0 ? st.st_mtime : time(NULL)) * 1000;
    if (writer_file_begin(g->wr, path, g->run, size_hint, err) < 0)
        return -1;
    g->src = src ? src : source_open(path, &ferr);
    int rc = g->src ? decode_file(g, &ferr) : -1;
    close_source(g, src);
    res->events = g->fs.events;
    res->rejected = g->fs.rejected;
    res->records = g->records;
    g->totals.events += g->fs.events;
    res->emf_rejected = g->fs.emf_rejected;
    if (rc == 0) {
        const long long *rejects = ingest_emf_rejects(g->emf);
        for (int r = 0; r < EMF_REASON_COUNT; r++)
            g->totals.emf_rejects[r] += rejects[r];
        if ((g->records_file && writer_ddb_file(g->wr, g->records, err) < 0) ||
            ingest_ids_flush(g->ids, g->wr, err) < 0)
            return -1;
        g->totals.stream_records += g->records;
        if (settle_functions(g, err) < 0 || ingest_emf_settle(g->emf, g->wr, err) < 0 ||
            writer_file_commit(g->wr, &g->fs, err) < 0)
            return -1;
        res->ok = 1;
        g->totals.files_read++;
        g->totals.rejected_records += g->fs.rejected;
        g->totals.emf_documents += g->fs.emf_documents;
        g->totals.emf_rejected += g->fs.emf_rejected;
        return 0;
    }
    /* The file failed: nothing of it stays, and what the caches learnt from
     * it may be wrong, so they start afresh. A database failure shows in the
     * writer's next answer. */
    res->error = ferr;
    g->totals.files_rejected++;
    assemble_reset(g->asm_);
    forget_functions(g);
    ingest_emf_forget_file(g->emf);
    ingest_ids_forget(g->ids);
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

/* The invocations of a split function f are counted under the runtimes
 * of the streams they were in; what is left stays f's. Returns 1 when
 * nothing is left. */
static int take_splits(ingest *g, writer_fn_count *f)
{
    for (size_t i = 0; i < g->n_splits; i++) {
        const split_total *t = &g->splits[i];
        if (strcmp(t->function, f->function) != 0)
            continue;
        /* no more than the writer counted for f (a range may hold more) */
        for (int k = 0; k < t->m.n; k++) {
            const store_moved_runtime *m = &t->m.by[k];
            ingest_runtime_count *r = runtime_count(g, m->runtime);
            long long added = m->added < f->invocations_new ? m->added : f->invocations_new;
            long long known = m->known < f->invocations_known ? m->known : f->invocations_known;
            long long cold = m->cold_added < f->cold_new ? m->cold_added : f->cold_new;
            r->invocations_new += added;
            r->invocations_known += known;
            r->cold_new += cold;
            f->invocations_new -= added;
            f->invocations_known -= known;
            f->cold_new -= cold;
        }
        return f->invocations_new == 0 && f->invocations_known == 0;
    }
    return 0;
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
    g->totals.metric_values_new = c->metric_values_new;
    g->totals.metric_values_known = c->metric_values_known;
    g->totals.stream_records_new = c->stream_records_new;
    g->totals.stream_records_known = c->stream_records_known;
    g->totals.stream_violations = c->stream_violations;
    g->totals.invocations_known += g->known_invocations;
    g->totals.metric_values_known += g->known_metric_values;
    g->totals.stream_records_known += g->known_records;
    if (ddb_attribute(g->st, &g->totals.stream_attributed,
                               &g->totals.stream_unattributed, err) < 0)
        return -1;
    g->totals.relabelled = store_relabelled(g->st);
    for (int i = 0; i < c->n_functions; i++) {
        writer_fn_count f = c->functions[i];
        if (take_splits(g, &f))
            continue; /* all of it was in streams split off */
        if (store_function_get(g->st, f.function, runtime, version, sizeof runtime, err) < 0)
            return -1;
        if (!runtime[0] || !strcmp(runtime, "unknown")) {
            /* no row at all: its invocations are better-named functions' */
            if (runtime[0] || f.invocations_new)
                note_unknown(g, f.function);
            snprintf(runtime, sizeof runtime, "unknown");
        }
        ingest_runtime_count *r = runtime_count(g, runtime);
        r->invocations_new += f.invocations_new;
        r->invocations_known += f.invocations_known;
        r->cold_new += f.cold_new;
    }
    return 0;
}
