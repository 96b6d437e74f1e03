/*
 * bench_common -- what the benchmark programs share: clocks, medians, the
 * machine's name, a counting allocator, and loading the workload into a
 * handle through the public API.
 */
#ifndef SERVGAP_BENCH_COMMON_H
#define SERVGAP_BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "servgap.h"
#include "workload.h"

double bench_now(void);
/* Median of x[0..n) (sorts x). */
double bench_median(double *x, int n);
/* "AMD EPYC, 2 cores, Linux 6.1..." into buf. */
void bench_machine(char *buf, size_t cap);
/* Peak resident set of the process so far, bytes. */
uint64_t bench_rss_peak(void);
/* Runs per measurement: SERVGAP_BENCH_RUNS, default dflt. */
int bench_runs(int dflt);

/* A counting allocator: live and peak bytes the library holds. */
typedef struct bench_counter {
    uint64_t live, peak, calls;
} bench_counter;
void bench_counter_allocator(bench_counter *c, servgap_allocator *a);

/* A handle knowing the workload's metrics, tiers, touchpoints, teams and
 * accounts (ids equal the workload's indices). NULL on failure. */
servgap_ctx *bench_ctx(const wl_data *d, const servgap_allocator *a);

/* Record the workload's unpaired rows [from, to) in batches of batch rows,
 * then (when responses) every paired response. 0 or a SERVGAP_E* code. */
int bench_record(servgap_ctx *ctx, const wl_data *d, size_t from, size_t to, size_t batch,
                 int responses);

/* Stream r's JSON report to /dev/null through write(2), as a caller
 * streaming it to a file or socket would (servgap_result_json_stream);
 * with hash not NULL, also the FNV-1a of its bytes. The bytes written, or
 * exits on an error. */
size_t bench_stream_json(servgap_ctx *ctx, const servgap_result *r, uint64_t *hash);

/* FNV-1a of n bytes, continuing from h (start: BENCH_FNV_START). */
#define BENCH_FNV_START 0xcbf29ce484222325u
uint64_t bench_fnv(uint64_t h, const char *p, size_t n);

/* Start of the workload's year and the end of it, UTC seconds. */
#define BENCH_YEAR_FROM ((int64_t)WL_EPOCH)
int64_t bench_year_to(const wl_data *d);

#endif
