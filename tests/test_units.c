/*
 * test_units -- a metric's unit is text: well-formed UTF-8 without NUL,
 * however it enters (servgap_metric_define, the metrics CSV table, a
 * snapshot). A unit that is not is refused with a message naming the
 * entry point, the metric and the byte, and changes nothing, so that the
 * JSON report, which carries every unit, stays valid UTF-8 and a binding
 * can decode it. Units may be empty and may hold any other character.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"
#include "snapbytes.h"

#define T0 ((int64_t)1767225600) /* 2026-01-01 */

/* Byte strings that are not well-formed UTF-8, and the byte at fault. */
static const struct {
    const char *unit;
    size_t bad;
    const char *what;
} malformed[] = {
    {"\xff", 0, "a byte that never occurs in UTF-8"},
    {"ms\xc3", 2, "a sequence cut short"},
    {"\xc0\xaf", 0, "an overlong form"},
    {"x\xed\xa0\x80", 1, "a surrogate"},
    {"\xf4\x90\x80\x80", 0, "a code point above U+10FFFF"},
    {"h\x80", 1, "a lone continuation byte"},
};
#define N_MALFORMED (sizeof malformed / sizeof malformed[0])

static int32_t metric_count(servgap_ctx *ctx)
{
    return kind_count(ctx, SERVGAP_KIND_METRIC);
}

/* Independent of lib/: 1 when p[0..n) is well-formed UTF-8 (RFC 3629). */
static int utf8_ok(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        size_t k = c < 0x80                 ? 1
                   : c >= 0xc2 && c <= 0xdf ? 2
                   : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4
                                            : 0;
        if (k == 0 || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xc0) != 0x80)
                return 0;
        if ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] > 0x9f) ||
            (c == 0xf0 && p[i + 1] < 0x90) || (c == 0xf4 && p[i + 1] > 0x8f))
            return 0;
        i += k;
    }
    return 1;
}

/* The JSON report of everything in ctx. */
static char *json_of(servgap_ctx *ctx, size_t *len)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_ALL, &r),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, len), SERVGAP_OK);
    char *buf = malloc(*len + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(servgap_result_json(ctx, r, buf, *len + 1, len), SERVGAP_OK);
    servgap_result_free(r);
    return buf;
}

/* Records one observation of the metric named "bad" when it exists, so
 * that the JSON report lists its unit; then the report must be UTF-8. */
static void assert_report_is_utf8(servgap_ctx *ctx)
{
    int32_t id;
    if (servgap_lookup(ctx, SERVGAP_KIND_METRIC, "bad", &id) == SERVGAP_OK)
        ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_TIER, tier(ctx, "gold"), SERVGAP_ANY, id,
                                        SERVGAP_VP_DELIVERED, 1, T0, -1, 0),
                         SERVGAP_OK);
    size_t len = 0;
    char *json = json_of(ctx, &len);
    ck_assert_msg(utf8_ok((const unsigned char *)json, len), "the JSON report is not UTF-8");
    free(json);
}

START_TEST(test_define_refuses_a_unit_that_is_not_utf8)
{
    for (size_t k = 0; k < N_MALFORMED; k++) {
        servgap_ctx *ctx = new_ctx();
        int32_t before = metric_count(ctx), id = 77;
        int rc = servgap_metric_define(ctx, "bad", SERVGAP_DIM_RESPONSIVENESS,
                                       SERVGAP_LOWER_IS_BETTER, 0, 100, 0, malformed[k].unit, &id);
        ck_assert_msg(rc == SERVGAP_EINVAL, "%s: rc %d", malformed[k].what, rc);
        char want[128];
        snprintf(want, sizeof want,
                 "servgap_metric_define: metric 'bad': unit is not valid UTF-8 at byte %zu",
                 malformed[k].bad);
        ck_assert_str_eq(servgap_errmsg(ctx), want);
        ck_assert_int_eq(id, 77);
        ck_assert_int_eq(metric_count(ctx), before);
        assert_report_is_utf8(ctx);
        servgap_ctx_free(ctx);
    }
}
END_TEST

START_TEST(test_define_keeps_any_text_as_unit)
{
    static const char *const units[] = {"",
                                        "h",
                                        "\xc2\xb0"
                                        "C",
                                        "\xce\xbcs",
                                        "\xf0\x9f\x98\x80",
                                        "per\tweek"};
    servgap_ctx *ctx = new_ctx();
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        char name[16];
        int32_t id = -1;
        snprintf(name, sizeof name, "m%zu", k);
        ck_assert_int_eq(servgap_metric_define(ctx, name, SERVGAP_DIM_EMPATHY,
                                               SERVGAP_HIGHER_IS_BETTER, 0, 10, 0, units[k], &id),
                         SERVGAP_OK);
        servgap_metric m = {.size = sizeof m};
        ck_assert_int_eq(servgap_metric_info(ctx, id, &m), SERVGAP_OK);
        ck_assert_str_eq(m.unit, units[k]);
    }
    int32_t id = -1;
    ck_assert_int_eq(servgap_metric_define(ctx, "none", SERVGAP_DIM_EMPATHY,
                                           SERVGAP_HIGHER_IS_BETTER, 0, 10, 0, NULL, &id),
                     SERVGAP_OK);
    servgap_ctx_free(ctx);
}
END_TEST

/* The metrics table: the reader refuses the record at the byte, before
 * anything is defined. */
START_TEST(test_csv_refuses_a_unit_that_is_not_utf8)
{
    for (size_t k = 0; k < N_MALFORMED; k++) {
        static const char head[] = "metric,dimension,direction,min,max,span,unit\n"
                                   "good,reliability,higher,1,7,,pts\n"
                                   "bad,responsiveness,lower,0,,8,";
        char csv[256];
        int n = snprintf(csv, sizeof csv, "%s%s\n", head, malformed[k].unit);
        servgap_ctx *ctx = new_ctx();
        int32_t before = metric_count(ctx);
        int rc =
            servgap_import_csv_buffer(ctx, SERVGAP_CSV_METRICS, "m.csv", csv, (size_t)n, 0, NULL);
        ck_assert_msg(rc == SERVGAP_EFORMAT, "%s: rc %d", malformed[k].what, rc);
        char want[64];
        /* "bad,responsiveness,lower,0,,8," is 30 bytes: the unit starts at 31. */
        snprintf(want, sizeof want, "m.csv:3:%zu: invalid UTF-8", 31 + malformed[k].bad);
        ck_assert_str_eq(servgap_errmsg(ctx), want);
        ck_assert_int_eq(metric_count(ctx), before); /* not even "good" */
        assert_report_is_utf8(ctx);
        servgap_ctx_free(ctx);
    }
}
END_TEST

START_TEST(test_csv_keeps_any_text_as_unit)
{
    static const char csv[] = "metric,dimension,direction,min,max,span,unit\n"
                              "temp,tangibles,lower,0,40,,\xc2\xb0"
                              "C\n"
                              "wait,responsiveness,lower,0,,8,\"min, \"\"wall\"\"\"\n";
    servgap_ctx *ctx = new_ctx();
    ck_assert_int_eq(
        servgap_import_csv_buffer(ctx, SERVGAP_CSV_METRICS, "m.csv", csv, strlen(csv), 0, NULL),
        SERVGAP_OK);
    int32_t id = -1;
    servgap_metric m = {.size = sizeof m};
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_METRIC, "temp", &id), SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_info(ctx, id, &m), SERVGAP_OK);
    ck_assert_str_eq(m.unit, "\xc2\xb0"
                             "C");
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_METRIC, "wait", &id), SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_info(ctx, id, &m), SERVGAP_OK);
    ck_assert_str_eq(m.unit, "min, \"wall\"");
    servgap_ctx_free(ctx);
}
END_TEST

/* A snapshot of a handle whose metric "bad" has the 4-byte unit "UNIT";
 * *unit_at is the unit's offset in the snapshot. */
static snap_bytes snapshot_with_unit(size_t *unit_at)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = -1;
    ck_assert_int_eq(servgap_metric_define(ctx, "bad", SERVGAP_DIM_ASSURANCE,
                                           SERVGAP_HIGHER_IS_BETTER, 0, 5, 0, "UNIT", &id),
                     SERVGAP_OK);
    snap_bytes b = snap_of(ctx);
    servgap_ctx_free(ctx);
    /* The metric entry ends with u32 unit length 4, then the unit. */
    snap_section s = snap_find(b, "METR");
    static const unsigned char tail[] = {4, 0, 0, 0, 'U', 'N', 'I', 'T'};
    const unsigned char *p = b.p + s.payload, *end = p + s.len;
    ck_assert_uint_ge(s.len, sizeof tail);
    ck_assert_int_eq(memcmp(end - sizeof tail, tail, sizeof tail), 0);
    *unit_at = (size_t)(end - 4 - b.p);
    return b;
}

/* A target that holds data, whose bytes must not change. */
static servgap_ctx *target(void)
{
    servgap_ctx *ctx = new_ctx();
    ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, account(ctx, "keep", "gold", 9),
                                    SERVGAP_ANY, 1, SERVGAP_VP_PERCEIVED, 5, T0, -1, 0),
                     SERVGAP_OK);
    return ctx;
}

/* s with the unit's first n bytes replaced, re-sealed: refused, naming
 * the byte bad of the unit, and the target unchanged. */
static void expect_unit_corrupt(snap_bytes s, size_t at, const char *bytes, size_t n, size_t bad,
                                const char *why)
{
    snap_bytes c = {malloc(s.n), s.n};
    ck_assert_ptr_nonnull(c.p);
    memcpy(c.p, s.p, s.n);
    memcpy(c.p + at, bytes, n);
    snap_reseal(c);
    servgap_ctx *ctx = target();
    snap_bytes before = snap_of(ctx);
    ck_assert_int_eq(servgap_snapshot_load_buffer(ctx, c.p, c.n), SERVGAP_ECORRUPT);
    char want[200];
    snprintf(want, sizeof want,
             "servgap_snapshot_load_buffer: section 'metrics' at offset %zu: metric 'bad': %s at "
             "byte %zu",
             at + bad, why, bad);
    ck_assert_str_eq(servgap_errmsg(ctx), want);
    snap_bytes after = snap_of(ctx);
    ck_assert(after.n == before.n && memcmp(after.p, before.p, after.n) == 0);
    assert_report_is_utf8(ctx);
    free(c.p);
    free(before.p);
    free(after.p);
    servgap_ctx_free(ctx);
}

START_TEST(test_snapshot_refuses_a_unit_that_is_not_utf8)
{
    size_t at = 0;
    snap_bytes s = snapshot_with_unit(&at);
    servgap_ctx *ok = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(ok, s.p, s.n), SERVGAP_OK);
    servgap_ctx_free(ok);
    expect_unit_corrupt(s, at, "\xff", 1, 0, "unit is not valid UTF-8");
    expect_unit_corrupt(s, at, "UN\xc3", 3, 2, "unit is not valid UTF-8"); /* then 'T' */
    expect_unit_corrupt(s, at, "U\xed\xa0\x80", 4, 1, "unit is not valid UTF-8");
    expect_unit_corrupt(s, at, "UNI\0", 4, 3, "unit contains a NUL byte");
    free(s.p);
}
END_TEST

/* What the Python binding does with the report: a handle that took every
 * unit offered, good and bad, through all three ways in. */
START_TEST(test_report_stays_utf8_whatever_was_offered)
{
    servgap_ctx *ctx = new_ctx();
    int32_t id = -1;
    ck_assert_int_eq(servgap_metric_define(ctx, "bad", SERVGAP_DIM_ASSURANCE,
                                           SERVGAP_HIGHER_IS_BETTER, 0, 5, 0, "\xff\xfe", &id),
                     SERVGAP_EINVAL);
    ck_assert_int_eq(servgap_metric_define(ctx, "fine", SERVGAP_DIM_ASSURANCE,
                                           SERVGAP_HIGHER_IS_BETTER, 0, 5, 0, "\xc2\xb0\x1b", &id),
                     SERVGAP_OK);
    ck_assert_int_eq(servgap_record(ctx, SERVGAP_SCOPE_TIER, tier(ctx, "gold"), SERVGAP_ANY, id,
                                    SERVGAP_VP_DELIVERED, 1, T0, -1, 0),
                     SERVGAP_OK);
    size_t len = 0;
    char *json = json_of(ctx, &len);
    ck_assert(utf8_ok((const unsigned char *)json, len));
    ck_assert_ptr_nonnull(strstr(json, "\"unit\":\"\xc2\xb0\\u001b\""));
    free(json);
    servgap_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("units");
    TCase *tc = tcase_create("units");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_define_refuses_a_unit_that_is_not_utf8);
    tcase_add_test(tc, test_define_keeps_any_text_as_unit);
    tcase_add_test(tc, test_csv_refuses_a_unit_that_is_not_utf8);
    tcase_add_test(tc, test_csv_keeps_any_text_as_unit);
    tcase_add_test(tc, test_snapshot_refuses_a_unit_that_is_not_utf8);
    tcase_add_test(tc, test_report_stays_utf8_whatever_was_offered);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
