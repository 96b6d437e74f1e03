/*
 * test_time -- time as support teams live it (docs/concepts.md, section
 * 13): SLAs and promises are declarations that stay in force until
 * replaced or withdrawn; expectations, adequacy and beliefs are read over a
 * look-back, because surveys come in waves; tickets and CSAT count in the
 * window only. Trends and persistence count windows of one series. Every
 * expected number is worked out by hand in the comments.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "run_suite.h"
#include "servgap.h"

#define DAY       ((int64_t)SERVGAP_DAY)
#define JAN1      ((int64_t)1767225600) /* 2026-01-01 */
#define MAR1      (JAN1 + 59 * DAY)
#define APR1      (JAN1 + 90 * DAY)
#define JUL1      (JAN1 + 181 * DAY)
#define JUL16     (JUL1 + 15 * DAY)
#define AUG1      (JUL1 + 31 * DAY)
#define SEP1      (AUG1 + 31 * DAY)
#define DEC1      (JAN1 + 334 * DAY)
#define NEXT_JAN1 (JAN1 + 365 * DAY)

/* A tier, an account in it, a touchpoint and first-response hours. */
typedef struct fixture {
    servgap_ctx *ctx;
    int32_t gold, acme, email, frh;
} fixture;

static fixture setup(void)
{
    fixture f;
    f.ctx = new_ctx();
    f.acme = account(f.ctx, "acme", "gold", 1000.0);
    f.gold = tier(f.ctx, "gold");
    f.email = touchpoint(f.ctx, "email");
    ck_assert_int_eq(servgap_metric_define(f.ctx, "first_response_hours",
                                           SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER, 0,
                                           1000, 24, "h", &f.frh),
                     SERVGAP_OK);
    return f;
}

static void put(const fixture *f, int32_t kind, int32_t scope, int32_t vp, double v, int64_t t)
{
    int rc = servgap_record(f->ctx, kind, scope, f->email, f->frh, vp, v, t, SERVGAP_NONE,
                            SERVGAP_DRIVER_NONE);
    ck_assert_msg(rc == SERVGAP_OK, "record: %s", servgap_errmsg(f->ctx));
}

/* The tier-wide standard of gold at email, declared on day t. */
static void sla(const fixture *f, double hours, int64_t t)
{
    put(f, SERVGAP_SCOPE_TIER, f->gold, SERVGAP_VP_STANDARD, hours, t);
}

static servgap_result *window(const fixture *f, int64_t from, int64_t to, uint32_t flags)
{
    servgap_result *r = NULL;
    int rc = servgap_query_at(f->ctx, from, to, to, flags, &r);
    ck_assert_msg(rc == SERVGAP_OK, "query: %s", servgap_errmsg(f->ctx));
    return r;
}

/* The cell of a scope at email for first-response hours. */
static servgap_cell cell_of(const servgap_result *r, const fixture *f, int32_t kind, int32_t id)
{
    size_t i;
    ck_assert_int_eq(servgap_result_find(r, kind, id, f->email, f->frh, 0, &i), SERVGAP_OK);
    servgap_cell c = {.size = sizeof c};
    ck_assert_int_eq(servgap_result_cell(r, i, &c), SERVGAP_OK);
    return c;
}

static servgap_gap gap_of(const servgap_result *r, const fixture *f, int32_t kind, int32_t id,
                          int32_t gap)
{
    size_t i;
    ck_assert_int_eq(servgap_result_find(r, kind, id, f->email, f->frh, 0, &i), SERVGAP_OK);
    servgap_gap g = {.size = sizeof g};
    ck_assert_int_eq(servgap_result_gap(r, i, gap, &g), SERVGAP_OK);
    return g;
}

/* The standard the gold tier's cell reads in [from, to). */
static servgap_cell gold_cell(const fixture *f, int64_t from, int64_t to)
{
    servgap_result *r = window(f, from, to, SERVGAP_QUERY_TIERS);
    servgap_cell c = cell_of(r, f, SERVGAP_SCOPE_TIER, f->gold);
    servgap_result_free(r);
    return c;
}

/* ---------------------------------------------------------------------- */
/* Declarations                                                            */
/* ---------------------------------------------------------------------- */

/* An SLA written once in January is the SLA of December: 4 h, read from
 * its day to the window's end, and unchanged. */
START_TEST(sla_of_january_in_force_in_december)
{
    fixture f = setup();
    sla(&f, 4.0, JAN1 + 3600);
    put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_DELIVERED, 6.0, DEC1 + 5 * DAY);
    servgap_cell c = gold_cell(&f, DEC1, NEXT_JAN1);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 1);
    ck_assert_double_eq(c.mean[SERVGAP_VP_STANDARD], 4.0);
    ck_assert_int_eq(c.read_from[SERVGAP_VP_STANDARD], JAN1);
    ck_assert_int_eq(c.read_to[SERVGAP_VP_STANDARD], NEXT_JAN1);
    ck_assert_int_eq(c.declared[SERVGAP_VP_STANDARD], JAN1);
    ck_assert_uint_eq(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_CHANGED, 0);
    /* Delivery gap, oriented (lower is better): -6 - -4 = -2 h. */
    servgap_result *r = window(&f, DEC1, NEXT_JAN1, SERVGAP_QUERY_TIERS);
    servgap_gap g = gap_of(r, &f, SERVGAP_SCOPE_TIER, f.gold, SERVGAP_GAP_DELIVERY);
    ck_assert_double_eq(g.value, -2.0);
    ck_assert_uint_eq(g.flags & SERVGAP_GAPFLAG_CHANGED, 0);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Replaced on 1 July: March reads the old 8 h, August the new 4 h. */
START_TEST(replaced_in_july)
{
    fixture f = setup();
    sla(&f, 8.0, JAN1);
    sla(&f, 4.0, JUL1);
    servgap_cell march = gold_cell(&f, MAR1, APR1), august = gold_cell(&f, AUG1, SEP1);
    ck_assert_double_eq(march.mean[SERVGAP_VP_STANDARD], 8.0);
    ck_assert_int_eq(march.declared[SERVGAP_VP_STANDARD], JAN1);
    ck_assert_double_eq(august.mean[SERVGAP_VP_STANDARD], 4.0);
    ck_assert_int_eq(august.declared[SERVGAP_VP_STANDARD], JUL1);
    ck_assert_int_eq(august.read_from[SERVGAP_VP_STANDARD], JUL1);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Replaced on 16 July, inside the window July: 8 h on 15 days, 4 h on 16,
 * so the standard is (15 x 8 + 16 x 4) / 31 = 184 / 31 h, flagged as a
 * change on the standard and on the gaps it is a side of. */
START_TEST(replaced_inside_the_window)
{
    fixture f = setup();
    sla(&f, 8.0, JAN1);
    sla(&f, 4.0, JUL16);
    put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_DELIVERED, 6.0, JUL1 + 2 * DAY);
    servgap_result *r = window(&f, JUL1, AUG1, SERVGAP_QUERY_TIERS);
    servgap_cell c = cell_of(r, &f, SERVGAP_SCOPE_TIER, f.gold);
    ck_assert_double_eq_tol(c.mean[SERVGAP_VP_STANDARD], 184.0 / 31.0, 1e-15);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 2);
    ck_assert(isnan(c.sd[SERVGAP_VP_STANDARD]) || c.sd[SERVGAP_VP_STANDARD] == 0.0);
    ck_assert_uint_ne(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_CHANGED, 0);
    ck_assert_int_eq(c.read_from[SERVGAP_VP_STANDARD], JAN1);
    ck_assert_int_eq(c.declared[SERVGAP_VP_STANDARD], JUL16);
    servgap_gap d = gap_of(r, &f, SERVGAP_SCOPE_TIER, f.gold, SERVGAP_GAP_DELIVERY);
    ck_assert_double_eq_tol(d.value, -6.0 + 184.0 / 31.0, 1e-14);
    ck_assert_uint_ne(d.flags & SERVGAP_GAPFLAG_CHANGED, 0);
    servgap_gap p = gap_of(r, &f, SERVGAP_SCOPE_TIER, f.gold, SERVGAP_GAP_PERCEPTION);
    ck_assert_uint_eq(p.flags & SERVGAP_GAPFLAG_CHANGED, 0);
    servgap_result_free(r);
    /* A team's delivery against that standard is flagged too. */
    int32_t night = interned(f.ctx, SERVGAP_KIND_TEAM, "night");
    ck_assert_int_eq(servgap_record(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email, f.frh,
                                    SERVGAP_VP_DELIVERED, 7.0, JUL1 + 3 * DAY, night,
                                    SERVGAP_DRIVER_NONE),
                     SERVGAP_OK);
    r = window(&f, JUL1, AUG1, SERVGAP_QUERY_TIERS | SERVGAP_QUERY_BREAKDOWN);
    ck_assert_uint_gt(servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN), 0);
    for (size_t k = 0; k < servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN); k++) {
        servgap_breakdown b = {.size = sizeof b};
        ck_assert_int_eq(servgap_result_breakdown(r, k, &b), SERVGAP_OK);
        ck_assert_uint_ne(b.flags & SERVGAP_GAPFLAG_CHANGED, 0);
    }
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Withdrawn on 1 July: in force in March, gone in August; a withdrawal
 * inside the window keeps the days before it and flags the change; a new
 * declaration after it starts anew. */
START_TEST(withdrawn_is_gone)
{
    fixture f = setup();
    sla(&f, 8.0, JAN1);
    ck_assert_int_eq(servgap_declaration_withdraw(f.ctx, SERVGAP_SCOPE_TIER, f.gold, f.email, f.frh,
                                                  SERVGAP_VP_STANDARD, JUL16),
                     SERVGAP_OK);
    put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_DELIVERED, 9.0, AUG1 + 1);
    ck_assert_int_eq(gold_cell(&f, MAR1, APR1).n[SERVGAP_VP_STANDARD], 1);
    ck_assert_int_eq(gold_cell(&f, AUG1, SEP1).n[SERVGAP_VP_STANDARD], 0);
    servgap_cell july = gold_cell(&f, JUL1, AUG1);
    ck_assert_double_eq(july.mean[SERVGAP_VP_STANDARD], 8.0);
    ck_assert_uint_ne(july.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_CHANGED, 0);
    sla(&f, 2.0, SEP1 + 10 * DAY);
    servgap_cell sep = gold_cell(&f, SEP1, SEP1 + 30 * DAY);
    ck_assert_double_eq(sep.mean[SERVGAP_VP_STANDARD], 2.0);
    ck_assert_uint_eq(sep.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_CHANGED, 0);
    /* Only declarations can be withdrawn. */
    ck_assert_int_eq(servgap_declaration_withdraw(f.ctx, SERVGAP_SCOPE_TIER, f.gold, f.email, f.frh,
                                                  SERVGAP_VP_DELIVERED, JUL1),
                     SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_declaration_withdraw(f.ctx, SERVGAP_SCOPE_TIER, 99, f.email, f.frh,
                                                  SERVGAP_VP_PROMISED, JUL1),
                     SERVGAP_ENOTFOUND);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* An SLA table re-entered every month with the same value is one SLA in
 * force: a window that spans a re-entry reads it once, unchanged; a
 * different value is a change. */
START_TEST(the_same_set_again_is_no_change)
{
    fixture f = setup();
    for (int64_t m = 0; m < 12; m++)
        sla(&f, 4.0, JAN1 + m * 30 * DAY);
    servgap_cell c = gold_cell(&f, MAR1 - 15 * DAY, MAR1 + 15 * DAY);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 1);
    ck_assert_double_eq(c.mean[SERVGAP_VP_STANDARD], 4.0);
    ck_assert_uint_eq(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_CHANGED, 0);
    ck_assert_int_eq(c.read_from[SERVGAP_VP_STANDARD], JAN1 + 30 * DAY);
    ck_assert_int_eq(c.declared[SERVGAP_VP_STANDARD], JAN1 + 60 * DAY);
    sla(&f, 5.0, JAN1 + 70 * DAY);
    c = gold_cell(&f, MAR1 - 15 * DAY, MAR1 + 15 * DAY);
    ck_assert_uint_ne(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_CHANGED, 0);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 2);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* The declarations of one day form one set (mean 5 of 4 and 6); the
 * account's own declaration comes before its tier's, which it falls back
 * to for a viewpoint it has none of. */
START_TEST(one_day_one_set_and_fallback)
{
    fixture f = setup();
    sla(&f, 4.0, JAN1);
    sla(&f, 6.0, JAN1 + 7200);
    put(&f, SERVGAP_SCOPE_TIER, f.gold, SERVGAP_VP_PROMISED, 3.0, JAN1);
    put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_STANDARD, 2.0, MAR1);
    put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_DELIVERED, 5.0, AUG1);
    servgap_result *r = window(&f, AUG1, SEP1, SERVGAP_QUERY_ACCOUNTS);
    servgap_cell c = cell_of(r, &f, SERVGAP_SCOPE_ACCOUNT, f.acme);
    ck_assert_double_eq(c.mean[SERVGAP_VP_STANDARD], 2.0);
    ck_assert_uint_eq(c.source[SERVGAP_VP_STANDARD], SERVGAP_SOURCE_OWN);
    ck_assert_double_eq(c.mean[SERVGAP_VP_PROMISED], 3.0);
    ck_assert_uint_eq(c.source[SERVGAP_VP_PROMISED], SERVGAP_SOURCE_TIER);
    ck_assert_int_eq(c.declared[SERVGAP_VP_PROMISED], JAN1);
    servgap_result_free(r);
    servgap_cell g = gold_cell(&f, MAR1 - DAY, MAR1);
    ck_assert_double_eq(g.mean[SERVGAP_VP_STANDARD], 5.0);
    ck_assert_int_eq(g.n[SERVGAP_VP_STANDARD], 2);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Survey waves and events                                                 */
/* ---------------------------------------------------------------------- */

/* A 30-day window in December reads the expectations of a wave in July
 * (five months before, within the default 365 days), not those of a wave
 * in November 2025 (older than the look-back), and perceived answers of
 * its own days only. */
START_TEST(waves_in_the_lookback)
{
    fixture f = setup();
    for (int k = 0; k < 5; k++) {
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_EXPECTED, 2.0, JUL1 + k * DAY);
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_EXPECTED, 9.0, JAN1 - 40 * DAY);
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_PERCEIVED, 7.0, JUL1 + k * DAY);
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_PERCEIVED, 3.0, DEC1 + k * DAY);
    }
    servgap_result *r = window(&f, DEC1, DEC1 + 30 * DAY, SERVGAP_QUERY_ACCOUNTS);
    servgap_cell c = cell_of(r, &f, SERVGAP_SCOPE_ACCOUNT, f.acme);
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 5);
    ck_assert_double_eq(c.mean[SERVGAP_VP_EXPECTED], 2.0);
    ck_assert_int_eq(c.read_from[SERVGAP_VP_EXPECTED], DEC1 + 30 * DAY - 365 * DAY);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 5);
    ck_assert_double_eq(c.mean[SERVGAP_VP_PERCEIVED], 3.0);
    ck_assert_int_eq(c.read_from[SERVGAP_VP_PERCEIVED], DEC1);
    servgap_result_free(r);
    /* A shorter look-back leaves July out; a window longer than it reads
     * the window itself. */
    ck_assert_int_eq(servgap_ctx_set_option(f.ctx, SERVGAP_OPT_LOOKBACK_DAYS, 90), SERVGAP_OK);
    r = window(&f, DEC1, DEC1 + 30 * DAY, SERVGAP_QUERY_ACCOUNTS);
    ck_assert_int_eq(cell_of(r, &f, SERVGAP_SCOPE_ACCOUNT, f.acme).n[SERVGAP_VP_EXPECTED], 0);
    servgap_result_free(r);
    r = window(&f, JAN1 - 60 * DAY, NEXT_JAN1, SERVGAP_QUERY_ACCOUNTS);
    ck_assert_int_eq(cell_of(r, &f, SERVGAP_SCOPE_ACCOUNT, f.acme).n[SERVGAP_VP_EXPECTED], 10);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Responses in the window stay paired (service gap on the paired t, the
 * pairs counted); a wave of responses before the window adds its
 * expectations only, so the sides are no longer the same respondents and
 * the gap is Welch's. */
START_TEST(responses_stay_paired)
{
    fixture f = setup();
    const int32_t item[1] = {SERVGAP_DIM_RELIABILITY};
    for (int k = 0; k < 6; k++) {
        double e[1] = {6.0 + (k % 2)}, p[1] = {4.0 + (k % 3)};
        ck_assert_int_eq(servgap_record_response(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email,
                                                 DEC1 + k * DAY, SERVGAP_NONE, SERVGAP_DRIVER_NONE,
                                                 1, item, e, NULL, p, NULL),
                         SERVGAP_OK);
    }
    servgap_result *r = window(&f, DEC1, DEC1 + 30 * DAY, SERVGAP_QUERY_ACCOUNTS);
    size_t i;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email,
                                         SERVGAP_DIM_RELIABILITY, 0, &i),
                     SERVGAP_OK);
    servgap_gap g = {.size = sizeof g};
    ck_assert_int_eq(servgap_result_gap(r, i, SERVGAP_GAP_SERVICE, &g), SERVGAP_OK);
    ck_assert_uint_ne(g.flags & SERVGAP_GAPFLAG_PAIRED, 0);
    ck_assert_double_eq(g.df, 5.0);
    servgap_result_free(r);
    for (int k = 0; k < 6; k++) {
        double e[1] = {7.0}, p[1] = {1.0};
        ck_assert_int_eq(servgap_record_response(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email,
                                                 AUG1 + k * DAY, SERVGAP_NONE, SERVGAP_DRIVER_NONE,
                                                 1, item, e, NULL, p, NULL),
                         SERVGAP_OK);
    }
    r = window(&f, DEC1, DEC1 + 30 * DAY, SERVGAP_QUERY_ACCOUNTS);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email,
                                         SERVGAP_DIM_RELIABILITY, 0, &i),
                     SERVGAP_OK);
    servgap_cell c = {.size = sizeof c};
    ck_assert_int_eq(servgap_result_cell(r, i, &c), SERVGAP_OK);
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 12);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 6);
    ck_assert_int_eq(c.pairs, 6);
    ck_assert_int_eq(servgap_result_gap(r, i, SERVGAP_GAP_SERVICE, &g), SERVGAP_OK);
    ck_assert_uint_eq(g.flags & SERVGAP_GAPFLAG_PAIRED, 0);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* The chain still telescopes                                              */
/* ---------------------------------------------------------------------- */

static uint64_t rng = 0x2545f4914f6cdd1du;

static double uniform_in(double lo, double hi)
{
    return lo + (hi - lo) * test_draw(&rng, 1000001) / 1e6;
}

/* Random declarations (replaced and withdrawn at random days) and
 * observations of every chain viewpoint over a year. */
static void random_year(const fixture *f)
{
    static const int32_t vps[4] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_BELIEVED, SERVGAP_VP_DELIVERED,
                                   SERVGAP_VP_PERCEIVED};
    for (int k = 0; k < 40; k++) {
        int64_t t = JAN1 + (int64_t)test_draw(&rng, 365) * DAY;
        int32_t kind = test_draw(&rng, 2) ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT;
        int32_t id = kind == SERVGAP_SCOPE_TIER ? f->gold : f->acme;
        if (test_draw(&rng, 8) == 0)
            ck_assert_int_eq(servgap_declaration_withdraw(f->ctx, kind, id, f->email, f->frh,
                                                          SERVGAP_VP_STANDARD, t),
                             SERVGAP_OK);
        else
            put(f, kind, id, SERVGAP_VP_STANDARD, uniform_in(1, 40), t);
    }
    for (int k = 0; k < 2000; k++)
        put(f, SERVGAP_SCOPE_ACCOUNT, f->acme, vps[test_draw(&rng, 4)], uniform_in(0, 100),
            JAN1 + (int64_t)test_draw(&rng, 365) * DAY);
}

static double link_value(const servgap_result *r, size_t i, int32_t gap, int *ok)
{
    servgap_gap g = {.size = sizeof g};
    ck_assert_int_eq(servgap_result_gap(r, i, gap, &g), SERVGAP_OK);
    *ok &= isfinite(g.value) && g.status != SERVGAP_STATUS_UNRESOLVED;
    return g.value;
}

/* service = knowledge + standards + delivery + perception, to 1e-12, in
 * every window of the year where all four links are resolved. */
START_TEST(chain_telescopes_with_declarations)
{
    fixture f = setup();
    random_year(&f);
    int checked = 0;
    for (int64_t start = JAN1; start + 30 * DAY <= NEXT_JAN1; start += 11 * DAY) {
        servgap_result *r = window(&f, start, start + 30 * DAY, SERVGAP_QUERY_ACCOUNTS);
        size_t i;
        if (servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email, f.frh, 0, &i) ==
            SERVGAP_OK) {
            int ok = 1;
            double s = link_value(r, i, SERVGAP_GAP_SERVICE, &ok);
            double sum = link_value(r, i, SERVGAP_GAP_KNOWLEDGE, &ok) +
                         link_value(r, i, SERVGAP_GAP_STANDARDS, &ok) +
                         link_value(r, i, SERVGAP_GAP_DELIVERY, &ok) +
                         link_value(r, i, SERVGAP_GAP_PERCEPTION, &ok);
            if (ok) {
                ck_assert_double_eq_tol(s, sum, 1e-12 * (1.0 + fabs(s)));
                checked++;
            }
        }
        servgap_result_free(r);
    }
    ck_assert_int_ge(checked, 20);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Persistence and trends                                                  */
/* ---------------------------------------------------------------------- */

/* A promise of 4 h made once in January, delivered at 5 h every day: a
 * small communication gap (-1 h) in every month, so persistent. */
static fixture promise_kept_short(void)
{
    fixture f = setup();
    put(&f, SERVGAP_SCOPE_TIER, f.gold, SERVGAP_VP_PROMISED, 4.0, JAN1);
    for (int64_t d = 0; d < 365; d++)
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_DELIVERED, 5.0 + (d % 3) * 0.1,
            JAN1 + d * DAY);
    return f;
}

START_TEST(small_monthly_communication_gap_is_persistent)
{
    fixture f = promise_kept_short();
    servgap_result *r = window(&f, DEC1, NEXT_JAN1, SERVGAP_QUERY_ALL);
    int found = 0;
    for (size_t i = 0; i < servgap_result_count(r, SERVGAP_TABLE_FINDINGS); i++) {
        servgap_finding x = {.size = sizeof x};
        ck_assert_int_eq(servgap_result_finding(r, i, &x), SERVGAP_OK);
        if (x.gap != SERVGAP_GAP_COMMUNICATION || x.scope_kind != SERVGAP_SCOPE_TIER ||
            x.touchpoint != f.email || x.metric != f.frh)
            continue;
        found = 1;
        ck_assert_int_eq(x.windows, 3);
        ck_assert_uint_ne(x.flags & SERVGAP_FINDING_PERSISTENT, 0);
    }
    ck_assert(found);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* A team's delivery against the promise (the communication gap of the
 * team), beside its delivery against the standard: the evening team
 * answers in 9 h against 4 h promised and 6 h standard, the day team in
 * 3 h. Oriented (lower is better): -9 - -4 = -5 and -9 - -6 = -3; +1 and
 * +3 for the day team. */
START_TEST(teams_against_the_promise)
{
    fixture f = setup();
    int32_t day = interned(f.ctx, SERVGAP_KIND_TEAM, "day");
    int32_t eve = interned(f.ctx, SERVGAP_KIND_TEAM, "evening");
    put(&f, SERVGAP_SCOPE_TIER, f.gold, SERVGAP_VP_PROMISED, 4.0, JAN1);
    sla(&f, 6.0, JAN1);
    for (int k = 0; k < 4; k++) {
        int32_t team[2] = {day, eve};
        double hours[2] = {3.0, 9.0};
        for (int t = 0; t < 2; t++)
            ck_assert_int_eq(servgap_record(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email, f.frh,
                                            SERVGAP_VP_DELIVERED, hours[t], DEC1 + k * DAY, team[t],
                                            SERVGAP_DRIVER_NONE),
                             SERVGAP_OK);
    }
    servgap_result *r =
        window(&f, DEC1, NEXT_JAN1, SERVGAP_QUERY_ACCOUNTS | SERVGAP_QUERY_BREAKDOWN);
    size_t cell;
    ck_assert_int_eq(
        servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acme, f.email, f.frh, 0, &cell),
        SERVGAP_OK);
    double want[2][2] = {{3.0, 1.0}, {-3.0, -5.0}}; /* [team][delivery, communication] */
    int seen = 0;
    for (size_t k = 0; k < servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN); k++) {
        servgap_breakdown b = {.size = sizeof b};
        ck_assert_int_eq(servgap_result_breakdown(r, k, &b), SERVGAP_OK);
        if (b.cell != cell || b.facet != SERVGAP_FACET_TEAM)
            continue;
        int t = b.facet_id == eve, g = b.gap == SERVGAP_GAP_COMMUNICATION;
        ck_assert(b.gap == SERVGAP_GAP_DELIVERY || g);
        ck_assert_double_eq(b.value, want[t][g]);
        seen |= 1 << (2 * t + g);
    }
    ck_assert_int_eq(seen, 15);
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* acme's risk row of a December query. */
static servgap_risk december_risk(const fixture *f)
{
    servgap_result *r = window(f, DEC1, NEXT_JAN1, SERVGAP_QUERY_ALL);
    servgap_risk k = {.size = sizeof k};
    for (size_t i = 0; i < servgap_result_count(r, SERVGAP_TABLE_RISK); i++) {
        ck_assert_int_eq(servgap_result_risk(r, i, &k), SERVGAP_OK);
        if (k.account == f->acme)
            break;
    }
    ck_assert_int_eq(k.account, f->acme);
    servgap_result_free(r);
    return k;
}

/* A knowledge gap of one survey wave in July (the provider believes
 * customers expect 2 h, they expect 1 h) is the same in every window of
 * the look-back, so risk, which asks how often an account's experience
 * fell short, does not count it; a delivery shortfall every month does. */
START_TEST(risk_counts_measured_gaps)
{
    fixture f = setup();
    sla(&f, 4.0, JAN1);
    for (int k = 0; k < 6; k++) {
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_EXPECTED, 1.0 + 0.01 * k, JUL1 + k);
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_BELIEVED, 2.0 + 0.01 * k, JUL1 + k);
    }
    for (int64_t d = 250; d < 365; d++)
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_DELIVERED, 3.0 + (d % 2) * 0.1,
            JAN1 + d * DAY);
    servgap_risk k = december_risk(&f);
    ck_assert_int_eq(k.windows, 3);
    ck_assert_int_eq(k.with_shortfall, 0);
    for (int64_t d = 250; d < 365; d++)
        put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_DELIVERED, 9.0 + (d % 2) * 0.1,
            JAN1 + d * DAY);
    k = december_risk(&f);
    ck_assert_int_eq(k.with_shortfall, 3);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Gap g of a cell in a query of [from, to) alone, or NULL when that window
 * has no such cell. */
static int own_query_gap(const fixture *f, const servgap_trend *t, servgap_gap *g)
{
    servgap_result *r = window(f, t->from, t->to, SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS);
    size_t i;
    int found = servgap_result_find(r, t->scope_kind, t->scope_id, t->touchpoint, t->metric,
                                    t->dimension, &i) == SERVGAP_OK;
    if (found)
        ck_assert_int_eq(servgap_result_gap(r, i, t->gap, g), SERVGAP_OK);
    servgap_result_free(r);
    return found;
}

static void same_bits(double a, double b)
{
    ck_assert_int_eq(memcmp(&a, &b, sizeof a), 0);
}

/* Each finding gets a series of 12 windows of 30 days ending at now, and
 * every window equals a query of that window alone, bit for bit: a trend
 * window builds only its series' cells, and with threads (_i: 1 to 3)
 * several windows at once. */
START_TEST(every_trend_window_is_its_own_query)
{
    fixture f = promise_kept_short();
    random_year(&f);
    ck_assert_int_eq(servgap_ctx_set_option(f.ctx, SERVGAP_OPT_THREADS, _i), SERVGAP_OK);
    servgap_result *r = window(&f, DEC1, NEXT_JAN1, SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS);
    size_t nf = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    size_t nt = servgap_result_count(r, SERVGAP_TABLE_TRENDS);
    ck_assert_uint_gt(nf, 0);
    ck_assert_uint_eq(nt, nf * 12);
    for (size_t k = 0; k < nt; k++) {
        servgap_trend t = {.size = sizeof t};
        ck_assert_int_eq(servgap_result_trend(r, k, &t), SERVGAP_OK);
        ck_assert_uint_eq(t.series, k / 12);
        ck_assert_uint_eq(t.finding, k / 12);
        ck_assert_int_eq(t.window, (int32_t)(k % 12));
        ck_assert_int_eq(t.to, NEXT_JAN1 - (int64_t)(11 - k % 12) * 30 * DAY);
        ck_assert_int_eq(t.from, t.to - 30 * DAY);
        servgap_gap g = {.size = sizeof g};
        if (!own_query_gap(&f, &t, &g)) {
            ck_assert_int_eq(t.status, SERVGAP_STATUS_INSUFFICIENT);
            ck_assert(isnan(t.value));
            continue;
        }
        same_bits(t.value, g.value);
        same_bits(t.lo, g.lo);
        same_bits(t.hi, g.hi);
        ck_assert_int_eq(t.status, g.status);
        ck_assert_uint_eq(t.flags, g.flags);
        ck_assert_int_eq(t.n_up, g.n_up);
        ck_assert_int_eq(t.n_down, g.n_down);
    }
    servgap_result_free(r);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* Named cells get their series; a bad name is refused with its index. */
START_TEST(trends_of_named_cells)
{
    fixture f = promise_kept_short();
    const int32_t kind[2] = {SERVGAP_SCOPE_TIER, SERVGAP_SCOPE_ACCOUNT};
    const int32_t id[2] = {f.gold, f.acme}, tp[2] = {f.email, SERVGAP_ALL};
    const int32_t metric[2] = {f.frh, f.frh}, dim[2] = {0, 0};
    const int32_t gap[2] = {SERVGAP_GAP_COMMUNICATION, SERVGAP_GAP_DELIVERY};
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_ctx_set_option(f.ctx, SERVGAP_OPT_TREND_WINDOWS, 4), SERVGAP_OK);
    ck_assert_int_eq(servgap_query_trends(f.ctx, NEXT_JAN1, 2, kind, id, tp, metric, dim, gap, &r),
                     SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_TRENDS), 8);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_CELLS), 0);
    for (size_t k = 0; k < 4; k++) {
        servgap_trend t = {.size = sizeof t};
        ck_assert_int_eq(servgap_result_trend(r, k, &t), SERVGAP_OK);
        ck_assert_uint_eq(t.finding, UINT64_MAX);
        ck_assert_double_eq_tol(t.value, -1.1, 0.1); /* 4 h promised, 5 to 5.2 h delivered */
        ck_assert_int_eq(t.status, SERVGAP_STATUS_SHORTFALL);
    }
    servgap_result_free(r);
    const int32_t bad_id[2] = {f.gold, 77};
    r = NULL;
    ck_assert_int_eq(
        servgap_query_trends(f.ctx, NEXT_JAN1, 2, kind, bad_id, tp, metric, dim, gap, &r),
        SERVGAP_ENOTFOUND);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(f.ctx), "cell 1"));
    ck_assert_int_eq(
        servgap_query_trends(f.ctx, NEXT_JAN1 + 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, &r),
        SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_query_trends(f.ctx, NEXT_JAN1, 2, kind, id, tp, metric, dim, NULL, &r),
                     SERVGAP_EMISUSE);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Withdrawals in CSV and snapshots                                        */
/* ---------------------------------------------------------------------- */

static const char csv[] = "time,account,tier,touchpoint,metric,viewpoint,value\n"
                          "2026-01-01,,gold,email,first_response_hours,standard,8\n"
                          "2026-07-16,,gold,email,first_response_hours,standard,withdrawn\n"
                          "2026-08-02,acme,,email,first_response_hours,delivered,9\n";

START_TEST(withdrawn_in_csv_and_snapshots)
{
    fixture f = setup();
    ck_assert_int_eq(servgap_import_csv_buffer(f.ctx, SERVGAP_CSV_OBSERVATIONS, "obs.csv", csv,
                                               sizeof csv - 1, 0, NULL),
                     SERVGAP_OK);
    ck_assert_int_eq(gold_cell(&f, MAR1, APR1).n[SERVGAP_VP_STANDARD], 1);
    ck_assert_int_eq(gold_cell(&f, AUG1, SEP1).n[SERVGAP_VP_STANDARD], 0);
    /* "withdrawn" is a value only of a declaration. */
    static const char bad[] = "time,account,tier,touchpoint,metric,viewpoint,value\n"
                              "2026-01-01,acme,,email,first_response_hours,delivered,withdrawn\n";
    ck_assert_int_ne(servgap_import_csv_buffer(f.ctx, SERVGAP_CSV_OBSERVATIONS, "bad.csv", bad,
                                               sizeof bad - 1, 0, NULL),
                     SERVGAP_OK);
    size_t len = 0;
    ck_assert_int_eq(servgap_snapshot_write(f.ctx, NULL, 0, &len), SERVGAP_OK);
    unsigned char *snap = malloc(len);
    ck_assert_ptr_nonnull(snap);
    ck_assert_int_eq(servgap_snapshot_write(f.ctx, snap, len, &len), SERVGAP_OK);
    ck_assert_int_eq(snap[12], 1); /* the header announces withdrawals */
    servgap_ctx *back = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(back, snap, len), SERVGAP_OK);
    fixture g = f;
    g.ctx = back;
    ck_assert_int_eq(gold_cell(&g, AUG1, SEP1).n[SERVGAP_VP_STANDARD], 0);
    ck_assert_int_eq(gold_cell(&g, MAR1, APR1).n[SERVGAP_VP_STANDARD], 1);
    free(snap);
    servgap_ctx_free(back);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* SERVGAP_DECLARE_IN_WINDOW with a look-back of one day reads as 1.1 did:
 * every viewpoint in the window only, withdrawals ignored. The January SLA
 * is not seen in December; a December row of it is, with the window's
 * read range and no declaration date. */
START_TEST(declarations_read_in_the_window_as_before)
{
    fixture f = setup();
    ck_assert_int_eq(
        servgap_ctx_set_option(f.ctx, SERVGAP_OPT_DECLARATIONS, SERVGAP_DECLARE_IN_WINDOW),
        SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(f.ctx, SERVGAP_OPT_LOOKBACK_DAYS, 1), SERVGAP_OK);
    sla(&f, 8.0, JAN1);
    put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_EXPECTED, 3.0, JUL1);
    put(&f, SERVGAP_SCOPE_ACCOUNT, f.acme, SERVGAP_VP_DELIVERED, 6.0, DEC1 + DAY);
    servgap_cell c = gold_cell(&f, DEC1, NEXT_JAN1);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 0);
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 0);
    sla(&f, 5.0, DEC1 + 2 * DAY);
    sla(&f, 7.0, DEC1 + 9 * DAY);
    ck_assert_int_eq(servgap_declaration_withdraw(f.ctx, SERVGAP_SCOPE_TIER, f.gold, f.email, f.frh,
                                                  SERVGAP_VP_STANDARD, DEC1 + 3 * DAY),
                     SERVGAP_OK);
    c = gold_cell(&f, DEC1, NEXT_JAN1);
    ck_assert_int_eq(c.n[SERVGAP_VP_STANDARD], 2);
    ck_assert_double_eq(c.mean[SERVGAP_VP_STANDARD], 6.0);
    ck_assert_int_eq(c.read_from[SERVGAP_VP_STANDARD], DEC1);
    ck_assert_int_eq(c.declared[SERVGAP_VP_STANDARD], SERVGAP_TIME_NONE);
    ck_assert_uint_eq(c.source[SERVGAP_VP_STANDARD] & SERVGAP_SOURCE_CHANGED, 0);
    servgap_ctx_free(f.ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("time");
    TCase *tc = tcase_create("declarations");
    tcase_add_test(tc, sla_of_january_in_force_in_december);
    tcase_add_test(tc, replaced_in_july);
    tcase_add_test(tc, replaced_inside_the_window);
    tcase_add_test(tc, withdrawn_is_gone);
    tcase_add_test(tc, one_day_one_set_and_fallback);
    tcase_add_test(tc, the_same_set_again_is_no_change);
    tcase_add_test(tc, withdrawn_in_csv_and_snapshots);
    tcase_add_test(tc, declarations_read_in_the_window_as_before);
    suite_add_tcase(s, tc);
    tc = tcase_create("surveys");
    tcase_add_test(tc, waves_in_the_lookback);
    tcase_add_test(tc, responses_stay_paired);
    tcase_add_test(tc, chain_telescopes_with_declarations);
    suite_add_tcase(s, tc);
    tc = tcase_create("series");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, small_monthly_communication_gap_is_persistent);
    tcase_add_test(tc, risk_counts_measured_gaps);
    tcase_add_test(tc, teams_against_the_promise);
    tcase_add_loop_test(tc, every_trend_window_is_its_own_query, 1, 4);
    tcase_add_test(tc, trends_of_named_cells);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
