/*
 * test_snapshot -- snapshots through the public API only: a save and load
 * restores the handle (bytes and every query result identical), loading
 * two snapshots equals one handle fed both data sets, buffers equal files,
 * and damaged input -- every truncation, every flipped bit, re-sealed
 * payloads with bad fields, foreign and empty files -- is rejected with
 * SERVGAP_ECORRUPT and leaves the target unchanged. The format facts used
 * here (header fields, section framing, CRC-32C) come from
 * docs/formats.md, "Snapshots"; the CRC is recomputed here bit by bit.
 */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, opendir */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define T0  ((int64_t)1767225600) /* 2026-01-01 */
#define DAY ((int64_t)86400)

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

#define OK(call)                                                                                   \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        ck_assert_msg(rc_ == SERVGAP_OK, "%s: %d %s", #call, rc_, servgap_errmsg(ctx));            \
    } while (0)

typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

/* The handle's snapshot, through a size query; a handle that grew
 * meanwhile (another thread) reports the new size with EBUFSIZE. */
static bytes snap(servgap_ctx *ctx)
{
    bytes b = {NULL, 0};
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &b.n), SERVGAP_OK);
    for (;;) {
        b.p = malloc(b.n);
        ck_assert_ptr_nonnull(b.p);
        size_t n2 = 0;
        int rc = servgap_snapshot_write(ctx, b.p, b.n, &n2);
        if (rc == SERVGAP_OK) {
            ck_assert_uint_eq(n2, b.n);
            return b;
        }
        ck_assert_int_eq(rc, SERVGAP_EBUFSIZE);
        ck_assert_uint_gt(n2, b.n);
        free(b.p);
        b.n = n2;
    }
}

static int same_bytes(bytes a, bytes b)
{
    return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static void assert_snap_is(servgap_ctx *ctx, bytes want)
{
    bytes now = snap(ctx);
    ck_assert_msg(same_bytes(now, want), "snapshot changed: %zu bytes, expected %zu", now.n,
                  want.n);
    free(now.p);
}

static int32_t plan_count(servgap_ctx *ctx)
{
    int32_t n = -1;
    ck_assert_int_eq(servgap_plan_count(ctx, &n), SERVGAP_OK);
    return n;
}

static uint64_t rng = 1;

static double uniform(void)
{
    rng = rng * 6364136223846793005u + 1442695040888963407u;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static int32_t intern(servgap_ctx *ctx, int32_t kind, const char *name)
{
    int32_t id = -1;
    OK(servgap_intern(ctx, kind, name, &id));
    return id;
}

static int32_t metric(servgap_ctx *ctx, const char *name, int32_t dim, int32_t dir, double min,
                      double max, double span, const char *unit)
{
    int32_t id = -1;
    OK(servgap_metric_define(ctx, name, dim, dir, min, max, span, unit, &id));
    return id;
}

static int32_t plan(servgap_ctx *ctx, const char *owner, int32_t kind, int32_t scope, int32_t tp,
                    int32_t m, int32_t dim, int32_t gap, int64_t deadline, double target)
{
    servgap_plan p = {sizeof p, owner,  kind, scope, tp, m, dim, gap,
                      deadline, target, 0,    0,     0,  0, 0};
    int32_t id = -1;
    OK(servgap_plan_add(ctx, &p, &id));
    return id;
}

/* Observations of the accounts acc[0..na) (and tier 0), touchpoints
 * tps[0..ntp) and the given metrics, every viewpoint, with teams and
 * drivers; values inside the Likert 1..7 range (the caller passes Likert
 * metrics only). */
static void record_random(servgap_ctx *ctx, int n, const int32_t *acc, int32_t na,
                          const int32_t *tps, int32_t ntp, const int32_t *metrics, int nm,
                          int32_t team)
{
    for (int i = 0; i < n; i++) {
        int32_t kind = i % 11 == 0 ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT;
        int32_t scope = kind == SERVGAP_SCOPE_TIER ? 0 : acc[i % na];
        int32_t tp = i % 13 == 0 ? SERVGAP_ANY : tps[i % ntp];
        double v = 1.0 + 6.0 * uniform();
        int64_t t = T0 + (int64_t)(i % 90) * DAY + (i % 7) * 3600 - 40 * DAY;
        OK(servgap_record(ctx, kind, scope, tp, metrics[i % nm], (i / 3) % SERVGAP_VP_COUNT, v, t,
                          i % 5 == 0 ? team : SERVGAP_NONE, i % 5));
    }
}

/* Paired responses, half with importance points, some with adequate. */
static void record_responses(servgap_ctx *ctx, int n, const int32_t *acc, int32_t na, int32_t tp)
{
    const int32_t items[5] = {0, 1, 2, 3, 4};
    for (int i = 0; i < n; i++) {
        double e[5], a[5], p[5];
        for (int k = 0; k < 5; k++) {
            e[k] = 1.0 + (double)((i + 2 * k) % 7);
            a[k] = (i + k) % 3 == 0 ? NAN : 1.0 + (double)((i + k) % 4);
            p[k] = k == 4 && i % 4 == 0 ? NAN : 1.0 + (double)((3 * i + k) % 7);
        }
        const double pts[5] = {10, 30, 25, 20 - (i % 5), 15 + (i % 5)};
        OK(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, acc[i % na], tp,
                                   T0 + (int64_t)(i % 60) * DAY, SERVGAP_NONE, i % 5, 5, items, e,
                                   i % 2 ? a : NULL, p, i % 2 ? NULL : pts));
    }
}

/* Everything a snapshot holds, with UTF-8 names, units, unbounded ranges,
 * all account attributes, importance, paired responses, efforts, plans. */
static void build_rich(servgap_ctx *ctx, int nobs)
{
    int32_t ent = intern(ctx, SERVGAP_KIND_TIER, "enterprise");
    intern(ctx, SERVGAP_KIND_TIER, "mid-market");
    int32_t email = intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email");
    int32_t chat = intern(ctx, SERVGAP_KIND_TOUCHPOINT, "chat");
    int32_t phone = intern(ctx, SERVGAP_KIND_TOUCHPOINT, "t\xc3\xa9l\xc3\xa9phone");
    int32_t squad = intern(ctx, SERVGAP_KIND_TEAM, "squad \xe2\x98\x85");
    int32_t frt = metric(ctx, "frt", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER, 0,
                         INFINITY, 24, "h");
    int32_t drift = metric(ctx, "drift", SERVGAP_DIM_RELIABILITY, SERVGAP_HIGHER_IS_BETTER,
                           -INFINITY, INFINITY, 10,
                           "\xc2\xb0"
                           "C");
    metric(ctx, "csat", SERVGAP_DIM_EMPATHY, SERVGAP_HIGHER_IS_BETTER, 1, 5, 0, "");
    int32_t acme = account(ctx, "acme", "enterprise", 120000);
    int32_t globex = account(ctx, "globex", "mid-market", 30000);
    int32_t loner = account(ctx, "loner \xf0\x9f\x98\x80", NULL, 0);
    OK(servgap_account_set_health(ctx, acme, 42.5));
    OK(servgap_account_set_flag(ctx, acme, SERVGAP_ACCOUNT_AT_RISK, 1));
    OK(servgap_account_set_flag(ctx, globex, SERVGAP_ACCOUNT_CHURNED, 1));
    OK(servgap_account_set_date(ctx, acme, SERVGAP_ACCOUNT_RENEWAL, T0 + 100 * DAY));
    OK(servgap_account_set_date(ctx, globex, SERVGAP_ACCOUNT_MIGRATION, T0 - 20 * DAY));
    OK(servgap_account_set_health(ctx, loner, NAN));
    const double cust[5] = {10, 30, 25, 20, 15}, prov[5] = {20, 20, 20, 20, 20};
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, acme, SERVGAP_WHOSE_CUSTOMER, cust));
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, ent, SERVGAP_WHOSE_PROVIDER, prov));
    const int32_t likert[5] = {0, 1, 2, 3, 4};
    const int32_t accs[3] = {acme, globex, loner}, tps[3] = {email, chat, phone};
    record_random(ctx, nobs, accs, 3, tps, 3, likert, 5, squad);
    record_responses(ctx, nobs / 10 + 1, accs, 2, email);
    OK(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, chat, frt, SERVGAP_VP_DELIVERED, 3.5,
                      T0 + 3 * DAY, squad, 0));
    OK(servgap_record(ctx, SERVGAP_SCOPE_TIER, ent, chat, frt, SERVGAP_VP_STANDARD, 4, T0, -1, 0));
    OK(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, globex, email, drift, SERVGAP_VP_PERCEIVED, -1e9,
                      T0 - 400 * DAY, -1, 0));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, SERVGAP_ALL, SERVGAP_ALL, 4.5));
    OK(servgap_effort_set(ctx, SERVGAP_ALL, chat, frt, 1.25));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_KNOWLEDGE, email, SERVGAP_ALL, 2));
    plan(ctx, "Dana \xc3\x98", SERVGAP_SCOPE_ACCOUNT, acme, email, 1, 0, SERVGAP_GAP_SERVICE,
         T0 + 30 * DAY, -0.25);
    plan(ctx, "ops", SERVGAP_SCOPE_TIER, ent, SERVGAP_ALL, SERVGAP_ALL, SERVGAP_DIM_EMPATHY,
         SERVGAP_GAP_DELIVERY, T0 + 60 * DAY, 0);
    plan(ctx, "Dana \xc3\x98", SERVGAP_SCOPE_ACCOUNT, globex, chat, frt, 0, SERVGAP_GAP_DELIVERY,
         T0 + 90 * DAY, -1);
}

/* Marks plan 0 re-measured, so that its output fields travel too. */
static void remeasure_first_plan(servgap_ctx *ctx)
{
    servgap_remeasure out = {.size = sizeof out};
    OK(servgap_plan_remeasure(ctx, 0, T0 - 40 * DAY, T0, T0, T0 + 50 * DAY, &out));
    servgap_plan p = {.size = sizeof p};
    OK(servgap_plan_info(ctx, 0, &p));
    ck_assert_int_ne(p.next_check, SERVGAP_TIME_NONE);
}

/* ---------------------------------------------------------------------- */
/* Independent format knowledge: CRC-32C and the section framing            */
/* ---------------------------------------------------------------------- */

static uint32_t crc32c(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

typedef struct section {
    char tag[5];
    size_t head, payload;
    uint64_t len;
} section;

/* Walks the section headers; returns how many (at most max). */
static int sections_of(bytes b, section *out, int max)
{
    ck_assert_uint_ge(b.n, 32);
    uint32_t n = get32(b.p + 24);
    size_t at = 32;
    int k = 0;
    for (uint32_t s = 0; s < n && k < max; s++, k++) {
        memcpy(out[k].tag, b.p + at, 4);
        out[k].tag[4] = '\0';
        out[k].head = at;
        out[k].len = get64(b.p + at + 8);
        out[k].payload = at + 24;
        at = out[k].payload + (size_t)out[k].len;
    }
    return k;
}

static section find_section(bytes b, const char *tag)
{
    section s[32];
    int n = sections_of(b, s, 32);
    for (int k = 0; k < n; k++)
        if (strcmp(s[k].tag, tag) == 0)
            return s[k];
    ck_abort_msg("no section %s", tag);
    return s[0];
}

/* Recomputes every checksum and the total length after an edit. */
static void reseal(bytes b)
{
    section s[32];
    int n = sections_of(b, s, 32);
    for (int k = 0; k < n; k++) {
        uint32_t c = crc32c(0, b.p + s[k].head, 16);
        c = crc32c(c, b.p + s[k].payload, (size_t)s[k].len);
        put32(b.p + s[k].head + 16, c);
    }
    put64(b.p + 16, b.n);
    put32(b.p + 28, crc32c(0, b.p, 28));
}

static bytes copy_bytes(const unsigned char *p, size_t n)
{
    bytes b = {malloc(n ? n : 1), n};
    ck_assert_ptr_nonnull(b.p);
    memcpy(b.p, p, n);
    return b;
}

/* b followed by extra zero bytes. */
static bytes grown(bytes b, size_t extra)
{
    bytes c = {calloc(b.n + extra, 1), b.n + extra};
    ck_assert_ptr_nonnull(c.p);
    memcpy(c.p, b.p, b.n);
    return c;
}

/* b with the payload of section sec cut to keep bytes, re-sealed. */
static bytes cut_section(bytes b, section sec, size_t keep)
{
    size_t drop = (size_t)sec.len - keep;
    bytes c = copy_bytes(b.p, b.n - drop);
    memcpy(c.p + sec.payload + keep, b.p + sec.payload + sec.len,
           b.n - sec.payload - (size_t)sec.len);
    put64(c.p + sec.head + 8, keep);
    reseal(c);
    return c;
}

/* ---------------------------------------------------------------------- */
/* Comparing query results bit for bit                                     */
/* ---------------------------------------------------------------------- */

static void same_struct(const void *a, const void *b, size_t n, const char *what, size_t i)
{
    ck_assert_msg(memcmp(a, b, n) == 0, "%s %zu differs", what, i);
}

static void compare_cells(servgap_result *x, servgap_result *y)
{
    size_t n = servgap_result_count(x, SERVGAP_TABLE_CELLS);
    ck_assert_uint_gt(n, 10);
    ck_assert_uint_eq(n, servgap_result_count(y, SERVGAP_TABLE_CELLS));
    for (size_t i = 0; i < n; i++) {
        servgap_cell a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        a.size = b.size = sizeof a;
        ck_assert_int_eq(servgap_result_cell(x, i, &a), SERVGAP_OK);
        ck_assert_int_eq(servgap_result_cell(y, i, &b), SERVGAP_OK);
        same_struct(&a, &b, sizeof a, "cell", i);
        for (int gap = 0; gap < SERVGAP_GAP_COUNT; gap++) {
            servgap_gap g, h;
            memset(&g, 0, sizeof g);
            memset(&h, 0, sizeof h);
            g.size = h.size = sizeof g;
            ck_assert_int_eq(servgap_result_gap(x, i, gap, &g), SERVGAP_OK);
            ck_assert_int_eq(servgap_result_gap(y, i, gap, &h), SERVGAP_OK);
            same_struct(&g, &h, sizeof g, "gap of cell", i);
        }
    }
}

#define COMPARE_TABLE(x, y, table, type, fn)                                                       \
    do {                                                                                           \
        size_t n_ = servgap_result_count(x, table);                                                \
        ck_assert_uint_eq(n_, servgap_result_count(y, table));                                     \
        for (size_t i_ = 0; i_ < n_; i_++) {                                                       \
            type a_, b_;                                                                           \
            memset(&a_, 0, sizeof a_);                                                             \
            memset(&b_, 0, sizeof b_);                                                             \
            a_.size = b_.size = sizeof a_;                                                         \
            ck_assert_int_eq(fn(x, i_, &a_), SERVGAP_OK);                                          \
            ck_assert_int_eq(fn(y, i_, &b_), SERVGAP_OK);                                          \
            same_struct(&a_, &b_, sizeof a_, #type, i_);                                           \
        }                                                                                          \
    } while (0)

static void compare_triggers(servgap_result *x, servgap_result *y)
{
    size_t n = servgap_result_count(x, SERVGAP_TABLE_TRIGGERS);
    ck_assert_uint_eq(n, servgap_result_count(y, SERVGAP_TABLE_TRIGGERS));
    for (size_t i = 0; i < n; i++) {
        servgap_trigger a, b;
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        a.size = b.size = sizeof a;
        ck_assert_int_eq(servgap_result_trigger(x, i, &a), SERVGAP_OK);
        ck_assert_int_eq(servgap_result_trigger(y, i, &b), SERVGAP_OK);
        ck_assert_str_eq(a.detail ? a.detail : "", b.detail ? b.detail : "");
        a.detail = b.detail = NULL;
        same_struct(&a, &b, sizeof a, "trigger", i);
    }
}

static void compare_json(servgap_ctx *cx, servgap_result *x, servgap_ctx *cy, servgap_result *y)
{
    size_t nx = 0, ny = 0;
    ck_assert_int_eq(servgap_result_json(cx, x, NULL, 0, &nx), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_json(cy, y, NULL, 0, &ny), SERVGAP_OK);
    ck_assert_uint_eq(nx, ny);
    char *a = malloc(nx + 1), *b = malloc(ny + 1);
    ck_assert_int_eq(servgap_result_json(cx, x, a, nx + 1, &nx), SERVGAP_OK);
    ck_assert_int_eq(servgap_result_json(cy, y, b, ny + 1, &ny), SERVGAP_OK);
    ck_assert_msg(strcmp(a, b) == 0, "JSON reports differ");
    free(a);
    free(b);
}

/* Every table of one full query, and the JSON report, bit for bit. */
static void compare_queries(servgap_ctx *cx, servgap_ctx *cy, int64_t from, int64_t to)
{
    servgap_result *x = NULL, *y = NULL;
    ck_assert_int_eq(servgap_query(cx, from, to, 0, &x), SERVGAP_OK);
    ck_assert_int_eq(servgap_query(cy, from, to, 0, &y), SERVGAP_OK);
    compare_cells(x, y);
    COMPARE_TABLE(x, y, SERVGAP_TABLE_SERVQUAL, servgap_servqual, servgap_result_servqual);
    COMPARE_TABLE(x, y, SERVGAP_TABLE_BREAKDOWN, servgap_breakdown, servgap_result_breakdown);
    COMPARE_TABLE(x, y, SERVGAP_TABLE_FINDINGS, servgap_finding, servgap_result_finding);
    COMPARE_TABLE(x, y, SERVGAP_TABLE_IPA, servgap_ipa, servgap_result_ipa);
    COMPARE_TABLE(x, y, SERVGAP_TABLE_RISK, servgap_risk, servgap_result_risk);
    compare_triggers(x, y);
    compare_json(cx, x, cy, y);
    servgap_result_free(x);
    servgap_result_free(y);
}

/* Names, definitions, attributes, plans and efforts through the getters. */
static void compare_registries(servgap_ctx *x, servgap_ctx *y)
{
    const int32_t kinds[5] = {SERVGAP_KIND_TIER, SERVGAP_KIND_TOUCHPOINT, SERVGAP_KIND_TEAM,
                              SERVGAP_KIND_ACCOUNT, SERVGAP_KIND_METRIC};
    for (int k = 0; k < 5; k++) {
        int32_t n = kind_count(x, kinds[k]);
        ck_assert_int_eq(n, kind_count(y, kinds[k]));
        for (int32_t i = 0; i < n; i++) {
            const char *a = NULL, *b = NULL;
            ck_assert_int_eq(servgap_name(x, kinds[k], i, &a), SERVGAP_OK);
            ck_assert_int_eq(servgap_name(y, kinds[k], i, &b), SERVGAP_OK);
            ck_assert_str_eq(a, b);
        }
    }
    for (int32_t i = 0; i < kind_count(x, SERVGAP_KIND_METRIC); i++) {
        servgap_metric a = {.size = sizeof a}, b = {.size = sizeof b};
        ck_assert_int_eq(servgap_metric_info(x, i, &a), SERVGAP_OK);
        ck_assert_int_eq(servgap_metric_info(y, i, &b), SERVGAP_OK);
        ck_assert_str_eq(a.unit, b.unit);
        ck_assert(a.dimension == b.dimension && a.direction == b.direction);
        ck_assert(memcmp(&a.min, &b.min, 3 * sizeof(double)) == 0);
    }
    for (int32_t i = 0; i < kind_count(x, SERVGAP_KIND_ACCOUNT); i++) {
        servgap_account a = {.size = sizeof a}, b = {.size = sizeof b};
        ck_assert_int_eq(servgap_account_info(x, i, &a), SERVGAP_OK);
        ck_assert_int_eq(servgap_account_info(y, i, &b), SERVGAP_OK);
        ck_assert(a.tier == b.tier && a.at_risk == b.at_risk && a.churned == b.churned);
        ck_assert(a.value == b.value && a.renewal == b.renewal && a.migration == b.migration);
        ck_assert(a.health == b.health || (isnan(a.health) && isnan(b.health)));
    }
    ck_assert_int_eq(plan_count(x), plan_count(y));
    for (int32_t i = 0; i < plan_count(x); i++) {
        servgap_plan a = {.size = sizeof a}, b = {.size = sizeof b};
        ck_assert_int_eq(servgap_plan_info(x, i, &a), SERVGAP_OK);
        ck_assert_int_eq(servgap_plan_info(y, i, &b), SERVGAP_OK);
        ck_assert_str_eq(a.owner, b.owner);
        a.owner = b.owner = NULL;
        ck_assert(memcmp(&a, &b, sizeof a) == 0);
    }
    for (int32_t gap = 0; gap < SERVGAP_GAP_COUNT; gap++)
        for (int32_t tp = -2; tp < kind_count(x, SERVGAP_KIND_TOUCHPOINT); tp++)
            for (int32_t m = -2; m < kind_count(x, SERVGAP_KIND_METRIC); m++) {
                double a = 0, b = 0;
                if (tp == -1 || m == -1)
                    continue;
                ck_assert_int_eq(servgap_effort_get(x, gap, tp, m, &a), SERVGAP_OK);
                ck_assert_int_eq(servgap_effort_get(y, gap, tp, m, &b), SERVGAP_OK);
                ck_assert(a == b);
            }
    ck_assert_uint_eq(obs_count(x), obs_count(y));
}

/* ---------------------------------------------------------------------- */
/* Round trips                                                             */
/* ---------------------------------------------------------------------- */

START_TEST(test_roundtrip_bytes_and_queries)
{
    servgap_ctx *a = new_ctx(), *ctx = a;
    rng = 11;
    build_rich(a, 3000);
    remeasure_first_plan(a);
    bytes s1 = snap(a);
    ck_assert_int_eq(memcmp(s1.p, "SRVGAPSN", 8), 0);
    servgap_ctx *b = new_ctx();
    ctx = b;
    OK(servgap_snapshot_load_buffer(b, s1.p, s1.n));
    bytes s2 = snap(b);
    ck_assert_msg(same_bytes(s1, s2), "save -> load -> save differs");
    compare_registries(a, b);
    compare_queries(a, b, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    compare_queries(a, b, T0, T0 + 30 * DAY);
    /* Determinism: writing again gives the same bytes. */
    assert_snap_is(a, s1);
    free(s1.p);
    free(s2.p);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
}
END_TEST

/* More than one store chunk (65,536 rows) on both sides. */
START_TEST(test_roundtrip_many_chunks)
{
    servgap_ctx *a = new_ctx(), *ctx = a;
    rng = 5;
    build_rich(a, 150000);
    bytes s1 = snap(a);
    servgap_ctx *b = new_ctx();
    ctx = b;
    OK(servgap_snapshot_load_buffer(b, s1.p, s1.n));
    ck_assert_uint_eq(obs_count(b), obs_count(a));
    ck_assert_uint_gt(obs_count(b), 2 * 65536);
    assert_snap_is(b, s1);
    compare_queries(a, b, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    free(s1.p);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
}
END_TEST

/* A snapshot is 25 bytes per observation plus a fixed frame. */
START_TEST(test_size_per_observation)
{
    servgap_ctx *a = new_ctx(), *b = new_ctx(), *ctx = a;
    int32_t acct = account(a, "acme", "gold", 1);
    bytes s0 = snap(a);
    for (int i = 0; i < 100000; i++)
        OK(servgap_record(a, SERVGAP_SCOPE_ACCOUNT, acct, SERVGAP_ANY, i % 5, i % 7, 1 + i % 7,
                          T0 + i, SERVGAP_NONE, 0));
    bytes s1 = snap(a);
    ck_assert_uint_eq(s1.n - s0.n, 100000u * 25u);
    /* Empty handle: header 32, ten section headers 240, ten u64 counts 80,
     * five built-in metrics 5 * (1 + 4 + 4 + 24 + 4) + 50 name bytes. */
    bytes e = snap(b);
    ck_assert_uint_eq(e.n, 587);
    free(s0.p);
    free(s1.p);
    free(e.p);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
}
END_TEST

/* Responses gathered by the CSV importer round-trip like recorded ones. */
START_TEST(test_roundtrip_csv_import)
{
    const char *csv = "time,account,tier,touchpoint,metric,viewpoint,value,respondent,driver\n"
                      "2026-01-02,acme,gold,email,reliability,expected,7,r1,word_of_mouth\n"
                      "2026-01-02,acme,gold,email,reliability,perceived,5,r1,word_of_mouth\n"
                      "2026-01-02,acme,gold,email,empathy,adequate,3,r1,word_of_mouth\n"
                      "2026-01-02,acme,gold,email,tangibles,importance,20,r1,word_of_mouth\n"
                      "2026-01-02,acme,gold,email,reliability,importance,30,r1,word_of_mouth\n"
                      "2026-01-02,acme,gold,email,responsiveness,importance,20,r1,word_of_mouth\n"
                      "2026-01-02,acme,gold,email,assurance,importance,15,r1,word_of_mouth\n"
                      "2026-01-02,acme,gold,email,empathy,importance,15,r1,word_of_mouth\n"
                      "2026-01-03,beta,gold,chat,empathy,perceived,6,,\n"
                      "2026-01-04,beta,gold,chat,empathy,expected,6,r2,\n"
                      "2026-01-04,beta,gold,chat,empathy,perceived,2,r2,\n";
    servgap_ctx *a = new_ctx(), *b = new_ctx(), *ctx = a;
    OK(servgap_import_csv_buffer(a, SERVGAP_CSV_OBSERVATIONS, "obs.csv", csv, strlen(csv), 0,
                                 NULL));
    ck_assert_uint_eq(obs_count(a), 6);
    bytes s = snap(a);
    ctx = b;
    OK(servgap_snapshot_load_buffer(b, s.p, s.n));
    assert_snap_is(b, s);
    compare_queries(a, b, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    free(s.p);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
}
END_TEST

START_TEST(test_same_state_same_bytes)
{
    servgap_ctx *a = new_ctx(), *b = new_ctx(), *ctx = a;
    rng = 3;
    build_rich(a, 500);
    ctx = b;
    rng = 3;
    build_rich(b, 500);
    /* A NaN health of another bit pattern is the same state. */
    OK(servgap_account_set_health(b, 2, -NAN));
    bytes x = snap(a), y = snap(b);
    ck_assert(same_bytes(x, y));
    free(x.p);
    free(y.p);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
}
END_TEST

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/servgap-snap-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Names in tmpdir other than . and .., comma-separated; their count. */
static int dir_entries(char *list, size_t cap)
{
    DIR *d = opendir(tmpdir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    list[0] = '\0';
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        strncat(list, e->d_name, cap - strlen(list) - 2);
        strcat(list, ",");
    }
    closedir(d);
    return n;
}

static void remove_tmpdir(void)
{
    DIR *d = opendir(tmpdir);
    char path[512];
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(tmpdir);
}

static bytes read_whole(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    bytes b = {malloc(1 << 20), 0};
    b.n = fread(b.p, 1, 1 << 20, f);
    ck_assert(feof(f));
    fclose(f);
    return b;
}

static void write_whole(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    fclose(f);
}

START_TEST(test_file_equals_buffer)
{
    make_tmpdir();
    char path[512], list[1024];
    snprintf(path, sizeof path, "%s/a.snap", tmpdir);
    servgap_ctx *a = new_ctx(), *ctx = a;
    rng = 17;
    build_rich(a, 2000);
    OK(servgap_snapshot_save(a, path));
    bytes file = read_whole(path), buf = snap(a);
    ck_assert_msg(same_bytes(file, buf), "file and buffer differ");
    /* Only the snapshot is left: no temporary files. */
    ck_assert_int_eq(dir_entries(list, sizeof list), 1);
    ck_assert_str_eq(list, "a.snap,");
    servgap_ctx *b = new_ctx();
    ctx = b;
    OK(servgap_snapshot_load(b, path));
    assert_snap_is(b, buf);
    /* Saving over an existing snapshot replaces it whole. */
    OK(servgap_record(b, SERVGAP_SCOPE_ACCOUNT, 0, 0, 1, SERVGAP_VP_PERCEIVED, 5, T0, -1, 0));
    OK(servgap_snapshot_save(b, path));
    bytes file2 = read_whole(path), buf2 = snap(b);
    ck_assert(same_bytes(file2, buf2));
    ck_assert_uint_eq(file2.n, file.n + 25);
    ck_assert_int_eq(dir_entries(list, sizeof list), 1);
    free(file.p);
    free(buf.p);
    free(file2.p);
    free(buf2.p);
    servgap_ctx_free(a);
    servgap_ctx_free(b);
    remove_tmpdir();
}
END_TEST

START_TEST(test_size_query_and_ebufsize)
{
    servgap_ctx *ctx = new_ctx();
    rng = 2;
    build_rich(ctx, 200);
    size_t n = 0;
    OK(servgap_snapshot_write(ctx, NULL, 0, &n));
    ck_assert_uint_gt(n, 200 * 25);
    unsigned char *buf = malloc(n + 16);
    memset(buf, 0xAB, n + 16);
    size_t got = 7;
    ck_assert_int_eq(servgap_snapshot_write(ctx, buf, n - 1, &got), SERVGAP_EBUFSIZE);
    ck_assert_uint_eq(got, n);
    ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_EBUFSIZE);
    for (size_t i = 0; i < n + 16; i++)
        ck_assert_uint_eq(buf[i], 0xAB);
    got = 7;
    ck_assert_int_eq(servgap_snapshot_write(ctx, buf, 1, &got), SERVGAP_EBUFSIZE);
    ck_assert_uint_eq(got, n);
    got = 0;
    OK(servgap_snapshot_write(ctx, buf, n + 16, &got));
    ck_assert_uint_eq(got, n);
    for (size_t i = n; i < n + 16; i++)
        ck_assert_uint_eq(buf[i], 0xAB); /* nothing past the snapshot */
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 5, &got), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_snapshot_write(ctx, buf, n, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_snapshot_write(NULL, buf, n, &got), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_snapshot_save(NULL, "x"), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_snapshot_save(ctx, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_snapshot_load(NULL, "x"), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_snapshot_load(ctx, NULL), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_snapshot_load_buffer(NULL, buf, n), SERVGAP_EMISUSE);
    ck_assert_int_eq(servgap_snapshot_load_buffer(ctx, NULL, 3), SERVGAP_EMISUSE);
    free(buf);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Merging                                                                 */
/* ---------------------------------------------------------------------- */

/* Data set 1 or 2. Shared names carry the same definitions; effort keys
 * and importance scopes differ, so feeding both in order is the merge. */
static void data_set(servgap_ctx *ctx, int which)
{
    int32_t gold = intern(ctx, SERVGAP_KIND_TIER, "gold");
    int32_t tp1 = intern(ctx, SERVGAP_KIND_TOUCHPOINT, which == 1 ? "email" : "chat");
    int32_t tp2 = intern(ctx, SERVGAP_KIND_TOUCHPOINT, which == 1 ? "chat" : "phone");
    int32_t team = intern(ctx, SERVGAP_KIND_TEAM, which == 1 ? "red" : "blue");
    int32_t frt = metric(ctx, "frt", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER, 0,
                         INFINITY, 24, "h");
    int32_t a = account(ctx, "shared", "gold", 500);
    int32_t b = account(ctx, which == 1 ? "only1" : "only2", which == 1 ? "gold" : "silver", 70);
    if (which == 1) {
        OK(servgap_account_set_health(ctx, a, 80));
        OK(servgap_account_set_date(ctx, a, SERVGAP_ACCOUNT_RENEWAL, T0 + 9 * DAY));
    } else {
        OK(servgap_account_set_flag(ctx, a, SERVGAP_ACCOUNT_AT_RISK, 1));
    }
    const double pts[5] = {20, 20, 20, 20, 20};
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_ACCOUNT, which == 1 ? a : b,
                              SERVGAP_WHOSE_CUSTOMER, pts));
    if (which == 2)
        OK(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, gold, SERVGAP_WHOSE_PROVIDER, pts));
    const int32_t likert[3] = {1, 2, 4};
    const int32_t accs[2] = {a, b}, tps[2] = {tp1, tp2};
    record_random(ctx, 700 * which, accs, 2, tps, 2, likert, 3, team);
    record_responses(ctx, 40, accs, 2, tp2);
    OK(servgap_record(ctx, SERVGAP_SCOPE_TIER, gold, tp1, frt, SERVGAP_VP_STANDARD, 4, T0, -1, 0));
    OK(servgap_effort_set(ctx, which == 1 ? SERVGAP_GAP_DELIVERY : SERVGAP_GAP_PERCEPTION, tp2,
                          SERVGAP_ALL, 1.5 * which));
    plan(ctx, which == 1 ? "ann" : "bob", SERVGAP_SCOPE_ACCOUNT, b, tp2, frt, 0,
         SERVGAP_GAP_DELIVERY, T0 + which * DAY, -0.5);
    plan(ctx, "ann", SERVGAP_SCOPE_TIER, gold, SERVGAP_ALL, SERVGAP_ALL, SERVGAP_DIM_EMPATHY,
         SERVGAP_GAP_SERVICE, T0, 0);
}

START_TEST(test_two_snapshots_merge_like_one_run)
{
    servgap_ctx *one = new_ctx(), *two = new_ctx(), *all = new_ctx(), *m = new_ctx();
    servgap_ctx *ctx = one;
    rng = 21;
    data_set(one, 1);
    rng = 22;
    ctx = two;
    data_set(two, 2);
    ctx = all;
    rng = 21;
    data_set(all, 1);
    rng = 22;
    data_set(all, 2);
    bytes s1 = snap(one), s2 = snap(two), want = snap(all);
    ctx = m;
    OK(servgap_snapshot_load_buffer(m, s1.p, s1.n));
    OK(servgap_snapshot_load_buffer(m, s2.p, s2.n));
    assert_snap_is(m, want);
    compare_queries(m, all, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    /* servgap_ctx_merge agrees with loading. */
    OK(servgap_ctx_merge(one, two));
    assert_snap_is(one, want);
    /* An effort both know keeps the target's value. */
    double e = 0;
    int32_t phone = -1;
    OK(servgap_lookup(m, SERVGAP_KIND_TOUCHPOINT, "phone", &phone));
    OK(servgap_effort_get(m, SERVGAP_GAP_PERCEPTION, phone, 0, &e));
    ck_assert(e == 3.0);
    OK(servgap_effort_set(m, SERVGAP_GAP_PERCEPTION, phone, SERVGAP_ALL, 9));
    OK(servgap_snapshot_load_buffer(m, s2.p, s2.n));
    OK(servgap_effort_get(m, SERVGAP_GAP_PERCEPTION, phone, 0, &e));
    ck_assert(e == 9.0);
    free(s1.p);
    free(s2.p);
    free(want.p);
    servgap_ctx_free(one);
    servgap_ctx_free(two);
    servgap_ctx_free(all);
    servgap_ctx_free(m);
}
END_TEST

START_TEST(test_load_into_live_handle_adds_up)
{
    servgap_ctx *src = new_ctx(), *ctx = src;
    rng = 4;
    build_rich(src, 400);
    bytes s = snap(src);
    servgap_ctx *live = new_ctx();
    ctx = live;
    account(live, "acme", "enterprise", 120000); /* shared */
    account(live, "zeta", NULL, 5);              /* its own */
    intern(live, SERVGAP_KIND_TOUCHPOINT, "sms");
    for (int i = 0; i < 30; i++)
        OK(servgap_record(live, SERVGAP_SCOPE_ACCOUNT, 1, 0, 2, SERVGAP_VP_EXPECTED, 6, T0 + i, -1,
                          0));
    plan(live, "zed", SERVGAP_SCOPE_ACCOUNT, 1, 0, 2, 0, SERVGAP_GAP_SERVICE, T0, 0);
    OK(servgap_snapshot_load_buffer(live, s.p, s.n));
    ck_assert_uint_eq(obs_count(live), 30 + obs_count(src));
    ck_assert_int_eq(kind_count(live, SERVGAP_KIND_ACCOUNT), 2 + 2); /* acme shared */
    ck_assert_int_eq(kind_count(live, SERVGAP_KIND_TOUCHPOINT), 1 + 3);
    ck_assert_int_eq(kind_count(live, SERVGAP_KIND_METRIC), 5 + 3);
    ck_assert_int_eq(plan_count(live), 1 + plan_count(src));
    servgap_plan p = {.size = sizeof p};
    OK(servgap_plan_info(live, 1, &p));
    ck_assert_str_eq(p.owner, "Dana \xc3\x98");
    ck_assert_int_eq(p.scope_id, 0);   /* acme: remapped by name */
    ck_assert_int_eq(p.touchpoint, 1); /* email after sms */
    free(s.p);
    servgap_ctx_free(src);
    servgap_ctx_free(live);
}
END_TEST

START_TEST(test_conflict_changes_nothing)
{
    servgap_ctx *src = new_ctx();
    rng = 8;
    build_rich(src, 100);
    bytes s = snap(src);
    servgap_ctx *dst = new_ctx();
    metric(dst, "frt", SERVGAP_DIM_RESPONSIVENESS, SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 48, "h");
    account(dst, "zeta", NULL, 5);
    bytes before = snap(dst);
    ck_assert_int_eq(servgap_snapshot_load_buffer(dst, s.p, s.n), SERVGAP_ECONFLICT);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(dst), "frt"));
    assert_snap_is(dst, before);
    free(s.p);
    free(before.p);
    servgap_ctx_free(src);
    servgap_ctx_free(dst);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Damaged input                                                           */
/* ---------------------------------------------------------------------- */

/* A small snapshot with every section non-empty. */
static bytes small_snapshot(void)
{
    servgap_ctx *ctx = new_ctx();
    int32_t t = intern(ctx, SERVGAP_KIND_TIER, "t");
    int32_t tp = intern(ctx, SERVGAP_KIND_TOUCHPOINT, "e");
    int32_t team = intern(ctx, SERVGAP_KIND_TEAM, "r");
    int32_t m = metric(ctx, "m", 0, SERVGAP_LOWER_IS_BETTER, 0, INFINITY, 2, "u");
    int32_t a = account(ctx, "a", "t", 3);
    OK(servgap_account_set_health(ctx, a, 50));
    const double pts[5] = {20, 20, 20, 20, 20};
    OK(servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, t, SERVGAP_WHOSE_CUSTOMER, pts));
    OK(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, m, SERVGAP_VP_DELIVERED, 1.5, T0, team,
                      0));
    const int32_t items[3] = {1, 2, 3};
    const double e[3] = {6, 5, 4}, p[3] = {4, NAN, NAN};
    OK(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, T0, -1, 1, 3, items, e, NULL, p,
                               pts));
    OK(servgap_effort_set(ctx, SERVGAP_GAP_DELIVERY, tp, SERVGAP_ALL, 2));
    plan(ctx, "o", SERVGAP_SCOPE_ACCOUNT, a, tp, 1, 0, SERVGAP_GAP_SERVICE, T0, 0);
    bytes b = snap(ctx);
    servgap_ctx_free(ctx);
    return b;
}

/* A target holding data, so that "unchanged" means something. */
static servgap_ctx *target_with_data(void)
{
    servgap_ctx *ctx = new_ctx();
    int32_t a = account(ctx, "keep", "gold", 9);
    for (int i = 0; i < 20; i++)
        OK(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, SERVGAP_ANY, 1, SERVGAP_VP_PERCEIVED,
                          1 + i % 7, T0 + i * DAY, -1, 0));
    return ctx;
}

static void expect_corrupt(servgap_ctx *ctx, const void *p, size_t n, const char *section)
{
    int rc = servgap_snapshot_load_buffer(ctx, p, n);
    ck_assert_msg(rc == SERVGAP_ECORRUPT, "len %zu: rc %d (%s)", n, rc, servgap_errmsg(ctx));
    ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_ECORRUPT);
    const char *msg = servgap_errmsg(ctx);
    ck_assert_msg(strncmp(msg, "servgap_snapshot_load_buffer: section '", 39) == 0, "%s", msg);
    ck_assert_msg(strstr(msg, "at offset ") != NULL, "%s", msg);
    if (section) {
        char want[64];
        snprintf(want, sizeof want, "section '%s'", section);
        ck_assert_msg(strstr(msg, want) != NULL, "'%s' does not name %s", msg, want);
    }
}

START_TEST(test_small_snapshot_loads)
{
    bytes s = small_snapshot();
    servgap_ctx *ctx = target_with_data();
    uint64_t before = obs_count(ctx);
    OK(servgap_snapshot_load_buffer(ctx, s.p, s.n));
    ck_assert_uint_eq(obs_count(ctx), before + 5);
    free(s.p);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_truncation_at_every_offset)
{
    bytes s = small_snapshot();
    servgap_ctx *ctx = target_with_data();
    bytes before = snap(ctx);
    for (size_t k = 0; k < s.n; k++) {
        bytes c = copy_bytes(s.p, k); /* exactly k bytes: overreads hit ASan */
        expect_corrupt(ctx, c.p, c.n, NULL);
        free(c.p);
    }
    assert_snap_is(ctx, before);
    ck_assert_uint_gt(s.n, 500);
    free(s.p);
    free(before.p);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(test_every_bit_flip_rejected)
{
    bytes s = small_snapshot();
    servgap_ctx *ctx = target_with_data();
    bytes before = snap(ctx);
    for (size_t i = 0; i < s.n * 8; i++) {
        s.p[i / 8] ^= (unsigned char)(1u << (i % 8));
        expect_corrupt(ctx, s.p, s.n, NULL);
        s.p[i / 8] ^= (unsigned char)(1u << (i % 8));
    }
    assert_snap_is(ctx, before);
    OK(servgap_snapshot_load_buffer(ctx, s.p, s.n)); /* restored: loads */
    free(s.p);
    free(before.p);
    servgap_ctx_free(ctx);
}
END_TEST

/* Each section's payload cut at every length, with lengths and checksums
 * made consistent again: the decoders' own bounds checks must reject it. */
START_TEST(test_resealed_truncation_of_every_section)
{
    bytes s = small_snapshot();
    servgap_ctx *ctx = target_with_data();
    bytes before = snap(ctx);
    section secs[16];
    int n = sections_of(s, secs, 16);
    ck_assert_int_eq(n, 10);
    static const char *const names[10] = {"tiers",    "touchpoints", "teams",        "metrics",
                                          "accounts", "importance",  "observations", "points",
                                          "efforts",  "plans"};
    size_t cases = 0;
    for (int k = 0; k < n; k++) {
        for (size_t keep = 0; keep < secs[k].len; keep++) {
            bytes c = cut_section(s, secs[k], keep);
            expect_corrupt(ctx, c.p, c.n, names[k]);
            free(c.p);
            cases++;
        }
    }
    ck_assert_uint_gt(cases, 300);
    assert_snap_is(ctx, before);
    free(s.p);
    free(before.p);
    servgap_ctx_free(ctx);
}
END_TEST

/* A field at offset off of section tag overwritten, then re-sealed. */
static void expect_field_rejected(bytes s, const char *tag, size_t off, const void *v, size_t n,
                                  const char *secname, const char *words)
{
    servgap_ctx *ctx = target_with_data();
    bytes before = snap(ctx);
    bytes c = copy_bytes(s.p, s.n);
    section sec = find_section(c, tag);
    ck_assert_uint_le(off + n, sec.len);
    memcpy(c.p + sec.payload + off, v, n);
    reseal(c);
    expect_corrupt(ctx, c.p, c.n, secname);
    ck_assert_msg(strstr(servgap_errmsg(ctx), words) != NULL, "'%s' lacks '%s'",
                  servgap_errmsg(ctx), words);
    assert_snap_is(ctx, before);
    free(c.p);
    free(before.p);
    servgap_ctx_free(ctx);
}

static void le32(unsigned char *b, uint32_t v)
{
    put32(b, v);
}

START_TEST(test_resealed_bad_fields)
{
    enum { ROWS = 5 };
    bytes s = small_snapshot();
    unsigned char b[8];
    double d;
    /* Every payload starts with a u64 count.
     * accounts: count (8), name "a" (2 bytes), tier. */
    le32(b, 7);
    expect_field_rejected(s, "ACCT", 10, b, 4, "accounts", "unknown tier");
    /* accounts: flags, then value and health. */
    le32(b, 4);
    expect_field_rejected(s, "ACCT", 14, b, 4, "accounts", "flags");
    d = -1;
    expect_field_rejected(s, "ACCT", 18, &d, 8, "accounts", "value");
    d = 101;
    expect_field_rejected(s, "ACCT", 26, &d, 8, "accounts", "health");
    /* tiers: count (8), name length 1, "t" -> an invalid UTF-8 byte. */
    b[0] = 0xff;
    expect_field_rejected(s, "TIER", 9, b, 1, "tiers", "UTF-8");
    b[0] = 0;
    expect_field_rejected(s, "TIER", 8, b, 1, "tiers", "UTF-8"); /* empty name */
    /* metrics: the first entry must be the built-in "tangibles". */
    b[0] = 'X';
    expect_field_rejected(s, "METR", 9, b, 1, "metrics", "built-in");
    /* observations: count (8), then the columns of ROWS rows: row 0 is "m"
     * in [0, inf), rows 1-4 the response (E and P of item 1, E of 2, E of
     * 3). Column f starts at 8 + start[f] * ROWS: value 0, day 8, scope 12,
     * tp 16, metric 18, team 20, bits 24. */
    d = -3;
    expect_field_rejected(s, "OBSV", 8, &d, 8, "observations", "outside");
    d = NAN;
    expect_field_rejected(s, "OBSV", 8, &d, 8, "observations", "outside");
    /* metric column at 8 + 18 * ROWS. */
    b[0] = 0x77;
    b[1] = 0x01;
    expect_field_rejected(s, "OBSV", 8 + 18 * ROWS, b, 2, "observations", "unknown metric");
    /* scope column at 8 + 12 * ROWS: an account id that does not exist. */
    le32(b, 3);
    expect_field_rejected(s, "OBSV", 8 + 12 * ROWS, b, 4, "observations", "unknown scope");
    /* bits column at 8 + 24 * ROWS: row 0 gets viewpoint 7. */
    b[0] = 7;
    expect_field_rejected(s, "OBSV", 8 + 24 * ROWS, b, 1, "observations", "bits");
    /* row 2 (a response row) made into a response start of promised. */
    b[0] = 0x80 | 0x40 | 5;
    expect_field_rejected(s, "OBSV", 8 + 24 * ROWS + 2, b, 1, "observations", "viewpoint");
    /* row 2 loses its response bit, row 3 then has no start. */
    b[0] = 6;
    expect_field_rejected(s, "OBSV", 8 + 24 * ROWS + 2, b, 1, "observations", "without a start");
    /* row 4 (E of item 3) made metric 1 again, after item 2. */
    b[0] = 1;
    b[1] = 0;
    expect_field_rejected(s, "OBSV", 8 + 18 * ROWS + 2 * 4, b, 2, "observations", "metric repeats");
    /* row 2 (P of item 1) made metric 2: row 3, E of 2, then comes late. */
    b[0] = 2;
    expect_field_rejected(s, "OBSV", 8 + 18 * ROWS + 2 * 2, b, 2, "observations", "out of order");
    /* row 3 on another day than its response. */
    le32(b, 0);
    expect_field_rejected(s, "OBSV", 8 + 8 * ROWS + 4 * 3, b, 4, "observations", "differs");
    /* points: count (8), row (8): row 0 does not start a response. */
    memset(b, 0, 8);
    expect_field_rejected(s, "RPTS", 8, b, 8, "points", "does not start");
    d = 99;
    expect_field_rejected(s, "RPTS", 16, &d, 8, "points", "points");
    /* efforts: count (8), gap, tp, metric, effort. */
    le32(b, 9);
    expect_field_rejected(s, "EFRT", 8, b, 4, "efforts", "gap");
    d = 0;
    expect_field_rejected(s, "EFRT", 20, &d, 8, "efforts", "effort");
    /* plans: count (8), owner "o" (2), scope kind. */
    le32(b, 3);
    expect_field_rejected(s, "PLAN", 10, b, 4, "plans", "scope kind");
    /* importance: count (8), scope, whose. */
    le32(b, 3);
    expect_field_rejected(s, "IMPO", 12, b, 4, "importance", "whose");
    /* A count larger than the section. */
    le32(b, 1000000);
    expect_field_rejected(s, "TPNT", 0, b, 4, "touchpoints", "cannot fit");
    free(s.p);
}
END_TEST

/* Field off of section tag set to the double v loads. */
static void expect_double_accepted(bytes s, const char *tag, size_t off, double v)
{
    bytes c = copy_bytes(s.p, s.n);
    section sec = find_section(c, tag);
    memcpy(c.p + sec.payload + off, &v, sizeof v);
    reseal(c);
    servgap_ctx *ctx = new_ctx();
    int rc = servgap_snapshot_load_buffer(ctx, c.p, c.n);
    ck_assert_msg(rc == SERVGAP_OK, "%s + %zu = %.17g: %s", tag, off, v, servgap_errmsg(ctx));
    servgap_ctx_free(ctx);
    free(c.p);
}

/* Where metric "m" of small_snapshot starts in its section: its name
 * (length 1, "m"), dimension 0 and direction lower (2). */
static size_t metric_m_at(bytes s)
{
    static const unsigned char entry[10] = {1, 'm', 0, 0, 0, 0, 2, 0, 0, 0};
    section sec = find_section(s, "METR");
    for (size_t i = 0; i + sizeof entry <= sec.len; i++)
        if (memcmp(s.p + sec.payload + i, entry, sizeof entry) == 0)
            return i;
    ck_abort_msg("no metric m");
    return 0;
}

/* A snapshot holds only what the handle accepts: a number just beyond a
 * limit (docs/api.md, "Limits on numbers") is ECORRUPT naming the field,
 * the limit itself loads. */
START_TEST(test_resealed_beyond_limits)
{
    bytes s = small_snapshot();
    /* accounts: value at 18; efforts: effort at 20; observations: row 0's
     * value at 8, of metric m in [0, inf). */
    double d = nextafter(SERVGAP_VALUE_MAX, INFINITY);
    expect_field_rejected(s, "ACCT", 18, &d, 8, "accounts",
                          "account 'a': value 1000000000000000.1 outside [0, 1e15]");
    expect_field_rejected(s, "OBSV", 8, &d, 8, "observations",
                          "row 0: value 1000000000000000.1 beyond +-1e15");
    d = 1e308;
    expect_field_rejected(s, "ACCT", 18, &d, 8, "accounts", "value 1e+308 outside");
    d = 1e-320;
    expect_field_rejected(s, "EFRT", 20, &d, 8, "efforts", "effort 1e-320 outside [1e-9, 1e15]");
    d = nextafter(SERVGAP_EFFORT_MAX, INFINITY);
    expect_field_rejected(s, "EFRT", 20, &d, 8, "efforts", "effort 1000000000000000.1 outside");
    expect_double_accepted(s, "ACCT", 18, SERVGAP_VALUE_MAX);
    expect_double_accepted(s, "OBSV", 8, SERVGAP_VALUE_MAX);
    expect_double_accepted(s, "EFRT", 20, SERVGAP_EFFORT_MIN);
    expect_double_accepted(s, "EFRT", 20, SERVGAP_EFFORT_MAX);
    /* metric m: min at 10, max at 18, span at 26 from its start. */
    size_t m = metric_m_at(s);
    d = -1.7e308;
    expect_field_rejected(s, "METR", m + 10, &d, 8, "metrics",
                          "metric 'm': range [-1.7e+308, inf] beyond +-1e15");
    d = nextafter(SERVGAP_SPAN_MIN, 0.0);
    expect_field_rejected(s, "METR", m + 26, &d, 8, "metrics",
                          "metric 'm': span 9.999999999999999e-10 outside [1e-9, 2e15]");
    d = nextafter(SERVGAP_SPAN_MAX, INFINITY);
    expect_field_rejected(s, "METR", m + 26, &d, 8, "metrics", "span 2000000000000000.2 outside");
    expect_double_accepted(s, "METR", m + 10, -SERVGAP_VALUE_MAX);
    expect_double_accepted(s, "METR", m + 18, SERVGAP_VALUE_MAX);
    expect_double_accepted(s, "METR", m + 26, SERVGAP_SPAN_MIN);
    expect_double_accepted(s, "METR", m + 26, SERVGAP_SPAN_MAX);
    free(s.p);
}
END_TEST

/* A section appended after the last one, re-sealed. */
static bytes with_extra_section(bytes s, const char *tag, uint32_t flags)
{
    bytes c = grown(s, 24 + 3);
    unsigned char *h = c.p + s.n;
    memcpy(h, tag, 4);
    put32(h + 4, flags);
    put64(h + 8, 3);
    put32(h + 20, 0);
    memcpy(h + 24, "xyz", 3);
    put32(c.p + 24, get32(c.p + 24) + 1);
    reseal(c);
    return c;
}

START_TEST(test_versioning_rules)
{
    bytes s = small_snapshot();
    servgap_ctx *ctx = target_with_data();
    bytes before = snap(ctx);
    /* An unknown optional section is skipped... */
    bytes opt = with_extra_section(s, "ZZZZ", 0);
    servgap_ctx *fresh = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(fresh, opt.p, opt.n), SERVGAP_OK);
    assert_snap_is(fresh, s);
    /* ...an unknown required one is not. */
    bytes req = with_extra_section(s, "ZZZZ", 1);
    expect_corrupt(ctx, req.p, req.n, "0x5a5a5a5a");
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "required"));
    /* A known section twice. */
    bytes twice = with_extra_section(s, "PLAN", 1);
    expect_corrupt(ctx, twice.p, twice.n, "plans");
    /* Another major version is refused, a later minor one read. */
    bytes v = copy_bytes(s.p, s.n);
    v.p[8] = 2;
    reseal(v);
    expect_corrupt(ctx, v.p, v.n, "header");
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "version 2.1"));
    v.p[8] = 1;
    v.p[10] = 7;
    reseal(v);
    servgap_ctx *fresh2 = new_ctx();
    ck_assert_int_eq(servgap_snapshot_load_buffer(fresh2, v.p, v.n), SERVGAP_OK);
    /* Unknown header flags are refused (bit 0 announces withdrawals). */
    v.p[12] = 2;
    reseal(v);
    expect_corrupt(ctx, v.p, v.n, "header");
    /* Bytes after the last section. */
    bytes tail = grown(s, 1);
    reseal(tail);
    expect_corrupt(ctx, tail.p, tail.n, "end");
    assert_snap_is(ctx, before);
    free(s.p);
    free(before.p);
    free(opt.p);
    free(req.p);
    free(twice.p);
    free(v.p);
    free(tail.p);
    servgap_ctx_free(ctx);
    servgap_ctx_free(fresh);
    servgap_ctx_free(fresh2);
}
END_TEST

START_TEST(test_crc_reference)
{
    /* The test's CRC-32C against the standard check value. */
    ck_assert_uint_eq(crc32c(0, (const unsigned char *)"123456789", 9), 0xE3069283u);
    bytes s = small_snapshot();
    ck_assert_uint_eq(get32(s.p + 28), crc32c(0, s.p, 28));
    ck_assert_uint_eq(get64(s.p + 16), s.n);
    ck_assert_uint_eq(get32(s.p + 24), 10);
    free(s.p);
}
END_TEST

START_TEST(test_foreign_empty_and_missing_files)
{
    make_tmpdir();
    char path[512];
    servgap_ctx *ctx = target_with_data();
    bytes before = snap(ctx);
    const char *csv = "time,account,tier,touchpoint,metric,viewpoint,value\n"
                      "2026-01-01,acme,gold,email,reliability,perceived,5\n";
    snprintf(path, sizeof path, "%s/foreign.csv", tmpdir);
    write_whole(path, csv, strlen(csv));
    ck_assert_int_eq(servgap_snapshot_load(ctx, path), SERVGAP_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "foreign.csv"));
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "magic"));
    snprintf(path, sizeof path, "%s/empty.snap", tmpdir);
    write_whole(path, "", 0);
    ck_assert_int_eq(servgap_snapshot_load(ctx, path), SERVGAP_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "empty"));
    expect_corrupt(ctx, csv, strlen(csv), "header");
    expect_corrupt(ctx, NULL, 0, "header");
    expect_corrupt(ctx, "SRVGAPSN", 8, "header");
    snprintf(path, sizeof path, "%s/missing.snap", tmpdir);
    ck_assert_int_eq(servgap_snapshot_load(ctx, path), SERVGAP_EIO);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "missing.snap"));
    ck_assert_int_eq(servgap_snapshot_load(ctx, tmpdir), SERVGAP_EIO);
    assert_snap_is(ctx, before);
    free(before.p);
    servgap_ctx_free(ctx);
    remove_tmpdir();
}
END_TEST

START_TEST(test_save_errors_leave_nothing)
{
    make_tmpdir();
    char path[512], list[1024];
    servgap_ctx *ctx = target_with_data();
    snprintf(path, sizeof path, "%s/no-such-dir/x.snap", tmpdir);
    ck_assert_int_eq(servgap_snapshot_save(ctx, path), SERVGAP_EIO);
    ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_EIO);
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "no-such-dir/x.snap"));
    ck_assert_ptr_nonnull(strstr(servgap_errmsg(ctx), "No such file"));
    /* A directory in the way: the rename fails, the temporary goes. */
    snprintf(path, sizeof path, "%s/sub", tmpdir);
    ck_assert_int_eq(mkdir(path, 0700), 0);
    ck_assert_int_eq(servgap_snapshot_save(ctx, path), SERVGAP_EIO);
    ck_assert_int_eq(dir_entries(list, sizeof list), 1);
    ck_assert_str_eq(list, "sub,");
    rmdir(path);
    /* A good save next to an existing file keeps it and adds one. */
    snprintf(path, sizeof path, "%s/keep.txt", tmpdir);
    write_whole(path, "x", 1);
    snprintf(path, sizeof path, "%s/s.snap", tmpdir);
    ck_assert_int_eq(servgap_snapshot_save(ctx, path), SERVGAP_OK);
    ck_assert_int_eq(dir_entries(list, sizeof list), 2);
    ck_assert_ptr_nonnull(strstr(list, "keep.txt,"));
    ck_assert_ptr_nonnull(strstr(list, "s.snap,"));
    servgap_ctx_free(ctx);
    remove_tmpdir();
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Threads                                                                 */
/* ---------------------------------------------------------------------- */

typedef struct feeder {
    servgap_ctx *ctx;
    int32_t acct;
    int batches;
} feeder;

/* Records batches of 100 observations, each batch atomic. */
static void *feed(void *arg)
{
    feeder *f = arg;
    int32_t sid[100], tp[100], met[100], vp[100];
    double val[100];
    int64_t tm[100];
    for (int b = 0; b < f->batches; b++) {
        for (int i = 0; i < 100; i++) {
            sid[i] = f->acct;
            tp[i] = SERVGAP_ANY;
            met[i] = i % 5;
            vp[i] = i % 7;
            val[i] = 1 + (b + i) % 7;
            tm[i] = T0 + i * DAY;
        }
        if (servgap_record_batch(f->ctx, 100, NULL, sid, tp, met, vp, val, tm, NULL, NULL) != 0)
            return f;
    }
    return NULL;
}

/* Snapshots taken while another thread records each hold a whole number
 * of batches, and each loads and saves back to the same bytes. */
START_TEST(test_snapshot_while_recording)
{
    servgap_ctx *ctx = new_ctx();
    feeder f = {ctx, account(ctx, "acme", "gold", 1), 400};
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, feed, &f), 0);
    uint64_t last = 0;
    for (int k = 0; k < 40; k++) {
        bytes s = snap(ctx);
        servgap_ctx *copy = new_ctx();
        ck_assert_int_eq(servgap_snapshot_load_buffer(copy, s.p, s.n), SERVGAP_OK);
        uint64_t n = obs_count(copy);
        ck_assert_uint_eq(n % 100, 0);
        ck_assert_uint_ge(n, last);
        last = n;
        assert_snap_is(copy, s);
        servgap_ctx_free(copy);
        free(s.p);
    }
    void *res = &f;
    ck_assert_int_eq(pthread_join(th, &res), 0);
    ck_assert_ptr_null(res);
    ck_assert_uint_eq(obs_count(ctx), 40000);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Allocation failures                                                     */
/* ---------------------------------------------------------------------- */

/* Fail the k-th allocation of a load into a handle holding data, for
 * every k until the load succeeds: each failure is ENOMEM with nothing
 * changed, and nothing leaks. */
START_TEST(test_load_under_allocation_failures)
{
    bytes s = small_snapshot();
    test_alloc st = {.fail_rest = 1}; /* fails every call from fail_at on (helpers.h) */
    servgap_allocator al = test_allocator(&st);
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &al), SERVGAP_OK);
    int32_t a = account(ctx, "keep", "gold", 9);
    OK(servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, a, SERVGAP_ANY, 1, 6, 4, T0, -1, 0));
    bytes before = snap(ctx);
    int failures = 0;
    for (long k = 0;; k++) {
        st.calls = 0;
        st.fail_at = k + 1;
        int rc = servgap_snapshot_load_buffer(ctx, s.p, s.n);
        st.fail_at = 0;
        if (rc == SERVGAP_OK)
            break;
        ck_assert_msg(rc == SERVGAP_ENOMEM, "k=%ld: rc %d %s", k, rc, servgap_errmsg(ctx));
        ck_assert_int_eq(servgap_errcode(ctx), SERVGAP_ENOMEM);
        assert_snap_is(ctx, before);
        failures++;
    }
    ck_assert_int_gt(failures, 20);
    /* Saving needs two blocks; a failure is ENOMEM too. */
    make_tmpdir();
    char path[512], list[64];
    snprintf(path, sizeof path, "%s/x.snap", tmpdir);
    st.calls = 0;
    st.fail_at = 1;
    ck_assert_int_eq(servgap_snapshot_save(ctx, path), SERVGAP_ENOMEM);
    st.fail_at = 0;
    ck_assert_int_eq(dir_entries(list, sizeof list), 0);
    remove_tmpdir();
    servgap_ctx_free(ctx);
    ck_assert_int_eq(st.live, 0);
    free(s.p);
    free(before.p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("snapshot");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_roundtrip_bytes_and_queries);
    tcase_add_test(tc, test_roundtrip_many_chunks);
    tcase_add_test(tc, test_size_per_observation);
    tcase_add_test(tc, test_roundtrip_csv_import);
    tcase_add_test(tc, test_same_state_same_bytes);
    tcase_add_test(tc, test_file_equals_buffer);
    tcase_add_test(tc, test_size_query_and_ebufsize);
    tcase_add_test(tc, test_two_snapshots_merge_like_one_run);
    tcase_add_test(tc, test_load_into_live_handle_adds_up);
    tcase_add_test(tc, test_conflict_changes_nothing);
    tcase_add_test(tc, test_small_snapshot_loads);
    tcase_add_test(tc, test_truncation_at_every_offset);
    tcase_add_test(tc, test_every_bit_flip_rejected);
    tcase_add_test(tc, test_resealed_truncation_of_every_section);
    tcase_add_test(tc, test_resealed_bad_fields);
    tcase_add_test(tc, test_resealed_beyond_limits);
    tcase_add_test(tc, test_versioning_rules);
    tcase_add_test(tc, test_crc_reference);
    tcase_add_test(tc, test_foreign_empty_and_missing_files);
    tcase_add_test(tc, test_save_errors_leave_nothing);
    tcase_add_test(tc, test_load_under_allocation_failures);
    tcase_add_test(tc, test_snapshot_while_recording);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
