/* ddb_conform.c — item images against an item schema (see ddb_conform.h). */
#include "mrb/ddb_conform.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char ddb_schema_default_text[] =
    "schema id:S! name:S! description:S! price:N!+ created_at:N!@ms updated_at:N!@ms\n"
    "schema updated_at>=created_at\n";

/* The smallest value an @ms attribute may hold: 1e11 ms is 1973-03-03,
 * while 1e11 s is the year 5138. */
static const char ts_ms_floor[] = "100000000000";

static const char *const kind_names[] = {
    "missing-attribute", "extra-attribute", "wrong-type",
    "timestamp-in-seconds", "negative-number", "updated-before-created",
};

const char *ddb_violation_name(enum ddb_violation_kind k)
{
    return (int)k >= 0 && (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k]
                                                                                : "?";
}

void ddb_schema_init(ddb_schema *s) { memset(s, 0, sizeof *s); }

void ddb_schema_default(ddb_schema *s)
{
    mrb_err err;

    /* cannot fail: the text is fixed and checked by the unit tests */
    if (ddb_schema_parse(ddb_schema_default_text, s, &err) < 0)
        ddb_schema_init(s);
}

static const ddb_schema_attr *find(const ddb_schema *s, const char *name)
{
    for (int i = 0; i < s->n_attr; i++)
        if (!strcmp(s->attr[i].name, name))
            return &s->attr[i];
    return NULL;
}

int ddb_schema_add(ddb_schema *s, const char *name, enum ddb_type type, int flags, mrb_err *err)
{
    if (!*name)
        return mrb_err_set(err, 0, -1, "empty attribute name");
    if (strlen(name) >= DDB_SCHEMA_NAME)
        return mrb_err_set(err, 0, -1, "attribute name longer than %d bytes", DDB_SCHEMA_NAME - 1);
    if (type == DDB_BAD)
        return mrb_err_set(err, 0, -1, "attribute %s: no type", name);
    if (find(s, name))
        return mrb_err_set(err, 0, -1, "attribute %s declared twice", name);
    if ((flags & ~DDB_ATTR_REQUIRED) && type != DDB_N)
        return mrb_err_set(err, 0, -1, "attribute %s: '+' and '@ms' apply to N only", name);
    if (s->n_attr == DDB_SCHEMA_ATTRS)
        return mrb_err_set(err, 0, -1, "more than %d attributes", DDB_SCHEMA_ATTRS);
    ddb_schema_attr *a = &s->attr[s->n_attr++];
    snprintf(a->name, sizeof a->name, "%s", name);
    a->type = type;
    a->flags = flags;
    return 0;
}

int ddb_schema_add_order(ddb_schema *s, const char *later, const char *earlier, mrb_err *err)
{
    const char *names[2] = {later, earlier};

    for (int i = 0; i < 2; i++) {
        const ddb_schema_attr *a = find(s, names[i]);
        if (!a || a->type != DDB_N)
            return mrb_err_set(err, 0, -1, "%s>=%s: %s is not a declared N attribute", later,
                               earlier, names[i]);
    }
    if (s->n_order == DDB_SCHEMA_ORDERS)
        return mrb_err_set(err, 0, -1, "more than %d ordered pairs", DDB_SCHEMA_ORDERS);
    ddb_schema_order *o = &s->order[s->n_order++];
    snprintf(o->later, sizeof o->later, "%s", later);
    snprintf(o->earlier, sizeof o->earlier, "%s", earlier);
    return 0;
}

/* ---- text form ---- */

/* "NAME:TYPE[FLAGS]" */
static int attr_word(ddb_schema *s, const char *w, mrb_err *err)
{
    const char *colon = strrchr(w, ':');
    char name[DDB_SCHEMA_NAME], tag[8];
    int flags = 0;

    if (!colon || colon == w)
        return mrb_err_set(err, 0, -1, "\"%.60s\" is not NAME:TYPE", w);
    if ((size_t)(colon - w) >= sizeof name)
        return mrb_err_set(err, 0, -1, "attribute name longer than %d bytes", DDB_SCHEMA_NAME - 1);
    memcpy(name, w, (size_t)(colon - w));
    name[colon - w] = '\0';
    const char *t = colon + 1;
    size_t tl = strcspn(t, "!+@");
    if (tl == 0)
        return mrb_err_set(err, 0, -1, "\"%.60s\": missing type", w);
    enum ddb_type type = DDB_BAD;
    if (tl < sizeof tag) {
        memcpy(tag, t, tl);
        tag[tl] = '\0';
        type = ddb_type_from_name(tag);
    }
    if (type == DDB_BAD)
        return mrb_err_set(err, 0, -1, "\"%.60s\": unknown type %.*s (expected S, N, B, BOOL, "
                                       "NULL, M, L, SS, NS or BS)", w, (int)(tl > 20 ? 20 : tl), t);
    for (const char *f = t + tl; *f;) {
        if (*f == '!') {
            flags |= DDB_ATTR_REQUIRED;
            f++;
        } else if (*f == '+') {
            flags |= DDB_ATTR_NONNEG;
            f++;
        } else if (!strncmp(f, "@ms", 3)) {
            flags |= DDB_ATTR_TS_MS;
            f += 3;
        } else {
            return mrb_err_set(err, 0, -1,
                               "\"%.60s\": unknown flag \"%.10s\" (expected !, + or @ms)", w, f);
        }
    }
    return ddb_schema_add(s, name, type, flags, err);
}

typedef struct pending_order {
    char later[DDB_SCHEMA_NAME], earlier[DDB_SCHEMA_NAME];
    long long line;
} pending_order;

static int one_word(ddb_schema *s, const char *w, pending_order *po, int *n_po, long long ln,
                    mrb_err *err)
{
    const char *ge = strstr(w, ">=");

    if (!strncmp(w, "extra=", 6)) {
        if (!strcmp(w + 6, "allow"))
            s->allow_extra = 1;
        else if (!strcmp(w + 6, "deny"))
            s->allow_extra = 0;
        else
            return mrb_err_set(err, 0, -1, "\"%.60s\": expected extra=allow or extra=deny", w);
        return 0;
    }
    if (ge) {
        size_t ll = (size_t)(ge - w), el = strlen(ge + 2);
        if (!ll || !el || ll >= DDB_SCHEMA_NAME || el >= DDB_SCHEMA_NAME)
            return mrb_err_set(err, 0, -1, "\"%.60s\" is not LATER>=EARLIER", w);
        if (*n_po == DDB_SCHEMA_ORDERS)
            return mrb_err_set(err, 0, -1, "more than %d ordered pairs", DDB_SCHEMA_ORDERS);
        pending_order *p = &po[(*n_po)++];
        memcpy(p->later, w, ll);
        p->later[ll] = '\0';
        memcpy(p->earlier, ge + 2, el + 1);
        p->line = ln;
        return 0;
    }
    return attr_word(s, w, err);
}

int ddb_schema_parse(const char *text, ddb_schema *s, mrb_err *err)
{
    pending_order po[DDB_SCHEMA_ORDERS];
    int n_po = 0;
    long long ln = 0;
    char word[512];

    ddb_schema_init(s);
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *hash = memchr(p, '#', len);
        const char *end = hash ? hash : p + len;
        int first = 1;
        ln++;
        for (const char *q = p;;) {
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (q >= end)
                break;
            size_t wl = 0;
            while (q + wl < end && q[wl] != ' ' && q[wl] != '\t' && q[wl] != '\r')
                wl++;
            if (wl >= sizeof word) {
                ddb_schema_init(s);
                return mrb_err_set(err, ln, -1, "word longer than %zu bytes", sizeof word - 1);
            }
            memcpy(word, q, wl);
            word[wl] = '\0';
            q += wl;
            int rc;
            if (first)
                rc = strcmp(word, "schema") ? mrb_err_set(err, 0, -1, "unknown statement \"%.60s\" "
                                                          "(expected schema)", word)
                                            : 0;
            else
                rc = one_word(s, word, po, &n_po, ln, err);
            first = 0;
            if (rc < 0) {
                err->line = ln;
                ddb_schema_init(s);
                return -1;
            }
        }
        p = eol ? eol + 1 : p + len;
    }
    for (int i = 0; i < n_po; i++)
        if (ddb_schema_add_order(s, po[i].later, po[i].earlier, err) < 0) {
            err->line = po[i].line;
            ddb_schema_init(s);
            return -1;
        }
    return 0;
}

void ddb_schema_format(const ddb_schema *s, sb *out)
{
    sb_adds(out, "schema");
    for (int i = 0; i < s->n_attr; i++) {
        const ddb_schema_attr *a = &s->attr[i];
        sb_addf(out, " %s:%s%s%s%s", a->name, ddb_type_name(a->type),
                a->flags & DDB_ATTR_REQUIRED ? "!" : "", a->flags & DDB_ATTR_NONNEG ? "+" : "",
                a->flags & DDB_ATTR_TS_MS ? "@ms" : "");
    }
    for (int i = 0; i < s->n_order; i++)
        sb_addf(out, " %s>=%s", s->order[i].later, s->order[i].earlier);
    if (s->allow_extra)
        sb_adds(out, " extra=allow");
}

/* ---- JSON form ---- */

static int json_flag(const json_t *o, const char *key, int *out, mrb_err *err)
{
    json_t *v = json_object_get(o, key);

    *out = 0;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v))
        return mrb_err_set(err, 0, -1, "schema attribute: %s must be true or false", key);
    *out = json_is_true(v);
    return 0;
}

static int json_attr(ddb_schema *s, const json_t *a, size_t i, mrb_err *err)
{
    json_t *name = json_object_get(a, "name"), *type = json_object_get(a, "type");
    json_t *ts = json_object_get(a, "timestamp");
    int required, nonneg, flags = 0;

    if (!json_is_object(a) || !json_is_string(name) || !json_is_string(type))
        return mrb_err_set(err, 0, -1, "schema attribute %zu: needs a string name and type", i);
    if (json_flag(a, "required", &required, err) < 0 ||
        json_flag(a, "nonnegative", &nonneg, err) < 0)
        return -1;
    flags |= required ? DDB_ATTR_REQUIRED : 0;
    flags |= nonneg ? DDB_ATTR_NONNEG : 0;
    if (ts && !json_is_null(ts)) {
        if (!json_is_string(ts) || strcmp(json_string_value(ts), "ms") != 0)
            return mrb_err_set(err, 0, -1, "schema attribute %s: timestamp must be \"ms\"",
                               json_string_value(name));
        flags |= DDB_ATTR_TS_MS;
    }
    enum ddb_type t = ddb_type_from_name(json_string_value(type));
    if (t == DDB_BAD)
        return mrb_err_set(err, 0, -1, "schema attribute %s: unknown type %.10s",
                           json_string_value(name), json_string_value(type));
    return ddb_schema_add(s, json_string_value(name), t, flags, err);
}

static int json_schema(const json_t *j, ddb_schema *s, mrb_err *err)
{
    json_t *attrs = json_object_get(j, "attributes"), *extra = json_object_get(j, "extra");
    json_t *order = json_object_get(j, "order"), *e;
    size_t i;

    if (!json_is_object(j) || !json_is_array(attrs))
        return mrb_err_set(err, 0, -1, "a JSON schema is an object with an attributes array");
    json_array_foreach(attrs, i, e)
        if (json_attr(s, e, i, err) < 0)
            return -1;
    if (extra && !json_is_null(extra)) {
        if (!json_is_boolean(extra))
            return mrb_err_set(err, 0, -1, "schema: extra must be true or false");
        s->allow_extra = json_is_true(extra);
    }
    if (order && !json_is_null(order) && !json_is_array(order))
        return mrb_err_set(err, 0, -1, "schema: order must be an array");
    json_array_foreach(order, i, e) {
        json_t *later = json_object_get(e, "later"), *earlier = json_object_get(e, "earlier");
        if (!json_is_string(later) || !json_is_string(earlier))
            return mrb_err_set(err, 0, -1, "schema: order %zu needs string later and earlier", i);
        if (ddb_schema_add_order(s, json_string_value(later), json_string_value(earlier), err) < 0)
            return -1;
    }
    return 0;
}

int ddb_schema_parse_json(const json_t *j, ddb_schema *s, mrb_err *err)
{
    ddb_schema_init(s);
    if (json_schema(j, s, err) < 0) {
        ddb_schema_init(s);
        return -1;
    }
    return 0;
}

/* ---- checking ---- */

typedef struct check {
    ddb_violation_fn fn;
    void *arg;
    int count;
    int stopped;
} check;

static void report(check *c, enum ddb_violation_kind k, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(check *c, enum ddb_violation_kind k, const char *attr, const char *fmt, ...)
{
    ddb_violation v;
    va_list ap;

    if (c->stopped)
        return;
    v.kind = k;
    v.attribute = attr;
    va_start(ap, fmt);
    vsnprintf(v.detail, sizeof v.detail, fmt, ap);
    va_end(ap);
    c->count++;
    if (c->fn && c->fn(c->arg, &v) != 0)
        c->stopped = 1;
}

/* The N text of an attribute in image, or NULL (absent, not N, not text). */
static const char *n_text(const json_t *image, const char *name, size_t *len)
{
    const json_t *payload;

    if (ddb_value_type(json_object_get(image, name), &payload) != DDB_N || !json_is_string(payload))
        return NULL;
    *len = json_string_length(payload);
    return json_string_value(payload);
}

static void check_attr(check *c, const ddb_schema_attr *a, const json_t *image)
{
    json_t *av = json_object_get(image, a->name);
    const json_t *payload = NULL;

    if (!av) {
        if (a->flags & DDB_ATTR_REQUIRED)
            report(c, DDB_V_MISSING, a->name, "required %s attribute absent",
                   ddb_type_name(a->type));
        return;
    }
    enum ddb_type t = ddb_value_type(av, &payload);
    if (t == DDB_BAD) {
        report(c, DDB_V_WRONG_TYPE, a->name, "declared %s, found a malformed AttributeValue",
               ddb_type_name(a->type));
        return;
    }
    if (t != a->type) {
        report(c, DDB_V_WRONG_TYPE, a->name, "declared %s, found %s", ddb_type_name(a->type),
               ddb_type_name(t));
        return;
    }
    if (t != DDB_N)
        return;
    size_t len;
    int ok;
    const char *text = n_text(image, a->name, &len);
    if (!text || !ddb_number_valid(text, len)) {
        report(c, DDB_V_WRONG_TYPE, a->name, "declared N, found a malformed number");
        return;
    }
    if ((a->flags & DDB_ATTR_TS_MS) &&
        ddb_number_cmp(text, len, ts_ms_floor, sizeof ts_ms_floor - 1, &ok) < 0)
        report(c, DDB_V_TS_SECONDS, a->name, "%.*s < 1e11: seconds, not milliseconds",
               (int)(len > 60 ? 60 : len), text);
    if ((a->flags & DDB_ATTR_NONNEG) && ddb_number_cmp(text, len, "0", 1, &ok) < 0)
        report(c, DDB_V_NEGATIVE, a->name, "%.*s < 0", (int)(len > 60 ? 60 : len), text);
}

int ddb_conform_check(const ddb_schema *s, const json_t *image, ddb_violation_fn fn, void *arg)
{
    check c = {fn, arg, 0, 0};
    const char *name;
    json_t *av;

    if (!json_is_object(image))
        return -1;
    for (int i = 0; i < s->n_attr; i++)
        check_attr(&c, &s->attr[i], image);
    if (!s->allow_extra) {
        json_object_foreach((json_t *)image, name, av) {
            if (!find(s, name)) {
                enum ddb_type t = ddb_value_type(av, NULL);
                report(&c, DDB_V_EXTRA, name, "not in the schema (%s)",
                       t == DDB_BAD ? "malformed" : ddb_type_name(t));
            }
        }
    }
    for (int i = 0; i < s->n_order; i++) {
        const ddb_schema_order *o = &s->order[i];
        size_t ll, el;
        int ok;
        const char *later = n_text(image, o->later, &ll), *earlier = n_text(image, o->earlier, &el);
        if (later && earlier && ddb_number_cmp(later, ll, earlier, el, &ok) < 0 && ok)
            report(&c, DDB_V_ORDER, o->later, "%s %.*s < %s %.*s", o->later,
                   (int)(ll > 40 ? 40 : ll), later, o->earlier, (int)(el > 40 ? 40 : el), earlier);
    }
    return c.count;
}
