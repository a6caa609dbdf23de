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

/* Each engine's CREATE statement as data, read top to bottom like what it
 * writes: a step's text is written when its condition holds, with the
 * table's name, or the location and the name, put in. */
enum when { ALWAYS, PART, CSV, JSON, KEY, NO_KEY };
enum args { NO_ARGS, NAME, LOCATION_NAME, COLUMNS, LAST };

typedef struct step {
    enum when when;
    enum args args;
    const char *text;
} step;

#define END {ALWAYS, LAST, NULL}

static const step athena[] = {
    {ALWAYS, NAME, "CREATE EXTERNAL TABLE IF NOT EXISTS `mrb`.`%s` (\n"},
    {ALWAYS, COLUMNS, NULL},
    {ALWAYS, NO_ARGS, "\n)\n"},
    {PART, NO_ARGS, "PARTITIONED BY (`day` string, `runtime` string)\n"},
    {CSV, NO_ARGS, "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde'\n"},
    {JSON, NO_ARGS, "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"},
    {ALWAYS, LOCATION_NAME, "LOCATION '%s/%s/'"},
    {CSV, NO_ARGS, "\nTBLPROPERTIES ('skip.header.line.count' = '1')"},
    {ALWAYS, NO_ARGS, ";\n"},
    {PART, NAME, "MSCK REPAIR TABLE `mrb`.`%s`;\n"},
    {ALWAYS, NO_ARGS, "\n"},
    END,
};

static const step trino[] = {
    {ALWAYS, NAME, "CREATE TABLE IF NOT EXISTS mrb.\"%s\" (\n"},
    {ALWAYS, COLUMNS, NULL},
    {PART, NO_ARGS, ",\n  \"day\" varchar,\n  \"runtime\" varchar"},
    {ALWAYS, LOCATION_NAME, "\n) WITH (\n  external_location = '%s/%s/',\n  format = "},
    {CSV, NO_ARGS, "'CSV',\n  skip_header_line_count = 1"},
    {JSON, NO_ARGS, "'JSON'"},
    {PART, NO_ARGS, ",\n  partitioned_by = ARRAY['day', 'runtime']"},
    {ALWAYS, NO_ARGS, "\n);\n"},
    {PART, NAME, "CALL system.sync_partition_metadata('mrb', '%s', 'FULL');\n"},
    {ALWAYS, NO_ARGS, "\n"},
    END,
};

static const step clickhouse[] = {
    {ALWAYS, NAME, "CREATE TABLE IF NOT EXISTS mrb.`%s` (\n"},
    {ALWAYS, COLUMNS, NULL},
    {KEY, NO_ARGS, "\n) ENGINE = MergeTree() ORDER BY (`runtime`);\n\n"},
    {NO_KEY, NO_ARGS, "\n) ENGINE = MergeTree() ORDER BY tuple();\n\n"},
    END,
};

static const step *const steps[] = {[ATHENA] = athena, [TRINO] = trino, [CLICKHOUSE] = clickhouse};

/* Table t's statements for engine e. Partitioned: Athena and Trino, a table
 * with a time column; keyed by runtime: ClickHouse, a table whose last
 * column is a runtime never NULL. */
static void create(sb *s, enum engine e, const export_opts *o, const export_table *t)
{
    int part = e != CLICKHOUSE && t->time_col != NULL;
    int key = e == CLICKHOUSE && t->has_runtime && t->cols[t->ncols - 1].notnull;
    int csv = o->format == EXPORT_CSV;
    unsigned holds = 1u << ALWAYS | (unsigned)part << PART | (unsigned)csv << CSV |
                     (unsigned)!csv << JSON | (unsigned)key << KEY | (unsigned)!key << NO_KEY;

    for (const step *p = steps[e]; p->args != LAST; p++) {
        if (!(holds & 1u << p->when))
            continue;
        if (p->args == COLUMNS)
            columns(s, e, o, t, part);
        else if (p->args == NAME)
            sb_addf(s, p->text, t->name);
        else if (p->args == LOCATION_NAME)
            sb_addf(s, p->text, location(o), t->name);
        else
            sb_adds(s, p->text);
    }
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
            create(&s, (enum engine)e, o, &t[i]);
        rc = write_file(dir, names[e], &s, err);
        sb_release(&s);
    }
    free(dir);
    return rc;
}
