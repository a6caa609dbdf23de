/* clock.h — the one clock for elapsed time: progress rates, timeouts,
 * batch lengths. Monotonic, never the time of day (reports never say
 * "now" unless given one). Nothing is allocated. */
#ifndef MRB_CLOCK_H
#define MRB_CLOCK_H

/* Seconds on the monotonic clock since an unspecified start. */
double clock_now_s(void);

#endif
