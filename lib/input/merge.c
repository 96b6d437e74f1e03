/*
 * merge -- everything src knows appended to dst, ids remapped by name.
 * Conflicts are found and all memory is reserved before dst changes, and a
 * failure rolls interned names back, so a merge is all or nothing. Every
 * step is a hashed look-up or a copy per entry of src: linear in src.
 * Appending keeps src's row and plan order, so dst afterwards equals a
 * handle fed dst's data and then src's. servgap_ctx_merge and the snapshot
 * loader both come through servgap__merge_locked. Nothing here checks the
 * limits on numbers (model/limits.h): src obeys them as dst does (every
 * way into a handle checks them, the snapshot decoder included), and a
 * merge copies numbers without combining them.
 */
#include "../base/platform.h"

#include "merge.h"

#include <math.h>
#include <string.h>

#include "../model/tables.h"

/* One merge in progress: src's ids mapped to dst's. */
typedef struct job {
    servgap_ctx *dst;
    const servgap_ctx *src;
    const char *func, *label;
    int32_t *tier, *tp, *team, *metric, *account, *owner;
} job;

static void job_free(job *j)
{
    const servgap__alloc *a = &j->dst->alloc;
    servgap__free(a, j->tier);
    servgap__free(a, j->tp);
    servgap__free(a, j->team);
    servgap__free(a, j->metric);
    servgap__free(a, j->account);
    servgap__free(a, j->owner);
}

static const char *tier_name(const servgap_ctx *ctx, int32_t t)
{
    return t < 0 ? "" : ctx->tiers.str[t];
}

/* The id in dst of src's tier ts (-1: none), or, for a tier dst does not
 * know yet, an id that none of dst's tiers has. */
static int32_t dst_tier(const servgap_ctx *dst, const servgap_ctx *src, int32_t ts)
{
    if (ts < 0)
        return -1;
    int32_t d = servgap__names_find(&dst->tiers, src->tiers.str[ts], src->tiers.len[ts]);
    return d >= 0 ? d : (int32_t)dst->tiers.count;
}

/* Conflicting metric definitions or account tiers; dst is not changed. */
static int conflicts(const job *j)
{
    const servgap_ctx *src = j->src;
    servgap_ctx *dst = j->dst;
    for (size_t i = 0; i < src->metrics.names.count; i++) {
        const char *name = src->metrics.names.str[i];
        int32_t d = servgap__names_find(&dst->metrics.names, name, strlen(name));
        if (d >= 0 && !servgap__metric_same(&dst->metrics.m[d], &src->metrics.m[i]))
            return servgap__fail(dst, SERVGAP_ECONFLICT, j->func,
                                 "metric '%s' is defined differently here and in %s", name,
                                 j->label);
    }
    for (size_t i = 0; i < src->accounts.names.count; i++) {
        const char *name = src->accounts.names.str[i];
        int32_t d = servgap__names_find(&dst->accounts.names, name, strlen(name));
        int32_t ts = src->accounts.a[i].tier, td = d >= 0 ? dst->accounts.a[d].tier : -1;
        if (d >= 0 && servgap__account_tier(td, dst_tier(dst, src, ts)) == SERVGAP__TIER_CONFLICT)
            return servgap__fail(dst, SERVGAP_ECONFLICT, j->func,
                                 "account '%s' is in tier '%s' here and '%s' in %s", name,
                                 tier_name(dst, td), tier_name(src, ts), j->label);
    }
    return SERVGAP_OK;
}

/* Intern src's names of a kind into dst; the SERVGAP code, message set. */
static int map_names(job *j, int32_t kind, const servgap__names *from, int32_t **out)
{
    *out = servgap__malloc(&j->dst->alloc, from->count, sizeof **out);
    if (!*out)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < from->count; i++) {
        int rc = servgap__intern_locked(j->dst, j->func, kind, from->str[i], &(*out)[i]);
        if (rc != SERVGAP_OK)
            return rc;
    }
    return SERVGAP_OK;
}

/* Owners are plain names without a kind of their own, hence not interned
 * through servgap__intern_locked. */
static int map_owners(job *j)
{
    const servgap__names *from = &j->src->owners;
    servgap__names *to = &j->dst->owners;
    j->owner = servgap__malloc(&j->dst->alloc, from->count, sizeof *j->owner);
    if (!j->owner)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < from->count; i++) {
        int32_t d = servgap__names_find(to, from->str[i], from->len[i]);
        if (d < 0 && servgap__names_add(to, &j->dst->alloc, from->str[i], from->len[i], &d) != 0)
            return SERVGAP_ENOMEM;
        j->owner[i] = d;
    }
    return SERVGAP_OK;
}

static int map_metrics(job *j)
{
    servgap_ctx *dst = j->dst;
    const servgap__metrics *r = &j->src->metrics;
    j->metric = servgap__malloc(&dst->alloc, r->names.count, sizeof *j->metric);
    if (!j->metric)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < r->names.count; i++) {
        const char *name = r->names.str[i];
        int32_t d = servgap__names_find(&dst->metrics.names, name, strlen(name));
        if (d < 0 && dst->metrics.names.count >= 0xffff)
            return servgap__fail(dst, SERVGAP_ELIMIT, j->func, "more than 65535 metrics");
        if (d < 0 && servgap__metrics_add(&dst->metrics, &dst->alloc, name, &r->m[i], &d) != 0)
            return SERVGAP_ENOMEM;
        j->metric[i] = d;
    }
    return SERVGAP_OK;
}

static int map_accounts(job *j)
{
    servgap_ctx *dst = j->dst;
    const servgap__accounts *r = &j->src->accounts;
    j->account = servgap__malloc(&dst->alloc, r->names.count, sizeof *j->account);
    if (!j->account)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < r->names.count; i++) {
        const char *name = r->names.str[i];
        int32_t d = servgap__names_find(&dst->accounts.names, name, strlen(name));
        int32_t t = r->a[i].tier < 0 ? -1 : j->tier[r->a[i].tier];
        if (d < 0 &&
            servgap__accounts_add(&dst->accounts, &dst->alloc, name, t, r->a[i].value, &d) != 0)
            return SERVGAP_ENOMEM;
        j->account[i] = d;
    }
    return SERVGAP_OK;
}

/* Room for every appended entry, so that the copies cannot fail. */
static int reserve_tables(job *j)
{
    servgap_ctx *dst = j->dst;
    const servgap_ctx *src = j->src;
    void *plans = dst->plans;
    int bad = servgap__importance_reserve(dst, src->nimp) != 0 ||
              servgap__effort_reserve(dst, src->neff) != 0;
    bad = bad || servgap__reserve(&dst->alloc, &plans, &dst->capplans, dst->nplans + src->nplans,
                                  sizeof *dst->plans) != 0;
    dst->plans = plans;
    bad = bad ||
          servgap__store_reserve(&dst->store, &dst->alloc, src->store.count, src->store.npts) != 0;
    return bad ? SERVGAP_ENOMEM : SERVGAP_OK;
}

/* Every allocation of the merge, before anything is copied. */
static int prepare(job *j)
{
    int rc = map_names(j, SERVGAP_KIND_TIER, &j->src->tiers, &j->tier);
    if (rc == SERVGAP_OK)
        rc = map_names(j, SERVGAP_KIND_TOUCHPOINT, &j->src->touchpoints, &j->tp);
    if (rc == SERVGAP_OK)
        rc = map_names(j, SERVGAP_KIND_TEAM, &j->src->teams, &j->team);
    if (rc == SERVGAP_OK)
        rc = map_metrics(j);
    if (rc == SERVGAP_OK)
        rc = map_accounts(j);
    if (rc == SERVGAP_OK)
        rc = map_owners(j);
    if (rc == SERVGAP_OK && j->dst->nplans + j->src->nplans > INT32_MAX)
        rc = servgap__fail(j->dst, SERVGAP_ELIMIT, j->func, "more than 2^31-1 plan items");
    if (rc == SERVGAP_OK)
        rc = reserve_tables(j);
    return rc;
}

/* Attributes only src knows; cannot fail. */
static void copy_attributes(const job *j)
{
    const servgap_ctx *src = j->src;
    for (size_t i = 0; i < src->accounts.names.count; i++) {
        const servgap__account *s = &src->accounts.a[i];
        servgap__account *d = &j->dst->accounts.a[j->account[i]];
        /* conflicts() has ruled out SERVGAP__TIER_CONFLICT. */
        d->tier = servgap__account_tier(d->tier, s->tier < 0 ? -1 : j->tier[s->tier]);
        if (isnan(d->health))
            d->health = s->health;
        if (d->renewal == SERVGAP_TIME_NONE)
            d->renewal = s->renewal;
        if (d->migration == SERVGAP_TIME_NONE)
            d->migration = s->migration;
        d->at_risk |= s->at_risk;
        d->churned |= s->churned;
    }
}

static uint32_t scope_map(const job *j, uint32_t scope)
{
    if (scope & SERVGAP__SCOPE_TIER)
        return (uint32_t)j->tier[scope & ~SERVGAP__SCOPE_TIER] | SERVGAP__SCOPE_TIER;
    return (uint32_t)j->account[scope];
}

/* A touchpoint or metric id; negative values (SERVGAP_ALL, SERVGAP_ANY)
 * are wildcards and stay. */
static int32_t id_map(const int32_t *map, int32_t id)
{
    return id < 0 ? id : map[id];
}

/* Importance allocations dst lacks; room was reserved. src's keys are
 * unique and map to distinct keys, so those appended here never match a
 * later one: the look-up finds only what dst held before. */
static void copy_importance(const job *j)
{
    for (size_t i = 0; i < j->src->nimp; i++) {
        servgap__importance e = j->src->imp[i];
        e.scope = scope_map(j, e.scope);
        if (!servgap__importance_find(j->dst, e.scope, e.whose))
            servgap__importance_append(j->dst, &e);
    }
}

/* Efforts of keys dst lacks; a key dst knows keeps dst's effort. */
static void copy_efforts(const job *j)
{
    for (size_t i = 0; i < j->src->neff; i++) {
        servgap__effort e = j->src->eff[i];
        e.tp = id_map(j->tp, e.tp);
        e.metric = id_map(j->metric, e.metric);
        if (!servgap__effort_find(j->dst, e.gap, e.tp, e.metric))
            servgap__effort_append(j->dst, &e);
    }
}

static void copy_plans(const job *j)
{
    servgap_ctx *dst = j->dst;
    for (size_t i = 0; i < j->src->nplans; i++) {
        servgap__plan p = j->src->plans[i];
        p.owner = j->owner[p.owner];
        p.scope_id =
            p.scope_kind == SERVGAP_SCOPE_TIER ? j->tier[p.scope_id] : j->account[p.scope_id];
        p.tp = id_map(j->tp, p.tp);
        p.metric = id_map(j->metric, p.metric);
        dst->plans[dst->nplans++] = p;
    }
}

static void copy_rows(const job *j)
{
    servgap__store *to = &j->dst->store;
    const servgap__store *from = &j->src->store;
    uint64_t base = to->count;
    servgap__obs obs;
    for (uint64_t i = 0; i < from->count; i++) {
        servgap__store_get(from, i, &obs);
        obs.scope = scope_map(j, obs.scope);
        if (obs.tp != SERVGAP__TP_ANY)
            obs.tp = (uint16_t)j->tp[obs.tp];
        obs.metric = (uint16_t)j->metric[obs.metric];
        if (obs.team >= 0)
            obs.team = j->team[obs.team];
        servgap__store_push(to, &obs);
    }
    for (size_t i = 0; i < from->npts; i++)
        servgap__store_push_points(to, base + from->pts[i].row, from->pts[i].p);
}

int servgap__merge_locked(servgap_ctx *dst, const servgap_ctx *src, const char *func,
                          const char *src_label)
{
    job j = {dst, src, func, src_label, NULL, NULL, NULL, NULL, NULL, NULL};
    int rc = conflicts(&j);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__mark mark;
    servgap__mark_take(dst, &mark);
    rc = prepare(&j);
    if (rc == SERVGAP_OK) {
        copy_attributes(&j);
        copy_importance(&j);
        copy_efforts(&j);
        copy_plans(&j);
        copy_rows(&j);
    } else {
        servgap__mark_rollback(dst, &mark);
        if (rc == SERVGAP_ENOMEM)
            servgap__fail(dst, rc, func, "out of memory");
    }
    job_free(&j);
    return rc;
}

SERVGAP_API int servgap_ctx_merge(servgap_ctx *dst, servgap_ctx *src)
{
    static const char *const fn = "servgap_ctx_merge";
    if (!dst)
        return SERVGAP_EMISUSE;
    if (!src)
        return servgap__fail(dst, SERVGAP_EMISUSE, fn, "src is NULL");
    if (dst == src)
        return servgap__fail(dst, SERVGAP_EINVAL, fn, "cannot merge a handle into itself");
    /* Lock in address order so that two opposite merges cannot deadlock. */
    if (dst < src) {
        servgap__wrlock(dst);
        servgap__rdlock(src);
    } else {
        servgap__rdlock(src);
        servgap__wrlock(dst);
    }
    int rc = servgap__merge_locked(dst, src, fn, "src");
    servgap__unlock(src);
    servgap__unlock(dst);
    return rc;
}
