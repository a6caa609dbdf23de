/* ingest_rows.h — one file of a row shape (X-Ray traces, CloudWatch
 * metrics) from bytes to rows.
 *
 * Called by ingest.c between writer_file_begin and writer_file_commit /
 * abort: it waits for the writer to be idle (writer_wait), then writes the
 * file's rows through store_rows.h itself, inside the file's transaction,
 * so the file stays all-or-nothing. A metric value's runtime: the map's
 * runtime= rule for the file's path, else the whole-word runtime tokens
 * (attrib_from_name) of its FunctionName, Resource, ApiName or TableName
 * dimension, in that order, else "unknown" (the cw_metrics view then takes
 * the functions table's label for a FunctionName the logs know). */
#ifndef MRB_INGEST_ROWS_H
#define MRB_INGEST_ROWS_H

#include "mrb/attrib.h"
#include "mrb/reader.h"
#include "mrb/shape.h"
#include "mrb/store.h"
#include "mrb/writer.h"

typedef struct ingest_rows_counts {
    long long rows;      /* read */
    long long rows_new;  /* stored (the others were known) */
    long long problems;  /* warnings stored with the file */
} ingest_rows_counts;

/* 0, or -1 with err (the caller aborts the file). */
int ingest_rows_file(store *st, writer *wr, const attrib_map *map, const char *path,
                     const row_shape *sh, reader *r, ingest_rows_counts *c, mrb_err *err);

/* 1 when path names a metric export's identity (cw_export.h: key=value
 * components): a copy of a stored file under such a path is read again, as
 * the same bytes there are another metric's values. */
int ingest_rows_path_keyed(const char *path);

#endif
