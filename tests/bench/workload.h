/*
 * workload -- the deterministic synthetic helpdesk workload of the
 * benchmarks (issue 6; docs/performance.md describes the distribution).
 * Seeded splitmix64 only, integer arithmetic for every value (hundredths),
 * so the same parameters give the same observations and the same CSV bytes
 * on every platform. Knows nothing of libservgap or SQLite: it produces
 * columns in memory (the arguments of servgap_record_batch), paired
 * responses (the arguments of servgap_record_response) and CSV text.
 */
#ifndef SERVGAP_BENCH_WORKLOAD_H
#define SERVGAP_BENCH_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#define WL_TIERS       3
#define WL_TOUCHPOINTS 8
#define WL_METRICS     12 /* 5 built-in Likert dimensions + 7 operational */
#define WL_LIKERT      5
#define WL_TEAMS       50
#define WL_EPOCH       1767225600 /* 2026-01-01T00:00:00Z */

typedef struct wl_params {
    uint64_t observations; /* total rows, unpaired and paired */
    uint32_t accounts;
    uint32_t days;
    uint64_t seed;
} wl_params;

/* One metric of the workload; ids 0..4 are the library's built-ins. */
typedef struct wl_metric {
    const char *name, *dimension, *unit;
    int dim;       /* SERVGAP_DIM_* */
    int direction; /* 1 higher is better, 2 lower is better */
    double min, max, span;
} wl_metric;

/* A paired SERVQUAL response over the five Likert items. */
typedef struct wl_resp {
    int32_t account, tp, team;
    int32_t has_imp;
    int64_t time;
    double e[WL_LIKERT], a[WL_LIKERT], p[WL_LIKERT]; /* a: NaN when not asked */
    double imp[WL_LIKERT];
} wl_resp;

typedef struct wl_data {
    wl_params prm;
    /* unpaired observations, columns (scope_kind 1 account, 2 tier) */
    size_t n;
    int32_t *kind, *sid, *tp, *metric, *vp, *team, *driver;
    double *value;
    int64_t *time;
    /* paired responses */
    size_t nresp;
    wl_resp *resp;
    uint64_t resp_rows; /* observations the responses hold */
    /* accounts */
    int32_t *acc_tier;
    double *acc_value;
} wl_data;

extern const wl_metric wl_metrics[WL_METRICS];
extern const char *const wl_tier_names[WL_TIERS];
extern const char *const wl_tp_names[WL_TOUCHPOINTS];

/* Parameters from the environment: SERVGAP_BENCH_SIZE (full: 10M
 * observations, 100k accounts, 365 days; quick: 1M, 10k, 365), then
 * SERVGAP_BENCH_OBS, _ACCOUNTS, _DAYS, _SEED override single values. */
void wl_params_env(wl_params *p);

/* Generate; 0, or -1 when memory ran out. */
int wl_generate(const wl_params *p, wl_data *d);
void wl_free(wl_data *d);

/* Account i's name ("acct000042") into buf (>= 16 bytes). */
void wl_account_name(uint32_t i, char *buf);

/* CSV tables as malloc'd text; *len set. NULL when memory ran out. */
char *wl_csv_observations(const wl_data *d, size_t *len);
char *wl_csv_accounts(const wl_data *d, size_t *len);
char *wl_csv_metrics(size_t *len);

#endif
