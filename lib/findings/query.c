/*
 * query -- the public query calls: check the window and the analysis date,
 * then, under the read lock (so queries run concurrently), the window's
 * cells and the analyses the flags ask for.
 */
#include "../base/platform.h"

#include "analysis.h"
#include "persist.h"

/* The window's cells; with priorities asked for, the window's groups stay
 * in sh for their tier findings. */
static int core(servgap__shared *sh, int64_t from, int64_t to, int64_t now, uint32_t flags,
                servgap_result **out)
{
    uint32_t cells =
        flags & (SERVGAP_QUERY_TIERS | SERVGAP_QUERY_ACCOUNTS | SERVGAP_QUERY_BREAKDOWN);
    servgap__agg *keep = flags & SERVGAP_QUERY_PRIORITIES ? &sh->agg : NULL;
    if (servgap__window_tc(sh->ctx, sh->opt, from, to, cells, &sh->tc, keep, out) != 0)
        return -1;
    sh->have_agg = keep != NULL;
    servgap_result *r = *out;
    r->now = now != SERVGAP_TIME_NONE ? now
             : to != SERVGAP_TIME_MAX ? to
                                      : servgap__after_latest(sh->ctx);
    return 0;
}

/* The analyses the flags ask for, on top of r's cells. */
static int analyses(servgap__shared *sh, uint32_t flags, servgap_result *r)
{
    const servgap_ctx *ctx = sh->ctx;
    const servgap__options *opt = sh->opt;
    int rc = 0;
    if (flags & SERVGAP_QUERY_PRIORITIES) {
        rc = servgap__priorities_build(ctx, opt, r, sh);
        if (rc == 0)
            rc = servgap__ipa_build(ctx, opt, r);
    }
    if (sh->have_agg) { /* nothing after priorities reads the groups */
        servgap__agg_free(&sh->agg);
        sh->have_agg = 0;
    }
    if (rc == 0 && (flags & SERVGAP_QUERY_TRIGGERS)) {
        rc = servgap__triggers_build(ctx, opt, r, sh);
        if (rc == 0)
            rc = servgap__risk_build(ctx, opt, r, sh);
    }
    return rc;
}

/* Everything one query computes shares sh (window.h): t quantiles, the
 * window's groups and the persistence windows, which risk reads too. */
static int analyse(const servgap_ctx *ctx, const servgap__options *opt, int64_t from, int64_t to,
                   int64_t now, uint32_t flags, servgap_result **out)
{
    servgap__shared sh;
    uint32_t extra = flags & SERVGAP_QUERY_TRIGGERS ? SERVGAP_QUERY_ACCOUNTS : 0;
    *out = NULL; /* as on any failure */
    int rc = servgap__shared_init(&sh, ctx, opt, extra);
    if (rc == 0)
        rc = core(&sh, from, to, now, flags, out);
    if (rc == 0 && (rc = analyses(&sh, flags, *out)) != 0) {
        servgap_result_free(*out);
        *out = NULL;
    }
    servgap__shared_free(&sh);
    return rc;
}

/* Both public calls; fn names the one the caller made in messages. */
static int query(servgap_ctx *ctx, const char *fn, int64_t from, int64_t to, int64_t now,
                 uint32_t flags, servgap_result **out)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!out)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "out is NULL");
    if (flags & ~SERVGAP_QUERY_ALL)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown flags 0x%x", (unsigned)flags);
    if (!servgap__is_bound(from) || !servgap__is_bound(to))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "window [%lld, %lld) must start and end at UTC midnight",
                             (long long)from, (long long)to);
    if (from >= to)
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "window [%lld, %lld) is empty",
                             (long long)from, (long long)to);
    if (now != SERVGAP_TIME_NONE && (now % SERVGAP_DAY != 0 || now == SERVGAP_TIME_MAX))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "now %lld is not a UTC midnight",
                             (long long)now);
    servgap__options opt;
    servgap__options_get(ctx, &opt);
    servgap__rdlock(ctx);
    int rc = analyse(ctx, &opt, from, to, now, flags ? flags : SERVGAP_QUERY_ALL, out);
    servgap__unlock(ctx);
    if (rc != 0)
        return servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    return SERVGAP_OK;
}

SERVGAP_API int servgap_query_at(servgap_ctx *ctx, int64_t from, int64_t to, int64_t now,
                                 uint32_t flags, servgap_result **out)
{
    return query(ctx, "servgap_query_at", from, to, now, flags, out);
}

SERVGAP_API int servgap_query(servgap_ctx *ctx, int64_t from, int64_t to, uint32_t flags,
                              servgap_result **out)
{
    return query(ctx, "servgap_query", from, to, SERVGAP_TIME_NONE, flags, out);
}
