/*
 * test_errors_query -- the error paths of queries (windows, flags, the
 * analysis date), of the result accessors (indexes, struct sizes, unknown
 * cells) and of merging handles (a handle into itself, conflicting
 * definitions). A refused call changes neither handle (errors.h has the
 * approach).
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "servgap.h"

#include "errors.h"
#include "run_suite.h"

static const int64_t D = SERVGAP_DAY;

/* ---------------------------------------------------------------------- */
/* Queries and results                                                     */
/* ---------------------------------------------------------------------- */

/* A fixture with 20 observations: acme's expected and perceived
 * reliability on each of ten seconds from T0, team squad. */
static fixture recorded(void)
{
    fixture f = setup();
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(servgap_record(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 1,
                                        SERVGAP_VP_EXPECTED, 6.0, T0 + i, f.team, 0),
                         SERVGAP_OK);
        ck_assert_int_eq(servgap_record(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 1,
                                        SERVGAP_VP_PERCEIVED, 5.0, T0 + i, f.team, 0),
                         SERVGAP_OK);
    }
    return f;
}

/* Errors on the handle do not touch its observations. */
static void free_recorded(fixture *f)
{
    ck_assert_uint_eq(obs_count(f->ctx), 20);
    servgap_ctx_free(f->ctx);
}

/* A window must be whole days, from before to: refused, naming the end at
 * fault, with no result. */
START_TEST(test_query_bad_windows)
{
    fixture f = recorded();
    servgap_ctx *ctx = f.ctx;
    servgap_result *r = (servgap_result *)0;
    FAILS(ctx, servgap_query(ctx, T0 + 1, T0 + D, 0, &r), SERVGAP_ERANGE, "from", "window");
    FAILS(ctx, servgap_query(ctx, T0, T0 + D + 3600, 0, &r), SERVGAP_ERANGE, "to", "window");
    FAILS(ctx, servgap_query(ctx, T0, T0, 0, &r), SERVGAP_ERANGE, "from", "window");
    FAILS(ctx, servgap_query(ctx, T0 + D, T0, 0, &r), SERVGAP_ERANGE, "from", "window");
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MIN, 0, &r), SERVGAP_ERANGE,
          "from", "window");
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MAX, SERVGAP_TIME_MAX, 0, &r), SERVGAP_ERANGE,
          "from", "window");
    FAILS(ctx, servgap_query(ctx, T0 - 1, SERVGAP_TIME_MAX, 0, &r), SERVGAP_ERANGE, "from",
          "window");
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, 1, 0, &r), SERVGAP_ERANGE, "to", "window");
    ck_assert_ptr_null(r);
    free_recorded(&f);
}
END_TEST

START_TEST(test_query_bad_flags)
{
    fixture f = recorded();
    servgap_ctx *ctx = f.ctx;
    servgap_result *r = (servgap_result *)0;
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0x80u, &r), SERVGAP_EINVAL,
          "flags", "80");
    FAILS(ctx,
          servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX,
                        SERVGAP_QUERY_TIERS | SERVGAP_QUERY_TRENDS, &r),
          SERVGAP_EINVAL, "TRENDS", "PRIORITIES");
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0xFFFFFFFFu, &r),
          SERVGAP_EINVAL, "flags", NULL);
    ck_assert_ptr_null(r);
    free_recorded(&f);
}
END_TEST

START_TEST(test_query_at_errors)
{
    fixture f = recorded();
    servgap_ctx *ctx = f.ctx;
    servgap_result *r = (servgap_result *)0;
    FAILS(ctx, servgap_query_at(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, T0 + 1, 0, &r),
          SERVGAP_ERANGE, "now", "midnight");
    ck_assert_msg(strncmp(servgap_errmsg(ctx), "servgap_query_at: ", 18) == 0,
                  "message names the call: '%s'", servgap_errmsg(ctx));
    FAILS(ctx, servgap_query_at(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_TIME_MAX, 0, &r),
          SERVGAP_ERANGE, "now", NULL);
    FAILS(ctx, servgap_query_at(ctx, T0, T0 + D, T0, 0x80u, &r), SERVGAP_EINVAL, "flags", NULL);
    ck_assert_int_eq(servgap_query_at(NULL, T0, T0 + D, T0, 0, &r), SERVGAP_EMISUSE);
    FAILS(ctx, servgap_query_at(ctx, T0, T0 + D, T0, 0, NULL), SERVGAP_EMISUSE, "out", NULL);
    ck_assert_ptr_null(r);
    free_recorded(&f);
}
END_TEST

/* Valid windows, including negative days and open ends. */
static const int64_t ok_windows[][2] = {{SERVGAP_TIME_MIN, SERVGAP_TIME_MAX},
                                        {T0, T0 + SERVGAP_DAY},
                                        {-SERVGAP_DAY, 0},
                                        {SERVGAP_TIME_MIN, T0},
                                        {T0, SERVGAP_TIME_MAX}};

/* Loop test over ok_windows: the result reports its window. */
START_TEST(test_query_valid_window)
{
    fixture f = recorded();
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(f.ctx, ok_windows[_i][0], ok_windows[_i][1], 0, &r), SERVGAP_OK);
    int64_t from = 0, to = 0;
    ck_assert_int_eq(servgap_result_window(r, &from, &to), SERVGAP_OK);
    ck_assert(from == ok_windows[_i][0] && to == ok_windows[_i][1]);
    servgap_result_free(r);
    free_recorded(&f);
}
END_TEST

/* A result of every analysis over the recorded fixture, and its table
 * sizes. */
typedef struct queried {
    fixture f;
    servgap_result *r;
    size_t nc, ns, nb;
} queried;

static queried query_all(void)
{
    queried q = {.f = recorded()};
    ck_assert_int_eq(
        servgap_query(q.f.ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_ALL, &q.r),
        SERVGAP_OK);
    q.nc = servgap_result_count(q.r, SERVGAP_TABLE_CELLS);
    q.ns = servgap_result_count(q.r, SERVGAP_TABLE_SERVQUAL);
    q.nb = servgap_result_count(q.r, SERVGAP_TABLE_BREAKDOWN);
    return q;
}

static void free_queried(queried *q)
{
    servgap_result_free(q->r);
    free_recorded(&q->f);
}

START_TEST(test_result_counts)
{
    queried q = query_all();
    ck_assert_uint_gt(q.nc, 0);
    ck_assert_uint_gt(q.ns, 0);
    ck_assert_uint_eq(servgap_result_count(q.r, 0), 0);
    ck_assert_uint_eq(servgap_result_count(q.r, 8), 0);
    ck_assert_uint_eq(servgap_result_count(q.r, -1), 0);
    free_queried(&q);
}
END_TEST

START_TEST(test_result_cell_errors)
{
    queried q = query_all();
    servgap_result *r = q.r;
    servgap_cell c;
    memset(&c, 0, sizeof c);
    c.size = sizeof c;
    ck_assert_int_eq(servgap_result_cell(r, q.nc - 1, &c), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, q.nc, &c), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_cell(r, SIZE_MAX, &c), SERVGAP_ERANGE);
    c.size = 0;
    ck_assert_int_eq(servgap_result_cell(r, 0, &c), SERVGAP_EMISUSE);
    c.size = sizeof(size_t);
    ck_assert_int_eq(servgap_result_cell(r, 0, &c), SERVGAP_EMISUSE);
    c.size = offsetof(servgap_cell, pe_correlation) + sizeof c.pe_correlation - 1; /* 1.0 - 1 */
    ck_assert_int_eq(servgap_result_cell(r, 0, &c), SERVGAP_EMISUSE);
    free_queried(&q);
}
END_TEST

/* A larger struct (a later minor version's): filled, its tail untouched. */
START_TEST(test_result_cell_larger_struct)
{
    queried q = query_all();
    struct {
        servgap_cell c;
        unsigned char tail[32];
    } bigc;
    memset(&bigc, 0xCD, sizeof bigc);
    bigc.c.size = sizeof bigc;
    ck_assert_int_eq(servgap_result_cell(q.r, 0, &bigc.c), SERVGAP_OK);
    for (size_t i = 0; i < sizeof bigc.tail; i++)
        ck_assert_uint_eq(bigc.tail[i], 0xCD);
    free_queried(&q);
}
END_TEST

START_TEST(test_result_gap_errors)
{
    queried q = query_all();
    servgap_result *r = q.r;
    servgap_gap g;
    memset(&g, 0, sizeof g);
    g.size = sizeof g;
    ck_assert_int_eq(servgap_result_gap(r, 0, SERVGAP_GAP_SERVICE, &g), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_gap(r, q.nc - 1, SERVGAP_GAP_ADEQUACY, &g), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_gap(r, q.nc, SERVGAP_GAP_SERVICE, &g), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_gap(r, 0, SERVGAP_GAP_COUNT, &g), SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_result_gap(r, 0, -1, &g), SERVGAP_EINVAL);
    g.size = 0;
    ck_assert_int_eq(servgap_result_gap(r, 0, SERVGAP_GAP_SERVICE, &g), SERVGAP_EMISUSE);
    free_queried(&q);
}
END_TEST

START_TEST(test_result_servqual_errors)
{
    queried q = query_all();
    servgap_result *r = q.r;
    servgap_servqual sq;
    memset(&sq, 0, sizeof sq);
    sq.size = sizeof sq;
    ck_assert_int_eq(servgap_result_servqual(r, q.ns - 1, &sq), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_servqual(r, q.ns, &sq), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_servqual(r, SIZE_MAX, &sq), SERVGAP_ERANGE);
    sq.size = 0;
    ck_assert_int_eq(servgap_result_servqual(r, 0, &sq), SERVGAP_EMISUSE);
    free_queried(&q);
}
END_TEST

START_TEST(test_result_breakdown_errors)
{
    queried q = query_all();
    servgap_result *r = q.r;
    servgap_breakdown b;
    memset(&b, 0, sizeof b);
    b.size = sizeof b;
    if (q.nb > 0)
        ck_assert_int_eq(servgap_result_breakdown(r, q.nb - 1, &b), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_breakdown(r, q.nb, &b), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_breakdown(r, SIZE_MAX, &b), SERVGAP_ERANGE);
    b.size = 0;
    if (q.nb > 0)
        ck_assert_int_eq(servgap_result_breakdown(r, 0, &b), SERVGAP_EMISUSE);
    free_queried(&q);
}
END_TEST

/* An unknown scope, touchpoint, metric or scope kind: ENOTFOUND, the index
 * untouched. */
START_TEST(test_result_find_errors)
{
    queried q = query_all();
    servgap_result *r = q.r;
    const int32_t acct = q.f.acct, tp = q.f.tp;
    size_t idx = 77;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, &idx),
                     SERVGAP_OK);
    ck_assert_uint_lt(idx, q.nc);
    idx = 77;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, BAD, tp, 1, 0, &idx),
                     SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, BAD, 1, 0, &idx),
                     SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, tp, BAD, 0, &idx),
                     SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_result_find(r, 9, acct, tp, 1, 0, &idx), SERVGAP_ENOTFOUND);
    ck_assert_uint_eq(idx, 77);
    free_queried(&q);
}
END_TEST

/* The analysis date: explicit, the window's end, or the midnight after the
 * latest observation when the window is open-ended (0 without data). */
static int64_t now_of(servgap_ctx *ctx, int64_t from, int64_t to, int64_t now)
{
    servgap_result *r = NULL;
    int64_t got = -1;
    ck_assert_int_eq(servgap_query_at(ctx, from, to, now, 0, &r), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_now(r, &got), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_now(NULL, &got), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_now(r, NULL), SERVGAP_EMISUSE);
    servgap_result_free(r);
    return got;
}

START_TEST(test_query_now)
{
    fixture f = setup();
    ck_assert_int_eq(now_of(f.ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_TIME_NONE), 0);
    ck_assert_int_eq(now_of(f.ctx, T0, T0 + 7 * D, SERVGAP_TIME_NONE), T0 + 7 * D);
    ck_assert_int_eq(now_of(f.ctx, T0, T0 + 7 * D, T0 - 3 * D), T0 - 3 * D);
    /* Latest observation at noon of day 5 (recorded before an earlier one). */
    ck_assert_int_eq(servgap_record(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 0,
                                    SERVGAP_VP_PERCEIVED, 5.0, T0 + 5 * D + D / 2, SERVGAP_NONE, 0),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_record(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 0,
                                    SERVGAP_VP_PERCEIVED, 5.0, T0 + 2 * D, SERVGAP_NONE, 0),
                     SERVGAP_OK);
    ck_assert_int_eq(now_of(f.ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_TIME_NONE),
                     T0 + 6 * D);
    ck_assert_int_eq(now_of(f.ctx, T0, SERVGAP_TIME_MAX, SERVGAP_TIME_NONE), T0 + 6 * D);
    servgap_ctx_free(f.ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Merge                                                                   */
/* ---------------------------------------------------------------------- */

/* The handle merged into: the fixture with one observation of acme and the
 * metric "frt" (24 h span). */
static servgap_ctx *merge_dst(void)
{
    fixture f = setup();
    ck_assert_int_eq(servgap_record(f.ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 1,
                                    SERVGAP_VP_EXPECTED, 6.0, T0, SERVGAP_NONE, 0),
                     SERVGAP_OK);
    int32_t id;
    ck_assert_int_eq(servgap_metric_define(f.ctx, "frt", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &id),
                     SERVGAP_OK);
    return f.ctx;
}

START_TEST(test_merge_into_itself)
{
    servgap_ctx *dst = merge_dst();
    FAILS(dst, servgap_ctx_merge(dst, dst), SERVGAP_EINVAL, NULL, NULL);
    ck_assert_uint_eq(obs_count(dst), 1);
    servgap_ctx_free(dst);
}
END_TEST

/* A metric defined differently in src. */
START_TEST(test_merge_conflicting_metric)
{
    servgap_ctx *dst = merge_dst();
    servgap_ctx *src = new_ctx();
    int32_t sid, sacct;
    ck_assert_int_eq(servgap_metric_define(src, "frt", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 12, "h", &sid),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(src, "newco", "smb", 5.0, &sacct), SERVGAP_OK);
    ck_assert_int_eq(servgap_record(src, SERVGAP_SCOPE_ACCOUNT, sacct, SERVGAP_ANY, sid,
                                    SERVGAP_VP_DELIVERED, 3.0, T0, SERVGAP_NONE, 0),
                     SERVGAP_OK);
    FAILS(dst, servgap_ctx_merge(dst, src), SERVGAP_ECONFLICT, "frt", NULL);
    ck_assert_uint_eq(obs_count(dst), 1);
    ck_assert_int_eq(kind_count(dst, SERVGAP_KIND_ACCOUNT), 1); /* newco not merged */
    ck_assert_int_eq(kind_count(dst, SERVGAP_KIND_TIER), 1);    /* nor smb */
    ck_assert_uint_eq(obs_count(src), 1);                       /* src unchanged */
    servgap_ctx_free(src);
    servgap_ctx_free(dst);
}
END_TEST

/* An account in a different tier in src. */
START_TEST(test_merge_conflicting_tier)
{
    servgap_ctx *dst = merge_dst();
    servgap_ctx *src = new_ctx();
    int32_t sacct;
    ck_assert_int_eq(servgap_account_define(src, "acme", "smb", 5.0, &sacct), SERVGAP_OK);
    ck_assert_int_eq(servgap_record(src, SERVGAP_SCOPE_ACCOUNT, sacct, SERVGAP_ANY, 1,
                                    SERVGAP_VP_PERCEIVED, 3.0, T0, SERVGAP_NONE, 0),
                     SERVGAP_OK);
    FAILS(dst, servgap_ctx_merge(dst, src), SERVGAP_ECONFLICT, "acme", NULL);
    ck_assert_uint_eq(obs_count(dst), 1);
    ck_assert_int_eq(kind_count(dst, SERVGAP_KIND_TIER), 1);
    servgap_ctx_free(src);
    servgap_ctx_free(dst);
}
END_TEST

/* A compatible src merges. */
START_TEST(test_merge_compatible)
{
    servgap_ctx *dst = merge_dst();
    servgap_ctx *src = new_ctx();
    int32_t sacct;
    ck_assert_int_eq(servgap_account_define(src, "acme", "enterprise", 5.0, &sacct), SERVGAP_OK);
    ck_assert_int_eq(servgap_record(src, SERVGAP_SCOPE_ACCOUNT, sacct, SERVGAP_ANY, 1,
                                    SERVGAP_VP_PERCEIVED, 3.0, T0, SERVGAP_NONE, 0),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_merge(dst, src), SERVGAP_OK);
    ck_assert_uint_eq(obs_count(dst), 2);
    ck_assert_uint_eq(obs_count(src), 1);
    servgap_ctx_free(src);
    servgap_ctx_free(dst);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors_query");
    TCase *tc = tcase_create("query");
    tcase_add_test(tc, test_query_bad_windows);
    tcase_add_test(tc, test_query_bad_flags);
    tcase_add_test(tc, test_query_at_errors);
    tcase_add_loop_test(tc, test_query_valid_window, 0,
                        (int)(sizeof ok_windows / sizeof ok_windows[0]));
    tcase_add_test(tc, test_query_now);
    suite_add_tcase(s, tc);

    tc = tcase_create("result");
    tcase_add_test(tc, test_result_counts);
    tcase_add_test(tc, test_result_cell_errors);
    tcase_add_test(tc, test_result_cell_larger_struct);
    tcase_add_test(tc, test_result_gap_errors);
    tcase_add_test(tc, test_result_servqual_errors);
    tcase_add_test(tc, test_result_breakdown_errors);
    tcase_add_test(tc, test_result_find_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("merge");
    tcase_add_test(tc, test_merge_into_itself);
    tcase_add_test(tc, test_merge_conflicting_metric);
    tcase_add_test(tc, test_merge_conflicting_tier);
    tcase_add_test(tc, test_merge_compatible);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
