/*
 * test_json.c -- servgap_result_json against its contract (include/servgap.h,
 * docs/formats.md, "The JSON report"), through the public API only: the size-query protocol,
 * a too-small buffer left untouched, the exact bytes of a tiny hand-worked
 * handle, string escaping, NaN as null, numbers that read back to the same
 * double whatever the locale, determinism and the error paths.
 *
 * The expected report of the tiny handle is written out by hand from the
 * model of docs/concepts.md, not copied from the library's output.
 */
#define _POSIX_C_SOURCE 200809L /* setlocale, strtod under -std=c11 */
#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define DAY      ((int64_t)SERVGAP_DAY)
#define JAN_2026 ((int64_t)1767225600) /* 2026-01-01T00:00:00Z */
#define FEB_2026 (JAN_2026 + 31 * DAY)

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

static servgap_result *query(servgap_ctx *ctx, uint32_t flags)
{
    servgap_result *r = NULL;
    int rc = servgap_query_at(ctx, JAN_2026, FEB_2026, FEB_2026, flags, &r);
    ck_assert_msg(rc == SERVGAP_OK, "query: %s", servgap_errmsg(ctx));
    return r;
}

/* The whole report, size-queried first; the caller frees it. */
static char *report(servgap_ctx *ctx, const servgap_result *r, size_t *len)
{
    size_t n = 0;
    int rc = servgap_result_json(ctx, r, NULL, 0, &n);
    ck_assert_msg(rc == SERVGAP_OK, "size query: %s", servgap_errmsg(ctx));
    char *buf = malloc(n + 1);
    ck_assert_ptr_nonnull(buf);
    size_t m = 0;
    rc = servgap_result_json(ctx, r, buf, n + 1, &m);
    ck_assert_msg(rc == SERVGAP_OK, "report: %s", servgap_errmsg(ctx));
    ck_assert_uint_eq(m, n);
    ck_assert_int_eq(buf[n], '\0');
    if (len)
        *len = n;
    return buf;
}

static void record(servgap_ctx *ctx, int32_t kind, int32_t scope, int32_t tp, int32_t metric,
                   int32_t vp, double value, int32_t team)
{
    int rc = servgap_record(ctx, kind, scope, tp, metric, vp, value, JAN_2026, team,
                            SERVGAP_DRIVER_NONE);
    ck_assert_msg(rc == SERVGAP_OK, "record: %s", servgap_errmsg(ctx));
}

/* Print the first difference, so a failure shows where the bytes part. */
static void assert_same_text(const char *got, const char *want)
{
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    if (got[i] == want[i])
        return;
    size_t from = i > 60 ? i - 60 : 0;
    ck_abort_msg("reports differ at byte %zu:\n got: ...%.120s\nwant: ...%.120s", i, got + from,
                 want + from);
}

/* ---------------------------------------------------------------------- */
/* The tiny handle and its report, worked by hand                          */
/* ---------------------------------------------------------------------- */

/*
 * Tier gold, account acme (in gold, value 1000), touchpoint email, team
 * night, metric reliability (built in: Likert 1..7, span 6, higher is
 * better), min_n 1 for customer viewpoints. In January 2026:
 *   acme at email: expected 6; perceived 4.5 (delivered by team night)
 *   gold, any touchpoint: standard 5
 *   gold importance: customers 0/50/50/0/0, provider belief 0/25/75/0/0
 * Every side is one observation, so every interval is the point itself
 * (df infinite: null) and every gap with both sides is significant.
 * Nodes present: E, S, P (B and D missing), so:
 *   service   P - E = 4.5 - 6 = -1.5, normalized -1.5 / 6 = -0.25: shortfall
 *   knowledge, standards: the joined span knowledge+standards, S - E = -1,
 *             normalized -1/6 = -0.16666666666666666: unresolved
 *   delivery, perception: the joined span delivery+perception, P - S =
 *             -0.5, normalized -0.08333333333333333: unresolved
 *   communication (no D, no M), adequacy (no A): insufficient, no value
 * Classification: the most negative significant joined span,
 * knowledge+standards (-1/6 < -1/12).
 * The standard comes from the tier, recorded for any touchpoint: sources
 * tier + any_touchpoint at email, tier alone in the roll-up over
 * touchpoints. The dimension roll-up of the one metric repeats it.
 * SERVQUAL: reliability gap -1.5, weights from the allocation (0.5 on
 * reliability and responsiveness), weighted = 0.5 * -1.5 / 0.5 = -1.5;
 * importance gap (|0.5 - 0.25| + |0.5 - 0.75|) / 2 = 0.25; reliability is
 * under-weighted by the provider (0.5 > 0.25).
 * Breakdown: team night's perceived 4.5 against expected 6 at email and in
 * the roll-up over touchpoints (cells 0 and 2).
 * Reads: perceived, an event, reads the window January 2026; expected, a
 * survey viewpoint, the 365 days before the window's end (from 2025-02-01);
 * the standard, a declaration of 2026-01-01, is in force from that day to
 * the window's end, unchanged.
 */
static servgap_ctx *tiny_ctx(const char *touchpoint)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acme, gold, tp, night;
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_MIN_N_CUSTOMER, 1), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_define(ctx, "acme", "gold", 1000.0, &acme), SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TIER, "gold", &gold), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, touchpoint, &tp), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TEAM, "night", &night), SERVGAP_OK);
    record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, tp, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_EXPECTED, 6.0,
           SERVGAP_NONE);
    record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, tp, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_PERCEIVED, 4.5,
           night);
    record(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_ANY, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_STANDARD,
           5.0, SERVGAP_NONE);
    const double cust[SERVGAP_DIM_COUNT] = {0, 50, 50, 0, 0},
                 prov[SERVGAP_DIM_COUNT] = {0, 25, 75, 0, 0};
    ck_assert_int_eq(
        servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_WHOSE_CUSTOMER, cust),
        SERVGAP_OK);
    ck_assert_int_eq(
        servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_WHOSE_PROVIDER, prov),
        SERVGAP_OK);
    return ctx;
}

/* Account cells and breakdowns only: priorities, triggers and risk have
 * suites of their own, and their tables stay empty here. */
#define TINY_FLAGS (SERVGAP_QUERY_ACCOUNTS | SERVGAP_QUERY_BREAKDOWN)

/* clang-format off */
#define ALL_NULL "{\"expected\":null,\"adequate\":null,\"believed\":null,\"standard\":null," \
    "\"delivered\":null,\"promised\":null,\"perceived\":null}"
#define ALL_ZERO "{\"expected\":0,\"adequate\":0,\"believed\":0,\"standard\":0,\"delivered\":0," \
    "\"promised\":0,\"perceived\":0}"
#define FLAGS(sig, suf) ",\"paired\":false,\"significant\":" sig ",\"sufficient\":" suf \
    ",\"no_standard\":false,\"declaration_changed\":false}"
#define GAP_SERVICE "{\"value\":-1.5,\"normalized\":-0.25,\"ci\":[-1.5,-1.5],\"df\":null," \
    "\"n_up\":1,\"n_down\":1,\"status\":\"shortfall\"" FLAGS("true", "true")
#define GAP_KS "{\"value\":-1,\"normalized\":-0.16666666666666666,\"ci\":[-1,-1],\"df\":null," \
    "\"n_up\":1,\"n_down\":1,\"status\":\"unresolved\",\"span\":\"knowledge+standards\"" \
    FLAGS("true", "true")
#define GAP_DP "{\"value\":-0.5,\"normalized\":-0.08333333333333333,\"ci\":[-0.5,-0.5]," \
    "\"df\":null,\"n_up\":1,\"n_down\":1,\"status\":\"unresolved\"," \
    "\"span\":\"delivery+perception\"" FLAGS("true", "true")
#define GAP_NONE "{\"value\":null,\"normalized\":null,\"ci\":[null,null],\"df\":null," \
    "\"n_up\":0,\"n_down\":0,\"status\":\"insufficient\"" FLAGS("false", "false")
#define CELL(tp, metric, standard_source) \
    "{\"scope\":\"account:acme\",\"touchpoint\":" tp ",\"metric\":" metric \
    ",\"dimension\":\"reliability\",\"scale\":6," \
    "\"n\":{\"expected\":1,\"adequate\":0,\"believed\":0,\"standard\":1,\"delivered\":0," \
    "\"promised\":0,\"perceived\":1}," \
    "\"means\":{\"expected\":6,\"adequate\":null,\"believed\":null,\"standard\":5," \
    "\"delivered\":null,\"promised\":null,\"perceived\":4.5}," \
    "\"sd\":" ALL_NULL ",\"negative\":" ALL_ZERO "," \
    "\"source\":{\"expected\":[\"own\"],\"adequate\":[],\"believed\":[],\"standard\":" \
    standard_source ",\"delivered\":[],\"promised\":[],\"perceived\":[\"own\"]}," \
    "\"read\":{\"expected\":{\"from\":\"2025-02-01\",\"to\":\"2026-02-01\"}," \
    "\"standard\":{\"from\":\"2026-01-01\",\"to\":\"2026-02-01\",\"declared\":\"2026-01-01\"," \
    "\"changed\":false},\"perceived\":{\"from\":\"2026-01-01\",\"to\":\"2026-02-01\"}}," \
    "\"pairs\":0,\"pe_correlation\":null," \
    "\"gaps\":{\"service\":" GAP_SERVICE ",\"knowledge\":" GAP_KS ",\"standards\":" GAP_KS \
    ",\"delivery\":" GAP_DP ",\"communication\":" GAP_NONE ",\"perception\":" GAP_DP \
    ",\"adequacy\":" GAP_NONE "}," \
    "\"classification\":\"span\",\"class_span\":\"knowledge+standards\"," \
    "\"class_normalized\":-0.16666666666666666}"
#define SERVQUAL(tp) \
    "{\"scope\":\"account:acme\",\"touchpoint\":" tp ",\"dimensions\":{" \
    "\"tangibles\":{\"gap\":null,\"weight\":0,\"believed_weight\":0}," \
    "\"reliability\":{\"gap\":-1.5,\"weight\":0.5,\"believed_weight\":0.25}," \
    "\"responsiveness\":{\"gap\":null,\"weight\":0.5,\"believed_weight\":0.75}," \
    "\"assurance\":{\"gap\":null,\"weight\":0,\"believed_weight\":0}," \
    "\"empathy\":{\"gap\":null,\"weight\":0,\"believed_weight\":0}}," \
    "\"unweighted\":-1.5,\"item_mean\":-1.5,\"weighted\":-1.5,\"weighted_ci\":[null,null]," \
    "\"weight_source\":\"allocation\",\"respondents\":0,\"servperf\":4.5," \
    "\"importance_gap\":0.25,\"most_underweighted\":\"reliability\"}"
#define BREAKDOWN(cell, tp) \
    "{\"cell\":" cell ",\"scope\":\"account:acme\",\"touchpoint\":" tp \
    ",\"metric\":\"reliability\",\"dimension\":\"reliability\",\"facet\":\"team\"," \
    "\"name\":\"night\",\"viewpoint\":\"perceived\",\"gap\":\"service\",\"n\":1,\"mean\":4.5," \
    "\"value\":-1.5,\"normalized\":-0.25,\"ci\":[-1.5,-1.5],\"df\":null," \
    "\"status\":\"shortfall\",\"significant\":true,\"sufficient\":true," \
    "\"declaration_changed\":false}"

/* Pieces, each within the 4095 bytes ISO C promises for one literal. */
static const char *const tiny_parts[] = {
    "{\"version\":{\"library\":\"" SERVGAP_VERSION_STRING "\",\"schema\":1},"
    "\"window\":{\"from\":\"2026-01-01\",\"to\":\"2026-02-01\"},\"now\":\"2026-02-01\","
    "\"metrics\":[{\"name\":\"reliability\",\"dimension\":\"reliability\","
    "\"direction\":\"higher_is_better\",\"unit\":\"\",\"min\":1,\"max\":7,\"span\":6}],"
    "\"cells\":[",
    CELL("\"email\"", "\"reliability\"", "[\"tier\",\"any_touchpoint\"]") ",",
    CELL("\"email\"", "\"*\"", "[\"tier\",\"any_touchpoint\"]") ",",
    CELL("\"*\"", "\"reliability\"", "[\"tier\"]") ",",
    CELL("\"*\"", "\"*\"", "[\"tier\"]") "],",
    "\"servqual\":[" SERVQUAL("\"email\"") "," SERVQUAL("\"*\"") "],",
    "\"breakdowns\":[" BREAKDOWN("0", "\"email\"") "," BREAKDOWN("2", "\"*\"") "],"
    "\"priorities\":[],\"ipa\":[],\"triggers\":[],\"risk\":[],"
    "\"auc\":{\"value\":null,\"churned\":0,\"retained\":0},\"trends\":[],\"plans\":[]}\n",
};
/* clang-format on */

/* The expected report as one string; the caller frees it. */
static char *tiny_expected(void)
{
    size_t n = 1;
    for (size_t i = 0; i < sizeof tiny_parts / sizeof *tiny_parts; i++)
        n += strlen(tiny_parts[i]);
    char *s = malloc(n);
    ck_assert_ptr_nonnull(s);
    s[0] = '\0';
    for (size_t i = 0; i < sizeof tiny_parts / sizeof *tiny_parts; i++)
        strcat(s, tiny_parts[i]);
    return s;
}

START_TEST(tiny_exact_bytes)
{
    servgap_ctx *ctx = tiny_ctx("email");
    servgap_result *r = query(ctx, TINY_FLAGS);
    size_t len;
    char *json = report(ctx, r, &len);
    char *want = tiny_expected();
    assert_same_text(json, want);
    ck_assert_uint_eq(len, strlen(want));
    ck_assert_uint_eq(strlen(json), len);
    free(want);
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* The buffer protocol                                                     */
/* ---------------------------------------------------------------------- */

START_TEST(size_query_protocol)
{
    servgap_ctx *ctx = tiny_ctx("email");
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    size_t len = 12345;
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, &len), SERVGAP_OK);
    ck_assert_uint_gt(len, 100);

    /* Exactly len + 1 bytes is enough; the NUL lands at len, the byte
     * before it is the one newline, and nothing past the NUL is written. */
    char *buf = malloc(len + 16);
    ck_assert_ptr_nonnull(buf);
    memset(buf, '#', len + 16);
    size_t got = 0;
    ck_assert_int_eq(servgap_result_json(ctx, r, buf, len + 1, &got), SERVGAP_OK);
    ck_assert_uint_eq(got, len);
    ck_assert_int_eq(buf[len], '\0');
    ck_assert_int_eq(buf[len - 1], '\n');
    ck_assert_uint_eq(strlen(buf), len);
    for (size_t i = len + 1; i < len + 16; i++)
        ck_assert_int_eq(buf[i], '#');
    ck_assert_ptr_null(memchr(buf, '\n', len - 1));
    ck_assert_int_eq(buf[0], '{');
    ck_assert_int_eq(buf[len - 2], '}');

    /* A larger buffer gives the same bytes. */
    memset(buf, '#', len + 16);
    ck_assert_int_eq(servgap_result_json(ctx, r, buf, len + 16, &got), SERVGAP_OK);
    ck_assert_uint_eq(got, len);
    ck_assert_int_eq(buf[len], '\0');
    ck_assert_int_eq(buf[len + 1], '#');
    free(buf);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(too_small_buffer_untouched)
{
    servgap_ctx *ctx = tiny_ctx("email");
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    size_t need = 0;
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, &need), SERVGAP_OK);
    char *buf = malloc(need + 1);
    ck_assert_ptr_nonnull(buf);
    size_t caps[] = {0, 1, need / 2, need};
    for (size_t k = 0; k < sizeof caps / sizeof *caps; k++) {
        memset(buf, 'Z', need + 1);
        size_t len = 7;
        ck_assert_int_eq(servgap_result_json(ctx, r, buf, caps[k], &len), SERVGAP_EBUFSIZE);
        ck_assert_uint_eq(len, need);
        ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_EBUFSIZE);
        ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "servgap_result_json"));
        for (size_t i = 0; i <= need; i++)
            ck_assert_msg(buf[i] == 'Z', "cap %zu: byte %zu written", caps[k], i);
    }
    free(buf);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Strings and numbers                                                     */
/* ---------------------------------------------------------------------- */

START_TEST(names_are_escaped)
{
    /* quote, backslash, the control characters with short escapes, two
     * without (U+0001, U+001F), and UTF-8 and DEL that stay as they are. */
    static const char tp[] = "a\"b\\c\b\f\n\r\t\x01\x1f/\xc3\xa9\x7f";
    static const char tp_json[] = "\"touchpoint\":\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f/"
                                  "\xc3\xa9\x7f\",";
    servgap_ctx *ctx = tiny_ctx(tp);
    int32_t id;
    ck_assert_int_eq(servgap_account_define(ctx, "x\"y\\z\x02", "gold", 1.0, &id), SERVGAP_OK);
    record(ctx, SERVGAP_SCOPE_ACCOUNT, id, SERVGAP_ANY, SERVGAP_DIM_EMPATHY, SERVGAP_VP_EXPECTED,
           5.0, SERVGAP_NONE);
    int32_t t2;
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "chat", &t2), SERVGAP_OK);
    record(ctx, SERVGAP_SCOPE_ACCOUNT, id, t2, SERVGAP_DIM_EMPATHY, SERVGAP_VP_PERCEIVED, 5.0,
           SERVGAP_NONE);
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    char *json = report(ctx, r, NULL);
    ck_assert_msg(strstr(json, tp_json) != NULL, "escaped touchpoint not found in %s", json);
    ck_assert_msg(strstr(json, "\"scope\":\"account:x\\\"y\\\\z\\u0002\"") != NULL,
                  "escaped account scope not found");
    ck_assert_ptr_nonnull(strstr(json, "\"scope\":\"tier:gold\""));
    /* No raw control character is left anywhere but the final newline. */
    for (const char *p = json; *p; p++)
        ck_assert_msg((unsigned char)*p >= 0x20 || (*p == '\n' && p[1] == '\0'),
                      "raw control byte 0x%02x at %td", (unsigned)(unsigned char)*p, p - json);
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(nan_is_null)
{
    /* Only expected data: no perceived mean, no service gap, no sd. */
    servgap_ctx *ctx = new_ctx();
    int32_t a, tp;
    ck_assert_int_eq(servgap_account_define(ctx, "solo", NULL, 0.0, &a), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "phone", &tp), SERVGAP_OK);
    record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, SERVGAP_DIM_ASSURANCE, SERVGAP_VP_EXPECTED, 3.0,
           SERVGAP_NONE);
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    char *json = report(ctx, r, NULL);
    ck_assert_ptr_nonnull(strstr(json, "\"means\":{\"expected\":3,\"adequate\":null,"));
    ck_assert_ptr_nonnull(strstr(json, "\"sd\":" ALL_NULL));
    ck_assert_ptr_nonnull(strstr(json, "\"service\":{\"value\":null,\"normalized\":null,"
                                       "\"ci\":[null,null],\"df\":null,"));
    ck_assert_ptr_null(strstr(json, "nan"));
    ck_assert_ptr_null(strstr(json, "NaN"));
    ck_assert_ptr_null(strstr(json, "inf"));
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* strstr, without the sanitizers' cost: their strstr measures the whole
 * rest of the haystack on every call, which made the 3,000 look-ups below
 * in a report of megabytes take minutes under TSan. */
static const char *find(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (; *s; s++)
        if (*s == *needle && strncmp(s, needle, n) == 0)
            return s;
    return NULL;
}

/* The cells of account a's metric "raw" by touchpoint, in one pass:
 * cells[i] is the first cell of touchpoint t<i> (i < n), or NULL. */
static void index_cells(const char *json, const char **cells, size_t n)
{
    static const char pre[] = "\"scope\":\"account:a\",\"touchpoint\":\"t";
    for (const char *p = find(json, pre); p; p = find(p + 1, pre)) {
        char *end;
        unsigned long i = strtoul(p + sizeof pre - 1, &end, 10);
        if (i < n && !cells[i] && strncmp(end, "\",\"metric\":\"raw\"", 16) == 0)
            cells[i] = p;
    }
}

/* A metric on the whole real line takes any finite double; the mean of one
 * observation is the observation, so the report must spell it exactly.
 * The delivered mean of touchpoint tp's cell (index_cells). */
static double read_delivered_mean(const char *cell, const char *tp)
{
    const char *p = cell;
    ck_assert_msg(p != NULL, "cell of %s not found", tp);
    p = find(p, "\"means\":{");
    ck_assert_ptr_nonnull(p);
    p = find(p, "\"delivered\":");
    ck_assert_ptr_nonnull(p);
    p += strlen("\"delivered\":");
    char *end;
    double x = strtod(p, &end);
    ck_assert_msg(end > p && (*end == ',' || *end == '}'), "number at %.30s", p);
    /* JSON grammar: no leading '+', no leading zeros, no bare '.'. */
    ck_assert_int_ne(*p, '+');
    ck_assert_msg(!(p[0] == '0' && p[1] >= '0' && p[1] <= '9'), "leading zero: %.30s", p);
    ck_assert_msg(!(p[0] == '-' && p[1] == '0' && p[2] >= '0' && p[2] <= '9'), "%.30s", p);
    return x;
}

static uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static void check_round_trip(const double *values, size_t n)
{
    servgap_ctx *ctx = new_ctx();
    int32_t a, raw;
    ck_assert_int_eq(servgap_account_define(ctx, "a", NULL, 0.0, &a), SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(ctx, "raw", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, -INFINITY, INFINITY, 1.0, "",
                                           &raw),
                     SERVGAP_OK);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        int32_t tp;
        snprintf(name, sizeof name, "t%zu", i);
        ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, name, &tp), SERVGAP_OK);
        record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, raw, SERVGAP_VP_DELIVERED, values[i],
               SERVGAP_NONE);
    }
    servgap_result *r = query(ctx, SERVGAP_QUERY_ACCOUNTS);
    char *json = report(ctx, r, NULL);
    const char **cells = calloc(n, sizeof *cells);
    ck_assert_ptr_nonnull(cells);
    index_cells(json, cells, n);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%zu", i);
        double back = read_delivered_mean(cells[i], name);
        ck_assert_msg(bits_of(back) == bits_of(values[i]), "%.17g (%a) came back as %.17g (%a)",
                      values[i], values[i], back, back);
    }
    free(cells);
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}

START_TEST(numbers_round_trip)
{
    /* Not -0.0: the library's mean of one -0.0 is +0.0 (0 + -0 = +0), so
     * the report cannot carry it; the formatter writes it as -0. Values
     * within +-SERVGAP_VALUE_MAX, which a handle accepts; tests/test_numtext.c
     * has the formatter beyond. */
    /* clang-format off */
    static const double awkward[] = {
        0.1,    1e-300, 5e-324, 999999999999999.9,       123456789.123456789,
        -0.1,   0.3,    1e-7,   2.2250738585072014e-308, 2.225073858507201e-308,
        1e-6,   4.35,   0.0,    1.0,                     1e15,
        -1e15,  2.0 / 3.0,      1e-5,                    5e-310,
        0.000001234,    299792458.0,                     -2.5e-8};
    /* clang-format on */
    check_round_trip(awkward, sizeof awkward / sizeof *awkward);
}
END_TEST

START_TEST(random_doubles_round_trip)
{
    enum { N = 3000 };
    static double v[N];
    uint64_t s = 0x243f6a8885a308d3u;
    size_t n = 0;
    while (n < N) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double x;
        memcpy(&x, &s, sizeof x);
        if (isfinite(x) && fabs(x) <= SERVGAP_VALUE_MAX) /* what a handle accepts */
            v[n++] = x;
    }
    check_round_trip(v, n);
}
END_TEST

START_TEST(short_forms)
{
    /* The documented layout (that of JSON.stringify) on values whose
     * shortest digits are known, among them three that a merely
     * round-tripping method (Grisu2) writes longer: 1e23, 0.000649 and
     * 1.557e-9. */
    static const struct {
        double x;
        const char *text;
    } cases[] = {
        /* clang-format off */
        {0.1, "0.1"},           {1e15, "1000000000000000"}, {-1e15, "-1000000000000000"},
        {1e-6, "0.000001"},     {1e-7, "1e-7"},           {-1.5, "-1.5"},
        {100.0, "100"},         {5e-324, "5e-324"},       {0.0, "0"},
        {0.25, "0.25"},         {0.000649, "0.000649"},
        {1.557e-9, "1.557e-9"}, {4.35, "4.35"},           {2.0 / 3.0, "0.6666666666666666"},
        {123456789.123456789, "123456789.12345679"},
        /* 1e+21 and the rest of the layout beyond SERVGAP_VALUE_MAX:
         * tests/test_numtext.c. */
        /* clang-format on */
    };
    size_t n = sizeof cases / sizeof *cases;
    double v[sizeof cases / sizeof *cases];
    for (size_t i = 0; i < n; i++)
        v[i] = cases[i].x;
    servgap_ctx *ctx = new_ctx();
    int32_t a, raw;
    ck_assert_int_eq(servgap_account_define(ctx, "a", NULL, 0.0, &a), SERVGAP_OK);
    ck_assert_int_eq(servgap_metric_define(ctx, "raw", SERVGAP_DIM_RELIABILITY,
                                           SERVGAP_HIGHER_IS_BETTER, -INFINITY, INFINITY, 1.0, "",
                                           &raw),
                     SERVGAP_OK);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        int32_t tp;
        snprintf(name, sizeof name, "t%zu", i);
        ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, name, &tp), SERVGAP_OK);
        record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, raw, SERVGAP_VP_DELIVERED, v[i], SERVGAP_NONE);
    }
    servgap_result *r = query(ctx, SERVGAP_QUERY_ACCOUNTS);
    char *json = report(ctx, r, NULL);
    for (size_t i = 0; i < n; i++) {
        char pat[512];
        snprintf(pat, sizeof pat,
                 "\"touchpoint\":\"t%zu\",\"metric\":\"raw\",\"dimension\":\"reliability\","
                 "\"scale\":1,\"n\":{\"expected\":0,\"adequate\":0,\"believed\":0,\"standard\":0,"
                 "\"delivered\":1,\"promised\":0,\"perceived\":0},\"means\":{\"expected\":null,"
                 "\"adequate\":null,\"believed\":null,\"standard\":null,\"delivered\":%s,",
                 i, cases[i].text);
        ck_assert_msg(strstr(json, pat) != NULL, "%.17g is not written as %s", cases[i].x,
                      cases[i].text);
    }
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Locale, determinism, allocation                                         */
/* ---------------------------------------------------------------------- */

/* Locales whose decimal separator is a comma, if one is installed. */
static const char *comma_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8",  "de_DE",       "fr_FR.UTF-8",
                                        "fr_FR.utf8",  "nl_NL.UTF-8", "ru_RU.UTF-8", "es_ES.UTF-8",
                                        "it_IT.UTF-8", "pt_BR.UTF-8", "da_DK.UTF-8"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (setlocale(LC_NUMERIC, names[i]) && strcmp(localeconv()->decimal_point, ",") == 0)
            return names[i];
    }
    setlocale(LC_NUMERIC, "C");
    return NULL;
}

START_TEST(locale_independent)
{
    /* Check runs each test in its own process, so the locale does not
     * leak into other tests. */
    const char *loc = comma_locale();
    if (!loc) {
        /* Without a comma locale the report is checked under C.UTF-8 only:
         * it must still be the hand-worked bytes. The library never calls
         * printf for numbers, so the comma case cannot differ, but this
         * machine cannot show it. */
        fprintf(stderr, "test_json: locale_independent: no comma-decimal locale installed; "
                        "checked C.UTF-8 only\n");
        ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
    } else {
        char probe[16];
        snprintf(probe, sizeof probe, "%.1f", 1.5);
        ck_assert_msg(strcmp(probe, "1,5") == 0, "%s: printf gives %s", loc, probe);
    }
    servgap_ctx *ctx = tiny_ctx("email");
    servgap_result *r = query(ctx, TINY_FLAGS);
    char *json = report(ctx, r, NULL);
    char *want = tiny_expected();
    assert_same_text(json, want);
    free(want);
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
    setlocale(LC_ALL, "C");
}
END_TEST

START_TEST(deterministic)
{
    servgap_ctx *ctx = tiny_ctx("email");
    servgap_result *r1 = query(ctx, SERVGAP_QUERY_ALL);
    servgap_result *r2 = query(ctx, SERVGAP_QUERY_ALL);
    size_t n1, n2, n3;
    char *a = report(ctx, r1, &n1);
    char *b = report(ctx, r1, &n2);
    char *c = report(ctx, r2, &n3);
    ck_assert_uint_eq(n1, n2);
    ck_assert_uint_eq(n1, n3);
    ck_assert_int_eq(memcmp(a, b, n1), 0);
    ck_assert_int_eq(memcmp(a, c, n1), 0);
    free(a);
    free(b);
    free(c);
    servgap_result_free(r1);
    servgap_result_free(r2);
    servgap_ctx_free(ctx);
}
END_TEST

/* An allocator that can be switched off. */
typedef struct gate {
    int closed;
    long calls;
} gate;

static void *gate_malloc(void *u, size_t n)
{
    gate *g = u;
    g->calls++;
    return g->closed ? NULL : malloc(n);
}

static void *gate_realloc(void *u, void *p, size_t n)
{
    gate *g = u;
    g->calls++;
    return g->closed ? NULL : realloc(p, n);
}

static void gate_free(void *u, void *p)
{
    (void)u;
    free(p);
}

START_TEST(no_allocation)
{
    /* The report is written straight into the caller's buffer: it cannot
     * run out of memory. */
    gate g = {0, 0};
    servgap_allocator a = {sizeof a, gate_malloc, gate_realloc, gate_free, &g};
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    int32_t acme, tp;
    ck_assert_int_eq(servgap_account_define(ctx, "acme", "gold", 1.0, &acme), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &tp), SERVGAP_OK);
    record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, tp, 0, SERVGAP_VP_PERCEIVED, 3.0, SERVGAP_NONE);
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    g.closed = 1;
    g.calls = 0;
    size_t len;
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, &len), SERVGAP_OK);
    char *buf = malloc(len + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(servgap_result_json(ctx, r, buf, len + 1, &len), SERVGAP_OK);
    ck_assert_int_eq(g.calls, 0);
    free(buf);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Errors                                                                  */
/* ---------------------------------------------------------------------- */

static void expect_fail(servgap_ctx *ctx, int rc, int want, const char *culprit)
{
    ck_assert_msg(rc == want, "returned %d (%s), expected %d; errmsg '%s'", rc,
                  servgap_strerror(rc), want, servgap_errmsg(ctx));
    ck_assert_int_eq(servgap_errcode(ctx), want);
    const char *m = servgap_errmsg(ctx);
    ck_assert_msg(strstr(m, "servgap_result_json") != NULL, "message '%s'", m);
    if (culprit)
        ck_assert_msg(strstr(m, culprit) != NULL, "message '%s' does not name %s", m, culprit);
}

START_TEST(error_paths)
{
    servgap_ctx *ctx = tiny_ctx("email");
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    char buf[64];
    size_t len = 99;

    ck_assert_int_eq(servgap_result_json(NULL, r, NULL, 0, &len), SERVGAP_EMISUSE);
    expect_fail(ctx, servgap_result_json(ctx, NULL, NULL, 0, &len), SERVGAP_EMISUSE, "r");
    expect_fail(ctx, servgap_result_json(ctx, r, NULL, 0, NULL), SERVGAP_EMISUSE, "len");
    expect_fail(ctx, servgap_result_json(ctx, r, NULL, 10, &len), SERVGAP_EMISUSE, "buf");
    ck_assert_uint_eq(len, 99); /* written only on success */

    /* A handle that knows none of the result's names. */
    servgap_ctx *other = new_ctx();
    memset(buf, 'Q', sizeof buf);
    expect_fail(other, servgap_result_json(other, r, buf, sizeof buf, &len), SERVGAP_ENOTFOUND,
                "unknown");
    ck_assert_uint_eq(len, 99);
    for (size_t i = 0; i < sizeof buf; i++)
        ck_assert_int_eq(buf[i], 'Q');
    expect_fail(other, servgap_result_json(other, r, NULL, 0, &len), SERVGAP_ENOTFOUND, "tier");

    /* One that knows the tier and the account but not the touchpoint. */
    int32_t id;
    ck_assert_int_eq(servgap_account_define(other, "acme", "gold", 1.0, &id), SERVGAP_OK);
    expect_fail(other, servgap_result_json(other, r, NULL, 0, &len), SERVGAP_ENOTFOUND,
                "touchpoint");
    /* With the touchpoint and team too, it serves (the report is built from
     * r, so other's lack of data does not matter). */
    ck_assert_int_eq(servgap_intern(other, SERVGAP_KIND_TOUCHPOINT, "email", &id), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(other, SERVGAP_KIND_TEAM, "night", &id), SERVGAP_OK);
    size_t mine, theirs;
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, &mine), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_json(other, r, NULL, 0, &theirs), SERVGAP_OK);
    ck_assert_uint_eq(mine, theirs);
    servgap_ctx_free(other);

    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Streaming                                                               */
/* ---------------------------------------------------------------------- */

/* A write function that keeps what it gets and can be told to fail. */
typedef struct pieces {
    char *all;
    size_t len, cap, calls, largest;
    size_t fail_at; /* the call that returns nonzero (0: none) */
} pieces;

static int32_t keep_piece(void *user, const char *data, size_t len)
{
    pieces *p = user;
    p->calls++;
    if (p->calls == p->fail_at)
        return 1;
    ck_assert_uint_gt(len, 0);
    if (p->len + len > p->cap) {
        p->cap = 2 * (p->len + len);
        p->all = realloc(p->all, p->cap);
        ck_assert_ptr_nonnull(p->all);
    }
    memcpy(p->all + p->len, data, len);
    p->len += len;
    p->largest = len > p->largest ? len : p->largest;
    return 0;
}

/* Two hundred accounts with three touchpoints: a report of several
 * 64 KiB pieces. */
static servgap_ctx *wide_ctx(void)
{
    servgap_ctx *ctx = new_ctx();
    char name[32];
    int32_t tp[3], id;
    const char *tps[3] = {"email", "phone", "chat"};
    for (int t = 0; t < 3; t++)
        ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, tps[t], &tp[t]), SERVGAP_OK);
    for (int a = 0; a < 200; a++) {
        snprintf(name, sizeof name, "account-%03d", a);
        ck_assert_int_eq(servgap_account_define(ctx, name, a % 2 ? "gold" : "silver", a, &id),
                         SERVGAP_OK);
        for (int k = 0; k < 12; k++)
            record(ctx, SERVGAP_SCOPE_ACCOUNT, id, tp[k % 3], k % SERVGAP_DIM_COUNT,
                   k % 2 ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_EXPECTED, 1.0 + (a * 7 + k) % 7,
                   SERVGAP_NONE);
    }
    return ctx;
}

START_TEST(stream_equals_buffer)
{
    servgap_ctx *ctx = wide_ctx();
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    size_t n, len = 0;
    char *whole = report(ctx, r, &n);
    ck_assert_uint_gt(n, 3 * 65536);
    pieces p = {0};
    ck_assert_int_eq(servgap_result_json_stream(ctx, r, keep_piece, &p, &len), SERVGAP_OK);
    ck_assert_uint_eq(len, n);
    ck_assert_uint_eq(p.len, n);
    ck_assert_int_eq(memcmp(p.all, whole, n), 0); /* the same bytes, without the NUL */
    ck_assert_uint_ge(p.calls, n / 65536);
    ck_assert_uint_le(p.largest, 65536);
    free(p.all);
    free(whole);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(stream_stops_when_write_fails)
{
    servgap_ctx *ctx = wide_ctx();
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    size_t len = 0;
    pieces p = {.fail_at = 3};
    expect_fail(ctx, servgap_result_json_stream(ctx, r, keep_piece, &p, &len), SERVGAP_EIO,
                "write returned nonzero");
    ck_assert_uint_eq(p.calls, 3); /* not called again */
    ck_assert_uint_eq(len, p.len); /* what it accepted: the first two pieces */
    ck_assert_uint_gt(len, 65536);
    ck_assert_uint_le(len, 2 * 65536);
    free(p.all);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(stream_error_paths)
{
    servgap_ctx *ctx = tiny_ctx("email");
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    pieces p = {0};
    size_t len = 99;
    ck_assert_int_eq(servgap_result_json_stream(NULL, r, keep_piece, &p, &len), SERVGAP_EMISUSE);
    expect_fail(ctx, servgap_result_json_stream(ctx, NULL, keep_piece, &p, &len), SERVGAP_EMISUSE,
                "r");
    expect_fail(ctx, servgap_result_json_stream(ctx, r, NULL, &p, &len), SERVGAP_EMISUSE, "write");
    expect_fail(ctx, servgap_result_json_stream(ctx, r, keep_piece, &p, NULL), SERVGAP_EMISUSE,
                "len");
    ck_assert_uint_eq(p.calls, 0);
    ck_assert_uint_eq(len, 99);
    /* A handle without the names: the report is written, with null where
     * a name was unknown, and refused. */
    servgap_ctx *other = new_ctx();
    expect_fail(other, servgap_result_json_stream(other, r, keep_piece, &p, &len),
                SERVGAP_ENOTFOUND, "unknown");
    ck_assert_uint_eq(len, p.len);
    ck_assert_uint_gt(p.len, 0);
    servgap_ctx_free(other);
    free(p.all);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* Streaming takes one 64 KiB buffer from the handle's allocator. */
START_TEST(stream_out_of_memory)
{
    gate g = {0, 0};
    servgap_allocator a = {sizeof a, gate_malloc, gate_realloc, gate_free, &g};
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    servgap_result *r = query(ctx, SERVGAP_QUERY_ALL);
    pieces p = {0};
    size_t len = 99;
    g.closed = 1;
    expect_fail(ctx, servgap_result_json_stream(ctx, r, keep_piece, &p, &len), SERVGAP_ENOMEM,
                "out of memory");
    ck_assert_uint_eq(p.calls, 0);
    ck_assert_uint_eq(len, 99);
    g.closed = 0;
    ck_assert_int_eq(servgap_result_json_stream(ctx, r, keep_piece, &p, &len), SERVGAP_OK);
    ck_assert_uint_eq(len, p.len);
    free(p.all);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* A root cause and its member, worked by hand                             */
/* ---------------------------------------------------------------------- */

/* Tier gold's standard for reliability is 5 (any touchpoint); acme (in
 * gold, value 1000, the only account) was delivered 2 at email. Both
 * sides are single values, so the delivery gap 2 - 5 = -3 (normalized
 * -0.5) is exact and significant in the tier's cell (cell 0: tiers first)
 * and in acme's (cell 4, after the tier's four), which reads the standard
 * from its tier. Each: s 0.5, v 1, f 1, impact 100 * 0.5^(1/3), effort 4
 * (delivery), priority impact / 4, a major project; the data of January 1
 * fall in the second of the three windows before February 1. acme's
 * finding repeats the tier's: the tier's is the root (rank 1) of a group
 * of one account worth 1000, and acme's follows it with root 1. */
START_TEST(priorities_root_and_member)
{
    servgap_ctx *ctx = new_ctx();
    int32_t acme, gold, email;
    ck_assert_int_eq(servgap_account_define(ctx, "acme", "gold", 1000.0, &acme), SERVGAP_OK);
    ck_assert_int_eq(servgap_lookup(ctx, SERVGAP_KIND_TIER, "gold", &gold), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &email), SERVGAP_OK);
    record(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_ANY, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_STANDARD,
           5.0, SERVGAP_NONE);
    record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, email, SERVGAP_DIM_RELIABILITY, SERVGAP_VP_DELIVERED,
           2.0, SERVGAP_NONE);
    servgap_result *r =
        query(ctx, SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS | SERVGAP_QUERY_PRIORITIES);
    char *json = report(ctx, r, NULL);
    const char *from = strstr(json, "\"priorities\":"), *to = strstr(json, ",\"ipa\":");
    ck_assert(from && to && from < to);
    json[to - json] = '\0';
    /* clang-format off */
#define FINDING(rank, cell, scope, group) \
    "{\"rank\":" rank ",\"cell\":" cell ",\"scope\":" scope ",\"touchpoint\":\"email\"," \
    "\"metric\":\"reliability\",\"dimension\":\"reliability\",\"gap\":\"delivery\"," \
    "\"value\":-3,\"normalized\":-0.5,\"impact\":79.37005259840998,\"effort\":4," \
    "\"priority\":19.842513149602496,\"quadrant\":\"major_project\",\"size_term\":0.5," \
    "\"value_share\":1,\"frequency\":1,\"affected_value\":1000," \
    "\"affected_accounts\":[\"acme\"],\"persistent\":false,\"windows\":1," \
    "\"no_standard\":false," group "}"
    assert_same_text(from, "\"priorities\":["
                     FINDING("1", "0", "\"tier:gold\"",
                             "\"root\":null,\"members\":1,\"members_value\":1000") ","
                     FINDING("2", "4", "\"account:acme\"",
                             "\"root\":1,\"members\":0,\"members_value\":0") "]");
#undef FINDING
    /* clang-format on */
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(empty_result)
{
    /* No observations, unbounded window: every table empty, window null. */
    servgap_ctx *ctx = new_ctx();
    servgap_result *r = NULL;
    ck_assert_int_eq(
        servgap_query_at(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, JAN_2026, SERVGAP_QUERY_ALL, &r),
        SERVGAP_OK);
    char *json = report(ctx, r, NULL);
    ck_assert_str_eq(json, "{\"version\":{\"library\":\"" SERVGAP_VERSION_STRING
                           "\",\"schema\":1},\"window\":{\"from\":null,\"to\":null},"
                           "\"now\":\"2026-01-01\",\"metrics\":[],\"cells\":[],\"servqual\":[],"
                           "\"breakdowns\":[],\"priorities\":[],\"ipa\":[],\"triggers\":[],"
                           "\"risk\":[],\"auc\":{\"value\":null,\"churned\":0,\"retained\":0},"
                           "\"trends\":[],\"plans\":[]}\n");
    free(json);
    servgap_result_free(r);
    servgap_ctx_free(ctx);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json");
    TCase *t = tcase_create("report");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, tiny_exact_bytes);
    tcase_add_test(t, size_query_protocol);
    tcase_add_test(t, too_small_buffer_untouched);
    tcase_add_test(t, names_are_escaped);
    tcase_add_test(t, nan_is_null);
    tcase_add_test(t, numbers_round_trip);
    tcase_add_test(t, random_doubles_round_trip);
    tcase_add_test(t, short_forms);
    tcase_add_test(t, locale_independent);
    tcase_add_test(t, deterministic);
    tcase_add_test(t, no_allocation);
    tcase_add_test(t, error_paths);
    tcase_add_test(t, empty_result);
    tcase_add_test(t, priorities_root_and_member);
    tcase_add_test(t, stream_equals_buffer);
    tcase_add_test(t, stream_stops_when_write_fails);
    tcase_add_test(t, stream_error_paths);
    tcase_add_test(t, stream_out_of_memory);
    suite_add_tcase(s, t);
    return run_suite(s);
}
