/* store_identity.c — which function an invocation and a log stream belong
 * to, and how the store corrects it (see store.h, fn_origin.h).
 *
 * Every invocation and environment row carries the rank of its function's
 * name (function_rank, function_source). A known invocation seen again from
 * a higher rank takes the new function, log group and runtime; a log stream
 * belongs to one function, so when a file's stream is stored under another
 * function too, the rows of the lower rank move to the higher (the
 * environment rows are merged, the invocations moved by the environments'
 * time ranges, which the time index serves). A function left without rows
 * by a move is dropped when the file commits. Statements are prepared on
 * first use and kept here. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/fn_origin.h"
#include "mrb/sb.h"
#include "mrb/xalloc.h"
#include "store_bind.h"
#include "store_identity.h"

enum si_stmt {
    SI_INV_RELABEL,
    SI_INV_RANK,
    SI_ENV_OTHERS,
    SI_ENV_RANGE,
    SI_INV_MOVE,
    SI_INV_COUNT,
    SI_ENV_MERGE,
    SI_ENV_DROP,
    SI_ENV_BETTER,
    SI_FN_ORPHAN,
    SI_COUNT
};

#define SET_NAME "function = ?3, log_group = coalesce(?4, log_group), runtime = ?5, " \
                 "function_rank = ?6, function_source = ?7 "

static const char *const si_sql[SI_COUNT] = {
    [SI_INV_RELABEL] = "UPDATE invocations SET " SET_NAME
                       "WHERE ts_ms = ?1 AND request_id = ?2 AND function_rank < ?6 AND "
                       "(function <> ?3 OR runtime <> ?5 OR log_group IS NOT coalesce(?4, log_group))",
    [SI_INV_RANK] = "UPDATE invocations SET function_rank = ?6, function_source = ?7 "
                    "WHERE ts_ms = ?1 AND request_id = ?2 AND function_rank < ?6",
    [SI_ENV_OTHERS] = "SELECT function, function_rank, first_ts_ms, last_ts_ms, runtime, "
                      "log_group FROM environments WHERE log_stream = ?1 AND function <> ?2 "
                      "ORDER BY function_rank DESC, function",
    [SI_ENV_RANGE] = "SELECT first_ts_ms, last_ts_ms FROM environments "
                     "WHERE function = ?1 AND log_stream = ?2",
    [SI_INV_MOVE] = "UPDATE invocations SET " SET_NAME
                    "WHERE ts_ms BETWEEN ?8 AND ?9 AND log_stream = ?2 AND function = ?1",
    [SI_INV_COUNT] = "SELECT runtime, count(*), coalesce(sum(file_id = ?4), 0), "
                     "coalesce(sum(cold_start AND file_id = ?4), 0) FROM invocations "
                     "WHERE ts_ms BETWEEN ?2 AND ?3 AND log_stream = ?1 GROUP BY runtime",
    [SI_ENV_MERGE] =
        "INSERT INTO environments(function, log_group, log_stream, runtime, runtime_version, "
        "runtime_version_arn, region, first_ts_ms, last_ts_ms, invocations, cold_starts, "
        "init_ms, init_status, init_error_type, init_phase, function_rank, function_source) "
        "SELECT ?3, coalesce(?4, log_group), log_stream, ?5, runtime_version, "
        "runtime_version_arn, region, first_ts_ms, last_ts_ms, invocations, cold_starts, "
        "init_ms, init_status, init_error_type, init_phase, ?6, ?7 FROM environments "
        "WHERE function = ?1 AND log_stream = ?2 "
        STORE_ENV_UPSERT,
    [SI_ENV_BETTER] = "SELECT 1 FROM environments WHERE log_stream = ?1 AND function <> ?2 "
                      "AND function_rank > ?3 LIMIT 1",
    [SI_ENV_DROP] = "DELETE FROM environments WHERE function = ?1 AND log_stream = ?2",
    [SI_FN_ORPHAN] = "DELETE FROM functions WHERE function = ?1 "
                     "AND NOT EXISTS (SELECT 1 FROM environments WHERE function = ?1) "
                     "AND NOT EXISTS (SELECT 1 FROM invocations WHERE function = ?1)",
};

struct store_identity {
    sqlite3 *db;
    sqlite3_stmt *st[SI_COUNT];
    long long file_relabelled; /* invocations of the current file's moves */
    long long relabelled;      /* of committed files */
    sb left;                   /* functions rows were moved from: NUL-separated */
};

store_identity *store_identity_new(sqlite3 *db)
{
    store_identity *si = xcalloc(1, sizeof *si);

    si->db = db;
    sb_init(&si->left);
    return si;
}

void store_identity_free(store_identity *si)
{
    if (!si)
        return;
    for (int i = 0; i < SI_COUNT; i++)
        sqlite3_finalize(si->st[i]);
    sb_release(&si->left);
    free(si);
}

static int fail(store_identity *si, mrb_err *err, const char *what)
{
    return mrb_err_set(err, 0, -1, "database: %s: %s", what, sqlite3_errmsg(si->db));
}

/* The statement id, prepared on first use; NULL with err. */
static sqlite3_stmt *stmt(store_identity *si, enum si_stmt id, mrb_err *err)
{
    if (!si->st[id] && sqlite3_prepare_v3(si->db, si_sql[id], -1,
                                          SQLITE_PREPARE_PERSISTENT, &si->st[id],
                                          NULL) != SQLITE_OK) {
        fail(si, err, "preparing a statement");
        return NULL;
    }
    return si->st[id];
}

/* Steps a bound statement to its end and resets it. */
static int done(store_identity *si, sqlite3_stmt *q, mrb_err *err)
{
    int rc = sqlite3_step(q);

    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(si, err, "writing");
}

/* Binds ?3..?7: the name a move gives. */
static void bind_target(sqlite3_stmt *q, const store_name *t)
{
    bind_str(q, 3, t->function);
    bind_str(q, 4, t->log_group);
    bind_str(q, 5, t->runtime);
    sqlite3_bind_int(q, 6, t->rank);
    bind_str(q, 7, fn_origin_name((enum fn_origin)t->rank));
}

int store_identity_relabel(store_identity *si, const invocation *v, const char *runtime,
                           mrb_err *err)
{
    /* a change of name or label is counted; a better rank alone is not */
    static const enum si_stmt ids[] = {SI_INV_RELABEL, SI_INV_RANK};

    for (size_t i = 0; i < 2; i++) {
        sqlite3_stmt *q = stmt(si, ids[i], err);
        if (!q)
            return -1;
        sqlite3_bind_int64(q, 1, v->ts_ms);
        bind_slice(q, 2, v->request_id);
        bind_slice(q, 3, v->function);
        bind_slice(q, 4, v->log_group);
        bind_str(q, 5, runtime);
        sqlite3_bind_int(q, 6, v->fn_origin);
        bind_str(q, 7, fn_origin_name((enum fn_origin)v->fn_origin));
        if (done(si, q, err) < 0)
            return -1;
        if (i == 0 && sqlite3_changes(si->db) > 0) {
            si->file_relabelled++;
            return 0;
        }
    }
    return 0;
}

/* Widens [*lo, *hi] by the stored environment (from, stream), if any. */
static int widen(store_identity *si, const char *from, const char *stream, int64_t *lo, int64_t *hi,
                 mrb_err *err)
{
    sqlite3_stmt *q = stmt(si, SI_ENV_RANGE, err);

    if (!q)
        return -1;
    bind_str(q, 1, from);
    bind_str(q, 2, stream);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        int64_t a = sqlite3_column_int64(q, 0), b = sqlite3_column_int64(q, 1);
        *lo = a < *lo ? a : *lo;
        *hi = b > *hi ? b : *hi;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(si, err, "reading environments");
}

/* Moves the rows of function from in stream (its invocations between lo and
 * hi, widened by its environment's range, and the environment row) to t.
 * *moved gets how many invocations moved. */
static int move_stream(store_identity *si, const char *from, const char *stream, int64_t lo, int64_t hi,
                       const store_name *t, long long *moved, mrb_err *err)
{
    sqlite3_stmt *q;

    if (widen(si, from, stream, &lo, &hi, err) < 0 || !(q = stmt(si, SI_INV_MOVE, err)))
        return -1;
    bind_str(q, 1, from);
    bind_str(q, 2, stream);
    bind_target(q, t);
    sqlite3_bind_int64(q, 8, lo);
    sqlite3_bind_int64(q, 9, hi);
    if (done(si, q, err) < 0)
        return -1;
    *moved = sqlite3_changes(si->db);
    static const enum si_stmt env[] = {SI_ENV_MERGE, SI_ENV_DROP};
    for (size_t i = 0; i < 2; i++) {
        if (!(q = stmt(si, env[i], err)))
            return -1;
        bind_str(q, 1, from);
        bind_str(q, 2, stream);
        if (env[i] == SI_ENV_MERGE)
            bind_target(q, t);
        if (done(si, q, err) < 0)
            return -1;
    }
    sb_add(&si->left, from, strlen(from) + 1);
    return 0;
}

/* The other functions a stream is stored under, best rank first. */
typedef struct other {
    char *function, *runtime, *log_group;
    int rank;
    int64_t first, last;
} other;

static int others_of(store_identity *si, const char *stream, const char *function, other **out, int *n,
                     mrb_err *err)
{
    sqlite3_stmt *q = stmt(si, SI_ENV_OTHERS, err);
    int rc, cap = 0;

    *out = NULL;
    *n = 0;
    if (!q)
        return -1;
    bind_str(q, 1, stream);
    bind_str(q, 2, function);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        XGROW(*out, *n, cap, 2);
        other *o = &(*out)[(*n)++];
        const unsigned char *lg = sqlite3_column_text(q, 5);
        o->function = xstrdup((const char *)sqlite3_column_text(q, 0));
        o->rank = sqlite3_column_int(q, 1);
        o->first = sqlite3_column_int64(q, 2);
        o->last = sqlite3_column_int64(q, 3);
        o->runtime = xstrdup((const char *)sqlite3_column_text(q, 4));
        o->log_group = lg ? xstrdup((const char *)lg) : NULL;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : fail(si, err, "reading environments");
}

static void others_free(other *o, int n)
{
    for (int i = 0; i < n; i++) {
        free(o[i].function);
        free(o[i].runtime);
        free(o[i].log_group);
    }
    free(o);
}

int store_identity_stream(store_identity *si, const char *stream, store_name *t, int64_t first,
                          int64_t last, store_name_buf *keep, mrb_err *err)
{
    other *o;
    int n, rc = -1;
    long long moved;

    if (others_of(si, stream, t->function, &o, &n, err) < 0)
        goto done;
    if (n > 0 && o[0].rank > t->rank) {
        /* the stream is another's, named better: this file's rows go there */
        const store_name was = *t;
        snprintf(keep->function, sizeof keep->function, "%s", o[0].function);
        snprintf(keep->runtime, sizeof keep->runtime, "%s", o[0].runtime);
        snprintf(keep->log_group, sizeof keep->log_group, "%s",
                 o[0].log_group ? o[0].log_group : "");
        t->function = keep->function;
        t->runtime = keep->runtime;
        t->log_group = o[0].log_group ? keep->log_group : NULL;
        t->rank = o[0].rank;
        if (move_stream(si, was.function, stream, first, last, t, &moved, err) < 0)
            goto done;
    }
    for (int i = 0; i < n; i++) {
        if (o[i].rank >= t->rank || !strcmp(o[i].function, t->function))
            continue;
        if (move_stream(si, o[i].function, stream, o[i].first, o[i].last, t, &moved, err) < 0)
            goto done;
        si->file_relabelled += moved;
    }
    rc = 0;
done:
    others_free(o, n);
    return rc;
}

/* What stream holds between first and last, per runtime, into *m. */
static int count_stream(store_identity *si, long long file_id, const char *stream, int64_t first, int64_t last,
                        store_moved *m, mrb_err *err)
{
    sqlite3_stmt *q = stmt(si, SI_INV_COUNT, err);
    int rc;

    if (!q)
        return -1;
    bind_str(q, 1, stream);
    sqlite3_bind_int64(q, 2, first);
    sqlite3_bind_int64(q, 3, last);
    sqlite3_bind_int64(q, 4, file_id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int k = m->n < STORE_MOVED_RUNTIMES ? m->n++ : STORE_MOVED_RUNTIMES - 1;
        store_moved_runtime *r = &m->by[k];
        long long all = sqlite3_column_int64(q, 1), added = sqlite3_column_int64(q, 2);
        if (k == m->n - 1 && r->added + r->known == 0)
            snprintf(r->runtime, sizeof r->runtime, "%s", sqlite3_column_text(q, 0));
        r->added += added;
        r->cold_added += sqlite3_column_int64(q, 3);
        r->known += all - added;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : fail(si, err, "reading invocations");
}

int store_identity_split(store_identity *si, long long file_id, const char *from,
                         const char *stream, int64_t first, int64_t last, const store_name *to,
                         store_moved *m, mrb_err *err)
{
    long long moved;

    sqlite3_stmt *q = stmt(si, SI_ENV_BETTER, err);

    memset(m, 0, sizeof *m);
    if (!q)
        return -1;
    bind_str(q, 1, stream);
    bind_str(q, 2, from);
    sqlite3_bind_int(q, 3, to->rank);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(si, err, "reading environments");
    m->owned = rc == SQLITE_ROW; /* the stream is a better-named function's already */
    if (!m->owned && move_stream(si, from, stream, first, last, to, &moved, err) < 0)
        return -1;
    return count_stream(si, file_id, stream, first, last, m, err);
}

long long store_identity_file_end(store_identity *si, int commit, mrb_err *err)
{
    long long n = si->file_relabelled;

    si->file_relabelled = 0;
    for (size_t at = 0; commit && at < si->left.len; at += strlen(si->left.buf + at) + 1) {
        sqlite3_stmt *q = stmt(si, SI_FN_ORPHAN, err);
        if (!q)
            return -1;
        bind_str(q, 1, si->left.buf + at);
        if (done(si, q, err) < 0)
            return -1;
    }
    sb_reset(&si->left);
    return n;
}

void store_identity_committed(store_identity *si, long long relabelled)
{
    si->relabelled += relabelled;
}

long long store_identity_relabelled(const store_identity *si) { return si->relabelled; }
