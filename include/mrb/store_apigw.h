/* store_apigw.h — API Gateway requests into the store (apigw_requests).
 *
 * One row per request (its request id; an access line without one is kept
 * by its extended request id, and so is one whose request id API Gateway
 * replaced with UUID_REPLACED_INVALID_REQUEST_ID). Each access or
 * execution line merges into its request's row: a column keeps the first
 * known value, ts_ms the earliest; from_access / from_execution say which
 * log types were seen. Storing a line twice changes nothing. Part of the
 * current file's transaction (store.h).
 *
 * Ownership: strings are borrowed for the call. */
#ifndef MRB_STORE_APIGW_H
#define MRB_STORE_APIGW_H

#include "mrb/apigw.h"
#include "mrb/err.h"
#include "mrb/store.h"

typedef struct apigw_row {
    apigw_rec rec;            /* ts_ms with AG_TIME: the event time when the
                               * line gives none */
    int access;               /* 1 an access line, 0 an execution line */
    mrb_slice log_group;      /* may be absent */
    mrb_slice api_id;         /* from an execution-log group, may be absent */
    const char *route_runtime; /* apigw_route_runtime, or NULL */
    const char *map_runtime;   /* a --map rule for the log group, or NULL */
} apigw_row;

/* 0, or -1 with err. A row without a request id or extended request id is
 * not stored (returns 0). */
int store_apigw(store *s, const apigw_row *r, mrb_err *err);

#endif
