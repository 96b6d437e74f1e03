/*
 * test_tables -- the hashed indexes of the handle's tables (issue 15).
 * Taking the newest entries back leaves an index, and the names table,
 * exactly as if they had never been added. The look-ups of the keyed
 * tables hold to the linear rules they replaced: the effort a look-up
 * returns is the one the scan of the whole table picked (most specific
 * match, wildcards included) and an allocation is the one with its key,
 * on random tables; a rollback (a failed import, merge or load, an
 * allocation failure at any point of the new paths) leaves the indexes
 * exactly as before; a merge whose handles another writer changed between
 * its look and its append looks again and gives what a merge after that
 * writer gives. Links the static library to see the indexes; not timed.
 */
#define _POSIX_C_SOURCE 200809L /* lib/model/ctx.h needs pthread types */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/index.h"
#include "base/names.h"
#include "input/efforts.h"
#include "input/merge.h"
#include "model/tables.h"
#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define OK(call)                                                                                   \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        ck_assert_msg(rc_ == SERVGAP_OK, "%s: %d %s", #call, rc_, servgap_errmsg(ctx));            \
    } while (0)

/* ---------------------------------------------------------------------- */
/* Reference rules and checks                                              */
/* ---------------------------------------------------------------------- */

/* The effort rule as the scan of the whole table applied it before the
 * index: the matching key of the highest score (gap 4, metric 2,
 * touchpoint 1), else the gap type's default. */
static double linear_effort(const servgap_ctx *ctx, int32_t gap, int32_t tp, int32_t metric)
{
    int best = -1;
    double effort = servgap__effort_default(gap);
    for (size_t i = 0; i < ctx->neff; i++) {
        const servgap__effort *e = &ctx->eff[i];
        int s = 0;
        if (e->gap != SERVGAP_ALL && e->gap != gap)
            continue;
        if (e->metric != SERVGAP_ALL && e->metric != metric)
            continue;
        if (e->tp != SERVGAP_ALL && e->tp != tp)
            continue;
        s = (e->gap != SERVGAP_ALL) * 4 + (e->metric != SERVGAP_ALL) * 2 + (e->tp != SERVGAP_ALL);
        if (s > best) {
            best = s;
            effort = e->effort;
        }
    }
    return effort;
}

static const servgap__importance *linear_importance(const servgap_ctx *ctx, uint32_t scope,
                                                    int32_t whose)
{
    for (size_t i = 0; i < ctx->nimp; i++)
        if (ctx->imp[i].scope == scope && ctx->imp[i].whose == whose)
            return &ctx->imp[i];
    return NULL;
}

/* Each index holds exactly its table's entries, each found at its own
 * place. */
static void assert_indexed(const servgap_ctx *ctx)
{
    ck_assert_uint_eq(ctx->impix.count, ctx->nimp);
    ck_assert_uint_eq(ctx->effix.count, ctx->neff);
    for (size_t i = 0; i < ctx->nimp; i++)
        ck_assert_ptr_eq(servgap__importance_find(ctx, ctx->imp[i].scope, ctx->imp[i].whose),
                         &ctx->imp[i]);
    for (size_t i = 0; i < ctx->neff; i++) {
        const servgap__effort *e = &ctx->eff[i];
        ck_assert_ptr_eq(servgap__effort_find(ctx, e->gap, e->tp, e->metric), e);
    }
}

/* ---------------------------------------------------------------------- */
/* The index and the names table                                           */
/* ---------------------------------------------------------------------- */

START_TEST(test_index_truncation_restores_the_slots_exactly)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__index x;
    servgap__index_init(&x);
    enum { N = 5000 };
    uint64_t seed = 88172645463325252u;
    ck_assert_int_eq(servgap__index_reserve(&x, &a, N), 0);
    for (size_t i = 0; i < N; i++)
        servgap__index_add(&x, test_draw(&seed, 1u << 30) * 2u + 1, i); /* k2 makes each unique */
    uint32_t *before = malloc(x.nslot * sizeof *before);
    memcpy(before, x.slot, x.nslot * sizeof *before);
    const size_t cuts[] = {N - 1, N / 2, N / 3, 100, 1, 0};
    for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
        size_t cut = cuts[c];
        servgap__mapkey *keys = malloc((N - cut) * sizeof *keys);
        memcpy(keys, x.key + cut, (N - cut) * sizeof *keys);
        servgap__index_truncate(&x, cut);
        ck_assert_uint_eq(x.count, cut);
        for (size_t i = 0; i < N - cut; i++)
            ck_assert_int_eq(servgap__index_find(&x, keys[i].k1, keys[i].k2), -1);
        for (size_t i = 0; i < cut; i++)
            ck_assert_int_eq(servgap__index_find(&x, x.key[i].k1, x.key[i].k2), (int64_t)i);
        /* Adding the same keys again in the same order gives the same
         * slots: the truncation left no trace. */
        for (size_t i = 0; i < N - cut; i++)
            servgap__index_add(&x, keys[i].k1, keys[i].k2);
        ck_assert_int_eq(memcmp(before, x.slot, x.nslot * sizeof *before), 0);
        free(keys);
    }
    free(before);
    servgap__index_free(&x, &a);
}
END_TEST

START_TEST(test_names_truncation_restores_the_slots_exactly)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__names t;
    servgap__names_init(&t);
    enum { N = 3000 };
    char name[32];
    int32_t id;
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "name-%d", i * 7919 % 100003);
        ck_assert_int_eq(servgap__names_add(&t, &a, name, strlen(name), &id), 0);
    }
    size_t nslot = t.nslot;
    int32_t *before = malloc(nslot * sizeof *before);
    memcpy(before, t.slot, nslot * sizeof *before);
    for (int cut = N - 1; cut > 0; cut /= 3) {
        servgap__names_truncate(&t, &a, (size_t)cut);
        ck_assert_uint_eq(t.count, (size_t)cut);
        for (int i = 0; i < N; i++) {
            snprintf(name, sizeof name, "name-%d", i * 7919 % 100003);
            ck_assert_int_eq(servgap__names_find(&t, name, strlen(name)), i < cut ? i : -1);
        }
        for (int i = cut; i < N; i++) {
            snprintf(name, sizeof name, "name-%d", i * 7919 % 100003);
            ck_assert_int_eq(servgap__names_add(&t, &a, name, strlen(name), &id), 0);
            ck_assert_int_eq(id, i);
        }
        ck_assert_uint_eq(t.nslot, nslot);
        ck_assert_int_eq(memcmp(before, t.slot, nslot * sizeof *before), 0);
    }
    free(before);
    servgap__names_free(&t, &a);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Look-ups against the linear rules                                       */
/* ---------------------------------------------------------------------- */

/* A touchpoint or metric of an effort key: a known id, or SERVGAP_ALL
 * one time in three. */
static int32_t key_id(uint64_t *seed, int32_t n)
{
    return test_draw(seed, 3) == 0 ? SERVGAP_ALL : (int32_t)test_draw(seed, (uint32_t)n);
}

/* A look-up's field: any key's, or SERVGAP_ALL (the roll-ups), or
 * SERVGAP_ANY, which no key has. */
static int32_t query_id(uint64_t *seed, int32_t n)
{
    uint32_t r = test_draw(seed, 10);
    return r == 0 ? SERVGAP_ALL : r == 1 ? SERVGAP_ANY : (int32_t)test_draw(seed, (uint32_t)n);
}

START_TEST(test_effort_lookup_picks_what_the_scan_picked)
{
    uint64_t seed = 0x9e3779b97f4a7c15u + (uint64_t)_i;
    servgap_ctx *ctx = new_ctx();
    int32_t ntp = 2 + (int32_t)test_draw(&seed, 6), nmet = SERVGAP_DIM_COUNT;
    for (int32_t t = 0; t < ntp; t++) {
        char name[16];
        snprintf(name, sizeof name, "tp%d", t);
        touchpoint(ctx, name);
    }
    /* Small key spaces, so that keys repeat (replacing) and wildcards
     * overlap on most look-ups. */
    int nkeys = (int)test_draw(&seed, 120);
    for (int k = 0; k < nkeys; k++) {
        int32_t gap =
            test_draw(&seed, 4) == 0 ? SERVGAP_ALL : (int32_t)test_draw(&seed, SERVGAP_GAP_COUNT);
        OK(servgap_effort_set(ctx, gap, key_id(&seed, ntp), key_id(&seed, nmet),
                              1.0 + test_draw(&seed, 40) * 0.125));
    }
    assert_indexed(ctx);
    for (int q = 0; q < 2000; q++) {
        int32_t gap =
            test_draw(&seed, 8) == 0 ? SERVGAP_ALL : (int32_t)test_draw(&seed, SERVGAP_GAP_COUNT);
        int32_t tp = query_id(&seed, ntp), metric = query_id(&seed, nmet);
        double want = linear_effort(ctx, gap, tp, metric);
        ck_assert_msg(servgap__effort_lookup(ctx, gap, tp, metric) == want,
                      "gap %d tp %d metric %d: %g, the scan %g", gap, tp, metric,
                      servgap__effort_lookup(ctx, gap, tp, metric), want);
        double got = 0.0;
        if (gap != SERVGAP_ALL && tp != SERVGAP_ANY && metric != SERVGAP_ANY) {
            OK(servgap_effort_get(ctx, gap, tp, metric, &got));
            ck_assert(got == want);
        }
    }
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_importance_find_picks_what_the_scan_picked)
{
    uint64_t seed = 0x2545f4914f6cdd1du + (uint64_t)_i;
    servgap_ctx *ctx = new_ctx();
    const char *tiers[3] = {"gold", "silver", "bronze"};
    int32_t nacc = 1 + (int32_t)test_draw(&seed, 300);
    for (int32_t i = 0; i < nacc; i++) {
        char name[16];
        snprintf(name, sizeof name, "acc%d", i);
        account(ctx, name, tiers[i % 3], 1.0);
    }
    double pts[5] = {20, 20, 20, 20, 20};
    for (int k = 0; k < 2 * nacc; k++) {
        int tier_scope = test_draw(&seed, 5) == 0;
        int32_t id = (int32_t)test_draw(&seed, tier_scope ? 3u : (uint32_t)nacc);
        pts[0] = 10.0 + test_draw(&seed, 20);
        pts[1] = 30.0 - (pts[0] - 10.0);
        OK(servgap_set_importance(ctx, tier_scope ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT, id,
                                  1 + (int32_t)test_draw(&seed, 2), pts));
    }
    assert_indexed(ctx);
    for (int32_t i = 0; i < nacc + 3; i++)
        for (int32_t whose = 0; whose <= 3; whose++) {
            uint32_t scope = i < nacc ? (uint32_t)i : (uint32_t)(i - nacc) | SERVGAP__SCOPE_TIER;
            ck_assert_ptr_eq(servgap__importance_find(ctx, scope, whose),
                             linear_importance(ctx, scope, whose));
        }
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Rollback                                                                */
/* ---------------------------------------------------------------------- */

static const char importance_csv[] =
    "scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
    "account:a0,customer,30,10,20,20,20\n" /* replaces */
    "account:a1,customer,20,20,20,20,20\n" /* adds */
    "tier:gold,provider,20,20,20,20,20\n"  /* adds */
    "account:a2,customer,20,20,20,20,2x\n";
static const char efforts_csv[] = "gap,touchpoint,metric,effort\n"
                                  "service,*,*,4.5\n"            /* replaces */
                                  "delivery,web,reliability,2\n" /* adds, and a touchpoint */
                                  "*,email,*,1.5\n"              /* adds */
                                  "knowledge,*,*,0\n";

/* Four accounts, eight allocations and eight efforts: a table's first
 * reservation holds eight, so the next entry makes every table and index
 * grow. */
static servgap_ctx *with_tables(void)
{
    servgap_ctx *ctx = new_ctx();
    const double pts[5] = {20, 20, 20, 20, 20};
    const char *tiers[4] = {"gold", "gold", "silver", "silver"};
    for (int i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof name, "a%d", i);
        int32_t id = account(ctx, name, tiers[i], 1.0);
        OK(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, id, SERVGAP_WHOSE_PROVIDER, pts));
        if (i != 1) /* the import adds a1's */
            OK(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, id, SERVGAP_WHOSE_CUSTOMER, pts));
    }
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, 1, SERVGAP_WHOSE_CUSTOMER, pts));
    int32_t email = touchpoint(ctx, "email");
    OK(servgap_effort_set(ctx, SERVGAP_GAP_SERVICE, SERVGAP_ALL, SERVGAP_ALL, 3.5));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, email, SERVGAP_ALL, 2.5));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_STANDARDS, SERVGAP_ALL, SERVGAP_ALL, 3.0));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_COMMUNICATION, SERVGAP_ALL, SERVGAP_ALL, 2.0));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_ADEQUACY, SERVGAP_ALL, SERVGAP_ALL, 3.0));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, SERVGAP_ALL, SERVGAP_ALL, 4.0));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_PERCEPTION, SERVGAP_ALL, SERVGAP_DIM_TANGIBLES, 2.0));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_KNOWLEDGE, SERVGAP_ALL, SERVGAP_DIM_EMPATHY, 1.0));
    ck_assert_uint_eq(ctx->nimp, 8);
    ck_assert_uint_eq(ctx->neff, 8);
    return ctx;
}

START_TEST(test_a_failed_import_restores_the_indexes)
{
    servgap_ctx *ctx = with_tables();
    size_t nimp = ctx->nimp, neff = ctx->neff, ntp = ctx->touchpoints.count;
    ck_assert_int_ne(servgap_import_csv_buffer(ctx, SERVGAP_CSV_IMPORTANCE, "imp", importance_csv,
                                               sizeof importance_csv - 1, 0, NULL),
                     SERVGAP_OK);
    ck_assert_int_ne(servgap_import_csv_buffer(ctx, SERVGAP_CSV_EFFORTS, "eff", efforts_csv,
                                               sizeof efforts_csv - 1, 0, NULL),
                     SERVGAP_OK);
    ck_assert_uint_eq(ctx->nimp, nimp);
    ck_assert_uint_eq(ctx->neff, neff);
    ck_assert_uint_eq(ctx->touchpoints.count, ntp);
    assert_indexed(ctx);
    ck_assert(servgap__importance_find(ctx, 0, SERVGAP_WHOSE_CUSTOMER)->p[0] == 20.0);
    ck_assert(servgap__effort_lookup(ctx, SERVGAP_GAP_SERVICE, 0, 0) == 3.5);
    ck_assert_ptr_null(servgap__importance_find(ctx, 1, SERVGAP_WHOSE_CUSTOMER));
    ck_assert_ptr_null(servgap__effort_find(ctx, SERVGAP_ALL, 0, SERVGAP_ALL));
    /* The keys the failed import had added go in again, at the end. */
    const double pts[5] = {20, 20, 20, 20, 20};
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, 1, SERVGAP_WHOSE_CUSTOMER, pts));
    OK(servgap_effort_set(ctx, SERVGAP_ALL, 0, SERVGAP_ALL, 1.5));
    ck_assert_ptr_eq(servgap__importance_find(ctx, 1, SERVGAP_WHOSE_CUSTOMER), &ctx->imp[nimp]);
    ck_assert_ptr_eq(servgap__effort_find(ctx, SERVGAP_ALL, 0, SERVGAP_ALL), &ctx->eff[neff]);
    assert_indexed(ctx);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_skipped_rows_leave_the_indexes_whole)
{
    servgap_ctx *ctx = with_tables();
    servgap_import_report rep = {.size = sizeof rep};
    OK(servgap_import_csv_buffer(ctx, SERVGAP_CSV_IMPORTANCE, "imp", importance_csv,
                                 sizeof importance_csv - 1, SERVGAP_IMPORT_SKIP_BAD_ROWS, &rep));
    ck_assert_uint_eq(rep.skipped, 1);
    OK(servgap_import_csv_buffer(ctx, SERVGAP_CSV_EFFORTS, "eff", efforts_csv,
                                 sizeof efforts_csv - 1, SERVGAP_IMPORT_SKIP_BAD_ROWS, &rep));
    ck_assert_uint_eq(rep.skipped, 1);
    ck_assert_uint_eq(ctx->nimp, 10);
    ck_assert_uint_eq(ctx->neff, 10);
    assert_indexed(ctx);
    ck_assert(servgap__effort_lookup(ctx, SERVGAP_GAP_SERVICE, 0, 0) == 4.5);
    ck_assert(servgap__effort_lookup(ctx, SERVGAP_GAP_KNOWLEDGE, 0, 0) == 1.5);
    servgap_ctx_free(ctx);
}
END_TEST

/* A src that shares a touchpoint, an account, an allocation and an effort
 * key with with_tables() and brings new ones. */
static servgap_ctx *other_tables(void)
{
    servgap_ctx *ctx = new_ctx();
    const double pts[5] = {10, 30, 20, 20, 20};
    int32_t web = touchpoint(ctx, "web"), email = touchpoint(ctx, "email");
    int32_t z = account(ctx, "zeta", "bronze", 2.0), a0 = account(ctx, "a0", "gold", 1.0);
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, a0, SERVGAP_WHOSE_CUSTOMER, pts));
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, z, SERVGAP_WHOSE_PROVIDER, pts));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_SERVICE, SERVGAP_ALL, SERVGAP_ALL, 1.25));
    OK(servgap_effort_set(ctx, SERVGAP_ALL, web, SERVGAP_ALL, 4.0));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, email, SERVGAP_DIM_EMPATHY, 5.0));
    servgap_plan plan = {.size = sizeof plan,
                         .owner = "ops",
                         .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                         .scope_id = z,
                         .touchpoint = web,
                         .metric = SERVGAP_ALL,
                         .dimension = SERVGAP_DIM_EMPATHY,
                         .gap = SERVGAP_GAP_SERVICE,
                         .deadline = 1767225600 + 60 * 86400,
                         .target = 0.0};
    int32_t id;
    OK(servgap_plan_add(ctx, &plan, &id));
    OK(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, z, web, SERVGAP_DIM_EMPATHY, SERVGAP_VP_PERCEIVED,
                      5.0, 1767225600, SERVGAP_NONE, SERVGAP_DRIVER_NONE));
    return ctx;
}

typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

static bytes snap(servgap_ctx *ctx)
{
    bytes b = {NULL, 0};
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &b.n), SERVGAP_OK);
    b.p = malloc(b.n);
    ck_assert_int_eq(servgap_snapshot_write(ctx, b.p, b.n, &b.n), SERVGAP_OK);
    return b;
}

static int same(bytes x, bytes y)
{
    return x.n == y.n && memcmp(x.p, y.p, x.n) == 0;
}

START_TEST(test_a_merge_keeps_dst_keys_and_indexes_the_new)
{
    servgap_ctx *ctx = with_tables(), *src = other_tables();
    OK(servgap_ctx_merge(ctx, src));
    assert_indexed(ctx);
    ck_assert_uint_eq(ctx->nimp, 9);
    ck_assert_uint_eq(ctx->neff, 10);
    /* dst's allocation of a0 kept */
    ck_assert(servgap__importance_find(ctx, 0, SERVGAP_WHOSE_CUSTOMER)->p[0] == 20.0);
    ck_assert(servgap__effort_lookup(ctx, SERVGAP_GAP_SERVICE, 0, 0) == 3.5);
    int32_t web = -1;
    OK(servgap_lookup(ctx, SERVGAP_KIND_TOUCHPOINT, "web", &web));
    ck_assert(servgap__effort_lookup(ctx, SERVGAP_GAP_KNOWLEDGE, web, 0) == 4.0);
    ck_assert(servgap__effort_lookup(ctx, SERVGAP_GAP_DELIVERY, 0, SERVGAP_DIM_EMPATHY) == 5.0);
    /* A conflict changes nothing. */
    bytes before = snap(ctx);
    int32_t id;
    OK(servgap_account_define(src, "a1", "silver", 1.0, &id));
    ck_assert_int_eq(servgap_ctx_merge(ctx, src), SERVGAP_ECONFLICT);
    bytes after = snap(ctx);
    ck_assert(same(before, after));
    assert_indexed(ctx);
    free(before.p);
    free(after.p);
    servgap_ctx_free(src);
    servgap_ctx_free(ctx);
}
END_TEST

/* The look runs, then a writer adds to dst what src also has: a
 * touchpoint, an account, an allocation and an effort key. The append
 * must see it (no name twice, dst's values kept) and give exactly what a
 * merge after that writer gives. */
static void writer_between(servgap_ctx *ctx)
{
    const double pts[5] = {0, 40, 20, 20, 20};
    int32_t web = touchpoint(ctx, "web"), z = account(ctx, "zeta", "bronze", 9.0);
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, z, SERVGAP_WHOSE_PROVIDER, pts));
    OK(servgap_effort_set(ctx, SERVGAP_ALL, web, SERVGAP_ALL, 2.0));
}

START_TEST(test_a_merge_looks_again_when_dst_changed_meanwhile)
{
    servgap_ctx *ctx = with_tables(), *src = other_tables(), *want = with_tables();
    servgap__merge_job m;
    servgap__merge_init(&m, ctx, src, "test", "src");
    OK(servgap__merge_begin(&m));
    writer_between(ctx);
    OK(servgap__merge_finish(&m));
    writer_between(want);
    OK(servgap_ctx_merge(want, src));
    bytes got = snap(ctx), expect = snap(want);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 2);
    ck_assert(same(got, expect));
    assert_indexed(ctx);
    ck_assert_int_eq(m.relooks, 1);
    servgap__merge_free(&m);
    /* With no writer in between, the look is not redone. */
    servgap_ctx *quiet = with_tables();
    servgap__merge_init(&m, quiet, src, "test", "src");
    OK(servgap__merge_begin(&m));
    OK(servgap__merge_finish(&m));
    ck_assert_int_eq(m.relooks, 0);
    servgap__merge_free(&m);
    servgap_ctx_free(quiet);
    free(got.p);
    free(expect.p);
    servgap_ctx_free(want);
    servgap_ctx_free(src);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_a_merge_looks_again_when_src_changed_meanwhile)
{
    servgap_ctx *ctx = with_tables(), *src = other_tables(), *want = with_tables();
    servgap__merge_job m;
    servgap__merge_init(&m, ctx, src, "test", "src");
    OK(servgap__merge_begin(&m));
    int32_t id;
    OK(servgap_account_define(src, "late", "gold", 3.0, &id));
    OK(servgap__merge_finish(&m));
    OK(servgap_ctx_merge(want, src));
    bytes got = snap(ctx), expect = snap(want);
    ck_assert(same(got, expect));
    ck_assert_int_eq(m.relooks, 1);
    servgap__merge_free(&m);
    free(got.p);
    free(expect.p);
    servgap_ctx_free(want);
    servgap_ctx_free(src);
    servgap_ctx_free(ctx);
}
END_TEST

/* Merges racing a writer that adds the same names to dst: whatever the
 * interleaving, every call succeeds, no name is there twice, and every
 * merge is there whole. */
enum { RACE_ROUNDS = 300, RACE_NAMES = 16 };

static void *race_writer(void *arg)
{
    servgap_ctx *ctx = arg;
    intptr_t failed = 0;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        char name[16];
        int32_t id;
        snprintf(name, sizeof name, "tp%d", i % RACE_NAMES);
        failed += servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, name, &id) != SERVGAP_OK;
        snprintf(name, sizeof name, "acc%d", (i + 5) % RACE_NAMES);
        failed += servgap_account_define(ctx, name, NULL, 1.0, &id) != SERVGAP_OK;
    }
    return (void *)failed;
}

static void *race_merger(void *arg)
{
    servgap_ctx *ctx = arg;
    intptr_t failed = 0;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        servgap_ctx *src = NULL;
        char name[16];
        int32_t tp, acc;
        failed += servgap_ctx_new(&src, NULL) != SERVGAP_OK;
        snprintf(name, sizeof name, "tp%d", (i * 7) % RACE_NAMES);
        failed += servgap_intern(src, SERVGAP_KIND_TOUCHPOINT, name, &tp) != SERVGAP_OK;
        snprintf(name, sizeof name, "acc%d", (i * 3) % RACE_NAMES);
        failed += servgap_account_define(src, name, "gold", 2.0, &acc) != SERVGAP_OK;
        failed += servgap_effort_set(src, SERVGAP_ALL, tp, SERVGAP_ALL, 2.0) != SERVGAP_OK;
        failed += servgap_record(src, SERVGAP_SCOPE_ACCOUNT, acc, tp, SERVGAP_DIM_EMPATHY,
                                 SERVGAP_VP_PERCEIVED, 5.0, 1767225600, SERVGAP_NONE,
                                 SERVGAP_DRIVER_NONE) != SERVGAP_OK;
        failed += servgap_ctx_merge(ctx, src) != SERVGAP_OK;
        servgap_ctx_free(src);
    }
    return (void *)failed;
}

START_TEST(test_merges_racing_a_writer_stay_whole)
{
    servgap_ctx *ctx = new_ctx();
    pthread_t w, m;
    void *wf = NULL, *mf = NULL;
    ck_assert_int_eq(pthread_create(&w, NULL, race_writer, ctx), 0);
    ck_assert_int_eq(pthread_create(&m, NULL, race_merger, ctx), 0);
    pthread_join(w, &wf);
    pthread_join(m, &mf);
    ck_assert_ptr_null(wf);
    ck_assert_ptr_null(mf);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), RACE_NAMES);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), RACE_NAMES);
    ck_assert_uint_eq(obs_count(ctx), RACE_ROUNDS);
    ck_assert_uint_eq(ctx->neff, RACE_NAMES);
    assert_indexed(ctx);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Allocation failures in the new paths                                    */
/* ---------------------------------------------------------------------- */

typedef struct gate {
    long calls, fail_at, live;
} gate;

static gate the_gate;

static void *g_malloc(void *u, size_t n)
{
    gate *g = u;
    if (++g->calls == g->fail_at)
        return NULL;
    void *p = malloc(n ? n : 1);
    g->live += p != NULL;
    return p;
}

static void *g_realloc(void *u, void *p, size_t n)
{
    gate *g = u;
    if (++g->calls == g->fail_at)
        return NULL;
    void *q = realloc(p, n ? n : 1);
    g->live += q && !p;
    return q;
}

static void g_free(void *u, void *p)
{
    gate *g = u;
    g->live -= p != NULL;
    free(p);
}

enum { SET_IMP, SET_EFF, IMPORT_IMP, IMPORT_EFF, MERGE, LOAD, N_OPS };
static const char *const op_name[N_OPS] = {"set_importance", "effort_set", "import importance",
                                           "import efforts", "merge",      "snapshot_load"};

static const char good_imp[] =
    "scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n"
    "account:a0,customer,30,10,20,20,20\n"
    "account:a1,customer,20,20,20,20,20\n"
    "tier:silver,provider,20,20,20,20,20\n";
static const char good_eff[] = "gap,touchpoint,metric,effort\n"
                               "service,*,*,4.5\n"
                               "delivery,web,reliability,2\n"
                               "*,chat,*,1.5\n";

static int run_op(servgap_ctx *ctx, int op)
{
    const double pts[5] = {20, 20, 20, 20, 20};
    if (op == SET_IMP)
        return servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, 0, SERVGAP_WHOSE_PROVIDER, pts);
    if (op == SET_EFF)
        return servgap_effort_set(ctx, SERVGAP_GAP_PERCEPTION, 0, SERVGAP_ALL, 2.0);
    if (op == IMPORT_IMP)
        return servgap_import_csv_buffer(ctx, SERVGAP_CSV_IMPORTANCE, "imp", good_imp,
                                         sizeof good_imp - 1, 0, NULL);
    if (op == IMPORT_EFF)
        return servgap_import_csv_buffer(ctx, SERVGAP_CSV_EFFORTS, "eff", good_eff,
                                         sizeof good_eff - 1, 0, NULL);
    servgap_ctx *src = other_tables();
    int rc;
    if (op == MERGE) {
        rc = servgap_ctx_merge(ctx, src);
    } else {
        bytes b = snap(src);
        rc = servgap_snapshot_load_buffer(ctx, b.p, b.n);
        free(b.p);
    }
    servgap_ctx_free(src);
    return rc;
}

/* with_tables() on the gated allocator. */
static servgap_ctx *gated_tables(void)
{
    servgap_allocator al = {sizeof al, g_malloc, g_realloc, g_free, &the_gate};
    servgap_ctx *ctx = NULL, *plain = with_tables();
    ck_assert_int_eq(servgap_ctx_new(&ctx, &al), SERVGAP_OK);
    OK(servgap_ctx_merge(ctx, plain));
    servgap_ctx_free(plain);
    return ctx;
}

START_TEST(test_each_allocation_of_the_new_paths_fails_cleanly)
{
    for (int op = 0; op < N_OPS; op++) {
        long points = 0;
        for (long k = 1;; k++) {
            servgap_ctx *ctx = gated_tables();
            bytes before = snap(ctx);
            the_gate.fail_at = the_gate.calls + k;
            int rc = run_op(ctx, op);
            the_gate.fail_at = 0;
            if (rc == SERVGAP_OK) {
                assert_indexed(ctx);
                free(before.p);
                servgap_ctx_free(ctx);
                break;
            }
            points++;
            ck_assert_msg(rc == SERVGAP_ENOMEM, "%s, allocation %ld: %d (%s)", op_name[op], k, rc,
                          servgap_errmsg(ctx));
            bytes after = snap(ctx);
            ck_assert_msg(same(before, after), "%s, allocation %ld: the handle changed",
                          op_name[op], k);
            assert_indexed(ctx);
            ck_assert_msg(run_op(ctx, op) == SERVGAP_OK, "%s, allocation %ld: unusable afterwards",
                          op_name[op], k);
            assert_indexed(ctx);
            free(before.p);
            free(after.p);
            servgap_ctx_free(ctx);
            ck_assert_msg(the_gate.live == 0, "%s, allocation %ld: %ld blocks leaked", op_name[op],
                          k, the_gate.live);
        }
        ck_assert_msg(points > 0, "%s allocates nothing?", op_name[op]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tables");
    TCase *tc = tcase_create("tables");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_index_truncation_restores_the_slots_exactly);
    tcase_add_test(tc, test_names_truncation_restores_the_slots_exactly);
    tcase_add_loop_test(tc, test_effort_lookup_picks_what_the_scan_picked, 0, 40);
    tcase_add_loop_test(tc, test_importance_find_picks_what_the_scan_picked, 0, 20);
    tcase_add_test(tc, test_a_failed_import_restores_the_indexes);
    tcase_add_test(tc, test_skipped_rows_leave_the_indexes_whole);
    tcase_add_test(tc, test_a_merge_keeps_dst_keys_and_indexes_the_new);
    tcase_add_test(tc, test_a_merge_looks_again_when_dst_changed_meanwhile);
    tcase_add_test(tc, test_a_merge_looks_again_when_src_changed_meanwhile);
    tcase_add_test(tc, test_merges_racing_a_writer_stay_whole);
    tcase_add_test(tc, test_each_allocation_of_the_new_paths_fails_cleanly);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
