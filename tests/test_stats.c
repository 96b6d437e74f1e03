/*
 * test_stats -- the Welch-Satterthwaite degrees of freedom
 * (servgap__satterthwaite_df) against hand-worked values, its edge rules
 * one by one, and the Welch interval that rests on it.
 *
 * Tolerance is 1e-12 relative: the hand-worked values are exact fractions.
 * Also the t-quantile memo's copy, which threads of one query start from.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "base/tdist.h"

#include "helpers.h"

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

static const double memo_df[] = {1.0, 2.0, 3.0, 7.5, 29.25, 1000.0};
#define MEMO_DF (sizeof memo_df / sizeof memo_df[0])

/* A copy holds every df the memo had, with the very doubles
 * servgap__t_quantile gives, and is the copy's own: what it learns later
 * does not reach the memo it came from. */
START_TEST(tcache_copy_independent)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__tcache memo, copy;
    ck_assert_int_eq(servgap__tcache_init(&memo, &a, 0.975, 5000), 0);
    for (size_t i = 0; i < MEMO_DF; i++)
        servgap__tcache_quantile(&memo, 0.975, memo_df[i]);
    ck_assert_int_eq(servgap__tcache_copy(&copy, &memo), 0);
    size_t slots = (size_t)1 << memo.bits;
    ck_assert_uint_eq(copy.bits, memo.bits);
    ck_assert_int_eq(memcmp(copy.key, memo.key, slots * sizeof *memo.key), 0);
    for (size_t i = 0; i < slots; i++)
        if (memo.key[i])
            ck_assert(memcmp(&copy.t[i], &memo.t[i], sizeof copy.t[i]) == 0);
    for (size_t i = 0; i < MEMO_DF; i++) {
        double want = servgap__t_quantile(0.975, memo_df[i]);
        double got = servgap__tcache_quantile(&copy, 0.975, memo_df[i]);
        ck_assert_msg(memcmp(&got, &want, sizeof got) == 0, "df %g: %.17g, want %.17g", memo_df[i],
                      got, want);
    }
    uint64_t *before = malloc(slots * sizeof *before);
    ck_assert_ptr_nonnull(before);
    memcpy(before, memo.key, slots * sizeof *before);
    for (int k = 0; k < 200; k++)
        servgap__tcache_quantile(&copy, 0.975, 41.5 + k);
    ck_assert_int_eq(memcmp(before, memo.key, slots * sizeof *before), 0);
    free(before);
    servgap__tcache_free(&copy);
    servgap__tcache_free(&memo);
}
END_TEST

/* A copy that runs out of memory at either of its two blocks fails with
 * -1 and keeps nothing. */
START_TEST(tcache_copy_out_of_memory)
{
    test_alloc c = {0};
    servgap_allocator al = test_allocator(&c);
    servgap__alloc a = {al.malloc_fn, al.realloc_fn, al.free_fn, al.user};
    servgap__tcache memo;
    ck_assert_int_eq(servgap__tcache_init(&memo, &a, 0.975, 100), 0);
    servgap__tcache_quantile(&memo, 0.975, 4.0);
    for (int fail = 1; fail <= 2; fail++) {
        servgap__tcache copy;
        c.calls = 0;
        c.fail_at = fail;
        ck_assert_int_eq(servgap__tcache_copy(&copy, &memo), -1);
        ck_assert_ptr_null(copy.key);
        ck_assert_ptr_null(copy.t);
        ck_assert_int_eq(c.live, 2); /* the memo's own two blocks */
    }
    c.fail_at = 0;
    servgap__tcache_free(&memo);
    ck_assert_int_eq(c.live, 0);
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
    TCase *memo = tcase_create("tcache");
    tcase_add_test(memo, tcache_copy_independent);
    tcase_add_test(memo, tcache_copy_out_of_memory);
    suite_add_tcase(s, memo);
    return s;
}

int main(void)
{
    return run_suite(stats_suite());
}
