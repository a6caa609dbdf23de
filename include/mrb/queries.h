/* queries.h — the named queries: built into the binary, or from a folder.
 *
 * Every table a report prints and every canned question comes from one
 * query, NAME, whose text's first line is a comment saying what it
 * answers. The binary carries queries/NAME.sql of its source tree (built
 * in at build time, so it works from any folder and wherever it is
 * installed). A folder named with --queries DIR or $MRB_QUERIES adds
 * queries and overrides built-in ones by name; nothing is read from the
 * working directory unless named so. Queries read the view `sel` (the
 * invocations selected; all of them unless a command narrows it), `msel`
 * (the EMF metric values of the same selection) and `ssel` / `vsel`
 * (DynamoDB stream records and their violations), so one query serves
 * `query` and `report` alike. */
#ifndef MRB_QUERIES_H
#define MRB_QUERIES_H

#include <stddef.h>

#include "mrb/err.h"
#include "mrb/sb.h"

struct price_table;

typedef struct sqlite3 sqlite3;

/* Sets the folder that adds and overrides queries (NULL or "": the
 * built-in ones only). dir is borrowed: it must outlive every read (argv
 * and getenv strings do). The process starts with none; main sets
 * $MRB_QUERIES, then --queries. */
void queries_set_dir(const char *dir);

/* The folder set by queries_set_dir, or NULL. */
const char *queries_dir(void);

/* 0 when no folder is set or it is a folder that can be read; -1 with err
 * otherwise (a folder named explicitly is never silently ignored). */
int queries_check_dir(mrb_err *err);

/* 1 when name is [a-z0-9_-]+ (a query name never leaves its folder). */
int queries_valid_name(const char *name);

/* Appends query NAME to out: DIR/NAME.sql when the folder has it, else the
 * built-in one. -1 with err when neither exists or the file cannot be read. */
int queries_read(const char *name, sb *out, mrb_err *err);

/* One query of queries_list. */
typedef struct queries_item {
    char *name;     /* owned */
    char *path;     /* owned: the folder's file, NULL when the query is built in */
    int builtin;    /* the binary carries a query of this name (overridden when path is set) */
} queries_item;

/* Every query, built-in and from the folder, in name order (one item per
 * name). Fills *items (owned by the caller: queries_list_free) and *n; 0,
 * or -1 with err when the folder cannot be read. */
int queries_list(queries_item **items, size_t *n, mrb_err *err);
void queries_list_free(queries_item *items, size_t n);

/* Creates the temporary view sel over invocations, narrowed by where (an
 * SQL condition built by the caller from checked values, or NULL); the view
 * msel over metric_values narrowed by the same condition (its columns ts_ms
 * and run mean what they mean in invocations) and mesel over the
 * metric_events rows behind msel (for metric_stats.h's one pass); the
 * view e2e_requests (every API Gateway request with its runtime, status,
 * latencies and cost end to end, for compare and the trend); the
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
