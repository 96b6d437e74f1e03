/*
 * bench_common -- shared benchmark helpers.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_median(double *x, int n)
{
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

void bench_machine(char *buf, size_t cap)
{
    char model[256] = "unknown CPU", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *p = strchr(line, ':');
            if (p) {
                p++;
                while (*p == ' ')
                    p++;
                p[strcspn(p, "\n")] = 0;
                snprintf(model, sizeof model, "%s", p);
            }
            break;
        }
    }
    if (f)
        fclose(f);
    struct utsname u;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long mem = sysconf(_SC_PHYS_PAGES) / 1024 * (sysconf(_SC_PAGESIZE) / 1024);
    if (uname(&u) != 0)
        strcpy(u.release, "?");
    snprintf(buf, cap, "%s, %ld cores, %ld MiB RAM, Linux %s", model, cores, mem, u.release);
}

uint64_t bench_rss_peak(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (uint64_t)r.ru_maxrss * 1024u;
}

int bench_runs(int dflt)
{
    const char *s = getenv("SERVGAP_BENCH_RUNS");
    int n = s ? atoi(s) : 0;
    return n > 0 ? n : dflt;
}

/* Each block carries its size in a 16-byte header. */
static void *c_malloc(void *user, size_t n)
{
    bench_counter *c = user;
    unsigned char *p = malloc(n + 16);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof n);
    c->live += n;
    c->calls++;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + 16;
}

static void c_free(void *user, void *q)
{
    bench_counter *c = user;
    if (!q)
        return;
    unsigned char *p = (unsigned char *)q - 16;
    size_t n;
    memcpy(&n, p, sizeof n);
    c->live -= n;
    free(p);
}

static void *c_realloc(void *user, void *q, size_t n)
{
    bench_counter *c = user;
    if (!q)
        return c_malloc(user, n);
    unsigned char *p = (unsigned char *)q - 16;
    size_t old;
    memcpy(&old, p, sizeof old);
    unsigned char *r = realloc(p, n + 16);
    if (!r)
        return NULL;
    memcpy(r, &n, sizeof n);
    c->live = c->live - old + n;
    c->calls++;
    if (c->live > c->peak)
        c->peak = c->live;
    return r + 16;
}

void bench_counter_allocator(bench_counter *c, servgap_allocator *a)
{
    memset(c, 0, sizeof *c);
    a->size = sizeof *a;
    a->malloc_fn = c_malloc;
    a->realloc_fn = c_realloc;
    a->free_fn = c_free;
    a->user = c;
}

servgap_ctx *bench_ctx(const wl_data *d, const servgap_allocator *a)
{
    servgap_ctx *ctx;
    if (servgap_ctx_new(&ctx, a) != SERVGAP_OK)
        return NULL;
    int32_t id;
    int rc = SERVGAP_OK;
    for (int m = WL_LIKERT; m < WL_METRICS && rc == SERVGAP_OK; m++) {
        const wl_metric *x = &wl_metrics[m];
        rc = servgap_metric_define(ctx, x->name, x->dim, x->direction, x->min, x->max, x->span,
                                   x->unit, &id);
        if (rc == SERVGAP_OK && id != m)
            rc = SERVGAP_EINVAL;
    }
    for (int t = 0; t < WL_TIERS && rc == SERVGAP_OK; t++)
        rc = servgap_intern(ctx, SERVGAP_KIND_TIER, wl_tier_names[t], &id);
    for (int t = 0; t < WL_TOUCHPOINTS && rc == SERVGAP_OK; t++)
        rc = servgap_intern(ctx, SERVGAP_KIND_TOUCHPOINT, wl_tp_names[t], &id);
    for (int t = 0; t < WL_TEAMS && rc == SERVGAP_OK; t++) {
        char name[16];
        snprintf(name, sizeof name, "team%02d", t);
        rc = servgap_intern(ctx, SERVGAP_KIND_TEAM, name, &id);
    }
    for (uint32_t i = 0; i < d->prm.accounts && rc == SERVGAP_OK; i++) {
        char name[16];
        wl_account_name(i, name);
        rc = servgap_account_define(ctx, name, wl_tier_names[d->acc_tier[i]], d->acc_value[i], &id);
        if (rc == SERVGAP_OK && id != (int32_t)i)
            rc = SERVGAP_EINVAL;
    }
    if (rc != SERVGAP_OK) {
        fprintf(stderr, "bench: setup failed: %s\n", servgap_errmsg(ctx));
        servgap_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

int bench_record(servgap_ctx *ctx, const wl_data *d, size_t from, size_t to, size_t batch,
                 int responses)
{
    for (size_t i = from; i < to; i += batch) {
        size_t n = to - i < batch ? to - i : batch;
        int rc =
            servgap_record_batch(ctx, n, d->kind + i, d->sid + i, d->tp + i, d->metric + i,
                                 d->vp + i, d->value + i, d->time + i, d->team + i, d->driver + i);
        if (rc != SERVGAP_OK)
            return rc;
    }
    static const int32_t items[WL_LIKERT] = {0, 1, 2, 3, 4};
    for (size_t r = 0; responses && r < d->nresp; r++) {
        const wl_resp *x = &d->resp[r];
        int rc = servgap_record_response(ctx, SERVGAP_SCOPE_ACCOUNT, x->account, x->tp, x->time,
                                         x->team, SERVGAP_DRIVER_NONE, WL_LIKERT, items, x->e, x->a,
                                         x->p, x->has_imp ? x->imp : NULL);
        if (rc != SERVGAP_OK)
            return rc;
    }
    return SERVGAP_OK;
}

int64_t bench_year_to(const wl_data *d)
{
    return BENCH_YEAR_FROM + (int64_t)d->prm.days * SERVGAP_DAY;
}

uint64_t bench_fnv(uint64_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3u;
    return h;
}

typedef struct stream_to {
    int fd;
    uint64_t *hash;
} stream_to;

static int32_t write_piece(void *user, const char *data, size_t len)
{
    stream_to *s = user;
    if (s->hash)
        *s->hash = bench_fnv(*s->hash, data, len);
    while (len > 0) {
        ssize_t k = write(s->fd, data, len);
        if (k <= 0)
            return 1;
        data += k;
        len -= (size_t)k;
    }
    return 0;
}

size_t bench_stream_json(servgap_ctx *ctx, const servgap_result *r, uint64_t *hash)
{
    stream_to s = {open("/dev/null", O_WRONLY), hash};
    if (s.fd < 0) {
        perror("bench: /dev/null");
        exit(1);
    }
    if (hash)
        *hash = BENCH_FNV_START;
    size_t len = 0;
    if (servgap_result_json_stream(ctx, r, write_piece, &s, &len) != SERVGAP_OK) {
        fprintf(stderr, "bench: servgap_result_json_stream: %s\n", servgap_errmsg(ctx));
        exit(1);
    }
    close(s.fd);
    return len;
}
