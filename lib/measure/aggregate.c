/*
 * aggregate -- a window's group tables: made before the scan (scan.c)
 * where dense, then the tier pooling and the touchpoint roll-up (of the
 * facet groups too, unless facets.c can bucket them). The scan adds each
 * group's rows in log order and pooling visits groups in key order, so
 * results are reproducible bit for bit.
 */
#include "../base/platform.h"

#include "aggregate.h"

#include "scan.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* Group g's declaration days, made on first use; NULL when memory ran
 * out. Pointers into agg->decl are invalidated by the next one made. */
static servgap__decldays *decl_get(servgap__agg *agg, servgap__group *g)
{
    if (g->decl)
        return &agg->decl[g->decl - 1];
    void *p = agg->decl;
    if (agg->ndecl >= UINT32_MAX ||
        servgap__reserve(agg->groups.a, &p, &agg->capdecl, agg->ndecl + 1, sizeof *agg->decl) != 0)
        return NULL;
    agg->decl = p;
    servgap__decldays *d = &agg->decl[agg->ndecl++];
    servgap__decldays_init(d);
    g->decl = (uint32_t)agg->ndecl;
    return d;
}

/* Merge src into the entry (k1, src's k2) of m, creating it; agg holds
 * the groups' paired co-moments. */
typedef int (*merge_fn)(servgap__agg *agg, servgap__map *m, uint64_t k1, const void *src);

static int group_merge(servgap__agg *agg, servgap__map *m, uint64_t k1, const void *p)
{
    const servgap__group *src = p;
    (void)m; /* agg's groups */
    servgap__group *dst = servgap__agg_group(agg, k1);
    if (!dst)
        return -1;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        servgap__moments_merge(&dst->vp[v], &src->vp[v]);
    if (src->decl) {
        servgap__decldays *d = decl_get(agg, dst);
        if (!d)
            return -1;
        servgap__decldays_merge(d, &agg->decl[src->decl - 1]);
    }
    if (!src->pairs)
        return 0;
    servgap__pairs *d = servgap__agg_pairs(agg, dst);
    if (!d)
        return -1;
    const servgap__pairs *x = &agg->pairs[src->pairs - 1];
    servgap__comoments_merge(&d->pe, &x->pe);
    servgap__comoments_merge(&d->pa, &x->pa);
    return 0;
}

static int facet_merge(servgap__agg *agg, servgap__map *m, uint64_t k1, const void *p)
{
    (void)agg;
    const servgap__facetgroup *src = p;
    int created;
    servgap__facetgroup *dst = servgap__map_get(m, k1, src->key.k2, &created);
    if (!dst)
        return -1;
    if (created)
        servgap__moments_init(&dst->m);
    servgap__moments_merge(&dst->m, &src->m);
    return 0;
}

static int resp_merge(servgap__agg *agg, servgap__map *m, uint64_t k1, const void *p)
{
    (void)agg;
    const servgap__respgroup *src = p;
    int created;
    servgap__respgroup *dst = servgap__map_get(m, k1, 0, &created);
    if (!dst)
        return -1;
    if (created)
        servgap__moments_init(&dst->sqw);
    servgap__moments_merge(&dst->sqw, &src->sqw);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        dst->points[d] += src->points[d];
    return 0;
}

typedef struct pooling {
    const servgap_ctx *ctx;
    servgap__agg *agg;
    servgap__map *m;
    merge_fn merge;
} pooling;

/* Only groups of the scan pool and roll up: a dense table holds the
 * (empty) pooled and all-touchpoints groups from the start. */
static int is_rollup(uint64_t k1)
{
    return ((k1 >> 16) & 0xffffu) == SERVGAP__TP_ALL;
}

static int pool_into_tier(void *arg, const void *entry)
{
    const pooling *p = arg;
    uint64_t k1 = ((const servgap__mapkey *)entry)->k1;
    int64_t t = servgap__pooled_scope(p->ctx, (uint32_t)(k1 >> 32));
    if (t < 0 || is_rollup(k1))
        return 0;
    return p->merge(p->agg, p->m, (uint64_t)t << 32 | (k1 & 0xffffffffu), entry);
}

static int roll_up_touchpoints(void *arg, const void *entry)
{
    const pooling *p = arg;
    uint64_t k1 = ((const servgap__mapkey *)entry)->k1;
    uint32_t scope = (uint32_t)(k1 >> 32);
    if (is_rollup(k1))
        return 0;
    return p->merge(p->agg, p->m, servgap__gkey(scope, SERVGAP__TP_ALL, (uint32_t)(k1 & 0xffff)),
                    entry);
}

/* Tier pooling (accounts into their tier, in key order), then the
 * all-touchpoints roll-up of every scope, then the entries in key order.
 * The first sort makes the visits sequential reads of the table. */
static int pool(const servgap_ctx *ctx, servgap__agg *agg, servgap__map *m, merge_fn merge)
{
    pooling p = {ctx, agg, m, merge};
    servgap__map_sort(m);
    if (servgap__map_visit(m, pool_into_tier, &p) != 0 ||
        servgap__map_visit(m, roll_up_touchpoints, &p) != 0)
        return -1;
    servgap__map_sort(m);
    return 0;
}

/* Groups numbered by (scope, touchpoint, metric) in key order: accounts,
 * then tier-wide and pooled tier scopes; touchpoints, then ALL and ANY. */
static size_t group_number(const uint32_t space[4], uint64_t k1, uint64_t k2)
{
    (void)k2;
    uint32_t scope = (uint32_t)(k1 >> 32), tp = (uint32_t)(k1 >> 16) & 0xffffu;
    size_t s = scope & SERVGAP__SCOPE_TIER
                   ? space[0] + (scope & SERVGAP__SCOPE_POOLED ? space[1] : 0) +
                         (scope & ~(SERVGAP__SCOPE_TIER | SERVGAP__SCOPE_POOLED))
                   : scope;
    size_t t = tp < space[2] ? tp : space[2] + (tp == SERVGAP__TP_ANY);
    return (s * (space[2] + 2u) + t) * space[3] + (k1 & 0xffffu);
}

static void group_key(const uint32_t space[4], size_t number, uint64_t *k1, uint64_t *k2)
{
    size_t per_scope = (space[2] + 2u) * (size_t)space[3];
    size_t s = number / per_scope, t = number % per_scope / space[3];
    uint32_t scope = s < space[0]              ? (uint32_t)s
                     : s < space[0] + space[1] ? (uint32_t)(s - space[0]) | SERVGAP__SCOPE_TIER
                                               : (uint32_t)(s - space[0] - space[1]) |
                                                     SERVGAP__SCOPE_TIER | SERVGAP__SCOPE_POOLED;
    uint32_t tp = t < space[2] ? (uint32_t)t : t == space[2] ? SERVGAP__TP_ALL : SERVGAP__TP_ANY;
    *k1 = servgap__gkey(scope, tp, (uint32_t)(number % space[3]));
    *k2 = 0;
}

/* Mark the groups a scan group pools and rolls up into: its scope's
 * all-touchpoints group and, for a scope in a tier, the tier's pooled two.
 * (Marking them per row instead makes four random writes a row.) */
static void mark_closure(const servgap_ctx *ctx, servgap__map *m)
{
    for (size_t d = servgap__map_next_mark(m, 0); d < m->nslot;
         d = servgap__map_next_mark(m, d + 1)) {
        uint64_t k1, k2;
        group_key(m->space, d, &k1, &k2);
        uint32_t scope = (uint32_t)(k1 >> 32), tp = (uint32_t)(k1 >> 16) & 0xffffu;
        uint32_t metric = (uint32_t)k1 & 0xffffu;
        servgap__map_mark(m, servgap__gkey(scope, SERVGAP__TP_ALL, metric), 0);
        int64_t t = servgap__pooled_scope(ctx, scope);
        if (t >= 0) {
            servgap__map_mark(m, servgap__gkey((uint32_t)t, tp, metric), 0);
            servgap__map_mark(m, servgap__gkey((uint32_t)t, SERVGAP__TP_ALL, metric), 0);
        }
    }
}

/* The rows of a window and its facet rows, counted while marking. */
typedef struct marking {
    uint64_t rows, nfacet;
} marking;

/* A dense group table gets every group the window will have before the
 * scan, in key order: each row's group, and those of mark_closure. Then
 * the scan creates nothing and nothing needs sorting: the scan would create
 * groups in the log's random order. Counts the rows into mk->rows and
 * the facet rows into mk->nfacet, so that the scan's list of them is
 * allocated once. */
static int premake_groups(const servgap_ctx *ctx, const servgap__options *opt, servgap__map *m,
                          const servgap__reads *rd, const servgap__declset *decls, uint16_t *sel,
                          marking *mk)
{
    size_t threads = servgap__split_threads(ctx, opt, ctx->store.count);
    if (servgap__mark_window(ctx, opt, m, rd, threads, sel, &mk->rows, &mk->nfacet) != 0)
        return -1;
    for (size_t i = 0; i < decls->n; i++)
        servgap__map_mark(m, decls->d[i].key, 0);
    mark_closure(ctx, m);
    servgap__group blank;
    memset(&blank, 0, sizeof blank);
    servgap__group_init(&blank);
    return servgap__map_add_marked(m, group_key, &blank);
}

/* The group table is dense when its directory (4 bytes a number) costs
 * no more than 32 bytes per stored row: then the scan needs no hashing
 * and the pooling no sorting. Sparse spaces (many metrics and touchpoints
 * over few rows) keep the hash. (At 8 bytes a row, 20,000 accounts over
 * 1M rows were hashed, and their query spent a third of its time in
 * probes and in sorting 248-byte groups, 16 windows over.) */
static int groups_init(const servgap_ctx *ctx, uint32_t how, servgap__map *m)
{
    servgap__map_init(m, &ctx->alloc, sizeof(servgap__group));
    if (how & SERVGAP__AGG_HASHED)
        return 0;
    uint32_t space[4] = {(uint32_t)ctx->accounts.names.count, (uint32_t)ctx->tiers.count,
                         (uint32_t)ctx->touchpoints.count, (uint32_t)ctx->metrics.names.count};
    double size = ((double)space[0] + 2.0 * space[1]) * (space[2] + 2.0) * space[3];
    double limit = 8.0 * (double)ctx->store.count + 65536.0;
    if (size > limit || size >= (double)UINT32_MAX)
        return 0;
    return servgap__map_dense(m, group_number, space, (size_t)size);
}

/* Where the scan puts the facets: a dense group table premade for nfacet
 * facet rows lets them be bucketed by group (facets.c); otherwise they are
 * hashed and pooled like the groups. 0, or -1 when memory ran out. */
static int facets_init(const servgap_ctx *ctx, const servgap__agg *agg, uint64_t nfacet,
                       servgap__facetscan *fs, servgap__map *fmap, servgap__scanto *to)
{
    if (!servgap__facetscan_fits(ctx, &agg->groups, nfacet)) {
        to->fmap = fmap;
        return 0;
    }
    to->fs = fs;
    return servgap__facetscan_init(fs, ctx, &agg->groups, nfacet);
}

/* The facet groups in key order, once the group table is pooled. */
static int facets_finish(const servgap_ctx *ctx, const servgap__scanto *to, servgap__agg *agg)
{
    if (to->fs)
        return servgap__facets_build(to->fs, ctx, &agg->groups, &agg->facets);
    if (to->fmap && pool(ctx, agg, to->fmap, facet_merge) != 0)
        return -1;
    return to->fmap ? servgap__facets_adopt(&agg->groups, to->fmap, &agg->facets) : 0;
}

/* The declarations in force join their groups (which the scan left
 * without standard and promised moments), with their days. */
static int add_declared(servgap__agg *agg, const servgap__declset *decls)
{
    for (size_t i = 0; i < decls->n; i++) {
        const servgap__declared *d = &decls->d[i];
        servgap__group *g = servgap__agg_group(agg, d->key);
        servgap__decldays *days = g ? decl_get(agg, g) : NULL;
        if (!days)
            return -1;
        int k = servgap__decl_slot(d->vp);
        g->vp[d->vp] = d->m;
        days->first_day[k] = d->first_day;
        days->last_day[k] = d->last_day;
        days->changed[k] = (uint8_t)d->changed;
    }
    return 0;
}

/* Per metric, the oriented threshold below which a value is negative. */
static double *negative_cuts(const servgap_ctx *ctx, const servgap__options *opt)
{
    double *cut = servgap__malloc(&ctx->alloc, ctx->metrics.names.count, sizeof(double));
    for (size_t k = 0; cut && k < ctx->metrics.names.count; k++)
        cut[k] = servgap__negative_cut(&ctx->metrics.m[k], opt->negative_share);
    return cut;
}

/* The scan of rows rows (on threads where it pays), the summaries'
 * buckets, the declarations and the pooling, once the tables are set. */
static int aggregate_into(const servgap_ctx *ctx, const servgap__options *opt,
                          const servgap__scanto *to, uint64_t rows, const servgap__declset *decls,
                          uint16_t *sel)
{
    servgap__agg *agg = to->agg;
    int rc = servgap__scan(ctx, opt, to, servgap__scan_threads(ctx, opt, to, rows), sel);
    if (rc == 0 && !servgap__buckets_empty(&ctx->buckets))
        rc = servgap__agg_fold(ctx, opt, agg, to->fmap);
    if (rc == 0)
        rc = add_declared(agg, decls);
    if (rc == 0)
        rc = pool(ctx, agg, &agg->groups, group_merge);
    if (rc == 0)
        rc = pool(ctx, agg, &agg->resp, resp_merge);
    return rc;
}

int servgap__aggregate(const servgap_ctx *ctx, int64_t from_day, int64_t to_day,
                       const servgap__options *opt, uint32_t how, servgap__agg *agg)
{
    const servgap__alloc *a = &ctx->alloc;
    int facets = (how & SERVGAP__AGG_FACETS) != 0;
    servgap__facetscan fs = {0};
    servgap__map fmap;
    servgap__map_init(&fmap, a, sizeof(servgap__facetgroup));
    servgap__agg_init(agg, a);
    servgap__reads_of(ctx, opt, from_day, to_day, &agg->reads);
    servgap__declset decls = {a, NULL, 0};
    marking mk = {0, 0};
    double *cut = negative_cuts(ctx, opt);
    servgap__scanto to = {agg, cut, NULL, NULL};
    /* The buckets' groups are not marked in a dense table: hash them. */
    if (!servgap__buckets_empty(&ctx->buckets))
        how |= SERVGAP__AGG_HASHED;
    int rc = groups_init(ctx, how, &agg->groups);
    uint16_t *sel = servgap__malloc(a, SERVGAP__CHUNK_MAX, sizeof *sel);
    if (!sel || !cut)
        rc = -1;
    if (rc == 0 && !agg->reads.declarations_in_window)
        rc = servgap__declared_window(ctx, &agg->reads, cut, &decls);
    if (rc == 0 && agg->groups.dense)
        rc = premake_groups(ctx, opt, &agg->groups, &agg->reads, &decls, sel, &mk);
    if (rc == 0 && facets)
        rc = facets_init(ctx, agg, mk.nfacet, &fs, &fmap, &to);
    if (rc == 0)
        rc = aggregate_into(ctx, opt, &to, mk.rows, &decls, sel);
    if (rc == 0)
        rc = facets_finish(ctx, &to, agg);
    servgap__free(a, sel);
    servgap__free(a, cut);
    servgap__declset_free(&decls);
    servgap__facetscan_free(&fs);
    servgap__map_free(&fmap);
    return rc;
}
