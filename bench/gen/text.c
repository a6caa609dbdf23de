/* text.c — mrb-gen: the bounded event buffer (buf) with its number,
 * date and time writers, and --day. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

void b_mem(buf *b, const char *s, size_t n)
{
    if (b->n + n >= MSG_CAP)
        die("internal: event longer than %d bytes", MSG_CAP);
    memcpy(b->s + b->n, s, n);
    b->n += n;
}

void b_str(buf *b, const char *s)
{
    b_mem(b, s, strlen(s));
}

void b_chr(buf *b, char c)
{
    b_mem(b, &c, 1);
}

/* Decimal, zero-padded to at least width digits. */
void b_num(buf *b, long long v, int width)
{
    char tmp[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u || n < width);
    if (v < 0)
        b_chr(b, '-');
    while (n)
        b_chr(b, tmp[--n]);
}

/* text, then v in decimal (a JSON member's key and number, a label and
 * its value). */
void b_lit_num(buf *b, const char *text, long long v)
{
    b_str(b, text);
    b_num(b, v, 1);
}

/* text, then s. */
void b_lit_str(buf *b, const char *text, const char *s)
{
    b_str(b, text);
    b_str(b, s);
}

/* Hundredths as "12.34". */
void b_cs(buf *b, long cs)
{
    b_num(b, cs / 100, 1);
    b_chr(b, '.');
    b_num(b, cs % 100, 2);
}

/* text, then hundredths as "12.34". */
void b_lit_cs(buf *b, const char *text, long cs)
{
    b_str(b, text);
    b_cs(b, cs);
}

/* ---------------------------------------------------------------- the day */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void day_parse(const char *s, day *out)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m = 0, d = 0, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
        y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
        (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
        die("--day '%s': expected a date YYYY-MM-DD", s);
    out->y = y;
    out->m = m;
    out->d = d;
    out->start_ms = days_from_civil(y, m, d) * DAY_MS;
}

/* Time of day of an event as HH:MM:SS (sep ':'), then sep2 and milliseconds
 * unless sep2 is 0. */
void b_clock(buf *b, long long ms, char sep2)
{
    long long t = ms - g_day.start_ms;
    if (t < 0 || t >= DAY_MS)
        die("internal: event time outside --day");
    b_num(b, t / 3600000, 2);
    b_chr(b, ':');
    b_num(b, t / 60000 % 60, 2);
    b_chr(b, ':');
    b_num(b, t / 1000 % 60, 2);
    if (sep2) {
        b_chr(b, sep2);
        b_num(b, t % 1000, 3);
    }
}

/* The date with a separator: "2026-11-25" or "2026/11/25". */
void b_date(buf *b, char sep)
{
    b_num(b, g_day.y, 4);
    b_chr(b, sep);
    b_num(b, g_day.m, 2);
    b_chr(b, sep);
    b_num(b, g_day.d, 2);
}

/* "2026-11-25T02:00:01.123Z" */
void b_iso(buf *b, long long ms)
{
    b_date(b, '-');
    b_chr(b, 'T');
    b_clock(b, ms, '.');
    b_chr(b, 'Z');
}
