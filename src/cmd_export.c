/* cmd_export.c — `mrb-analyze export OUT/`: the normalised tables as
 * Hive-partitioned JSON Lines or CSV files for an analytics engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/cmd.h"
#include "mrb/db.h"
#include "mrb/export.h"
#include "mrb/msg.h"
#include "mrb/opt.h"
#include "mrb/timeparse.h"

enum { O_FORMAT, O_GZIP, O_SINCE, O_UNTIL, O_RUN, O_LOCATION, O_ROWS, O_DB, O_PRICING, O_HELP };

static const opt_spec options[] = {
    [O_FORMAT] = {"format", 0, "FMT", "jsonl (JSON Lines, the default) or csv"},
    [O_GZIP] = {"gzip", 'z', NULL, "gzip every file (.jsonl.gz, .csv.gz)"},
    [O_SINCE] = {"since", 0, "TIME", "from the UTC day of TIME (YYYY-MM-DD or ISO 8601)"},
    [O_UNTIL] = {"until", 0, "TIME", "up to TIME, to the end of its UTC day when not 00:00"},
    [O_RUN] = {"run", 0, "LABEL", "only rows ingested with --run LABEL"},
    [O_LOCATION] = {"location", 0, "URL", "where the DDL says the files are (default s3://BUCKET/PREFIX)"},
    [O_ROWS] = {"rows-per-file", 0, "N", "a partition's next part file after N rows (default 1000000)"},
    [O_DB] = {"db", 0, "FILE", "the database (default: $MRB_DB, else ./mrb.db)"},
    [O_PRICING] = {"pricing", 0, "FILE", "prices for function_prices (JSON; see the man page)"},
    [O_HELP] = {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

static void help(void)
{
    printf("usage: mrb-analyze [--db FILE] export [--format jsonl|csv] [--gzip]\n"
           "                   [--since T] [--until T] [--run LABEL] OUT/\n\n"
           "Writes invocations, environments, functions, function_prices, metric_values,\n"
           "stream_records (and any later table with rows of its own) as Hive-partitioned\n"
           "files OUT/TABLE/day=YYYY-MM-DD/runtime=R/part-NNNNN.jsonl[.gz] for Athena,\n"
           "Trino, ClickHouse or BigQuery, with OUT/manifest.json (rows, bytes and CRC-32 of\n"
           "every file) and OUT/ddl/{athena,trino,clickhouse}.sql. Partitions are whole\n"
           "UTC days: exporting a range again replaces its partitions. docs/engines.md has\n"
           "the report's questions in Trino and ClickHouse SQL.\n\noptions:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 ok; 2 usage; 3 database; 4 OUT cannot be written\n");
}

/* TIME as epoch ms: a day, or an ISO 8601 UTC time. */
static int parse_time(const char *name, const char *given, int64_t *ms)
{
    char buf[40];
    const char *v = given;

    if (strlen(given) == 10) {
        snprintf(buf, sizeof buf, "%sT00:00:00Z", given);
        v = buf;
    }
    if (time_parse_iso(v, strlen(v), ms) != strlen(v))
        return msg_usage("export", "--%s wants YYYY-MM-DD or an ISO 8601 UTC time, not '%s'",
                         name, given);
    return 0;
}

static int64_t floor_day(int64_t ms)
{
    int64_t d = 86400000LL;
    return (ms >= 0 ? ms / d : (ms - d + 1) / d) * d;
}

static int parse(export_opts *o, const char **pricing, mrb_ctx *ctx, int argc, char **argv)
{
    opt_state st;
    int k;

    opt_init(&st, argc, argv);
    while ((k = opt_next(&st, options, "export")) != OPT_END) {
        switch (k) {
        case OPT_ERROR: return MRB_EXIT_USAGE;
        case OPT_OPERAND:
            if (o->out)
                return msg_usage("export", "give one OUT folder");
            o->out = st.operand;
            break;
        case O_FORMAT:
            if (strcmp(st.value, "jsonl") && strcmp(st.value, "csv"))
                return msg_usage("export", "--format wants jsonl or csv, not '%s'", st.value);
            o->format = strcmp(st.value, "csv") ? EXPORT_JSONL : EXPORT_CSV;
            break;
        case O_GZIP: o->gzip = 1; break;
        case O_SINCE:
            if (parse_time("since", st.value, &o->since_ms))
                return MRB_EXIT_USAGE;
            o->since_ms = floor_day(o->since_ms);
            o->has_since = 1;
            break;
        case O_UNTIL:
            if (parse_time("until", st.value, &o->until_ms))
                return MRB_EXIT_USAGE;
            if (floor_day(o->until_ms) != o->until_ms)
                o->until_ms = floor_day(o->until_ms) + 86400000LL;
            o->has_until = 1;
            break;
        case O_RUN: o->run = st.value; break;
        case O_LOCATION: o->location = st.value; break;
        case O_ROWS: {
            char *end;
            o->rows_per_file = strtoll(st.value, &end, 10);
            if (*end || o->rows_per_file <= 0)
                return msg_usage("export", "--rows-per-file wants a positive number, not '%s'",
                                 st.value);
            break;
        }
        case O_DB: ctx->db_path = st.value; break;
        case O_PRICING: *pricing = st.value; break;
        case O_HELP: help(); return -1;
        }
    }
    if (!o->out)
        return msg_usage("export", "no OUT folder given");
    if (o->location && (strchr(o->location, '\'') || strchr(o->location, '\n')))
        return msg_usage("export", "--location cannot hold a quote or a line break");
    return 0;
}

int cmd_export(mrb_ctx *ctx, int argc, char **argv)
{
    export_opts o = {.rows_per_file = 1000000};
    export_totals t;
    const char *pricing = NULL;
    db_conn c;
    mrb_err err;
    int code = parse(&o, &pricing, ctx, argc, argv);

    if (code)
        return code < 0 ? MRB_EXIT_OK : code;
    mrb_err_clear(&err);
    code = db_connect(&c, ctx->db_path, 0, pricing, &err);
    if (code) {
        msg_err(&err);
    } else if (export_run(c.db, c.prices, &o, &t, &err) < 0) {
        msg_err(&err);
        code = MRB_EXIT_INPUT;
    } else {
        msg_info("exported %lld rows of %d tables: %lld files in %lld partitions, %lld bytes, to %s",
                 t.rows, t.tables, t.files, t.partitions, t.bytes, o.out);
    }
    db_disconnect(&c);
    return code;
}
