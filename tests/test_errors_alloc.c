/*
 * test_errors_alloc -- the allocator argument of servgap_ctx_new: refused
 * when incomplete or too small, used for every block (none leaked, none
 * foreign; a result outlives its handle), and every failing allocation of
 * a workload reported as ENOMEM with nothing changed (errors.h has the
 * approach; helpers.h the failing allocator).
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "errors.h"
#include "run_suite.h"

/* ---------------------------------------------------------------------- */
/* Allocator argument of servgap_ctx_new                                   */
/* ---------------------------------------------------------------------- */

static void *plain_malloc(void *u, size_t n)
{
    (void)u;
    return malloc(n);
}
static void *plain_realloc(void *u, void *p, size_t n)
{
    (void)u;
    return realloc(p, n);
}
static void plain_free(void *u, void *p)
{
    (void)u;
    free(p);
}

START_TEST(test_allocator_missing_function)
{
    servgap_ctx *ctx = (servgap_ctx *)0;
    servgap_allocator a = {sizeof a, plain_malloc, plain_realloc, plain_free, NULL};

    a.malloc_fn = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    ck_assert_ptr_null(ctx);
    a.malloc_fn = plain_malloc;
    a.realloc_fn = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    a.realloc_fn = plain_realloc;
    a.free_fn = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
}
END_TEST

START_TEST(test_allocator_size)
{
    servgap_ctx *ctx = (servgap_ctx *)0;
    servgap_allocator a = {sizeof a, plain_malloc, plain_realloc, plain_free, NULL};
    a.size = 0;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    a.size = sizeof a - 1;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    ck_assert_ptr_null(ctx);
    a.size = sizeof a;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    servgap_ctx_free(ctx);
}
END_TEST

/* A larger struct (a later minor version's) is accepted. */
START_TEST(test_allocator_larger_struct)
{
    servgap_ctx *ctx = (servgap_ctx *)0;
    servgap_allocator a = {sizeof a, plain_malloc, plain_realloc, plain_free, NULL};
    struct {
        servgap_allocator a;
        char tail[16];
    } big;
    memset(&big, 0, sizeof big);
    big.a = a;
    big.a.size = sizeof big;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &big.a), SERVGAP_OK);
    ck_assert_ptr_nonnull(ctx);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* A counting and failing allocator                                        */
/* ---------------------------------------------------------------------- */

START_TEST(test_allocator_counting)
{
    test_alloc st = {0};
    servgap_allocator al = test_allocator(&st);
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &al), SERVGAP_OK);
    memset(&al, 0, sizeof al); /* the handle copied it */
    ck_assert_int_gt(st.total, 0);

    int32_t tier, tp, acct, m;
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TIER, "enterprise", &tier), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(ctx, "acme", "enterprise", 10, &acct), SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(ctx, "frt", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &m),
                     SERVGAP_OK);
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acct, tp, i % 6,
                                        (i % 2) ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_EXPECTED,
                                        1.0 + (i % 7), T0 + (int64_t)i * 3600, SERVGAP_NONE, 0),
                         SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.9), SERVGAP_OK);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    long after_query = st.total;
    ck_assert_int_gt(after_query, 0);
    ck_assert_int_gt(st.live, 0);

    /* An error message is kept without leaking. */
    FAILS(ctx, servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, 99.0, T0, -1, 0),
          SERVGAP_ERANGE, "reliability", NULL);

    /* The result outlives the handle and owns its memory. */
    servgap_ctx_free(ctx);
    ck_assert_int_eq(st.foreign, 0);
    servgap_cell c;
    memset(&c, 0, sizeof c);
    c.size = sizeof c;
    size_t idx;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, &idx),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, idx, &c), SERVGAP_OK);
    /* metric 1 gets i = 1, 7, 13, ... (i % 6 == 1, all odd: perceived). */
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 167); /* i = 1 + 6k < 1000: k = 0..166 */
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 0);
    servgap_result_free(r);
    ck_assert_int_eq(st.live, 0);
    ck_assert_int_eq(st.foreign, 0);
}
END_TEST

/* One step of the failure-injection workload: on ENOMEM, check that
 * nothing changed, switch failures off and retry; the retry must succeed. */
#define STEP(call, unchanged)                                                                      \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ == SERVGAP_ENOMEM) {                                                               \
            ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_ENOMEM);                                \
            st.fail_at = 0;                                                                        \
            nfail++;                                                                               \
            unchanged;                                                                             \
            rc_ = (call);                                                                          \
        }                                                                                          \
        ck_assert_msg(rc_ == SERVGAP_OK, "k=%ld: %s returned %d (%s): %s", k, #call, rc_,          \
                      servgap_strerror(rc_), servgap_errmsg(ctx));                                 \
    } while (0)

/* The workload with every allocation from the (k+1)-th on refused, until
 * a call fails with ENOMEM (then it runs on without failures); returns 1
 * if one did. */
static long run_failing_workload(long k)
{
    test_alloc st = {.fail_at = k + 1, .fail_rest = 1};
    servgap_allocator al = test_allocator(&st);
    int nfail = 0;

    /* src: a plain handle (C malloc) to merge from: 10 perceived values of
     * "frt" for acme at touchpoint "chat". */
    servgap_ctx *src = NULL;
    int32_t s_acct, s_tp, s_m;
    ck_assert_int_eq(servgap_ctx_new(&src, NULL), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(src, "acme", "ent", 1000, &s_acct), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(src, SERVGAP_KIND_TOUCHPOINT, "chat", &s_tp), SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(src, "frt", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &s_m),
                     SERVGAP_OK);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(servgap_record(src, SERVGAP_SCOPE_ACCOUNT, s_acct, s_tp, s_m,
                                        SERVGAP_VP_PERCEIVED, 1.0 + i, T0 + i, SERVGAP_NONE, 0),
                         SERVGAP_OK);

    servgap_ctx *ctx = NULL;
    {
        int rc = servgap_ctx_new(&ctx, &al);
        if (rc == SERVGAP_ENOMEM) {
            ck_assert_ptr_null(ctx);
            ck_assert_int_eq(st.live, 0);
            st.fail_at = 0;
            nfail++;
            rc = servgap_ctx_new(&ctx, &al);
        }
        ck_assert_int_eq(rc, SERVGAP_OK);
        ck_assert_ptr_nonnull(ctx);
    }

    int32_t m = -9, tier = -9, tp = -9, team = -9, acct = -9;
    STEP(servgap_metric_define(ctx, "frt", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER, 0,
                               INFINITY, 24, "h", &m),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 5));
    ck_assert_int_eq(m, 5);
    STEP(servgap_intern(ctx, SERVGAP_KIND_TIER, "ent", &tier),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 0));
    STEP(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 0));
    STEP(servgap_intern(ctx, SERVGAP_KIND_TEAM, "squad", &team),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TEAM), 0));
    STEP(servgap_account_define(ctx, "acme", "ent", 1000, &acct),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0));
    ck_assert(tier == 0 && tp == 0 && team == 0 && acct == 0);
    const double cust[5] = {10, 30, 25, 20, 15};
    STEP(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, acct, SERVGAP_WHOSE_CUSTOMER, cust),
         (void)0);

    /* A batch of 50: even i expected 6, odd i perceived 5, metric 1. */
    int32_t sid[50], tpa[50], met[50], vp[50], tm_team[50], drv[50];
    double val[50];
    int64_t tm[50];
    for (int i = 0; i < 50; i++) {
        sid[i] = acct;
        tpa[i] = tp;
        met[i] = 1;
        vp[i] = (i % 2) ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_EXPECTED;
        val[i] = (i % 2) ? 5.0 : 6.0;
        tm[i] = T0 + i * 600;
        tm_team[i] = (i % 3) ? team : SERVGAP_NONE;
        drv[i] = i % 5;
    }
    STEP(servgap_record_batch(ctx, 50, NULL, sid, tpa, met, vp, val, tm, tm_team, drv),
         ck_assert_uint_eq(obs_count(ctx), 0));
    ck_assert_uint_eq(obs_count(ctx), 50);

    /* A response over the five built-ins: 5 expected + 5 perceived. */
    const int32_t rm[5] = {0, 1, 2, 3, 4};
    const double re[5] = {6, 7, 6, 5, 6}, rp[5] = {5, 4, 5, 6, 5};
    const double imp[5] = {20, 20, 20, 20, 20};
    STEP(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, acct, tp, T0 + 86400, team,
                                 SERVGAP_DRIVER_PAST_EXPERIENCE, 5, rm, re, NULL, rp, imp),
         ck_assert_uint_eq(obs_count(ctx), 50));
    ck_assert_uint_eq(obs_count(ctx), 60);

    STEP(servgap_record(ctx, SERVGAP_SCOPE_TIER, tier, tp, m, SERVGAP_VP_STANDARD, 4.0, T0,
                        SERVGAP_NONE, 0),
         ck_assert_uint_eq(obs_count(ctx), 60));
    ck_assert_uint_eq(obs_count(ctx), 61);

    STEP(servgap_ctx_merge(ctx, src), ck_assert_uint_eq(obs_count(ctx), 61);
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 1));
    ck_assert_uint_eq(obs_count(ctx), 71);

    servgap_result *r = NULL;
    STEP(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), ck_assert_ptr_null(r));
    ck_assert_ptr_nonnull(r);

    /* Accessors only read. */
    st.fail_at = 0;
    ck_assert_uint_gt(servgap_result_count(r, SERVGAP_TABLE_CELLS), 0);
    ck_assert_uint_gt(servgap_result_count(r, SERVGAP_TABLE_SERVQUAL), 0);
    size_t idx;
    servgap_cell c;
    memset(&c, 0, sizeof c);
    c.size = sizeof c;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, &idx),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, idx, &c), SERVGAP_OK);
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 26); /* 25 from the batch + 1 response */
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 26);
    servgap_gap g;
    memset(&g, 0, sizeof g);
    g.size = sizeof g;
    ck_assert_int_eq(servgap_result_gap(r, idx, SERVGAP_GAP_SERVICE, &g), SERVGAP_OK);
    /* expected mean (25*6 + 7)/26 = 157/26, perceived (25*5 + 4)/26 = 129/26 */
    ck_assert_double_eq_tol(g.value, (129.0 - 157.0) / 26.0, 1e-12);
    int32_t chat = -9;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &chat), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, chat, m, 0, &idx),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, idx, &c), SERVGAP_OK);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 10);
    ck_assert_double_eq_tol(c.mean[SERVGAP_VP_PERCEIVED], 5.5, 1e-12);
    servgap_servqual sq;
    memset(&sq, 0, sizeof sq);
    sq.size = sizeof sq;
    ck_assert_int_eq(servgap_result_servqual(r, 0, &sq), SERVGAP_OK);

    servgap_result_free(r);
    servgap_ctx_free(ctx);
    servgap_ctx_free(src);
    ck_assert_msg(st.live == 0, "k=%ld: %ld blocks leaked", k, st.live);
    ck_assert_int_eq(st.foreign, 0);
    ck_assert_int_le(nfail, 1);
    return nfail ? 1 : 0;
}
#undef STEP

START_TEST(test_allocator_failures)
{
    long failures = 0;
    for (long k = 0; k <= 200; k++) {
        long f = run_failing_workload(k);
        if (k == 0)
            ck_assert_int_eq(f, 1); /* creating a handle must allocate */
        failures += f;
    }
    ck_assert_int_gt(failures, 5);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors_alloc");
    TCase *tc = tcase_create("argument");
    tcase_add_test(tc, test_allocator_missing_function);
    tcase_add_test(tc, test_allocator_size);
    tcase_add_test(tc, test_allocator_larger_struct);
    suite_add_tcase(s, tc);

    tc = tcase_create("allocator");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_allocator_counting);
    tcase_add_test(tc, test_allocator_failures);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
