/*
 * test_priorities -- findings, impact, effort, quadrants, rank and
 * Importance-Performance Analysis through the public API, as specified in
 * docs/priorities.md. Every expected number below was worked out by hand
 * (or with a calculator) from the documented formula and the recorded data:
 *
 *     impact = 100 * (s * v * f)^(1/3)        with the default weights
 *
 * where s = |normalized gap| (capped at 1), v = affected value / all value
 * and f = the touchpoint's share of the scope's interactions.
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

#define T0  1767225600 /* 2026-01-01, a UTC midnight */
#define DAY 86400

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

/* First-response hours: lower is better, unbounded, a day is the scale. */
static int32_t hours_metric(servgap_ctx *ctx)
{
    int32_t id = -1;
    ck_assert_int_eq(servgap_metric_define(ctx, "first_response_hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0.0, INFINITY, 24.0, "h", &id),
                     SERVGAP_OK);
    return id;
}

/* CSAT 1..5: span 4. */
static int32_t csat_metric(servgap_ctx *ctx)
{
    int32_t id = -1;
    ck_assert_int_eq(servgap_metric_define(ctx, "csat", SERVGAP_DIM_ASSURANCE,
                                           SERVGAP_HIGHER_IS_BETTER, 1.0, 5.0, 0.0, "", &id),
                     SERVGAP_OK);
    return id;
}

static void rec(servgap_ctx *ctx, int32_t kind, int32_t id, int32_t tp, int32_t metric, int32_t vp,
                double value, int64_t time)
{
    ck_assert_int_eq(servgap_record(ctx, kind, id, tp, metric, vp, value, time, SERVGAP_NONE, 0),
                     SERVGAP_OK);
}

static void rec_n(servgap_ctx *ctx, int32_t kind, int32_t id, int32_t tp, int32_t metric,
                  int32_t vp, const double *v, size_t n, int64_t time)
{
    for (size_t i = 0; i < n; i++)
        rec(ctx, kind, id, tp, metric, vp, v[i], time);
}

static servgap_result *query(servgap_ctx *ctx, int64_t from, int64_t to)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, from, to, 0, &r), SERVGAP_OK);
    return r;
}

static servgap_result *query_everything(servgap_ctx *ctx)
{
    return query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
}

static servgap_finding finding(const servgap_result *r, size_t i)
{
    servgap_finding f;
    memset(&f, 0, sizeof f);
    f.size = sizeof f;
    ck_assert_int_eq(servgap_result_finding(r, i, &f), SERVGAP_OK);
    return f;
}

/* The index of the finding of (scope, touchpoint, metric, gap), or -1. */
static long find_finding(const servgap_result *r, int32_t kind, int32_t id, int32_t tp,
                         int32_t metric, int32_t gap)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    long hit = -1;
    for (size_t i = 0; i < n; i++) {
        servgap_finding f = finding(r, i);
        if (f.scope_kind == kind && f.scope_id == id && f.touchpoint == tp && f.metric == metric &&
            f.gap == gap) {
            ck_assert_msg(hit < 0, "two findings for one key");
            hit = (long)i;
        }
    }
    return hit;
}

static servgap_finding must_find(const servgap_result *r, int32_t kind, int32_t id, int32_t tp,
                                 int32_t metric, int32_t gap)
{
    long i = find_finding(r, kind, id, tp, metric, gap);
    ck_assert_msg(i >= 0, "no finding for scope %d/%d tp %d metric %d gap %d", (int)kind, (int)id,
                  (int)tp, (int)metric, (int)gap);
    return finding(r, (size_t)i);
}

static void near(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want)), "got %.17g, want %.17g", got,
                  want);
}

static int errmsg_has(servgap_ctx *ctx, const char *word)
{
    return strstr(servgap_errmsg(ctx), word) != NULL;
}

/* ---------------------------------------------------------------------- */
/* The worked example of docs/priorities.md                                */
/* ---------------------------------------------------------------------- */

/* Account A (value 40 of 100) perceives 3.5 on reliability by email where
 * 5 was delivered: perception gap -1.5 on a 1..7 scale, normalized -0.25.
 * Half of A's perceived answers came by email, half by chat. */
static servgap_ctx *worked_example(int32_t *a, int32_t *email)
{
    servgap_ctx *ctx = new_ctx();
    *a = account(ctx, "A", NULL, 40.0);
    account(ctx, "B", NULL, 60.0);
    *email = touchpoint(ctx, "email");
    int32_t chat = touchpoint(ctx, "chat");
    const double p_email[5] = {3.0, 3.5, 4.0, 3.5, 3.5}, p_chat[5] = {6, 6, 6, 6, 6};
    rec(ctx, SERVGAP_SCOPE_ACCOUNT, *a, *email, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_DELIVERED, 5.0,
        T0);
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, *a, *email, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_PERCEIVED,
          p_email, 5, T0);
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, *a, chat, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_PERCEIVED,
          p_chat, 5, T0);
    return ctx;
}

/* A roll-up finding: two reliability items whose service gaps (-1 each)
 * are not significant alone, while their average over the dimension is
 * (its variance is a quarter of the sum). The persistence windows hold
 * roll-ups only where a finding is one, so this checks they hold this,
 * for an account and for a tier (whose cells come from pooled groups). */
START_TEST(test_rollup_finding_persists)
{
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "A", NULL, 40.0), email = touchpoint(ctx, "email"), m2;
    int32_t gold = tier(ctx, "gold");
    ck_assert_int_eq(servgap_metric_define(ctx, "reliability, second item", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, 1.0, 7.0, 6.0, "", &m2),
                     SERVGAP_OK);
    const double e[5] = {6, 7, 6, 7, 6}, p[5] = {5, 6, 4, 7, 5};
    const int32_t items[2] = {SERVGAP_DIM_RELIABILITY, m2};
    const int32_t kinds[2] = {SERVGAP_SCOPE_ACCOUNT, SERVGAP_SCOPE_TIER}, ids[2] = {a, gold};
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < 2; k++) {
            rec_n(ctx, kinds[s], ids[s], email, items[k], SERVGAP_VP_EXPECTED, e, 5, T0);
            rec_n(ctx, kinds[s], ids[s], email, items[k], SERVGAP_VP_PERCEIVED, p, 5, T0);
        }
    servgap_result *r = query_everything(ctx);
    for (int s = 0; s < 2; s++) {
        for (int k = 0; k < 2; k++)
            ck_assert_int_lt(
                find_finding(r, kinds[s], ids[s], email, items[k], SERVGAP_GAP_SERVICE), 0);
        servgap_finding f = must_find(r, kinds[s], ids[s], email, SERVGAP_ALL, SERVGAP_GAP_SERVICE);
        ck_assert_int_eq(f.dimension, SERVGAP_DIM_RELIABILITY);
        near(f.value, -1.0);
        /* The newest of the three windows holds the data, and the gap. */
        ck_assert_int_eq(f.windows, 1);
        /* The roll-up over touchpoints contains the email one: no finding. */
        ck_assert_int_lt(
            find_finding(r, kinds[s], ids[s], SERVGAP_ALL, SERVGAP_ALL, SERVGAP_GAP_SERVICE), 0);
    }
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_worked_example)
{
    int32_t a, email;
    servgap_ctx *ctx = worked_example(&a, &email);
    servgap_result *r = query_everything(ctx);
    /* The roll-ups over touchpoints and over the dimension contain the
     * email cell, which already raised the perception gap. */
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 1);
    servgap_finding f = finding(r, 0);
    ck_assert_int_eq(f.rank, 1);
    ck_assert_int_eq(f.scope_kind, SERVGAP_SCOPE_ACCOUNT);
    ck_assert_int_eq(f.scope_id, a);
    ck_assert_int_eq(f.touchpoint, email);
    ck_assert_int_eq(f.metric, SERVGAP_DIM_RELIABILITY);
    ck_assert_int_eq(f.dimension, SERVGAP_DIM_RELIABILITY);
    ck_assert_int_eq(f.gap, SERVGAP_GAP_PERCEPTION);
    near(f.value, -1.5);
    near(f.normalized, -0.25);
    near(f.size_term, 0.25);
    near(f.value_share, 0.4);
    near(f.affected_value, 40.0);
    ck_assert_int_eq(f.affected_accounts, 1);
    near(f.frequency, 0.5);
    /* 100 * (0.25 * 0.4 * 0.5)^(1/3) = 100 * 0.05^(1/3) */
    near(f.impact, 36.840314986403866);
    near(f.effort, 2.0);
    near(f.priority, 18.420157493201933);
    ck_assert_int_eq(f.quadrant, SERVGAP_QUADRANT_QUICK_WIN);
    /* Only the newest of the three 30-day windows ending at now holds it. */
    ck_assert_int_eq(f.windows, 1);
    ck_assert_uint_eq(f.flags, 0);
    size_t i = 0;
    ck_assert_int_eq(
        servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, a, email, SERVGAP_DIM_RELIABILITY, 0, &i),
        SERVGAP_OK);
    ck_assert_uint_eq(f.cell, i);
    servgap_result_free(r);

    /* With K = 1 it is persistent, but only communication is boosted. */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WINDOWS, 1), SERVGAP_OK);
    r = query_everything(ctx);
    f = finding(r, 0);
    ck_assert_int_eq(f.windows, 1);
    ck_assert_uint_eq(f.flags, SERVGAP_FINDING_PERSISTENT);
    near(f.impact, 36.840314986403866);
    servgap_result_free(r);

    /* Weights are exponents' shares: size 2, value 1, frequency 1 gives
     * 100 * 0.25^(1/2) * 0.4^(1/4) * 0.5^(1/4) = 50 * 0.2^(1/4). */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_SIZE, 2.0), SERVGAP_OK);
    r = query_everything(ctx);
    near(finding(r, 0).impact, 33.437015248821100);
    servgap_result_free(r);
    /* Value weight 0: 100 * (0.25 * 0.5)^(1/2). */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_SIZE, 1.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_VALUE, 0.0), SERVGAP_OK);
    r = query_everything(ctx);
    near(finding(r, 0).impact, 35.355339059327378);
    servgap_result_free(r);
    /* An impact cut above it makes the finding a fill-in. */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_IMPACT_CUT, 35.36), SERVGAP_OK);
    r = query_everything(ctx);
    ck_assert_int_eq(finding(r, 0).quadrant, SERVGAP_QUADRANT_FILL_IN);
    servgap_result_free(r);
    /* Boundary values go to the high side: effort 2 with an effort cut of 2
     * is high effort. */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_EFFORT_CUT, 2.0), SERVGAP_OK);
    r = query_everything(ctx);
    ck_assert_int_eq(finding(r, 0).quadrant, SERVGAP_QUADRANT_THANKLESS);
    double impact = finding(r, 0).impact;
    servgap_result_free(r);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_IMPACT_CUT, impact), SERVGAP_OK);
    r = query_everything(ctx);
    ck_assert_int_eq(finding(r, 0).quadrant, SERVGAP_QUADRANT_MAJOR_PROJECT);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_no_account_value)
{
    /* Without any account value the value term is neutral (1). */
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "A", NULL, 0.0);
    int32_t email = touchpoint(ctx, "email");
    const double p[5] = {3.0, 3.5, 4.0, 3.5, 3.5};
    rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, email, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_DELIVERED, 5.0,
        T0);
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, a, email, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_PERCEIVED, p, 5,
          T0);
    servgap_result *r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 1);
    servgap_finding f = finding(r, 0);
    near(f.value_share, 0.0);
    near(f.frequency, 1.0);
    near(f.impact, 100.0 * cbrt(0.25)); /* 100 * (0.25 * 1 * 1)^(1/3) */
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Seed rule 1: delivery on the top enterprise accounts beats a minor      */
/* perception gap on a low tier                                            */
/* ---------------------------------------------------------------------- */

typedef struct seed1 {
    servgap_ctx *ctx;
    int32_t ent, starter, email, hours, csat;
    int32_t e[10], s[20];
} seed1;

/* Enterprise: 10 accounts worth 100..1000, a tier-wide SLA of 4 h by email
 * and a mean delivered first response of 8 h (gap -4 h of a 24 h span).
 * Starter: 20 accounts worth 5 each, a tier-wide delivered quality of 4.0
 * on CSAT 1..5 and a perceived mean of 3.8 (gap -0.2 of span 4).
 * All value: 5500 + 100 = 5600. */
static void seed1_build(seed1 *d, servgap_ctx *ctx)
{
    char name[32];
    d->ctx = ctx;
    d->ent = tier(ctx, "enterprise");
    d->starter = tier(ctx, "starter");
    d->email = touchpoint(ctx, "email");
    d->hours = hours_metric(ctx);
    d->csat = csat_metric(ctx);
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "ent%02d", i + 1);
        d->e[i] = account(ctx, name, "enterprise", 100.0 * (i + 1));
    }
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "starter%02d", i + 1);
        d->s[i] = account(ctx, name, "starter", 5.0);
    }
    rec(ctx, SERVGAP_SCOPE_TIER, d->ent, d->email, d->hours, SERVGAP_VP_STANDARD, 4.0, T0);
    rec(ctx, SERVGAP_SCOPE_TIER, d->starter, d->email, d->csat, SERVGAP_VP_DELIVERED, 4.0, T0);
    const double hours[5] = {7, 8, 9, 8, 8}, csat[5] = {4, 3.5, 4, 3.5, 4};
    for (int i = 0; i < 10; i++)
        rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, d->e[i], d->email, d->hours, SERVGAP_VP_DELIVERED, hours,
              5, T0 + DAY);
    for (int i = 0; i < 20; i++)
        rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, d->s[i], d->email, d->csat, SERVGAP_VP_PERCEIVED, csat, 5,
              T0 + DAY);
}

START_TEST(test_enterprise_delivery_beats_minor_perception)
{
    seed1 d;
    seed1_build(&d, new_ctx());
    servgap_result *r = query_everything(d.ctx);
    /* The tier's delivery gap, each enterprise account's (the tier SLA is
     * their standard), and the starter tier's perception gap. A starter
     * account alone (5 answers, sd 0.27) cannot show -0.2 significantly. */
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 12);
    servgap_finding del =
        must_find(r, SERVGAP_SCOPE_TIER, d.ent, d.email, d.hours, SERVGAP_GAP_DELIVERY);
    servgap_finding per =
        must_find(r, SERVGAP_SCOPE_TIER, d.starter, d.email, d.csat, SERVGAP_GAP_PERCEPTION);
    servgap_finding top =
        must_find(r, SERVGAP_SCOPE_ACCOUNT, d.e[9], d.email, d.hours, SERVGAP_GAP_DELIVERY);

    near(del.normalized, -4.0 / 24.0);
    near(del.value_share, 5500.0 / 5600.0);
    near(del.frequency, 1.0);
    near(del.impact, 54.702579256057774); /* 100 * (1/6 * 5500/5600)^(1/3) */
    near(del.effort, 4.0);
    near(del.priority, 13.675644814014444);
    ck_assert_int_eq(del.quadrant, SERVGAP_QUADRANT_MAJOR_PROJECT);
    ck_assert_int_eq(del.rank, 1);

    near(top.impact, 30.989904712054674); /* 100 * (1/6 * 1000/5600)^(1/3) */

    near(per.normalized, -0.05);
    near(per.value_share, 100.0 / 5600.0);
    near(per.impact, 9.629283927770896); /* 100 * (0.05 * 100/5600)^(1/3) */
    near(per.priority, 4.814641963885448);
    ck_assert_int_eq(per.quadrant, SERVGAP_QUADRANT_FILL_IN);
    /* Each enterprise account's delivery finding repeats the tier's (same
     * touchpoint, metric and gap): the ten are one root cause, the tier's
     * finding, which counts them. The perception gap is the only other
     * problem, so it is second, and the ten members follow every root. */
    ck_assert_int_eq(per.rank, 2);
    ck_assert_uint_eq(per.root, UINT64_MAX);
    ck_assert_int_eq(per.members, 0);
    ck_assert_uint_eq(del.root, UINT64_MAX);
    ck_assert_int_eq(del.members, 10);
    near(del.members_value, 5500.0);
    /* Members in their own order: the five major projects (value 1000 to
     * 600, priority 7.75 down to 6.53), then the thankless ones (500 to
     * 100: 24.6 at value 500 is below the impact cut of 25). */
    ck_assert_int_eq(top.rank, 3);
    for (int i = 0; i < 10; i++) {
        servgap_finding f =
            must_find(r, SERVGAP_SCOPE_ACCOUNT, d.e[i], d.email, d.hours, SERVGAP_GAP_DELIVERY);
        ck_assert_int_eq(f.rank, 12 - i);
        ck_assert_uint_eq(f.root, 0); /* the tier's delivery finding, rank 1 */
        ck_assert_int_eq(f.members, 0);
        ck_assert_int_eq(f.affected_accounts, 1);
        near(f.affected_value, 100.0 * (i + 1));
        ck_assert_int_eq(f.quadrant,
                         i >= 5 ? SERVGAP_QUADRANT_MAJOR_PROJECT : SERVGAP_QUADRANT_THANKLESS);
    }
    for (size_t i = 0; i < 12; i++)
        ck_assert_int_eq(finding(r, i).rank, (int)i + 1);
    servgap_result_free(r);

    /* As 1.1 ranked them: the ten on their own, by priority: tier 13.68,
     * accounts 1000..300 from 7.75 down to 5.19, then the perception gap
     * at 4.81, then accounts 200 (4.53) and 100. The groups stay. */
    ck_assert_int_eq(servgap_ctx_set_option(d.ctx, SERVGAP_OPT_PRIORITIES, SERVGAP_PRIORITIES_1_1),
                     SERVGAP_OK);
    r = query_everything(d.ctx);
    per = must_find(r, SERVGAP_SCOPE_TIER, d.starter, d.email, d.csat, SERVGAP_GAP_PERCEPTION);
    ck_assert_int_eq(per.rank, 10);
    ck_assert_int_eq(finding(r, 0).members, 10);
    for (int i = 0; i < 10; i++) {
        servgap_finding f =
            must_find(r, SERVGAP_SCOPE_ACCOUNT, d.e[i], d.email, d.hours, SERVGAP_GAP_DELIVERY);
        ck_assert_int_eq(f.rank, i >= 2 ? 11 - i : 12 - i);
        ck_assert_uint_eq(f.root, 0);
    }
    servgap_result_free(r);
    servgap_ctx_free(d.ctx);
}
END_TEST

START_TEST(test_finding_accounts)
{
    seed1 d;
    seed1_build(&d, new_ctx());
    servgap_result *r = query_everything(d.ctx);
    long di = find_finding(r, SERVGAP_SCOPE_TIER, d.ent, d.email, d.hours, SERVGAP_GAP_DELIVERY);
    long pi =
        find_finding(r, SERVGAP_SCOPE_TIER, d.starter, d.email, d.csat, SERVGAP_GAP_PERCEPTION);
    ck_assert(di >= 0 && pi >= 0);
    size_t n = 99;
    ck_assert_int_eq(servgap_result_finding_accounts(r, (size_t)di, NULL, 0, &n), SERVGAP_OK);
    ck_assert_uint_eq(n, 10);
    int32_t ids[32];
    for (int i = 0; i < 32; i++)
        ids[i] = -7;
    ck_assert_int_eq(servgap_result_finding_accounts(r, (size_t)di, ids, 3, &n), SERVGAP_OK);
    ck_assert_uint_eq(n, 10);
    ck_assert_int_eq(ids[0], d.e[0]);
    ck_assert_int_eq(ids[2], d.e[2]);
    ck_assert_int_eq(ids[3], -7);
    ck_assert_int_eq(servgap_result_finding_accounts(r, (size_t)di, ids, 32, &n), SERVGAP_OK);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(ids[i], d.e[i]);
    servgap_finding del = finding(r, (size_t)di);
    ck_assert_int_eq(del.affected_accounts, 10);
    near(del.affected_value, 5500.0);
    ck_assert_int_eq(servgap_result_finding_accounts(r, (size_t)pi, ids, 32, &n), SERVGAP_OK);
    ck_assert_uint_eq(n, 20);
    for (int i = 0; i < 20; i++)
        ck_assert_int_eq(ids[i], d.s[i]);

    size_t count = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    ck_assert_int_eq(servgap_result_finding_accounts(NULL, 0, ids, 1, &n), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_finding_accounts(r, 0, ids, 1, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_finding_accounts(r, 0, NULL, 1, &n), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_finding_accounts(r, count, ids, 1, &n), SERVGAP_ERANGE);
    servgap_finding f = {.size = sizeof f};
    ck_assert_int_eq(servgap_result_finding(NULL, 0, &f), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_finding(r, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_finding(r, count, &f), SERVGAP_ERANGE);
    f.size = sizeof(size_t);
    ck_assert_int_eq(servgap_result_finding(r, 0, &f), SERVGAP_EMISUSE);
    servgap_result_free(r);

    /* Without QUERY_PRIORITIES there are no findings. */
    ck_assert_int_eq(servgap_query(d.ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX,
                                   SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS, &r),
                     SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 0);
    servgap_result_free(r);
    /* Tiers only: the tier findings keep their accounts although the
     * result has no account cells. */
    ck_assert_int_eq(servgap_query(d.ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX,
                                   SERVGAP_QUERY_TIERS | SERVGAP_QUERY_PRIORITIES, &r),
                     SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 2);
    del = finding(r, 0);
    ck_assert_int_eq(del.gap, SERVGAP_GAP_DELIVERY);
    ck_assert_int_eq(del.affected_accounts, 10);
    near(del.impact, 54.702579256057774);
    servgap_result_free(r);
    servgap_ctx_free(d.ctx);
}
END_TEST

START_TEST(test_tier_wide_cell_affects_whole_tier)
{
    /* Expectations from a QBR and the provider's belief, both recorded for
     * the tier as a whole: the knowledge gap speaks for all its accounts. */
    servgap_ctx *ctx = new_ctx();
    int32_t gold = tier(ctx, "gold");
    int32_t a1 = account(ctx, "a1", "gold", 10.0), a2 = account(ctx, "a2", "gold", 30.0);
    account(ctx, "other", "silver", 60.0);
    int32_t email = touchpoint(ctx, "email");
    const double e[5] = {6, 7, 6, 7, 6.5};
    rec_n(ctx, SERVGAP_SCOPE_TIER, gold, email, SERVGAP_DIM_EMPATHY, SERVGAP_VP_EXPECTED, e, 5, T0);
    rec(ctx, SERVGAP_SCOPE_TIER, gold, email, SERVGAP_DIM_EMPATHY, SERVGAP_VP_BELIEVED, 4.5, T0);
    servgap_result *r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 1);
    servgap_finding f = finding(r, 0);
    ck_assert_int_eq(f.scope_kind, SERVGAP_SCOPE_TIER);
    ck_assert_int_eq(f.gap, SERVGAP_GAP_KNOWLEDGE);
    ck_assert_int_eq(f.affected_accounts, 2);
    near(f.affected_value, 40.0);
    near(f.value_share, 0.4);
    int32_t ids[2];
    size_t n;
    ck_assert_int_eq(servgap_result_finding_accounts(r, 0, ids, 2, &n), SERVGAP_OK);
    ck_assert(n == 2 && ids[0] == a1 && ids[1] == a2);
    near(f.normalized, -2.0 / 6.0);
    near(f.impact, 100.0 * cbrt(2.0 / 6.0 * 0.4));
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_tier_affected_accounts)
{
    /* Gold's SLA (4 h, for any touchpoint) is missed by email, where only
     * g1 was served; g2 was served by chat on time, g3 not at all. */
    servgap_ctx *ctx = new_ctx();
    int32_t gold = tier(ctx, "gold");
    int32_t g1 = account(ctx, "g1", "gold", 10.0);
    int32_t g2 = account(ctx, "g2", "gold", 20.0);
    account(ctx, "g3", "gold", 30.0);
    account(ctx, "other", "silver", 40.0);
    int32_t email = touchpoint(ctx, "email"), chat = touchpoint(ctx, "chat");
    int32_t hours = hours_metric(ctx);
    const double slow[5] = {7, 8, 9, 8, 8}, fast[5] = {4, 4, 4, 4, 4};
    rec(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_ANY, hours, SERVGAP_VP_STANDARD, 4.0, T0);
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, g1, email, hours, SERVGAP_VP_DELIVERED, slow, 5, T0);
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, g2, chat, hours, SERVGAP_VP_DELIVERED, fast, 5, T0);
    servgap_result *r = query_everything(ctx);
    /* The tier and g1 by email; gold over all touchpoints contains it. */
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 2);
    long i = find_finding(r, SERVGAP_SCOPE_TIER, gold, email, hours, SERVGAP_GAP_DELIVERY);
    ck_assert(i >= 0);
    servgap_finding f = finding(r, (size_t)i);
    int32_t ids[4];
    size_t n;
    ck_assert_int_eq(servgap_result_finding_accounts(r, (size_t)i, ids, 4, &n), SERVGAP_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(ids[0], g1);
    near(f.affected_value, 10.0);
    near(f.value_share, 0.1);
    near(f.frequency, 0.5); /* 5 of gold's 10 deliveries were by email */
    near(f.impact, 100.0 * cbrt(4.0 / 24.0 * 0.1 * 0.5));
    servgap_finding fa =
        must_find(r, SERVGAP_SCOPE_ACCOUNT, g1, email, hours, SERVGAP_GAP_DELIVERY);
    near(fa.frequency, 1.0); /* all of g1's deliveries */
    near(fa.impact, 100.0 * cbrt(4.0 / 24.0 * 0.1));
    /* g1's finding repeats the tier's: the tier's is the root cause and
     * ranks first, though g1's own impact is higher (the tier's is
     * diluted by chat, where it was served on time). Its group is g1. */
    ck_assert_int_eq(f.rank, 1);
    ck_assert_int_eq(fa.rank, 2);
    ck_assert_uint_eq(fa.root, (uint64_t)i);
    ck_assert_int_eq(f.members, 1);
    near(f.members_value, 10.0);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_promise_affects_promised_accounts)
{
    /* Sales promised 2 h to p1 and p2 only; all four accounts of the tier
     * were served in 8 h. The communication gap is the tier's, and it
     * affects the two accounts that were promised, not all four. */
    servgap_ctx *ctx = new_ctx();
    int32_t growth = tier(ctx, "growth");
    int32_t email = touchpoint(ctx, "email");
    int32_t hours = hours_metric(ctx);
    int32_t acc[4];
    const char *names[4] = {"p1", "p2", "q1", "q2"};
    const double slow[3] = {8, 8.5, 7.5}, promise[2] = {2, 2};
    for (int k = 0; k < 4; k++) {
        acc[k] = account(ctx, names[k], "growth", 100.0);
        rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, acc[k], email, hours, SERVGAP_VP_DELIVERED, slow, 3, T0);
        if (k < 2)
            rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, acc[k], email, hours, SERVGAP_VP_PROMISED, promise, 2,
                  T0);
    }
    servgap_result *r = query_everything(ctx);
    long i = find_finding(r, SERVGAP_SCOPE_TIER, growth, email, hours, SERVGAP_GAP_COMMUNICATION);
    ck_assert(i >= 0);
    int32_t ids[4];
    size_t n;
    ck_assert_int_eq(servgap_result_finding_accounts(r, (size_t)i, ids, 4, &n), SERVGAP_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(ids[0], acc[0]);
    ck_assert_int_eq(ids[1], acc[1]);
    near(finding(r, (size_t)i).value_share, 0.5);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_tier_without_accounts)
{
    /* Tier-wide data of a tier that has no accounts: a finding that
     * affects nobody, with no value share. */
    servgap_ctx *ctx = new_ctx();
    int32_t lone = tier(ctx, "lone");
    int32_t email = touchpoint(ctx, "email");
    int32_t hours = hours_metric(ctx);
    const double slow[3] = {6, 7, 8};
    rec(ctx, SERVGAP_SCOPE_TIER, lone, email, hours, SERVGAP_VP_STANDARD, 2.0, T0);
    rec_n(ctx, SERVGAP_SCOPE_TIER, lone, email, hours, SERVGAP_VP_DELIVERED, slow, 3, T0);
    servgap_result *r = query_everything(ctx);
    servgap_finding f = must_find(r, SERVGAP_SCOPE_TIER, lone, email, hours, SERVGAP_GAP_DELIVERY);
    ck_assert_int_eq(f.affected_accounts, 0);
    near(f.affected_value, 0.0);
    near(f.value_share, 0.0);
    size_t n = 99;
    ck_assert_int_eq(servgap_result_finding_accounts(r, 0, NULL, 0, &n), SERVGAP_OK);
    ck_assert_uint_eq(n, 0);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_borrowed_gap_is_the_tiers_only)
{
    /* The tier's standard (2 h) misses what the provider believes customers
     * expect (1 h): a standards gap made of tier data only. Each account
     * falls back to both sides, so it is one tier finding, not one per
     * account; the accounts' own delivery gaps stay theirs. */
    servgap_ctx *ctx = new_ctx();
    int32_t gold = tier(ctx, "gold");
    int32_t email = touchpoint(ctx, "email");
    int32_t hours = hours_metric(ctx);
    int32_t a = account(ctx, "a", "gold", 10.0), b = account(ctx, "b", "gold", 10.0);
    rec(ctx, SERVGAP_SCOPE_TIER, gold, email, hours, SERVGAP_VP_BELIEVED, 1.0, T0);
    rec(ctx, SERVGAP_SCOPE_TIER, gold, email, hours, SERVGAP_VP_STANDARD, 2.0, T0);
    const double slow[3] = {6, 7, 8};
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, a, email, hours, SERVGAP_VP_DELIVERED, slow, 3, T0);
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, b, email, hours, SERVGAP_VP_DELIVERED, slow, 3, T0);
    servgap_result *r = query_everything(ctx);
    must_find(r, SERVGAP_SCOPE_TIER, gold, email, hours, SERVGAP_GAP_STANDARDS);
    ck_assert_int_lt(find_finding(r, SERVGAP_SCOPE_ACCOUNT, a, email, hours, SERVGAP_GAP_STANDARDS),
                     0);
    ck_assert_int_lt(find_finding(r, SERVGAP_SCOPE_ACCOUNT, b, email, hours, SERVGAP_GAP_STANDARDS),
                     0);
    must_find(r, SERVGAP_SCOPE_ACCOUNT, a, email, hours, SERVGAP_GAP_DELIVERY);
    must_find(r, SERVGAP_SCOPE_ACCOUNT, b, email, hours, SERVGAP_GAP_DELIVERY);
    /* The standards cell of an account does show the gap (it is the tier's). */
    size_t j;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, a, email, hours, 0, &j),
                     SERVGAP_OK);
    servgap_gap g = {.size = sizeof g};
    ck_assert_int_eq(servgap_result_gap(r, j, SERVGAP_GAP_STANDARDS, &g), SERVGAP_OK);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_SHORTFALL);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Which gaps become findings                                              */
/* ---------------------------------------------------------------------- */

START_TEST(test_service_only_when_unexplained)
{
    servgap_ctx *ctx = new_ctx();
    int32_t x = account(ctx, "survey_only", NULL, 50.0);
    int32_t y = account(ctx, "full_chain", NULL, 50.0);
    int32_t email = touchpoint(ctx, "email");
    const double e[5] = {6, 6, 6, 6, 6}, p[5] = {4.5, 4.5, 4.5, 4.5, 4.5};
    int32_t m = SERVGAP_DIM_TANGIBLES;
    /* A plain survey: the chain is one unresolved span, so the service
     * shortfall is the finding. */
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, x, email, m, SERVGAP_VP_EXPECTED, e, 5, T0);
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, x, email, m, SERVGAP_VP_PERCEIVED, p, 5, T0);
    /* The full chain: delivery (5 against a standard of 6) explains it. */
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, y, email, m, SERVGAP_VP_EXPECTED, e, 5, T0);
    rec(ctx, SERVGAP_SCOPE_ACCOUNT, y, email, m, SERVGAP_VP_BELIEVED, 6.0, T0);
    rec(ctx, SERVGAP_SCOPE_ACCOUNT, y, email, m, SERVGAP_VP_STANDARD, 6.0, T0);
    rec(ctx, SERVGAP_SCOPE_ACCOUNT, y, email, m, SERVGAP_VP_DELIVERED, 4.5, T0);
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, y, email, m, SERVGAP_VP_PERCEIVED, p, 5, T0);
    /* Perceived also below adequate for x: still one finding, service. */
    const double a[5] = {5, 5, 5, 5, 5};
    rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, x, email, m, SERVGAP_VP_ADEQUATE, a, 5, T0);
    servgap_result *r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 2);
    servgap_finding fx = must_find(r, SERVGAP_SCOPE_ACCOUNT, x, email, m, SERVGAP_GAP_SERVICE);
    servgap_finding fy = must_find(r, SERVGAP_SCOPE_ACCOUNT, y, email, m, SERVGAP_GAP_DELIVERY);
    near(fx.value, -1.5);
    near(fx.effort, 3.0); /* the default of an unexplained service gap */
    near(fy.value, -1.5);
    near(fy.effort, 4.0);
    /* Same size, value and frequency: the same impact; effort 3 beats 4. */
    near(fx.impact, fy.impact);
    ck_assert_int_eq(fx.rank, 1);
    ck_assert_int_eq(fy.rank, 2);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_rollup_raises_what_cells_cannot)
{
    /* Two touchpoints, each with a perception gap of -1 too noisy to be
     * significant alone; pooled over touchpoints it is significant: the
     * roll-up raises it, and only the roll-up over touchpoints does (the
     * dimension roll-up above it contains that cell). */
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "A", NULL, 1.0);
    int32_t t1 = touchpoint(ctx, "email"), t2 = touchpoint(ctx, "chat");
    const int32_t m = SERVGAP_DIM_EMPATHY;
    const double p[5] = {3, 5, 3, 5, 4};
    for (int k = 0; k < 2; k++) {
        int32_t tp = k ? t2 : t1;
        rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, m, SERVGAP_VP_DELIVERED, 5.0, T0);
        rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, m, SERVGAP_VP_PERCEIVED, p, 5, T0);
    }
    servgap_result *r = query_everything(ctx);
    /* Per touchpoint: mean 4, sd 1, n 5: t(4) * 1/sqrt(5) = 1.24 > 1.
     * Over both: sd sqrt(8/9), n 10: t(9) * 0.298 = 0.67 < 1. */
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 1);
    servgap_finding f = finding(r, 0);
    ck_assert_int_eq(f.touchpoint, SERVGAP_ALL);
    ck_assert_int_eq(f.metric, m);
    ck_assert_int_eq(f.gap, SERVGAP_GAP_PERCEPTION);
    near(f.value, -1.0);
    near(f.frequency, 1.0);
    servgap_result_free(r);
    const double more[5] = {3, 5, 4, 4, 4};
    for (int k = 0; k < 2; k++)
        rec_n(ctx, SERVGAP_SCOPE_ACCOUNT, a, k ? t2 : t1, m, SERVGAP_VP_PERCEIVED, more, 5, T0);
    /* Per touchpoint now n 10, sd sqrt(6/9): t(9) * 0.258 = 0.58 < 1, so
     * each touchpoint raises it and the roll-ups stay silent. */
    r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 2);
    servgap_finding f1 = must_find(r, SERVGAP_SCOPE_ACCOUNT, a, t1, m, SERVGAP_GAP_PERCEPTION);
    servgap_finding f2 = must_find(r, SERVGAP_SCOPE_ACCOUNT, a, t2, m, SERVGAP_GAP_PERCEPTION);
    near(f1.frequency, 0.5);
    near(f2.frequency, 0.5);
    /* Equal in every term: the earlier cell (email, interned first) wins. */
    ck_assert_int_eq(f1.rank, 1);
    ck_assert_int_eq(f2.rank, 2);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* No standard defined                                                     */
/* ---------------------------------------------------------------------- */

typedef struct onboarding {
    servgap_ctx *ctx;
    int32_t ent, email, metric;
    int32_t a[4]; /* values 100, 200, 300, 400: 1000 in all */
} onboarding;

/* Customers expect high-touch onboarding (6 on a 1..7 item), the provider
 * knows it (believed 6, a tier-wide survey of its leads), delivers 4 and
 * no SLA defines it. Each account answers five times: expected 6,
 * perceived 3, 4, 4, 4, 3 (mean 3.6, variance 0.3), and was delivered 4
 * five times. The tier pools the twenty. */
static void onboarding_build(onboarding *d)
{
    char name[16];
    servgap_ctx *ctx = d->ctx = new_ctx();
    d->ent = tier(ctx, "enterprise");
    d->email = touchpoint(ctx, "email");
    ck_assert_int_eq(servgap_metric_define(ctx, "onboarding", SERVGAP_DIM_EMPATHY,
                                           SERVGAP_HIGHER_IS_BETTER, 1.0, 7.0, 0.0, "", &d->metric),
                     SERVGAP_OK);
    const double e[5] = {6, 6, 6, 6, 6}, dl[5] = {4, 4, 4, 4, 4}, p[5] = {3, 4, 4, 4, 3};
    rec(ctx, SERVGAP_SCOPE_TIER, d->ent, d->email, d->metric, SERVGAP_VP_BELIEVED, 6.0, T0);
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof name, "a%d", i + 1);
        d->a[i] = account(ctx, name, "enterprise", 100.0 * (i + 1));
        const int32_t A = SERVGAP_SCOPE_ACCOUNT, id = d->a[i], tp = d->email, m = d->metric;
        rec_n(ctx, A, id, tp, m, SERVGAP_VP_EXPECTED, e, 5, T0);
        rec_n(ctx, A, id, tp, m, SERVGAP_VP_DELIVERED, dl, 5, T0 + DAY);
        rec_n(ctx, A, id, tp, m, SERVGAP_VP_PERCEIVED, p, 5, T0 + DAY);
    }
}

/* The tier's cell: knowledge 6 - 6 = 0 (met); no standard, so standards
 * and delivery are the joined span delivered - believed = 4 - 6 = -2
 * (exact: both sides without variance), flagged no_standard; perception
 * 3.6 - 4 = -0.4 with se sqrt(0.2526 / 20) = 0.1124, t(19) = 2.093:
 * [-0.635, -0.165], a shortfall. Before 1.2 the perception gap was the
 * tier's only finding, and each account, whose own perception gap (se
 * 0.245, t(4) = 2.776: [-1.08, 0.28]) is not significant, got a service
 * finding (3.6 - 6 = -2.4). */
START_TEST(test_no_standard_defined)
{
    onboarding d;
    onboarding_build(&d);
    servgap_result *r = query_everything(d.ctx);
    size_t cell;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_TIER, d.ent, d.email, d.metric, 0, &cell),
                     SERVGAP_OK);
    servgap_gap g = {.size = sizeof g};
    ck_assert_int_eq(servgap_result_gap(r, cell, SERVGAP_GAP_STANDARDS, &g), SERVGAP_OK);
    ck_assert_int_eq(g.status, SERVGAP_STATUS_UNRESOLVED);
    ck_assert_uint_eq(g.span, SERVGAP_LINK_STANDARDS | SERVGAP_LINK_DELIVERY);
    ck_assert(g.flags & SERVGAP_GAPFLAG_NO_STANDARD);
    near(g.value, -2.0);
    /* The tier's perception gap, its no-standard finding, and each
     * account's no-standard finding, which repeats the tier's. */
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 6);
    servgap_finding per =
        must_find(r, SERVGAP_SCOPE_TIER, d.ent, d.email, d.metric, SERVGAP_GAP_PERCEPTION);
    servgap_finding ns =
        must_find(r, SERVGAP_SCOPE_TIER, d.ent, d.email, d.metric, SERVGAP_GAP_STANDARDS);
    ck_assert_uint_eq(ns.flags, SERVGAP_FINDING_NO_STANDARD);
    ck_assert_uint_eq(ns.cell, cell);
    near(ns.value, -2.0);
    near(ns.normalized, -1.0 / 3.0);
    /* Its sides are believed (tier-wide) and delivered (each account's):
     * all four accounts were delivered to, and all 20 deliveries were by
     * email. 100 * (1/3 * 1 * 1)^(1/3); the standards effort, 3. */
    ck_assert_int_eq(ns.affected_accounts, 4);
    near(ns.value_share, 1.0);
    near(ns.frequency, 1.0);
    near(ns.impact, 69.336127435063470);
    near(ns.effort, 3.0);
    near(ns.priority, 23.112042478354490);
    ck_assert_int_eq(ns.quadrant, SERVGAP_QUADRANT_MAJOR_PROJECT);
    ck_assert_int_eq(ns.windows, 1);
    /* 100 * (0.4 / 6)^(1/3), effort 2: a quick win, so first. */
    near(per.value, -0.4);
    near(per.impact, 40.548013303822673);
    ck_assert_int_eq(per.quadrant, SERVGAP_QUADRANT_QUICK_WIN);
    ck_assert_int_eq(per.rank, 1);
    ck_assert_int_eq(ns.rank, 2);
    ck_assert_int_eq(ns.members, 4);
    near(ns.members_value, 1000.0);
    /* Each account: the same span, -2, of its own deliveries against the
     * tier's belief, impact 100 * (1/3 * value / 1000)^(1/3), a member of
     * the tier's finding (rank 2), after it in their own order. */
    for (int i = 0; i < 4; i++) {
        servgap_finding f =
            must_find(r, SERVGAP_SCOPE_ACCOUNT, d.a[i], d.email, d.metric, SERVGAP_GAP_STANDARDS);
        ck_assert_uint_eq(f.flags, SERVGAP_FINDING_NO_STANDARD);
        near(f.value, -2.0);
        near(f.impact, 100.0 * cbrt((i + 1) / 30.0)); /* 32.18, 40.55, 46.42, 51.09 */
        near(f.effort, 3.0);
        ck_assert_int_eq(f.rank, 6 - i);
        ck_assert_uint_eq(f.root, 1);
        ck_assert_int_lt(
            find_finding(r, SERVGAP_SCOPE_ACCOUNT, d.a[i], d.email, d.metric, SERVGAP_GAP_SERVICE),
            0);
    }
    servgap_result_free(r);

    /* Accounts alone: no tier finding to repeat, so each stands on its own. */
    ck_assert_int_eq(servgap_query(d.ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX,
                                   SERVGAP_QUERY_ACCOUNTS | SERVGAP_QUERY_PRIORITIES, &r),
                     SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 4);
    for (int i = 0; i < 4; i++) {
        servgap_finding f = finding(r, (size_t)i);
        ck_assert_int_eq(f.scope_id, d.a[3 - i]);
        ck_assert_uint_eq(f.flags, SERVGAP_FINDING_NO_STANDARD);
        ck_assert_uint_eq(f.root, UINT64_MAX);
    }
    servgap_result_free(r);

    /* With K = 1 the one window holds it: persistent, still no standard. */
    ck_assert_int_eq(servgap_ctx_set_option(d.ctx, SERVGAP_OPT_WINDOWS, 1), SERVGAP_OK);
    r = query_everything(d.ctx);
    ns = must_find(r, SERVGAP_SCOPE_TIER, d.ent, d.email, d.metric, SERVGAP_GAP_STANDARDS);
    ck_assert_uint_eq(ns.flags, SERVGAP_FINDING_NO_STANDARD | SERVGAP_FINDING_PERSISTENT);
    servgap_result_free(r);
    servgap_ctx_free(d.ctx);
}
END_TEST

START_TEST(test_no_standard_as_1_1)
{
    /* As 1.1: the tier's perception gap, and each account's unexplained
     * service gap, -2.4 (s 0.4, effort 3), 100 * (0.4 * value / 1000)^(1/3):
     * 34.20, 43.09, 49.32, 54.29; none repeats a tier finding. */
    onboarding d;
    onboarding_build(&d);
    ck_assert_int_eq(servgap_ctx_set_option(d.ctx, SERVGAP_OPT_PRIORITIES, SERVGAP_PRIORITIES_1_1),
                     SERVGAP_OK);
    servgap_result *r = query_everything(d.ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 5);
    ck_assert_int_lt(
        find_finding(r, SERVGAP_SCOPE_TIER, d.ent, d.email, d.metric, SERVGAP_GAP_STANDARDS), 0);
    ck_assert_int_eq(
        must_find(r, SERVGAP_SCOPE_TIER, d.ent, d.email, d.metric, SERVGAP_GAP_PERCEPTION).rank, 1);
    for (int i = 0; i < 4; i++) {
        servgap_finding f =
            must_find(r, SERVGAP_SCOPE_ACCOUNT, d.a[i], d.email, d.metric, SERVGAP_GAP_SERVICE);
        near(f.value, -2.4);
        near(f.impact, 100.0 * cbrt(0.4 * (i + 1) / 10.0));
        ck_assert_int_eq(f.rank, 5 - i);
        ck_assert_uint_eq(f.root, UINT64_MAX);
        ck_assert_uint_eq(f.flags, 0);
    }
    servgap_result_free(r);
    servgap_ctx_free(d.ctx);
}
END_TEST

START_TEST(test_no_standard_without_delivery)
{
    /* Nothing delivered is measured: the span through the missing standard
     * runs from the provider's belief (6) to what customers perceive (3.6),
     * -2.4 (se sqrt(0.3 / 5), t(4): [-3.08, -1.72]). A plain survey
     * (expected and perceived only) has the flag too, but nothing of the
     * provider's side to say the standard is what is missing: its
     * shortfall stays the service gap. */
    servgap_ctx *ctx = new_ctx();
    int32_t x = account(ctx, "x", NULL, 50.0), y = account(ctx, "survey_only", NULL, 50.0);
    int32_t email = touchpoint(ctx, "email");
    const int32_t A = SERVGAP_SCOPE_ACCOUNT, m = SERVGAP_DIM_EMPATHY;
    const double e[5] = {6, 6, 6, 6, 6}, p[5] = {3, 4, 4, 4, 3};
    rec_n(ctx, A, x, email, m, SERVGAP_VP_EXPECTED, e, 5, T0);
    rec(ctx, A, x, email, m, SERVGAP_VP_BELIEVED, 6.0, T0);
    rec_n(ctx, A, x, email, m, SERVGAP_VP_PERCEIVED, p, 5, T0);
    rec_n(ctx, A, y, email, m, SERVGAP_VP_EXPECTED, e, 5, T0);
    rec_n(ctx, A, y, email, m, SERVGAP_VP_PERCEIVED, p, 5, T0);
    servgap_result *r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 2);
    servgap_finding fx = must_find(r, A, x, email, m, SERVGAP_GAP_STANDARDS);
    ck_assert_uint_eq(fx.flags, SERVGAP_FINDING_NO_STANDARD);
    near(fx.value, -2.4);
    near(fx.frequency, 1.0); /* nothing delivered: a statement of policy */
    near(fx.impact, 100.0 * cbrt(0.4 * 0.5));
    servgap_finding fy = must_find(r, A, y, email, m, SERVGAP_GAP_SERVICE);
    near(fy.value, -2.4);
    size_t j;
    ck_assert_int_eq(servgap_result_find(r, A, y, email, m, 0, &j), SERVGAP_OK);
    servgap_gap g = {.size = sizeof g};
    ck_assert_int_eq(servgap_result_gap(r, j, SERVGAP_GAP_STANDARDS, &g), SERVGAP_OK);
    ck_assert(g.flags & SERVGAP_GAPFLAG_NO_STANDARD);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Seed rule 2: a small communication gap in every window                  */
/* ---------------------------------------------------------------------- */

typedef struct seed2 {
    servgap_ctx *ctx;
    int32_t p, o, q, w, email, hours;
} seed2;

/* Four accounts of value 100 each, first response by email, 30-day windows
 * ending at T0 + 90 days. p was promised 4 h and got 5 h in every window;
 * o got 5 h only in the newest window (4 h before); q got 6 h against an
 * SLA of 4 h and w's SLA (8 h) is below the 4 h the provider believes
 * customers expect, both in the newest window only. */
static void seed2_build(seed2 *d)
{
    servgap_ctx *ctx = d->ctx = new_ctx();
    d->p = account(ctx, "p", NULL, 100.0);
    d->o = account(ctx, "o", NULL, 100.0);
    d->q = account(ctx, "q", NULL, 100.0);
    d->w = account(ctx, "w", NULL, 100.0);
    d->email = touchpoint(ctx, "email");
    d->hours = hours_metric(ctx);
    const double late[5] = {4.8, 5, 5.2, 5, 5}, ontime[5] = {4, 4, 4, 4, 4};
    const double slow[5] = {5.8, 6, 6.2, 6, 6};
    const int32_t A = SERVGAP_SCOPE_ACCOUNT, tp = d->email, m = d->hours;
    for (int k = 0; k < 3; k++) {
        int64_t t = T0 + (int64_t)(30 * k + 3) * DAY;
        rec(ctx, A, d->p, tp, m, SERVGAP_VP_PROMISED, 4.0, t);
        rec_n(ctx, A, d->p, tp, m, SERVGAP_VP_DELIVERED, late, 5, t);
        rec(ctx, A, d->o, tp, m, SERVGAP_VP_PROMISED, 4.0, t);
        rec_n(ctx, A, d->o, tp, m, SERVGAP_VP_DELIVERED, k == 2 ? late : ontime, 5, t);
    }
    int64_t t = T0 + 70 * DAY;
    rec(ctx, A, d->q, tp, m, SERVGAP_VP_STANDARD, 4.0, t);
    rec_n(ctx, A, d->q, tp, m, SERVGAP_VP_DELIVERED, slow, 5, t);
    rec(ctx, A, d->w, tp, m, SERVGAP_VP_BELIEVED, 4.0, t);
    rec(ctx, A, d->w, tp, m, SERVGAP_VP_STANDARD, 8.0, t);
}

START_TEST(test_persistent_communication)
{
    seed2 d;
    seed2_build(&d);
    servgap_result *r = query(d.ctx, T0 + 60 * DAY, T0 + 90 * DAY);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 4);
    servgap_finding p =
        must_find(r, SERVGAP_SCOPE_ACCOUNT, d.p, d.email, d.hours, SERVGAP_GAP_COMMUNICATION);
    servgap_finding o =
        must_find(r, SERVGAP_SCOPE_ACCOUNT, d.o, d.email, d.hours, SERVGAP_GAP_COMMUNICATION);
    servgap_finding q =
        must_find(r, SERVGAP_SCOPE_ACCOUNT, d.q, d.email, d.hours, SERVGAP_GAP_DELIVERY);
    servgap_finding w =
        must_find(r, SERVGAP_SCOPE_ACCOUNT, d.w, d.email, d.hours, SERVGAP_GAP_STANDARDS);
    ck_assert_int_eq(p.windows, 3);
    ck_assert_uint_eq(p.flags, SERVGAP_FINDING_PERSISTENT);
    ck_assert_int_eq(o.windows, 1);
    ck_assert_uint_eq(o.flags, 0);
    ck_assert_int_eq(q.windows, 1);
    ck_assert_int_eq(w.windows, 1);
    /* Base 100 * (1/24 * 1/4)^(1/3) = 21.84, doubled for p. */
    near(o.impact, 21.839511618407474);
    near(p.impact, 2.0 * 21.839511618407474);
    near(q.impact, 27.51606040745522); /* 100 * (1/12 * 1/4)^(1/3) */
    near(w.impact, 34.66806371753174); /* 100 * (1/6 * 1/4)^(1/3) */
    ck_assert_int_eq(p.quadrant, SERVGAP_QUADRANT_QUICK_WIN);
    ck_assert_int_eq(o.quadrant, SERVGAP_QUADRANT_FILL_IN);
    ck_assert_int_eq(w.quadrant, SERVGAP_QUADRANT_MAJOR_PROJECT);
    ck_assert_int_eq(q.quadrant, SERVGAP_QUADRANT_MAJOR_PROJECT);
    /* The boost makes p a quick win (21.84 per effort), first of all; then
     * the major projects w (11.56) and q (6.88); the same gap seen in one
     * window only, o, is a fill-in (10.92) and comes after them. */
    ck_assert_int_eq(p.rank, 1);
    ck_assert_int_eq(w.rank, 2);
    ck_assert_int_eq(q.rank, 3);
    ck_assert_int_eq(o.rank, 4);
    servgap_result_free(r);

    /* Without the boost p and o tie in quadrant, priority and impact; the
     * earlier cell (p's account id is lower) goes first. p is still not
     * last. */
    ck_assert_int_eq(servgap_ctx_set_option(d.ctx, SERVGAP_OPT_PERSIST_BOOST, 0.0), SERVGAP_OK);
    r = query(d.ctx, T0 + 60 * DAY, T0 + 90 * DAY);
    p = must_find(r, SERVGAP_SCOPE_ACCOUNT, d.p, d.email, d.hours, SERVGAP_GAP_COMMUNICATION);
    o = must_find(r, SERVGAP_SCOPE_ACCOUNT, d.o, d.email, d.hours, SERVGAP_GAP_COMMUNICATION);
    near(p.impact, o.impact);
    ck_assert_int_eq(p.quadrant, SERVGAP_QUADRANT_FILL_IN);
    ck_assert_int_eq(p.rank, 3);
    ck_assert_int_eq(o.rank, 4);
    servgap_result_free(r);

    /* K = 4 windows: the fourth (before T0) is empty, so p is no longer
     * persistent and loses the boost. */
    ck_assert_int_eq(servgap_ctx_set_option(d.ctx, SERVGAP_OPT_PERSIST_BOOST, 1.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(d.ctx, SERVGAP_OPT_WINDOWS, 4), SERVGAP_OK);
    r = query(d.ctx, T0 + 60 * DAY, T0 + 90 * DAY);
    p = must_find(r, SERVGAP_SCOPE_ACCOUNT, d.p, d.email, d.hours, SERVGAP_GAP_COMMUNICATION);
    ck_assert_int_eq(p.windows, 3);
    ck_assert_uint_eq(p.flags, 0);
    near(p.impact, 21.839511618407474);
    servgap_result_free(r);

    /* 45-day windows ending at T0 + 90: p's gap is in both, o's in one. */
    ck_assert_int_eq(servgap_ctx_set_option(d.ctx, SERVGAP_OPT_WINDOWS, 2), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(d.ctx, SERVGAP_OPT_WINDOW_DAYS, 45), SERVGAP_OK);
    r = query(d.ctx, T0 + 60 * DAY, T0 + 90 * DAY);
    p = must_find(r, SERVGAP_SCOPE_ACCOUNT, d.p, d.email, d.hours, SERVGAP_GAP_COMMUNICATION);
    o = must_find(r, SERVGAP_SCOPE_ACCOUNT, d.o, d.email, d.hours, SERVGAP_GAP_COMMUNICATION);
    ck_assert_int_eq(p.windows, 2);
    ck_assert_uint_eq(p.flags, SERVGAP_FINDING_PERSISTENT);
    ck_assert_int_eq(o.windows, 1);
    servgap_result_free(r);
    servgap_ctx_free(d.ctx);
}
END_TEST

START_TEST(test_persistence_ends_at_now)
{
    seed2 d;
    seed2_build(&d);
    servgap_result *r = NULL;
    /* Analysed as of T0 + 60: the windows are [T0-30, T0), [T0, T0+30),
     * [T0+30, T0+60); p's gap is in the last two only. */
    ck_assert_int_eq(servgap_query_at(d.ctx, T0 + 60 * DAY, T0 + 90 * DAY, T0 + 60 * DAY, 0, &r),
                     SERVGAP_OK);
    servgap_finding p =
        must_find(r, SERVGAP_SCOPE_ACCOUNT, d.p, d.email, d.hours, SERVGAP_GAP_COMMUNICATION);
    ck_assert_int_eq(p.windows, 2);
    ck_assert_uint_eq(p.flags, 0);
    servgap_result_free(r);
    servgap_ctx_free(d.ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Seed rule 3: a cheap, high-impact knowledge gap is a quick win, first   */
/* ---------------------------------------------------------------------- */

START_TEST(test_knowledge_quick_win_first)
{
    servgap_ctx *ctx = new_ctx();
    int32_t k = account(ctx, "k", NULL, 500.0), d = account(ctx, "d", NULL, 500.0);
    int32_t email = touchpoint(ctx, "email");
    int32_t hours = hours_metric(ctx), csat = csat_metric(ctx);
    const int32_t A = SERVGAP_SCOPE_ACCOUNT;
    /* k: customers expect 6.5 on reliability, the provider believes 4.5:
     * knowledge gap -2 of 6, impact 100 * (1/3 * 1/2)^(1/3) = 55.03. */
    const double e[5] = {6, 7, 6, 7, 6.5};
    rec_n(ctx, A, k, email, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_EXPECTED, e, 5, T0);
    rec(ctx, A, k, email, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_BELIEVED, 4.5, T0);
    /* d: 20 h delivered against a 4 h SLA: -16 of 24, impact
     * 100 * (2/3 * 1/2)^(1/3) = 69.34, larger, but effort 4. */
    const double slow[5] = {19, 20, 21, 20, 20};
    rec(ctx, A, d, email, hours, SERVGAP_VP_STANDARD, 4.0, T0);
    rec_n(ctx, A, d, email, hours, SERVGAP_VP_DELIVERED, slow, 5, T0);
    /* k: CSAT perceived 3.9 against 4.0 delivered: -0.1 of 4, impact
     * 100 * (0.025 * 1/2)^(1/3) = 23.2, a fill-in; made nearly free. */
    const double p[5] = {3.9, 3.9, 3.9, 3.9, 3.9};
    rec(ctx, A, k, email, csat, SERVGAP_VP_DELIVERED, 4.0, T0);
    rec_n(ctx, A, k, email, csat, SERVGAP_VP_PERCEIVED, p, 5, T0);
    ck_assert_int_eq(servgap_effort_set(ctx, SERVGAP_GAP_KNOWLEDGE, SERVGAP_ALL, SERVGAP_ALL, 1.0),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_effort_set(ctx, SERVGAP_GAP_PERCEPTION, SERVGAP_ALL, csat, 0.1),
                     SERVGAP_OK);
    servgap_result *r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 3);
    servgap_finding fk = must_find(r, A, k, email, SERVGAP_DIM_RELIABILITY, SERVGAP_GAP_KNOWLEDGE);
    servgap_finding fp = must_find(r, A, k, email, csat, SERVGAP_GAP_PERCEPTION);
    servgap_finding fd = must_find(r, A, d, email, hours, SERVGAP_GAP_DELIVERY);
    near(fk.impact, 55.03212081491044);
    near(fk.effort, 1.0);
    ck_assert_int_eq(fk.quadrant, SERVGAP_QUADRANT_QUICK_WIN);
    near(fd.impact, 69.33612743506346);
    ck_assert_int_eq(fd.quadrant, SERVGAP_QUADRANT_MAJOR_PROJECT);
    near(fp.impact, 23.207944168063896);
    near(fp.effort, 0.1);
    near(fp.priority, 232.07944168063895);
    ck_assert_int_eq(fp.quadrant, SERVGAP_QUADRANT_FILL_IN);
    /* Quadrant order: the quick win first; then the major project, whose
     * impact is three times the fill-in's, even against a priority of 232
     * (a low-impact fill-in does not outrank a high-impact project). */
    ck_assert_int_eq(fk.rank, 1);
    ck_assert_int_eq(fd.rank, 2);
    ck_assert_int_eq(fp.rank, 3);
    servgap_result_free(r);
    /* 1.1 put quick wins first, then every other finding by priority. */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_PRIORITIES, SERVGAP_PRIORITIES_1_1),
                     SERVGAP_OK);
    r = query_everything(ctx);
    fk = must_find(r, A, k, email, SERVGAP_DIM_RELIABILITY, SERVGAP_GAP_KNOWLEDGE);
    fp = must_find(r, A, k, email, csat, SERVGAP_GAP_PERCEPTION);
    fd = must_find(r, A, d, email, hours, SERVGAP_GAP_DELIVERY);
    ck_assert_int_eq(fk.rank, 1);
    ck_assert_int_eq(fp.rank, 2);
    ck_assert_int_eq(fd.rank, 3);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Efforts                                                                 */
/* ---------------------------------------------------------------------- */

static double effort_of(servgap_ctx *ctx, int32_t gap, int32_t tp, int32_t metric)
{
    double e = -1.0;
    ck_assert_int_eq(servgap_effort_get(ctx, gap, tp, metric, &e), SERVGAP_OK);
    return e;
}

START_TEST(test_effort_defaults)
{
    servgap_ctx *ctx = new_ctx();
    int32_t tp = touchpoint(ctx, "email");
    const double want[SERVGAP_GAP_COUNT] = {3, 2, 3, 4, 2, 2, 3};
    for (int32_t g = 0; g < SERVGAP_GAP_COUNT; g++) {
        near(effort_of(ctx, g, tp, SERVGAP_DIM_EMPATHY), want[g]);
        near(effort_of(ctx, g, SERVGAP_ALL, SERVGAP_ALL), want[g]);
    }
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_effort_wildcards)
{
    servgap_ctx *ctx = new_ctx();
    int32_t t1 = touchpoint(ctx, "email"), t2 = touchpoint(ctx, "chat");
    const int32_t K = SERVGAP_GAP_KNOWLEDGE, D = SERVGAP_GAP_DELIVERY, ALL = SERVGAP_ALL;
    const int32_t m1 = SERVGAP_DIM_RELIABILITY, m2 = SERVGAP_DIM_EMPATHY;
    ck_assert_int_eq(servgap_effort_set(ctx, ALL, ALL, ALL, 5.0), SERVGAP_OK); /* score 0 */
    ck_assert_int_eq(servgap_effort_set(ctx, ALL, t1, m1, 4.5), SERVGAP_OK);   /* 3 */
    ck_assert_int_eq(servgap_effort_set(ctx, K, ALL, ALL, 1.5), SERVGAP_OK);   /* 4 */
    ck_assert_int_eq(servgap_effort_set(ctx, K, t1, ALL, 3.5), SERVGAP_OK);    /* 5 */
    ck_assert_int_eq(servgap_effort_set(ctx, K, ALL, m1, 2.5), SERVGAP_OK);    /* 6 */
    near(effort_of(ctx, K, t1, m1), 2.5); /* gap + metric beats gap + touchpoint */
    near(effort_of(ctx, K, t2, m1), 2.5);
    near(effort_of(ctx, K, t1, m2), 3.5);   /* gap + touchpoint */
    near(effort_of(ctx, K, t2, m2), 1.5);   /* gap alone */
    near(effort_of(ctx, K, ALL, ALL), 1.5); /* the roll-ups match wildcards only */
    near(effort_of(ctx, D, t1, m1), 4.5);   /* touchpoint + metric beat nothing */
    near(effort_of(ctx, D, t2, m1), 5.0);
    near(effort_of(ctx, D, ALL, m1), 5.0);
    /* A gap match (4) outranks touchpoint and metric together (3). */
    ck_assert_int_eq(servgap_effort_set(ctx, D, ALL, ALL, 0.5), SERVGAP_OK);
    near(effort_of(ctx, D, t1, m1), 0.5);
    /* The fully specific key beats everything; setting it again replaces. */
    ck_assert_int_eq(servgap_effort_set(ctx, K, t1, m1, 9.0), SERVGAP_OK);
    near(effort_of(ctx, K, t1, m1), 9.0);
    ck_assert_int_eq(servgap_effort_set(ctx, K, t1, m1, 0.25), SERVGAP_OK);
    near(effort_of(ctx, K, t1, m1), 0.25);
    ck_assert_int_eq(servgap_effort_set(ctx, ALL, ALL, ALL, 7.0), SERVGAP_OK);
    near(effort_of(ctx, SERVGAP_GAP_SERVICE, t2, m2), 7.0);
    /* The order of setting does not matter. */
    servgap_ctx *ctx2 = new_ctx();
    touchpoint(ctx2, "email");
    touchpoint(ctx2, "chat");
    ck_assert_int_eq(servgap_effort_set(ctx2, K, ALL, m1, 2.5), SERVGAP_OK);
    ck_assert_int_eq(servgap_effort_set(ctx2, K, t1, ALL, 3.5), SERVGAP_OK);
    ck_assert_int_eq(servgap_effort_set(ctx2, K, ALL, ALL, 1.5), SERVGAP_OK);
    near(effort_of(ctx2, K, t1, m1), 2.5);
    near(effort_of(ctx2, K, t1, m2), 3.5);
    servgap_ctx_free(ctx2);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_effort_errors)
{
    servgap_ctx *ctx = new_ctx();
    int32_t tp = touchpoint(ctx, "email");
    const int32_t ALL = SERVGAP_ALL, K = SERVGAP_GAP_KNOWLEDGE, m = SERVGAP_DIM_EMPATHY;
    double e = -1.0;
    ck_assert_int_eq(servgap_effort_set(NULL, K, tp, m, 1.0), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_effort_get(NULL, K, tp, m, &e), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_effort_get(ctx, K, tp, m, NULL), SERVGAP_EMISUSE);
    ck_assert(errmsg_has(ctx, "servgap_effort_get") && errmsg_has(ctx, "effort"));
    const int32_t bad_gaps[] = {SERVGAP_GAP_COUNT, -1, 99, INT32_MIN};
    for (size_t i = 0; i < sizeof bad_gaps / sizeof *bad_gaps; i++) {
        ck_assert_int_eq(servgap_effort_set(ctx, bad_gaps[i], tp, m, 1.0), SERVGAP_EINVAL);
        ck_assert(errmsg_has(ctx, "servgap_effort_set") && errmsg_has(ctx, "gap"));
        ck_assert_int_eq(servgap_effort_get(ctx, bad_gaps[i], tp, m, &e), SERVGAP_EINVAL);
        ck_assert(errmsg_has(ctx, "servgap_effort_get") && errmsg_has(ctx, "gap"));
    }
    /* A finding always has a gap type: no wildcard when asking. */
    ck_assert_int_eq(servgap_effort_get(ctx, ALL, tp, m, &e), SERVGAP_EINVAL);
    ck_assert(errmsg_has(ctx, "gap"));
    const int32_t bad_tps[] = {1, SERVGAP_ANY, -3, INT32_MAX};
    for (size_t i = 0; i < sizeof bad_tps / sizeof *bad_tps; i++) {
        ck_assert_int_eq(servgap_effort_set(ctx, K, bad_tps[i], m, 1.0), SERVGAP_ENOTFOUND);
        ck_assert(errmsg_has(ctx, "touchpoint"));
        ck_assert_int_eq(servgap_effort_get(ctx, K, bad_tps[i], m, &e), SERVGAP_ENOTFOUND);
        ck_assert(errmsg_has(ctx, "touchpoint"));
    }
    const int32_t bad_metrics[] = {5, -1, -3, INT32_MAX};
    for (size_t i = 0; i < sizeof bad_metrics / sizeof *bad_metrics; i++) {
        ck_assert_int_eq(servgap_effort_set(ctx, K, tp, bad_metrics[i], 1.0), SERVGAP_ENOTFOUND);
        ck_assert(errmsg_has(ctx, "metric"));
        ck_assert_int_eq(servgap_effort_get(ctx, K, tp, bad_metrics[i], &e), SERVGAP_ENOTFOUND);
        ck_assert(errmsg_has(ctx, "metric"));
    }
    const double bad_efforts[] = {0.0, -0.0, -1.0, NAN, INFINITY, -INFINITY, 1e-300, 1e-320, 1e16};
    for (size_t i = 0; i < sizeof bad_efforts / sizeof *bad_efforts; i++) {
        ck_assert_int_eq(servgap_effort_set(ctx, K, tp, m, bad_efforts[i]), SERVGAP_ERANGE);
        ck_assert(errmsg_has(ctx, "effort"));
    }
    /* Failed calls changed nothing; e was not written. */
    near(e, -1.0);
    near(effort_of(ctx, K, tp, m), 2.0);
    /* The limits themselves are accepted (tests/test_numbers.c has them). */
    ck_assert_int_eq(servgap_effort_set(ctx, K, tp, m, SERVGAP_EFFORT_MIN), SERVGAP_OK);
    ck_assert(effort_of(ctx, K, tp, m) == SERVGAP_EFFORT_MIN);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Options                                                                 */
/* ---------------------------------------------------------------------- */

START_TEST(test_option_defaults_and_ranges)
{
    servgap_ctx *ctx = new_ctx();
    const struct {
        int32_t id;
        double def, ok, bad[4];
        int nbad;
    } o[] = {
        {SERVGAP_OPT_WEIGHT_SIZE, 1, 0.5, {-0.1, NAN, INFINITY}, 3},
        {SERVGAP_OPT_WEIGHT_VALUE, 1, 2, {-1, NAN, -INFINITY}, 3},
        {SERVGAP_OPT_WEIGHT_FREQUENCY, 1, 0, {-1e-9, NAN}, 2},
        {SERVGAP_OPT_PERSIST_BOOST, 1, 0, {-0.5, NAN, INFINITY}, 3},
        {SERVGAP_OPT_WINDOWS, 3, 52, {0, 53, 2.5, -1}, 4},
        {SERVGAP_OPT_WINDOW_DAYS, 30, 366, {0, 367, 7.5, NAN}, 4},
        {SERVGAP_OPT_IMPACT_CUT, 25, 100, {-1, 100.5, NAN}, 3},
        {SERVGAP_OPT_EFFORT_CUT, 3, 1e-9, {0, -1, INFINITY, NAN}, 4},
        {SERVGAP_OPT_IPA_CROSSHAIR,
         SERVGAP_CROSSHAIR_MIDPOINT,
         SERVGAP_CROSSHAIR_CUSTOM,
         {0, 5, 1.5, NAN},
         4},
        {SERVGAP_OPT_IPA_IMPORTANCE, 20, 0, {-1, 100.1, NAN}, 3},
        {SERVGAP_OPT_IPA_PERFORMANCE, 4, -3.5, {NAN, INFINITY, -INFINITY}, 3},
        {SERVGAP_OPT_LOOKBACK_DAYS, 365, 3660, {0, 3661, 30.5, NAN}, 4},
        {SERVGAP_OPT_TREND_WINDOWS, 12, 1, {0, 53, 1.5, -1}, 4},
        {SERVGAP_OPT_DECLARATIONS,
         SERVGAP_DECLARE_STANDING,
         SERVGAP_DECLARE_IN_WINDOW,
         {0, 3, 1.5, NAN},
         4},
        {SERVGAP_OPT_PRIORITIES,
         SERVGAP_PRIORITIES_GROUPED,
         SERVGAP_PRIORITIES_1_1,
         {0, 3, 1.5, NAN},
         4},
        {SERVGAP_OPT_REPORT_LEVEL, SERVGAP_LEVEL_FULL, SERVGAP_LEVEL_SUMMARY, {0, 3, 1.5, NAN}, 4},
        {SERVGAP_OPT_THREADS, 1, 0, {-1, 257, 2.5, NAN}, 4},
    };
    for (size_t i = 0; i < sizeof o / sizeof *o; i++) {
        double v = -99;
        ck_assert_int_eq(servgap_ctx_get_option(ctx, o[i].id, &v), SERVGAP_OK);
        near(v, o[i].def);
        for (int k = 0; k < o[i].nbad; k++) {
            ck_assert_int_eq(servgap_ctx_set_option(ctx, o[i].id, o[i].bad[k]), SERVGAP_ERANGE);
            ck_assert(errmsg_has(ctx, "servgap_ctx_set_option"));
            ck_assert_int_eq(servgap_ctx_get_option(ctx, o[i].id, &v), SERVGAP_OK);
            near(v, o[i].def);
        }
        ck_assert_int_eq(servgap_ctx_set_option(ctx, o[i].id, o[i].ok), SERVGAP_OK);
        ck_assert_int_eq(servgap_ctx_get_option(ctx, o[i].id, &v), SERVGAP_OK);
        near(v, o[i].ok);
        ck_assert_int_eq(servgap_ctx_set_option(ctx, o[i].id, o[i].def), SERVGAP_OK);
    }
    /* The three impact weights cannot all be 0. */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_SIZE, 0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_VALUE, 0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_FREQUENCY, 0), SERVGAP_ERANGE);
    ck_assert(errmsg_has(ctx, "weights"));
    double v = -1;
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_WEIGHT_FREQUENCY, &v), SERVGAP_OK);
    near(v, 1.0);
    /* Unknown ids. */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, 0, 1.0), SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, 27, 1.0), SERVGAP_EINVAL);
    ck_assert(errmsg_has(ctx, "option"));
    ck_assert_int_eq(servgap_ctx_get_option(ctx, 27, &v), SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, -1, &v), SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_ctx_set_option(NULL, SERVGAP_OPT_WINDOWS, 3), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_WINDOWS, NULL), SERVGAP_EMISUSE);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_names)
{
    ck_assert_str_eq(servgap_quadrant_name(SERVGAP_QUADRANT_QUICK_WIN), "quick_win");
    ck_assert_str_eq(servgap_quadrant_name(SERVGAP_QUADRANT_MAJOR_PROJECT), "major_project");
    ck_assert_str_eq(servgap_quadrant_name(SERVGAP_QUADRANT_FILL_IN), "fill_in");
    ck_assert_str_eq(servgap_quadrant_name(SERVGAP_QUADRANT_THANKLESS), "thankless");
    ck_assert_str_eq(servgap_ipa_name(SERVGAP_IPA_CONCENTRATE), "concentrate_here");
    ck_assert_str_eq(servgap_ipa_name(SERVGAP_IPA_KEEP_UP), "keep_up_the_good_work");
    ck_assert_str_eq(servgap_ipa_name(SERVGAP_IPA_LOW_PRIORITY), "low_priority");
    ck_assert_str_eq(servgap_ipa_name(SERVGAP_IPA_OVERKILL), "possible_overkill");
    ck_assert_ptr_null(servgap_quadrant_name(0));
    ck_assert_ptr_null(servgap_ipa_name(5));
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Importance-Performance Analysis                                         */
/* ---------------------------------------------------------------------- */

/* Account "acme" by email: customers' points 10/30/20/25/15 over the five
 * dimensions (tangibles .. empathy), constant perceived scores
 * 5.0/3.0/4.0/6.0/3.5 on the built-in 1..7 items, expectations 7. */
static const double ipa_points[5] = {10, 30, 20, 25, 15};
static const double ipa_perf[5] = {5.0, 3.0, 4.0, 6.0, 3.5};

static servgap_ctx *ipa_data(int32_t *acme, int32_t *email)
{
    servgap_ctx *ctx = new_ctx();
    *acme = account(ctx, "acme", NULL, 1.0);
    account(ctx, "no_weights", NULL, 1.0);
    *email = touchpoint(ctx, "email");
    for (int32_t d = 0; d < SERVGAP_DIM_COUNT; d++)
        for (int i = 0; i < 5; i++) {
            for (int32_t a = 0; a < 2; a++) {
                rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, *email, d, SERVGAP_VP_EXPECTED, 7.0, T0);
                rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, *email, d, SERVGAP_VP_PERCEIVED, ipa_perf[d],
                    T0);
            }
        }
    ck_assert_int_eq(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, *acme,
                                            SERVGAP_WHOSE_CUSTOMER, ipa_points),
                     SERVGAP_OK);
    return ctx;
}

/* Check the five email rows of acme against the expected quadrants. */
static void ipa_check(servgap_ctx *ctx, int32_t acme, int32_t email, double ci, double cp,
                      const int32_t *want)
{
    servgap_result *r = query_everything(ctx);
    size_t n = servgap_result_count(r, SERVGAP_TABLE_IPA);
    /* acme by email and over all touchpoints; nothing for no_weights. */
    ck_assert_uint_eq(n, 10);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
        servgap_ipa row = {.size = sizeof row};
        ck_assert_int_eq(servgap_result_ipa(r, i, &row), SERVGAP_OK);
        ck_assert_int_eq(row.scope_kind, SERVGAP_SCOPE_ACCOUNT);
        ck_assert_int_eq(row.scope_id, acme);
        ck_assert(row.touchpoint == email || row.touchpoint == SERVGAP_ALL);
        int32_t d = row.dimension;
        ck_assert(d >= 0 && d < SERVGAP_DIM_COUNT);
        near(row.importance, ipa_points[d]);
        near(row.performance, ipa_perf[d]);
        near(row.importance_cross, ci);
        near(row.performance_cross, cp);
        ck_assert_msg(row.quadrant == want[d], "dimension %d: quadrant %d, want %d", (int)d,
                      (int)row.quadrant, (int)want[d]);
        if (row.touchpoint == email)
            seen |= 1 << d;
    }
    ck_assert_int_eq(seen, 0x1f);
    servgap_ipa row = {.size = sizeof row};
    ck_assert_int_eq(servgap_result_ipa(r, n, &row), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_ipa(NULL, 0, &row), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_ipa(r, 0, NULL), SERVGAP_EMISUSE);
    servgap_result_free(r);
}

enum {
    IC = SERVGAP_IPA_CONCENTRATE,
    IK = SERVGAP_IPA_KEEP_UP,
    IL = SERVGAP_IPA_LOW_PRIORITY,
    IO = SERVGAP_IPA_OVERKILL
};

START_TEST(test_ipa_midpoint)
{
    int32_t acme, email;
    servgap_ctx *ctx = ipa_data(&acme, &email);
    /* Crosshair (20, 4): responsiveness (20, 4.0) sits on both lines and
     * goes to the high side of each: keep up the good work. */
    const int32_t want[5] = {IO, IC, IK, IK, IL};
    ipa_check(ctx, acme, email, 20.0, 4.0, want);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_ipa_mean)
{
    int32_t acme, email;
    servgap_ctx *ctx = ipa_data(&acme, &email);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_IPA_CROSSHAIR, SERVGAP_CROSSHAIR_MEAN),
                     SERVGAP_OK);
    /* Means: 100 / 5 = 20 points; (5 + 3 + 4 + 6 + 3.5) / 5 = 4.3. */
    const int32_t want[5] = {IO, IC, IC, IK, IL};
    ipa_check(ctx, acme, email, 20.0, 4.3, want);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_ipa_median)
{
    int32_t acme, email;
    servgap_ctx *ctx = ipa_data(&acme, &email);
    ck_assert_int_eq(
        servgap_ctx_set_option(ctx, SERVGAP_OPT_IPA_CROSSHAIR, SERVGAP_CROSSHAIR_MEDIAN),
        SERVGAP_OK);
    /* Medians of 10 15 20 25 30 and 3 3.5 4 5 6: (20, 4). */
    const int32_t want[5] = {IO, IC, IK, IK, IL};
    ipa_check(ctx, acme, email, 20.0, 4.0, want);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_ipa_custom)
{
    int32_t acme, email;
    servgap_ctx *ctx = ipa_data(&acme, &email);
    ck_assert_int_eq(
        servgap_ctx_set_option(ctx, SERVGAP_OPT_IPA_CROSSHAIR, SERVGAP_CROSSHAIR_CUSTOM),
        SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_IPA_IMPORTANCE, 25.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_IPA_PERFORMANCE, 5.0), SERVGAP_OK);
    /* (25, 5): assurance's 25 points and tangibles' 5.0 are ties. */
    const int32_t want[5] = {IO, IC, IL, IK, IL};
    ipa_check(ctx, acme, email, 25.0, 5.0, want);
    servgap_ctx_free(ctx);
}
END_TEST

static void ipa_rec(servgap_ctx *ctx, int32_t a, int32_t tp, int32_t metric, double e, double p)
{
    for (int i = 0; i < 5; i++) {
        rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, metric, SERVGAP_VP_EXPECTED, e, T0);
        rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, metric, SERVGAP_VP_PERCEIVED, p, T0);
    }
}

START_TEST(test_ipa_median_even_and_scales)
{
    /* Account a: four dimensions, empathy measured in unbounded hours.
     * Account b: tangibles mixes a 1..7 and a 1..5 item, so it has no
     * perceived mean on one scale and no place on the grid. */
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "a", NULL, 1.0), b = account(ctx, "b", NULL, 1.0);
    int32_t email = touchpoint(ctx, "email");
    int32_t wait = -1, tang5 = -1;
    ck_assert_int_eq(servgap_metric_define(ctx, "wait_hours", SERVGAP_DIM_EMPATHY,
                                           SERVGAP_LOWER_IS_BETTER, 0.0, INFINITY, 24.0, "h",
                                           &wait),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(ctx, "tangibles5", SERVGAP_DIM_TANGIBLES,
                                           SERVGAP_HIGHER_IS_BETTER, 1.0, 5.0, 0.0, "", &tang5),
                     SERVGAP_OK);
    ipa_rec(ctx, a, email, SERVGAP_DIM_TANGIBLES, 7.0, 2.0);
    ipa_rec(ctx, a, email, SERVGAP_DIM_RELIABILITY, 7.0, 3.0);
    ipa_rec(ctx, a, email, SERVGAP_DIM_RESPONSIVENESS, 7.0, 5.0);
    ipa_rec(ctx, a, email, wait, 1.0, 2.0);
    ipa_rec(ctx, b, email, SERVGAP_DIM_TANGIBLES, 7.0, 2.0);
    ipa_rec(ctx, b, email, tang5, 5.0, 2.0);
    ipa_rec(ctx, b, email, SERVGAP_DIM_RELIABILITY, 7.0, 3.0);
    const double points[5] = {10, 40, 20, 10, 20};
    for (int32_t s = 0; s < 2; s++)
        ck_assert_int_eq(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, s ? b : a,
                                                SERVGAP_WHOSE_CUSTOMER, points),
                         SERVGAP_OK);
    /* Midpoint: hours have no midpoint: a's empathy has no row; b has
     * reliability only. Two touchpoint rows (email, all) each. */
    servgap_result *r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_IPA), 8);
    for (size_t i = 0; i < 8; i++) {
        servgap_ipa row = {.size = sizeof row};
        ck_assert_int_eq(servgap_result_ipa(r, i, &row), SERVGAP_OK);
        if (row.scope_id == a)
            ck_assert_int_ne(row.dimension, SERVGAP_DIM_EMPATHY);
        else
            ck_assert_int_eq(row.dimension, SERVGAP_DIM_RELIABILITY);
    }
    servgap_result_free(r);
    /* Median over a's four rows: importance 10 20 20 40 gives 20,
     * performance 2 2 3 5 gives 2.5 (the mean of the middle two). b's one
     * row is its own crosshair, a tie on both lines: keep up. */
    ck_assert_int_eq(
        servgap_ctx_set_option(ctx, SERVGAP_OPT_IPA_CROSSHAIR, SERVGAP_CROSSHAIR_MEDIAN),
        SERVGAP_OK);
    r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_IPA), 10);
    const int32_t want[5] = {IL, IK, IK, -1, IC};
    for (size_t i = 0; i < 10; i++) {
        servgap_ipa row = {.size = sizeof row};
        ck_assert_int_eq(servgap_result_ipa(r, i, &row), SERVGAP_OK);
        if (row.scope_id == b) {
            ck_assert_int_eq(row.dimension, SERVGAP_DIM_RELIABILITY);
            near(row.importance_cross, 40.0);
            near(row.performance_cross, 3.0);
            ck_assert_int_eq(row.quadrant, IK);
            continue;
        }
        near(row.importance_cross, 20.0);
        near(row.performance_cross, 2.5);
        ck_assert_int_eq(row.quadrant, want[row.dimension]);
    }
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_ipa_respondent_weights)
{
    /* Two respondents' own points: the mean allocation is the importance. */
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "a", NULL, 1.0);
    int32_t email = touchpoint(ctx, "email");
    const int32_t metrics[5] = {0, 1, 2, 3, 4};
    const double e[5] = {7, 7, 7, 7, 7}, p[5] = {5, 3, 4, 6, 3.5};
    const double w1[5] = {10, 40, 20, 20, 10}, w2[5] = {30, 20, 20, 20, 10};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, a, email, T0,
                                                 SERVGAP_NONE, 0, 5, metrics, e, NULL, p, w1),
                         SERVGAP_OK);
        ck_assert_int_eq(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, a, email, T0,
                                                 SERVGAP_NONE, 0, 5, metrics, e, NULL, p, w2),
                         SERVGAP_OK);
    }
    servgap_result *r = query_everything(ctx);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_IPA), 10);
    /* Mean points 20 30 20 20 10; crosshair (20, 4). */
    const double imp[5] = {20, 30, 20, 20, 10};
    const int32_t want[5] = {IK, IC, IK, IK, IL};
    for (size_t i = 0; i < 10; i++) {
        servgap_ipa row = {.size = sizeof row};
        ck_assert_int_eq(servgap_result_ipa(r, i, &row), SERVGAP_OK);
        near(row.importance, imp[row.dimension]);
        ck_assert_int_eq(row.quadrant, want[row.dimension]);
    }
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Monotonicity of impact on randomized findings                           */
/* ---------------------------------------------------------------------- */

static uint64_t rng_state;

static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* The documented formula, written out independently of the library. */
static double doc_impact(const servgap_finding *f, const double w[3], double boost, int k)
{
    double W = w[0] + w[1] + w[2];
    double x = 100.0 * pow(f->size_term, w[0] / W) * pow(f->value_share, w[1] / W) *
               pow(f->frequency, w[2] / W);
    if (f->gap == SERVGAP_GAP_COMMUNICATION && f->windows == k)
        x *= 1.0 + boost;
    return fmin(x, 100.0);
}

/* Random accounts, values, touchpoints and gaps of random size. */
static servgap_ctx *random_findings(void)
{
    servgap_ctx *ctx = new_ctx();
    char name[32];
    int32_t tp[3], acc[12];
    tp[0] = touchpoint(ctx, "email");
    tp[1] = touchpoint(ctx, "chat");
    tp[2] = touchpoint(ctx, "phone");
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "acc%d", i);
        acc[i] = account(ctx, name, i % 3 ? "t1" : "t2", 1.0 + floor(1000.0 * uniform()));
    }
    const int32_t vps[4][2] = {{SERVGAP_VP_STANDARD, SERVGAP_VP_DELIVERED},
                               {SERVGAP_VP_PROMISED, SERVGAP_VP_DELIVERED},
                               {SERVGAP_VP_DELIVERED, SERVGAP_VP_PERCEIVED},
                               {SERVGAP_VP_BELIEVED, SERVGAP_VP_STANDARD}};
    for (int i = 0; i < 12; i++) {
        for (int k = 0; k < 3; k++) {
            if (uniform() < 0.3)
                continue;
            int32_t m = (int32_t)(uniform() * 5.0), kind = (int32_t)(uniform() * 4.0);
            double up = 6.0, down = 6.0 - 0.2 - 4.0 * uniform();
            int n = 5 + (int)(uniform() * 20.0);
            int64_t t = T0 + (int64_t)(uniform() * 90.0) * DAY;
            rec(ctx, SERVGAP_SCOPE_ACCOUNT, acc[i], tp[k], m, vps[kind][0], up, t);
            for (int j = 0; j < n; j++)
                rec(ctx, SERVGAP_SCOPE_ACCOUNT, acc[i], tp[k], m, vps[kind][1],
                    fmin(7.0, fmax(1.0, down + 0.2 * (uniform() - 0.5))), t);
        }
    }
    return ctx;
}

/* The member finding m repeats its root t: t is the tier finding of m's
 * account's tier, at the same touchpoint and metric (or dimension
 * roll-up), of the same gap type and no-standard flag. */
static void check_repeats(servgap_ctx *ctx, const servgap_finding *m, const servgap_finding *t)
{
    servgap_account info = {.size = sizeof info};
    ck_assert_int_eq(m->scope_kind, SERVGAP_SCOPE_ACCOUNT);
    ck_assert_int_eq(servgap_account_info(ctx, m->scope_id, &info), SERVGAP_OK);
    ck_assert_int_eq(t->scope_kind, SERVGAP_SCOPE_TIER);
    ck_assert_int_eq(t->scope_id, info.tier);
    ck_assert(t->touchpoint == m->touchpoint && t->metric == m->metric &&
              t->dimension == m->dimension && t->gap == m->gap);
    ck_assert_uint_eq(t->flags & SERVGAP_FINDING_NO_STANDARD,
                      m->flags & SERVGAP_FINDING_NO_STANDARD);
}

/* The documented order (docs/priorities.md, section 8): the roots and
 * independent findings first, in quadrant order, then by priority; then
 * the members, group by group in their roots' order, each group in the
 * same order. Each root counts its members and their value. Returns the
 * number of members. */
static size_t check_rank_order(servgap_ctx *ctx, const servgap_result *r, size_t n)
{
    size_t roots = 0;
    while (roots < n && finding(r, roots).root == UINT64_MAX)
        roots++;
    for (size_t i = 0; i < n; i++) {
        servgap_finding a = finding(r, i), t, prev;
        ck_assert_int_eq(a.rank, (int)i + 1);
        if (i >= roots) {
            ck_assert_uint_lt(a.root, roots);
            t = finding(r, (size_t)a.root);
            check_repeats(ctx, &a, &t);
        }
        if (i == 0 || i == roots)
            continue;
        prev = finding(r, i - 1);
        if (prev.root != a.root) {
            ck_assert_uint_lt(prev.root, a.root);
            continue;
        }
        ck_assert_int_le(prev.quadrant, a.quadrant);
        if (prev.quadrant == a.quadrant)
            ck_assert(prev.priority >= a.priority);
    }
    for (size_t i = 0; i < roots; i++) {
        int64_t members = 0;
        double value = 0.0;
        for (size_t j = roots; j < n; j++) {
            servgap_finding m = finding(r, j);
            members += m.root == i;
            value += m.root == i ? m.affected_value : 0.0;
        }
        servgap_finding t = finding(r, i);
        ck_assert_int_eq(t.members, members);
        near(t.members_value, value);
    }
    return n - roots;
}

START_TEST(test_impact_monotone_randomized)
{
    size_t members = 0;
    rng_state = 20260101u;
    for (int round = 0; round < 8; round++) {
        servgap_ctx *ctx = random_findings();
        double w[3];
        const int32_t wid[3] = {SERVGAP_OPT_WEIGHT_SIZE, SERVGAP_OPT_WEIGHT_VALUE,
                                SERVGAP_OPT_WEIGHT_FREQUENCY};
        for (int k = 0; k < 3; k++) {
            w[k] = round == 0 ? 1.0 : (uniform() < 0.2 ? 0.0 : 0.1 + 3.0 * uniform());
            if (k == 2 && w[0] + w[1] + w[2] == 0.0)
                w[2] = 1.0;
            ck_assert_int_eq(servgap_ctx_set_option(ctx, wid[k], w[k]), SERVGAP_OK);
        }
        double boost = round == 0 ? 1.0 : 2.0 * uniform();
        ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_PERSIST_BOOST, boost), SERVGAP_OK);
        servgap_result *r = query_everything(ctx);
        size_t n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
        ck_assert_uint_gt(n, 10);
        double total = 0.0;
        for (int32_t a = 0; a < 12; a++) {
            servgap_account info = {.size = sizeof info};
            ck_assert_int_eq(servgap_account_info(ctx, a, &info), SERVGAP_OK);
            total += info.value;
        }
        size_t pairs = 0;
        for (size_t i = 0; i < n; i++) {
            servgap_finding a = finding(r, i);
            near(a.size_term, fmin(1.0, fabs(a.normalized)));
            near(a.value_share, a.affected_value / total);
            ck_assert(a.frequency > 0.0 && a.frequency <= 1.0);
            near(a.impact, doc_impact(&a, w, boost, 3));
            near(a.priority, a.impact / a.effort);
            for (size_t j = 0; j < n; j++) {
                servgap_finding b = finding(r, j);
                int boosted_a = a.gap == SERVGAP_GAP_COMMUNICATION && a.windows == 3;
                int boosted_b = b.gap == SERVGAP_GAP_COMMUNICATION && b.windows == 3;
                if (a.size_term >= b.size_term && a.value_share >= b.value_share &&
                    a.frequency >= b.frequency && boosted_a >= boosted_b) {
                    ck_assert(a.impact >= b.impact);
                    pairs++;
                }
            }
        }
        ck_assert_uint_gt(pairs, n);
        members += check_rank_order(ctx, r, n);
        servgap_result_free(r);
        servgap_ctx_free(ctx);
    }
    /* Accounts' gaps pool into their tiers', so some repeat them. */
    ck_assert_uint_gt(members, 8);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Allocation failures                                                     */
/* ---------------------------------------------------------------------- */

START_TEST(test_allocation_failures)
{
    test_alloc cnt = {0}; /* fails its call number fail_at (helpers.h) */
    servgap_allocator al = test_allocator(&cnt);
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &al), SERVGAP_OK);
    seed1 d;
    seed1_build(&d, ctx);
    ck_assert_int_eq(servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, SERVGAP_ALL, SERVGAP_ALL, 3.5),
                     SERVGAP_OK);
    long base = cnt.live;
    int ok = 0;
    for (long k = 0; k < 100000 && !ok; k++) {
        cnt.calls = 0;
        cnt.fail_at = k + 1;
        servgap_result *r = NULL;
        int rc = servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r);
        cnt.fail_at = 0;
        if (rc == SERVGAP_OK) {
            ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 12);
            servgap_result_free(r);
            ok = 1;
        } else {
            ck_assert_int_eq(rc, SERVGAP_ENOMEM);
            ck_assert_ptr_null(r);
        }
        ck_assert_int_eq(cnt.live, base);
    }
    ck_assert(ok);
    /* Setting an effort that needs to grow the table. */
    for (long k = 0;; k++) {
        cnt.calls = 0;
        cnt.fail_at = k + 1;
        int rc = servgap_effort_set(ctx, SERVGAP_GAP_KNOWLEDGE, d.email, d.hours, 1.0 + (double)k);
        cnt.fail_at = 0;
        if (rc == SERVGAP_OK)
            break;
        ck_assert_int_eq(rc, SERVGAP_ENOMEM);
        near(effort_of(ctx, SERVGAP_GAP_KNOWLEDGE, d.email, d.hours), 2.0);
    }
    servgap_ctx_free(ctx);
    ck_assert_int_eq(cnt.live, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("priorities");
    TCase *tc = tcase_create("findings");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_worked_example);
    tcase_add_test(tc, test_rollup_finding_persists);
    tcase_add_test(tc, test_no_account_value);
    tcase_add_test(tc, test_enterprise_delivery_beats_minor_perception);
    tcase_add_test(tc, test_finding_accounts);
    tcase_add_test(tc, test_tier_wide_cell_affects_whole_tier);
    tcase_add_test(tc, test_tier_affected_accounts);
    tcase_add_test(tc, test_promise_affects_promised_accounts);
    tcase_add_test(tc, test_borrowed_gap_is_the_tiers_only);
    tcase_add_test(tc, test_tier_without_accounts);
    tcase_add_test(tc, test_service_only_when_unexplained);
    tcase_add_test(tc, test_rollup_raises_what_cells_cannot);
    tcase_add_test(tc, test_no_standard_defined);
    tcase_add_test(tc, test_no_standard_as_1_1);
    tcase_add_test(tc, test_no_standard_without_delivery);
    tcase_add_test(tc, test_persistent_communication);
    tcase_add_test(tc, test_persistence_ends_at_now);
    tcase_add_test(tc, test_knowledge_quick_win_first);
    tcase_add_test(tc, test_impact_monotone_randomized);
    tcase_add_test(tc, test_allocation_failures);
    suite_add_tcase(s, tc);
    TCase *te = tcase_create("efforts_and_options");
    tcase_add_test(te, test_effort_defaults);
    tcase_add_test(te, test_effort_wildcards);
    tcase_add_test(te, test_effort_errors);
    tcase_add_test(te, test_option_defaults_and_ranges);
    tcase_add_test(te, test_names);
    suite_add_tcase(s, te);
    TCase *ti = tcase_create("ipa");
    tcase_add_test(ti, test_ipa_midpoint);
    tcase_add_test(ti, test_ipa_mean);
    tcase_add_test(ti, test_ipa_median);
    tcase_add_test(ti, test_ipa_custom);
    tcase_add_test(ti, test_ipa_median_even_and_scales);
    tcase_add_test(ti, test_ipa_respondent_weights);
    suite_add_tcase(s, ti);
    return run_suite(s);
}
