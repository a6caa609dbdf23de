/* cmd_query.c — `mrb-analyze query NAME`: the canned questions in queries/. */
#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/cmd.h"
#include "mrb/db.h"
#include "mrb/msg.h"
#include "mrb/opt.h"
#include "mrb/out.h"
#include "mrb/queries.h"
#include "mrb/sb.h"

#define MAX_PARAMS 16

enum { O_PARAM, O_LIST, O_TABLE, O_CSV, O_JSON, O_MARKDOWN, O_DB, O_PRICING, O_HELP };

static const opt_spec options[] = {
    [O_PARAM] = {"param", 'p', "NAME=VALUE", "bind :NAME in the query (repeatable)"},
    [O_LIST] = {"list", 'l', NULL, "list the queries with what each answers"},
    [O_TABLE] = {"table", 0, NULL, "aligned columns (the default)"},
    [O_CSV] = {"csv", 0, NULL, "CSV (RFC 4180) with a header row"},
    [O_JSON] = {"json", 0, NULL, "a JSON array of objects"},
    [O_MARKDOWN] = {"markdown", 0, NULL, "a Markdown table, every cell escaped"},
    [O_DB] = {"db", 0, "FILE", "the database (default: $MRB_DB, else ./mrb.db)"},
    [O_PRICING] = {"pricing", 0, "FILE", "prices for cost_usd() (JSON; see the man page)"},
    [O_HELP] = {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

typedef struct params {
    const char *name[MAX_PARAMS], *value[MAX_PARAMS];
    size_t name_len[MAX_PARAMS];
    int n;
} params;

static void help(void)
{
    printf("usage: mrb-analyze [--db FILE] query [--param NAME=VALUE]... [--csv|--json|--markdown] "
           "NAME\n       mrb-analyze query --list\n\n"
           "Runs queries/NAME.sql on the database. Queries are looked up in $MRB_QUERIES,\n"
           "then ./queries, then the installed copy. They read the view sel (here: every\n"
           "invocation).\n\noptions:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 ok; 2 usage (unknown query, missing --param); 3 database; 5 the SQL "
           "failed\n");
}

/* Reads queries/NAME.sql; a message (usage) when absent. */
static int read_query(const char *dir, const char *name, sb *out)
{
    mrb_err err;

    (void)dir;
    mrb_err_clear(&err);
    if (queries_read(name, out, &err) < 0) {
        msg_usage("query", "no query '%s' in %s (see 'mrb-analyze query --list')", name,
                  queries_dir());
        return -1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints "name  first comment line" for every query, sorted. */
static int list(void)
{
    const char *dir = queries_dir();
    DIR *d = opendir(dir);
    char *names[512];
    int n = 0;
    struct dirent *de;

    if (!d) {
        msg_error("cannot open the queries folder '%s': %s", dir, strerror(errno));
        return MRB_EXIT_INPUT;
    }
    while ((de = readdir(d)) && n < 512) {
        size_t len = strlen(de->d_name);
        if (len > 4 && !strcmp(de->d_name + len - 4, ".sql"))
            names[n++] = strndup(de->d_name, len - 4);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    for (int i = 0; i < n; i++) {
        sb q = SB_INIT;
        char what[200] = "";
        if (read_query(dir, names[i], &q) == 0 && !strncmp(q.buf ? q.buf : "", "-- ", 3))
            sscanf(q.buf + 3, "%199[^\n]", what);
        printf("%-22s %s\n", names[i], what);
        sb_release(&q);
        free(names[i]);
    }
    return MRB_EXIT_OK;
}

/* Binds :NAME / @NAME / $NAME parameters from --param; numbers as numbers. */
static int bind_params(sqlite3_stmt *st, void *arg)
{
    const params *p = arg;

    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *name = sqlite3_bind_parameter_name(st, i);
        int k = -1;
        for (int j = 0; name && j < p->n; j++)
            if (strlen(name + 1) == p->name_len[j] && !strncmp(name + 1, p->name[j], p->name_len[j]))
                k = j;
        if (k < 0) {
            msg_usage("query", "this query needs --param %s=VALUE", name ? name + 1 : "?");
            return -1;
        }
        char *end;
        long long iv = strtoll(p->value[k], &end, 10);
        if (*p->value[k] && !*end) {
            sqlite3_bind_int64(st, i, iv);
            continue;
        }
        double dv = strtod(p->value[k], &end);
        if (*p->value[k] && !*end)
            sqlite3_bind_double(st, i, dv);
        else
            sqlite3_bind_text(st, i, p->value[k], -1, SQLITE_STATIC);
    }
    return 0;
}

static int add_param(params *p, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv)
        return msg_usage("query", "--param wants NAME=VALUE, not '%s'", kv);
    if (p->n == MAX_PARAMS)
        return msg_usage("query", "at most %d --param", MAX_PARAMS);
    p->name[p->n] = kv;
    p->name_len[p->n] = (size_t)(eq - kv);
    p->value[p->n++] = eq + 1;
    return 0;
}

int cmd_query(mrb_ctx *ctx, int argc, char **argv)
{
    opt_state st;
    enum out_mode mode = OUT_TABLE;
    const char *name = NULL, *pricing = NULL;
    params p = {{0}, {0}, {0}, 0};
    int k;
    mrb_err err;

    opt_init(&st, argc, argv);
    while ((k = opt_next(&st, options, "query")) != OPT_END) {
        switch (k) {
        case OPT_ERROR: return MRB_EXIT_USAGE;
        case OPT_OPERAND:
            if (name)
                return msg_usage("query", "one query NAME at a time");
            name = st.operand;
            break;
        case O_PARAM:
            if (add_param(&p, st.value) != 0)
                return MRB_EXIT_USAGE;
            break;
        case O_LIST: return list();
        case O_TABLE: mode = OUT_TABLE; break;
        case O_CSV: mode = OUT_CSV; break;
        case O_JSON: mode = OUT_JSON; break;
        case O_MARKDOWN: mode = OUT_MARKDOWN; break;
        case O_DB: ctx->db_path = st.value; break;
        case O_PRICING: pricing = st.value; break;
        case O_HELP: help(); return MRB_EXIT_OK;
        }
    }
    if (!name)
        return msg_usage("query", "no query NAME given");
    if (!queries_valid_name(name))
        return msg_usage("query", "a query NAME is lowercase letters, digits, '-' and '_'");
    sb sql = SB_INIT;
    if (read_query(queries_dir(), name, &sql) < 0)
        return MRB_EXIT_USAGE;
    mrb_err_clear(&err);
    db_conn c;
    int code = db_connect(&c, ctx->db_path, 0, pricing, &err);
    if (code == 0 && queries_select(c.db, c.prices, NULL, NULL, NULL, &err) < 0)
        code = MRB_EXIT_DATABASE;
    if (code)
        msg_err(&err);
    else
        code = cmd_run_sql(c.db, sb_str(&sql), mode, bind_params, &p);
    db_disconnect(&c);
    sb_release(&sql);
    return code;
}
