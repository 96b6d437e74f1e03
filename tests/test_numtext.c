/*
 * test_numtext -- the shortest-digits formatter over the whole range of a
 * double, where the report's numbers can no longer reach it through
 * recorded values (SERVGAP_VALUE_MAX bounds those; tests/test_json.c
 * checks the layout in a report within it): every finite double reads
 * back to itself through strtod, in JSON's grammar and ECMAScript's
 * layout; and the message form servgap__num_text, with nan, inf and -inf.
 * Links the internal archive.
 */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/numtext.h"

#include "run_suite.h"

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

/* x written, then read back by strtod, is x; and the text is a JSON number. */
static void round_trips(double x)
{
    char text[SERVGAP__NUM_TEXT_SIZE];
    size_t n = servgap__json_double(x, text);
    ck_assert_uint_le(n, SERVGAP__NUM_MAX);
    text[n] = '\0';
    char *end;
    double back = strtod(text, &end);
    ck_assert_msg(*end == '\0' && bits_of(back) == bits_of(x), "%.17g (%a) written as %s", x, x,
                  text);
    ck_assert_int_ne(text[0], '+');
    const char *d = text[0] == '-' ? text + 1 : text;
    ck_assert_msg(!(d[0] == '0' && d[1] >= '0' && d[1] <= '9'), "leading zero: %s", text);
}

START_TEST(test_whole_range)
{
    setlocale(LC_NUMERIC, "C");
    /* clang-format off */
    static const double awkward[] = {
        1.7976931348623157e308, -1.7976931348623157e308, 1e300, 1e23, 1e21, 123e18, 1e16,
        1e17, -1e22, 9007199254740993.0, 5e-324, 5e-310, 2.2250738585072014e-308,
        2.225073858507201e-308, 1e-300};
    /* clang-format on */
    for (size_t i = 0; i < sizeof awkward / sizeof *awkward; i++)
        round_trips(awkward[i]);
    uint64_t s = 0x243f6a8885a308d3u;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        double x;
        memcpy(&x, &s, sizeof x);
        if (isfinite(x))
            round_trips(x);
    }
}
END_TEST

/* The layout beyond the values a report holds: exponents from 21 up. */
START_TEST(test_large_layout)
{
    static const struct {
        double x;
        const char *text;
    } cases[] = {
        {1e21, "1e+21"},
        {1e20, "100000000000000000000"},
        {1e23, "1e+23"},
        {9007199254740993.0, "9007199254740992"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
        {5e-324, "5e-324"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char text[SERVGAP__NUM_TEXT_SIZE];
        ck_assert_str_eq(servgap__num_text(cases[i].x, text), cases[i].text);
    }
}
END_TEST

START_TEST(test_message_text)
{
    char text[SERVGAP__NUM_TEXT_SIZE];
    ck_assert_str_eq(servgap__num_text(0.9999999999999999, text), "0.9999999999999999");
    ck_assert_str_eq(servgap__num_text(NAN, text), "nan");
    ck_assert_str_eq(servgap__num_text(-NAN, text), "nan");
    ck_assert_str_eq(servgap__num_text(INFINITY, text), "inf");
    ck_assert_str_eq(servgap__num_text(-INFINITY, text), "-inf");
    ck_assert_str_eq(servgap__num_text(-0.0, text), "-0");
    /* The longest text fits its buffer. */
    ck_assert_str_eq(servgap__num_text(-2.2250738585072014e-308, text), "-2.2250738585072014e-308");
    ck_assert_str_eq(SERVGAP__NUM(1e-7), "1e-7");
}
END_TEST

static Suite *numtext_suite(void)
{
    Suite *s = suite_create("numtext");
    TCase *tc = tcase_create("format");
    tcase_add_test(tc, test_whole_range);
    tcase_add_test(tc, test_large_layout);
    tcase_add_test(tc, test_message_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(numtext_suite());
}
