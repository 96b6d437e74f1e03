/*
 * bench_summary -- the figures of docs/scaling.md for summaries: summary
 * bytes per observation against the raw log (its snapshot) for dense
 * helpdesk data and for the worst case (one observation per bucket), and
 * the reducer's time and peak memory against the number of observations
 * at three sizes. Workers (4 partitions by account) record their share and
 * write a summary each; the reducer runs in a child process (so that its
 * peak RSS is its own, from wait4) that loads the four summaries and runs
 * one whole-year query with every table. Not a test; run it by hand:
 *   build/tests/bench/bench_summary [OBSERVATIONS_PER_BUCKET...]
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "servgap.h"

#define ACCOUNTS 200
#define TPS      3
#define DAYS     365
#define PARTS    4
#define T0       (20454 * (int64_t)SERVGAP_DAY)

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void check(servgap_ctx *ctx, int rc, const char *what)
{
    if (rc != SERVGAP_OK) {
        fprintf(stderr, "%s: %s\n", what, servgap_errmsg(ctx));
        exit(1);
    }
}

/* Shared definitions: accounts in two tiers, touchpoints, teams, a
 * resolution-time metric. */
static servgap_ctx *defs(void)
{
    servgap_ctx *ctx = NULL;
    check(NULL, servgap_ctx_new(&ctx, NULL), "ctx_new");
    int32_t id;
    check(ctx,
          servgap_metric_define(ctx, "resolution_hours", SERVGAP_DIM_RESPONSIVENESS,
                                SERVGAP_LOWER_IS_BETTER, 0, 240, 0, "h", &id),
          "metric");
    const char *tps[TPS] = {"email", "chat", "phone"};
    for (int t = 0; t < TPS; t++)
        check(ctx, servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, tps[t], &id), "tp");
    check(ctx, servgap_intern(ctx, SERVGAP_KIND_TEAM, "l1", &id), "team");
    check(ctx, servgap_intern(ctx, SERVGAP_KIND_TEAM, "l2", &id), "team");
    for (int a = 0; a < ACCOUNTS; a++) {
        char name[32];
        snprintf(name, sizeof name, "acct%04d", a);
        check(ctx, servgap_account_define(ctx, name, a % 2 ? "smb" : "enterprise", 1000, &id),
              "account");
    }
    return ctx;
}

/* Worker p's share: per account of the part, touchpoint and day, k
 * tickets' delivered hours (metric 5, team by ticket) and k perceived
 * answers (reliability). */
static uint64_t record_part(servgap_ctx *ctx, int p, int k, uint64_t *seed)
{
    size_t cap = (size_t)2 * (size_t)k * TPS * DAYS, n = 0;
    int32_t *sid = malloc(cap * sizeof *sid), *tp = malloc(cap * sizeof *tp);
    int32_t *metric = malloc(cap * sizeof *metric), *vp = malloc(cap * sizeof *vp);
    int32_t *team = malloc(cap * sizeof *team);
    double *value = malloc(cap * sizeof *value);
    int64_t *when = malloc(cap * sizeof *when);
    uint64_t total = 0;
    for (int a = p; a < ACCOUNTS; a += PARTS) {
        n = 0;
        for (int d = 0; d < DAYS; d++)
            for (int t = 0; t < TPS; t++)
                for (int i = 0; i < k; i++)
                    for (int v = 0; v < 2; v++) {
                        *seed = *seed * 6364136223846793005u + 1442695040888963407u;
                        sid[n] = a;
                        tp[n] = t;
                        metric[n] = v ? SERVGAP_DIM_RELIABILITY : 5;
                        vp[n] = v ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_DELIVERED;
                        team[n] = (int32_t)(*seed >> 63);
                        value[n] =
                            v ? (double)(1 + (*seed >> 33) % 7) : (double)(*seed >> 40) / 7e4;
                        when[n] = T0 + (int64_t)d * SERVGAP_DAY + i;
                        n++;
                    }
        check(ctx, servgap_record_batch(ctx, n, NULL, sid, tp, metric, vp, value, when, team, NULL),
              "record_batch");
        total += n;
    }
    free(sid), free(tp), free(metric), free(vp), free(team), free(value), free(when);
    return total;
}

typedef struct blob {
    void *p;
    size_t n;
} blob;

static blob write_summary(servgap_ctx *ctx)
{
    blob b = {NULL, 0};
    check(ctx, servgap_summary_write(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, NULL, 0, &b.n),
          "summary size");
    b.p = malloc(b.n);
    check(ctx, servgap_summary_write(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, b.p, b.n, &b.n),
          "summary");
    return b;
}

static size_t snapshot_size(servgap_ctx *ctx)
{
    size_t n = 0;
    check(ctx, servgap_snapshot_write(ctx, NULL, 0, &n), "snapshot size");
    return n;
}

/* The reducer, in a child: load the parts' summaries, one query; it
 * prints its time, the parent its peak RSS. */
static long reduce(const blob *parts)
{
    pid_t pid = fork();
    if (pid == 0) {
        double t = now_s();
        servgap_ctx *ctx = defs();
        for (int p = 0; p < PARTS; p++)
            check(ctx, servgap_summary_load_buffer(ctx, parts[p].p, parts[p].n), "load");
        servgap_result *r = NULL;
        check(ctx, servgap_query(ctx, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX, SERVGAP_QUERY_ALL, &r),
              "query");
        servgap_result_free(r);
        servgap_ctx_free(ctx);
        printf("  reducer: load 4 summaries and query, %.3f s\n", now_s() - t);
        fflush(stdout);
        _exit(0);
    }
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    return ru.ru_maxrss;
}

static void one_size(int k)
{
    uint64_t seed = 42, obs = 0;
    blob parts[PARTS];
    size_t raw = 0, sum = 0;
    double t = now_s();
    for (int p = 0; p < PARTS; p++) {
        servgap_ctx *w = defs();
        obs += record_part(w, p, k, &seed);
        raw += snapshot_size(w);
        parts[p] = write_summary(w);
        sum += parts[p].n;
        servgap_ctx_free(w);
    }
    double workers = now_s() - t;
    printf("per bucket %3d: %9llu observations, raw %6.2f B/obs, summary %6.2f B/obs "
           "(%zu bytes); workers %.2f s\n",
           k, (unsigned long long)obs, (double)raw / (double)obs, (double)sum / (double)obs, sum,
           workers);
    fflush(stdout);
    printf("  reducer peak RSS %ld KiB\n", reduce(parts));
    for (int p = 0; p < PARTS; p++)
        free(parts[p].p);
}

int main(int argc, char **argv)
{
    int sizes[8] = {1, 8, 32}, n = 3;
    if (argc > 1) {
        n = argc - 1 < 8 ? argc - 1 : 8;
        for (int i = 0; i < n; i++)
            sizes[i] = atoi(argv[i + 1]);
    }
    for (int i = 0; i < n; i++)
        one_size(sizes[i]);
    return 0;
}
