/* jevent.h — a fast reader for one flat JSON log event object.
 *
 * CloudWatch log events in JSON are flat objects of strings and integers
 * ({"logStreamName": ..., "timestamp": ..., "message": ...}); parsing each
 * with a general JSON library costs more than everything else ingest does.
 * jevent_parse reads such an object in place: strings are unescaped inside
 * the caller's buffer and NUL-terminated there, so nothing is copied or
 * allocated. Anything it does not handle — nested values, numbers that are
 * not plain integers where one is wanted, and all invalid input — makes it
 * return 0, and the caller parses the same bytes with jansson, which also
 * gives the error message. Strings are checked to be valid UTF-8 exactly as
 * jansson checks them. */
#ifndef MRB_JEVENT_H
#define MRB_JEVENT_H

#include <stddef.h>
#include <stdint.h>

/* The members a log event may have; a field is NULL / has_* 0 when absent. */
typedef struct jevent {
    const char *message;     /* unescaped, NUL-terminated, inside the buffer */
    size_t message_len;      /* may contain NUL bytes only if escaped as \u0000: never */
    const char *log_stream;  /* "logStreamName" */
    const char *log_group;   /* "logGroupName" */
    int64_t timestamp;       /* "timestamp", epoch ms */
    int has_timestamp;
    int timestamp_not_int;   /* present but not an integer */
} jevent;

/* Parses buf[0..n) (one object, white space around allowed) in place.
 * Returns 1 when read, 0 when the caller must use a general parser. */
int jevent_parse(char *buf, size_t n, jevent *out);

#endif
