/*
 * test_plans -- remediation plans with their baseline windows, through the
 * public API: the window of servgap_plan (what older callers and zeroed
 * structs get), a query's plan rows (SERVGAP_QUERY_PLANS: the windows by
 * the analysis date, each outcome with its hand-worked change and
 * interval, overdue, the finding addressed, the result holding its own
 * owner names, the JSON row), and the windows through snapshots (the
 * optional section: its layout, an older reader skipping it, a snapshot
 * of libservgap 1.0 loading, damage rejected) and merge.
 *
 *     test_plans RICH_SNAP V11_SNAP
 *
 * RICH_SNAP is tests/fuzz/corpus/snapshot/rich.snap, written by libservgap
 * 1.0; V11_SNAP is libservgap-1.1-plans.snap there, written by libservgap
 * 1.1.0 (built from the commit before 1.2's time rules): an account's
 * service gap in two 30-day windows from 2026-01-01, expected 7 and
 * perceived 4, 5, 4, 5, 4 then 6, 7, 6, 7, 6; plan 0 on it (dana, target
 * -0.5, re-measured there: improved, next check 2026-04-01) and plan 1 on
 * tier gold's reliability roll-up (ops).
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
#include "snapbytes.h"

#define T0  INT64_C(1767225600) /* 2026-01-01 */
#define DAY INT64_C(86400)
#define TOL 1e-9
#define REL SERVGAP_DIM_RELIABILITY
#define EMP SERVGAP_DIM_EMPATHY

static const char *rich_snap, *v11_snap; /* argv[1], argv[2] */

/* ---------------------------------------------------------------------- */
/* The data: a service gap in 30-day windows                               */
/* ---------------------------------------------------------------------- */

/* Expected is 7 (exact, zero variance) in every window, so each window's
 * service gap is mean(P) - 7 with se^2 = var(P) / 5 and df = 4 (the
 * perceived side alone). Window 0 (the baseline) P = 4,4,5,5,5: gap -2.4,
 * var 0.3, se^2 0.06; windows 1..4 as below. */
static const double seven[5] = {7, 7, 7, 7, 7};
static const double base_p[5] = {4, 4, 5, 5, 5};
static const double follow_p[4][5] = {
    {7, 7, 6, 7, 6.5}, /* mean 6.7: gap -0.3, var 0.2, se^2 0.04 */
    {6, 6, 6, 5, 6},   /* mean 5.8: gap -1.2, var 0.2, se^2 0.04 */
    {5, 4, 5, 5, 5},   /* mean 4.8: gap -2.2, var 0.2, se^2 0.04 */
    {2, 2, 3, 3, 3},   /* mean 2.6: gap -4.4, var 0.3, se^2 0.06 */
};

/* Change intervals: se^2 = se_b^2 + se_f^2, df by Satterthwaite
 * (se_b^2 + se_f^2)^2 / (se_b^4 / 4 + se_f^4 / 4).
 *  se^2 0.06 + 0.04 = 0.1, df = 0.01 / 0.0013 = 7.6923 (and 0.04 + 0.06
 *    alike), t(0.975, 7.6923) = 2.322158874446272 (mpmath);
 *  se^2 0.06 + 0.06 = 0.12, df = 0.0144 / 0.0018 = 8, t(0.975, 8) =
 *    2.306004135204166 (table). */
#define HW_A (2.322158874446272 * 0.31622776601683794)
#define HW_B (2.3060041352041662 * 0.34641016151377546)

/* Window w of 30 days (SERVGAP_OPT_WINDOW_DAYS' default). */
static int64_t win(int w)
{
    return T0 + (int64_t)w * 30 * DAY;
}

static void rec_n(servgap_ctx *ctx, int32_t acc, int32_t tp, int32_t vp, const double *v, size_t n,
                  int64_t time)
{
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acc, tp, REL, vp, v[i], time,
                                        SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                         SERVGAP_OK);
}

typedef struct fixture {
    servgap_ctx *ctx;
    int32_t acme, email;
} fixture;

static fixture plan_data(void)
{
    fixture f = {new_ctx(), -1, -1};
    f.acme = account(f.ctx, "acme", "gold", 100.0);
    f.email = touchpoint(f.ctx, "email");
    for (int w = 0; w < 5; w++)
        rec_n(f.ctx, f.acme, f.email, SERVGAP_VP_EXPECTED, seven, 5, win(w) + DAY + 3600);
    rec_n(f.ctx, f.acme, f.email, SERVGAP_VP_PERCEIVED, base_p, 5, win(0) + 2 * DAY);
    for (int w = 1; w <= 4; w++)
        rec_n(f.ctx, f.acme, f.email, SERVGAP_VP_PERCEIVED, follow_p[w - 1], 5, win(w) + 2 * DAY);
    return f;
}

/* acme's service gap on reliability at email; base_to == base_from: none. */
static int32_t add_plan(const fixture *f, const char *owner, double target, int64_t deadline,
                        int64_t base_from, int64_t base_to)
{
    servgap_plan p = {.size = sizeof p,
                      .owner = owner,
                      .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                      .scope_id = f->acme,
                      .touchpoint = f->email,
                      .metric = REL,
                      .gap = SERVGAP_GAP_SERVICE,
                      .deadline = deadline,
                      .target = target,
                      .baseline_from = base_from,
                      .baseline_to = base_to};
    int32_t id = -1;
    ck_assert_int_eq(servgap_plan_add(f->ctx, &p, &id), SERVGAP_OK);
    return id;
}

static servgap_result *query_plans(servgap_ctx *ctx, int64_t now, uint32_t flags)
{
    servgap_result *r = NULL;
    int rc = servgap_query_at(ctx, SERVGAP_TIME_MIN, now, now, flags, &r);
    ck_assert_msg(rc == SERVGAP_OK, "%s", servgap_errmsg(ctx));
    return r;
}

static servgap_plan_status row_of(const servgap_result *r, size_t i)
{
    servgap_plan_status s;
    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    ck_assert_int_eq(servgap_result_plan(r, i, &s), SERVGAP_OK);
    return s;
}

static void expect_change(const servgap_plan_status *s, int outcome, double base, double follow,
                          double hw)
{
    ck_assert_int_eq(s->outcome, outcome);
    ck_assert_double_eq_tol(s->baseline, base, TOL);
    ck_assert_double_eq_tol(s->followup, follow, TOL);
    ck_assert_double_eq_tol(s->change, follow - base, TOL);
    ck_assert_double_eq_tol(s->lo, follow - base - hw, 1e-8);
    ck_assert_double_eq_tol(s->hi, follow - base + hw, 1e-8);
}

/* ---------------------------------------------------------------------- */
/* The baseline window of servgap_plan                                     */
/* ---------------------------------------------------------------------- */

START_TEST(test_baseline_window_fields)
{
    fixture f = plan_data();
    int32_t a = add_plan(&f, "dana", -0.5, win(3), win(0), win(1));
    int32_t zeroed = add_plan(&f, "dana", -0.5, win(3), 0, 0); /* {.size} and no window */
    int32_t none = add_plan(&f, "dana", -0.5, win(3), SERVGAP_TIME_NONE, SERVGAP_TIME_NONE);
    servgap_plan p = {.size = sizeof p};
    ck_assert_int_eq(servgap_plan_info(f.ctx, a, &p), SERVGAP_OK);
    ck_assert(p.baseline_from == win(0) && p.baseline_to == win(1));
    ck_assert_int_eq(servgap_plan_info(f.ctx, zeroed, &p), SERVGAP_OK);
    ck_assert(p.baseline_from == SERVGAP_TIME_NONE && p.baseline_to == SERVGAP_TIME_NONE);
    ck_assert_int_eq(servgap_plan_info(f.ctx, none, &p), SERVGAP_OK);
    ck_assert(p.baseline_from == SERVGAP_TIME_NONE && p.baseline_to == SERVGAP_TIME_NONE);

    /* Windows the API refuses: one end unset, not midnights, reversed. */
    static const int64_t bad[][2] = {{SERVGAP_TIME_NONE, T0},
                                     {T0, SERVGAP_TIME_NONE},
                                     {T0 + 3600, T0 + DAY},
                                     {T0, T0 + DAY + 1},
                                     {T0 + DAY, T0}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        servgap_plan q = {.size = sizeof q,
                          .owner = "x",
                          .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                          .scope_id = f.acme,
                          .touchpoint = f.email,
                          .metric = REL,
                          .baseline_from = bad[i][0],
                          .baseline_to = bad[i][1]};
        int32_t id = 99, n = -1;
        ck_assert_int_eq(servgap_plan_add(f.ctx, &q, &id), SERVGAP_ERANGE);
        ck_assert_int_eq(id, 99);
        ck_assert_ptr_nonnull(strstr(servgap_errmsg(f.ctx), "servgap_plan_add: baseline window"));
        ck_assert_int_eq(servgap_plan_count(f.ctx, &n), SERVGAP_OK);
        ck_assert_int_eq(n, 3);
    }
    servgap_ctx_free(f.ctx);
}
END_TEST

/* A caller of the 1.0 layout: nothing past its size is read (the bytes
 * there would be a window), and it gets no window. */
START_TEST(test_baseline_window_old_caller)
{
    fixture f = plan_data();
    const size_t old = offsetof(servgap_plan, next_check) + sizeof(int64_t);
    servgap_plan full = {.size = old,
                         .owner = "old",
                         .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                         .scope_id = f.acme,
                         .touchpoint = f.email,
                         .metric = REL,
                         .target = -0.5,
                         .baseline_from = win(0),
                         .baseline_to = win(1)};
    int32_t id = -1;
    ck_assert_int_eq(servgap_plan_add(f.ctx, &full, &id), SERVGAP_OK);
    servgap_plan p = {.size = sizeof p};
    ck_assert_int_eq(servgap_plan_info(f.ctx, id, &p), SERVGAP_OK);
    ck_assert(p.baseline_from == SERVGAP_TIME_NONE && p.baseline_to == SERVGAP_TIME_NONE);
    /* Out, the same: the window fields of an old caller are not written. */
    p.size = old;
    p.baseline_from = p.baseline_to = 42;
    ck_assert_int_eq(servgap_plan_info(f.ctx, id, &p), SERVGAP_OK);
    ck_assert(p.baseline_from == 42 && p.baseline_to == 42);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* A query's plan rows                                                     */
/* ---------------------------------------------------------------------- */

/* The plan's own baseline (window 0) against the follow-up, the 30 days
 * before the analysis date: each outcome, as servgap_plan_remeasure gives
 * it for the same windows. */
START_TEST(test_query_outcomes_own_baseline)
{
    static const int outcome[4] = {SERVGAP_OUTCOME_CLOSED, SERVGAP_OUTCOME_IMPROVED,
                                   SERVGAP_OUTCOME_UNCHANGED, SERVGAP_OUTCOME_WORSENED};
    static const double gap[4] = {-0.3, -1.2, -2.2, -4.4};
    fixture f = plan_data();
    int32_t id = add_plan(&f, "dana", -0.5, win(9), win(0), win(1));
    for (int w = 1; w <= 4; w++) {
        servgap_result *r = query_plans(f.ctx, win(w + 1), SERVGAP_QUERY_PLANS);
        ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_PLANS), 1);
        servgap_plan_status s = row_of(r, 0);
        ck_assert_int_eq(s.plan, id);
        ck_assert_str_eq(s.owner, "dana");
        ck_assert_int_eq(s.scope_kind, SERVGAP_SCOPE_ACCOUNT);
        ck_assert_int_eq(s.scope_id, f.acme);
        ck_assert_int_eq(s.touchpoint, f.email);
        ck_assert_int_eq(s.metric, REL);
        ck_assert_int_eq(s.dimension, REL);
        ck_assert_int_eq(s.gap, SERVGAP_GAP_SERVICE);
        ck_assert(s.deadline == win(9) && s.target == -0.5);
        ck_assert_int_eq(s.own_baseline, 1);
        ck_assert(s.base_from == win(0) && s.base_to == win(1));
        ck_assert(s.follow_from == win(w) && s.follow_to == win(w + 1));
        expect_change(&s, outcome[w - 1], -2.4, gap[w - 1], w == 4 ? HW_B : HW_A);
        ck_assert(s.next_check == win(w + 1) + 30 * DAY);
        ck_assert_int_eq(s.overdue, 0);
        ck_assert(s.finding == UINT64_MAX); /* no priorities asked for */
        servgap_result_free(r);
    }
    /* The query stores nothing on the plan item. */
    servgap_plan p = {.size = sizeof p};
    ck_assert_int_eq(servgap_plan_info(f.ctx, id, &p), SERVGAP_OK);
    ck_assert_int_eq(p.last_outcome, SERVGAP_OUTCOME_NONE);
    ck_assert(p.next_check == SERVGAP_TIME_NONE);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Without a window of its own, the baseline is the 30 days before the
 * follow-up: at window 5's start, window 3 (-2.2) against window 4
 * (-4.4): change -2.2, se^2 0.04 + 0.06, interval -2.2 +- HW_A. */
START_TEST(test_query_default_baseline)
{
    fixture f = plan_data();
    add_plan(&f, "lee", -0.5, SERVGAP_TIME_NONE, 0, 0);
    servgap_result *r = query_plans(f.ctx, win(5), SERVGAP_QUERY_PLANS);
    servgap_plan_status s = row_of(r, 0);
    ck_assert_int_eq(s.own_baseline, 0);
    ck_assert(s.base_from == win(3) && s.base_to == win(4));
    ck_assert(s.follow_from == win(4) && s.follow_to == win(5));
    expect_change(&s, SERVGAP_OUTCOME_WORSENED, -2.2, -4.4, HW_A);
    ck_assert(s.deadline == SERVGAP_TIME_NONE);
    ck_assert_int_eq(s.overdue, 0); /* no deadline, never overdue */
    servgap_result_free(r);
    /* SERVGAP_OPT_WINDOW_DAYS sets both windows' length and the re-check. */
    ck_assert_int_eq(servgap_ctx_set_option(f.ctx, SERVGAP_OPT_WINDOW_DAYS, 60), SERVGAP_OK);
    r = query_plans(f.ctx, win(5), SERVGAP_QUERY_PLANS);
    s = row_of(r, 0);
    ck_assert(s.base_from == win(1) && s.base_to == win(3));
    ck_assert(s.follow_from == win(3) && s.follow_to == win(5));
    ck_assert(s.next_check == win(5) + 60 * DAY);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Overdue: a deadline before the analysis date, and not closed. At window
 * 2's start the follow-up gap is -0.3: closed at target -0.5, improved at
 * target 0. */
START_TEST(test_query_overdue)
{
    fixture f = plan_data();
    int64_t now = win(2);
    add_plan(&f, "closed-late", -0.5, now - DAY, win(0), win(1));
    add_plan(&f, "open-late", 0.0, now - DAY, win(0), win(1));
    add_plan(&f, "due-today", 0.0, now, win(0), win(1));
    add_plan(&f, "no-deadline", 0.0, SERVGAP_TIME_NONE, win(0), win(1));
    add_plan(&f, "due-later", 0.0, now + DAY, win(0), win(1));
    servgap_result *r = query_plans(f.ctx, now, SERVGAP_QUERY_PLANS);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_PLANS), 5);
    static const int outcome[5] = {SERVGAP_OUTCOME_CLOSED, SERVGAP_OUTCOME_IMPROVED,
                                   SERVGAP_OUTCOME_IMPROVED, SERVGAP_OUTCOME_IMPROVED,
                                   SERVGAP_OUTCOME_IMPROVED};
    static const int overdue[5] = {0, 1, 0, 0, 0};
    for (size_t i = 0; i < 5; i++) {
        servgap_plan_status s = row_of(r, i);
        ck_assert_int_eq(s.plan, (int32_t)i);
        ck_assert_int_eq(s.outcome, outcome[i]);
        ck_assert_msg(s.overdue == overdue[i], "plan %zu (%s): overdue %d", i, s.owner,
                      (int)s.overdue);
    }
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* A follow-up never starts before the baseline ends; a baseline that ends
 * at or after the analysis date has nothing after it yet. */
START_TEST(test_query_followup_after_baseline)
{
    fixture f = plan_data();
    int64_t now = win(2);
    add_plan(&f, "late-baseline", -0.5, SERVGAP_TIME_NONE, win(0), win(1) + 10 * DAY);
    add_plan(&f, "ends-now", -0.5, SERVGAP_TIME_NONE, win(1), now);
    add_plan(&f, "ends-later", -0.5, SERVGAP_TIME_NONE, win(1), win(3));
    servgap_result *r = query_plans(f.ctx, now, SERVGAP_QUERY_PLANS);
    /* [win1 + 10 d, win2): 20 days, after window 1's answers (day 2). */
    servgap_plan_status s = row_of(r, 0);
    ck_assert(s.follow_from == win(1) + 10 * DAY && s.follow_to == now);
    ck_assert_int_eq(s.outcome, SERVGAP_OUTCOME_UNKNOWN);
    ck_assert(isnan(s.followup));
    ck_assert(s.next_check == now + 30 * DAY);
    /* The baseline [win1, win2) holds window 1's answers: gap -0.3. */
    s = row_of(r, 1);
    ck_assert_int_eq(s.outcome, SERVGAP_OUTCOME_NONE);
    ck_assert_double_eq_tol(s.baseline, -0.3, TOL);
    ck_assert(s.follow_from == SERVGAP_TIME_NONE && s.follow_to == SERVGAP_TIME_NONE);
    ck_assert(isnan(s.followup) && isnan(s.change) && isnan(s.lo) && isnan(s.hi));
    ck_assert(s.next_check == now + 30 * DAY); /* its end + 30 days */
    s = row_of(r, 2);
    ck_assert_int_eq(s.outcome, SERVGAP_OUTCOME_NONE);
    ck_assert(s.next_check == win(3) + 30 * DAY);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* The index of the finding of (scope, touchpoint, metric, gap), or
 * UINT64_MAX, found by scanning the findings. */
static uint64_t finding_index(const servgap_result *r, int32_t kind, int32_t scope, int32_t tp,
                              int32_t metric, int32_t gap)
{
    size_t n = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    for (size_t i = 0; i < n; i++) {
        servgap_finding fd = {.size = sizeof fd};
        ck_assert_int_eq(servgap_result_finding(r, i, &fd), SERVGAP_OK);
        if (fd.scope_kind == kind && fd.scope_id == scope && fd.touchpoint == tp &&
            fd.metric == metric && fd.gap == gap)
            return i;
    }
    return UINT64_MAX;
}

START_TEST(test_query_finding_link)
{
    fixture f = plan_data();
    add_plan(&f, "dana", -0.5, SERVGAP_TIME_NONE, win(0), win(1));
    add_plan(&f, "lee", -0.5, SERVGAP_TIME_NONE, 0, 0); /* the same finding */
    servgap_plan other = {.size = sizeof other,
                          .owner = "kim",
                          .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                          .scope_id = f.acme,
                          .touchpoint = f.email,
                          .metric = REL,
                          .gap = SERVGAP_GAP_DELIVERY}; /* no delivered data: no finding */
    int32_t id = -1;
    ck_assert_int_eq(servgap_plan_add(f.ctx, &other, &id), SERVGAP_OK);
    servgap_result *r = query_plans(f.ctx, win(2), SERVGAP_QUERY_ALL | SERVGAP_QUERY_PLANS);
    uint64_t want =
        finding_index(r, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email, REL, SERVGAP_GAP_SERVICE);
    ck_assert(want != UINT64_MAX); /* P 5.65 against E 7 over the window */
    ck_assert(row_of(r, 0).finding == want);
    ck_assert(row_of(r, 1).finding == want);
    ck_assert(row_of(r, 2).finding == UINT64_MAX);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* The result holds its own copy of the owners: the handle may go. */
START_TEST(test_result_outlives_handle)
{
    fixture f = plan_data();
    add_plan(&f, "Dana \xc3\x98", -0.5, win(3), win(0), win(1));
    servgap_result *r = query_plans(f.ctx, win(2), SERVGAP_QUERY_PLANS);
    servgap_ctx_free(f.ctx);
    servgap_plan_status s = row_of(r, 0);
    ck_assert_str_eq(s.owner, "Dana \xc3\x98");
    ck_assert_int_eq(s.outcome, SERVGAP_OUTCOME_CLOSED);
    servgap_result_free(r);
}
END_TEST

START_TEST(test_result_plan_errors)
{
    fixture f = plan_data();
    servgap_result *r = query_plans(f.ctx, win(2), SERVGAP_QUERY_ALL);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_PLANS), 0); /* not asked for */
    servgap_result_free(r);
    r = query_plans(f.ctx, win(2), SERVGAP_QUERY_PLANS);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_PLANS), 0); /* no plan */
    servgap_result_free(r);
    add_plan(&f, "dana", -0.5, win(3), win(0), win(1));
    r = query_plans(f.ctx, win(2), SERVGAP_QUERY_PLANS);
    servgap_plan_status s;
    memset(&s, 0, sizeof s);
    s.size = sizeof s;
    ck_assert_int_eq(servgap_result_plan(NULL, 0, &s), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_plan(r, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_plan(r, 1, &s), SERVGAP_ERANGE);
    s.size = offsetof(servgap_plan_status, finding); /* short of the 1.2 layout */
    ck_assert_int_eq(servgap_result_plan(r, 0, &s), SERVGAP_EMISUSE);
    ck_assert_uint_eq(servgap_result_count(NULL, SERVGAP_TABLE_PLANS), 0);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* The JSON report's plans row: the plan, its windows and outcome. */
START_TEST(test_json_plans_row)
{
    fixture f = plan_data();
    add_plan(&f, "dana", -0.5, win(3), win(0), win(1));
    servgap_result *r = query_plans(f.ctx, win(2), SERVGAP_QUERY_PLANS);
    size_t len = 0;
    ck_assert_int_eq(servgap_result_json(f.ctx, r, NULL, 0, &len), SERVGAP_OK);
    char *json = malloc(len + 1);
    ck_assert_ptr_nonnull(json);
    ck_assert_int_eq(servgap_result_json(f.ctx, r, json, len + 1, &len), SERVGAP_OK);
    const char *head =
        ",\"plans\":[{\"plan\":0,\"owner\":\"dana\",\"finding\":null,\"scope\":\"account:acme\","
        "\"touchpoint\":\"email\",\"metric\":\"reliability\",\"dimension\":\"reliability\","
        "\"gap\":\"service\",\"deadline\":\"2026-04-01\",\"target\":-0.5,\"outcome\":\"closed\","
        "\"overdue\":false,\"own_baseline\":true,"
        "\"baseline_window\":{\"from\":\"2026-01-01\",\"to\":\"2026-01-31\"},"
        "\"followup_window\":{\"from\":\"2026-01-31\",\"to\":\"2026-03-02\"},\"baseline\":";
    const char *at = strstr(json, head);
    ck_assert_msg(at != NULL, "no plans row in %s", json);
    const char *tail = ",\"next_check\":\"2026-04-01\"}]}\n";
    ck_assert_str_eq(json + len - strlen(tail), tail);
    ck_assert_ptr_nonnull(strstr(at, ",\"change\":"));
    ck_assert_ptr_nonnull(strstr(at, ",\"ci\":["));
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Every allocation of a query with plans fails in turn: it succeeds or
 * fails with ENOMEM, and gives back everything it took. */
START_TEST(test_query_plans_out_of_memory)
{
    test_alloc a = {0};
    servgap_allocator al = test_allocator(&a);
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &al), SERVGAP_OK);
    fixture f = {ctx, account(ctx, "acme", "gold", 1.0), touchpoint(ctx, "email")};
    rec_n(ctx, f.acme, f.email, SERVGAP_VP_EXPECTED, seven, 5, win(0) + DAY);
    rec_n(ctx, f.acme, f.email, SERVGAP_VP_PERCEIVED, base_p, 5, win(0) + DAY);
    rec_n(ctx, f.acme, f.email, SERVGAP_VP_PERCEIVED, follow_p[3], 5, win(1) + DAY);
    add_plan(&f, "dana", -0.5, win(1), win(0), win(1));
    add_plan(&f, "lee", -0.5, win(1), 0, 0);
    int rc = SERVGAP_ENOMEM, failures = 0;
    for (long n = 1; rc != SERVGAP_OK; n++) {
        servgap_result *r = NULL;
        long live = a.live;
        a.calls = 0;
        a.fail_at = n;
        rc = servgap_query_at(ctx, SERVGAP_TIME_MIN, win(2), win(2),
                              SERVGAP_QUERY_ALL | SERVGAP_QUERY_PLANS, &r);
        a.fail_at = 0;
        ck_assert_msg(rc == SERVGAP_OK || rc == SERVGAP_ENOMEM, "%d", rc);
        if (rc == SERVGAP_OK)
            ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_PLANS), 2);
        else
            failures++;
        servgap_result_free(r);
        ck_assert_int_eq(a.live, live);
    }
    ck_assert_int_gt(failures, 10);
    servgap_ctx_free(ctx);
    ck_assert_int_eq(a.live, 0);
    ck_assert_int_eq(a.foreign, 0);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Snapshots and merge                                                     */
/* ---------------------------------------------------------------------- */

static void assert_window(servgap_ctx *ctx, int32_t id, int64_t from, int64_t to)
{
    servgap_plan p = {.size = sizeof p};
    ck_assert_int_eq(servgap_plan_info(ctx, id, &p), SERVGAP_OK);
    ck_assert_msg(p.baseline_from == from && p.baseline_to == to, "plan %d: [%lld, %lld)", (int)id,
                  (long long)p.baseline_from, (long long)p.baseline_to);
}

static void assert_same_bytes(snap_bytes a, snap_bytes b)
{
    ck_assert_uint_eq(a.n, b.n);
    ck_assert(memcmp(a.p, b.p, a.n) == 0);
}

/* The windows travel in the optional section PLWN after PLAN: u64 count
 * (one per plan), then per plan i64 from, i64 to, INT64_MIN for none. */
START_TEST(test_snapshot_roundtrip)
{
    fixture f = plan_data();
    add_plan(&f, "dana", -0.5, win(3), win(0), win(1));
    add_plan(&f, "lee", -0.5, win(3), 0, 0);
    snap_bytes s = snap_of(f.ctx);
    snap_section secs[16];
    int n = snap_sections(s, secs, 16);
    ck_assert_int_eq(n, 11);
    ck_assert_str_eq(secs[9].tag, "PLAN");
    ck_assert_str_eq(secs[10].tag, "PLWN");
    ck_assert_uint_eq(snap_get32(s.p + secs[10].head + 4), 0); /* not marked required */
    ck_assert_uint_eq(secs[10].len, 8 + 2 * 16);
    const unsigned char *pl = s.p + secs[10].payload;
    ck_assert(snap_get64(pl) == 2);
    ck_assert((int64_t)snap_get64(pl + 8) == win(0) && (int64_t)snap_get64(pl + 16) == win(1));
    ck_assert((int64_t)snap_get64(pl + 24) == INT64_MIN);
    ck_assert((int64_t)snap_get64(pl + 32) == INT64_MIN);
    servgap_ctx *back = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(back, s.p, s.n), SERVGAP_OK);
    assert_window(back, 0, win(0), win(1));
    assert_window(back, 1, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE);
    snap_bytes again = snap_of(back);
    assert_same_bytes(s, again);
    free(s.p);
    free(again.p);
    servgap_ctx_free(back);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* A handle whose plans have no window writes the ten sections of format
 * 1.0, which every older reader reads whole. */
START_TEST(test_snapshot_without_windows)
{
    fixture f = plan_data();
    add_plan(&f, "lee", -0.5, win(3), 0, 0);
    snap_bytes s = snap_of(f.ctx);
    snap_section secs[16];
    ck_assert_int_eq(snap_sections(s, secs, 16), 10);
    ck_assert_str_eq(secs[9].tag, "PLAN");
    free(s.p);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* A reader that does not know the section skips it, as it skips any
 * unknown optional section: the plans load without their windows. Shown
 * by renaming the tag, which makes this reader one that does not know it. */
START_TEST(test_snapshot_older_reader_skips_windows)
{
    fixture f = plan_data();
    add_plan(&f, "dana", -0.5, win(3), win(0), win(1));
    snap_bytes s = snap_of(f.ctx);
    snap_section w = snap_find(s, "PLWN");
    memcpy(s.p + w.head, "PLWX", 4);
    snap_reseal(s);
    servgap_ctx *old = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(old, s.p, s.n), SERVGAP_OK);
    assert_window(old, 0, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE);
    servgap_plan p = {.size = sizeof p};
    ck_assert_int_eq(servgap_plan_info(old, 0, &p), SERVGAP_OK);
    ck_assert_str_eq(p.owner, "dana");
    free(s.p);
    servgap_ctx_free(old);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* rich.snap was written by libservgap 1.0 (format 1.0, ten sections, one
 * plan item): it loads, its plan has no window, and a query re-measures
 * the plan against the default baseline. */
START_TEST(test_snapshot_of_libservgap_1_0)
{
    servgap_ctx *ctx = new_ctx();
    int rc = servgap_snapshot_load(ctx, rich_snap);
    ck_assert_msg(rc == SERVGAP_OK, "%s", servgap_errmsg(ctx));
    int32_t n = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &n), SERVGAP_OK);
    ck_assert_int_eq(n, 1);
    assert_window(ctx, 0, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE);
    servgap_result *r = NULL;
    ck_assert_int_eq(
        servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_PLANS, &r),
        SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_PLANS), 1);
    servgap_plan_status s = row_of(r, 0);
    ck_assert_int_eq(s.own_baseline, 0);
    ck_assert_str_eq(s.owner, "ops");
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

static snap_bytes read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    snap_bytes b = {malloc(1 << 16), 0};
    ck_assert_ptr_nonnull(b.p);
    b.n = fread(b.p, 1, 1 << 16, f);
    ck_assert(feof(f));
    fclose(f);
    return b;
}

/* A snapshot libservgap 1.1.0 wrote: its plans load as they were, with
 * their stored outcome, and without windows; saved again, every section
 * is the same bytes (the header says format 1.1 now, minor 1). */
START_TEST(test_snapshot_of_libservgap_1_1)
{
    snap_bytes old = read_file(v11_snap);
    ck_assert_uint_eq(snap_get32(old.p + 8) & 0xffff, 1); /* major 1 */
    ck_assert_uint_eq(snap_get32(old.p + 8) >> 16, 0);    /* minor 0: format 1.0 */
    servgap_ctx *ctx = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(ctx, old.p, old.n), SERVGAP_OK);
    servgap_plan p = {.size = sizeof p};
    ck_assert_int_eq(servgap_plan_info(ctx, 0, &p), SERVGAP_OK);
    ck_assert_str_eq(p.owner, "dana");
    ck_assert_int_eq(p.last_outcome, SERVGAP_OUTCOME_IMPROVED);
    ck_assert(p.next_check == T0 + 90 * DAY);
    ck_assert(p.baseline_from == SERVGAP_TIME_NONE && p.baseline_to == SERVGAP_TIME_NONE);
    ck_assert_int_eq(servgap_plan_info(ctx, 1, &p), SERVGAP_OK);
    ck_assert_str_eq(p.owner, "ops");
    ck_assert_int_eq(p.metric, SERVGAP_ALL);
    snap_bytes now = snap_of(ctx);
    ck_assert_uint_eq(now.n, old.n);
    ck_assert(memcmp(now.p + 12, old.p + 12, 16) == 0); /* flags, length, sections */
    ck_assert(memcmp(now.p + 32, old.p + 32, old.n - 32) == 0);
    /* The query re-measures plan 0 against the window before the last:
     * at 2026-03-02, [2026-01-01, 2026-01-31) against [2026-01-31,
     * 2026-03-02), the windows 1.1 re-measured it in: improved again. */
    servgap_result *r = query_plans(ctx, win(2), SERVGAP_QUERY_PLANS);
    servgap_plan_status s = row_of(r, 0);
    ck_assert_int_eq(s.own_baseline, 0);
    ck_assert(s.base_from == win(0) && s.follow_to == win(2));
    ck_assert_int_eq(s.outcome, SERVGAP_OUTCOME_IMPROVED);
    servgap_result_free(r);
    free(old.p);
    free(now.p);
    servgap_ctx_free(ctx);
}
END_TEST

static void expect_corrupt(snap_bytes b, const char *words)
{
    servgap_ctx *ctx = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(ctx, b.p, b.n), SERVGAP_ECORRUPT);
    ck_assert_msg(strstr(servgap_errmsg(ctx), words) != NULL, "'%s' lacks '%s'",
                  servgap_errmsg(ctx), words);
    int32_t n = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &n), SERVGAP_OK);
    ck_assert_int_eq(n, 0);
    servgap_ctx_free(ctx);
}

/* s with the 8 bytes at offset off of section PLWN's payload set to v. */
static snap_bytes with_field(snap_bytes s, size_t off, uint64_t v)
{
    snap_bytes c = {malloc(s.n), s.n};
    ck_assert_ptr_nonnull(c.p);
    memcpy(c.p, s.p, s.n);
    snap_put64(c.p + snap_find(c, "PLWN").payload + off, v);
    snap_reseal(c);
    return c;
}

START_TEST(test_snapshot_damaged_windows)
{
    fixture f = plan_data();
    add_plan(&f, "dana", -0.5, win(3), win(0), win(1));
    snap_bytes s = snap_of(f.ctx);
    const struct {
        size_t off;
        uint64_t v;
        const char *words;
    } bad[] = {
        {8, (uint64_t)(win(0) + 1), "plan 0: baseline window"}, /* not a midnight */
        {16, (uint64_t)win(0), "must end after it starts"},     /* empty */
        {16, (uint64_t)INT64_MIN, "needs both ends, or neither"},
        {8, (uint64_t)INT64_MIN, "needs both ends, or neither"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snap_bytes c = with_field(s, bad[i].off, bad[i].v);
        expect_corrupt(c, bad[i].words);
        free(c.p);
    }
    /* One window per plan: a count that differs is refused. */
    snap_bytes c = {malloc(s.n + 16), s.n + 16};
    ck_assert_ptr_nonnull(c.p);
    snap_section w = snap_find(s, "PLWN");
    memcpy(c.p, s.p, s.n);
    memcpy(c.p + s.n, s.p + w.payload + 8, 16); /* a second window, for no second plan */
    snap_put64(c.p + w.head + 8, w.len + 16);
    snap_put64(c.p + w.payload, 2);
    snap_reseal(c);
    expect_corrupt(c, "2 windows for 1 plan items");
    free(c.p);
    /* Every cut of the section's payload. */
    for (size_t keep = 0; keep < w.len; keep++) {
        snap_bytes t = {malloc(s.n), s.n - (size_t)(w.len - keep)};
        ck_assert_ptr_nonnull(t.p);
        memcpy(t.p, s.p, w.payload + keep);
        snap_put64(t.p + w.head + 8, keep);
        snap_reseal(t);
        expect_corrupt(t, "plan windows");
        free(t.p);
    }
    free(s.p);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Merge copies each plan's window with the plan, its ids remapped. */
START_TEST(test_merge_keeps_windows)
{
    fixture src = plan_data();
    add_plan(&src, "dana", -0.5, win(3), win(0), win(1));
    add_plan(&src, "lee", -0.5, win(3), 0, 0);
    servgap_ctx *dst = new_ctx();
    int32_t other = account(dst, "other", "silver", 5.0);
    touchpoint(dst, "chat");
    servgap_plan mine = {.size = sizeof mine,
                         .owner = "kim",
                         .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                         .scope_id = other,
                         .touchpoint = SERVGAP_ALL,
                         .metric = EMP,
                         .baseline_from = win(2),
                         .baseline_to = win(3)};
    int32_t id = -1;
    ck_assert_int_eq(servgap_plan_add(dst, &mine, &id), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_merge(dst, src.ctx), SERVGAP_OK);
    assert_window(dst, 0, win(2), win(3));
    assert_window(dst, 1, win(0), win(1));
    assert_window(dst, 2, SERVGAP_TIME_NONE, SERVGAP_TIME_NONE);
    servgap_plan p = {.size = sizeof p};
    ck_assert_int_eq(servgap_plan_info(dst, 1, &p), SERVGAP_OK);
    int32_t acme = -1, email = -1;
    ck_assert_int_eq(servgap_lookup(dst, SERVGAP_KIND_ACCOUNT, "acme", &acme), SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(dst, SERVGAP_KIND_TOUCHPOINT, "email", &email), SERVGAP_OK);
    ck_assert_int_eq(p.scope_id, acme);
    ck_assert_int_eq(p.touchpoint, email);
    ck_assert_int_ne(acme, src.acme); /* remapped: dst had an account first */
    ck_assert_str_eq(p.owner, "dana");
    servgap_ctx_free(dst);
    servgap_ctx_free(src.ctx);
}
END_TEST

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: test_plans RICH_SNAP V11_SNAP\n");
        return EXIT_FAILURE;
    }
    rich_snap = argv[1];
    v11_snap = argv[2];
    Suite *s = suite_create("plans");
    TCase *api = tcase_create("api");
    tcase_add_test(api, test_baseline_window_fields);
    tcase_add_test(api, test_baseline_window_old_caller);
    suite_add_tcase(s, api);
    TCase *query = tcase_create("query");
    tcase_add_test(query, test_query_outcomes_own_baseline);
    tcase_add_test(query, test_query_default_baseline);
    tcase_add_test(query, test_query_overdue);
    tcase_add_test(query, test_query_followup_after_baseline);
    tcase_add_test(query, test_query_finding_link);
    tcase_add_test(query, test_result_outlives_handle);
    tcase_add_test(query, test_result_plan_errors);
    tcase_add_test(query, test_json_plans_row);
    tcase_add_test(query, test_query_plans_out_of_memory);
    tcase_set_timeout(query, 120);
    suite_add_tcase(s, query);
    TCase *snap = tcase_create("snapshot");
    tcase_add_test(snap, test_snapshot_roundtrip);
    tcase_add_test(snap, test_snapshot_without_windows);
    tcase_add_test(snap, test_snapshot_older_reader_skips_windows);
    tcase_add_test(snap, test_snapshot_of_libservgap_1_0);
    tcase_add_test(snap, test_snapshot_of_libservgap_1_1);
    tcase_add_test(snap, test_snapshot_damaged_windows);
    tcase_add_test(snap, test_merge_keeps_windows);
    suite_add_tcase(s, snap);
    return run_suite(s);
}
