/*
 * test_abi_layouts -- a program built against the 1.0 header keeps working
 * (docs/abi.md): every call that takes a sized struct accepts the 1.0
 * layout (abi_layouts.h) with size = sizeof of it, reads and writes only
 * within it, and returns what a caller of the current header gets.
 *
 * Built twice: linked with libservgap, and with libservgap_grown (the same
 * sources built against a header in which every sized struct has one more
 * field, tests/abi), which stands for a later 1.y library. With
 * ABI_LIB_GROWN the suite also checks that it really runs on that library.
 *
 *     test_abi_layouts DATA            the suite, on examples/data
 *     test_abi_layouts DATA --digest   a digest of every row as a 1.0
 *                                      caller reads it (tests/abi compares
 *                                      the two libraries' digests)
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_calls.h"
#include "abi_layouts.h"
#include "run_suite.h"
#include "servgap.h"

#ifndef ABI_LIB_GROWN
#define ABI_LIB_GROWN 0
#endif

START_TEST(old_layout_accepted_and_equal)
{
    const abi_out_call *c = &abi_out_calls[_i];
    size_t rows = c->rows();
    ck_assert_msg(rows > 0, "%s: the sample data has no row to read", c->name);
    abi_buf old, cur;
    for (size_t i = 0; i < rows; i++) {
        abi_fill_ok(c, i, c->old_size, &old);
        ck_assert_msg(abi_touched(&old, c->old_size, sizeof old.b) == sizeof old.b,
                      "%s row %zu: wrote past the 1.0 struct", c->name, i);
        abi_fill_ok(c, i, c->cur_size, &cur);
        ck_assert_msg(memcmp(old.b + sizeof(size_t), cur.b + sizeof(size_t),
                             c->old_size - sizeof(size_t)) == 0,
                      "%s row %zu: the 1.0 fields differ from a current caller's", c->name, i);
    }
}
END_TEST

/* A size that stops inside the last 1.0 field, or 0, is refused before
 * anything is written. */
START_TEST(below_first_layout_refused)
{
    const abi_out_call *c = &abi_out_calls[_i];
    const size_t sizes[] = {0, sizeof(size_t), c->old_end - 1};
    abi_buf buf;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        abi_prepare(&buf, sizes[k]);
        ck_assert_int_eq(c->fill(0, buf.b), SERVGAP_EMISUSE);
        ck_assert_uint_eq(abi_size_of(&buf), sizes[k]);
        ck_assert_msg(abi_touched(&buf, sizeof(size_t), sizeof buf.b) == sizeof buf.b,
                      "%s: a refused call wrote into the struct", c->name);
    }
}
END_TEST

/* A caller with 8 bytes more than this header's struct (a later header):
 * the library writes up to its own layout and leaves the caller's extra
 * bytes alone; the grown one, whose appended field no code sets, writes
 * them as zero. */
START_TEST(newer_caller_tail)
{
    const abi_out_call *c = &abi_out_calls[_i];
    abi_buf buf;
    abi_fill_ok(c, 0, c->cur_size + 8, &buf);
    size_t touched = abi_touched(&buf, c->cur_size, sizeof buf.b);
    if (ABI_LIB_GROWN) {
        static const unsigned char zero[8];
        ck_assert_msg(memcmp(buf.b + c->cur_size, zero, 8) == 0,
                      "%s: the grown library did not write its appended field", c->name);
        touched = abi_touched(&buf, c->cur_size + 8, sizeof buf.b);
    }
    ck_assert_msg(touched == sizeof buf.b, "%s: wrote at byte %zu of a struct of %zu", c->name,
                  touched, c->cur_size + 8);
}
END_TEST

static void assert_same_plan(int32_t a, int32_t b)
{
    old_plan_1_0 pa, pb;
    memset(&pa, 0, sizeof pa);
    memset(&pb, 0, sizeof pb);
    pa.size = pb.size = sizeof pa;
    ck_assert_int_eq(servgap_plan_info(abi.ctx, a, (servgap_plan *)&pa), SERVGAP_OK);
    ck_assert_int_eq(servgap_plan_info(abi.ctx, b, (servgap_plan *)&pb), SERVGAP_OK);
    ck_assert_str_eq(pa.owner, pb.owner);
    pa.owner = pb.owner = NULL;
    ck_assert_mem_eq(&pa, &pb, sizeof pa);
}

/* A 1.0 plan in a block of exactly its size (so that a sanitizer run sees
 * any read past it) is taken as a current caller's plan is. */
START_TEST(old_plan_read_within)
{
    old_plan_1_0 *old = malloc(sizeof *old);
    ck_assert_ptr_nonnull(old);
    servgap_plan cur;
    memset(&cur, 0, sizeof cur);
    cur.size = sizeof cur;
    ck_assert_int_eq(servgap_plan_info(abi.ctx, abi.plan, &cur), SERVGAP_OK);
    memset(old, 0, sizeof *old);
    old->size = sizeof *old;
    old->owner = "second owner";
    old->scope_kind = cur.scope_kind;
    old->scope_id = cur.scope_id;
    old->touchpoint = cur.touchpoint;
    old->metric = cur.metric;
    old->dimension = cur.dimension;
    old->gap = cur.gap;
    old->deadline = cur.deadline + SERVGAP_DAY;
    old->target = -0.5;
    int32_t from_old = -1, from_cur = -1;
    ck_assert_int_eq(servgap_plan_add(abi.ctx, (const servgap_plan *)old, &from_old), SERVGAP_OK);
    cur.owner = "second owner";
    cur.deadline = old->deadline;
    cur.target = old->target;
    ck_assert_int_eq(servgap_plan_add(abi.ctx, &cur, &from_cur), SERVGAP_OK);
    assert_same_plan(from_old, from_cur);

    int32_t n = 0, after = 0;
    ck_assert_int_eq(servgap_plan_count(abi.ctx, &n), SERVGAP_OK);
    old->size = OLD_END(old_plan_1_0, next_check) - 1;
    ck_assert_int_eq(servgap_plan_add(abi.ctx, (const servgap_plan *)old, &from_old),
                     SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_plan_count(abi.ctx, &after), SERVGAP_OK);
    ck_assert_int_eq(after, n);
    free(old);
}
END_TEST

static int allocations;

static void *count_malloc(void *user, size_t n)
{
    ck_assert_ptr_eq(user, &allocations);
    allocations++;
    return malloc(n);
}

static void *count_realloc(void *user, void *p, size_t n)
{
    ck_assert_ptr_eq(user, &allocations);
    allocations++;
    return realloc(p, n);
}

static void count_free(void *user, void *p)
{
    ck_assert_ptr_eq(user, &allocations);
    free(p);
}

/* A 1.0 allocator, exactly its size, is used; a smaller size keeps the
 * documented SERVGAP_EINVAL of servgap_ctx_new. */
START_TEST(old_allocator_read_within)
{
    old_allocator_1_0 *a = malloc(sizeof *a);
    ck_assert_ptr_nonnull(a);
    a->size = sizeof *a;
    a->malloc_fn = count_malloc;
    a->realloc_fn = count_realloc;
    a->free_fn = count_free;
    a->user = &allocations;
    servgap_ctx *ctx = NULL;
    allocations = 0;
    ck_assert_int_eq(servgap_ctx_new(&ctx, (const servgap_allocator *)a), SERVGAP_OK);
    int32_t id = -1;
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TEAM, "team", &id), SERVGAP_OK);
    ck_assert_int_gt(allocations, 0);
    servgap_ctx_free(ctx);

    ctx = NULL;
    a->size = OLD_END(old_allocator_1_0, user) - 1;
    ck_assert_int_eq(servgap_ctx_new(&ctx, (const servgap_allocator *)a), SERVGAP_EINVAL);
    ck_assert_ptr_null(ctx);
    free(a);
}
END_TEST

static Suite *abi_suite(void)
{
    Suite *s = suite_create(ABI_LIB_GROWN ? "abi_layouts_on_grown_library" : "abi_layouts");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, old_layout_accepted_and_equal, 0, (int)ABI_N_OUT_CALLS);
    tcase_add_loop_test(tc, below_first_layout_refused, 0, (int)ABI_N_OUT_CALLS);
    tcase_add_loop_test(tc, newer_caller_tail, 0, (int)ABI_N_OUT_CALLS);
    tcase_add_test(tc, old_plan_read_within);
    tcase_add_test(tc, old_allocator_read_within);
    suite_add_tcase(s, tc);
    return s;
}

/* FNV-1a over n bytes. */
static uint64_t hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t k = 0; k < n; k++)
        h = (h ^ b[k]) * 1099511628211u;
    return h;
}

/* Every row of every call as a 1.0 caller reads it, borrowed strings by
 * their text (their addresses differ between runs). */
static void print_digest(void)
{
    abi_buf buf;
    for (size_t k = 0; k < ABI_N_OUT_CALLS; k++) {
        const abi_out_call *c = &abi_out_calls[k];
        uint64_t h = 14695981039346656037u;
        size_t rows = c->rows();
        for (size_t i = 0; i < rows; i++) {
            abi_prepare(&buf, c->old_size);
            if (c->fill(i, buf.b) != SERVGAP_OK) {
                fprintf(stderr, "%s row %zu failed\n", c->name, i);
                exit(EXIT_FAILURE);
            }
            for (int s = 0; s < 2 && c->str_at[s]; s++) {
                const char *text;
                memcpy(&text, buf.b + c->str_at[s], sizeof text);
                h = hash(h, text, strlen(text) + 1);
                memset(buf.b + c->str_at[s], 0, sizeof text);
            }
            h = hash(h, buf.b, c->old_size);
        }
        printf("%s %zu %016llx\n", c->name, rows, (unsigned long long)h);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DATA [--digest]\n", argv[0]);
        return EXIT_FAILURE;
    }
    abi_setup(argv[1]);
    if (argc > 2 && strcmp(argv[2], "--digest") == 0) {
        print_digest();
        return EXIT_SUCCESS;
    }
    return run_suite(abi_suite());
}
