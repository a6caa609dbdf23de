/* pathinfo.c — log stream and function names from input paths (see pathinfo.h). */
#include "mrb/pathinfo.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_PARTS 64

typedef struct part {
    const char *p;
    size_t n;
} part;

/* Splits path on '/' into at most MAX_PARTS non-empty parts. */
static int split(const char *path, part *parts)
{
    int k = 0;
    const char *s = path;

    while (*s && k < MAX_PARTS) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        parts[k].p = s;
        parts[k].n = n;
        k++;
        s += n;
    }
    return k;
}

static int all_digits(const char *p, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    return 1;
}

static int is_hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)p[i]))
            return 0;
    return n > 0;
}

/* An export task id: a UUID (8-4-4-4-12 hex). */
static int is_task_id(part x)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    size_t at = 0;

    if (x.n != 36)
        return 0;
    for (int g = 0; g < 5; g++) {
        if (!is_hex(x.p + at, (size_t)groups[g]))
            return 0;
        at += (size_t)groups[g];
        if (g < 4 && x.p[at++] != '-')
            return 0;
    }
    return 1;
}

/* The environment part of a stream name: "[$LATEST]<hex>", "[7]<hex>" or
 * 32 hex digits. */
static int is_env_part(const char *p, size_t n)
{
    const char *close = memchr(p, ']', n);
    if (close && p[0] == '[')
        return close + 1 < p + n;
    if (close)
        return 1; /* "apcStackMonitor[$LATEST]6e67..." */
    return n == 32 && is_hex(p, n);
}

static int is_date_parts(const part *d)
{
    return d[0].n == 4 && all_digits(d[0].p, 4) && d[1].n == 2 && all_digits(d[1].p, 2) &&
           d[2].n == 2 && all_digits(d[2].p, 2);
}

/* Finds the stream among parts[0..k-1) (the last part is the file). Returns
 * the index of its first part and sets *len to its number of parts (4 for
 * "YYYY/MM/DD/env", 1 otherwise), or -1. */
static int find_stream(const part *parts, int k, int *len)
{
    int env = k - 2;

    if (env < 0 || !is_env_part(parts[env].p, parts[env].n))
        return -1;
    if (env >= 3 && is_date_parts(parts + env - 3)) {
        *len = 4;
        return env - 3;
    }
    *len = 1;
    return env;
}

int pathinfo_stream(const char *path, char *buf, size_t size)
{
    part parts[MAX_PARTS];
    int k = split(path, parts), len;
    int at = find_stream(parts, k, &len);
    int n;

    if (at < 0 || size == 0)
        return -1;
    if (len == 4) {
        n = snprintf(buf, size, "%.*s/%.*s/%.*s/%.*s", (int)parts[at].n, parts[at].p,
                     (int)parts[at + 1].n, parts[at + 1].p, (int)parts[at + 2].n,
                     parts[at + 2].p, (int)parts[at + 3].n, parts[at + 3].p);
    } else {
        const char *p = parts[at].p;
        size_t m = parts[at].n;
        /* "2024-01-02-[$LATEST]abc" as some exporters flatten the name */
        if (m > 11 && all_digits(p, 4) && p[4] == '-' && all_digits(p + 5, 2) && p[7] == '-' &&
            all_digits(p + 8, 2) && p[10] == '-')
            n = snprintf(buf, size, "%.4s/%.2s/%.2s/%.*s", p, p + 5, p + 8, (int)(m - 11),
                         p + 11);
        else
            n = snprintf(buf, size, "%.*s", (int)m, p);
    }
    return (n > 0 && (size_t)n < size) ? 0 : -1;
}

static const char *const data_exts[] = {".gz", ".gzip", ".json", ".ndjson", ".jsonl",
                                        ".log", ".txt", ".out", NULL};

/* Length of name without its known extensions ("a.json.gz" -> 1). */
static size_t strip_exts(const char *p, size_t n)
{
    int again = 1;

    while (again) {
        again = 0;
        for (int i = 0; data_exts[i]; i++) {
            size_t e = strlen(data_exts[i]);
            if (n > e && memcmp(p + n - e, data_exts[i], e) == 0) {
                n -= e;
                again = 1;
            }
        }
    }
    return n;
}

/* ---- which part of a path names the function ---- */

/* Words that name no log group: page / part / chunk numbers, export and
 * CLI folders, formats. */
static const char *const generic_words[] = {
    "page",   "pages",  "part",      "parts",        "chunk",  "chunks", "p",
    "logs",   "log",    "export",    "exports",      "exported", "exportedlogs",
    "cli",    "json",   "ndjson",    "jsonl",        "txt",    "gz",     "data",
    "out",    "output", "raw",       "tmp",          "batch",  "events", "filter",
    "get",    "aws",    "lambda",    "cloudwatch",   "cwlogs", "results", "result",
    "dump",   "download", "downloads", "s3",        "latest", "all",    "next",
    "token",  "file",   "files",     NULL,
};

static int generic_word(const char *p, size_t n)
{
    while (n > 0 && isdigit((unsigned char)p[n - 1])) /* "page0001", "part1" */
        n--;
    if (n == 0)
        return 1;
    for (int i = 0; generic_words[i]; i++)
        if (strlen(generic_words[i]) == n && !strncasecmp(generic_words[i], p, n))
            return 1;
    return 0;
}

/* A token of a generic component: a number, a date-time piece ("25T02"), a
 * hex run of 8 or more (UUID groups, hashes), or a generic word. */
static int generic_token(const char *p, size_t n)
{
    size_t digits = 0, tz = 0;

    for (size_t i = 0; i < n; i++) {
        digits += isdigit((unsigned char)p[i]) != 0;
        tz += p[i] == 'T' || p[i] == 'Z';
    }
    if (n == 0 || (digits > 0 && digits + tz == n))
        return 1;
    if (n >= 8 && is_hex(p, n) && digits > 0)
        return 1;
    return generic_word(p, n);
}

/* 1 when every token of x (split on - _ . space and '=') is generic: such a
 * component names nothing ("page-0000", "2026-11-25", "part=3", a task id,
 * a log stream part). */
static int is_generic(part x)
{
    if (is_task_id(x) || is_env_part(x.p, x.n))
        return 1;
    size_t i = 0;
    while (i <= x.n) {
        size_t j = i;
        while (j < x.n && !strchr("-_. =", x.p[j]))
            j++;
        if (!generic_token(x.p + i, j - i))
            return 0;
        i = j + 1;
    }
    return 1;
}

/* The usual spellings of "/aws/lambda/NAME" in a file or folder name:
 * "aws_lambda_NAME", "_aws_lambda_NAME", "%2Faws%2Flambda%2FNAME" (any case
 * of the hex). Sets *name to NAME and returns 1, or 0. */
static int spelled_group(part x, part *name)
{
    static const char *const prefixes[] = {"%2faws%2flambda%2f", "_aws_lambda_", "aws_lambda_",
                                           NULL};

    for (int i = 0; prefixes[i]; i++) {
        size_t n = strlen(prefixes[i]);
        if (x.n > n && !strncasecmp(x.p, prefixes[i], n)) {
            name->p = x.p + n;
            name->n = x.n - n;
            return 1;
        }
    }
    return 0;
}

/* parts[j] as a name: the file (the last part) without its extensions. */
static part as_name(const part *parts, int k, int j)
{
    part x = parts[j];
    if (j == k - 1)
        x.n = strip_exts(x.p, x.n);
    return x;
}

/* The nearest part in parts[lo..hi] (hi first) that spells a log group, its
 * name in *name: "aws_lambda_NAME", or NAME in ".../aws/lambda/NAME/...". */
static int nearest_spelled(const part *parts, int k, int lo, int hi, part *name)
{
    for (int j = hi; j >= lo; j--) {
        part x = as_name(parts, k, j);
        if (spelled_group(x, name) && name->n > 0)
            return j;
        if (j >= 2 && parts[j - 2].n == 3 && !strncasecmp(parts[j - 2].p, "aws", 3) &&
            parts[j - 1].n == 6 && !strncasecmp(parts[j - 1].p, "lambda", 6) && x.n > 0) {
            *name = x;
            return j;
        }
    }
    return -1;
}

/* The nearest part in parts[lo..hi] that is not generic, or -1. */
static int nearest_named(const part *parts, int k, int lo, int hi)
{
    for (int j = hi; j >= lo; j--) {
        part x = as_name(parts, k, j);
        if (x.n > 0 && !is_generic(x))
            return j;
    }
    return -1;
}

/* The folder an S3 export names its log group by: the part before the task
 * id (or before the stream when there is none), or -1. */
static int export_prefix(const part *parts, int k)
{
    int len;

    for (int i = k - 2; i >= 1; i--)
        if (is_task_id(parts[i]))
            return i - 1;
    int s = find_stream(parts, k, &len);
    return s >= 1 ? s - 1 : s == 0 ? -2 : -1;
}

int pathinfo_function(const char *path, char *buf, size_t size, enum fn_origin *origin,
                      int *spelled)
{
    part parts[MAX_PARTS], name = {NULL, 0};
    int k = split(path, parts), at;
    enum fn_origin o = FN_ORIGIN_PATH;

    *spelled = 0;
    if (k == 0)
        return -1;
    int ex = export_prefix(parts, k);
    if (ex == -2)
        return -1; /* the whole path is the stream */
    int top = ex >= 0 ? ex : k - 1;
    if ((at = nearest_spelled(parts, k, 0, top, &name)) >= 0) {
        *spelled = 1;
        o = ex >= 0 ? FN_ORIGIN_EXPORT_PATH : FN_ORIGIN_PATH;
    } else if ((at = nearest_named(parts, k, 0, top)) >= 0) {
        name = as_name(parts, k, at);
        o = ex >= 0 ? FN_ORIGIN_EXPORT_PATH : at == k - 1 ? FN_ORIGIN_FILE_STEM : FN_ORIGIN_PATH;
    } else if (ex >= 0) {
        name = parts[ex]; /* "exportedlogs/<task>/...": a guess */
    } else {
        name = as_name(parts, k, k - 1);
        o = FN_ORIGIN_FILE_STEM;
        if (name.n == 0 && k >= 2) {
            name = parts[k - 2];
            o = FN_ORIGIN_PATH;
        }
    }
    int n = snprintf(buf, size, "%.*s", (int)name.n, name.p);
    if (n <= 0 || (size_t)n >= size || strcmp(buf, "-") == 0)
        return -1;
    *origin = o;
    return 0;
}
