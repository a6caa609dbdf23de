/* timeparse.c — ISO-8601 timestamps to epoch milliseconds (see timeparse.h). */
#include "mrb/timeparse.h"

#include <stdio.h>

static int digits(const char *p, size_t n, size_t at, size_t k, unsigned *out)
{
    unsigned v = 0;

    if (at + k > n)
        return 0;
    for (size_t i = at; i < at + k; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    *out = v;
    return 1;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

int time_looks_iso(const char *p, size_t n)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:dd";

    if (n < sizeof pat - 1)
        return 0;
    for (size_t i = 0; i < sizeof pat - 1; i++)
        if (pat[i] == 'd' ? p[i] < '0' || p[i] > '9' : p[i] != pat[i])
            return 0;
    return 1;
}

int time_plausible(int64_t ms, int64_t written_ms)
{
    return ms >= TIME_PLAUSIBLE_MIN_MS && ms - TIME_PLAUSIBLE_SLACK_MS <= written_ms;
}

void time_range_problem(int64_t ms, const char *what, char *buf, size_t size)
{
    char when[40];

    time_describe(ms, when);
    snprintf(buf, size, "%s time %s is out of range (before 2014 or over a day after the file), "
                        "skipped", what, when);
}

void time_describe(int64_t ms, char buf[40])
{
    /* years 0000 and 9999 inclusive */
    if (ms >= INT64_C(-62167219200000) && ms <= INT64_C(253402300799999))
        time_format_iso(ms, buf);
    else
        snprintf(buf, 40, "%lld ms since 1970", (long long)ms);
}

/* Howard Hinnant's days_from_civil. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

size_t time_parse_iso(const char *p, size_t n, int64_t *ms)
{
    unsigned Y, M, D, h, mi, s, frac = 0;
    size_t i = 19;

    if (!digits(p, n, 0, 4, &Y) || n < 19 || p[4] != '-' || !digits(p, n, 5, 2, &M) ||
        p[7] != '-' || !digits(p, n, 8, 2, &D) || (p[10] != 'T' && p[10] != ' ') ||
        !digits(p, n, 11, 2, &h) || p[13] != ':' || !digits(p, n, 14, 2, &mi) ||
        p[16] != ':' || !digits(p, n, 17, 2, &s))
        return 0;
    if (M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M) || h > 23 || mi > 59 || s > 60)
        return 0;
    if (i < n && (p[i] == '.' || p[i] == ',')) {
        size_t k = 0;
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9') {
            if (k < 3)
                frac = frac * 10 + (unsigned)(p[i] - '0');
            k++;
            i++;
        }
        if (k == 0)
            return 0;
        for (; k < 3; k++)
            frac *= 10;
    }
    int64_t off_min = 0;
    if (i < n && p[i] == 'Z') {
        i++;
    } else if (i < n && (p[i] == '+' || p[i] == '-')) {
        unsigned oh, om;
        if (!digits(p, n, i + 1, 2, &oh))
            return 0;
        size_t j = i + 3;
        if (j < n && p[j] == ':')
            j++;
        if (!digits(p, n, j, 2, &om))
            return 0;
        off_min = (int64_t)(oh * 60 + om) * (p[i] == '-' ? -1 : 1);
        i = j + 2;
    }
    int64_t days = time_days_from_civil(Y, M, D);
    *ms = ((days * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + s) - off_min * 60) * 1000 +
          frac;
    return i;
}

void time_format_iso(int64_t ms, char buf[25])
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    /* civil_from_days */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", (long long)y, m, d,
             (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60),
             (unsigned)(ms - secs * 1000));
    snprintf(buf, 25, "%.24s", tmp);
}
