/*
 * test_parse_number -- the CSV number parser over the whole range of a
 * double: exact at both ends, and what it refuses. A number whose digits
 * are not all zero must come out as a normal double: overflow to an
 * infinity, underflow to zero and subnormals (fewer than 53 significant
 * bits, so the digits written are not the number read) are
 * SERVGAP_ERANGE, with the rounded value left for the message. Reference:
 * strtod in the C locale. Links the internal archive.
 */
#include <check.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"
#include "base/parse_number.h"

#include "run_suite.h"

static int parse(const char *s, double *v)
{
    return servgap__parse_number(s, strlen(s), v);
}

static int same_bits(double x, double y)
{
    return memcmp(&x, &y, sizeof x) == 0;
}

static void accepted(const char *s, double want)
{
    double v = NAN;
    ck_assert_msg(parse(s, &v) == SERVGAP_OK, "%s refused", s);
    ck_assert_msg(same_bits(v, want), "%s: got %.17g, want %.17g", s, v, want);
}

/* Refused with SERVGAP_ERANGE, the rounded value left in *v. */
static void refused(const char *s, double rounded)
{
    double v = NAN;
    ck_assert_msg(parse(s, &v) == SERVGAP_ERANGE, "%s accepted", s);
    ck_assert_msg(same_bits(v, rounded), "%s: got %.17g, want %.17g", s, v, rounded);
}

START_TEST(test_ends_of_the_range)
{
    accepted("1.7976931348623157e308", DBL_MAX);
    accepted("-1.7976931348623157e308", -DBL_MAX);
    accepted("9007199254740993", 9007199254740992.0); /* tie to even */
    accepted("2.2250738585072014e-308", DBL_MIN);
    /* Just below DBL_MIN, but rounding up to it. */
    accepted("2.22507385850720138e-308", DBL_MIN);
    accepted("0", 0.0);
    accepted("-0", -0.0);
    accepted("0e-999999", 0.0);
    accepted("0.000000000000000000000000000000000000000000000000000", 0.0);
    /* DBL_MAX + half an ulp (2^970) rounds to infinity, just below stays. */
    accepted("1.797693134862315807e308", DBL_MAX);
    refused("1.797693134862315808e308", INFINITY);
    refused("1e309", INFINITY);
    refused("-1e400", -INFINITY);
}
END_TEST

/* Nonzero digits that would read as a subnormal or as zero. */
START_TEST(test_too_small)
{
    refused("2.2250738585072011e-308", 2.2250738585072009e-308); /* the largest subnormal */
    refused("4.9406564584124654e-324", 4.9406564584124654e-324);
    refused("1e-320", 9.99988671826831e-321);
    refused("-1e-310", -1e-310);
    /* Below half the smallest subnormal: zero, with the sign. */
    refused("2e-324", 0.0);
    refused("-1e-400", -0.0);
    refused("1e-99999999999999", 0.0);
}
END_TEST

/* Random decimals of 1 to 20 significant digits across every decimal
 * exponent a double reaches, against strtod: equal where the result is a
 * normal double or a zero written as zeros, refused otherwise. */
START_TEST(test_random_against_strtod)
{
    setlocale(LC_NUMERIC, "C");
    uint64_t s = 0x2545f4914f6cdd1du;
    for (int i = 0; i < 20000; i++) {
        char digits[24], text[64];
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        int nd = 1 + (int)(s % 20), e = (int)((s >> 8) % 660) - 345;
        for (int k = 0; k < nd; k++) {
            s ^= s << 13, s ^= s >> 7, s ^= s << 17;
            digits[k] = (char)('0' + s % 10);
        }
        digits[nd] = '\0';
        snprintf(text, sizeof text, "%s%se%d", s & 1u ? "-" : "", digits, e);
        double want = strtod(text, NULL);
        int all_zero = strspn(digits, "0") == (size_t)nd;
        if (isinf(want) || (!all_zero && fabs(want) < DBL_MIN))
            refused(text, want);
        else
            accepted(text, want);
    }
}
END_TEST

static Suite *parse_number_suite(void)
{
    Suite *s = suite_create("parse_number");
    TCase *tc = tcase_create("range");
    tcase_add_test(tc, test_ends_of_the_range);
    tcase_add_test(tc, test_too_small);
    tcase_add_test(tc, test_random_against_strtod);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(parse_number_suite());
}
