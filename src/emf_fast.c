/* emf_fast.c — EMF documents read in place (see emf_fast.h).
 *
 * One pass over a private, NUL-terminated copy of the document records the
 * root members (key, kind, where the value is), "_aws" (Timestamp,
 * LambdaInsights, each directive's Namespace, dimension sets and metric
 * definitions) and validates the syntax of everything else; strings are
 * NUL-terminated in the copy where their closing quote was. A second step
 * checks the rules of emf.c's check() against that record; a third builds
 * each directive's canonical dimensions and hands out the values, reading
 * the numbers again where they are. Any doubt declines (returns 0) before
 * the first value, and emf.c asks jansson. */
#include "mrb/emf_fast.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/json_lex.h"
#include "mrb/xalloc.h"

#define MAX_NAME 1024      /* Namespace, metric Name, dimension value */
#define MAX_DIM_KEY 250    /* dimension key */
#define MAX_TS_MS 253402300800000.0 /* year 10000 */
#define MAX_ID 256         /* request ids this long or longer are not kept */
#define MAX_DEPTH 32       /* nesting the reader follows */
#define MAX_ROOT 160       /* root members */
#define MAX_DIRECTIVES 16
#define MAX_METRICS 128    /* metric definitions, all directives */
#define MAX_KEYS 128       /* dimension keys, all sets of all directives */
#define MAX_SETS 64        /* dimension sets, all directives */
#define MAX_NUMBER 80      /* bytes of a number handed to strtod */
#define STACK_BYTES 4096   /* documents and canonical text up to this size stay on the stack */

typedef struct str {
    const char *p; /* NUL-terminated in the copy */
    size_t n;
    int esc;       /* has escapes: p is the raw text */
} str;

enum kind { K_STR = 1, K_NUM, K_ARR, K_OBJ, K_LIT };

typedef struct member {
    str key;
    unsigned hash;
    unsigned char kind;
    unsigned char all_num; /* array: every element a number */
    int count;             /* array: elements */
    str s;                 /* string value */
    size_t at;             /* number or array: where it starts in the copy */
} member;

typedef struct mdef {
    str name, unit;
    int has_unit;
    int sr;                /* StorageResolution, 60 when absent */
    int has_sr;
    double sr_value;
    const member *value;   /* the root member, once checked */
} mdef;

typedef struct directive {
    str ns;
    int has_ns, has_dims, has_metrics;
    int set0, n_sets;      /* in fx.sets */
    int met0, n_mets;      /* in fx.mets */
} directive;

typedef struct dset {
    int key0, n_keys;      /* in fx.keys */
} dset;

typedef struct fx {
    char *b;               /* the copy; b[n] == '\0' */
    size_t n, i;
    member m[MAX_ROOT];
    int nm;
    unsigned short slot[512]; /* hash table of m (at least 2 * MAX_ROOT): index + 1, 0 free */
    unsigned mask;
    int have_aws, have_ts, have_cwm, insights_member;
    double ts;
    directive d[MAX_DIRECTIVES];
    int nd;
    dset sets[MAX_SETS];
    int n_sets;
    str keys[MAX_KEYS];
    const member *key_value[MAX_KEYS]; /* each key's root member, once checked */
    int n_keys;
    mdef mets[MAX_METRICS];
    int n_mets;
} fx;

/* ---- shared with emf.c ---- */

int emf_known_unit(const char *u, size_t n)
{
    static const char *const units[] = {
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
        "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
        "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
        "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
        "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (units[i][0] == u[0] && strlen(units[i]) == n && !memcmp(u, units[i], n))
            return 1;
    return 0;
}

int emf_placeholder_id(const char *s, size_t n)
{
    return n == 0 || (n == 9 && !memcmp(s, "undefined", 9)) || (n == 4 && !memcmp(s, "None", 4)) ||
           (n == 4 && !memcmp(s, "null", 4));
}

/* ---- JSON syntax, as jansson reads it ---- */

static void ws(fx *x)
{
    const char *b = x->b;
    size_t i = x->i;

    while (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r')
        i++;
    x->i = i;
}

/* An escape at b[*r] == '\\', checked as jansson checks it (no \u0000, no
 * lone surrogate); *r past it. */
static int check_escape(const char *b, size_t n, size_t *r)
{
    unsigned cp;

    switch (b[*r + 1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        *r += 2;
        return 0;
    case 'u':
        break;
    default:
        return -1;
    }
    size_t k = json_u_escape(b, n, *r, &cp);
    if (k == 0)
        return -1;
    *r += k;
    return 0;
}

/* 1 for the bytes a string holds as they are: printable ASCII and DEL,
 * but '"' and '\\'. */
static const unsigned char plain_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    /* 0x80-0xff: 0 */
};

/* The string at b[i] == '"': checked, NUL-terminated in place (where its
 * closing quote was), i past it. */
static int scan_string(fx *x, str *s)
{
    char *b = x->b;
    size_t r = x->i + 1;
    int esc = 0;

    for (;;) {
        const unsigned char *u = (const unsigned char *)b;
        while (plain_byte[u[r]] && plain_byte[u[r + 1]] && plain_byte[u[r + 2]] &&
               plain_byte[u[r + 3]])
            r += 4; /* within the copy: b[n] is NUL, not plain, and 8 bytes follow */
        while (plain_byte[u[r]])
            r++;
        unsigned char c = u[r];
        if (c == '"')
            break;
        if (c == '\\') {
            if (check_escape(b, x->n, &r) < 0)
                return -1;
            esc = 1;
            continue;
        }
        if (c < 0x20) /* a control byte, or the end of the document (b[n] is NUL) */
            return -1;
        size_t k = utf8_len((const unsigned char *)b, x->n, r);
        if (!k)
            return -1;
        r += k;
    }
    s->p = b + x->i + 1;
    s->n = r - (x->i + 1);
    s->esc = esc;
    b[r] = '\0';
    x->i = r + 1;
    return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The number at b[i] in JSON's grammar, i past it; its value in *out when
 * out is not NULL. All numbers are doubles (JSON_DECODE_INT_AS_REAL): one
 * that overflows is jansson's "real number overflow", so it declines. Short
 * ones are converted exactly (Clinger's fast path: an integer mantissa below
 * 2^53 and a power of ten up to 22 are both exact, and one IEEE operation
 * rounds correctly, as strtod does); the others by strtod. */
static int scan_number(fx *x, double *out)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *b = x->b;
    size_t i = x->i, start = x->i;
    uint64_t m = 0;
    int neg = 0, digits = 0, exp10 = 0, int_digits = 0, big = 0, has_exp = 0;

    if (b[i] == '-') {
        neg = 1;
        i++;
    }
    if (b[i] == '0') {
        i++;
        int_digits = 1;
    } else if (b[i] >= '1' && b[i] <= '9') {
        for (; is_digit(b[i]); i++, int_digits++) {
            if (digits < 19) {
                m = m * 10 + (uint64_t)(b[i] - '0');
                digits++;
            } else {
                exp10++;
                big = 1;
            }
        }
    } else {
        return -1;
    }
    if (b[i] == '.') {
        i++;
        if (!is_digit(b[i]))
            return -1;
        for (; is_digit(b[i]); i++) {
            if (digits < 19) {
                m = m * 10 + (uint64_t)(b[i] - '0');
                digits++;
                exp10--;
            } else {
                big = 1;
            }
        }
    }
    if (b[i] == 'e' || b[i] == 'E') {
        int eneg = 0, e = 0;
        has_exp = 1;
        i++;
        if (b[i] == '+' || b[i] == '-')
            eneg = b[i++] == '-';
        if (!is_digit(b[i]))
            return -1;
        for (; is_digit(b[i]); i++)
            if (e < 100000)
                e = e * 10 + (b[i] - '0');
        exp10 += eneg ? -e : e;
    }
    x->i = i;
    if (!out && !has_exp && int_digits <= 308)
        return 0; /* valid, and too short to overflow */
    double v;
    if (!big && m <= (1ULL << 53) && exp10 >= -22 && exp10 <= 22) {
        v = (double)m;
        v = exp10 < 0 ? v / p10[-exp10] : v * p10[exp10];
        if (neg)
            v = -v;
    } else {
        char tmp[MAX_NUMBER];
        size_t len = i - start;
        if (len >= sizeof tmp)
            return -1;
        memcpy(tmp, b + start, len);
        tmp[len] = '\0';
        v = strtod(tmp, NULL);
    }
    if (isinf(v))
        return -1;
    if (out)
        *out = v;
    return 0;
}

static int literal(fx *x)
{
    static const char *const lits[] = {"true", "false", "null"};
    const char *b = x->b;

    for (int l = 0; l < 3; l++) {
        size_t k = strlen(lits[l]);
        if (x->n - x->i >= k && !memcmp(b + x->i, lits[l], k)) {
            x->i += k;
            return 0;
        }
    }
    return -1;
}

/* After an element: 1 when ',' (another follows), 0 at close, -1 else. */
static int next(fx *x, char close)
{
    ws(x);
    if (x->b[x->i] == ',') {
        x->i++;
        ws(x);
        return 1;
    }
    if (x->b[x->i] == close) {
        x->i++;
        return 0;
    }
    return -1;
}

/* Enters a container at its opening byte OPEN: -1 when the byte is not
 * OPEN, 0 when CLOSE follows at once (consumed: empty), 1 when elements
 * follow (the white space before the first is passed). */
static int enter(fx *x, char open, char close)
{
    if (x->b[x->i] != open)
        return -1;
    x->i++;
    ws(x);
    if (x->b[x->i] == close) {
        x->i++;
        return 0;
    }
    return 1;
}

/* Any value, checked and passed over. */
static int skip_value(fx *x, int depth)
{
    const char *b = x->b;
    str s;
    int more;

    switch (b[x->i]) {
    case '"':
        return scan_string(x, &s);
    case '{':
        if (depth >= MAX_DEPTH)
            return -1;
        if ((more = enter(x, '{', '}')) <= 0)
            return more;
        do {
            if (b[x->i] != '"' || scan_string(x, &s) < 0)
                return -1;
            ws(x);
            if (b[x->i] != ':')
                return -1;
            x->i++;
            ws(x);
            if (skip_value(x, depth + 1) < 0 || (more = next(x, '}')) < 0)
                return -1;
        } while (more);
        return 0;
    case '[':
        if (depth >= MAX_DEPTH)
            return -1;
        if ((more = enter(x, '[', ']')) <= 0)
            return more;
        do {
            if (skip_value(x, depth + 1) < 0 || (more = next(x, ']')) < 0)
                return -1;
        } while (more);
        return 0;
    case 't': case 'f': case 'n':
        return literal(x);
    default:
        return scan_number(x, NULL);
    }
}

/* A key, then ':' and the white space before the value. Keys with escapes
 * decline: the reader compares raw bytes. */
static int key(fx *x, str *k)
{
    if (x->b[x->i] != '"' || scan_string(x, k) < 0 || k->esc)
        return -1;
    ws(x);
    if (x->b[x->i] != ':')
        return -1;
    x->i++;
    ws(x);
    return 0;
}

static int is(const str *s, const char *lit, size_t n) { return s->n == n && !memcmp(s->p, lit, n); }
#define IS(s, lit) is(s, lit, sizeof lit - 1)

/* A string that is handed out or compared: no escapes. */
static int plain_string(fx *x, str *s)
{
    return x->b[x->i] == '"' && scan_string(x, s) == 0 && !s->esc ? 0 : -1;
}

/* ---- "_aws" ---- */

static int dimensions(fx *x, directive *d)
{
    int more_sets, more;

    d->set0 = x->n_sets;
    if (enter(x, '[', ']') <= 0)
        return -1; /* not an array, or no set: bad-directive */
    do {
        if (x->n_sets == MAX_SETS)
            return -1;
        dset *s = &x->sets[x->n_sets++];
        s->key0 = x->n_keys;
        s->n_keys = 0;
        int keys = enter(x, '[', ']');
        if (keys < 0)
            return -1;
        if (keys) {
            do {
                if (x->n_keys == MAX_KEYS || plain_string(x, &x->keys[x->n_keys]) < 0)
                    return -1;
                x->n_keys++;
                s->n_keys++;
            } while ((more = next(x, ']')) == 1);
            if (more < 0)
                return -1;
        }
        d->n_sets++;
    } while ((more_sets = next(x, ']')) == 1);
    return more_sets;
}

static int metric_def(fx *x)
{
    str k;
    int more, has_name = 0;

    if (x->n_mets == MAX_METRICS)
        return -1;
    mdef *m = &x->mets[x->n_mets++];
    m->has_unit = m->has_sr = 0;
    m->sr = 60;
    if (enter(x, '{', '}') <= 0)
        return -1; /* not an object, or no Name: bad-directive */
    do {
        if (key(x, &k) < 0)
            return -1;
        if (IS(&k, "Name")) {
            if (has_name || plain_string(x, &m->name) < 0)
                return -1;
            has_name = 1;
        } else if (IS(&k, "Unit")) {
            if (m->has_unit || plain_string(x, &m->unit) < 0)
                return -1;
            m->has_unit = 1;
        } else if (IS(&k, "StorageResolution")) {
            if (m->has_sr || scan_number(x, &m->sr_value) < 0)
                return -1;
            m->has_sr = 1;
        } else if (skip_value(x, 4) < 0) {
            return -1;
        }
    } while ((more = next(x, '}')) == 1);
    return more < 0 || !has_name ? -1 : 0;
}

static int directive_obj(fx *x)
{
    str k;
    int more;

    if (x->nd == MAX_DIRECTIVES)
        return -1;
    directive *d = &x->d[x->nd++];
    memset(d, 0, sizeof *d);
    if (enter(x, '{', '}') <= 0)
        return -1;
    do {
        if (key(x, &k) < 0)
            return -1;
        if (IS(&k, "Namespace")) {
            if (d->has_ns || plain_string(x, &d->ns) < 0)
                return -1;
            d->has_ns = 1;
        } else if (IS(&k, "Dimensions")) {
            if (d->has_dims || dimensions(x, d) < 0)
                return -1;
            d->has_dims = 1;
        } else if (IS(&k, "Metrics")) {
            int mets = d->has_metrics ? -1 : enter(x, '[', ']');
            if (mets < 0)
                return -1;
            d->has_metrics = 1;
            d->met0 = x->n_mets;
            if (mets) {
                int m_more;
                do {
                    if (metric_def(x) < 0)
                        return -1;
                    d->n_mets++;
                } while ((m_more = next(x, ']')) == 1);
                if (m_more < 0)
                    return -1;
            }
        } else if (skip_value(x, 3) < 0) {
            return -1;
        }
    } while ((more = next(x, '}')) == 1);
    return more < 0 || !d->has_ns || !d->has_dims || !d->has_metrics ? -1 : 0;
}

static int aws(fx *x)
{
    str k;
    int more;

    if (enter(x, '{', '}') <= 0)
        return -1; /* not an object, or no Timestamp */
    do {
        if (key(x, &k) < 0)
            return -1;
        if (IS(&k, "Timestamp")) {
            if (x->have_ts || scan_number(x, &x->ts) < 0)
                return -1;
            x->have_ts = 1;
        } else if (IS(&k, "CloudWatchMetrics")) {
            int dirs = x->have_cwm ? -1 : enter(x, '[', ']');
            if (dirs < 0)
                return -1;
            x->have_cwm = 1;
            if (dirs) {
                int d_more;
                do {
                    if (directive_obj(x) < 0)
                        return -1;
                } while ((d_more = next(x, ']')) == 1);
                if (d_more < 0)
                    return -1;
            }
        } else {
            if (IS(&k, "LambdaInsights"))
                x->insights_member = 1;
            if (skip_value(x, 2) < 0)
                return -1;
        }
    } while ((more = next(x, '}')) == 1);
    return more < 0 ? -1 : 0;
}

/* ---- the root ---- */

/* A key's hash from its length and three of its bytes: keys are short and
 * few, and equal hashes are compared in full anyway. */
static unsigned hash(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)p;
    unsigned h = (unsigned)n ^ (unsigned)u[0] << 8 ^ (unsigned)u[n - 1] << 16 ^
                 (unsigned)u[n / 2] << 24;
    return (h * 0x9E3779B1u) >> 7;
}

/* A root member's value: what kind, and where. */
static int member_value(fx *x, member *m)
{
    const char *b = x->b;
    int more;

    m->at = x->i;
    switch (b[x->i]) {
    case '"':
        m->kind = K_STR;
        return scan_string(x, &m->s);
    case '[':
        m->kind = K_ARR;
        m->count = 0;
        m->all_num = 1;
        if ((more = enter(x, '[', ']')) <= 0)
            return more;
        do {
            char c = b[x->i];
            if (c == '-' || is_digit(c)) {
                if (scan_number(x, NULL) < 0)
                    return -1;
            } else {
                m->all_num = 0;
                if (skip_value(x, 2) < 0)
                    return -1;
            }
            m->count++;
        } while ((more = next(x, ']')) == 1);
        return more;
    case '{':
        m->kind = K_OBJ;
        return skip_value(x, 1);
    case 't': case 'f': case 'n':
        m->kind = K_LIT;
        return literal(x);
    default:
        m->kind = K_NUM;
        return scan_number(x, NULL);
    }
}

static int root(fx *x)
{
    int more;

    ws(x);
    if (enter(x, '{', '}') <= 0)
        return -1; /* not an object, or no _aws */
    do {
        if (x->nm == MAX_ROOT)
            return -1;
        member *m = &x->m[x->nm++];
        if (key(x, &m->key) < 0)
            return -1;
        m->hash = hash(m->key.p, m->key.n);
        if (IS(&m->key, "_aws")) {
            if (x->have_aws || aws(x) < 0)
                return -1;
            x->have_aws = 1;
            m->kind = K_OBJ;
        } else if (member_value(x, m) < 0) {
            return -1;
        }
    } while ((more = next(x, '}')) == 1);
    if (more < 0)
        return -1;
    ws(x);
    return x->i == x->n ? 0 : -1;
}

/* The hash table of root members; a key given twice declines (jansson
 * keeps the last, the reader would have to know which one is used). */
static int index_members(fx *x)
{
    unsigned size = 16;

    while (size < 2u * (unsigned)x->nm)
        size *= 2;
    x->mask = size - 1;
    memset(x->slot, 0, size * sizeof x->slot[0]);
    for (int j = 0; j < x->nm; j++) {
        member *m = &x->m[j];
        unsigned s = m->hash & x->mask;
        while (x->slot[s]) {
            const member *o = &x->m[x->slot[s] - 1];
            if (o->hash == m->hash && o->key.n == m->key.n && !memcmp(o->key.p, m->key.p, m->key.n))
                return -1;
            s = (s + 1) & x->mask;
        }
        x->slot[s] = (unsigned short)(j + 1);
    }
    return 0;
}

static const member *lookup(const fx *x, const char *k, size_t n)
{
    unsigned h = hash(k, n), s = h & x->mask;

    while (x->slot[s]) {
        const member *m = &x->m[x->slot[s] - 1];
        if (m->hash == h && m->key.n == n && !memcmp(m->key.p, k, n))
            return m;
        s = (s + 1) & x->mask;
    }
    return NULL;
}

/* ---- the rules (emf.c's check()): any broken one declines ---- */

static int len_ok(const str *s, size_t lo, size_t hi) { return s->n >= lo && s->n <= hi; }

static const member *dim_value(const fx *x, const str *k)
{
    const member *m = lookup(x, k->p, k->n);
    return m && m->kind == K_STR && !m->s.esc && len_ok(&m->s, 1, MAX_NAME) ? m : NULL;
}

static int check(fx *x)
{
    if (!x->have_aws || !x->have_ts || !x->have_cwm || !(x->ts >= 0) || x->ts >= MAX_TS_MS)
        return -1;
    for (int j = 0; j < x->nd; j++) {
        const directive *d = &x->d[j];
        if (!len_ok(&d->ns, 1, MAX_NAME) || d->n_sets == 0)
            return -1;
        for (int s = d->set0; s < d->set0 + d->n_sets; s++) {
            const dset *set = &x->sets[s];
            if (set->n_keys > EMF_MAX_DIMENSIONS)
                return -1;
            for (int k = set->key0; k < set->key0 + set->n_keys; k++)
                if (!len_ok(&x->keys[k], 1, MAX_DIM_KEY) ||
                    !(x->key_value[k] = dim_value(x, &x->keys[k])))
                    return -1;
        }
        if (d->n_mets > EMF_MAX_METRICS)
            return -1;
        for (int k = d->met0; k < d->met0 + d->n_mets; k++) {
            mdef *m = &x->mets[k];
            if (!len_ok(&m->name, 1, MAX_NAME) ||
                (m->has_unit && !emf_known_unit(m->unit.p, m->unit.n)))
                return -1;
            if (m->has_sr) {
                if (m->sr_value != 1.0 && m->sr_value != 60.0)
                    return -1;
                m->sr = (int)m->sr_value;
            }
            const member *v = lookup(x, m->name.p, m->name.n);
            if (!v || !(v->kind == K_NUM || (v->kind == K_ARR && v->all_num && v->count >= 1 &&
                                             v->count <= EMF_MAX_VALUES)))
                return -1;
            m->value = v;
        }
    }
    return 0;
}

/* A string member of the root usable as an id or name (emf.c's
 * str_member): *out NULL when there is none; -1 when it has escapes. */
static int str_member(const fx *x, const char *k, const char **out)
{
    const member *m = lookup(x, k, strlen(k));

    *out = NULL;
    if (!m || m->kind != K_STR)
        return 0;
    if (m->s.esc)
        return -1;
    if (!emf_placeholder_id(m->s.p, m->s.n) && m->s.n < MAX_ID)
        *out = m->s.p;
    return 0;
}

/* ---- canonical dimensions ---- */

static int cmp_str(const void *a, const void *b)
{
    const str *x = *(const str *const *)a, *y = *(const str *const *)b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* Sorts p[0..n) (strcmp order: no string holds a NUL) and drops repeats;
 * returns how many are left. Sets are short: an insertion sort. */
static int sort_unique(const str **p, int n)
{
    int k = 0;

    for (int j = 1; j < n; j++) {
        const str *t = p[j];
        int i = j;
        for (; i > 0 && cmp_str(&p[i - 1], &t) > 0; i--)
            p[i] = p[i - 1];
        p[i] = t;
    }
    for (int j = 0; j < n; j++)
        if (k == 0 || cmp_str(&p[k - 1], &p[j]) != 0)
            p[k++] = p[j];
    return k;
}

static char *put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}

/* A directive's canonical dimension sets and dimensions object, written
 * into out (room enough, see emit): *sets and *dims point into it. Strings
 * without escapes or control bytes are their own JSON text, as jansson's
 * json_dumps writes them (no JSON_ESCAPE_SLASH, no JSON_ENSURE_ASCII). */
static void canonical(const fx *x, const directive *d, char *out, const char **sets,
                      const char **dims)
{
    const str *all[MAX_KEYS], *one[MAX_KEYS];
    str set_text[MAX_SETS];
    const str *set_ptr[MAX_SETS];
    int n_all = 0;
    char *o = out;

    for (int s = 0; s < d->n_sets; s++) {
        const dset *set = &x->sets[d->set0 + s];
        int n = 0;
        for (int k = 0; k < set->n_keys; k++) {
            one[n++] = &x->keys[set->key0 + k];
            all[n_all++] = &x->keys[set->key0 + k];
        }
        n = sort_unique(one, n);
        set_text[s].p = o;
        *o++ = '[';
        for (int k = 0; k < n; k++) {
            if (k)
                *o++ = ',';
            *o++ = '"';
            o = put(o, one[k]->p, one[k]->n);
            *o++ = '"';
        }
        *o++ = ']';
        set_text[s].n = (size_t)(o - set_text[s].p);
        set_ptr[s] = &set_text[s];
    }
    int n_sets = sort_unique(set_ptr, d->n_sets);
    *sets = o;
    *o++ = '[';
    for (int s = 0; s < n_sets; s++) {
        if (s)
            *o++ = ',';
        o = put(o, set_ptr[s]->p, set_ptr[s]->n);
    }
    *o++ = ']';
    *o++ = '\0';
    n_all = sort_unique(all, n_all);
    *dims = o;
    *o++ = '{';
    for (int k = 0; k < n_all; k++) {
        const member *v = x->key_value[all[k] - x->keys];
        if (k)
            *o++ = ',';
        *o++ = '"';
        o = put(o, all[k]->p, all[k]->n);
        o = put(o, "\":\"", 3);
        o = put(o, v->s.p, v->s.n);
        *o++ = '"';
    }
    *o++ = '}';
    *o = '\0';
}

/* Bytes canonical() may write for d. */
static size_t canonical_room(const fx *x, const directive *d)
{
    size_t room = 16;

    for (int s = 0; s < d->n_sets; s++) {
        const dset *set = &x->sets[d->set0 + s];
        room += 4;
        for (int k = 0; k < set->n_keys; k++) {
            const str *key = &x->keys[set->key0 + k];
            room += 2 * (key->n + 3) + key->n + 6 + x->key_value[set->key0 + k]->s.n;
        }
    }
    return room;
}

/* ---- the values ---- */

/* Hands out the values of directive d, in emf.c's order and with its
 * counting. 0, or -1 when fn stopped. */
static int emit(fx *x, const directive *d, emf_value *v, emf_value_fn fn, void *arg,
                emf_result *res)
{
    char stack[STACK_BYTES];
    size_t room = canonical_room(x, d);
    char *out = room <= sizeof stack ? stack : xmalloc(room);
    int rc = 0;

    canonical(x, d, out, &v->dimension_sets, &v->dimensions);
    v->ns = d->ns.p;
    for (int k = d->met0; k < d->met0 + d->n_mets && rc == 0; k++) {
        const mdef *m = &x->mets[k];
        v->metric = m->name.p;
        v->unit = m->has_unit ? m->unit.p : "None";
        v->storage_resolution = m->sr;
        x->i = m->value->at;
        if (m->value->kind == K_NUM) {
            scan_number(x, &v->value); /* read before: cannot fail */
            v->value_index = 0;
            rc = fn(arg, v) < 0 ? -1 : 0;
            v->seq++;
            res->values++;
            continue;
        }
        x->i++; /* '[' */
        for (int j = 0; j < m->value->count; j++) {
            ws(x);
            scan_number(x, &v->value);
            ws(x);
            x->i++; /* ',' or ']' */
            v->value_index = j;
            if (fn(arg, v) < 0) {
                rc = -1;
                break;
            }
            v->seq++;
            res->values++;
        }
    }
    if (out != stack)
        free(out);
    return rc;
}

int emf_fast(const char *doc, size_t n, const char *prefix_id, size_t offset, emf_value_fn fn,
             void *arg, emf_result *res)
{
    char stack[STACK_BYTES];
    fx x;
    emf_value v;
    int rc = 0;

    x.b = n + 8 < sizeof stack ? stack : xmalloc(n + 9);
    memcpy(x.b, doc, n);
    memset(x.b + n, 0, 9); /* the end, and padding for scan_string's word reads */
    x.n = n;
    x.i = 0;
    x.nm = x.nd = x.n_sets = x.n_keys = x.n_mets = 0;
    x.have_aws = x.have_ts = x.have_cwm = x.insights_member = 0;
    memset(&v, 0, sizeof v);
    if (root(&x) < 0 || index_members(&x) < 0 || check(&x) < 0)
        goto decline;
    v.request_id = prefix_id;
    if (!prefix_id && (str_member(&x, "requestId", &v.request_id) < 0 ||
                       (!v.request_id && str_member(&x, "request_id", &v.request_id) < 0) ||
                       (!v.request_id && str_member(&x, "function_request_id", &v.request_id) < 0)))
        goto decline;
    const member *et = lookup(&x, "event_type", 10);
    if (et && et->kind == K_STR && et->s.esc)
        goto decline;
    if ((et && et->kind == K_STR && IS(&et->s, "performance")) || x.insights_member) {
        if (str_member(&x, "function_name", &v.function_name) < 0)
            goto decline;
    }
    /* from here on, the document is read: no more declining */
    res->inplace = 1;
    res->insights = v.function_name != NULL;
    v.ts_ms = (int64_t)floor(x.ts);
    v.offset = offset;
    for (int j = 0; j < x.nd && rc == 0; j++) {
        v.directive = j;
        rc = emit(&x, &x.d[j], &v, fn, arg, res);
    }
    if (x.b != stack)
        free(x.b);
    return rc < 0 ? -1 : 1;
decline:
    if (x.b != stack)
        free(x.b);
    return 0;
}
