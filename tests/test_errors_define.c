/*
 * test_errors_define -- the error paths of defining things: interned names
 * (kinds, invalid UTF-8 and lengths, unknown names and ids), metrics
 * (arguments, ranges, conflicting redefinitions, metric_info) and accounts
 * (definitions, updates, account_info); a refused definition creates
 * nothing (errors.h has the approach).
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "servgap.h"

#include "errors.h"
#include "run_suite.h"

/* ---------------------------------------------------------------------- */
/* Names                                                                   */
/* ---------------------------------------------------------------------- */

START_TEST(test_unknown_kinds)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = 123, cnt = 0;
    const char *name = "sentinel";
    FAILS(ctx, servgap_intern(ctx, 0, "x", &id), SERVGAP_EINVAL, "kind", "0");
    FAILS(ctx, servgap_intern(ctx, 77, "x", &id), SERVGAP_EINVAL, "kind", "77");
    FAILS(ctx, servgap_intern(ctx, SERVGAP_KIND_ACCOUNT, "x", &id), SERVGAP_EINVAL, "kind", "4");
    FAILS(ctx, servgap_intern(ctx, SERVGAP_KIND_METRIC, "x", &id), SERVGAP_EINVAL, "kind", "5");
    FAILS(ctx, servgap_lookup(ctx, 77, "x", &id), SERVGAP_EINVAL, "kind", "77");
    FAILS(ctx, servgap_name(ctx, 77, 0, &name), SERVGAP_EINVAL, "kind", "77");
    FAILS(ctx, servgap_count(ctx, 77, &cnt), SERVGAP_EINVAL, "kind", "77");
    FAILS(ctx, servgap_count(ctx, 0, &cnt), SERVGAP_EINVAL, "kind", "0");
    servgap_ctx_free(ctx);
}
END_TEST

static const int32_t internable[] = {SERVGAP_KIND_TIER, SERVGAP_KIND_TOUCHPOINT, SERVGAP_KIND_TEAM};

/* Loop test over internable: every invalid name refused, nothing created. */
START_TEST(test_invalid_names)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = 123;
    char n256[257];
    const char *bad[] = {"",
                         name_of(n256, 256, 'b'),
                         "\xff",
                         "ok\xff",
                         "\xc0\x80",         /* overlong NUL */
                         "\xe2\x82",         /* truncated 3-byte sequence */
                         "\xed\xa0\x80",     /* UTF-16 surrogate */
                         "\xf4\x90\x80\x80", /* above U+10FFFF */
                         "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FAILS(ctx, servgap_intern(ctx, internable[_i], bad[i], &id), SERVGAP_EINVAL, "name", NULL);
        ck_assert_int_eq(id, 123);
        ck_assert_int_eq(kind_count(ctx, internable[_i]), 0);
    }
    servgap_ctx_free(ctx);
}
END_TEST

/* Two tiers: 255 bytes and multi-byte UTF-8 are fine; ids are dense from
 * 0, and interning a name again gives its id. */
static void two_tiers(servgap_ctx *ctx)
{
    int32_t id = 123;
    char n255[256];
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TIER, name_of(n255, 255, 'a'), &id),
                     SERVGAP_OK);
    ck_assert_int_eq(id, 0);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TIER, "caf\xc3\xa9 \xe6\x97\xa5", &id),
                     SERVGAP_OK);
    ck_assert_int_eq(id, 1);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TIER, n255, &id), SERVGAP_OK);
    ck_assert_int_eq(id, 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 2);
}

START_TEST(test_valid_names)
{
    servgap_ctx *ctx = new_ctx();
    two_tiers(ctx);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_unknown_names_and_ids)
{
    servgap_ctx *ctx = new_ctx();
    two_tiers(ctx);
    int32_t id = 123;
    const char *name = "sentinel";
    FAILS(ctx, servgap_lookup(ctx, SERVGAP_KIND_TIER, "nosuchtier", &id), SERVGAP_ENOTFOUND,
          "nosuchtier", NULL);
    FAILS(ctx, servgap_lookup(ctx, SERVGAP_KIND_ACCOUNT, "nosuchaccount", &id), SERVGAP_ENOTFOUND,
          "nosuchaccount", NULL);
    FAILS(ctx, servgap_lookup(ctx, SERVGAP_KIND_METRIC, "nosuchmetric", &id), SERVGAP_ENOTFOUND,
          "nosuchmetric", NULL);
    ck_assert_int_eq(id, 123);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 2); /* lookup did not create */
    FAILS(ctx, servgap_name(ctx, SERVGAP_KIND_TIER, BAD, &name), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, servgap_name(ctx, SERVGAP_KIND_TIER, 2, &name), SERVGAP_ENOTFOUND, "2", NULL);
    FAILS(ctx, servgap_name(ctx, SERVGAP_KIND_TIER, -1, &name), SERVGAP_ENOTFOUND, "-1", NULL);
    FAILS(ctx, servgap_name(ctx, SERVGAP_KIND_TOUCHPOINT, 0, &name), SERVGAP_ENOTFOUND, "0", NULL);
    FAILS(ctx, servgap_name(ctx, SERVGAP_KIND_METRIC, 5, &name), SERVGAP_ENOTFOUND, "5", NULL);
    FAILS(ctx, servgap_name(ctx, SERVGAP_KIND_ACCOUNT, 0, &name), SERVGAP_ENOTFOUND, "0", NULL);
    ck_assert_str_eq(name, "sentinel");
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Metrics                                                                 */
/* ---------------------------------------------------------------------- */

/* dimension, direction, name */
START_TEST(test_metric_bad_arguments)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = 123;
    char n256[257];
    name_of(n256, 256, 'm');
    FAILS(ctx, servgap_metric_define(ctx, "m", 5, SERVGAP_HIGHER_IS_BETTER, 1, 5, 0, NULL, &id),
          SERVGAP_EINVAL, "dimension", "5");
    FAILS(ctx, servgap_metric_define(ctx, "m", -1, SERVGAP_HIGHER_IS_BETTER, 1, 5, 0, NULL, &id),
          SERVGAP_EINVAL, "dimension", "-1");
    FAILS(ctx, servgap_metric_define(ctx, "m", SERVGAP_DIM_EMPATHY, 0, 1, 5, 0, NULL, &id),
          SERVGAP_EINVAL, "direction", "0");
    FAILS(ctx, servgap_metric_define(ctx, "m", SERVGAP_DIM_EMPATHY, 3, 1, 5, 0, NULL, &id),
          SERVGAP_EINVAL, "direction", "3");
    FAILS(ctx,
          servgap_metric_define(ctx, "", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 1, 5, 0,
                                NULL, &id),
          SERVGAP_EINVAL, "name", NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, n256, SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 1, 5, 0,
                                NULL, &id),
          SERVGAP_EINVAL, "name", NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, "\xff", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 1, 5, 0,
                                NULL, &id),
          SERVGAP_EINVAL, "name", NULL);
    servgap_ctx_free(ctx);
}
END_TEST

/* range and span */
START_TEST(test_metric_bad_range)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = 123;
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER,
                                0, INFINITY, 0, "h", &id),
          SERVGAP_ERANGE, "hours", "span");
    FAILS(ctx,
          servgap_metric_define(ctx, "delta", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER,
                                -INFINITY, INFINITY, 0, NULL, &id),
          SERVGAP_ERANGE, "delta", "span");
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER,
                                0, INFINITY, -24, "h", &id),
          SERVGAP_ERANGE, "hours", "span");
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER,
                                0, INFINITY, INFINITY, "h", &id),
          SERVGAP_ERANGE, "hours", "span");
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER,
                                0, INFINITY, NAN, "h", &id),
          SERVGAP_ERANGE, "hours", "span");
    FAILS(ctx,
          servgap_metric_define(ctx, "csat", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 5, 1, 0,
                                NULL, &id),
          SERVGAP_ERANGE, "csat", "min");
    FAILS(ctx,
          servgap_metric_define(ctx, "csat", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 3, 3, 0,
                                NULL, &id),
          SERVGAP_ERANGE, "csat", "min");
    FAILS(ctx,
          servgap_metric_define(ctx, "csat", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, NAN, 5,
                                0, NULL, &id),
          SERVGAP_ERANGE, "csat", "min");
    FAILS(ctx,
          servgap_metric_define(ctx, "csat", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 1, NAN,
                                0, NULL, &id),
          SERVGAP_ERANGE, "csat", "max");
    FAILS(ctx,
          servgap_metric_define(ctx, "csat", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER,
                                INFINITY, INFINITY, 1, NULL, &id),
          SERVGAP_ERANGE, "csat", "min");
    ck_assert_int_eq(id, 123);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 5);
    servgap_ctx_free(ctx);
}
END_TEST

/* A valid unbounded metric with a span: "hours", the first after the five
 * built-ins. */
static void define_hours(servgap_ctx *ctx)
{
    int32_t id = 123;
    ck_assert_int_eq(servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &id),
                     SERVGAP_OK);
    ck_assert_int_eq(id, 5);
}

START_TEST(test_metric_identical_redefinition)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = 123, id2 = 456;
    define_hours(ctx);
    ck_assert_int_eq(servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &id2),
                     SERVGAP_OK);
    ck_assert_int_eq(id2, 5);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 6);

    /* span 0 means max - min: "csat" 1..5 with span 0 is the same as span 4;
     * NULL unit is "". */
    ck_assert_int_eq(servgap_metric_define(ctx, "csat", SERVGAP_DIM_EMPATHY,
                                           SERVGAP_HIGHER_IS_BETTER, 1, 5, 0, NULL, &id),
                     SERVGAP_OK);
    ck_assert_int_eq(id, 6);
    ck_assert_int_eq(servgap_metric_define(ctx, "csat", SERVGAP_DIM_EMPATHY,
                                           SERVGAP_HIGHER_IS_BETTER, 1, 5, 4, "", &id2),
                     SERVGAP_OK);
    ck_assert_int_eq(id2, 6);
    servgap_metric mi;
    memset(&mi, 0, sizeof mi);
    mi.size = sizeof mi;
    ck_assert_int_eq(servgap_metric_info(ctx, 6, &mi), SERVGAP_OK);
    ck_assert(mi.span == 4.0);
    ck_assert_str_eq(mi.unit, "");
    servgap_ctx_free(ctx);
}
END_TEST

/* Redefinition with different parameters, of a defined and of a built-in
 * metric: refused, the definition kept. */
START_TEST(test_metric_conflicting_redefinition)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = 123;
    define_hours(ctx);
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER,
                                0, INFINITY, 12, "h", &id),
          SERVGAP_ECONFLICT, "hours", NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_HIGHER_IS_BETTER,
                                0, INFINITY, 24, "h", &id),
          SERVGAP_ECONFLICT, "hours", NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_EMPATHY, SERVGAP_LOWER_IS_BETTER, 0,
                                INFINITY, 24, "h", &id),
          SERVGAP_ECONFLICT, "hours", NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER,
                                0, 1000, 24, "h", &id),
          SERVGAP_ECONFLICT, "hours", NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER,
                                0, INFINITY, 24, "min", &id),
          SERVGAP_ECONFLICT, "hours", NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, "reliability", SERVGAP_DIM_RELIABILITY,
                                SERVGAP_HIGHER_IS_BETTER, 1, 5, 0, NULL, &id),
          SERVGAP_ECONFLICT, "reliability", NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, "empathy", SERVGAP_DIM_EMPATHY, SERVGAP_LOWER_IS_BETTER, 1, 7,
                                0, NULL, &id),
          SERVGAP_ECONFLICT, "empathy", NULL);
    ck_assert_int_eq(id, 123);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 6);
    servgap_metric mi;
    memset(&mi, 0, sizeof mi);
    mi.size = sizeof mi;
    ck_assert_int_eq(servgap_metric_info(ctx, 5, &mi), SERVGAP_OK);
    ck_assert_str_eq(mi.name, "hours");
    ck_assert_str_eq(mi.unit, "h");
    ck_assert_int_eq(mi.direction, SERVGAP_LOWER_IS_BETTER);
    ck_assert(mi.min == 0 && isinf(mi.max) && mi.max > 0 && mi.span == 24);
    servgap_ctx_free(ctx);
}
END_TEST

/* metric_info: unknown id, too small a struct. */
START_TEST(test_metric_info_errors)
{
    servgap_ctx *ctx = new_ctx();
    servgap_metric mi;
    memset(&mi, 0, sizeof mi);
    mi.size = sizeof mi;
    FAILS(ctx, servgap_metric_info(ctx, BAD, &mi), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, servgap_metric_info(ctx, -1, &mi), SERVGAP_ENOTFOUND, "-1", NULL);
    memset(&mi, 0, sizeof mi);
    mi.size = 0;
    FAILS(ctx, servgap_metric_info(ctx, 0, &mi), SERVGAP_EMISUSE, NULL, NULL);
    mi.size = sizeof(size_t);
    FAILS(ctx, servgap_metric_info(ctx, 0, &mi), SERVGAP_EMISUSE, NULL, NULL);
    ck_assert_ptr_null(mi.name);
    servgap_ctx_free(ctx);
}
END_TEST

/* A larger struct (a later minor version's): filled, its tail untouched. */
START_TEST(test_metric_info_larger_struct)
{
    servgap_ctx *ctx = new_ctx();
    struct {
        servgap_metric m;
        unsigned char tail[32];
    } big;
    memset(&big, 0xAB, sizeof big);
    big.m.size = sizeof big;
    ck_assert_int_eq(servgap_metric_info(ctx, 2, &big.m), SERVGAP_OK);
    ck_assert_str_eq(big.m.name, "responsiveness");
    for (size_t i = 0; i < sizeof big.tail; i++)
        ck_assert_uint_eq(big.tail[i], 0xAB);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Accounts                                                                */
/* ---------------------------------------------------------------------- */

START_TEST(test_account_define_errors)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    int32_t id = 123;
    char n256[257];
    name_of(n256, 256, 'x');

    FAILS(ctx, servgap_account_define(ctx, "", "enterprise", 1.0, &id), SERVGAP_EINVAL, "name",
          "account");
    FAILS(ctx, servgap_account_define(ctx, n256, "enterprise", 1.0, &id), SERVGAP_EINVAL, "name",
          "account");
    FAILS(ctx, servgap_account_define(ctx, "\xff", "enterprise", 1.0, &id), SERVGAP_EINVAL, "name",
          "account");
    FAILS(ctx, servgap_account_define(ctx, "beta", "\xff", 1.0, &id), SERVGAP_EINVAL, "tier",
          "name");
    FAILS(ctx, servgap_account_define(ctx, "beta", "", 1.0, &id), SERVGAP_EINVAL, "tier", "name");
    FAILS(ctx, servgap_account_define(ctx, "beta", "enterprise", -1.0, &id), SERVGAP_ERANGE,
          "value", "beta");
    FAILS(ctx, servgap_account_define(ctx, "beta", "enterprise", NAN, &id), SERVGAP_ERANGE, "value",
          "beta");
    FAILS(ctx, servgap_account_define(ctx, "beta", "enterprise", INFINITY, &id), SERVGAP_ERANGE,
          "value", "beta");
    ck_assert_int_eq(id, 123);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 1);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 1); /* no tier interned by failures */
    servgap_ctx_free(ctx);
}
END_TEST

/* Refused updates of health, flags and dates change nothing. */
START_TEST(test_account_update_errors)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    FAILS(ctx, servgap_account_set_health(ctx, BAD, 50), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, servgap_account_set_health(ctx, f.acct, -0.5), SERVGAP_ERANGE, "health", NULL);
    FAILS(ctx, servgap_account_set_health(ctx, f.acct, 100.5), SERVGAP_ERANGE, "health", NULL);
    FAILS(ctx, servgap_account_set_health(ctx, f.acct, INFINITY), SERVGAP_ERANGE, "health", NULL);
    ck_assert_int_eq(servgap_account_set_health(ctx, f.acct, 80.0), SERVGAP_OK);
    FAILS(ctx, servgap_account_set_health(ctx, f.acct, 101.0), SERVGAP_ERANGE, "health", NULL);
    FAILS(ctx, servgap_account_set_flag(ctx, BAD, SERVGAP_ACCOUNT_AT_RISK, 1), SERVGAP_ENOTFOUND,
          BADS, NULL);
    FAILS(ctx, servgap_account_set_flag(ctx, f.acct, 0, 1), SERVGAP_EINVAL, "flag", "0");
    FAILS(ctx, servgap_account_set_flag(ctx, f.acct, 3, 1), SERVGAP_EINVAL, "flag", "3");
    FAILS(ctx, servgap_account_set_date(ctx, BAD, SERVGAP_ACCOUNT_RENEWAL, T0), SERVGAP_ENOTFOUND,
          BADS, NULL);
    FAILS(ctx, servgap_account_set_date(ctx, f.acct, 0, T0), SERVGAP_EINVAL, "which", "0");
    FAILS(ctx, servgap_account_set_date(ctx, f.acct, 3, T0), SERVGAP_EINVAL, "which", "3");

    servgap_account ai;
    memset(&ai, 0, sizeof ai);
    ai.size = sizeof ai;
    ck_assert_int_eq(servgap_account_info(ctx, f.acct, &ai), SERVGAP_OK);
    ck_assert_str_eq(ai.name, "acme");
    ck_assert_int_eq(ai.tier, f.tier);
    ck_assert(ai.value == 1000.0);
    ck_assert(ai.health == 80.0); /* failed updates changed nothing */
    ck_assert_int_eq(ai.at_risk, 0);
    ck_assert_int_eq(ai.churned, 0);
    ck_assert(ai.renewal == SERVGAP_TIME_NONE);
    ck_assert(ai.migration == SERVGAP_TIME_NONE);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_account_info_errors)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    servgap_account ai;
    memset(&ai, 0, sizeof ai);
    ai.size = sizeof ai;
    FAILS(ctx, servgap_account_info(ctx, BAD, &ai), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, servgap_account_info(ctx, -1, &ai), SERVGAP_ENOTFOUND, "-1", NULL);
    ai.size = 0;
    FAILS(ctx, servgap_account_info(ctx, f.acct, &ai), SERVGAP_EMISUSE, NULL, NULL);
    servgap_ctx_free(ctx);
}
END_TEST

/* NaN health = unknown is allowed. */
START_TEST(test_account_unknown_health)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    servgap_account ai;
    memset(&ai, 0, sizeof ai);
    ai.size = sizeof ai;
    ck_assert_int_eq(servgap_account_set_health(ctx, f.acct, NAN), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_info(ctx, f.acct, &ai), SERVGAP_OK);
    ck_assert(isnan(ai.health));
    servgap_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors_define");
    TCase *tc = tcase_create("names");
    tcase_add_test(tc, test_unknown_kinds);
    tcase_add_loop_test(tc, test_invalid_names, 0, (int)(sizeof internable / sizeof internable[0]));
    tcase_add_test(tc, test_valid_names);
    tcase_add_test(tc, test_unknown_names_and_ids);
    suite_add_tcase(s, tc);

    tc = tcase_create("metrics");
    tcase_add_test(tc, test_metric_bad_arguments);
    tcase_add_test(tc, test_metric_bad_range);
    tcase_add_test(tc, test_metric_identical_redefinition);
    tcase_add_test(tc, test_metric_conflicting_redefinition);
    tcase_add_test(tc, test_metric_info_errors);
    tcase_add_test(tc, test_metric_info_larger_struct);
    suite_add_tcase(s, tc);

    tc = tcase_create("accounts");
    tcase_add_test(tc, test_account_define_errors);
    tcase_add_test(tc, test_account_update_errors);
    tcase_add_test(tc, test_account_info_errors);
    tcase_add_test(tc, test_account_unknown_health);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
