/*
 * bench_batch_c.c -- the C side of the Python batch-recording benchmark
 * (bench_batch.py): servgap_record_batch on N generated observations, in
 * batches of B, timed as the median of R runs, each into a fresh handle.
 *
 *   bench_batch_c [N [B[,B...] [R]]]      defaults: 10000000 65536 5
 *
 * Prints one line per batch size:
 *   c batch=B n=N runs=R median_s=S obs_per_s=X
 *
 * The data is the same, value for value, as bench_batch.py generates: a
 * block of 100,000 rows from a 64-bit LCG (see gen_block), repeated to N
 * rows. Account and touchpoint set-up is outside the timed region.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "servgap.h"

#define BLOCK       100000
#define ACCOUNTS    1000
#define TOUCHPOINTS 4
#define T0          1767225600 /* 2026-01-01 */

typedef struct columns {
    int32_t *scope, *tp, *metric, *vp;
    double *value;
    int64_t *time;
} columns;

/* Row i of the block: every field from one LCG step, as bench_batch.py. */
static void gen_block(columns *c)
{
    uint64_t s = 0x5EED5EED5EEDULL;
    for (size_t i = 0; i < BLOCK; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        c->scope[i] = (int32_t)((s >> 33) % ACCOUNTS);
        c->tp[i] = (int32_t)((s >> 20) % TOUCHPOINTS);
        c->metric[i] = (int32_t)((s >> 10) % SERVGAP_DIM_COUNT);
        c->vp[i] = (int32_t)((s >> 5) % SERVGAP_VP_COUNT);
        c->value[i] = (double)(1 + (s >> 40) % 7);
        c->time[i] = T0 + (int64_t)((s >> 45) % 365) * SERVGAP_DAY + (int64_t)((s >> 13) % 86400);
    }
}

static int alloc_columns(columns *c, size_t n)
{
    c->scope = malloc(n * sizeof *c->scope);
    c->tp = malloc(n * sizeof *c->tp);
    c->metric = malloc(n * sizeof *c->metric);
    c->vp = malloc(n * sizeof *c->vp);
    c->value = malloc(n * sizeof *c->value);
    c->time = malloc(n * sizeof *c->time);
    return c->scope && c->tp && c->metric && c->vp && c->value && c->time ? 0 : -1;
}

static void free_columns(columns *c)
{
    free(c->scope);
    free(c->tp);
    free(c->metric);
    free(c->vp);
    free(c->value);
    free(c->time);
}

/* Rows BLOCK.. repeat the block. */
static void fill(columns *c, size_t n)
{
    gen_block(c);
    for (size_t at = BLOCK; at < n; at += BLOCK) {
        size_t k = n - at < BLOCK ? n - at : BLOCK;
        memcpy(c->scope + at, c->scope, k * sizeof *c->scope);
        memcpy(c->tp + at, c->tp, k * sizeof *c->tp);
        memcpy(c->metric + at, c->metric, k * sizeof *c->metric);
        memcpy(c->vp + at, c->vp, k * sizeof *c->vp);
        memcpy(c->value + at, c->value, k * sizeof *c->value);
        memcpy(c->time + at, c->time, k * sizeof *c->time);
    }
}

/* A handle knowing the accounts and touchpoints the data names, with
 * account ids 0..ACCOUNTS-1 and touchpoint ids 0..TOUCHPOINTS-1. */
static servgap_ctx *setup(void)
{
    servgap_ctx *ctx = NULL;
    char name[32];
    int32_t id;
    if (servgap_ctx_new(&ctx, NULL) != SERVGAP_OK)
        return NULL;
    for (int a = 0; a < ACCOUNTS; a++) {
        snprintf(name, sizeof name, "account-%04d", a);
        if (servgap_account_define(ctx, name, a % 3 ? "growth" : "enterprise", 1000.0 + a, &id))
            goto fail;
    }
    for (int t = 0; t < TOUCHPOINTS; t++) {
        snprintf(name, sizeof name, "touchpoint-%d", t);
        if (servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, name, &id))
            goto fail;
    }
    return ctx;
fail:
    fprintf(stderr, "bench_batch_c: setup: %s\n", servgap_errmsg(ctx));
    servgap_ctx_free(ctx);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One timed run: all n rows in batches of b. Returns seconds, or -1. */
static double run(const columns *c, size_t n, size_t b)
{
    servgap_ctx *ctx = setup();
    if (!ctx)
        return -1;
    double t = now_s();
    for (size_t at = 0; at < n; at += b) {
        size_t k = n - at < b ? n - at : b;
        int rc = servgap_record_batch(ctx, k, NULL, c->scope + at, c->tp + at, c->metric + at,
                                      c->vp + at, c->value + at, c->time + at, NULL, NULL);
        if (rc != SERVGAP_OK) {
            fprintf(stderr, "bench_batch_c: %s\n", servgap_errmsg(ctx));
            servgap_ctx_free(ctx);
            return -1;
        }
    }
    t = now_s() - t;
    uint64_t count = 0;
    servgap_observation_count(ctx, &count);
    servgap_ctx_free(ctx);
    return count == n ? t : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
    const char *batches = argc > 2 ? argv[2] : "65536";
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (n == 0 || runs < 1 || runs > 99) {
        fputs("usage: bench_batch_c [N [B[,B...] [RUNS]]]\n", stderr);
        return 2;
    }
    columns c;
    if (alloc_columns(&c, n < BLOCK ? BLOCK : n)) {
        fputs("bench_batch_c: out of memory\n", stderr);
        return 1;
    }
    fill(&c, n);
    int status = 0;
    for (const char *p = batches; *p;) {
        char *end;
        size_t b = strtoull(p, &end, 10);
        if (end == p || b == 0) {
            fprintf(stderr, "bench_batch_c: bad batch size list '%s'\n", batches);
            status = 2;
            break;
        }
        double t[99];
        for (int r = 0; r < runs; r++) {
            t[r] = run(&c, n, b);
            if (t[r] < 0) {
                status = 1;
                goto done;
            }
        }
        qsort(t, (size_t)runs, sizeof t[0], cmp_double);
        double median = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
        printf("c batch=%zu n=%zu runs=%d median_s=%.6f obs_per_s=%.0f\n", b, n, runs, median,
               (double)n / median);
        fflush(stdout);
        p = *end == ',' ? end + 1 : end;
    }
done:
    free_columns(&c);
    return status;
}
