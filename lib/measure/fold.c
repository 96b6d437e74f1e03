/*
 * fold -- a window's share of the day buckets that loaded summaries left
 * in the handle (model/buckets.h), merged into the aggregate's groups
 * after its scan of the log and before the declarations and the pooling
 * (servgap__agg_fold in aggregate.h). A bucket is read exactly when the
 * scan would read the rows it holds (reads.h): survey viewpoints over the
 * look-back, events, pairs and respondent scores in the window. Buckets
 * are merged in their table order, so a fixed order of summary loads
 * gives the same bits. Relies on aggregate and reads.
 */
#include "../base/platform.h"

#include "aggregate.h"

/* Buckets between two asks whether the call was interrupted. */
#define ASK_EVERY 65536u

static int in_window(const servgap__reads *rd, int32_t day)
{
    return day >= rd->from_day && day < rd->to_day;
}

static int fold_facet(servgap__map *fmap, const servgap__bseries *s, const servgap__moments *m)
{
    int created;
    servgap__facetgroup *f = servgap__map_get(fmap, s->key, s->code, &created);
    if (!f)
        return -1;
    if (created)
        servgap__moments_init(&f->m);
    servgap__moments_merge(&f->m, m);
    return 0;
}

static int fold_days(const servgap_ctx *ctx, const servgap__options *opt, servgap__agg *agg,
                     servgap__map *fmap)
{
    const servgap__buckets *b = &ctx->buckets;
    for (size_t i = 0; i < b->ndays; i++) {
        if (i % ASK_EVERY == 0 && servgap__interrupted(ctx, opt))
            return -1;
        const servgap__bday *d = &b->days[i];
        const servgap__bseries *s = &b->series[d->series];
        int vp = servgap__code_vp(s->code);
        if (!servgap__reads_day(&agg->reads, vp, d->day))
            continue;
        if (s->code >= 8) {
            if (fmap && fold_facet(fmap, s, &d->m) != 0)
                return -1;
            continue;
        }
        servgap__group *g = servgap__agg_group(agg, s->key);
        if (!g)
            return -1;
        servgap__moments_merge(&g->vp[vp], &d->m);
    }
    return 0;
}

static int fold_pairs(const servgap_ctx *ctx, servgap__agg *agg)
{
    const servgap__buckets *b = &ctx->buckets;
    for (size_t i = 0; i < b->npairs; i++) {
        const servgap__bpair *p = &b->pairs[i];
        if (!in_window(&agg->reads, p->day))
            continue;
        servgap__group *g = servgap__agg_group(agg, p->key);
        servgap__pairs *x = g ? servgap__agg_pairs(agg, g) : NULL;
        if (!x)
            return -1;
        servgap__comoments_merge(&x->pe, &p->pe);
        servgap__comoments_merge(&x->pa, &p->pa);
    }
    return 0;
}

static int fold_resp(const servgap_ctx *ctx, servgap__agg *agg)
{
    const servgap__buckets *b = &ctx->buckets;
    for (size_t i = 0; i < b->nresp; i++) {
        const servgap__bresp *r = &b->resp[i];
        if (!in_window(&agg->reads, r->day))
            continue;
        int created;
        servgap__respgroup *g = servgap__map_get(&agg->resp, r->key, 0, &created);
        if (!g)
            return -1;
        if (created)
            servgap__moments_init(&g->sqw);
        servgap__moments_merge(&g->sqw, &r->sqw);
        for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
            g->points[d] += r->points[d];
    }
    return 0;
}

int servgap__agg_fold(const servgap_ctx *ctx, const servgap__options *opt, servgap__agg *agg,
                      servgap__map *fmap)
{
    if (fold_days(ctx, opt, agg, fmap) != 0 || fold_pairs(ctx, agg) != 0)
        return -1;
    return fold_resp(ctx, agg);
}
