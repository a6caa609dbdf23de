/* ddb_attrib.h — DynamoDB stream records attributed to runtimes from the logs.
 *
 * Runs after the writes of an ingest (or a merge), over the records still
 * unattributed, so that logs ingested before or after the records attribute
 * them alike: a record whose item id (a UUID) a function's application lines
 * named (app_ids), or that is an invocation's request id, within Lambda's
 * longest invocation of the record's time, takes the nearest such function's
 * runtime; a tie between runtimes leaves it unattributed. Records are read
 * in chunks of 65,536 (about 3 MB) and joined to the ids by a hash of the
 * chunk's UUIDs: memory stays bounded. Uses the store's public API only.
 *
 * Ownership: nothing is kept between calls. */
#ifndef MRB_DDB_ATTRIB_H
#define MRB_DDB_ATTRIB_H

#include "mrb/err.h"
#include "mrb/store.h"

/* Attributes the stored records still unattributed whose item_id (a UUID)
 * the logs name (in a transaction of its own; call between batches): of
 * the application lines that named it (app_ids) within 901 s of the record
 * and the invocations whose request id it is (REPORT from 1 s before to
 * 901 s after the record), the nearest in time gives the function, and its
 * runtime the record's, unless two runtimes are equally near. *attributed
 * gets how many were attributed now, *left how many stay unattributed in
 * the database. 0, or -1 with err. */
int ddb_attribute(store *s, long long *attributed, long long *left, mrb_err *err);

#endif
