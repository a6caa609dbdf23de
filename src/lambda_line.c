/* lambda_line.c — Lambda platform text lines to typed records (see lambda_line.h).
 *
 * REPORT-like lines are read as a sequence of `Key: value [unit]` where a key
 * is one or more words ending with ':' and a value is one word. Words are
 * split on any run of tabs and spaces, which covers real tab-separated lines,
 * documentation that shows the tabs as spaces, and stray spaces; a literal
 * "\t" (or "\n") left by a copy out of a JSON or program string separates
 * words too. */
#include "mrb/lambda_line.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEY_WORDS 4
static const char DUPLICATE_FIELD[] = "a field given twice"; /* read_fields' why */

static const char *const kind_names[LAMBDA_KIND_COUNT] = {
    "other", "start", "end", "report", "init_start", "init_report",
    "timeout", "runtime_exit", "extension", "malformed",
};

const char *lambda_kind_name(enum lambda_kind k)
{
    return (unsigned)k < LAMBDA_KIND_COUNT ? kind_names[k] : "?";
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* The length of the blank at p[i]: 1 for a space, TAB, CR or LF; 2 for the
 * two characters of a literal backslash escape \t, \n or \r (a REPORT
 * copied out of a JSON or program string); 0 when p[i] is not blank. No
 * value Lambda writes in these lines has a backslash. */
static size_t blank_at(const char *p, size_t n, size_t i)
{
    if (is_space(p[i]))
        return 1;
    if (p[i] == '\\' && i + 1 < n && (p[i + 1] == 't' || p[i + 1] == 'n' || p[i + 1] == 'r'))
        return 2;
    return 0;
}

/* The bytes that may start a blank (blank_at): the others are skipped a
 * table lookup at a time. */
static const unsigned char may_blank[256] = {[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1,
                                             ['\\'] = 1};

/* A word: the next run of non-blank bytes at or after *pos. */
static int next_word(const char *p, size_t n, size_t *pos, mrb_slice *w)
{
    size_t i = *pos, k;

    while (i < n && (k = blank_at(p, n, i)) > 0)
        i += k;
    if (i >= n)
        return 0;
    w->p = p + i;
    while (i < n && (!may_blank[(unsigned char)p[i]] || blank_at(p, n, i) == 0))
        i++;
    w->n = (size_t)(p + i - w->p);
    *pos = i;
    return 1;
}

/* Compares a key spanning words separated by any blanks with lit, whose
 * words are separated by single spaces. */
static int key_eq(mrb_slice key, const char *lit)
{
    size_t i = 0;

    while (*lit) {
        if (*lit == ' ') {
            if (i >= key.n || blank_at(key.p, key.n, i) == 0)
                return 0;
            while (i < key.n && blank_at(key.p, key.n, i) > 0)
                i += blank_at(key.p, key.n, i);
            lit++;
            continue;
        }
        if (i >= key.n || key.p[i] != *lit)
            return 0;
        i++;
        lit++;
    }
    return i == key.n;
}

static int slice_eq(mrb_slice s, const char *lit)
{
    size_t k = strlen(lit);
    return s.n == k && memcmp(s.p, lit, k) == 0;
}

/* Parses a plain decimal: digits with an optional fraction, nothing else
 * (no sign, exponent, hex, inf or nan: Lambda writes none, and a REPORT
 * that has them is not to be trusted). Up to 15 significant digits the
 * result is exact: the quotient of two exactly representable integers is
 * correctly rounded. Longer numbers go through strtod on a bounded copy. */
static int parse_double(mrb_slice s, double *out)
{
    uint64_t mant = 0;
    uint64_t scale = 1;
    int digits = 0, frac = 0;

    if (s.n == 0 || s.n > 40)
        return -1;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c >= '0' && c <= '9') {
            digits++;
            if (digits <= 15) {
                mant = mant * 10 + (uint64_t)(c - '0');
                if (frac)
                    scale *= 10;
            }
        } else if (c == '.' && !frac && digits > 0) {
            frac = 1;
        } else {
            return -1;
        }
    }
    if (digits == 0)
        return -1;
    if (digits <= 15) {
        *out = (double)mant / (double)scale;
        return 0;
    }
    char buf[48];
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    *out = strtod(buf, NULL);
    return 0;
}

/* A non-negative integer of up to 18 digits; "200.0" style values with a
 * zero fraction are accepted too. */
static int parse_ll(mrb_slice s, long long *out)
{
    long long v = 0;
    size_t i = 0;

    if (s.n == 0)
        return -1;
    for (; i < s.n && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
        if (i >= 18)
            return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    if (i == 0)
        return -1;
    if (i < s.n) {
        if (s.p[i] != '.' || i + 1 == s.n)
            return -1;
        for (size_t j = i + 1; j < s.n; j++)
            if (s.p[j] != '0')
                return -1;
    }
    *out = v;
    return 0;
}

const lambda_num_field lambda_num_fields[LAMBDA_NUM_FIELDS] = {
    {"Duration", "durationMs", LR_DURATION, 0, offsetof(lambda_record, duration_ms)},
    {"Billed Duration", "billedDurationMs", LR_BILLED, 1, offsetof(lambda_record, billed_ms)},
    {"Memory Size", "memorySizeMB", LR_MEMORY, 1, offsetof(lambda_record, memory_mb)},
    {"Max Memory Used", "maxMemoryUsedMB", LR_MAX_MEMORY, 1,
     offsetof(lambda_record, max_memory_mb)},
    {"Init Duration", "initDurationMs", LR_INIT, 0, offsetof(lambda_record, init_ms)},
    {"Restore Duration", "restoreDurationMs", LR_RESTORE, 0, offsetof(lambda_record, restore_ms)},
    {"Billed Restore Duration", "billedRestoreDurationMs", LR_BILLED_RESTORE, 1,
     offsetof(lambda_record, billed_restore_ms)},
};

static enum lambda_kind malformed(lambda_record *r, const char *why)
{
    r->kind = LAMBDA_MALFORMED;
    r->why = why;
    return r->kind;
}

/* One `Key: value [unit]` of a REPORT / INIT_REPORT / START line. Returns 0
 * when the value is known and well-formed, -1 when it is known but bad, -2
 * when the key was given before (which value is right cannot be known), 1
 * when the key is not known. */
static int take_field(lambda_record *r, mrb_slice key, mrb_slice val)
{
    const lambda_num_field *nums = lambda_num_fields;
    struct text_field {
        const char *key;
        size_t off;
    };
    static const struct text_field texts[] = {
        {"RequestId", offsetof(lambda_record, request_id)},
        {"Version", offsetof(lambda_record, version)},
        {"Status", offsetof(lambda_record, status)},
        {"Error Type", offsetof(lambda_record, error_type)},
        {"Phase", offsetof(lambda_record, phase)},
        {"XRAY TraceId", offsetof(lambda_record, xray_trace_id)},
        {"SegmentId", offsetof(lambda_record, xray_segment_id)},
        {"Runtime Version", offsetof(lambda_record, runtime_version)},
        {"Runtime Version ARN", offsetof(lambda_record, runtime_arn)},
        {"Name", offsetof(lambda_record, name)},
    };
    char *base = (char *)r;

    for (size_t i = 0; i < LAMBDA_NUM_FIELDS; i++) {
        if (key.p[0] != nums[i].text_key[0] || !key_eq(key, nums[i].text_key))
            continue;
        if (r->has & nums[i].bit)
            return -2;
        if (nums[i].is_int) {
            if (parse_ll(val, (long long *)(void *)(base + nums[i].off)) < 0)
                return -1;
        } else if (parse_double(val, (double *)(void *)(base + nums[i].off)) < 0) {
            return -1;
        }
        r->has |= nums[i].bit;
        return 0;
    }
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (key.p[0] == texts[i].key[0] && key_eq(key, texts[i].key)) {
            mrb_slice *field = (mrb_slice *)(void *)(base + texts[i].off);
            if (field->p)
                return -2;
            *field = val;
            return 0;
        }
    }
    if (key_eq(key, "Sampled")) {
        if (slice_eq(val, "true"))
            r->xray_sampled = 1;
        else if (slice_eq(val, "false"))
            r->xray_sampled = 0;
        else
            return -1;
        r->has |= LR_XRAY_SAMPLED;
        return 0;
    }
    return 1;
}

/* Reads every `Key: value [unit]` from pos to the end. Returns 0, or -1 when
 * a known key has a bad value (r->why says which). */
static int read_fields(lambda_record *r, const char *p, size_t n, size_t pos)
{
    mrb_slice w, key, val;

    while (next_word(p, n, &pos, &w)) {
        key.p = w.p;
        int words = 1;
        while (w.p[w.n - 1] != ':') {
            if (++words > MAX_KEY_WORDS || !next_word(p, n, &pos, &w)) {
                r->unknown_keys++;
                return 0; /* trailing text that is not a field: ignore */
            }
        }
        key.n = (size_t)(w.p + w.n - 1 - key.p);
        if (!next_word(p, n, &pos, &val)) {
            r->unknown_keys++;
            return 0;
        }
        int rc = take_field(r, key, val);
        if (rc < 0) {
            r->why = rc == -2 ? DUPLICATE_FIELD : "bad number in a field";
            return -1;
        }
        if (rc > 0)
            r->unknown_keys++;
        size_t save = pos;
        mrb_slice unit;
        if (next_word(p, n, &pos, &unit) && !(slice_eq(unit, "ms") || slice_eq(unit, "MB")))
            pos = save;
    }
    return 0;
}

static enum lambda_kind parse_report(lambda_record *r, const char *p, size_t n)
{
    r->kind = LAMBDA_REPORT;
    if (read_fields(r, p, n, 7) < 0)
        return malformed(r, r->why == DUPLICATE_FIELD ? "REPORT line with a field given twice"
                                                      : "REPORT line with a bad number");
    if (!r->request_id.p)
        return malformed(r, "REPORT line without a RequestId");
    if (!(r->has & LR_DURATION))
        return malformed(r, "REPORT line without a Duration");
    return r->kind;
}

static enum lambda_kind parse_start_end(lambda_record *r, const char *p, size_t n,
                                        enum lambda_kind kind, size_t skip)
{
    r->kind = kind;
    if (read_fields(r, p, n, skip) < 0 || !r->request_id.p)
        return malformed(r, kind == LAMBDA_START ? "START line without a RequestId"
                                                 : "END line without a RequestId");
    return r->kind;
}

static enum lambda_kind parse_init_report(lambda_record *r, const char *p, size_t n)
{
    r->kind = LAMBDA_INIT_REPORT;
    if (read_fields(r, p, n, 12) < 0 || !(r->has & LR_INIT))
        return malformed(r, "INIT_REPORT line without an Init Duration");
    return r->kind;
}

static enum lambda_kind parse_init_start(lambda_record *r, const char *p, size_t n, size_t skip)
{
    r->kind = LAMBDA_INIT_START;
    (void)read_fields(r, p, n, skip);
    return r->kind;
}

/* "RequestId: <id> Error: Runtime exited ..." and the older
 * "RequestId: <id> Process exited before completing request". */
static enum lambda_kind parse_runtime_exit(lambda_record *r, const char *p, size_t n)
{
    size_t pos = 10;
    mrb_slice w;

    if (!next_word(p, n, &pos, &r->request_id))
        return LAMBDA_OTHER;
    size_t rest = pos;
    while (rest < n && is_space(p[rest]))
        rest++;
    if (!bytes_start(p + rest, n - rest, "Error: Runtime exited") &&
        !bytes_start(p + rest, n - rest, "Process exited before completing request"))
        return LAMBDA_OTHER;
    r->kind = LAMBDA_RUNTIME_EXIT;
    while (next_word(p, n, &pos, &w))
        if (w.n > 8 && memcmp(w.p, "Runtime.", 8) == 0)
            r->error_type = w;
    if (!r->error_type.p) {
        r->error_type.p = "Runtime.ExitError";
        r->error_type.n = 17;
    }
    return r->kind;
}

static int is_iso_ts(mrb_slice w)
{
    return w.n >= 20 && w.p[4] == '-' && w.p[7] == '-' && w.p[10] == 'T' &&
           w.p[w.n - 1] == 'Z';
}

/* "[<ISO> <id> ]Task timed out after N seconds" */
static enum lambda_kind parse_timeout(lambda_record *r, const char *p, size_t n)
{
    static const char lit[] = "Task timed out after ";
    const size_t k = sizeof lit - 1;
    size_t pos = 0, at;
    mrb_slice w[2];
    int words = 0;

    for (;;) {
        mrb_slice t;
        if (!next_word(p, n, &pos, &t))
            return LAMBDA_OTHER;
        if (bytes_start(t.p, n - (size_t)(t.p - p), lit)) {
            at = (size_t)(t.p - p) + k;
            break;
        }
        if (words == 2)
            return LAMBDA_OTHER;
        w[words++] = t;
    }
    if (words == 2 && !is_iso_ts(w[0]))
        return LAMBDA_OTHER;
    if (words == 1 && is_iso_ts(w[0]))
        words = 0;
    if (words > 0)
        r->request_id = w[words - 1];
    mrb_slice secs;
    if (next_word(p, n, &at, &secs) && parse_double(secs, &r->timeout_s) == 0)
        r->has |= LR_TIMEOUT_S;
    r->kind = LAMBDA_TIMEOUT;
    return r->kind;
}

enum lambda_kind lambda_parse(const char *p, size_t n, lambda_record *r)
{
    memset(r, 0, sizeof *r);
    r->xray_sampled = -1;
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
        n--;
    if (n == 0)
        return r->kind;

    switch (p[0]) {
    case 'R':
        if (bytes_start(p, n, "REPORT RequestId:"))
            return parse_report(r, p, n);
        /* SnapStart: the INIT_START layout, for a restored environment */
        if (bytes_start(p, n, "RESTORE_START ") || bytes_start(p, n, "RESTORE_START\t"))
            return parse_init_start(r, p, n, 14);
        if (bytes_start(p, n, "RESTORE_REPORT ") || bytes_start(p, n, "RESTORE_REPORT\t")) {
            r->kind = LAMBDA_EXTENSION; /* its Restore Duration is on the REPORT too */
            (void)read_fields(r, p, n, 15);
            return r->kind;
        }
        if (bytes_start(p, n, "RequestId:"))
            return parse_runtime_exit(r, p, n);
        break;
    case 'S':
        if (bytes_start(p, n, "START RequestId:"))
            return parse_start_end(r, p, n, LAMBDA_START, 6);
        break;
    case 'E':
        if (bytes_start(p, n, "END RequestId:"))
            return parse_start_end(r, p, n, LAMBDA_END, 4);
        if (bytes_start(p, n, "EXTENSION") && n > 9 && is_space(p[9])) {
            r->kind = LAMBDA_EXTENSION;
            (void)read_fields(r, p, n, 9);
            return r->kind;
        }
        break;
    case 'T':
        if (bytes_start(p, n, "TELEMETRY") && n > 9 && is_space(p[9])) {
            r->kind = LAMBDA_EXTENSION;
            (void)read_fields(r, p, n, 9);
            return r->kind;
        }
        if (bytes_start(p, n, "Task timed out after "))
            return parse_timeout(r, p, n);
        break;
    case 'I':
        if (bytes_start(p, n, "INIT_START ") || bytes_start(p, n, "INIT_START\t"))
            return parse_init_start(r, p, n, 11);
        if (bytes_start(p, n, "INIT_REPORT ") || bytes_start(p, n, "INIT_REPORT\t"))
            return parse_init_report(r, p, n);
        break;
    default:
        if (p[0] >= '0' && p[0] <= '9' && n > 40) {
            /* a timed-out invoke: "<ISO> <id> Task timed out after ..." */
            size_t lim = n < 160 ? n : 160;
            for (size_t i = 20; i + 21 <= lim; i++)
                if (p[i] == 'T' && memcmp(p + i, "Task timed out after ", 21) == 0)
                    return parse_timeout(r, p, n);
        }
        break;
    }
    return r->kind;
}
