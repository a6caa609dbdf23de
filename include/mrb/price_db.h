/* price_db.h — imported prices in the database (table prices, SCHEMA.md).
 *
 * price_db_store writes the tiers of one offer file: for each (rate,
 * region) it holds, the rows already there are replaced, unless they come
 * from a newer version (then they are kept). The caller wraps it in a
 * transaction so that a file is imported all or nothing.
 *
 * price_db_overlay builds the table in force: base's rates with every
 * imported rate over them (the first paid tier: the lowest beginRange with
 * a price above zero, so a free tier is skipped). Each imported rate names
 * its offer, version, usage type and effective date.
 *
 * Ownership: price_db_overlay's table is freed with cost_free_prices. */
#ifndef MRB_PRICE_DB_H
#define MRB_PRICE_DB_H

#include "mrb/cost.h"
#include "mrb/err.h"
#include "mrb/price_offer.h"

typedef struct price_db_result {
    int rates;      /* (rate, region) pairs written */
    int tiers;      /* rows written */
    int kept;       /* pairs kept because the database has a newer version */
    int duplicates; /* tiers of a pair and beginRange seen twice: the first is kept */
} price_db_result;

int price_db_store(sqlite3 *db, const price_offer *o, const char *file, price_db_result *res,
                   mrb_err *err);

/* *out: the table in force, or NULL when nothing was imported (base is). 0,
 * or -1 with err. */
int price_db_overlay(sqlite3 *db, const price_table *base, price_table **out, mrb_err *err);

#endif
