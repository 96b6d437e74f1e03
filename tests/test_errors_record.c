/*
 * test_errors_record -- the error paths of recording: one observation
 * (enumerations, unknown ids, values outside the metric's range), batches
 * (all or nothing; the message names the index), survey responses and
 * importance weights. A refused call records nothing (errors.h has the
 * approach).
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "errors.h"
#include "run_suite.h"

/* ---------------------------------------------------------------------- */
/* Recording one observation                                               */
/* ---------------------------------------------------------------------- */

static int rec1(servgap_ctx *ctx, int32_t sk, int32_t sid, int32_t tp, int32_t metric, int32_t vp,
                double v, int32_t team, int32_t driver)
{
    return servgap_record(ctx, sk, sid, tp, metric, vp, v, T0, team, driver);
}

static const int32_t A = SERVGAP_SCOPE_ACCOUNT, TR = SERVGAP_SCOPE_TIER, E = SERVGAP_VP_EXPECTED;
static const int32_t N = SERVGAP_NONE, D0 = SERVGAP_DRIVER_NONE;

/* The end of a test whose calls were all refused: nothing was recorded. */
static void free_unchanged(servgap_ctx *ctx)
{
    ck_assert_uint_eq(obs_count(ctx), 0);
    servgap_ctx_free(ctx);
}

START_TEST(test_record_bad_enums)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    FAILS(ctx, rec1(ctx, 0, f.acct, f.tp, 1, E, 5, N, D0), SERVGAP_EINVAL, "scope", "0");
    FAILS(ctx, rec1(ctx, 3, f.acct, f.tp, 1, E, 5, N, D0), SERVGAP_EINVAL, "scope", "3");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, -1, 5, N, D0), SERVGAP_EINVAL, "viewpoint", "-1");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, SERVGAP_VP_COUNT, 5, N, D0), SERVGAP_EINVAL,
          "viewpoint", "7");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, 5, N, -1), SERVGAP_EINVAL, "driver", "-1");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, 5, N, 5), SERVGAP_EINVAL, "driver", "5");
    free_unchanged(ctx);
}
END_TEST

START_TEST(test_record_unknown_ids)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    FAILS(ctx, rec1(ctx, A, BAD, f.tp, 1, E, 5, N, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, rec1(ctx, A, -1, f.tp, 1, E, 5, N, D0), SERVGAP_ENOTFOUND, "-1", "account");
    FAILS(ctx, rec1(ctx, TR, BAD, f.tp, 1, E, 5, N, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, BAD, 1, E, 5, N, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, BAD, E, 5, N, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 5, E, 5, N, D0), SERVGAP_ENOTFOUND, "metric", "5");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, -2, E, 5, N, D0), SERVGAP_ENOTFOUND, "metric", "-2");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, 5, BAD, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    free_unchanged(ctx);
}
END_TEST

/* values of a Likert 1..7 metric ("reliability", id 1) */
static const double bad_likert[] = {NAN,   INFINITY, -INFINITY, 0.0,  0.999,
                                    7.001, 8.0,      9.0,       -7.0, 1e300};

/* Loop test over bad_likert, for an account and for a tier. */
START_TEST(test_record_bad_value)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, bad_likert[_i], N, D0), SERVGAP_ERANGE,
          "reliability", NULL);
    FAILS(ctx, rec1(ctx, TR, f.tier, f.tp, 1, SERVGAP_VP_STANDARD, bad_likert[_i], N, D0),
          SERVGAP_ERANGE, "reliability", NULL);
    free_unchanged(ctx);
}
END_TEST

/* The edges of the range, any touchpoint, a team and a driver are fine. */
START_TEST(test_record_range_edges)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    ck_assert_int_eq(rec1(ctx, A, f.acct, f.tp, 1, E, 1.0, N, D0), SERVGAP_OK);
    ck_assert_int_eq(rec1(ctx, A, f.acct, f.tp, 1, E, 7.0, f.team, SERVGAP_DRIVER_WORD_OF_MOUTH),
                     SERVGAP_OK);
    ck_assert_int_eq(rec1(ctx, TR, f.tier, SERVGAP_ANY, 1, SERVGAP_VP_STANDARD, 6.0, N, D0),
                     SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 3);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, 7.5, N, D0), SERVGAP_ERANGE, "reliability", NULL);
    ck_assert_uint_eq(obs_count(ctx), 3);
    servgap_ctx_free(ctx);
}
END_TEST

/* An unbounded metric still rejects NaN and infinities. */
START_TEST(test_record_unbounded_metric)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    int32_t h;
    ck_assert_int_eq(servgap_metric_define(ctx, "first_response_hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &h),
                     SERVGAP_OK);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, h, SERVGAP_VP_DELIVERED, INFINITY, N, D0), SERVGAP_ERANGE,
          "first_response_hours", NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, h, SERVGAP_VP_DELIVERED, NAN, N, D0), SERVGAP_ERANGE,
          "first_response_hours", NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, h, SERVGAP_VP_DELIVERED, -0.5, N, D0), SERVGAP_ERANGE,
          "first_response_hours", NULL);
    ck_assert_int_eq(rec1(ctx, A, f.acct, f.tp, h, SERVGAP_VP_DELIVERED, 1e6, N, D0), SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 1);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Batches: all or nothing, the message names the index                   */
/* ---------------------------------------------------------------------- */

#define NB 100
typedef struct batch {
    int32_t sk[NB], sid[NB], tp[NB], met[NB], vp[NB], team[NB], drv[NB];
    double val[NB];
    int64_t tm[NB];
} batch;

static void batch_fill(batch *b, const fixture *f)
{
    for (int i = 0; i < NB; i++) {
        b->sk[i] = SERVGAP_SCOPE_ACCOUNT;
        b->sid[i] = f->acct;
        b->tp[i] = f->tp;
        b->met[i] = i % 5;
        b->vp[i] = (i % 2) ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_EXPECTED;
        b->val[i] = 1.0 + (double)(i % 7);
        b->tm[i] = T0 + 60 * i;
        b->team[i] = (i % 3) ? f->team : SERVGAP_NONE;
        b->drv[i] = i % 5;
    }
}

static int batch_run(servgap_ctx *ctx, batch *b)
{
    return servgap_record_batch(ctx, NB, b->sk, b->sid, b->tp, b->met, b->vp, b->val, b->tm,
                                b->team, b->drv);
}

enum { N_SPOILS = 14 };

/* Spoil element *bad_at (17 unless the variant says otherwise) of a good
 * batch in way v; returns the status the batch must fail with. */
static int spoil(batch *b, int v, int *bad_at)
{
    int want = 0;
    *bad_at = 17;
    switch (v) {
    case 0:
        b->val[17] = 9.0, want = SERVGAP_ERANGE;
        break;
    case 1:
        b->val[17] = NAN, want = SERVGAP_ERANGE;
        break;
    case 2:
        b->val[17] = INFINITY, want = SERVGAP_ERANGE;
        break;
    case 3:
        b->val[17] = 0.5, want = SERVGAP_ERANGE;
        break;
    case 4:
        b->met[17] = BAD, want = SERVGAP_ENOTFOUND;
        break;
    case 5:
        b->vp[17] = 9, want = SERVGAP_EINVAL;
        break;
    case 6:
        b->sid[17] = BAD, want = SERVGAP_ENOTFOUND;
        break;
    case 7:
        b->tp[17] = BAD, want = SERVGAP_ENOTFOUND;
        break;
    case 8:
        b->team[17] = BAD, want = SERVGAP_ENOTFOUND;
        break;
    case 9:
        b->drv[17] = 9, want = SERVGAP_EINVAL;
        break;
    case 10:
        b->sk[17] = 7, want = SERVGAP_EINVAL;
        break;
    case 11:
        b->sk[17] = SERVGAP_SCOPE_TIER, b->sid[17] = BAD, want = SERVGAP_ENOTFOUND;
        break;
    case 12:
        b->val[99] = -1.0, want = SERVGAP_ERANGE, *bad_at = 99;
        break;
    case 13:
        b->val[0] = 8.0, want = SERVGAP_ERANGE, *bad_at = 0;
        break;
    }
    return want;
}

/* The same batch without the bad element records all 100. */
static void record_good_batch(servgap_ctx *ctx, batch *b, const fixture *f, uint64_t before)
{
    batch_fill(b, f);
    ck_assert_int_eq(batch_run(ctx, b), SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), before + NB);
}

/* Loop test over the N_SPOILS ways: a batch with one bad element records
 * nothing, into an empty handle and into one holding a batch. */
START_TEST(test_batch_bad_element)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    batch *b = malloc(sizeof *b);
    ck_assert_ptr_nonnull(b);
    for (int round = 0; round < 2; round++) {
        const uint64_t before = obs_count(ctx);
        batch_fill(b, &f);
        int bad_at;
        int want = spoil(b, _i, &bad_at);
        char idx[16];
        snprintf(idx, sizeof idx, "%d", bad_at);
        int rc = batch_run(ctx, b);
        check_fail_at(__LINE__, "servgap_record_batch (bad element)", ctx, rc, want, idx, NULL);
        ck_assert_msg(obs_count(ctx) == before, "variant %d: batch recorded something", _i);
        record_good_batch(ctx, b, &f, before);
    }
    ck_assert_uint_eq(obs_count(ctx), 2 * NB);
    free(b);
    servgap_ctx_free(ctx);
}
END_TEST

/* The metric at index 17 is "responsiveness" (17 % 5 = 2): a value error
 * names it, and the index. */
START_TEST(test_batch_error_names_metric_and_index)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    batch *b = malloc(sizeof *b);
    ck_assert_ptr_nonnull(b);
    for (int round = 0; round < 2; round++) {
        const uint64_t before = obs_count(ctx);
        batch_fill(b, &f);
        b->val[17] = 9.0;
        FAILS(ctx, batch_run(ctx, b), SERVGAP_ERANGE, "responsiveness", NULL);
        FAILS(ctx, batch_run(ctx, b), SERVGAP_ERANGE, "17", NULL);
        ck_assert_uint_eq(obs_count(ctx), before);
        record_good_batch(ctx, b, &f, before);
    }
    ck_assert_uint_eq(obs_count(ctx), 2 * NB);
    free(b);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Responses                                                               */
/* ---------------------------------------------------------------------- */

/* A response of acme (fixture) on four metrics, one of them "q_speed";
 * the tests spoil one field. */
typedef struct response {
    fixture f;
    int32_t q, m[4];
    double e[4], a[4], p[4], imp[5];
} response;

static response good_response(void)
{
    response r = {.f = setup(),
                  .e = {6, 6, 6, 6},
                  .a = {4, 4, 4, 4},
                  .p = {5, 5, 5, 5},
                  .imp = {20, 20, 20, 20, 20}};
    ck_assert_int_eq(servgap_metric_define(r.f.ctx, "q_speed", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_HIGHER_IS_BETTER, 1, 7, 0, NULL, &r.q),
                     SERVGAP_OK);
    const int32_t m[4] = {0, 1, r.q, 3};
    memcpy(r.m, m, sizeof m);
    return r;
}

static int resp(response *r, int32_t sk, int32_t sid, int32_t tp, int32_t team, int32_t drv,
                int32_t n)
{
    return servgap_record_response(r->f.ctx, sk, sid, tp, T0, team, drv, n, r->m, r->e, r->a, r->p,
                                   r->imp);
}

START_TEST(test_response_bad_arguments)
{
    response r = good_response();
    servgap_ctx *ctx = r.f.ctx;
    const int32_t acct = r.f.acct, tp = r.f.tp;
    FAILS(ctx, resp(&r, A, acct, tp, N, D0, 0), SERVGAP_EINVAL, NULL, NULL);
    FAILS(ctx, resp(&r, 0, acct, tp, N, D0, 4), SERVGAP_EINVAL, "scope", "0");
    FAILS(ctx, resp(&r, A, BAD, tp, N, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, resp(&r, SERVGAP_SCOPE_TIER, BAD, tp, N, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, resp(&r, A, acct, BAD, N, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, resp(&r, A, acct, tp, BAD, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, resp(&r, A, acct, tp, N, 9, 4), SERVGAP_EINVAL, "driver", "9");
    free_unchanged(ctx);
}
END_TEST

/* A repeated metric names it and its index. */
START_TEST(test_response_repeated_metric)
{
    response r = good_response();
    r.m[3] = r.q;
    FAILS(r.f.ctx, resp(&r, A, r.f.acct, r.f.tp, N, D0, 4), SERVGAP_EINVAL, "q_speed", "3");
    free_unchanged(r.f.ctx);
}
END_TEST

START_TEST(test_response_unknown_metric)
{
    response r = good_response();
    r.m[1] = BAD;
    FAILS(r.f.ctx, resp(&r, A, r.f.acct, r.f.tp, N, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    free_unchanged(r.f.ctx);
}
END_TEST

/* Values outside 1..7 or infinite, on any side (NaN = not answered). */
START_TEST(test_response_bad_values)
{
    response r = good_response();
    servgap_ctx *ctx = r.f.ctx;
    r.p[2] = 8;
    FAILS(ctx, resp(&r, A, r.f.acct, r.f.tp, N, D0, 4), SERVGAP_ERANGE, "q_speed", "2");
    r.p[2] = 5;
    r.e[3] = INFINITY;
    FAILS(ctx, resp(&r, A, r.f.acct, r.f.tp, N, D0, 4), SERVGAP_ERANGE, "assurance", "3");
    r.e[3] = 6;
    r.a[0] = 0.0;
    FAILS(ctx, resp(&r, A, r.f.acct, r.f.tp, N, D0, 4), SERVGAP_ERANGE, "tangibles", "0");
    free_unchanged(ctx);
}
END_TEST

static const double bad_resp_imp[][5] = {
    {20, 20, 20, 20, 19},  {20, 20, 20, 20, 20.6}, {-10, 50, 20, 20, 20}, {0, 0, 0, 0, 0},
    {NAN, 25, 25, 25, 25}, {INFINITY, 0, 0, 0, 0}, {100, 100, -100, 0, 0}};

/* Loop test over bad_resp_imp. */
START_TEST(test_response_bad_importance)
{
    response r = good_response();
    memcpy(r.imp, bad_resp_imp[_i], sizeof r.imp);
    FAILS(r.f.ctx, resp(&r, A, r.f.acct, r.f.tp, N, D0, 4), SERVGAP_ERANGE, "importance", NULL);
    free_unchanged(r.f.ctx);
}
END_TEST

/* A good response: 4 expected + 4 adequate + 4 perceived observations.
 * 100 +- 0.5 is accepted. */
START_TEST(test_response_good)
{
    response r = good_response();
    servgap_ctx *ctx = r.f.ctx;
    double ok_imp[5] = {20, 20, 20, 20, 20.4};
    memcpy(r.imp, ok_imp, sizeof r.imp);
    ck_assert_int_eq(resp(&r, A, r.f.acct, r.f.tp, N, D0, 4), SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 12);
    /* Unanswered (NaN) values are not observations; NULL adequate and NULL
     * importance are allowed. */
    r.e[0] = NAN;
    r.p[1] = NAN;
    ck_assert_int_eq(
        servgap_record_response(ctx, A, r.f.acct, r.f.tp, T0, N, D0, 4, r.m, r.e, NULL, r.p, NULL),
        SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 12 + 3 + 3);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Importance                                                              */
/* ---------------------------------------------------------------------- */

static const double good_imp[5] = {10, 20, 30, 20, 20};
static const double prov_imp[5] = {20, 20, 20, 20, 20};

/* A fixture whose acme has customer weights good_imp and provider weights
 * prov_imp. */
static fixture weighted(void)
{
    fixture f = setup();
    ck_assert_int_eq(servgap_set_importance(f.ctx, A, f.acct, SERVGAP_WHOSE_CUSTOMER, good_imp),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_set_importance(f.ctx, A, f.acct, SERVGAP_WHOSE_PROVIDER, prov_imp),
                     SERVGAP_OK);
    return f;
}

static void find_sq(const servgap_result *r, int32_t sk, int32_t sid, int32_t tp,
                    servgap_servqual *out)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_SERVQUAL);
    for (size_t i = 0; i < n; i++) {
        memset(out, 0, sizeof *out);
        out->size = sizeof *out;
        ck_assert_int_eq(servgap_result_servqual(r, i, out), SERVGAP_OK);
        if (out->scope_kind == sk && out->scope_id == sid && out->touchpoint == tp)
            return;
    }
    ck_abort_msg("no SERVQUAL row for scope %d/%d touchpoint %d", sk, sid, tp);
}

/* The failed calls changed nothing: acme's weights are still
 * good_imp/100 and prov_imp/100 in its SERVQUAL row. */
static void assert_weights_kept(fixture *f)
{
    servgap_ctx *ctx = f->ctx;
    const int32_t mt[5] = {0, 1, 2, 3, 4};
    const double e[5] = {6, 6, 6, 6, 6}, p[5] = {5, 5, 5, 5, 5};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(servgap_record_response(ctx, A, f->acct, f->tp, T0 + i, SERVGAP_NONE,
                                                 SERVGAP_DRIVER_NONE, 5, mt, e, NULL, p, NULL),
                         SERVGAP_OK);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    servgap_servqual sq;
    find_sq(r, A, f->acct, SERVGAP_ALL, &sq);
    for (int d = 0; d < 5; d++) {
        ck_assert_double_eq_tol(sq.weight[d], good_imp[d] / 100.0, 1e-12);
        ck_assert_double_eq_tol(sq.believed_weight[d], prov_imp[d] / 100.0, 1e-12);
    }
    servgap_result_free(r);
}

START_TEST(test_importance_bad_arguments)
{
    fixture f = weighted();
    servgap_ctx *ctx = f.ctx;
    const int32_t C = SERVGAP_WHOSE_CUSTOMER;
    FAILS(ctx, servgap_set_importance(ctx, 0, f.acct, C, good_imp), SERVGAP_EINVAL, "scope", "0");
    FAILS(ctx, servgap_set_importance(ctx, A, f.acct, 0, good_imp), SERVGAP_EINVAL, "whose", "0");
    FAILS(ctx, servgap_set_importance(ctx, A, f.acct, 3, good_imp), SERVGAP_EINVAL, "whose", "3");
    FAILS(ctx, servgap_set_importance(ctx, A, BAD, C, good_imp), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, BAD, C, good_imp), SERVGAP_ENOTFOUND,
          BADS, NULL);
    assert_weights_kept(&f);
    servgap_ctx_free(ctx);
}
END_TEST

static const double bad_weights[][5] = {{10, 20, 30, 20, 19},       /* 99 */
                                        {10, 20, 30, 20, 20.6},     /* 100.6 */
                                        {10, 20, 30, 20, 19.4},     /* 99.4 */
                                        {-10, 40, 30, 20, 20},      /* negative, sums to 100 */
                                        {0, 0, 0, 0, 0},            /* 0 */
                                        {200, -100, 0, 0, 0},       /* negative */
                                        {NAN, 25, 25, 25, 25},      /* NaN */
                                        {INFINITY, 25, 25, 25, 25}, /* inf */
                                        {1000, 20, 30, 20, 20}};    /* 1090 */

/* Loop test over bad_weights, for the customer's and the provider's. */
START_TEST(test_importance_bad_weights)
{
    fixture f = weighted();
    servgap_ctx *ctx = f.ctx;
    FAILS(ctx, servgap_set_importance(ctx, A, f.acct, SERVGAP_WHOSE_CUSTOMER, bad_weights[_i]),
          SERVGAP_ERANGE, NULL, NULL);
    FAILS(ctx, servgap_set_importance(ctx, A, f.acct, SERVGAP_WHOSE_PROVIDER, bad_weights[_i]),
          SERVGAP_ERANGE, NULL, NULL);
    assert_weights_kept(&f);
    servgap_ctx_free(ctx);
}
END_TEST

/* 100 +- 0.5 is accepted (on another scope, to keep acme's). */
START_TEST(test_importance_near_100)
{
    fixture f = weighted();
    const double near[5] = {10, 20, 30, 20, 20.4};
    ck_assert_int_eq(
        servgap_set_importance(f.ctx, SERVGAP_SCOPE_TIER, f.tier, SERVGAP_WHOSE_CUSTOMER, near),
        SERVGAP_OK);
    assert_weights_kept(&f);
    servgap_ctx_free(f.ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors_record");
    TCase *tc = tcase_create("record");
    tcase_add_test(tc, test_record_bad_enums);
    tcase_add_test(tc, test_record_unknown_ids);
    tcase_add_loop_test(tc, test_record_bad_value, 0,
                        (int)(sizeof bad_likert / sizeof bad_likert[0]));
    tcase_add_test(tc, test_record_range_edges);
    tcase_add_test(tc, test_record_unbounded_metric);
    suite_add_tcase(s, tc);

    tc = tcase_create("batch");
    tcase_add_loop_test(tc, test_batch_bad_element, 0, N_SPOILS);
    tcase_add_test(tc, test_batch_error_names_metric_and_index);
    suite_add_tcase(s, tc);

    tc = tcase_create("response");
    tcase_add_test(tc, test_response_bad_arguments);
    tcase_add_test(tc, test_response_repeated_metric);
    tcase_add_test(tc, test_response_unknown_metric);
    tcase_add_test(tc, test_response_bad_values);
    tcase_add_loop_test(tc, test_response_bad_importance, 0,
                        (int)(sizeof bad_resp_imp / sizeof bad_resp_imp[0]));
    tcase_add_test(tc, test_response_good);
    suite_add_tcase(s, tc);

    tc = tcase_create("importance");
    tcase_add_test(tc, test_importance_bad_arguments);
    tcase_add_loop_test(tc, test_importance_bad_weights, 0,
                        (int)(sizeof bad_weights / sizeof bad_weights[0]));
    tcase_add_test(tc, test_importance_near_100);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
