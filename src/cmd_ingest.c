/* cmd_ingest.c — `mrb-analyze ingest`: files to the database, with a summary. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mrb/clock.h"
#include "mrb/attrib.h"
#include "mrb/cmd.h"
#include "mrb/emf.h"
#include "mrb/ingest.h"
#include "mrb/msg.h"
#include "mrb/opt.h"
#include "mrb/prefetch.h"
#include "mrb/store.h"
#include "mrb/store_known.h"
#include "mrb/term.h"
#include "mrb/walk.h"

enum { O_RUN, O_MAP, O_LOG_GROUP, O_DB, O_REREAD, O_QUIET, O_JSON, O_NO_PROGRESS, O_HELP };

static const opt_spec options[] = {
    [O_RUN] = {"run", 0, "LABEL", "label the invocations of this ingest (e.g. a nightly run)"},
    [O_MAP] = {"map", 0, "FILE", "rules naming functions and runtimes (see the man page)"},
    [O_LOG_GROUP] = {"log-group", 0, "NAME", "the log group of events that name none"},
    [O_DB] = {"db", 0, "FILE", "the database (default: $MRB_DB, else ./mrb.db)"},
    [O_REREAD] = {"reread", 0, NULL, "read files whose content is stored already too"},
    [O_QUIET] = {"quiet", 'q', NULL, "no summary and no progress; errors only"},
    [O_JSON] = {"json", 0, NULL, "print the summary as JSON on standard output"},
    [O_NO_PROGRESS] = {"no-progress", 0, NULL, "no progress line, even on a terminal"},
    [O_HELP] = {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

typedef struct ingest_opts {
    const char *run, *map, *log_group;
    int quiet, json, progress, reread;
    int bad_paths; /* PATHs that could not be read: reported, the others ingested */
    walk_list files;
} ingest_opts;

typedef struct progress {
    int on;
    size_t file, files;
    double last;
    long long bytes;
} progress;

static void show_progress(void *arg, long long bytes)
{
    progress *p = arg;
    double t = clock_now_s();

    if (!p->on || t - p->last < 0.2)
        return;
    p->last = t;
    fprintf(stderr, "\r\033[Kingest: file %zu/%zu, %.1f MB read", p->file, p->files,
            (double)bytes / 1e6);
}

static void help(void)
{
    printf("usage: mrb-analyze [--db FILE] ingest [OPTIONS] PATH...\n\n"
           "Reads Lambda log exports (CloudWatch S3 exports, `aws logs filter-log-events`\n"
           "and `get-log-events` output, ...) and DynamoDB stream records (Lambda\n"
           "DynamoDB events, `aws dynamodbstreams get-records`, Kinesis Data Streams for\n"
           "DynamoDB, NDJSON; plain or gzip) into the database. PATH is a file,\n"
           "a folder (read recursively, in sorted order) or '-' for standard input;\n"
           "devices, FIFOs and sockets are never opened (give '-' to read one).\n"
           "Each file is one transaction; ingesting anything twice adds nothing, and a\n"
           "file whose content is stored already is not read again (unless --map,\n"
           "--log-group or --reread is given). Several ingests may write one database\n"
           "at once.\n\n"
           "options:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 all stored; 1 some files, folders or records rejected (the\n"
           "rest stored); 2 usage; 3 database error; 4 a PATH or the --map file cannot\n"
           "be read, or a PATH is not a regular file or folder (the other PATHs are\n"
           "ingested all the same)\n");
}

/* Parses argv into o. Returns -1 to go on, or an exit code. */
static int parse(mrb_ctx *ctx, int argc, char **argv, ingest_opts *o)
{
    opt_state st;
    int k;
    mrb_err err;

    opt_init(&st, argc, argv);
    o->progress = isatty(2);
    while ((k = opt_next(&st, options, "ingest")) != OPT_END) {
        switch (k) {
        case OPT_ERROR: return MRB_EXIT_USAGE;
        case OPT_OPERAND:
            mrb_err_clear(&err);
            if (walk_path(&o->files, st.operand, &err) < 0) {
                msg_err(&err);
                o->bad_paths++;
            }
            break;
        case O_RUN:
            if (!*st.value || term_has_control(st.value))
                return msg_usage("ingest", "a --run LABEL is not empty and has no control "
                                           "characters");
            o->run = st.value;
            break;
        case O_MAP: o->map = st.value; break;
        case O_LOG_GROUP:
            if (!st.value[0] || strlen(st.value) > 512)
                return msg_usage("ingest", "--log-group: expected a log group name");
            o->log_group = st.value;
            break;
        case O_DB: ctx->db_path = st.value; break;
        case O_REREAD: o->reread = 1; break;
        case O_QUIET: o->quiet = 1; break;
        case O_JSON: o->json = 1; break;
        case O_NO_PROGRESS: o->progress = 0; break;
        case O_HELP: help(); return MRB_EXIT_OK;
        }
    }
    if (o->quiet)
        o->progress = 0;
    if (o->bad_paths && o->files.n == 0)
        return MRB_EXIT_INPUT;
    if (st.argc == 1 || (o->files.n == 0 && o->files.skipped == 0 && argc < 2))
        return msg_usage("ingest", "no PATH given");
    return -1;
}

static void print_file_result(const ingest_file_result *r)
{
    if (!r->ok) {
        msg_err(&r->error);
        return;
    }
    int records = r->n_problems - r->n_emf_problems;

    for (int i = 0; i < r->n_problems; i++)
        msg_warning("%s", r->problems[i]);
    if (r->rejected > records)
        msg_warning("%s: %lld more records skipped (see the problems table)", r->path,
                    r->rejected - records);
    if (r->emf_rejected > r->n_emf_problems)
        msg_warning("%s: %lld more EMF documents gave no metric (see the metric_rejects table)",
                    r->path, r->emf_rejected - r->n_emf_problems);
}

/* Prints names (NUL-separated, from the logs) with control bytes as '?'. */
static void print_names(const char *names)
{
    for (const char *u = names; *u; u += strlen(u) + 1) {
        fputc(' ', stderr);
        for (const char *c = u; *c; c++)
            fputc((unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c, stderr);
    }
}

static void print_summary(const ingest_totals *t, const char *unknown, const char *split,
                          double secs)
{
    fprintf(stderr,
            "files: %lld read, %lld rejected, %lld skipped; %.1f MB; %lld events in %.2f s\n",
            t->files_read, t->files_rejected, t->files_skipped, (double)t->bytes / 1e6,
            t->events, secs);
    if (t->files_known)
        fprintf(stderr, "files already stored, not read again: %lld (their contents count as "
                        "known, not in the runtime table)\n",
                t->files_known);
    fprintf(stderr,
            "invocations: %lld new, %lld already known, %lld relabelled; %lld records rejected\n",
            t->invocations_new, t->invocations_known, t->relabelled, t->rejected_records);
    if (t->n_runtimes) {
        fprintf(stderr, "  %-12s %10s %10s %10s\n", "runtime", "new", "known", "cold (new)");
        for (int i = 0; i < t->n_runtimes; i++)
            fprintf(stderr, "  %-12s %10lld %10lld %10lld\n", t->runtimes[i].runtime,
                    t->runtimes[i].invocations_new, t->runtimes[i].invocations_known,
                    t->runtimes[i].cold_new);
    }
    if (t->emf_documents) {
        fprintf(stderr, "metric values: %lld new, %lld already known; %lld EMF documents, "
                        "%lld gave no metric",
                t->metric_values_new, t->metric_values_known, t->emf_documents, t->emf_rejected);
        const char *sep = " (";
        for (int r = 1; r < EMF_REASON_COUNT; r++)
            if (t->emf_rejects[r]) {
                fprintf(stderr, "%s%s: %lld", sep, emf_reason_name((enum emf_reason)r),
                        t->emf_rejects[r]);
                sep = ", ";
            }
        fprintf(stderr, "%s\n", sep[0] == ',' ? ")" : "");
    }
    if (t->stream_records || t->stream_attributed)
        fprintf(stderr,
                "stream records: %lld new, %lld already known; %lld conformance violations in "
                "the new; %lld attributed from the logs now, %lld unattributed in the database\n",
                t->stream_records_new, t->stream_records_known, t->stream_violations,
                t->stream_attributed, t->stream_unattributed);
    if (t->version_conflicts)
        fprintf(stderr,
                "%lld INIT_START lines named another runtime than their function's: "
                "a file mixes functions (name them with --map)\n",
                t->version_conflicts);
    if (split[0]) {
        fprintf(stderr, "split per log stream (%lld streams of several runtimes in one "
                        "function named by its path):",
                t->streams_split);
        print_names(split);
        fprintf(stderr, " (name the log group with --log-group or --map)\n");
    }
    if (unknown[0]) {
        fprintf(stderr, "runtime unknown for:");
        print_names(unknown);
        fprintf(stderr, " (name the runtime with a --map rule)\n");
    }
}

static void print_json(const ingest_totals *t, const char *unknown, const char *split)
{
    json_t *rt = json_array(), *un = json_array(), *sp = json_array();

    for (int i = 0; i < t->n_runtimes; i++)
        json_array_append_new(rt, json_pack("{s:s, s:I, s:I, s:I}", "runtime",
                                            t->runtimes[i].runtime, "invocations_new",
                                            (json_int_t)t->runtimes[i].invocations_new,
                                            "invocations_known",
                                            (json_int_t)t->runtimes[i].invocations_known,
                                            "cold_starts_new", (json_int_t)t->runtimes[i].cold_new));
    for (const char *u = unknown; *u; u += strlen(u) + 1)
        json_array_append_new(un, json_string(u));
    for (const char *u = split; *u; u += strlen(u) + 1)
        json_array_append_new(sp, json_string(u));
    json_t *reasons = json_object();
    for (int r = 1; r < EMF_REASON_COUNT; r++)
        if (t->emf_rejects[r])
            json_object_set_new(reasons, emf_reason_name((enum emf_reason)r),
                                json_integer((json_int_t)t->emf_rejects[r]));
    json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}",
                          "files_read", (json_int_t)t->files_read,
                          "files_rejected", (json_int_t)t->files_rejected,
                          "files_skipped", (json_int_t)t->files_skipped,
                          "bytes", (json_int_t)t->bytes,
                          "events", (json_int_t)t->events,
                          "records_rejected", (json_int_t)t->rejected_records,
                          "invocations_new", (json_int_t)t->invocations_new,
                          "invocations_known", (json_int_t)t->invocations_known,
                          "runtimes", rt, "unknown_runtime_functions", un);
    json_object_set_new(o, "relabelled", json_integer((json_int_t)t->relabelled));
    json_object_set_new(o, "split_functions", sp);
    json_object_set_new(o, "streams_split", json_integer((json_int_t)t->streams_split));
    json_object_set_new(o, "version_conflicts", json_integer((json_int_t)t->version_conflicts));
    json_object_set_new(o, "files_known", json_integer((json_int_t)t->files_known));
    json_object_set_new(o, "metric_values_new", json_integer((json_int_t)t->metric_values_new));
    json_object_set_new(o, "metric_values_known",
                        json_integer((json_int_t)t->metric_values_known));
    json_object_set_new(o, "emf_documents", json_integer((json_int_t)t->emf_documents));
    json_object_set_new(o, "emf_rejected", json_integer((json_int_t)t->emf_rejected));
    json_object_set_new(o, "emf_rejects", reasons);
    json_object_set_new(o, "stream_records", json_integer((json_int_t)t->stream_records));
    json_object_set_new(o, "stream_records_new", json_integer((json_int_t)t->stream_records_new));
    json_object_set_new(o, "stream_records_known",
                        json_integer((json_int_t)t->stream_records_known));
    json_object_set_new(o, "stream_violations", json_integer((json_int_t)t->stream_violations));
    json_object_set_new(o, "stream_attributed", json_integer((json_int_t)t->stream_attributed));
    json_object_set_new(o, "stream_unattributed",
                        json_integer((json_int_t)t->stream_unattributed));
    char *s = json_dumps(o, JSON_SORT_KEYS);
    if (s)
        printf("%s\n", s);
    free(s);
    json_decref(o);
}

/* prefetch_wanted: a regular file whose content is stored need not be
 * inflated ahead (ingest_file asks again, on the main connection, and reads
 * the file itself if the answer changed). A failed lookup decodes it. */
static int worker_wants(void *arg, const char *path)
{
    store_known_file kf;
    struct stat info;
    mrb_err ignored;

    if (!strcmp(path, "-") || stat(path, &info) != 0 || !S_ISREG(info.st_mode))
        return 1;
    return store_known_path(arg, path, (long long)info.st_size, &kf, &ignored) != 1;
}

static int run(mrb_ctx *ctx, ingest_opts *o)
{
    mrb_err err;
    attrib_map *map = NULL;
    store *st;
    int code = MRB_EXIT_OK;
    double t0 = clock_now_s();
    progress prog = {o->progress, 0, o->files.n, 0, 0};

    mrb_err_clear(&err);
    if (o->map && !(map = attrib_map_load(o->map, &err))) {
        msg_err(&err);
        return MRB_EXIT_INPUT;
    }
    if (!(st = store_open(ctx->db_path, &err))) {
        msg_err(&err);
        attrib_map_free(map);
        return MRB_EXIT_DATABASE;
    }
    /* with --map, files read again may be labelled anew: they are read */
    store_known *known = NULL;
    if (!o->map && !o->log_group && !o->reread && !(known = store_known_open(ctx->db_path, &err))) {
        msg_err(&err);
        store_close(st);
        attrib_map_free(map);
        return MRB_EXIT_DATABASE;
    }
    /* the worker asks on a connection of its own; ingest_file asks again */
    store_known *ahead = known ? store_known_open(ctx->db_path, &err) : NULL;
    mrb_err_clear(&err); /* without it, every file is decoded ahead: no harm */
    prefetch *pf = prefetch_start(o->files.paths, o->files.n, ahead ? worker_wants : NULL, ahead,
                                  &err);
    if (!pf) {
        msg_err(&err);
        store_known_close(ahead);
        store_known_close(known);
        store_close(st);
        attrib_map_free(map);
        return MRB_EXIT_INPUT;
    }
    ingest *g = ingest_new(st, map, o->run, &err);
    if (!g) {
        msg_err(&err);
        prefetch_stop(pf);
        store_known_close(ahead);
        store_known_close(known);
        store_close(st);
        attrib_map_free(map);
        return MRB_EXIT_DATABASE;
    }
    ingest_set_progress(g, show_progress, &prog);
    for (size_t i = 0; i < o->files.n_problems; i++)
        msg_err(&o->files.problems[i]);
    ingest_set_log_group(g, o->log_group);
    if (known)
        ingest_set_known(g, known);
    for (size_t i = 0; i < o->files.n; i++) {
        ingest_file_result res;
        prog.file = i + 1;
        show_progress(&prog, ingest_get_totals(g)->bytes);
        const char *path = o->files.paths[i];
        source *src = prefetch_next(pf);
        if (prefetch_passed(pf))
            src = NULL; /* not decoded: ingest_file skips it, or reads it itself */
        if (ingest_file(g, path, path + o->files.named[i], src, &res, &err) < 0) {
            if (prog.on)
                fprintf(stderr, "\r\033[K");
            msg_err(&err);
            code = MRB_EXIT_DATABASE;
            break;
        }
        if (prog.on && (!res.ok || res.n_problems))
            fprintf(stderr, "\r\033[K");
        print_file_result(&res);
    }
    if (prog.on)
        fprintf(stderr, "\r\033[K");
    if (code != MRB_EXIT_DATABASE && ingest_finish(g, &err) < 0) {
        msg_err(&err);
        code = MRB_EXIT_DATABASE;
    }
    ingest_totals t = *ingest_get_totals(g);
    t.files_skipped = (long long)o->files.skipped;
    t.files_rejected += (long long)o->files.n_problems; /* refused by the folder walk */
    t.files_rejected += o->bad_paths;
    if (code == MRB_EXIT_OK && (t.files_rejected || t.rejected_records || t.emf_rejected))
        code = MRB_EXIT_REJECTED;
    if (o->bad_paths && code == MRB_EXIT_REJECTED)
        code = MRB_EXIT_INPUT; /* the other PATHs were ingested all the same */
    if (!o->quiet)
        print_summary(&t, ingest_unknown_functions(g), ingest_split_functions(g),
                      clock_now_s() - t0);
    if (o->json)
        print_json(&t, ingest_unknown_functions(g), ingest_split_functions(g));
    ingest_free(g);
    prefetch_stop(pf);
    store_known_close(ahead);
    store_known_close(known);
    store_close(st);
    attrib_map_free(map);
    return code;
}

int cmd_ingest(mrb_ctx *ctx, int argc, char **argv)
{
    ingest_opts o;
    int code;

    memset(&o, 0, sizeof o);
    code = parse(ctx, argc, argv, &o);
    if (code < 0)
        code = run(ctx, &o);
    walk_list_release(&o.files);
    return code;
}
