/* cmd_query.c — `mrb-analyze query NAME`: the named queries (built in, or from --queries DIR). */
#include <sqlite3.h>
#include <errno.h>
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

enum { O_PARAM, O_LIST, O_TABLE, O_CSV, O_JSON, O_MARKDOWN, O_DB, O_PRICING, O_QUERIES, O_HELP };
_Static_assert(O_CSV == O_TABLE + OUT_CSV && O_JSON == O_TABLE + OUT_JSON && O_MARKDOWN == O_TABLE + OUT_MARKDOWN,
               "the output options in the order of enum out_mode");

static const opt_spec options[] = {
    [O_PARAM] = {"param", 'p', "NAME=VALUE", "bind :NAME in the query (repeatable)"},
    [O_LIST] = {"list", 'l', NULL, "list the queries with what each answers"},
    CMD_OUT_OPTIONS(O_TABLE),
    [O_DB] = {"db", 0, "FILE", "the database (default: $MRB_DB, else ./mrb.db)"},
    [O_PRICING] = {"pricing", 0, "FILE", "prices for cost_usd() (JSON; see the man page)"},
    [O_QUERIES] = {"queries", 0, "DIR", "DIR/NAME.sql add or override queries (default: $MRB_QUERIES)"},
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
           "NAME\n       mrb-analyze query [--queries DIR] --list\n\n"
           "Runs the named query NAME on the database. The queries are built into the\n"
           "binary; a folder named by --queries DIR (or $MRB_QUERIES) adds more and\n"
           "overrides built-in ones by name (DIR/NAME.sql). They read the view sel\n"
           "(here: every invocation).\n\noptions:\n");
    opt_help(stdout, options);
    printf("\nexit codes: 0 ok; 2 usage (unknown query, missing --param); 3 database; 4 the\n"
           "--queries folder cannot be read; 5 the SQL failed; 7 cannot write standard\n"
           "output\n");
}

/* Reads query NAME; a message (usage when there is no such query). Returns
 * 0 or an exit code. */
static int read_query(const char *name, sb *out)
{
    mrb_err err;

    mrb_err_clear(&err);
    if (queries_check_dir(&err) < 0) {
        msg_err(&err);
        return MRB_EXIT_INPUT;
    }
    if (queries_read(name, out, &err) < 0) {
        if (err.source[0]) {
            msg_err(&err);
            return MRB_EXIT_INPUT;
        }
        return msg_usage("query", "no query '%s' (see 'mrb-analyze query --list')", name);
    }
    return 0;
}

/* The first line of a query when it is a comment: what the query answers. */
static void what_it_answers(const char *name, char *what, size_t cap)
{
    sb q = SB_INIT;
    mrb_err err;

    what[0] = '\0';
    mrb_err_clear(&err);
    if (queries_read(name, &q, &err) == 0 && !strncmp(sb_str(&q), "-- ", 3)) {
        const char *line = sb_str(&q) + 3;
        size_t n = strcspn(line, "\n");
        snprintf(what, cap, "%.*s", (int)n, line);
    }
    sb_release(&q);
}

/* Prints "name  origin  first comment line" for every query, sorted; the
 * origin is built-in, override (DIR/NAME.sql over a built-in one) or added
 * (DIR/NAME.sql, no built-in one). */
static int list(void)
{
    queries_item *items;
    size_t n;
    mrb_err err;
    char what[200];

    mrb_err_clear(&err);
    if (queries_list(&items, &n, &err) < 0) {
        msg_err(&err);
        return MRB_EXIT_INPUT;
    }
    for (size_t i = 0; i < n; i++) {
        what_it_answers(items[i].name, what, sizeof what);
        printf("%-22s %-8s  %s\n", items[i].name,
               !items[i].path ? "built-in" : items[i].builtin ? "override" : "added", what);
    }
    if (queries_dir())
        msg_info("override and added: from '%s'", queries_dir());
    queries_list_free(items, n);
    if (fflush(stdout) != 0) {
        msg_error("cannot write standard output: %s", strerror(errno));
        return MRB_EXIT_OUTPUT;
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
    int k, list_only = 0;
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
        case O_LIST: list_only = 1; break;
        case O_TABLE: case O_CSV: case O_JSON: case O_MARKDOWN:
            mode = (enum out_mode)(k - O_TABLE);
            break;
        case O_DB: ctx->db_path = st.value; break;
        case O_PRICING: pricing = st.value; break;
        case O_QUERIES: queries_set_dir(st.value); break;
        case O_HELP: help(); return MRB_EXIT_OK;
        }
    }
    if (list_only)
        return list();
    if (!name)
        return msg_usage("query", "no query NAME given");
    if (!queries_valid_name(name))
        return msg_usage("query", "a query NAME is lowercase letters, digits, '-' and '_'");
    sb sql = SB_INIT;
    int code = read_query(name, &sql);
    if (code) {
        sb_release(&sql);
        return code;
    }
    mrb_err_clear(&err);
    db_conn c;
    code = db_connect(&c, ctx->db_path, 0, pricing, &err);
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
