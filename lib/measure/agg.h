/*
 * agg -- the tables one window's rows are aggregated into: per (scope,
 * touchpoint, metric) group the moments of each viewpoint, its paired
 * co-moments and its declaration days; per (scope, touchpoint) the
 * respondent-level weighted SERVQUAL scores; the team and driver facets;
 * and what the window read. scan fills them; aggregate makes, pools and
 * hands them on. Relies on groups, facets and declared.
 */
#ifndef SERVGAP_AGG_H
#define SERVGAP_AGG_H

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

/* Empty tables allocating from a, the group table hashed. */
void servgap__agg_init(servgap__agg *agg, const servgap__alloc *a);

/* A group with no moments, pairs or days. */
void servgap__group_init(servgap__group *g);

/* The group of key in agg's table, made empty on first use, and its
 * paired co-moments, made on first use; NULL when memory ran out.
 * Pointers into agg->pairs are invalidated by the next pair made. */
servgap__group *servgap__agg_group(servgap__agg *agg, uint64_t key);
servgap__pairs *servgap__agg_pairs(servgap__agg *agg, servgap__group *g);

void servgap__agg_free(servgap__agg *agg);

#endif
