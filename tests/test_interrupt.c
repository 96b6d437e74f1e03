/*
 * test_interrupt -- servgap_ctx_interrupt stops the long calls (query,
 * trend query, re-measurement, CSV import, snapshot load) that are running
 * when it is called, and they change nothing: what a Go context, a Python
 * KeyboardInterrupt or a database's query cancel relies on.
 *
 * The interrupt is made deterministic by an allocator that calls
 * servgap_ctx_interrupt at its k-th call: every long call allocates before
 * its loops ask whether to stop, so sweeping k over all of a call's
 * allocations interrupts it at every point it can be interrupted. Each
 * outcome must be either the uninterrupted answer or SERVGAP_EINTERRUPTED
 * with nothing changed and no result handed out.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"
#include "snapbytes.h"

#define DAY      ((int64_t)86400)
#define JAN_1    ((int64_t)1767225600) /* 2026-01-01 */
#define WINDOW   (30 * DAY)
#define ACCOUNTS 40

/* Calls servgap_ctx_interrupt(ctx) at its call number at (0: never). */
typedef struct interrupter {
    servgap_ctx *ctx;
    long calls, at;
} interrupter;

static void *int_malloc(void *user, size_t n)
{
    interrupter *s = user;
    if (++s->calls == s->at)
        servgap_ctx_interrupt(s->ctx);
    return malloc(n ? n : 1);
}

static void *int_realloc(void *user, void *p, size_t n)
{
    interrupter *s = user;
    if (++s->calls == s->at)
        servgap_ctx_interrupt(s->ctx);
    return realloc(p, n ? n : 1);
}

static void int_free(void *user, void *p)
{
    (void)user;
    free(p);
}

static servgap_ctx *interruptible(interrupter *s)
{
    servgap_allocator al = {.size = sizeof al,
                            .malloc_fn = int_malloc,
                            .realloc_fn = int_realloc,
                            .free_fn = int_free,
                            .user = s};
    memset(s, 0, sizeof *s);
    ck_assert_int_eq(servgap_ctx_new(&s->ctx, &al), SERVGAP_OK);
    return s->ctx;
}

/* Arms the interrupter to fire at the k-th allocation from now. */
static void arm(interrupter *s, long k)
{
    s->calls = 0;
    s->at = k;
}

/* An observations CSV of more rows than an import's interrupt stride
 * (4096): expected and perceived first-response hours per account and
 * day, a standard per tier. */
static char *observations_csv(size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    char *p = malloc(cap);
    ck_assert_ptr_nonnull(p);
    n += (size_t)snprintf(p + n, cap - n, "time,account,tier,touchpoint,metric,viewpoint,value\n");
    n += (size_t)snprintf(p + n, cap - n,
                          "2026-01-01,,gold,email,first_response_hours,standard,4\n");
    for (int day = 0; day < 59; day++) /* to 2026-02-28 */
        for (int a = 0; a < ACCOUNTS; a++)
            for (int vp = 0; vp < 2; vp++)
                n += (size_t)snprintf(p + n, cap - n,
                                      "2026-%02d-%02d,acct-%d,gold,email,"
                                      "first_response_hours,%s,%d\n",
                                      day < 31 ? 1 : 2, day < 31 ? day + 1 : day - 30, a,
                                      vp ? "perceived" : "expected", 2 + (a + day * vp) % 7);
    ck_assert_uint_lt(n, cap);
    *len = n;
    return p;
}

static const char metrics_csv[] = "metric,dimension,direction,min,max,span,unit\n"
                                  "first_response_hours,responsiveness,lower,0,,8,h\n";

static void load_data(servgap_ctx *ctx)
{
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, SERVGAP_CSV_METRICS, "metrics.csv", metrics_csv,
                                               strlen(metrics_csv), 0, NULL),
                     SERVGAP_OK);
    size_t len = 0;
    char *obs = observations_csv(&len);
    ck_assert_int_eq(
        servgap_import_csv_buffer(ctx, SERVGAP_CSV_OBSERVATIONS, "obs.csv", obs, len, 0, NULL),
        SERVGAP_OK);
    free(obs);
}

static char *json_of(servgap_ctx *ctx, const servgap_result *r)
{
    size_t need = 0;
    ck_assert_int_eq(servgap_result_json(ctx, r, NULL, 0, &need), SERVGAP_OK);
    char *buf = malloc(need + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_int_eq(servgap_result_json(ctx, r, buf, need + 1, &need), SERVGAP_OK);
    return buf;
}

static int says_interrupted(servgap_ctx *ctx)
{
    return servgap_errcode(ctx) == SERVGAP_EINTERRUPTED &&
           strstr(servgap_errmsg(ctx), "interrupted") != NULL;
}

static char *query_json(servgap_ctx *ctx)
{
    servgap_result *r = NULL;
    ck_assert_int_eq(servgap_query(ctx, JAN_1 + WINDOW, JAN_1 + 2 * WINDOW,
                                   SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS, &r),
                     SERVGAP_OK);
    char *json = json_of(ctx, r);
    servgap_result_free(r);
    return json;
}

/* Interrupted at each of its allocations in turn, a query either answers
 * as if never interrupted or fails with SERVGAP_EINTERRUPTED and hands out
 * no result; and the next query on the handle runs normally. */
START_TEST(query_interrupted_at_every_point)
{
    interrupter s;
    servgap_ctx *ctx = interruptible(&s);
    load_data(ctx);
    char *want = query_json(ctx);
    long interrupted = 0, k;
    for (k = 1;; k++) {
        arm(&s, k);
        servgap_result *r = NULL;
        int rc = servgap_query(ctx, JAN_1 + WINDOW, JAN_1 + 2 * WINDOW,
                               SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS, &r);
        long used = s.calls;
        arm(&s, 0);
        if (rc == SERVGAP_EINTERRUPTED) {
            ck_assert_msg(says_interrupted(ctx), "k=%ld: %s", k, servgap_errmsg(ctx));
            ck_assert_ptr_null(r);
            interrupted++;
            continue;
        }
        ck_assert_int_eq(rc, SERVGAP_OK);
        char *got = json_of(ctx, r);
        servgap_result_free(r);
        ck_assert_str_eq(got, want);
        free(got);
        if (k > used)
            break; /* the interrupt came after the query ended */
    }
    /* The analysis loops ask after the first allocations: a query stopped
     * early is the point of the call. */
    ck_assert_int_gt(interrupted, 0);
    char *after = query_json(ctx);
    ck_assert_str_eq(after, want);
    free(after);
    free(want);
    servgap_ctx_free(ctx);
}
END_TEST

/* An interrupt before a call does not stop it: only running calls stop. */
START_TEST(interrupt_before_a_call_is_not_carried_over)
{
    servgap_ctx *ctx = new_ctx();
    load_data(ctx);
    char *want = query_json(ctx);
    servgap_ctx_interrupt(ctx);
    servgap_ctx_interrupt(NULL); /* a no-op */
    char *got = query_json(ctx);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    servgap_ctx_free(ctx);
}
END_TEST

/* An import interrupted at any of its allocations is rolled back whole:
 * the handle's snapshot bytes are those before it. */
START_TEST(import_interrupted_is_rolled_back)
{
    interrupter s;
    servgap_ctx *ctx = interruptible(&s);
    ck_assert_int_eq(servgap_import_csv_buffer(ctx, SERVGAP_CSV_METRICS, "metrics.csv", metrics_csv,
                                               strlen(metrics_csv), 0, NULL),
                     SERVGAP_OK);
    snap_bytes before = snap_of(ctx);
    size_t len = 0;
    char *obs = observations_csv(&len);
    long interrupted = 0;
    for (long k = 1; k <= 40; k++) {
        arm(&s, k);
        int rc =
            servgap_import_csv_buffer(ctx, SERVGAP_CSV_OBSERVATIONS, "obs.csv", obs, len, 0, NULL);
        arm(&s, 0);
        if (rc == SERVGAP_OK)
            break;
        ck_assert_int_eq(rc, SERVGAP_EINTERRUPTED);
        ck_assert_msg(says_interrupted(ctx) && strstr(servgap_errmsg(ctx), "obs.csv:"), "%s",
                      servgap_errmsg(ctx));
        snap_bytes now = snap_of(ctx);
        ck_assert_uint_eq(now.n, before.n);
        ck_assert_mem_eq(now.p, before.p, before.n);
        free(now.p);
        interrupted++;
    }
    ck_assert_int_gt(interrupted, 0);
    free(obs);
    free(before.p);
    servgap_ctx_free(ctx);
}
END_TEST

/* A snapshot load interrupted while it decodes changes nothing; the same
 * load afterwards gives the source's bytes. */
START_TEST(snapshot_load_interrupted_changes_nothing)
{
    servgap_ctx *src = new_ctx();
    load_data(src);
    snap_bytes want = snap_of(src);
    servgap_ctx_free(src);
    interrupter s;
    servgap_ctx *ctx = interruptible(&s);
    arm(&s, 1);
    ck_assert_int_eq(servgap_snapshot_load_buffer(ctx, want.p, want.n), SERVGAP_EINTERRUPTED);
    arm(&s, 0);
    ck_assert(says_interrupted(ctx));
    ck_assert_uint_eq(obs_count(ctx), 0);
    ck_assert_int_eq(servgap_snapshot_load_buffer(ctx, want.p, want.n), SERVGAP_OK);
    snap_bytes got = snap_of(ctx);
    ck_assert_uint_eq(got.n, want.n);
    ck_assert_mem_eq(got.p, want.p, want.n);
    free(got.p);
    free(want.p);
    servgap_ctx_free(ctx);
}
END_TEST

typedef struct racer {
    servgap_ctx *ctx;
    atomic_int stop;
} racer;

static void *keep_interrupting(void *arg)
{
    racer *r = arg;
    while (!atomic_load(&r->stop))
        servgap_ctx_interrupt(r->ctx);
    return NULL;
}

/* Interrupts from another thread while queries run: each query either
 * answers in full or is interrupted, and the handle stays usable (TSan
 * checks the counter is the only shared state). */
START_TEST(interrupt_from_another_thread)
{
    servgap_ctx *ctx = new_ctx();
    load_data(ctx);
    char *want = query_json(ctx);
    racer r = {ctx, 0};
    atomic_init(&r.stop, 0);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, keep_interrupting, &r), 0);
    for (int i = 0; i < 20; i++) {
        servgap_result *res = NULL;
        int rc = servgap_query(ctx, JAN_1 + WINDOW, JAN_1 + 2 * WINDOW, SERVGAP_QUERY_ALL, &res);
        ck_assert_msg(rc == SERVGAP_OK || rc == SERVGAP_EINTERRUPTED, "rc %d", rc);
        ck_assert(rc == SERVGAP_OK ? res != NULL : res == NULL);
        servgap_result_free(res);
    }
    atomic_store(&r.stop, 1);
    pthread_join(t, NULL);
    char *got = query_json(ctx);
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    servgap_ctx_free(ctx);
}
END_TEST

static int32_t id_of(servgap_ctx *ctx, int32_t kind, const char *name)
{
    int32_t id = -1;
    ck_assert_int_eq(servgap_lookup(ctx, kind, name, &id), SERVGAP_OK);
    return id;
}

/* A trend query and a re-measurement of gold's email service gap, each
 * interrupted at its first allocation, then run again in full. */
START_TEST(trends_and_remeasure_interrupted)
{
    interrupter s;
    servgap_ctx *ctx = interruptible(&s);
    load_data(ctx);
    int32_t scope = SERVGAP_SCOPE_TIER, gold = id_of(ctx, SERVGAP_KIND_TIER, "gold");
    int32_t email = id_of(ctx, SERVGAP_KIND_TOUCHPOINT, "email");
    int32_t metric = id_of(ctx, SERVGAP_KIND_METRIC, "first_response_hours");
    int32_t dim = SERVGAP_DIM_RESPONSIVENESS, gap = SERVGAP_GAP_SERVICE;
    servgap_result *r = NULL;
    arm(&s, 1);
    ck_assert_int_eq(servgap_query_trends(ctx, SERVGAP_TIME_NONE, 1, &scope, &gold, &email, &metric,
                                          &dim, &gap, &r),
                     SERVGAP_EINTERRUPTED);
    ck_assert(says_interrupted(ctx));
    ck_assert_ptr_null(r);
    arm(&s, 0);
    ck_assert_int_eq(servgap_query_trends(ctx, SERVGAP_TIME_NONE, 1, &scope, &gold, &email, &metric,
                                          &dim, &gap, &r),
                     SERVGAP_OK);
    servgap_result_free(r);

    servgap_plan plan = {.size = sizeof plan,
                         .owner = "ops",
                         .scope_kind = scope,
                         .scope_id = gold,
                         .touchpoint = email,
                         .metric = metric,
                         .dimension = dim,
                         .gap = gap,
                         .deadline = SERVGAP_TIME_NONE};
    int32_t id = -1;
    ck_assert_int_eq(servgap_plan_add(ctx, &plan, &id), SERVGAP_OK);
    servgap_remeasure re = {.size = sizeof re};
    arm(&s, 1);
    ck_assert_int_eq(servgap_plan_remeasure(ctx, id, JAN_1, JAN_1 + WINDOW, JAN_1 + WINDOW,
                                            JAN_1 + 2 * WINDOW, &re),
                     SERVGAP_EINTERRUPTED);
    ck_assert(says_interrupted(ctx));
    arm(&s, 0);
    /* Nothing recorded on the plan by the interrupted call. */
    ck_assert_int_eq(servgap_plan_info(ctx, id, &plan), SERVGAP_OK);
    ck_assert_int_eq(plan.next_check, SERVGAP_TIME_NONE);
    ck_assert_int_eq(servgap_plan_remeasure(ctx, id, JAN_1, JAN_1 + WINDOW, JAN_1 + WINDOW,
                                            JAN_1 + 2 * WINDOW, &re),
                     SERVGAP_OK);
    servgap_ctx_free(ctx);
}
END_TEST

START_TEST(strerror_names_interrupted)
{
    ck_assert_str_eq(servgap_strerror(SERVGAP_EINTERRUPTED), "interrupted");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("interrupt");
    TCase *tc = tcase_create("interrupt");
    tcase_add_test(tc, query_interrupted_at_every_point);
    tcase_add_test(tc, interrupt_before_a_call_is_not_carried_over);
    tcase_add_test(tc, import_interrupted_is_rolled_back);
    tcase_add_test(tc, snapshot_load_interrupted_changes_nothing);
    tcase_add_test(tc, interrupt_from_another_thread);
    tcase_add_test(tc, trends_and_remeasure_interrupted);
    tcase_add_test(tc, strerror_names_interrupted);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
