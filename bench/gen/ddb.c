/* ddb.c — mrb-gen: DynamoDB stream records of the items the functions
 * write (--ddb): Lambda DynamoDB events and NDJSON. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

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
static void ddb_attr(sb *d, const char *kv, const char *sep, int first, const char *name,
                     const char *type, const char *value)
{
    if (!first)
        sb_adds(d, sep);
    sb_adds(d, "\"");
    sb_adds(d, name);
    sb_adds(d, "\"");
    sb_adds(d, kv);
    sb_adds(d, "{\"");
    sb_adds(d, type);
    sb_adds(d, "\"");
    sb_adds(d, kv);
    sb_adds(d, "\"");
    sb_adds(d, value);
    sb_adds(d, "\"}");
}

/* The item as an attribute map (or its Keys). kv and sep: ": " and ", " as
 * Python's json.dumps writes, ":" and "," as jq -c. */
static void ddb_image(sb *d, const ddb_item *it, int keys_only, const char *kv, const char *sep)
{
    char t[24];
    sb_adds(d, "{");
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
            sb_adds(d, sep);
            sb_adds(d, "\"tags\"");
            sb_adds(d, kv);
            sb_adds(d, "{\"L\"");
            sb_adds(d, kv);
            sb_adds(d, "[{\"S\"");
            sb_adds(d, kv);
            sb_adds(d, "\"sale\"}");
            sb_adds(d, sep);
            sb_adds(d, "{\"S\"");
            sb_adds(d, kv);
            sb_adds(d, "\"winter\"}]}");
        }
    }
    sb_adds(d, "}");
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
static void ddb_record_json(sb *d, const ddb_write *w, uint64_t seed, long long seq,
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

    sb_adds(d, "{\"eventID\"");
    sb_adds(d, kv);
    sb_adds(d, "\"");
    sb_adds(d, hex);
    sb_adds(d, "\"");
    sb_adds(d, sep);
    sb_adds(d, "\"eventName\"");
    sb_adds(d, kv);
    sb_adds(d, "\"");
    sb_adds(d, names[w->op]);
    sb_adds(d, "\"");
    const char *fixed[][2] = {{"eventVersion", "1.1"}, {"eventSource", "aws:dynamodb"},
                              {"awsRegion", "us-east-1"}};
    for (int i = 0; i < 3; i++) {
        sb_adds(d, sep);
        sb_adds(d, "\"");
        sb_adds(d, fixed[i][0]);
        sb_adds(d, "\"");
        sb_adds(d, kv);
        sb_adds(d, "\"");
        sb_adds(d, fixed[i][1]);
        sb_adds(d, "\"");
    }
    if (w->fn < 0) {
        sb_adds(d, sep);
        sb_adds(d, "\"userIdentity\"");
        sb_adds(d, kv);
        sb_adds(d, "{\"type\"");
        sb_adds(d, kv);
        sb_adds(d, "\"Service\"");
        sb_adds(d, sep);
        sb_adds(d, "\"principalId\"");
        sb_adds(d, kv);
        sb_adds(d, "\"dynamodb.amazonaws.com\"}");
    }
    sb_adds(d, sep);
    sb_adds(d, "\"dynamodb\"");
    sb_adds(d, kv);
    sb_adds(d, "{\"ApproximateCreationDateTime\"");
    sb_adds(d, kv);
    snprintf(num, sizeof num, "%lld", applied / 1000);
    sb_adds(d, num);
    sb_adds(d, sep);
    sb_adds(d, "\"Keys\"");
    sb_adds(d, kv);
    ddb_image(d, &new_it, 1, kv, sep);
    if (w->op != DDB_REMOVE) {
        sb_adds(d, sep);
        sb_adds(d, "\"NewImage\"");
        sb_adds(d, kv);
        ddb_image(d, &new_it, 0, kv, sep);
    }
    if (w->op != DDB_INSERT) {
        sb_adds(d, sep);
        sb_adds(d, "\"OldImage\"");
        sb_adds(d, kv);
        ddb_image(d, &old_it, 0, kv, sep);
    }
    sb_adds(d, sep);
    sb_adds(d, "\"SequenceNumber\"");
    sb_adds(d, kv);
    snprintf(num, sizeof num, "\"4000%017lld\"", seq);
    sb_adds(d, num);
    sb_adds(d, sep);
    sb_adds(d, "\"SizeBytes\"");
    sb_adds(d, kv);
    snprintf(num, sizeof num, "%ld", size);
    sb_adds(d, num);
    sb_adds(d, sep);
    sb_adds(d, "\"StreamViewType\"");
    sb_adds(d, kv);
    sb_adds(d, "\"NEW_AND_OLD_IMAGES\"}");
    sb_adds(d, sep);
    sb_adds(d, "\"eventSourceARN\"");
    sb_adds(d, kv);
    sb_adds(d, "\"" DDB_ARN "\"}");
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
            XGROW(w, count, cap, 256);
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
        XGROW(w, count, cap, 256);
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
long long write_ddb(plan *plans, const opts *o)
{
    long n, files = 0, in_batch = 0, target = 0;
    ddb_write *w = ddb_collect(plans, o, &n);
    uint64_t seed = mix2(o->seed, hash_str("ddb-records"));
    sb ev = {0}, nd = {0};
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
            sb_adds(&ev, "{\"Records\": [");
        } else {
            sb_adds(&ev, ", ");
        }
        ddb_record_json(&ev, &w[i], seed, 1000003 * (i + 1), ": ", ", ");
        ddb_record_json(&nd, &w[i], seed, 1000003 * (i + 1), ":", ",");
        sb_adds(&nd, "\n");
        if (++in_batch == target || i + 1 == n) {
            sb_adds(&ev, "]}\n");
            if (o->out) {
                int k = snprintf(path, sizeof path, "%s/ddb/lambda/%s-%06ld.json", o->out,
                                 DDB_TABLE, files);
                if (k < 0 || (size_t)k >= sizeof path)
                    die("path too long: %s/ddb/lambda", o->out);
                write_file(path, ev.buf, ev.len);
            }
            total += (long long)ev.len;
            files++;
            sb_reset(&ev);
            in_batch = 0;
        }
    }
    if (o->out) {
        path_join(path, sizeof path, o->out, "ddb/ndjson/" DDB_TABLE ".ndjson");
        write_file(path, sb_str(&nd), nd.len);
    }
    fprintf(stderr, "mrb-gen: ddb: %ld stream records of %s in %ld Lambda events and one NDJSON "
                    "file\n",
            n, DDB_TABLE, files);
    sb_release(&ev);
    sb_release(&nd);
    free(w);
    return total;
}
