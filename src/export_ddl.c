/* export_ddl.c — the exported tables as engine DDL: OUT/ddl/athena.sql
 * (Hive DDL, CREATE EXTERNAL TABLE ... PARTITIONED BY), trino.sql (the
 * Hive connector's CREATE TABLE ... WITH) and clickhouse.sql (MergeTree). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "export_priv.h"
#include "mrb/xalloc.h"

enum engine { ATHENA, TRINO, CLICKHOUSE };

static const char *col_type(enum engine e, const export_opts *o, const export_col *c)
{
    static const char *const types[3][3] = {
        {"bigint", "double", "string"},
        {"bigint", "double", "varchar"},
        {"Int64", "Float64", "String"},
    };
    int k = c->type == 'i' ? 0 : c->type == 'r' ? 1 : 2;

    if (e == TRINO && o->format == EXPORT_CSV)
        return "varchar"; /* the Hive connector reads CSV as varchar only */
    return types[e][k];
}

static void quoted(sb *s, enum engine e, const char *name)
{
    sb_addf(s, e == TRINO ? "\"%s\"" : "`%s`", name);
}

static const char *location(const export_opts *o)
{
    return o->location ? o->location : "s3://BUCKET/PREFIX";
}

/* The columns of t, without runtime when it is a partition (Athena). */
static void columns(sb *s, enum engine e, const export_opts *o, const export_table *t, int partitioned)
{
    int n = t->ncols - (partitioned && t->has_runtime && e != CLICKHOUSE);

    for (int i = 0; i < n; i++) {
        const export_col *c = &t->cols[i];
        sb_adds(s, i ? ",\n  " : "  ");
        quoted(s, e, c->name);
        if (e == CLICKHOUSE && !c->notnull)
            sb_addf(s, " Nullable(%s)", col_type(e, o, c));
        else
            sb_addf(s, " %s", col_type(e, o, c));
    }
}

static void athena(sb *s, const export_opts *o, const export_table *t)
{
    int part = t->time_col != NULL;

    sb_addf(s, "CREATE EXTERNAL TABLE IF NOT EXISTS `mrb`.`%s` (\n", t->name);
    columns(s, ATHENA, o, t, part);
    sb_adds(s, "\n)\n");
    if (part)
        sb_adds(s, "PARTITIONED BY (`day` string, `runtime` string)\n");
    if (o->format == EXPORT_CSV)
        sb_adds(s, "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\n");
    else
        sb_adds(s, "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n");
    sb_addf(s, "LOCATION '%s/%s/'", location(o), t->name);
    if (o->format == EXPORT_CSV)
        sb_adds(s, "\nTBLPROPERTIES ('skip.header.line.count' = '1')");
    sb_adds(s, ";\n");
    if (part)
        sb_addf(s, "MSCK REPAIR TABLE `mrb`.`%s`;\n", t->name);
    sb_addc(s, '\n');
}

static void trino(sb *s, const export_opts *o, const export_table *t)
{
    int part = t->time_col != NULL;

    sb_addf(s, "CREATE TABLE IF NOT EXISTS mrb.\"%s\" (\n", t->name);
    columns(s, TRINO, o, t, part);
    if (part)
        sb_adds(s, ",\n  \"day\" varchar,\n  \"runtime\" varchar");
    sb_addf(s, "\n) WITH (\n  external_location = '%s/%s/',\n  format = '%s'", location(o),
            t->name, o->format == EXPORT_CSV ? "CSV" : "JSON");
    if (o->format == EXPORT_CSV)
        sb_adds(s, ",\n  skip_header_line_count = 1");
    if (part)
        sb_adds(s, ",\n  partitioned_by = ARRAY['day', 'runtime']");
    sb_adds(s, "\n);\n");
    if (part)
        sb_addf(s, "CALL system.sync_partition_metadata('mrb', '%s', 'FULL');\n", t->name);
    sb_addc(s, '\n');
}

static void clickhouse(sb *s, const export_opts *o, const export_table *t)
{
    int key = t->has_runtime && t->cols[t->ncols - 1].notnull;

    sb_addf(s, "CREATE TABLE IF NOT EXISTS mrb.`%s` (\n", t->name);
    columns(s, CLICKHOUSE, o, t, 0);
    sb_addf(s, "\n) ENGINE = MergeTree() ORDER BY %s;\n\n", key ? "(`runtime`)" : "tuple()");
}

static int write_file(const char *dir, const char *name, const sb *s, mrb_err *err)
{
    char *path = xmalloc(strlen(dir) + strlen(name) + 2);
    FILE *f;
    int rc = 0;

    sprintf(path, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f || fwrite(s->buf, 1, s->len, f) != s->len)
        rc = mrb_err_set(err, 0, -1, "cannot write '%s': %s", path, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = mrb_err_set(err, 0, -1, "cannot write '%s': %s", path, strerror(errno));
    free(path);
    return rc;
}

int export_ddl(const export_opts *o, const export_table *t, int n, mrb_err *err)
{
    static const char *const head[3] = {
        "-- Athena (Hive DDL) for an mrb-analyze export: replace the LOCATION prefix (or\n"
        "-- export with --location s3://BUCKET/PREFIX), upload the folder there, run this.\n"
        "CREATE DATABASE IF NOT EXISTS `mrb`;\n\n",
        "-- Trino, Hive connector, for an mrb-analyze export: run in the catalog that reads\n"
        "-- the bucket (USE hive.mrb).\n"
        "CREATE SCHEMA IF NOT EXISTS mrb;\n\n",
        "-- ClickHouse for an mrb-analyze export; load each part file with\n"
        "--   zcat FILE | clickhouse-client --query 'INSERT INTO mrb.TABLE FORMAT JSONEachRow'\n"
        "-- (CSV: FORMAT CSVWithNames).\n"
        "CREATE DATABASE IF NOT EXISTS mrb;\n\n",
    };
    static const char *const names[3] = {"athena.sql", "trino.sql", "clickhouse.sql"};
    char *dir = xmalloc(strlen(o->out) + 8);
    int rc = 0;

    sprintf(dir, "%s/ddl", o->out);
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        rc = mrb_err_set(err, 0, -1, "cannot create '%s': %s", dir, strerror(errno));
    for (int e = ATHENA; e <= CLICKHOUSE && rc == 0; e++) {
        sb s;
        sb_init(&s);
        sb_adds(&s, head[e]);
        for (int i = 0; i < n; i++)
            (e == ATHENA ? athena : e == TRINO ? trino : clickhouse)(&s, o, &t[i]);
        rc = write_file(dir, names[e], &s, err);
        sb_release(&s);
    }
    free(dir);
    return rc;
}
