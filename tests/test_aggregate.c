/*
 * test_aggregate -- the group table's two forms give the same aggregate,
 * byte for byte and in the same order: the dense directory (every group made
 * before the scan, in key order, no sorting) and the hash map (groups made
 * in log order, then sorted). So do the facet groups' two forms, which the
 * two group tables choose: bucketed by dense group and pooled in one sweep
 * (facets.c), or hashed and pooled by visits. Everything a query computes
 * is read from these tables, so equal tables mean equal results.
 */
#define _POSIX_C_SOURCE 200809L /* the handle's pthread types, under -std=c11 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/aggregate.h"
#include "measure/facets.h"
#include "helpers.h"
#include "run_suite.h"

#define DAY ((int64_t)SERVGAP_DAY)

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t draw(uint32_t n)
{
    return test_draw(&rng, n);
}

/* Names prefix-0 .. prefix-(n-1) of a kind, ids 0 .. n-1. */
static void intern_numbered(servgap_ctx *ctx, int32_t kind, const char *prefix, int n)
{
    char name[32];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s-%d", prefix, i);
        interned(ctx, kind, name);
    }
}

/* Tiered and untiered accounts, tier-wide rows, ANY touchpoints, teams,
 * drivers, every viewpoint and paired responses with importance points. */
static servgap_ctx *mixed_handle(void)
{
    servgap_ctx *ctx = new_ctx();
    const char *tiers[3] = {"enterprise", "mid", "smb"};
    char name[32];
    for (int a = 0; a < 30; a++) {
        snprintf(name, sizeof name, "acct-%d", a);
        account(ctx, name, a % 7 == 3 ? NULL : tiers[a % 3], 1000.0 * a);
    }
    intern_numbered(ctx, SERVGAP_KIND_TOUCHPOINT, "tp", 4);
    intern_numbered(ctx, SERVGAP_KIND_TEAM, "team", 3);
    for (int i = 0; i < 3000; i++) {
        int tierwide = draw(10) == 0;
        int32_t vp = (int32_t)draw(SERVGAP_VP_COUNT);
        int32_t tp = draw(5) == 4 ? SERVGAP_ANY : (int32_t)draw(4);
        int32_t team = draw(3) == 0 ? SERVGAP_NONE : (int32_t)draw(3);
        int32_t driver = vp == SERVGAP_VP_EXPECTED ? (int32_t)draw(3) : SERVGAP_DRIVER_NONE;
        ck_assert_int_eq(servgap_record(ctx, tierwide ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT,
                                        (int32_t)draw(tierwide ? 3 : 30), tp, (int32_t)draw(5), vp,
                                        1.0 + draw(601) / 100.0, (int64_t)draw(60) * DAY + 7, team,
                                        driver),
                         SERVGAP_OK);
    }
    const int32_t items[5] = {0, 1, 2, 3, 4};
    const double points[5] = {10, 20, 30, 25, 15};
    for (int i = 0; i < 200; i++) {
        double e[5], q[5], p[5];
        for (int k = 0; k < 5; k++) {
            e[k] = 1 + draw(7);
            q[k] = draw(4) == 0 ? NAN : 1 + draw(7);
            p[k] = 1 + draw(7);
        }
        ck_assert_int_eq(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, (int32_t)draw(30),
                                                 (int32_t)draw(4), (int64_t)draw(60) * DAY,
                                                 SERVGAP_NONE, SERVGAP_DRIVER_NONE, 5, items, e, q,
                                                 p, draw(2) ? points : NULL),
                         SERVGAP_OK);
    }
    return ctx;
}

static void same_map(const servgap__map *x, const servgap__map *y)
{
    ck_assert_uint_eq(x->elem, y->elem);
    ck_assert_uint_eq(x->n, y->n);
    if (x->n)
        ck_assert_int_eq(memcmp(x->ent, y->ent, x->n * x->elem), 0);
}

/* Equal facet groups, each group's found at its entry: every facet group
 * once, in key order, under the group of its k1. */
static void same_facets(const servgap__facets *x, const servgap__facets *y,
                        const servgap__map *groups)
{
    ck_assert_uint_eq(x->n, y->n);
    if (x->n)
        ck_assert_int_eq(memcmp(x->f, y->f, x->n * sizeof *x->f), 0);
    ck_assert_ptr_nonnull(x->at);
    ck_assert_ptr_nonnull(y->at);
    ck_assert_int_eq(memcmp(x->at, y->at, (groups->n + 1) * sizeof *x->at), 0);
    ck_assert_uint_eq(x->at[0], 0);
    ck_assert_uint_eq(x->at[groups->n], x->n);
    for (size_t i = 0; i < groups->n; i++) {
        const servgap__mapkey *g = servgap__map_at(groups, i);
        ck_assert_uint_le(x->at[i], x->at[i + 1]);
        for (size_t j = x->at[i]; j < x->at[i + 1]; j++) {
            ck_assert_uint_eq(x->f[j].key.k1, g->k1);
            ck_assert_uint_gt(x->f[j].m.n, 0);
            if (j > x->at[i])
                ck_assert_uint_lt(x->f[j - 1].key.k2, x->f[j].key.k2);
        }
    }
}

/* with_pairs: the window holds paired responses. */
static void same_aggregate(servgap_ctx *ctx, int64_t from_day, int64_t to_day, int with_pairs)
{
    servgap__agg dense, hashed;
    ck_assert_int_eq(
        servgap__aggregate(ctx, from_day, to_day, &ctx->opt, SERVGAP__AGG_FACETS, &dense), 0);
    ck_assert_int_eq(servgap__aggregate(ctx, from_day, to_day, &ctx->opt,
                                        SERVGAP__AGG_FACETS | SERVGAP__AGG_HASHED, &hashed),
                     0);
    ck_assert(dense.groups.dense != NULL); /* the two forms really differ */
    ck_assert(hashed.groups.dense == NULL);
    same_map(&dense.groups, &hashed.groups);
    same_facets(&dense.facets, &hashed.facets, &dense.groups);
    same_map(&dense.resp, &hashed.resp);
    /* The paired co-moments, made in the same order (groups refer to them
     * by index, which same_map compared). */
    ck_assert(with_pairs ? dense.npairs > 0 : dense.npairs == 0);
    ck_assert_uint_eq(dense.npairs, hashed.npairs);
    if (dense.npairs) /* (no pairs: no array, and memcmp may not take NULL) */
        ck_assert_int_eq(memcmp(dense.pairs, hashed.pairs, dense.npairs * sizeof *dense.pairs), 0);
    /* Both find every group by its key. */
    for (size_t i = 0; i < dense.groups.n; i++) {
        const servgap__mapkey *k = servgap__map_at(&dense.groups, i);
        ck_assert_ptr_eq(servgap__map_find(&dense.groups, k->k1, 0), k);
        ck_assert_ptr_nonnull(servgap__map_find(&hashed.groups, k->k1, 0));
    }
    servgap__agg_free(&dense);
    servgap__agg_free(&hashed);
}

/* Paired co-moments of group g (n 0 when it has none). */
static servgap__comoments group_pair(const servgap__agg *agg, const servgap__group *g, int pa)
{
    const servgap__pairs *x = servgap__group_pairs(agg, g);
    servgap__comoments none = {0, 0.0, 0.0, 0.0, 0.0, 0.0};
    return x ? (pa ? x->pa : x->pe) : none;
}

/* Add source group g's pairs to the sums of target key k1. */
static void pair_into(const servgap__agg *agg, const servgap__group *g, uint64_t k1, int64_t *n,
                      double *sum)
{
    const servgap__group *t = servgap__map_find(&agg->groups, k1, 0);
    ck_assert_ptr_nonnull(t);
    size_t i = (size_t)(t - (const servgap__group *)agg->groups.ent);
    for (int pa = 0; pa < 2; pa++) {
        servgap__comoments c = group_pair(agg, g, pa);
        n[2 * i + (size_t)pa] += c.n;
        sum[2 * i + (size_t)pa] += (double)c.n * c.mx;
    }
}

/* A tier's pooled groups hold the pairs of its accounts and its tier-wide
 * rows, and an all-touchpoints group those of its scope's touchpoints:
 * counts exactly, perceived means to rounding. Worked out from the
 * sources, not from how pooling merges them. */
START_TEST(test_pairs_pool_and_roll_up)
{
    servgap_ctx *ctx = mixed_handle();
    servgap__agg agg;
    ck_assert_int_eq(servgap__aggregate(ctx, INT64_MIN, INT64_MAX, &ctx->opt, 0, &agg), 0);
    size_t ng = agg.groups.n;
    int64_t *n = calloc(2 * ng, sizeof *n);
    double *sum = calloc(2 * ng, sizeof *sum);
    ck_assert(n && sum);
    for (size_t i = 0; i < ng; i++) {
        const servgap__group *g = servgap__map_at(&agg.groups, i);
        uint32_t scope = (uint32_t)(g->key.k1 >> 32), tp = (uint32_t)(g->key.k1 >> 16) & 0xffffu;
        uint32_t metric = (uint32_t)g->key.k1 & 0xffffu;
        if (tp == SERVGAP__TP_ALL)
            continue;
        int64_t pooled = servgap__pooled_scope(ctx, scope);
        if (pooled >= 0)
            pair_into(&agg, g, servgap__gkey((uint32_t)pooled, tp, metric), n, sum);
        pair_into(&agg, g, servgap__gkey(scope, SERVGAP__TP_ALL, metric), n, sum);
    }
    int64_t checked = 0;
    for (size_t i = 0; i < ng; i++) {
        const servgap__group *g = servgap__map_at(&agg.groups, i);
        uint32_t scope = (uint32_t)(g->key.k1 >> 32), tp = (uint32_t)(g->key.k1 >> 16) & 0xffffu;
        if (!(scope & SERVGAP__SCOPE_POOLED) && tp != SERVGAP__TP_ALL)
            continue; /* a source only */
        for (int pa = 0; pa < 2; pa++) {
            servgap__comoments c = group_pair(&agg, g, pa);
            ck_assert_int_eq(c.n, n[2 * i + (size_t)pa]);
            if (c.n > 0)
                ck_assert_double_eq_tol(c.mx, sum[2 * i + (size_t)pa] / (double)c.n, 1e-9);
            checked += c.n;
        }
    }
    ck_assert_int_gt(checked, 1000);
    free(n);
    free(sum);
    servgap__agg_free(&agg);
    servgap_ctx_free(ctx);
}
END_TEST

/* One row of the windowed handles below. */
typedef struct wrow {
    int32_t kind, scope, tp, metric, vp, team, driver;
    double value;
    int64_t day;
} wrow;

static servgap_ctx *window_handle(void)
{
    servgap_ctx *ctx = new_ctx();
    const char *tiers[2] = {"gold", "silver"};
    char name[32];
    for (int a = 0; a < 20; a++) {
        snprintf(name, sizeof name, "acct-%d", a);
        account(ctx, name, a % 5 == 4 ? NULL : tiers[a % 2], 1.0);
    }
    intern_numbered(ctx, SERVGAP_KIND_TOUCHPOINT, "tp", 3);
    intern_numbered(ctx, SERVGAP_KIND_TEAM, "team", 4);
    return ctx;
}

static void record_wrow(servgap_ctx *ctx, const wrow *w)
{
    ck_assert_int_eq(servgap_record(ctx, w->kind, w->scope, w->tp, w->metric, w->vp, w->value,
                                    w->day * DAY + 7, w->team, w->driver),
                     SERVGAP_OK);
}

/* Whether a window [from, to) with a look-back of lookback days reads an
 * observation of viewpoint vp on day: events in the window, survey
 * viewpoints from the look-back on (docs/concepts.md, section 13). */
static int window_reads(const wrow *w, int64_t from, int64_t to, int64_t lookback)
{
    int survey = w->vp == SERVGAP_VP_EXPECTED || w->vp == SERVGAP_VP_ADEQUATE ||
                 w->vp == SERVGAP_VP_BELIEVED;
    int64_t first = survey && to - lookback < from ? to - lookback : from;
    return w->day >= first && w->day < to;
}

/* A window's aggregate holds exactly the rows it reads: it equals the
 * whole aggregate of a handle given only those rows, in the same order.
 * The log spans three chunks (65,536 rows each), and the windows cut
 * through them: the scan selects each chunk's rows by their day and
 * viewpoint columns. (Declarations, read as they stood in force, are
 * test_time's.) */
START_TEST(test_window_selects_its_days)
{
    enum { NROWS = 150000 };
    wrow *rows = malloc(NROWS * sizeof *rows);
    ck_assert_ptr_nonnull(rows);
    servgap_ctx *all = window_handle();
    for (int i = 0; i < NROWS; i++) {
        wrow *w = &rows[i];
        int tierwide = draw(12) == 0;
        w->kind = tierwide ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT;
        w->scope = (int32_t)draw(tierwide ? 2 : 20);
        w->tp = draw(6) == 0 ? SERVGAP_ANY : (int32_t)draw(3);
        w->metric = (int32_t)draw(5);
        static const int32_t not_declared[5] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_ADEQUATE,
                                                SERVGAP_VP_BELIEVED, SERVGAP_VP_DELIVERED,
                                                SERVGAP_VP_PERCEIVED};
        w->vp = not_declared[draw(5)];
        w->team = draw(3) == 0 ? SERVGAP_NONE : (int32_t)draw(4);
        w->driver = w->vp == SERVGAP_VP_EXPECTED ? (int32_t)draw(3) : SERVGAP_DRIVER_NONE;
        w->value = 1.0 + draw(601) / 100.0;
        /* Days mostly in log order, as a help desk appends them, with
         * stragglers from any day. */
        w->day = draw(10) == 0 ? (int64_t)draw(60) : (int64_t)i * 60 / NROWS;
        record_wrow(all, w);
    }
    ck_assert_uint_eq(all->store.nchunk, 3);
    const int64_t lookback = 20;
    ck_assert_int_eq(servgap_ctx_set_option(all, SERVGAP_OPT_LOOKBACK_DAYS, (double)lookback),
                     SERVGAP_OK);
    const int64_t win[6][2] = {{0, 60}, {10, 25}, {0, 1}, {59, 60}, {21, 22}, {40, 50}};
    for (int k = 0; k < 6; k++) {
        servgap_ctx *only = window_handle();
        for (int i = 0; i < NROWS; i++)
            if (window_reads(&rows[i], win[k][0], win[k][1], lookback))
                record_wrow(only, &rows[i]);
        ck_assert_uint_gt(only->store.count, 1000);
        servgap__agg x, y;
        uint32_t how = SERVGAP__AGG_FACETS;
        ck_assert_int_eq(servgap__aggregate(all, win[k][0], win[k][1], &all->opt, how, &x), 0);
        ck_assert_int_eq(servgap__aggregate(only, INT64_MIN, INT64_MAX, &only->opt, how, &y), 0);
        ck_assert(x.groups.dense != NULL && y.groups.dense != NULL);
        same_map(&x.groups, &y.groups);
        same_facets(&x.facets, &y.facets, &x.groups);
        servgap__agg_free(&x);
        servgap__agg_free(&y);
        servgap_ctx_free(only);
    }
    servgap_ctx_free(all);
    free(rows);
}
END_TEST

START_TEST(test_dense_equals_hashed)
{
    servgap_ctx *ctx = mixed_handle();
    same_aggregate(ctx, INT64_MIN, INT64_MAX, 1); /* everything */
    same_aggregate(ctx, 10, 40, 1);               /* a window: rows outside make no groups */
    same_aggregate(ctx, 100, 200, 0);             /* an empty window */
    servgap__agg agg;
    ck_assert_int_eq(
        servgap__aggregate(ctx, INT64_MIN, INT64_MAX, &ctx->opt, SERVGAP__AGG_FACETS, &agg), 0);
    ck_assert_int_eq(servgap__facetscan_fits(ctx, &agg.groups, ctx->store.count), 1);
    ck_assert_uint_gt(agg.facets.n, 1000); /* rows', pooled and rolled up */
    servgap__agg_free(&agg);
    ck_assert_int_eq(servgap__aggregate(ctx, INT64_MIN, INT64_MAX, &ctx->opt, 0, &agg), 0);
    ck_assert_uint_gt(agg.groups.n, 100);
    ck_assert_uint_eq(agg.facets.n, 0); /* no facets asked for */
    ck_assert_ptr_null(agg.facets.at);
    servgap__agg_free(&agg);
    servgap_ctx_free(ctx);
}
END_TEST

/* With a thousand teams the code-indexed tables of the pooled groups
 * would outgrow the group directory: the facets stay hashed over the dense
 * group table, with the same result. */
START_TEST(test_many_teams_keep_facets_hashed)
{
    servgap_ctx *ctx = new_ctx();
    const char *tiers[2] = {"gold", "silver"};
    char name[32];
    for (int a = 0; a < 12; a++) {
        snprintf(name, sizeof name, "acct-%d", a);
        account(ctx, name, tiers[a % 2], 1.0);
    }
    intern_numbered(ctx, SERVGAP_KIND_TOUCHPOINT, "tp", 3);
    intern_numbered(ctx, SERVGAP_KIND_TEAM, "team", 1000);
    for (int i = 0; i < 2000; i++) {
        int32_t vp = (int32_t)draw(SERVGAP_VP_COUNT);
        int32_t driver = vp == SERVGAP_VP_EXPECTED ? (int32_t)draw(5) : SERVGAP_DRIVER_NONE;
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, (int32_t)draw(12),
                                        (int32_t)draw(3), (int32_t)draw(5), vp,
                                        1.0 + draw(601) / 100.0, (int64_t)draw(30) * DAY,
                                        (int32_t)draw(1000), driver),
                         SERVGAP_OK);
    }
    servgap__agg agg;
    ck_assert_int_eq(
        servgap__aggregate(ctx, INT64_MIN, INT64_MAX, &ctx->opt, SERVGAP__AGG_FACETS, &agg), 0);
    ck_assert(agg.groups.dense != NULL);
    ck_assert_int_eq(servgap__facetscan_fits(ctx, &agg.groups, ctx->store.count), 0);
    servgap__agg_free(&agg);
    same_aggregate(ctx, INT64_MIN, INT64_MAX, 0); /* no responses */
    servgap_ctx_free(ctx);
}
END_TEST

/* A key space far larger than the rows (many accounts, touchpoints and
 * metrics, few observations) keeps the hash: the directory would cost more
 * than the table. */
START_TEST(test_sparse_space_stays_hashed)
{
    servgap_ctx *ctx = new_ctx();
    char name[32];
    for (int a = 0; a < 3000; a++) {
        snprintf(name, sizeof name, "acct-%d", a);
        account(ctx, name, "smb", 1.0);
    }
    for (int t = 0; t < 40; t++) {
        snprintf(name, sizeof name, "tp-%d", t);
        touchpoint(ctx, name);
    }
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, i * 59, i % 40, i % 5,
                                        SERVGAP_VP_PERCEIVED, 4.0, i * DAY, SERVGAP_NONE,
                                        SERVGAP_DRIVER_NONE),
                         SERVGAP_OK);
    servgap__agg agg;
    ck_assert_int_eq(servgap__aggregate(ctx, INT64_MIN, INT64_MAX, &ctx->opt, 0, &agg), 0);
    ck_assert(agg.groups.dense == NULL);
    /* 50 groups and their 50 roll-ups; the tier pools them into 40
     * (touchpoint, metric) groups (i and i + 40 share both) and 5 roll-ups. */
    ck_assert_uint_eq(agg.groups.n, 145);
    servgap__agg_free(&agg);
    servgap_ctx_free(ctx);
}
END_TEST

/* A dense map also grows like a hashed one: entries made in any order by
 * servgap__map_get sort into key order and stay findable. */
static size_t number_of(const uint32_t space[4], uint64_t k1, uint64_t k2)
{
    (void)k2;
    return (size_t)(k1 % space[0]);
}

START_TEST(test_dense_map_grows_and_sorts)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__map m;
    servgap__map_init(&m, &a, sizeof(servgap__facetgroup));
    const uint32_t space[4] = {1000, 0, 0, 0};
    ck_assert_int_eq(servgap__map_dense(&m, number_of, space, 1000), 0);
    for (int i = 0; i < 600; i++) {
        uint64_t k = (uint64_t)(i * 7919) % 1000; /* a permutation of 0..999 */
        int created;
        servgap__facetgroup *f = servgap__map_get(&m, k, 0, &created);
        ck_assert_ptr_nonnull(f);
        ck_assert_int_eq(created, 1);
        f->m.n = (int64_t)k;
    }
    servgap__map_sort(&m);
    ck_assert_uint_eq(m.n, 600);
    for (size_t i = 0; i < m.n; i++) {
        const servgap__facetgroup *f = servgap__map_at(&m, i);
        ck_assert_int_eq(f->m.n, (int64_t)f->key.k1);
        if (i > 0)
            ck_assert_uint_lt(((const servgap__facetgroup *)servgap__map_at(&m, i - 1))->key.k1,
                              f->key.k1);
        ck_assert_ptr_eq(servgap__map_find(&m, f->key.k1, 0), f);
    }
    servgap__map_free(&m);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("aggregate");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_dense_equals_hashed);
    tcase_add_test(tc, test_window_selects_its_days);
    tcase_add_test(tc, test_pairs_pool_and_roll_up);
    tcase_add_test(tc, test_many_teams_keep_facets_hashed);
    tcase_add_test(tc, test_sparse_space_stays_hashed);
    tcase_add_test(tc, test_dense_map_grows_and_sorts);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
