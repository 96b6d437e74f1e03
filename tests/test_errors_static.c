/*
 * test_errors_static -- the calls that need no handle: status texts, the
 * names of every enumeration (NULL outside it), the version, freeing NULL
 * and the t distribution's invalid arguments (errors.h has the approach).
 */
#include <check.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "servgap.h"

#include "errors.h"
#include "run_suite.h"

static const int codes[] = {
    SERVGAP_OK,        SERVGAP_EMISUSE,  SERVGAP_EINVAL,      SERVGAP_ERANGE,   SERVGAP_ENOTFOUND,
    SERVGAP_ECONFLICT, SERVGAP_ENOMEM,   SERVGAP_ELIMIT,      SERVGAP_EBUFSIZE, SERVGAP_EIO,
    SERVGAP_EFORMAT,   SERVGAP_ECORRUPT, SERVGAP_EINTERRUPTED};

START_TEST(test_status_values)
{
    /* The values are part of the ABI. */
    ck_assert_int_eq(SERVGAP_EMISUSE, -1);
    ck_assert_int_eq(SERVGAP_ECORRUPT, -11);
    ck_assert_int_eq(SERVGAP_EINTERRUPTED, -12);
}
END_TEST

/* Loop test over codes: each text is non-empty, known and unlike the
 * texts of the codes before it. */
START_TEST(test_strerror_distinct)
{
    const char *s = servgap_strerror(codes[_i]);
    ck_assert_ptr_nonnull(s);
    ck_assert_msg(s[0] != '\0', "strerror(%d) empty", codes[_i]);
    ck_assert_msg(strcmp(s, "unknown error") != 0, "strerror(%d) is 'unknown error'", codes[_i]);
    for (int j = 0; j < _i; j++)
        ck_assert_msg(strcmp(s, servgap_strerror(codes[j])) != 0,
                      "strerror(%d) == strerror(%d): '%s'", codes[_i], codes[j], s);
}
END_TEST

START_TEST(test_strerror_unknown)
{
    ck_assert_str_eq(servgap_strerror(-999), "unknown error");
    ck_assert_str_eq(servgap_strerror(-13), "unknown error");
    ck_assert_str_eq(servgap_strerror(1), "unknown error");
    ck_assert_str_eq(servgap_strerror(INT32_MIN), "unknown error");
}
END_TEST

START_TEST(test_dimension_names)
{
    static const char *const dims[] = {"tangibles", "reliability", "responsiveness", "assurance",
                                       "empathy"};
    for (int32_t i = 0; i < SERVGAP_DIM_COUNT; i++)
        ck_assert_str_eq(servgap_dimension_name(i), dims[i]);
    ck_assert_ptr_null(servgap_dimension_name(-1));
    ck_assert_ptr_null(servgap_dimension_name(SERVGAP_DIM_COUNT));
    ck_assert_ptr_null(servgap_dimension_name(INT32_MAX));
}
END_TEST

START_TEST(test_viewpoint_names)
{
    static const char *const vps[] = {"expected",  "adequate", "believed", "standard",
                                      "delivered", "promised", "perceived"};
    for (int32_t i = 0; i < SERVGAP_VP_COUNT; i++)
        ck_assert_str_eq(servgap_viewpoint_name(i), vps[i]);
    ck_assert_ptr_null(servgap_viewpoint_name(-1));
    ck_assert_ptr_null(servgap_viewpoint_name(SERVGAP_VP_COUNT));
}
END_TEST

START_TEST(test_gap_names)
{
    static const char *const gaps[] = {"service",       "knowledge",  "standards", "delivery",
                                       "communication", "perception", "adequacy"};
    for (int32_t i = 0; i < SERVGAP_GAP_COUNT; i++)
        ck_assert_str_eq(servgap_gap_name(i), gaps[i]);
    ck_assert_ptr_null(servgap_gap_name(-1));
    ck_assert_ptr_null(servgap_gap_name(SERVGAP_GAP_COUNT));
}
END_TEST

START_TEST(test_status_names)
{
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_MET), "met");
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_SHORTFALL), "shortfall");
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_EXCEEDS), "exceeds");
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_INSUFFICIENT), "insufficient");
    ck_assert_str_eq(servgap_status_name(SERVGAP_STATUS_UNRESOLVED), "unresolved");
    ck_assert_ptr_null(servgap_status_name(-1));
    ck_assert_ptr_null(servgap_status_name(5));
}
END_TEST

START_TEST(test_class_names)
{
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
}
END_TEST

static const uint32_t K = SERVGAP_LINK_KNOWLEDGE, S = SERVGAP_LINK_STANDARDS,
                      D = SERVGAP_LINK_DELIVERY, P = SERVGAP_LINK_PERCEPTION,
                      C = SERVGAP_LINK_COMMUNICATION;

START_TEST(test_span_names)
{
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
}
END_TEST

/* Not contiguous links of the chain, or no link, or unknown bits. */
START_TEST(test_span_names_invalid)
{
    ck_assert_ptr_null(servgap_span_name(0));
    ck_assert_ptr_null(servgap_span_name(K | D));
    ck_assert_ptr_null(servgap_span_name(K | P));
    ck_assert_ptr_null(servgap_span_name(S | P));
    ck_assert_ptr_null(servgap_span_name(K | S | P));
    ck_assert_ptr_null(servgap_span_name(0x20u));
    ck_assert_ptr_null(servgap_span_name(K | 0x20u));
    ck_assert_ptr_null(servgap_span_name(0xFFFFFFFFu));
}
END_TEST

START_TEST(test_driver_names)
{
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_NONE), "none");
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_WORD_OF_MOUTH), "word_of_mouth");
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_PERSONAL_NEEDS), "personal_needs");
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_PAST_EXPERIENCE), "past_experience");
    ck_assert_str_eq(servgap_driver_name(SERVGAP_DRIVER_EXTERNAL_COMMUNICATION),
                     "external_communication");
    ck_assert_ptr_null(servgap_driver_name(-1));
    ck_assert_ptr_null(servgap_driver_name(5));
}
END_TEST

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
    {servgap_csv_table_name,
     {"observations", "metrics", "accounts", "importance", "efforts", "plans"}},
};

/* Loop test over from_one. */
START_TEST(test_names_from_one)
{
    int32_t k = 0;
    while (k < 6 && from_one[_i].names[k]) {
        ck_assert_str_eq(from_one[_i].fn(k + 1), from_one[_i].names[k]);
        k++;
    }
    ck_assert_ptr_null(from_one[_i].fn(0));
    ck_assert_ptr_null(from_one[_i].fn(k + 1));
    ck_assert_ptr_null(from_one[_i].fn(-1));
}
END_TEST

START_TEST(test_from_one_values)
{
    ck_assert_int_eq(SERVGAP_QUADRANT_QUICK_WIN, 1);
    ck_assert_int_eq(SERVGAP_TRIGGER_QUARTERLY_REVIEW, 5);
}
END_TEST

START_TEST(test_outcome_names)
{
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
    ck_assert_uint_eq(SERVGAP_VERSION_NUMBER, 10200u); /* 1.2.0 */
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
}
END_TEST

START_TEST(test_t_sanity)
{
    /* Published table value t(0.975, 4) = 2.776. */
    ck_assert_double_eq_tol(servgap_t_quantile(0.975, 4.0), 2.776, 1e-3);
    ck_assert_double_eq_tol(servgap_t_cdf(0.0, 7.0), 0.5, 1e-15);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("errors_static");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, test_status_values);
    tcase_add_loop_test(tc, test_strerror_distinct, 0, (int)(sizeof codes / sizeof codes[0]));
    tcase_add_test(tc, test_strerror_unknown);
    suite_add_tcase(s, tc);

    tc = tcase_create("names");
    tcase_add_test(tc, test_dimension_names);
    tcase_add_test(tc, test_viewpoint_names);
    tcase_add_test(tc, test_gap_names);
    tcase_add_test(tc, test_status_names);
    tcase_add_test(tc, test_class_names);
    tcase_add_test(tc, test_span_names);
    tcase_add_test(tc, test_span_names_invalid);
    tcase_add_test(tc, test_driver_names);
    tcase_add_loop_test(tc, test_names_from_one, 0, (int)(sizeof from_one / sizeof from_one[0]));
    tcase_add_test(tc, test_from_one_values);
    tcase_add_test(tc, test_outcome_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("other");
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_free_null);
    tcase_add_test(tc, test_t_invalid);
    tcase_add_test(tc, test_t_sanity);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
