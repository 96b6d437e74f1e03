/*
 * window -- the core analysis of one window with the read lock already
 * held: aggregate, then cells, gaps, SERVQUAL and breakdowns into a new
 * result. The public query and the analyses that look at several windows
 * (persistence, risk, re-measurement, triggers) all start here. Relies on
 * aggregate and cells.
 */
#ifndef SERVGAP_WINDOW_H
#define SERVGAP_WINDOW_H

#include "cells.h"

/* A result for days [from_day, to_day) (INT64_MIN / INT64_MAX: unbounded)
 * whose window reads [from, to). flags: SERVGAP_QUERY_TIERS, _ACCOUNTS,
 * _BREAKDOWN. The caller holds the read lock. 0, or -1 when memory ran out
 * (*out is then NULL). */
int servgap__window(const servgap_ctx *ctx, const servgap__options *opt, int64_t from, int64_t to,
                    uint32_t flags, servgap_result **out);

/* As servgap__window, with the query's t quantiles tc (NULL: none) and,
 * when keep is not NULL, the window's aggregated groups handed over in
 * *keep (the caller frees it with servgap__agg_free; after a failure there
 * is nothing to free). flags may add SERVGAP__NO_SERVQUAL. */
int servgap__window_tc(const servgap_ctx *ctx, const servgap__options *opt, int64_t from,
                       int64_t to, uint32_t flags, servgap__tcache *tc, servgap__agg *keep,
                       servgap_result **out);

/* The cells of [from, to) into r, emptied first and keeping its memory,
 * so that windows computed one after another reuse one result. With
 * SERVGAP__SOME_ROLLUPS or SERVGAP__SOME_RUNS in flags, sel lists the runs
 * (build.h; NULL: none). 0, or -1 when memory ran out (r is then safe to
 * reuse or free). */
int servgap__window_into(const servgap_ctx *ctx, const servgap__options *opt, int64_t from,
                         int64_t to, uint32_t flags, servgap__tcache *tc,
                         const servgap__runsel *sel, servgap_result *r);

/* What one of the threads that compute windows side by side works with:
 * a result and a t-quantile memo, so that the threads share nothing they
 * write. Thread 0 takes the caller's memo, any other, when the caller has
 * one, a copy of it (what the query has computed so far: most df recur). */
typedef struct servgap__winthread {
    servgap_result *r;
    servgap__tcache *tc; /* the caller's, &own, or NULL */
    servgap__tcache own;
    int own_r;
} servgap__winthread;

/* Set up w[t] for each thread t < n, before the threads start: the
 * memo's copies are taken while nothing writes it. Thread t's result is
 * pool[t], made when NULL and left in pool for the caller to free, so
 * that the windows of later calls write memory already mapped (a fresh
 * result of a 10M-observation window costs more in page faults than its
 * cells); without a pool (NULL) each thread has a new result that
 * servgap__winthreads_free frees. 0, or -1 when memory ran out (w then
 * holds nothing to free). */
int servgap__winthreads_init(servgap__winthread *w, size_t n, const servgap_ctx *ctx,
                             servgap_result **pool, servgap__tcache *tc);
void servgap__winthreads_free(servgap__winthread *w, size_t n);

/* 1 when t can bound a window: a UTC midnight, SERVGAP_TIME_MIN or _MAX. */
int servgap__is_bound(int64_t t);

/* The UTC midnight after the latest observation, or 0 without any: the
 * analysis date of an open-ended window. The caller holds a lock. */
int64_t servgap__after_latest(const servgap_ctx *ctx);

/* t - days whole days, saturating at SERVGAP_TIME_MIN (no start): where
 * the windows that end at an analysis date begin. */
static inline int64_t servgap__days_before(int64_t t, int64_t days)
{
    if (t < INT64_MIN + days * SERVGAP_DAY)
        return SERVGAP_TIME_MIN;
    return t - days * SERVGAP_DAY;
}

/* The day of a window bound in seconds (TIME_MIN/MAX map to INT64_MIN/MAX). */
int64_t servgap__bound_day(int64_t t);

#endif
