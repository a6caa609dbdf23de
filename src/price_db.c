/* price_db.c — imported prices: storing offer files, overlaying the
 * shipped table (see price_db.h). */
#include "mrb/price_db.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mrb/xalloc.h"

/* The version already imported for (rate, region), "" when none. */
static int have_version(sqlite3_stmt *q, const price_tier *t, char *v, size_t size)
{
    int rc;

    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, cost_kind_name(t->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, t->region, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    const char *s = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    snprintf(v, size, "%s", s ? s : "");
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int insert(sqlite3_stmt *ins, const price_offer *o, const price_tier *t, const char *file)
{
    int i = 1;

    sqlite3_reset(ins);
    sqlite3_bind_text(ins, i++, cost_kind_name(t->kind), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, i++, t->region, -1, SQLITE_STATIC);
    sqlite3_bind_double(ins, i++, t->begin);
    if (isinf(t->end))
        sqlite3_bind_null(ins, i++);
    else
        sqlite3_bind_double(ins, i++, t->end);
    sqlite3_bind_double(ins, i++, t->usd);
    sqlite3_bind_text(ins, i++, t->usd_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, i++, t->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, i++, t->offer, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, i++, t->usage_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, i++, t->sku, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, i++, t->rate_code, -1, SQLITE_STATIC);
    if (t->effective_date[0])
        sqlite3_bind_text(ins, i++, t->effective_date, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(ins, i++);
    sqlite3_bind_text(ins, i++, o->version, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, i++, o->publication_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, i++, file, -1, SQLITE_STATIC);
    return sqlite3_step(ins) == SQLITE_DONE ? sqlite3_changes(sqlite3_db_handle(ins)) : -1;
}

/* Is tier i the first of its (kind, region) in o? */
static int first_of_pair(const price_offer *o, int i)
{
    for (int j = 0; j < i; j++)
        if (o->tiers[j].kind == o->tiers[i].kind && !strcmp(o->tiers[j].region, o->tiers[i].region))
            return 0;
    return 1;
}

int price_db_store(sqlite3 *db, const price_offer *o, const char *file, price_db_result *res,
                   mrb_err *err)
{
    sqlite3_stmt *ver = NULL, *del = NULL, *ins = NULL;
    int rc = -1;

    memset(res, 0, sizeof *res);
    if (sqlite3_prepare_v2(db, "SELECT max(version) FROM prices WHERE rate = ?1 AND region = ?2",
                           -1, &ver, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "DELETE FROM prices WHERE rate = ?1 AND region = ?2", -1, &del,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO prices VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                               "?10, ?11, ?12, ?13, ?14, ?15, "
                               "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) ON CONFLICT DO NOTHING",
                           -1, &ins, NULL) != SQLITE_OK)
        goto done;
    for (int i = 0; i < o->n; i++) {
        const price_tier *t = &o->tiers[i];
        char have[32];
        if (!first_of_pair(o, i))
            continue;
        if (have_version(ver, t, have, sizeof have) < 0)
            goto done;
        if (strcmp(have, o->version) > 0) {
            res->kept++;
            continue;
        }
        sqlite3_reset(del);
        sqlite3_bind_text(del, 1, cost_kind_name(t->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(del, 2, t->region, -1, SQLITE_STATIC);
        if (sqlite3_step(del) != SQLITE_DONE)
            goto done;
        res->rates++;
        for (int j = i; j < o->n; j++) { /* every tier of the pair */
            if (o->tiers[j].kind != t->kind || strcmp(o->tiers[j].region, t->region))
                continue;
            int n = insert(ins, o, &o->tiers[j], file);
            if (n < 0)
                goto done;
            res->tiers += n;
            res->duplicates += !n;
        }
    }
    rc = 0;
done:
    if (rc < 0)
        mrb_err_set(err, 0, -1, "cannot store prices: %s", sqlite3_errmsg(db));
    sqlite3_finalize(ver);
    sqlite3_finalize(del);
    sqlite3_finalize(ins);
    return rc;
}

/* The first paid tier of every imported (rate, region). */
#define OVERLAY_SQL                                                                              \
    "SELECT rate, region, usd, offer, version, usage_type, effective_date, publication_date, "  \
    "begin_range FROM prices p WHERE usd > 0 AND begin_range = (SELECT min(begin_range) FROM " \
    "prices q WHERE q.rate = p.rate AND q.region = p.region AND q.usd > 0) ORDER BY region, rate"

static const char *col(sqlite3_stmt *q, int i)
{
    const char *s = (const char *)sqlite3_column_text(q, i);
    return s ? s : "";
}

static void imported_rate(sqlite3_stmt *q, int kind, price_rate *r)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    snprintf(r->region, sizeof r->region, "%s", col(q, 1));
    r->usd = sqlite3_column_double(q, 2);
    snprintf(r->table, sizeof r->table, "imported %s %s", col(q, 3), col(q, 4));
    if (sqlite3_column_double(q, 8) > 0)
        snprintf(r->source, sizeof r->source, "AWS Price List %s %s, %s, from %.17g", col(q, 3),
                 col(q, 4), col(q, 5), sqlite3_column_double(q, 8));
    else
        snprintf(r->source, sizeof r->source, "AWS Price List %s %s, %s", col(q, 3), col(q, 4),
                 col(q, 5));
    /* the effective date, else the publication date, as a day */
    snprintf(r->date, sizeof r->date, "%.10s", *col(q, 6) ? col(q, 6) : col(q, 7));
}

/* "OFFER VERSION" of each offer once, appended to versions. */
static void note_version(char *versions, size_t size, const char *table)
{
    const char *name = table + strlen("imported ");
    if (strstr(versions, name))
        return;
    size_t n = strlen(versions);
    snprintf(versions + n, size - n, "%s%s", n ? ", " : "", name);
}

int price_db_overlay(sqlite3 *db, const price_table *base, price_table **out, mrb_err *err)
{
    sqlite3_stmt *q = NULL;
    price_rate *r = xcalloc((size_t)base->n_rates + 1, sizeof *r);
    int n = base->n_rates, cap = base->n_rates + 1, rc;
    char versions[160] = "", version[sizeof base->version + sizeof versions + 16];

    *out = NULL;
    memcpy(r, base->rates, (size_t)base->n_rates * sizeof *r);
    if (sqlite3_prepare_v2(db, OVERLAY_SQL, -1, &q, NULL) != SQLITE_OK) {
        free(r);
        return mrb_err_set(err, 0, -1, "cannot read imported prices: %s", sqlite3_errmsg(db));
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int kind = cost_kind_of(col(q, 0));
        if (kind < 0)
            continue;
        XGROW(r, n, cap, 16);
        imported_rate(q, kind, &r[n]);
        note_version(versions, sizeof versions, r[n++].table);
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        free(r);
        return mrb_err_set(err, 0, -1, "cannot read imported prices: %s", sqlite3_errmsg(db));
    }
    if (n > base->n_rates) {
        snprintf(version, sizeof version, "%s + imported %s", base->version, versions);
        *out = cost_table_new(r, n, version, base->source);
    }
    free(r);
    return 0;
}
