/*
 * test_nonfinite -- a gap that is not finite is never a shortfall, never
 * significant, never a classification's cause and never a finding. The
 * limits on numbers keep every gap finite (tests/test_numbers.c), so
 * these tests force one past them through the internal functions: the
 * status rule alone, one cell's gaps from moments whose means overflow,
 * classification from codes that claim a shortfall, and a whole query over
 * a log whose values were written beyond the limits (as a library without
 * them accepted: a delivery gap of -1.7e308 - 1.7e308 = -inf, which was
 * ranked as a significant shortfall). Links the internal archive.
 */
#define _POSIX_C_SOURCE 200809L /* the handle's pthread types, under -std=c11 */
#include <check.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "measure/classify.h"
#include "measure/gaps.h"

#include "helpers.h"
#include "run_suite.h"

static servgap_gap gap_with(double value, double lo, double hi)
{
    servgap_gap g;
    memset(&g, 0, sizeof g);
    g.size = sizeof g;
    g.value = value;
    g.lo = lo;
    g.hi = hi;
    return g;
}

/* The status rule on its own (breakdown rows use it as it stands). */
START_TEST(test_status_rule)
{
    static const double bad[][3] = {
        {-INFINITY, -INFINITY, -INFINITY}, /* an overflowed difference, exact sides */
        {-INFINITY, -INFINITY, NAN},       /* -inf + inf half-width */
        {NAN, NAN, NAN},
        {-1.0, NAN, NAN}, /* a finite value with an interval that failed */
        {-1.0, -2.0, NAN},
        {INFINITY, INFINITY, INFINITY},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        servgap_gap g = gap_with(bad[i][0], bad[i][1], bad[i][2]);
        servgap__gap_status(&g, 1);
        ck_assert_int_eq(g.status, SERVGAP_STATUS_INSUFFICIENT);
        ck_assert_uint_eq(g.flags, SERVGAP_GAPFLAG_SUFFICIENT); /* counts do suffice */
    }
    /* An infinite interval around a finite value contains zero. */
    servgap_gap g = gap_with(-1.0, -INFINITY, INFINITY);
    servgap__gap_status(&g, 1);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_MET);
    /* The control: a finite interval below zero is a significant shortfall. */
    g = gap_with(-1.0, -1.5, -0.5);
    servgap__gap_status(&g, 1);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);
    ck_assert_uint_eq(g.flags, SERVGAP_GAPFLAG_SUFFICIENT | SERVGAP_GAPFLAG_SIGNIFICANT);
}
END_TEST

/* One cell: a standard of +big once and five deliveries of -big, each
 * side exact (one value; five equal ones), so the interval is the point. */
static void delivery_gap(double big, servgap__gaprec *g)
{
    static servgap__moments vp[SERVGAP_VP_COUNT];
    servgap__cellin in;
    memset(&in, 0, sizeof in);
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        servgap__moments_init(&vp[v]);
        in.vp[v] = &vp[v];
    }
    servgap__moments_add(&vp[SERVGAP_VP_STANDARD], big);
    for (int i = 0; i < 5; i++)
        servgap__moments_add(&vp[SERVGAP_VP_DELIVERED], -big);
    in.direction = SERVGAP_HIGHER_IS_BETTER;
    in.span = 1.0;
    servgap__options opt;
    memset(&opt, 0, sizeof opt);
    opt.confidence = 0.95;
    opt.min_n_customer = 5;
    opt.min_n_provider = 1;
    servgap__gaps_cell(&in, &opt, g);
}

START_TEST(test_cell_overflow)
{
    servgap__gaprec g[SERVGAP_GAP_COUNT];
    delivery_gap(1e15, g); /* the control: -2e15, a significant shortfall */
    ck_assert_double_eq(g[SERVGAP_GAP_DELIVERY].value, -2e15);
    ck_assert_int_eq(g[SERVGAP_GAP_DELIVERY].status, SERVGAP_STATUS_SHORTFALL);
    delivery_gap(1.7e308, g); /* -1.7e308 - 1.7e308 = -inf */
    const servgap__gaprec *d = &g[SERVGAP_GAP_DELIVERY];
    ck_assert(isinf(d->value) && d->value < 0.0);
    ck_assert_int_eq(d->status, SERVGAP_STATUS_INSUFFICIENT);
    ck_assert(!(d->flags & SERVGAP_GAPFLAG_SIGNIFICANT));
    /* A dimension roll-up of that item has nothing finite to average. */
    const servgap__gaprec *items[1] = {d};
    const double span[1] = {1.0};
    servgap__gaprec out;
    servgap__options opt;
    memset(&opt, 0, sizeof opt);
    opt.confidence = 0.95;
    servgap__gaps_rollup(items, span, 1, 1.0, &opt, NULL, &out);
    ck_assert(isnan(out.value));
    ck_assert_int_ne(out.status, SERVGAP_STATUS_SHORTFALL);
}
END_TEST

/* Codes that claim a significant shortfall on a value that is not finite
 * do not make it the cause; a finite shortfall beside it does. */
START_TEST(test_classify_skips_nonfinite)
{
    servgap__gaprec g[SERVGAP_GAP_COUNT];
    memset(g, 0, sizeof g);
    for (int k = 0; k < SERVGAP_GAP_COUNT; k++) {
        g[k].status = SERVGAP_STATUS_INSUFFICIENT;
        g[k].value = NAN;
    }
    g[SERVGAP_GAP_DELIVERY].status = SERVGAP_STATUS_SHORTFALL;
    g[SERVGAP_GAP_DELIVERY].flags = SERVGAP_GAPFLAG_SUFFICIENT | SERVGAP_GAPFLAG_SIGNIFICANT;
    g[SERVGAP_GAP_DELIVERY].value = -INFINITY;
    servgap__cellrec c;
    memset(&c, 0, sizeof c);
    c.span = 1.0;
    servgap__classify(g, 0, &c);
    ck_assert_int_eq(c.classification, SERVGAP_CLASS_NONE);
    ck_assert(isnan(c.class_normalized));
    g[SERVGAP_GAP_PERCEPTION] = g[SERVGAP_GAP_DELIVERY];
    g[SERVGAP_GAP_PERCEPTION].value = -0.5;
    g[SERVGAP_GAP_PERCEPTION].span = SERVGAP_LINK_PERCEPTION;
    servgap__classify(g, 0, &c);
    ck_assert_int_eq(c.classification, SERVGAP_CLASS_PERCEPTION);
    ck_assert_double_eq(c.class_normalized, -0.5);
}
END_TEST

/* The handle: values of +-1.7e308 in the log. Recorded at the
 * limit (+-1e15), then overwritten in place, as only a library without
 * the limits would have stored them. */
static servgap_ctx *overflowing_handle(double big)
{
    servgap_ctx *ctx = new_ctx();
    int32_t m, p = account(ctx, "p", NULL, 1.0), tp = touchpoint(ctx, "email");
    ck_assert_int_eq(servgap_metric_define(ctx, "wide", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, -SERVGAP_VALUE_MAX,
                                           SERVGAP_VALUE_MAX, 1.0, NULL, &m),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, p, tp, m, SERVGAP_VP_STANDARD,
                                    SERVGAP_VALUE_MAX, 0, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                     SERVGAP_OK);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, p, tp, m, SERVGAP_VP_DELIVERED,
                                        -SERVGAP_VALUE_MAX, 0, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                         SERVGAP_OK);
    servgap__chunk *c = &ctx->store.chunk[0];
    ck_assert_uint_eq(c->n, 6);
    for (size_t i = 0; i < c->n; i++)
        c->value[i] = i == 0 ? big : -big;
    return ctx;
}

START_TEST(test_query_ranks_no_overflow)
{
    /* The control: at the limit the delivery gap is one finding. */
    servgap_ctx *ctx = overflowing_handle(SERVGAP_VALUE_MAX);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 1);
    servgap_result_free(r);
    servgap_ctx_free(ctx);

    ctx = overflowing_handle(1.7e308);
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 0);
    for (size_t i = 0; i < servgap_result_count(r, SERVGAP_TABLE_CELLS); i++) {
        servgap_cell c = {.size = sizeof c};
        servgap_gap g = {.size = sizeof g};
        ck_assert_int_eq(servgap_result_cell(r, i, &c), SERVGAP_OK);
        ck_assert_int_eq(servgap_result_gap(r, i, SERVGAP_GAP_DELIVERY, &g), SERVGAP_OK);
        ck_assert_msg(!isfinite(g.value), "cell %zu: delivery gap %g", i, g.value);
        ck_assert_int_ne(g.status, SERVGAP_STATUS_SHORTFALL);
        ck_assert(!(g.flags & SERVGAP_GAPFLAG_SIGNIFICANT));
        ck_assert_int_ne(c.classification, SERVGAP_CLASS_DELIVERY);
    }
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

static Suite *nonfinite_suite(void)
{
    Suite *s = suite_create("nonfinite");
    TCase *tc = tcase_create("never_a_shortfall");
    tcase_add_test(tc, test_status_rule);
    tcase_add_test(tc, test_cell_overflow);
    tcase_add_test(tc, test_classify_skips_nonfinite);
    tcase_add_test(tc, test_query_ranks_no_overflow);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(nonfinite_suite());
}
