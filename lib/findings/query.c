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
    r->level = (int)sh->opt->report_level;
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
    if (rc == 0 && (flags & SERVGAP_QUERY_TRENDS))
        rc = servgap__trends_of_findings(ctx, opt, r, sh);
    if (sh->have_agg) { /* nothing after priorities reads the groups */
        servgap__agg_free(&sh->agg);
        sh->have_agg = 0;
    }
    if (rc == 0 && (flags & SERVGAP_QUERY_TRIGGERS)) {
        rc = servgap__triggers_build(ctx, opt, r, sh);
        if (rc == 0)
            rc = servgap__risk_build(ctx, opt, r, sh);
    }
    if (rc == 0 && (flags & SERVGAP_QUERY_PLANS))
        rc = servgap__plans_build(ctx, opt, r, sh);
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
    sh.trend_points = (flags & SERVGAP_QUERY_TRENDS) != 0;
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
    if (flags == 0)
        flags = SERVGAP_QUERY_ALL;
    if (!out)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "out is NULL");
    if (flags & ~(SERVGAP_QUERY_ALL | SERVGAP_QUERY_TRENDS | SERVGAP_QUERY_PLANS))
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown flags 0x%x", (unsigned)flags);
    if ((flags & SERVGAP_QUERY_TRENDS) && !(flags & SERVGAP_QUERY_PRIORITIES))
        return servgap__fail(ctx, SERVGAP_EINVAL, fn,
                             "SERVGAP_QUERY_TRENDS follows findings: it needs "
                             "SERVGAP_QUERY_PRIORITIES");
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
    int rc = servgap__buckets_check(ctx, &opt, fn);
    if (rc == SERVGAP_OK && analyse(ctx, &opt, from, to, now, flags, out) != 0)
        rc = servgap__fail_run(ctx, &opt, fn);
    servgap__unlock(ctx);
    return rc;
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

/* ---------------------------------------------------------------------- */
/* Trends of named cells                                                   */
/* ---------------------------------------------------------------------- */

/* The scope of a named cell: 0, SERVGAP_EINVAL (kind) or ENOTFOUND (id). */
static int scope_known(const servgap_ctx *ctx, int32_t kind, int32_t id)
{
    if (kind != SERVGAP_SCOPE_ACCOUNT && kind != SERVGAP_SCOPE_TIER)
        return SERVGAP_EINVAL;
    size_t count = kind == SERVGAP_SCOPE_TIER ? ctx->tiers.count : ctx->accounts.names.count;
    return id >= 0 && (size_t)id < count ? SERVGAP_OK : SERVGAP_ENOTFOUND;
}

/* Cell i of servgap_query_trends, checked against the handle (read lock
 * held). */
static int check_series(servgap_ctx *ctx, const char *fn, size_t i, const servgap__series *s)
{
    int rc = scope_known(ctx, s->scope_kind, s->scope_id);
    if (rc != SERVGAP_OK)
        return servgap__fail(ctx, rc, fn, "cell %zu: unknown scope %d of kind %d", i,
                             (int)s->scope_id, (int)s->scope_kind);
    if (s->touchpoint != SERVGAP_ALL &&
        (s->touchpoint < 0 || (size_t)s->touchpoint >= ctx->touchpoints.count))
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn, "cell %zu: unknown touchpoint id %d", i,
                             (int)s->touchpoint);
    if (s->metric != SERVGAP_ALL &&
        (s->metric < 0 || (size_t)s->metric >= ctx->metrics.names.count))
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn, "cell %zu: unknown metric id %d", i,
                             (int)s->metric);
    if (s->metric == SERVGAP_ALL && (s->dimension < 0 || s->dimension >= SERVGAP_DIM_COUNT))
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "cell %zu: unknown dimension %d", i,
                             (int)s->dimension);
    if (s->gap < 0 || s->gap >= SERVGAP_GAP_COUNT)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "cell %zu: unknown gap %d", i, (int)s->gap);
    return SERVGAP_OK;
}

/* The named cells as series into s[0 .. n), checked. A metric cell's
 * dimension is its metric's, whatever the caller passed, as
 * servgap_result_find matches it. */
static int named_series(servgap_ctx *ctx, const char *fn, size_t n, const int32_t *const col[6],
                        servgap__series *s)
{
    for (size_t i = 0; i < n; i++) {
        servgap__series x = {col[0][i], col[1][i], col[2][i], col[3][i],
                             col[4][i], col[5][i], UINT64_MAX};
        int rc = check_series(ctx, fn, i, &x);
        if (rc != SERVGAP_OK)
            return rc;
        if (x.metric != SERVGAP_ALL)
            x.dimension = ctx->metrics.m[x.metric].dimension;
        s[i] = x;
    }
    return SERVGAP_OK;
}

/* The result of the series s[0 .. n) into *out. */
static int trends_result(servgap_ctx *ctx, const servgap__options *opt, int64_t now,
                         const servgap__series *s, size_t n, servgap_result **out)
{
    servgap__tcache tc;
    int64_t first = servgap__days_before(now, opt->trend_windows * opt->window_days);
    servgap_result *r = servgap__result_new(&ctx->alloc, first, now);
    int rc = servgap__tcache_init(&tc, &ctx->alloc, 0.5 + opt->confidence / 2.0, ctx->store.count);
    if (rc == 0 && r)
        rc = servgap__trends_build(ctx, opt, r, &tc, s, n, NULL);
    servgap__tcache_free(&tc);
    if (rc != 0 || !r) {
        servgap_result_free(r);
        return -1;
    }
    *out = r;
    return 0;
}

static int trends_locked(servgap_ctx *ctx, const char *fn, int64_t now, size_t n,
                         const int32_t *const col[6], servgap_result **out)
{
    servgap__options opt;
    servgap__options_get(ctx, &opt);
    int rc = servgap__buckets_check(ctx, &opt, fn);
    if (rc != SERVGAP_OK)
        return rc;
    if (now == SERVGAP_TIME_NONE)
        now = servgap__after_latest(ctx);
    servgap__series *s = servgap__malloc(&ctx->alloc, n ? n : 1, sizeof *s);
    if (!s)
        return servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    rc = named_series(ctx, fn, n, col, s);
    if (rc == SERVGAP_OK && trends_result(ctx, &opt, now, s, n, out) != 0)
        rc = servgap__fail_run(ctx, &opt, fn);
    servgap__free(&ctx->alloc, s);
    return rc;
}

SERVGAP_API int servgap_query_trends(servgap_ctx *ctx, int64_t now, size_t n,
                                     const int32_t *scope_kind, const int32_t *scope_id,
                                     const int32_t *touchpoint, const int32_t *metric,
                                     const int32_t *dimension, const int32_t *gap,
                                     servgap_result **out)
{
    static const char *const fn = "servgap_query_trends";
    if (!ctx)
        return SERVGAP_EMISUSE;
    const int32_t *const col[6] = {scope_kind, scope_id, touchpoint, metric, dimension, gap};
    static const char *const names[6] = {"scope_kind", "scope_id",  "touchpoint",
                                         "metric",     "dimension", "gap"};
    for (int k = 0; k < 6 && n > 0; k++)
        if (!col[k])
            return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "column %s is NULL", names[k]);
    if (!out)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "out is NULL");
    if (now != SERVGAP_TIME_NONE && (now % SERVGAP_DAY != 0 || now == SERVGAP_TIME_MAX))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "now %lld is not a UTC midnight",
                             (long long)now);
    servgap__rdlock(ctx);
    int rc = trends_locked(ctx, fn, now, n, col, out);
    servgap__unlock(ctx);
    return rc;
}
