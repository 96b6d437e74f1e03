/*
 * test_abi_grown -- a caller of a later 1.y header, in which every sized
 * struct has one more field, `appended` (built against the header that
 * tests/abi/grow_header.py generates; nowhere else does that field exist).
 *
 * Built twice: linked with libservgap_grown, built from the same sources
 * against that header (ABI_LIB_GROWN 1), where the caller and the library
 * agree on the layout and `appended`, which no library code sets, reads
 * as zero; and linked with libservgap (ABI_LIB_GROWN 0), a newer caller on
 * an older library, where the 1.0 fields are filled and `appended` is left
 * as the caller had it. Either way, nothing past the caller's size is
 * touched and the 1.0 fields equal a 1.0 caller's.
 *
 *     test_abi_grown DATA
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abi_calls.h"
#include "abi_layouts.h"
#include "run_suite.h"
#include "servgap.h"

#ifndef ABI_LIB_GROWN
#error "build with -DABI_LIB_GROWN=0 or 1"
#endif

/* Each struct grew past its 1.0 layout, or this is not the grown header. */
#define GROWN(cur, old)                                                                            \
    _Static_assert(offsetof(cur, appended) >= sizeof(old), #cur " has not grown")
GROWN(servgap_allocator, old_allocator_1_0);
GROWN(servgap_metric, old_metric_1_0);
GROWN(servgap_account, old_account_1_0);
GROWN(servgap_plan, old_plan_1_0);
GROWN(servgap_remeasure, old_remeasure_1_0);
GROWN(servgap_cell, old_cell_1_0);
GROWN(servgap_gap, old_gap_1_0);
GROWN(servgap_servqual, old_servqual_1_0);
GROWN(servgap_breakdown, old_breakdown_1_0);
GROWN(servgap_finding, old_finding_1_0);
GROWN(servgap_ipa, old_ipa_1_0);
GROWN(servgap_trigger, old_trigger_1_0);
GROWN(servgap_risk, old_risk_1_0);
GROWN(servgap_import_report, old_import_report_1_0);

/* Where each struct's appended field is, in the order of abi_out_calls. */
static const size_t appended_at[] = {
    offsetof(servgap_metric, appended),        offsetof(servgap_account, appended),
    offsetof(servgap_plan, appended),          offsetof(servgap_remeasure, appended),
    offsetof(servgap_cell, appended),          offsetof(servgap_gap, appended),
    offsetof(servgap_servqual, appended),      offsetof(servgap_breakdown, appended),
    offsetof(servgap_finding, appended),       offsetof(servgap_ipa, appended),
    offsetof(servgap_trigger, appended),       offsetof(servgap_risk, appended),
    offsetof(servgap_import_report, appended), offsetof(servgap_import_report, appended),
};
_Static_assert(sizeof appended_at / sizeof appended_at[0] == ABI_N_OUT_CALLS,
               "one appended field per call of abi_out_calls");

/* The bytes [at, at + n) of buf: zero when the library knows the field,
 * untouched otherwise. */
static void assert_appended(const abi_out_call *c, const abi_buf *buf, size_t at, size_t n)
{
    if (ABI_LIB_GROWN) {
        for (size_t k = at; k < at + n; k++)
            ck_assert_msg(buf->b[k] == 0, "%s: appended byte %zu is %u, not 0", c->name, k - at,
                          buf->b[k]);
    } else {
        ck_assert_msg(abi_touched(buf, at, at + n) == at + n,
                      "%s: an older library wrote the appended field", c->name);
    }
}

START_TEST(grown_size_accepted)
{
    const abi_out_call *c = &abi_out_calls[_i];
    size_t at = appended_at[_i], rows = c->rows();
    ck_assert_msg(rows > 0, "%s: the sample data has no row to read", c->name);
    ck_assert_msg(c->cur_size == at + sizeof(uint64_t), "%s: appended_at is out of order", c->name);
    abi_buf old, cur;
    for (size_t i = 0; i < rows; i++) {
        abi_fill_ok(c, i, c->old_size, &old);
        abi_fill_ok(c, i, c->cur_size, &cur);
        ck_assert_msg(memcmp(old.b + sizeof(size_t), cur.b + sizeof(size_t),
                             c->old_size - sizeof(size_t)) == 0,
                      "%s row %zu: the 1.0 fields differ from a 1.0 caller's", c->name, i);
        assert_appended(c, &cur, at, sizeof(uint64_t));
        ck_assert_msg(abi_touched(&cur, c->cur_size, sizeof cur.b) == sizeof cur.b,
                      "%s row %zu: wrote past the grown struct", c->name, i);
    }
}
END_TEST

/* A size that ends inside the appended field: the library writes at most
 * that many bytes of it. */
START_TEST(size_inside_appended_field)
{
    const abi_out_call *c = &abi_out_calls[_i];
    size_t at = appended_at[_i];
    abi_buf buf;
    abi_fill_ok(c, 0, at + 4, &buf);
    assert_appended(c, &buf, at, 4);
    ck_assert_msg(abi_touched(&buf, at + 4, sizeof buf.b) == sizeof buf.b,
                  "%s: wrote past a size of %zu", c->name, at + 4);
}
END_TEST

/* A grown plan with its appended field set: taken as a 1.0 plan with the
 * same fields is (the library has nothing to read there). */
START_TEST(grown_plan_accepted)
{
    servgap_plan *p = malloc(sizeof *p);
    ck_assert_ptr_nonnull(p);
    memset(p, 0, sizeof *p);
    p->size = sizeof *p;
    ck_assert_int_eq(servgap_plan_info(abi.ctx, abi.plan, p), SERVGAP_OK);
    p->owner = "grown owner";
    p->appended = UINT64_MAX;
    old_plan_1_0 old;
    memcpy(&old, p, sizeof old);
    old.size = sizeof old;
    int32_t from_grown = -1, from_old = -1;
    ck_assert_int_eq(servgap_plan_add(abi.ctx, p, &from_grown), SERVGAP_OK);
    ck_assert_int_eq(servgap_plan_add(abi.ctx, (const servgap_plan *)&old, &from_old), SERVGAP_OK);
    servgap_plan a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.size = b.size = sizeof a;
    ck_assert_int_eq(servgap_plan_info(abi.ctx, from_grown, &a), SERVGAP_OK);
    ck_assert_int_eq(servgap_plan_info(abi.ctx, from_old, &b), SERVGAP_OK);
    ck_assert_str_eq(a.owner, "grown owner");
    ck_assert_mem_eq(&a, &b, sizeof a);
    free(p);
}
END_TEST

static void *plain_malloc(void *user, size_t n)
{
    ++*(int *)user;
    return malloc(n);
}

static void *plain_realloc(void *user, void *p, size_t n)
{
    ++*(int *)user;
    return realloc(p, n);
}

static void plain_free(void *user, void *p)
{
    (void)user;
    free(p);
}

START_TEST(grown_allocator_accepted)
{
    int calls = 0;
    servgap_allocator a;
    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.malloc_fn = plain_malloc;
    a.realloc_fn = plain_realloc;
    a.free_fn = plain_free;
    a.user = &calls;
    a.appended = UINT64_MAX;
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    ck_assert_int_gt(calls, 0);
    servgap_ctx_free(ctx);
}
END_TEST

static Suite *grown_suite(void)
{
    Suite *s = suite_create(ABI_LIB_GROWN ? "abi_grown" : "abi_grown_on_current_library");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, grown_size_accepted, 0, (int)ABI_N_OUT_CALLS);
    tcase_add_loop_test(tc, size_inside_appended_field, 0, (int)ABI_N_OUT_CALLS);
    tcase_add_test(tc, grown_plan_accepted);
    tcase_add_test(tc, grown_allocator_accepted);
    suite_add_tcase(s, tc);
    return s;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATA\n", argv[0]);
        return EXIT_FAILURE;
    }
    abi_setup(argv[1]);
    return run_suite(grown_suite());
}
