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
    servgap__comoments pe, pa; /* paired (perceived, expected), (perceived, adequate) */
} servgap__group;

/* k1 = group key; k2 = facet << 40 | viewpoint << 32 | facet id. */
typedef struct servgap__facetgroup {
    servgap__mapkey key;
    servgap__moments m;
} servgap__facetgroup;

/* k1 = servgap__gkey(scope, tp, SERVGAP__METRIC_ALL). */
typedef struct servgap__respgroup {
    servgap__mapkey key;
    servgap__moments sqw;             /* respondent-level weighted SERVQUAL scores */
    double points[SERVGAP_DIM_COUNT]; /* summed importance points */
} servgap__respgroup;

typedef struct servgap__agg {
    servgap__map groups, facets, resp;
} servgap__agg;

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
