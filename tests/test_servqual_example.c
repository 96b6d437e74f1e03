/*
 * test_servqual_example.c -- a SERVQUAL example worked by hand.
 *
 * Every expected value below is computed by hand from the data (the
 * arithmetic is in the comments), following docs/concepts.md sections 2-10 and the
 * contract in include/servgap.h; none is taken from the library's output.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define T0 ((int64_t)1704067200) /* 2024-01-01T00:00:00Z */
#define HR ((int64_t)3600)

#define EXACT 1e-12
#define EQ(x, y)                                                                                   \
    ck_assert_msg(fabs((double)(x) - (double)(y)) <= EXACT * (1.0 + fabs((double)(y))),            \
                  "%s = %.17g, expected %.17g", #x, (double)(x), (double)(y))
#define NEAR_REL(x, y, rel)                                                                        \
    ck_assert_msg(fabs((double)(x) - (double)(y)) <= (rel)*fabs((double)(y)),                      \
                  "%s = %.17g, expected %.17g (rel %g)", #x, (double)(x), (double)(y), (rel))

/* Published t table values (two-sided 95%, i.e. t_{0.975, df}). */
#define T975_DF2 4.303
#define T975_DF4 2.776
#define T975_DF5 2.571

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

static void rec(servgap_ctx *ctx, int32_t sk, int32_t sid, int32_t tp, int32_t metric, int32_t vp,
                double v, int64_t t)
{
    int rc = servgap_record(ctx, sk, sid, tp, metric, vp, v, t, SERVGAP_NONE, SERVGAP_DRIVER_NONE);
    ck_assert_msg(rc == SERVGAP_OK, "record: %d %s", rc, servgap_errmsg(ctx));
}

static servgap_result *query_all(servgap_ctx *ctx)
{
    servgap_result *r = NULL;
    int rc = servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r);
    ck_assert_msg(rc == SERVGAP_OK, "query: %d %s", rc, servgap_errmsg(ctx));
    ck_assert_ptr_nonnull(r);
    return r;
}

static size_t get_cell(const servgap_result *r, int32_t sk, int32_t sid, int32_t tp, int32_t metric,
                       int32_t dim, servgap_cell *c)
{
    size_t i = (size_t)-1;
    int rc = servgap_result_find(r, sk, sid, tp, metric, dim, &i);
    ck_assert_msg(rc == SERVGAP_OK, "no cell for scope %d/%d tp %d metric %d dim %d: %d", sk, sid,
                  tp, metric, dim, rc);
    memset(c, 0, sizeof *c);
    c->size = sizeof *c;
    ck_assert_int_eq(servgap_result_cell(r, i, c), SERVGAP_OK);
    ck_assert_int_eq(c->scope_kind, sk);
    ck_assert_int_eq(c->scope_id, sid);
    ck_assert_int_eq(c->touchpoint, tp);
    ck_assert_int_eq(c->metric, metric);
    return i;
}

static void get_gap(const servgap_result *r, size_t i, int32_t gap, servgap_gap *g)
{
    memset(g, 0, sizeof *g);
    g->size = sizeof *g;
    ck_assert_int_eq(servgap_result_gap(r, i, gap, g), SERVGAP_OK);
    ck_assert_int_eq(g->gap, gap);
}

static void get_sq(const servgap_result *r, int32_t sk, int32_t sid, int32_t tp,
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
    ck_abort_msg("no SERVQUAL row for scope %d/%d touchpoint %d (of %zu rows)", sk, sid, tp, n);
}

/* ---------------------------------------------------------------------- */
/* The survey                                                              */
/* ---------------------------------------------------------------------- */

/*
 * Five respondents of account "acme" (tier "enterprise"), touchpoint
 * "email", answer seven Likert 1..7 items: the five built-ins (ids 0..4,
 * one per dimension) and two extra reliability items rel_q2 (id 5) and
 * rel_q3 (id 6). E = expected, P = perceived, d = P - E.
 *
 * item            E               P               d                 mean d
 * 0 tangibles     6 6 5 7 6       5 6 5 6 5       -1  0  0 -1 -1    -3/5  = -0.6
 * 1 reliability   7 7 6 7 6       5 4 5 6 4       -2 -3 -1 -1 -2    -9/5  = -1.8
 * 2 responsiv.    7 6 7 7 6       4 4 5 6 4       -3 -2 -2 -1 -2    -10/5 = -2.0
 * 3 assurance     5 5 6 6 5       6 5 6 7 5        1  0  0  1  0     2/5  =  0.4
 * 4 empathy       6 5 6 5 6       5 5 5 5 5       -1  0 -1  0 -1    -3/5  = -0.6
 * 5 rel_q2        5 6 6 7 6       5 5 6 7 6        0 -1  0  0  0    -1/5  = -0.2
 * 6 rel_q3        7 6 7 6 7       6 6 5 6 6       -1  0 -2  0 -1    -4/5  = -0.8
 */
static const int32_t ITEMS[7] = {0, 1, 2, 3, 4, 5, 6};
static const double E[7][5] = {{6, 6, 5, 7, 6}, {7, 7, 6, 7, 6}, {7, 6, 7, 7, 6}, {5, 5, 6, 6, 5},
                               {6, 5, 6, 5, 6}, {5, 6, 6, 7, 6}, {7, 6, 7, 6, 7}};
static const double P[7][5] = {{5, 6, 5, 6, 5}, {5, 4, 5, 6, 4}, {4, 4, 5, 6, 4}, {6, 5, 6, 7, 5},
                               {5, 5, 5, 5, 5}, {5, 5, 6, 7, 6}, {6, 6, 5, 6, 6}};

/* Respondent importance points (tangibles, reliability, responsiveness,
 * assurance, empathy), each row summing to 100. */
static const double IMP[5][5] = {{20, 20, 20, 20, 20},
                                 {10, 40, 30, 10, 10},
                                 {0, 50, 50, 0, 0},
                                 {25, 25, 25, 25, 0},
                                 {10, 20, 30, 20, 20}};

typedef struct survey {
    servgap_ctx *ctx;
    int32_t tier, acct, tp;
} survey;

static survey make_survey(int with_respondent_importance)
{
    survey s;
    s.ctx = new_ctx();
    int32_t q2, q3;
    ck_assert_int_eq(servgap_metric_define(s.ctx, "rel_q2", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, 1, 7, 0, NULL, &q2),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(s.ctx, "rel_q3", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, 1, 7, 0, NULL, &q3),
                     SERVGAP_OK);
    ck_assert_int_eq(q2, 5);
    ck_assert_int_eq(q3, 6);
    ck_assert_int_eq(servgap_account_define(s.ctx, "acme", "enterprise", 250000, &s.acct),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(s.ctx, SERVGAP_KIND_TIER, "enterprise", &s.tier), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(s.ctx, SERVGAP_KIND_TOUCHPOINT, "email", &s.tp), SERVGAP_OK);
    for (int r = 0; r < 5; r++) {
        double e[7], p[7];
        for (int i = 0; i < 7; i++) {
            e[i] = E[i][r];
            p[i] = P[i][r];
        }
        int rc = servgap_record_response(s.ctx, SERVGAP_SCOPE_ACCOUNT, s.acct, s.tp, T0 + r * HR,
                                         SERVGAP_NONE, SERVGAP_DRIVER_NONE, 7, ITEMS, e, NULL, p,
                                         with_respondent_importance ? IMP[r] : NULL);
        ck_assert_msg(rc == SERVGAP_OK, "response %d: %s", r, servgap_errmsg(s.ctx));
    }
    uint64_t n = 0;
    ck_assert_int_eq(servgap_observation_count(s.ctx, &n), SERVGAP_OK);
    ck_assert_uint_eq(n, 5 * 7 * 2);
    return s;
}

/*
 * Dimension gaps (mean of the item gaps of the dimension):
 *   tangibles      G_T   = -0.6
 *   reliability    G_R   = (-1.8 - 0.2 - 0.8) / 3 = -2.8/3 = -14/15
 *   responsiveness G_Rs  = -2.0
 *   assurance      G_A   =  0.4
 *   empathy        G_E   = -0.6
 * Unweighted SERVQUAL = (-0.6 - 14/15 - 2 + 0.4 - 0.6) / 5
 *                     = (-42/15 - 14/15) / 5 = -56/75 = -0.74666...
 * Item mean = (-0.6 - 1.8 - 2.0 + 0.4 - 0.6 - 0.2 - 0.8) / 7 = -5.6/7 = -0.8
 *
 * SERVPERF: perceived means per item: 27/5, 24/5, 23/5, 29/5, 25/5, 29/5,
 * 29/5. Per dimension (n equal, so item mean = pooled mean):
 *   T 5.4; R (4.8 + 5.8 + 5.8)/3 = 16.4/3; Rs 4.6; A 5.8; E 5.0
 *   SERVPERF = (5.4 + 16.4/3 + 4.6 + 5.8 + 5.0) / 5 = (62.4/3 + 16.4/3)/5
 *            = 78.8/15 = 394/75 = 5.25333...
 */
static const double G_DIM[5] = {-0.6, -14.0 / 15.0, -2.0, 0.4, -0.6};
#define SQ_UNWEIGHTED (-56.0 / 75.0)
#define SQ_ITEM_MEAN  (-0.8)
#define SQ_SERVPERF   (394.0 / 75.0)

static void check_common_scores(const servgap_servqual *sq)
{
    for (int d = 0; d < 5; d++)
        EQ(sq->dimension_gap[d], G_DIM[d]);
    EQ(sq->unweighted, SQ_UNWEIGHTED);
    EQ(sq->item_mean, SQ_ITEM_MEAN);
    ck_assert_msg(fabs(sq->unweighted - sq->item_mean) > 0.05,
                  "unweighted and item mean must differ in this design");
    EQ(sq->servperf, SQ_SERVPERF);
}

START_TEST(test_servqual_scope_weights)
{
    survey s = make_survey(0);
    /* Customer allocation of acme: 10 30 25 20 15; provider's belief: 20 x 5.
     * weighted = 0.10(-0.6) + 0.30(-14/15) + 0.25(-2) + 0.20(0.4) + 0.15(-0.6)
     *          = -0.06 - 0.28 - 0.50 + 0.08 - 0.09 = -0.85
     * importance gap = 1/2 (|20-10| + |20-30| + |20-25| + |20-20| + |20-15|)/100
     *                = 1/2 (10 + 10 + 5 + 0 + 5)/100 = 0.15
     * most under-weighted: believed - customer = +10, -10, -5, 0, +5 ->
     * reliability (-10). */
    const double cust[5] = {10, 30, 25, 20, 15};
    const double prov[5] = {20, 20, 20, 20, 20};
    ck_assert_int_eq(
        servgap_set_importance(s.ctx, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_WHOSE_CUSTOMER, cust),
        SERVGAP_OK);
    ck_assert_int_eq(
        servgap_set_importance(s.ctx, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_WHOSE_PROVIDER, prov),
        SERVGAP_OK);
    servgap_result *r = query_all(s.ctx);

    servgap_servqual sq;
    get_sq(r, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_ALL, &sq);
    check_common_scores(&sq);
    for (int d = 0; d < 5; d++) {
        EQ(sq.weight[d], cust[d] / 100.0);
        EQ(sq.believed_weight[d], prov[d] / 100.0);
    }
    EQ(sq.weighted, -0.85);
    ck_assert(isnan(sq.weighted_lo));
    ck_assert(isnan(sq.weighted_hi));
    EQ(sq.importance_gap, 0.15);
    ck_assert_int_eq(sq.most_underweighted, SERVGAP_DIM_RELIABILITY);
    ck_assert_int_eq(sq.weight_source, 2);
    ck_assert_int_eq(sq.respondents, 0);

    /* The only touchpoint gives the same scores. */
    get_sq(r, SERVGAP_SCOPE_ACCOUNT, s.acct, s.tp, &sq);
    check_common_scores(&sq);
    EQ(sq.weighted, -0.85);

    /* The tier pools its one account: same unweighted scores. */
    get_sq(r, SERVGAP_SCOPE_TIER, s.tier, SERVGAP_ALL, &sq);
    check_common_scores(&sq);

    /*
     * Item "reliability" (id 1), paired: d = -2 -3 -1 -1 -2, mean -1.8
     *   deviations -0.2 -1.2 0.8 0.8 -0.2; squares .04 1.44 .64 .64 .04 = 2.8
     *   s_d^2 = 2.8/4 = 0.7; se = sqrt(0.7/5) = sqrt(0.14) = 0.374166
     *   half-width = t_{0.975,4} x se = 2.776 x 0.374166 = 1.03869
     *   interval [-2.839, -0.761]: shortfall. normalized = -1.8/6 = -0.3
     * Means: E 33/5 = 6.6, P 24/5 = 4.8.
     * Sample variances: E devs .4 .4 -.6 .4 -.6 -> 1.2/4 = 0.3;
     *   P devs .2 -.8 .2 1.2 -.8 -> 2.8/4 = 0.7.
     * Correlation: sum of cross products .08 -.32 -.12 .48 .48 = 0.6;
     *   r = 0.6 / sqrt(1.2 x 2.8) = 0.6/sqrt(3.36).
     * (Check: var(d) = 0.7 + 0.3 - 2 x 0.15 = 0.7.)
     */
    servgap_cell c;
    servgap_gap g;
    size_t i = get_cell(r, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_ALL, 1, 0, &c);
    ck_assert_int_eq(c.dimension, SERVGAP_DIM_RELIABILITY);
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 5);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 5);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 0);
    ck_assert_int_eq(c.pairs, 5);
    EQ(c.mean[SERVGAP_VP_EXPECTED], 6.6);
    EQ(c.mean[SERVGAP_VP_PERCEIVED], 4.8);
    ck_assert(isnan(c.mean[SERVGAP_VP_STANDARD]));
    EQ(c.sd[SERVGAP_VP_EXPECTED], sqrt(0.3));
    EQ(c.sd[SERVGAP_VP_PERCEIVED], sqrt(0.7));
    EQ(c.pe_correlation, 0.6 / sqrt(3.36));
    EQ(c.span, 6.0);
    ck_assert_int_eq(c.negative[SERVGAP_VP_PERCEIVED], 0); /* all >= 4 > 1 + 0.4 x 6 */

    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    EQ(g.value, -1.8);
    EQ(g.normalized, -0.3);
    ck_assert(g.flags & SERVGAP_GAPFLAG_PAIRED);
    EQ(g.df, 4.0);
    ck_assert_int_eq(g.n_up, 5);
    ck_assert_int_eq(g.n_down, 5);
    {
        const double half = T975_DF4 * sqrt(0.14);
        NEAR_REL((g.hi - g.lo) / 2.0, half, 1e-3);
        EQ((g.hi + g.lo) / 2.0, -1.8);
    }
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);

    /* Only expected and perceived: every chain link is the joined span
     * expected -> perceived, unresolved, with value P - E; no standard. */
    const uint32_t ALL4 = SERVGAP_LINK_KNOWLEDGE | SERVGAP_LINK_STANDARDS | SERVGAP_LINK_DELIVERY |
                          SERVGAP_LINK_PERCEPTION;
    const int32_t chain[4] = {SERVGAP_GAP_KNOWLEDGE, SERVGAP_GAP_STANDARDS, SERVGAP_GAP_DELIVERY,
                              SERVGAP_GAP_PERCEPTION};
    for (int k = 0; k < 4; k++) {
        get_gap(r, i, chain[k], &g);
        ck_assert_msg(g.status == SERVGAP_STATUS_UNRESOLVED, "gap %d status %d", chain[k],
                      g.status);
        ck_assert_msg(g.span == ALL4, "gap %d span 0x%x", chain[k], g.span);
        EQ(g.value, -1.8);
        EQ(g.normalized, -0.3);
    }
    get_gap(r, i, SERVGAP_GAP_STANDARDS, &g);
    ck_assert(g.flags & SERVGAP_GAPFLAG_NO_STANDARD);
    /* The joined span is a significant shortfall: classification SPAN. */
    ck_assert_int_eq(c.classification, SERVGAP_CLASS_SPAN);
    ck_assert_uint_eq(c.class_span, ALL4);
    EQ(c.class_normalized, -0.3);
    ck_assert_str_eq(servgap_span_name(c.class_span), "knowledge+standards+delivery+perception");

    /* Responsiveness (id 2): d = -3 -2 -2 -1 -2, mean -2; devs -1 0 0 1 0,
     * s^2 = 2/4 = 0.5, se = sqrt(0.1) = 0.316, half 2.776 x 0.316 = 0.878:
     * [-2.88, -1.12] shortfall -> SPAN, normalized -2/6. */
    i = get_cell(r, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_ALL, 2, 0, &c);
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    EQ(g.value, -2.0);
    NEAR_REL((g.hi - g.lo) / 2.0, T975_DF4 * sqrt(0.1), 1e-3);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);
    ck_assert_int_eq(c.classification, SERVGAP_CLASS_SPAN);
    EQ(c.class_normalized, -2.0 / 6.0);

    /* Assurance (id 3): d = 1 0 0 1 0, mean 0.4; devs .6 -.4 -.4 .6 -.4,
     * s^2 = 1.2/4 = 0.3, half = 2.776 x sqrt(0.06) = 0.680: [-0.28, 1.08]
     * contains 0 -> met; no shortfall anywhere -> NONE. */
    i = get_cell(r, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_ALL, 3, 0, &c);
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    EQ(g.value, 0.4);
    NEAR_REL((g.hi - g.lo) / 2.0, T975_DF4 * sqrt(0.06), 1e-3);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_MET);
    ck_assert_int_eq(c.classification, SERVGAP_CLASS_NONE);
    ck_assert(isnan(c.class_normalized));

    /* Tangibles (id 0): d = -1 0 0 -1 -1, mean -0.6, s^2 = 1.2/4 = 0.3,
     * half 0.680: [-1.28, 0.08] -> met. */
    i = get_cell(r, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_ALL, 0, 0, &c);
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    EQ(g.value, -0.6);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_MET);

    /* Reliability roll-up over its three items: the dimension gap. */
    i = get_cell(r, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_ALL, SERVGAP_ALL,
                 SERVGAP_DIM_RELIABILITY, &c);
    ck_assert_int_eq(c.dimension, SERVGAP_DIM_RELIABILITY);
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    EQ(g.value, -14.0 / 15.0);

    /* The touchpoint cell equals the roll-up over touchpoints. */
    i = get_cell(r, SERVGAP_SCOPE_ACCOUNT, s.acct, s.tp, 1, 0, &c);
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    EQ(g.value, -1.8);
    ck_assert_int_eq(c.pairs, 5);

    /* The tier pools the account's pairs. */
    i = get_cell(r, SERVGAP_SCOPE_TIER, s.tier, SERVGAP_ALL, 1, 0, &c);
    ck_assert_int_eq(c.pairs, 5);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 5);
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    EQ(g.value, -1.8);
    ck_assert(g.flags & SERVGAP_GAPFLAG_PAIRED);

    servgap_result_free(r);
    servgap_ctx_free(s.ctx);
}
END_TEST

START_TEST(test_servqual_respondent_weights)
{
    survey s = make_survey(1);
    servgap_result *r = query_all(s.ctx);
    /*
     * Respondent dimension gaps G_rd (reliability = mean of its 3 items):
     *        T    R                      Rs   A   E
     *   r1  -1   (-2 + 0 - 1)/3 = -1     -3   1  -1
     *   r2   0   (-3 - 1 + 0)/3 = -4/3   -2   0   0
     *   r3   0   (-1 + 0 - 2)/3 = -1     -2   0  -1
     *   r4  -1   (-1 + 0 + 0)/3 = -1/3   -1   1   0
     *   r5  -1   (-2 + 0 - 1)/3 = -1     -2   0  -1
     * Respondent scores sum_d (w_rd / sum w_r) G_rd:
     *   r1 .2 x (-1 - 1 - 3 + 1 - 1)                 = -1
     *   r2 .4 x (-4/3) + .3 x (-2)                   = -8/15 - 9/15 = -17/15
     *   r3 .5 x (-1) + .5 x (-2)                     = -1.5
     *   r4 .25 x (-1 - 1/3 - 1 + 1)                  = -1/3
     *   r5 .1(-1) + .2(-1) + .3(-2) + .2(0) + .2(-1) = -1.1
     * SQ_w = (-15 - 17 - 22.5 - 5 - 16.5)/15 / 5 = -76/75 = -1.01333
     * Interval: scores x 75 = -75 -85 -112.5 -25 -82.5, mean -76;
     *   deviations 1 -9 -36.5 51 -6.5; squares 1 81 1332.25 2601 42.25
     *   = 4057.5 -> sum of squares 4057.5/5625; s^2 = that/4;
     *   se = sqrt(s^2/5); half = 2.776 x se = 0.5272.
     */
    servgap_servqual sq;
    get_sq(r, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_ALL, &sq);
    check_common_scores(&sq);
    EQ(sq.weighted, -76.0 / 75.0);
    ck_assert_int_eq(sq.weight_source, 1);
    ck_assert_int_eq(sq.respondents, 5);
    {
        const double s2 = 4057.5 / 5625.0 / 4.0;
        const double half = T975_DF4 * sqrt(s2 / 5.0);
        ck_assert(!isnan(sq.weighted_lo) && !isnan(sq.weighted_hi));
        NEAR_REL((sq.weighted_hi - sq.weighted_lo) / 2.0, half, 1e-3);
        EQ((sq.weighted_hi + sq.weighted_lo) / 2.0, -76.0 / 75.0);
    }
    /* Without a provider allocation there is no importance gap. */
    ck_assert(isnan(sq.importance_gap));
    ck_assert_int_eq(sq.most_underweighted, -1);
    for (int d = 0; d < 5; d++)
        ck_assert(isnan(sq.believed_weight[d]));
    /* weight[d] = the respondents' mean points / 100 (docs/concepts.md 11):
     *   T (20+10+0+25+10)/5 = 13, R (20+40+50+25+20)/5 = 31,
     *   Rs (20+30+50+25+30)/5 = 31, A (20+10+0+25+20)/5 = 15,
     *   E (20+10+0+0+20)/5 = 10. */
    const double mean_pts[5] = {13, 31, 31, 15, 10};
    for (int d = 0; d < 5; d++)
        EQ(sq.weight[d], mean_pts[d] / 100.0);
    servgap_result_free(r);

    /* A provider allocation of 20 x 5 against the respondents' mean points:
     * importance gap = 1/2 (7 + 11 + 11 + 5 + 10)/100 = 0.22; c - b =
     * -7, +11, +11, -5, -10: reliability and responsiveness tie at 11 and
     * the tie goes to the lower id, reliability. */
    const double prov[5] = {20, 20, 20, 20, 20};
    ck_assert_int_eq(
        servgap_set_importance(s.ctx, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_WHOSE_PROVIDER, prov),
        SERVGAP_OK);
    r = query_all(s.ctx);
    get_sq(r, SERVGAP_SCOPE_ACCOUNT, s.acct, SERVGAP_ALL, &sq);
    EQ(sq.importance_gap, 0.22);
    ck_assert_int_eq(sq.most_underweighted, SERVGAP_DIM_RELIABILITY);
    EQ(sq.weighted, -76.0 / 75.0); /* the belief does not change the score */
    servgap_result_free(r);
    servgap_ctx_free(s.ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* A lower-is-better metric                                                */
/* ---------------------------------------------------------------------- */

START_TEST(test_lower_is_better)
{
    servgap_ctx *ctx = new_ctx();
    int32_t m, ent, mid, acme, beta, email;
    ck_assert_int_eq(servgap_metric_define(ctx, "first_response_hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &m),
                     SERVGAP_OK);
    ck_assert_int_eq(m, 5);
    ck_assert_int_eq(servgap_account_define(ctx, "acme", "enterprise", 100, &acme), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(ctx, "beta", "midmarket", 10, &beta), SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TIER, "enterprise", &ent), SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TIER, "midmarket", &mid), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &email), SERVGAP_OK);
    const int32_t A = SERVGAP_SCOPE_ACCOUNT, TR = SERVGAP_SCOPE_TIER;

    /*
     * acme (enterprise), hours, oriented = -hours:
     *   expected  (acme)  1 2 2 2 3   mean 2, var (1+0+0+0+1)/4 = 0.5
     *   believed  (tier)  1           exact
     *   standard  (tier)  4           exact
     *   delivered (acme)  6           exact
     *   perceived (acme)  3 5 6 7 9   mean 6, var (9+1+0+1+9)/4 = 5
     * Oriented gaps (downstream - upstream):
     *   service    = -6 - (-2) = -4    normalized -4/24
     *   knowledge  = -1 - (-2) = +1    normalized 1/24
     *   standards  = -4 - (-1) = -3    normalized -3/24 = -0.125
     *   delivery   = -6 - (-4) = -2    normalized -2/24
     *   perception = -6 - (-6) =  0
     *   1 - 3 - 2 + 0 = -4 = service.
     */
    const double ex[5] = {1, 2, 2, 2, 3}, pe[5] = {3, 5, 6, 7, 9};
    for (int i = 0; i < 5; i++) {
        rec(ctx, A, acme, email, m, SERVGAP_VP_EXPECTED, ex[i], T0 + i * HR);
        rec(ctx, A, acme, email, m, SERVGAP_VP_PERCEIVED, pe[i], T0 + i * HR);
    }
    rec(ctx, TR, ent, email, m, SERVGAP_VP_BELIEVED, 1.0, T0);
    rec(ctx, TR, ent, email, m, SERVGAP_VP_STANDARD, 4.0, T0);
    rec(ctx, A, acme, email, m, SERVGAP_VP_DELIVERED, 6.0, T0);
    /* beta (midmarket): standard 4 (own, exact), delivered 5 6 7 (mean 6,
     * var 1). delivery = -6 - (-4) = -2; one side exact, so Welch's df is
     * n - 1 = 2, se = sqrt(1/3), half = 4.303 x 0.57735 = 2.484:
     * [-4.48, 0.48] contains 0 -> met. */
    rec(ctx, A, beta, email, m, SERVGAP_VP_STANDARD, 4.0, T0);
    rec(ctx, A, beta, email, m, SERVGAP_VP_DELIVERED, 5.0, T0);
    rec(ctx, A, beta, email, m, SERVGAP_VP_DELIVERED, 6.0, T0 + HR);
    rec(ctx, A, beta, email, m, SERVGAP_VP_DELIVERED, 7.0, T0 + 2 * HR);

    servgap_result *r = query_all(ctx);
    servgap_cell c;
    servgap_gap g;
    size_t i = get_cell(r, A, acme, email, m, 0, &c);
    ck_assert_int_eq(c.dimension, SERVGAP_DIM_RESPONSIVENESS);
    EQ(c.span, 24.0);
    /* Means in the metric's unit, not oriented. */
    EQ(c.mean[SERVGAP_VP_EXPECTED], 2.0);
    EQ(c.mean[SERVGAP_VP_BELIEVED], 1.0);
    EQ(c.mean[SERVGAP_VP_STANDARD], 4.0);
    EQ(c.mean[SERVGAP_VP_DELIVERED], 6.0);
    EQ(c.mean[SERVGAP_VP_PERCEIVED], 6.0);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 1);
    ck_assert_int_eq(c.n[SERVGAP_VP_BELIEVED], 1);
    EQ(c.sd[SERVGAP_VP_PERCEIVED], sqrt(5.0));
    ck_assert(isnan(c.sd[SERVGAP_VP_STANDARD]));
    /* Believed and standard came from the tier. */
    ck_assert(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_TIER);
    ck_assert(c.source[SERVGAP_VP_BELIEVED] & SERVGAP_SOURCE_TIER);
    ck_assert(c.source[SERVGAP_VP_EXPECTED] & SERVGAP_SOURCE_OWN);
    ck_assert(!(c.source[SERVGAP_VP_EXPECTED] & SERVGAP_SOURCE_TIER));
    ck_assert(c.source[SERVGAP_VP_DELIVERED] & SERVGAP_SOURCE_OWN);

    /* delivery: both sides exact -> [-2, -2], df infinite, shortfall. */
    get_gap(r, i, SERVGAP_GAP_DELIVERY, &g);
    EQ(g.value, -2.0);
    EQ(g.normalized, -2.0 / 24.0);
    EQ(g.lo, -2.0);
    EQ(g.hi, -2.0);
    ck_assert(isinf(g.df) && g.df > 0);
    ck_assert_uint_eq(g.span, SERVGAP_LINK_DELIVERY);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);
    ck_assert_int_eq(g.n_up, 1);
    ck_assert_int_eq(g.n_down, 1);

    /* standards: both exact, -3. */
    get_gap(r, i, SERVGAP_GAP_STANDARDS, &g);
    EQ(g.value, -3.0);
    EQ(g.normalized, -0.125);
    EQ(g.lo, -3.0);
    EQ(g.hi, -3.0);
    ck_assert(isinf(g.df));
    ck_assert_uint_eq(g.span, SERVGAP_LINK_STANDARDS);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);
    ck_assert(!(g.flags & SERVGAP_GAPFLAG_NO_STANDARD));

    /* knowledge: believed exact, expected var 0.5 -> se = sqrt(0.1),
     * df = 4, half = 2.776 x 0.3162 = 0.878: [0.12, 1.88] exceeds. */
    get_gap(r, i, SERVGAP_GAP_KNOWLEDGE, &g);
    EQ(g.value, 1.0);
    EQ(g.normalized, 1.0 / 24.0);
    EQ(g.df, 4.0);
    NEAR_REL((g.hi - g.lo) / 2.0, T975_DF4 * sqrt(0.1), 1e-3);
    ck_assert_uint_eq(g.span, SERVGAP_LINK_KNOWLEDGE);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_EXCEEDS);
    ck_assert_int_eq(g.n_up, 5);
    ck_assert_int_eq(g.n_down, 1);

    /* perception: delivered exact, perceived var 5 -> se = 1, df 4,
     * half 2.776: [-2.78, 2.78] met. */
    get_gap(r, i, SERVGAP_GAP_PERCEPTION, &g);
    EQ(g.value, 0.0);
    EQ(g.df, 4.0);
    NEAR_REL((g.hi - g.lo) / 2.0, T975_DF4, 1e-3);
    ck_assert_uint_eq(g.span, SERVGAP_LINK_PERCEPTION);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_MET);

    /* service: unpaired, Welch: se^2 = 5/5 + 0.5/5 = 1.1;
     * df = 1.1^2 / ((5/5)^2/4 + (0.5/5)^2/4) = 1.21/0.2525 = 4.79208;
     * t_{0.975,4.79} lies between t(5) = 2.571 and t(4) = 2.776. */
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    EQ(g.value, -4.0);
    EQ(g.normalized, -4.0 / 24.0);
    EQ(g.df, 1.21 / 0.2525);
    ck_assert(!(g.flags & SERVGAP_GAPFLAG_PAIRED));
    {
        const double half = (g.hi - g.lo) / 2.0;
        ck_assert_msg(half > T975_DF5 * sqrt(1.1) && half < T975_DF4 * sqrt(1.1), "half %g", half);
        EQ((g.hi + g.lo) / 2.0, -4.0);
    }
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);

    /* The chain telescopes. */
    {
        servgap_gap k, s2, d, p, sv;
        get_gap(r, i, SERVGAP_GAP_KNOWLEDGE, &k);
        get_gap(r, i, SERVGAP_GAP_STANDARDS, &s2);
        get_gap(r, i, SERVGAP_GAP_DELIVERY, &d);
        get_gap(r, i, SERVGAP_GAP_PERCEPTION, &p);
        get_gap(r, i, SERVGAP_GAP_SERVICE, &sv);
        EQ(k.value + s2.value + d.value + p.value, sv.value);
    }

    /* Largest significant shortfall by normalized value: standards
     * (-0.125 < -0.0833). */
    ck_assert_int_eq(c.classification, SERVGAP_CLASS_STANDARDS);
    ck_assert_uint_eq(c.class_span, SERVGAP_LINK_STANDARDS);
    EQ(c.class_normalized, -0.125);

    /* beta: delivery with one exact side. */
    i = get_cell(r, A, beta, email, m, 0, &c);
    get_gap(r, i, SERVGAP_GAP_DELIVERY, &g);
    EQ(g.value, -2.0);
    EQ(g.df, 2.0);
    NEAR_REL((g.hi - g.lo) / 2.0, T975_DF2 * sqrt(1.0 / 3.0), 1e-3);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_MET);
    ck_assert_int_eq(g.n_up, 1);
    ck_assert_int_eq(g.n_down, 3);

    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Statuses, fallback and pooling                                          */
/* ---------------------------------------------------------------------- */

START_TEST(test_insufficient)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acct, tp;
    ck_assert_int_eq(servgap_account_define(ctx, "small", "smb", 1, &acct), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &tp), SERVGAP_OK);
    /* reliability: expected 6 6 6 7 5 (mean 6), perceived 1 3 4 7 (4 < 5
     * observations). value = 15/4 - 6 = -2.25. Negative perceived: the
     * bottom 40% of [1, 7] is below 1 + 0.4 x 6 = 3.4: values 1 and 3. */
    const double ex[5] = {6, 6, 6, 7, 5}, pe[4] = {1, 3, 4, 7};
    for (int i = 0; i < 5; i++)
        rec(ctx, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, SERVGAP_VP_EXPECTED, ex[i], T0 + i);
    for (int i = 0; i < 4; i++)
        rec(ctx, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, SERVGAP_VP_PERCEIVED, pe[i], T0 + i);
    servgap_result *r = query_all(ctx);
    servgap_cell c;
    servgap_gap g;
    size_t i = get_cell(r, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, &c);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 4);
    ck_assert_int_eq(c.negative[SERVGAP_VP_PERCEIVED], 2);
    ck_assert_int_eq(c.negative[SERVGAP_VP_EXPECTED], 0);
    ck_assert_int_eq(c.pairs, 0);
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_INSUFFICIENT);
    EQ(g.value, 15.0 / 4.0 - 6.0);
    ck_assert_int_eq(g.n_up, 5);
    ck_assert_int_eq(g.n_down, 4);
    ck_assert(!(g.flags & SERVGAP_GAPFLAG_PAIRED));
    servgap_result_free(r);

    /* min_n_customer 4 makes the same data sufficient. */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 4), SERVGAP_OK);
    r = query_all(ctx);
    i = get_cell(r, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, &c);
    get_gap(r, i, SERVGAP_GAP_SERVICE, &g);
    ck_assert_int_ne(g.status, SERVGAP_STATUS_INSUFFICIENT);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_fallback_and_pooling)
{
    servgap_ctx *ctx = new_ctx();
    int32_t m, smb, a1, a2, other, chat;
    ck_assert_int_eq(servgap_metric_define(ctx, "first_response_hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &m),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(ctx, "a1", "smb", 1, &a1), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(ctx, "a2", "smb", 1, &a2), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(ctx, "other", "enterprise", 1, &other), SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TIER, "smb", &smb), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &chat), SERVGAP_OK);
    const int32_t A = SERVGAP_SCOPE_ACCOUNT, TR = SERVGAP_SCOPE_TIER;

    /* Tier smb: tier-wide standard 4 and perceived 5.
     * a1: own expected 1 2 2 2 3, own perceived 2 4 6, no standard.
     * a2: own standard 3, own perceived 1 3.
     * other (enterprise): perceived 20 (must not pool into smb). */
    rec(ctx, TR, smb, chat, m, SERVGAP_VP_STANDARD, 4.0, T0);
    rec(ctx, TR, smb, chat, m, SERVGAP_VP_PERCEIVED, 5.0, T0);
    const double ex[5] = {1, 2, 2, 2, 3};
    for (int i = 0; i < 5; i++)
        rec(ctx, A, a1, chat, m, SERVGAP_VP_EXPECTED, ex[i], T0 + i);
    rec(ctx, A, a1, chat, m, SERVGAP_VP_PERCEIVED, 2.0, T0);
    rec(ctx, A, a1, chat, m, SERVGAP_VP_PERCEIVED, 4.0, T0 + 1);
    rec(ctx, A, a1, chat, m, SERVGAP_VP_PERCEIVED, 6.0, T0 + 2);
    rec(ctx, A, a2, chat, m, SERVGAP_VP_STANDARD, 3.0, T0);
    rec(ctx, A, a2, chat, m, SERVGAP_VP_PERCEIVED, 1.0, T0);
    rec(ctx, A, a2, chat, m, SERVGAP_VP_PERCEIVED, 3.0, T0 + 1);
    rec(ctx, A, other, chat, m, SERVGAP_VP_PERCEIVED, 20.0, T0);

    servgap_result *r = query_all(ctx);
    servgap_cell c;
    servgap_gap g;

    /* a1 falls back to the tier's standard (4). Its own perceived are its
     * own (n 3, mean 4), not pooled with the tier's. */
    size_t i = get_cell(r, A, a1, chat, m, 0, &c);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 1);
    EQ(c.mean[SERVGAP_VP_STANDARD], 4.0);
    ck_assert(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_TIER);
    ck_assert(!(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_OWN));
    ck_assert(c.source[SERVGAP_VP_EXPECTED] & SERVGAP_SOURCE_OWN);
    ck_assert(!(c.source[SERVGAP_VP_EXPECTED] & SERVGAP_SOURCE_TIER));
    ck_assert(c.source[SERVGAP_VP_PERCEIVED] & SERVGAP_SOURCE_OWN);
    ck_assert(!(c.source[SERVGAP_VP_PERCEIVED] & SERVGAP_SOURCE_TIER));
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 3);
    EQ(c.mean[SERVGAP_VP_PERCEIVED], 4.0);
    EQ(c.mean[SERVGAP_VP_EXPECTED], 2.0);
    /* With a standard but no belief, knowledge and standards join:
     * standard - expected = -4 - (-2) = -2, unresolved; no NO_STANDARD. */
    get_gap(r, i, SERVGAP_GAP_STANDARDS, &g);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_UNRESOLVED);
    ck_assert_uint_eq(g.span, SERVGAP_LINK_KNOWLEDGE | SERVGAP_LINK_STANDARDS);
    EQ(g.value, -2.0);
    ck_assert(!(g.flags & SERVGAP_GAPFLAG_NO_STANDARD));
    get_gap(r, i, SERVGAP_GAP_KNOWLEDGE, &g);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_UNRESOLVED);
    ck_assert_uint_eq(g.span, SERVGAP_LINK_KNOWLEDGE | SERVGAP_LINK_STANDARDS);

    /* a2 has its own standard (3). */
    get_cell(r, A, a2, chat, m, 0, &c);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 1);
    EQ(c.mean[SERVGAP_VP_STANDARD], 3.0);
    ck_assert(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_OWN);
    ck_assert(!(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_TIER));

    /* The smb tier pools tier-wide and account observations:
     * perceived 5 | 2 4 6 | 1 3: n = 1 + 3 + 2 = 6,
     *   mean (5 + 12 + 4)/6 = 21/6 = 3.5,
     *   devs 1.5 -1.5 .5 2.5 -2.5 -.5, squares 2.25 2.25 .25 6.25 6.25 .25
     *   = 17.5, var 17.5/5 = 3.5.
     * standard 4 | 3: n 2, mean 3.5. expected: a1's 5, mean 2. */
    get_cell(r, TR, smb, chat, m, 0, &c);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 6);
    EQ(c.mean[SERVGAP_VP_PERCEIVED], 3.5);
    EQ(c.sd[SERVGAP_VP_PERCEIVED], sqrt(3.5));
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 2);
    EQ(c.mean[SERVGAP_VP_STANDARD], 3.5);
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 5);
    EQ(c.mean[SERVGAP_VP_EXPECTED], 2.0);
    /* Roll-up over touchpoints is the same with one touchpoint. */
    get_cell(r, TR, smb, SERVGAP_ALL, m, 0, &c);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 6);
    EQ(c.mean[SERVGAP_VP_PERCEIVED], 3.5);

    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

static Suite *servqual_suite(void)
{
    Suite *s = suite_create("servqual_example");
    TCase *tc = tcase_create("servqual");
    tcase_add_test(tc, test_servqual_scope_weights);
    tcase_add_test(tc, test_servqual_respondent_weights);
    suite_add_tcase(s, tc);
    tc = tcase_create("gaps");
    tcase_add_test(tc, test_lower_is_better);
    tcase_add_test(tc, test_insufficient);
    tcase_add_test(tc, test_fallback_and_pooling);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(servqual_suite());
}
