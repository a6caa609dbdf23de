/* shape_jsonlog.c — mrb-gen: the jsonlog shape (s3-export of functions
 * with LogFormat=JSON). */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

/* The functions with LogFormat=JSON, exported like s3-export (another
 * export task): DIR/jsonlog/<fn>/<task-id>/<stream>/000000.gz. */
long long write_jsonlog(plan *plans, const opts *o)
{
    sink k = {0};
    for (int f = 0; f < N_FN; f++) {
        char task[37];
        rng r;
        rng_seed(&r, mix2(plans[f].seed, hash_str("task-jsonlog")));
        rng_uuid(&r, task);
        s3_task(&plans[f], 1, &k, o, "jsonlog", plans[f].spec->name, task, 1);
    }
    return k.total;
}
