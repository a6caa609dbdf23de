/* timeparse.h — timestamps in logs to epoch milliseconds (UTC).
 *
 * Pure functions over byte slices (not NUL-terminated). */
#ifndef MRB_TIMEPARSE_H
#define MRB_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

/* "2024-05-19T06:10:35.743Z" (a real calendar date: no February 30;
 * fraction optional, any number of digits; "T" or a space between date and
 * time; "Z" or "+hh:mm"/"-hh:mm" or no zone, meaning UTC). Returns the number of bytes read (> 0) and sets *ms, or 0
 * when p does not start with such a timestamp. */
size_t time_parse_iso(const char *p, size_t n, int64_t *ms);

/* 1 when p starts like "YYYY-MM-DDThh:mm:ss" (digits and separators in
 * place, values not checked): a line that looks like it starts an event,
 * even when time_parse_iso rejects the values (month 13, February 30). */
int time_looks_iso(const char *p, size_t n);

/* The earliest plausible log time: 2014-01-01T00:00:00Z (before Lambda). */
#define TIME_PLAUSIBLE_MIN_MS INT64_C(1388534400000)
/* The last millisecond of year 9999: later values (a database written by an
 * older version may hold INT64_MAX) are ignored where days are computed. */
#define TIME_MAX_MS INT64_C(253402300799999)
/* How far a log time may lie after the file that holds it was written. */
#define TIME_PLAUSIBLE_SLACK_MS INT64_C(86400000)

/* 1 when ms lies in [TIME_PLAUSIBLE_MIN_MS, written_ms + slack]: a time a
 * log written at written_ms can hold. */
int time_plausible(int64_t ms, int64_t written_ms);

/* ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" when its year is 0..9999, else as
 * "<ms> ms since 1970": safe for any value, for messages. */
void time_describe(int64_t ms, char buf[40]);

/* Writes the problem text of a record whose time ms is out of the
 * plausible range into buf: "<what> time <ms described> is out of range
 * (before 2014 or over a day after the file), skipped". */
void time_range_problem(int64_t ms, const char *what, char *buf, size_t size);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 bytes + NUL) for ms into buf. */
void time_format_iso(int64_t ms, char buf[25]);

#endif
