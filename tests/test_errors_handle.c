/*
 * test_errors_handle -- a fresh handle (no error, the built-in metrics, the
 * default options), every call on a NULL handle or with a NULL pointer, and
 * the options' ranges: out of range is refused and the value kept
 * (errors.h has the approach).
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "servgap.h"

#include "errors.h"
#include "run_suite.h"

/* ---------------------------------------------------------------------- */
/* A fresh handle                                                          */
/* ---------------------------------------------------------------------- */

START_TEST(test_fresh_handle)
{
    servgap_ctx *ctx = new_ctx();
    ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_OK);
    ck_assert_str_eq(servgap_errmsg(ctx), "");
    ck_assert_uint_eq(servgap_errmsg_copy(ctx, NULL, 0), 0);
    ck_assert_uint_eq(obs_count(ctx), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 5);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TEAM), 0);
    servgap_ctx_free(ctx);
}
END_TEST

/* Loop test over the five dimensions: each has its built-in 1..7 metric. */
START_TEST(test_builtin_metric)
{
    servgap_ctx *ctx = new_ctx();
    const int32_t d = _i;
    servgap_metric m;
    memset(&m, 0, sizeof m);
    m.size = sizeof m;
    ck_assert_int_eq(servgap_metric_info(ctx, d, &m), SERVGAP_OK);
    ck_assert_str_eq(m.name, servgap_dimension_name(d));
    ck_assert_int_eq(m.dimension, d);
    ck_assert_int_eq(m.direction, SERVGAP_HIGHER_IS_BETTER);
    ck_assert(m.min == 1.0);
    ck_assert(m.max == 7.0);
    ck_assert(m.span == 6.0);
    const char *name = NULL;
    ck_assert_int_eq(servgap_name(ctx, SERVGAP_KIND_METRIC, d, &name), SERVGAP_OK);
    ck_assert_str_eq(name, servgap_dimension_name(d));
    int32_t id = -7;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_METRIC, servgap_dimension_name(d), &id),
                     SERVGAP_OK);
    ck_assert_int_eq(id, d);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_default_options)
{
    servgap_ctx *ctx = new_ctx();
    double v = 0;
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_CONFIDENCE, &v), SERVGAP_OK);
    ck_assert(v == 0.95);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, &v), SERVGAP_OK);
    ck_assert(v == 5.0);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, &v), SERVGAP_OK);
    ck_assert(v == 1.0);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, &v), SERVGAP_OK);
    ck_assert(v == 0.4);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, &v), SERVGAP_OK);
    ck_assert(v == 50.0);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* NULL handle                                                             */
/* ---------------------------------------------------------------------- */

/* Definitions and look-ups: EMISUSE, and no output written. */
START_TEST(test_null_handle_definitions)
{
    int32_t id = 123;
    double v = 1.5;
    const char *name = "sentinel";
    int32_t cnt = 77;
    servgap_metric mi;
    servgap_account ai;
    memset(&mi, 0, sizeof mi);
    memset(&ai, 0, sizeof ai);
    mi.size = sizeof mi;
    ai.size = sizeof ai;

    ck_assert_int_eq(servgap_ctx_set_option(NULL, SERVGAP_OPT_CONFIDENCE, 0.9), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_ctx_get_option(NULL, SERVGAP_OPT_CONFIDENCE, &v), SERVGAP_EMISUSE);
    ck_assert(v == 1.5);
    ck_assert_int_eq(servgap_intern(NULL, SERVGAP_KIND_TIER, "x", &id), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_lookup(NULL, SERVGAP_KIND_TIER, "x", &id), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_name(NULL, SERVGAP_KIND_METRIC, 0, &name), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_count(NULL, SERVGAP_KIND_METRIC, &cnt), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_metric_define(NULL, "m", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER,
                                           1, 5, 0, NULL, &id),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_metric_info(NULL, 0, &mi), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_define(NULL, "a", "t", 1.0, &id), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_set_health(NULL, 0, 50.0), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_set_flag(NULL, 0, SERVGAP_ACCOUNT_AT_RISK, 1),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_set_date(NULL, 0, SERVGAP_ACCOUNT_RENEWAL, T0),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_info(NULL, 0, &ai), SERVGAP_EMISUSE);
    ck_assert(id == 123 && cnt == 77 && strcmp(name, "sentinel") == 0);
}
END_TEST

/* Recording, merging and querying: EMISUSE, and no output written. */
START_TEST(test_null_handle_recording)
{
    uint64_t u = 99;
    const int32_t sk[1] = {SERVGAP_SCOPE_ACCOUNT}, sid[1] = {0}, tp[1] = {0}, met[1] = {1},
                  vp[1] = {SERVGAP_VP_EXPECTED}, team[1] = {SERVGAP_NONE},
                  drv[1] = {SERVGAP_DRIVER_NONE};
    const double val[1] = {5.0};
    const int64_t tm[1] = {T0};
    const double pts[5] = {20, 20, 20, 20, 20};
    servgap_result *r = (servgap_result *)0;

    ck_assert_int_eq(servgap_record(NULL, SERVGAP_SCOPE_ACCOUNT, 0, 0, 1, SERVGAP_VP_EXPECTED, 5.0,
                                    T0, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_record_batch(NULL, 1, sk, sid, tp, met, vp, val, tm, team, drv),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_record_response(NULL, SERVGAP_SCOPE_ACCOUNT, 0, 0, T0, SERVGAP_NONE,
                                             SERVGAP_DRIVER_NONE, 1, met, val, NULL, val, NULL),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(
        servgap_set_importance(NULL, SERVGAP_SCOPE_ACCOUNT, 0, SERVGAP_WHOSE_CUSTOMER, pts),
        SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_observation_count(NULL, &u), SERVGAP_EMISUSE);
    ck_assert_uint_eq(u, 99);
    ck_assert_int_eq(servgap_ctx_merge(NULL, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_query(NULL, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r),
                     SERVGAP_EMISUSE);
    ck_assert_ptr_null(r);
}
END_TEST

/* Error accessors on NULL: a static message, no crash. */
START_TEST(test_null_handle_errmsg)
{
    const char *m = servgap_errmsg(NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_msg(m[0] != '\0', "servgap_errmsg(NULL) should be a static message");
    char buf[256];
    buf[0] = '\0';
    size_t len = servgap_errmsg_copy(NULL, buf, sizeof buf);
    ck_assert(memchr(buf, '\0', sizeof buf) != NULL);
    (void)servgap_errcode(NULL);
    ck_assert_uint_eq(servgap_errmsg_copy(NULL, NULL, 0), len);
}
END_TEST

/* Result accessors on NULL: EMISUSE (counts 0), no output written. */
START_TEST(test_null_result)
{
    servgap_cell c;
    servgap_gap g;
    servgap_servqual sq;
    servgap_breakdown b;
    c.size = sizeof c;
    g.size = sizeof g;
    sq.size = sizeof sq;
    b.size = sizeof b;
    size_t idx = 5;
    int64_t from = 1, to = 2;
    ck_assert_uint_eq(servgap_result_count(NULL, SERVGAP_TABLE_CELLS), 0);
    ck_assert_uint_eq(servgap_result_count(NULL, SERVGAP_TABLE_SERVQUAL), 0);
    ck_assert_uint_eq(servgap_result_count(NULL, SERVGAP_TABLE_BREAKDOWN), 0);
    ck_assert_int_eq(servgap_result_cell(NULL, 0, &c), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_find(NULL, SERVGAP_SCOPE_ACCOUNT, 0, SERVGAP_ALL, 1, 0, &idx),
                     SERVGAP_EMISUSE);
    ck_assert_uint_eq(idx, 5);
    ck_assert_int_eq(servgap_result_gap(NULL, 0, SERVGAP_GAP_SERVICE, &g), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_servqual(NULL, 0, &sq), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_breakdown(NULL, 0, &b), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_window(NULL, &from, &to), SERVGAP_EMISUSE);
    ck_assert(from == 1 && to == 2);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* NULL pointers                                                           */
/* ---------------------------------------------------------------------- */

START_TEST(test_null_out_pointers)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    int32_t id = 123;
    const char *name = "sentinel";

    ck_assert_int_eq(servgap_ctx_new(NULL, NULL), SERVGAP_EMISUSE);

    FAILS(ctx, servgap_ctx_get_option(ctx, SERVGAP_OPT_CONFIDENCE, NULL), SERVGAP_EMISUSE, NULL,
          NULL);
    FAILS(ctx, servgap_intern(ctx, SERVGAP_KIND_TIER, NULL, &id), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_intern(ctx, SERVGAP_KIND_TIER, "new_tier", NULL), SERVGAP_EMISUSE, NULL,
          NULL);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 1); /* nothing interned */
    FAILS(ctx, servgap_lookup(ctx, SERVGAP_KIND_TIER, NULL, &id), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_lookup(ctx, SERVGAP_KIND_TIER, "enterprise", NULL), SERVGAP_EMISUSE, NULL,
          NULL);
    FAILS(ctx, servgap_name(ctx, SERVGAP_KIND_METRIC, 0, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_count(ctx, SERVGAP_KIND_METRIC, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, NULL, SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 1, 5, 0,
                                NULL, &id),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_metric_info(ctx, 0, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_account_define(ctx, NULL, "enterprise", 1.0, &id), SERVGAP_EMISUSE, NULL,
          NULL);
    FAILS(ctx, servgap_account_info(ctx, 0, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_observation_count(ctx, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx,
          servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, SERVGAP_WHOSE_CUSTOMER, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, NULL), SERVGAP_EMISUSE,
          NULL, NULL);
    ck_assert_int_eq(id, 123);
    ck_assert_str_eq(name, "sentinel");
    servgap_ctx_free(ctx);
}
END_TEST

static const int32_t sk[2] = {SERVGAP_SCOPE_ACCOUNT, SERVGAP_SCOPE_ACCOUNT}, sid[2] = {0, 0},
                     tp[2] = {0, 0}, met[2] = {1, 1},
                     vp[2] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_PERCEIVED};
static const double val[2] = {6.0, 5.0};
static const int64_t tm[2] = {T0, T0 + 60};

/* The optional columns of a batch may be NULL: two observations of acme
 * (fixture) recorded without scope kinds, teams and drivers. */
static void record_two_without_optional_columns(servgap_ctx *ctx)
{
    ck_assert_int_eq(servgap_record_batch(ctx, 2, NULL, sid, tp, met, vp, val, tm, NULL, NULL),
                     SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 2);
}

START_TEST(test_null_batch_columns)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    /* Each required column NULL. */
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, NULL, tp, met, vp, val, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, NULL, met, vp, val, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, tp, NULL, vp, val, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, tp, met, NULL, val, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, tp, met, vp, NULL, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, tp, met, vp, val, NULL, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    ck_assert_uint_eq(obs_count(ctx), 0);
    /* Optional columns may be NULL; n == 0 succeeds. */
    ck_assert_int_eq(servgap_record_batch(ctx, 0, sk, sid, tp, met, vp, val, tm, NULL, NULL),
                     SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 0);
    record_two_without_optional_columns(ctx);
    servgap_ctx_free(ctx);
}
END_TEST

/* record_response: metric, expected, perceived required. */
START_TEST(test_null_response_columns)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    record_two_without_optional_columns(ctx);
    const int32_t rm[2] = {0, 1};
    const double re[2] = {6, 7}, rp[2] = {5, 5};
    FAILS(ctx,
          servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, T0, SERVGAP_NONE,
                                  SERVGAP_DRIVER_NONE, 2, NULL, re, NULL, rp, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx,
          servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, T0, SERVGAP_NONE,
                                  SERVGAP_DRIVER_NONE, 2, rm, NULL, NULL, rp, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx,
          servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, T0, SERVGAP_NONE,
                                  SERVGAP_DRIVER_NONE, 2, rm, re, NULL, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    ck_assert_uint_eq(obs_count(ctx), 2);
    servgap_ctx_free(ctx);
}
END_TEST

/* Merge with a NULL side. */
START_TEST(test_null_merge_side)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    record_two_without_optional_columns(ctx);
    FAILS(ctx, servgap_ctx_merge(ctx, NULL), SERVGAP_EMISUSE, NULL, NULL);
    servgap_ctx *other = new_ctx();
    ck_assert_int_eq(servgap_ctx_merge(NULL, other), SERVGAP_EMISUSE);
    servgap_ctx_free(other);
    ck_assert_uint_eq(obs_count(ctx), 2);
    servgap_ctx_free(ctx);
}
END_TEST

/* Result accessors with NULL out. */
START_TEST(test_null_result_outs)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    record_two_without_optional_columns(ctx);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_gt(servgap_result_count(r, SERVGAP_TABLE_CELLS), 0);
    ck_assert_int_eq(servgap_result_cell(r, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acct, SERVGAP_ALL, 1, 0, NULL),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_gap(r, 0, SERVGAP_GAP_SERVICE, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_servqual(r, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_breakdown(r, 0, NULL), SERVGAP_EMISUSE);
    int64_t from = 0, to = 0;
    ck_assert_int_eq(servgap_result_window(r, NULL, &to), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_window(r, &from, NULL), SERVGAP_EMISUSE);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Options                                                                 */
/* ---------------------------------------------------------------------- */

static void expect_option(servgap_ctx *ctx, int32_t opt, double want)
{
    double v = -1;
    ck_assert_int_eq(servgap_ctx_get_option(ctx, opt, &v), SERVGAP_OK);
    ck_assert_msg(v == want, "option %d is %g, expected %g", opt, v, want);
}

START_TEST(test_unknown_option)
{
    servgap_ctx *ctx = new_ctx();
    double v = 42.0;
    FAILS(ctx, servgap_ctx_set_option(ctx, 0, 0.9), SERVGAP_EINVAL, "option", "0");
    FAILS(ctx, servgap_ctx_set_option(ctx, 77, 0.9), SERVGAP_EINVAL, "option", "77");
    FAILS(ctx, servgap_ctx_set_option(ctx, -1, 0.9), SERVGAP_EINVAL, "option", "-1");
    FAILS(ctx, servgap_ctx_get_option(ctx, 77, &v), SERVGAP_EINVAL, "option", "77");
    ck_assert(v == 42.0);
    servgap_ctx_free(ctx);
}
END_TEST

/* confidence in (0.5, 1) */
START_TEST(test_confidence_range)
{
    servgap_ctx *ctx = new_ctx();
    const double bad_conf[] = {1.0, 0.5, 0.0, -0.95, 1.5, 95.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad_conf / sizeof bad_conf[0]; i++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, bad_conf[i]), SERVGAP_ERANGE,
              NULL, NULL);
        expect_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.95);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.99), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.99);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.9), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.9);
    servgap_ctx_free(ctx);
}
END_TEST

/* min_n: whole numbers >= 1 */
START_TEST(test_min_n_range)
{
    servgap_ctx *ctx = new_ctx();
    const double bad_n[] = {0.0, 2.5, -1.0, 0.5, 1.0000001, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad_n / sizeof bad_n[0]; i++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, bad_n[i]),
              SERVGAP_ERANGE, NULL, NULL);
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, bad_n[i]),
              SERVGAP_ERANGE, NULL, NULL);
        expect_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 5.0);
        expect_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, 1.0);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 1.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, 3.0), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 1.0);
    expect_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, 3.0);
    servgap_ctx_free(ctx);
}
END_TEST

/* negative share in (0, 1) */
START_TEST(test_negative_share_range)
{
    servgap_ctx *ctx = new_ctx();
    const double bad_share[] = {0.0, 1.0, -0.1, 1.1, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad_share / sizeof bad_share[0]; i++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, bad_share[i]),
              SERVGAP_ERANGE, NULL, NULL);
        expect_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.4);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.25), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.25);
    servgap_ctx_free(ctx);
}
END_TEST

/* at-risk health in [0, 100] */
START_TEST(test_at_risk_health_range)
{
    servgap_ctx *ctx = new_ctx();
    const double bad_health[] = {-0.001, 100.001, 1000.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad_health / sizeof bad_health[0]; i++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, bad_health[i]),
              SERVGAP_ERANGE, NULL, NULL);
        expect_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 50.0);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 0.0), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 0.0);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 100.0), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 100.0);
    servgap_ctx_free(ctx);
}
END_TEST

/* The analysis options: documented default, the ends of the documented
 * range accepted, just outside (or not whole) rejected with the value kept. */
static const struct {
    int32_t id;
    double def, lo, hi, bad[3];
} analysis_opts[] = {
    {SERVGAP_OPT_WEIGHT_SIZE, 1.0, 0.0, 1e6, {-0.001, 1e7, NAN}},
    {SERVGAP_OPT_WEIGHT_VALUE, 1.0, 0.0, 1e6, {-1.0, INFINITY, NAN}},
    {SERVGAP_OPT_WEIGHT_FREQUENCY, 1.0, 0.0, 1e6, {-1.0, -INFINITY, NAN}},
    {SERVGAP_OPT_PERSIST_BOOST, 1.0, 0.0, 1e6, {-0.5, INFINITY, NAN}},
    {SERVGAP_OPT_WINDOWS, 3.0, 1.0, 52.0, {0.0, 53.0, 2.5}},
    {SERVGAP_OPT_WINDOW_DAYS, 30.0, 1.0, 366.0, {0.0, 367.0, 30.5}},
    {SERVGAP_OPT_IMPACT_CUT, 25.0, 0.0, 100.0, {-1.0, 100.5, NAN}},
    {SERVGAP_OPT_EFFORT_CUT, 3.0, 1e-9, 1e9, {0.0, -1.0, INFINITY}},
    {SERVGAP_OPT_RENEWAL_DAYS, 90.0, 1.0, 3660.0, {0.0, 3661.0, 1.5}},
    {SERVGAP_OPT_MIGRATION_DAYS, 60.0, 1.0, 3660.0, {0.0, 3661.0, NAN}},
    {SERVGAP_OPT_SPIKE_RECENT_DAYS, 14.0, 1.0, 366.0, {0.0, 367.0, 7.25}},
    {SERVGAP_OPT_SPIKE_BASELINE_DAYS, 180.0, 1.0, 3660.0, {0.0, 3661.0, -5.0}},
    {SERVGAP_OPT_IPA_CROSSHAIR, SERVGAP_CROSSHAIR_MIDPOINT, 1.0, 4.0, {0.0, 5.0, 2.5}},
    {SERVGAP_OPT_IPA_IMPORTANCE, 20.0, 0.0, 100.0, {-0.1, 100.1, NAN}},
    {SERVGAP_OPT_IPA_PERFORMANCE, 4.0, -1e300, 1e300, {NAN, INFINITY, -INFINITY}},
};

/* Loop test over analysis_opts. */
START_TEST(test_analysis_option)
{
    servgap_ctx *ctx = new_ctx();
    expect_option(ctx, analysis_opts[_i].id, analysis_opts[_i].def);
    for (int b = 0; b < 3; b++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, analysis_opts[_i].id, analysis_opts[_i].bad[b]),
              SERVGAP_ERANGE, NULL, NULL);
        expect_option(ctx, analysis_opts[_i].id, analysis_opts[_i].def);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, analysis_opts[_i].id, analysis_opts[_i].lo),
                     SERVGAP_OK);
    expect_option(ctx, analysis_opts[_i].id, analysis_opts[_i].lo);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, analysis_opts[_i].id, analysis_opts[_i].hi),
                     SERVGAP_OK);
    expect_option(ctx, analysis_opts[_i].id, analysis_opts[_i].hi);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, analysis_opts[_i].id, analysis_opts[_i].def),
                     SERVGAP_OK);
    servgap_ctx_free(ctx);
}
END_TEST

/* The three impact weights may not all be zero: the last one refused. */
START_TEST(test_impact_weights_not_all_zero)
{
    servgap_ctx *ctx = new_ctx();
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_SIZE, 0.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_VALUE, 0.0), SERVGAP_OK);
    FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_FREQUENCY, 0.0), SERVGAP_ERANGE,
          "weights", NULL);
    expect_option(ctx, SERVGAP_OPT_WEIGHT_FREQUENCY, 1.0);
    servgap_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors_handle");
    TCase *tc = tcase_create("fresh");
    tcase_add_test(tc, test_fresh_handle);
    tcase_add_loop_test(tc, test_builtin_metric, 0, SERVGAP_DIM_COUNT);
    tcase_add_test(tc, test_default_options);
    suite_add_tcase(s, tc);

    tc = tcase_create("null");
    tcase_add_test(tc, test_null_handle_definitions);
    tcase_add_test(tc, test_null_handle_recording);
    tcase_add_test(tc, test_null_handle_errmsg);
    tcase_add_test(tc, test_null_result);
    tcase_add_test(tc, test_null_out_pointers);
    tcase_add_test(tc, test_null_batch_columns);
    tcase_add_test(tc, test_null_response_columns);
    tcase_add_test(tc, test_null_merge_side);
    tcase_add_test(tc, test_null_result_outs);
    suite_add_tcase(s, tc);

    tc = tcase_create("options");
    tcase_add_test(tc, test_unknown_option);
    tcase_add_test(tc, test_confidence_range);
    tcase_add_test(tc, test_min_n_range);
    tcase_add_test(tc, test_negative_share_range);
    tcase_add_test(tc, test_at_risk_health_range);
    tcase_add_loop_test(tc, test_analysis_option, 0,
                        (int)(sizeof analysis_opts / sizeof analysis_opts[0]));
    tcase_add_test(tc, test_impact_weights_not_all_zero);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
