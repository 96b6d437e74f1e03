/*
 * bench_servgap -- libservgap on the synthetic workload (workload.h), each
 * figure the median of SERVGAP_BENCH_RUNS runs (default 5):
 *
 *   bench_servgap              the measurements at the configured
 *                              size (SERVGAP_BENCH_SIZE=full|quick, ...)
 *   bench_servgap --scaling    ingest, query and memory at three sizes of
 *                              observations, of accounts and of days
 *   bench_servgap --threads    query and CSV import at 1 and 2 threads
 *                              (SERVGAP_OPT_THREADS),
 *                              runs interleaved, medians and their ratio
 *
 * Everything goes through the public API, as an embedder calls it.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"

#define BATCH 65536u

static int runs;

static void die(const char *what, servgap_ctx *ctx)
{
    fprintf(stderr, "bench_servgap: %s failed: %s\n", what, ctx ? servgap_errmsg(ctx) : "");
    exit(1);
}

static void row(const char *item, double median, const char *unit, const char *note)
{
    printf("| %-38s | %14.4g | %-10s | %s\n", item, median, unit, note ? note : "");
    fflush(stdout);
}

/* ---------------------------------------------------------------------- */

static double t_batch(const wl_data *d, double *resp_s)
{
    double t[64], tr[64];
    for (int k = 0; k < runs; k++) {
        bench_counter c;
        servgap_allocator a;
        bench_counter_allocator(&c, &a);
        servgap_ctx *ctx = bench_ctx(d, &a);
        if (!ctx)
            die("setup", NULL);
        double t0 = bench_now();
        if (bench_record(ctx, d, 0, d->n, BATCH, 0) != SERVGAP_OK)
            die("record_batch", ctx);
        double t1 = bench_now();
        if (bench_record(ctx, d, 0, 0, BATCH, 1) != SERVGAP_OK)
            die("record_response", ctx);
        double t2 = bench_now();
        t[k] = t1 - t0;
        tr[k] = t2 - t1;
        servgap_ctx_free(ctx);
    }
    *resp_s = bench_median(tr, runs);
    return bench_median(t, runs);
}

static double t_single(const wl_data *d, size_t n)
{
    double t[64];
    for (int k = 0; k < runs; k++) {
        servgap_ctx *ctx = bench_ctx(d, NULL);
        if (!ctx)
            die("setup", NULL);
        double t0 = bench_now();
        for (size_t i = 0; i < n; i++)
            if (servgap_record(ctx, d->kind[i], d->sid[i], d->tp[i], d->metric[i], d->vp[i],
                               d->value[i], d->time[i], d->team[i], d->driver[i]) != SERVGAP_OK)
                die("record", ctx);
        t[k] = bench_now() - t0;
        servgap_ctx_free(ctx);
    }
    return bench_median(t, runs);
}

typedef struct report_t {
    double query, json, stream;
    size_t cells, json_bytes;
    uint64_t query_peak;   /* allocator peak during query + json, above the handle */
    uint64_t result_bytes; /* what the result holds, the same way */
} report_t;

static void t_report(servgap_ctx *ctx, bench_counter *c, int64_t from, int64_t to, int n,
                     report_t *out)
{
    double tq[64], tj[64], ts[64];
    for (int k = 0; k < n; k++) {
        uint64_t base = c ? c->live : 0;
        if (c)
            c->peak = c->live;
        double t0 = bench_now();
        servgap_result *r;
        if (servgap_query(ctx, from, to, SERVGAP_QUERY_ALL, &r) != SERVGAP_OK)
            die("query", ctx);
        double t1 = bench_now();
        if (c)
            out->result_bytes = c->live - base;
        size_t len;
        if (servgap_result_json(ctx, r, NULL, 0, &len) != SERVGAP_OK)
            die("json size", ctx);
        char *buf = malloc(len + 1);
        if (!buf || servgap_result_json(ctx, r, buf, len + 1, &len) != SERVGAP_OK)
            die("json", ctx);
        double t2 = bench_now();
        if (bench_stream_json(ctx, r, NULL) != len)
            die("json stream", ctx);
        ts[k] = bench_now() - t2;
        out->cells = servgap_result_count(r, SERVGAP_TABLE_CELLS);
        out->json_bytes = len;
        if (c)
            out->query_peak = c->peak - base;
        free(buf);
        servgap_result_free(r);
        tq[k] = t1 - t0;
        tj[k] = t2 - t1;
    }
    out->query = bench_median(tq, n);
    out->json = bench_median(tj, n);
    out->stream = bench_median(ts, n);
}

/* The summary-level report of the same query (docs/formats.md, "Report
 * levels") against the full one in full: what servgap-report --by tier
 * --json costs beside --level full. */
static void t_summary(servgap_ctx *ctx, int64_t from, int64_t to, int n, const report_t *full)
{
    report_t rs;
    char note[256];
    if (servgap_ctx_set_option(ctx, SERVGAP_OPT_REPORT_LEVEL, SERVGAP_LEVEL_SUMMARY) != SERVGAP_OK)
        die("summary level", ctx);
    t_report(ctx, NULL, from, to, n, &rs);
    if (servgap_ctx_set_option(ctx, SERVGAP_OPT_REPORT_LEVEL, SERVGAP_LEVEL_FULL) != SERVGAP_OK)
        die("full level", ctx);
    snprintf(note, sizeof note,
             "%.1f MB of JSON, %.1fx smaller; query %.1f ms + JSON streamed %.1f ms (full: %.1f); "
             "%.2fx faster than the full report streamed",
             (double)rs.json_bytes / 1e6, (double)full->json_bytes / (double)rs.json_bytes,
             rs.query * 1e3, rs.stream * 1e3, full->stream * 1e3,
             (full->query + full->stream) / (rs.query + rs.stream));
    row("summary report streamed, whole year", (rs.query + rs.stream) * 1e3, "ms", note);
}

/* The process's CPU seconds so far, every thread's. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One import of the observations CSV into a new handle at threads, after
 * its metrics and accounts: its wall seconds, CPU seconds into *cpu. */
static double t_csv_once(const char *acc, size_t alen, const char *met, size_t mlen,
                         const char *csv, size_t len, int threads, double *cpu, uint64_t *imported)
{
    servgap_ctx *ctx;
    servgap_import_report rep = {.size = sizeof rep};
    if (servgap_ctx_new(&ctx, NULL) != SERVGAP_OK ||
        servgap_ctx_set_option(ctx, SERVGAP_OPT_THREADS, threads) != SERVGAP_OK ||
        servgap_import_csv_buffer(ctx, SERVGAP_CSV_METRICS, "metrics", met, mlen, 0, NULL) ||
        servgap_import_csv_buffer(ctx, SERVGAP_CSV_ACCOUNTS, "accounts", acc, alen, 0, NULL))
        die("csv setup", ctx);
    double c0 = cpu_now(), t0 = bench_now();
    if (servgap_import_csv_buffer(ctx, SERVGAP_CSV_OBSERVATIONS, "observations", csv, len, 0,
                                  &rep) != SERVGAP_OK)
        die("import", ctx);
    double t = bench_now() - t0;
    *cpu = cpu_now() - c0;
    *imported = rep.observations;
    servgap_ctx_free(ctx);
    return t;
}

static double t_csv(const wl_data *d, const char *csv, size_t len, uint64_t *imported)
{
    size_t alen, mlen;
    char *acc = wl_csv_accounts(d, &alen), *met = wl_csv_metrics(&mlen);
    double t[64], cpu;
    for (int k = 0; k < runs; k++)
        t[k] = t_csv_once(acc, alen, met, mlen, csv, len, 1, &cpu, imported);
    free(acc);
    free(met);
    return bench_median(t, runs);
}

static void t_snapshot(servgap_ctx *ctx, double *save, double *load, double *write, double *loadb,
                       size_t *bytes)
{
    double ts[64], tl[64], tw[64], tb[64];
    char path[64];
    snprintf(path, sizeof path, "/tmp/servgap-bench-%ld.snap", (long)getpid());
    size_t len;
    if (servgap_snapshot_write(ctx, NULL, 0, &len) != SERVGAP_OK)
        die("snapshot size", ctx);
    char *buf = malloc(len);
    if (!buf)
        die("malloc", NULL);
    *bytes = len;
    for (int k = 0; k < runs; k++) {
        double t0 = bench_now();
        if (servgap_snapshot_save(ctx, path) != SERVGAP_OK)
            die("snapshot_save", ctx);
        double t1 = bench_now();
        if (servgap_snapshot_write(ctx, buf, len, &len) != SERVGAP_OK)
            die("snapshot_write", ctx);
        double t2 = bench_now();
        servgap_ctx *x, *y;
        if (servgap_ctx_new(&x, NULL) != SERVGAP_OK || servgap_ctx_new(&y, NULL) != SERVGAP_OK)
            die("ctx_new", NULL);
        double t3 = bench_now();
        if (servgap_snapshot_load(x, path) != SERVGAP_OK)
            die("snapshot_load", x);
        double t4 = bench_now();
        if (servgap_snapshot_load_buffer(y, buf, len) != SERVGAP_OK)
            die("snapshot_load_buffer", y);
        double t5 = bench_now();
        servgap_ctx_free(x);
        servgap_ctx_free(y);
        ts[k] = t1 - t0;
        tw[k] = t2 - t1;
        tl[k] = t4 - t3;
        tb[k] = t5 - t4;
    }
    unlink(path);
    free(buf);
    *save = bench_median(ts, runs);
    *write = bench_median(tw, runs);
    *load = bench_median(tl, runs);
    *loadb = bench_median(tb, runs);
}

/* Merge a handle holding the second half of the rows into one holding the
 * first half (with the responses). */
static double t_merge(const wl_data *d)
{
    double t[64];
    size_t half = d->n / 2;
    servgap_ctx *src = bench_ctx(d, NULL);
    if (!src || bench_record(src, d, half, d->n, BATCH, 0) != SERVGAP_OK)
        die("merge setup", src);
    for (int k = 0; k < runs; k++) {
        servgap_ctx *dst = bench_ctx(d, NULL);
        if (!dst || bench_record(dst, d, 0, half, BATCH, 1) != SERVGAP_OK)
            die("merge setup", dst);
        double t0 = bench_now();
        if (servgap_ctx_merge(dst, src) != SERVGAP_OK)
            die("merge", dst);
        t[k] = bench_now() - t0;
        servgap_ctx_free(dst);
    }
    servgap_ctx_free(src);
    return bench_median(t, runs);
}

static void print_params(const wl_data *d)
{
    char machine[512];
    bench_machine(machine, sizeof machine);
    printf("machine: %s\n", machine);
    printf("workload: %llu observations (%zu unpaired + %llu in %zu paired responses), "
           "%u accounts, %u days, seed %llu; %d runs per figure, median\n",
           (unsigned long long)d->prm.observations, d->n, (unsigned long long)d->resp_rows,
           d->nresp, d->prm.accounts, d->prm.days, (unsigned long long)d->prm.seed, runs);
}

/* The machine's cost of memory a process writes for the first time (the
 * kernel finds, zeroes and maps each page): the floor under any result
 * written into fresh memory. Median seconds per byte over n runs. */
static double t_fresh(int n)
{
    const size_t len = (size_t)256 << 20;
    double t[64];
    for (int k = 0; k < n; k++) {
        double t0 = bench_now();
        volatile char *p = malloc(len);
        if (!p)
            die("fresh memory", NULL);
        for (size_t i = 0; i < len; i += 4096)
            p[i] = 1;
        t[k] = bench_now() - t0;
        free((void *)p);
    }
    return bench_median(t, n) / (double)len;
}

static int full(const wl_params *p)
{
    wl_data d;
    double tg = bench_now();
    if (wl_generate(p, &d) != 0)
        die("generate", NULL);
    tg = bench_now() - tg;
    print_params(&d);
    printf("(workload generated in %.2f s)\n\n", tg);
    printf("| %-38s | %14s | %-10s | %s\n", "item", "median", "unit", "note");
    printf("|%s|%s|%s|------\n", "----------------------------------------", "----------------",
           "------------");
    char note[256];

    double resp_s;
    uint64_t store_bytes = 0;
    double tb = t_batch(&d, &resp_s);
    snprintf(note, sizeof note, "%zu rows in batches of %u: %.3f s", d.n, BATCH, tb);
    row("batch ingest", (double)d.n / tb, "obs/s", note);
    snprintf(note, sizeof note, "%zu responses, %llu rows: %.3f s", d.nresp,
             (unsigned long long)d.resp_rows, resp_s);
    row("paired-response ingest", (double)d.resp_rows / resp_s, "obs/s", note);

    size_t ns = d.n < 2000000u ? d.n : 2000000u;
    double ts = t_single(&d, ns);
    snprintf(note, sizeof note, "servgap_record x %zu: %.3f s", ns, ts);
    row("single-record ingest", (double)ns / ts, "obs/s", note);

    /* One handle with everything, for the reports, snapshots and memory. */
    bench_counter c;
    servgap_allocator a;
    bench_counter_allocator(&c, &a);
    servgap_ctx *ctx = bench_ctx(&d, &a);
    if (!ctx || bench_record(ctx, &d, 0, d.n, BATCH, 1) != SERVGAP_OK)
        die("load", ctx);
    uint64_t handle_bytes = c.live;
    {
        /* The same definitions without observations: the rest is the log. */
        bench_counter c0;
        servgap_allocator a0;
        bench_counter_allocator(&c0, &a0);
        servgap_ctx *e = bench_ctx(&d, &a0);
        if (!e)
            die("setup", NULL);
        store_bytes = handle_bytes - c0.live;
        servgap_ctx_free(e);
    }
    uint64_t total = d.n + d.resp_rows;
    int64_t from = BENCH_YEAR_FROM, to = bench_year_to(&d);
    report_t ry, rw;
    t_report(ctx, &c, from, to, runs, &ry);
    snprintf(note, sizeof note, "%zu cells; %.1f ms per 1M cells", ry.cells,
             ry.query * 1e3 / ((double)ry.cells / 1e6));
    row("query, whole year (servgap_query)", ry.query * 1e3, "ms", note);
    snprintf(note, sizeof note, "%.1f MB of JSON, %.0f MB/s", (double)ry.json_bytes / 1e6,
             (double)ry.json_bytes / 1e6 / ry.json);
    row("JSON, whole year (servgap_result_json)", ry.json * 1e3, "ms", note);
    row("full report, whole year", (ry.query + ry.json) * 1e3, "ms", "query + JSON");
    snprintf(note, sizeof note,
             "servgap_result_json_stream, one pass, write(2) to /dev/null: %.0f MB/s",
             (double)ry.json_bytes / 1e6 / ry.stream);
    row("JSON streamed, whole year", ry.stream * 1e3, "ms", note);
    row("full report streamed, whole year", (ry.query + ry.stream) * 1e3, "ms",
        "query + JSON streamed");
    t_summary(ctx, from, to, runs, &ry);
    double fresh = t_fresh(runs), per_cell = (double)ry.result_bytes / (double)ry.cells;
    snprintf(note, sizeof note,
             "%.2f us per 4 KB page; the result's %.0f bytes per cell alone: %.1f ms per 1M cells",
             fresh * 4096 * 1e6, per_cell, fresh * per_cell * 1e6 * 1e3);
    row("fresh memory, first write", fresh * 1e9 * 1e3, "ms per GB", note);
    int64_t wfrom = to - 30 * (int64_t)SERVGAP_DAY;
    if (wfrom < from)
        wfrom = from;
    t_report(ctx, &c, wfrom, to, runs, &rw);
    snprintf(note, sizeof note,
             "%zu cells, %.1f MB JSON (query %.1f ms + JSON %.1f ms; streamed %.1f ms)", rw.cells,
             (double)rw.json_bytes / 1e6, rw.query * 1e3, rw.json * 1e3, rw.stream * 1e3);
    row("full report, last 30 days", (rw.query + rw.json) * 1e3, "ms", note);
    snprintf(note, sizeof note, "ingest %.3f s + report %.3f s", tb + resp_s, ry.query + ry.json);
    row("end to end: ingest all + full report", tb + resp_s + ry.query + ry.json, "s", note);
    snprintf(note, sizeof note, "ingest %.3f s + report %.3f s", tb + resp_s, ry.query + ry.stream);
    row("end to end, the report streamed", tb + resp_s + ry.query + ry.stream, "s", note);

    size_t csv_len;
    char *csv = wl_csv_observations(&d, &csv_len);
    if (!csv)
        die("csv", NULL);
    uint64_t imported = 0;
    double tc = t_csv(&d, csv, csv_len, &imported);
    snprintf(note, sizeof note, "%.1f MB, %llu observations: %.3f s, %.2f M rows/s",
             (double)csv_len / 1e6, (unsigned long long)imported, tc, (double)imported / tc / 1e6);
    row("CSV import (observations)", (double)csv_len / 1e6 / tc, "MB/s", note);
    const char *keep = getenv("SERVGAP_BENCH_CSV");
    if (keep && *keep) {
        FILE *f = fopen(keep, "wb");
        if (f) {
            fwrite(csv, 1, csv_len, f);
            fclose(f);
        }
    }
    free(csv);

    double sv, ld, wr, lb;
    size_t snap;
    t_snapshot(ctx, &sv, &ld, &wr, &lb, &snap);
    snprintf(note, sizeof note, "%.1f MB to /tmp, fsync'd: %.3f s", (double)snap / 1e6, sv);
    row("snapshot save (file)", (double)snap / 1e6 / sv, "MB/s", note);
    snprintf(note, sizeof note, "into a buffer: %.3f s", wr);
    row("snapshot write (buffer)", (double)snap / 1e6 / wr, "MB/s", note);
    snprintf(note, sizeof note, "into a new handle: %.3f s", ld);
    row("snapshot load (file)", (double)snap / 1e6 / ld, "MB/s", note);
    snprintf(note, sizeof note, "into a new handle: %.3f s", lb);
    row("snapshot load (buffer)", (double)snap / 1e6 / lb, "MB/s", note);

    double tm = t_merge(&d);
    snprintf(note, sizeof note, "%zu rows appended: %.3f s", d.n - d.n / 2, tm);
    row("merge (second half into first)", (double)(d.n - d.n / 2) / tm, "obs/s", note);

    snprintf(note, sizeof note, "log (rows + points): %.2f bytes per observation",
             (double)store_bytes / (double)total);
    row("memory: handle after ingest", (double)handle_bytes, "bytes", note);
    row("memory: handle per observation", (double)handle_bytes / (double)total, "bytes",
        "everything the handle holds / observations");
    snprintf(note, sizeof note, "%.1f bytes per cell (result + aggregates)",
             (double)ry.query_peak / (double)ry.cells);
    row("memory: peak of a whole-year report", (double)ry.query_peak, "bytes", note);
    row("memory: process peak RSS", (double)bench_rss_peak(), "bytes",
        "includes the workload columns and CSV text");
    servgap_ctx_free(ctx);
    wl_free(&d);
    return 0;
}

/* ---------------------------------------------------------------------- */

static void scale_point(const char *axis, const wl_params *p)
{
    wl_data d;
    if (wl_generate(p, &d) != 0)
        die("generate", NULL);
    double t[64];
    bench_counter c;
    servgap_allocator a;
    bench_counter_allocator(&c, &a);
    servgap_ctx *ctx = NULL;
    for (int k = 0; k < runs; k++) {
        servgap_ctx_free(ctx);
        bench_counter_allocator(&c, &a);
        ctx = bench_ctx(&d, &a);
        if (!ctx)
            die("setup", NULL);
        double t0 = bench_now();
        if (bench_record(ctx, &d, 0, d.n, BATCH, 1) != SERVGAP_OK)
            die("record", ctx);
        t[k] = bench_now() - t0;
    }
    double ingest = bench_median(t, runs);
    uint64_t bytes = c.live;
    report_t r;
    t_report(ctx, &c, BENCH_YEAR_FROM, bench_year_to(&d), runs, &r);
    printf("| %-8s | %10llu | %8u | %5u | %9.3f | %9zu | %9.1f | %9.1f | %7.1f | %9.1f |\n", axis,
           (unsigned long long)p->observations, p->accounts, p->days, ingest * 1e3, r.cells,
           r.query * 1e3, r.json * 1e3, (double)bytes / (double)p->observations,
           (double)r.query_peak / 1e6);
    fflush(stdout);
    servgap_ctx_free(ctx);
    wl_free(&d);
}

static int scaling(const wl_params *base)
{
    char machine[512];
    bench_machine(machine, sizeof machine);
    printf("machine: %s\nscaling: %d runs per figure, median; report = whole period, "
           "SERVGAP_QUERY_ALL\n\n",
           machine, runs);
    printf("| axis     | observations | accounts | days  | ingest ms | cells     | query ms  "
           "| JSON ms   | B/obs   | query MB  |\n");
    printf("|----------|------------|----------|-------|-----------|-----------|-----------|"
           "-----------|---------|-----------|\n");
    uint64_t obs = base->observations;
    uint32_t acc = base->accounts;
    const double f[3] = {0.1, 0.3, 1.0};
    for (int i = 0; i < 3; i++) {
        wl_params p = *base;
        p.observations = (uint64_t)((double)obs * f[i]);
        scale_point("obs", &p);
    }
    for (int i = 0; i < 3; i++) {
        wl_params p = *base;
        p.observations = obs / 10;
        p.accounts = (uint32_t)((double)acc * (i == 0 ? 0.1 : i == 1 ? 1.0 : 10.0));
        scale_point("accounts", &p);
    }
    const uint32_t days[3] = {30, 365, 3650};
    for (int i = 0; i < 3; i++) {
        wl_params p = *base;
        p.observations = obs / 10;
        p.days = days[i];
        scale_point("days", &p);
    }
    return 0;
}

/* One operation, SERVGAP_BENCH_RUNS times, for perf or callgrind:
 * query (servgap_query of the whole period), cells (the same with TIERS |
 * ACCOUNTS only, as the SQLite comparison's aggregates), json, batch, csv.
 * The queries run at SERVGAP_BENCH_THREADS threads (default 1). */
static int profile(const wl_params *p, const char *what)
{
    wl_data d;
    if (wl_generate(p, &d) != 0)
        die("generate", NULL);
    int n = bench_runs(1);
    if (strcmp(what, "batch") == 0) {
        runs = n;
        double resp;
        double t = t_batch(&d, &resp);
        printf("batch: %.1f M obs/s (%.3f s); responses %.1f M obs/s\n", (double)d.n / t / 1e6, t,
               (double)d.resp_rows / resp / 1e6);
    } else if (strcmp(what, "csv") == 0) {
        size_t len;
        char *csv = wl_csv_observations(&d, &len);
        uint64_t imported;
        runs = n;
        double t = t_csv(&d, csv, len, &imported);
        printf("csv: %.1f MB/s\n", (double)len / 1e6 / t);
        free(csv);
    } else {
        servgap_ctx *ctx = bench_ctx(&d, NULL);
        if (!ctx || bench_record(ctx, &d, 0, d.n, BATCH, 1) != SERVGAP_OK)
            die("record", ctx);
        const char *threads = getenv("SERVGAP_BENCH_THREADS");
        if (threads &&
            servgap_ctx_set_option(ctx, SERVGAP_OPT_THREADS, atof(threads)) != SERVGAP_OK)
            die("threads", ctx);
        for (int k = 0; k < n; k++) {
            double t0 = bench_now();
            servgap_result *r;
            uint32_t flags = strcmp(what, "cells") == 0
                                 ? SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS
                                 : SERVGAP_QUERY_ALL;
            if (servgap_query(ctx, BENCH_YEAR_FROM, bench_year_to(&d), flags, &r))
                die("query", ctx);
            double t1 = bench_now();
            size_t len = 0;
            char *buf = NULL;
            if (strcmp(what, "json") == 0) {
                servgap_result_json(ctx, r, NULL, 0, &len);
                buf = malloc(len + 1);
                if (!buf || servgap_result_json(ctx, r, buf, len + 1, &len) != SERVGAP_OK)
                    die("json", ctx);
            }
            double t2 = bench_now();
            /* Again into the same buffer: the first write also pays for the
             * kernel's fresh pages of the caller's buffer. */
            if (buf && servgap_result_json(ctx, r, buf, len + 1, &len) != SERVGAP_OK)
                die("json", ctx);
            double t3 = bench_now();
            /* The hashes make optimizations checkable for identical bytes. */
            uint64_t h = buf ? bench_fnv(BENCH_FNV_START, buf, len) : BENCH_FNV_START, hs = 0;
            double t4 = bench_now();
            if (buf)
                bench_stream_json(ctx, r, &hs);
            double t5 = bench_now();
            printf("query %.1f ms, %zu cells, %zu breakdowns, %zu findings; json %.1f ms (%.1f ms "
                   "into the same buffer again; streamed %.1f ms, hashing included), FNV-1a "
                   "%016llx, streamed %016llx\n",
                   (t1 - t0) * 1e3, servgap_result_count(r, SERVGAP_TABLE_CELLS),
                   servgap_result_count(r, SERVGAP_TABLE_BREAKDOWN),
                   servgap_result_count(r, SERVGAP_TABLE_FINDINGS), (t2 - t1) * 1e3,
                   (t3 - t2) * 1e3, (t5 - t4) * 1e3, (unsigned long long)h, (unsigned long long)hs);
            free(buf);
            servgap_result_free(r);
        }
        servgap_ctx_free(ctx);
    }
    wl_free(&d);
    return 0;
}

/* The load average now (other processes share the cores), as text. */
static void loadavg(char *buf, size_t cap)
{
    FILE *f = fopen("/proc/loadavg", "r");
    buf[0] = '\0';
    if (f) {
        if (!fgets(buf, (int)cap, f))
            buf[0] = '\0';
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
}

/* One query's wall seconds; its CPU seconds into *cpu. */
static double t_query_at(servgap_ctx *ctx, const wl_data *d, int threads, uint32_t flags,
                         double *cpu)
{
    if (servgap_ctx_set_option(ctx, SERVGAP_OPT_THREADS, threads) != SERVGAP_OK)
        die("threads option", ctx);
    servgap_result *r;
    double c0 = cpu_now(), t0 = bench_now();
    if (servgap_query(ctx, BENCH_YEAR_FROM, bench_year_to(d), flags, &r) != SERVGAP_OK)
        die("query", ctx);
    double t = bench_now() - t0;
    *cpu = cpu_now() - c0;
    servgap_result_free(r);
    return t;
}

/* A row of the threads table: medians of the runs at 1 and 2 threads. */
static void threads_row(const char *name, double *t1, double *t2, double *c1, double *c2)
{
    double m1 = bench_median(t1, runs), m2 = bench_median(t2, runs);
    printf("| %-32s | %12.3f | %12.3f | %6.2fx | %12.3f | %12.3f |\n", name, m1, m2, m1 / m2,
           bench_median(c1, runs), bench_median(c2, runs));
    fflush(stdout);
}

/* The observations CSV's import at 1 and 2 threads, alternately. */
static void threads_csv_row(const wl_data *d)
{
    size_t alen, mlen, len;
    char *acc = wl_csv_accounts(d, &alen), *met = wl_csv_metrics(&mlen);
    char *csv = wl_csv_observations(d, &len);
    if (!acc || !met || !csv)
        die("csv", NULL);
    double t1[64], t2[64], c1[64], c2[64];
    uint64_t imported;
    for (int i = 0; i < runs; i++) {
        t1[i] = t_csv_once(acc, alen, met, mlen, csv, len, 1, &c1[i], &imported);
        t2[i] = t_csv_once(acc, alen, met, mlen, csv, len, 2, &c2[i], &imported);
    }
    threads_row("CSV import (observations)", t1, t2, c1, c2);
    free(csv);
    free(acc);
    free(met);
}

/* Query time at 1 and 2 threads, runs alternating so that a change in
 * the machine's load falls on both alike; and the CPU time of each, whose
 * difference is what the threads cost beyond the work (on a machine whose
 * other processes take the cores, the wall ratio shows them, not us). */
static int threads_mode(const wl_params *p)
{
    wl_data d;
    if (wl_generate(p, &d) != 0)
        die("generate", NULL);
    print_params(&d);
    servgap_ctx *ctx = bench_ctx(&d, NULL);
    if (!ctx || bench_record(ctx, &d, 0, d.n, BATCH, 1) != SERVGAP_OK)
        die("load", ctx);
    char la0[128], la1[128];
    loadavg(la0, sizeof la0);
    static const struct {
        const char *name;
        uint32_t flags;
    } q[2] = {{"query, whole year (QUERY_ALL)", SERVGAP_QUERY_ALL},
              {"cells only (TIERS | ACCOUNTS)", SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS}};
    printf("\n| %-32s | %12s | %12s | %7s | %12s | %12s |\n|%s|%s|%s|%s|%s|%s|\n", "work",
           "1 thread (s)", "2 threads (s)", "ratio", "CPU 1 (s)", "CPU 2 (s)",
           "----------------------------------", "--------------", "--------------", "---------",
           "--------------", "--------------");
    for (int k = 0; k < 2; k++) {
        double t1[64], t2[64], c1[64], c2[64];
        for (int i = 0; i < runs; i++) {
            t1[i] = t_query_at(ctx, &d, 1, q[k].flags, &c1[i]);
            t2[i] = t_query_at(ctx, &d, 2, q[k].flags, &c2[i]);
        }
        threads_row(q[k].name, t1, t2, c1, c2);
    }
    servgap_ctx_free(ctx);
    threads_csv_row(&d);
    loadavg(la1, sizeof la1);
    printf("\n%d runs each, medians; /proc/loadavg before: %s; after: %s\n", runs, la0, la1);
    wl_free(&d);
    return 0;
}

int main(int argc, char **argv)
{
    wl_params p;
    wl_params_env(&p);
    if (argc > 1 && strcmp(argv[1], "--profile") == 0)
        return profile(&p, argc > 2 ? argv[2] : "query");
    if (argc > 1 && strcmp(argv[1], "--threads") == 0) {
        runs = bench_runs(3);
        runs = runs > 64 ? 64 : runs;
        return threads_mode(&p);
    }
    if (argc > 1 && strcmp(argv[1], "--scaling") == 0) {
        runs = bench_runs(3);
        return scaling(&p);
    }
    runs = bench_runs(5);
    if (runs > 64)
        runs = 64;
    return full(&p);
}
