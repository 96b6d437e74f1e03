/*
 * window -- one window's core result under a held read lock.
 */
#include "../base/platform.h"

#include "window.h"

int64_t servgap__bound_day(int64_t t)
{
    if (t == SERVGAP_TIME_MIN)
        return INT64_MIN;
    if (t == SERVGAP_TIME_MAX)
        return INT64_MAX;
    return t / SERVGAP_DAY;
}

int servgap__is_bound(int64_t t)
{
    return t == SERVGAP_TIME_MIN || t == SERVGAP_TIME_MAX || t % SERVGAP_DAY == 0;
}

int64_t servgap__after_latest(const servgap_ctx *ctx)
{
    int64_t last = servgap__last_day(ctx);
    return last == INT64_MIN ? 0 : (last + 1) * SERVGAP_DAY;
}

/* Aggregate and build the cells into the empty result r. */
static int build(const servgap_ctx *ctx, const servgap__options *opt, uint32_t flags,
                 servgap__tcache *tc, const servgap__runsel *sel, servgap__agg *keep,
                 servgap_result *r)
{
    static const servgap__runsel every = {NULL, 0, NULL, 0};
    servgap__agg agg;
    servgap__build b = {ctx, opt, &agg, r, flags, tc, sel ? *sel : every};
    int rc = servgap__aggregate(ctx, servgap__bound_day(r->from), servgap__bound_day(r->to), opt,
                                flags & SERVGAP_QUERY_BREAKDOWN ? SERVGAP__AGG_FACETS : 0, &agg);
    r->survey_from = servgap__day_start(agg.reads.survey_from_day, SERVGAP_TIME_MIN);
    r->declarations_in_window = agg.reads.declarations_in_window;
    if (rc == 0)
        rc = servgap__build_cells(&b);
    if (rc == 0 && keep) {
        /* Only the groups are wanted later: free the rest now. */
        servgap__facets_free(&agg.facets);
        servgap__map_free(&agg.resp);
        *keep = agg;
    } else {
        servgap__agg_free(&agg);
    }
    return rc;
}

int servgap__window_tc(const servgap_ctx *ctx, const servgap__options *opt, int64_t from,
                       int64_t to, uint32_t flags, servgap__tcache *tc, servgap__agg *keep,
                       servgap_result **out)
{
    *out = NULL;
    servgap_result *r = servgap__result_new(&ctx->alloc, from, to);
    if (!r)
        return -1;
    if (build(ctx, opt, flags, tc, NULL, keep, r) != 0) {
        servgap_result_free(r);
        return -1;
    }
    servgap__result_trim(r);
    *out = r;
    return 0;
}

int servgap__window(const servgap_ctx *ctx, const servgap__options *opt, int64_t from, int64_t to,
                    uint32_t flags, servgap_result **out)
{
    return servgap__window_tc(ctx, opt, from, to, flags, NULL, NULL, out);
}

static int winthread_init(servgap__winthread *w, const servgap_ctx *ctx, size_t t,
                          servgap_result **pool, servgap__tcache *tc)
{
    w->r = pool ? pool[t] : NULL;
    w->tc = tc;
    w->own_r = pool == NULL;
    if (!w->r && !(w->r = servgap__result_new(&ctx->alloc, 0, 0)))
        return -1;
    if (pool)
        pool[t] = w->r;
    if (t > 0 && tc) {
        w->tc = &w->own;
        if (servgap__tcache_copy(&w->own, tc) != 0) {
            w->tc = NULL;
            servgap__winthreads_free(w, 1);
            return -1;
        }
    }
    return 0;
}

int servgap__winthreads_init(servgap__winthread *w, size_t n, const servgap_ctx *ctx,
                             servgap_result **pool, servgap__tcache *tc)
{
    for (size_t t = 0; t < n; t++)
        if (winthread_init(&w[t], ctx, t, pool, tc) != 0) {
            servgap__winthreads_free(w, t);
            return -1;
        }
    return 0;
}

void servgap__winthreads_free(servgap__winthread *w, size_t n)
{
    for (size_t t = 0; t < n; t++) {
        if (w[t].own_r)
            servgap_result_free(w[t].r);
        if (w[t].tc == &w[t].own)
            servgap__tcache_free(&w[t].own);
        w[t].r = NULL;
        w[t].tc = NULL;
    }
}

int servgap__window_into(const servgap_ctx *ctx, const servgap__options *opt, int64_t from,
                         int64_t to, uint32_t flags, servgap__tcache *tc,
                         const servgap__runsel *sel, servgap_result *r)
{
    servgap__result_reset(r, from, to);
    return build(ctx, opt, flags, tc, sel, NULL, r);
}
