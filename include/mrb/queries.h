/* queries.h — the named SQL files in queries/.
 *
 * Every table a report prints and every canned question comes from one
 * file, queries/NAME.sql, whose first line is a comment saying what it
 * answers. Queries read the view `sel` (the invocations selected; all of
 * them unless a command narrows it), `msel` (the EMF metric values of the
 * same selection) and `ssel` / `vsel` (DynamoDB stream records and their
 * violations), so one file serves `query` and `report` alike. */
#ifndef MRB_QUERIES_H
#define MRB_QUERIES_H

#include "mrb/err.h"
#include "mrb/sb.h"

struct price_table;

typedef struct sqlite3 sqlite3;

/* The folder: $MRB_QUERIES, else ./queries when it exists, else the
 * installed copy. */
const char *queries_dir(void);

/* 1 when name is [a-z0-9_-]+ (a query name never leaves its folder). */
int queries_valid_name(const char *name);

/* Appends queries/NAME.sql to out. -1 with err when it cannot be read. */
int queries_read(const char *name, sb *out, mrb_err *err);

/* Creates the temporary view sel over invocations, narrowed by where (an
 * SQL condition built by the caller from checked values, or NULL); the view
 * msel over metric_values narrowed by the same condition (its columns ts_ms
 * and run mean what they mean in invocations); the
 * one-row temporary table opts(arch, region) with the --arch and --region
 * options (NULL when not given); and the temporary table fprice(function,
 * arch, arch_from, region, region_from) the cost queries price each
 * function's invocations with: the option's architecture, else its map
 * file's, else x86_64; the region its runtime ARN names, else the option's,
 * else its map file's, else us-east-1. Registers fcost_usd(function,
 * memory_mb, billed_ms) with those prices from `prices` (NULL: the shipped
 * table; see cost.h). Also the views ssel (the DynamoDB stream records of
 * the same selection, their approx_ts_ms read as ts_ms) and vsel (their
 * conformance violations, with each record's runtime, event_id, event_name,
 * table_name, keys and approx_ts_ms). */
int queries_select(sqlite3 *db, const struct price_table *prices, const char *where,
                   const char *arch, const char *region, mrb_err *err);

#endif
