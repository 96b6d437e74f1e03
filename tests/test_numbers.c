/*
 * test_numbers -- numbers at the edges, through the public API: messages
 * that print a caller's value show the shortest digits that read back to
 * it, so the digit at fault is visible (%g printed 0.9999999999999999 as
 * 1); CSV numbers that a double holds only as zero or a subnormal are
 * refused.
 *
 * Every expected message is written out by hand.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define OBS_HEADER "time,account,tier,touchpoint,metric,viewpoint,value,team,driver,respondent\n"

static int import_buffer(servgap_ctx *ctx, int32_t table, const char *csv)
{
    return servgap_import_csv_buffer(ctx, table, "t.csv", csv, strlen(csv), 0, NULL);
}

/* The call returned code and left exactly msg. */
static void failed(servgap_ctx *ctx, int rc, int code, const char *msg)
{
    ck_assert_msg(rc == code, "want %d, got %d: %s", code, rc, servgap_errmsg(ctx));
    ck_assert_str_eq(servgap_errmsg(ctx), msg);
}

static void import_fails(servgap_ctx *ctx, int32_t table, const char *csv, int code,
                         const char *msg)
{
    failed(ctx, import_buffer(ctx, table, csv), code, msg);
}

/* ---------------------------------------------------------------------- */
/* Messages                                                                */
/* ---------------------------------------------------------------------- */

/* The value just below 1 (1 - 2^-53) and just above 7 (7 + 2^-50 * 7 / 8,
 * the next double) are outside the Likert range, and the message says
 * which digit is wrong. */
START_TEST(test_record_message_digits)
{
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "acme", NULL, 10.0), tp = touchpoint(ctx, "email");
    int rc = servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, SERVGAP_DIM_RELIABILITY,
                            SERVGAP_VP_PERCEIVED, 0.9999999999999999, 0, SERVGAP_NONE,
                            SERVGAP_DRIVER_NONE);
    failed(ctx, rc, SERVGAP_ERANGE,
           "servgap_record: value 0.9999999999999999 outside [1, 7] of metric 'reliability'");
    /* NaN and the infinities are named as words, and a NaN's sign bit does
     * not show (printf writes "-nan"). */
    rc = servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, SERVGAP_DIM_RELIABILITY,
                        SERVGAP_VP_PERCEIVED, -NAN, 0, SERVGAP_NONE, SERVGAP_DRIVER_NONE);
    failed(ctx, rc, SERVGAP_ERANGE,
           "servgap_record: value nan outside [1, 7] of metric 'reliability'");
    rc = servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, SERVGAP_DIM_RELIABILITY,
                        SERVGAP_VP_PERCEIVED, -INFINITY, 0, SERVGAP_NONE, SERVGAP_DRIVER_NONE);
    failed(ctx, rc, SERVGAP_ERANGE,
           "servgap_record: value -inf outside [1, 7] of metric 'reliability'");
    int32_t metric = SERVGAP_DIM_EMPATHY, vp = SERVGAP_VP_EXPECTED;
    double v = nextafter(7.0, 8.0);
    int64_t t = 0;
    rc = servgap_record_batch(ctx, 1, NULL, &a, &tp, &metric, &vp, &v, &t, NULL, NULL);
    failed(ctx, rc, SERVGAP_ERANGE,
           "servgap_record_batch: observation 0: value 7.000000000000001 outside [1, 7] of "
           "metric 'empathy'");
    double e = v, p = 5.0;
    rc = servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, 0, SERVGAP_NONE,
                                 SERVGAP_DRIVER_NONE, 1, &metric, &e, NULL, &p, NULL);
    failed(ctx, rc, SERVGAP_ERANGE,
           "servgap_record_response: item 0: value 7.000000000000001 outside [1, 7] of "
           "metric 'empathy'");
    ck_assert_uint_eq(obs_count(ctx), 0);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_definition_message_digits)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id;
    failed(ctx,
           servgap_metric_define(ctx, "m", SERVGAP_DIM_TANGIBLES, SERVGAP_HIGHER_IS_BETTER, 1.0,
                                 0.9999999999999999, 0.0, NULL, &id),
           SERVGAP_ERANGE,
           "servgap_metric_define: metric 'm': range [1, 0.9999999999999999] is not min < max");
    int32_t a = account(ctx, "acme", NULL, 10.0);
    failed(ctx, servgap_account_set_health(ctx, a, 100.00000000000001), SERVGAP_ERANGE,
           "servgap_account_set_health: health 100.00000000000001 outside [0, 100]");
    failed(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, -5e-324), SERVGAP_ERANGE,
           "servgap_ctx_set_option: at-risk health -5e-324 outside [0, 100]");
    failed(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.5), SERVGAP_ERANGE,
           "servgap_ctx_set_option: confidence 0.5 outside (0.5, 1)");
    servgap_ctx_free(ctx);
}
END_TEST

/* Columns of the row: time 1, account 12, tier 17, touchpoint 18, metric
 * 24, viewpoint 36, value 46. */
START_TEST(test_csv_message_digits)
{
    servgap_ctx *ctx = new_ctx();
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,acme,,email,reliability,perceived,0.99999999999999994,,,\n",
                 SERVGAP_ERANGE,
                 "t.csv:2:46: value 0.9999999999999999 outside [1, 7] of metric 'reliability'");
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,health\nacme,100.000000000000015\n",
                 SERVGAP_ERANGE, "t.csv:2:6: health 100.00000000000001 outside [0, 100]");
    import_fails(ctx, SERVGAP_CSV_METRICS,
                 "metric,dimension,direction,min,max\nx,assurance,higher,1,0.9999999999999999\n",
                 SERVGAP_ERANGE, "t.csv:2:22: range [1, 0.9999999999999999] is not min < max");
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Numbers a double cannot hold                                            */
/* ---------------------------------------------------------------------- */

/* A CSV number whose digits are not all zero but which would read as zero
 * or as a subnormal is refused at its line and column: silently taking 0
 * (or 1e-320 as 9.99988671826831e-321) would be a different number. */
START_TEST(test_csv_too_small)
{
    static const char *const tiny[] = {"1e-400", "-4.9e-324", "2.2250738585072011e-308"};
    servgap_ctx *ctx = new_ctx();
    for (size_t i = 0; i < sizeof tiny / sizeof *tiny; i++) {
        char csv[200], msg[300];
        snprintf(csv, sizeof csv, OBS_HEADER "2024-01-02,acme,,email,reliability,perceived,%s,,,\n",
                 tiny[i]);
        snprintf(msg, sizeof msg,
                 "t.csv:2:46: value '%s' is too small for a double: a number that is not 0 must "
                 "be at least 2.2250738585072014e-308 in magnitude",
                 tiny[i]);
        import_fails(ctx, SERVGAP_CSV_OBSERVATIONS, csv, SERVGAP_ERANGE, msg);
    }
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\nacme,1e-400\n", SERVGAP_ERANGE,
                 "t.csv:2:6: value '1e-400' is too small for a double: a number that is not 0 "
                 "must be at least 2.2250738585072014e-308 in magnitude");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    /* Zero written with an exponent far below the range is zero. */
    ck_assert_int_eq(import_buffer(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\nacme,0e-400\n"),
                     SERVGAP_OK);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Limits on numbers                                                       */
/* ---------------------------------------------------------------------- */

/* The next double above x, and below. */
static double up(double x)
{
    return nextafter(x, INFINITY);
}

static double down(double x)
{
    return nextafter(x, -INFINITY);
}

static int define_metric(servgap_ctx *ctx, const char *name, double min, double max, double span)
{
    int32_t id;
    return servgap_metric_define(ctx, name, SERVGAP_DIM_RESPONSIVENESS, SERVGAP_HIGHER_IS_BETTER,
                                 min, max, span, NULL, &id);
}

START_TEST(test_metric_limits)
{
    servgap_ctx *ctx = new_ctx();
    /* The widest range; its default span is SERVGAP_SPAN_MAX itself. */
    ck_assert_int_eq(define_metric(ctx, "wide", -SERVGAP_VALUE_MAX, SERVGAP_VALUE_MAX, 0.0),
                     SERVGAP_OK);
    ck_assert_int_eq(define_metric(ctx, "fine", 0.0, 1.0, SERVGAP_SPAN_MIN), SERVGAP_OK);
    ck_assert_int_eq(define_metric(ctx, "open", 0.0, INFINITY, SERVGAP_SPAN_MAX), SERVGAP_OK);
    ck_assert_int_eq(define_metric(ctx, "narrow", 0.0, SERVGAP_SPAN_MIN, 0.0), SERVGAP_OK);
    failed(ctx, define_metric(ctx, "m", down(-SERVGAP_VALUE_MAX), 0.0, 1.0), SERVGAP_ERANGE,
           "servgap_metric_define: metric 'm': min -1000000000000000.1 is beyond +-1e15 "
           "(SERVGAP_VALUE_MAX)");
    failed(ctx, define_metric(ctx, "m", 0.0, up(SERVGAP_VALUE_MAX), 1.0), SERVGAP_ERANGE,
           "servgap_metric_define: metric 'm': max 1000000000000000.1 is beyond +-1e15 "
           "(SERVGAP_VALUE_MAX)");
    /* The range: its span and every mean of it overflowed. */
    failed(ctx, define_metric(ctx, "m", -1.7e308, 1.7e308, 0.0), SERVGAP_ERANGE,
           "servgap_metric_define: metric 'm': min -1.7e+308 is beyond +-1e15 "
           "(SERVGAP_VALUE_MAX)");
    failed(ctx, define_metric(ctx, "m", 0.0, 1.0, down(SERVGAP_SPAN_MIN)), SERVGAP_ERANGE,
           "servgap_metric_define: metric 'm': span 9.999999999999999e-10 is outside [1e-9, "
           "2e15] (SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX)");
    failed(ctx, define_metric(ctx, "m", 0.0, 1.0, 1e-320), SERVGAP_ERANGE,
           "servgap_metric_define: metric 'm': span 1e-320 is outside [1e-9, 2e15] "
           "(SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX)");
    failed(ctx, define_metric(ctx, "m", 0.0, INFINITY, up(SERVGAP_SPAN_MAX)), SERVGAP_ERANGE,
           "servgap_metric_define: metric 'm': span 2000000000000000.2 is outside [1e-9, 2e15] "
           "(SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX)");
    /* A span left to default is max - min, and the message says so. */
    failed(ctx, define_metric(ctx, "m", 1.0, 1.0 + 1e-10, 0.0), SERVGAP_ERANGE,
           "servgap_metric_define: metric 'm': span 1.000000082740371e-10 (max - min) is "
           "outside [1e-9, 2e15] (SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX)");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 9);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_account_and_effort_limits)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id, tp = touchpoint(ctx, "email");
    ck_assert_int_eq(servgap_account_define(ctx, "a", NULL, SERVGAP_VALUE_MAX, &id), SERVGAP_OK);
    failed(ctx, servgap_account_define(ctx, "a", NULL, up(SERVGAP_VALUE_MAX), &id), SERVGAP_ERANGE,
           "servgap_account_define: account 'a': value 1000000000000000.1 is beyond 1e15 "
           "(SERVGAP_VALUE_MAX)");
    failed(ctx, servgap_account_define(ctx, "b", NULL, 1e308, &id), SERVGAP_ERANGE,
           "servgap_account_define: account 'b': value 1e+308 is beyond 1e15 "
           "(SERVGAP_VALUE_MAX)");
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 1);
    const int32_t g = SERVGAP_GAP_DELIVERY, all = SERVGAP_ALL;
    ck_assert_int_eq(servgap_effort_set(ctx, g, tp, all, SERVGAP_EFFORT_MIN), SERVGAP_OK);
    ck_assert_int_eq(servgap_effort_set(ctx, g, all, all, SERVGAP_EFFORT_MAX), SERVGAP_OK);
    failed(ctx, servgap_effort_set(ctx, g, tp, all, down(SERVGAP_EFFORT_MIN)), SERVGAP_ERANGE,
           "servgap_effort_set: effort 9.999999999999999e-10 is outside [1e-9, 1e15] "
           "(SERVGAP_EFFORT_MIN, SERVGAP_EFFORT_MAX)");
    failed(ctx, servgap_effort_set(ctx, g, tp, all, 1e-320), SERVGAP_ERANGE,
           "servgap_effort_set: effort 1e-320 is outside [1e-9, 1e15] (SERVGAP_EFFORT_MIN, "
           "SERVGAP_EFFORT_MAX)");
    failed(ctx, servgap_effort_set(ctx, g, tp, all, up(SERVGAP_EFFORT_MAX)), SERVGAP_ERANGE,
           "servgap_effort_set: effort 1000000000000000.1 is outside [1e-9, 1e15] "
           "(SERVGAP_EFFORT_MIN, SERVGAP_EFFORT_MAX)");
    double e = 0.0;
    ck_assert_int_eq(servgap_effort_get(ctx, g, tp, 0, &e), SERVGAP_OK);
    ck_assert(e == SERVGAP_EFFORT_MIN);
    servgap_ctx_free(ctx);
}
END_TEST

/* A metric with an unbounded end does not bound its values; the limit
 * does, in every recording call. */
START_TEST(test_value_limits)
{
    servgap_ctx *ctx = new_ctx();
    int32_t raw, a = account(ctx, "a", NULL, 1.0), tp = touchpoint(ctx, "email");
    ck_assert_int_eq(servgap_metric_define(ctx, "raw", SERVGAP_DIM_TANGIBLES,
                                           SERVGAP_HIGHER_IS_BETTER, -INFINITY, INFINITY, 1.0, NULL,
                                           &raw),
                     SERVGAP_OK);
    const double ok[2] = {SERVGAP_VALUE_MAX, -SERVGAP_VALUE_MAX};
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, raw,
                                        SERVGAP_VP_DELIVERED, ok[i], 0, SERVGAP_NONE,
                                        SERVGAP_DRIVER_NONE),
                         SERVGAP_OK);
    failed(ctx,
           servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, raw, SERVGAP_VP_DELIVERED,
                          up(SERVGAP_VALUE_MAX), 0, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
           SERVGAP_ERANGE,
           "servgap_record: value 1000000000000000.1 of metric 'raw' is beyond +-1e15 "
           "(SERVGAP_VALUE_MAX)");
    int32_t ids[2] = {a, a}, tps[2] = {tp, tp}, ms[2] = {raw, raw};
    int32_t vps[2] = {SERVGAP_VP_STANDARD, SERVGAP_VP_STANDARD};
    double vals[2] = {1.0, -1e308};
    int64_t times[2] = {0, 0};
    failed(ctx, servgap_record_batch(ctx, 2, NULL, ids, tps, ms, vps, vals, times, NULL, NULL),
           SERVGAP_ERANGE,
           "servgap_record_batch: observation 1: value -1e+308 of metric 'raw' is beyond "
           "+-1e15 (SERVGAP_VALUE_MAX)");
    double e = down(-SERVGAP_VALUE_MAX), p = 0.0;
    failed(ctx,
           servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, 0, SERVGAP_NONE,
                                   SERVGAP_DRIVER_NONE, 1, &raw, &e, NULL, &p, NULL),
           SERVGAP_ERANGE,
           "servgap_record_response: item 0: value -1000000000000000.1 of metric 'raw' is "
           "beyond +-1e15 (SERVGAP_VALUE_MAX)");
    ck_assert_uint_eq(obs_count(ctx), 2);
    servgap_ctx_free(ctx);
}
END_TEST

/* The same limits on every table, at the field's line and column. */
START_TEST(test_csv_limits)
{
    servgap_ctx *ctx = new_ctx();
    const char *head = "metric,dimension,direction,min,max,span\n";
    char csv[300];
    snprintf(csv, sizeof csv, "%sw,assurance,higher,-1e15,1e15,\nr,assurance,higher,,,1e-9\n",
             head);
    ck_assert_int_eq(import_buffer(ctx, SERVGAP_CSV_METRICS, csv), SERVGAP_OK);
    /* Columns: min 20; after a min of 0, max 22; after an empty max, span 23. */
    snprintf(csv, sizeof csv, "%sx,assurance,higher,-1000000000000000.1,,\n", head);
    import_fails(ctx, SERVGAP_CSV_METRICS, csv, SERVGAP_ERANGE,
                 "t.csv:2:20: min -1000000000000000.1 is beyond +-1e15 (SERVGAP_VALUE_MAX)");
    snprintf(csv, sizeof csv, "%sx,assurance,higher,0,1.7e308,\n", head);
    import_fails(ctx, SERVGAP_CSV_METRICS, csv, SERVGAP_ERANGE,
                 "t.csv:2:22: max 1.7e+308 is beyond +-1e15 (SERVGAP_VALUE_MAX)");
    snprintf(csv, sizeof csv, "%sx,assurance,higher,0,,1e-10\n", head);
    import_fails(ctx, SERVGAP_CSV_METRICS, csv, SERVGAP_ERANGE,
                 "t.csv:2:23: span 1e-10 is outside [1e-9, 2e15] (SERVGAP_SPAN_MIN, "
                 "SERVGAP_SPAN_MAX)");
    snprintf(csv, sizeof csv, "%sx,assurance,higher,0,1e-10,\n", head);
    import_fails(ctx, SERVGAP_CSV_METRICS, csv, SERVGAP_ERANGE,
                 "t.csv:2:22: span 1e-10 (max - min) is outside [1e-9, 2e15] "
                 "(SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX)");
    ck_assert_int_eq(import_buffer(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\na,1e15\n"),
                     SERVGAP_OK);
    import_fails(ctx, SERVGAP_CSV_ACCOUNTS, "account,value\nb,1000000000000000.2\n", SERVGAP_ERANGE,
                 "t.csv:2:3: value 1000000000000000.2 is beyond 1e15 (SERVGAP_VALUE_MAX)");
    ck_assert_int_eq(import_buffer(ctx, SERVGAP_CSV_EFFORTS,
                                   "gap,touchpoint,metric,effort\ndelivery,*,*,1e-9\n"
                                   "perception,*,*,1e15\n"),
                     SERVGAP_OK);
    /* (1e-320 is refused earlier, as too small for a double.) */
    import_fails(ctx, SERVGAP_CSV_EFFORTS, "gap,touchpoint,metric,effort\ndelivery,*,*,1e-10\n",
                 SERVGAP_ERANGE,
                 "t.csv:2:14: effort 1e-10 is outside [1e-9, 1e15] (SERVGAP_EFFORT_MIN, "
                 "SERVGAP_EFFORT_MAX)");
    ck_assert_int_eq(import_buffer(ctx, SERVGAP_CSV_OBSERVATIONS,
                                   OBS_HEADER "2024-01-02,a,,email,r,delivered,1e15,,,\n"
                                              "2024-01-02,a,,email,r,delivered,-1e15,,,\n"),
                     SERVGAP_OK);
    /* value column 33 in this row */
    import_fails(ctx, SERVGAP_CSV_OBSERVATIONS,
                 OBS_HEADER "2024-01-02,a,,email,r,delivered,2e15,,,\n", SERVGAP_ERANGE,
                 "t.csv:2:33: value 2000000000000000 of metric 'r' is beyond +-1e15 "
                 "(SERVGAP_VALUE_MAX)");
    ck_assert_uint_eq(obs_count(ctx), 2);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* At the limits, every number stays finite                               */
/* ---------------------------------------------------------------------- */

static void record_n(servgap_ctx *ctx, int32_t a, int32_t tp, int32_t m, int32_t vp, double v,
                     int n)
{
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, m, vp, v, 0,
                                        SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                         SERVGAP_OK);
}

static int32_t wide_metric(servgap_ctx *ctx)
{
    int32_t id;
    ck_assert_int_eq(servgap_metric_define(ctx, "wide", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, -SERVGAP_VALUE_MAX,
                                           SERVGAP_VALUE_MAX, 0.0, NULL, &id),
                     SERVGAP_OK);
    return id;
}

/* Account p (value 1e15) at email: standard 1e15, delivered -1e15 five
 * times, the delivery effort SERVGAP_EFFORT_MIN. */
static servgap_ctx *handle_p(void)
{
    servgap_ctx *ctx = new_ctx();
    int32_t m = wide_metric(ctx), p = account(ctx, "p", NULL, SERVGAP_VALUE_MAX);
    int32_t tp = touchpoint(ctx, "email");
    record_n(ctx, p, tp, m, SERVGAP_VP_STANDARD, SERVGAP_VALUE_MAX, 1);
    record_n(ctx, p, tp, m, SERVGAP_VP_DELIVERED, -SERVGAP_VALUE_MAX, 5);
    ck_assert_int_eq(
        servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, SERVGAP_ALL, SERVGAP_ALL, SERVGAP_EFFORT_MIN),
        SERVGAP_OK);
    return ctx;
}

/* Accounts q and r (1e15 each); q at chat: delivered 1e15 once, perceived
 * -1e15 five times; the perception effort SERVGAP_EFFORT_MAX. */
static servgap_ctx *handle_qr(void)
{
    servgap_ctx *ctx = new_ctx();
    int32_t m = wide_metric(ctx), q = account(ctx, "q", NULL, SERVGAP_VALUE_MAX);
    account(ctx, "r", NULL, SERVGAP_VALUE_MAX);
    int32_t tp = touchpoint(ctx, "chat");
    record_n(ctx, q, tp, m, SERVGAP_VP_DELIVERED, SERVGAP_VALUE_MAX, 1);
    record_n(ctx, q, tp, m, SERVGAP_VP_PERCEIVED, -SERVGAP_VALUE_MAX, 5);
    ck_assert_int_eq(servgap_effort_set(ctx, SERVGAP_GAP_PERCEPTION, SERVGAP_ALL, SERVGAP_ALL,
                                        SERVGAP_EFFORT_MAX),
                     SERVGAP_OK);
    return ctx;
}

static void near(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= 1e-12 * fabs(want), "got %.17g, want %.17g", got, want);
}

/* What the inputs broke, at the largest inputs now accepted, and
 * through a merge and a snapshot: gaps of -2e15 (normalized -1: the span
 * is 2e15), exact sides, so significant; three accounts of 1e15, so each
 * finding's value share is 1/3 and its impact 100 (1 * 1/3 * 1)^(1/3) =
 * 69.33612743506347; priorities 69.336... / 1e-9 and / 1e15. */
START_TEST(test_limits_stay_finite)
{
    servgap_ctx *ctx = handle_p(), *other = handle_qr();
    ck_assert_int_eq(servgap_ctx_merge(ctx, other), SERVGAP_OK);
    size_t len = 0;
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &len), SERVGAP_OK);
    char *snap = malloc(len);
    ck_assert_int_eq(servgap_snapshot_write(ctx, snap, len, &len), SERVGAP_OK);
    servgap_ctx *loaded = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(loaded, snap, len), SERVGAP_OK);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(loaded, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    ck_assert_uint_eq(servgap_result_count(r, SERVGAP_TABLE_FINDINGS), 2);
    const double impact = 69.33612743506347;
    const struct {
        int32_t gap, quadrant;
        double effort;
    } want[2] = {{SERVGAP_GAP_DELIVERY, SERVGAP_QUADRANT_QUICK_WIN, SERVGAP_EFFORT_MIN},
                 {SERVGAP_GAP_PERCEPTION, SERVGAP_QUADRANT_MAJOR_PROJECT, SERVGAP_EFFORT_MAX}};
    for (size_t i = 0; i < 2; i++) {
        servgap_finding f = {.size = sizeof f};
        ck_assert_int_eq(servgap_result_finding(r, i, &f), SERVGAP_OK);
        ck_assert_int_eq(f.gap, want[i].gap);
        ck_assert_int_eq(f.quadrant, want[i].quadrant);
        ck_assert_double_eq(f.value, -2e15);
        ck_assert_double_eq(f.normalized, -1.0);
        near(f.value_share, 1.0 / 3.0);
        ck_assert_double_eq(f.affected_value, SERVGAP_VALUE_MAX);
        near(f.impact, impact);
        near(f.priority, impact / want[i].effort);
    }
    servgap_result_free(r);
    servgap_ctx_free(loaded);
    free(snap);
    servgap_ctx_free(other);
    servgap_ctx_free(ctx);
}
END_TEST

static Suite *numbers_suite(void)
{
    Suite *s = suite_create("numbers");
    TCase *tc = tcase_create("messages");
    tcase_add_test(tc, test_record_message_digits);
    tcase_add_test(tc, test_definition_message_digits);
    tcase_add_test(tc, test_csv_message_digits);
    suite_add_tcase(s, tc);
    tc = tcase_create("doubles");
    tcase_add_test(tc, test_csv_too_small);
    suite_add_tcase(s, tc);
    tc = tcase_create("limits");
    tcase_add_test(tc, test_metric_limits);
    tcase_add_test(tc, test_account_and_effort_limits);
    tcase_add_test(tc, test_value_limits);
    tcase_add_test(tc, test_csv_limits);
    tcase_add_test(tc, test_limits_stay_finite);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(numbers_suite());
}
