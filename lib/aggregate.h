/*
 * aggregate -- one scan of the log over a window into per-group moments:
 * for every (scope, touchpoint, metric) the moments of each viewpoint and
 * the co-moments of paired responses; per team and driver the moments of
 * the viewpoints they split; per (scope, touchpoint) the respondent-level
 * weighted SERVQUAL scores. Then each tier gets pooled groups (its
 * tier-wide observations and all its accounts') and every scope gets its
 * all-touchpoints roll-up. Relies on ctx, stats and map.
 */
#ifndef SERVGAP_AGGREGATE_H
#define SERVGAP_AGGREGATE_H

#include "ctx.h"
#include "map.h"
#include "stats.h"

/* Scope bit of a tier's pooled groups (tier-wide plus all its accounts),
 * beside SERVGAP__SCOPE_TIER groups that hold tier-wide observations only. */
#define SERVGAP__SCOPE_POOLED 0x40000000u
#define SERVGAP__METRIC_ALL   0xffffu

static inline uint64_t servgap__gkey(uint32_t scope, uint32_t tp, uint32_t metric)
{
    return (uint64_t)scope << 32 | (uint64_t)tp << 16 | metric;
}

typedef struct servgap__group {
    servgap__mapkey key; /* k1 = servgap__gkey, k2 = 0 */
    servgap__moments vp[SERVGAP_VP_COUNT];
    uint64_t pairs; /* its paired co-moments: agg->pairs[pairs - 1]; 0: none */
} servgap__group;

/* Paired (perceived, expected) and (perceived, adequate) co-moments. Few
 * groups have paired responses, so they live beside the groups, which
 * they would otherwise grow by 40% for every query's fresh pages. */
typedef struct servgap__pairs {
    servgap__comoments pe, pa;
} servgap__pairs;

/* k1 = group key; k2 = facet << 40 | viewpoint << 32 | facet id. */
typedef struct servgap__facetgroup {
    servgap__mapkey key;
    servgap__moments m;
} servgap__facetgroup;

/* The facet groups of a window in key order; those of the group at entry
 * i of the (sorted) group table are f[at[i]] up to f[at[i + 1]], so that a
 * cell finds its rows without a search. at is NULL when no facets were
 * asked for. */
typedef struct servgap__facets {
    const servgap__alloc *a;
    servgap__facetgroup *f;
    size_t n;
    uint32_t *at;
} servgap__facets;

void servgap__facets_free(servgap__facets *fs);

/* k1 = servgap__gkey(scope, tp, SERVGAP__METRIC_ALL). */
typedef struct servgap__respgroup {
    servgap__mapkey key;
    servgap__moments sqw;             /* respondent-level weighted SERVQUAL scores */
    double points[SERVGAP_DIM_COUNT]; /* summed importance points */
} servgap__respgroup;

typedef struct servgap__agg {
    servgap__map groups, resp;
    servgap__facets facets;
    servgap__pairs *pairs;
    size_t npairs, cappairs;
} servgap__agg;

/* Group g's paired co-moments, or NULL when it has none. */
static inline const servgap__pairs *servgap__group_pairs(const servgap__agg *agg,
                                                         const servgap__group *g)
{
    return g->pairs ? &agg->pairs[g->pairs - 1] : NULL;
}

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

/* What servgap__aggregate builds beside the groups: the team and driver
 * facets; and whether the group table must be hashed even when a dense
 * directory would fit (tests compare the two). */
#define SERVGAP__AGG_FACETS 1u
#define SERVGAP__AGG_HASHED 2u

/* Aggregate the rows whose day is in [from_day, to_day) (how: the bits
 * above). The caller holds the read lock. Returns 0, or -1 when memory ran
 * out (agg is then still safe to free). */
int servgap__aggregate(const servgap_ctx *ctx, int64_t from_day, int64_t to_day,
                       const servgap__options *opt, uint32_t how, servgap__agg *agg);
void servgap__agg_free(servgap__agg *agg);

#endif
