/*
 * aggregate -- the scan, the tier pooling and the touchpoint roll-up (of
 * the facet groups too, unless facets.c can bucket them). The scan visits
 * rows in log order and pooling visits groups in key order, so results are
 * reproducible bit for bit.
 */
#include "../base/platform.h"

#include "aggregate.h"

#include "facets.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

typedef struct scan {
    const servgap_ctx *ctx;
    const servgap__options *opt;
    servgap__agg *agg;
    double *cut;            /* per metric: oriented negative-response threshold */
    servgap__facetscan *fs; /* facets over the dense group table, or */
    servgap__map *fmap;     /* facets hashed, or neither */
    servgap__response rs;
} scan;

static void group_init(servgap__group *g)
{
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        servgap__moments_init(&g->vp[v]);
    g->pairs = 0;
    g->decl = 0;
}

/* Group g's paired co-moments, made on first use; NULL when memory ran
 * out. Pointers into agg->pairs are invalidated by the next one made. */
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

static servgap__group *group_get(servgap__map *m, uint64_t key)
{
    int created;
    servgap__group *g = servgap__map_get(m, key, 0, &created);
    if (g && created)
        group_init(g);
    return g;
}

servgap__group *servgap__agg_group(servgap__agg *agg, uint64_t key)
{
    return group_get(&agg->groups, key);
}

static int facet_add(servgap__map *m, uint64_t key, uint64_t k2, double x)
{
    int created;
    servgap__facetgroup *f = servgap__map_get(m, key, k2, &created);
    if (!f)
        return -1;
    if (created)
        servgap__moments_init(&f->m);
    servgap__moments_add(&f->m, x);
    return 0;
}

/* Close the open response: its weighted score joins its (scope, tp). */
static int resp_flush(scan *s)
{
    double score;
    if (!servgap__response_close(&s->rs, &score))
        return 0;
    int created;
    uint64_t key = servgap__gkey(s->rs.scope, s->rs.tp, SERVGAP__METRIC_ALL);
    servgap__respgroup *g = servgap__map_get(&s->agg->resp, key, 0, &created);
    if (!g)
        return -1;
    if (created)
        servgap__moments_init(&g->sqw);
    servgap__moments_add(&g->sqw, score);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        g->points[d] += s->rs.points[d];
    return 0;
}

/* Pairs a response row with the item's earlier expected/adequate rows.
 * 0, or -1 when memory ran out. */
static int resp_row(scan *s, servgap__group *g, const servgap__obs *obs)
{
    double e, a;
    if (!servgap__response_row(&s->rs, &s->ctx->metrics, obs, &e, &a))
        return 0;
    servgap__pairs *x = servgap__agg_pairs(s->agg, g);
    if (!x)
        return -1;
    if (!isnan(e))
        servgap__comoments_add(&x->pe, obs->value, e);
    if (!isnan(a))
        servgap__comoments_add(&x->pa, obs->value, a);
    return 0;
}

static int scan_row(scan *s, uint64_t i, const servgap__obs *obs)
{
    if (servgap__response_ends(obs)) {
        if (resp_flush(s) != 0)
            return -1;
        if (obs->bits & SERVGAP__BIT_START)
            servgap__response_open(&s->rs, &s->ctx->store, i, obs);
    }
    uint64_t key = servgap__gkey(obs->scope, obs->tp, obs->metric);
    servgap__group *g = group_get(&s->agg->groups, key);
    if (!g)
        return -1;
    int vp = SERVGAP__BITS_VP(obs->bits);
    const servgap__metric *m = &s->ctx->metrics.m[obs->metric];
    servgap__moments_add(&g->vp[vp], obs->value);
    if (servgap__orient(m, obs->value) < s->cut[obs->metric])
        g->vp[vp].neg++;
    if ((obs->bits & SERVGAP__BIT_RESPONSE) && resp_row(s, g, obs) != 0)
        return -1;
    uint64_t k2;
    if (s->fs)
        servgap__facetscan_add(s->fs, (size_t)(g - (servgap__group *)s->agg->groups.ent), obs);
    else if (s->fmap && servgap__obs_facet(obs, &k2) &&
             facet_add(s->fmap, key, k2, obs->value) != 0)
        return -1;
    return 0;
}

/* Rows come in log order, so their groups are random accesses into a
 * table far larger than the caches. Reading the log ahead lets a scan hint
 * the directory slot of row i + AHEAD and the group of row i + AHEAD / 2
 * while it works on row i, so that the cache misses overlap instead of
 * being waited for one by one. */
#define AHEAD 16
/* The ring holds rows i .. i + AHEAD: loading row i + AHEAD must not
 * overwrite row i. */
#define RING ((uint64_t)2 * AHEAD)

/* A pass over one chunk's rows in the window, sel[0 .. n) their offsets:
 * a window of a few weeks holds a tenth of a year's rows, and reading the
 * day column alone to find them costs far less than loading every row. */
typedef struct lookahead {
    const servgap_ctx *ctx;
    const servgap__options *opt; /* asked whether the call was interrupted */
    const servgap__map *m;
    const servgap__map *facets; /* or NULL */
    int entries;                /* hint entries too (they exist) */
    const servgap__chunk *c;
    uint64_t base; /* log index of the chunk's first row */
    const uint16_t *sel;
    size_t n;
    servgap__obs ring[RING];
} lookahead;

/* Which viewpoints a window reads inside it, and which also over the
 * look-back before it (reads.h), by viewpoint number: standing
 * declarations come from declared.c instead. Withdrawal rows are never
 * read here (not_withdrawal). */
static const uint8_t read_in_window[2][8] = {{1, 1, 1, 0, 1, 0, 1, 0}, {1, 1, 1, 1, 1, 1, 1, 0}};
static const uint8_t read_in_lookback[8] = {1, 1, 1, 0, 0, 0, 0, 0};

static unsigned not_withdrawal(uint8_t bits)
{
    return (bits & (SERVGAP__BIT_START | SERVGAP__BIT_RESPONSE)) != SERVGAP__BIT_START;
}

/* The offsets of chunk c's rows the window rd reads into sel
 * (SERVGAP__CHUNK_MAX entries); their count. Branch-free, as in a
 * window of a few weeks the test goes either way at random. */
static size_t select_rows(const servgap__chunk *c, const servgap__reads *rd, uint16_t *sel)
{
    const uint8_t *in_window = read_in_window[rd->declarations_in_window != 0];
    size_t n = 0;
    for (size_t k = 0; k < c->n; k++) {
        int64_t day = c->day[k];
        unsigned vp = c->bits[k] & 7u;
        sel[n] = (uint16_t)k;
        n += (day < rd->to_day) & not_withdrawal(c->bits[k]) &
             ((in_window[vp] & (day >= rd->from_day)) |
              (read_in_lookback[vp] & (day >= rd->survey_from_day)));
    }
    return n;
}

static void ahead_load(lookahead *la, size_t j)
{
    servgap__obs *r = &la->ring[j % RING];
    servgap__store_chunk_get(la->c, la->sel[j], r);
    uint64_t key = servgap__gkey(r->scope, r->tp, r->metric), k2;
    servgap__map_prefetch_slot(la->m, key, 0);
    if (la->facets && servgap__obs_facet(r, &k2))
        servgap__map_prefetch_slot(la->facets, key, k2);
}

static void ahead_entries(const lookahead *la, const servgap__obs *h)
{
    uint64_t key = servgap__gkey(h->scope, h->tp, h->metric), k2;
    servgap__map_prefetch_entry(la->m, key, 0,
                                offsetof(servgap__group, vp) +
                                    (size_t)SERVGAP__BITS_VP(h->bits) * sizeof(servgap__moments));
    if (la->facets && servgap__obs_facet(h, &k2))
        servgap__map_prefetch_entry(la->facets, key, k2, offsetof(servgap__facetgroup, m));
}

/* The chunk's j-th selected row, with the hints for the rows after it. */
static const servgap__obs *ahead_get(lookahead *la, size_t j)
{
    for (size_t k = j == 0 ? 0 : j + AHEAD; k <= j + AHEAD && k < la->n; k++)
        ahead_load(la, k);
    if (la->entries && j + AHEAD / 2 < la->n)
        ahead_entries(la, &la->ring[(j + AHEAD / 2) % RING]);
    return &la->ring[j % RING];
}

/* Call visit on each row of the log the window rd reads, in log order
 * with its log index; stops at the first nonzero return, which it returns.
 * sel has room for SERVGAP__CHUNK_MAX offsets. */
typedef int (*row_fn)(void *arg, uint64_t i, const servgap__obs *row);

static int visit_window(const servgap__store *st, lookahead *la, const servgap__reads *rd,
                        uint16_t *sel, row_fn visit, void *arg)
{
    la->sel = sel;
    for (size_t c = 0; c < st->nchunk; c++) {
        if (servgap__interrupted(la->ctx, la->opt))
            return -1;
        la->c = &st->chunk[c];
        la->base = (uint64_t)c * SERVGAP__CHUNK_MAX;
        la->n = select_rows(la->c, rd, sel);
        for (size_t j = 0; j < la->n; j++) {
            int rc = visit(arg, la->base + sel[j], ahead_get(la, j));
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

static int scan_visit(void *arg, uint64_t i, const servgap__obs *obs)
{
    return scan_row(arg, i, obs);
}

static int scan_log(scan *s, uint16_t *sel)
{
    /* A response lies wholly in or out of a day range (one day): inside
     * the look-back but before the window only its perceived rows are
     * left out, and with them its pairs. */
    lookahead la = {
        .ctx = s->ctx, .opt = s->opt, .m = &s->agg->groups, .facets = s->fmap, .entries = 1};
    if (visit_window(&s->ctx->store, &la, &s->agg->reads, sel, scan_visit, s) != 0)
        return -1;
    return resp_flush(s);
}

/* Merge src into the entry (k1, src's k2) of m, creating it; agg holds
 * the groups' paired co-moments. */
typedef int (*merge_fn)(servgap__agg *agg, servgap__map *m, uint64_t k1, const void *src);

static int group_merge(servgap__agg *agg, servgap__map *m, uint64_t k1, const void *p)
{
    const servgap__group *src = p;
    servgap__group *dst = group_get(m, k1);
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

/* premake_groups' visit: a row's group is marked, a facet row counted. */
typedef struct marking {
    servgap__map *m;
    uint64_t nfacet;
} marking;

static int mark_visit(void *arg, uint64_t i, const servgap__obs *obs)
{
    (void)i;
    marking *mk = arg;
    uint64_t k2;
    servgap__map_mark(mk->m, servgap__gkey(obs->scope, obs->tp, obs->metric), 0);
    mk->nfacet += servgap__obs_facet(obs, &k2);
    return 0;
}

/* A dense group table gets every group the window will have before the
 * scan, in key order: each row's group, and those of mark_closure. Then
 * the scan creates nothing and nothing needs sorting: the scan would create
 * groups in the log's random order. Counts the facet rows into *nfacet
 * (if not NULL), so that the scan's list of them is allocated once. */
static int premake_groups(const servgap_ctx *ctx, const servgap__options *opt, servgap__map *m,
                          const servgap__reads *rd, const servgap__declset *decls, uint16_t *sel,
                          uint64_t *nfacet)
{
    /* An interrupted marking leaves groups out; the scan stops too. */
    lookahead la = {.ctx = ctx, .opt = opt, .m = m};
    marking mk = {m, 0};
    (void)visit_window(&ctx->store, &la, rd, sel, mark_visit, &mk);
    for (size_t i = 0; i < decls->n; i++)
        servgap__map_mark(m, decls->d[i].key, 0);
    if (nfacet)
        *nfacet = mk.nfacet;
    mark_closure(ctx, m);
    servgap__group blank;
    memset(&blank, 0, sizeof blank);
    group_init(&blank);
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
                       servgap__facetscan *fs, servgap__map *fmap, scan *s)
{
    if (!servgap__facetscan_fits(ctx, &agg->groups, nfacet)) {
        s->fmap = fmap;
        return 0;
    }
    s->fs = fs;
    return servgap__facetscan_init(fs, ctx, &agg->groups, nfacet);
}

/* The facet groups in key order, once the group table is pooled. */
static int facets_finish(const servgap_ctx *ctx, const scan *s, servgap__agg *agg)
{
    if (s->fs)
        return servgap__facets_build(s->fs, ctx, &agg->groups, &agg->facets);
    if (s->fmap && pool(ctx, agg, s->fmap, facet_merge) != 0)
        return -1;
    return s->fmap ? servgap__facets_adopt(&agg->groups, s->fmap, &agg->facets) : 0;
}

/* The declarations in force join their groups (which the scan left
 * without standard and promised moments), with their days. */
static int add_declared(servgap__agg *agg, const servgap__declset *decls)
{
    for (size_t i = 0; i < decls->n; i++) {
        const servgap__declared *d = &decls->d[i];
        servgap__group *g = group_get(&agg->groups, d->key);
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

static void agg_init(servgap__agg *agg, const servgap__alloc *a)
{
    memset(&agg->facets, 0, sizeof agg->facets);
    servgap__map_init(&agg->resp, a, sizeof(servgap__respgroup));
    agg->pairs = NULL;
    agg->npairs = agg->cappairs = 0;
    agg->decl = NULL;
    agg->ndecl = agg->capdecl = 0;
}

/* The scan, the summaries' buckets, the declarations and the pooling,
 * once the tables are set. */
static int aggregate_into(scan *s, const servgap__declset *decls, uint16_t *sel)
{
    servgap__agg *agg = s->agg;
    int rc = scan_log(s, sel);
    if (rc == 0 && !servgap__buckets_empty(&s->ctx->buckets))
        rc = servgap__agg_fold(s->ctx, s->opt, agg, s->fmap);
    if (rc == 0)
        rc = add_declared(agg, decls);
    if (rc == 0)
        rc = pool(s->ctx, agg, &agg->groups, group_merge);
    if (rc == 0)
        rc = pool(s->ctx, agg, &agg->resp, resp_merge);
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
    agg_init(agg, a);
    servgap__reads_of(ctx, opt, from_day, to_day, &agg->reads);
    servgap__declset decls = {a, NULL, 0};
    uint64_t nfacet = 0;
    scan s = {ctx, opt, agg, negative_cuts(ctx, opt), NULL, NULL, {0}};
    /* The buckets' groups are not marked in a dense table: hash them. */
    if (!servgap__buckets_empty(&ctx->buckets))
        how |= SERVGAP__AGG_HASHED;
    int rc = groups_init(ctx, how, &agg->groups);
    uint16_t *sel = servgap__malloc(a, SERVGAP__CHUNK_MAX, sizeof *sel);
    if (!sel || !s.cut)
        rc = -1;
    if (rc == 0 && !agg->reads.declarations_in_window)
        rc = servgap__declared_window(ctx, &agg->reads, s.cut, &decls);
    if (rc == 0 && agg->groups.dense)
        rc = premake_groups(ctx, opt, &agg->groups, &agg->reads, &decls, sel,
                            facets ? &nfacet : NULL);
    if (rc == 0 && facets)
        rc = facets_init(ctx, agg, nfacet, &fs, &fmap, &s);
    if (rc == 0)
        rc = aggregate_into(&s, &decls, sel);
    if (rc == 0)
        rc = facets_finish(ctx, &s, agg);
    servgap__free(a, sel);
    servgap__free(a, s.cut);
    servgap__declset_free(&decls);
    servgap__facetscan_free(&fs);
    servgap__map_free(&fmap);
    return rc;
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
