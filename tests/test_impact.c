/*
 * test_impact -- the impact formula of docs/priorities.md as a function:
 * the worked example, the role of each weight, the persistence boost and
 * its cap, and monotonicity in each input on randomized inputs and
 * weights. Links the internal archive.
 */
#define _POSIX_C_SOURCE 200809L /* lib/model/ctx.h, under priorities.h, needs pthread types */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "findings/priorities.h"

#include "run_suite.h"

static servgap__options weights(double ws, double wv, double wf, double boost)
{
    servgap__options o;
    memset(&o, 0, sizeof o);
    o.weight_size = ws;
    o.weight_value = wv;
    o.weight_frequency = wf;
    o.persist_boost = boost;
    return o;
}

static void near(double got, double want)
{
    ck_assert_msg(fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want)), "got %.17g, want %.17g", got,
                  want);
}

START_TEST(test_worked_example)
{
    servgap__options o = weights(1, 1, 1, 1);
    /* 100 * (0.25 * 0.4 * 0.5)^(1/3) = 100 * 0.05^(1/3) */
    near(servgap__impact(0.25, 0.4, 0.5, 0, &o), 36.840314986403866);
    /* A persistent communication gap: times 1 + 1. */
    near(servgap__impact(0.25, 0.4, 0.5, 1, &o), 73.680629972807733);
    /* Capped at 100. */
    near(servgap__impact(0.5, 1.0, 1.0, 1, &o), 100.0);
    near(servgap__impact(1.0, 1.0, 1.0, 0, &o), 100.0);
    near(servgap__impact(0.0, 1.0, 1.0, 1, &o), 0.0);
}
END_TEST

START_TEST(test_weights)
{
    servgap__options o = weights(2, 1, 1, 0);
    /* 100 * 0.25^(2/4) * 0.4^(1/4) * 0.5^(1/4) = 50 * 0.2^(1/4) */
    near(servgap__impact(0.25, 0.4, 0.5, 0, &o), 33.437015248821100);
    /* Scaling every weight changes nothing: only their shares count. */
    servgap__options o3 = weights(6, 3, 3, 0);
    near(servgap__impact(0.25, 0.4, 0.5, 0, &o3), 33.437015248821100);
    /* A weight of 0 drops its term, even when the term is 0. */
    servgap__options ov = weights(1, 0, 1, 0);
    near(servgap__impact(0.25, 0.0, 0.5, 0, &ov), 35.355339059327378);
    servgap__options os = weights(1, 0, 0, 0);
    near(servgap__impact(0.25, 0.0, 0.0, 0, &os), 25.0);
    /* Boost 0 leaves a persistent gap as it is; boost 3 multiplies by 4. */
    servgap__options b0 = weights(1, 1, 1, 0), b3 = weights(1, 1, 1, 3);
    near(servgap__impact(0.25, 0.4, 0.5, 1, &b0), 36.840314986403866);
    near(servgap__impact(0.1, 0.1, 0.1, 1, &b3), 40.0);
}
END_TEST

START_TEST(test_clamped_inputs)
{
    servgap__options o = weights(1, 1, 1, 1);
    near(servgap__impact(3.0, 1.0, 1.0, 0, &o), 100.0);
    near(servgap__impact(-0.5, 1.0, 1.0, 0, &o), 0.0);
    near(servgap__impact(NAN, 1.0, 1.0, 0, &o), 0.0);
    near(servgap__impact(0.125, 2.0, INFINITY, 0, &o), 50.0);
}
END_TEST

static uint64_t rng_state = 12345u;

static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* A random input in [0, 1] that is sometimes exactly 0 or 1. */
static double input(void)
{
    double u = uniform();
    return u < 0.05 ? 0.0 : u > 0.95 ? 1.0 : uniform();
}

START_TEST(test_monotone_randomized)
{
    size_t strict = 0;
    for (int trial = 0; trial < 200000; trial++) {
        double w[3];
        for (int k = 0; k < 3; k++)
            w[k] = uniform() < 0.2 ? 0.0 : 5.0 * uniform();
        if (w[0] + w[1] + w[2] == 0.0)
            w[trial % 3] = 1.0;
        servgap__options o = weights(w[0], w[1], w[2], 2.0 * uniform());
        double x[3] = {input(), input(), input()};
        int boosted = uniform() < 0.3;
        double base = servgap__impact(x[0], x[1], x[2], boosted, &o);
        ck_assert(base >= 0.0 && base <= 100.0);
        int k = trial % 3;
        double y[3] = {x[0], x[1], x[2]};
        y[k] = x[k] + (1.0 - x[k]) * uniform();
        double up = servgap__impact(y[0], y[1], y[2], boosted, &o);
        ck_assert_msg(up >= base, "input %d: %.17g -> %.17g lowered %.17g to %.17g", k, x[k], y[k],
                      base, up);
        /* Strictly larger where the input counts: its weight is positive,
         * the other terms are positive and the cap is not reached. */
        int others = 1;
        for (int j = 0; j < 3; j++)
            if (j != k && w[j] > 0.0 && x[j] == 0.0)
                others = 0;
        if (w[k] > 0.0 && others && y[k] > x[k] * (1.0 + 1e-9) && up < 100.0) {
            ck_assert_msg(up > base, "input %d: no increase from %.17g to %.17g", k, x[k], y[k]);
            strict++;
        }
        /* The boost never lowers the impact. */
        ck_assert(servgap__impact(x[0], x[1], x[2], 1, &o) >=
                  servgap__impact(x[0], x[1], x[2], 0, &o));
    }
    ck_assert_uint_gt(strict, 100000);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("impact");
    TCase *tc = tcase_create("formula");
    tcase_add_test(tc, test_worked_example);
    tcase_add_test(tc, test_weights);
    tcase_add_test(tc, test_clamped_inputs);
    tcase_add_test(tc, test_monotone_randomized);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
