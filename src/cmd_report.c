/* cmd_report.c — `mrb-analyze report`: the nightly per-runtime report.
 *
 * Selects invocations (a UTC day, a time range, a run label, or all),
 * then writes DIR/report.md — one section per queries/report-*.sql file,
 * each a per-runtime table ranked best first with the ratio to the best —
 * and DIR/summary.json with the same rows for machines. Every cell is
 * escaped (out.h). The report never says "now": it names the selection
 * and the data's own time range. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mrb/cmd.h"
#include "mrb/compare.h"
#include "mrb/db.h"
#include "mrb/hash64.h"
#include "mrb/msg.h"
#include "mrb/opt.h"
#include "mrb/out.h"
#include "mrb/queries.h"
#include "mrb/report_cost.h"
#include "mrb/report_ddb.h"
#include "mrb/report_e2e.h"
#include "mrb/report_downstream.h"
#include "mrb/report_metrics.h"
#include "mrb/report_plots.h"
#include "mrb/report_trend.h"
#include "mrb/sb.h"
#include "mrb/timeparse.h"

enum {
    O_DAY, O_SINCE, O_UNTIL, O_RUN, O_OUT, O_TITLE, O_PRICING, O_ARCH, O_REGION, O_NO_PLOTS,
    O_BASELINE, O_TREND, O_DB, O_QUERIES, O_HELP
};

static const opt_spec options[] = {
    [O_DAY] = {"day", 0, "YYYY-MM-DD", "one UTC day of event time"},
    [O_SINCE] = {"since", 0, "TIME", "from this UTC time (ISO 8601 or YYYY-MM-DD)"},
    [O_UNTIL] = {"until", 0, "TIME", "up to (not including) this UTC time"},
    [O_RUN] = {"run", 0, "LABEL", "only invocations ingested with --run LABEL"},
    [O_OUT] = {"out", 'o', "DIR", "where to write (default reports/<day, run or all>/)"},
    [O_TITLE] = {"title", 0, "TEXT", "the report's title"},
    [O_PRICING] = {"pricing", 0, "FILE", "prices for the cost section (JSON; see the man page)"},
    [O_ARCH] = {"arch", 0, "ARCH", "x86_64 or arm64 for the cost section (default: the map file's, else x86_64)"},
    [O_REGION] = {"region", 0, "REGION", "region for prices where the runtime ARN names none (over the map file's)"},
    [O_NO_PLOTS] = {"no-plots", 0, NULL, "write the charts' data and scripts, do not run gnuplot"},
    [O_BASELINE] = {"baseline", 0, "NIGHT",
                    "add a comparison with NIGHT (YYYY-MM-DD or run label; see compare)"},
    [O_TREND] = {"trend", 0, "N", "add the last N nights per runtime against their band"},
    [O_DB] = {"db", 0, "FILE", "the database (default: $MRB_DB, else ./mrb.db)"},
    [O_QUERIES] = {"queries", 0, "DIR", "DIR/NAME.sql override the built-in queries (default: $MRB_QUERIES)"},
    [O_HELP] = {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

typedef struct section {
    const char *query; /* queries/<query>.sql */
    const char *key;   /* in summary.json */
    const char *title;
    const char *about; /* one line under the title */
    int chart[2];      /* enum report_chart drawn under the table, -1 for none */
} section;

static const section sections[] = {
    {"report-overview", "overview", "Overview",
     "Per runtime, ranked by warm median duration; `x_best` is the ratio to the best runtime.",
     {CHART_TIMELINE, -1}},
    {"report-cold-starts", "cold_starts", "Cold starts",
     "Init duration (INIT phase) and what a cold user waits: init + first invoke.",
     {CHART_INIT_BOX, CHART_COLD_TIMELINE}},
    {"report-duration", "duration", "Duration",
     "Warm and cold apart; the 95% CI of the median is from order statistics (none below n = 6).",
     {CHART_DURATION_CDF, -1}},
    {"report-memory", "memory", "Memory", "Max Memory Used against the configured size.",
     {CHART_MEMORY_BOX, -1}},
    {"report-errors", "errors", "Errors",
     "Timeouts, Lambda error types and the first error the function logged.", {-1, -1}},
    {"report-alarms", "alarms", "Alarms replay",
     "The benchmark's alarms evaluated offline on 5-minute windows: error rate > 1 %, p99 "
     "duration > 1000 ms, max memory > 90 % of the configured size, from the function logs; "
     "throttles > 0 from the CloudWatch metrics (below), which function logs cannot show.",
     {-1, -1}},
    {"report-cost", "cost", "Cost",
     "Per invocation: request fee + billed_ms / 1000 x memory_mb / 1024 x price per GB-s, summed "
     "(never from averages); first-tier rates, no free tier. Billed Duration comes from the logs "
     "and already holds billed init where AWS bills it (custom runtimes always, managed runtimes "
     "since 2025-08-01): `init_billed` says whether it did here (on cold starts, billed minus "
     "rounded-up duration is at least half the init). `arch_from` / `region_from` say where the "
     "architecture (option, map file, default x86_64) and region (runtime ARN, option, map file, "
     "default us-east-1) came from. `ddb_*` are the "
     "runtime's DynamoDB writes in this selection (stream records, on-demand write request "
     "units; see DynamoDB writes) and `lambda_ddb_usd` the two together. `prices` names, per "
     "region, the table that priced it: shipped (FORMATS.md §7) or imported from an AWS Price "
     "List offer file (`mrb-analyze prices import`), with its version; a region without a rate "
     "is listed under the table and its costs stay empty, never guessed.",
     {CHART_COST_BARS, -1}},
    {"report-provenance", "provenance", "Provenance",
     "Functions, how their runtime was decided, runtime versions, regions, memory and time range.",
     {-1, -1}},
};

typedef struct report_opts {
    const char *day, *since, *until, *run, *out, *title, *pricing, *arch, *region;
    int no_plots;
    const char *baseline;     /* --baseline NIGHT, or NULL */
    int trend;                /* --trend N, 0 for none */
    const char *dir;          /* where the report goes (set by run) */
    const char *where;        /* the selection's condition, NULL for all (set by run) */
} report_opts;

static void help(void)
{
    printf("usage: mrb-analyze [--db FILE] report [--day D | --since T --until T] [--run LABEL]\n"
           "                   [--out DIR] [--title TEXT] [--pricing FILE] [--no-plots]\n\n"
           "Writes DIR/report.md and DIR/summary.json: per runtime, side by side, cold\n"
           "starts, duration percentiles, memory, failures and cost, with gnuplot charts\n"
           "(PNG and SVG, their data and scripts kept beside them). Every table comes from a\n"
           "queries/report-*.sql file.\n\noptions:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 ok; 2 usage; 3 database; 4 cannot read --pricing or the\n"
           "--queries folder; 5 a report query failed; 7 cannot write the report\n");
}

/* A time option to epoch ms; -1 (message printed) when unreadable. */
static int parse_time(const char *name, const char *given, int64_t *ms)
{
    const char *v = given;
    size_t n = strlen(v);
    char buf[40];

    if (n == 10) { /* a day */
        snprintf(buf, sizeof buf, "%sT00:00:00Z", given);
        v = buf;
        n = strlen(buf);
    }
    if (time_parse_iso(v, n, ms) != n) {
        msg_usage("report", "--%s wants YYYY-MM-DD or an ISO 8601 UTC time, not '%s'", name,
                  given);
        return -1;
    }
    return 0;
}

/* A folder name from a run label, never a path: letters, digits, '-', '.'
 * and '_' kept (others become '_'), at most 64 of them, no leading '.' (so
 * never "." or ".."). When that changed the label, a hash of the label
 * follows, so that two labels never share a folder ("a/b" and "a_b"). */
static void report_folder_name(const char *label, sb *folder)
{
    size_t start = folder->len, n = strlen(label);
    int changed = n == 0 || n > 64;

    for (size_t i = 0; i < n && i < 64; i++) {
        char c = label[i];
        int keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   c == '-' || c == '_' || (c == '.' && i > 0);
        sb_addc(folder, keep ? c : '_');
        changed |= !keep;
    }
    if (changed)
        sb_addf(folder, "%s%08llx", folder->len > start ? "-" : "",
                (unsigned long long)(hash64(label, n, 0) & 0xffffffffULL));
}

/* The WHERE condition, the default folder name and a description for
 * readers, from the options. */
static int selection(const report_opts *o, sb *where, sb *folder, sb *said)
{
    int64_t from = 0, to = 0;
    int have_from = 0, have_to = 0;

    if (o->day) {
        if (strlen(o->day) != 10) {
            msg_usage("report", "--day wants YYYY-MM-DD, not '%s'", o->day);
            return -1;
        }
        if (parse_time("day", o->day, &from) < 0)
            return -1;
        to = from + 86400000LL;
        have_from = have_to = 1;
        sb_adds(folder, o->day);
        sb_addf(said, "UTC day %s", o->day);
    }
    if (o->since) {
        if (parse_time("since", o->since, &from) < 0)
            return -1;
        have_from = 1;
        sb_addf(said, "from %s", o->since);
    }
    if (o->until) {
        if (parse_time("until", o->until, &to) < 0)
            return -1;
        have_to = 1;
        sb_addf(said, "%suntil %s", said->len ? " " : "", o->until);
    }
    if (have_from)
        sb_addf(where, "ts_ms >= %lld", (long long)from);
    if (have_to)
        sb_addf(where, "%sts_ms < %lld", where->len ? " AND " : "", (long long)to);
    if (o->run) {
        char *q = sqlite3_mprintf("%Q", o->run);
        sb_addf(where, "%srun = %s", where->len ? " AND " : "", q);
        sqlite3_free(q);
        sb_addf(said, "%srun %s", said->len ? ", " : "", o->run);
        if (!folder->len)
            report_folder_name(o->run, folder);
    }
    if (!folder->len)
        sb_adds(folder, have_from || have_to ? "range" : "all");
    if (!said->len)
        sb_adds(said, "all invocations");
    return 0;
}

static int mkdirs(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);

    if (n >= sizeof buf)
        return -1;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* Runs one section's query once into the report and summary.json. Returns
 * the number of rows or -1 (message printed). */
/* Runs a section's query into temp table report_<key> (charts read it too),
 * then writes its rows; the row count, or -1 after a message. */
static long long section_rows(sqlite3 *db, const section *s, FILE *md, FILE *json)
{
    sb sql = SB_INIT;
    mrb_err err;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    char *keep = NULL;

    mrb_err_clear(&err);
    if (queries_read(s->query, &sql, &err) < 0) {
        msg_err(&err);
        goto done;
    }
    keep = sqlite3_mprintf("DROP TABLE IF EXISTS temp.report_%s; CREATE TEMP TABLE report_%s AS %s",
                           s->key, s->key, sb_str(&sql));
    if (!keep || sqlite3_exec(db, keep, NULL, NULL, NULL) != SQLITE_OK) {
        msg_error("%s.sql: %s", s->query, keep ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    sb_reset(&sql);
    sb_addf(&sql, "SELECT * FROM temp.report_%s", s->key);
    if (sqlite3_prepare_v2(db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK)
        msg_error("%s.sql: %s", s->query, sqlite3_errmsg(db));
    else if ((n = out_rows_md_json(st, md, json, &err)) < 0)
        msg_error("%s.sql: %s", s->query, err.text);
done:
    sqlite3_free(keep);
    sqlite3_finalize(st);
    sb_release(&sql);
    return n;
}

/* The number a one-value query gives, 0 when it fails. */
static long long count_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long n = 0;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Invocations copied without a time (ts_ms NULL): a time selection cannot
 * hold them, so the report says how many it leaves out, or, without one,
 * how many it counts that have no place on a time axis. */
static void untimed_note(sqlite3 *db, FILE *md, FILE *json, const report_opts *o)
{
    int timed = o->day || o->since || o->until;
    long long in_sel = count_of(db, "SELECT count(*) FROM sel WHERE ts_ms IS NULL");
    long long all = count_of(db, "SELECT count(*) FROM invocations WHERE ts_ms IS NULL");

    if (timed && all > 0)
        fprintf(md, "\n%lld invocation%s copied without a time (no timestamp in the input) %s "
                    "not in this selection; a report without --day, --since or --until counts "
                    "them.\n",
                all, all == 1 ? "" : "s", all == 1 ? "is" : "are");
    else if (in_sel > 0)
        fprintf(md, "\n%lld of these invocations %s copied without a time (no timestamp in "
                    "the input): counted in every table, absent from the timelines, the alarm "
                    "windows and the trend.\n",
                in_sel, in_sel == 1 ? "was" : "were");
    if (timed && all > 0) /* keys only when there is something to say */
        fprintf(json, ",\n\"untimed_invocations_left_out\": %lld", all);
    else if (in_sel > 0)
        fprintf(json, ",\n\"untimed_invocations\": %lld", in_sel);
}

static void heads(sqlite3 *db, FILE *md, FILE *json, const report_opts *o, const char *said)
{
    const char *title = o->title ? o->title : "Lambda runtime benchmark";

    fputs("# ", md);
    out_markdown_cell(md, title, strlen(title));
    fputs("\n\nSelection: ", md);
    out_markdown_cell(md, said, strlen(said));
    fprintf(md, ". Made by mrb-analyze %s from the database's own data (UTC throughout).\n",
            MRB_VERSION);
    fputs("{\n\"title\": ", json);
    out_json_string(json, title);
    fputs(",\n\"selection\": ", json);
    out_json_string(json, said);
    untimed_note(db, md, json, o);
    fprintf(json, ",\n\"tool_version\": \"%s\",\n\"sections\": {\n", MRB_VERSION);
}

/* One section: its table in both files, then its charts. 0, or -1 after a
 * message. */
static int write_section(sqlite3 *db, const section *sec, FILE *md, FILE *json,
                         const report_opts *o, report_plot_state *plots)
{
    mrb_err err;
    long long n = section_rows(db, sec, md, json);

    if (n < 0)
        return -1;
    if (n == 0)
        fputs("_No data for this selection._\n", md);
    mrb_err_clear(&err); /* the cost section names its rates and the regions without */
    if (!strcmp(sec->key, "cost") && report_cost_notes(db, md, json, plots->warn, &err) < 0) {
        msg_err(&err);
        return -1;
    }
    if (!strcmp(sec->key, "alarms") && report_alarms_metrics(db, md, json, &err) < 0) {
        msg_err(&err);
        return -1;
    }
    for (int c = 0; n > 0 && c < 2 && sec->chart[c] >= 0; c++)
        if (report_chart(db, (enum report_chart)sec->chart[c], o->dir, md, plots, &err) < 0) {
            msg_err(&err);
            return -1;
        }
    return 0;
}

/* The sections after the tables, each a module of its own: one writer
 * each, run in order by write_report. */
typedef struct report_run {
    sqlite3 *db;
    const report_opts *o;
    FILE *md, *json;
    report_plot_state *plots;
    metric_stats_job *job; /* the EMF values loading on the second core; taken by the metrics */
} report_run;

/* Custom metrics (EMF): report_metrics.h. */
static int part_metrics(report_run *r, mrb_err *err)
{
    metric_stats_job *job = r->job;

    r->job = NULL;
    return report_metrics(r->db, job, r->o->dir, r->md, r->json, r->plots, err);
}

/* DynamoDB writes (stream records): report_ddb.h. */
static int part_ddb(report_run *r, mrb_err *err)
{
    return report_ddb(r->db, r->o->dir, r->md, r->json, r->plots, err);
}

/* End to end and the whole-stack cost (API Gateway): report_e2e.h. */
static int part_e2e(report_run *r, mrb_err *err)
{
    return report_e2e(r->db, r->o->where, r->o->dir, r->md, r->json, r->plots, err);
}

/* Downstream and DynamoDB metrics (X-Ray, CloudWatch metrics): report_downstream.h. */
static int part_downstream(report_run *r, mrb_err *err)
{
    return report_downstream(r->db, r->o->dir, r->md, r->json, r->plots, err);
}

/* Trend (with --trend): the last o->trend nights, report_trend.h. */
static int part_trend(report_run *r, mrb_err *err)
{
    if (!r->o->trend)
        return 0;
    fprintf(r->md, "\n## Trend\n\nThe last %d nights (UTC days) per runtime. A night is flagged "
                   "when a metric lies outside the band of the nights before it in this window: "
                   "median ± IQR of at least %d of them.\n\n",
            r->o->trend, TREND_MIN_BAND);
    fputs(",\n\"trend\": ", r->json);
    return report_trend(r->db, r->o->trend, r->o->dir, r->md, r->json, r->plots, err);
}

static int (*const parts[])(report_run *r, mrb_err *err) = {
    part_metrics, part_ddb, part_e2e, part_downstream, part_trend,
};

/* The optional comparison with --baseline: the selection is the candidate. */
static int write_comparison(sqlite3 *db, FILE *md, FILE *json, const report_opts *o,
                            const char *said)
{
    night base, cand;
    compare_opts co;
    compare_report rep;
    mrb_err err;

    mrb_err_clear(&err);
    compare_opts_default(&co);
    memset(&cand, 0, sizeof cand);
    snprintf(cand.label, sizeof cand.label, "%s", said);
    snprintf(cand.where, sizeof cand.where, "%s", o->where ? o->where : "1");
    if (compare_night(o->baseline, &base, &err) < 0 ||
        compare_run(db, &base, &cand, &co, &rep, &err) < 0) {
        msg_err(&err);
        return -1;
    }
    fputs("\n", md);
    compare_write_markdown(md, &rep, 2);
    fputs(",\n\"comparison\": ", json);
    compare_write_json(json, &rep);
    compare_free(&rep);
    return 0;
}

/* Every section in order. */
/* Prints what the sections written so far had to say beside the report. */
static void say(warnings *w)
{
    size_t pos = 0;
    for (const char *line; (line = warnings_next(w, &pos));)
        msg_warning("%s", line);
    warnings_clear(w);
}

static int write_report(sqlite3 *db, FILE *md, FILE *json, const report_opts *o,
                        const char *said)
{
    warnings warn = WARNINGS_INIT;
    report_plot_state plots = {.render = !o->no_plots, .warn = &warn};
    /* the EMF values load on the second core while the sections before run */
    metric_stats_job *job = metric_stats_start(db, o->where);
    int rc = 0;

    heads(db, md, json, o, said);
    mrb_err err;
    mrb_err_clear(&err);
    if (report_downstream_select(db, o->where, &err) < 0) {
        msg_err(&err);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < sizeof sections / sizeof sections[0]; i++) {
        fprintf(md, "\n## %s\n\n%s\n\n", sections[i].title, sections[i].about);
        fprintf(json, "%s\"%s\": ", i ? ",\n" : "", sections[i].key);
        rc = write_section(db, &sections[i], md, json, o, &plots);
        say(&warn);
    }
    report_run run = {.db = db, .o = o, .md = md, .json = json, .plots = &plots, .job = job};
    for (size_t i = 0; rc == 0 && i < sizeof parts / sizeof parts[0]; i++) {
        mrb_err_clear(&err);
        if (parts[i](&run, &err) < 0) {
            msg_err(&err);
            rc = -1;
        }
        say(&warn);
    }
    metric_stats_abandon(run.job);
    if (rc == 0 && o->baseline)
        rc = write_comparison(db, md, json, o, said);
    say(&warn);
    warnings_release(&warn);
    report_plots_release(&plots);
    fputs("}\n}\n", json);
    return rc;
}

/* Opens DIR/NAME for writing; NULL after a message. */
static FILE *create(const char *dir, const char *name, sb *path)
{
    sb_reset(path);
    sb_addf(path, "%s/%s", dir, name);
    FILE *f = fopen(path->buf, "w");
    if (!f)
        msg_error("%s: cannot write: %s", path->buf, strerror(errno));
    return f;
}

/* Closes f, reporting a write error; returns 0 or -1. */
static int finish(FILE *f, const char *dir, const char *name)
{
    if (!f)
        return 0;
    int bad = ferror(f) | (fclose(f) != 0);
    if (bad)
        msg_error("%s/%s: cannot write: %s", dir, name, strerror(errno));
    return bad ? -1 : 0;
}

static int write_files(const char *dir, sqlite3 *db, const report_opts *o, const char *said)
{
    sb path = SB_INIT;
    FILE *md = create(dir, "report.md", &path), *json = md ? create(dir, "summary.json", &path) : NULL;
    int code = md && json ? MRB_EXIT_OK : MRB_EXIT_OUTPUT;

    if (code == MRB_EXIT_OK && write_report(db, md, json, o, said) < 0)
        code = MRB_EXIT_QUERY;
    if ((finish(md, dir, "report.md") | finish(json, dir, "summary.json")) && !code)
        code = MRB_EXIT_OUTPUT;
    sb_release(&path);
    return code;
}

static int run(mrb_ctx *ctx, report_opts *o)
{
    sb where = SB_INIT, folder = SB_INIT, dir = SB_INIT, said = SB_INIT;
    db_conn c = {NULL, NULL};
    mrb_err err;
    int code = MRB_EXIT_USAGE;

    mrb_err_clear(&err);
    if (selection(o, &where, &folder, &said) < 0)
        goto done;
    if (queries_check_dir(&err) < 0) {
        msg_err(&err);
        code = MRB_EXIT_INPUT;
        goto done;
    }
    code = db_connect(&c, ctx->db_path, 0, o->pricing, &err);
    if (code == 0 &&
        queries_select(c.db, c.prices, where.len ? where.buf : NULL, o->arch, o->region, &err) < 0)
        code = MRB_EXIT_DATABASE;
    if (code) {
        msg_err(&err);
        goto done;
    }
    if (o->out)
        sb_adds(&dir, o->out);
    else
        sb_addf(&dir, "reports/%s", folder.buf);
    o->dir = dir.buf;
    o->where = where.len ? where.buf : NULL;
    code = MRB_EXIT_OUTPUT;
    if (mkdirs(dir.buf) < 0) {
        msg_error("%s: cannot create the folder: %s", dir.buf, strerror(errno));
        goto done;
    }
    code = write_files(dir.buf, c.db, o, said.buf);
    if (code == MRB_EXIT_OK)
        printf("%s/report.md\n", dir.buf);
done:
    db_disconnect(&c);
    sb_release(&where);
    sb_release(&folder);
    sb_release(&dir);
    sb_release(&said);
    return code;
}

int cmd_report(mrb_ctx *ctx, int argc, char **argv)
{
    report_opts o;
    opt_state st;
    int k;

    memset(&o, 0, sizeof o);
    opt_init(&st, argc, argv);
    while ((k = opt_next(&st, options, "report")) != OPT_END) {
        switch (k) {
        case OPT_ERROR: return MRB_EXIT_USAGE;
        case OPT_OPERAND: return msg_usage("report", "unexpected argument '%s'", st.operand);
        case O_DAY: o.day = st.value; break;
        case O_SINCE: o.since = st.value; break;
        case O_UNTIL: o.until = st.value; break;
        case O_RUN: o.run = st.value; break;
        case O_OUT: o.out = st.value; break;
        case O_TITLE: o.title = st.value; break;
        case O_PRICING: o.pricing = st.value; break;
        case O_NO_PLOTS: o.no_plots = 1; break;
        case O_BASELINE: o.baseline = st.value; break;
        case O_TREND: {
            char *end;
            long n = strtol(st.value, &end, 10);
            if (end == st.value || *end || n < 2 || n > 366)
                return msg_usage("report", "--trend wants a number of nights from 2 to 366, not '%s'",
                                 st.value);
            o.trend = (int)n;
            break;
        }
        case O_ARCH: o.arch = st.value; break;
        case O_REGION: o.region = st.value; break;
        case O_DB: ctx->db_path = st.value; break;
        case O_QUERIES: queries_set_dir(st.value); break;
        case O_HELP: help(); return MRB_EXIT_OK;
        }
    }
    if (o.day && (o.since || o.until))
        return msg_usage("report", "--day and --since / --until exclude each other");
    if (o.arch && strcmp(o.arch, "x86_64") != 0 && strcmp(o.arch, "arm64") != 0)
        return msg_usage("report", "--arch is x86_64 or arm64, not '%s'", o.arch);
    if (o.region && (strlen(o.region) > 31 || strspn(o.region, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
                                                  strlen(o.region)))
        return msg_usage("report", "--region looks like us-east-1, not '%s'", o.region);
    return run(ctx, &o);
}
