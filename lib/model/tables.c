/*
 * tables -- the keyed tables and their indexes. A key is two words: an
 * allocation's scope and whose, an effort's gap and touchpoint and its
 * metric, each id as its 32 bits, so that any two different keys differ
 * (SERVGAP_ALL included).
 */
#include "../base/platform.h"

#include "tables.h"

static void importance_key(uint32_t scope, int32_t whose, uint64_t *k1, uint64_t *k2)
{
    *k1 = scope;
    *k2 = (uint32_t)whose;
}

static void effort_key(int32_t gap, int32_t tp, int32_t metric, uint64_t *k1, uint64_t *k2)
{
    *k1 = (uint64_t)(uint32_t)gap << 32 | (uint32_t)tp;
    *k2 = (uint32_t)metric;
}

const servgap__importance *servgap__importance_find(const servgap_ctx *ctx, uint32_t scope,
                                                    int32_t whose)
{
    uint64_t k1, k2;
    importance_key(scope, whose, &k1, &k2);
    int64_t i = servgap__index_find(&ctx->impix, k1, k2);
    return i < 0 ? NULL : &ctx->imp[i];
}

int servgap__importance_reserve(servgap_ctx *ctx, size_t extra)
{
    void *p = ctx->imp;
    if (servgap__reserve(&ctx->alloc, &p, &ctx->capimp, ctx->nimp + extra, sizeof *ctx->imp) != 0)
        return -1;
    ctx->imp = p;
    return servgap__index_reserve(&ctx->impix, &ctx->alloc, extra);
}

void servgap__importance_append(servgap_ctx *ctx, const servgap__importance *e)
{
    uint64_t k1, k2;
    importance_key(e->scope, e->whose, &k1, &k2);
    servgap__index_add(&ctx->impix, k1, k2);
    ctx->imp[ctx->nimp++] = *e;
}

const servgap__effort *servgap__effort_find(const servgap_ctx *ctx, int32_t gap, int32_t tp,
                                            int32_t metric)
{
    uint64_t k1, k2;
    effort_key(gap, tp, metric, &k1, &k2);
    int64_t i = servgap__index_find(&ctx->effix, k1, k2);
    return i < 0 ? NULL : &ctx->eff[i];
}

int servgap__effort_reserve(servgap_ctx *ctx, size_t extra)
{
    void *p = ctx->eff;
    if (servgap__reserve(&ctx->alloc, &p, &ctx->capeff, ctx->neff + extra, sizeof *ctx->eff) != 0)
        return -1;
    ctx->eff = p;
    return servgap__index_reserve(&ctx->effix, &ctx->alloc, extra);
}

void servgap__effort_append(servgap_ctx *ctx, const servgap__effort *e)
{
    uint64_t k1, k2;
    effort_key(e->gap, e->tp, e->metric, &k1, &k2);
    servgap__index_add(&ctx->effix, k1, k2);
    ctx->eff[ctx->neff++] = *e;
}

int servgap__tables_reindex(servgap_ctx *ctx)
{
    servgap__index_truncate(&ctx->impix, 0);
    servgap__index_truncate(&ctx->effix, 0);
    if (servgap__index_reserve(&ctx->impix, &ctx->alloc, ctx->nimp) != 0 ||
        servgap__index_reserve(&ctx->effix, &ctx->alloc, ctx->neff) != 0)
        return -1;
    uint64_t k1, k2;
    for (size_t i = 0; i < ctx->nimp; i++) {
        importance_key(ctx->imp[i].scope, ctx->imp[i].whose, &k1, &k2);
        servgap__index_add(&ctx->impix, k1, k2);
    }
    for (size_t i = 0; i < ctx->neff; i++) {
        effort_key(ctx->eff[i].gap, ctx->eff[i].tp, ctx->eff[i].metric, &k1, &k2);
        servgap__index_add(&ctx->effix, k1, k2);
    }
    return 0;
}
