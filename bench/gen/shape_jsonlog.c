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
    char dir[4096], fn_dir[4096];
    if (o->out)
        path_join(dir, sizeof dir, o->out, "jsonlog");
    for (int f = 0; f < N_FN; f++) {
        char task[37], rel[256];
        rng r;
        rng_seed(&r, mix2(plans[f].seed, hash_str("task-jsonlog")));
        rng_uuid(&r, task);
        if (o->out) {
            snprintf(rel, sizeof rel, "%s/%s", plans[f].spec->name, task);
            path_join(fn_dir, sizeof fn_dir, dir, rel);
        }
        for (long i = 0; i < plans[f].n_slots; i++) {
            slot s;
            slot_init(&s, &plans[f], i, 0);
            s3_slot(&s, &k, o->out ? fn_dir : NULL, o->part_mb * MIB, o->level, 1);
        }
    }
    return k.total;
}
