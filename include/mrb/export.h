/* export.h — the normalised tables as partitioned files for an analytics
 * engine (Athena / Trino over S3, ClickHouse, BigQuery).
 *
 * OUT/TABLE/day=YYYY-MM-DD/runtime=R/part-NNNNN.jsonl[.gz] (or .csv): one
 * folder per UTC day of the row's time and runtime label (Hive layout; rows
 * without a time go to day=undated), small tables (functions,
 * function_prices) as OUT/TABLE/part-00000.*. Rows are read in time order
 * through one statement per table and written by one writer per runtime of
 * the current day: memory is bounded by the writers, not the data. A
 * partition's files are written under temporary names and replace the
 * partition's old files when it is complete, so exporting a range again
 * replaces its partitions and never duplicates them. OUT/manifest.json lists
 * every file of OUT (those of earlier exports too) with its table,
 * partition, rows, bytes and CRC-32; OUT/ddl/ holds the tables as
 * athena.sql, trino.sql and clickhouse.sql.
 *
 * Columns are those of the database (docs/SCHEMA.md) with `runtime` last:
 * Athena takes runtime from the partition, and CSV readers that map by
 * position ignore the trailing field. JSON Lines rows are objects with
 * null for NULL; CSV has a header row and \N for NULL.
 *
 * Ownership: every pointer in export_opts is borrowed for the call. */
#ifndef MRB_EXPORT_H
#define MRB_EXPORT_H

#include <stdint.h>
#include "mrb/err.h"

typedef struct sqlite3 sqlite3;

enum export_format { EXPORT_JSONL, EXPORT_CSV };

typedef struct export_opts {
    const char *out;            /* the folder (created when missing) */
    enum export_format format;
    int gzip;                   /* gzip every file (.gz) */
    int has_since, has_until;   /* whole UTC days: since floors, until ceils */
    int64_t since_ms, until_ms;
    const char *run;            /* only rows of this --run label, or NULL */
    const char *location;       /* the S3 (or other) URL the DDL names, or NULL */
    long long rows_per_file;    /* a partition's next file after so many rows (> 0) */
} export_opts;

typedef struct export_totals {
    long long rows;             /* rows written */
    long long files;            /* files written */
    long long bytes;            /* bytes written (compressed when gzip) */
    long long partitions;       /* partitions written (replaced or new) */
    int tables;                 /* tables exported */
} export_totals;

/* Exports the database db (opened by db_connect: function_prices uses its
 * price functions; prices is db_conn.prices, NULL for the shipped table) to
 * o->out. 0, or -1 with err (a table that
 * cannot be read, a file that cannot be written: the partitions completed
 * before stay, the one being written keeps its old files). */
struct price_table;
int export_run(sqlite3 *db, const struct price_table *prices, const export_opts *o,
               export_totals *t, mrb_err *err);

#endif
