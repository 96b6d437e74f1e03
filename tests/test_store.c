/*
 * test_store -- the observation log as a specification: rows come back as
 * written across chunk boundaries, truncation rolls back rows and points,
 * and memory stays within 32 bytes per observation when every observation
 * is its own group (the worst case docs/storage.md bounds).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/store.h"

#include "run_suite.h"

static servgap__obs row_of(uint64_t i)
{
    servgap__obs r = {(double)i * 0.5,    (int32_t)(i % 400) - 200, (uint32_t)(i * 7),
                      (uint16_t)(i % 9),  (uint16_t)(i % 13),       (int32_t)(i % 5) - 1,
                      (uint8_t)(i & 0xff)};
    return r;
}

static void push_n(servgap__store *s, const servgap__alloc *a, uint64_t n)
{
    ck_assert_int_eq(servgap__store_reserve(s, a, n, 0), 0);
    for (uint64_t i = 0; i < n; i++) {
        servgap__obs r = row_of(s->count);
        servgap__store_push(s, &r);
    }
}

START_TEST(test_rows_round_trip_across_chunks)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__store s;
    servgap__store_init(&s);
    uint64_t n = 3 * SERVGAP__CHUNK_MAX + 17;
    for (uint64_t done = 0; done < n;) {
        uint64_t k = done % 3 == 0 ? 1000 : 1; /* batches of different sizes */
        if (k > n - done)
            k = n - done;
        push_n(&s, &a, k);
        done += k;
    }
    ck_assert_uint_eq(s.count, n);
    for (uint64_t i = 0; i < n; i += 97) {
        servgap__obs got, want = row_of(i);
        servgap__store_get(&s, i, &got);
        ck_assert(got.value == want.value && got.day == want.day && got.scope == want.scope);
        ck_assert(got.tp == want.tp && got.metric == want.metric && got.team == want.team);
        ck_assert_uint_eq(got.bits, want.bits);
    }
    servgap__store_free(&s, &a);
}
END_TEST

START_TEST(test_truncate_rolls_back_rows_and_points)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__store s;
    servgap__store_init(&s);
    const double p[5] = {20, 20, 20, 20, 20};
    push_n(&s, &a, 10);
    ck_assert_int_eq(servgap__store_reserve(&s, &a, 0, 2), 0);
    servgap__store_push_points(&s, 3, p);
    servgap__store_push_points(&s, 8, p);
    push_n(&s, &a, SERVGAP__CHUNK_MAX);
    servgap__store_truncate(&s, 5);
    ck_assert_uint_eq(s.count, 5);
    ck_assert_ptr_nonnull(servgap__store_points(&s, 3));
    ck_assert_ptr_null(servgap__store_points(&s, 8));
    push_n(&s, &a, 3);
    servgap__obs got, want = row_of(6);
    servgap__store_get(&s, 6, &got);
    ck_assert(got.value == want.value && got.scope == want.scope);
    servgap__store_free(&s, &a);
}
END_TEST

START_TEST(test_worst_case_bytes_per_observation)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    servgap__store s;
    servgap__store_init(&s);
    /* Every row a distinct (scope, touchpoint, metric, day): no sharing. */
    const uint64_t sizes[6] = {300, 5000, 70000, 100000, 1000000, 4000000};
    for (int k = 0; k < 6; k++) {
        push_n(&s, &a, sizes[k] - s.count);
        double per = (double)servgap__store_bytes(&s) / (double)s.count;
        printf("store: %llu observations, %.2f bytes each\n", (unsigned long long)s.count, per);
        ck_assert_double_le(per, 32.0);
    }
    servgap__store_free(&s, &a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("store");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_rows_round_trip_across_chunks);
    tcase_add_test(tc, test_truncate_rolls_back_rows_and_points);
    tcase_add_test(tc, test_worst_case_bytes_per_observation);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
