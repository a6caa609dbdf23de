/* mrb-gen.c — deterministic generator of realistic AWS Lambda CloudWatch logs.
 *
 * Writes the logs of four benchmark functions (Python 3.11, TypeScript on
 * Node.js 20, Go and Kotlin/GraalVM native on provided.al2, all 512 MB with
 * X-Ray) in every shape mrb-analyze reads: a CloudWatch Logs CreateExportTask
 * to S3 (gzip parts per log stream), `aws logs filter-log-events` JSON as the
 * AWS CLI prints it and as `jq -c '.events[]'` NDJSON, subscription filter
 * payloads (Firehose objects in S3, Lambda awslogs and Kinesis events), the
 * S3 export of the same functions with LogFormat=JSON, and Logs Insights
 * `get-query-results`. Used for samples/, end-to-end tests and `make bench`.
 *
 * Everything comes from one seed: the same arguments give byte-identical
 * output, and every shape holds exactly the same invocations. Each execution
 * environment "slot" is a small state machine with its own PRNG that yields
 * its events in time order, so the export shapes are written slot by slot
 * and the others are heap merges of all slots; memory stays bounded by the
 * number of streams, whatever the output size. Whatever a shape adds (batch
 * boundaries, object names, partition keys) comes from PRNGs of its own, so
 * adding a shape never changes the bytes of another.
 *
 * A tool, not library code: errors go to stderr and exit 1. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#define ZLIB_CONST
#include <zlib.h>

#define N_FN 4
#define MSG_CAP 4096                    /* longest event we build, with margin */
#define MIB 1048576LL
#define DAY_MS 86400000LL
#define FIRST_MS (2 * 3600000LL)        /* events start at 02:00:00Z */
#define WINDOW_MS (DAY_MS - FIRST_MS - 600000LL) /* and end 10 min before midnight */
#define SAMPLE_INV 2000                 /* invocations per function to size --mb */

/* ------------------------------------------------------------------ errors */

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mrb-gen: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        die("out of memory (%zu x %zu bytes)", n, size);
    return p;
}

/* -------------------------------------------------------------------- PRNG */

/* xoshiro256** seeded through splitmix64; never libc rand. */
typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* A well-mixed 64-bit value from two: derives independent seeds. */
static uint64_t mix2(uint64_t a, uint64_t b)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ b;
    splitmix64(&x);
    return splitmix64(&x);
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
static long rng_range(rng *r, long lo, long hi)
{
    return lo + (long)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* Standard normal (Box-Muller, one value per call). */
static double rng_normal(rng *r)
{
    double u = 1.0 - rng_unit(r);
    double v = rng_unit(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static double rng_lognormal(rng *r, double median, double sigma)
{
    return median * exp(sigma * rng_normal(r));
}

/* n lowercase hex digits and a NUL into out. */
static void rng_hex(rng *r, char *out, int n)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t bits = 0;
    for (int i = 0; i < n; i++) {
        if (i % 16 == 0)
            bits = rng_next(r);
        out[i] = hex[bits & 15];
        bits >>= 4;
    }
    out[n] = '\0';
}

/* A version 4 UUID (36 chars and a NUL). */
static void rng_uuid(rng *r, char out[37])
{
    char h[33];
    rng_hex(r, h, 32);
    h[12] = '4';
    h[16] = "89ab"[rng_next(r) & 3];
    snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
}

/* ------------------------------------------------------- message builder */

/* A bounded append buffer: every event fits in MSG_CAP; overflow is a bug. */
typedef struct buf {
    char s[MSG_CAP];
    size_t n;
} buf;

static void b_mem(buf *b, const char *s, size_t n)
{
    if (b->n + n >= MSG_CAP)
        die("internal: event longer than %d bytes", MSG_CAP);
    memcpy(b->s + b->n, s, n);
    b->n += n;
}

static void b_str(buf *b, const char *s)
{
    b_mem(b, s, strlen(s));
}

static void b_chr(buf *b, char c)
{
    b_mem(b, &c, 1);
}

/* Decimal, zero-padded to at least width digits. */
static void b_num(buf *b, long long v, int width)
{
    char tmp[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u || n < width);
    if (v < 0)
        b_chr(b, '-');
    while (n)
        b_chr(b, tmp[--n]);
}

/* Hundredths as "12.34". */
static void b_cs(buf *b, long cs)
{
    b_num(b, cs / 100, 1);
    b_chr(b, '.');
    b_num(b, cs % 100, 2);
}

/* ---------------------------------------------------------------- the day */

typedef struct day {
    int y, m, d;
    long long start_ms;   /* epoch ms of 00:00:00Z */
} day;

static day g_day;

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void day_parse(const char *s, day *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m = 0, d = 0, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
        (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
        die("--day '%s': expected a date YYYY-MM-DD", s);
    out->y = y;
    out->m = m;
    out->d = d;
    out->start_ms = days_from_civil(y, m, d) * DAY_MS;
}

/* Time of day of an event as HH:MM:SS (sep ':'), then sep2 and milliseconds
 * unless sep2 is 0. */
static void b_clock(buf *b, long long ms, char sep2)
{
    long long t = ms - g_day.start_ms;
    if (t < 0 || t >= DAY_MS)
        die("internal: event time outside --day");
    b_num(b, t / 3600000, 2);
    b_chr(b, ':');
    b_num(b, t / 60000 % 60, 2);
    b_chr(b, ':');
    b_num(b, t / 1000 % 60, 2);
    if (sep2) {
        b_chr(b, sep2);
        b_num(b, t % 1000, 3);
    }
}

/* The date with a separator: "2026-11-25" or "2026/11/25". */
static void b_date(buf *b, char sep)
{
    b_num(b, g_day.y, 4);
    b_chr(b, sep);
    b_num(b, g_day.m, 2);
    b_chr(b, sep);
    b_num(b, g_day.d, 2);
}

/* "2026-11-25T02:00:01.123Z" */
static void b_iso(buf *b, long long ms)
{
    b_date(b, '-');
    b_chr(b, 'T');
    b_clock(b, ms, '.');
    b_chr(b, 'Z');
}

/* ------------------------------------------------------ functions, routes */

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

static const fn_spec FNS[N_FN] = {
    {"dev-benchmark-python", RT_PYTHON, "python:3.11.v29", 0, 45.0, 2.5, 900.0, 95, 110},
    {"dev-benchmark-typescript", RT_NODE, "nodejs:20.v33", 0, 35.0, 2.5, 450.0, 85, 100},
    {"dev-benchmark-go", RT_GO, "provided:al2.v41", 1, 8.0, 1.6, 90.0, 30, 40},
    {"dev-benchmark-kotlin", RT_KOTLIN, "provided:al2.v41", 1, 12.0, 1.8, 180.0, 55, 70},
};

typedef struct route {
    const char *method;
    const char *path;   /* an item id follows when has_id */
    int has_id;
    int ok_status;
    const char *db_op;  /* DynamoDB call, or NULL */
    int weight;         /* out of 100 */
} route;

static const route ROUTES[] = {
    {"GET", "/items", 0, 200, "Scan", 30},
    {"GET", "/items/", 1, 200, "GetItem", 25},
    {"POST", "/items", 0, 201, "PutItem", 15},
    {"PUT", "/items/", 1, 200, "UpdateItem", 10},
    {"DELETE", "/items/", 1, 204, "DeleteItem", 5},
    {"GET", "/health", 0, 200, NULL, 10},
    {"GET", "/metrics", 0, 200, NULL, 5},
};
#define N_ROUTES (sizeof ROUTES / sizeof ROUTES[0])

static const char *status_text(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    default: return "Not Found";
    }
}

/* ---------------------------------------------------------------- options */

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

/* ------------------------------------------------------------------- plan */

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

/* Which events the slots yield: the function's own log group, or (with
 * --emf) the Lambda Insights log group /aws/lambda-insights, which holds one
 * performance event per invocation of every function. */
static int g_insights;
#define INSIGHTS_NAME "lambda-insights" /* its files: like a function's, by this name */

/* Kotlin prints 13.0 where JavaScript and Go print 13 (set per document). */
static int s_kotlin_zero;

/* --emf-plain: every EMF document is written with its "_aws" key spelled
 * "_AWS": the same bytes, but ordinary JSON log lines, not EMF. */
static int g_emf_plain;

/* Spreads count indices evenly over [0, n), shifted by shift, skipping
 * indices already taken. */
static void plan_mark(plan *p, long count, long shift, unsigned char what)
{
    for (long j = 0; j < count; j++) {
        long i = (long)(((2 * j + 1) * (long long)p->n_inv) / (2 * count) + shift) % p->n_inv;
        while (p->outcome[i] != OUT_OK)
            i = (i + 1) % p->n_inv;
        p->outcome[i] = what;
    }
}

/* Chooses gaps and slot spacing so that every slot of the function ends
 * within the day and neighbouring environments overlap like real traffic. */
static void plan_timing(plan *p, long timeouts, long ooms)
{
    long per_slot = (p->n_inv + p->n_slots - 1) / p->n_slots;
    double dur = 150.0;   /* generous mean duration, ms */
    double gap = 1050.0;  /* mean of the default 100..2000 ms */
    double extra = (double)(timeouts + ooms) * 32000.0 + (double)ooms * 2000.0 + 5000.0;
    double budget = (double)WINDOW_MS / 2;

    p->gap_lo = 100;
    p->gap_hi = 2000;
    if (per_slot * (gap + dur) + extra > budget) {
        gap = (budget - extra) / (double)per_slot - dur;
        if (gap < 2.0)
            die("%ld invocations per stream do not fit in one day; raise --streams", per_slot);
        p->gap_lo = (long)(gap * 0.1) + 1;
        p->gap_hi = (long)(gap * 1.9);
    }
    double span = per_slot * (gap + dur) + extra;
    double step = span / 4;
    if (p->n_slots > 1 && (double)(WINDOW_MS - span * 1.2) / (double)(p->n_slots - 1) < step)
        step = (double)(WINDOW_MS - span * 1.2) / (double)(p->n_slots - 1);
    p->step_ms = step < 1 ? 1 : (long long)step;
}

static void plan_init(plan *p, int fn, const opts *o, long n_inv, long timeouts, long ooms)
{
    rng r;
    memset(p, 0, sizeof *p);
    p->fn = fn;
    p->spec = &FNS[fn];
    p->n_inv = n_inv;
    p->n_slots = o->streams ? o->streams : (n_inv + 39) / 40;
    if (p->n_slots > n_inv)
        p->n_slots = n_inv;
    if (p->n_slots < 1)
        p->n_slots = 1;
    p->seed = mix2(o->seed, 0x100 + (uint64_t)fn);
    p->slow = 1.0 + o->slower[fn] / 100.0;
    p->emf = o->emf;
    p->emf_heavy = o->emf_heavy;
    p->outcome = xcalloc((size_t)n_inv, 1);
    plan_mark(p, timeouts, (long)(n_inv * (fn + 1) / (4 * (timeouts + 1))), OUT_TIMEOUT);
    plan_mark(p, ooms, (long)(n_inv * (fn + 2) / (3 * (ooms + 1))), OUT_OOM);
    plan_timing(p, timeouts, ooms);
    p->base_ms = g_day.start_ms + FIRST_MS + fn * 137;

    rng_seed(&r, mix2(p->seed, hash_str("task")));
    rng_uuid(&r, p->task_id);
    /* the ARN is per runtime version, so Go and Kotlin share it */
    rng_seed(&r, mix2(o->seed, hash_str(p->spec->rt_version)));
    rng_hex(&r, p->arn_hex, 64);
}

static void plan_free(plan *p)
{
    free(p->outcome);
    p->outcome = NULL;
}

/* ------------------------------------------------------ slot state machine */

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

static long ceil_cs(long cs)
{
    return (cs + 99) / 100;
}

static void slot_env_begin(slot *s)
{
    char hex[33];
    buf b = {.n = 0};
    rng_hex(&s->r, hex, 32);
    b_date(&b, '/');
    b_str(&b, "/[$LATEST]");
    b_str(&b, hex);
    b.s[b.n] = '\0';
    memcpy(s->stream, b.s, b.n + 1);
    s->stream_no++;
    s->mem = s->p->spec->mem_lo + rng_range(&s->r, 0, 4);
    s->init_cs = (long)(rng_lognormal(&s->r, s->p->spec->init_median, 0.15) * 100);
    s->kind = EV_INIT_START;
    s->ts = s->t;
}

static const route *pick_route(rng *r)
{
    long w = rng_range(r, 0, 99);
    for (size_t i = 0; i < N_ROUTES; i++) {
        w -= ROUTES[i].weight;
        if (w < 0)
            return &ROUTES[i];
    }
    return &ROUTES[0];
}

static long invoc_duration_cs(slot *s, invoc *v)
{
    const fn_spec *f = s->p->spec;
    double ms;
    if (v->outcome == OUT_TIMEOUT)
        return 3000000 + rng_range(&s->r, 50, 4500);
    if (v->outcome == OUT_OOM)
        return (long)(rng_lognormal(&s->r, 2500.0, 0.3) * 100);
    ms = rng_lognormal(&s->r, f->dur_median, 0.4) * s->p->slow;
    if (rng_unit(&s->r) < 0.02)
        ms *= 3.0 + 5.0 * rng_unit(&s->r);   /* a slow tail */
    if (v->cold)
        ms *= f->cold_factor;
    if (ms < 1.0)
        ms = 1.0 + rng_unit(&s->r);
    return (long)(ms * 100);
}

/* Creates the invocation starting at s->t (cold when the environment was
 * just started) and makes START the current event. */
static void slot_invoc_begin(slot *s, int cold)
{
    invoc *v = &s->inv;
    const fn_spec *f = s->p->spec;
    char hex[25];
    long i;

    memset(v, 0, sizeof *v);
    v->cold = cold;
    v->outcome = s->p->outcome[s->next_inv];
    s->next_inv += s->p->n_slots;
    v->t_start = s->t;
    rng_uuid(&s->r, v->rid);
    rng_hex(&s->r, hex, 24);
    snprintf(v->trace, sizeof v->trace, "1-%08llx-%s", (unsigned long long)(v->t_start / 1000), hex);
    rng_hex(&s->r, v->segment, 16);
    v->rt = pick_route(&s->r);
    if (v->rt->has_id)
        rng_uuid(&s->r, v->item);
    v->status = v->rt->ok_status;
    if (v->rt->has_id && rng_unit(&s->r) < 0.04)
        v->status = 404;
    v->dur_cs = invoc_duration_cs(s, v);
    v->init_cs = cold ? s->init_cs : 0;
    v->billed = f->custom && cold ? ceil_cs(v->dur_cs + v->init_cs) : ceil_cs(v->dur_cs);
    if (!cold && s->mem < f->mem_hi && rng_unit(&s->r) < 0.08)
        s->mem++;
    v->mem = v->outcome == OUT_OOM ? 512 + rng_range(&s->r, 0, 1) : s->mem;
    /* the database call takes a part of the handler's time */
    v->db_ms = (int)((double)ceil_cs(v->dur_cs) * (0.3 + 0.4 * rng_unit(&s->r)));
    if (v->db_ms < 1)
        v->db_ms = 1;
    v->n_items = v->rt->has_id ? 1 : (int)rng_range(&s->r, 0, 50);

    v->n_app = v->outcome == OUT_OK ? (int)rng_range(&s->r, 1, 3) : 1;
    long span = ceil_cs(v->dur_cs);
    /* Python logs the request first, then what it did; the others log what
     * they did, then a response line. Failed invocations log the request. */
    static const int kinds_first[3] = {APP_SUMMARY, APP_DB, APP_AUX};
    static const int kinds_last[3][3] = {
        {APP_SUMMARY}, {APP_DB, APP_SUMMARY}, {APP_DB, APP_AUX, APP_SUMMARY}};
    for (i = 0; i < v->n_app; i++) {
        v->t_app[i] = v->t_start + 1 + (span > 1 ? (span - 1) * i / v->n_app : 0);
        v->app_kind[i] = f->rt == RT_PYTHON || v->outcome != OUT_OK ? kinds_first[i]
                                                                   : kinds_last[v->n_app - 1][i];
    }
    v->t_end = v->t_start + span;
    s->kind = EV_START;
    s->ts = v->t_start;
}

/* Starts what comes after an invocation: the next one, a new environment
 * after an OOM, or the end of the slot. */
static void slot_next_invoc(slot *s, int env_ended)
{
    if (s->next_inv >= s->p->n_inv) {
        s->kind = EV_DONE;
        return;
    }
    s->t = s->inv.t_end + rng_range(&s->r, s->p->gap_lo, s->p->gap_hi);
    if (env_ended)
        slot_env_begin(s);
    else
        slot_invoc_begin(s, 0);
}

static int slot_wanted(const slot *s);
static void slot_advance(slot *s);

static void slot_init(slot *s, const plan *p, long index, long ord)
{
    memset(s, 0, sizeof *s);
    s->p = p;
    s->index = index;
    s->ord = ord;
    s->next_inv = index;
    rng_seed(&s->r, mix2(p->seed, 0x5107 + (uint64_t)index));
    s->t = p->base_ms + index * p->step_ms + rng_range(&s->r, 0, p->step_ms / 2);
    if (s->next_inv >= p->n_inv)
        s->kind = EV_DONE;
    else
        slot_env_begin(s);
    if (!slot_wanted(s))
        slot_advance(s);
}

/* Powertools (Python, TypeScript) emits ColdStart; the others do not. */
static int has_cold_blob(const slot *s)
{
    return s->p->spec->rt == RT_PYTHON || s->p->spec->rt == RT_NODE;
}

/* One step of the slot's event sequence, whatever log group it goes to. */
static void slot_step(slot *s)
{
    invoc *v = &s->inv;
    s->seq++;
    switch (s->kind) {
    case EV_INIT_START:
        s->t += ceil_cs(s->init_cs) + rng_range(&s->r, 1, 4);
        slot_invoc_begin(s, 1);
        break;
    case EV_START:
        if (s->p->emf && v->cold && has_cold_blob(s)) {
            s->kind = EV_EMF_COLD;
            break;
        }
        /* fall through */
    case EV_EMF_COLD:
    case EV_APP:
        s->app_i = s->kind != EV_APP ? 0 : s->app_i + 1;
        if (s->app_i < v->n_app) {
            s->kind = EV_APP;
            s->ts = v->t_app[s->app_i];
            break;
        }
        s->ts = v->t_end;
        if (s->p->emf && v->outcome == OUT_OK) {
            s->kind = EV_EMF;
            break;
        }
        s->kind = v->outcome == OUT_TIMEOUT ? EV_TIMEOUT : EV_END;
        break;
    case EV_EMF:
        s->kind = s->p->emf_heavy ? EV_EMF_COUNT : EV_END;
        break;
    case EV_EMF_COUNT:
        s->kind = EV_END;
        break;
    case EV_TIMEOUT:
        s->kind = EV_END;
        break;
    case EV_END:
        s->kind = EV_REPORT;
        break;
    case EV_REPORT:
        if (s->p->emf) {
            s->kind = EV_INSIGHTS;
            s->ts = v->t_end + 2;
            break;
        }
        /* fall through */
    case EV_INSIGHTS:
        if (v->outcome == OUT_OOM) {
            s->kind = EV_OOM_EXIT;
            s->ts = v->t_end;
        } else {
            slot_next_invoc(s, 0);
        }
        break;
    case EV_OOM_EXIT:
        slot_next_invoc(s, 1);
        break;
    default:
        break;
    }
}

/* 1 when the slot's current event belongs to the log group being written. */
static int slot_wanted(const slot *s)
{
    return s->kind == EV_DONE || (s->kind == EV_INSIGHTS) == (g_insights != 0);
}

/* Moves to the next event of the slot (kind EV_DONE at the end) in the log
 * group being written. */
static void slot_advance(slot *s)
{
    do
        slot_step(s);
    while (!slot_wanted(s));
    if (s->kind != EV_DONE && s->ts - g_day.start_ms >= DAY_MS)
        die("%s: events run past the end of the day; raise --streams", s->p->spec->name);
}

/* ------------------------------------------------------- event messages */

static void b_path(buf *b, const invoc *v)
{
    b_str(b, v->rt->path);
    if (v->rt->has_id)
        b_str(b, v->item);
}

/* The text of an application line, without any runtime prefix. */
static void b_app_text(buf *b, const slot *s, int kind)
{
    const invoc *v = &s->inv;
    const fn_spec *f = s->p->spec;
    if (kind == APP_SUMMARY) {
        if (f->rt == RT_KOTLIN) {
            if (v->outcome != OUT_OK) {
                b_str(b, "Processing: ");
            } else {
                b_num(b, v->status, 1);
                b_chr(b, ' ');
                b_str(b, status_text(v->status));
                b_str(b, ": ");
            }
            b_str(b, v->rt->method);
            b_str(b, " - ");
            b_path(b, v);
            if (v->outcome == OUT_OK) {
                b_str(b, " in ");
                b_num(b, v->dur_cs > 150 ? (v->dur_cs - 50) / 100 : 1, 1);
                b_str(b, "ms");
            }
            return;
        }
        b_str(b, v->rt->method);
        b_chr(b, ' ');
        b_path(b, v);
        if (f->rt != RT_PYTHON && v->outcome == OUT_OK) {
            b_chr(b, ' ');
            b_num(b, v->status, 1);
            if (f->rt == RT_GO) {
                long d10 = v->dur_cs > 20 ? (v->dur_cs - 10) / 10 : 1; /* tenths of ms */
                b_chr(b, ' ');
                b_num(b, d10 / 10, 1);
                b_chr(b, '.');
                b_num(b, d10 % 10, 1);
                b_str(b, "ms");
            }
        }
    } else if (kind == APP_DB && v->rt->db_op) {
        b_str(b, "DynamoDB ");
        b_str(b, v->rt->db_op);
        b_str(b, " dev-benchmark-items: ");
        b_num(b, v->status == 404 ? 0 : v->n_items, 1);
        b_str(b, v->n_items == 1 ? " item in " : " items in ");
        b_num(b, v->db_ms, 1);
        b_str(b, " ms");
    } else if (kind == APP_DB) {
        b_str(b, v->rt->path[1] == 'h' ? "health check: dynamodb ok in " : "collected metrics in ");
        b_num(b, v->db_ms, 1);
        b_str(b, " ms");
    } else if (v->rt->ok_status == 201 || !strcmp(v->rt->method, "PUT")) {
        b_str(b, "validated request body: ");
        b_num(b, 120 + v->n_items * 7, 1);
        b_str(b, " bytes");
    } else if (v->rt->db_op) {
        b_str(b, "cache miss: ");
        b_path(b, v);
    } else {
        b_str(b, "api key accepted: usage plan benchmark");
    }
}

static void b_app_line(buf *b, const slot *s, int i)
{
    const invoc *v = &s->inv;
    int kind = v->app_kind[i];
    long long t = v->t_app[i];
    int warn = kind == APP_SUMMARY && v->status == 404;

    switch (s->p->spec->rt) {
    case RT_PYTHON:
        b_str(b, "{\"level\":\"");
        b_str(b, warn ? "WARNING" : "INFO");
        b_str(b, "\",\"location\":\"");
        b_str(b, kind == APP_SUMMARY ? "handler:42" : kind == APP_DB ? "repository:27" : "middleware:18");
        b_str(b, "\",\"message\":\"");
        b_app_text(b, s, kind);
        b_str(b, "\",\"timestamp\":\"");
        b_date(b, '-');
        b_chr(b, ' ');
        b_clock(b, t, ',');
        b_str(b, "+0000\",\"service\":\"benchmark-api\",\"cold_start\":");
        b_str(b, v->cold ? "true" : "false");
        b_str(b, ",\"function_name\":\"");
        b_str(b, s->p->spec->name);
        b_str(b, "\",\"function_memory_size\":512,\"function_request_id\":\"");
        b_str(b, v->rid);
        b_str(b, "\",\"xray_trace_id\":\"");
        b_str(b, v->trace);
        b_str(b, "\"}");
        break;
    case RT_NODE:
        b_iso(b, t);
        b_chr(b, '\t');
        b_str(b, v->rid);
        b_str(b, warn ? "\tWARN\t" : "\tINFO\t");
        b_app_text(b, s, kind);
        break;
    case RT_GO:
        b_date(b, '/');
        b_chr(b, ' ');
        b_clock(b, t, 0);
        b_chr(b, ' ');
        b_app_text(b, s, kind);
        break;
    default:
        b_clock(b, t, '.');
        b_str(b, warn ? " [main] WARN  " : " [main] INFO  ");
        b_str(b, kind == APP_SUMMARY ? "Application - " : kind == APP_DB ? "ItemRepository - " : "RequestFilter - ");
        b_app_text(b, s, kind);
        break;
    }
    b_chr(b, '\n');
}

/* ------------------------------------------------ EMF and Lambda Insights */

/* Hundredths as a number: "12.34", "12.3", and "13.0" when with_zero (Python,
 * Kotlin) or "13" (JavaScript, Go). */
static void b_num_cs(buf *b, long cs, int with_zero)
{
    b_num(b, cs / 100, 1);
    if (cs % 100 == 0) {
        if (with_zero)
            b_str(b, ".0");
        return;
    }
    b_chr(b, '.');
    if (cs % 10)
        b_num(b, cs % 100, 2);
    else
        b_num(b, cs % 100 / 10, 1);
}

/* A metric value list: "[v]" or "[v1,v2]" for Powertools Python (always an
 * array), the bare number or an array for JavaScript and hand-written EMF. */
static void b_values(buf *b, const long *cs, int n, int python)
{
    if (n > 1 || python)
        b_chr(b, '[');
    for (int i = 0; i < n; i++) {
        if (i)
            b_chr(b, ',');
        b_num_cs(b, cs[i], python || s_kotlin_zero);
    }
    if (n > 1 || python)
        b_chr(b, ']');
}

/* The database calls of an invocation, in hundredths of ms: a Scan of more
 * than 25 items reads two pages. Returns how many (0 without a call). */
static int db_calls(const invoc *v, long cs[2])
{
    if (!v->rt->db_op)
        return 0;
    if (!strcmp(v->rt->db_op, "Scan") && v->n_items > 25) {
        cs[0] = (long)v->db_ms * 60;
        cs[1] = (long)v->db_ms * 100 - cs[0];
        return 2;
    }
    cs[0] = (long)v->db_ms * 100;
    return 1;
}

static void b_aws_head(buf *b, long long ts, const char *ns)
{
    b_str(b, g_emf_plain ? "{\"_AWS\":{\"Timestamp\":" : "{\"_aws\":{\"Timestamp\":");
    b_num(b, ts, 1);
    b_str(b, ",\"CloudWatchMetrics\":[{\"Namespace\":\"");
    b_str(b, ns);
    b_str(b, "\",\"Dimensions\":");
}

/* The EMF document of the current EV_EMF_COLD / EV_EMF event, without any
 * prefix or newline (FORMATS.md §5): Powertools for Python and TypeScript,
 * hand-written documents from Go and Kotlin. */
static void b_emf_doc(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    const fn_spec *f = s->p->spec;
    int py = f->rt == RT_PYTHON, node = f->rt == RT_NODE;
    long lat = v->dur_cs, items = (long)(v->status == 404 ? 0 : v->n_items) * 100, db[2];
    int n_db = db_calls(v, db);

    s_kotlin_zero = f->rt == RT_KOTLIN;
    if (s->kind == EV_EMF_COUNT) {
        b_aws_head(b, s->ts, "Benchmark");
        b_str(b, "[[\"route\",\"status\"]],\"Metrics\":[{\"Name\":\"Requests\",\"Unit\":"
                 "\"Count\"}]}]},\"route\":\"");
        b_str(b, v->rt->method);
        b_chr(b, ' ');
        b_str(b, v->rt->path);
        if (v->rt->has_id)
            b_str(b, "{id}");
        b_str(b, "\",\"status\":\"");
        b_num(b, v->status, 1);
        b_str(b, py ? "\",\"Requests\":[1.0]}" : "\",\"Requests\":1}");
        return;
    }
    if (s->kind == EV_EMF_COLD) {
        b_aws_head(b, s->ts, "Benchmark");
        b_str(b, py ? "[[\"function_name\",\"service\"]]" : "[[\"service\",\"function_name\"]]");
        b_str(b, ",\"Metrics\":[{\"Name\":\"ColdStart\",\"Unit\":\"Count\"}]}]},");
        b_str(b, py ? "\"function_name\":\"" : "\"service\":\"benchmark-api\",\"function_name\":\"");
        b_str(b, f->name);
        b_str(b, py ? "\",\"service\":\"benchmark-api\",\"ColdStart\":[1.0]}" : "\",\"ColdStart\":1}");
        return;
    }
    b_aws_head(b, s->ts, "Benchmark");
    if (py || node) {
        b_str(b, "[[\"service\"]],\"Metrics\":[{\"Name\":\"HandlerLatency\",\"Unit\":"
                 "\"Milliseconds\"},{\"Name\":\"ItemsReturned\",\"Unit\":\"Count\"}");
        if (n_db)
            b_str(b, ",{\"Name\":\"DbCallLatency\",\"Unit\":\"Milliseconds\"}");
        b_str(b, "]}]},\"service\":\"benchmark-api\",\"HandlerLatency\":");
        b_values(b, &lat, 1, py);
        b_str(b, ",\"ItemsReturned\":");
        b_values(b, &items, 1, py);
        if (n_db) {
            b_str(b, ",\"DbCallLatency\":");
            b_values(b, db, n_db, py);
        }
        b_chr(b, '}');
        return;
    }
    b_str(b, f->rt == RT_GO ? "[[\"function\"],[\"function\",\"route\"]]" : "[[\"function\"]]");
    b_str(b, ",\"Metrics\":[{\"Name\":\"HandlerLatency\",\"Unit\":\"Milliseconds\"},"
             "{\"Name\":\"ItemsReturned\",\"Unit\":\"Count\"");
    b_str(b, f->rt == RT_GO ? ",\"StorageResolution\":1}]}]},\"function\":\"" : "}]}]},\"function\":\"");
    b_str(b, f->name);
    if (f->rt == RT_GO) {
        b_str(b, "\",\"route\":\"");
        b_str(b, v->rt->method);
        b_chr(b, ' ');
        b_str(b, v->rt->path);
        if (v->rt->has_id)
            b_str(b, "{id}");
    }
    b_str(b, "\",\"requestId\":\"");
    b_str(b, v->rid);
    b_str(b, "\",\"HandlerLatency\":");
    b_values(b, &lat, 1, 0);
    b_str(b, ",\"ItemsReturned\":");
    b_values(b, &items, 1, 0);
    b_chr(b, '}');
}

/* The Lambda Insights performance event of the invocation (FORMATS.md §5),
 * compact, as the extension writes it to /aws/lambda-insights. */
static void b_insights(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    long dur_ms = ceil_cs(v->dur_cs), cpu = dur_ms * 8 / 10 + 1, items = v->n_items;
    long rx = 600 + items * 180, tx = 900 + items * 150;

    s_kotlin_zero = 0;
    b_aws_head(b, s->ts, "LambdaInsights");
    b_str(b, "[[\"function_name\"],[\"function_name\",\"version\"]],\"Metrics\":["
             "{\"Name\":\"memory_utilization\",\"Unit\":\"Percent\"},"
             "{\"Name\":\"total_memory\",\"Unit\":\"Megabytes\"},"
             "{\"Name\":\"used_memory_max\",\"Unit\":\"Megabytes\"},"
             "{\"Name\":\"cpu_total_time\",\"Unit\":\"Milliseconds\"},"
             "{\"Name\":\"tx_bytes\",\"Unit\":\"Bytes\"},"
             "{\"Name\":\"rx_bytes\",\"Unit\":\"Bytes\"},"
             "{\"Name\":\"total_network\",\"Unit\":\"Bytes\"}");
    if (v->cold)
        b_str(b, ",{\"Name\":\"init_duration\",\"Unit\":\"Milliseconds\"}");
    b_str(b, "]}],\"LambdaInsights\":{\"ShareTelemetry\":true}},\"event_type\":\"performance\","
             "\"function_name\":\"");
    b_str(b, s->p->spec->name);
    b_str(b, "\",\"version\":\"$LATEST\",\"request_id\":\"");
    b_str(b, v->rid);
    b_str(b, "\",\"trace_id\":\"");
    b_str(b, v->trace);
    b_str(b, "\",\"duration\":");
    b_num(b, dur_ms, 1);
    b_str(b, ",\"billed_duration\":");
    b_num(b, v->billed, 1);
    b_str(b, ",\"billed_mb_ms\":");
    b_num(b, v->billed * 512, 1);
    if (v->cold) {
        b_str(b, ",\"cold_start\":true,\"init_duration\":");
        b_num(b, ceil_cs(v->init_cs), 1);
    }
    b_str(b, ",\"tmp_free\":538329088,\"tmp_max\":551346176,\"threads_max\":");
    b_num(b, s->p->spec->rt == RT_GO ? 7 : 11, 1);
    b_str(b, ",\"used_memory_max\":");
    b_num(b, v->mem, 1);
    b_str(b, ",\"total_memory\":512,\"memory_utilization\":");
    b_num(b, v->mem * 100 / 512, 1);
    b_str(b, ",\"cpu_user_time\":");
    b_num(b, cpu - cpu / 10, 1);
    b_str(b, ",\"cpu_system_time\":");
    b_num(b, cpu / 10, 1);
    b_str(b, ",\"cpu_total_time\":");
    b_num(b, cpu, 1);
    b_str(b, ",\"fd_use\":416,\"fd_max\":32642,\"tx_bytes\":");
    b_num(b, tx, 1);
    b_str(b, ",\"rx_bytes\":");
    b_num(b, rx, 1);
    if (v->outcome == OUT_TIMEOUT)
        b_str(b, ",\"timeout\":true,\"shutdown_reason\":\"Timeout\"");
    b_str(b, ",\"total_network\":");
    b_num(b, rx + tx, 1);
    b_str(b, ",\"agent_version\":\"1.0.333.0\",\"agent_memory_avg\":10,\"agent_memory_max\":10}");
}

static void b_report(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    b_str(b, "REPORT RequestId: ");
    b_str(b, v->rid);
    b_str(b, "\tDuration: ");
    b_cs(b, v->dur_cs);
    b_str(b, " ms\tBilled Duration: ");
    b_num(b, v->billed, 1);
    b_str(b, " ms\tMemory Size: 512 MB\tMax Memory Used: ");
    b_num(b, v->mem, 1);
    b_str(b, " MB\t");
    if (v->cold) {
        b_str(b, "Init Duration: ");
        b_cs(b, v->init_cs);
        b_str(b, " ms\t");
    }
    if (v->outcome == OUT_TIMEOUT)
        b_str(b, "Status: timeout\t");
    else if (v->outcome == OUT_OOM)
        b_str(b, "Status: error\tError Type: Runtime.OutOfMemory\t");
    b_str(b, "XRAY TraceId: ");
    b_str(b, v->trace);
    b_str(b, "\tSegmentId: ");
    b_str(b, v->segment);
    b_str(b, "\tSampled: true\t\n");
}

/* The message of the slot's current event, with its trailing newline. */
static void b_message(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    switch (s->kind) {
    case EV_INIT_START:
        b_str(b, "INIT_START Runtime Version: ");
        b_str(b, s->p->spec->rt_version);
        b_str(b, "\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:");
        b_str(b, s->p->arn_hex);
        b_chr(b, '\n');
        break;
    case EV_START:
        b_str(b, "START RequestId: ");
        b_str(b, v->rid);
        b_str(b, " Version: $LATEST\n");
        break;
    case EV_APP:
        b_app_line(b, s, s->app_i);
        break;
    case EV_TIMEOUT:
        b_iso(b, s->ts);
        b_chr(b, ' ');
        b_str(b, v->rid);
        b_str(b, " Task timed out after ");
        b_cs(b, (v->dur_cs + 500) / 1000);
        b_str(b, " seconds\n");
        break;
    case EV_END:
        b_str(b, "END RequestId: ");
        b_str(b, v->rid);
        b_chr(b, '\n');
        break;
    case EV_REPORT:
        b_report(b, s);
        break;
    case EV_OOM_EXIT:
        b_str(b, "RequestId: ");
        b_str(b, v->rid);
        b_str(b, " Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n");
        break;
    case EV_EMF_COLD:
    case EV_EMF:
    case EV_EMF_COUNT:
        /* console.log (Powertools TypeScript) gets the runtime's prefix */
        if (s->p->spec->rt == RT_NODE) {
            b_iso(b, s->ts);
            b_chr(b, '\t');
            b_str(b, v->rid);
            b_str(b, "\tINFO\t");
        }
        b_emf_doc(b, s);
        b_chr(b, '\n');
        break;
    case EV_INSIGHTS:
        b_insights(b, s);
        break;
    default:
        die("internal: no current event");
    }
}

/* ------------------------------------------- LogFormat=JSON event messages */

/* A JSON string body (no quotes) escaped as Python's json module does. */
static void b_json_escaped(buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': b_mem(b, "\\\"", 2); break;
        case '\\': b_mem(b, "\\\\", 2); break;
        case '\n': b_mem(b, "\\n", 2); break;
        case '\r': b_mem(b, "\\r", 2); break;
        case '\t': b_mem(b, "\\t", 2); break;
        case '\b': b_mem(b, "\\b", 2); break;
        case '\f': b_mem(b, "\\f", 2); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                b_mem(b, u, 6);
            } else {
                b_chr(b, (char)c);
            }
        }
    }
}

/* The start of a Telemetry API platform event, up to the record's "{". */
static void b_platform(buf *b, const slot *s, const char *type)
{
    b_str(b, "{\"time\":\"");
    b_iso(b, s->ts);
    b_str(b, "\",\"type\":\"platform.");
    b_str(b, type);
    b_str(b, "\",\"record\":{");
}

static void b_json_status(buf *b, const invoc *v)
{
    b_str(b, v->outcome == OUT_TIMEOUT ? ",\"status\":\"timeout\""
             : v->outcome == OUT_OOM   ? ",\"status\":\"error\",\"errorType\":\"Runtime.OutOfMemory\""
                                       : ",\"status\":\"success\"");
}

/* The message of the current event when the function has LogFormat=JSON
 * (FORMATS.md 2): platform lines become single-line Telemetry API objects
 * without a trailing newline, Node.js console lines become JSON application
 * logs; Powertools, Go and Kotlin lines and the runtime exit stay text.
 * Empty for the timeout line, which JSON reports only in the status. */
static void b_message_json(buf *b, const slot *s)
{
    const invoc *v = &s->inv;
    switch (s->kind) {
    case EV_INIT_START:
        b_platform(b, s, "initStart");
        b_str(b, "\"initializationType\":\"on-demand\",\"phase\":\"init\",\"runtimeVersion\":\"");
        b_str(b, s->p->spec->rt_version);
        b_str(b, "\",\"runtimeVersionArn\":\"arn:aws:lambda:us-east-1::runtime:");
        b_str(b, s->p->arn_hex);
        b_str(b, "\"}}");
        break;
    case EV_START:
        b_platform(b, s, "start");
        b_str(b, "\"requestId\":\"");
        b_str(b, v->rid);
        b_str(b, "\",\"version\":\"$LATEST\"}}");
        break;
    case EV_APP:
        if (s->p->spec->rt == RT_NODE) {
            buf t;
            int kind = v->app_kind[s->app_i];
            t.n = 0;
            b_app_text(&t, s, kind);
            b_str(b, "{\"timestamp\":\"");
            b_iso(b, v->t_app[s->app_i]);
            b_str(b, kind == APP_SUMMARY && v->status == 404 ? "\",\"level\":\"WARN\"" : "\",\"level\":\"INFO\"");
            b_str(b, ",\"requestId\":\"");
            b_str(b, v->rid);
            b_str(b, "\",\"message\":\"");
            b_json_escaped(b, t.s, t.n);
            b_str(b, "\"}");
        } else {
            b_app_line(b, s, s->app_i);
        }
        break;
    case EV_TIMEOUT:
        break;
    case EV_EMF_COLD:
    case EV_EMF:
    case EV_EMF_COUNT:
        /* Powertools writes the document itself: no JSON wrapper, no prefix */
        b_emf_doc(b, s);
        b_chr(b, '\n');
        break;
    case EV_END:
        b_platform(b, s, "runtimeDone");
        b_str(b, "\"requestId\":\"");
        b_str(b, v->rid);
        b_chr(b, '"');
        b_json_status(b, v);
        b_str(b, ",\"metrics\":{\"durationMs\":");
        b_cs(b, v->dur_cs);
        b_str(b, "}}}");
        break;
    case EV_REPORT:
        b_platform(b, s, "report");
        b_str(b, "\"requestId\":\"");
        b_str(b, v->rid);
        b_str(b, "\",\"metrics\":{\"durationMs\":");
        b_cs(b, v->dur_cs);
        b_str(b, ",\"billedDurationMs\":");
        b_num(b, v->billed, 1);
        b_str(b, ",\"memorySizeMB\":512,\"maxMemoryUsedMB\":");
        b_num(b, v->mem, 1);
        if (v->cold) {
            b_str(b, ",\"initDurationMs\":");
            b_cs(b, v->init_cs);
        }
        b_str(b, "},\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":\"Root=");
        b_str(b, v->trace);
        b_str(b, ";Parent=");
        b_str(b, v->segment);
        b_str(b, ";Sampled=1\"}");
        b_json_status(b, v);
        b_str(b, "}}");
        break;
    default:
        b_message(b, s);
        break;
    }
}

/* ------------------------------------------------------------ file output */

static void mkdirs(const char *path)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n >= sizeof tmp)
        die("path too long: %s", path);
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        char c = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            die("cannot create directory %s: %s", tmp, strerror(errno));
        tmp[i] = c;
    }
}

static void path_join(char *out, size_t size, const char *a, const char *b)
{
    int n = snprintf(out, size, "%s/%s", a, b);
    if (n < 0 || (size_t)n >= size)
        die("path too long: %s/%s", a, b);
}

/* out = "<dir>/<fn><suffix>". */
static void path_fn(char *out, size_t size, const char *dir, const char *fn, const char *suffix)
{
    int n = snprintf(out, size, "%s/%s%s", dir, fn, suffix);
    if (n < 0 || (size_t)n >= size)
        die("path too long: %s/%s%s", dir, fn, suffix);
}

/* Where the generator writes; counts bytes so --mb can be sized. */
typedef struct sink {
    gzFile gz;         /* S3 part being written, or NULL */
    FILE *fp;          /* CLI JSON document, or NULL */
    char path[4096];
    long long part_bytes;
    long long total;   /* uncompressed bytes written (or counted) */
} sink;

static void sink_write(sink *k, const char *s, size_t n)
{
    if (k->gz) {
        if (gzwrite(k->gz, s, (unsigned)n) != (int)n) {
            int zerr;
            const char *msg = gzerror(k->gz, &zerr);
            die("cannot write %s: %s", k->path, zerr == Z_ERRNO ? strerror(errno) : msg);
        }
    } else if (k->fp) {
        if (fwrite(s, 1, n, k->fp) != n)
            die("cannot write %s: %s", k->path, strerror(errno));
    }
    k->part_bytes += (long long)n;
    k->total += (long long)n;
}

static void sink_close(sink *k)
{
    if (k->gz) {
        int rc = gzclose(k->gz);
        k->gz = NULL;
        if (rc != Z_OK)
            die("cannot write %s: gzclose failed (%d)", k->path, rc);
    }
    if (k->fp) {
        int rc = fclose(k->fp);
        k->fp = NULL;
        if (rc != 0)
            die("cannot write %s: %s", k->path, strerror(errno));
    }
}

static void sink_open_gz(sink *k, const char *dir, long part, int level)
{
    char name[32], mode[8];
    mkdirs(dir);
    snprintf(name, sizeof name, "%06ld.gz", part);
    path_join(k->path, sizeof k->path, dir, name);
    snprintf(mode, sizeof mode, "wb%d", level);
    k->gz = gzopen(k->path, mode);
    if (!k->gz)
        die("cannot create %s: %s", k->path, strerror(errno));
    if (gzbuffer(k->gz, 1 << 18) != 0)
        die("cannot set the gzip buffer of %s", k->path);
    k->part_bytes = 0;
}

static void sink_open_file(sink *k, const char *path)
{
    snprintf(k->path, sizeof k->path, "%s", path);
    k->fp = fopen(path, "wb");
    if (!k->fp)
        die("cannot create %s: %s", path, strerror(errno));
    if (setvbuf(k->fp, NULL, _IOFBF, 1 << 20) != 0)
        die("cannot set the buffer of %s", path);
    k->part_bytes = 0;
}

/* --------------------------------------------------------- S3 export shape */

/* One event as an export line: "<ISO> <message>" (the message keeps its
 * newline, so events are separated by blank lines). With json, the message
 * is the LogFormat=JSON one; b->n is 0 when that format has no such event. */
static void s3_event(buf *b, const slot *s, int json)
{
    buf m;
    b->n = 0;
    m.n = 0;
    if (json)
        b_message_json(&m, s);
    else
        b_message(&m, s);
    if (m.n == 0)
        return;
    b_iso(b, s->ts);
    b_chr(b, ' ');
    b_mem(b, m.s, m.n);
    b_chr(b, '\n');
}

/* Writes (or, when fn_dir is NULL, only counts) every stream of one slot
 * under fn_dir/<stream>/: the s3-export shape, or jsonlog with json. */
static void s3_slot(slot *s, sink *k, const char *fn_dir, long long part_max, int level, int json)
{
    buf b;
    long stream_no = 0, part = 0;
    char dir[4096];
    for (; s->kind != EV_DONE; slot_advance(s)) {
        s3_event(&b, s, json);
        if (b.n == 0)
            continue;
        if (fn_dir && (s->stream_no != stream_no ||
                       (k->part_bytes > 0 && k->part_bytes + (long long)b.n > part_max))) {
            sink_close(k);
            part = s->stream_no != stream_no ? 0 : part + 1;
            stream_no = s->stream_no;
            path_join(dir, sizeof dir, fn_dir, s->stream);
            sink_open_gz(k, dir, part, level);
        }
        sink_write(k, b.s, b.n);
    }
    sink_close(k);
}

/* Writes the s3-export shape; only counts its bytes when o->out is NULL. */
static long long write_s3(plan *plans, const opts *o)
{
    sink k = {0};
    char dir[4096], fn_dir[4096];
    if (o->out)
        path_join(dir, sizeof dir, o->out, "s3-export");
    for (int f = 0; f < N_FN; f++) {
        char rel[256];
        if (o->out) {
            snprintf(rel, sizeof rel, "%s/%s", plans[f].spec->name, plans[f].task_id);
            path_join(fn_dir, sizeof fn_dir, dir, rel);
        }
        for (long i = 0; i < plans[f].n_slots; i++) {
            slot s;
            slot_init(&s, &plans[f], i, 0);
            s3_slot(&s, &k, o->out ? fn_dir : NULL, o->part_mb * MIB, o->level, 0);
        }
    }
    if (o->emf) { /* the export of /aws/lambda-insights: every function's streams */
        char task[37], rel[256];
        rng r;
        rng_seed(&r, mix2(plans[0].seed, hash_str("task-insights")));
        rng_uuid(&r, task);
        if (o->out) {
            snprintf(rel, sizeof rel, "%s/%s", INSIGHTS_NAME, task);
            path_join(fn_dir, sizeof fn_dir, dir, rel);
        }
        g_insights = 1;
        for (int f = 0; f < N_FN; f++)
            for (long i = 0; i < plans[f].n_slots; i++) {
                slot s;
                slot_init(&s, &plans[f], i, 0);
                s3_slot(&s, &k, o->out ? fn_dir : NULL, o->part_mb * MIB, o->level, 0);
            }
        g_insights = 0;
    }
    return k.total;
}

/* ----------------------------------------------------------- CLI JSON shape */

/* A hash that identifies the slot's current event: the source of its
 * eventId, ingestion time and Insights @ptr in every shape. */
static uint64_t event_hash(const slot *s)
{
    return mix2(mix2(s->p->seed, (uint64_t)s->index), s->seq);
}

/* The 56-digit eventId of an event with hash h. */
static void b_event_id(buf *b, uint64_t h)
{
    b_num(b, (long long)(h % 1000000000000000000ULL), 18);
    b_num(b, (long long)(mix2(h, 1) % 1000000000000000000ULL), 19);
    b_num(b, (long long)(mix2(h, 2) % 1000000000000000000ULL), 19);
}

static long long ingestion_ms(const slot *s, uint64_t h)
{
    return s->ts + 150 + (long long)(h % 450);
}

/* One element of "events", indented as `aws` prints it, without the
 * separator before it. */
static void cli_event(buf *b, const slot *s)
{
    buf m;
    uint64_t h = event_hash(s);
    m.n = 0;
    b_message(&m, s);
    b->n = 0;
    b_str(b, "        {\n            \"logStreamName\": \"");
    b_str(b, s->stream);
    b_str(b, "\",\n            \"timestamp\": ");
    b_num(b, s->ts, 1);
    b_str(b, ",\n            \"message\": \"");
    b_json_escaped(b, m.s, m.n);
    b_str(b, "\",\n            \"ingestionTime\": ");
    b_num(b, ingestion_ms(s, h), 1);
    b_str(b, ",\n            \"eventId\": \"");
    b_event_id(b, h);
    b_str(b, "\"\n        }");
}

/* A min-heap of slots by (key, ord). */
typedef struct heap {
    slot **a;
    long n;
} heap;

static int slot_before(const slot *x, const slot *y)
{
    return x->key != y->key ? x->key < y->key : x->ord < y->ord;
}

static void heap_down(heap *h, long i)
{
    for (;;) {
        long l = 2 * i + 1, m = i;
        if (l < h->n && slot_before(h->a[l], h->a[m]))
            m = l;
        if (l + 1 < h->n && slot_before(h->a[l + 1], h->a[m]))
            m = l + 1;
        if (m == i)
            return;
        slot *t = h->a[i];
        h->a[i] = h->a[m];
        h->a[m] = t;
        i = m;
    }
}

/* Every slot of plans[0..n), merged by time: slots[ord] is the slot with
 * merge order ord; the heap holds those with events left. */
typedef struct merge {
    slot *slots;
    long n_slots;
    heap h;
} merge;

static void merge_init(merge *m, plan *plans, int n)
{
    long total = 0, ord = 0;
    for (int f = 0; f < n; f++)
        total += plans[f].n_slots;
    m->n_slots = total;
    m->slots = xcalloc((size_t)total, sizeof *m->slots);
    m->h.a = xcalloc((size_t)total, sizeof(slot *));
    m->h.n = 0;
    for (int f = 0; f < n; f++)
        for (long i = 0; i < plans[f].n_slots; i++, ord++) {
            slot *s = &m->slots[ord];
            slot_init(s, &plans[f], i, ord);
            s->key = s->ts;
            if (s->kind != EV_DONE)
                m->h.a[m->h.n++] = s;
        }
    for (long i = m->h.n / 2 - 1; i >= 0; i--)
        heap_down(&m->h, i);
}

/* The slot whose current event comes first, or NULL when all are done. */
static slot *merge_top(merge *m)
{
    return m->h.n > 0 ? m->h.a[0] : NULL;
}

/* Advances the top slot to its next event and restores the order. */
static void merge_pop(merge *m)
{
    slot *s = m->h.a[0];
    slot_advance(s);
    s->key = s->ts;
    if (s->kind == EV_DONE)
        m->h.a[0] = m->h.a[--m->h.n];
    heap_down(&m->h, 0);
}

static void merge_free(merge *m)
{
    free(m->h.a);
    free(m->slots);
    m->h.a = NULL;
    m->slots = NULL;
}

/* Writes one CLI document holding the events of plans[0..n) in time order. */
static long long cli_doc(plan *plans, int n, const char *path, sink *k)
{
    merge m;
    long long before = k->total;
    buf b;
    int first = 1;
    merge_init(&m, plans, n);
    if (path)
        sink_open_file(k, path);
    sink_write(k, "{\n    \"events\": [", 17);
    while (merge_top(&m)) {
        const slot *s = merge_top(&m);
        cli_event(&b, s);
        sink_write(k, first ? "\n" : ",\n", first ? 1 : 2);
        sink_write(k, b.s, b.n);
        first = 0;
        merge_pop(&m);
    }
    if (!first)
        sink_write(k, "\n    ", 5);
    sink_write(k, "],\n    \"searchedLogStreams\": []\n}\n", 34);
    sink_close(k);
    merge_free(&m);
    return k->total - before;
}

/* Writes the cli-json shape; only counts its bytes (as one document) when
 * o->out is NULL. */
static long long write_cli(plan *plans, const opts *o)
{
    sink k = {0};
    char dir[4096], path[4096];
    long long total = 0;
    if (!o->out)
        return cli_doc(plans, N_FN, NULL, &k);
    path_join(dir, sizeof dir, o->out, "cli-json");
    mkdirs(dir);
    if (o->single_doc) {
        path_join(path, sizeof path, dir, "all.json");
        total = cli_doc(plans, N_FN, path, &k);
        if (o->emf) {
            path_join(path, sizeof path, dir, INSIGHTS_NAME ".json");
            g_insights = 1;
            total += cli_doc(plans, N_FN, path, &k);
            g_insights = 0;
        }
        return total;
    }
    for (int f = 0; f < N_FN; f++) {
        char name[256];
        snprintf(name, sizeof name, "%s.json", plans[f].spec->name);
        path_join(path, sizeof path, dir, name);
        total += cli_doc(&plans[f], 1, path, &k);
    }
    if (o->emf) {
        path_join(path, sizeof path, dir, INSIGHTS_NAME ".json");
        g_insights = 1;
        total += cli_doc(plans, N_FN, path, &k);
        g_insights = 0;
    }
    return total;
}

/* ------------------------------------------------------ growable buffers */

/* A growable byte buffer for what is larger than one event: documents,
 * compressed payloads, files. s is owned; d_free releases it. */
typedef struct dbuf {
    char *s;
    size_t n, cap;
} dbuf;

/* Makes room for extra more bytes; dies when memory runs out. */
static void d_reserve(dbuf *d, size_t extra)
{
    if (extra <= d->cap - d->n)
        return;
    if (extra > SIZE_MAX / 2 - d->n)
        die("out of memory (a buffer of %zu bytes)", d->n);
    size_t cap = d->cap ? d->cap : 4096;
    while (cap < d->n + extra)
        cap *= 2;
    char *p = realloc(d->s, cap);
    if (!p)
        die("out of memory (a buffer of %zu bytes)", cap);
    d->s = p;
    d->cap = cap;
}

static void d_mem(dbuf *d, const char *s, size_t n)
{
    d_reserve(d, n);
    memcpy(d->s + d->n, s, n);
    d->n += n;
}

static void d_str(dbuf *d, const char *s)
{
    d_mem(d, s, strlen(s));
}

static void d_free(dbuf *d)
{
    free(d->s);
    d->s = NULL;
    d->n = d->cap = 0;
}

/* Writes the standard base64 (with padding) of n bytes, (n + 2) / 3 * 4
 * characters, to out and returns how many. */
static size_t base64(char *out, const char *src, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = (const unsigned char *)src;
    char *o = out;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned long v = (unsigned long)s[i] << 16 | (unsigned long)s[i + 1] << 8 | s[i + 2];
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = tab[v >> 6 & 63];
        *o++ = tab[v & 63];
    }
    if (i < n) {
        unsigned long v = (unsigned long)s[i] << 16 | (i + 1 < n ? (unsigned long)s[i + 1] << 8 : 0);
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    return (size_t)(o - out);
}

static void d_base64(dbuf *d, const char *src, size_t n)
{
    d_reserve(d, (n + 2) / 3 * 4);
    d->n += base64(d->s + d->n, src, n);
}

/* A gzip compressor that makes one complete gzip member per call. */
static void gz_init(z_stream *z, int level)
{
    memset(z, 0, sizeof *z);
    if (deflateInit2(z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        die("cannot initialise zlib");
}

/* Appends to out one gzip member holding s[0..n). */
static void gz_member(z_stream *z, dbuf *out, const char *s, size_t n)
{
    int rc;
    if (n > UINT32_MAX || deflateReset(z) != Z_OK)
        die("internal: cannot compress %zu bytes", n);
    z->next_in = (const Bytef *)s;
    z->avail_in = (uInt)n;
    do {
        d_reserve(out, 1 << 16);
        z->next_out = (Bytef *)(out->s + out->n);
        z->avail_out = 1 << 16;
        rc = deflate(z, Z_FINISH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            die("internal: deflate failed (%d)", rc);
        out->n += (1 << 16) - z->avail_out;
    } while (rc != Z_STREAM_END);
}

/* Writes a whole file. */
static void write_file(const char *path, const char *s, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        die("cannot create %s: %s", path, strerror(errno));
    if (fwrite(s, 1, n, fp) != n || fclose(fp) != 0)
        die("cannot write %s: %s", path, strerror(errno));
}

/* ------------------------------------------- subscription filter batches */

/* Consecutive events of one log stream that CloudWatch Logs delivers as one
 * subscription DATA_MESSAGE. It is sent when it holds target events, at its
 * deadline, or when its stream ends, whichever comes first. Which events
 * form a batch depends only on the slot, so every subscription shape
 * (firehose, awslogs, kinesis) carries the same documents. */
typedef struct batch {
    dbuf events;         /* the logEvents elements, comma-separated */
    long n, target;      /* events in it, and how many fill it (1..50) */
    long long deadline;  /* epoch ms it is sent at the latest */
    long no;             /* batches the slot started */
    long stream_no;      /* slot stream of its events */
    char stream[64];     /* and its name */
} batch;

/* Receives a full batch: ctx, the batch's function and when it is sent. */
typedef void (*batch_fn)(void *ctx, const plan *p, const batch *bt, long long when);

/* Adds the slot's current event to its batch. */
static void batch_event(batch *bt, const slot *s)
{
    buf b, m;
    uint64_t h = event_hash(s);
    if (bt->n == 0) {
        uint64_t r = mix2(mix2(mix2(s->p->seed, (uint64_t)s->index), 0xba7c4), (uint64_t)bt->no);
        bt->no++;
        bt->target = 1 + (long)(r % 50);
        bt->deadline = s->ts + 1000 + (long long)(mix2(r, 1) % 9000);
        bt->stream_no = s->stream_no;
        memcpy(bt->stream, s->stream, sizeof bt->stream);
        bt->events.n = 0;
    } else {
        d_mem(&bt->events, ",", 1);
    }
    m.n = 0;
    b_message(&m, s);
    b.n = 0;
    b_str(&b, "{\"id\":\"");
    b_event_id(&b, h);
    b_str(&b, "\",\"timestamp\":");
    b_num(&b, s->ts, 1);
    b_str(&b, ",\"message\":\"");
    b_json_escaped(&b, m.s, m.n);
    b_str(&b, "\"}");
    d_mem(&bt->events, b.s, b.n);
    bt->n++;
}

/* The compact DATA_MESSAGE document of a batch into d (replacing it). */
static void batch_doc(dbuf *d, const plan *p, const batch *bt, const char *filter)
{
    d->n = 0;
    d_str(d, "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"/aws/");
    d_str(d, g_insights ? INSIGHTS_NAME : "lambda/");
    if (!g_insights)
        d_str(d, p->spec->name);
    d_str(d, "\",\"logStream\":\"");
    d_str(d, bt->stream);
    d_str(d, "\",\"subscriptionFilters\":[\"");
    d_str(d, filter);
    d_str(d, "\"],\"logEvents\":[");
    d_mem(d, bt->events.s, bt->events.n);
    d_str(d, "]}");
}

/* Calls emit for every batch of the slots of plans[0..n), in the order
 * they are sent. A heap merge like cli_doc, keyed by the earlier of a
 * slot's next event and its open batch's deadline, so memory holds only
 * the open batches of running environments. */
static void batch_run(plan *plans, int n, batch_fn emit, void *ctx)
{
    merge m;
    merge_init(&m, plans, n);
    batch *bts = xcalloc((size_t)m.n_slots, sizeof *bts);
    while (merge_top(&m)) {
        slot *s = merge_top(&m);
        batch *bt = &bts[s->ord];
        if (bt->n > 0 && (s->kind == EV_DONE || s->key < s->ts || s->stream_no != bt->stream_no)) {
            emit(ctx, s->p, bt, s->key);
            bt->n = 0;
        } else {
            long long t = s->ts;
            batch_event(bt, s);
            slot_advance(s);
            if (bt->n == bt->target) {
                emit(ctx, s->p, bt, t);
                bt->n = 0;
            }
        }
        if (s->kind == EV_DONE && bt->n == 0) {
            d_free(&bt->events);
            m.h.a[0] = m.h.a[--m.h.n];
        } else if (bt->n > 0 && (s->kind == EV_DONE || bt->deadline < s->ts)) {
            s->key = bt->deadline;
        } else {
            s->key = s->ts;
        }
        heap_down(&m.h, 0);
    }
    free(bts);
    merge_free(&m);
}

/* ------------------------------------------------------- Firehose shape */

/* A subscription filter to Kinesis Data Firehose delivering to S3: objects
 * DIR/firehose/YYYY/MM/DD/HH/<stream>-1-YYYY-MM-DD-HH-MM-SS-<uuid>, each a
 * concatenation of gzip members of one document each. */
typedef struct firehose {
    const opts *o;         /* o->out NULL: only count */
    FILE *fp;              /* object being written */
    char path[4096];
    long long obj_bytes;   /* uncompressed bytes in it */
    long long obj_hour;    /* epoch hour it belongs to */
    long objects;
    long long total;       /* uncompressed bytes of every document */
    z_stream z;
    dbuf doc, gz;
    rng r;                 /* object UUIDs */
} firehose;

static void firehose_close(firehose *fh)
{
    if (fh->fp && fclose(fh->fp) != 0)
        die("cannot write %s: %s", fh->path, strerror(errno));
    fh->fp = NULL;
}

/* Starts the object that holds what is sent at when. */
static void firehose_open(firehose *fh, long long when)
{
    char uuid[37], dir[4096];
    buf b = {.n = 0};
    long long t = when - g_day.start_ms;
    firehose_close(fh);
    fh->objects++;
    fh->obj_bytes = 0;
    fh->obj_hour = when / 3600000;
    if (!fh->o->out)
        return;
    rng_uuid(&fh->r, uuid);
    b_str(&b, fh->o->out);
    b_str(&b, "/firehose/");
    b_date(&b, '/');
    b_chr(&b, '/');
    b_num(&b, t / 3600000, 2);
    b.s[b.n] = '\0';
    snprintf(dir, sizeof dir, "%s", b.s);
    mkdirs(dir);
    b_str(&b, "/dev-benchmark-logs-1-");
    b_date(&b, '-');
    b_chr(&b, '-');
    b_num(&b, t / 3600000, 2);
    b_chr(&b, '-');
    b_num(&b, t / 60000 % 60, 2);
    b_chr(&b, '-');
    b_num(&b, t / 1000 % 60, 2);
    b_chr(&b, '-');
    b_str(&b, uuid);
    b.s[b.n] = '\0';
    snprintf(fh->path, sizeof fh->path, "%s", b.s);
    fh->fp = fopen(fh->path, "wb");
    if (!fh->fp)
        die("cannot create %s: %s", fh->path, strerror(errno));
}

/* Appends one document as a gzip member of the current object. */
static void firehose_put(firehose *fh, const char *s, size_t n)
{
    fh->obj_bytes += (long long)n;
    fh->total += (long long)n;
    if (!fh->fp)
        return;
    fh->gz.n = 0;
    gz_member(&fh->z, &fh->gz, s, n);
    if (fwrite(fh->gz.s, 1, fh->gz.n, fh->fp) != fh->gz.n)
        die("cannot write %s: %s", fh->path, strerror(errno));
}

static void firehose_emit(void *ctx, const plan *p, const batch *bt, long long when)
{
    firehose *fh = ctx;
    long long max = fh->o->object_mb * MIB;
    batch_doc(&fh->doc, p, bt, "benchmark-to-firehose");
    if (fh->objects == 0) {
        /* the subscription filter checked the destination first */
        buf b = {.n = 0};
        firehose_open(fh, when);
        b_str(&b, "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\","
                  "\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":");
        b_num(&b, when, 1);
        b_str(&b, ",\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}");
        firehose_put(fh, b.s, b.n);
    } else if (when / 3600000 != fh->obj_hour || fh->obj_bytes + (long long)fh->doc.n > max) {
        firehose_open(fh, when);
    }
    firehose_put(fh, fh->doc.s, fh->doc.n);
}

static long long write_firehose(plan *plans, const opts *o)
{
    firehose fh;
    memset(&fh, 0, sizeof fh);
    fh.o = o;
    rng_seed(&fh.r, mix2(o->seed, hash_str("firehose")));
    gz_init(&fh.z, o->level);
    batch_run(plans, N_FN, firehose_emit, &fh);
    if (o->emf) { /* the subscription of /aws/lambda-insights delivers to the same stream */
        g_insights = 1;
        batch_run(plans, N_FN, firehose_emit, &fh);
        g_insights = 0;
    }
    firehose_close(&fh);
    deflateEnd(&fh.z);
    d_free(&fh.doc);
    d_free(&fh.gz);
    return fh.total;
}

/* ----------------------------------------- Lambda awslogs, Kinesis shapes */

/* What a Lambda function subscribed to the log groups receives, one file
 * per invocation event: DIR/<shape>/<fn>-NNNNNN.json. */
typedef struct lambda_ev {
    const opts *o;         /* o->out NULL: only count */
    const char *shape;     /* "awslogs" or "kinesis" */
    const char *name;      /* of the files: the function, or lambda-insights */
    const plan *p;
    long files;
    long long total;       /* uncompressed bytes of every document */
    z_stream z;
    dbuf doc, gz, file;
    rng r;                 /* partition keys, batch sizes, latencies */
    long records, target;  /* kinesis: records in the file, and its size */
    long long seq;         /* kinesis: records put to the stream */
    char seq_prefix[21];   /* kinesis: the shard's sequence number prefix */
} lambda_ev;

/* Writes the current file and starts the next. */
static void lambda_ev_flush(lambda_ev *e)
{
    char path[4096];
    if (e->o->out) {
        int n = snprintf(path, sizeof path, "%s/%s/%s-%06ld.json", e->o->out, e->shape,
                         e->name, e->files);
        if (n < 0 || (size_t)n >= sizeof path)
            die("path too long: %s/%s", e->o->out, e->shape);
        write_file(path, e->file.s, e->file.n);
    }
    e->files++;
    e->file.n = 0;
}

/* The batch's document, gzipped, as base64 appended to e->file. */
static void lambda_ev_data(lambda_ev *e, const batch *bt, const char *filter)
{
    batch_doc(&e->doc, e->p, bt, filter);
    e->total += (long long)e->doc.n;
    if (!e->o->out)
        return;
    e->gz.n = 0;
    gz_member(&e->z, &e->gz, e->doc.s, e->doc.n);
    d_base64(&e->file, e->gz.s, e->gz.n);
}

static void awslogs_emit(void *ctx, const plan *p, const batch *bt, long long when)
{
    lambda_ev *e = ctx;
    (void)p;
    (void)when;
    d_str(&e->file, "{\"awslogs\": {\"data\": \"");
    lambda_ev_data(e, bt, "benchmark-to-lambda");
    d_str(&e->file, "\"}}\n");
    lambda_ev_flush(e);
}

static void kinesis_emit(void *ctx, const plan *p, const batch *bt, long long when)
{
    lambda_ev *e = ctx;
    char key[33];
    buf seq, b;
    long long arrival = when + rng_range(&e->r, 20, 400);
    (void)p;
    seq.n = b.n = 0;
    if (e->records == 0) {
        d_str(&e->file, "{\"Records\": [");
        e->target = rng_range(&e->r, 1, 10);
    } else {
        d_str(&e->file, ", ");
    }
    rng_hex(&e->r, key, 32);
    b_str(&seq, e->seq_prefix);
    b_num(&seq, when, 13);
    b_num(&seq, e->seq++ % 100000, 5);
    b_num(&seq, (long long)(rng_next(&e->r) % 1000000000000000000ULL), 18);
    seq.s[seq.n] = '\0';
    d_str(&e->file, "{\"kinesis\": {\"kinesisSchemaVersion\": \"1.0\", \"partitionKey\": \"");
    d_str(&e->file, key);
    d_str(&e->file, "\", \"sequenceNumber\": \"");
    d_str(&e->file, seq.s);
    d_str(&e->file, "\", \"data\": \"");
    lambda_ev_data(e, bt, "benchmark-to-kinesis");
    b_str(&b, "\", \"approximateArrivalTimestamp\": ");
    b_num(&b, arrival / 1000, 1);
    b_chr(&b, '.');
    b_num(&b, arrival % 1000, 3);
    b.s[b.n] = '\0';
    d_str(&e->file, b.s);
    d_str(&e->file, "}, \"eventSource\": \"aws:kinesis\", \"eventVersion\": \"1.0\", "
                    "\"eventID\": \"shardId-000000000000:");
    d_str(&e->file, seq.s);
    d_str(&e->file, "\", \"eventName\": \"aws:kinesis:record\", "
                    "\"invokeIdentityArn\": \"arn:aws:iam::123456789012:role/benchmark-log-consumer\", "
                    "\"awsRegion\": \"us-east-1\", "
                    "\"eventSourceARN\": \"arn:aws:kinesis:us-east-1:123456789012:stream/benchmark-logs\"}");
    if (++e->records == e->target) {
        d_str(&e->file, "]}\n");
        lambda_ev_flush(e);
        e->records = 0;
    }
}

static long long write_lambda_ev(plan *plans, const opts *o, const char *shape, batch_fn emit)
{
    long long total = 0;
    char dir[4096];
    if (o->out) {
        path_join(dir, sizeof dir, o->out, shape);
        mkdirs(dir);
    }
    for (int f = 0; f < N_FN + o->emf; f++) {
        lambda_ev e;
        int ins = f == N_FN; /* /aws/lambda-insights, after the functions */
        memset(&e, 0, sizeof e);
        e.o = o;
        e.shape = shape;
        e.p = &plans[ins ? 0 : f];
        e.name = ins ? INSIGHTS_NAME : plans[f].spec->name;
        rng_seed(&e.r, ins ? mix2(plans[0].seed, hash_str(INSIGHTS_NAME))
                           : mix2(plans[f].seed, hash_str(shape)));
        snprintf(e.seq_prefix, sizeof e.seq_prefix, "4959%016llu",
                 (unsigned long long)(rng_next(&e.r) % 10000000000000000ULL));
        gz_init(&e.z, o->level);
        g_insights = ins;
        batch_run(ins ? plans : &plans[f], ins ? N_FN : 1, emit, &e);
        g_insights = 0;
        if (e.records > 0) {
            d_str(&e.file, "]}\n");
            lambda_ev_flush(&e);
        }
        total += e.total;
        deflateEnd(&e.z);
        d_free(&e.doc);
        d_free(&e.gz);
        d_free(&e.file);
    }
    return total;
}

static long long write_awslogs(plan *plans, const opts *o)
{
    return write_lambda_ev(plans, o, "awslogs", awslogs_emit);
}

static long long write_kinesis(plan *plans, const opts *o)
{
    return write_lambda_ev(plans, o, "kinesis", kinesis_emit);
}

/* --------------------------------------------------------- NDJSON shape */

/* `jq -c '.events[]'` of one filter-log-events document: DIR/ndjson/<fn>.ndjson. */
static long long write_ndjson(plan *plans, const opts *o)
{
    sink k = {0};
    char dir[4096], path[4096];
    buf b, m;
    if (o->out) {
        path_join(dir, sizeof dir, o->out, "ndjson");
        mkdirs(dir);
    }
    for (int f = 0; f < N_FN + o->emf; f++) {
        merge mg;
        int ins = f == N_FN; /* /aws/lambda-insights, after the functions */
        g_insights = ins;
        merge_init(&mg, ins ? plans : &plans[f], ins ? N_FN : 1);
        if (o->out) {
            path_fn(path, sizeof path, dir, ins ? INSIGHTS_NAME : plans[f].spec->name, ".ndjson");
            sink_open_file(&k, path);
        }
        while (merge_top(&mg)) {
            const slot *s = merge_top(&mg);
            uint64_t h = event_hash(s);
            m.n = 0;
            b_message(&m, s);
            b.n = 0;
            b_str(&b, "{\"logStreamName\":\"");
            b_str(&b, s->stream);
            b_str(&b, "\",\"timestamp\":");
            b_num(&b, s->ts, 1);
            b_str(&b, ",\"message\":\"");
            b_json_escaped(&b, m.s, m.n);
            b_str(&b, "\",\"ingestionTime\":");
            b_num(&b, ingestion_ms(s, h), 1);
            b_str(&b, ",\"eventId\":\"");
            b_event_id(&b, h);
            b_str(&b, "\"}\n");
            sink_write(&k, b.s, b.n);
            merge_pop(&mg);
        }
        sink_close(&k);
        merge_free(&mg);
        g_insights = 0;
    }
    return k.total;
}

/* -------------------------------------------------------- jsonlog shape */

/* The functions with LogFormat=JSON, exported like s3-export (another
 * export task): DIR/jsonlog/<fn>/<task-id>/<stream>/000000.gz. */
static long long write_jsonlog(plan *plans, const opts *o)
{
    sink k = {0};
    char dir[4096], fn_dir[4096];
    if (o->out)
        path_join(dir, sizeof dir, o->out, "jsonlog");
    for (int f = 0; f < N_FN; f++) {
        char task[37], rel[256];
        rng r;
        rng_seed(&r, mix2(plans[f].seed, hash_str("task-jsonlog")));
        rng_uuid(&r, task);
        if (o->out) {
            snprintf(rel, sizeof rel, "%s/%s", plans[f].spec->name, task);
            path_join(fn_dir, sizeof fn_dir, dir, rel);
        }
        for (long i = 0; i < plans[f].n_slots; i++) {
            slot s;
            slot_init(&s, &plans[f], i, 0);
            s3_slot(&s, &k, o->out ? fn_dir : NULL, o->part_mb * MIB, o->level, 1);
        }
    }
    return k.total;
}

/* ------------------------------------------------------- Insights shape */

/* Hundredths as Java's Double.toString prints them: "12.34", "12.3", "13.0". */
static void b_java_cs(buf *b, long cs)
{
    b_num(b, cs / 100, 1);
    b_chr(b, '.');
    if (cs % 10)
        b_num(b, cs % 100, 2);
    else
        b_num(b, cs % 100 / 10, 1);
}

/* MB as Insights shows @memorySize: bytes (MB x 1,000,000) as Java's
 * Double.toString, scientific from 1e7 up: 512 -> "5.12E8", 87 -> "8.7E7". */
static void b_java_mb(buf *b, long mb)
{
    char d[24];
    int n = snprintf(d, sizeof d, "%ld", mb), last = n;
    if (mb < 10) {
        b_num(b, mb * 1000000L, 1);
        b_str(b, ".0");
        return;
    }
    while (last > 1 && d[last - 1] == '0')
        last--;
    b_chr(b, d[0]);
    b_chr(b, '.');
    if (last > 1)
        b_mem(b, d + 1, (size_t)(last - 1));
    else
        b_chr(b, '0');
    b_chr(b, 'E');
    b_num(b, n - 1 + 6, 1);
}

/* One {field, value} of a result row, indented as `aws` prints it. */
static void ins_field(buf *b, const char *field, const char *value, size_t n, int last)
{
    b_str(b, "            {\n                \"field\": \"");
    b_str(b, field);
    b_str(b, "\",\n                \"value\": \"");
    b_json_escaped(b, value, n);
    b_str(b, last ? "\"\n            }\n" : "\"\n            },\n");
}

static void ins_field_buf(buf *b, const char *field, const buf *v, int last)
{
    ins_field(b, field, v->s, v->n, last);
}

/* An Insights results file being written. */
typedef struct ins_out {
    sink k;
    long rows;
} ins_out;

static void ins_row(ins_out *w, const buf *row)
{
    sink_write(&w->k, w->rows ? ",\n        [\n" : "\n        [\n", w->rows ? 12 : 11);
    sink_write(&w->k, row->s, row->n);
    sink_write(&w->k, "        ]", 9);
    w->rows++;
}

static void ins_end(ins_out *w, long long scanned, long long bytes)
{
    buf b = {.n = 0};
    b_str(&b, w->rows ? "\n    ],\n" : "],\n");
    b_str(&b, "    \"statistics\": {\n        \"recordsMatched\": ");
    b_num(&b, w->rows, 1);
    b_str(&b, ".0,\n        \"recordsScanned\": ");
    b_num(&b, scanned, 1);
    b_str(&b, ".0,\n        \"bytesScanned\": ");
    b_num(&b, bytes, 1);
    b_str(&b, ".0\n    },\n    \"status\": \"Complete\"\n}\n");
    sink_write(&w->k, b.s, b.n);
    sink_close(&w->k);
}

/* `aws logs get-query-results` of two queries per log group, sorted by
 * @timestamp ascending: DIR/insights/<fn>-messages.json (every event) and
 * DIR/insights/<fn>-reports.json (REPORT events, the discovered fields). */
static long long write_insights(plan *plans, const opts *o)
{
    char dir[4096], path[4096];
    long long total = 0;
    if (o->out) {
        path_join(dir, sizeof dir, o->out, "insights");
        mkdirs(dir);
    }
    for (int f = 0; f < N_FN + o->emf; f++) {
        ins_out msg = {0}, rep = {0};
        merge mg;
        long long events = 0, bytes = 0;
        buf log = {.n = 0};
        int ins = f == N_FN; /* /aws/lambda-insights: messages only (it has no REPORT) */
        const char *name = ins ? INSIGHTS_NAME : plans[f].spec->name;
        b_str(&log, ins ? "123456789012:/aws/" : "123456789012:/aws/lambda/");
        b_str(&log, name);
        if (o->out) {
            path_fn(path, sizeof path, dir, name, "-messages.json");
            sink_open_file(&msg.k, path);
            if (!ins) {
                path_fn(path, sizeof path, dir, name, "-reports.json");
                sink_open_file(&rep.k, path);
            }
        }
        sink_write(&msg.k, "{\n    \"results\": [", 18);
        sink_write(&rep.k, "{\n    \"results\": [", 18);
        g_insights = ins;
        merge_init(&mg, ins ? plans : &plans[f], ins ? N_FN : 1);
        while (merge_top(&mg)) {
            const slot *s = merge_top(&mg);
            const invoc *v = &s->inv;
            uint64_t h = event_hash(s);
            buf m, ts, ptr, row;
            char raw[72];
            m.n = ts.n = row.n = 0;
            b_message(&m, s);
            b_date(&ts, '-');
            b_chr(&ts, ' ');
            b_clock(&ts, s->ts, '.');
            for (int i = 0; i < 9; i++) {
                uint64_t x = mix2(h, 16 + (uint64_t)i);
                memcpy(raw + 8 * i, &x, 8);
            }
            raw[0] = 0x0a;
            raw[1] = 0x46;
            ptr.n = base64(ptr.s, raw, sizeof raw);
            events++;
            bytes += (long long)m.n;

            ins_field_buf(&row, "@timestamp", &ts, 0);
            ins_field_buf(&row, "@message", &m, 0);
            ins_field(&row, "@logStream", s->stream, strlen(s->stream), 0);
            ins_field_buf(&row, "@log", &log, 0);
            ins_field_buf(&row, "@ptr", &ptr, 1);
            ins_row(&msg, &row);

            if (s->kind == EV_REPORT) {
                buf x;
                x.n = row.n = 0;
                ins_field_buf(&row, "@timestamp", &ts, 0);
                ins_field(&row, "@requestId", v->rid, strlen(v->rid), 0);
                b_java_cs(&x, v->dur_cs);
                ins_field_buf(&row, "@duration", &x, 0);
                x.n = 0;
                b_num(&x, v->billed, 1);
                b_str(&x, ".0");
                ins_field_buf(&row, "@billedDuration", &x, 0);
                x.n = 0;
                b_java_mb(&x, 512);
                ins_field_buf(&row, "@memorySize", &x, 0);
                x.n = 0;
                b_java_mb(&x, v->mem);
                ins_field_buf(&row, "@maxMemoryUsed", &x, 0);
                if (v->cold) {
                    x.n = 0;
                    b_java_cs(&x, v->init_cs);
                    ins_field_buf(&row, "@initDuration", &x, 0);
                }
                ins_field(&row, "@logStream", s->stream, strlen(s->stream), 0);
                ins_field_buf(&row, "@log", &log, 0);
                ins_field_buf(&row, "@ptr", &ptr, 1);
                ins_row(&rep, &row);
            }
            merge_pop(&mg);
        }
        merge_free(&mg);
        g_insights = 0;
        ins_end(&msg, events, bytes);
        ins_end(&rep, events, bytes);
        total += msg.k.total + (ins ? 0 : rep.k.total);
    }
    return total;
}

/* ------------------------------------------- DynamoDB stream records (--ddb) */

/* The items table the four functions write (their log lines name it), its
 * stream (NEW_AND_OLD_IMAGES) read by a Lambda function: DIR/ddb/lambda/
 * holds the events that function receives, DIR/ddb/ndjson/ the same records
 * one per line (`jq -c '.Records[]'`). One record per successful write of
 * an invocation: POST /items puts a new item whose id is the request id
 * (INSERT), PUT /items/<id> updates an item created days before (MODIFY),
 * DELETE /items/<id> deletes one (REMOVE); a few items expire by TTL (REMOVE
 * by the DynamoDB service). A few writes break the item schema on purpose,
 * differently per runtime (see samples/README.md). Records come from PRNGs
 * of their own: --ddb changes no byte of the log shapes. */

#define DDB_TABLE "dev-benchmark-items"
#define DDB_ARN "arn:aws:dynamodb:us-east-1:123456789012:table/" DDB_TABLE \
                "/stream/2026-11-01T00:00:00.000"
#define DDB_DESC_MAX 3000
enum { DDB_INSERT, DDB_MODIFY, DDB_REMOVE };

/* One write, as the generator learns it from an invocation. */
typedef struct ddb_write {
    int fn;              /* index into FNS, -1 for a TTL delete */
    int op;              /* DDB_* */
    char id[37];         /* the item's id */
    long long write_ms;  /* when the function wrote it */
    long nth;            /* the function's nth write of the night (0-based) */
    long ord;            /* generation order, breaks ties */
} ddb_write;

/* An item image as the generator writes it. */
typedef struct ddb_item {
    char id[37];
    char name[64];
    char desc[DDB_DESC_MAX + 1];
    char price[16];      /* N text */
    long long created, updated; /* epoch ms (s when ts_seconds) */
    int price_as_s;      /* deliberate: price written as S */
    int ts_seconds;      /* deliberate: times in seconds */
    int extra_tags;      /* deliberate: an attribute the schema lacks */
    int no_desc;         /* deliberate: description missing */
} ddb_item;

static const char *const DDB_WORDS[] = {
    "lambda", "runtime", "cold", "start", "benchmark", "item", "order", "widget", "gadget",
    "blue", "large", "small", "steel", "cotton", "organic", "fast", "durable", "compact",
    "premium", "basic", "edition", "series", "pack", "set", "with", "and", "for", "daily",
};
#define N_DDB_WORDS (sizeof DDB_WORDS / sizeof DDB_WORDS[0])

/* Words up to about len bytes into out (size > len). */
static void ddb_words(rng *r, char *out, size_t len, int capital)
{
    size_t n = 0;
    while (n < len) {
        const char *w = DDB_WORDS[rng_range(r, 0, (long)N_DDB_WORDS - 1)];
        size_t k = strlen(w);
        if (n + k + 1 > len)
            break;
        if (n)
            out[n++] = ' ';
        memcpy(out + n, w, k);
        if (capital && n == 0)
            out[0] = (char)(out[0] - 32);
        n += k;
    }
    out[n] = '\0';
}

/* A fresh item (its values from r). */
static void ddb_item_new(rng *r, ddb_item *it, const char *id, long long created)
{
    memset(it, 0, sizeof *it);
    snprintf(it->id, sizeof it->id, "%s", id);
    ddb_words(r, it->name, (size_t)rng_range(r, 10, 40), 1);
    size_t d = rng_range(r, 0, 7) == 0 ? (size_t)rng_range(r, 1100, 2700)
                                       : (size_t)rng_range(r, 60, 400);
    ddb_words(r, it->desc, d, 1);
    snprintf(it->price, sizeof it->price, "%ld.%02ld", rng_range(r, 1, 250), rng_range(r, 0, 99));
    it->created = it->updated = created;
}

/* DynamoDB's size of an N written as text: 1 + ceil(significant digits / 2). */
static long ddb_n_size(const char *n)
{
    char digits[64];
    size_t k = 0;
    for (; *n; n++)
        if (*n >= '0' && *n <= '9' && k < sizeof digits)
            digits[k++] = *n;
    size_t a = 0, b = k;
    while (a < b && digits[a] == '0')
        a++;
    while (b > a && digits[b - 1] == '0')
        b--;
    return b == a ? 1 : 1 + (long)((b - a + 1) / 2);
}

static void ddb_time_text(char *out, size_t size, long long v) { snprintf(out, size, "%lld", v); }

/* The item's size by DynamoDB's rules (attribute names + values). */
static long ddb_item_size(const ddb_item *it, int keys_only)
{
    char t[24];
    long n = 2 + (long)strlen(it->id);
    if (keys_only)
        return n;
    n += 4 + (long)strlen(it->name);
    if (!it->no_desc)
        n += 11 + (long)strlen(it->desc);
    n += 5 + (it->price_as_s ? (long)strlen(it->price) : ddb_n_size(it->price));
    ddb_time_text(t, sizeof t, it->created);
    n += 10 + ddb_n_size(t);
    ddb_time_text(t, sizeof t, it->updated);
    n += 10 + ddb_n_size(t);
    if (it->extra_tags) /* L: 3 + per element 1 + its size */
        n += 4 + 3 + (1 + 4) + (1 + 6);
    return n;
}

/* Appends one attribute "name": {"T": "value"} in the given style. */
static void ddb_attr(dbuf *d, const char *kv, const char *sep, int first, const char *name,
                     const char *type, const char *value)
{
    if (!first)
        d_str(d, sep);
    d_str(d, "\"");
    d_str(d, name);
    d_str(d, "\"");
    d_str(d, kv);
    d_str(d, "{\"");
    d_str(d, type);
    d_str(d, "\"");
    d_str(d, kv);
    d_str(d, "\"");
    d_str(d, value);
    d_str(d, "\"}");
}

/* The item as an attribute map (or its Keys). kv and sep: ": " and ", " as
 * Python's json.dumps writes, ":" and "," as jq -c. */
static void ddb_image(dbuf *d, const ddb_item *it, int keys_only, const char *kv, const char *sep)
{
    char t[24];
    d_str(d, "{");
    ddb_attr(d, kv, sep, 1, "id", "S", it->id);
    if (!keys_only) {
        ddb_attr(d, kv, sep, 0, "name", "S", it->name);
        if (!it->no_desc)
            ddb_attr(d, kv, sep, 0, "description", "S", it->desc);
        ddb_attr(d, kv, sep, 0, "price", it->price_as_s ? "S" : "N", it->price);
        ddb_time_text(t, sizeof t, it->created);
        ddb_attr(d, kv, sep, 0, "created_at", "N", t);
        ddb_time_text(t, sizeof t, it->updated);
        ddb_attr(d, kv, sep, 0, "updated_at", "N", t);
        if (it->extra_tags) {
            d_str(d, sep);
            d_str(d, "\"tags\"");
            d_str(d, kv);
            d_str(d, "{\"L\"");
            d_str(d, kv);
            d_str(d, "[{\"S\"");
            d_str(d, kv);
            d_str(d, "\"sale\"}");
            d_str(d, sep);
            d_str(d, "{\"S\"");
            d_str(d, kv);
            d_str(d, "\"winter\"}]}");
        }
    }
    d_str(d, "}");
}

/* The deliberate schema breaks: which of a function's writes, and how. */
static void ddb_deliberate(const ddb_write *w, ddb_item *it)
{
    if (w->fn < 0 || w->op == DDB_REMOVE)
        return;
    switch (FNS[w->fn].rt) {
    case RT_PYTHON:
        if (w->nth == 1)
            memmove(it->price + 1, it->price, strlen(it->price) + 1), it->price[0] = '-';
        if (w->nth == 3)
            it->updated = it->created - 5000;
        break;
    case RT_NODE:
        it->extra_tags = w->nth == 0;
        it->no_desc = w->nth == 2;
        break;
    case RT_GO:
        if (w->nth == 1) {
            it->ts_seconds = 1;
            it->created /= 1000;
            it->updated /= 1000;
        }
        break;
    default:
        it->price_as_s = w->nth == 0 || w->nth == 2;
        break;
    }
}

/* One stream record of write w (sequence number seq) appended to d. */
static void ddb_record_json(dbuf *d, const ddb_write *w, uint64_t seed, long long seq,
                            const char *kv, const char *sep)
{
    rng r;
    ddb_item old_it, new_it;
    char hex[33], num[48];
    const char *names[] = {"INSERT", "MODIFY", "REMOVE"};
    long long created = w->write_ms - 1;

    rng_seed(&r, mix2(seed, hash_str(w->id) ^ (uint64_t)w->write_ms));
    rng_hex(&r, hex, 32);
    if (w->op != DDB_INSERT) /* created days before the night, updated since */
        created = g_day.start_ms - rng_range(&r, 1, 20) * DAY_MS + rng_range(&r, 0, DAY_MS - 1);
    ddb_item_new(&r, &old_it, w->id, created);
    if (w->op != DDB_INSERT)
        old_it.updated = created + rng_range(&r, 0, (g_day.start_ms - created) / 2);
    new_it = old_it;
    if (w->op == DDB_MODIFY) {
        snprintf(new_it.price, sizeof new_it.price, "%ld.%02ld", rng_range(&r, 1, 250),
                 rng_range(&r, 0, 99));
        new_it.updated = w->write_ms - 1;
    }
    ddb_deliberate(w, &new_it);
    long long applied = w->write_ms + rng_range(&r, 2, 9);
    long size = ddb_item_size(&new_it, 1);
    if (w->op != DDB_REMOVE)
        size += ddb_item_size(&new_it, 0);
    if (w->op != DDB_INSERT)
        size += ddb_item_size(&old_it, 0);

    d_str(d, "{\"eventID\"");
    d_str(d, kv);
    d_str(d, "\"");
    d_str(d, hex);
    d_str(d, "\"");
    d_str(d, sep);
    d_str(d, "\"eventName\"");
    d_str(d, kv);
    d_str(d, "\"");
    d_str(d, names[w->op]);
    d_str(d, "\"");
    const char *fixed[][2] = {{"eventVersion", "1.1"}, {"eventSource", "aws:dynamodb"},
                              {"awsRegion", "us-east-1"}};
    for (int i = 0; i < 3; i++) {
        d_str(d, sep);
        d_str(d, "\"");
        d_str(d, fixed[i][0]);
        d_str(d, "\"");
        d_str(d, kv);
        d_str(d, "\"");
        d_str(d, fixed[i][1]);
        d_str(d, "\"");
    }
    if (w->fn < 0) {
        d_str(d, sep);
        d_str(d, "\"userIdentity\"");
        d_str(d, kv);
        d_str(d, "{\"type\"");
        d_str(d, kv);
        d_str(d, "\"Service\"");
        d_str(d, sep);
        d_str(d, "\"principalId\"");
        d_str(d, kv);
        d_str(d, "\"dynamodb.amazonaws.com\"}");
    }
    d_str(d, sep);
    d_str(d, "\"dynamodb\"");
    d_str(d, kv);
    d_str(d, "{\"ApproximateCreationDateTime\"");
    d_str(d, kv);
    snprintf(num, sizeof num, "%lld", applied / 1000);
    d_str(d, num);
    d_str(d, sep);
    d_str(d, "\"Keys\"");
    d_str(d, kv);
    ddb_image(d, &new_it, 1, kv, sep);
    if (w->op != DDB_REMOVE) {
        d_str(d, sep);
        d_str(d, "\"NewImage\"");
        d_str(d, kv);
        ddb_image(d, &new_it, 0, kv, sep);
    }
    if (w->op != DDB_INSERT) {
        d_str(d, sep);
        d_str(d, "\"OldImage\"");
        d_str(d, kv);
        ddb_image(d, &old_it, 0, kv, sep);
    }
    d_str(d, sep);
    d_str(d, "\"SequenceNumber\"");
    d_str(d, kv);
    snprintf(num, sizeof num, "\"4000%017lld\"", seq);
    d_str(d, num);
    d_str(d, sep);
    d_str(d, "\"SizeBytes\"");
    d_str(d, kv);
    snprintf(num, sizeof num, "%ld", size);
    d_str(d, num);
    d_str(d, sep);
    d_str(d, "\"StreamViewType\"");
    d_str(d, kv);
    d_str(d, "\"NEW_AND_OLD_IMAGES\"}");
    d_str(d, sep);
    d_str(d, "\"eventSourceARN\"");
    d_str(d, kv);
    d_str(d, "\"" DDB_ARN "\"}");
}

static int ddb_write_cmp(const void *a, const void *b)
{
    const ddb_write *x = a, *y = b;
    if (x->write_ms != y->write_ms)
        return x->write_ms < y->write_ms ? -1 : 1;
    return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Every write of the night, in time order; *n gets how many. */
static ddb_write *ddb_collect(plan *plans, const opts *o, long *n)
{
    merge m;
    ddb_write *w = NULL;
    long cap = 0, count = 0, nth[N_FN] = {0};
    rng r;
    long long lo = 0, hi = 0;

    g_insights = 0;
    merge_init(&m, plans, N_FN);
    while (merge_top(&m)) {
        const slot *s = merge_top(&m);
        const invoc *v = &s->inv;
        if (s->kind == EV_START && v->outcome == OUT_OK && v->status != 404 && v->rt->db_op &&
            (!strcmp(v->rt->db_op, "PutItem") || !strcmp(v->rt->db_op, "UpdateItem") ||
             !strcmp(v->rt->db_op, "DeleteItem"))) {
            if (count == cap) {
                cap = cap ? 2 * cap : 256;
                w = realloc(w, (size_t)cap * sizeof *w);
                if (!w)
                    die("out of memory (%ld writes)", cap);
            }
            ddb_write *x = &w[count];
            rng wr;
            rng_seed(&wr, mix2(mix2(o->seed, hash_str("ddb")), hash_str(v->rid)));
            x->fn = s->p->fn;
            x->op = v->rt->ok_status == 201 ? DDB_INSERT
                    : !strcmp(v->rt->method, "PUT") ? DDB_MODIFY : DDB_REMOVE;
            snprintf(x->id, sizeof x->id, "%s", x->op == DDB_INSERT ? v->rid : v->item);
            long span = (long)(v->t_end - v->t_start);
            x->write_ms = v->t_start + 1 + (span > 2 ? rng_range(&wr, span / 3, 2 * span / 3) : 0);
            x->nth = nth[x->fn]++;
            x->ord = count;
            if (!count || x->write_ms < lo)
                lo = x->write_ms;
            if (!count || x->write_ms > hi)
                hi = x->write_ms;
            count++;
        }
        merge_pop(&m);
    }
    merge_free(&m);
    /* TTL deletes: about one per twelve writes, spread over the night */
    rng_seed(&r, mix2(o->seed, hash_str("ddb-ttl")));
    long ttl = count / 12 + 1;
    for (long i = 0; i < ttl; i++) {
        if (count == cap) {
            cap = cap ? 2 * cap : 256;
            w = realloc(w, (size_t)cap * sizeof *w);
            if (!w)
                die("out of memory (%ld writes)", cap);
        }
        ddb_write *x = &w[count];
        x->fn = -1;
        x->op = DDB_REMOVE;
        rng_uuid(&r, x->id);
        x->write_ms = lo + (hi - lo) * (2 * i + 1) / (2 * ttl) + rng_range(&r, 0, 999);
        x->nth = i;
        x->ord = count++;
    }
    qsort(w, (size_t)count, sizeof *w, ddb_write_cmp);
    *n = count;
    return w;
}

/* DIR/ddb/lambda/<table>-NNNNNN.json (Lambda DynamoDB events, 1 to 10
 * records each, as print(json.dumps(event)) writes them) and
 * DIR/ddb/ndjson/<table>.ndjson (the same records, jq -c). */
static long long write_ddb(plan *plans, const opts *o)
{
    long n, files = 0, in_batch = 0, target = 0;
    ddb_write *w = ddb_collect(plans, o, &n);
    uint64_t seed = mix2(o->seed, hash_str("ddb-records"));
    dbuf ev = {0}, nd = {0};
    char dir[4096], path[4096];
    rng r;
    long long total = 0;

    rng_seed(&r, mix2(o->seed, hash_str("ddb-batches")));
    if (o->out) {
        path_join(dir, sizeof dir, o->out, "ddb/lambda");
        mkdirs(dir);
        path_join(dir, sizeof dir, o->out, "ddb/ndjson");
        mkdirs(dir);
    }
    for (long i = 0; i < n; i++) {
        if (in_batch == 0) {
            target = rng_range(&r, 1, 10);
            d_str(&ev, "{\"Records\": [");
        } else {
            d_str(&ev, ", ");
        }
        ddb_record_json(&ev, &w[i], seed, 1000003 * (i + 1), ": ", ", ");
        ddb_record_json(&nd, &w[i], seed, 1000003 * (i + 1), ":", ",");
        d_str(&nd, "\n");
        if (++in_batch == target || i + 1 == n) {
            d_str(&ev, "]}\n");
            if (o->out) {
                int k = snprintf(path, sizeof path, "%s/ddb/lambda/%s-%06ld.json", o->out,
                                 DDB_TABLE, files);
                if (k < 0 || (size_t)k >= sizeof path)
                    die("path too long: %s/ddb/lambda", o->out);
                write_file(path, ev.s, ev.n);
            }
            total += (long long)ev.n;
            files++;
            ev.n = 0;
            in_batch = 0;
        }
    }
    if (o->out) {
        path_join(path, sizeof path, o->out, "ddb/ndjson/" DDB_TABLE ".ndjson");
        write_file(path, nd.s ? nd.s : "", nd.n);
    }
    fprintf(stderr, "mrb-gen: ddb: %ld stream records of %s in %ld Lambda events and one NDJSON "
                    "file\n",
            n, DDB_TABLE, files);
    d_free(&ev);
    d_free(&nd);
    free(w);
    return total;
}

/* ---------------------------------------------------------------- sizing */

/* Every shape: its --shape name, its bit, its writer (which only counts
 * when o->out is NULL) and what the MiB it reports measure. */
typedef struct shape_def {
    const char *name;
    int bit;
    long long (*write)(plan *plans, const opts *o);
    const char *unit;
} shape_def;

static const shape_def SHAPES[] = {
    {"s3-export", SHAPE_S3, write_s3, " uncompressed"},
    {"cli-json", SHAPE_CLI, write_cli, ""},
    {"firehose", SHAPE_FIREHOSE, write_firehose, " of JSON documents, uncompressed"},
    {"awslogs", SHAPE_AWSLOGS, write_awslogs, " of JSON documents, decoded"},
    {"kinesis", SHAPE_KINESIS, write_kinesis, " of JSON documents, decoded"},
    {"ndjson", SHAPE_NDJSON, write_ndjson, ""},
    {"jsonlog", SHAPE_JSONLOG, write_jsonlog, " uncompressed"},
    {"insights", SHAPE_INSIGHTS, write_insights, ""},
};
#define N_SHAPES (sizeof SHAPES / sizeof SHAPES[0])

/* Uncompressed bytes one invocation of every function takes on average in
 * the given shape, measured on a sample generated without output. */
static double bytes_per_round(const opts *o, const shape_def *shape)
{
    opts so = *o;
    plan plans[N_FN];
    long long total;
    so.streams = 0;
    so.out = NULL;
    for (int f = 0; f < N_FN; f++)
        plan_init(&plans[f], f, &so, SAMPLE_INV, 0, 0);
    total = shape->write(plans, &so);
    for (int f = 0; f < N_FN; f++)
        plan_free(&plans[f]);
    return (double)total / SAMPLE_INV;
}

/* ---------------------------------------------------------------- options */

static const char USAGE[] =
    "usage: mrb-gen --out DIR [options]\n"
    "\n"
    "Writes deterministic, realistic CloudWatch Logs of four Lambda functions\n"
    "(dev-benchmark-python, -typescript, -go, -kotlin; 512 MB, X-Ray).\n"
    "\n"
    "  --out DIR            output folder (required)\n"
    "  --shape S[,S...]     what to write (default s3-export); all of them with\n"
    "                       'all', s3-export and cli-json with 'both':\n"
    "    s3-export   DIR/s3-export/<fn>/<task-id>/YYYY/MM/DD/[$LATEST]<hex>/000000.gz\n"
    "                (CreateExportTask: gzip text, '<ISO> <message>' lines)\n"
    "    cli-json    DIR/cli-json/<fn>.json (aws logs filter-log-events output)\n"
    "    firehose    DIR/firehose/YYYY/MM/DD/HH/dev-benchmark-logs-1-<time>-<uuid>\n"
    "                (subscription filter -> Firehose -> S3: gzip members, one\n"
    "                DATA_MESSAGE document each)\n"
    "    awslogs     DIR/awslogs/<fn>-NNNNNN.json (Lambda subscription events)\n"
    "    kinesis     DIR/kinesis/<fn>-NNNNNN.json (Lambda Kinesis events)\n"
    "    ndjson      DIR/ndjson/<fn>.ndjson (jq -c '.events[]' of cli-json)\n"
    "    jsonlog     DIR/jsonlog/... like s3-export, functions with LogFormat=JSON\n"
    "    insights    DIR/insights/<fn>-messages.json, <fn>-reports.json\n"
    "                (aws logs get-query-results output)\n"
    "  --seed N             PRNG seed (default 1)\n"
    "  --slower RT=PCT      make RT's (python, typescript, go, kotlin) invocations\n"
    "                       PCT % slower: a regression for compare (repeatable)\n"
    "  --day YYYY-MM-DD     UTC day of the events, from 02:00:00Z (default 2026-11-25)\n"
    "  --invocations N      invocations per function (default 50)\n"
    "  --mb N               instead: about N MiB uncompressed in all (sized on the\n"
    "                       first shape asked for, in the order above)\n"
    "  --streams N          execution environments per function\n"
    "                       (default invocations/40 rounded up)\n"
    "  --timeouts N         invocations per function that time out (default 0)\n"
    "  --ooms N             invocations per function that run out of memory\n"
    "                       and end their environment (default 0)\n"
    "  --level N            gzip level 0-9 (default 6)\n"
    "  --single-doc         cli-json: one document DIR/cli-json/all.json for all\n"
    "  --part-mb N          s3-export, jsonlog: start a new part above N MiB\n"
    "                       (default 64)\n"
    "  --object-mb N        firehose: start a new object above N MiB of\n"
    "                       documents, or each hour (default 5)\n"
    "  --emf                EMF metrics: Powertools ColdStart and metrics blobs from\n"
    "                       Python (whole line) and TypeScript (console.log prefix),\n"
    "                       hand-written documents from Go and Kotlin, and the log\n"
    "                       group /aws/lambda-insights with one Lambda Insights\n"
    "                       performance event per invocation (lambda-insights/ or\n"
    "                       lambda-insights.* beside the functions in each shape)\n"
    "  --emf-heavy          --emf and a request counter document per invocation:\n"
    "                       about every third event of the functions' log groups\n"
    "                       is EMF (for make bench)\n"
    "  --ddb                also DIR/ddb/: DynamoDB stream records of the items\n"
    "                       the functions write (table dev-benchmark-items):\n"
    "                       lambda/ Lambda DynamoDB events, ndjson/ the same\n"
    "                       records one per line; a few TTL deletes, and a few\n"
    "                       writes that break the item schema on purpose\n"
    "  --emf-plain          with --emf or --emf-heavy: the same bytes, but each\n"
    "                       document's \"_aws\" key spelled \"_AWS\", so that no\n"
    "                       line is EMF (make bench: the cost of extraction alone)\n"
    "  -h, --help           this text\n"
    "\n"
    "The same arguments always give the same bytes; every shape holds the same\n"
    "invocations. Errors go to stderr with exit status 1.\n";

static long parse_num(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        die("%s '%s': expected an integer from %ld to %ld", opt, s, lo, hi);
    return v;
}

/* SHAPE_* bits of a comma-separated list of shape names. */
static int parse_shapes(const char *arg)
{
    int bits = 0;
    const char *p = arg;
    for (;;) {
        size_t n = strcspn(p, ",");
        int bit = 0;
        if (n == 3 && !strncmp(p, "all", 3))
            bit = SHAPE_ALL;
        else if (n == 4 && !strncmp(p, "both", 4))
            bit = SHAPE_S3 | SHAPE_CLI;
        for (size_t i = 0; i < N_SHAPES && !bit; i++)
            if (strlen(SHAPES[i].name) == n && !strncmp(p, SHAPES[i].name, n))
                bit = SHAPES[i].bit;
        if (!bit)
            die("--shape '%s': expected a comma-separated list of s3-export, cli-json, "
                "firehose, awslogs, kinesis, ndjson, jsonlog, insights, both or all", arg);
        bits |= bit;
        if (p[n] == '\0')
            return bits;
        p += n + 1;
    }
}

/* --slower RUNTIME=PCT: python, typescript, go or kotlin, 0..1000. */
static void parse_slower(const char *arg, opts *o)
{
    static const char *const names[N_FN] = {"python", "typescript", "go", "kotlin"};
    const char *eq = strchr(arg, '=');

    for (int f = 0; eq && f < N_FN; f++)
        if ((size_t)(eq - arg) == strlen(names[f]) && !strncmp(arg, names[f], (size_t)(eq - arg))) {
            o->slower[f] = (double)parse_num("--slower", eq + 1, 0, 1000);
            return;
        }
    die("--slower '%s': expected RUNTIME=PCT with RUNTIME python, typescript, go or kotlin", arg);
}

static void parse_opts(int argc, char **argv, opts *o)
{
    enum { O_SHAPE = 256, O_SEED, O_DAY, O_MB, O_INV, O_STREAMS, O_TIMEOUTS, O_OOMS, O_LEVEL,
           O_SINGLE, O_PART, O_OBJECT, O_OUT, O_EMF, O_EMF_HEAVY, O_SLOWER,
           O_DDB, O_EMF_PLAIN };
    static const struct option longopts[] = {
        {"out", required_argument, NULL, O_OUT},
        {"shape", required_argument, NULL, O_SHAPE},
        {"seed", required_argument, NULL, O_SEED},
        {"day", required_argument, NULL, O_DAY},
        {"mb", required_argument, NULL, O_MB},
        {"invocations", required_argument, NULL, O_INV},
        {"streams", required_argument, NULL, O_STREAMS},
        {"timeouts", required_argument, NULL, O_TIMEOUTS},
        {"ooms", required_argument, NULL, O_OOMS},
        {"level", required_argument, NULL, O_LEVEL},
        {"single-doc", no_argument, NULL, O_SINGLE},
        {"part-mb", required_argument, NULL, O_PART},
        {"object-mb", required_argument, NULL, O_OBJECT},
        {"emf", no_argument, NULL, O_EMF},
        {"emf-heavy", no_argument, NULL, O_EMF_HEAVY},
        {"slower", required_argument, NULL, O_SLOWER},
        {"ddb", no_argument, NULL, O_DDB},
        {"emf-plain", no_argument, NULL, O_EMF_PLAIN},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *day_arg = "2026-11-25";
    int c;

    memset(o, 0, sizeof *o);
    o->shapes = SHAPE_S3;
    o->seed = 1;
    o->level = 6;
    o->part_mb = 64;
    o->object_mb = 5;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(USAGE, stdout); exit(0);
        case O_OUT: o->out = optarg; break;
        case O_SHAPE: o->shapes = parse_shapes(optarg); break;
        case O_SEED: o->seed = (uint64_t)parse_num("--seed", optarg, 0, 2147483647L); break;
        case O_DAY: day_arg = optarg; break;
        case O_MB: o->mb = parse_num("--mb", optarg, 1, 1048576L); break;
        case O_INV: o->invocations = parse_num("--invocations", optarg, 1, 100000000L); break;
        case O_STREAMS: o->streams = parse_num("--streams", optarg, 1, 10000000L); break;
        case O_TIMEOUTS: o->timeouts = parse_num("--timeouts", optarg, 0, 100000000L); break;
        case O_OOMS: o->ooms = parse_num("--ooms", optarg, 0, 100000000L); break;
        case O_LEVEL: o->level = (int)parse_num("--level", optarg, 0, 9); break;
        case O_SINGLE: o->single_doc = 1; break;
        case O_EMF: o->emf = 1; break;
        case O_EMF_HEAVY: o->emf = o->emf_heavy = 1; break;
        case O_SLOWER: parse_slower(optarg, o); break;
        case O_DDB: o->ddb = 1; break;
        case O_EMF_PLAIN: g_emf_plain = 1; break;
        case O_PART: o->part_mb = parse_num("--part-mb", optarg, 1, 1048576L); break;
        case O_OBJECT: o->object_mb = parse_num("--object-mb", optarg, 1, 1048576L); break;
        default:
            die("unknown or incomplete option '%s' (try 'mrb-gen --help')", argv[optind - 1]);
        }
    }
    if (optind < argc)
        die("unexpected argument '%s' (try 'mrb-gen --help')", argv[optind]);
    if (!o->out)
        die("--out DIR is required (try 'mrb-gen --help')");
    if (o->mb && o->invocations)
        die("give either --mb or --invocations, not both");
    if (g_emf_plain && !o->emf)
        die("--emf-plain goes with --emf or --emf-heavy");
    day_parse(day_arg, &g_day);
}

int main(int argc, char **argv)
{
    opts o;
    plan plans[N_FN];
    long n_inv;

    parse_opts(argc, argv, &o);
    if (o.mb) {
        size_t first = 0;
        while (!(o.shapes & SHAPES[first].bit))
            first++;
        double per_round = bytes_per_round(&o, &SHAPES[first]);
        n_inv = (long)ceil((double)o.mb * MIB / per_round);
        if (n_inv < 1)
            n_inv = 1;
    } else {
        n_inv = o.invocations ? o.invocations : 50;
    }
    if (o.timeouts + o.ooms > n_inv)
        die("--timeouts %ld and --ooms %ld exceed the %ld invocations per function",
            o.timeouts, o.ooms, n_inv);
    for (int f = 0; f < N_FN; f++)
        plan_init(&plans[f], f, &o, n_inv, o.timeouts, o.ooms);

    mkdirs(o.out);
    for (size_t i = 0; i < N_SHAPES; i++) {
        if (!(o.shapes & SHAPES[i].bit))
            continue;
        long long n = SHAPES[i].write(plans, &o);
        fprintf(stderr, "mrb-gen: %s: %ld invocations x %d functions, %.1f MiB%s\n",
                SHAPES[i].name, n_inv, N_FN, (double)n / MIB, SHAPES[i].unit);
    }
    if (o.ddb)
        write_ddb(plans, &o);
    for (int f = 0; f < N_FN; f++)
        plan_free(&plans[f]);
    return 0;
}
