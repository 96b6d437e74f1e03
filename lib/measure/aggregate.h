/*
 * aggregate -- one scan of the log over a window into per-group moments:
 * for every (scope, touchpoint, metric) the moments of each viewpoint and
 * the co-moments of paired responses; per team and driver the moments of
 * the viewpoints they split; per (scope, touchpoint) the respondent-level
 * weighted SERVQUAL scores. Then each tier gets pooled groups (its
 * tier-wide observations and all its accounts') and every scope gets its
 * all-touchpoints roll-up. Relies on groups and facets.
 */
#ifndef SERVGAP_AGGREGATE_H
#define SERVGAP_AGGREGATE_H

#include "declared.h"
#include "facets.h"
#include "groups.h"

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
    servgap__decldays *decl; /* the groups' declaration days (declared.h) */
    size_t ndecl, capdecl;
    servgap__reads reads; /* what the window read */
} servgap__agg;

/* Group g's declaration days, or NULL when it has none. */
static inline const servgap__decldays *servgap__group_decl(const servgap__agg *agg,
                                                           const servgap__group *g)
{
    return g->decl ? &agg->decl[g->decl - 1] : NULL;
}

/* Group g's paired co-moments, or NULL when it has none. */
static inline const servgap__pairs *servgap__group_pairs(const servgap__agg *agg,
                                                         const servgap__group *g)
{
    return g->pairs ? &agg->pairs[g->pairs - 1] : NULL;
}

/* What servgap__aggregate builds beside the groups: the team and driver
 * facets; and whether the group table must be hashed even when a dense
 * directory would fit (tests compare the two). */
#define SERVGAP__AGG_FACETS 1u
#define SERVGAP__AGG_HASHED 2u

/* Aggregate what the window [from_day, to_day) reads (reads.h: events in
 * the window, survey viewpoints over the look-back, the declarations in
 * force) into agg (how: the bits above). The caller holds the read lock.
 * Returns 0, or -1 when memory ran out (agg is then still safe to free). */
int servgap__aggregate(const servgap_ctx *ctx, int64_t from_day, int64_t to_day,
                       const servgap__options *opt, uint32_t how, servgap__agg *agg);

/* The group of key in agg's (hashed) table, made empty on first use, and
 * its paired co-moments, made on first use; NULL when memory ran out. */
servgap__group *servgap__agg_group(servgap__agg *agg, uint64_t key);
servgap__pairs *servgap__agg_pairs(servgap__agg *agg, servgap__group *g);

/* Fold the day buckets of ctx's summaries (model/buckets.h) that the
 * window agg->reads reads into agg's groups and respondent groups, and,
 * when fmap is not NULL, the facet buckets into the hashed facet table
 * fmap, in the buckets' table order, so that a fixed order of summary
 * loads gives the same bits. Implemented in fold.c. The caller holds the
 * read lock. 0, or -1 when memory ran out or the call was interrupted. */
int servgap__agg_fold(const servgap_ctx *ctx, const servgap__options *opt, servgap__agg *agg,
                      servgap__map *fmap);
void servgap__agg_free(servgap__agg *agg);

#endif
