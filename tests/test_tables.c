/*
 * test_tables -- the hashed indexes of the handle's tables (issue 15):
 * taking the newest entries back (the rollback of a failed operation)
 * leaves an index, and the names table, exactly as if they had never been
 * added. Links the static library to see the slots; not timed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/index.h"
#include "base/names.h"

#include "helpers.h"
#include "run_suite.h"

/* ---------------------------------------------------------------------- */
/* The index and the names table                                           */
/* ---------------------------------------------------------------------- */

START_TEST(test_index_truncation_restores_the_slots_exactly)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__index x;
    servgap__index_init(&x);
    enum { N = 5000 };
    uint64_t seed = 88172645463325252u;
    ck_assert_int_eq(servgap__index_reserve(&x, &a, N), 0);
    for (size_t i = 0; i < N; i++)
        servgap__index_add(&x, test_draw(&seed, 1u << 30) * 2u + 1, i); /* k2 makes each unique */
    uint32_t *before = malloc(x.nslot * sizeof *before);
    memcpy(before, x.slot, x.nslot * sizeof *before);
    const size_t cuts[] = {N - 1, N / 2, N / 3, 100, 1, 0};
    for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
        size_t cut = cuts[c];
        servgap__mapkey *keys = malloc((N - cut) * sizeof *keys);
        memcpy(keys, x.key + cut, (N - cut) * sizeof *keys);
        servgap__index_truncate(&x, cut);
        ck_assert_uint_eq(x.count, cut);
        for (size_t i = 0; i < N - cut; i++)
            ck_assert_int_eq(servgap__index_find(&x, keys[i].k1, keys[i].k2), -1);
        for (size_t i = 0; i < cut; i++)
            ck_assert_int_eq(servgap__index_find(&x, x.key[i].k1, x.key[i].k2), (int64_t)i);
        /* Adding the same keys again in the same order gives the same
         * slots: the truncation left no trace. */
        for (size_t i = 0; i < N - cut; i++)
            servgap__index_add(&x, keys[i].k1, keys[i].k2);
        ck_assert_int_eq(memcmp(before, x.slot, x.nslot * sizeof *before), 0);
        free(keys);
    }
    free(before);
    servgap__index_free(&x, &a);
}
END_TEST

START_TEST(test_names_truncation_restores_the_slots_exactly)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__names t;
    servgap__names_init(&t);
    enum { N = 3000 };
    char name[32];
    int32_t id;
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "name-%d", i * 7919 % 100003);
        ck_assert_int_eq(servgap__names_add(&t, &a, name, strlen(name), &id), 0);
    }
    size_t nslot = t.nslot;
    int32_t *before = malloc(nslot * sizeof *before);
    memcpy(before, t.slot, nslot * sizeof *before);
    for (int cut = N - 1; cut > 0; cut /= 3) {
        servgap__names_truncate(&t, &a, (size_t)cut);
        ck_assert_uint_eq(t.count, (size_t)cut);
        for (int i = 0; i < N; i++) {
            snprintf(name, sizeof name, "name-%d", i * 7919 % 100003);
            ck_assert_int_eq(servgap__names_find(&t, name, strlen(name)), i < cut ? i : -1);
        }
        for (int i = cut; i < N; i++) {
            snprintf(name, sizeof name, "name-%d", i * 7919 % 100003);
            ck_assert_int_eq(servgap__names_add(&t, &a, name, strlen(name), &id), 0);
            ck_assert_int_eq(id, i);
        }
        ck_assert_uint_eq(t.nslot, nslot);
        ck_assert_int_eq(memcmp(before, t.slot, nslot * sizeof *before), 0);
    }
    free(before);
    servgap__names_free(&t, &a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tables");
    TCase *tc = tcase_create("tables");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_index_truncation_restores_the_slots_exactly);
    tcase_add_test(tc, test_names_truncation_restores_the_slots_exactly);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
