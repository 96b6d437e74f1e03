/*
 * trends -- a cell's gap over the consecutive windows that end at the
 * analysis date: SERVGAP_OPT_TREND_WINDOWS windows of SERVGAP_OPT_WINDOW_DAYS
 * days (docs/concepts.md, section 13). Each window is computed once for
 * every series, through window, exactly as a query of that window alone
 * computes its cells, so that a trend's point is that query's gap bit for
 * bit. The series are a query's findings (SERVGAP_QUERY_TRENDS) or the
 * cells a caller names (servgap_query_trends). A window builds only the
 * cells of its series (all metric cells of a run whose roll-up is one),
 * and with SERVGAP_OPT_THREADS the windows are computed side by side.
 * Relies on window.
 */
#include "../base/platform.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/workers.h"
#include "analysis.h"
#include "persist.h"

/* The cells a window needs: the scopes' kinds, the runs and dimension
 * roll-ups listed (none other), without SERVQUAL rows. */
static uint32_t window_flags(const servgap__series *s, size_t n)
{
    uint32_t flags = SERVGAP__NO_SERVQUAL | SERVGAP__SOME_ROLLUPS | SERVGAP__SOME_RUNS;
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

uint64_t servgap__cell_group(int32_t kind, int32_t id, int32_t tp, int32_t metric)
{
    uint32_t scope = kind == SERVGAP_SCOPE_TIER
                         ? (uint32_t)id | SERVGAP__SCOPE_TIER | SERVGAP__SCOPE_POOLED
                         : (uint32_t)id;
    uint32_t t = tp == SERVGAP_ALL ? SERVGAP__TP_ALL : (uint32_t)tp;
    return servgap__gkey(scope, t, metric == SERVGAP_ALL ? 0 : (uint32_t)metric);
}

static uint64_t group_of(const servgap__series *s)
{
    return servgap__cell_group(s->scope_kind, s->scope_id, s->touchpoint, s->metric);
}

/* What the windows build, sorted (build.h, servgap__runsel): the groups of
 * the series of one metric in keys[0 .. *ncell), then the runs of those
 * that follow a dimension roll-up in keys[*ncell .. *ncell + *nroll); NULL
 * when memory ran out. */
static uint64_t *series_keys(const servgap_ctx *ctx, const servgap__series *s, size_t n,
                             size_t *ncell, size_t *nroll)
{
    uint64_t *keys = servgap__malloc(&ctx->alloc, n ? n : 1, sizeof *keys);
    *ncell = *nroll = 0;
    if (!keys)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i].metric != SERVGAP_ALL)
            keys[(*ncell)++] = group_of(&s[i]);
    for (size_t i = 0; i < n; i++)
        if (s[i].metric == SERVGAP_ALL)
            keys[*ncell + (*nroll)++] = group_of(&s[i]) >> 16;
    qsort(keys, *ncell, sizeof *keys, run_order);
    qsort(keys + *ncell, *nroll, sizeof *keys, run_order);
    return keys;
}

/* Series s's point from cell i of w, or an insufficient point when i is
 * SIZE_MAX (w has no such cell). */
static void point_at(const servgap_result *w, size_t i, const servgap__series *s, servgap_trend *t)
{
    servgap_gap g = {.size = sizeof g,
                     .status = SERVGAP_STATUS_INSUFFICIENT,
                     .value = NAN,
                     .normalized = NAN,
                     .lo = NAN,
                     .hi = NAN};
    if (i != SIZE_MAX) {
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

/* A series and its cell's place in result order. */
typedef struct keyed {
    int64_t key[4]; /* servgap__cell_order */
    size_t i;
} keyed;

static int keyed_order(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int c = servgap__cell_order_cmp(a->key, b->key);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

static void series_key(const servgap__series *s, int64_t key[4])
{
    servgap__cell_order(s->scope_kind, s->scope_id, s->touchpoint, s->metric, s->dimension, key);
}

size_t *servgap__series_sorted(const servgap_ctx *ctx, const servgap__series *s, size_t n)
{
    keyed *k = servgap__malloc(&ctx->alloc, n ? n : 1, sizeof *k);
    size_t *order = servgap__malloc(&ctx->alloc, n ? n : 1, sizeof *order);
    if (k && order) {
        for (size_t i = 0; i < n; i++) {
            series_key(&s[i], k[i].key);
            k[i].i = i;
        }
        qsort(k, n, sizeof *k, keyed_order);
        for (size_t i = 0; i < n; i++)
            order[i] = k[i].i;
    } else {
        servgap__free(&ctx->alloc, order);
        order = NULL;
    }
    servgap__free(&ctx->alloc, k);
    return order;
}

void servgap__trend_points(const servgap_result *w, const servgap__series *s, const size_t *order,
                           size_t n, servgap_trend *t, size_t stride)
{
    size_t c = 0;
    for (size_t x = 0; x < n; x++) {
        const servgap__series *one = &s[order[x]];
        int64_t want[4], have[4] = {0, 0, 0, 0};
        series_key(one, want);
        int cmp = -1;
        for (; c < w->ncells; c++) {
            const servgap__cellrec *cell = &w->cells[c].c;
            servgap__cell_order(cell->scope_kind, cell->scope_id, cell->touchpoint, cell->metric,
                                cell->dimension, have);
            if ((cmp = servgap__cell_order_cmp(have, want)) >= 0)
                break;
        }
        point_at(w, c < w->ncells && cmp == 0 ? c : SIZE_MAX, one, &t[order[x] * stride]);
    }
}

/* A point recorded elsewhere (src) into t, whose labels stay its own. */
static void copy_point(const servgap_trend *src, servgap_trend *t)
{
    t->status = src->status;
    t->span = src->span;
    t->flags = src->flags;
    t->value = src->value;
    t->normalized = src->normalized;
    t->lo = src->lo;
    t->hi = src->hi;
    t->n_up = src->n_up;
    t->n_down = src->n_down;
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

/* The windows to compute on threads: thread t computes windows todo[t],
 * todo[t + nthreads], ... into a result and t-quantile memo of its own
 * (thread 0 with the query's memo), writing only those windows' points,
 * so that threads share nothing they write and a point is its window's
 * cells whichever thread computed them. */
typedef struct trendjob {
    const servgap_ctx *ctx;
    servgap__options opt; /* one thread a window: the windows are the split */
    const servgap__series *s;
    size_t n, nthreads;
    servgap__runsel sel;
    servgap_trend *rows;
    const size_t *order; /* servgap__series_sorted */
    size_t todo[SERVGAP__WINDOWS_MAX];
    size_t ntodo;
    servgap__winthread th[SERVGAP__WINDOWS_MAX]; /* nthreads <= ntodo */
} trendjob;

static int windows_task(void *arg, size_t t)
{
    const trendjob *job = arg;
    size_t k = (size_t)job->opt.trend_windows, n = job->n;
    const servgap__winthread *w = &job->th[t];
    int rc = 0;
    for (size_t x = t; x < job->ntodo && rc == 0; x += job->nthreads) {
        size_t j = job->todo[x];
        const servgap_trend *at = &job->rows[j];
        rc = servgap__window_into(job->ctx, &job->opt, at->from, at->to, window_flags(job->s, n),
                                  w->tc, &job->sel, w->r);
        if (rc == 0)
            servgap__trend_points(w->r, job->s, job->order, n, &job->rows[j], k);
    }
    return rc;
}

/* The windows whose points sh recorded (the persistence windows: the
 * last trend windows, computed already) copied into rows, the others
 * listed in job->todo. */
static void recorded_points(const servgap__shared *sh, size_t n, size_t k, trendjob *job)
{
    job->ntodo = 0;
    for (size_t j = 0; j < k; j++) {
        const servgap_trend *pts =
            sh && sh->series_of ? servgap__shared_points(sh, job->rows[j].from, job->rows[j].to)
                                : NULL;
        if (!pts) {
            job->todo[job->ntodo++] = j;
            continue;
        }
        for (size_t i = 0; i < n; i++)
            copy_point(&pts[sh->series_of[i]], &job->rows[i * k + j]);
    }
}

/* Every window's points, each window computed once. */
static int fill_points(const servgap_ctx *ctx, const servgap__options *opt, servgap__tcache *tc,
                       const servgap__series *s, size_t n, servgap_trend *rows, servgap__shared *sh)
{
    size_t ncell, nroll, k = (size_t)opt->trend_windows;
    uint64_t *keys = series_keys(ctx, s, n, &ncell, &nroll);
    size_t *order = servgap__series_sorted(ctx, s, n);
    trendjob *job = servgap__calloc(&ctx->alloc, 1, sizeof *job);
    int rc = keys && order && job ? 0 : -1;
    if (rc == 0) {
        servgap__runsel sel = {keys + ncell, nroll, keys, ncell};
        job->ctx = ctx;
        job->opt = *opt;
        job->opt.threads = 1;
        job->s = s;
        job->n = n;
        job->nthreads = servgap__threads_of(opt->threads);
        job->sel = sel;
        job->rows = rows;
        job->order = order;
        recorded_points(sh, n, k, job);
        job->nthreads = job->nthreads < job->ntodo ? job->nthreads : job->ntodo;
        if (job->nthreads > 0 &&
            (rc = servgap__winthreads_init(job->th, job->nthreads, ctx, sh ? sh->scratch : NULL,
                                           tc)) == 0) {
            rc = servgap__workers_run(job->nthreads, windows_task, job);
            servgap__winthreads_free(job->th, job->nthreads);
        }
    }
    servgap__free(&ctx->alloc, job);
    servgap__free(&ctx->alloc, order);
    servgap__free(&ctx->alloc, keys);
    return rc;
}

int servgap__trends_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                          servgap__tcache *tc, const servgap__series *s, size_t n,
                          servgap__shared *sh)
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
    return fill_points(ctx, opt, tc, s, n, rows, sh);
}

int servgap__trends_of_findings(const servgap_ctx *ctx, const servgap__options *opt,
                                servgap_result *r, servgap__shared *sh)
{
    servgap__series *s = servgap__malloc(&ctx->alloc, r->nfd ? r->nfd : 1, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < r->nfd; i++)
        s[i] = servgap__series_of_finding(&r->fd[i], (uint64_t)i);
    int rc = servgap__trends_build(ctx, opt, r, &sh->tc, s, r->nfd, sh);
    servgap__free(&ctx->alloc, s);
    return rc;
}
