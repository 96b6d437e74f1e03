/*
 * test_api_errors.c -- every error path of the public API, written from the
 * contract in include/servgap.h and DESIGN.md section 7, not from the
 * implementation.
 *
 * For every failure we check: the status code, servgap_errcode() equal to
 * it, a non-empty message that (where the contract says the message names
 * the argument, id or index at fault) mentions the culprit, that
 * servgap_errmsg_copy() reports the full length and truncates correctly,
 * and that nothing was changed (observation count, name counts, options).
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define T0   ((int64_t)1704067200) /* 2024-01-01T00:00:00Z */
#define BAD  4242                  /* an id no handle in these tests knows */
#define BADS "4242"

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

/* Check a failed call on a handle. n1 / n2: the message must contain one of
 * them (NULL: only non-empty). */
static void check_fail_at(int line, const char *expr, servgap_ctx *ctx, int rc, int want,
                          const char *n1, const char *n2)
{
    ck_assert_msg(rc == want, "line %d: %s returned %d (%s), expected %d (%s); errmsg '%s'", line,
                  expr, rc, servgap_strerror(rc), want, servgap_strerror(want),
                  ctx ? servgap_errmsg(ctx) : "(no ctx)");
    if (!ctx)
        return;

    char buf[4096];
    memset(buf, 'Z', sizeof buf);
    size_t len = servgap_errmsg_copy(ctx, buf, sizeof buf);
    int code = servgap_errcode(ctx);
    ck_assert_msg(code == want, "line %d: %s: servgap_errcode %d, expected %d", line, expr, code,
                  want);
    ck_assert_msg(len > 0, "line %d: %s: empty error message", line, expr);
    ck_assert_msg(len < sizeof buf, "line %d: %s: message of %zu bytes", line, expr, len);
    ck_assert_msg(strlen(buf) == len, "line %d: %s: errmsg_copy returned %zu, copied %zu", line,
                  expr, len, strlen(buf));
    const char *m = servgap_errmsg(ctx);
    ck_assert_msg(m != NULL && strcmp(m, buf) == 0,
                  "line %d: %s: servgap_errmsg '%s' differs from the copy '%s'", line, expr,
                  m ? m : "(null)", buf);
    if (n1) {
        int found = strstr(buf, n1) != NULL || (n2 && strstr(buf, n2) != NULL);
        ck_assert_msg(found, "line %d: %s: message '%s' names neither '%s' nor '%s'", line, expr,
                      buf, n1, n2 ? n2 : "-");
    }

    /* Truncation: cap 5 keeps 4 bytes and a NUL, writes nothing beyond. */
    char small[8];
    memset(small, 'X', sizeof small);
    size_t l2 = servgap_errmsg_copy(ctx, small, 5);
    ck_assert_msg(l2 == len, "line %d: truncated copy returned %zu, full length %zu", line, l2,
                  len);
    size_t keep = len < 4 ? len : 4;
    ck_assert_msg(memcmp(small, buf, keep) == 0 && small[keep] == '\0',
                  "line %d: truncated copy wrong", line);
    ck_assert_msg(small[5] == 'X' && small[6] == 'X' && small[7] == 'X',
                  "line %d: errmsg_copy wrote beyond cap", line);
    /* cap 1: only the NUL. */
    char one[2] = {'X', 'X'};
    ck_assert_uint_eq(servgap_errmsg_copy(ctx, one, 1), len);
    ck_assert_msg(one[0] == '\0' && one[1] == 'X', "line %d: cap 1 copy wrong", line);
    /* Size query. */
    ck_assert_uint_eq(servgap_errmsg_copy(ctx, NULL, 0), len);
}

#define FAILS(ctx, call, want, n1, n2)                                                             \
    check_fail_at(__LINE__, #call, (ctx), (call), (want), (n1), (n2))

/* A handle with tier "enterprise" (0), touchpoint "email" (0), team "squad"
 * (0) and account "acme" (0) in tier enterprise. */
typedef struct fixture {
    servgap_ctx *ctx;
    int32_t tier, tp, team, acct;
} fixture;

static fixture setup(void)
{
    fixture f;
    f.ctx = new_ctx();
    ck_assert_int_eq(servgap_intern(f.ctx, SERVGAP_KIND_TIER, "enterprise", &f.tier), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(f.ctx, SERVGAP_KIND_TOUCHPOINT, "email", &f.tp), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(f.ctx, SERVGAP_KIND_TEAM, "squad", &f.team), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(f.ctx, "acme", "enterprise", 1000.0, &f.acct),
                     SERVGAP_OK);
    ck_assert_int_eq(f.tier, 0);
    ck_assert_int_eq(f.tp, 0);
    ck_assert_int_eq(f.team, 0);
    ck_assert_int_eq(f.acct, 0);
    return f;
}

/* ---------------------------------------------------------------------- */
/* Static text, names, version                                             */
/* ---------------------------------------------------------------------- */

START_TEST(test_strerror)
{
    const int codes[] = {SERVGAP_OK,        SERVGAP_EMISUSE,   SERVGAP_EINVAL,  SERVGAP_ERANGE,
                         SERVGAP_ENOTFOUND, SERVGAP_ECONFLICT, SERVGAP_ENOMEM,  SERVGAP_ELIMIT,
                         SERVGAP_EBUFSIZE,  SERVGAP_EIO,       SERVGAP_EFORMAT, SERVGAP_ECORRUPT};
    const size_t nc = sizeof codes / sizeof codes[0];
    /* The values are part of the ABI. */
    ck_assert_int_eq(SERVGAP_EMISUSE, -1);
    ck_assert_int_eq(SERVGAP_ECORRUPT, -11);
    for (size_t i = 0; i < nc; i++) {
        const char *s = servgap_strerror(codes[i]);
        ck_assert_ptr_nonnull(s);
        ck_assert_msg(s[0] != '\0', "strerror(%d) empty", codes[i]);
        ck_assert_msg(strcmp(s, "unknown error") != 0, "strerror(%d) is 'unknown error'", codes[i]);
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(strcmp(s, servgap_strerror(codes[j])) != 0,
                          "strerror(%d) == strerror(%d): '%s'", codes[i], codes[j], s);
    }
    ck_assert_str_eq(servgap_strerror(-999), "unknown error");
    ck_assert_str_eq(servgap_strerror(-12), "unknown error");
    ck_assert_str_eq(servgap_strerror(1), "unknown error");
    ck_assert_str_eq(servgap_strerror(INT32_MIN), "unknown error");
}
END_TEST

START_TEST(test_enum_names)
{
    static const char *const dims[] = {"tangibles", "reliability", "responsiveness", "assurance",
                                       "empathy"};
    for (int32_t i = 0; i < SERVGAP_DIM_COUNT; i++)
        ck_assert_str_eq(servgap_dimension_name(i), dims[i]);
    ck_assert_ptr_null(servgap_dimension_name(-1));
    ck_assert_ptr_null(servgap_dimension_name(SERVGAP_DIM_COUNT));
    ck_assert_ptr_null(servgap_dimension_name(INT32_MAX));

    static const char *const vps[] = {"expected",  "adequate", "believed", "standard",
                                      "delivered", "promised", "perceived"};
    for (int32_t i = 0; i < SERVGAP_VP_COUNT; i++)
        ck_assert_str_eq(servgap_viewpoint_name(i), vps[i]);
    ck_assert_ptr_null(servgap_viewpoint_name(-1));
    ck_assert_ptr_null(servgap_viewpoint_name(SERVGAP_VP_COUNT));

    static const char *const gaps[] = {"service",       "knowledge",  "standards", "delivery",
                                       "communication", "perception", "adequacy"};
    for (int32_t i = 0; i < SERVGAP_GAP_COUNT; i++)
        ck_assert_str_eq(servgap_gap_name(i), gaps[i]);
    ck_assert_ptr_null(servgap_gap_name(-1));
    ck_assert_ptr_null(servgap_gap_name(SERVGAP_GAP_COUNT));

    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_MET), "met");
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_SHORTFALL), "shortfall");
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_EXCEEDS), "exceeds");
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_INSUFFICIENT), "insufficient");
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_UNRESOLVED), "unresolved");
    ck_assert_ptr_null(servgap_status_name(-1));
    ck_assert_ptr_null(servgap_status_name(5));

    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_NONE), "none");
    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_KNOWLEDGE), "knowledge");
    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_STANDARDS), "standards");
    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_DELIVERY), "delivery");
    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_COMMUNICATION), "communication");
    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_PERCEPTION), "perception");
    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_SPAN), "span");
    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_INSUFFICIENT), "insufficient");
    ck_assert_str_eq(servgap_class_name(SERVGAP_CLASS_HIDDEN), "hidden_gap");
    ck_assert_ptr_null(servgap_class_name(-1));
    ck_assert_ptr_null(servgap_class_name(9));

    const uint32_t K = SERVGAP_LINK_KNOWLEDGE, S = SERVGAP_LINK_STANDARDS,
                   D = SERVGAP_LINK_DELIVERY, P = SERVGAP_LINK_PERCEPTION,
                   C = SERVGAP_LINK_COMMUNICATION;
    ck_assert_str_eq(servgap_span_name(K), "knowledge");
    ck_assert_str_eq(servgap_span_name(S), "standards");
    ck_assert_str_eq(servgap_span_name(D), "delivery");
    ck_assert_str_eq(servgap_span_name(P), "perception");
    ck_assert_str_eq(servgap_span_name(C), "communication");
    ck_assert_str_eq(servgap_span_name(K | S), "knowledge+standards");
    ck_assert_str_eq(servgap_span_name(S | D), "standards+delivery");
    ck_assert_str_eq(servgap_span_name(D | P), "delivery+perception");
    ck_assert_str_eq(servgap_span_name(K | S | D), "knowledge+standards+delivery");
    ck_assert_str_eq(servgap_span_name(S | D | P), "standards+delivery+perception");
    ck_assert_str_eq(servgap_span_name(K | S | D | P), "knowledge+standards+delivery+perception");
    /* Not contiguous links of the chain, or no link, or unknown bits. */
    ck_assert_ptr_null(servgap_span_name(0));
    ck_assert_ptr_null(servgap_span_name(K | D));
    ck_assert_ptr_null(servgap_span_name(K | P));
    ck_assert_ptr_null(servgap_span_name(S | P));
    ck_assert_ptr_null(servgap_span_name(K | S | P));
    ck_assert_ptr_null(servgap_span_name(0x20u));
    ck_assert_ptr_null(servgap_span_name(K | 0x20u));
    ck_assert_ptr_null(servgap_span_name(0xFFFFFFFFu));

    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_NONE), "none");
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_WORD_OF_MOUTH), "word_of_mouth");
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_PERSONAL_NEEDS), "personal_needs");
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_PAST_EXPERIENCE), "past_experience");
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_EXTERNAL_COMMUNICATION),
                     "external_communication");
    ck_assert_ptr_null(servgap_driver_name(-1));
    ck_assert_ptr_null(servgap_driver_name(5));

    /* Values counted from 1: 0 and one past the last have no name. */
    static const struct {
        const char *(*fn)(int32_t);
        const char *names[6];
    } from_one[] = {
        {servgap_quadrant_name, {"quick_win", "major_project", "fill_in", "thankless"}},
        {servgap_ipa_name,
         {"concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill"}},
        {servgap_trigger_name,
         {"renewal", "csat_spike", "migration", "hidden_gap", "quarterly_review"}},
        {servgap_csv_table_name, {"observations", "metrics", "accounts", "importance", "efforts"}},
    };
    for (size_t t = 0; t < sizeof from_one / sizeof from_one[0]; t++) {
        int32_t k = 0;
        while (k < 6 && from_one[t].names[k]) {
            ck_assert_str_eq(from_one[t].fn(k + 1), from_one[t].names[k]);
            k++;
        }
        ck_assert_ptr_null(from_one[t].fn(0));
        ck_assert_ptr_null(from_one[t].fn(k + 1));
        ck_assert_ptr_null(from_one[t].fn(-1));
    }
    ck_assert_int_eq(SERVGAP_QUADRANT_QUICK_WIN, 1);
    ck_assert_int_eq(SERVGAP_TRIGGER_QUARTERLY_REVIEW, 5);
    static const char *const outcomes[] = {"none",      "closed",   "improved",
                                           "unchanged", "worsened", "unknown"};
    for (int32_t i = 0; i <= SERVGAP_OUTCOME_UNKNOWN; i++)
        ck_assert_str_eq(servgap_outcome_name(i), outcomes[i]);
    ck_assert_ptr_null(servgap_outcome_name(-1));
    ck_assert_ptr_null(servgap_outcome_name(SERVGAP_OUTCOME_UNKNOWN + 1));
}
END_TEST

START_TEST(test_version)
{
    ck_assert_uint_eq(servgap_version_number(), SERVGAP_VERSION_NUMBER);
    ck_assert_uint_eq(SERVGAP_VERSION_NUMBER, 10100u); /* 1.1.0 */
    ck_assert_ptr_nonnull(servgap_version_string());
    ck_assert_str_eq(servgap_version_string(), SERVGAP_VERSION_STRING);
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%d.%d", SERVGAP_VERSION_MAJOR, SERVGAP_VERSION_MINOR,
             SERVGAP_VERSION_PATCH);
    ck_assert_str_eq(servgap_version_string(), buf);
}
END_TEST

START_TEST(test_free_null)
{
    servgap_ctx_free(NULL);
    servgap_result_free(NULL);
}
END_TEST

START_TEST(test_t_invalid)
{
    ck_assert(isnan(servgap_t_cdf(1.0, 0.0)));
    ck_assert(isnan(servgap_t_cdf(1.0, -3.0)));
    ck_assert(isnan(servgap_t_cdf(NAN, 5.0)));
    ck_assert(isnan(servgap_t_cdf(1.0, NAN)));
    ck_assert(isnan(servgap_t_quantile(-0.1, 5.0)));
    ck_assert(isnan(servgap_t_quantile(1.1, 5.0)));
    ck_assert(isnan(servgap_t_quantile(0.5, 0.0)));
    ck_assert(isnan(servgap_t_quantile(NAN, 5.0)));
    /* Sanity: published table value t(0.975, 4) = 2.776. */
    ck_assert_double_eq_tol(servgap_t_quantile(0.975, 4.0), 2.776, 1e-3);
    ck_assert_double_eq_tol(servgap_t_cdf(0.0, 7.0), 0.5, 1e-15);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Built-in metrics and a fresh handle                                     */
/* ---------------------------------------------------------------------- */

START_TEST(test_builtin_metrics)
{
    servgap_ctx *ctx = new_ctx();
    ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_OK);
    ck_assert_str_eq(servgap_errmsg(ctx), "");
    ck_assert_uint_eq(servgap_errmsg_copy(ctx, NULL, 0), 0);
    ck_assert_uint_eq(obs_count(ctx), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 5);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TEAM), 0);
    for (int32_t d = 0; d < SERVGAP_DIM_COUNT; d++) {
        servgap_metric m;
        memset(&m, 0, sizeof m);
        m.size = sizeof m;
        ck_assert_int_eq(servgap_metric_info(ctx, d, &m), SERVGAP_OK);
        ck_assert_str_eq(m.name, servgap_dimension_name(d));
        ck_assert_int_eq(m.dimension, d);
        ck_assert_int_eq(m.direction, SERVGAP_HIGHER_IS_BETTER);
        ck_assert(m.min == 1.0);
        ck_assert(m.max == 7.0);
        ck_assert(m.span == 6.0);
        const char *name = NULL;
        ck_assert_int_eq(servgap_name(ctx, SERVGAP_KIND_METRIC, d, &name), SERVGAP_OK);
        ck_assert_str_eq(name, servgap_dimension_name(d));
        int32_t id = -7;
        ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_METRIC, servgap_dimension_name(d), &id),
                         SERVGAP_OK);
        ck_assert_int_eq(id, d);
    }
    /* Default options. */
    double v = 0;
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_CONFIDENCE, &v), SERVGAP_OK);
    ck_assert(v == 0.95);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, &v), SERVGAP_OK);
    ck_assert(v == 5.0);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, &v), SERVGAP_OK);
    ck_assert(v == 1.0);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, &v), SERVGAP_OK);
    ck_assert(v == 0.4);
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, &v), SERVGAP_OK);
    ck_assert(v == 50.0);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* NULL handle and NULL pointers                                           */
/* ---------------------------------------------------------------------- */

START_TEST(test_null_handle)
{
    int32_t id = 123;
    double v = 1.5;
    const char *name = "sentinel";
    int32_t cnt = 77;
    uint64_t u = 99;
    servgap_metric mi;
    servgap_account ai;
    memset(&mi, 0, sizeof mi);
    memset(&ai, 0, sizeof ai);
    mi.size = sizeof mi;
    ai.size = sizeof ai;
    const int32_t sk[1] = {SERVGAP_SCOPE_ACCOUNT}, sid[1] = {0}, tp[1] = {0}, met[1] = {1},
                  vp[1] = {SERVGAP_VP_EXPECTED}, team[1] = {SERVGAP_NONE},
                  drv[1] = {SERVGAP_DRIVER_NONE};
    const double val[1] = {5.0};
    const int64_t tm[1] = {T0};
    const double pts[5] = {20, 20, 20, 20, 20};
    servgap_result *r = (servgap_result *)0;

    ck_assert_int_eq(servgap_ctx_set_option(NULL, SERVGAP_OPT_CONFIDENCE, 0.9), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_ctx_get_option(NULL, SERVGAP_OPT_CONFIDENCE, &v), SERVGAP_EMISUSE);
    ck_assert(v == 1.5);
    ck_assert_int_eq(servgap_intern(NULL, SERVGAP_KIND_TIER, "x", &id), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_lookup(NULL, SERVGAP_KIND_TIER, "x", &id), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_name(NULL, SERVGAP_KIND_METRIC, 0, &name), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_count(NULL, SERVGAP_KIND_METRIC, &cnt), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_metric_define(NULL, "m", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER,
                                           1, 5, 0, NULL, &id),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_metric_info(NULL, 0, &mi), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_define(NULL, "a", "t", 1.0, &id), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_set_health(NULL, 0, 50.0), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_set_flag(NULL, 0, SERVGAP_ACCOUNT_AT_RISK, 1),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_set_date(NULL, 0, SERVGAP_ACCOUNT_RENEWAL, T0),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_account_info(NULL, 0, &ai), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_record(NULL, SERVGAP_SCOPE_ACCOUNT, 0, 0, 1, SERVGAP_VP_EXPECTED, 5.0,
                                    T0, SERVGAP_NONE, SERVGAP_DRIVER_NONE),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_record_batch(NULL, 1, sk, sid, tp, met, vp, val, tm, team, drv),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_record_response(NULL, SERVGAP_SCOPE_ACCOUNT, 0, 0, T0, SERVGAP_NONE,
                                             SERVGAP_DRIVER_NONE, 1, met, val, NULL, val, NULL),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(
        servgap_set_importance(NULL, SERVGAP_SCOPE_ACCOUNT, 0, SERVGAP_WHOSE_CUSTOMER, pts),
        SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_observation_count(NULL, &u), SERVGAP_EMISUSE);
    ck_assert_uint_eq(u, 99);
    ck_assert_int_eq(servgap_ctx_merge(NULL, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_query(NULL, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r),
                     SERVGAP_EMISUSE);
    ck_assert_ptr_null(r);
    ck_assert(id == 123 && cnt == 77 && strcmp(name, "sentinel") == 0);

    /* Error accessors on NULL: a static message, no crash. */
    const char *m = servgap_errmsg(NULL);
    ck_assert_ptr_nonnull(m);
    ck_assert_msg(m[0] != '\0', "servgap_errmsg(NULL) should be a static message");
    char buf[256];
    buf[0] = '\0';
    size_t len = servgap_errmsg_copy(NULL, buf, sizeof buf);
    ck_assert(memchr(buf, '\0', sizeof buf) != NULL);
    (void)len;
    (void)servgap_errcode(NULL);
    ck_assert_uint_eq(servgap_errmsg_copy(NULL, NULL, 0), len);

    /* Result accessors on NULL. */
    servgap_cell c;
    servgap_gap g;
    servgap_servqual sq;
    servgap_breakdown b;
    c.size = sizeof c;
    g.size = sizeof g;
    sq.size = sizeof sq;
    b.size = sizeof b;
    size_t idx = 5;
    int64_t from = 1, to = 2;
    ck_assert_uint_eq(servgap_result_count(NULL, SERVGAP_TABLE_CELLS), 0);
    ck_assert_uint_eq(servgap_result_count(NULL, SERVGAP_TABLE_SERVQUAL), 0);
    ck_assert_uint_eq(servgap_result_count(NULL, SERVGAP_TABLE_BREAKDOWN), 0);
    ck_assert_int_eq(servgap_result_cell(NULL, 0, &c), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_find(NULL, SERVGAP_SCOPE_ACCOUNT, 0, SERVGAP_ALL, 1, 0, &idx),
                     SERVGAP_EMISUSE);
    ck_assert_uint_eq(idx, 5);
    ck_assert_int_eq(servgap_result_gap(NULL, 0, SERVGAP_GAP_SERVICE, &g), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_servqual(NULL, 0, &sq), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_breakdown(NULL, 0, &b), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_window(NULL, &from, &to), SERVGAP_EMISUSE);
    ck_assert(from == 1 && to == 2);
}
END_TEST

START_TEST(test_null_pointers)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    int32_t id = 123;
    const char *name = "sentinel";

    ck_assert_int_eq(servgap_ctx_new(NULL, NULL), SERVGAP_EMISUSE);

    FAILS(ctx, servgap_ctx_get_option(ctx, SERVGAP_OPT_CONFIDENCE, NULL), SERVGAP_EMISUSE, NULL,
          NULL);
    FAILS(ctx, servgap_intern(ctx, SERVGAP_KIND_TIER, NULL, &id), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_intern(ctx, SERVGAP_KIND_TIER, "new_tier", NULL), SERVGAP_EMISUSE, NULL,
          NULL);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 1); /* nothing interned */
    FAILS(ctx, servgap_lookup(ctx, SERVGAP_KIND_TIER, NULL, &id), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_lookup(ctx, SERVGAP_KIND_TIER, "enterprise", NULL), SERVGAP_EMISUSE, NULL,
          NULL);
    FAILS(ctx, servgap_name(ctx, SERVGAP_KIND_METRIC, 0, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_count(ctx, SERVGAP_KIND_METRIC, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx,
          servgap_metric_define(ctx, NULL, SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 1, 5, 0,
                                NULL, &id),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_metric_info(ctx, 0, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_account_define(ctx, NULL, "enterprise", 1.0, &id), SERVGAP_EMISUSE, NULL,
          NULL);
    FAILS(ctx, servgap_account_info(ctx, 0, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_observation_count(ctx, NULL), SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx,
          servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, SERVGAP_WHOSE_CUSTOMER, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, NULL), SERVGAP_EMISUSE,
          NULL, NULL);
    ck_assert_int_eq(id, 123);
    ck_assert_str_eq(name, "sentinel");

    /* record_batch: each required column NULL. */
    const int32_t sk[2] = {SERVGAP_SCOPE_ACCOUNT, SERVGAP_SCOPE_ACCOUNT}, sid[2] = {0, 0},
                  tp[2] = {0, 0}, met[2] = {1, 1},
                  vp[2] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_PERCEIVED};
    const double val[2] = {6.0, 5.0};
    const int64_t tm[2] = {T0, T0 + 60};
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, NULL, tp, met, vp, val, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, NULL, met, vp, val, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, tp, NULL, vp, val, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, tp, met, NULL, val, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, tp, met, vp, NULL, tm, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx, servgap_record_batch(ctx, 2, sk, sid, tp, met, vp, val, NULL, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    ck_assert_uint_eq(obs_count(ctx), 0);
    /* Optional columns may be NULL; n == 0 succeeds. */
    ck_assert_int_eq(servgap_record_batch(ctx, 0, sk, sid, tp, met, vp, val, tm, NULL, NULL),
                     SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 0);
    ck_assert_int_eq(servgap_record_batch(ctx, 2, NULL, sid, tp, met, vp, val, tm, NULL, NULL),
                     SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 2);

    /* record_response: metric, expected, perceived required. */
    const int32_t rm[2] = {0, 1};
    const double re[2] = {6, 7}, rp[2] = {5, 5};
    FAILS(ctx,
          servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, T0, SERVGAP_NONE,
                                  SERVGAP_DRIVER_NONE, 2, NULL, re, NULL, rp, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx,
          servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, T0, SERVGAP_NONE,
                                  SERVGAP_DRIVER_NONE, 2, rm, NULL, NULL, rp, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    FAILS(ctx,
          servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, T0, SERVGAP_NONE,
                                  SERVGAP_DRIVER_NONE, 2, rm, re, NULL, NULL, NULL),
          SERVGAP_EMISUSE, NULL, NULL);
    ck_assert_uint_eq(obs_count(ctx), 2);

    /* Merge with a NULL side. */
    FAILS(ctx, servgap_ctx_merge(ctx, NULL), SERVGAP_EMISUSE, NULL, NULL);
    servgap_ctx *other = new_ctx();
    ck_assert_int_eq(servgap_ctx_merge(NULL, other), SERVGAP_EMISUSE);
    servgap_ctx_free(other);
    ck_assert_uint_eq(obs_count(ctx), 2);

    /* Result accessors with NULL out. */
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_gt(servgap_result_count(r, SERVGAP_TABLE_CELLS), 0);
    ck_assert_int_eq(servgap_result_cell(r, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acct, SERVGAP_ALL, 1, 0, NULL),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_gap(r, 0, SERVGAP_GAP_SERVICE, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_servqual(r, 0, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_breakdown(r, 0, NULL), SERVGAP_EMISUSE);
    int64_t from = 0, to = 0;
    ck_assert_int_eq(servgap_result_window(r, NULL, &to), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_result_window(r, &from, NULL), SERVGAP_EMISUSE);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Allocator argument of servgap_ctx_new                                   */
/* ---------------------------------------------------------------------- */

static void *plain_malloc(void *u, size_t n)
{
    (void)u;
    return malloc(n);
}
static void *plain_realloc(void *u, void *p, size_t n)
{
    (void)u;
    return realloc(p, n);
}
static void plain_free(void *u, void *p)
{
    (void)u;
    free(p);
}

START_TEST(test_bad_allocator)
{
    servgap_ctx *ctx = (servgap_ctx *)0;
    servgap_allocator a = {sizeof a, plain_malloc, plain_realloc, plain_free, NULL};

    a.malloc_fn = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    ck_assert_ptr_null(ctx);
    a.malloc_fn = plain_malloc;
    a.realloc_fn = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    a.realloc_fn = plain_realloc;
    a.free_fn = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    a.free_fn = plain_free;
    a.size = 0;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    a.size = sizeof a - 1;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_EINVAL);
    ck_assert_ptr_null(ctx);
    a.size = sizeof a;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    servgap_ctx_free(ctx);
    ctx = NULL;
    /* A larger struct (a later minor version's) is accepted. */
    struct {
        servgap_allocator a;
        char tail[16];
    } big;
    memset(&big, 0, sizeof big);
    big.a = a;
    big.a.size = sizeof big;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &big.a), SERVGAP_OK);
    ck_assert_ptr_nonnull(ctx);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Options                                                                 */
/* ---------------------------------------------------------------------- */

static void expect_option(servgap_ctx *ctx, int32_t opt, double want)
{
    double v = -1;
    ck_assert_int_eq(servgap_ctx_get_option(ctx, opt, &v), SERVGAP_OK);
    ck_assert_msg(v == want, "option %d is %g, expected %g", opt, v, want);
}

START_TEST(test_options)
{
    servgap_ctx *ctx = new_ctx();
    double v = 42.0;
    FAILS(ctx, servgap_ctx_set_option(ctx, 0, 0.9), SERVGAP_EINVAL, "option", "0");
    FAILS(ctx, servgap_ctx_set_option(ctx, 77, 0.9), SERVGAP_EINVAL, "option", "77");
    FAILS(ctx, servgap_ctx_set_option(ctx, -1, 0.9), SERVGAP_EINVAL, "option", "-1");
    FAILS(ctx, servgap_ctx_get_option(ctx, 77, &v), SERVGAP_EINVAL, "option", "77");
    ck_assert(v == 42.0);

    /* confidence in (0.5, 1) */
    const double bad_conf[] = {1.0, 0.5, 0.0, -0.95, 1.5, 95.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad_conf / sizeof bad_conf[0]; i++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, bad_conf[i]), SERVGAP_ERANGE,
              NULL, NULL);
        expect_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.95);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.99), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.99);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.9), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.9);

    /* min_n: whole numbers >= 1 */
    const double bad_n[] = {0.0, 2.5, -1.0, 0.5, 1.0000001, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad_n / sizeof bad_n[0]; i++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, bad_n[i]),
              SERVGAP_ERANGE, NULL, NULL);
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, bad_n[i]),
              SERVGAP_ERANGE, NULL, NULL);
        expect_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 5.0);
        expect_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, 1.0);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 1.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, 3.0), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 1.0);
    expect_option(ctx, SERVGAP_OPT_MIN_N_PROVIDER, 3.0);

    /* negative share in (0, 1) */
    const double bad_share[] = {0.0, 1.0, -0.1, 1.1, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad_share / sizeof bad_share[0]; i++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, bad_share[i]),
              SERVGAP_ERANGE, NULL, NULL);
        expect_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.4);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.25), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_NEGATIVE_SHARE, 0.25);

    /* at-risk health in [0, 100] */
    const double bad_health[] = {-0.001, 100.001, 1000.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof bad_health / sizeof bad_health[0]; i++) {
        FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, bad_health[i]),
              SERVGAP_ERANGE, NULL, NULL);
        expect_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 50.0);
    }
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 0.0), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 0.0);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 100.0), SERVGAP_OK);
    expect_option(ctx, SERVGAP_OPT_AT_RISK_HEALTH, 100.0);
    servgap_ctx_free(ctx);
}
END_TEST

/* The analysis options: documented default, the ends of the documented
 * range accepted, just outside (or not whole) rejected with the value kept. */
START_TEST(test_analysis_options)
{
    static const struct {
        int32_t id;
        double def, lo, hi, bad[3];
    } opts[] = {
        {SERVGAP_OPT_WEIGHT_SIZE, 1.0, 0.0, 1e6, {-0.001, 1e7, NAN}},
        {SERVGAP_OPT_WEIGHT_VALUE, 1.0, 0.0, 1e6, {-1.0, INFINITY, NAN}},
        {SERVGAP_OPT_WEIGHT_FREQUENCY, 1.0, 0.0, 1e6, {-1.0, -INFINITY, NAN}},
        {SERVGAP_OPT_PERSIST_BOOST, 1.0, 0.0, 1e6, {-0.5, INFINITY, NAN}},
        {SERVGAP_OPT_WINDOWS, 3.0, 1.0, 52.0, {0.0, 53.0, 2.5}},
        {SERVGAP_OPT_WINDOW_DAYS, 30.0, 1.0, 366.0, {0.0, 367.0, 30.5}},
        {SERVGAP_OPT_IMPACT_CUT, 25.0, 0.0, 100.0, {-1.0, 100.5, NAN}},
        {SERVGAP_OPT_EFFORT_CUT, 3.0, 1e-9, 1e9, {0.0, -1.0, INFINITY}},
        {SERVGAP_OPT_RENEWAL_DAYS, 90.0, 1.0, 3660.0, {0.0, 3661.0, 1.5}},
        {SERVGAP_OPT_MIGRATION_DAYS, 60.0, 1.0, 3660.0, {0.0, 3661.0, NAN}},
        {SERVGAP_OPT_SPIKE_RECENT_DAYS, 14.0, 1.0, 366.0, {0.0, 367.0, 7.25}},
        {SERVGAP_OPT_SPIKE_BASELINE_DAYS, 180.0, 1.0, 3660.0, {0.0, 3661.0, -5.0}},
        {SERVGAP_OPT_IPA_CROSSHAIR, SERVGAP_CROSSHAIR_MIDPOINT, 1.0, 4.0, {0.0, 5.0, 2.5}},
        {SERVGAP_OPT_IPA_IMPORTANCE, 20.0, 0.0, 100.0, {-0.1, 100.1, NAN}},
        {SERVGAP_OPT_IPA_PERFORMANCE, 4.0, -1e300, 1e300, {NAN, INFINITY, -INFINITY}},
    };
    servgap_ctx *ctx = new_ctx();
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        expect_option(ctx, opts[i].id, opts[i].def);
        for (int b = 0; b < 3; b++) {
            FAILS(ctx, servgap_ctx_set_option(ctx, opts[i].id, opts[i].bad[b]), SERVGAP_ERANGE,
                  NULL, NULL);
            expect_option(ctx, opts[i].id, opts[i].def);
        }
        ck_assert_int_eq(servgap_ctx_set_option(ctx, opts[i].id, opts[i].lo), SERVGAP_OK);
        expect_option(ctx, opts[i].id, opts[i].lo);
        ck_assert_int_eq(servgap_ctx_set_option(ctx, opts[i].id, opts[i].hi), SERVGAP_OK);
        expect_option(ctx, opts[i].id, opts[i].hi);
        ck_assert_int_eq(servgap_ctx_set_option(ctx, opts[i].id, opts[i].def), SERVGAP_OK);
    }
    /* The three impact weights may not all be zero: the last one refused. */
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_SIZE, 0.0), SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_VALUE, 0.0), SERVGAP_OK);
    FAILS(ctx, servgap_ctx_set_option(ctx, SERVGAP_OPT_WEIGHT_FREQUENCY, 0.0), SERVGAP_ERANGE,
          "weights", NULL);
    expect_option(ctx, SERVGAP_OPT_WEIGHT_FREQUENCY, 1.0);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Names                                                                   */
/* ---------------------------------------------------------------------- */

START_TEST(test_names)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = 123, cnt = 0;
    const char *name = "sentinel";
    char n255[256], n256[257];
    memset(n255, 'a', 255);
    n255[255] = '\0';
    memset(n256, 'b', 256);
    n256[256] = '\0';

    /* Unknown kinds. */
    FAILS(ctx, servgap_intern(ctx, 0, "x", &id), SERVGAP_EINVAL, "kind", "0");
    FAILS(ctx, servgap_intern(ctx, 77, "x", &id), SERVGAP_EINVAL, "kind", "77");
    FAILS(ctx, servgap_intern(ctx, SERVGAP_KIND_ACCOUNT, "x", &id), SERVGAP_EINVAL, "kind", "4");
    FAILS(ctx, servgap_intern(ctx, SERVGAP_KIND_METRIC, "x", &id), SERVGAP_EINVAL, "kind", "5");
    FAILS(ctx, servgap_lookup(ctx, 77, "x", &id), SERVGAP_EINVAL, "kind", "77");
    FAILS(ctx, servgap_name(ctx, 77, 0, &name), SERVGAP_EINVAL, "kind", "77");
    FAILS(ctx, servgap_count(ctx, 77, &cnt), SERVGAP_EINVAL, "kind", "77");
    FAILS(ctx, servgap_count(ctx, 0, &cnt), SERVGAP_EINVAL, "kind", "0");

    /* Invalid names, for each internable kind. */
    const int32_t kinds[] = {SERVGAP_KIND_TIER, SERVGAP_KIND_TOUCHPOINT, SERVGAP_KIND_TEAM};
    const char *bad[] = {"",
                         n256,
                         "\xff",
                         "ok\xff",
                         "\xc0\x80",         /* overlong NUL */
                         "\xe2\x82",         /* truncated 3-byte sequence */
                         "\xed\xa0\x80",     /* UTF-16 surrogate */
                         "\xf4\x90\x80\x80", /* above U+10FFFF */
                         "\x80"};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            FAILS(ctx, servgap_intern(ctx, kinds[k], bad[i], &id), SERVGAP_EINVAL, "name", NULL);
            ck_assert_int_eq(id, 123);
            ck_assert_int_eq(kind_count(ctx, kinds[k]), 0);
        }
    }
    /* 255 bytes and multi-byte UTF-8 are fine; ids are dense from 0. */
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TIER, n255, &id), SERVGAP_OK);
    ck_assert_int_eq(id, 0);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TIER, "caf\xc3\xa9 \xe6\x97\xa5", &id),
                     SERVGAP_OK);
    ck_assert_int_eq(id, 1);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TIER, n255, &id), SERVGAP_OK);
    ck_assert_int_eq(id, 0);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 2);

    /* Unknown names and ids. */
    id = 123;
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

START_TEST(test_metrics)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = 123, id2 = 456;
    char n256[257];
    memset(n256, 'm', 256);
    n256[256] = '\0';

    /* dimension, direction, name */
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

    /* range and span */
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

    /* A valid unbounded metric with a span; identical redefinition. */
    ck_assert_int_eq(servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &id),
                     SERVGAP_OK);
    ck_assert_int_eq(id, 5);
    ck_assert_int_eq(servgap_metric_define(ctx, "hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &id2),
                     SERVGAP_OK);
    ck_assert_int_eq(id2, 5);
    ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 6);

    /* Redefinition with different parameters. */
    id = 123;
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
    memset(&mi, 0, sizeof mi);
    mi.size = sizeof mi;
    ck_assert_int_eq(servgap_metric_info(ctx, 6, &mi), SERVGAP_OK);
    ck_assert(mi.span == 4.0);
    ck_assert_str_eq(mi.unit, "");

    /* metric_info: unknown id, too small a struct, a larger struct. */
    FAILS(ctx, servgap_metric_info(ctx, BAD, &mi), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, servgap_metric_info(ctx, -1, &mi), SERVGAP_ENOTFOUND, "-1", NULL);
    memset(&mi, 0, sizeof mi);
    mi.size = 0;
    FAILS(ctx, servgap_metric_info(ctx, 0, &mi), SERVGAP_EMISUSE, NULL, NULL);
    mi.size = sizeof(size_t);
    FAILS(ctx, servgap_metric_info(ctx, 0, &mi), SERVGAP_EMISUSE, NULL, NULL);
    ck_assert_ptr_null(mi.name);
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

START_TEST(test_accounts)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    int32_t id = 123;
    char n256[257];
    memset(n256, 'x', 256);
    n256[256] = '\0';

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
    FAILS(ctx, servgap_account_info(ctx, BAD, &ai), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, servgap_account_info(ctx, -1, &ai), SERVGAP_ENOTFOUND, "-1", NULL);
    ai.size = 0;
    FAILS(ctx, servgap_account_info(ctx, f.acct, &ai), SERVGAP_EMISUSE, NULL, NULL);
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

    /* NaN health = unknown is allowed. */
    ck_assert_int_eq(servgap_account_set_health(ctx, f.acct, NAN), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_info(ctx, f.acct, &ai), SERVGAP_OK);
    ck_assert(isnan(ai.health));
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Recording one observation                                               */
/* ---------------------------------------------------------------------- */

static int rec1(servgap_ctx *ctx, int32_t sk, int32_t sid, int32_t tp, int32_t metric, int32_t vp,
                double v, int32_t team, int32_t driver)
{
    return servgap_record(ctx, sk, sid, tp, metric, vp, v, T0, team, driver);
}

START_TEST(test_record_errors)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    const int32_t A = SERVGAP_SCOPE_ACCOUNT, TR = SERVGAP_SCOPE_TIER, E = SERVGAP_VP_EXPECTED;
    const int32_t N = SERVGAP_NONE, D0 = SERVGAP_DRIVER_NONE;

    /* enumerations */
    FAILS(ctx, rec1(ctx, 0, f.acct, f.tp, 1, E, 5, N, D0), SERVGAP_EINVAL, "scope", "0");
    FAILS(ctx, rec1(ctx, 3, f.acct, f.tp, 1, E, 5, N, D0), SERVGAP_EINVAL, "scope", "3");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, -1, 5, N, D0), SERVGAP_EINVAL, "viewpoint", "-1");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, SERVGAP_VP_COUNT, 5, N, D0), SERVGAP_EINVAL,
          "viewpoint", "7");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, 5, N, -1), SERVGAP_EINVAL, "driver", "-1");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, 5, N, 5), SERVGAP_EINVAL, "driver", "5");
    /* unknown ids */
    FAILS(ctx, rec1(ctx, A, BAD, f.tp, 1, E, 5, N, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, rec1(ctx, A, -1, f.tp, 1, E, 5, N, D0), SERVGAP_ENOTFOUND, "-1", "account");
    FAILS(ctx, rec1(ctx, TR, BAD, f.tp, 1, E, 5, N, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, BAD, 1, E, 5, N, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, BAD, E, 5, N, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 5, E, 5, N, D0), SERVGAP_ENOTFOUND, "metric", "5");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, -2, E, 5, N, D0), SERVGAP_ENOTFOUND, "metric", "-2");
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, 5, BAD, D0), SERVGAP_ENOTFOUND, BADS, NULL);
    /* values of a Likert 1..7 metric ("reliability", id 1) */
    const double bad[] = {NAN, INFINITY, -INFINITY, 0.0, 0.999, 7.001, 8.0, 9.0, -7.0, 1e300};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, bad[i], N, D0), SERVGAP_ERANGE, "reliability",
              NULL);
        FAILS(ctx, rec1(ctx, TR, f.tier, f.tp, 1, SERVGAP_VP_STANDARD, bad[i], N, D0),
              SERVGAP_ERANGE, "reliability", NULL);
    }
    ck_assert_uint_eq(obs_count(ctx), 0);

    /* The edges of the range, any touchpoint, a team and a driver are fine. */
    ck_assert_int_eq(rec1(ctx, A, f.acct, f.tp, 1, E, 1.0, N, D0), SERVGAP_OK);
    ck_assert_int_eq(rec1(ctx, A, f.acct, f.tp, 1, E, 7.0, f.team, SERVGAP_DRIVER_WORD_OF_MOUTH),
                     SERVGAP_OK);
    ck_assert_int_eq(rec1(ctx, TR, f.tier, SERVGAP_ANY, 1, SERVGAP_VP_STANDARD, 6.0, N, D0),
                     SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 3);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, 1, E, 7.5, N, D0), SERVGAP_ERANGE, "reliability", NULL);
    ck_assert_uint_eq(obs_count(ctx), 3);

    /* An unbounded metric still rejects NaN and infinities. */
    int32_t h;
    ck_assert_int_eq(servgap_metric_define(ctx, "first_response_hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &h),
                     SERVGAP_OK);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, h, SERVGAP_VP_DELIVERED, INFINITY, N, D0), SERVGAP_ERANGE,
          "first_response_hours", NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, h, SERVGAP_VP_DELIVERED, NAN, N, D0), SERVGAP_ERANGE,
          "first_response_hours", NULL);
    FAILS(ctx, rec1(ctx, A, f.acct, f.tp, h, SERVGAP_VP_DELIVERED, -0.5, N, D0), SERVGAP_ERANGE,
          "first_response_hours", NULL);
    ck_assert_int_eq(rec1(ctx, A, f.acct, f.tp, h, SERVGAP_VP_DELIVERED, 1e6, N, D0), SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 4);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Batches: all or nothing, the message names the index                   */
/* ---------------------------------------------------------------------- */

#define NB 100
typedef struct batch {
    int32_t sk[NB], sid[NB], tp[NB], met[NB], vp[NB], team[NB], drv[NB];
    double val[NB];
    int64_t tm[NB];
} batch;

static void batch_fill(batch *b, const fixture *f)
{
    for (int i = 0; i < NB; i++) {
        b->sk[i] = SERVGAP_SCOPE_ACCOUNT;
        b->sid[i] = f->acct;
        b->tp[i] = f->tp;
        b->met[i] = i % 5;
        b->vp[i] = (i % 2) ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_EXPECTED;
        b->val[i] = 1.0 + (double)(i % 7);
        b->tm[i] = T0 + 60 * i;
        b->team[i] = (i % 3) ? f->team : SERVGAP_NONE;
        b->drv[i] = i % 5;
    }
}

static int batch_run(servgap_ctx *ctx, batch *b)
{
    return servgap_record_batch(ctx, NB, b->sk, b->sid, b->tp, b->met, b->vp, b->val, b->tm,
                                b->team, b->drv);
}

START_TEST(test_batch_atomic)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    batch *b = malloc(sizeof *b);
    ck_assert_ptr_nonnull(b);

    for (int round = 0; round < 2; round++) {
        const uint64_t before = obs_count(ctx);
        for (int v = 0; v < 14; v++) {
            batch_fill(b, &f);
            int want = 0;
            int bad_at = 17;
            switch (v) {
            case 0:
                b->val[17] = 9.0, want = SERVGAP_ERANGE;
                break;
            case 1:
                b->val[17] = NAN, want = SERVGAP_ERANGE;
                break;
            case 2:
                b->val[17] = INFINITY, want = SERVGAP_ERANGE;
                break;
            case 3:
                b->val[17] = 0.5, want = SERVGAP_ERANGE;
                break;
            case 4:
                b->met[17] = BAD, want = SERVGAP_ENOTFOUND;
                break;
            case 5:
                b->vp[17] = 9, want = SERVGAP_EINVAL;
                break;
            case 6:
                b->sid[17] = BAD, want = SERVGAP_ENOTFOUND;
                break;
            case 7:
                b->tp[17] = BAD, want = SERVGAP_ENOTFOUND;
                break;
            case 8:
                b->team[17] = BAD, want = SERVGAP_ENOTFOUND;
                break;
            case 9:
                b->drv[17] = 9, want = SERVGAP_EINVAL;
                break;
            case 10:
                b->sk[17] = 7, want = SERVGAP_EINVAL;
                break;
            case 11:
                b->sk[17] = SERVGAP_SCOPE_TIER, b->sid[17] = BAD, want = SERVGAP_ENOTFOUND;
                break;
            case 12:
                b->val[99] = -1.0, want = SERVGAP_ERANGE, bad_at = 99;
                break;
            case 13:
                b->val[0] = 8.0, want = SERVGAP_ERANGE, bad_at = 0;
                break;
            }
            char idx[16];
            snprintf(idx, sizeof idx, "%d", bad_at);
            int rc = batch_run(ctx, b);
            check_fail_at(__LINE__, "servgap_record_batch (bad element)", ctx, rc, want, idx, NULL);
            ck_assert_msg(obs_count(ctx) == before, "variant %d: batch recorded something", v);
        }
        /* The metric at index 17 is "responsiveness" (17 % 5 = 2): a value
         * error names it. */
        batch_fill(b, &f);
        b->val[17] = 9.0;
        FAILS(ctx, batch_run(ctx, b), SERVGAP_ERANGE, "responsiveness", NULL);
        FAILS(ctx, batch_run(ctx, b), SERVGAP_ERANGE, "17", NULL);
        ck_assert_uint_eq(obs_count(ctx), before);

        /* The same batch without the bad element records all 100. */
        batch_fill(b, &f);
        ck_assert_int_eq(batch_run(ctx, b), SERVGAP_OK);
        ck_assert_uint_eq(obs_count(ctx), before + NB);
    }
    ck_assert_uint_eq(obs_count(ctx), 2 * NB);
    free(b);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Responses                                                               */
/* ---------------------------------------------------------------------- */

START_TEST(test_response_errors)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    const int32_t A = SERVGAP_SCOPE_ACCOUNT;
    int32_t q;
    ck_assert_int_eq(servgap_metric_define(ctx, "q_speed", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_HIGHER_IS_BETTER, 1, 7, 0, NULL, &q),
                     SERVGAP_OK);
    int32_t m[4] = {0, 1, q, 3};
    double e[4] = {6, 6, 6, 6}, a[4] = {4, 4, 4, 4}, p[4] = {5, 5, 5, 5};
    double imp[5] = {20, 20, 20, 20, 20};
    const int32_t N = SERVGAP_NONE, D0 = SERVGAP_DRIVER_NONE;

#define RESP(sk, sid, tp, team, drv, n)                                                            \
    servgap_record_response(ctx, (sk), (sid), (tp), T0, (team), (drv), (n), m, e, a, p, imp)

    FAILS(ctx, RESP(A, f.acct, f.tp, N, D0, 0), SERVGAP_EINVAL, NULL, NULL);
    FAILS(ctx, RESP(0, f.acct, f.tp, N, D0, 4), SERVGAP_EINVAL, "scope", "0");
    FAILS(ctx, RESP(A, BAD, f.tp, N, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, RESP(SERVGAP_SCOPE_TIER, BAD, f.tp, N, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, RESP(A, f.acct, BAD, N, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, RESP(A, f.acct, f.tp, BAD, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, RESP(A, f.acct, f.tp, N, 9, 4), SERVGAP_EINVAL, "driver", "9");

    /* A repeated metric. */
    m[3] = q;
    FAILS(ctx, RESP(A, f.acct, f.tp, N, D0, 4), SERVGAP_EINVAL, "q_speed", "3");
    m[3] = 3;
    /* An unknown metric. */
    m[1] = BAD;
    FAILS(ctx, RESP(A, f.acct, f.tp, N, D0, 4), SERVGAP_ENOTFOUND, BADS, NULL);
    m[1] = 1;
    /* Values outside 1..7 or infinite, on any side (NaN = not answered). */
    p[2] = 8;
    FAILS(ctx, RESP(A, f.acct, f.tp, N, D0, 4), SERVGAP_ERANGE, "q_speed", "2");
    p[2] = 5;
    e[3] = INFINITY;
    FAILS(ctx, RESP(A, f.acct, f.tp, N, D0, 4), SERVGAP_ERANGE, "assurance", "3");
    e[3] = 6;
    a[0] = 0.0;
    FAILS(ctx, RESP(A, f.acct, f.tp, N, D0, 4), SERVGAP_ERANGE, "tangibles", "0");
    a[0] = 4;
    /* Importance. */
    double bad_imp[][5] = {{20, 20, 20, 20, 19},  {20, 20, 20, 20, 20.6}, {-10, 50, 20, 20, 20},
                           {0, 0, 0, 0, 0},       {NAN, 25, 25, 25, 25},  {INFINITY, 0, 0, 0, 0},
                           {100, 100, -100, 0, 0}};
    for (size_t i = 0; i < sizeof bad_imp / sizeof bad_imp[0]; i++) {
        memcpy(imp, bad_imp[i], sizeof imp);
        FAILS(ctx, RESP(A, f.acct, f.tp, N, D0, 4), SERVGAP_ERANGE, "importance", NULL);
    }
    ck_assert_uint_eq(obs_count(ctx), 0);

    /* A good response: 4 expected + 4 adequate + 4 perceived observations.
     * 100 +- 0.5 is accepted. */
    double ok_imp[5] = {20, 20, 20, 20, 20.4};
    memcpy(imp, ok_imp, sizeof imp);
    ck_assert_int_eq(RESP(A, f.acct, f.tp, N, D0, 4), SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 12);
    /* Unanswered (NaN) values are not observations; NULL adequate and NULL
     * importance are allowed. */
    e[0] = NAN;
    p[1] = NAN;
    ck_assert_int_eq(
        servgap_record_response(ctx, A, f.acct, f.tp, T0, N, D0, 4, m, e, NULL, p, NULL),
        SERVGAP_OK);
    ck_assert_uint_eq(obs_count(ctx), 12 + 3 + 3);
#undef RESP
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Importance                                                              */
/* ---------------------------------------------------------------------- */

static void find_sq(const servgap_result *r, int32_t sk, int32_t sid, int32_t tp,
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
    ck_abort_msg("no SERVQUAL row for scope %d/%d touchpoint %d", sk, sid, tp);
}

START_TEST(test_importance_errors)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    const int32_t A = SERVGAP_SCOPE_ACCOUNT, C = SERVGAP_WHOSE_CUSTOMER;
    const double good[5] = {10, 20, 30, 20, 20};
    const double prov[5] = {20, 20, 20, 20, 20};
    ck_assert_int_eq(servgap_set_importance(ctx, A, f.acct, C, good), SERVGAP_OK);
    ck_assert_int_eq(servgap_set_importance(ctx, A, f.acct, SERVGAP_WHOSE_PROVIDER, prov),
                     SERVGAP_OK);

    FAILS(ctx, servgap_set_importance(ctx, 0, f.acct, C, good), SERVGAP_EINVAL, "scope", "0");
    FAILS(ctx, servgap_set_importance(ctx, A, f.acct, 0, good), SERVGAP_EINVAL, "whose", "0");
    FAILS(ctx, servgap_set_importance(ctx, A, f.acct, 3, good), SERVGAP_EINVAL, "whose", "3");
    FAILS(ctx, servgap_set_importance(ctx, A, BAD, C, good), SERVGAP_ENOTFOUND, BADS, NULL);
    FAILS(ctx, servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, BAD, C, good), SERVGAP_ENOTFOUND,
          BADS, NULL);
    const double bad[][5] = {{10, 20, 30, 20, 19},       /* 99 */
                             {10, 20, 30, 20, 20.6},     /* 100.6 */
                             {10, 20, 30, 20, 19.4},     /* 99.4 */
                             {-10, 40, 30, 20, 20},      /* negative, sums to 100 */
                             {0, 0, 0, 0, 0},            /* 0 */
                             {200, -100, 0, 0, 0},       /* negative */
                             {NAN, 25, 25, 25, 25},      /* NaN */
                             {INFINITY, 25, 25, 25, 25}, /* inf */
                             {1000, 20, 30, 20, 20}};    /* 1090 */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FAILS(ctx, servgap_set_importance(ctx, A, f.acct, C, bad[i]), SERVGAP_ERANGE, NULL, NULL);
        FAILS(ctx, servgap_set_importance(ctx, A, f.acct, SERVGAP_WHOSE_PROVIDER, bad[i]),
              SERVGAP_ERANGE, NULL, NULL);
    }
    /* 100 +- 0.5 is accepted (on another scope, to keep acme's). */
    const double near[5] = {10, 20, 30, 20, 20.4};
    ck_assert_int_eq(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, f.tier, C, near), SERVGAP_OK);

    /* The failed calls changed nothing: acme's weights are still good/100. */
    const int32_t mt[5] = {0, 1, 2, 3, 4};
    const double e[5] = {6, 6, 6, 6, 6}, p[5] = {5, 5, 5, 5, 5};
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(servgap_record_response(ctx, A, f.acct, f.tp, T0 + i, SERVGAP_NONE,
                                                 SERVGAP_DRIVER_NONE, 5, mt, e, NULL, p, NULL),
                         SERVGAP_OK);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    servgap_servqual sq;
    find_sq(r, A, f.acct, SERVGAP_ALL, &sq);
    for (int d = 0; d < 5; d++) {
        ck_assert_double_eq_tol(sq.weight[d], good[d] / 100.0, 1e-12);
        ck_assert_double_eq_tol(sq.believed_weight[d], prov[d] / 100.0, 1e-12);
    }
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Queries and results                                                     */
/* ---------------------------------------------------------------------- */

START_TEST(test_query_errors)
{
    fixture f = setup();
    servgap_ctx *ctx = f.ctx;
    for (int i = 0; i < 10; i++) {
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 1,
                                        SERVGAP_VP_EXPECTED, 6.0, T0 + i, f.team, 0),
                         SERVGAP_OK);
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 1,
                                        SERVGAP_VP_PERCEIVED, 5.0, T0 + i, f.team, 0),
                         SERVGAP_OK);
    }
    servgap_result *r = (servgap_result *)0;
    const int64_t D = SERVGAP_DAY;

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
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0x20u, &r), SERVGAP_EINVAL,
          "flags", "20");
    FAILS(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0xFFFFFFFFu, &r),
          SERVGAP_EINVAL, "flags", NULL);
    FAILS(ctx, servgap_query_at(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, T0 + 1, 0, &r),
          SERVGAP_ERANGE, "now", "midnight");
    ck_assert_msg(strncmp(servgap_errmsg(ctx), "servgap_query_at: ", 18) == 0,
                  "message names the call: '%s'", servgap_errmsg(ctx));
    FAILS(ctx, servgap_query_at(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_TIME_MAX, 0, &r),
          SERVGAP_ERANGE, "now", NULL);
    FAILS(ctx, servgap_query_at(ctx, T0, T0 + D, T0, 0x40u, &r), SERVGAP_EINVAL, "flags", NULL);
    ck_assert_int_eq(servgap_query_at(NULL, T0, T0 + D, T0, 0, &r), SERVGAP_EMISUSE);
    FAILS(ctx, servgap_query_at(ctx, T0, T0 + D, T0, 0, NULL), SERVGAP_EMISUSE, "out", NULL);
    ck_assert_ptr_null(r);

    /* Valid windows, including negative days and open ends. */
    const int64_t ok[][2] = {{SERVGAP_TIME_MIN, SERVGAP_TIME_MAX},
                             {T0, T0 + D},
                             {-D, 0},
                             {SERVGAP_TIME_MIN, T0},
                             {T0, SERVGAP_TIME_MAX}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ck_assert_int_eq(servgap_query(ctx, ok[i][0], ok[i][1], 0, &r), SERVGAP_OK);
        int64_t from = 0, to = 0;
        ck_assert_int_eq(servgap_result_window(r, &from, &to), SERVGAP_OK);
        ck_assert(from == ok[i][0] && to == ok[i][1]);
        servgap_result_free(r);
        r = NULL;
    }

    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_ALL, &r),
                     SERVGAP_OK);
    size_t nc = servgap_result_count(r, SERVGAP_TABLE_CELLS);
    size_t ns = servgap_result_count(r, SERVGAP_TABLE_SERVQUAL);
    size_t nb = servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN);
    ck_assert_uint_gt(nc, 0);
    ck_assert_uint_gt(ns, 0);
    ck_assert_uint_eq(servgap_result_count(r, 0), 0);
    ck_assert_uint_eq(servgap_result_count(r, 8), 0);
    ck_assert_uint_eq(servgap_result_count(r, -1), 0);

    servgap_cell c;
    memset(&c, 0, sizeof c);
    c.size = sizeof c;
    ck_assert_int_eq(servgap_result_cell(r, nc - 1, &c), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, nc, &c), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_cell(r, SIZE_MAX, &c), SERVGAP_ERANGE);
    c.size = 0;
    ck_assert_int_eq(servgap_result_cell(r, 0, &c), SERVGAP_EMISUSE);
    c.size = sizeof(size_t);
    ck_assert_int_eq(servgap_result_cell(r, 0, &c), SERVGAP_EMISUSE);
    c.size = sizeof c - 1;
    ck_assert_int_eq(servgap_result_cell(r, 0, &c), SERVGAP_EMISUSE);
    struct {
        servgap_cell c;
        unsigned char tail[32];
    } bigc;
    memset(&bigc, 0xCD, sizeof bigc);
    bigc.c.size = sizeof bigc;
    ck_assert_int_eq(servgap_result_cell(r, 0, &bigc.c), SERVGAP_OK);
    for (size_t i = 0; i < sizeof bigc.tail; i++)
        ck_assert_uint_eq(bigc.tail[i], 0xCD);

    servgap_gap g;
    memset(&g, 0, sizeof g);
    g.size = sizeof g;
    ck_assert_int_eq(servgap_result_gap(r, 0, SERVGAP_GAP_SERVICE, &g), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_gap(r, nc - 1, SERVGAP_GAP_ADEQUACY, &g), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_gap(r, nc, SERVGAP_GAP_SERVICE, &g), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_gap(r, 0, SERVGAP_GAP_COUNT, &g), SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_result_gap(r, 0, -1, &g), SERVGAP_EINVAL);
    g.size = 0;
    ck_assert_int_eq(servgap_result_gap(r, 0, SERVGAP_GAP_SERVICE, &g), SERVGAP_EMISUSE);

    servgap_servqual sq;
    memset(&sq, 0, sizeof sq);
    sq.size = sizeof sq;
    ck_assert_int_eq(servgap_result_servqual(r, ns - 1, &sq), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_servqual(r, ns, &sq), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_servqual(r, SIZE_MAX, &sq), SERVGAP_ERANGE);
    sq.size = 0;
    ck_assert_int_eq(servgap_result_servqual(r, 0, &sq), SERVGAP_EMISUSE);

    servgap_breakdown b;
    memset(&b, 0, sizeof b);
    b.size = sizeof b;
    if (nb > 0)
        ck_assert_int_eq(servgap_result_breakdown(r, nb - 1, &b), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_breakdown(r, nb, &b), SERVGAP_ERANGE);
    ck_assert_int_eq(servgap_result_breakdown(r, SIZE_MAX, &b), SERVGAP_ERANGE);
    b.size = 0;
    if (nb > 0)
        ck_assert_int_eq(servgap_result_breakdown(r, 0, &b), SERVGAP_EMISUSE);

    size_t idx = 77;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 1, 0, &idx),
                     SERVGAP_OK);
    ck_assert_uint_lt(idx, nc);
    idx = 77;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, BAD, f.tp, 1, 0, &idx),
                     SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acct, BAD, 1, 0, &idx),
                     SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, BAD, 0, &idx),
                     SERVGAP_ENOTFOUND);
    ck_assert_int_eq(servgap_result_find(r, 9, f.acct, f.tp, 1, 0, &idx), SERVGAP_ENOTFOUND);
    ck_assert_uint_eq(idx, 77);
    servgap_result_free(r);

    /* Errors on the handle do not touch its observations. */
    ck_assert_uint_eq(obs_count(ctx), 20);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Merge                                                                   */
/* ---------------------------------------------------------------------- */

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
    const int64_t D = SERVGAP_DAY;
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

START_TEST(test_merge_errors)
{
    fixture f = setup();
    servgap_ctx *dst = f.ctx;
    ck_assert_int_eq(servgap_record(dst, SERVGAP_SCOPE_ACCOUNT, f.acct, f.tp, 1,
                                    SERVGAP_VP_EXPECTED, 6.0, T0, SERVGAP_NONE, 0),
                     SERVGAP_OK);
    FAILS(dst, servgap_ctx_merge(dst, dst), SERVGAP_EINVAL, NULL, NULL);
    ck_assert_uint_eq(obs_count(dst), 1);

    int32_t id;
    ck_assert_int_eq(servgap_metric_define(dst, "frt", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &id),
                     SERVGAP_OK);

    /* A metric defined differently in src. */
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

    /* An account in a different tier in src. */
    src = new_ctx();
    ck_assert_int_eq(servgap_account_define(src, "acme", "smb", 5.0, &sacct), SERVGAP_OK);
    ck_assert_int_eq(servgap_record(src, SERVGAP_SCOPE_ACCOUNT, sacct, SERVGAP_ANY, 1,
                                    SERVGAP_VP_PERCEIVED, 3.0, T0, SERVGAP_NONE, 0),
                     SERVGAP_OK);
    FAILS(dst, servgap_ctx_merge(dst, src), SERVGAP_ECONFLICT, "acme", NULL);
    ck_assert_uint_eq(obs_count(dst), 1);
    ck_assert_int_eq(kind_count(dst, SERVGAP_KIND_TIER), 1);
    servgap_ctx_free(src);

    /* A compatible src merges. */
    src = new_ctx();
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

/* ---------------------------------------------------------------------- */
/* Allocators                                                              */
/* ---------------------------------------------------------------------- */

#define FA_MAGIC 0x5e5a11c0de5e5a11ull
typedef struct fa_state {
    uint64_t magic;
    long live;    /* blocks allocated and not freed */
    long total;   /* successful allocations */
    long calls;   /* successful malloc/realloc calls counted against limit */
    long limit;   /* fail once calls == limit; -1: never */
    long foreign; /* frees/reallocs of pointers we did not hand out */
    long failed;  /* allocations refused */
} fa_state;

typedef union fa_hdr {
    struct {
        uint64_t magic;
        size_t n;
    } h;
    max_align_t align;
} fa_hdr;

static fa_state *fa_of(void *user)
{
    fa_state *s = user;
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(s->magic == FA_MAGIC, "allocator user pointer not passed back");
    return s;
}

static int fa_refuse(fa_state *s)
{
    if (s->limit >= 0 && s->calls >= s->limit) {
        s->failed++;
        return 1;
    }
    return 0;
}

static void *fa_malloc(void *user, size_t n)
{
    fa_state *s = fa_of(user);
    if (fa_refuse(s))
        return NULL;
    fa_hdr *h = malloc(sizeof(fa_hdr) + (n ? n : 1));
    if (!h)
        return NULL;
    h->h.magic = FA_MAGIC;
    h->h.n = n;
    s->calls++;
    s->total++;
    s->live++;
    return h + 1;
}

static void *fa_realloc(void *user, void *p, size_t n)
{
    fa_state *s = fa_of(user);
    if (!p)
        return fa_malloc(user, n);
    fa_hdr *h = (fa_hdr *)p - 1;
    if (h->h.magic != FA_MAGIC) {
        s->foreign++;
        return NULL;
    }
    if (fa_refuse(s))
        return NULL;
    fa_hdr *q = realloc(h, sizeof(fa_hdr) + (n ? n : 1));
    if (!q)
        return NULL;
    q->h.n = n;
    s->calls++;
    s->total++;
    return q + 1;
}

static void fa_free(void *user, void *p)
{
    fa_state *s = fa_of(user);
    if (!p)
        return;
    fa_hdr *h = (fa_hdr *)p - 1;
    if (h->h.magic != FA_MAGIC) {
        s->foreign++;
        return;
    }
    h->h.magic = 0;
    s->live--;
    free(h);
}

START_TEST(test_allocator_counting)
{
    fa_state st = {FA_MAGIC, 0, 0, 0, -1, 0, 0};
    servgap_allocator al = {sizeof al, fa_malloc, fa_realloc, fa_free, &st};
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &al), SERVGAP_OK);
    memset(&al, 0, sizeof al); /* the handle copied it */
    ck_assert_int_gt(st.total, 0);

    int32_t tier, tp, acct, m;
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TIER, "enterprise", &tier), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(ctx, "acme", "enterprise", 10, &acct), SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(ctx, "frt", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &m),
                     SERVGAP_OK);
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acct, tp, i % 6,
                                        (i % 2) ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_EXPECTED,
                                        1.0 + (i % 7), T0 + (int64_t)i * 3600, SERVGAP_NONE, 0),
                         SERVGAP_OK);
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_CONFIDENCE, 0.9), SERVGAP_OK);
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), SERVGAP_OK);
    long after_query = st.total;
    ck_assert_int_gt(after_query, 0);
    ck_assert_int_gt(st.live, 0);

    /* An error message is kept without leaking. */
    FAILS(ctx, servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, 99.0, T0, -1, 0),
          SERVGAP_ERANGE, "reliability", NULL);

    /* The result outlives the handle and owns its memory. */
    servgap_ctx_free(ctx);
    ck_assert_int_eq(st.foreign, 0);
    servgap_cell c;
    memset(&c, 0, sizeof c);
    c.size = sizeof c;
    size_t idx;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, &idx),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, idx, &c), SERVGAP_OK);
    /* metric 1 gets i = 1, 7, 13, ... (i % 6 == 1, all odd: perceived). */
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 167); /* i = 1 + 6k < 1000: k = 0..166 */
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 0);
    servgap_result_free(r);
    ck_assert_int_eq(st.live, 0);
    ck_assert_int_eq(st.foreign, 0);
}
END_TEST

/* One step of the failure-injection workload: on ENOMEM, check that
 * nothing changed, switch failures off and retry; the retry must succeed. */
#define STEP(call, unchanged)                                                                      \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ == SERVGAP_ENOMEM) {                                                               \
            ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_ENOMEM);                                \
            st.limit = -1;                                                                         \
            nfail++;                                                                               \
            unchanged;                                                                             \
            rc_ = (call);                                                                          \
        }                                                                                          \
        ck_assert_msg(rc_ == SERVGAP_OK, "k=%ld: %s returned %d (%s): %s", k, #call, rc_,          \
                      servgap_strerror(rc_), servgap_errmsg(ctx));                                 \
    } while (0)

static long run_failing_workload(long k)
{
    fa_state st = {FA_MAGIC, 0, 0, 0, k, 0, 0};
    servgap_allocator al = {sizeof al, fa_malloc, fa_realloc, fa_free, &st};
    int nfail = 0;

    /* src: a plain handle (C malloc) to merge from: 10 perceived values of
     * "frt" for acme at touchpoint "chat". */
    servgap_ctx *src = NULL;
    int32_t s_acct, s_tp, s_m;
    ck_assert_int_eq(servgap_ctx_new(&src, NULL), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(src, "acme", "ent", 1000, &s_acct), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(src, SERVGAP_KIND_TOUCHPOINT, "chat", &s_tp), SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(src, "frt", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 24, "h", &s_m),
                     SERVGAP_OK);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(servgap_record(src, SERVGAP_SCOPE_ACCOUNT, s_acct, s_tp, s_m,
                                        SERVGAP_VP_PERCEIVED, 1.0 + i, T0 + i, SERVGAP_NONE, 0),
                         SERVGAP_OK);

    servgap_ctx *ctx = NULL;
    {
        int rc = servgap_ctx_new(&ctx, &al);
        if (rc == SERVGAP_ENOMEM) {
            ck_assert_ptr_null(ctx);
            ck_assert_int_eq(st.live, 0);
            st.limit = -1;
            nfail++;
            rc = servgap_ctx_new(&ctx, &al);
        }
        ck_assert_int_eq(rc, SERVGAP_OK);
        ck_assert_ptr_nonnull(ctx);
    }

    int32_t m = -9, tier = -9, tp = -9, team = -9, acct = -9;
    STEP(servgap_metric_define(ctx, "frt", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER, 0,
                               INFINITY, 24, "h", &m),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_METRIC), 5));
    ck_assert_int_eq(m, 5);
    STEP(servgap_intern(ctx, SERVGAP_KIND_TIER, "ent", &tier),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TIER), 0));
    STEP(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 0));
    STEP(servgap_intern(ctx, SERVGAP_KIND_TEAM, "squad", &team),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TEAM), 0));
    STEP(servgap_account_define(ctx, "acme", "ent", 1000, &acct),
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_ACCOUNT), 0));
    ck_assert(tier == 0 && tp == 0 && team == 0 && acct == 0);
    const double cust[5] = {10, 30, 25, 20, 15};
    STEP(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, acct, SERVGAP_WHOSE_CUSTOMER, cust),
         (void)0);

    /* A batch of 50: even i expected 6, odd i perceived 5, metric 1. */
    int32_t sid[50], tpa[50], met[50], vp[50], tm_team[50], drv[50];
    double val[50];
    int64_t tm[50];
    for (int i = 0; i < 50; i++) {
        sid[i] = acct;
        tpa[i] = tp;
        met[i] = 1;
        vp[i] = (i % 2) ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_EXPECTED;
        val[i] = (i % 2) ? 5.0 : 6.0;
        tm[i] = T0 + i * 600;
        tm_team[i] = (i % 3) ? team : SERVGAP_NONE;
        drv[i] = i % 5;
    }
    STEP(servgap_record_batch(ctx, 50, NULL, sid, tpa, met, vp, val, tm, tm_team, drv),
         ck_assert_uint_eq(obs_count(ctx), 0));
    ck_assert_uint_eq(obs_count(ctx), 50);

    /* A response over the five built-ins: 5 expected + 5 perceived. */
    const int32_t rm[5] = {0, 1, 2, 3, 4};
    const double re[5] = {6, 7, 6, 5, 6}, rp[5] = {5, 4, 5, 6, 5};
    const double imp[5] = {20, 20, 20, 20, 20};
    STEP(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, acct, tp, T0 + 86400, team,
                                 SERVGAP_DRIVER_PAST_EXPERIENCE, 5, rm, re, NULL, rp, imp),
         ck_assert_uint_eq(obs_count(ctx), 50));
    ck_assert_uint_eq(obs_count(ctx), 60);

    STEP(servgap_record(ctx, SERVGAP_SCOPE_TIER, tier, tp, m, SERVGAP_VP_STANDARD, 4.0, T0,
                        SERVGAP_NONE, 0),
         ck_assert_uint_eq(obs_count(ctx), 60));
    ck_assert_uint_eq(obs_count(ctx), 61);

    STEP(servgap_ctx_merge(ctx, src), ck_assert_uint_eq(obs_count(ctx), 61);
         ck_assert_int_eq(kind_count(ctx, SERVGAP_KIND_TOUCHPOINT), 1));
    ck_assert_uint_eq(obs_count(ctx), 71);

    servgap_result *r = NULL;
    STEP(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, 0, &r), ck_assert_ptr_null(r));
    ck_assert_ptr_nonnull(r);

    /* Accessors only read. */
    st.limit = -1;
    ck_assert_uint_gt(servgap_result_count(r, SERVGAP_TABLE_CELLS), 0);
    ck_assert_uint_gt(servgap_result_count(r, SERVGAP_TABLE_SERVQUAL), 0);
    size_t idx;
    servgap_cell c;
    memset(&c, 0, sizeof c);
    c.size = sizeof c;
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, tp, 1, 0, &idx),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, idx, &c), SERVGAP_OK);
    ck_assert_int_eq(c.n[SERVGAP_VP_EXPECTED], 26); /* 25 from the batch + 1 response */
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 26);
    servgap_gap g;
    memset(&g, 0, sizeof g);
    g.size = sizeof g;
    ck_assert_int_eq(servgap_result_gap(r, idx, SERVGAP_GAP_SERVICE, &g), SERVGAP_OK);
    /* expected mean (25*6 + 7)/26 = 157/26, perceived (25*5 + 4)/26 = 129/26 */
    ck_assert_double_eq_tol(g.value, (129.0 - 157.0) / 26.0, 1e-12);
    int32_t chat = -9;
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &chat), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_find(r, SERVGAP_SCOPE_ACCOUNT, acct, chat, m, 0, &idx),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_result_cell(r, idx, &c), SERVGAP_OK);
    ck_assert_int_eq(c.n[SERVGAP_VP_PERCEIVED], 10);
    ck_assert_double_eq_tol(c.mean[SERVGAP_VP_PERCEIVED], 5.5, 1e-12);
    servgap_servqual sq;
    memset(&sq, 0, sizeof sq);
    sq.size = sizeof sq;
    ck_assert_int_eq(servgap_result_servqual(r, 0, &sq), SERVGAP_OK);

    servgap_result_free(r);
    servgap_ctx_free(ctx);
    servgap_ctx_free(src);
    ck_assert_msg(st.live == 0, "k=%ld: %ld blocks leaked", k, st.live);
    ck_assert_int_eq(st.foreign, 0);
    ck_assert_int_le(nfail, 1);
    return nfail ? 1 : 0;
}
#undef STEP

START_TEST(test_allocator_failures)
{
    long failures = 0;
    for (long k = 0; k <= 200; k++) {
        long f = run_failing_workload(k);
        if (k == 0)
            ck_assert_int_eq(f, 1); /* creating a handle must allocate */
        failures += f;
    }
    ck_assert_int_gt(failures, 5);
}
END_TEST

/* ---------------------------------------------------------------------- */

static Suite *api_errors_suite(void)
{
    Suite *s = suite_create("api_errors");
    TCase *tc = tcase_create("static");
    tcase_add_test(tc, test_strerror);
    tcase_add_test(tc, test_enum_names);
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_free_null);
    tcase_add_test(tc, test_t_invalid);
    suite_add_tcase(s, tc);

    tc = tcase_create("handle");
    tcase_add_test(tc, test_builtin_metrics);
    tcase_add_test(tc, test_null_handle);
    tcase_add_test(tc, test_null_pointers);
    tcase_add_test(tc, test_bad_allocator);
    tcase_add_test(tc, test_options);
    tcase_add_test(tc, test_analysis_options);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_metrics);
    tcase_add_test(tc, test_accounts);
    suite_add_tcase(s, tc);

    tc = tcase_create("recording");
    tcase_add_test(tc, test_record_errors);
    tcase_add_test(tc, test_batch_atomic);
    tcase_add_test(tc, test_response_errors);
    tcase_add_test(tc, test_importance_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("results");
    tcase_add_test(tc, test_query_errors);
    tcase_add_test(tc, test_query_now);
    tcase_add_test(tc, test_merge_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("allocator");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_allocator_counting);
    tcase_add_test(tc, test_allocator_failures);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(api_errors_suite());
}
