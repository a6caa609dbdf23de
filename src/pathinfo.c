/* pathinfo.c — log stream and function names from input paths (see pathinfo.h). */
#include "mrb/pathinfo.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

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

int pathinfo_function(const char *path, char *buf, size_t size)
{
    part parts[MAX_PARTS];
    int k = split(path, parts), len, at = -1;
    int n;

    for (int i = k - 2; i >= 1; i--)
        if (is_task_id(parts[i])) {
            at = i - 1;
            break;
        }
    if (at < 0) {
        int s = find_stream(parts, k, &len);
        if (s == 0)
            return -1; /* the whole path is the stream */
        if (s >= 1)
            at = s - 1;
    }
    if (at >= 0) {
        n = snprintf(buf, size, "%.*s", (int)parts[at].n, parts[at].p);
    } else {
        if (k == 0)
            return -1;
        size_t m = strip_exts(parts[k - 1].p, parts[k - 1].n);
        if (m == 0 || (all_digits(parts[k - 1].p, m) && k >= 2)) /* "000000.gz" */
            n = snprintf(buf, size, "%.*s", (int)parts[k - 2].n, parts[k - 2].p);
        else
            n = snprintf(buf, size, "%.*s", (int)m, parts[k - 1].p);
    }
    return (n > 0 && (size_t)n < size && strcmp(buf, "-") != 0) ? 0 : -1;
}
