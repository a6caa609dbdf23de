/* emf.c — Embedded Metric Format documents in log events (see emf.h).
 *
 * Two passes over a parsed document: the first checks every rule of the
 * specification (FORMATS.md §5) and stops at the first one broken, so that
 * an invalid document gives nothing; the second builds each directive's
 * canonical dimensions once and hands out the values. Numbers are parsed as
 * doubles (JSON_DECODE_INT_AS_REAL): a metric value or a timestamp is never
 * an integer overflow. */
#include "mrb/emf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/emf_fast.h"
#include "mrb/xalloc.h"

#define AWS_TAG "\"_aws\""
#define MAX_NAME 1024      /* Namespace, metric Name, dimension value */
#define MAX_DIM_KEY 250    /* dimension key */
#define MAX_TS_MS 253402300800000.0 /* year 10000 */
#define MAX_ID 256         /* request ids longer than this are not kept */

static const char *const reason_names[EMF_REASON_COUNT] = {
    [EMF_OK] = "ok",
    [EMF_INVALID_JSON] = "invalid-json",
    [EMF_NOT_OBJECT] = "not-object",
    [EMF_NO_AWS] = "no-aws",
    [EMF_BAD_TIMESTAMP] = "bad-timestamp",
    [EMF_BAD_DIRECTIVE] = "bad-directive",
    [EMF_BAD_DIMENSION] = "bad-dimension",
    [EMF_TOO_MANY_DIMENSIONS] = "too-many-dimensions",
    [EMF_VALUE_NOT_NUMBER] = "value-not-number",
    [EMF_TOO_MANY_METRICS] = "too-many-metrics",
    [EMF_TOO_MANY_VALUES] = "too-many-values",
    [EMF_UNKNOWN_UNIT] = "unknown-unit",
    [EMF_BAD_RESOLUTION] = "bad-resolution",
};

const char *emf_reason_name(enum emf_reason r)
{
    return (unsigned)r < EMF_REASON_COUNT ? reason_names[r] : "?";
}

static int known_unit(const char *u) { return emf_known_unit(u, strlen(u)); }

/* ---- where the document is ---- */

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

static size_t skip_ws(const char *p, size_t n, size_t i)
{
    while (i < n && is_ws(p[i]))
        i++;
    return i;
}

/* The field of p[*at..n) up to the next tab: 1 (and *at past the tab), or
 * 0 when no tab follows. */
static int field(const char *p, size_t n, size_t *at, const char **f, size_t *fn)
{
    const char *tab = memchr(p + *at, '\t', n - *at);

    if (!tab)
        return 0;
    *f = p + *at;
    *fn = (size_t)(tab - *f);
    *at = (size_t)(tab - p) + 1;
    return 1;
}

/* "2019-06-07T19:11:20.563Z": enough of an ISO time to tell it from text. */
static int looks_iso(const char *f, size_t n)
{
    return n >= 19 && is_digit(f[0]) && is_digit(f[3]) && f[4] == '-' && f[7] == '-' &&
           f[10] == 'T';
}

static int looks_level(const char *f, size_t n)
{
    if (n < 4 || n > 9)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_upper(f[i]))
            return 0;
    return 1;
}

/* After a Node.js prefix "<ISO>\t<id>\t<LEVEL>\t" or a Python one
 * "[<LEVEL>]\t<ISO>\t<id>\t": the offset of what follows and the request
 * id; 0 when p has no such prefix. */
static size_t lambda_prefix(const char *p, size_t n, const char **id, size_t *idn)
{
    size_t at = 0;
    const char *a, *b, *c;
    size_t an, bn, cn;

    if (n > 0 && p[0] == '[') {
        const char *close = memchr(p, ']', n < 12 ? n : 12);
        if (!close || !looks_level(p + 1, (size_t)(close - p) - 1) ||
            (size_t)(close - p) + 1 >= n || close[1] != '\t')
            return 0;
        at = (size_t)(close - p) + 2;
        if (!field(p, n, &at, &a, &an) || !looks_iso(a, an) || !field(p, n, &at, &b, &bn))
            return 0;
        *id = b;
        *idn = bn;
        return at;
    }
    if (!field(p, n, &at, &a, &an) || !looks_iso(a, an) || !field(p, n, &at, &b, &bn) ||
        !field(p, n, &at, &c, &cn) || !looks_level(c, cn))
        return 0;
    *id = b;
    *idn = bn;
    return at;
}

/* A request id that is really absent: init-phase placeholders. */
static int placeholder_id(const char *s, size_t n) { return emf_placeholder_id(s, n); }

int emf_maybe(const char *msg, size_t n)
{
    return n >= sizeof AWS_TAG - 1 && memmem(msg, n, AWS_TAG, sizeof AWS_TAG - 1) != NULL;
}

/* ---- validation ---- */

/* Copies a name from the log into out as printable ASCII, cut to 40 bytes. */
static void safe_name(const char *s, char *out, size_t size)
{
    size_t o = 0, i = 0;

    for (; s[i] && i < 40 && o + 1 < size; i++)
        out[o++] = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?';
    if (s[i] && o + 4 < size) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

static enum emf_reason reject(emf_result *res, enum emf_reason r, const char *fmt,
                              const char *name)
{
    char safe[48];

    res->reason = r;
    safe_name(name ? name : "", safe, sizeof safe);
    snprintf(res->detail, sizeof res->detail, fmt, safe);
    return r;
}

static int string_len_ok(json_t *v, size_t lo, size_t hi)
{
    return json_is_string(v) && json_string_length(v) >= lo && json_string_length(v) <= hi;
}

static enum emf_reason check_dimensions(json_t *root, json_t *dims, emf_result *res)
{
    size_t i, j;
    json_t *set, *key;

    if (!json_is_array(dims) || json_array_size(dims) == 0)
        return reject(res, EMF_BAD_DIRECTIVE, "Dimensions is not a non-empty array of sets%s",
                      NULL);
    json_array_foreach(dims, i, set) {
        if (!json_is_array(set))
            return reject(res, EMF_BAD_DIRECTIVE, "a dimension set is not an array%s", NULL);
        if (json_array_size(set) > EMF_MAX_DIMENSIONS)
            return reject(res, EMF_TOO_MANY_DIMENSIONS, "a dimension set has more than 30 keys%s",
                          NULL);
        json_array_foreach(set, j, key) {
            if (!string_len_ok(key, 1, MAX_DIM_KEY))
                return reject(res, EMF_BAD_DIRECTIVE,
                              "a dimension key is not a string of 1 to 250 characters%s", NULL);
            const char *k = json_string_value(key);
            if (!string_len_ok(json_object_get(root, k), 1, MAX_NAME))
                return reject(res, EMF_BAD_DIMENSION,
                              "dimension '%s' has no string member of 1 to 1024 characters", k);
        }
    }
    return EMF_OK;
}

static enum emf_reason check_metric(json_t *root, json_t *m, emf_result *res)
{
    json_t *name = json_object_get(m, "Name"), *unit, *sr, *v, *x;
    size_t i;

    if (!json_is_object(m) || !string_len_ok(name, 1, MAX_NAME))
        return reject(res, EMF_BAD_DIRECTIVE, "a metric has no Name of 1 to 1024 characters%s",
                      NULL);
    const char *nm = json_string_value(name);
    unit = json_object_get(m, "Unit");
    if (unit && !(json_is_string(unit) && known_unit(json_string_value(unit)))) {
        char su[48], sm[48];
        safe_name(json_is_string(unit) ? json_string_value(unit) : "(not a string)", su,
                  sizeof su);
        safe_name(nm, sm, sizeof sm);
        res->reason = EMF_UNKNOWN_UNIT;
        snprintf(res->detail, sizeof res->detail, "unit '%s' of '%s'", su, sm);
        return EMF_UNKNOWN_UNIT;
    }
    sr = json_object_get(m, "StorageResolution");
    if (sr && !(json_is_number(sr) &&
                (json_number_value(sr) == 1.0 || json_number_value(sr) == 60.0)))
        return reject(res, EMF_BAD_RESOLUTION, "StorageResolution of '%s' is not 1 or 60", nm);
    v = json_object_get(root, nm);
    if (json_is_number(v))
        return EMF_OK;
    if (!json_is_array(v) || json_array_size(v) == 0)
        return reject(res, EMF_VALUE_NOT_NUMBER, "metric '%s' has no number", nm);
    if (json_array_size(v) > EMF_MAX_VALUES)
        return reject(res, EMF_TOO_MANY_VALUES, "metric '%s' has more than 100 values", nm);
    json_array_foreach(v, i, x) {
        if (!json_is_number(x))
            return reject(res, EMF_VALUE_NOT_NUMBER, "metric '%s' has a value that is not a number",
                          nm);
    }
    return EMF_OK;
}

static enum emf_reason check_directive(json_t *root, json_t *d, emf_result *res)
{
    json_t *metrics, *m;
    size_t i;
    enum emf_reason r;

    if (!json_is_object(d))
        return reject(res, EMF_BAD_DIRECTIVE, "a CloudWatchMetrics entry is not an object%s",
                      NULL);
    if (!string_len_ok(json_object_get(d, "Namespace"), 1, MAX_NAME))
        return reject(res, EMF_BAD_DIRECTIVE, "no Namespace of 1 to 1024 characters%s", NULL);
    if ((r = check_dimensions(root, json_object_get(d, "Dimensions"), res)) != EMF_OK)
        return r;
    metrics = json_object_get(d, "Metrics");
    if (!json_is_array(metrics))
        return reject(res, EMF_BAD_DIRECTIVE, "Metrics is not an array%s", NULL);
    if (json_array_size(metrics) > EMF_MAX_METRICS)
        return reject(res, EMF_TOO_MANY_METRICS, "a directive has more than 100 metrics%s", NULL);
    json_array_foreach(metrics, i, m) {
        if ((r = check_metric(root, m, res)) != EMF_OK)
            return r;
    }
    return EMF_OK;
}

/* Checks the whole document; fills *ts_ms. */
static enum emf_reason check(json_t *root, int64_t *ts_ms, emf_result *res)
{
    json_t *aws, *ts, *cwm, *d;
    size_t i;
    enum emf_reason r;

    if (!json_is_object(root))
        return reject(res, EMF_NOT_OBJECT, "the document is not a JSON object%s", NULL);
    aws = json_object_get(root, "_aws");
    if (!json_is_object(aws))
        return reject(res, EMF_NO_AWS,
                      aws ? "_aws is not an object%s"
                          : "no _aws object at the root (a nested one does not count)%s",
                      NULL);
    ts = json_object_get(aws, "Timestamp");
    if (!json_is_number(ts) || !(json_number_value(ts) >= 0) ||
        json_number_value(ts) >= MAX_TS_MS)
        return reject(res, EMF_BAD_TIMESTAMP, "_aws.Timestamp is not epoch milliseconds%s", NULL);
    *ts_ms = (int64_t)floor(json_number_value(ts));
    cwm = json_object_get(aws, "CloudWatchMetrics");
    if (!json_is_array(cwm))
        return reject(res, EMF_BAD_DIRECTIVE, "_aws.CloudWatchMetrics is not an array%s", NULL);
    json_array_foreach(cwm, i, d) {
        if ((r = check_directive(root, d, res)) != EMF_OK)
            return r;
    }
    return EMF_OK;
}

/* ---- the values ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The canonical form of a directive's dimension sets: each set's keys
 * sorted and unique, the sets (as compact JSON) sorted and unique. Also
 * fills obj with every key the sets name and its root member. Returns a
 * string to free, or NULL when out of memory. */
static char *canonical_sets(json_t *root, json_t *dims, json_t *obj)
{
    size_t n_sets = json_array_size(dims), i, j, k;
    char **sets = xcalloc(n_sets ? n_sets : 1, sizeof *sets);
    const char *keys[EMF_MAX_DIMENSIONS];
    json_t *set, *key;
    char *out = NULL;
    size_t len = 2, at = 0;

    json_array_foreach(dims, i, set) {
        size_t nk = 0;
        json_array_foreach(set, j, key) {
            keys[nk++] = json_string_value(key);
            json_object_set(obj, json_string_value(key),
                            json_object_get(root, json_string_value(key)));
        }
        qsort(keys, nk, sizeof keys[0], cmp_str);
        json_t *arr = json_array();
        for (k = 0; k < nk; k++)
            if (k == 0 || strcmp(keys[k], keys[k - 1]) != 0)
                json_array_append_new(arr, json_string(keys[k]));
        sets[i] = json_dumps(arr, JSON_COMPACT);
        json_decref(arr);
        if (!sets[i])
            goto done;
    }
    qsort(sets, n_sets, sizeof sets[0], cmp_str);
    for (i = 0; i < n_sets; i++)
        len += strlen(sets[i]) + 1;
    out = xmalloc(len + 1);
    out[at++] = '[';
    for (i = 0; i < n_sets; i++) {
        if (i > 0 && !strcmp(sets[i], sets[i - 1]))
            continue;
        if (at > 1)
            out[at++] = ',';
        size_t sl = strlen(sets[i]);
        memcpy(out + at, sets[i], sl);
        at += sl;
    }
    out[at++] = ']';
    out[at] = '\0';
done:
    for (i = 0; i < n_sets; i++)
        free(sets[i]);
    free(sets);
    return out;
}

/* Hands out the values of one directive. Returns 0, -1 when fn stopped, or
 * -2 when memory ran out. */
static int emit_directive(json_t *root, json_t *d, emf_value *v, emf_value_fn fn, void *arg,
                          emf_result *res)
{
    json_t *obj = json_object(), *metrics = json_object_get(d, "Metrics"), *m, *x;
    char *sets = obj ? canonical_sets(root, json_object_get(d, "Dimensions"), obj) : NULL;
    char *dims = sets ? json_dumps(obj, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
    size_t i, j;
    int rc = dims ? 0 : -2;

    v->ns = json_string_value(json_object_get(d, "Namespace"));
    v->dimensions = dims;
    v->dimension_sets = sets;
    json_array_foreach(metrics, i, m) {
        json_t *unit = json_object_get(m, "Unit"), *sr = json_object_get(m, "StorageResolution");
        if (rc != 0)
            break;
        v->metric = json_string_value(json_object_get(m, "Name"));
        v->unit = unit ? json_string_value(unit) : "None";
        v->storage_resolution = sr ? (int)json_number_value(sr) : 60;
        json_t *val = json_object_get(root, v->metric);
        if (json_is_number(val)) {
            v->value = json_number_value(val);
            v->value_index = 0;
            rc = fn(arg, v) < 0 ? -1 : 0;
            v->seq++;
            res->values++;
            continue;
        }
        json_array_foreach(val, j, x) {
            v->value = json_number_value(x);
            v->value_index = (int)j;
            if (fn(arg, v) < 0) {
                rc = -1;
                break;
            }
            v->seq++;
            res->values++;
        }
    }
    free(dims);
    free(sets);
    json_decref(obj);
    return rc;
}

/* A string member of root usable as an id or name, or NULL. */
static const char *str_member(json_t *root, const char *key)
{
    json_t *v = json_object_get(root, key);
    const char *s = json_string_value(v);

    return s && !placeholder_id(s, json_string_length(v)) && json_string_length(v) < MAX_ID
               ? s
               : NULL;
}

/* Finds the document of msg[0..n): its offset, or -1 when there is none;
 * the prefix's request id in id (NUL-terminated) or id[0] == '\0'. */
static long locate(const char *msg, size_t n, char id[MAX_ID], int *has_id)
{
    const char *pid = NULL;
    size_t pidn = 0, at;

    *has_id = 0;
    if (!emf_maybe(msg, n))
        return -1;
    at = lambda_prefix(msg, n, &pid, &pidn);
    at = skip_ws(msg, n, at);
    if (at >= n || (msg[at] != '{' && msg[at] != '['))
        return -1;
    if (msg[at] == '[' && (skip_ws(msg, n, at + 1) >= n || msg[skip_ws(msg, n, at + 1)] != '{'))
        return -1;
    if (pid && pidn < MAX_ID && !placeholder_id(pid, pidn)) {
        memcpy(id, pid, pidn);
        id[pidn] = '\0';
        *has_id = 1;
    }
    return (long)at;
}

/* The document at msg + at, judged by jansson. */
static int extract_jansson(const char *msg, size_t n, size_t at, const char *prefix_id,
                           emf_value_fn fn, void *arg, emf_result *res)
{
    json_error_t jerr;
    emf_value v;
    int rc = 0;

    json_t *root = json_loadb(msg + at, n - at, JSON_DECODE_INT_AS_REAL, &jerr);
    if (!root) {
        res->reason = EMF_INVALID_JSON;
        snprintf(res->detail, sizeof res->detail, "%.100s at byte %zu", jerr.text,
                 at + (size_t)(jerr.position > 0 ? jerr.position : 0));
        return 0;
    }
    memset(&v, 0, sizeof v);
    v.offset = at;
    if (check(root, &v.ts_ms, res) != EMF_OK)
        goto done;
    if (prefix_id) {
        v.request_id = prefix_id;
    } else {
        v.request_id = str_member(root, "requestId");
        if (!v.request_id)
            v.request_id = str_member(root, "request_id");
        if (!v.request_id)
            v.request_id = str_member(root, "function_request_id");
    }
    json_t *et = json_object_get(root, "event_type");
    if (((json_is_string(et) && !strcmp(json_string_value(et), "performance")) ||
         json_object_get(json_object_get(root, "_aws"), "LambdaInsights")) &&
        (v.function_name = str_member(root, "function_name")) != NULL)
        res->insights = 1;
    json_t *d, *cwm = json_object_get(json_object_get(root, "_aws"), "CloudWatchMetrics");
    size_t i;
    json_array_foreach(cwm, i, d) {
        v.directive = (int)i;
        rc = emit_directive(root, d, &v, fn, arg, res);
        if (rc != 0)
            break;
    }
    if (rc == -2) { /* jansson ran out of memory: what xalloc.h does */
        xalloc_fail("EMF document");
    }
done:
    json_decref(root);
    return rc;
}

static int extract(const char *msg, size_t n, emf_value_fn fn, void *arg, emf_result *res,
                   int inplace)
{
    char id[MAX_ID];
    int has_id;

    memset(res, 0, sizeof *res);
    long at = locate(msg, n, id, &has_id);
    if (at < 0)
        return 0;
    res->is_emf = 1;
    res->offset = (size_t)at;
    if (inplace) {
        int rc = emf_fast(msg + at, n - (size_t)at, has_id ? id : NULL, (size_t)at, fn, arg, res);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
    }
    return extract_jansson(msg, n, (size_t)at, has_id ? id : NULL, fn, arg, res);
}

int emf_extract(const char *msg, size_t n, emf_value_fn fn, void *arg, emf_result *res)
{
    return extract(msg, n, fn, arg, res, 1);
}

int emf_extract_jansson(const char *msg, size_t n, emf_value_fn fn, void *arg, emf_result *res)
{
    return extract(msg, n, fn, arg, res, 0);
}
