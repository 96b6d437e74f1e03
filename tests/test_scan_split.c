/*
 * test_scan_split -- a window's scan split by scope across threads
 * (lib/measure/scan.c) makes the aggregate one thread makes, byte for
 * byte: every group's moments, the paired co-moments in the same order,
 * the respondent groups and the facet groups; so a query's JSON report is
 * the same bytes too. The data holds what a part boundary could cut:
 * responses (whose rows must stay in one part), tier-wide rows, untiered
 * accounts, ANY touchpoints, teams, drivers and declarations. Parts are
 * made from a single row up (ctx->scan_split_rows), so a few thousand rows
 * split 2 to 64 ways; each allocation of a split scan fails in turn, and
 * an interrupt comes at each. The findings' reads of what each tier's
 * accounts observed (lib/findings/priorities.c) split by account the same
 * way (ctx->tier_split_reads), and the report stays the same bytes. Links
 * the internal archive, for those fields.
 */
#include "base/platform.h"

#include <check.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/aggregate.h"
#include "measure/scan.h"
#include "model/ctx.h"

#include "gate.h"
#include "helpers.h"
#include "run_suite.h"

#define DAY   ((int64_t)SERVGAP_DAY)
#define FLAGS (SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS)
#define NACC  45

static const int splits[] = {2, 3, 5, 8, 64};
#define NSPLITS (sizeof splits / sizeof *splits)

static void set_threads(servgap_ctx *ctx, int n)
{
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_THREADS, n), SERVGAP_OK);
}

static void numbered(servgap_ctx *ctx, int32_t kind, const char *prefix, int n)
{
    char name[32];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%s-%d", prefix, i);
        interned(ctx, kind, name);
    }
}

static void response(servgap_ctx *ctx, uint64_t *st, int32_t a, int64_t day)
{
    static const int32_t items[5] = {0, 1, 2, 3, 4};
    static const double points[5] = {10, 20, 30, 25, 15};
    double e[5], q[5], p[5];
    for (int k = 0; k < 5; k++) {
        e[k] = 1 + test_draw(st, 7);
        q[k] = test_draw(st, 4) == 0 ? NAN : 1 + test_draw(st, 7);
        p[k] = test_draw(st, 5) == 0 ? NAN : 1 + test_draw(st, 7);
    }
    int32_t tp = test_draw(st, 5) == 4 ? SERVGAP_ANY : (int32_t)test_draw(st, 4);
    ck_assert_int_eq(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, day * DAY,
                                             SERVGAP_NONE, SERVGAP_DRIVER_NONE, 5, items, e, q, p,
                                             test_draw(st, 3) ? points : NULL),
                     SERVGAP_OK);
}

static void event(servgap_ctx *ctx, uint64_t *st, int32_t a, int64_t day)
{
    int tierwide = test_draw(st, 12) == 0;
    int32_t vp = (int32_t)test_draw(st, SERVGAP_VP_COUNT);
    int32_t tp = test_draw(st, 5) == 4 ? SERVGAP_ANY : (int32_t)test_draw(st, 4);
    int32_t team = test_draw(st, 3) == 0 ? SERVGAP_NONE : (int32_t)test_draw(st, 3);
    int32_t driver = vp == SERVGAP_VP_EXPECTED ? (int32_t)test_draw(st, 3) : SERVGAP_DRIVER_NONE;
    ck_assert_int_eq(servgap_record(ctx, tierwide ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT,
                                    tierwide ? (int32_t)test_draw(st, 3) : a, tp,
                                    (int32_t)test_draw(st, 5), vp, 1.0 + test_draw(st, 601) / 100.0,
                                    day * DAY + 7, team, driver),
                     SERVGAP_OK);
}

/* Tiered and untiered accounts over days [0, ndays): events and, every
 * few days, an account's response, interleaved in the log as a helpdesk
 * records them. */
static servgap_ctx *mixed(const servgap_allocator *alloc, uint64_t seed, int64_t ndays)
{
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, alloc), SERVGAP_OK);
    const char *tiers[3] = {"enterprise", "mid", "smb"};
    char name[32];
    for (int a = 0; a < NACC; a++) {
        snprintf(name, sizeof name, "acct-%d", a);
        account(ctx, name, a % 7 == 3 ? NULL : tiers[a % 3], 1000.0 * a);
    }
    numbered(ctx, SERVGAP_KIND_TOUCHPOINT, "tp", 4);
    numbered(ctx, SERVGAP_KIND_TEAM, "team", 3);
    uint64_t st = seed;
    for (int64_t day = 0; day < ndays; day++)
        for (int32_t a = 0; a < NACC; a++) {
            event(ctx, &st, a, day);
            if (test_draw(&st, 6) == 0)
                response(ctx, &st, (int32_t)test_draw(&st, NACC), day);
        }
    return ctx;
}

static void same_bytes(const void *x, size_t nx, const void *y, size_t ny, const char *what,
                       int threads)
{
    ck_assert_msg(nx == ny && (nx == 0 || memcmp(x, y, nx) == 0),
                  "%s at %d threads differs from 1 thread", what, threads);
}

/* agg at threads equals one, every table and in order. */
static void same_agg(const servgap__agg *one, const servgap__agg *agg, int threads)
{
    same_bytes(one->groups.ent, one->groups.n * one->groups.elem, agg->groups.ent,
               agg->groups.n * agg->groups.elem, "groups", threads);
    same_bytes(one->pairs, one->npairs * sizeof *one->pairs, agg->pairs,
               agg->npairs * sizeof *agg->pairs, "pairs", threads);
    same_bytes(one->resp.ent, one->resp.n * one->resp.elem, agg->resp.ent,
               agg->resp.n * agg->resp.elem, "respondent groups", threads);
    same_bytes(one->facets.f, one->facets.n * sizeof *one->facets.f, agg->facets.f,
               agg->facets.n * sizeof *agg->facets.f, "facet groups", threads);
    same_bytes(one->facets.at, (one->groups.n + 1) * sizeof *one->facets.at, agg->facets.at,
               (agg->groups.n + 1) * sizeof *agg->facets.at, "facet index", threads);
}

static void aggregate(servgap_ctx *ctx, int64_t from, int64_t to, int threads, servgap__agg *agg)
{
    set_threads(ctx, threads);
    ck_assert_int_eq(servgap__aggregate(ctx, from, to, &ctx->opt, SERVGAP__AGG_FACETS, agg), 0);
}

/* The window's aggregate at every split equals one thread's, and the
 * split is really made (the scan asks for that many threads). */
static void same_at_every_split(servgap_ctx *ctx, int64_t from, int64_t to, int want_pairs)
{
    servgap__agg one;
    aggregate(ctx, from, to, 1, &one);
    ck_assert(one.groups.dense != NULL);
    ck_assert(want_pairs ? one.npairs > 10 : one.npairs == 0);
    ck_assert_uint_gt(one.facets.n, 0);
    for (size_t k = 0; k < NSPLITS; k++) {
        servgap__agg agg;
        aggregate(ctx, from, to, splits[k], &agg);
        servgap__scanto to_agg = {&agg, NULL, NULL, NULL};
        ck_assert_uint_eq(servgap__scan_threads(ctx, &ctx->opt, &to_agg, 1000), splits[k]);
        same_agg(&one, &agg, splits[k]);
        servgap__agg_free(&agg);
    }
    servgap__agg_free(&one);
    set_threads(ctx, 1);
}

START_TEST(aggregate_same_at_every_split)
{
    servgap_ctx *ctx = mixed(NULL, 11, 60);
    ctx->scan_split_rows = 1;
    same_at_every_split(ctx, INT64_MIN, INT64_MAX, 1); /* everything */
    same_at_every_split(ctx, 20, 45, 1);               /* a window and its look-back */
    same_at_every_split(ctx, 30, 31, 1);               /* one day */
    servgap_ctx_free(ctx);
}
END_TEST

/* What the split needs, and when it is not worth a thread. */
START_TEST(split_only_where_it_pays)
{
    servgap_ctx *ctx = mixed(NULL, 12, 20);
    servgap__agg agg;
    aggregate(ctx, INT64_MIN, INT64_MAX, 1, &agg);
    servgap__scanto to = {&agg, NULL, NULL, NULL};
    set_threads(ctx, 4);
    /* The default: SERVGAP__SPLIT_ROWS rows a thread at least. */
    ck_assert_uint_eq(servgap__scan_threads(ctx, &ctx->opt, &to, SERVGAP__SPLIT_ROWS), 1);
    ck_assert_uint_eq(servgap__scan_threads(ctx, &ctx->opt, &to, 3 * SERVGAP__SPLIT_ROWS), 3);
    ck_assert_uint_eq(servgap__scan_threads(ctx, &ctx->opt, &to, 9 * SERVGAP__SPLIT_ROWS), 4);
    /* Hashed facets would need merging: not split. */
    servgap__map fmap;
    servgap__map_init(&fmap, &ctx->alloc, sizeof(servgap__facetgroup));
    to.fmap = &fmap;
    ck_assert_uint_eq(servgap__scan_threads(ctx, &ctx->opt, &to, 9 * SERVGAP__SPLIT_ROWS), 1);
    servgap__agg_free(&agg);
    /* A hashed group table (no premade groups): not split. */
    ck_assert_int_eq(servgap__aggregate(ctx, INT64_MIN, INT64_MAX, &ctx->opt,
                                        SERVGAP__AGG_FACETS | SERVGAP__AGG_HASHED, &agg),
                     0);
    to.fmap = NULL;
    ck_assert(agg.groups.dense == NULL);
    ck_assert_uint_eq(servgap__scan_threads(ctx, &ctx->opt, &to, 9 * SERVGAP__SPLIT_ROWS), 1);
    servgap__agg_free(&agg);
    servgap_ctx_free(ctx);
}
END_TEST

static char *report(servgap_ctx *ctx, uint32_t flags, size_t *n)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, flags, &r), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, n), SERVGAP_OK);
    char *p = malloc(*n + 1);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(servgap_result_json(ctx, r, p, *n + 1, n), SERVGAP_OK);
    servgap_result_free(r);
    return p;
}

/* ctx's report (over 1,000 bytes) at every split is its report on one
 * thread, byte for byte. */
static void same_report_at_every_split(servgap_ctx *ctx, const char *what)
{
    size_t n1;
    char *one = report(ctx, FLAGS, &n1);
    ck_assert_uint_gt(n1, 1000);
    for (size_t k = 0; k < NSPLITS; k++) {
        set_threads(ctx, splits[k]);
        size_t n;
        char *p = report(ctx, FLAGS, &n);
        same_bytes(one, n1, p, n, what, splits[k]);
        free(p);
    }
    free(one);
    set_threads(ctx, 1);
}

/* The whole report (cells, breakdowns, findings, trends, plans) is the
 * same bytes when its window's scan is split. */
START_TEST(report_same_bytes)
{
    servgap_ctx *ctx = mixed(NULL, 13, 90);
    ctx->scan_split_rows = 1;
    same_report_at_every_split(ctx, "report");
    servgap_ctx_free(ctx);
}
END_TEST

/* Tier findings whose affected accounts are only some of their tier's:
 * those the reads of what each account observed decided. */
static size_t tier_subsets(servgap_ctx *ctx)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FLAGS, &r), SERVGAP_OK);
    size_t subsets = 0, n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    for (size_t i = 0; i < n; i++) {
        servgap_finding f = {.size = sizeof f};
        ck_assert_int_eq(servgap_result_finding(r, i, &f), SERVGAP_OK);
        /* NACC / 3 accounts, less the untiered, are in each tier. */
        subsets += f.scope_kind == SERVGAP_SCOPE_TIER && f.affected_accounts > 0 &&
                   f.affected_accounts < NACC / 3 - 2;
    }
    servgap_result_free(r);
    return subsets;
}

/* Blocks that come filled with a byte that changes from one to the next,
 * so that a read of memory no thread wrote shows in the report. Threads
 * allocate at once: the count is atomic. */
static void *junk_malloc(void *user, size_t n)
{
    atomic_uint *fill = user;
    void *p = malloc(n);
    if (p)
        memset(p, (int)(atomic_fetch_add(fill, 1) & 0xffu), n);
    return p;
}

static void *junk_realloc(void *user, void *p, size_t n)
{
    (void)user;
    return realloc(p, n);
}

static void junk_free(void *user, void *p)
{
    (void)user;
    free(p);
}

/* The report is the same bytes when the findings read what each tier's
 * accounts observed on threads, split down to one read a part. */
START_TEST(tier_reads_same_bytes)
{
    atomic_uint fill = 0;
    servgap_allocator junk = {sizeof junk, junk_malloc, junk_realloc, junk_free, &fill};
    servgap_ctx *ctx = mixed(&junk, 16, 90);
    ctx->tier_split_reads = 1;
    ck_assert_uint_gt(tier_subsets(ctx), 0);
    same_report_at_every_split(ctx, "report with tier reads split");
    servgap_ctx_free(ctx);
}
END_TEST

/* Every allocation of a 3-way split aggregate fails in turn: each gives
 * -1 and leaks nothing once freed; then the aggregate is one thread's. */
START_TEST(allocation_failures)
{
    servgap_allocator a = gate_allocator();
    servgap_ctx *ctx = mixed(&a, 14, 15);
    ctx->scan_split_rows = 1;
    servgap__agg one;
    aggregate(ctx, INT64_MIN, INT64_MAX, 1, &one);
    set_threads(ctx, 3);
    long failures = 0;
    for (long k = 1;; k++) {
        long live = gate.live;
        gate.calls = 0;
        gate.fail_at = k;
        servgap__agg agg;
        int rc =
            servgap__aggregate(ctx, INT64_MIN, INT64_MAX, &ctx->opt, SERVGAP__AGG_FACETS, &agg);
        gate.fail_at = 0;
        if (rc == 0) {
            same_agg(&one, &agg, 3);
            servgap__agg_free(&agg);
            break;
        }
        ck_assert_int_eq(rc, -1);
        servgap__agg_free(&agg);
        ck_assert_int_eq(gate.live, live);
        failures++;
    }
    ck_assert_int_gt(failures, 20);
    servgap__agg_free(&one);
    servgap_ctx_free(ctx);
    ck_assert_int_eq(gate.live, 0);
}
END_TEST

/* An interrupt at each allocation of a 3-way split query
 * (gate_interrupt_sweep). */
START_TEST(interrupted)
{
    servgap_allocator a = gate_allocator();
    servgap_ctx *ctx = mixed(&a, 15, 15);
    ctx->scan_split_rows = 1;
    set_threads(ctx, 3);
    ck_assert_int_gt(gate_interrupt_sweep(ctx, SERVGAP_QUERY_TIERS), 5);
    servgap_ctx_free(ctx);
    ck_assert_int_eq(gate.live, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scan_split");
    TCase *tc = tcase_create("split");
    tcase_add_test(tc, aggregate_same_at_every_split);
    tcase_add_test(tc, split_only_where_it_pays);
    tcase_add_test(tc, report_same_bytes);
    tcase_add_test(tc, tier_reads_same_bytes);
    tcase_add_test(tc, allocation_failures);
    tcase_add_test(tc, interrupted);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
