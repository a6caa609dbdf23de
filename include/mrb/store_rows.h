/* store_rows.h — the rows of rows.h in the store: X-Ray traces and
 * segments, CloudWatch metric values.
 *
 * Natural keys make re-ingest add nothing: a trace by its id, a (sub)segment
 * by (trace id, id), a metric value by (namespace, metric, dimensions,
 * statistic, period, time). Rows are written in the current file of the
 * store (store_file_begin ... commit / abort), so a failed file keeps none.
 *
 * Ownership: store_rows_new borrows the store (it must outlive the
 * returned handle); store_rows_free finalizes the handle's statements. */
#ifndef MRB_STORE_ROWS_H
#define MRB_STORE_ROWS_H

#include "mrb/err.h"
#include "mrb/rows.h"
#include "mrb/store.h"

typedef struct store_rows store_rows;

store_rows *store_rows_new(store *s, mrb_err *err);
void store_rows_free(store_rows *r);

/* Each returns 0 (added is 1 for a new row, 0 for a known one), or -1. */
int store_rows_trace(store_rows *r, const xray_trace *t, int *added, mrb_err *err);
int store_rows_segment(store_rows *r, const xray_segment *s, int *added, mrb_err *err);
/* runtime / runtime_source: the value's label and how it was decided. */
int store_rows_metric(store_rows *r, const cw_point *p, const char *runtime,
                      const char *runtime_source, int *added, mrb_err *err);

#endif
