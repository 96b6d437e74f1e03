/*
 * test_triggers -- remediation plans, re-measurement, review triggers and
 * gap-persistence risk, through the public API only. Every expected number
 * is derived here by hand from the recorded data (the derivations are in
 * the comments; docs/remediation.md states the rules), never copied from
 * the library's output.
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

#define T0  INT64_C(1767225600) /* 2026-01-01 */
#define DAY INT64_C(86400)
#define TOL 1e-9

/* Reliability (metric 1) and empathy (metric 4) are built-in Likert 1..7
 * items: span 6, negative response below 1 + 0.4 * 6 = 3.4. */
#define REL SERVGAP_DIM_RELIABILITY
#define EMP SERVGAP_DIM_EMPATHY
#define EXP SERVGAP_VP_EXPECTED
#define PER SERVGAP_VP_PERCEIVED

static void rec(servgap_ctx *ctx, int32_t acc, int32_t tp, int32_t metric, int32_t vp, double v,
                int64_t time)
{
    ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, metric, vp, v, time,
                                    SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                     SERVGAP_OK);
}

static void rec_n(servgap_ctx *ctx, int32_t acc, int32_t tp, int32_t metric, int32_t vp,
                  const double *v, size_t n, int64_t time)
{
    for (size_t i = 0; i < n; i++)
        rec(ctx, acc, tp, metric, vp, v[i], time);
}

static const double seven[5] = {7, 7, 7, 7, 7};

static servgap_result *query_at(servgap_ctx *ctx, int64_t now, uint32_t flags)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query_at(ctx, SERVGAP_TIME_MIN, now, now, flags, &r), SERVGAP_OK);
    return r;
}

/* The trigger of (account, kind), if any. */
static int find_trigger(const servgap_result *r, int32_t acc, int32_t kind, servgap_trigger *t)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_TRIGGERS);
    for (size_t i = 0; i < n; i++) {
        t->size = sizeof *t;
        ck_assert_int_eq(servgap_result_trigger(r, i, t), SERVGAP_OK);
        if (t->account == acc && t->kind == kind)
            return 1;
    }
    return 0;
}

static int has_trigger(const servgap_result *r, int32_t acc, int32_t kind)
{
    servgap_trigger t;
    return find_trigger(r, acc, kind, &t);
}

static int option_set(servgap_ctx *ctx, int32_t opt, double v)
{
    return servgap_ctx_set_option(ctx, opt, v);
}

/* ---------------------------------------------------------------------- */
/* Plans                                                                   */
/* ---------------------------------------------------------------------- */

static servgap_plan plan_of(int32_t kind, int32_t scope, int32_t tp, int32_t metric, int32_t dim,
                            const char *owner, double target)
{
    servgap_plan p;
    memset(&p, 0, sizeof p);
    p.size = sizeof p;
    p.owner = owner;
    p.scope_kind = kind;
    p.scope_id = scope;
    p.touchpoint = tp;
    p.metric = metric;
    p.dimension = dim;
    p.gap = SERVGAP_GAP_SERVICE;
    p.deadline = T0 + 90 * DAY;
    p.target = target;
    p.last_outcome = 77; /* output fields are ignored on input */
    p.next_check = 12345;
    return p;
}

START_TEST(test_plan_add_info)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acme = account(ctx, "acme", "gold", 100.0);
    int32_t email = touchpoint(ctx, "email"), gold = -1;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TIER, "gold", &gold), SERVGAP_OK);
    int32_t count = -1, id0 = -1, id1 = -1, id2 = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &count), SERVGAP_OK);
    ck_assert_int_eq(count, 0);

    /* The caller's dimension is ignored for a metric cell: reliability's. */
    servgap_plan p = plan_of(SERVGAP_SCOPE_ACCOUNT, acme, email, REL, EMP, "dana", -0.5);
    ck_assert_int_eq(servgap_plan_add(ctx, &p, &id0), SERVGAP_OK);
    servgap_plan q = plan_of(SERVGAP_SCOPE_ACCOUNT, acme, SERVGAP_ALL, SERVGAP_ALL, EMP, "lee", 0);
    ck_assert_int_eq(servgap_plan_add(ctx, &q, &id1), SERVGAP_OK);
    char owner[8] = "dana"; /* the owner is copied: the caller's buffer may change */
    servgap_plan t = plan_of(SERVGAP_SCOPE_TIER, gold, email, REL, 0, owner, -1.25);
    ck_assert_int_eq(servgap_plan_add(ctx, &t, &id2), SERVGAP_OK);
    owner[0] = 'X';
    ck_assert_int_eq(id0, 0);
    ck_assert_int_eq(id1, 1);
    ck_assert_int_eq(id2, 2);
    ck_assert_int_eq(servgap_plan_count(ctx, &count), SERVGAP_OK);
    ck_assert_int_eq(count, 3);

    servgap_plan a = {.size = sizeof a}, b = {.size = sizeof b}, c = {.size = sizeof c};
    ck_assert_int_eq(servgap_plan_info(ctx, 0, &a), SERVGAP_OK);
    ck_assert_str_eq(a.owner, "dana");
    ck_assert_int_eq(a.scope_kind, SERVGAP_SCOPE_ACCOUNT);
    ck_assert_int_eq(a.scope_id, acme);
    ck_assert_int_eq(a.touchpoint, email);
    ck_assert_int_eq(a.metric, REL);
    ck_assert_int_eq(a.dimension, SERVGAP_DIM_RELIABILITY);
    ck_assert_int_eq(a.gap, SERVGAP_GAP_SERVICE);
    ck_assert(a.deadline == T0 + 90 * DAY);
    ck_assert(a.target == -0.5);
    ck_assert_int_eq(a.last_outcome, SERVGAP_OUTCOME_NONE);
    ck_assert(a.next_check == SERVGAP_TIME_NONE);
    ck_assert_int_eq(servgap_plan_info(ctx, 1, &b), SERVGAP_OK);
    ck_assert_str_eq(b.owner, "lee");
    ck_assert_int_eq(b.metric, SERVGAP_ALL);
    ck_assert_int_eq(b.dimension, EMP);
    ck_assert_int_eq(servgap_plan_info(ctx, 2, &c), SERVGAP_OK);
    ck_assert_str_eq(c.owner, "dana");
    ck_assert_ptr_eq(c.owner, a.owner); /* one interned owner name */
    ck_assert_int_eq(c.scope_kind, SERVGAP_SCOPE_TIER);
    ck_assert(c.target == -1.25);
    ck_assert_str_eq(servgap_outcome_name(SERVGAP_OUTCOME_WORSENED), "worsened");
    servgap_ctx_free(ctx);
}
END_TEST

static void add_fails(servgap_ctx *ctx, const servgap_plan *p, int code)
{
    int32_t id = 99, before = -1, after = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &before), SERVGAP_OK);
    ck_assert_int_eq(servgap_plan_add(ctx, p, &id), code);
    ck_assert_int_eq(id, 99);
    ck_assert_int_eq(servgap_errcode(ctx), code);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "servgap_plan_add"));
    ck_assert_int_eq(servgap_plan_count(ctx, &after), SERVGAP_OK);
    ck_assert_int_eq(after, before);
}

START_TEST(test_plan_errors)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acme = account(ctx, "acme", "gold", 100.0);
    int32_t email = touchpoint(ctx, "email"), id = -1, count = -1;
    const servgap_plan ok = plan_of(SERVGAP_SCOPE_ACCOUNT, acme, email, REL, 0, "dana", -0.5);
    servgap_plan p = ok;
    ck_assert_int_eq(servgap_plan_add(NULL, &p, &id), SERVGAP_EMISUSE);
    add_fails(ctx, NULL, SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_plan_add(ctx, &p, NULL), SERVGAP_EMISUSE);
    p.size = offsetof(servgap_plan, next_check) + sizeof p.next_check - 1; /* below 1.0 */
    add_fails(ctx, &p, SERVGAP_EMISUSE);
    p = ok, p.owner = NULL;
    add_fails(ctx, &p, SERVGAP_EMISUSE);
    p = ok, p.owner = "";
    add_fails(ctx, &p, SERVGAP_EINVAL);
    p = ok, p.owner = "\xff\xfe";
    add_fails(ctx, &p, SERVGAP_EINVAL);
    char longname[300];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    p = ok, p.owner = longname;
    add_fails(ctx, &p, SERVGAP_EINVAL);
    p = ok, p.scope_kind = 3;
    add_fails(ctx, &p, SERVGAP_EINVAL);
    p = ok, p.gap = SERVGAP_GAP_COUNT;
    add_fails(ctx, &p, SERVGAP_EINVAL);
    p = ok, p.gap = -1;
    add_fails(ctx, &p, SERVGAP_EINVAL);
    p = ok, p.metric = SERVGAP_ALL, p.dimension = SERVGAP_DIM_COUNT;
    add_fails(ctx, &p, SERVGAP_EINVAL);
    p = ok, p.scope_id = 7;
    add_fails(ctx, &p, SERVGAP_ENOTFOUND);
    p = ok, p.scope_kind = SERVGAP_SCOPE_TIER, p.scope_id = 5;
    add_fails(ctx, &p, SERVGAP_ENOTFOUND);
    p = ok, p.touchpoint = 9;
    add_fails(ctx, &p, SERVGAP_ENOTFOUND);
    p = ok, p.touchpoint = SERVGAP_ANY; /* cells exist per touchpoint or for ALL only */
    add_fails(ctx, &p, SERVGAP_ENOTFOUND);
    p = ok, p.metric = 500;
    add_fails(ctx, &p, SERVGAP_ENOTFOUND);
    p = ok, p.target = NAN;
    add_fails(ctx, &p, SERVGAP_ERANGE);
    p = ok, p.target = INFINITY;
    add_fails(ctx, &p, SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_plan_count(ctx, &count), SERVGAP_OK);
    ck_assert_int_eq(count, 0);

    ck_assert_int_eq(servgap_plan_count(NULL, &count), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_plan_count(ctx, NULL), SERVGAP_EMISUSE);
    servgap_plan out = {.size = sizeof out};
    ck_assert_int_eq(servgap_plan_info(NULL, 0, &out), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_plan_info(ctx, 0, &out), SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_plan_add(ctx, &ok, &id), SERVGAP_OK);
    ck_assert_int_eq(servgap_plan_info(ctx, 1, &out), SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_plan_info(ctx, -1, &out), SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_plan_info(ctx, 0, NULL), SERVGAP_EMISUSE);
    out.size = 8;
    ck_assert_int_eq(servgap_plan_info(ctx, 0, &out), SERVGAP_EMISUSE);

    servgap_remeasure m = {.size = sizeof m};
    int64_t b0 = T0, b1 = T0 + 30 * DAY, f0 = b1, f1 = T0 + 60 * DAY;
    ck_assert_int_eq(servgap_plan_remeasure(NULL, 0, b0, b1, f0, f1, &m), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_plan_remeasure(ctx, 0, b0, b1, f0, f1, NULL), SERVGAP_EMISUSE);
    m.size = 4;
    ck_assert_int_eq(servgap_plan_remeasure(ctx, 0, b0, b1, f0, f1, &m), SERVGAP_EMISUSE);
    m.size = sizeof m;
    ck_assert_int_eq(servgap_plan_remeasure(ctx, 1, b0, b1, f0, f1, &m), SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_plan_remeasure(ctx, 0, b0 + 1, b1, f0, f1, &m), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_plan_remeasure(ctx, 0, b0, b1, f0, f1 - 5, &m), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_plan_remeasure(ctx, 0, b1, b0, f0, f1, &m), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_plan_remeasure(ctx, 0, b0, b1, f1, f0, &m), SERVGAP_ERANGE);
    /* Overlapping windows are not independent samples. */
    ck_assert_int_eq(servgap_plan_remeasure(ctx, 0, b0, b1 + DAY, f0, f1, &m), SERVGAP_ERANGE);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "servgap_plan_remeasure"));
    out.size = sizeof out;
    ck_assert_int_eq(servgap_plan_info(ctx, 0, &out), SERVGAP_OK);
    ck_assert_int_eq(out.last_outcome, SERVGAP_OUTCOME_NONE);
    servgap_ctx_free(ctx);
}
END_TEST

/* Expected is 7 (exact, zero variance) in every window, so each window's
 * service gap is mean(P) - 7 with se^2 = var(P) / 5 and df = 4 (the
 * perceived side alone). Baseline P = 4,4,5,5,5: gap -2.4, var 0.3,
 * se^2 0.06. */
static const double base_p[5] = {4, 4, 5, 5, 5};
static const double follow_p[4][5] = {
    {7, 7, 6, 7, 6.5}, /* mean 6.7: gap -0.3, var 0.2, se^2 0.04 */
    {6, 6, 6, 5, 6},   /* mean 5.8: gap -1.2, var 0.2, se^2 0.04 */
    {5, 4, 5, 5, 5},   /* mean 4.8: gap -2.2, var 0.2, se^2 0.04 */
    {2, 2, 3, 3, 3},   /* mean 2.6: gap -4.4, var 0.3, se^2 0.06 */
};

/* Window w of 30 days: w = 0 baseline, 1..4 the follow-ups above, 5 only
 * three perceived answers, 6 empty. */
static int64_t win(int w)
{
    return T0 + (int64_t)w * 30 * DAY;
}

static servgap_ctx *plan_data(int32_t *acme, int32_t *email, int32_t *gold)
{
    servgap_ctx *ctx = new_ctx();
    *acme = account(ctx, "acme", "gold", 100.0);
    *email = touchpoint(ctx, "email");
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TIER, "gold", gold), SERVGAP_OK);
    for (int w = 0; w < 6; w++)
        rec_n(ctx, *acme, *email, REL, EXP, seven, 5, win(w) + DAY + 3600);
    rec_n(ctx, *acme, *email, REL, PER, base_p, 5, win(0) + 2 * DAY);
    for (int w = 1; w <= 4; w++)
        rec_n(ctx, *acme, *email, REL, PER, follow_p[w - 1], 5, win(w) + 2 * DAY);
    rec_n(ctx, *acme, *email, REL, PER, follow_p[0], 3, win(5) + 2 * DAY);
    return ctx;
}

static void remeasure(servgap_ctx *ctx, int32_t id, int w, servgap_remeasure *m)
{
    m->size = sizeof *m;
    ck_assert_int_eq(servgap_plan_remeasure(ctx, id, win(0), win(1), win(w), win(w + 1), m),
                     SERVGAP_OK);
}

static void expect(const servgap_remeasure *m, int outcome, double base, double follow, double lo,
                   double hi)
{
    ck_assert_int_eq(m->outcome, outcome);
    ck_assert_double_eq_tol(m->baseline, base, TOL);
    ck_assert_double_eq_tol(m->followup, follow, TOL);
    ck_assert_double_eq_tol(m->change, follow - base, TOL);
    ck_assert_double_eq_tol(m->lo, lo, 1e-8);
    ck_assert_double_eq_tol(m->hi, hi, 1e-8);
}

/* Change intervals: se^2 = se_b^2 + se_f^2, df by Satterthwaite
 * (se_b^2 + se_f^2)^2 / (se_b^4 / 4 + se_f^4 / 4).
 *  closed, improved, unchanged: se^2 = 0.1, df = 0.01 / 0.0013 = 7.6923...,
 *    t(0.975, 7.6923) = 2.322158874446272 (mpmath), half-width 0.734331113;
 *  worsened: se^2 = 0.12, df = 0.0144 / 0.0018 = 8, t(0.975, 8) =
 *    2.306004135204166 (table), half-width 0.798823265. */
#define HW_A (2.322158874446272 * 0.31622776601683794)
#define HW_B (2.3060041352041662 * 0.34641016151377546)

START_TEST(test_remeasure_outcomes)
{
    int32_t acme, email, gold, id = -1;
    servgap_ctx *ctx = plan_data(&acme, &email, &gold);
    servgap_plan p = plan_of(SERVGAP_SCOPE_ACCOUNT, acme, email, REL, 0, "dana", -0.5);
    ck_assert_int_eq(servgap_plan_add(ctx, &p, &id), SERVGAP_OK);
    servgap_remeasure m;

    /* -0.3 >= target -0.5: closed. */
    remeasure(ctx, id, 1, &m);
    expect(&m, SERVGAP_OUTCOME_CLOSED, -2.4, -0.3, 2.1 - HW_A, 2.1 + HW_A);
    ck_assert(m.next_check == win(2) + 30 * DAY);
    /* +1.2 with interval [0.466, 1.934] above 0, -1.2 still below target. */
    remeasure(ctx, id, 2, &m);
    expect(&m, SERVGAP_OUTCOME_IMPROVED, -2.4, -1.2, 1.2 - HW_A, 1.2 + HW_A);
    /* +0.2 with interval [-0.534, 0.934] containing 0. */
    remeasure(ctx, id, 3, &m);
    expect(&m, SERVGAP_OUTCOME_UNCHANGED, -2.4, -2.2, 0.2 - HW_A, 0.2 + HW_A);
    /* -2.0 with interval [-2.799, -1.201] below 0. */
    remeasure(ctx, id, 4, &m);
    expect(&m, SERVGAP_OUTCOME_WORSENED, -2.4, -4.4, -2.0 - HW_B, -2.0 + HW_B);
    ck_assert(m.next_check == win(5) + 30 * DAY);

    servgap_plan info = {.size = sizeof info};
    ck_assert_int_eq(servgap_plan_info(ctx, id, &info), SERVGAP_OK);
    ck_assert_int_eq(info.last_outcome, SERVGAP_OUTCOME_WORSENED);
    ck_assert(info.next_check == win(5) + 30 * DAY);

    /* The re-check interval is SERVGAP_OPT_WINDOW_DAYS. */
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_WINDOW_DAYS, 45), SERVGAP_OK);
    remeasure(ctx, id, 2, &m);
    ck_assert(m.next_check == win(3) + 45 * DAY);
    /* A target below the follow-up value closes even an unchanged gap. */
    p.target = -2.3;
    ck_assert_int_eq(servgap_plan_add(ctx, &p, &id), SERVGAP_OK);
    remeasure(ctx, id, 3, &m);
    ck_assert_int_eq(m.outcome, SERVGAP_OUTCOME_CLOSED);
    servgap_ctx_free(ctx);
}
END_TEST

/* A dimension roll-up of one metric, and a tier holding one account, carry
 * the same gap, standard error and df, so the same outcome and interval. */
START_TEST(test_remeasure_rollup_and_tier)
{
    int32_t acme, email, gold, r = -1, t = -1;
    servgap_ctx *ctx = plan_data(&acme, &email, &gold);
    servgap_plan p =
        plan_of(SERVGAP_SCOPE_ACCOUNT, acme, SERVGAP_ALL, SERVGAP_ALL, REL, "lee", -0.5);
    ck_assert_int_eq(servgap_plan_add(ctx, &p, &r), SERVGAP_OK);
    p = plan_of(SERVGAP_SCOPE_TIER, gold, email, REL, 0, "lee", -0.5);
    ck_assert_int_eq(servgap_plan_add(ctx, &p, &t), SERVGAP_OK);
    servgap_remeasure m;
    remeasure(ctx, r, 4, &m);
    expect(&m, SERVGAP_OUTCOME_WORSENED, -2.4, -4.4, -2.0 - HW_B, -2.0 + HW_B);
    remeasure(ctx, t, 2, &m);
    expect(&m, SERVGAP_OUTCOME_IMPROVED, -2.4, -1.2, 1.2 - HW_A, 1.2 + HW_A);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_remeasure_unknown)
{
    int32_t acme, email, gold, id = -1;
    servgap_ctx *ctx = plan_data(&acme, &email, &gold);
    servgap_plan p = plan_of(SERVGAP_SCOPE_ACCOUNT, acme, email, REL, 0, "dana", -0.5);
    ck_assert_int_eq(servgap_plan_add(ctx, &p, &id), SERVGAP_OK);
    servgap_remeasure m;
    /* Three perceived answers (< min_n 5): the value is reported, the
     * outcome cannot rest on it. Mean 6.67 - 7 = -1/3. */
    remeasure(ctx, id, 5, &m);
    ck_assert_int_eq(m.outcome, SERVGAP_OUTCOME_UNKNOWN);
    ck_assert_double_eq_tol(m.followup, 20.0 / 3.0 - 7.0, TOL);
    ck_assert_double_eq_tol(m.baseline, -2.4, TOL);
    /* No data in the follow-up window: no cell, no value. */
    remeasure(ctx, id, 6, &m);
    ck_assert_int_eq(m.outcome, SERVGAP_OUTCOME_UNKNOWN);
    ck_assert(isnan(m.followup) && isnan(m.change) && isnan(m.lo) && isnan(m.hi));
    ck_assert(m.next_check == win(7) + 30 * DAY);
    servgap_plan info = {.size = sizeof info};
    ck_assert_int_eq(servgap_plan_info(ctx, id, &info), SERVGAP_OK);
    ck_assert_int_eq(info.last_outcome, SERVGAP_OUTCOME_UNKNOWN);
    /* Lowering min_n makes the three answers usable: change 2.4 - 1/3. */
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 3), SERVGAP_OK);
    remeasure(ctx, id, 5, &m);
    ck_assert_int_eq(m.outcome, SERVGAP_OUTCOME_CLOSED); /* -1/3 >= -0.5 */
    /* An open-ended follow-up window: next check from the day after the
     * latest observation (win(5) + 2 days). */
    m.size = sizeof m;
    ck_assert_int_eq(servgap_plan_remeasure(ctx, id, win(0), win(1), win(4), SERVGAP_TIME_MAX, &m),
                     SERVGAP_OK);
    ck_assert(m.next_check == win(5) + 3 * DAY + 30 * DAY);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* An allocator that fails on request and counts live blocks               */
/* ---------------------------------------------------------------------- */

typedef struct fail_alloc {
    long countdown; /* allocations left before failing; < 0: never fail */
    long live;
} fail_alloc;

static int fa_take(fail_alloc *f)
{
    if (f->countdown == 0)
        return 0;
    if (f->countdown > 0)
        f->countdown--;
    return 1;
}

static void *fa_malloc(void *u, size_t n)
{
    fail_alloc *f = u;
    if (!fa_take(f))
        return NULL;
    void *p = malloc(n);
    f->live += p != NULL;
    return p;
}

static void *fa_realloc(void *u, void *p, size_t n)
{
    return fa_take(u) ? realloc(p, n) : NULL;
}

static void fa_free(void *u, void *p)
{
    fail_alloc *f = u;
    if (p) {
        f->live--;
        free(p);
    }
}

static servgap_ctx *fa_ctx(fail_alloc *f)
{
    servgap_allocator a = {sizeof a, fa_malloc, fa_realloc, fa_free, f};
    servgap_ctx *ctx = NULL;
    f->countdown = -1;
    f->live = 0;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    return ctx;
}

START_TEST(test_plans_out_of_memory)
{
    fail_alloc f;
    servgap_ctx *ctx = fa_ctx(&f);
    int32_t acme = account(ctx, "acme", "gold", 100.0), email = touchpoint(ctx, "email");
    rec_n(ctx, acme, email, REL, EXP, seven, 5, win(0) + DAY);
    rec_n(ctx, acme, email, REL, PER, base_p, 5, win(0) + DAY);
    rec_n(ctx, acme, email, REL, EXP, seven, 5, win(1) + DAY);
    rec_n(ctx, acme, email, REL, PER, follow_p[3], 5, win(1) + DAY);
    servgap_plan p = plan_of(SERVGAP_SCOPE_ACCOUNT, acme, email, REL, 0, "dana", -0.5);
    int rc = SERVGAP_ENOMEM, failures = 0;
    for (long k = 0; rc != SERVGAP_OK; k++) {
        int32_t id = 99, count = -1;
        long live = f.live;
        f.countdown = k;
        rc = servgap_plan_add(ctx, &p, &id);
        f.countdown = -1;
        ck_assert(rc == SERVGAP_OK || rc == SERVGAP_ENOMEM);
        ck_assert_int_eq(servgap_plan_count(ctx, &count), SERVGAP_OK);
        if (rc == SERVGAP_ENOMEM) {
            failures++;
            ck_assert_int_eq(id, 99);
            ck_assert_int_eq(count, 0);
            ck_assert(f.live >= live);
        } else {
            ck_assert_int_eq(count, 1);
        }
    }
    ck_assert_int_gt(failures, 0);
    failures = 0;
    rc = SERVGAP_ENOMEM;
    for (long k = 0; rc != SERVGAP_OK; k++) {
        servgap_remeasure m = {.size = sizeof m};
        m.outcome = 42;
        long live = f.live;
        f.countdown = k;
        rc = servgap_plan_remeasure(ctx, 0, win(0), win(1), win(1), win(2), &m);
        f.countdown = -1;
        ck_assert_int_eq(f.live, live); /* every window freed, failed or not */
        servgap_plan info = {.size = sizeof info};
        ck_assert_int_eq(servgap_plan_info(ctx, 0, &info), SERVGAP_OK);
        if (rc == SERVGAP_ENOMEM) {
            failures++;
            ck_assert_int_eq(m.outcome, 42);
            ck_assert_int_eq(info.last_outcome, SERVGAP_OUTCOME_NONE);
        } else {
            ck_assert_int_eq(rc, SERVGAP_OK);
            ck_assert_int_eq(m.outcome, SERVGAP_OUTCOME_WORSENED);
            ck_assert_int_eq(info.last_outcome, SERVGAP_OUTCOME_WORSENED);
        }
    }
    ck_assert_int_gt(failures, 0);
    servgap_ctx_free(ctx);
    ck_assert_int_eq(f.live, 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Triggers                                                                */
/* ---------------------------------------------------------------------- */

#define NOW (T0 + 100 * DAY) /* 2026-04-11 */

START_TEST(test_hidden_gap)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email");
    int32_t h = account(ctx, "hidden", "gold", 10.0);    /* flagged, P > E */
    int32_t s = account(ctx, "shortfall", "gold", 10.0); /* health 30, P < E */
    int32_t n = account(ctx, "fine", "gold", 10.0);      /* health 80, P > E */
    int32_t z = account(ctx, "silent", "gold", 10.0);    /* health 20, no data */
    ck_assert_int_eq(servgap_account_set_flag(ctx, h, SERVGAP_ACCOUNT_AT_RISK, 1), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_health(ctx, s, 30.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_health(ctx, n, 80.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_health(ctx, z, 20.0), SERVGAP_OK);
    const double e5[5] = {5, 5, 5, 5, 5}, p6[5] = {6, 6, 7, 6, 6};
    const double e6[5] = {6, 6, 6, 6, 6}, p3[5] = {3, 4, 3, 4, 3};
    int64_t t = NOW - 50 * DAY;
    /* hidden: gap +1.2, se sqrt(0.2 / 5) = 0.2, df 4: [0.645, 1.755], exceeds. */
    rec_n(ctx, h, email, REL, EXP, e5, 5, t);
    rec_n(ctx, h, email, REL, PER, p6, 5, t);
    /* shortfall: gap -2.6, se sqrt(0.3 / 5), df 4: [-3.28, -1.92]. */
    rec_n(ctx, s, email, REL, EXP, e6, 5, t);
    rec_n(ctx, s, email, REL, PER, p3, 5, t);
    rec_n(ctx, n, email, REL, EXP, e5, 5, t);
    rec_n(ctx, n, email, REL, PER, p6, 5, t);

    servgap_result *r = query_at(ctx, NOW, SERVGAP_QUERY_ALL);
    servgap_trigger tr;
    ck_assert(find_trigger(r, h, SERVGAP_TRIGGER_HIDDEN_GAP, &tr));
    ck_assert_int_eq(tr.count, 1); /* one metric whose service gap exceeds */
    ck_assert(tr.date == NOW);
    ck_assert_str_eq(tr.detail, "at risk (flagged) yet perceived meets or exceeds expected on 1 "
                                "metric: suspected knowledge or perception gap");
    ck_assert(!has_trigger(r, s, SERVGAP_TRIGGER_HIDDEN_GAP));
    ck_assert(!has_trigger(r, n, SERVGAP_TRIGGER_HIDDEN_GAP));
    ck_assert(find_trigger(r, z, SERVGAP_TRIGGER_HIDDEN_GAP, &tr));
    ck_assert_int_eq(tr.count, 0);
    ck_assert_str_eq(tr.detail, "at risk (health 20 below 50) with no service shortfall measured: "
                                "suspected knowledge or perception gap");
    servgap_result_free(r);

    /* The threshold is a parameter: at 10, health 20 and 30 are not at risk. */
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 10), SERVGAP_OK);
    r = query_at(ctx, NOW, SERVGAP_QUERY_TRIGGERS);
    ck_assert(has_trigger(r, h, SERVGAP_TRIGGER_HIDDEN_GAP));
    ck_assert(!has_trigger(r, z, SERVGAP_TRIGGER_HIDDEN_GAP));
    servgap_result_free(r);
    /* A window without the data: the flagged account has no gap measured. */
    servgap_result *w = NULL;
    ck_assert_int_eq(servgap_query_at(ctx, NOW - 10 * DAY, NOW, NOW, 0, &w), SERVGAP_OK);
    ck_assert(find_trigger(w, h, SERVGAP_TRIGGER_HIDDEN_GAP, &tr));
    ck_assert_int_eq(tr.count, 0);
    servgap_result_free(w);
    servgap_ctx_free(ctx);
}
END_TEST

/* Four service shortfalls of an account renewing soon, perceived 1, 2, 3
 * and 4 against 7 on four items (-1, -5/6, -2/3, -1/2 of the scale), the
 * second also at chat, smaller there (5 against 7): the renewal names the
 * three largest, each once, at its largest touchpoint. */
START_TEST(test_renewal_names_the_largest_three)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email"), chat = touchpoint(ctx, "chat");
    int32_t a = account(ctx, "many", "gold", 10.0);
    const int32_t items[4] = {SERVGAP_DIM_TANGIBLES, SERVGAP_DIM_RELIABILITY,
                              SERVGAP_DIM_RESPONSIVENESS, SERVGAP_DIM_ASSURANCE};
    int64_t t = NOW - 20 * DAY;
    for (int k = 0; k < 4; k++) {
        const double p[5] = {1.0 + k, 1.0 + k, 1.0 + k, 1.0 + k, 1.0 + k};
        rec_n(ctx, a, email, items[k], EXP, seven, 5, t);
        rec_n(ctx, a, email, items[k], PER, p, 5, t);
    }
    const double five[5] = {5, 5, 5, 5, 5};
    rec_n(ctx, a, chat, REL, EXP, seven, 5, t);
    rec_n(ctx, a, chat, REL, PER, five, 5, t);
    ck_assert_int_eq(servgap_account_set_date(ctx, a, SERVGAP_ACCOUNT_RENEWAL, NOW + 30 * DAY),
                     SERVGAP_OK);
    servgap_result *r = query_at(ctx, NOW, SERVGAP_QUERY_TRIGGERS);
    servgap_trigger tr;
    ck_assert(find_trigger(r, a, SERVGAP_TRIGGER_RENEWAL, &tr));
    ck_assert_int_eq(tr.count, 4);
    ck_assert_str_eq(tr.detail, "renewal on 2026-05-11 (30 days) with 4 open shortfalls, the "
                                "largest: email tangibles service -1; email reliability service "
                                "-0.8333333333333334; email responsiveness service "
                                "-0.6666666666666666");
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_renewal)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email"), chat = touchpoint(ctx, "chat");
    int32_t r60 = account(ctx, "r60", "gold", 10.0), r120 = account(ctx, "r120", "gold", 10.0);
    int32_t ok60 = account(ctx, "ok60", "gold", 10.0), past = account(ctx, "past", "gold", 10.0);
    const double p4[5] = {4, 5, 4, 5, 4};
    int64_t t = NOW - 20 * DAY;
    /* r60: service shortfalls on reliability at two touchpoints (one open
     * shortfall: same metric and gap) and on empathy: 2 open shortfalls. */
    rec_n(ctx, r60, email, REL, EXP, seven, 5, t);
    rec_n(ctx, r60, email, REL, PER, p4, 5, t);
    rec_n(ctx, r60, chat, REL, EXP, seven, 5, t);
    rec_n(ctx, r60, chat, REL, PER, p4, 5, t);
    rec_n(ctx, r60, email, EMP, EXP, seven, 5, t);
    rec_n(ctx, r60, email, EMP, PER, p4, 5, t);
    rec_n(ctx, r120, email, REL, EXP, seven, 5, t);
    rec_n(ctx, r120, email, REL, PER, p4, 5, t);
    rec_n(ctx, past, email, REL, EXP, seven, 5, t);
    rec_n(ctx, past, email, REL, PER, p4, 5, t);
    rec_n(ctx, ok60, email, REL, EXP, p4, 5, t);
    rec_n(ctx, ok60, email, REL, PER, seven, 5, t);
    int64_t due = NOW + 60 * DAY + 5 * 3600; /* 2026-06-10, 05:00 */
    ck_assert_int_eq(servgap_account_set_date(ctx, r60, SERVGAP_ACCOUNT_RENEWAL, due), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, ok60, SERVGAP_ACCOUNT_RENEWAL, due), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, r120, SERVGAP_ACCOUNT_RENEWAL, NOW + 120 * DAY),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, past, SERVGAP_ACCOUNT_RENEWAL, NOW - DAY),
                     SERVGAP_OK);

    servgap_result *r = query_at(ctx, NOW, SERVGAP_QUERY_TRIGGERS);
    servgap_trigger tr;
    ck_assert(find_trigger(r, r60, SERVGAP_TRIGGER_RENEWAL, &tr));
    ck_assert(tr.date == due);
    ck_assert_int_eq(tr.count, 2);
    ck_assert(isnan(tr.statistic) && isnan(tr.lo) && isnan(tr.hi));
    /* Both open shortfalls are named, largest first: a service gap of
     * (4.4 - 7) / 6 each, reliability (metric 1) before empathy (4) on the
     * tie, reliability at email, its first touchpoint of that size. */
    const char *want = "renewal on 2026-06-10 (60 days) with 2 open shortfalls, the largest: "
                       "email reliability service ";
    ck_assert_int_eq(strncmp(tr.detail, want, strlen(want)), 0);
    char *end;
    ck_assert_double_eq_tol(strtod(tr.detail + strlen(want), &end), (4.4 - 7.0) / 6.0, 1e-12);
    ck_assert_int_eq(strncmp(end, "; email empathy service ", 24), 0);
    ck_assert_double_eq_tol(strtod(end + 24, &end), (4.4 - 7.0) / 6.0, 1e-12);
    ck_assert_str_eq(end, "");
    ck_assert(!has_trigger(r, r120, SERVGAP_TRIGGER_RENEWAL));
    ck_assert(!has_trigger(r, ok60, SERVGAP_TRIGGER_RENEWAL));
    ck_assert(!has_trigger(r, past, SERVGAP_TRIGGER_RENEWAL));
    servgap_result_free(r);

    /* The horizon is a parameter. */
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_RENEWAL_DAYS, 150), SERVGAP_OK);
    r = query_at(ctx, NOW, SERVGAP_QUERY_ACCOUNTS | SERVGAP_QUERY_TRIGGERS);
    ck_assert(find_trigger(r, r120, SERVGAP_TRIGGER_RENEWAL, &tr));
    ck_assert_int_eq(tr.count, 1);
    ck_assert(has_trigger(r, r60, SERVGAP_TRIGGER_RENEWAL));
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

#define SNOW (T0 + 400 * DAY) /* spike baseline [SNOW - 194 d, SNOW - 14 d) */

/* 60 baseline answers every other day from SNOW - 190 days, `low` of them
 * (spread evenly) a 2, the rest a 6; then 10 recent answers, the first six
 * a 2. */
static void spike_data(servgap_ctx *ctx, int32_t acc, int32_t tp, int low)
{
    for (int i = 0; i < 60; i++) {
        int neg = low == 3 ? i % 20 == 0 : i % 2 == 0;
        rec(ctx, acc, tp, REL, PER, neg ? 2.0 : 6.0, SNOW - (190 - 2 * i) * DAY);
    }
    for (int i = 0; i < 10; i++)
        rec(ctx, acc, tp, REL, PER, i < 6 ? 2.0 : 6.0, SNOW - (14 - i) * DAY + 7200);
}

START_TEST(test_csat_spike)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email");
    int32_t spiky = account(ctx, "spiky", "gold", 10.0),
            noisy = account(ctx, "noisy", "gold", 10.0);
    int32_t gold = -1;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TIER, "gold", &gold), SERVGAP_OK);
    spike_data(ctx, spiky, email, 3);
    spike_data(ctx, noisy, email, 30);
    /* None of these count: before the baseline window, on the analysis
     * day itself, another viewpoint, the tier's own answers. */
    for (int i = 0; i < 5; i++) {
        rec(ctx, spiky, email, REL, PER, 1.0, SNOW - 250 * DAY);
        rec(ctx, spiky, email, REL, PER, 1.0, SNOW + 3600);
        rec(ctx, spiky, email, REL, EXP, 1.0, SNOW - 3 * DAY);
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_TIER, gold, email, REL, PER, 1.0,
                                        SNOW - 3 * DAY, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                         SERVGAP_OK);
    }
    /* spiky: p0 = 3/60 = 0.05, p1 = 6/10 = 0.6, pooled p = 9/70;
     * z = 0.55 / sqrt(p (1 - p) (1/60 + 1/10)) = 4.810621217964707 > 1.645.
     * Newcombe's interval from the Wilson bounds (the roots in p of
     * (p - x/n)^2 = 1.959964^2 p (1 - p) / n, solved with mpmath):
     * 3/60 -> [0.0171495021643957, 0.1370051647634852],
     * 6/10 -> [0.3126737697336583, 0.8318196702937639];
     * lo = 0.55 - sqrt((0.6 - 0.31267...)^2 + (0.13700... - 0.05)^2),
     * hi = 0.55 + sqrt((0.83181... - 0.6)^2 + (0.05 - 0.01714...)^2). */
    servgap_result *r = query_at(ctx, SNOW, SERVGAP_QUERY_TRIGGERS);
    servgap_trigger tr;
    ck_assert(find_trigger(r, spiky, SERVGAP_TRIGGER_CSAT_SPIKE, &tr));
    ck_assert_int_eq(tr.n_before, 60);
    ck_assert_int_eq(tr.n_after, 10);
    ck_assert_int_eq(tr.count, 6);
    ck_assert(tr.date == SNOW);
    ck_assert_double_eq_tol(tr.before, 0.05, TOL);
    ck_assert_double_eq_tol(tr.after, 0.6, TOL);
    ck_assert_double_eq_tol(tr.statistic, 4.810621217964707, 1e-9);
    const double l0 = 0.0171495021643957, u0 = 0.1370051647634852;
    const double l1 = 0.3126737697336583, u1 = 0.8318196702937639;
    ck_assert_double_eq_tol(tr.lo, 0.55 - sqrt((0.6 - l1) * (0.6 - l1) + (u0 - 0.05) * (u0 - 0.05)),
                            1e-9);
    ck_assert_double_eq_tol(tr.hi, 0.55 + sqrt((u1 - 0.6) * (u1 - 0.6) + (0.05 - l0) * (0.05 - l0)),
                            1e-9);
    ck_assert_double_eq_tol(tr.lo, 0.2497896382624542, 1e-9);
    ck_assert_double_eq_tol(tr.hi, 0.7841356759299113, 1e-9);
    /* Fisher's one-sided p = sum over k = 6..9 of C(9, k) C(61, 10 - k) / C(70, 10)
     * = 0.00011380760299929819 (Python's exact math.comb). */
    ck_assert_str_eq(tr.detail, "negative perceived share 60.0% (6 of 10) in the last 14 days "
                                "against 5.0% (3 of 60) in the 180 days before; z = 4.81, "
                                "Fisher p = 0.00011");
    /* noisy: p0 = 30/60 = 0.5 against the same 6 of 10: z = 0.586,
     * Fisher p = 0.405, no spike. */
    ck_assert(!has_trigger(r, noisy, SERVGAP_TRIGGER_CSAT_SPIKE));
    servgap_result_free(r);

    /* One bad score of 12 against none of 47: the pooled z is 2.00 (above
     * 1.645), but Fisher's p = C(1, 1) C(58, 11) / C(59, 12) = 12/59 = 0.203:
     * one answer is not a spike. */
    int32_t lone = account(ctx, "lone", "gold", 10.0);
    for (int i = 0; i < 47; i++)
        rec(ctx, lone, email, REL, PER, 6.0, SNOW - (190 - 2 * i) * DAY);
    for (int i = 0; i < 12; i++)
        rec(ctx, lone, email, REL, PER, i == 0 ? 2.0 : 6.0, SNOW - (14 - i) * DAY + 7200);
    r = query_at(ctx, SNOW, SERVGAP_QUERY_TRIGGERS);
    ck_assert(has_trigger(r, spiky, SERVGAP_TRIGGER_CSAT_SPIKE));
    ck_assert(!has_trigger(r, lone, SERVGAP_TRIGGER_CSAT_SPIKE));
    servgap_result_free(r);

    /* A confidence whose level 1 - 1e-7 Fisher's p (1.1e-4) does not reach. */
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_CONFIDENCE, 0.9999999), SERVGAP_OK);
    r = query_at(ctx, SNOW, SERVGAP_QUERY_TRIGGERS);
    ck_assert(!has_trigger(r, spiky, SERVGAP_TRIGGER_CSAT_SPIKE));
    servgap_result_free(r);
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_CONFIDENCE, 0.95), SERVGAP_OK);
    /* Negative share 0.1: the cut is 1.6, a 2 is no longer negative. */
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.1), SERVGAP_OK);
    r = query_at(ctx, SNOW, SERVGAP_QUERY_TRIGGERS);
    ck_assert(!has_trigger(r, spiky, SERVGAP_TRIGGER_CSAT_SPIKE));
    servgap_result_free(r);
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.4), SERVGAP_OK);
    /* A 30-day baseline [SNOW - 44 d, SNOW - 14 d) holds no answers. */
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_SPIKE_BASELINE_DAYS, 30), SERVGAP_OK);
    r = query_at(ctx, SNOW, SERVGAP_QUERY_TRIGGERS);
    ck_assert(!has_trigger(r, spiky, SERVGAP_TRIGGER_CSAT_SPIKE));
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_migration)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email");
    int32_t m = account(ctx, "moved", "gold", 10.0), few = account(ctx, "few", "gold", 10.0);
    int32_t old = account(ctx, "old", "gold", 10.0), later = account(ctx, "later", "gold", 10.0);
    int64_t mig = NOW - 20 * DAY + 10 * 3600; /* 2026-03-22 10:00: day NOW - 20 */
    ck_assert_int_eq(servgap_account_set_date(ctx, m, SERVGAP_ACCOUNT_MIGRATION, mig), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, few, SERVGAP_ACCOUNT_MIGRATION, NOW - 5 * DAY),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, old, SERVGAP_ACCOUNT_MIGRATION, NOW - 70 * DAY),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, later, SERVGAP_ACCOUNT_MIGRATION, NOW + 5 * DAY),
                     SERVGAP_OK);
    const double pre[5] = {6, 6, 7, 7, 6}, post[5] = {4, 5, 4, 4, 5};
    rec_n(ctx, m, email, REL, PER, pre, 5, NOW - 30 * DAY);  /* pre: [NOW-40, NOW-20) */
    rec_n(ctx, m, email, REL, PER, post, 5, NOW - 10 * DAY); /* post: [NOW-20, NOW) */
    rec(ctx, m, email, REL, PER, 1.0, NOW - 50 * DAY);       /* before the pre window */
    rec(ctx, m, email, REL, PER, 1.0, NOW);                  /* the analysis day */
    rec(ctx, few, email, REL, PER, 5.0, NOW - 2 * DAY);
    rec(ctx, few, email, REL, PER, 6.0, NOW - 2 * DAY);

    /* Scores (x - 1) / 6: pre 5,5,6,6,5 sixths, mean 0.9, var 0.3/36; post
     * 3,4,3,3,4 sixths, mean 17/30, var 0.3/36. se^2 = 2 * 0.3/36/5, se =
     * 0.0577350, df = 8: change -1/3, [-0.46647054, -0.20019612], t = -5.7735. */
    servgap_result *r = query_at(ctx, NOW, SERVGAP_QUERY_TRIGGERS);
    servgap_trigger tr;
    ck_assert(find_trigger(r, m, SERVGAP_TRIGGER_MIGRATION, &tr));
    ck_assert(tr.date == mig);
    ck_assert_int_eq(tr.count, 20);
    ck_assert_int_eq(tr.n_before, 5);
    ck_assert_int_eq(tr.n_after, 5);
    ck_assert_double_eq_tol(tr.before, 0.9, TOL);
    ck_assert_double_eq_tol(tr.after, 17.0 / 30.0, TOL);
    ck_assert_double_eq_tol(tr.lo, -0.4664705441545849, 1e-9);
    ck_assert_double_eq_tol(tr.hi, -0.20019612251208185, 1e-9);
    ck_assert_double_eq_tol(tr.statistic, -5.77350269189626, 1e-9);
    ck_assert_str_eq(tr.detail, "migrated on 2026-03-22 (20 days ago); perceived score 0.90 before "
                                "(n=5) and 0.57 after (n=5), change -0.33 [-0.47, -0.20]");
    /* Fires on the date alone; two answers after, none before: no interval. */
    ck_assert(find_trigger(r, few, SERVGAP_TRIGGER_MIGRATION, &tr));
    ck_assert_int_eq(tr.n_before, 0);
    ck_assert_int_eq(tr.n_after, 2);
    ck_assert(isnan(tr.before));
    ck_assert_double_eq_tol(tr.after, (4.0 / 6.0 + 5.0 / 6.0) / 2.0, TOL);
    ck_assert(isnan(tr.lo) && isnan(tr.hi) && isnan(tr.statistic));
    ck_assert(!has_trigger(r, old, SERVGAP_TRIGGER_MIGRATION));
    ck_assert(!has_trigger(r, later, SERVGAP_TRIGGER_MIGRATION));
    servgap_result_free(r);
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_MIGRATION_DAYS, 90), SERVGAP_OK);
    r = query_at(ctx, NOW, SERVGAP_QUERY_TRIGGERS);
    ck_assert(find_trigger(r, old, SERVGAP_TRIGGER_MIGRATION, &tr));
    ck_assert_int_eq(tr.count, 70);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_quarterly_review)
{
    servgap_ctx *ctx = new_ctx();
    int64_t now = T0 + 68 * DAY; /* 2026-03-10 */
    int32_t q1 = account(ctx, "q1", "gold", 1.0), q2 = account(ctx, "q2", "gold", 1.0);
    int32_t q3 = account(ctx, "q3", "gold", 1.0), q4 = account(ctx, "q4", "gold", 1.0);
    /* q1: renewal 2027-01-31 15:00; quarters back from it: 2026-10-31,
     * 2026-07-31, 2026-04-30 (31 clamped), 2026-01-31: next is 04-30. */
    ck_assert_int_eq(
        servgap_account_set_date(ctx, q1, SERVGAP_ACCOUNT_RENEWAL, T0 + 395 * DAY + 15 * 3600),
        SERVGAP_OK);
    /* q3: renewal 2026-06-10: 2026-03-10 is today, which counts. */
    ck_assert_int_eq(servgap_account_set_date(ctx, q3, SERVGAP_ACCOUNT_RENEWAL, T0 + 160 * DAY),
                     SERVGAP_OK);
    /* q4: renewal 2025-11-30 (past): 2026-02-28 (clamped), 2026-05-30. */
    ck_assert_int_eq(servgap_account_set_date(ctx, q4, SERVGAP_ACCOUNT_RENEWAL, T0 - 32 * DAY),
                     SERVGAP_OK);
    servgap_result *r = NULL;
    ck_assert_int_eq(
        servgap_query_at(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, now, SERVGAP_QUERY_TRIGGERS, &r),
        SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_TRIGGERS), 4);
    servgap_trigger tr;
    ck_assert(find_trigger(r, q1, SERVGAP_TRIGGER_QUARTERLY_REVIEW, &tr));
    ck_assert(tr.date == T0 + 119 * DAY);
    ck_assert_int_eq(tr.count, 51);
    ck_assert_str_eq(tr.detail,
                     "quarterly review on 2026-04-30 (in 51 days), every 3 months from the "
                     "renewal date");
    /* q2: no renewal: the next calendar quarter start, 2026-04-01. */
    ck_assert(find_trigger(r, q2, SERVGAP_TRIGGER_QUARTERLY_REVIEW, &tr));
    ck_assert(tr.date == T0 + 90 * DAY);
    ck_assert_int_eq(tr.count, 22);
    ck_assert_ptr_nonnull(strstr(tr.detail, "2026-04-01"));
    ck_assert(find_trigger(r, q3, SERVGAP_TRIGGER_QUARTERLY_REVIEW, &tr));
    ck_assert(tr.date == now);
    ck_assert_int_eq(tr.count, 0);
    ck_assert(find_trigger(r, q4, SERVGAP_TRIGGER_QUARTERLY_REVIEW, &tr));
    ck_assert(tr.date == T0 + 149 * DAY);
    ck_assert_int_eq(tr.count, 81);
    servgap_result_free(r);
    /* On a quarter start itself, that day. */
    r = query_at(ctx, T0 + 90 * DAY, SERVGAP_QUERY_TRIGGERS);
    ck_assert(find_trigger(r, q2, SERVGAP_TRIGGER_QUARTERLY_REVIEW, &tr));
    ck_assert(tr.date == T0 + 90 * DAY);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* Rows by account id, then kind; accessor errors. */
START_TEST(test_trigger_order)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email");
    int32_t a = account(ctx, "a", "gold", 1.0), b = account(ctx, "b", "gold", 1.0);
    int32_t c = account(ctx, "c", "gold", 1.0);
    const double p4[5] = {4, 5, 4, 5, 4};
    rec_n(ctx, a, email, REL, EXP, seven, 5, NOW - 5 * DAY);
    rec_n(ctx, a, email, REL, PER, p4, 5, NOW - 5 * DAY);
    ck_assert_int_eq(servgap_account_set_date(ctx, a, SERVGAP_ACCOUNT_RENEWAL, NOW + 10 * DAY),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_flag(ctx, b, SERVGAP_ACCOUNT_AT_RISK, 1), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, c, SERVGAP_ACCOUNT_MIGRATION, NOW - DAY),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_flag(ctx, c, SERVGAP_ACCOUNT_AT_RISK, 1), SERVGAP_OK);
    servgap_result *r = query_at(ctx, NOW, 0);
    const int32_t want[7][2] = {
        {a, SERVGAP_TRIGGER_RENEWAL},         {a, SERVGAP_TRIGGER_QUARTERLY_REVIEW},
        {b, SERVGAP_TRIGGER_HIDDEN_GAP},      {b, SERVGAP_TRIGGER_QUARTERLY_REVIEW},
        {c, SERVGAP_TRIGGER_MIGRATION},       {c, SERVGAP_TRIGGER_HIDDEN_GAP},
        {c, SERVGAP_TRIGGER_QUARTERLY_REVIEW}};
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_TRIGGERS), 7);
    for (size_t i = 0; i < 7; i++) {
        servgap_trigger t = {.size = sizeof t};
        ck_assert_int_eq(servgap_result_trigger(r, i, &t), SERVGAP_OK);
        ck_assert_int_eq(t.account, want[i][0]);
        ck_assert_int_eq(t.kind, want[i][1]);
        ck_assert_ptr_nonnull(t.detail);
        ck_assert_uint_gt(strlen(t.detail), 10);
    }
    servgap_trigger t = {.size = sizeof t};
    ck_assert_int_eq(servgap_result_trigger(r, 7, &t), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_trigger(r, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_trigger(NULL, 0, &t), SERVGAP_EMISUSE);
    ck_assert_str_eq(servgap_trigger_name(SERVGAP_TRIGGER_CSAT_SPIKE), "csat_spike");
    servgap_result_free(r);
    /* Without the TRIGGERS flag there are none. */
    r = query_at(ctx, NOW, SERVGAP_QUERY_ACCOUNTS);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_TRIGGERS), 0);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_RISK), 0);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Risk                                                                    */
/* ---------------------------------------------------------------------- */

#define RNOW (T0 + 90 * DAY) /* windows [T0, T0+30d), [T0+30d, T0+60d), [T0+60d, RNOW) */

static const double p55[5] = {5, 5.5, 5.5, 5.5, 6}; /* mean 5.5: gap -1.5, normalized -0.25 */
static const double p40[5] = {4, 3.5, 4, 4.5, 4};   /* mean 4.0: gap -3.0, normalized -0.5 */

/* E = 7 exactly, P as given, in window w (0..2) of the risk windows. */
static void window_data(servgap_ctx *ctx, int32_t acc, int32_t tp, int w, const double *p)
{
    int64_t t = T0 + (int64_t)w * 30 * DAY + 3 * DAY;
    rec_n(ctx, acc, tp, REL, EXP, seven, 5, t);
    rec_n(ctx, acc, tp, REL, PER, p, 5, t);
}

static void get_risk(const servgap_result *r, size_t i, servgap_risk *k)
{
    k->size = sizeof *k;
    ck_assert_int_eq(servgap_result_risk(r, i, k), SERVGAP_OK);
}

/* Values 300, 100, 0: median 100. omega = 1/2 + 1/2 v / (v + 100).
 * A (omega 0.875): windows -0.25 (se sqrt(0.125/5) = 0.158, df 4:
 *   significant), met (7 = 7), -0.5: h = 0.625, 0, 0.75;
 *   risk = 0.875 * 1.375 / 3 = 0.40104166...
 * B (omega 0.75): -0.25 in all three: risk = 0.75 * 0.625 = 0.46875.
 * C (omega 0.5): a shortfall before the windows only: risk 0. */
START_TEST(test_risk_hand_worked)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email"), chat = touchpoint(ctx, "chat");
    int32_t a = account(ctx, "A", "gold", 300.0), b = account(ctx, "B", "gold", 100.0);
    int32_t c = account(ctx, "C", "silver", 0.0);
    window_data(ctx, a, email, 0, p55);
    window_data(ctx, a, email, 1, seven);
    window_data(ctx, a, email, 2, p40);
    window_data(ctx, a, chat, 2, p55); /* same (metric, gap): one finding, worst -0.5 */
    for (int w = 0; w < 3; w++)
        window_data(ctx, b, email, w, p55);
    rec_n(ctx, c, email, REL, EXP, seven, 5, T0 - 5 * DAY);
    rec_n(ctx, c, email, REL, PER, p40, 5, T0 - 5 * DAY);

    servgap_result *r = query_at(ctx, RNOW, SERVGAP_QUERY_TRIGGERS);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_RISK), 3);
    servgap_risk k;
    get_risk(r, 0, &k);
    ck_assert_int_eq(k.account, a);
    ck_assert_int_eq(k.windows, 3);
    ck_assert_int_eq(k.with_shortfall, 2);
    ck_assert_int_eq(k.findings, 2);
    ck_assert_double_eq_tol(k.worst_normalized, -0.5, TOL);
    ck_assert_double_eq_tol(k.value, 300.0, TOL);
    ck_assert_double_eq_tol(k.risk, 0.875 * 1.375 / 3.0, TOL);
    ck_assert_int_eq(k.churned, 0);
    get_risk(r, 1, &k);
    ck_assert_int_eq(k.account, b);
    ck_assert_int_eq(k.with_shortfall, 3);
    ck_assert_int_eq(k.findings, 3);
    ck_assert_double_eq_tol(k.worst_normalized, -0.25, TOL);
    ck_assert_double_eq_tol(k.risk, 0.46875, TOL);
    get_risk(r, 2, &k);
    ck_assert_int_eq(k.account, c);
    ck_assert_int_eq(k.with_shortfall, 0);
    ck_assert_int_eq(k.findings, 0);
    ck_assert(isnan(k.worst_normalized));
    ck_assert(k.risk == 0.0);
    double auc = 0;
    int64_t n1 = -1, n0 = -1;
    ck_assert_int_eq(servgap_result_risk_auc(r, &auc, &n1, &n0), SERVGAP_OK);
    ck_assert(isnan(auc)); /* nobody churned */
    ck_assert_int_eq(n1, 0);
    ck_assert_int_eq(n0, 3);
    ck_assert_int_eq(servgap_result_risk(r, 3, &k), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_risk(r, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_risk_auc(r, NULL, &n1, &n0), SERVGAP_EMISUSE);
    servgap_result_free(r);

    /* A churned: ranked above C, below B: AUC = (1 + 0) / 2. */
    ck_assert_int_eq(servgap_account_set_flag(ctx, a, SERVGAP_ACCOUNT_CHURNED, 1), SERVGAP_OK);
    r = query_at(ctx, RNOW, SERVGAP_QUERY_TRIGGERS);
    ck_assert_int_eq(servgap_result_risk_auc(r, &auc, &n1, &n0), SERVGAP_OK);
    ck_assert_double_eq_tol(auc, 0.5, TOL);
    ck_assert_int_eq(n1, 1);
    ck_assert_int_eq(n0, 2);
    get_risk(r, 0, &k);
    ck_assert_int_eq(k.churned, 1);
    servgap_result_free(r);

    /* K = 2: only the last two windows: A h = 0 + 0.75, risk 0.875 * 0.375. */
    ck_assert_int_eq(option_set(ctx, SERVGAP_OPT_WINDOWS, 2), SERVGAP_OK);
    r = query_at(ctx, RNOW, SERVGAP_QUERY_TRIGGERS);
    get_risk(r, 0, &k);
    ck_assert_int_eq(k.windows, 2);
    ck_assert_int_eq(k.with_shortfall, 1);
    ck_assert_double_eq_tol(k.risk, 0.875 * 0.75 / 2.0, TOL);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

static uint64_t rng_state;

static uint32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
}

/* Account i: a shortfall of 0.5 + 0.25 (i % 7) Likert points in the first
 * (i % 4) windows. */
static void varied_data(servgap_ctx *ctx, int32_t tp, int32_t *ids, int n)
{
    char name[16];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "acc%02d", i);
        ids[i] = account(ctx, name, "gold", 100.0 + 10.0 * (i % 5));
        double d = 0.5 + 0.25 * (i % 7);
        double p[5] = {7 - d, 7 - d - 0.5, 7 - d, 7 - d + 0.5, 7 - d};
        for (int w = 0; w < i % 4; w++)
            window_data(ctx, ids[i], tp, 3 - 1 - w, p);
    }
}

/* The AUC recomputed by brute force over all pairs. */
static double pairs_auc(const servgap_result *r, int n)
{
    double wins = 0.0, pairs = 0.0;
    for (int i = 0; i < n; i++) {
        servgap_risk x;
        get_risk(r, (size_t)i, &x);
        if (!x.churned)
            continue;
        for (int j = 0; j < n; j++) {
            servgap_risk y;
            get_risk(r, (size_t)j, &y);
            if (y.churned)
                continue;
            wins += x.risk > y.risk ? 1.0 : x.risk == y.risk ? 0.5 : 0.0;
            pairs += 1.0;
        }
    }
    return wins / pairs;
}

/* Churned accounts hold shortfalls in every window, retained ones none:
 * every churned risk exceeds every retained one, AUC = 1. */
START_TEST(test_auc_separated)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email"), ids[20];
    char name[16];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "s%02d", i);
        ids[i] = account(ctx, name, "gold", 50.0 + i);
        int churned = i % 2;
        for (int w = 0; w < 3; w++)
            window_data(ctx, ids[i], email, w, churned ? (i % 4 == 1 ? p55 : p40) : seven);
        if (churned)
            ck_assert_int_eq(servgap_account_set_flag(ctx, ids[i], SERVGAP_ACCOUNT_CHURNED, 1),
                             SERVGAP_OK);
    }
    servgap_result *r = query_at(ctx, RNOW, SERVGAP_QUERY_TRIGGERS);
    double auc;
    int64_t n1, n0;
    ck_assert_int_eq(servgap_result_risk_auc(r, &auc, &n1, &n0), SERVGAP_OK);
    ck_assert_int_eq(n1, 10);
    ck_assert_int_eq(n0, 10);
    ck_assert(auc == 1.0);
    ck_assert(pairs_auc(r, 20) == 1.0);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* Labels shuffled at random, independent of the risks: each AUC equals the
 * pairwise count, and their mean over 40 shuffles is near 1/2. Under the
 * null, one AUC with 20 + 20 accounts has sd at most sqrt((n1 + n0 + 1) /
 * (12 n1 n0)) = 0.092, the mean of 40 independent shuffles 0.015: the
 * tolerance 0.06 is four of those. */
START_TEST(test_auc_shuffled)
{
    servgap_ctx *ctx = new_ctx();
    int32_t email = touchpoint(ctx, "email"), ids[40];
    varied_data(ctx, email, ids, 40);
    rng_state = 2024;
    double sum = 0.0;
    const int shuffles = 40;
    for (int s = 0; s < shuffles; s++) {
        int label[40];
        for (int i = 0; i < 40; i++)
            label[i] = i < 20;
        for (int i = 39; i > 0; i--) {
            int j = (int)(rng() % (uint32_t)(i + 1)), t = label[i];
            label[i] = label[j];
            label[j] = t;
        }
        for (int i = 0; i < 40; i++)
            ck_assert_int_eq(
                servgap_account_set_flag(ctx, ids[i], SERVGAP_ACCOUNT_CHURNED, label[i]),
                SERVGAP_OK);
        servgap_result *r = query_at(ctx, RNOW, SERVGAP_QUERY_TRIGGERS);
        double auc;
        int64_t n1, n0;
        ck_assert_int_eq(servgap_result_risk_auc(r, &auc, &n1, &n0), SERVGAP_OK);
        ck_assert_int_eq(n1, 20);
        ck_assert_int_eq(n0, 20);
        ck_assert_double_eq_tol(auc, pairs_auc(r, 40), 1e-12);
        sum += auc;
        servgap_result_free(r);
    }
    ck_assert_double_eq_tol(sum / shuffles, 0.5, 0.06);
    servgap_ctx_free(ctx);
}
END_TEST

/* A query with triggers and risk under failing allocations: ENOMEM, no
 * result, nothing leaked; then the full result. */
START_TEST(test_triggers_out_of_memory)
{
    fail_alloc f;
    servgap_ctx *ctx = fa_ctx(&f);
    int32_t email = touchpoint(ctx, "email");
    int32_t a = account(ctx, "a", "gold", 1.0), b = account(ctx, "b", "gold", 2.0);
    window_data(ctx, a, email, 2, p40);
    window_data(ctx, b, email, 1, p55);
    ck_assert_int_eq(servgap_account_set_date(ctx, a, SERVGAP_ACCOUNT_RENEWAL, RNOW + DAY),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, b, SERVGAP_ACCOUNT_MIGRATION, RNOW - DAY),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_flag(ctx, b, SERVGAP_ACCOUNT_CHURNED, 1), SERVGAP_OK);
    int rc = SERVGAP_ENOMEM, failures = 0;
    for (long k = 0; rc != SERVGAP_OK; k++) {
        servgap_result *r = NULL;
        long live = f.live;
        f.countdown = k;
        rc = servgap_query_at(ctx, SERVGAP_TIME_MIN, RNOW, RNOW, SERVGAP_QUERY_TRIGGERS, &r);
        f.countdown = -1;
        if (rc == SERVGAP_ENOMEM) {
            failures++;
            ck_assert_ptr_null(r);
            ck_assert_int_eq(f.live, live);
            continue;
        }
        ck_assert_int_eq(rc, SERVGAP_OK);
        ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_TRIGGERS), 4);
        ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_RISK), 2);
        servgap_result_free(r);
        ck_assert_int_eq(f.live, live);
    }
    ck_assert_int_gt(failures, 5);
    servgap_ctx_free(ctx);
    ck_assert_int_eq(f.live, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("triggers");
    TCase *plans = tcase_create("plans");
    tcase_add_test(plans, test_plan_add_info);
    tcase_add_test(plans, test_plan_errors);
    tcase_add_test(plans, test_remeasure_outcomes);
    tcase_add_test(plans, test_remeasure_rollup_and_tier);
    tcase_add_test(plans, test_remeasure_unknown);
    tcase_add_test(plans, test_plans_out_of_memory);
    suite_add_tcase(s, plans);
    TCase *trig = tcase_create("triggers");
    tcase_add_test(trig, test_hidden_gap);
    tcase_add_test(trig, test_renewal);
    tcase_add_test(trig, test_renewal_names_the_largest_three);
    tcase_add_test(trig, test_csat_spike);
    tcase_add_test(trig, test_migration);
    tcase_add_test(trig, test_quarterly_review);
    tcase_add_test(trig, test_trigger_order);
    tcase_add_test(trig, test_triggers_out_of_memory);
    suite_add_tcase(s, trig);
    TCase *risk = tcase_create("risk");
    tcase_add_test(risk, test_risk_hand_worked);
    tcase_add_test(risk, test_auc_separated);
    tcase_add_test(risk, test_auc_shuffled);
    tcase_set_timeout(risk, 120);
    suite_add_tcase(s, risk);
    return run_suite(s);
}
