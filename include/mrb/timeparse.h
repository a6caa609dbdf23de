/* timeparse.h — timestamps in logs to epoch milliseconds (UTC).
 *
 * Pure functions over byte slices (not NUL-terminated). */
#ifndef MRB_TIMEPARSE_H
#define MRB_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

/* "2024-05-19T06:10:35.743Z" (fraction optional, any number of digits;
 * "T" or a space between date and time; "Z" or "+hh:mm"/"-hh:mm" or no zone,
 * meaning UTC). Returns the number of bytes read (> 0) and sets *ms, or 0
 * when p does not start with such a timestamp. */
size_t time_parse_iso(const char *p, size_t n, int64_t *ms);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 bytes + NUL) for ms into buf. */
void time_format_iso(int64_t ms, char buf[25]);

#endif
