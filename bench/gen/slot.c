/* slot.c — mrb-gen: one execution environment as a state machine that
 * yields its events in time order from a PRNG of its own. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "gen.h"

long ceil_cs(long cs)
{
    return (cs + 99) / 100;
}

static void slot_env_begin(slot *s)
{
    char hex[33];
    buf b = {.n = 0};
    rng_hex(&s->r, hex, 32);
    b_date(&b, '/');
    b_str(&b, "/[$LATEST]");
    b_str(&b, hex);
    b.s[b.n] = '\0';
    memcpy(s->stream, b.s, b.n + 1);
    s->stream_no++;
    s->mem = s->p->spec->mem_lo + rng_range(&s->r, 0, 4);
    s->init_cs = (long)(rng_lognormal(&s->r, s->p->spec->init_median, 0.15) * 100);
    s->kind = EV_INIT_START;
    s->ts = s->t;
}

static long invoc_duration_cs(slot *s, invoc *v)
{
    const fn_spec *f = s->p->spec;
    double ms;
    if (v->outcome == OUT_TIMEOUT)
        return 3000000 + rng_range(&s->r, 50, 4500);
    if (v->outcome == OUT_OOM)
        return (long)(rng_lognormal(&s->r, 2500.0, 0.3) * 100);
    ms = rng_lognormal(&s->r, f->dur_median, 0.4) * s->p->slow;
    if (rng_unit(&s->r) < 0.02)
        ms *= 3.0 + 5.0 * rng_unit(&s->r);   /* a slow tail */
    if (v->cold)
        ms *= f->cold_factor;
    if (ms < 1.0)
        ms = 1.0 + rng_unit(&s->r);
    return (long)(ms * 100);
}

/* Creates the invocation starting at s->t (cold when the environment was
 * just started) and makes START the current event. */
static void slot_invoc_begin(slot *s, int cold)
{
    invoc *v = &s->inv;
    const fn_spec *f = s->p->spec;
    char hex[25];
    long i;

    memset(v, 0, sizeof *v);
    v->cold = cold;
    v->outcome = s->p->outcome[s->next_inv];
    s->next_inv += s->p->n_slots;
    v->t_start = s->t;
    rng_uuid(&s->r, v->rid);
    rng_hex(&s->r, hex, 24);
    snprintf(v->trace, sizeof v->trace, "1-%08llx-%s", (unsigned long long)(v->t_start / 1000), hex);
    rng_hex(&s->r, v->segment, 16);
    v->rt = pick_route(&s->r);
    if (v->rt->has_id)
        rng_uuid(&s->r, v->item);
    v->status = v->rt->ok_status;
    if (v->rt->has_id && rng_unit(&s->r) < 0.04)
        v->status = 404;
    v->dur_cs = invoc_duration_cs(s, v);
    v->init_cs = cold ? s->init_cs : 0;
    v->billed = f->custom && cold ? ceil_cs(v->dur_cs + v->init_cs) : ceil_cs(v->dur_cs);
    if (!cold && s->mem < f->mem_hi && rng_unit(&s->r) < 0.08)
        s->mem++;
    v->mem = v->outcome == OUT_OOM ? 512 + rng_range(&s->r, 0, 1) : s->mem;
    /* the database call takes a part of the handler's time */
    v->db_ms = (int)((double)ceil_cs(v->dur_cs) * (0.3 + 0.4 * rng_unit(&s->r)));
    if (v->db_ms < 1)
        v->db_ms = 1;
    v->n_items = v->rt->has_id ? 1 : (int)rng_range(&s->r, 0, 50);

    v->n_app = v->outcome == OUT_OK ? (int)rng_range(&s->r, 1, 3) : 1;
    long span = ceil_cs(v->dur_cs);
    /* Python logs the request first, then what it did; the others log what
     * they did, then a response line. Failed invocations log the request. */
    static const int kinds_first[3] = {APP_SUMMARY, APP_DB, APP_AUX};
    static const int kinds_last[3][3] = {
        {APP_SUMMARY}, {APP_DB, APP_SUMMARY}, {APP_DB, APP_AUX, APP_SUMMARY}};
    for (i = 0; i < v->n_app; i++) {
        v->t_app[i] = v->t_start + 1 + (span > 1 ? (span - 1) * i / v->n_app : 0);
        v->app_kind[i] = f->rt == RT_PYTHON || v->outcome != OUT_OK ? kinds_first[i]
                                                                   : kinds_last[v->n_app - 1][i];
    }
    v->t_end = v->t_start + span;
    s->kind = EV_START;
    s->ts = v->t_start;
}

/* Starts what comes after an invocation: the next one, a new environment
 * after an OOM, or the end of the slot. */
static void slot_next_invoc(slot *s, int env_ended)
{
    if (s->next_inv >= s->p->n_inv) {
        s->kind = EV_DONE;
        return;
    }
    s->t = s->inv.t_end + rng_range(&s->r, s->p->gap_lo, s->p->gap_hi);
    if (env_ended)
        slot_env_begin(s);
    else
        slot_invoc_begin(s, 0);
}

static int slot_wanted(const slot *s);

void slot_init(slot *s, const plan *p, long index, long ord)
{
    memset(s, 0, sizeof *s);
    s->p = p;
    s->index = index;
    s->ord = ord;
    s->next_inv = index;
    rng_seed(&s->r, mix2(p->seed, 0x5107 + (uint64_t)index));
    s->t = p->base_ms + index * p->step_ms + rng_range(&s->r, 0, p->step_ms / 2);
    if (s->next_inv >= p->n_inv)
        s->kind = EV_DONE;
    else
        slot_env_begin(s);
    if (!slot_wanted(s))
        slot_advance(s);
}

/* Powertools (Python, TypeScript) emits ColdStart; the others do not. */
static int has_cold_blob(const slot *s)
{
    return s->p->spec->rt == RT_PYTHON || s->p->spec->rt == RT_NODE;
}

/* One step of the slot's event sequence, whatever log group it goes to. */
static void slot_step(slot *s)
{
    invoc *v = &s->inv;
    s->seq++;
    switch (s->kind) {
    case EV_INIT_START:
        s->t += ceil_cs(s->init_cs) + rng_range(&s->r, 1, 4);
        slot_invoc_begin(s, 1);
        break;
    case EV_START:
        if (s->p->emf && v->cold && has_cold_blob(s)) {
            s->kind = EV_EMF_COLD;
            break;
        }
        /* fall through */
    case EV_EMF_COLD:
    case EV_APP:
        s->app_i = s->kind != EV_APP ? 0 : s->app_i + 1;
        if (s->app_i < v->n_app) {
            s->kind = EV_APP;
            s->ts = v->t_app[s->app_i];
            break;
        }
        s->ts = v->t_end;
        if (s->p->emf && v->outcome == OUT_OK) {
            s->kind = EV_EMF;
            break;
        }
        s->kind = v->outcome == OUT_TIMEOUT ? EV_TIMEOUT : EV_END;
        break;
    case EV_EMF:
        s->kind = s->p->emf_heavy ? EV_EMF_COUNT : EV_END;
        break;
    case EV_EMF_COUNT:
        s->kind = EV_END;
        break;
    case EV_TIMEOUT:
        s->kind = EV_END;
        break;
    case EV_END:
        s->kind = EV_REPORT;
        break;
    case EV_REPORT:
        if (s->p->emf) {
            s->kind = EV_INSIGHTS;
            s->ts = v->t_end + 2;
            break;
        }
        /* fall through */
    case EV_INSIGHTS:
        if (v->outcome == OUT_OOM) {
            s->kind = EV_OOM_EXIT;
            s->ts = v->t_end;
        } else {
            slot_next_invoc(s, 0);
        }
        break;
    case EV_OOM_EXIT:
        slot_next_invoc(s, 1);
        break;
    default:
        break;
    }
}

/* 1 when the slot's current event belongs to the log group being written. */
static int slot_wanted(const slot *s)
{
    return s->kind == EV_DONE || (s->kind == EV_INSIGHTS) == (g_insights != 0);
}

/* Moves to the next event of the slot (kind EV_DONE at the end) in the log
 * group being written. */
void slot_advance(slot *s)
{
    do
        slot_step(s);
    while (!slot_wanted(s));
    if (s->kind != EV_DONE && s->ts - g_day.start_ms >= DAY_MS)
        die("%s: events run past the end of the day; raise --streams", s->p->spec->name);
}
