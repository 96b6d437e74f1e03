/*
 * test_tdist_extreme -- servgap_t_cdf and servgap_t_quantile at the ends
 * of their documented domain: t = +-1e308 and +-infinity, df from the
 * smallest subnormal to infinity, p down to 1e-300, and a sweep of the
 * whole domain for NaN and for order. servgap_t_cdf(1e308, 1e-300) was
 * NaN: t / sqrt(df) overflowed, and below df = 2e-300 the continued
 * fraction fell under its floor.
 *
 * Expected values: limits and closed forms worked out beside each one,
 * else tests/tools/t_reference.py (the incomplete beta series in 120-digit
 * Decimal arithmetic), whose output they are pasted from.
 */
#include <check.h>
#include <float.h>
#include <math.h>

#include "servgap.h"

#include "run_suite.h"

static void near(double got, double want, double rel)
{
    ck_assert_msg(fabs(got - want) <= rel * fabs(want), "got %.17g, want %.17g", got, want);
}

/* For df -> 0 the mass of t escapes to infinity: P(T > |t|) -> 1/2 for
 * every finite t. With a = df/2 and x = df / (df + t^2),
 * P(T > |t|) = x^a (1 - df log(1 + sqrt(1 - x))) / 2 + O(df^2); at
 * t = 1e308, df = 1e-300: a log x = -5e-301 * log(1e916) = -1.05e-297, so
 * P(T > t) = 1/2 - 5.3e-298, which is 1/2 as a double, and so is 1 - it. */
START_TEST(test_cdf_tiny_df)
{
    ck_assert_double_eq(servgap_t_cdf(1e308, 1e-300), 0.5);
    ck_assert_double_eq(servgap_t_cdf(-1e308, 1e-300), 0.5);
    static const double dfs[] = {4.9406564584124654e-324, 1e-310, 1e-300, 1e-100, 1e-25};
    static const double ts[] = {1e-300, 1.0, 1e10, 1e308, DBL_MAX};
    for (size_t i = 0; i < sizeof dfs / sizeof *dfs; i++) {
        for (size_t j = 0; j < sizeof ts / sizeof *ts; j++) {
            ck_assert_double_eq(servgap_t_cdf(ts[j], dfs[i]), 0.5);
            ck_assert_double_eq(servgap_t_cdf(-ts[j], dfs[i]), 0.5);
        }
        /* The limit in t still holds for every df > 0. */
        ck_assert_double_eq(servgap_t_cdf(INFINITY, dfs[i]), 1.0);
        ck_assert_double_eq(servgap_t_cdf(-INFINITY, dfs[i]), 0.0);
        ck_assert_double_eq(servgap_t_cdf(0.0, dfs[i]), 0.5);
    }
    /* Where it is not 1/2 yet: df = 1e-10, t = -1: 1/2 - 6.1e-10. */
    near(servgap_t_cdf(-1.0, 1e-10), 0.49999999938969636, 1e-15);
    near(servgap_t_cdf(-1e10, 1e-3), 0.4865966927156173, 1e-14);
}
END_TEST

/* t / sqrt(df) beyond DBL_MAX at a df where the tail is far from 0 or
 * 1/2; and the closed forms of df = 1 and 2. */
START_TEST(test_cdf_huge_t)
{
    near(servgap_t_cdf(-1e308, 0.01), 0.0004036244205379755, 1e-13);
    near(1.0 - servgap_t_cdf(1e308, 0.01), 0.0004036244205379755, 1e-12);
    near(servgap_t_cdf(-1e308, 0.5), 3.207009754142229e-155, 1e-13);
    /* Cauchy: atan(1 / 1e308) / pi = 1e-308 / pi, a subnormal. */
    near(servgap_t_cdf(-1e308, 1.0), 3.183098861837906e-309, 1e-14);
    ck_assert_double_eq(servgap_t_cdf(1e308, 1.0), 1.0);
    /* df = 2: 1/2 - t / (2 sqrt(2 + t^2)) = about 1 / (2 t^2): 5e-617
     * underflows to 0. */
    ck_assert_double_eq(servgap_t_cdf(-1e308, 2.0), 0.0);
    ck_assert_double_eq(servgap_t_cdf(-DBL_MAX, 3.0), 0.0);
    ck_assert_double_eq(servgap_t_cdf(DBL_MAX, 3.0), 1.0);
}
END_TEST

/* df beyond 1e20 is the normal; so is INFINITY. */
START_TEST(test_cdf_huge_df)
{
    static const double dfs[] = {1e20, 1e21, 1e100, 1e300, DBL_MAX, INFINITY};
    for (size_t i = 0; i < sizeof dfs / sizeof *dfs; i++) {
        near(servgap_t_cdf(-1.5, dfs[i]), 0.06680720126885807, 1e-14);
        ck_assert_double_eq(servgap_t_cdf(1e308, dfs[i]), 1.0);
        ck_assert_double_eq(servgap_t_cdf(-1e308, dfs[i]), 0.0);
        ck_assert_double_eq(servgap_t_cdf(INFINITY, dfs[i]), 1.0);
        ck_assert_double_eq(servgap_t_cdf(-INFINITY, dfs[i]), 0.0);
        near(servgap_t_quantile(0.975, dfs[i]), 1.959963984540054, 1e-14);
    }
    near(servgap_t_cdf(-37.0, INFINITY), 5.725571222524577e-300, 1e-13);
}
END_TEST

/* Below df = 1e-20 every p other than 1/2 has its quantile beyond
 * DBL_MAX: P(|T| < t) <= (df/2) log(1 + t^2/df) + df log 2, and the
 * smallest central mass a p other than 1/2 asks for is 2^-53, which needs
 * log(1 + t^2/df) > 2.2e4. */
START_TEST(test_quantile_tiny_df)
{
    static const double dfs[] = {4.9406564584124654e-324, 1e-300, 1e-21};
    static const double ps[] = {1e-300, 0.25, 0.49999999999999994, 0.5000000000000001, 0.975};
    for (size_t i = 0; i < sizeof dfs / sizeof *dfs; i++) {
        for (size_t j = 0; j < sizeof ps / sizeof *ps; j++)
            ck_assert_double_eq(servgap_t_quantile(ps[j], dfs[i]),
                                ps[j] < 0.5 ? -INFINITY : INFINITY);
        ck_assert_double_eq(servgap_t_quantile(0.5, dfs[i]), 0.0);
    }
    /* Above it the quantile near 1/2 is finite and huge: at df = 1e-18,
     * p = 1/2 + 2^-53, log(1 + t^2/df) = 2 (2^-52 / df - log 2) = 442.7
     * to first order in df. */
    near(servgap_t_quantile(0.5000000000000001, 1e-18), 1.354305554488381e+87, 1e-12);
    near(servgap_t_quantile(0.75, 0.01), 6.364181928400606e+28, 1e-12);
    /* P(T > DBL_MAX) = 0.2449 at df = 1e-3: beyond it for p < 0.2449. */
    ck_assert_double_eq(servgap_t_quantile(0.2, 1e-3), -INFINITY);
    ck_assert_double_eq(servgap_t_quantile(0.8, 1e-3), INFINITY);
    ck_assert(isfinite(servgap_t_quantile(0.3, 1e-3)));
}
END_TEST

START_TEST(test_quantile_tiny_p)
{
    /* df = 1: -1 / tan(pi p) = -1 / (pi p) for p this small. */
    near(servgap_t_quantile(1e-300, 1.0), -3.1830988618379066e+299, 1e-14);
    /* -1 / (pi 5e-324) = -6.4e322 is beyond DBL_MAX. */
    ck_assert_double_eq(servgap_t_quantile(4.9406564584124654e-324, 1.0), -INFINITY);
    /* df = 2: -(1 - 2p) / sqrt(2p (1 - p)) = -1 / sqrt(2 p). */
    near(servgap_t_quantile(4.9406564584124654e-324, 2.0), -3.1812124520951964e+161, 1e-14);
    near(servgap_t_quantile(1e-300, 3.0), -1.0331108360446528e+100, 1e-12);
    /* The power-law tail of df = 0.5 puts the 1e-300 quantile near 1e1200. */
    ck_assert_double_eq(servgap_t_quantile(1e-300, 0.5), -INFINITY);
}
END_TEST

START_TEST(test_invalid_arguments)
{
    static const double bad_df[] = {0.0, -0.0, -1e-300, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof bad_df / sizeof *bad_df; i++) {
        ck_assert(isnan(servgap_t_cdf(1.0, bad_df[i])));
        ck_assert(isnan(servgap_t_quantile(0.5, bad_df[i])));
    }
    ck_assert(isnan(servgap_t_cdf(NAN, 3.0)));
    ck_assert(isnan(servgap_t_quantile(NAN, 3.0)));
    ck_assert(isnan(servgap_t_quantile(-1e-300, 3.0)));
    ck_assert(isnan(servgap_t_quantile(1.0000000000000002, 3.0)));
    ck_assert(isnan(servgap_t_quantile(INFINITY, 3.0)));
}
END_TEST

/* Every valid argument on a grid across the domain: a probability in
 * [0, 1], never NaN, non-decreasing in t; a quantile never NaN,
 * non-decreasing in p, and back through the CDF on the same side of 1/2. */
START_TEST(test_domain_sweep)
{
    double dfs[64], ts[96];
    size_t nd = 0, nt = 0;
    for (double d = 4.9406564584124654e-324; d < 1e300 && nd < 60; d *= 1e11)
        dfs[nd++] = d;
    dfs[nd++] = 0.5, dfs[nd++] = 1.0, dfs[nd++] = 2.0, dfs[nd++] = INFINITY;
    ts[nt++] = -INFINITY;
    for (int e = 308; e >= -320; e -= 16)
        ts[nt++] = -pow(10.0, e);
    ts[nt++] = 0.0;
    for (int e = -320; e <= 308; e += 16)
        ts[nt++] = pow(10.0, e);
    ts[nt++] = INFINITY;
    static const double ps[] = {0.0,  5e-324, 1e-300, 1e-20, 0.01, 0.25,        0.3,
                                0.49, 0.5,    0.51,   0.7,   0.75, 1.0 - 1e-16, 1.0};
    for (size_t i = 0; i < nd; i++) {
        double prev = -1.0;
        for (size_t j = 0; j < nt; j++) {
            double c = servgap_t_cdf(ts[j], dfs[i]);
            ck_assert_msg(c >= prev && c <= 1.0, "cdf(%g, %g) = %g after %g", ts[j], dfs[i], c,
                          prev);
            prev = c;
        }
        double qprev = -INFINITY;
        for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) {
            double t = servgap_t_quantile(ps[k], dfs[i]);
            ck_assert_msg(t >= qprev, "quantile(%g, %g) = %g after %g", ps[k], dfs[i], t, qprev);
            ck_assert(ps[k] == 0.5 || (t < 0.0) == (ps[k] < 0.5));
            qprev = t;
        }
    }
}
END_TEST

static Suite *tdist_extreme_suite(void)
{
    Suite *s = suite_create("tdist_extreme");
    TCase *tc = tcase_create("extremes");
    tcase_add_test(tc, test_cdf_tiny_df);
    tcase_add_test(tc, test_cdf_huge_t);
    tcase_add_test(tc, test_cdf_huge_df);
    tcase_add_test(tc, test_quantile_tiny_df);
    tcase_add_test(tc, test_quantile_tiny_p);
    tcase_add_test(tc, test_invalid_arguments);
    tcase_add_test(tc, test_domain_sweep);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(tdist_extreme_suite());
}
