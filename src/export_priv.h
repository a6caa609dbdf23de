/* export_priv.h — what the export modules share (export.h is the public
 * interface): the tables to export, the partition writers, the manifest
 * and the engine DDL. */
#ifndef MRB_EXPORT_PRIV_H
#define MRB_EXPORT_PRIV_H

#include <stdint.h>
#include <stdio.h>

#include "mrb/err.h"
#include "mrb/export.h"
#include "mrb/sb.h"

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

/* A column: its name and type as the engines see it. */
typedef struct export_col {
    char *name;                 /* owned */
    char type;                  /* 'i' integer, 'r' real, 't' text */
    int notnull;                /* declared NOT NULL (never NULL in any row) */
} export_col;

/* A table (or view) to export, its columns with runtime last. */
typedef struct export_table {
    char *name;                 /* owned: the name in the database and in OUT */
    char *from;                 /* owned: what to SELECT from (name, or a temp table) */
    char *time_col;             /* owned: the column giving the day, NULL: not partitioned */
    int has_runtime;            /* the last column is runtime */
    int has_run;                /* has a run column (--run filters it) */
    export_col *cols;           /* owned */
    int ncols;
} export_table;

/* The tables of db to export: the normalised tables (invocations,
 * environments, functions, function_prices, metric_values, stream_records)
 * and any other table not internal to the store (API Gateway, X-Ray,
 * metrics tables of later versions), partitioned by day when it has a ts_ms
 * column. function_prices is made here as temp.export_function_prices
 * (needs temp.fprice, queries_select). *out owned: export_tables_free. */
int export_tables(sqlite3 *db, export_table **out, int *n, mrb_err *err);
void export_tables_free(export_table *t, int n);

/* One file written, as the manifest lists it. */
typedef struct export_file {
    char *path;                 /* owned: relative to OUT */
    char *table;                /* owned */
    char *day, *runtime;        /* owned: partition values, NULL when not partitioned */
    long long rows, bytes;
    unsigned long crc32;        /* of the file's bytes as stored */
} export_file;

typedef struct export_files {
    export_file *v;
    size_t n, cap;
} export_files;

void export_files_add(export_files *f, const char *path, const char *table, const char *day,
                      const char *runtime, long long rows, long long bytes, unsigned long crc);
void export_files_free(export_files *f);

/* The partition writers of one table and one day: one per runtime. */
typedef struct export_writer export_writer;

typedef struct export_sink {
    const export_opts *o;
    const export_table *t;
    export_files *written;      /* files written by this export */
    sb rewritten;               /* partition folders replaced, each followed by '\n' */
    export_writer *w;           /* the open writers */
    int nw, capw;
    char day[16];               /* the day of the open writers ("" for none) */
    export_totals *tot;
} export_sink;

/* Adds the current row of st (columns in t->cols order) to the partition
 * (day, runtime) of s, opening it (its old files stay until it completes)
 * when new. day is "" for an unpartitioned table. 0, or -1 with err. */
int export_sink_row(export_sink *s, const char *day, const char *runtime, sqlite3_stmt *st,
                    mrb_err *err);

/* Completes every open partition of s: its new files replace its old ones. */
int export_sink_flush(export_sink *s, mrb_err *err);
void export_sink_release(export_sink *s);

/* mkdir -p path: 0, or -1 with errno. */
int export_make_dirs(const char *path);

/* Appends the row's value of column i as JSON / CSV to out. */
void export_json_row(sb *out, const export_table *t, sqlite3_stmt *st);
void export_csv_row(sb *out, const export_table *t, sqlite3_stmt *st);
void export_csv_header(sb *out, const export_table *t);

/* Hive's escaping of a partition value for a folder name: bytes other than
 * letters, digits, '-', '_' and '.' (and a leading '.') as %XX. */
void export_partition_value(sb *out, const char *v);

/* Writes OUT/manifest.json: the files of the old manifest whose partition
 * was not rewritten, then those written now, in path order. */
int export_manifest(const export_opts *o, const export_files *written, const char *rewritten,
                    mrb_err *err);

/* Writes OUT/ddl/athena.sql, trino.sql and clickhouse.sql for tables. */
int export_ddl(const export_opts *o, const export_table *t, int n, mrb_err *err);

#endif
