/*
 * trends -- a cell's gap over the consecutive windows that end at the
 * analysis date: SERVGAP_OPT_TREND_WINDOWS windows of SERVGAP_OPT_WINDOW_DAYS
 * days (docs/concepts.md, section 13). Each window is computed once for
 * every series, through window, exactly as a query of that window alone
 * computes its cells, so that a trend's point is that query's gap bit for
 * bit. The series are a query's findings (SERVGAP_QUERY_TRENDS) or the
 * cells a caller names (servgap_query_trends). Relies on window.
 */
#include "../base/platform.h"

#include <math.h>
#include <stdlib.h>

#include "analysis.h"

/* The cells a window needs: the scopes' kinds, and the dimension roll-ups
 * of the runs listed (none other), without SERVQUAL rows. */
static uint32_t window_flags(const servgap__series *s, size_t n)
{
    uint32_t flags = SERVGAP__NO_SERVQUAL | SERVGAP__SOME_ROLLUPS;
    for (size_t i = 0; i < n; i++)
        flags |=
            s[i].scope_kind == SERVGAP_SCOPE_TIER ? SERVGAP_QUERY_TIERS : SERVGAP_QUERY_ACCOUNTS;
    return flags;
}

static int run_order(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* The sorted runs (k1 >> 16 of their groups; a tier's cells come from its
 * pooled groups) of the series that follow a dimension roll-up. */
static uint64_t *rollup_runs(const servgap_ctx *ctx, const servgap__series *s, size_t n, size_t *k)
{
    uint64_t *runs = servgap__malloc(&ctx->alloc, n ? n : 1, sizeof *runs);
    *k = 0;
    for (size_t i = 0; runs && i < n; i++) {
        if (s[i].metric != SERVGAP_ALL)
            continue;
        uint32_t scope = s[i].scope_kind == SERVGAP_SCOPE_TIER
                             ? (uint32_t)s[i].scope_id | SERVGAP__SCOPE_TIER | SERVGAP__SCOPE_POOLED
                             : (uint32_t)s[i].scope_id;
        uint32_t tp = s[i].touchpoint == SERVGAP_ALL ? SERVGAP__TP_ALL : (uint32_t)s[i].touchpoint;
        runs[(*k)++] = servgap__gkey(scope, tp, 0) >> 16;
    }
    if (runs)
        qsort(runs, *k, sizeof *runs, run_order);
    return runs;
}

/* The series' point in window w, the cells of that window: its gap, or an
 * insufficient point where the window has no such cell. */
static void point_of(const servgap_result *w, const servgap__series *s, servgap_trend *t)
{
    size_t i;
    servgap_gap g = {.size = sizeof g,
                     .status = SERVGAP_STATUS_INSUFFICIENT,
                     .value = NAN,
                     .normalized = NAN,
                     .lo = NAN,
                     .hi = NAN};
    if (servgap_result_find(w, s->scope_kind, s->scope_id, s->touchpoint, s->metric, s->dimension,
                            &i) == SERVGAP_OK) {
        servgap__gaprec x;
        servgap__cellrow_gap(w, &w->cells[i], s->gap, &x);
        servgap__gap_unpack(&x, s->gap, w->cells[i].c.span, &g);
    }
    t->status = g.status;
    t->span = g.span;
    t->flags = g.flags;
    t->value = g.value;
    t->normalized = g.normalized;
    t->lo = g.lo;
    t->hi = g.hi;
    t->n_up = g.n_up;
    t->n_down = g.n_down;
}

/* The rows of every series, their points still to come. */
static void label_rows(const servgap__series *s, size_t n, uint64_t first_series, int64_t now,
                       const servgap__options *opt, servgap_trend *rows)
{
    int64_t k = opt->trend_windows, days = opt->window_days;
    for (size_t i = 0; i < n; i++) {
        for (int64_t w = 0; w < k; w++) {
            servgap_trend *t = &rows[i * (size_t)k + (size_t)w];
            t->size = sizeof *t;
            t->series = first_series + i;
            t->finding = s[i].finding;
            t->scope_kind = s[i].scope_kind;
            t->scope_id = s[i].scope_id;
            t->touchpoint = s[i].touchpoint;
            t->metric = s[i].metric;
            t->dimension = s[i].dimension;
            t->gap = s[i].gap;
            t->window = (int32_t)w;
            t->from = servgap__days_before(now, (k - w) * days);
            t->to = servgap__days_before(now, (k - 1 - w) * days);
        }
    }
}

/* Window by window, each computed once into one recycled result. */
static int fill_points(const servgap_ctx *ctx, const servgap__options *opt, servgap__tcache *tc,
                       const servgap__series *s, size_t n, servgap_trend *rows)
{
    size_t nruns, k = (size_t)opt->trend_windows;
    uint64_t *runs = rollup_runs(ctx, s, n, &nruns);
    servgap_result *w = servgap__result_new(&ctx->alloc, SERVGAP_TIME_MIN, SERVGAP_TIME_MAX);
    int rc = runs && w ? 0 : -1;
    for (size_t j = 0; j < k && rc == 0; j++) {
        rc = servgap__window_into(ctx, opt, rows[j].from, rows[j].to, window_flags(s, n), tc, runs,
                                  nruns, w);
        for (size_t i = 0; i < n && rc == 0; i++)
            point_of(w, &s[i], &rows[i * k + j]);
    }
    servgap_result_free(w);
    servgap__free(&ctx->alloc, runs);
    return rc;
}

int servgap__trends_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                          servgap__tcache *tc, const servgap__series *s, size_t n)
{
    if (n == 0)
        return 0;
    size_t k = (size_t)opt->trend_windows;
    if (n > SIZE_MAX / k)
        return -1;
    uint64_t first_series = r->ntrend / k;
    servgap_trend *rows = servgap__result_add_trends(r, n * k);
    if (!rows)
        return -1;
    r->trend_windows = k;
    label_rows(s, n, first_series, r->now, opt, rows);
    return fill_points(ctx, opt, tc, s, n, rows);
}

int servgap__trends_of_findings(const servgap_ctx *ctx, const servgap__options *opt,
                                servgap_result *r, servgap__tcache *tc)
{
    servgap__series *s = servgap__malloc(&ctx->alloc, r->nfd ? r->nfd : 1, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < r->nfd; i++) {
        const servgap_finding *f = &r->fd[i];
        servgap__series x = {f->scope_kind, f->scope_id, f->touchpoint, f->metric,
                             f->dimension,  f->gap,      (uint64_t)i};
        s[i] = x;
    }
    int rc = servgap__trends_build(ctx, opt, r, tc, s, r->nfd);
    servgap__free(&ctx->alloc, s);
    return rc;
}
