/* ddb_value.c — AttributeValues to plain JSON, number text, item size (see ddb_value.h). */
#include "mrb/ddb_value.h"

#include <errno.h>
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/base64.h"
#include "mrb/xalloc.h"

static const char *const type_names[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
#define TYPE_COUNT ((int)(sizeof type_names / sizeof type_names[0]))

const char *ddb_type_name(enum ddb_type t)
{
    return t >= 0 && (int)t < TYPE_COUNT ? type_names[t] : "?";
}

enum ddb_type ddb_type_from_name(const char *name)
{
    for (int i = 0; i < TYPE_COUNT; i++)
        if (!strcmp(name, type_names[i]))
            return (enum ddb_type)i;
    return DDB_BAD;
}

enum ddb_type ddb_value_type(const json_t *av, const json_t **payload)
{
    const char *key;
    json_t *v;
    enum ddb_type found = DDB_BAD;

    if (!json_is_object(av))
        return DDB_BAD;
    json_object_foreach((json_t *)av, key, v) {
        if (json_is_null(v))
            continue;
        enum ddb_type t = ddb_type_from_name(key);
        if (t == DDB_BAD || found != DDB_BAD)
            return DDB_BAD;
        found = t;
        if (payload)
            *payload = v;
    }
    return found;
}

/* ---- numbers ---- */

/* A number's parts: sign, integer digits, fraction digits, exponent. */
typedef struct num {
    int neg;
    const char *ip, *fp; /* integer and fraction digits */
    size_t il, fl;
    const char *ep;      /* exponent text after 'e' / 'E' (sign and digits), or NULL */
    size_t el;
    long long exp;       /* its value, clamped to +-1e15 */
} num;

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int num_parse(const char *s, size_t n, num *x)
{
    size_t i = 0;

    memset(x, 0, sizeof *x);
    if (i < n && (s[i] == '+' || s[i] == '-'))
        x->neg = s[i++] == '-';
    x->ip = s + i;
    while (i < n && is_digit(s[i]))
        i++;
    x->il = (size_t)(s + i - x->ip);
    x->fp = s + i;
    if (i < n && s[i] == '.') {
        x->fp = s + ++i;
        while (i < n && is_digit(s[i]))
            i++;
        x->fl = (size_t)(s + i - x->fp);
    }
    if (x->il + x->fl == 0)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        x->ep = s + ++i;
        int eneg = 0;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        size_t d0 = i;
        while (i < n && is_digit(s[i])) {
            if (x->exp < 1000000000000000LL)
                x->exp = x->exp * 10 + (s[i] - '0');
            i++;
        }
        if (i == d0)
            return 0;
        x->el = (size_t)(s + i - x->ep);
        if (eneg)
            x->exp = -x->exp;
    }
    return i == n;
}

/* Digit k of the integer digits followed by the fraction digits. */
static char num_digit(const num *x, size_t k) { return k < x->il ? x->ip[k] : x->fp[k - x->il]; }

/* First and one-past-last significant digit; first == last for zero. */
static void num_significant(const num *x, size_t *first, size_t *last)
{
    size_t n = x->il + x->fl, a = 0, b = n;

    while (a < n && num_digit(x, a) == '0')
        a++;
    while (b > a && num_digit(x, b - 1) == '0')
        b--;
    *first = a;
    *last = b;
}

int ddb_number_valid(const char *n, size_t len)
{
    num x;
    return num_parse(n, len, &x);
}

int ddb_number_digits(const char *n, size_t len)
{
    num x;
    size_t a, b;

    if (!num_parse(n, len, &x))
        return -1;
    num_significant(&x, &a, &b);
    return (int)(b - a);
}

int ddb_number_json(const char *n, size_t len, sb *out)
{
    num x;

    if (!num_parse(n, len, &x))
        return -1;
    if (x.neg)
        sb_addc(out, '-');
    size_t z = 0;
    while (z + 1 < x.il && x.ip[z] == '0')
        z++;
    if (x.il == 0)
        sb_addc(out, '0');
    else
        sb_add(out, x.ip + z, x.il - z);
    if (x.fl) {
        sb_addc(out, '.');
        sb_add(out, x.fp, x.fl);
    }
    if (x.ep) {
        sb_addc(out, x.ep[-1]);
        sb_add(out, x.ep, x.el);
    }
    return 0;
}

int ddb_number_real(const char *n, size_t len, double *out)
{
    sb text = SB_INIT;
    num x;
    size_t a, b;

    if (!num_parse(n, len, &x))
        return -1;
    num_significant(&x, &a, &b);
    ddb_number_json(n, len, &text);
    errno = 0;
    double v = strtod(sb_str(&text), NULL);
    int range = errno == ERANGE;
    sb_release(&text);
    if (range && (v > DBL_MAX || v < -DBL_MAX))
        return -1;
    *out = v;
    return !range && b - a <= DBL_DIG ? 1 : 0;
}

/* Decimal exponent of the first significant digit (value = 0.d1d2... x 10^E). */
static long long num_magnitude(const num *x, size_t first)
{
    return (long long)x->il - (long long)first + x->exp;
}

int ddb_number_cmp(const char *a, size_t alen, const char *b, size_t blen, int *ok)
{
    num x, y;
    size_t xa, xb, ya, yb;

    *ok = num_parse(a, alen, &x) && num_parse(b, blen, &y);
    if (!*ok)
        return 0;
    num_significant(&x, &xa, &xb);
    num_significant(&y, &ya, &yb);
    int sx = xa == xb ? 0 : x.neg ? -1 : 1;
    int sy = ya == yb ? 0 : y.neg ? -1 : 1;
    if (sx != sy || sx == 0)
        return (sx > sy) - (sx < sy);
    int mag = 0; /* comparison of absolute values */
    long long ex = num_magnitude(&x, xa), ey = num_magnitude(&y, ya);
    if (ex != ey) {
        mag = ex < ey ? -1 : 1;
    } else {
        size_t nx = xb - xa, ny = yb - ya, m = nx > ny ? nx : ny;
        for (size_t k = 0; k < m && !mag; k++) {
            char cx = k < nx ? num_digit(&x, xa + k) : '0';
            char cy = k < ny ? num_digit(&y, ya + k) : '0';
            mag = (cx > cy) - (cx < cy);
        }
    }
    return sx * mag;
}

/* Size of an N by the guide's rule: 1 + ceil(significant digits / 2). */
static long long number_size(const num *x)
{
    size_t a, b;

    num_significant(x, &a, &b);
    return 1 + (long long)((b - a + 1) / 2);
}

/* ---- the walk: validate, write plain JSON, add up sizes ---- */

typedef struct walk {
    sb *out;     /* plain JSON, or NULL */
    sb path;     /* where we are, for errors */
    sb scratch;  /* base64 decoding */
    mrb_err *err;
} walk;

static int fail(walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(walk *w, const char *fmt, ...)
{
    char text[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (w->path.len)
        return mrb_err_set(w->err, 0, -1, "%s: %s", sb_str(&w->path), text);
    return mrb_err_set(w->err, 0, -1, "%s", text);
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return "null";
    }
}

static void emit(walk *w, const char *s)
{
    if (w->out)
        sb_adds(w->out, s);
}

static void emit_string(walk *w, const json_t *v)
{
    if (w->out)
        sb_add_json(w->out, json_string_value(v), json_string_length(v));
}

/* Path helpers: push returns the length to pop back to. */
static size_t push_name(walk *w, const char *name)
{
    size_t at = w->path.len;
    if (at)
        sb_addc(&w->path, '.');
    sb_adds(&w->path, name);
    return at;
}

static size_t push_index(walk *w, size_t i)
{
    size_t at = w->path.len;
    sb_addf(&w->path, "[%zu]", i);
    return at;
}

static void pop(walk *w, size_t at)
{
    w->path.len = at;
    if (w->path.buf)
        w->path.buf[at] = '\0';
}

static int value(walk *w, const json_t *av, long long *size);

static int string_payload(walk *w, const json_t *v, const char *tag, long long *size)
{
    if (!json_is_string(v))
        return fail(w, "%s must be a string, found %s", tag, json_kind(v));
    *size = (long long)json_string_length(v);
    emit_string(w, v);
    return 0;
}

static int number_payload(walk *w, const json_t *v, const char *tag, int lenient,
                          long long *size)
{
    char buf[64];
    const char *text;
    size_t len;
    num x;

    if (json_is_string(v)) {
        text = json_string_value(v);
        len = json_string_length(v);
    } else if (lenient && json_is_integer(v)) {
        len = (size_t)snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        text = buf;
    } else if (lenient && json_is_real(v)) {
        double d = json_real_value(v);
        for (int prec = 15; prec <= 17; prec++) { /* the shortest text that reads back */
            len = (size_t)snprintf(buf, sizeof buf, "%.*g", prec, d);
            if (strtod(buf, NULL) == d)
                break;
        }
        text = buf;
    } else {
        return fail(w, "%s must be a string, found %s", tag, json_kind(v));
    }
    if (!num_parse(text, len, &x))
        return fail(w, "%s value \"%.40s\" is not a number", tag, text);
    *size = number_size(&x);
    if (w->out)
        ddb_number_json(text, len, w->out);
    return 0;
}

static int binary_payload(walk *w, const json_t *v, const char *tag, long long *size)
{
    if (!json_is_string(v))
        return fail(w, "%s must be a base64 string, found %s", tag, json_kind(v));
    sb_reset(&w->scratch);
    size_t bad = base64_decode(json_string_value(v), json_string_length(v), &w->scratch);
    if (bad)
        return fail(w, "%s is not valid base64 (character %zu)", tag, bad);
    *size = (long long)w->scratch.len;
    emit_string(w, v);
    return 0;
}

static int map_payload(walk *w, const json_t *m, long long *size)
{
    const char *name;
    json_t *v;
    int first = 1;

    if (!json_is_object(m))
        return fail(w, "M must be an object, found %s", json_kind(m));
    *size = 3;
    emit(w, "{");
    json_object_foreach((json_t *)m, name, v) {
        long long vs;
        if (!first)
            emit(w, ",");
        first = 0;
        if (w->out) {
            sb_add_json(w->out, name, strlen(name));
            sb_addc(w->out, ':');
        }
        size_t at = push_name(w, name);
        if (value(w, v, &vs) < 0)
            return -1;
        pop(w, at);
        *size += 1 + (long long)strlen(name) + vs;
    }
    emit(w, "}");
    return 0;
}

/* L (each element an AttributeValue) and the sets (each a scalar). */
static int array_payload(walk *w, const json_t *a, enum ddb_type t, long long *size)
{
    const char *tag = ddb_type_name(t);
    size_t i;
    json_t *e;

    if (!json_is_array(a))
        return fail(w, "%s must be an array, found %s", tag, json_kind(a));
    *size = t == DDB_L ? 3 : 0;
    emit(w, "[");
    json_array_foreach((json_t *)a, i, e) {
        long long es = 0;
        int rc;
        if (i)
            emit(w, ",");
        size_t at = push_index(w, i);
        switch (t) {
        case DDB_L: rc = value(w, e, &es); es += 1; break;
        case DDB_SS: rc = string_payload(w, e, "SS element", &es); break;
        case DDB_NS: rc = number_payload(w, e, "NS element", 1, &es); break;
        default: rc = binary_payload(w, e, "BS element", &es); break;
        }
        if (rc < 0)
            return -1;
        pop(w, at);
        *size += es;
    }
    emit(w, "]");
    return 0;
}

static int value(walk *w, const json_t *av, long long *size)
{
    const char *key;
    json_t *v, *payload = NULL;
    enum ddb_type t = DDB_BAD;

    if (!json_is_object(av))
        return fail(w, "AttributeValue must be an object, found %s", json_kind(av));
    json_object_foreach((json_t *)av, key, v) {
        if (json_is_null(v))
            continue;
        enum ddb_type k = ddb_type_from_name(key);
        if (k == DDB_BAD)
            return fail(w, "unknown AttributeValue type \"%.40s\"", key);
        if (t != DDB_BAD)
            return fail(w, "AttributeValue has two types (%s and %s)", ddb_type_name(t), key);
        t = k;
        payload = v;
    }
    switch (t) {
    case DDB_S: return string_payload(w, payload, "S", size);
    case DDB_N: return number_payload(w, payload, "N", 0, size);
    case DDB_B: return binary_payload(w, payload, "B", size);
    case DDB_BOOL:
        if (!json_is_boolean(payload))
            return fail(w, "BOOL must be true or false, found %s", json_kind(payload));
        *size = 1;
        emit(w, json_is_true(payload) ? "true" : "false");
        return 0;
    case DDB_NULL:
        if (!json_is_true(payload))
            return fail(w, "NULL must be true, found %s", json_kind(payload));
        *size = 1;
        emit(w, "null");
        return 0;
    case DDB_M: return map_payload(w, payload, size);
    case DDB_L:
    case DDB_SS:
    case DDB_NS:
    case DDB_BS: return array_payload(w, payload, t, size);
    default:
        return fail(w, "AttributeValue without a type (expected one of S, N, B, BOOL, NULL, M, "
                       "L, SS, NS, BS)");
    }
}

static void walk_init(walk *w, sb *out, const char *path, mrb_err *err)
{
    w->out = out;
    sb_init(&w->path);
    sb_init(&w->scratch);
    if (path)
        sb_adds(&w->path, path);
    w->err = err;
}

static void walk_release(walk *w)
{
    sb_release(&w->path);
    sb_release(&w->scratch);
}

int ddb_image_decode(const json_t *attr_map, const char *path, sb *out, long long *size,
                     mrb_err *err)
{
    walk w;
    const char *name;
    json_t *v;
    long long total = 0;
    int first = 1, rc = 0;

    walk_init(&w, out, path, err);
    if (!json_is_object(attr_map)) {
        rc = fail(&w, "must be an object of attributes, found %s", json_kind(attr_map));
        walk_release(&w);
        return rc;
    }
    emit(&w, "{");
    json_object_foreach((json_t *)attr_map, name, v) {
        long long vs;
        if (!first)
            emit(&w, ",");
        first = 0;
        if (out) {
            sb_add_json(out, name, strlen(name));
            sb_addc(out, ':');
        }
        size_t at = push_name(&w, name);
        if (value(&w, v, &vs) < 0) {
            rc = -1;
            break;
        }
        pop(&w, at);
        total += (long long)strlen(name) + vs;
    }
    emit(&w, "}");
    walk_release(&w);
    if (rc == 0 && size)
        *size = total;
    return rc;
}

int ddb_image_to_json(const json_t *attr_map, const char *path, sb *out, mrb_err *err)
{
    return ddb_image_decode(attr_map, path, out, NULL, err);
}

long long ddb_item_size(const json_t *attr_map, const char *path, mrb_err *err)
{
    long long size = 0;
    return ddb_image_decode(attr_map, path, NULL, &size, err) < 0 ? -1 : size;
}

int ddb_value_to_json(const json_t *av, const char *path, sb *out, mrb_err *err)
{
    walk w;
    long long size;

    walk_init(&w, out, path, err);
    int rc = value(&w, av, &size);
    walk_release(&w);
    return rc;
}

long long ddb_value_size(const json_t *av, const char *path, mrb_err *err)
{
    walk w;
    long long size = 0;

    walk_init(&w, NULL, path, err);
    int rc = value(&w, av, &size);
    walk_release(&w);
    return rc < 0 ? -1 : size;
}

long long ddb_wru(long long size)
{
    if (size <= 1024)
        return 1;
    return (size + 1023) / 1024;
}
