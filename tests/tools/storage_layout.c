/*
 * storage_layout -- the measurement behind the choice of the observation
 * log (docs/storage.md): memory per observation and insert rate of the log
 * against day-bucketed moments (one hash entry of key + moments per group),
 * at 1, 2, 4 and 8 observations per group. Build: ninja -C build
 * tests/storage_layout; run it without arguments.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <stdio.h>
#include <time.h>

#include "base/map.h"
#include "base/stats.h"
#include "model/store.h"

#define N 4000000ul

typedef struct bucket {
    servgap__mapkey key;
    servgap__moments m;
} bucket;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void buckets(const servgap__alloc *a, unsigned long share)
{
    servgap__map m;
    servgap__map_init(&m, a, sizeof(bucket));
    double t0 = now();
    for (unsigned long i = 0; i < N; i++) {
        int created;
        bucket *b = servgap__map_get(&m, i / share, 0, &created);
        if (!b)
            return;
        if (created)
            servgap__moments_init(&b->m);
        servgap__moments_add(&b->m, (double)(i % 7));
    }
    double t1 = now();
    double bytes = (double)m.cap * (double)m.elem + (double)m.nslot * 4.0;
    printf("day buckets, %lu obs/group: %5.1f bytes/obs, %4.0f M obs/s\n", share, bytes / (double)N,
           (double)N / (t1 - t0) / 1e6);
    servgap__map_free(&m);
}

static void log_layout(const servgap__alloc *a)
{
    servgap__store s;
    servgap__store_init(&s);
    double t0 = now();
    if (servgap__store_reserve(&s, a, N, 0) != 0)
        return;
    for (unsigned long i = 0; i < N; i++) {
        servgap__obs r = {(double)(i % 7), (int32_t)(i / 1000), (uint32_t)i, 1, 2, -1, 6};
        servgap__store_push(&s, &r);
    }
    double t1 = now();
    double sum = 0.0;
    servgap__obs r;
    for (unsigned long i = 0; i < N; i++) {
        servgap__store_get(&s, i, &r);
        sum += r.value;
    }
    double t2 = now();
    printf("log, any sharing:       %5.1f bytes/obs, %4.0f M obs/s, scan %4.0f M rows/s (%g)\n",
           (double)servgap__store_bytes(&s) / (double)N, (double)N / (t1 - t0) / 1e6,
           (double)N / (t2 - t1) / 1e6, sum);
    servgap__store_free(&s, a);
}

int main(void)
{
    servgap__alloc a;
    servgap__alloc_default(&a);
    for (unsigned long share = 1; share <= 8; share *= 2)
        buckets(&a, share);
    log_layout(&a);
    return 0;
}
