/*
 * groups -- the vocabulary of a window's groups that the aggregate and the
 * facets share: the group key (scope, touchpoint, metric), a group's
 * moments per viewpoint and its paired co-moments, and which pooled tier
 * group a scope joins. Relies on ctx, map and stats.
 */
#ifndef SERVGAP_GROUPS_H
#define SERVGAP_GROUPS_H

#include "../base/map.h"
#include "../base/stats.h"
#include "../model/buckets.h"
#include "../model/ctx.h"
#include "../model/response.h"

/* Scope bit of a tier's pooled groups (tier-wide plus all its accounts),
 * beside SERVGAP__SCOPE_TIER groups that hold tier-wide observations only. */
#define SERVGAP__SCOPE_POOLED 0x40000000u

static inline uint64_t servgap__gkey(uint32_t scope, uint32_t tp, uint32_t metric)
{
    return servgap__bkey(scope, tp, metric);
}

typedef struct servgap__group {
    servgap__mapkey key; /* k1 = servgap__gkey, k2 = 0 */
    servgap__moments vp[SERVGAP_VP_COUNT];
    uint32_t pairs; /* its paired co-moments: agg->pairs[pairs - 1]; 0: none */
    uint32_t decl;  /* its declaration days: agg->decl[decl - 1]; 0: none */
} servgap__group;

/* Paired (perceived, expected) and (perceived, adequate) co-moments. Few
 * groups have paired responses, so they live beside the groups, which
 * they would otherwise grow by 40% for every query's fresh pages. */
typedef struct servgap__pairs {
    servgap__comoments pe, pa;
} servgap__pairs;

/* The pooled scope a group of scope joins: its tier's, or none (-1). */
static inline int64_t servgap__pooled_scope(const servgap_ctx *ctx, uint32_t scope)
{
    if (scope & SERVGAP__SCOPE_POOLED)
        return -1;
    if (scope & SERVGAP__SCOPE_TIER)
        return (int64_t)(scope | SERVGAP__SCOPE_POOLED);
    int32_t t = ctx->accounts.a[scope].tier;
    return t < 0 ? -1 : (int64_t)((uint32_t)t | SERVGAP__SCOPE_TIER | SERVGAP__SCOPE_POOLED);
}

#endif
