/*
 * agg -- a window's aggregation tables (agg.h).
 */
#include "../base/platform.h"

#include "agg.h"

#include <string.h>

void servgap__agg_init(servgap__agg *agg, const servgap__alloc *a)
{
    memset(agg, 0, sizeof *agg);
    servgap__map_init(&agg->groups, a, sizeof(servgap__group));
    servgap__map_init(&agg->resp, a, sizeof(servgap__respgroup));
}

void servgap__group_init(servgap__group *g)
{
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        servgap__moments_init(&g->vp[v]);
    g->pairs = 0;
    g->decl = 0;
}

servgap__group *servgap__agg_group(servgap__agg *agg, uint64_t key)
{
    int created;
    servgap__group *g = servgap__map_get(&agg->groups, key, 0, &created);
    if (g && created)
        servgap__group_init(g);
    return g;
}

servgap__pairs *servgap__agg_pairs(servgap__agg *agg, servgap__group *g)
{
    if (g->pairs)
        return &agg->pairs[g->pairs - 1];
    void *p = agg->pairs;
    if (agg->npairs >= UINT32_MAX || servgap__reserve(agg->groups.a, &p, &agg->cappairs,
                                                      agg->npairs + 1, sizeof *agg->pairs) != 0)
        return NULL;
    agg->pairs = p;
    servgap__pairs *x = &agg->pairs[agg->npairs++];
    servgap__comoments_init(&x->pe);
    servgap__comoments_init(&x->pa);
    g->pairs = (uint32_t)agg->npairs;
    return x;
}

void servgap__agg_free(servgap__agg *agg)
{
    servgap__free(agg->groups.a, agg->pairs);
    agg->pairs = NULL;
    agg->npairs = agg->cappairs = 0;
    servgap__free(agg->groups.a, agg->decl);
    agg->decl = NULL;
    agg->ndecl = agg->capdecl = 0;
    servgap__map_free(&agg->groups);
    servgap__facets_free(&agg->facets);
    servgap__map_free(&agg->resp);
}
