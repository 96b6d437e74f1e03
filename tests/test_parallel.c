/*
 * test_parallel -- SERVGAP_OPT_THREADS: a query's JSON report is the same
 * bytes at 1, 2, 3 and 8 threads, on the sample data (examples/data, the
 * path is argv[1]) and on random data with responses, declarations, teams
 * and drivers; the handle's snapshot is the same bytes after an import at
 * any thread count; and an allocation that fails in any thread, workers
 * included, fails the query with SERVGAP_ENOMEM, the handle unchanged and
 * nothing leaked. The option's range is checked with
 * the other options' in test_priorities.
 */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "helpers.h"
#include "run_suite.h"
#include "servgap.h"

#define DAY   SERVGAP_DAY
#define T0    (20454 * (int64_t)DAY) /* 2026-01-01 */
#define FLAGS (SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS)
#define NACC  40
#define NTP   3
#define NDAYS 120

static const char *data_dir = "examples/data";
static const int thread_counts[] = {1, 2, 3, 8};
#define NCOUNTS (sizeof thread_counts / sizeof *thread_counts)

typedef struct blob {
    char *p;
    size_t n;
} blob;

static void set_threads(servgap_ctx *ctx, int n)
{
    ck_assert_int_eq(servgap_ctx_set_option(ctx, SERVGAP_OPT_THREADS, n), SERVGAP_OK);
}

static blob report(servgap_ctx *ctx, int64_t from, int64_t to, uint32_t flags)
{
    servgap_result *r = NULL;
    int rc = servgap_query(ctx, from, to, flags, &r);
    if (rc != SERVGAP_OK)
        fprintf(stderr, "query: %s\n", servgap_errmsg(ctx));
    ck_assert_int_eq(rc, SERVGAP_OK);
    blob b = {NULL, 0};
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, &b.n), SERVGAP_OK);
    b.p = malloc(b.n + 1);
    ck_assert_ptr_nonnull(b.p);
    ck_assert_int_eq(servgap_result_json(ctx, r, b.p, b.n + 1, &b.n), SERVGAP_OK);
    servgap_result_free(r);
    return b;
}

static blob snapshot_of(servgap_ctx *ctx)
{
    blob b = {NULL, 0};
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, &b.n), SERVGAP_OK);
    b.p = malloc(b.n);
    ck_assert_ptr_nonnull(b.p);
    ck_assert_int_eq(servgap_snapshot_write(ctx, b.p, b.n, &b.n), SERVGAP_OK);
    return b;
}

static void assert_same(const blob *a, const blob *b, const char *what, int threads)
{
    ck_assert_msg(a->n == b->n && memcmp(a->p, b->p, a->n) == 0,
                  "%s at %d threads differs from 1 thread (%zu vs %zu bytes)", what, threads, b->n,
                  a->n);
}

typedef struct window {
    int64_t from, to;
    uint32_t flags;
} window;

/* Every window's report at every thread count equals the one at 1. */
static void assert_same_reports(servgap_ctx *ctx, const window *w, size_t nw)
{
    for (size_t i = 0; i < nw; i++) {
        set_threads(ctx, 1);
        blob one = report(ctx, w[i].from, w[i].to, w[i].flags);
        ck_assert_uint_gt(one.n, 100);
        for (size_t k = 1; k < NCOUNTS; k++) {
            set_threads(ctx, thread_counts[k]);
            blob b = report(ctx, w[i].from, w[i].to, w[i].flags);
            assert_same(&one, &b, "report", thread_counts[k]);
            free(b.p);
        }
        free(one.p);
    }
    set_threads(ctx, 1);
}

/* ---------------------------------------------------------------------- */
/* The sample data                                                         */
/* ---------------------------------------------------------------------- */

static char *read_text(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", data_dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void import_file(servgap_ctx *ctx, int32_t table, const char *name)
{
    char *s = read_text(name);
    int rc = servgap_import_csv_buffer(ctx, table, NULL, s, strlen(s), 0, NULL);
    if (rc != SERVGAP_OK)
        fprintf(stderr, "import %s: %s\n", name, servgap_errmsg(ctx));
    ck_assert_int_eq(rc, SERVGAP_OK);
    free(s);
}

/* The sample, imported with the handle at threads. */
static servgap_ctx *sample(int threads)
{
    servgap_ctx *ctx = new_ctx();
    set_threads(ctx, threads);
    import_file(ctx, SERVGAP_CSV_METRICS, "metrics.csv");
    import_file(ctx, SERVGAP_CSV_ACCOUNTS, "accounts.csv");
    import_file(ctx, SERVGAP_CSV_IMPORTANCE, "importance.csv");
    import_file(ctx, SERVGAP_CSV_EFFORTS, "efforts.csv");
    import_file(ctx, SERVGAP_CSV_OBSERVATIONS, "observations.csv");
    import_file(ctx, SERVGAP_CSV_PLANS, "plans.csv");
    return ctx;
}

START_TEST(sample_same_bytes)
{
    servgap_ctx *ctx = sample(1);
    const window w[] = {
        {SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FLAGS},
        {T0 + 30 * (int64_t)DAY, T0 + 60 * (int64_t)DAY, 0},
        {SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS},
    };
    assert_same_reports(ctx, w, sizeof w / sizeof *w);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(sample_import_same_snapshot)
{
    servgap_ctx *one = sample(1);
    blob a = snapshot_of(one);
    for (size_t k = 1; k < NCOUNTS; k++) {
        servgap_ctx *ctx = sample(thread_counts[k]);
        blob b = snapshot_of(ctx);
        assert_same(&a, &b, "snapshot", thread_counts[k]);
        free(b.p);
        servgap_ctx_free(ctx);
    }
    free(a.p);
    servgap_ctx_free(one);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Random data                                                             */
/* ---------------------------------------------------------------------- */

static double uniform(uint64_t *st)
{
    return test_draw(st, 1u << 30) / (double)(1u << 30);
}

/* Accounts in two tiers and none, 3 touchpoints, 3 teams, a metric of
 * hours beside the five dimensions' items, tier and account declarations
 * that change. */
static void random_defs(servgap_ctx *ctx)
{
    int32_t m;
    ck_assert_int_eq(servgap_metric_define(ctx, "response_hours", SERVGAP_DIM_RESPONSIVENESS,
                                           SERVGAP_LOWER_IS_BETTER, 0, 72, 0, "h", &m),
                     SERVGAP_OK);
    touchpoint(ctx, "slack");
    touchpoint(ctx, "email");
    touchpoint(ctx, "phone");
    interned(ctx, SERVGAP_KIND_TEAM, "red");
    interned(ctx, SERVGAP_KIND_TEAM, "blue");
    interned(ctx, SERVGAP_KIND_TEAM, "green");
    for (int a = 0; a < NACC; a++) {
        char name[32];
        snprintf(name, sizeof name, "acct%d", a);
        int32_t id = account(ctx, name,
                             a % 7 == 6 ? NULL
                             : a % 2    ? "gold"
                                        : "silver",
                             1000.0 * (a + 1));
        ck_assert_int_eq(servgap_account_set_health(ctx, id, 20.0 + a), SERVGAP_OK);
    }
    double cust[5] = {10, 30, 30, 20, 10}, prov[5] = {20, 20, 20, 20, 20};
    ck_assert_int_eq(
        servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, 0, SERVGAP_WHOSE_CUSTOMER, cust),
        SERVGAP_OK);
    ck_assert_int_eq(
        servgap_set_importance(ctx, SERVGAP_SCOPE_TIER, 0, SERVGAP_WHOSE_PROVIDER, prov),
        SERVGAP_OK);
}

static void rec(servgap_ctx *ctx, int32_t kind, int32_t id, int32_t tp, int32_t metric, int32_t vp,
                double value, int64_t time, int32_t team, int32_t driver)
{
    int rc = servgap_record(ctx, kind, id, tp, metric, vp, value, time, team, driver);
    if (rc != SERVGAP_OK)
        fprintf(stderr, "record: %s\n", servgap_errmsg(ctx));
    ck_assert_int_eq(rc, SERVGAP_OK);
}

static void random_event(servgap_ctx *ctx, uint64_t *st, int32_t a, int64_t day)
{
    int32_t tp = test_draw(st, 5) == 0 ? SERVGAP_ANY : (int32_t)test_draw(st, NTP);
    int32_t team = test_draw(st, 2) ? (int32_t)test_draw(st, 3) : SERVGAP_NONE;
    int64_t t = T0 + day * DAY + test_draw(st, DAY);
    rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, 5, SERVGAP_VP_DELIVERED, 72.0 * uniform(st), t, team,
        SERVGAP_DRIVER_NONE);
    rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, (int32_t)test_draw(st, 6), SERVGAP_VP_PERCEIVED,
        1 + test_draw(st, 7), t, team, SERVGAP_DRIVER_NONE);
    if (test_draw(st, 6) == 0)
        rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, (int32_t)test_draw(st, 5), SERVGAP_VP_EXPECTED,
            1 + test_draw(st, 7), t, SERVGAP_NONE, (int32_t)test_draw(st, 5));
    if (test_draw(st, 20) == 0)
        rec(ctx, SERVGAP_SCOPE_ACCOUNT, a, tp, (int32_t)test_draw(st, 5), SERVGAP_VP_BELIEVED,
            1 + test_draw(st, 7), t, SERVGAP_NONE, SERVGAP_DRIVER_NONE);
}

static void random_response(servgap_ctx *ctx, uint64_t *st, int32_t a, int64_t day)
{
    int32_t items[3] = {0, 1, 2};
    double e[3], ad[3], p[3], points[5] = {10, 20, 30, 25, 15};
    for (int i = 0; i < 3; i++) {
        e[i] = 1 + test_draw(st, 7);
        ad[i] = test_draw(st, 3) ? 1 + test_draw(st, 4) : NAN;
        p[i] = test_draw(st, 6) ? 1 + test_draw(st, 7) : NAN;
    }
    int rc = servgap_record_response(
        ctx, SERVGAP_SCOPE_ACCOUNT, a, (int32_t)test_draw(st, NTP), T0 + day * DAY + 3600,
        test_draw(st, 2) ? (int32_t)test_draw(st, 3) : SERVGAP_NONE, (int32_t)test_draw(st, 5), 3,
        items, e, ad, p, test_draw(st, 3) ? points : NULL);
    ck_assert_int_eq(rc, SERVGAP_OK);
}

static servgap_ctx *random_ctx(uint64_t seed, const servgap_allocator *alloc, int64_t ndays)
{
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, alloc), SERVGAP_OK);
    random_defs(ctx);
    uint64_t st = seed;
    rec(ctx, SERVGAP_SCOPE_TIER, 0, 0, 5, SERVGAP_VP_STANDARD, 8, T0, SERVGAP_NONE,
        SERVGAP_DRIVER_NONE);
    rec(ctx, SERVGAP_SCOPE_TIER, 1, SERVGAP_ANY, 5, SERVGAP_VP_PROMISED, 6, T0 + 10 * DAY,
        SERVGAP_NONE, SERVGAP_DRIVER_NONE);
    for (int64_t day = 0; day < ndays; day++)
        for (int32_t a = 0; a < NACC; a++) {
            random_event(ctx, &st, a, day);
            if (day % 15 == a % 5)
                random_response(ctx, &st, a, day);
        }
    rec(ctx, SERVGAP_SCOPE_TIER, 0, 0, 5, SERVGAP_VP_STANDARD, 6, T0 + 70 * DAY, SERVGAP_NONE,
        SERVGAP_DRIVER_NONE);
    rec(ctx, SERVGAP_SCOPE_ACCOUNT, 3, 1, 5, SERVGAP_VP_STANDARD, 4, T0 + 20 * DAY, SERVGAP_NONE,
        SERVGAP_DRIVER_NONE);
    return ctx;
}

static const window random_windows[] = {
    {SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FLAGS},
    {T0 + 60 * (int64_t)DAY, T0 + 90 * (int64_t)DAY, FLAGS},
    {T0 + 10 * (int64_t)DAY, T0 + 11 * (int64_t)DAY, 0},
};

START_TEST(random_same_bytes)
{
    /* all_cores and the failure sweeps use other seeds. */
    servgap_ctx *ctx = random_ctx(0x9e3779b97f4a7c15ull, NULL, NDAYS);
    assert_same_reports(ctx, random_windows, sizeof random_windows / sizeof *random_windows);
    servgap_ctx_free(ctx);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Allocation failures in worker threads                                   */
/* ---------------------------------------------------------------------- */

/* Random data of 30 days (small: the sweeps run one query per
 * allocation) in a handle that allocates through the gate. */
static servgap_ctx *gated_ctx(uint64_t seed)
{
    servgap_allocator a = gate_allocator();
    return random_ctx(seed, &a, 30);
}

/* Every allocation of a 3-thread query fails in turn (which thread makes
 * call k varies from run to run; every call is some run's k): each
 * failure returns SERVGAP_ENOMEM, sets *out to NULL (as every failed query
 * does), leaves the snapshot bytes as they were and leaks nothing; then the query gives the
 * 1-thread bytes. */
START_TEST(worker_allocation_failures)
{
    servgap_ctx *ctx = gated_ctx(77);
    blob one = report(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FLAGS);
    blob snap = snapshot_of(ctx);
    set_threads(ctx, 3);
    long failures = 0;
    for (long k = 1;; k++) {
        long live = gate.live;
        gate.calls = 0;
        gate.fail_at = k;
        servgap_result *r = (servgap_result *)&gate; /* a failed query sets it NULL */
        int rc = servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FLAGS, &r);
        gate.fail_at = 0;
        if (rc == SERVGAP_OK) {
            servgap_result_free(r);
            break;
        }
        ck_assert_msg(rc == SERVGAP_ENOMEM, "allocation %ld: %d %s", k, rc, servgap_errmsg(ctx));
        ck_assert_ptr_null(r);
        ck_assert_int_eq(gate.live, live);
        failures++;
    }
    ck_assert_int_gt(failures, 20);
    blob s2 = snapshot_of(ctx);
    assert_same(&snap, &s2, "snapshot after failures", 3);
    blob b = report(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FLAGS);
    assert_same(&one, &b, "report after failures", 3);
    ck_assert_int_eq(gate.foreign, 0);
    free(b.p);
    free(s2.p);
    free(snap.p);
    free(one.p);
    servgap_ctx_free(ctx);
    ck_assert_int_eq(gate.live, 0);
}
END_TEST

/* An interrupt that comes while the worker threads run, at each of a
 * query's allocations in turn (gate_interrupt_sweep), leaves the handle
 * as it was. */
START_TEST(interrupted_with_threads)
{
    servgap_ctx *ctx = gated_ctx(78);
    blob snap = snapshot_of(ctx);
    set_threads(ctx, 3);
    ck_assert_int_gt(gate_interrupt_sweep(ctx, SERVGAP_QUERY_ALL), 10);
    blob s2 = snapshot_of(ctx);
    assert_same(&snap, &s2, "snapshot after interrupts", 3);
    free(s2.p);
    free(snap.p);
    servgap_ctx_free(ctx);
    ck_assert_int_eq(gate.live, 0);
}
END_TEST

/* 0 asks for every core online: the same bytes again. */
START_TEST(all_cores)
{
    servgap_ctx *ctx = random_ctx(5, NULL, NDAYS);
    blob one = report(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FLAGS);
    set_threads(ctx, 0);
    double v = -1;
    ck_assert_int_eq(servgap_ctx_get_option(ctx, SERVGAP_OPT_THREADS, &v), SERVGAP_OK);
    ck_assert(v == 0.0);
    blob b = report(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, FLAGS);
    assert_same(&one, &b, "report", 0);
    free(b.p);
    free(one.p);
    servgap_ctx_free(ctx);
}
END_TEST

static Suite *parallel_suite(void)
{
    Suite *s = suite_create("parallel");
    TCase *tc = tcase_create("same_bytes");
    tcase_add_test(tc, sample_same_bytes);
    tcase_add_test(tc, sample_import_same_snapshot);
    tcase_add_test(tc, random_same_bytes);
    tcase_add_test(tc, all_cores);
    suite_add_tcase(s, tc);
    TCase *tf = tcase_create("failures");
    tcase_add_test(tf, worker_allocation_failures);
    tcase_add_test(tf, interrupted_with_threads);
    suite_add_tcase(s, tf);
    return s;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        data_dir = argv[1];
    return run_suite(parallel_suite());
}
