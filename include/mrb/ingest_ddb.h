/* ingest_ddb.h — DynamoDB stream records on their way to the store.
 *
 * The per-file driver (ingest.c) hands a file the row-shape registry
 * names "dynamodb" (shape_ddb.c) here. Each record is attributed to a
 * runtime (the map's ddb: rules for its table: key prefix, attribute, or
 * left for the logs' ids, ddb_attrib.h), sized in write request units,
 * checked against the item schema, and sent to the writer with its
 * violations (the first 64 per image) and its N attributes (exact text and
 * REAL). A record whose time is not one the file can hold is skipped with a
 * problem; get-records output names no table: the map's table= for the
 * file's path stands in, and says so (table_from = "map").
 *
 * Ownership: ingest_ddb_new borrows map; ingest_ddb_free releases. */
#ifndef MRB_INGEST_DDB_H
#define MRB_INGEST_DDB_H

#include <stdint.h>

#include "mrb/attrib.h"
#include "mrb/err.h"
#include "mrb/reader.h"
#include "mrb/shape.h"
#include "mrb/writer.h"

typedef struct ingest_ddb ingest_ddb;

/* One file, as the driver sees it. */
typedef struct ingest_ddb_file {
    writer *wr;
    const char *path;   /* the map's table= rule may name it */
    int64_t written_ms; /* a record timed over a day later is not plausible */
    /* a record skipped (counted as rejected), and a warning (the record kept) */
    void (*skipped)(void *arg, long long line, long long offset, const char *text);
    void (*warning)(void *arg, long long line, long long offset, const char *text);
    void (*progress)(void *arg); /* every 4,096 records */
    void *arg;
} ingest_ddb_file;

ingest_ddb *ingest_ddb_new(const attrib_map *map);
void ingest_ddb_free(ingest_ddb *d);

/* Reads the records of r with rs (a row shape with records set). 0 with
 * *records (records read), or -1 with err. */
int ingest_ddb_read(ingest_ddb *d, const ingest_ddb_file *f, const row_shape *rs, reader *r,
                    long long *records, mrb_err *err);

#endif
