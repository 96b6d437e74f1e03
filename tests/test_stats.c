/*
 * test_stats -- the Welch-Satterthwaite degrees of freedom
 * (servgap__satterthwaite_df) against hand-worked values, its edge rules
 * one by one, and the Welch interval that rests on it.
 *
 * Tolerance is 1e-12 relative: the hand-worked values are exact fractions.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "base/stats.h"

#include "run_suite.h"

#define REL_TOL 1e-12

static void ck_near(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= REL_TOL * fabs(want), "got %.17g, want %.17g", got, want);
}

/* (sum var)^2 / sum (var^2 / df), worked by hand. */
START_TEST(satterthwaite_values)
{
    /* One term gives back its own df: 2^2 / (2^2 / 7) = 7. */
    ck_near(servgap__satterthwaite_df((double[]){2.0}, (double[]){7.0}, 1), 7.0);
    /* Two equal terms add their df: 2^2 / (1/9 + 1/9) = 18. */
    ck_near(servgap__satterthwaite_df((double[]){1.0, 1.0}, (double[]){9.0, 9.0}, 2), 18.0);
    /* 5^2 / (4^2/4 + 1^2/9) = 25 / (37/9) = 225/37. */
    ck_near(servgap__satterthwaite_df((double[]){4.0, 1.0}, (double[]){4.0, 9.0}, 2), 225.0 / 37.0);
    /* Three terms: 6^2 / (1/1 + 4/2 + 9/3) = 36 / 6 = 6. */
    ck_near(servgap__satterthwaite_df((double[]){1.0, 2.0, 3.0}, (double[]){1.0, 2.0, 3.0}, 3),
            6.0);
}
END_TEST

/* A term that adds nothing to the denominator still counts in the sum. */
START_TEST(satterthwaite_edges)
{
    /* Zero variance: 3^2 / (3^2 / 5) = 5, whatever that side's df. */
    ck_near(servgap__satterthwaite_df((double[]){0.0, 3.0}, (double[]){1.0, 5.0}, 2), 5.0);
    ck_near(servgap__satterthwaite_df((double[]){0.0, 3.0}, (double[]){0.0, 5.0}, 2), 5.0);
    /* Infinite, unknown, zero and negative df: (1 + 1)^2 / (1 / 4) = 16. */
    const double bad[4] = {INFINITY, NAN, 0.0, -3.0};
    for (int i = 0; i < 4; i++)
        ck_near(servgap__satterthwaite_df((double[]){1.0, 1.0}, (double[]){bad[i], 4.0}, 2), 16.0);
    /* The order of the terms does not matter. */
    ck_near(servgap__satterthwaite_df((double[]){1.0, 1.0}, (double[]){4.0, NAN}, 2), 16.0);
}
END_TEST

/* No term left: the normal. */
START_TEST(satterthwaite_no_terms)
{
    ck_assert(isinf(servgap__satterthwaite_df(NULL, NULL, 0)));
    ck_assert(isinf(servgap__satterthwaite_df((double[]){0.0, 0.0}, (double[]){3.0, 4.0}, 2)));
    ck_assert(isinf(servgap__satterthwaite_df((double[]){1.0}, (double[]){INFINITY}, 1)));
    ck_assert(isinf(servgap__satterthwaite_df((double[]){2.0, 3.0}, (double[]){NAN, 0.0}, 2)));
    ck_assert(servgap__satterthwaite_df((double[]){1.0}, (double[]){INFINITY}, 1) > 0.0);
}
END_TEST

/* Welch: s^2/n = 4/5 = 0.8 with df 4 and 9/10 = 0.9 with df 9, so
 * se^2 = 1.7 and df = 1.7^2 / (0.8^2/4 + 0.9^2/9) = 2.89 / 0.25 = 11.56. */
START_TEST(welch_df)
{
    servgap__interval iv;
    servgap__welch(3.0, 4.0, 5, 1.0, 9.0, 10, 0.95, &iv);
    ck_near(iv.value, 2.0);
    ck_near(iv.se, sqrt(1.7));
    ck_near(iv.df, 11.56);
    /* A side of one observation, or of no variance, is an exact constant:
     * the other side's n - 1 remains. */
    servgap__welch(3.0, 4.0, 5, 1.0, 0.0, 1, 0.95, &iv);
    ck_near(iv.df, 4.0);
    ck_near(iv.se, sqrt(0.8));
    servgap__welch(3.0, 0.0, 5, 1.0, 9.0, 10, 0.95, &iv);
    ck_near(iv.df, 9.0);
    /* Both exact: the point itself, df infinite. */
    servgap__welch(3.0, 0.0, 5, 1.0, 0.0, 1, 0.95, &iv);
    ck_assert(isinf(iv.df));
    ck_assert(iv.se == 0.0 && iv.lo == 2.0 && iv.hi == 2.0);
}
END_TEST

static Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("satterthwaite");
    tcase_add_test(tc, satterthwaite_values);
    tcase_add_test(tc, satterthwaite_edges);
    tcase_add_test(tc, satterthwaite_no_terms);
    tcase_add_test(tc, welch_df);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(stats_suite());
}
