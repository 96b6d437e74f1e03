/*
 * test_alloc -- the default allocator's huge-page advice (docs/api.md,
 * "Memory"): a large block comes back advised for transparent huge pages,
 * whole, so that it can still grow in place; what it holds survives the
 * growth; small blocks and an embedder's allocator are left alone.
 */
#define _DEFAULT_SOURCE 1 /* getline, madvise's flags in smaps */

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"

#include "helpers.h"
#include "run_suite.h"

#define MIB ((size_t)1 << 20)

/* 1 when the kernel has transparent huge pages (else it takes no advice). */
static int have_thp(void)
{
    return access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) == 0;
}

/* Whether the mapping holding p is advised for huge pages ("hg" among its
 * VmFlags in /proc/self/smaps): 1 or 0, -1 when no mapping holds p. */
static int advised(const void *p)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    ck_assert_ptr_nonnull(f);
    char *line = NULL;
    size_t cap = 0;
    int inside = 0, found = -1;
    uintptr_t at = (uintptr_t)p;
    while (found < 0 && getline(&line, &cap, f) > 0) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            inside = at >= lo && at < hi;
        else if (inside && strncmp(line, "VmFlags:", 8) == 0)
            found = strstr(line, " hg") != NULL;
    }
    free(line);
    fclose(f);
    return found;
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i += 4093)
        p[i] = (unsigned char)(i / 4093 * 31 + seed);
    p[n - 1] = (unsigned char)seed;
}

static int same(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i += 4093)
        if (p[i] != (unsigned char)(i / 4093 * 31 + seed))
            return 0;
    return p[n - 1] == (unsigned char)seed;
}

START_TEST(test_large_block_is_advised_whole)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    unsigned char *p = servgap__malloc(&a, 8 * MIB, 1);
    ck_assert_ptr_nonnull(p);
    fill(p, 8 * MIB, 1);
    if (have_thp()) {
        /* The first and the last byte: the advice is not only the whole
         * 2 MB pages inside the block. */
        ck_assert_int_eq(advised(p), 1);
        ck_assert_int_eq(advised(p + 8 * MIB - 1), 1);
    }
    ck_assert(same(p, 8 * MIB, 1));
    servgap__free(&a, p);
}
END_TEST

START_TEST(test_growth_keeps_the_bytes_and_the_advice)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    void *p = NULL;
    size_t cap = 0, want[] = {MIB / 2, 3 * MIB, 5 * MIB, 40 * MIB, 300 * MIB};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        size_t before = cap;
        ck_assert_int_eq(servgap__reserve(&a, &p, &cap, want[k], 1), 0);
        if (before)
            ck_assert(same(p, before, (unsigned)k - 1));
        fill(p, cap, (unsigned)k);
        if (have_thp() && cap >= 4 * MIB)
            ck_assert_int_eq(advised((unsigned char *)p + cap - 1), 1);
    }
    ck_assert(same(p, cap, 4));
    servgap__free(&a, p);
}
END_TEST

START_TEST(test_embedders_allocator_is_not_advised)
{
    test_alloc counts = {0};
    servgap_allocator theirs = test_allocator(&counts);
    servgap__alloc a = {theirs.malloc_fn, theirs.realloc_fn, theirs.free_fn, theirs.user};
    /* 64 MiB: the C library maps a block this large on its own. */
    unsigned char *p = servgap__malloc(&a, 64 * MIB, 1);
    ck_assert_ptr_nonnull(p);
    fill(p, 64 * MIB, 7);
    if (have_thp())
        ck_assert_int_eq(advised(p + 32 * MIB), 0);
    ck_assert(same(p, 64 * MIB, 7));
    servgap__free(&a, p);
    ck_assert_int_eq(counts.live, 0);
}
END_TEST

static Suite *alloc_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("huge pages");
    tcase_add_test(tc, test_large_block_is_advised_whole);
    tcase_add_test(tc, test_growth_keeps_the_bytes_and_the_advice);
    tcase_add_test(tc, test_embedders_allocator_is_not_advised);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(alloc_suite());
}
