/*
 * ctx -- the handle: its registries, log, options, locks and last error.
 * Public entry points live in the files of their concern (record, merge,
 * query, ...) and use the helpers here to check the handle, lock it, report
 * an error and roll back a failed operation. Relies on the registries and
 * the store.
 */
#ifndef SERVGAP_CTX_H
#define SERVGAP_CTX_H

#include <pthread.h>
#include <stdatomic.h>

#include "../base/index.h"
#include "accounts.h"
#include "buckets.h"
#include "metrics.h"
#include "servgap.h"
#include "store.h"

/* Every SERVGAP_OPT_*; counts are whole numbers held as int64. */
/* The most windows SERVGAP_OPT_WINDOWS and SERVGAP_OPT_TREND_WINDOWS allow. */
#define SERVGAP__WINDOWS_MAX 52

typedef struct servgap__options {
    double confidence;
    int64_t min_n_customer, min_n_provider;
    double negative_share;
    double at_risk_health;
    double weight_size, weight_value, weight_frequency, persist_boost;
    int64_t windows, window_days;
    double impact_cut, effort_cut;
    int64_t renewal_days, migration_days, spike_recent_days, spike_baseline_days;
    int64_t ipa_crosshair;
    double ipa_importance, ipa_performance;
    int64_t lookback_days, trend_windows, declarations;
    /* Not an option: the handle's interrupt count when the call that
     * copied these options began (servgap__interrupted). */
    uint64_t interrupts_at_start;
    int64_t priorities;   /* SERVGAP_PRIORITIES_* */
    int64_t report_level; /* SERVGAP_LEVEL_* */
    int64_t threads;      /* SERVGAP_OPT_THREADS: 0 = the cores online */
} servgap__options;

/* An effort key: gap, tp, metric, each SERVGAP_ALL as a wildcard. */
typedef struct servgap__effort {
    int32_t gap, tp, metric;
    double effort;
} servgap__effort;

/* A remediation plan item; owner is an id in ctx->owners. base_from and
 * base_to are its baseline window, both SERVGAP_TIME_NONE when it has
 * none. */
typedef struct servgap__plan {
    int32_t owner;
    int32_t scope_kind, scope_id, tp, metric, dimension, gap;
    int32_t last_outcome;
    int64_t deadline, next_check;
    double target;
    int64_t base_from, base_to;
} servgap__plan;

/* An importance allocation of a scope (SERVGAP__SCOPE_TIER bit for tiers). */
typedef struct servgap__importance {
    uint32_t scope;
    int32_t whose;
    double p[5];
} servgap__importance;

struct servgap_ctx {
    servgap__alloc alloc;
    pthread_rwlock_t lock;   /* data: readers query, writers record */
    pthread_mutex_t errlock; /* the last error, written by readers too */
    pthread_mutex_t optlock;
    int errcode;
    char errmsg[512];
    servgap__options opt;
    servgap__names tiers, touchpoints, teams;
    servgap__metrics metrics;
    servgap__accounts accounts;
    servgap__store store;
    servgap__importance *imp;
    size_t nimp, capimp;
    servgap__index impix; /* imp by scope and whose (tables.c) */
    servgap__effort *eff;
    size_t neff, capeff;
    servgap__index effix; /* eff by gap, touchpoint and metric */
    servgap__names owners;
    servgap__plan *plans;
    size_t nplans, capplans;
    servgap__buckets buckets;        /* from loaded summaries (buckets.h) */
    uint64_t writes;                 /* write-lock acquisitions: see servgap__wrlock */
    atomic_uint_fast64_t interrupts; /* servgap_ctx_interrupt calls so far */
    size_t csv_part_bytes;           /* 0, or what tests set: see import_split.c */
    uint64_t scan_split_rows;        /* 0, or what tests set: see servgap__scan_threads */
    uint64_t tier_split_reads;       /* 0, or what tests set: see priorities.c, read_tiers */
};

/* The handle's servgap_ctx_interrupt count: a long call takes it when it
 * begins and stops once the count has moved on. */
static inline uint64_t servgap__interrupt_mark(const servgap_ctx *ctx)
{
    /* C11's atomic_load takes no const pointer; reading changes nothing. */
    atomic_uint_fast64_t *n = (atomic_uint_fast64_t *)&ctx->interrupts;
    return (uint64_t)atomic_load_explicit(n, memory_order_relaxed);
}

/* Whether servgap_ctx_interrupt was called since mark was taken. Cheap:
 * long loops ask it every chunk of rows. */
static inline int servgap__interrupted_since(const servgap_ctx *ctx, uint64_t mark)
{
    return servgap__interrupt_mark(ctx) != mark;
}

/* Whether servgap_ctx_interrupt was called since the call that took opt
 * (servgap__options_get) began. */
static inline int servgap__interrupted(const servgap_ctx *ctx, const servgap__options *opt)
{
    return servgap__interrupted_since(ctx, opt->interrupts_at_start);
}

/* How a call that ran with opt failed in its analysis: interrupted, or out
 * of memory. Reports it on ctx and returns the code. */
int servgap__fail_run(servgap_ctx *ctx, const servgap__options *opt, const char *func);
/* The message of an interrupted call. */
extern const char servgap__interrupted_text[];

/* Sizes of every table, to roll a failed operation back to (with the
 * indexes of the keyed tables). Replaced values (an account's attributes,
 * an effort) are not covered: operations that replace validate everything
 * first and cannot fail afterwards, or keep an undo log (the import). */
typedef struct servgap__mark {
    size_t tiers, touchpoints, teams, metrics, accounts, imp, eff, owners, plans;
    uint64_t rows;
} servgap__mark;

void servgap__mark_take(const servgap_ctx *ctx, servgap__mark *m);
void servgap__mark_rollback(servgap_ctx *ctx, const servgap__mark *m);

/* Record a failure on the handle and return code. The message starts with
 * the public function's name. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 4, 5)))
#endif
int servgap__fail(servgap_ctx *ctx, int code, const char *func, const char *fmt, ...);

/* A consistent copy of the options. */
void servgap__options_get(servgap_ctx *ctx, servgap__options *out);

void servgap__rdlock(servgap_ctx *ctx);
/* Takes the write lock and counts it in ctx->writes, whether the holder
 * then changes anything or not. A writer that looked at the handle under
 * the read lock and has taken the write lock since finds it unchanged
 * exactly when writes is one more than when it looked: its own. */
void servgap__wrlock(servgap_ctx *ctx);
void servgap__unlock(servgap_ctx *ctx);

/* The names table of a kind, or NULL. */
servgap__names *servgap__kind_names(servgap_ctx *ctx, int32_t kind);

/* Encode a scope for the store, after checking it exists; on failure the
 * error is reported on ctx under func. */
int servgap__scope_encode(servgap_ctx *ctx, const char *func, int32_t kind, int32_t id,
                          uint32_t *scope);

/* Intern without locking (the caller holds the write lock). */
int servgap__intern_locked(servgap_ctx *ctx, const char *func, int32_t kind, const char *name,
                           int32_t *id);

/* The latest day of the log and of the summaries' buckets, or INT64_MIN
 * when there is none. The caller holds a lock. */
int64_t servgap__last_day(const servgap_ctx *ctx);

/* SERVGAP_OK when a call that ran with opt may read ctx's buckets: their
 * negative answers were counted at the negative_share it asks for. Else
 * SERVGAP_ECONFLICT, reported under func. The caller holds a lock. */
int servgap__buckets_check(servgap_ctx *ctx, const servgap__options *opt, const char *func);

/* 1 when five points are each finite, >= 0 and sum to 100 +- 0.5. */
int servgap__points_valid(const double *p);

#endif
