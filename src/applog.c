/* applog.c — application log lines of the four runtimes (see applog.h).
 *
 * Runs on every application line, so nothing is allocated and nothing is
 * built: JSON lines are read by a small scanner that walks the top-level
 * members once, records the few keys it knows and skips nested values
 * (strings inside them included, so escaped quotes and braces are safe).
 * Text lines are matched by their fixed prefixes (FORMATS.md §3.1–3.3).
 * Every read is bounded by n; msg need not be NUL-terminated. */
#include "mrb/applog.h"

#include <string.h>

#define PLAIN_WINDOW 64    /* plain lines: a level word must end within these bytes */
#define NODE_ERROR_PREFIX 40 /* "Uncaught Exception \t{..." : tab within these bytes */

static const char *const level_names[APPLOG_LEVEL_COUNT] = {
    "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL",
};

const char *applog_level_name(enum applog_level l)
{
    return (unsigned)l < APPLOG_LEVEL_COUNT ? level_names[l] : "?";
}

/* ---- small text helpers ---- */

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* p[0..n) equals lit ignoring ASCII case (no locale). */
static int ci_eq(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);

    if (n != k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower(p[i]) != lower(lit[i]))
            return 0;
    return 1;
}

static mrb_slice slice(const char *p, size_t n)
{
    mrb_slice s = {p, n};
    return s;
}

/* A level name in any case, with the spellings of Python (WARNING,
 * CRITICAL, EXCEPTION). Returns -1 when the word is not a level. */
static int level_of(const char *p, size_t n)
{
    static const struct {
        const char *name;
        enum applog_level level;
    } names[] = {
        {"TRACE", APPLOG_TRACE}, {"DEBUG", APPLOG_DEBUG},    {"INFO", APPLOG_INFO},
        {"WARN", APPLOG_WARN},   {"WARNING", APPLOG_WARN},   {"ERROR", APPLOG_ERROR},
        {"FATAL", APPLOG_FATAL}, {"CRITICAL", APPLOG_FATAL}, {"EXCEPTION", APPLOG_ERROR},
    };

    if (n < 4 || n > 9)
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (ci_eq(p, n, names[i].name))
            return (int)names[i].level;
    return -1;
}

/* The first line of a text: up to the first '\n', without a final '\r'.
 * Empty text gives an absent slice. */
static mrb_slice first_line(const char *p, size_t n)
{
    const char *nl = memchr(p, '\n', n);
    size_t k = nl ? (size_t)(nl - p) : n;

    if (k > 0 && p[k - 1] == '\r')
        k--;
    return k ? slice(p, k) : slice(NULL, 0);
}

/* The first line of a raw JSON string body: up to the first "\n" or "\r"
 * escape (a literal newline is invalid JSON but ends the line too). */
static mrb_slice first_line_raw(const char *p, size_t n)
{
    size_t i = 0;

    while (i < n && p[i] != '\n') {
        if (p[i] == '\\' && i + 1 < n) {
            if (p[i + 1] == 'n' || p[i + 1] == 'r')
                break;
            i += 2;
        } else {
            i++;
        }
    }
    return i ? slice(p, i) : slice(NULL, 0);
}

/* ---- the JSON scanner ---- */

enum jkey {
    K_LEVEL, K_REQUEST_ID, K_FUNCTION_REQUEST_ID, K_LAMBDA_REQUEST_ID, K_ERROR_TYPE,
    K_ERROR_MESSAGE, K_EXCEPTION_NAME, K_EXCEPTION, K_MESSAGE, K_COLD_START, K_COUNT
};

#define JKEY(s) {s, sizeof s - 1}
static const struct {
    const char *name;
    size_t n;
} jkeys[K_COUNT] = {
    JKEY("level"),        JKEY("requestId"),    JKEY("function_request_id"),
    JKEY("lambda_request_id"), JKEY("errorType"), JKEY("errorMessage"),
    JKEY("exception_name"), JKEY("exception"),  JKEY("message"),
    JKEY("cold_start"),
};
#undef JKEY

/* A top-level value: kind 's' string (p, n: the raw text between the quotes),
 * 'o' object and 'a' array (p, n: the whole value), 'l' anything else
 * (number, true, false, null: the raw token); 0 when the key is absent. */
typedef struct jval {
    char kind;
    mrb_slice v;
} jval;

static size_t skip_ws(const char *p, size_t n, size_t i)
{
    while (i < n && is_ws(p[i]))
        i++;
    return i;
}

/* p[i] is '"'. Returns the index just past the closing quote, or n + 1
 * when the string does not end. A quote is escaped when an odd run of
 * backslashes precedes it: finding quotes with memchr and counting back is
 * the same as escaping forward, and much faster on long values. */
static size_t skip_string(const char *p, size_t n, size_t i)
{
    const size_t start = i + 1;

    for (size_t at = start; at < n;) {
        const char *q = memchr(p + at, '"', n - at);
        if (q == NULL)
            break;
        size_t e = (size_t)(q - p), b = e;
        while (b > start && p[b - 1] == '\\')
            b--;
        if ((e - b) % 2 == 0)
            return e + 1;
        at = e + 1;
    }
    return n + 1;
}

/* p[i] is '{' or '['. Returns the index just past the matching close, or
 * n + 1 when the input ends first. Brackets are counted, not matched by
 * kind: this finds extents, it does not validate. */
static size_t skip_container(const char *p, size_t n, size_t i)
{
    size_t depth = 0;

    while (i < n) {
        char c = p[i];
        if (c == '"') {
            i = skip_string(p, n, i);
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            return i + 1;
        i++;
    }
    return n + 1;
}

/* Reads the value at p[i] into *out; returns the index past it, or n + 1
 * when it is cut off or empty. */
static size_t scan_value(const char *p, size_t n, size_t i, jval *out)
{
    size_t end;

    if (i >= n)
        return n + 1;
    if (p[i] == '"') {
        end = skip_string(p, n, i);
        out->kind = 's';
        out->v = slice(p + i + 1, end <= n ? end - i - 2 : 0);
    } else if (p[i] == '{' || p[i] == '[') {
        end = skip_container(p, n, i);
        out->kind = p[i] == '{' ? 'o' : 'a';
        out->v = slice(p + i, end <= n ? end - i : 0);
    } else {
        end = i;
        while (end < n && !is_ws(p[end]) && p[end] != ',' && p[end] != '}' && p[end] != ']')
            end++;
        if (end == i)
            return n + 1;
        out->kind = 'l';
        out->v = slice(p + i, end - i);
    }
    return end;
}

static int jkey_of(const char *p, size_t n)
{
    for (int k = 0; k < K_COUNT; k++)
        if (jkeys[k].n == n && p[0] == jkeys[k].name[0] && memcmp(p, jkeys[k].name, n) == 0)
            return k;
    return -1;
}

/* Walks the members of the object p[0..n) (p[0] must be '{' after white
 * space) and records the first value of every known key in vals, which the
 * caller zeroes. Stops quietly at the first syntax error, keeping what it
 * found. Returns 1 when the input starts as an object, 0 otherwise. */
static int scan_object(const char *p, size_t n, jval vals[K_COUNT])
{
    size_t i = skip_ws(p, n, 0);

    if (i >= n || p[i] != '{')
        return 0;
    i = skip_ws(p, n, i + 1);
    while (i < n && p[i] == '"') {
        size_t kend = skip_string(p, n, i);
        if (kend > n)
            break;
        int k = jkey_of(p + i + 1, kend - i - 2);
        i = skip_ws(p, n, kend);
        if (i >= n || p[i] != ':')
            break;
        jval v = {0, {NULL, 0}};
        i = scan_value(p, n, skip_ws(p, n, i + 1), &v);
        if (i > n)
            break;
        if (k >= 0 && vals[k].kind == 0)
            vals[k] = v;
        i = skip_ws(p, n, i);
        if (i >= n || p[i] != ',')
            break;
        i = skip_ws(p, n, i + 1);
    }
    return 1;
}

/* ---- the four shapes ---- */

/* A request id that is really absent: init-phase placeholders. */
static int is_placeholder_id(mrb_slice s)
{
    return s.n == 0 || slice_is(s, "undefined") || slice_is(s, "None") || slice_is(s, "null");
}

static void set_request_id(applog_line *out, mrb_slice s)
{
    if (s.p && !is_placeholder_id(s))
        out->request_id = s;
}

/* The numeric levels of pino and bunyan (10 trace ... 60 fatal). */
static enum applog_level numeric_level(mrb_slice s)
{
    int v = 0;

    for (size_t i = 0; i < s.n && i < 3 && is_digit(s.p[i]); i++)
        v = v * 10 + (s.p[i] - '0');
    return v >= 60 ? APPLOG_FATAL : v >= 50 ? APPLOG_ERROR : v >= 40 ? APPLOG_WARN
         : v >= 30 ? APPLOG_INFO : v >= 20 ? APPLOG_DEBUG : APPLOG_TRACE;
}

static int starts_traceback(mrb_slice s)
{
    return bytes_start(s.p, s.n, "Traceback (most recent call last)");
}

/* Error type and message of an ERROR / FATAL JSON line. The message is
 * errorMessage, else Powertools' exception unless it is a bare traceback
 * header (then message says more), else message, else that traceback. */
static void json_errors(applog_line *out, const jval *vals)
{
    const jval *t = vals[K_ERROR_TYPE].kind == 's' ? &vals[K_ERROR_TYPE]
                                                     : &vals[K_EXCEPTION_NAME];
    const jval *exc = &vals[K_EXCEPTION], *msg = &vals[K_MESSAGE];
    mrb_slice m = {NULL, 0};

    if (t->kind == 's' && t->v.n > 0)
        out->error_type = t->v;
    if (vals[K_ERROR_MESSAGE].kind == 's')
        m = first_line_raw(vals[K_ERROR_MESSAGE].v.p, vals[K_ERROR_MESSAGE].v.n);
    if (!m.p && exc->kind == 's' && !starts_traceback(exc->v))
        m = first_line_raw(exc->v.p, exc->v.n);
    if (!m.p && msg->kind == 's')
        m = first_line_raw(msg->v.p, msg->v.n);
    if (!m.p && exc->kind == 's')
        m = first_line_raw(exc->v.p, exc->v.n);
    out->error_message = m;
}

/* Node's JSON format logs an Error as the message object itself. */
static void json_nested_errors(applog_line *out, const jval *msg)
{
    jval inner[K_COUNT];

    memset(inner, 0, sizeof inner);
    if (msg->kind != 'o' || !scan_object(msg->v.p, msg->v.n, inner))
        return;
    if (inner[K_ERROR_TYPE].kind == 's' && inner[K_ERROR_TYPE].v.n > 0)
        out->error_type = inner[K_ERROR_TYPE].v;
    if (inner[K_ERROR_MESSAGE].kind == 's')
        out->error_message =
            first_line_raw(inner[K_ERROR_MESSAGE].v.p, inner[K_ERROR_MESSAGE].v.n);
}

/* A JSON line with a "level" member. Returns 0 when it is not one. */
static int parse_json(const char *p, size_t n, applog_line *out)
{
    jval vals[K_COUNT];

    memset(vals, 0, sizeof vals);
    if (!scan_object(p, n, vals) || vals[K_LEVEL].kind == 0)
        return 0;
    out->format = APPLOG_JSON;
    if (vals[K_LEVEL].kind == 's') {
        int l = level_of(vals[K_LEVEL].v.p, vals[K_LEVEL].v.n);
        if (l >= 0)
            out->level = (enum applog_level)l;
    } else if (vals[K_LEVEL].kind == 'l' && vals[K_LEVEL].v.n > 0 &&
               is_digit(vals[K_LEVEL].v.p[0])) {
        out->level = numeric_level(vals[K_LEVEL].v);
    }
    for (int k = K_REQUEST_ID; k <= K_LAMBDA_REQUEST_ID && !out->request_id.p; k++)
        if (vals[k].kind == 's')
            set_request_id(out, vals[k].v);
    if (vals[K_COLD_START].kind == 'l') {
        if (slice_is(vals[K_COLD_START].v, "true"))
            out->cold_start = 1;
        else if (slice_is(vals[K_COLD_START].v, "false"))
            out->cold_start = 0;
    }
    if (out->level >= APPLOG_ERROR) {
        json_errors(out, vals);
        if (!out->error_type.p && !vals[K_ERROR_MESSAGE].kind)
            json_nested_errors(out, &vals[K_MESSAGE]);
    }
    return 1;
}

/* The next tab-separated field of p[*pos..n): sets *f and moves *pos past
 * the tab. Returns 1 when a tab ended the field, 0 when the text did. */
static int next_field(const char *p, size_t n, size_t *pos, mrb_slice *f)
{
    const char *tab = memchr(p + *pos, '\t', n - *pos);
    size_t end = tab ? (size_t)(tab - p) : n;

    *f = slice(p + *pos, end - *pos);
    *pos = tab ? end + 1 : n;
    return tab != NULL;
}

/* "2019-06-07T19:11:20.563Z": enough of an ISO date to tell it from text. */
static int looks_iso(mrb_slice s)
{
    return s.n >= 19 && is_digit(s.p[0]) && is_digit(s.p[3]) && s.p[4] == '-' &&
           s.p[7] == '-' && s.p[10] == 'T';
}

/* Node error messages: "Invoke Error \t{json}", "Uncaught Exception \t{json}",
 * "Unhandled Promise Rejection \t{json}" (a short text, a tab, an object
 * with errorType / errorMessage); any other is its own first line. */
static void node_errors(applog_line *out, const char *m, size_t n)
{
    size_t lim = n < NODE_ERROR_PREFIX ? n : NODE_ERROR_PREFIX;
    const char *tab = memchr(m, '\t', lim);

    if (tab && tab > m && (size_t)(tab - m) + 1 < n && tab[1] == '{') {
        jval vals[K_COUNT];
        size_t at = (size_t)(tab - m) + 1;
        memset(vals, 0, sizeof vals);
        scan_object(m + at, n - at, vals);
        if (vals[K_ERROR_TYPE].kind == 's' && vals[K_ERROR_TYPE].v.n > 0)
            out->error_type = vals[K_ERROR_TYPE].v;
        if (vals[K_ERROR_MESSAGE].kind == 's')
            out->error_message =
                first_line_raw(vals[K_ERROR_MESSAGE].v.p, vals[K_ERROR_MESSAGE].v.n);
        if (out->error_type.p || out->error_message.p)
            return;
    }
    out->error_message = first_line(m, n);
}

/* "<ISO>\t<requestId>\t<LEVEL>\t<message>". Returns 0 when it is not one. */
static int parse_node(const char *p, size_t n, applog_line *out)
{
    size_t pos = 0;
    mrb_slice ts, id, lv;

    if (!next_field(p, n, &pos, &ts) || !looks_iso(ts) || !next_field(p, n, &pos, &id))
        return 0;
    int more = next_field(p, n, &pos, &lv);
    int l = level_of(lv.p, lv.n);
    if (l < 0 || id.n == 0)
        return 0;
    out->format = APPLOG_NODE;
    out->level = (enum applog_level)l;
    set_request_id(out, id);
    if (more && out->level >= APPLOG_ERROR)
        node_errors(out, p + pos, n - pos);
    return 1;
}

/* "[ERROR] Runtime.ImportModuleError: Unable to ...\nTraceback ...":
 * the type is the first word when a ": " ends it. */
static void python_exception(applog_line *out, const char *p, size_t n)
{
    mrb_slice line = first_line(p, n);
    size_t i = 0;

    if (!line.p)
        return;
    while (i < line.n && !is_ws(line.p[i]) && line.p[i] != ':')
        i++;
    if (i > 0 && i + 1 < line.n && line.p[i] == ':' && line.p[i + 1] == ' ') {
        out->error_type = slice(line.p, i);
        out->error_message = first_line(line.p + i + 2, line.n - i - 2);
    } else {
        out->error_message = line;
    }
}

/* "[LEVEL]\t<ISO>\t<requestId>\t<message>" or "[LEVEL] <message>".
 * Returns 0 when it is not one. */
static int parse_python(const char *p, size_t n, applog_line *out)
{
    size_t lim = n < 12 ? n : 12;
    const char *close = memchr(p, ']', lim);

    if (!close)
        return 0;
    int l = level_of(p + 1, (size_t)(close - p) - 1);
    size_t pos = (size_t)(close - p) + 1;
    if (l < 0 || (pos < n && p[pos] != '\t' && p[pos] != ' '))
        return 0;
    out->format = APPLOG_PYTHON;
    out->level = (enum applog_level)l;
    if (pos >= n)
        return 1;
    mrb_slice ts, id, msg;
    size_t at = ++pos;
    if (p[at - 1] == '\t' && next_field(p, n, &pos, &ts) && looks_iso(ts)) {
        if (next_field(p, n, &pos, &id)) {
            set_request_id(out, id);
            msg = slice(p + pos, n - pos);
        } else {
            msg = id;
        }
        if (out->level >= APPLOG_ERROR)
            out->error_message = first_line(msg.p, msg.n);
        return 1;
    }
    at = skip_ws(p, n, at);
    if (out->level >= APPLOG_ERROR)
        python_exception(out, p + at, n - at);
    return 1;
}

static int is_error_word(const char *p, size_t n)
{
    if (n == 5) {
        char c = lower(p[0]);
        return (c == 'e' && ci_eq(p, n, "ERROR")) || (c == 'f' && ci_eq(p, n, "FATAL")) ||
               (c == 'p' && ci_eq(p, n, "PANIC"));
    }
    return n == 6 && ci_eq(p, n, "SEVERE");
}

/* Go, Kotlin, print(): ERROR when a whole word ERROR, FATAL, SEVERE or
 * PANIC, in any case, ends within the first PLAIN_WINDOW bytes. */
static void parse_plain(const char *p, size_t n, applog_line *out)
{
    size_t lim = n < PLAIN_WINDOW ? n : PLAIN_WINDOW;
    size_t i = 0;

    while (i < lim) {
        if (!is_word(p[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && is_word(p[j]) && j - i < 7)
            j++;
        if ((j == n || !is_word(p[j])) && j <= lim && is_error_word(p + i, j - i)) {
            out->level = APPLOG_ERROR;
            return;
        }
        while (j < lim && is_word(p[j]))
            j++;
        i = j;
    }
}

/* Classifies msg[0..n); see applog.h. Never fails and never reads past n. */
void applog_parse(const char *msg, size_t n, applog_line *out)
{
    memset(out, 0, sizeof *out);
    out->format = APPLOG_PLAIN;
    out->level = APPLOG_INFO;
    out->cold_start = -1;
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        n--;
    if (n == 0)
        return;

    size_t i = skip_ws(msg, n, 0);
    if (i < n && msg[i] == '{' && parse_json(msg + i, n - i, out))
        return;
    if (msg[0] == '[' && parse_python(msg, n, out))
        return;
    if (is_digit(msg[0]) && parse_node(msg, n, out))
        return;
    parse_plain(msg, n, out);
}

/* ---- ids in application lines ---- */

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* 1 when msg[s..s+36) is 8-4-4-4-12 hex digits. */
static int uuid_at(const char *msg, size_t s)
{
    for (size_t k = 0; k < 36; k++) {
        int dash = k == 8 || k == 13 || k == 18 || k == 23;
        if (dash ? msg[s + k] != '-' : !is_hex(msg[s + k]))
            return 0;
    }
    return 1;
}

int applog_next_uuid(const char *msg, size_t n, size_t *pos, mrb_slice *out)
{
    size_t from = *pos + 8;

    while (from < n) {
        const char *d = memchr(msg + from, '-', n - from);
        if (!d)
            break;
        size_t s = (size_t)(d - msg) - 8;
        from = (size_t)(d - msg) + 1;
        if (s + 36 > n || !uuid_at(msg, s))
            continue;
        /* not a piece of a longer run of hex digits and dashes */
        if ((s > 0 && (is_hex(msg[s - 1]) || msg[s - 1] == '-')) ||
            (s + 36 < n && (is_hex(msg[s + 36]) || msg[s + 36] == '-')))
            continue;
        out->p = msg + s;
        out->n = 36;
        *pos = s + 36;
        return 1;
    }
    *pos = n;
    return 0;
}
