/*
 * merge -- servgap_ctx_merge: everything src knows appended to dst, ids
 * remapped by name. Conflicts are found and all memory is reserved before
 * dst changes, and a failure rolls interned names back, so a merge is all
 * or nothing. Appending keeps src's row order, so dst afterwards equals a
 * handle fed dst's observations and then src's.
 */
#define _POSIX_C_SOURCE 200809L /* pthread rwlocks and strnlen under -std=c11 */
#include <math.h>
#include <string.h>

#include "ctx.h"

static const char *const fn = "servgap_ctx_merge";

typedef struct remap {
    int32_t *tier, *tp, *team, *metric, *account;
} remap;

static void remap_free(const servgap__alloc *a, remap *m)
{
    servgap__free(a, m->tier);
    servgap__free(a, m->tp);
    servgap__free(a, m->team);
    servgap__free(a, m->metric);
    servgap__free(a, m->account);
}

static const char *tier_name(const servgap_ctx *ctx, int32_t t)
{
    return t < 0 ? "" : ctx->tiers.str[t];
}

/* Conflicting metric definitions or account tiers; dst is not changed. */
static int conflicts(servgap_ctx *dst, const servgap_ctx *src)
{
    for (size_t i = 0; i < src->metrics.names.count; i++) {
        const char *name = src->metrics.names.str[i];
        int32_t d = servgap__names_find(&dst->metrics.names, name, strlen(name));
        if (d >= 0 && !servgap__metric_same(&dst->metrics.m[d], &src->metrics.m[i]))
            return servgap__fail(dst, SERVGAP_ECONFLICT, fn,
                                 "metric '%s' is defined differently in the two handles", name);
    }
    for (size_t i = 0; i < src->accounts.names.count; i++) {
        const char *name = src->accounts.names.str[i];
        int32_t d = servgap__names_find(&dst->accounts.names, name, strlen(name));
        int32_t ts = src->accounts.a[i].tier, td = d >= 0 ? dst->accounts.a[d].tier : -1;
        if (d >= 0 && ts >= 0 && td >= 0 && strcmp(tier_name(src, ts), tier_name(dst, td)) != 0)
            return servgap__fail(dst, SERVGAP_ECONFLICT, fn,
                                 "account '%s' is in tier '%s' here and '%s' in src", name,
                                 tier_name(dst, td), tier_name(src, ts));
    }
    return SERVGAP_OK;
}

/* Intern src's names of a kind into dst; the SERVGAP code, message set. */
static int map_names(servgap_ctx *dst, int32_t kind, const servgap__names *from, int32_t **out)
{
    *out = servgap__malloc(&dst->alloc, from->count, sizeof **out);
    if (!*out)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < from->count; i++) {
        int rc = servgap__intern_locked(dst, fn, kind, from->str[i], &(*out)[i]);
        if (rc != SERVGAP_OK)
            return rc;
    }
    return SERVGAP_OK;
}

static int map_metrics(servgap_ctx *dst, const servgap_ctx *src, int32_t **out)
{
    const servgap__metrics *r = &src->metrics;
    *out = servgap__malloc(&dst->alloc, r->names.count, sizeof **out);
    if (!*out)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < r->names.count; i++) {
        const char *name = r->names.str[i];
        int32_t d = servgap__names_find(&dst->metrics.names, name, strlen(name));
        if (d < 0 && dst->metrics.names.count >= 0xffff)
            return servgap__fail(dst, SERVGAP_ELIMIT, fn, "more than 65535 metrics");
        if (d < 0 && servgap__metrics_add(&dst->metrics, &dst->alloc, name, &r->m[i], &d) != 0)
            return SERVGAP_ENOMEM;
        (*out)[i] = d;
    }
    return SERVGAP_OK;
}

static int map_accounts(servgap_ctx *dst, const servgap_ctx *src, const int32_t *tier,
                        int32_t **out)
{
    const servgap__accounts *r = &src->accounts;
    *out = servgap__malloc(&dst->alloc, r->names.count, sizeof **out);
    if (!*out)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < r->names.count; i++) {
        const char *name = r->names.str[i];
        int32_t d = servgap__names_find(&dst->accounts.names, name, strlen(name));
        int32_t t = r->a[i].tier < 0 ? -1 : tier[r->a[i].tier];
        if (d < 0 &&
            servgap__accounts_add(&dst->accounts, &dst->alloc, name, t, r->a[i].value, &d) != 0)
            return SERVGAP_ENOMEM;
        (*out)[i] = d;
    }
    return SERVGAP_OK;
}

/* Every allocation of the merge, before anything is copied. */
static int prepare(servgap_ctx *dst, const servgap_ctx *src, remap *m)
{
    int rc = map_names(dst, SERVGAP_KIND_TIER, &src->tiers, &m->tier);
    if (rc == SERVGAP_OK)
        rc = map_names(dst, SERVGAP_KIND_TOUCHPOINT, &src->touchpoints, &m->tp);
    if (rc == SERVGAP_OK)
        rc = map_names(dst, SERVGAP_KIND_TEAM, &src->teams, &m->team);
    if (rc == SERVGAP_OK)
        rc = map_metrics(dst, src, &m->metric);
    if (rc == SERVGAP_OK)
        rc = map_accounts(dst, src, m->tier, &m->account);
    void *imp = dst->imp;
    if (rc == SERVGAP_OK && servgap__reserve(&dst->alloc, &imp, &dst->capimp, dst->nimp + src->nimp,
                                             sizeof *dst->imp) != 0)
        rc = SERVGAP_ENOMEM;
    dst->imp = imp;
    if (rc == SERVGAP_OK &&
        servgap__store_reserve(&dst->store, &dst->alloc, src->store.count, src->store.npts) != 0)
        rc = SERVGAP_ENOMEM;
    return rc;
}

/* Attributes only src knows; cannot fail. */
static void copy_attributes(servgap_ctx *dst, const servgap_ctx *src, const remap *m)
{
    for (size_t i = 0; i < src->accounts.names.count; i++) {
        const servgap__account *s = &src->accounts.a[i];
        servgap__account *d = &dst->accounts.a[m->account[i]];
        if (d->tier < 0 && s->tier >= 0)
            d->tier = m->tier[s->tier];
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

static uint32_t scope_map(const remap *m, uint32_t scope)
{
    if (scope & SERVGAP__SCOPE_TIER)
        return (uint32_t)m->tier[scope & ~SERVGAP__SCOPE_TIER] | SERVGAP__SCOPE_TIER;
    return (uint32_t)m->account[scope];
}

/* Importance allocations dst lacks; room was reserved. */
static void copy_importance(servgap_ctx *dst, const servgap_ctx *src, const remap *m)
{
    for (size_t i = 0; i < src->nimp; i++) {
        servgap__importance e = src->imp[i];
        e.scope = scope_map(m, e.scope);
        if (!servgap__importance_find(dst, e.scope, e.whose))
            dst->imp[dst->nimp++] = e;
    }
}

static void copy_rows(servgap_ctx *dst, const servgap_ctx *src, const remap *m)
{
    uint64_t base = dst->store.count;
    servgap__row row;
    for (uint64_t i = 0; i < src->store.count; i++) {
        servgap__store_get(&src->store, i, &row);
        row.scope = scope_map(m, row.scope);
        if (row.tp != SERVGAP__TP_ANY)
            row.tp = (uint16_t)m->tp[row.tp];
        row.metric = (uint16_t)m->metric[row.metric];
        if (row.team >= 0)
            row.team = m->team[row.team];
        servgap__store_push(&dst->store, &row);
    }
    for (size_t i = 0; i < src->store.npts; i++)
        servgap__store_push_points(&dst->store, base + src->store.pts[i].row, src->store.pts[i].p);
}

static int merge_locked(servgap_ctx *dst, const servgap_ctx *src)
{
    int rc = conflicts(dst, src);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__mark mark;
    servgap__mark_take(dst, &mark);
    remap m = {0};
    rc = prepare(dst, src, &m);
    if (rc == SERVGAP_OK) {
        copy_attributes(dst, src, &m);
        copy_importance(dst, src, &m);
        copy_rows(dst, src, &m);
    } else {
        servgap__mark_rollback(dst, &mark);
        if (rc == SERVGAP_ENOMEM)
            servgap__fail(dst, rc, fn, "out of memory");
    }
    remap_free(&dst->alloc, &m);
    return rc;
}

SERVGAP_API int servgap_ctx_merge(servgap_ctx *dst, servgap_ctx *src)
{
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
    int rc = merge_locked(dst, src);
    servgap__unlock(src);
    servgap__unlock(dst);
    return rc;
}
