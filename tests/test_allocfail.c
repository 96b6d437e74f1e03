/*
 * test_allocfail -- every allocation of representative workloads fails in
 * turn, through the allocator option: recording (batch and response), CSV
 * import, a query with every analysis and its JSON report, snapshot write,
 * save and load, a merge, and a plan's re-measurement. Each failure must
 * return SERVGAP_ENOMEM, leave the handle's state unchanged (its snapshot
 * bytes), leave it usable (the same call then succeeds), and leak nothing.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "servgap.h"

#include "helpers.h"
#include "run_suite.h"

#define T0  1767225600 /* 2026-01-01 */
#define DAY 86400

/* Fails the allocation numbered fail_at (0: never) and counts the blocks
 * it has handed out and not taken back (helpers.h). */
static test_alloc the_gate;
static char snap_path[64];

static servgap_ctx *gated_ctx(void)
{
    servgap_allocator a = test_allocator(&the_gate);
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, &a), SERVGAP_OK);
    return ctx;
}

static const char csv[] = "time,account,tier,touchpoint,metric,viewpoint,value,respondent\n"
                          "2026-01-02,acme,gold,email,reliability,expected,6,r1\n"
                          "2026-01-02,acme,gold,email,reliability,perceived,4,r1\n"
                          "2026-01-03,zeta,silver,chat,empathy,perceived,5,\n"
                          "2026-01-04,,gold,email,reliability,standard,6,\n";

/* A handle with accounts, a tier standard, paired responses, team and
 * driver facets and a plan. */
static void fill(servgap_ctx *ctx)
{
    int32_t acme, email, id;
    ck_assert_int_eq(servgap_account_define(ctx, "acme", "gold", 1000.0, &acme), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, "email", &email), SERVGAP_OK);
    ck_assert_int_eq(servgap_account_set_date(ctx, acme, SERVGAP_ACCOUNT_RENEWAL, T0 + 40 * DAY),
                     SERVGAP_OK);
    for (int i = 0; i < 12; i++) {
        const int32_t m[1] = {SERVGAP_DIM_RELIABILITY};
        const double e[1] = {6.0 + (i % 2)}, p[1] = {3.0 + (i % 3)};
        ck_assert_int_eq(servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, acme, email,
                                                 T0 + i * DAY, SERVGAP_NONE, 0, 1, m, e, NULL, p,
                                                 NULL),
                         SERVGAP_OK);
    }
    /* Team and driver facets, so that the breakdown's tables grow. */
    int32_t team[2];
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TEAM, "support", &team[0]), SERVGAP_OK);
    ck_assert_int_eq(servgap_intern(ctx, SERVGAP_KIND_TEAM, "success", &team[1]), SERVGAP_OK);
    const int32_t vps[3] = {SERVGAP_VP_DELIVERED, SERVGAP_VP_PERCEIVED, SERVGAP_VP_EXPECTED};
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(
            servgap_record(ctx, SERVGAP_SCOPE_ACCOUNT, acme, email, SERVGAP_DIM_RELIABILITY,
                           vps[i % 3], 3.0 + i % 4, T0 + i * DAY,
                           i % 3 == 2 ? SERVGAP_NONE : team[i % 2],
                           i % 3 == 2 ? SERVGAP_DRIVER_PAST_EXPERIENCE : SERVGAP_DRIVER_NONE),
            SERVGAP_OK);
    servgap_plan plan = {.size = sizeof plan,
                         .owner = "ops",
                         .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                         .scope_id = acme,
                         .touchpoint = email,
                         .metric = SERVGAP_DIM_RELIABILITY,
                         .gap = SERVGAP_GAP_SERVICE,
                         .deadline = T0 + 60 * DAY,
                         .target = 0.0};
    ck_assert_int_eq(servgap_plan_add(ctx, &plan, &id), SERVGAP_OK);
}

/* The handle's whole state as bytes (allocations not gated). */
static uint8_t *state(servgap_ctx *ctx, size_t *len)
{
    long saved = the_gate.fail_at;
    the_gate.fail_at = 0;
    ck_assert_int_eq(servgap_snapshot_write(ctx, NULL, 0, len), SERVGAP_OK);
    uint8_t *buf = malloc(*len);
    ck_assert_int_eq(servgap_snapshot_write(ctx, buf, *len, len), SERVGAP_OK);
    the_gate.fail_at = saved;
    return buf;
}

/* The workloads; each returns the status of its first failing call. */
enum { RECORD, RESPONSE, IMPORT, QUERY, WRITE, SAVE, LOAD, MERGE, REMEASURE, N_OPS };
static const char *const op_name[N_OPS] = {"record_batch",  "record_response", "import_csv",
                                           "query+json",    "snapshot_write",  "snapshot_save",
                                           "snapshot_load", "merge",           "remeasure"};

static int32_t discard(void *user, const char *data, size_t len)
{
    (void)user;
    (void)data;
    (void)len;
    return 0;
}

static int op_query(servgap_ctx *ctx)
{
    servgap_result *r = NULL;
    int rc = servgap_query_at(ctx, T0, T0 + 30 * DAY, T0 + 30 * DAY, SERVGAP_QUERY_ALL, &r);
    size_t len = 0;
    if (rc == SERVGAP_OK)
        rc = servgap_result_json(ctx, r, NULL, 0, &len);
    char *buf = rc == SERVGAP_OK ? malloc(len + 1) : NULL;
    if (buf)
        rc = servgap_result_json(ctx, r, buf, len + 1, &len);
    free(buf);
    if (rc == SERVGAP_OK)
        rc = servgap_result_json_stream(ctx, r, discard, NULL, &len);
    servgap_result_free(r);
    return rc;
}

static int op_copy(servgap_ctx *ctx, int merge)
{
    servgap_ctx *other = NULL;
    int rc = servgap_ctx_new(&other, NULL);
    if (rc != SERVGAP_OK)
        return rc;
    fill(other);
    int32_t z;
    servgap_account_define(other, "zeta", "silver", 5.0, &z);
    if (merge) {
        rc = servgap_ctx_merge(ctx, other);
    } else {
        size_t len = 0;
        servgap_snapshot_write(other, NULL, 0, &len);
        uint8_t *buf = malloc(len);
        servgap_snapshot_write(other, buf, len, &len);
        rc = servgap_snapshot_load_buffer(ctx, buf, len);
        free(buf);
    }
    servgap_ctx_free(other);
    return rc;
}

static int op_write(servgap_ctx *ctx)
{
    size_t len = 0;
    int rc = servgap_snapshot_write(ctx, NULL, 0, &len);
    uint8_t *buf = rc == SERVGAP_OK ? malloc(len) : NULL;
    if (buf)
        rc = servgap_snapshot_write(ctx, buf, len, &len);
    free(buf);
    return rc;
}

/* Enough rows that the log must grow. */
static int op_record(servgap_ctx *ctx)
{
    enum { N = 500 };
    static int32_t sid[N], tp[N], m[N], vp[N];
    static double v[N];
    static int64_t t[N];
    for (int i = 0; i < N; i++) {
        sid[i] = 0;
        tp[i] = i % 3 ? 0 : SERVGAP_ANY;
        m[i] = i % SERVGAP_DIM_COUNT;
        vp[i] = i % SERVGAP_VP_COUNT;
        v[i] = 1.0 + i % 7;
        t[i] = T0 + (i % 20) * DAY;
    }
    return servgap_record_batch(ctx, N, NULL, sid, tp, m, vp, v, t, NULL, NULL);
}

static int run_op(servgap_ctx *ctx, int op)
{
    const int32_t im[2] = {SERVGAP_DIM_TANGIBLES, SERVGAP_DIM_EMPATHY};
    const double e[2] = {6, 7}, p[2] = {5, 4}, pts[5] = {20, 20, 20, 20, 20};
    servgap_remeasure out = {.size = sizeof out};
    switch (op) {
    case RECORD:
        return op_record(ctx);
    case RESPONSE:
        return servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, 0, 0, T0 + 3 * DAY, SERVGAP_NONE,
                                       0, 2, im, e, NULL, p, pts);
    case IMPORT:
        return servgap_import_csv_buffer(ctx, SERVGAP_CSV_OBSERVATIONS, "obs.csv", csv,
                                         sizeof csv - 1, 0, NULL);
    case QUERY:
        return op_query(ctx);
    case WRITE:
        return op_write(ctx);
    case SAVE:
        return servgap_snapshot_save(ctx, snap_path);
    case LOAD:
        return op_copy(ctx, 0);
    case MERGE:
        return op_copy(ctx, 1);
    default:
        return servgap_plan_remeasure(ctx, 0, T0, T0 + 6 * DAY, T0 + 6 * DAY, T0 + 12 * DAY, &out);
    }
}

/* Fail allocation k of op for k = 1, 2, ... until op succeeds; returns
 * the number of failure points. The other handles an op builds use the
 * default allocator, so only the gated handle's allocations fail. */
static long sweep(int op)
{
    long points = 0;
    for (long k = 1;; k++) {
        servgap_ctx *ctx = gated_ctx();
        fill(ctx);
        size_t n0, n1;
        uint8_t *before = state(ctx, &n0);
        the_gate.fail_at = the_gate.calls + k;
        int rc = run_op(ctx, op);
        the_gate.fail_at = 0;
        if (rc == SERVGAP_OK) {
            free(before);
            servgap_ctx_free(ctx);
            break;
        }
        points++;
        ck_assert_msg(rc == SERVGAP_ENOMEM, "%s, allocation %ld: status %d (%s)", op_name[op], k,
                      rc, servgap_errmsg(ctx));
        uint8_t *after = state(ctx, &n1);
        ck_assert_msg(n0 == n1 && memcmp(before, after, n0) == 0,
                      "%s, allocation %ld: the handle changed", op_name[op], k);
        ck_assert_msg(run_op(ctx, op) == SERVGAP_OK, "%s, allocation %ld: unusable afterwards",
                      op_name[op], k);
        free(before);
        free(after);
        servgap_ctx_free(ctx);
        ck_assert_msg(the_gate.live == 0, "%s, allocation %ld: %ld blocks leaked", op_name[op], k,
                      the_gate.live);
    }
    ck_assert_int_eq(the_gate.live, 0);
    return points;
}

START_TEST(test_every_allocation_fails_cleanly)
{
    snprintf(snap_path, sizeof snap_path, "/tmp/servgap-allocfail-%ld.snap", (long)getpid());
    long total = 0;
    for (int op = 0; op < N_OPS; op++) {
        long points = sweep(op);
        fprintf(stderr, "allocfail: %-16s %5ld failure points\n", op_name[op], points);
        /* Writing a snapshot into a caller's buffer allocates nothing by
         * design; every other workload must have been exercised. */
        if (op == WRITE)
            ck_assert_int_eq(points, 0);
        else
            ck_assert_msg(points > 0, "%s allocates nothing?", op_name[op]);
        total += points;
    }
    fprintf(stderr, "allocfail: %ld failure points in all\n", total);
    unlink(snap_path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("allocfail");
    TCase *tc = tcase_create("allocfail");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_every_allocation_fails_cleanly);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
