/* cw_export.c — what identifies a CloudWatch metric export's values (see
 * cw_export.h). */
#include "mrb/json_lex.h"
#include "mrb/cw_export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Percent-decodes p[0..n) into out; -1 on a bad escape. */
static int unescape(const char *p, size_t n, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i] != '%') {
            out[o++] = p[i];
            continue;
        }
        if (i + 2 >= n)
            return -1;
        int hi = hexval(p[i + 1]), lo = hexval(p[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return -1;
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    out[o] = '\0';
    return 0;
}

/* The length of the last component without its known endings. */
static size_t stem_len(const char *p, size_t n)
{
    static const char *const ends[] = {".gz", ".json", ".txt"};
    int cut = 1;

    while (cut) {
        cut = 0;
        for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++) {
            size_t m = strlen(ends[k]);
            if (n > m && !memcmp(p + n - m, ends[k], m)) {
                n -= m;
                cut = 1;
            }
        }
    }
    return n;
}

static int set_once(const char **slot, const char *v, const char *key, mrb_err *err)
{
    if (*slot)
        return mrb_err_set(err, 0, -1, "the path gives '%s=' twice", key);
    *slot = v;
    return 0;
}

/* One key=value component (value decoded in place at v). */
static int path_key(const char *key, size_t kn, const char *v, cw_ident *id, json_t *dims,
                    mrb_err *err)
{
    char k[64];
    char *end;

    if (kn == 0 || kn >= sizeof k)
        return mrb_err_set(err, 0, -1, "the path has a bad 'key=value' component");
    memcpy(k, key, kn);
    k[kn] = '\0';
    if (!strcmp(k, "namespace"))
        return set_once(&id->ns, v, k, err);
    if (!strcmp(k, "metric"))
        return set_once(&id->metric, v, k, err);
    if (!strcmp(k, "stat"))
        return set_once(&id->stat, v, k, err);
    if (!strcmp(k, "period")) {
        long long p = strtoll(v, &end, 10);
        if (id->has_period || end == v || *end || p <= 0)
            return mrb_err_set(err, 0, -1, "the path's period '%.20s' is not a number of "
                               "seconds given once", v);
        id->has_period = 1;
        id->period_s = p;
        return 0;
    }
    if (!strcmp(k, "dimensions")) {
        if (strcmp(v, "none") != 0)
            return mrb_err_set(err, 0, -1, "the path's 'dimensions=' can only be 'none'");
        id->has_dims = 1;
        return 0;
    }
    if (json_object_get(dims, k))
        return mrb_err_set(err, 0, -1, "the path gives dimension '%s' twice", k);
    json_object_set_new(dims, k, json_string(v));
    return 0;
}

static int dims_text(json_t *dims, cw_ident *id, mrb_err *err)
{
    char *t = json_dumps(dims, JSON_SORT_KEYS | JSON_COMPACT);

    if (!t || strlen(t) >= sizeof id->dims) {
        free(t);
        return mrb_err_set(err, 0, -1, "dimensions longer than %zu bytes", sizeof id->dims - 1);
    }
    strcpy(id->dims, t);
    free(t);
    return 0;
}

int cw_path_ident(const char *path, char *buf, size_t size, cw_ident *id, mrb_err *err)
{
    json_t *dims = json_object();
    size_t used = 0;
    int keys = 0, rc = -1;
    const char *p = path;

    memset(id, 0, sizeof *id);
    while (*p) {
        size_t n = strcspn(p, "/");
        const char *eq = memchr(p, '=', n);
        size_t vn = p[n] ? n : stem_len(p, n);
        if (eq && eq < p + vn) {
            size_t kn = (size_t)(eq - p), len = vn - kn - 1;
            if (used + len + 1 > size) {
                mrb_err_set(err, 0, -1, "the path's keys are too long");
                goto done;
            }
            if (unescape(eq + 1, len, buf + used) < 0) {
                mrb_err_set(err, 0, -1, "the path's '%.*s=' value has a bad %% escape",
                            (int)(kn < 40 ? kn : 40), p);
                goto done;
            }
            if (path_key(p, kn, buf + used, id, dims, err) < 0)
                goto done;
            used += strlen(buf + used) + 1;
            keys++;
        }
        p += n + (p[n] == '/');
    }
    if (json_object_size(dims) > 0 && id->has_dims) {
        mrb_err_set(err, 0, -1, "the path gives 'dimensions=none' and dimensions");
        goto done;
    }
    if (json_object_size(dims) > 0)
        id->has_dims = 1;
    rc = dims_text(dims, id, err) < 0 ? -1 : keys;
done:
    json_decref(dims);
    return rc;
}

int cw_query_ident(const json_t *q, cw_ident *id, mrb_err *err)
{
    const json_t *ms = json_object_get(q, "MetricStat");
    const json_t *m = json_object_get(ms, "Metric");
    const json_t *dl = json_object_get(m, "Dimensions");
    const json_t *period = json_object_get(ms, "Period");
    const char *qid = json_string_value(json_object_get(q, "Id"));
    json_t *dims, *d;
    size_t i;

    memset(id, 0, sizeof *id);
    if (!ms)
        return 0;
    id->ns = json_string_value(json_object_get(m, "Namespace"));
    id->metric = json_string_value(json_object_get(m, "MetricName"));
    id->stat = json_string_value(json_object_get(ms, "Stat"));
    id->unit = json_string_value(json_object_get(ms, "Unit"));
    if (!id->ns || !id->metric || !id->stat || (dl && !json_is_array(dl)) ||
        (period && !json_is_integer(period)))
        return mrb_err_set(err, 0, -1, "query '%.40s': MetricStat without a string Namespace, "
                           "MetricName and Stat, or with a bad Period or Dimensions",
                           qid ? qid : "?");
    id->has_period = period != NULL;
    id->period_s = period ? json_integer_value(period) : 0;
    dims = json_object();
    json_array_foreach(dl, i, d) {
        const char *name = json_string_value(json_object_get(d, "Name"));
        const char *value = json_string_value(json_object_get(d, "Value"));
        if (!name || !value || json_object_get(dims, name)) {
            json_decref(dims);
            return mrb_err_set(err, 0, -1, "query '%.40s': a dimension without a string Name "
                               "and Value, or given twice", qid ? qid : "?");
        }
        json_object_set_new(dims, name, json_string(value));
    }
    id->has_dims = 1;
    int rc = dims_text(dims, id, err);
    json_decref(dims);
    return rc < 0 ? -1 : 1;
}

void cw_ident_fill(cw_ident *a, const cw_ident *b)
{
    if (!a->ns)
        a->ns = b->ns;
    if (!a->metric)
        a->metric = b->metric;
    if (!a->stat)
        a->stat = b->stat;
    if (!a->unit)
        a->unit = b->unit;
    if (!a->has_period) {
        a->has_period = b->has_period;
        a->period_s = b->period_s;
    }
    if (!a->has_dims && b->has_dims) {
        a->has_dims = 1;
        memcpy(a->dims, b->dims, sizeof a->dims);
    }
}

int cw_dim_value(const char *dims, const char *name, char *out, size_t size)
{
    json_t *o = json_loads(dims, 0, NULL);
    const char *v = json_string_value(json_object_get(o, name));
    int found = v && strlen(v) < size;

    if (found)
        strcpy(out, v);
    json_decref(o);
    return found;
}
