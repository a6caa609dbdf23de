/* store_priv.h — what store.c shares with the store_*.c files that write
 * its other tables; not a public API. */
#ifndef MRB_STORE_PRIV_H
#define MRB_STORE_PRIV_H

#include <sqlite3.h>

#include "mrb/store.h"
#include "store_bind.h"

/* The current file's row id and --run label (NULL when none). */
long long store_priv_file_id(const store *s);
const char *store_priv_run(const store *s);

/* The state a store file keeps in the store (store_ddb.c, store_apigw.c):
 * NULL until that file first needs it, then freed through the release
 * function it gave when the store closes. store.c calls no function of
 * theirs: the relabel and the move of a repeated file's records are
 * statements in its own tables. */
enum store_slot { STORE_SLOT_DDB, STORE_SLOT_APIGW, STORE_SLOT_COUNT };
void **store_priv_slot(store *s, enum store_slot which, void (*release)(void *));

#endif
