/* plan.c — mrb-gen: the four functions, their routes, and the plan of
 * each function (outcomes, timing, ids) fixed before any event is made. */
#include <stdlib.h>
#include <string.h>
#include "gen.h"

const fn_spec FNS[N_FN] = {
    {"dev-benchmark-python", RT_PYTHON, "python:3.11.v29", 0, 45.0, 2.5, 900.0, 95, 110},
    {"dev-benchmark-typescript", RT_NODE, "nodejs:20.v33", 0, 35.0, 2.5, 450.0, 85, 100},
    {"dev-benchmark-go", RT_GO, "provided:al2.v41", 1, 8.0, 1.6, 90.0, 30, 40},
    {"dev-benchmark-kotlin", RT_KOTLIN, "provided:al2.v41", 1, 12.0, 1.8, 180.0, 55, 70},
};

static const route ROUTES[] = {
    {"GET", "/items", 0, 200, "Scan", 30},
    {"GET", "/items/", 1, 200, "GetItem", 25},
    {"POST", "/items", 0, 201, "PutItem", 15},
    {"PUT", "/items/", 1, 200, "UpdateItem", 10},
    {"DELETE", "/items/", 1, 204, "DeleteItem", 5},
    {"GET", "/health", 0, 200, NULL, 10},
    {"GET", "/metrics", 0, 200, NULL, 5},
};
#define N_ROUTES (sizeof ROUTES / sizeof ROUTES[0])

const char *status_text(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    default: return "Not Found";
    }
}

/* A route by weight. */
const route *pick_route(rng *r)
{
    long w = rng_range(r, 0, 99);
    for (size_t i = 0; i < N_ROUTES; i++) {
        w -= ROUTES[i].weight;
        if (w < 0)
            return &ROUTES[i];
    }
    return &ROUTES[0];
}

/* ------------------------------------------------------------------- plan */

/* The state every file shares (see gen.h). */
day g_day;
int g_insights;
int s_kotlin_zero;
int g_emf_plain;

/* Spreads count indices evenly over [0, n), shifted by shift, skipping
 * indices already taken. */
static void plan_mark(plan *p, long count, long shift, unsigned char what)
{
    for (long j = 0; j < count; j++) {
        long i = (long)(((2 * j + 1) * (long long)p->n_inv) / (2 * count) + shift) % p->n_inv;
        while (p->outcome[i] != OUT_OK)
            i = (i + 1) % p->n_inv;
        p->outcome[i] = what;
    }
}

/* Chooses gaps and slot spacing so that every slot of the function ends
 * within the day and neighbouring environments overlap like real traffic. */
static void plan_timing(plan *p, long timeouts, long ooms)
{
    long per_slot = (p->n_inv + p->n_slots - 1) / p->n_slots;
    double dur = 150.0;   /* generous mean duration, ms */
    double gap = 1050.0;  /* mean of the default 100..2000 ms */
    double extra = (double)(timeouts + ooms) * 32000.0 + (double)ooms * 2000.0 + 5000.0;
    double budget = (double)WINDOW_MS / 2;

    p->gap_lo = 100;
    p->gap_hi = 2000;
    if (per_slot * (gap + dur) + extra > budget) {
        gap = (budget - extra) / (double)per_slot - dur;
        if (gap < 2.0)
            die("%ld invocations per stream do not fit in one day; raise --streams", per_slot);
        p->gap_lo = (long)(gap * 0.1) + 1;
        p->gap_hi = (long)(gap * 1.9);
    }
    double span = per_slot * (gap + dur) + extra;
    double step = span / 4;
    if (p->n_slots > 1 && (double)(WINDOW_MS - span * 1.2) / (double)(p->n_slots - 1) < step)
        step = (double)(WINDOW_MS - span * 1.2) / (double)(p->n_slots - 1);
    p->step_ms = step < 1 ? 1 : (long long)step;
}

void plan_init(plan *p, int fn, const opts *o, long n_inv, long timeouts, long ooms)
{
    rng r;
    memset(p, 0, sizeof *p);
    p->fn = fn;
    p->spec = &FNS[fn];
    p->n_inv = n_inv;
    p->n_slots = o->streams ? o->streams : (n_inv + 39) / 40;
    if (p->n_slots > n_inv)
        p->n_slots = n_inv;
    if (p->n_slots < 1)
        p->n_slots = 1;
    p->seed = mix2(o->seed, 0x100 + (uint64_t)fn);
    p->slow = 1.0 + o->slower[fn] / 100.0;
    p->emf = o->emf;
    p->emf_heavy = o->emf_heavy;
    p->outcome = xcalloc((size_t)n_inv, 1);
    plan_mark(p, timeouts, (long)(n_inv * (fn + 1) / (4 * (timeouts + 1))), OUT_TIMEOUT);
    plan_mark(p, ooms, (long)(n_inv * (fn + 2) / (3 * (ooms + 1))), OUT_OOM);
    plan_timing(p, timeouts, ooms);
    p->base_ms = g_day.start_ms + FIRST_MS + fn * 137;

    rng_seed(&r, mix2(p->seed, hash_str("task")));
    rng_uuid(&r, p->task_id);
    /* the ARN is per runtime version, so Go and Kotlin share it */
    rng_seed(&r, mix2(o->seed, hash_str(p->spec->rt_version)));
    rng_hex(&r, p->arn_hex, 64);
}

void plan_free(plan *p)
{
    free(p->outcome);
    p->outcome = NULL;
}
