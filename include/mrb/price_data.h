/* price_data.h — the shipped rates (data only; cost.h builds the table).
 *
 * PRICE_DATA_VERSION names this list; bump it whenever a rate changes. */
#ifndef MRB_PRICE_DATA_H
#define MRB_PRICE_DATA_H

#include "mrb/cost.h"

#define PRICE_DATA_VERSION "2026-11-27.3"

typedef struct price_data_rate {
    const char *region;
    int kind;          /* enum price_kind */
    double usd;        /* per unit */
    const char *source; /* FORMATS.md §7.1 source keys */
    const char *date;   /* the source's date, "n.d." when it states none */
} price_data_rate;

extern const price_data_rate price_data_rates[];
extern const int price_data_count;

#endif
