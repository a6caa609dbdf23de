/* series.h — values per runtime for a chart, read from SQL or pushed.
 *
 * A series_set holds up to SERIES_MAX labelled series of (x, y) pairs;
 * more labels than that are dropped (a chart cannot tell them apart).
 * With no_y set before the first push, only x is kept (half the memory for
 * charts of single values). Memory grows linearly with the values.
 *
 * Ownership: the arrays belong to the set until series_release; a zeroed
 * set is empty. */
#ifndef MRB_SERIES_H
#define MRB_SERIES_H

#include <stddef.h>

#include "mrb/err.h"

typedef struct sqlite3 sqlite3;

#define SERIES_MAX 16

typedef struct series_set {
    char label[SERIES_MAX][32];
    double *x[SERIES_MAX], *y[SERIES_MAX];
    size_t n[SERIES_MAX], cap[SERIES_MAX], cap_y[SERIES_MAX]; /* values; room in x, in y */
    int count;
    int no_y; /* values only: y stays NULL */
} series_set;

/* The index of label's series, created when new; -1 when the set is full. */
int series_index(series_set *s, const char *label);

/* Appends (x, y) to series k. */
void series_push(series_set *s, int k, double x, double y);

/* Puts the series in label order: charts do not depend on row order. */
void series_sort(series_set *s);

/* Runs sql ("SELECT label, x[, y] ...") into s (zeroed first), in label
 * order; 0, or -1 with err. */
int series_load(sqlite3 *db, const char *sql, series_set *s, mrb_err *err);

void series_release(series_set *s);

#endif
