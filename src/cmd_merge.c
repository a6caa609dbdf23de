/* cmd_merge.c — `mrb-analyze merge OUT.db SHARD.db...`: databases made by
 * separate ingests (machines, export prefixes) into one, by natural keys. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mrb/cmd.h"
#include "mrb/merge.h"
#include "mrb/msg.h"
#include "mrb/opt.h"
#include "mrb/store.h"

enum { O_QUIET, O_HELP };

static const opt_spec options[] = {
    [O_QUIET] = {"quiet", 'q', NULL, "no summary; errors only"},
    [O_HELP] = {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

static void help(void)
{
    printf("usage: mrb-analyze merge [-q] OUT.db SHARD.db...\n\n"
           "Adds every shard (a database written by another ingest: another machine,\n"
           "another export prefix) to OUT.db, created when missing. Rows are matched by\n"
           "their natural keys, never by row id: what two shards both hold is stored once,\n"
           "the stronger function provenance wins as in ingest, prices and run labels come\n"
           "along, and so do API Gateway requests, X-Ray traces and segments and CloudWatch\n"
           "metric values. Merging is commutative and idempotent: A+B and B+A give the same rows,\n"
           "and merging a shard again adds nothing. A shard of an older schema version is\n"
           "migrated forward (as every command does); a newer one is refused.\n\noptions:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 ok; 2 usage; 3 a database could not be opened, migrated or merged\n"
           "(the shards merged before it stay merged)\n");
}

/* 1 when a and b name the same file. */
static int same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];

    return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

static int merge_all(const char *out_path, char **shards, int n, int quiet)
{
    mrb_err err;
    merge_totals t = {0};
    store *out;
    int code = MRB_EXIT_OK;

    mrb_err_clear(&err);
    out = store_open(out_path, &err);
    if (!out) {
        msg_err(&err);
        return MRB_EXIT_DATABASE;
    }
    for (int i = 0; i < n && code == MRB_EXIT_OK; i++) {
        mrb_err_clear(&err);
        if (access(shards[i], R_OK) != 0) {
            msg_error("%s: cannot read the shard", shards[i]);
            code = MRB_EXIT_DATABASE;
        } else if (same_file(shards[i], out_path)) {
            msg_error("%s: is the output database", shards[i]);
            code = MRB_EXIT_USAGE;
        } else if (merge_shard(out, shards[i], &t, &err) < 0) {
            if (!err.source[0])
                mrb_err_source(&err, shards[i]);
            msg_err(&err);
            code = MRB_EXIT_DATABASE;
        }
    }
    mrb_err_clear(&err);
    if (merge_finish(out, &err) < 0) {
        msg_err(&err);
        code = MRB_EXIT_DATABASE;
    }
    store_close(out);
    if (!quiet)
        msg_info("merged %d shard(s) into %s: %lld files, %lld invocations new, %lld relabelled, "
                 "%lld EMF events, %lld stream records, %lld prices, %lld API Gateway "
                 "requests, %lld X-Ray traces, %lld X-Ray segments, %lld CloudWatch metric values",
                 n, out_path, t.files_new, t.invocations_new, t.invocations_relabelled,
                 t.events_new, t.records_new, t.prices_new, t.apigw_new, t.traces_new,
                 t.segments_new, t.metric_values_new);
    return code;
}

int cmd_merge(mrb_ctx *ctx, int argc, char **argv)
{
    opt_state st;
    char **ops = calloc((size_t)argc, sizeof *ops);
    int k, n = 0, quiet = 0, code;

    (void)ctx;
    if (!ops)
        return MRB_EXIT_DATABASE;
    opt_init(&st, argc, argv);
    while ((k = opt_next(&st, options, "merge")) != OPT_END) {
        if (k == OPT_ERROR) {
            free(ops);
            return MRB_EXIT_USAGE;
        }
        if (k == O_HELP) {
            help();
            free(ops);
            return MRB_EXIT_OK;
        }
        if (k == O_QUIET)
            quiet = 1;
        if (k == OPT_OPERAND)
            ops[n++] = (char *)st.operand;
    }
    if (n < 2)
        code = msg_usage("merge", "give OUT.db and at least one SHARD.db");
    else
        code = merge_all(ops[0], ops + 1, n - 1, quiet);
    free(ops);
    return code;
}
