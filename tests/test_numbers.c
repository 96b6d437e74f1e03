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
    return s;
}

int main(void)
{
    return run_suite(numbers_suite());
}
