/* gen.h — what the files of mrb-gen share: constants, the option set, the
 * plan of a function, an environment slot, the event buffer, output sinks,
 * the slot merge and subscription batches, and every function one file
 * calls in another.
 *
 * mrb-gen is a tool, not library code: on any error it prints one line to
 * stderr and exits 1 (die). It links the project's string builder and
 * allocation helpers (sb.h, xalloc.h) and never its parsers, so that a
 * test input does not share a parser's bugs. Growable buffers are sb's
 * (buf/len owned by the holder, sb_release frees them). */
#ifndef MRB_GEN_H
#define MRB_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#define ZLIB_CONST
#include <zlib.h>
#include "mrb/sb.h"
#include "mrb/xalloc.h"

#define N_FN 4
#define MSG_CAP 4096                    /* longest event we build, with margin */
#define MIB 1048576LL
#define DAY_MS 86400000LL
#define FIRST_MS (2 * 3600000LL)        /* events start at 02:00:00Z */
#define WINDOW_MS (DAY_MS - FIRST_MS - 600000LL) /* and end 10 min before midnight */
#define SAMPLE_INV 2000                 /* invocations per function to size --mb */
#define INSIGHTS_NAME "lambda-insights" /* its files: like a function's, by this name */

/* xoshiro256** seeded through splitmix64; never libc rand. */
typedef struct rng {
    uint64_t s[4];
} rng;


/* A bounded append buffer: every event fits in MSG_CAP; overflow is a bug. */
typedef struct buf {
    char s[MSG_CAP];
    size_t n;
} buf;

typedef struct day {
    int y, m, d;
    long long start_ms;   /* epoch ms of 00:00:00Z */
} day;

enum { RT_PYTHON, RT_NODE, RT_GO, RT_KOTLIN };

typedef struct fn_spec {
    const char *name;       /* function name; log group /aws/lambda/<name> */
    int rt;                 /* RT_*: shape of application lines */
    const char *rt_version; /* INIT_START Runtime Version */
    int custom;             /* provided.*: billed duration includes init */
    double dur_median;      /* warm invoke duration, ms */
    double cold_factor;     /* first invoke of an environment is slower */
    double init_median;     /* Init Duration, ms */
    int mem_lo, mem_hi;     /* Max Memory Used range, MB */
} fn_spec;

typedef struct route {
    const char *method;
    const char *path;   /* an item id follows when has_id */
    int has_id;
    int ok_status;
    const char *db_op;  /* DynamoDB call, or NULL */
    int weight;         /* out of 100 */
} route;

/* Output shapes, in the order they are written and --mb sizes them. */
enum {
    SHAPE_S3 = 1, SHAPE_CLI = 2, SHAPE_FIREHOSE = 4, SHAPE_AWSLOGS = 8, SHAPE_KINESIS = 16,
    SHAPE_NDJSON = 32, SHAPE_JSONLOG = 64, SHAPE_INSIGHTS = 128, SHAPE_ALL = 255
};

typedef struct opts {
    const char *out;
    int shapes;          /* SHAPE_* bits */
    uint64_t seed;
    long invocations;    /* per function; 0 = from --mb or default */
    long mb;             /* 0 = not given */
    long streams;        /* 0 = default */
    long timeouts, ooms; /* per function */
    int level;
    int single_doc;
    long part_mb;
    long object_mb;      /* firehose object size */
    int emf;             /* EMF metrics and Lambda Insights events */
    int emf_heavy;       /* and a request counter document per invocation */
    double slower[N_FN]; /* --slower: per function, percent added to invoke durations */
    int ddb;             /* DynamoDB stream records of the items the functions write */
} opts;

enum { OUT_OK, OUT_TIMEOUT, OUT_OOM };

/* What is fixed for one function before any event is made. */
typedef struct plan {
    int fn;
    const fn_spec *spec;
    long n_inv;           /* invocations */
    long n_slots;         /* environment slots; an OOM starts a new stream in its slot */
    unsigned char *outcome; /* OUT_* per invocation index */
    long gap_lo, gap_hi;  /* idle time between invocations of an environment, ms */
    long long step_ms;    /* start spacing of consecutive slots */
    long long base_ms;    /* epoch ms the first slot starts */
    char task_id[37];     /* export task id of the S3 shape */
    char arn_hex[65];     /* runtime version ARN suffix */
    uint64_t seed;        /* root of every slot's PRNG */
    int emf;              /* --emf: EMF metrics and Lambda Insights events */
    int emf_heavy;        /* --emf-heavy: a second metrics document per invocation */
    double slow;          /* --slower: invoke durations are multiplied by this */
} plan;

enum ev_kind {
    EV_INIT_START, EV_START, EV_APP, EV_TIMEOUT, EV_END, EV_REPORT, EV_OOM_EXIT,
    EV_EMF_COLD,   /* --emf: Powertools' ColdStart blob, as the handler starts */
    EV_EMF,        /* --emf: the invocation's metrics, as the handler returns */
    EV_EMF_COUNT,  /* --emf-heavy: a request counter per route and status, after EV_EMF */
    EV_INSIGHTS,   /* --emf: the Lambda Insights performance event (its own log group) */
    EV_DONE
};
enum app_kind { APP_SUMMARY, APP_DB, APP_AUX };

typedef struct invoc {
    char rid[37];
    char trace[36];         /* 1-<8 hex epoch s>-<24 hex> */
    char segment[17];
    char item[37];          /* id in the path when the route has one */
    const route *rt;
    int status;             /* HTTP status */
    int outcome;            /* OUT_* */
    int cold;
    long long t_start, t_end;
    long dur_cs, init_cs;   /* hundredths of ms; init 0 when warm */
    long billed, mem;
    int n_app;
    long long t_app[3];
    int app_kind[3];
    int db_ms, n_items;
} invoc;

/* One execution environment slot: a sequence of streams (a new one after an
 * OOM) running invocations index, index + n_slots, ... of its function. */
typedef struct slot {
    const plan *p;
    long index;
    long ord;               /* global order, breaks timestamp ties in merges */
    rng r;
    long next_inv;          /* next invocation index; >= n_inv when none left */
    char stream[64];        /* current log stream name */
    long stream_no;         /* streams started, for the S3 writer */
    long mem;               /* current Max Memory Used, MB */
    long init_cs;           /* Init Duration of the environment being started */
    long long t;            /* when the next invocation arrives */
    invoc inv;
    int kind;               /* EV_* of the current event */
    int app_i;
    long long ts;           /* current event time, epoch ms */
    uint64_t seq;           /* events emitted by this slot before the current */
    long long key;          /* merge order: ts, or an earlier batch deadline */
} slot;

/* Where the generator writes; counts bytes so --mb can be sized. */
typedef struct sink {
    gzFile gz;         /* S3 part being written, or NULL */
    FILE *fp;          /* CLI JSON document, or NULL */
    char path[4096];
    long long part_bytes;
    long long total;   /* uncompressed bytes written (or counted) */
} sink;

/* A min-heap of slots by (key, ord). */
typedef struct heap {
    slot **a;
    long n;
} heap;

/* Every slot of plans[0..n), merged by time: slots[ord] is the slot with
 * merge order ord; the heap holds those with events left. */
typedef struct merge {
    slot *slots;
    long n_slots;
    heap h;
} merge;

/* Consecutive events of one log stream that CloudWatch Logs delivers as one
 * subscription DATA_MESSAGE. It is sent when it holds target events, at its
 * deadline, or when its stream ends, whichever comes first. Which events
 * form a batch depends only on the slot, so every subscription shape
 * (firehose, awslogs, kinesis) carries the same documents. */
typedef struct batch {
    sb events;         /* the logEvents elements, comma-separated */
    long n, target;      /* events in it, and how many fill it (1..50) */
    long long deadline;  /* epoch ms it is sent at the latest */
    long no;             /* batches the slot started */
    long stream_no;      /* slot stream of its events */
    char stream[64];     /* and its name */
} batch;

/* Receives a full batch: ctx, the batch's function and when it is sent. */
typedef void (*batch_fn)(void *ctx, const plan *p, const batch *bt, long long when);

/* The day of the events (--day), set once by main. */
extern day g_day;
extern const fn_spec FNS[N_FN];

/* Which events the slots yield: the function's own log group, or (with
 * --emf) the Lambda Insights log group /aws/lambda-insights, which holds one
 * performance event per invocation of every function. */
extern int g_insights;

/* Kotlin prints 13.0 where JavaScript and Go print 13 (set per document). */
extern int s_kotlin_zero;

/* --emf-plain: every EMF document is written with its "_aws" key spelled
 * "_AWS": the same bytes, but ordinary JSON log lines, not EMF. */
extern int g_emf_plain;

/* main.c: prints "mrb-gen: error: " and the text, exits 1. */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));


/* batch.c */
void batch_doc(sb *d, const plan *p, const batch *bt, const char *filter);
void batch_run(plan *plans, int n, batch_fn emit, void *ctx);

/* ddb.c */
long long write_ddb(plan *plans, const opts *o);

/* emf.c */
void b_emf_doc(buf *b, const slot *s);
void b_message(buf *b, const slot *s);

/* event.c */
void b_app_text(buf *b, const slot *s, int kind);
void b_app_line(buf *b, const slot *s, int i);
uint64_t event_hash(const slot *s);
void b_event_id(buf *b, uint64_t h);
long long ingestion_ms(const slot *s, uint64_t h);

/* event_json.c */
void b_json_escaped(buf *b, const char *s, size_t n);
void b_message_json(buf *b, const slot *s);

/* merge.c */
void heap_down(heap *h, long i);
void merge_init(merge *m, plan *plans, int n);
slot *merge_top(merge *m);
void merge_pop(merge *m);
void merge_free(merge *m);

/* out.c */
void mkdirs(const char *path);
void path_join(char *out, size_t size, const char *a, const char *b);
void path_fn(char *out, size_t size, const char *dir, const char *fn, const char *suffix);
void sink_write(sink *k, const char *s, size_t n);
void sink_close(sink *k);
void sink_open_gz(sink *k, const char *dir, long part, int level);
void sink_open_file(sink *k, const char *path);
void d_mem(sb *d, const char *s, size_t n);
void d_str(sb *d, const char *s);
void d_free(sb *d);
size_t base64(char *out, const char *src, size_t n);
void add_base64(sb *d, const char *src, size_t n);
void gz_init(z_stream *z, int level);
void gz_member(z_stream *z, sb *out, const char *s, size_t n);
void write_file(const char *path, const char *s, size_t n);

/* plan.c */
const char *status_text(int status);
const route *pick_route(rng *r);
void plan_init(plan *p, int fn, const opts *o, long n_inv, long timeouts, long ooms);
void plan_free(plan *p);

/* rng.c */
uint64_t mix2(uint64_t a, uint64_t b);
uint64_t hash_str(const char *s);
void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
double rng_unit(rng *r);
long rng_range(rng *r, long lo, long hi);
double rng_lognormal(rng *r, double median, double sigma);
void rng_hex(rng *r, char *out, int n);
void rng_uuid(rng *r, char out[37]);

/* shape_cli.c */
long long cli_doc(plan *plans, int n, const char *path, sink *k);
long long write_cli(plan *plans, const opts *o);

/* shape_firehose.c */
long long write_firehose(plan *plans, const opts *o);

/* shape_insights.c */
long long write_insights(plan *plans, const opts *o);

/* shape_jsonlog.c */
long long write_jsonlog(plan *plans, const opts *o);

/* shape_lambda.c */
long long write_awslogs(plan *plans, const opts *o);
long long write_kinesis(plan *plans, const opts *o);

/* shape_ndjson.c */
long long write_ndjson(plan *plans, const opts *o);

/* shape_s3.c */
void s3_task(plan *plans, int n, sink *k, const opts *o, const char *top, const char *name,
             const char *task, int json);
long long write_s3(plan *plans, const opts *o);

/* slot.c */
long ceil_cs(long cs);
void slot_init(slot *s, const plan *p, long index, long ord);
void slot_advance(slot *s);

/* text.c */
void b_mem(buf *b, const char *s, size_t n);
void b_str(buf *b, const char *s);
void b_chr(buf *b, char c);
void b_num(buf *b, long long v, int width);
void b_lit_num(buf *b, const char *text, long long v);
void b_lit_str(buf *b, const char *text, const char *s);
void b_lit_cs(buf *b, const char *text, long cs);
void b_cs(buf *b, long cs);
void day_parse(const char *s, day *out);
void b_clock(buf *b, long long ms, char sep2);
void b_date(buf *b, char sep);
void b_iso(buf *b, long long ms);

#endif
