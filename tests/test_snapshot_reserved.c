/*
 * test_snapshot_reserved -- the fields docs/formats.md reserves as zero
 * ("Byte layout"): the header flags, the section flags other than bit 0
 * (required) and the section header's reserved word. A snapshot with any
 * of them set, checksums recomputed so that only the field is wrong, is
 * refused with SERVGAP_ECORRUPT naming the section and the field's
 * offset, and the target is unchanged: a later format may give these bits
 * a meaning that this reader would otherwise silently ignore.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"
#include "snapbytes.h"

#define T0 ((int64_t)1767225600) /* 2026-01-01 */

/* The ten sections of version 1.0 in order, with the names messages use. */
static const char *const tags[10] = {"TIER", "TPNT", "TEAM", "METR", "ACCT",
                                     "IMPO", "OBSV", "RPTS", "EFRT", "PLAN"};
static const char *const names[10] = {"tiers",      "touchpoints",  "teams",  "metrics", "accounts",
                                      "importance", "observations", "points", "efforts", "plans"};

/* A snapshot of a handle with a little of everything. */
static snap_bytes small_snapshot(void)
{
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "a", "t", 3), tp = touchpoint(ctx, "e");
    ck_assert_int_eq(
        servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, 1, SERVGAP_VP_PERCEIVED, 5, T0, -1, 0),
        SERVGAP_OK);
    snap_bytes b = snap_of(ctx);
    servgap_ctx_free(ctx);
    return b;
}

static servgap_ctx *target_with_data(void)
{
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "keep", "gold", 9);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, SERVGAP_ANY, 2,
                                        SERVGAP_VP_PERCEIVED, 1 + i, T0, -1, 0),
                         SERVGAP_OK);
    return ctx;
}

/* s with the u32 at offset at set to v and re-sealed: refused with exactly
 * the message want, and the target's bytes unchanged. */
static void expect_refused(snap_bytes s, size_t at, uint32_t v, const char *want)
{
    snap_bytes c = {malloc(s.n), s.n};
    ck_assert_ptr_nonnull(c.p);
    memcpy(c.p, s.p, s.n);
    snap_put32(c.p + at, v);
    snap_reseal(c);
    servgap_ctx *ctx = target_with_data();
    snap_bytes before = snap_of(ctx);
    ck_assert_int_eq(servgap_snapshot_load_buffer(ctx, c.p, c.n), SERVGAP_ECORRUPT);
    ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_ECORRUPT);
    ck_assert_str_eq(servgap_errmsg(ctx), want);
    snap_bytes after = snap_of(ctx);
    ck_assert(after.n == before.n && memcmp(after.p, before.p, after.n) == 0);
    free(c.p);
    free(before.p);
    free(after.p);
    servgap_ctx_free(ctx);
}

START_TEST(test_reserved_section_flags_are_refused)
{
    static const uint32_t bits[] = {0x2u, 0x4u, 0x100u, 0x80000000u, 0xfffffffeu};
    snap_bytes s = small_snapshot();
    snap_section secs[16];
    ck_assert_int_eq(snap_sections(s, secs, 16), 10);
    for (int k = 0; k < 10; k++) {
        ck_assert_str_eq(secs[k].tag, tags[k]);
        ck_assert_uint_eq(snap_get32(s.p + secs[k].head + 4), 1); /* required, as written */
        for (size_t b = 0; b < sizeof bits / sizeof bits[0]; b++) {
            char want[160];
            snprintf(want, sizeof want,
                     "servgap_snapshot_load_buffer: section '%s' at offset %zu: reserved section "
                     "flags 0x%x are set",
                     names[k], secs[k].head + 4, (unsigned)bits[b]);
            expect_refused(s, secs[k].head + 4, 1u | bits[b], want);
        }
    }
    free(s.p);
}
END_TEST

/* An unknown section is skipped only when optional; with a reserved flag
 * bit it is refused like a known one, required or not. */
START_TEST(test_unknown_section_with_reserved_flags_is_refused)
{
    snap_bytes s = small_snapshot();
    snap_bytes c = {calloc(s.n + SNAP_SECTION_LEN + 3, 1), s.n + SNAP_SECTION_LEN + 3};
    ck_assert_ptr_nonnull(c.p);
    memcpy(c.p, s.p, s.n);
    unsigned char *h = c.p + s.n;
    memcpy(h, "ZZZZ", 4);
    snap_put64(h + 8, 3);
    memcpy(h + SNAP_SECTION_LEN, "xyz", 3);
    snap_put32(c.p + 24, snap_get32(c.p + 24) + 1);
    snap_reseal(c);
    servgap_ctx *fresh = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(fresh, c.p, c.n), SERVGAP_OK);
    servgap_ctx_free(fresh);
    char want[160];
    snprintf(want, sizeof want,
             "servgap_snapshot_load_buffer: section '0x5a5a5a5a' at offset %zu: reserved section "
             "flags 0x4 are set",
             s.n + 4);
    expect_refused(c, s.n + 4, 0x4u, want);
    free(c.p);
    free(s.p);
}
END_TEST

START_TEST(test_reserved_word_and_header_flags_are_refused)
{
    snap_bytes s = small_snapshot();
    snap_section secs[16];
    ck_assert_int_eq(snap_sections(s, secs, 16), 10);
    for (int k = 0; k < 10; k++) {
        char want[160];
        snprintf(want, sizeof want,
                 "servgap_snapshot_load_buffer: section '%s' at offset %zu: reserved field is "
                 "not zero",
                 names[k], secs[k].head + 20);
        expect_refused(s, secs[k].head + 20, 0x10u, want);
    }
    /* Bit 0 announces withdrawals (format 1.1); every other bit is unknown. */
    expect_refused(s, 12, 0x3u,
                   "servgap_snapshot_load_buffer: section 'header' at offset 12: unknown header "
                   "flags 0x2");
    free(s.p);
}
END_TEST

START_TEST(test_foreign_input_message)
{
    servgap_ctx *ctx = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(ctx, "PK\3\4", 4), SERVGAP_ECORRUPT);
    ck_assert_str_eq(servgap_errmsg(ctx), "servgap_snapshot_load_buffer: section 'header' at "
                                          "offset 0: not a snapshot (no SRVGAPSN magic)");
    servgap_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("snapshot_reserved");
    TCase *tc = tcase_create("reserved");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_reserved_section_flags_are_refused);
    tcase_add_test(tc, test_unknown_section_with_reserved_flags_is_refused);
    tcase_add_test(tc, test_reserved_word_and_header_flags_are_refused);
    tcase_add_test(tc, test_foreign_input_message);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
