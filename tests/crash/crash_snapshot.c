/*
 * crash_snapshot -- the program side of the crash-safety test of
 * servgap_snapshot_save (docs/formats.md, "Atomic save"); crash_test.py
 * drives it. Two fixed handle states, A (larger) and B (smaller, other
 * names and values), are built the same way by every mode:
 *
 *   crash_snapshot ref DIR         write A's and B's snapshots (from
 *                                  servgap_snapshot_write) to DIR/A.snap
 *                                  and DIR/B.snap
 *   crash_snapshot save PATH [N]   print "ready", then save A, B, A, B, ...
 *                                  to PATH, printing the number of each
 *                                  completed save; stops after N saves
 *                                  (default: until killed)
 *   crash_snapshot check PATH DIR  load PATH into a new handle with
 *                                  servgap_snapshot_load and again with
 *                                  servgap_snapshot_load_buffer; both must
 *                                  succeed and write back exactly the bytes
 *                                  of DIR/A.snap or DIR/B.snap, and so must
 *                                  the file itself. Prints "A", "B" or
 *                                  "absent" (no file at PATH); exits 1 on
 *                                  anything else.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "servgap.h"

#define T0 ((int64_t)1767225600) /* 2026-01-01 */

typedef struct bytes {
    unsigned char *p;
    size_t n;
} bytes;

static void die(const char *what, servgap_ctx *ctx)
{
    fprintf(stderr, "crash_snapshot: %s%s%s\n", what, ctx ? ": " : "",
            ctx ? servgap_errmsg(ctx) : "");
    exit(2);
}

#define CHECK(ctx, call)                                                                           \
    do {                                                                                           \
        if ((call) != SERVGAP_OK)                                                                  \
            die(#call, ctx);                                                                       \
    } while (0)

/* A deterministic state: accounts, touchpoints and n observations from a
 * small linear congruential generator seeded with seed. */
static servgap_ctx *build(const char *prefix, size_t n, uint32_t seed)
{
    servgap_ctx *ctx = NULL;
    if (servgap_ctx_new(&ctx, NULL) != SERVGAP_OK)
        die("servgap_ctx_new", NULL);
    enum { ACCOUNTS = 12, TOUCHPOINTS = 4 };
    static const char *const tiers[] = {"enterprise", "growth", "starter"};
    static const char *const tps[TOUCHPOINTS] = {"email", "slack", "chat", "phone"};
    int32_t acc[ACCOUNTS], tp[TOUCHPOINTS];
    char name[64];
    for (int i = 0; i < ACCOUNTS; i++) {
        snprintf(name, sizeof name, "%s-account-%02d", prefix, i);
        CHECK(ctx, servgap_account_define(ctx, name, tiers[i % 3], 1000.0 * (i + 1), &acc[i]));
    }
    for (int i = 0; i < TOUCHPOINTS; i++)
        CHECK(ctx, servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, tps[i], &tp[i]));
    int32_t *scope = malloc(n * sizeof *scope), *tpc = malloc(n * sizeof *tpc);
    int32_t *metric = malloc(n * sizeof *metric), *vp = malloc(n * sizeof *vp);
    double *value = malloc(n * sizeof *value);
    int64_t *time = malloc(n * sizeof *time);
    if (!scope || !tpc || !metric || !vp || !value || !time)
        die("out of memory", NULL);
    uint32_t x = seed;
    for (size_t i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        scope[i] = acc[(x >> 8) % ACCOUNTS];
        tpc[i] = tp[(x >> 12) % TOUCHPOINTS];
        metric[i] = (int32_t)((x >> 16) % SERVGAP_DIM_COUNT);
        vp[i] = (x >> 20) % 2 ? SERVGAP_VP_PERCEIVED : SERVGAP_VP_EXPECTED;
        value[i] = 1 + (double)((x >> 24) % 7);
        time[i] = T0 + (int64_t)(i % 365) * SERVGAP_DAY + (int64_t)(x % 86400);
    }
    CHECK(ctx, servgap_record_batch(ctx, n, NULL, scope, tpc, metric, vp, value, time, NULL, NULL));
    free(scope), free(tpc), free(metric), free(vp), free(value), free(time);
    return ctx;
}

static servgap_ctx *state(char which)
{
    return which == 'A' ? build("alpha", 120000, 12345u) : build("beta", 30000, 67890u);
}

static bytes snap(servgap_ctx *ctx)
{
    bytes b = {NULL, 0};
    CHECK(ctx, servgap_snapshot_write(ctx, NULL, 0, &b.n));
    b.p = malloc(b.n);
    if (!b.p)
        die("out of memory", NULL);
    CHECK(ctx, servgap_snapshot_write(ctx, b.p, b.n, &b.n));
    return b;
}

/* The whole file; p NULL when it does not exist. */
static bytes slurp(const char *path)
{
    bytes b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return b;
        perror(path);
        exit(2);
    }
    size_t cap = 1 << 20;
    b.p = malloc(cap);
    for (;;) {
        if (!b.p)
            die("out of memory", NULL);
        b.n += fread(b.p + b.n, 1, cap - b.n, f);
        if (b.n < cap)
            break;
        cap *= 2;
        b.p = realloc(b.p, cap);
    }
    if (ferror(f)) {
        perror(path);
        exit(2);
    }
    fclose(f);
    return b;
}

static int same(bytes a, bytes b)
{
    return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

static void spit(const char *dir, const char *name, bytes b)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b.p, 1, b.n, f) != b.n || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

static int cmd_ref(const char *dir)
{
    for (char w = 'A'; w <= 'B'; w++) {
        servgap_ctx *ctx = state(w);
        bytes b = snap(ctx);
        char name[] = "X.snap";
        name[0] = w;
        spit(dir, name, b);
        printf("%c %zu bytes\n", w, b.n);
        free(b.p);
        servgap_ctx_free(ctx);
    }
    return 0;
}

static int cmd_save(const char *path, long limit)
{
    servgap_ctx *ctx[2] = {state('A'), state('B')};
    printf("ready\n");
    fflush(stdout);
    for (long i = 1; limit <= 0 || i <= limit; i++) {
        servgap_ctx *c = ctx[(i - 1) % 2];
        CHECK(c, servgap_snapshot_save(c, path));
        printf("%ld\n", i);
        fflush(stdout);
    }
    servgap_ctx_free(ctx[0]);
    servgap_ctx_free(ctx[1]);
    return 0;
}

/* Which reference the loaded handle writes back, or 0. */
static char loaded(bytes b, const bytes ref[2])
{
    for (int k = 0; k < 2; k++)
        if (same(b, ref[k]))
            return (char)('A' + k);
    return 0;
}

/* Prints what the file at path holds; 1 when that is not A or B. */
static int check_file(const char *path, bytes file, const bytes ref[2])
{
    if (!file.p) {
        printf("absent\n");
        return 0;
    }
    char raw = loaded(file, ref);
    servgap_ctx *c1 = NULL, *c2 = NULL;
    if (servgap_ctx_new(&c1, NULL) != SERVGAP_OK || servgap_ctx_new(&c2, NULL) != SERVGAP_OK)
        die("servgap_ctx_new", NULL);
    int rc = 0;
    int rc1 = servgap_snapshot_load(c1, path);
    int rc2 = servgap_snapshot_load_buffer(c2, file.p, file.n);
    if (rc1 != SERVGAP_OK || rc2 != SERVGAP_OK) {
        printf("bad: %zu bytes on disk; load %d (%s); load_buffer %d (%s)\n", file.n, rc1,
               servgap_errmsg(c1), rc2, servgap_errmsg(c2));
        rc = 1;
    } else {
        bytes b1 = snap(c1), b2 = snap(c2);
        char w1 = loaded(b1, ref), w2 = loaded(b2, ref);
        if (!raw || w1 != raw || w2 != raw) {
            printf("bad: %zu bytes on disk (file %c, loaded %c / %c)\n", file.n, raw ? raw : '?',
                   w1 ? w1 : '?', w2 ? w2 : '?');
            rc = 1;
        } else {
            printf("%c\n", raw);
        }
        free(b1.p), free(b2.p);
    }
    servgap_ctx_free(c1);
    servgap_ctx_free(c2);
    return rc;
}

static int cmd_check(const char *path, const char *dir)
{
    bytes ref[2];
    char name[4096];
    for (int k = 0; k < 2; k++) {
        snprintf(name, sizeof name, "%s/%c.snap", dir, 'A' + k);
        ref[k] = slurp(name);
        if (!ref[k].p)
            die("missing reference snapshot", NULL);
    }
    bytes file = slurp(path);
    int rc = check_file(path, file, ref);
    free(file.p), free(ref[0].p), free(ref[1].p);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "ref") == 0)
        return cmd_ref(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "save") == 0)
        return cmd_save(argv[2], argc >= 4 ? atol(argv[3]) : 0);
    if (argc >= 4 && strcmp(argv[1], "check") == 0)
        return cmd_check(argv[2], argv[3]);
    fprintf(stderr, "usage: crash_snapshot ref DIR | save PATH [N] | check PATH DIR\n");
    return 2;
}
