/*
 * bench_tables -- how the keyed tables scale (issue 15): the CSV import
 * (accounts, importance, efforts, observations) and the plans, a query
 * with an allocation per account and an effort table, a snapshot loaded
 * into a handle that holds data, and servgap_ctx_merge, at sizes that
 * double from N = SERVGAP_BENCH_TABLES_BASE (default 5000) for
 * SERVGAP_BENCH_TABLES_POINTS sizes (default 5: 16x). At size N there are
 * N accounts, N + 3 importance rows (one per account, one per tier), N
 * effort rows (wildcards included), N plans and 12 N observations. Each
 * figure is the median of SERVGAP_BENCH_RUNS runs (default 3); each
 * operation's growth exponent is the least-squares slope of log time
 * against log N over all sizes, and that of the last doubling alone
 * (1: linear; 2: quadratic). One size alone (_POINTS=1) is for a profiler.
 *
 * Load and merge: the handle holds the first half of everything (accounts
 * below N/2, their allocations and plans, the first half of the effort
 * keys) and the second half comes in, with 5% of the effort keys in both.
 * Everything goes through the public API.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"

#define T0          1767225600 /* 2026-01-01 */
#define EXTRA_MET   59         /* metrics m05..m63 beside the five built-ins */
#define EFF_PER_TP  520        /* effort keys per touchpoint: 8 gaps x 65 metrics */
#define MAX_RUNS    64
#define MAX_POINTS  8
#define OBS_PER_ACC 12

static int runs;

static void die(const char *what, servgap_ctx *ctx)
{
    fprintf(stderr, "bench_tables: %s failed: %s\n", what, ctx ? servgap_errmsg(ctx) : "");
    exit(1);
}

/* A growing text buffer. */
typedef struct text {
    char *s;
    size_t n, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0)
            die("format", NULL);
        if (t->s && t->n + (size_t)k < t->cap) {
            t->n += (size_t)k;
            return;
        }
        size_t cap = t->cap ? t->cap * 2 : 1 << 16;
        while (cap < t->n + (size_t)k + 1)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s)
            die("malloc", NULL);
        t->s = s;
        t->cap = cap;
    }
}

static const char *const tiers[3] = {"gold", "silver", "bronze"};
static const char *const gaps[7] = {"service",       "knowledge",  "standards", "delivery",
                                    "communication", "perception", "adequacy"};
static const char *const dims[5] = {"tangibles", "reliability", "responsiveness", "assurance",
                                    "empathy"};

/* One half's (or the whole's) tables as CSV text: accounts [alo, ahi),
 * effort keys [elo, ehi). */
typedef struct tables {
    text metrics, accounts, importance, efforts, observations;
    size_t alo, ahi, elo, ehi;
} tables;

static void gen_metrics(text *t)
{
    put(t, "metric,dimension,direction,min,max\n");
    for (int k = 0; k < EXTRA_MET; k++)
        put(t, "m%02d,%s,higher,1,7\n", k + 5, dims[k % 5]);
}

static void gen_accounts(tables *x)
{
    put(&x->accounts, "account,tier,value\n");
    put(&x->importance, "scope,whose,tangibles,reliability,responsiveness,assurance,empathy\n");
    for (int t = 0; t < 3; t++)
        put(&x->importance, "tier:%s,customer,20,20,20,20,20\n", tiers[t]);
    for (size_t i = x->alo; i < x->ahi; i++) {
        put(&x->accounts, "a%07zu,%s,%zu\n", i, tiers[i % 3], 1000 + i % 977);
        int p = (int)(i % 21);
        put(&x->importance, "account:a%07zu,customer,%d,%d,20,20,%d\n", i, 10 + p, 30 - p, 20);
    }
}

/* Effort key i: gap i % 8 (7: '*'), metric (i / 8) % 65 (64: '*'), and
 * touchpoint i / 520 ('*' for the first 520 keys). */
static void gen_efforts(tables *x)
{
    put(&x->efforts, "gap,touchpoint,metric,effort\n");
    for (size_t i = x->elo; i < x->ehi; i++) {
        size_t g = i % 8, m = i / 8 % 65, tp = i / EFF_PER_TP;
        char gs[32], ms[32], ts[32];
        snprintf(gs, sizeof gs, "%s", g == 7 ? "*" : gaps[g]);
        if (m == 64)
            snprintf(ms, sizeof ms, "*");
        else if (m < 5)
            snprintf(ms, sizeof ms, "%s", dims[m]);
        else
            snprintf(ms, sizeof ms, "m%02zu", m);
        if (tp == 0)
            snprintf(ts, sizeof ts, "*");
        else
            snprintf(ts, sizeof ts, "tp%05zu", tp - 1);
        put(&x->efforts, "%s,%s,%s,%.1f\n", gs, ts, ms, 1.0 + (double)(i % 9) * 0.5);
    }
}

/* Per account, at one of four touchpoints for one dimension: six
 * expected and six perceived answers, a clear service gap. */
static void gen_observations(tables *x)
{
    put(&x->observations, "time,account,tier,touchpoint,metric,viewpoint,value\n");
    for (size_t i = x->alo; i < x->ahi; i++)
        for (int k = 0; k < OBS_PER_ACC; k++) {
            int perceived = k >= OBS_PER_ACC / 2;
            put(&x->observations, "2026-01-%02dT%02d:00:00Z,a%07zu,%s,tp%05zu,%s,%s,%d\n",
                1 + (int)((i + (size_t)k) % 28), k, i, tiers[i % 3], i % 4, dims[i % 5],
                perceived ? "perceived" : "expected", perceived ? 2 + k % 3 : 6 + k % 2);
        }
}

static void gen(tables *x, size_t alo, size_t ahi, size_t elo, size_t ehi)
{
    memset(x, 0, sizeof *x);
    x->alo = alo;
    x->ahi = ahi;
    x->elo = elo;
    x->ehi = ehi;
    gen_metrics(&x->metrics);
    gen_accounts(x);
    gen_efforts(x);
    gen_observations(x);
}

static void tables_free(tables *x)
{
    free(x->metrics.s);
    free(x->accounts.s);
    free(x->importance.s);
    free(x->efforts.s);
    free(x->observations.s);
}

/* ---------------------------------------------------------------------- */

enum {
    OP_ACCOUNTS,
    OP_IMPORTANCE,
    OP_EFFORTS,
    OP_PLANS,
    OP_OBS,
    OP_IMPORT,
    OP_QUERY,
    OP_LOAD,
    OP_MERGE,
    N_OPS
};
static const char *const op_name[N_OPS] = {"accounts", "importance",   "efforts",
                                           "plans",    "observations", "import",
                                           "query",    "load",         "merge"};

static void import_one(servgap_ctx *ctx, int32_t table, const char *name, const text *t)
{
    if (servgap_import_csv_buffer(ctx, table, name, t->s, t->n, 0, NULL) != SERVGAP_OK)
        die(name, ctx);
}

/* Plans of accounts [lo, hi): owners shared by eight accounts each. */
static void add_plans(servgap_ctx *ctx, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++) {
        char acc[32], owner[32];
        int32_t sid, id;
        snprintf(acc, sizeof acc, "a%07zu", i);
        snprintf(owner, sizeof owner, "owner%06zu", i / 8);
        if (servgap_lookup(ctx, SERVGAP_KIND_ACCOUNT, acc, &sid) != SERVGAP_OK)
            die("lookup", ctx);
        servgap_plan p = {.size = sizeof p,
                          .owner = owner,
                          .scope_kind = SERVGAP_SCOPE_ACCOUNT,
                          .scope_id = sid,
                          .touchpoint = SERVGAP_ALL,
                          .metric = SERVGAP_ALL,
                          .dimension = (int32_t)(i % 5),
                          .gap = (int32_t)(i % 7),
                          .deadline = T0 + 60 * SERVGAP_DAY,
                          .target = 0.0};
        if (servgap_plan_add(ctx, &p, &id) != SERVGAP_OK)
            die("plan_add", ctx);
    }
}

/* Import x into a new handle; t[op] gets the seconds of each step. */
static servgap_ctx *load_tables(const tables *x, double *t)
{
    servgap_ctx *ctx;
    if (servgap_ctx_new(&ctx, NULL) != SERVGAP_OK)
        die("ctx_new", NULL);
    import_one(ctx, SERVGAP_CSV_METRICS, "metrics", &x->metrics);
    double t0 = bench_now();
    import_one(ctx, SERVGAP_CSV_ACCOUNTS, "accounts", &x->accounts);
    double t1 = bench_now();
    import_one(ctx, SERVGAP_CSV_IMPORTANCE, "importance", &x->importance);
    double t2 = bench_now();
    import_one(ctx, SERVGAP_CSV_EFFORTS, "efforts", &x->efforts);
    double t3 = bench_now();
    add_plans(ctx, x->alo, x->ahi);
    double t4 = bench_now();
    import_one(ctx, SERVGAP_CSV_OBSERVATIONS, "observations", &x->observations);
    double t5 = bench_now();
    if (t) {
        t[OP_ACCOUNTS] = t1 - t0;
        t[OP_IMPORTANCE] = t2 - t1;
        t[OP_EFFORTS] = t3 - t2;
        t[OP_PLANS] = t4 - t3;
        t[OP_OBS] = t5 - t4;
        t[OP_IMPORT] = t5 - t0;
    }
    return ctx;
}

static double t_query(servgap_ctx *ctx, size_t *findings)
{
    servgap_result *r;
    double t0 = bench_now();
    if (servgap_query(ctx, T0, T0 + 31 * SERVGAP_DAY, SERVGAP_QUERY_ALL, &r) != SERVGAP_OK)
        die("query", ctx);
    double t = bench_now() - t0;
    *findings = servgap_result_count(r, SERVGAP_TABLE_FINDINGS);
    servgap_result_free(r);
    return t;
}

static char *snapshot(servgap_ctx *ctx, size_t *len)
{
    if (servgap_snapshot_write(ctx, NULL, 0, len) != SERVGAP_OK)
        die("snapshot size", ctx);
    char *buf = malloc(*len);
    if (!buf || servgap_snapshot_write(ctx, buf, *len, len) != SERVGAP_OK)
        die("snapshot", ctx);
    return buf;
}

/* A handle holding the first half, from its snapshot. */
static servgap_ctx *first_half(const char *snap, size_t len)
{
    servgap_ctx *ctx;
    if (servgap_ctx_new(&ctx, NULL) != SERVGAP_OK ||
        servgap_snapshot_load_buffer(ctx, snap, len) != SERVGAP_OK)
        die("first half", NULL);
    return ctx;
}

/* Median seconds of every operation at size n into med[]. */
static void point(size_t n, double *med, size_t *findings)
{
    double t[N_OPS][MAX_RUNS], step[N_OPS];
    tables all, a, b;
    gen(&all, 0, n, 0, n);
    size_t half = n / 2, overlap = n / 20;
    gen(&a, 0, half, 0, half);
    gen(&b, half, n, half - overlap, n);
    servgap_ctx *ha = load_tables(&a, NULL), *hb = load_tables(&b, NULL);
    size_t la, lb;
    char *sa = snapshot(ha, &la), *sb = snapshot(hb, &lb);
    servgap_ctx_free(ha);
    for (int k = 0; k < runs; k++) {
        servgap_ctx *ctx = load_tables(&all, step);
        for (int op = OP_ACCOUNTS; op <= OP_IMPORT; op++)
            t[op][k] = step[op];
        t[OP_QUERY][k] = t_query(ctx, findings);
        servgap_ctx_free(ctx);

        ctx = first_half(sa, la);
        double t0 = bench_now();
        if (servgap_snapshot_load_buffer(ctx, sb, lb) != SERVGAP_OK)
            die("snapshot_load_buffer", ctx);
        t[OP_LOAD][k] = bench_now() - t0;
        servgap_ctx_free(ctx);

        ctx = first_half(sa, la);
        t0 = bench_now();
        if (servgap_ctx_merge(ctx, hb) != SERVGAP_OK)
            die("merge", ctx);
        t[OP_MERGE][k] = bench_now() - t0;
        servgap_ctx_free(ctx);
    }
    for (int op = 0; op < N_OPS; op++)
        med[op] = bench_median(t[op], runs);
    servgap_ctx_free(hb);
    free(sa);
    free(sb);
    tables_free(&all);
    tables_free(&a);
    tables_free(&b);
}

/* Least-squares slope of log y against log x. */
static double slope(const double *x, const double *y, int n)
{
    double mx = 0.0, my = 0.0, sxy = 0.0, sxx = 0.0;
    for (int i = 0; i < n; i++) {
        mx += log(x[i]) / n;
        my += log(y[i]) / n;
    }
    for (int i = 0; i < n; i++) {
        sxy += (log(x[i]) - mx) * (log(y[i]) - my);
        sxx += (log(x[i]) - mx) * (log(x[i]) - mx);
    }
    return sxy / sxx;
}

static size_t env_size(const char *name, size_t dflt)
{
    const char *s = getenv(name);
    long v = s ? atol(s) : 0;
    return v > 0 ? (size_t)v : dflt;
}

int main(void)
{
    char machine[512];
    size_t base = env_size("SERVGAP_BENCH_TABLES_BASE", 5000);
    int npoints = (int)env_size("SERVGAP_BENCH_TABLES_POINTS", 5);
    if (npoints > MAX_POINTS)
        npoints = MAX_POINTS;
    runs = bench_runs(3);
    if (runs > MAX_RUNS)
        runs = MAX_RUNS;
    bench_machine(machine, sizeof machine);
    printf("machine: %s\nscaling of the keyed tables: %d runs per figure, median, ms\n\n", machine,
           runs);
    printf("| N | findings |");
    for (int op = 0; op < N_OPS; op++)
        printf(" %s |", op_name[op]);
    printf("\n|---|---|");
    for (int op = 0; op < N_OPS; op++)
        printf("---|");
    printf("\n");
    double x[MAX_POINTS], y[N_OPS][MAX_POINTS];
    for (int i = 0; i < npoints; i++) {
        double med[N_OPS];
        size_t findings = 0;
        x[i] = (double)(base << i);
        point(base << i, med, &findings);
        printf("| %zu | %zu |", base << i, findings);
        for (int op = 0; op < N_OPS; op++) {
            y[op][i] = med[op];
            printf(" %.1f |", med[op] * 1e3);
        }
        printf("\n");
        fflush(stdout);
    }
    if (npoints < 2)
        return 0; /* one size: for a profiler */
    printf("| exponent, fit | |");
    for (int op = 0; op < N_OPS; op++)
        printf(" %.2f |", slope(x, y[op], npoints));
    printf("\n| exponent, last 2x | |");
    for (int op = 0; op < N_OPS; op++)
        printf(" %.2f |", log2(y[op][npoints - 1] / y[op][npoints - 2]));
    printf("\n");
    return 0;
}
