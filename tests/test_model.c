/*
 * test_model -- the gap model against independent references: the chain
 * identity on randomized data, merge equals a single run, paired versus
 * Welch intervals recomputed here by hand formulas, orientation of
 * lower-is-better metrics, and statuses of missing links.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define T0  1767225600 /* 2026-01-01 */
#define DAY 86400

static uint64_t rng_state;

static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static servgap_result *query_all(servgap_ctx *ctx)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    return r;
}

static void get_gap(servgap_result *r, size_t i, int gap, servgap_gap *g)
{
    g->size = sizeof *g;
    ck_assert_int_eq(servgap_result_gap(r, i, gap, g), SERVGAP_OK);
}

static size_t find(servgap_result *r, int kind, int id, int tp, int metric)
{
    size_t i = 0;
    ck_assert_int_eq(servgap_result_find(r, kind, id, tp, metric, 0, &i), SERVGAP_OK);
    return i;
}

/* Random observations of every chain viewpoint on 3 accounts, 2 touchpoints. */
static void random_chain(servgap_ctx *ctx, int n)
{
    int32_t acc[3], tp[2];
    const char *names[3] = {"a1", "a2", "a3"};
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(servgap_account_define(ctx, names[i], "gold", 100.0 * (i + 1), &acc[i]),
                         SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp[0]), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &tp[1]), SERVGAP_OK);
    const int vps[5] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_BELIEVED, SERVGAP_VP_STANDARD,
                        SERVGAP_VP_DELIVERED, SERVGAP_VP_PERCEIVED};
    for (int i = 0; i < n; i++) {
        double v = 1.0 + 6.0 * uniform();
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc[i % 3], tp[(i / 3) % 2],
                                        (i / 7) % 5, vps[(i / 2) % 5], v, T0 + (i % 50) * DAY,
                                        SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                         SERVGAP_OK);
    }
}

START_TEST(test_chain_identity)
{
    rng_state = 42;
    servgap_ctx *ctx = new_ctx();
    random_chain(ctx, 4000);
    servgap_result *r = query_all(ctx);
    size_t n = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    ck_assert_uint_gt(n, 50);
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        servgap_gap s, k, st, d, p;
        get_gap(r, i, SERVGAP_GAP_SERVICE, &s);
        get_gap(r, i, SERVGAP_GAP_KNOWLEDGE, &k);
        get_gap(r, i, SERVGAP_GAP_STANDARDS, &st);
        get_gap(r, i, SERVGAP_GAP_DELIVERY, &d);
        get_gap(r, i, SERVGAP_GAP_PERCEPTION, &p);
        if (k.status == SERVGAP_STATUS_UNRESOLVED || !isfinite(s.value))
            continue;
        ck_assert_double_eq_tol(k.value + st.value + d.value + p.value, s.value, 1e-12);
        checked++;
    }
    ck_assert_uint_gt(checked, 50);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

static void same_double(double a, double b)
{
    ck_assert(a == b || (isnan(a) && isnan(b)));
}

START_TEST(test_merge_equals_single_run)
{
    servgap_ctx *a = new_ctx(), *b = new_ctx(), *all = new_ctx();
    rng_state = 7;
    random_chain(a, 1500);
    rng_state = 7;
    random_chain(all, 1500);
    rng_state = 99;
    random_chain(b, 1700);
    rng_state = 99;
    random_chain(all, 1700);
    ck_assert_int_eq(servgap_ctx_merge(a, b), SERVGAP_OK);
    uint64_t na, nall;
    servgap_observation_count(a, &na);
    servgap_observation_count(all, &nall);
    ck_assert_uint_eq(na, 3200);
    ck_assert_uint_eq(na, nall);
    servgap_result *ra = query_all(a), *rall = query_all(all);
    size_t n = servgap_result_count(ra, SERVGAP_TABLE_CELLS);
    ck_assert_uint_eq(n, servgap_result_count(rall, SERVGAP_TABLE_CELLS));
    for (size_t i = 0; i < n; i++) {
        servgap_cell x = {.size = sizeof x}, y = {.size = sizeof y};
        ck_assert_int_eq(servgap_result_cell(ra, i, &x), SERVGAP_OK);
        ck_assert_int_eq(servgap_result_cell(rall, i, &y), SERVGAP_OK);
        for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
            ck_assert_int_eq(x.n[v], y.n[v]);
            same_double(x.mean[v], y.mean[v]);
            same_double(x.sd[v], y.sd[v]);
        }
        for (int gap = 0; gap < SERVGAP_GAP_COUNT; gap++) {
            servgap_gap g1, g2;
            get_gap(ra, i, gap, &g1);
            get_gap(rall, i, gap, &g2);
            same_double(g1.value, g2.value);
            same_double(g1.lo, g2.lo);
            ck_assert_int_eq(g1.status, g2.status);
        }
    }
    servgap_result_free(ra);
    servgap_result_free(rall);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
    servgap_ctx_free(all);
}
END_TEST

/* Six respondents' expected and perceived reliability. */
static const double E6[6] = {6, 7, 5, 6, 7, 6};
static const double P6[6] = {4, 6, 5, 3, 6, 4};

START_TEST(test_paired_interval)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acc, tp, m = SERVGAP_DIM_RELIABILITY;
    servgap_account_define(ctx, "acme", "gold", 1.0, &acc);
    servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp);
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, T0,
                                                 SERVGAP_NONE, 0, 1, &m, &E6[i], NULL, &P6[i],
                                                 NULL),
                         SERVGAP_OK);
    servgap_result *r = query_all(ctx);
    servgap_gap g;
    get_gap(r, find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, m), SERVGAP_GAP_SERVICE, &g);
    /* d = P - E = -2 -1 0 -3 -1 -2: mean -1.5, sum of squares about the
     * mean 0.25+0.25+2.25+2.25+0.25+0.25 = 5.5, s_d^2 = 1.1. */
    double half = 2.570581835636314 * sqrt(1.1 / 6.0); /* t(0.975, 5), published 2.571 */
    ck_assert(g.flags & SERVGAP_GAPFLAG_PAIRED);
    ck_assert_double_eq_tol(g.value, -1.5, 1e-12);
    ck_assert(g.df == 5.0);
    ck_assert_double_eq_tol(g.lo, -1.5 - half, 1e-9);
    ck_assert_double_eq_tol(g.hi, -1.5 + half, 1e-9);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);
    servgap_cell c = {.size = sizeof c};
    servgap_result_cell(r, find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, m), &c);
    ck_assert_int_eq(c.pairs, 6);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_welch_interval)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acc, tp, m = SERVGAP_DIM_RELIABILITY;
    servgap_account_define(ctx, "acme", "gold", 1.0, &acc);
    servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp);
    for (int i = 0; i < 6; i++) {
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_EXPECTED, E6[i], T0,
                       SERVGAP_NONE, 0);
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_PERCEIVED, P6[i], T0,
                       SERVGAP_NONE, 0);
    }
    servgap_result *r = query_all(ctx);
    servgap_gap g;
    get_gap(r, find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, m), SERVGAP_GAP_SERVICE, &g);
    /* E: mean 37/6, var (sum x^2 - n mean^2)/5 = (231 - 1369/6)/5 = 17/30.
     * P: mean 28/6, var (138 - 784/6)/5 = 22/15. */
    double a = (17.0 / 30.0) / 6.0, b = (22.0 / 15.0) / 6.0;
    double df = (a + b) * (a + b) / (a * a / 5.0 + b * b / 5.0);
    ck_assert(!(g.flags & SERVGAP_GAPFLAG_PAIRED));
    ck_assert_double_eq_tol(g.value, 28.0 / 6.0 - 37.0 / 6.0, 1e-12);
    ck_assert_double_eq_tol(g.df, df, 1e-9);
    double t = servgap_t_quantile(0.975, df);
    ck_assert_double_eq_tol(g.hi - g.value, t * sqrt(a + b), 1e-9);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_lower_is_better)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acc, tp, tier, m;
    servgap_account_define(ctx, "acme", "gold", 1.0, &acc);
    servgap_lookup(ctx, SERVGAP_KIND_TIER, "gold", &tier);
    servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp);
    ck_assert_int_eq(servgap_metric_define(ctx, "frt", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &m),
                     SERVGAP_OK);
    servgap_record(ctx, SERVGAP_SCOPE_TIER, tier, SERVGAP_ANY, m, SERVGAP_VP_STANDARD, 4.0, T0,
                   SERVGAP_NONE, 0);
    for (int i = 0; i < 4; i++)
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_DELIVERED, 5.0 + i, T0,
                       SERVGAP_NONE, 0);
    servgap_result *r = query_all(ctx);
    size_t i = find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, m);
    servgap_gap g;
    get_gap(r, i, SERVGAP_GAP_DELIVERY, &g);
    /* delivered mean 6.5h against a 4h standard: oriented -6.5 - (-4). */
    ck_assert_double_eq_tol(g.value, -2.5, 1e-12);
    ck_assert_double_eq_tol(g.normalized, -2.5 / 24.0, 1e-12);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);
    servgap_cell c = {.size = sizeof c};
    servgap_result_cell(r, i, &c);
    ck_assert_uint_eq(c.source[SERVGAP_VP_STANDARD], SERVGAP_SOURCE_TIER | SERVGAP_SOURCE_ANYTP);
    ck_assert_uint_eq(c.source[SERVGAP_VP_DELIVERED], SERVGAP_SOURCE_OWN);
    ck_assert_double_eq_tol(c.mean[SERVGAP_VP_DELIVERED], 6.5, 1e-12);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_unresolved_span)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acc, tp, m = SERVGAP_DIM_EMPATHY;
    servgap_account_define(ctx, "acme", "gold", 1.0, &acc);
    servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &tp);
    /* expected, standard and perceived only: nothing believed or delivered. */
    for (int i = 0; i < 8; i++) {
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_EXPECTED, 6 + i % 2, T0,
                       SERVGAP_NONE, 0);
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_PERCEIVED, 3 + i % 2, T0,
                       SERVGAP_NONE, 0);
    }
    servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_STANDARD, 5, T0, SERVGAP_NONE,
                   0);
    servgap_result *r = query_all(ctx);
    size_t i = find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, m);
    servgap_gap k, st, d, p;
    get_gap(r, i, SERVGAP_GAP_KNOWLEDGE, &k);
    get_gap(r, i, SERVGAP_GAP_STANDARDS, &st);
    get_gap(r, i, SERVGAP_GAP_DELIVERY, &d);
    get_gap(r, i, SERVGAP_GAP_PERCEPTION, &p);
    ck_assert_int_eq(k.status, SERVGAP_STATUS_UNRESOLVED);
    ck_assert_uint_eq(k.span, SERVGAP_LINK_KNOWLEDGE | SERVGAP_LINK_STANDARDS);
    ck_assert_str_eq(servgap_span_name(st.span), "knowledge+standards");
    ck_assert_double_eq_tol(k.value, 5.0 - 6.5, 1e-12); /* standard - expected */
    ck_assert_uint_eq(d.span, SERVGAP_LINK_DELIVERY | SERVGAP_LINK_PERCEPTION);
    ck_assert_double_eq_tol(p.value, 3.5 - 5.0, 1e-12); /* perceived - standard */
    ck_assert(!(st.flags & SERVGAP_GAPFLAG_NO_STANDARD));
    servgap_cell c = {.size = sizeof c};
    servgap_result_cell(r, i, &c);
    /* Both spans are significant shortfalls of -1.5/6: the upstream one wins. */
    ck_assert_int_eq(c.classification, SERVGAP_CLASS_SPAN);
    ck_assert_uint_eq(c.class_span, SERVGAP_LINK_KNOWLEDGE | SERVGAP_LINK_STANDARDS);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_tier_pooling_and_fallback)
{
    servgap_ctx *ctx = new_ctx();
    int32_t a1, a2, tier, tp, m = SERVGAP_DIM_ASSURANCE;
    servgap_account_define(ctx, "a1", "gold", 1.0, &a1);
    servgap_account_define(ctx, "a2", "gold", 1.0, &a2);
    servgap_lookup(ctx, SERVGAP_KIND_TIER, "gold", &tier);
    servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp);
    const double v1[5] = {2, 3, 4, 5, 6}, v2[3] = {7, 7, 4};
    for (int i = 0; i < 5; i++)
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a1, tp, m, SERVGAP_VP_PERCEIVED, v1[i], T0,
                       SERVGAP_NONE, 0);
    for (int i = 0; i < 3; i++)
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a2, tp, m, SERVGAP_VP_EXPECTED, v2[i], T0,
                       SERVGAP_NONE, 0);
    servgap_record(ctx, SERVGAP_SCOPE_TIER, tier, tp, m, SERVGAP_VP_EXPECTED, 5.0, T0, SERVGAP_NONE,
                   0);
    servgap_result *r = query_all(ctx);
    servgap_cell t = {.size = sizeof t}, c1 = {.size = sizeof c1};
    servgap_result_cell(r, find(r, SERVGAP_SCOPE_TIER, tier, tp, m), &t);
    ck_assert_int_eq(t.n[SERVGAP_VP_PERCEIVED], 5);
    /* The tier cell pools a2's 7, 7, 4 with the tier-wide 5. */
    ck_assert_int_eq(t.n[SERVGAP_VP_EXPECTED], 4);
    ck_assert_double_eq_tol(t.mean[SERVGAP_VP_EXPECTED], 23.0 / 4.0, 1e-12);
    /* a1 has no expectations of its own: it takes the tier-wide one, not
     * another account's. */
    servgap_result_cell(r, find(r, SERVGAP_SCOPE_ACCOUNT, a1, tp, m), &c1);
    ck_assert_uint_eq(c1.source[SERVGAP_VP_EXPECTED], SERVGAP_SOURCE_TIER);
    ck_assert_uint_eq(c1.source[SERVGAP_VP_PERCEIVED], SERVGAP_SOURCE_OWN);
    ck_assert_int_eq(c1.n[SERVGAP_VP_EXPECTED], 1);
    ck_assert_double_eq_tol(c1.mean[SERVGAP_VP_EXPECTED], 5.0, 1e-12);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_window_is_exact)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acc, tp, m = SERVGAP_DIM_TANGIBLES;
    servgap_account_define(ctx, "acme", NULL, 1.0, &acc);
    servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp);
    for (int d = 0; d < 10; d++)
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_PERCEIVED, 1 + d % 7,
                       T0 + d * DAY + 3600, SERVGAP_NONE, 0);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, T0 + 2 * DAY, T0 + 5 * DAY, 0, &r), SERVGAP_OK);
    servgap_cell c = {.size = sizeof c};
    servgap_result_cell(r, find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, m), &c);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 3); /* days 2, 3, 4 */
    ck_assert_double_eq_tol(c.mean[SERVGAP_VP_PERCEIVED], 4.0, 1e-12);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* A plain survey: paired expected and perceived on two reliability items
 * and nothing else. The whole chain is one joined span equal to the service
 * gap, with the same paired interval, and the dimension roll-up carries
 * that span so it can be classified. */
START_TEST(test_plain_survey_span)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acc, tp, item2, m[2] = {SERVGAP_DIM_RELIABILITY, 0};
    servgap_account_define(ctx, "acme", "gold", 1.0, &acc);
    servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp);
    ck_assert_int_eq(servgap_metric_define(ctx, "kept_promises", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, 1, 7, 0, "", &item2),
                     SERVGAP_OK);
    m[1] = item2;
    for (int i = 0; i < 6; i++) {
        const double e[2] = {E6[i], E6[i]}, p[2] = {P6[i], P6[i] + 1.0};
        ck_assert_int_eq(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, T0,
                                                 SERVGAP_NONE, 0, 2, m, e, NULL, p, NULL),
                         SERVGAP_OK);
    }
    servgap_result *r = query_all(ctx);
    size_t i = find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, SERVGAP_DIM_RELIABILITY);
    servgap_gap s, k;
    get_gap(r, i, SERVGAP_GAP_SERVICE, &s);
    get_gap(r, i, SERVGAP_GAP_KNOWLEDGE, &k);
    ck_assert_int_eq(k.status, SERVGAP_STATUS_UNRESOLVED);
    ck_assert_uint_eq(k.span, 0xfu);
    ck_assert(k.flags & SERVGAP_GAPFLAG_PAIRED);
    ck_assert(k.value == s.value && k.lo == s.lo && k.hi == s.hi);
    size_t d = 0;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, SERVGAP_ALL,
                                         SERVGAP_DIM_RELIABILITY, &d),
                     SERVGAP_OK);
    servgap_gap dk;
    get_gap(r, d, SERVGAP_GAP_DELIVERY, &dk);
    /* item gaps -1.5 and -0.5: the roll-up is their mean, still the span. */
    ck_assert_int_eq(dk.status, SERVGAP_STATUS_UNRESOLVED);
    ck_assert_uint_eq(dk.span, 0xfu);
    ck_assert_double_eq_tol(dk.value, -1.0, 1e-12);
    servgap_cell c = {.size = sizeof c};
    servgap_result_cell(r, d, &c);
    ck_assert_int_eq(c.classification, SERVGAP_CLASS_SPAN);
    ck_assert_uint_eq(c.class_span, 0xfu);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* Every breakdown row as the accessor gives it: its cell exists, its
 * interval holds its value symmetrically (all NaN together), and
 * normalized is value over the cell's span exactly, as the stored row
 * derives it. Counts the rows with a wide interval and those without a
 * value, so that a caller can check that both kinds were seen. */
static void check_breakdown_rows(const servgap_result *r, size_t *wide, size_t *none)
{
    size_t ncells = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    *wide = *none = 0;
    for (size_t i = 0; i < servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN); i++) {
        servgap_breakdown b = {.size = sizeof b};
        ck_assert_int_eq(servgap_result_breakdown(r, i, &b), SERVGAP_OK);
        ck_assert_uint_lt(b.cell, ncells);
        servgap_cell c = {.size = sizeof c};
        ck_assert_int_eq(servgap_result_cell(r, (size_t)b.cell, &c), SERVGAP_OK);
        if (isnan(b.value)) {
            ck_assert(isnan(b.lo) && isnan(b.hi) && isnan(b.normalized) && isnan(b.df));
            ++*none;
            continue;
        }
        ck_assert(b.lo <= b.value && b.value <= b.hi);
        /* Welch intervals are symmetric, up to the rounding of the ends. */
        ck_assert_double_eq_tol(b.hi - b.value, b.value - b.lo,
                                1e-12 * (1.0 + fabs(b.value) + (b.hi - b.lo)));
        ck_assert_double_eq(b.normalized, b.value / c.span);
        *wide += b.lo < b.hi;
    }
}

START_TEST(test_team_and_driver_breakdown)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acc, tp, red, blue, m = SERVGAP_DIM_RELIABILITY;
    servgap_account_define(ctx, "acme", "gold", 1.0, &acc);
    servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp);
    servgap_intern(ctx, SERVGAP_KIND_TEAM, "red", &red);
    servgap_intern(ctx, SERVGAP_KIND_TEAM, "blue", &blue);
    servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_STANDARD, 6.0, T0,
                   SERVGAP_NONE, 0);
    /* red delivers 3, 4, 5 (mean 4); blue delivers 6, 6 (exactly the standard). */
    const double rv[3] = {3, 4, 5};
    for (int i = 0; i < 3; i++)
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_DELIVERED, rv[i], T0, red,
                       0);
    for (int i = 0; i < 2; i++)
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_DELIVERED, 6.0, T0, blue,
                       0);
    /* expectations shaped by word of mouth (7, 7) and past experience (5). */
    servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_EXPECTED, 7.0, T0,
                   SERVGAP_NONE, SERVGAP_DRIVER_WORD_OF_MOUTH);
    servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_EXPECTED, 7.0, T0,
                   SERVGAP_NONE, SERVGAP_DRIVER_WORD_OF_MOUTH);
    servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_EXPECTED, 5.0, T0,
                   SERVGAP_NONE, SERVGAP_DRIVER_PAST_EXPERIENCE);
    servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, m, SERVGAP_VP_PERCEIVED, 5.0, T0,
                   SERVGAP_NONE, 0);
    /* red also delivers where there is no standard: a row without a value. */
    int32_t chat = touchpoint(ctx, "chat");
    servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, chat, m, SERVGAP_VP_DELIVERED, 4.0, T0, red, 0);
    servgap_result *r = query_all(ctx);
    size_t wide = 0, none = 0;
    check_breakdown_rows(r, &wide, &none);
    ck_assert_uint_gt(wide, 0);
    ck_assert_uint_gt(none, 0);
    size_t cell = find(r, SERVGAP_SCOPE_ACCOUNT, acc, tp, m);
    int seen = 0;
    for (size_t i = 0; i < servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN); i++) {
        servgap_breakdown b = {.size = sizeof b};
        ck_assert_int_eq(servgap_result_breakdown(r, i, &b), SERVGAP_OK);
        if (b.cell != cell)
            continue;
        if (b.facet == SERVGAP_FACET_TEAM && b.facet_id == red) {
            ck_assert_int_eq(b.gap, SERVGAP_GAP_DELIVERY);
            ck_assert_int_eq(b.n, 3);
            ck_assert_double_eq_tol(b.value, 4.0 - 6.0, 1e-12);
            seen |= 1;
        } else if (b.facet == SERVGAP_FACET_TEAM && b.facet_id == blue) {
            ck_assert_double_eq_tol(b.value, 0.0, 1e-12);
            ck_assert_int_eq(b.status, SERVGAP_STATUS_MET);
            seen |= 2;
        } else if (b.facet == SERVGAP_FACET_DRIVER && b.facet_id == SERVGAP_DRIVER_WORD_OF_MOUTH) {
            ck_assert_int_eq(b.gap, SERVGAP_GAP_SERVICE);
            ck_assert_double_eq_tol(b.value, 5.0 - 7.0, 1e-12);
            seen |= 4;
        } else if (b.facet == SERVGAP_FACET_DRIVER) {
            ck_assert_int_eq(b.facet_id, SERVGAP_DRIVER_PAST_EXPERIENCE);
            ck_assert_double_eq_tol(b.value, 0.0, 1e-12);
            seen |= 8;
        }
    }
    ck_assert_int_eq(seen, 15);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_chain_identity);
    tcase_add_test(tc, test_merge_equals_single_run);
    tcase_add_test(tc, test_paired_interval);
    tcase_add_test(tc, test_welch_interval);
    tcase_add_test(tc, test_lower_is_better);
    tcase_add_test(tc, test_unresolved_span);
    tcase_add_test(tc, test_tier_pooling_and_fallback);
    tcase_add_test(tc, test_window_is_exact);
    tcase_add_test(tc, test_team_and_driver_breakdown);
    tcase_add_test(tc, test_plain_survey_span);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
