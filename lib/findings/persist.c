/*
 * persist -- the persistence windows one query shares between priorities
 * and risk: each window computed once, on first use, into a recycled
 * result (one a thread), and summarized to what those two read
 * (persist.h). Relies on window for the cells and on shortfalls for each
 * account's open ones.
 */
#include "../base/platform.h"

#include "persist.h"

#include <stdlib.h>
#include <string.h>

#include "../base/workers.h"

int servgap__shared_init(servgap__shared *s, const servgap_ctx *ctx, const servgap__options *opt,
                         uint32_t extra)
{
    memset(s, 0, sizeof *s);
    s->ctx = ctx;
    s->opt = opt;
    s->extra = extra;
    return servgap__tcache_init(&s->tc, &ctx->alloc, 0.5 + opt->confidence / 2.0, ctx->store.count);
}

static void winsum_clear(const servgap__alloc *a, servgap__winsum *w)
{
    servgap__free(a, w->key);
    servgap__free(a, w->sig);
    servgap__free(a, w->acc);
    servgap__free(a, w->sf);
    servgap__free(a, w->points);
    w->key = NULL;
    w->sig = NULL;
    w->acc = NULL;
    w->sf = NULL;
    w->points = NULL;
    w->ncells = w->nacc = 0;
    w->flags = 0;
    w->with_runs = 0;
}

void servgap__shared_free(servgap__shared *s)
{
    const servgap__alloc *a = &s->ctx->alloc;
    servgap__tcache_free(&s->tc);
    if (s->have_agg)
        servgap__agg_free(&s->agg);
    for (size_t i = 0; i < s->nwin; i++)
        winsum_clear(a, &s->win[i]);
    for (size_t t = 0; t < SERVGAP__SHARED_WINDOWS; t++)
        servgap_result_free(s->scratch[t]);
    servgap__free(a, s->runs);
    servgap__free(a, s->series);
    servgap__free(a, s->series_order);
    servgap__free(a, s->series_of);
    memset(s, 0, sizeof *s);
}

/* The entry of [from, to), a new one, or (never with the windows the
 * options allow) the last one reused. */
static servgap__winsum *shared_slot(servgap__shared *s, int64_t from, int64_t to)
{
    for (size_t i = 0; i < s->nwin; i++)
        if (s->win[i].from == from && s->win[i].to == to)
            return &s->win[i];
    servgap__winsum *w = &s->win[s->nwin < SERVGAP__SHARED_WINDOWS ? s->nwin++ : s->nwin - 1];
    winsum_clear(&s->ctx->alloc, w);
    w->from = from;
    w->to = to;
    return w;
}

/* Each account run's open shortfalls into w (arrays sized for x's runs). */
static void summarize_accounts(const servgap_result *x, uint8_t *mask, servgap__winsum *w)
{
    for (size_t i = 0, j; i < x->ncells; i = j) {
        const servgap__cellrec *c = &x->cells[i].c;
        j = servgap__scope_run(x, i);
        if (c->scope_kind != SERVGAP_SCOPE_ACCOUNT)
            continue;
        w->acc[w->nacc] = c->scope_id;
        w->sf[w->nacc++] = servgap__account_shortfalls(x, i, j, SERVGAP__GAPS_MEASURED, mask);
    }
}

/* A cell's significant shortfalls, bit g for gap g, and bit
 * SERVGAP__SIG_NO_STANDARD for a standards row that is a no-standard
 * shortfall: no standard, and the joined span through it significant and
 * below zero (an unresolved row, never a shortfall by its status). */
static uint8_t sig_bits(const servgap_result *x, const servgap__cellrow *row)
{
    const uint32_t nostd = SERVGAP_GAPFLAG_NO_STANDARD | SERVGAP_GAPFLAG_SIGNIFICANT;
    const int s = SERVGAP_GAP_STANDARDS;
    uint8_t bits = 0;
    for (int g = 0; g < SERVGAP_GAP_COUNT; g++)
        if (row->gc.status[g] == SERVGAP_STATUS_SHORTFALL &&
            (row->gc.flags[g] & SERVGAP_GAPFLAG_SIGNIFICANT))
            bits |= (uint8_t)(1u << g);
    if ((row->gc.flags[s] & nostd) == nostd && servgap__cellrow_value(x, row, s) < 0.0)
        bits |= (uint8_t)SERVGAP__SIG_NO_STANDARD;
    return bits;
}

static int summarize(const servgap__alloc *a, const servgap_ctx *ctx, const servgap_result *x,
                     servgap__winsum *w)
{
    size_t n = x->ncells;
    w->key = servgap__malloc(a, n, sizeof *w->key);
    w->sig = servgap__malloc(a, n, 1);
    w->acc = servgap__malloc(a, n, sizeof *w->acc);
    w->sf = servgap__malloc(a, n, sizeof *w->sf);
    uint8_t *mask = servgap__calloc(a, ctx->metrics.names.count, 1);
    int rc = w->key && w->sig && w->acc && w->sf && mask ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const servgap__cellrow *row = &x->cells[i];
        servgap__cell_order(row->c.scope_kind, row->c.scope_id, row->c.touchpoint, row->c.metric,
                            row->c.dimension, w->key[i]);
        w->sig[i] = sig_bits(x, row);
    }
    if (rc == 0) {
        w->ncells = n;
        summarize_accounts(x, mask, w);
    }
    servgap__free(a, mask);
    return rc;
}

/* Whether w has to be computed (again) for a request with flags, and the
 * cells it then gets into *want. Tier and account cells do not depend on
 * each other, so a window with both holds the same cells as one with
 * either. */
static int stale(const servgap__shared *s, const servgap__winsum *w, uint32_t flags, uint32_t *want)
{
    *want = (flags | s->extra) & ~SERVGAP__SOME_ROLLUPS;
    int runs = (flags & SERVGAP__SOME_ROLLUPS) != 0;
    if (w->flags && (w->flags & *want) == *want && (!runs || w->with_runs))
        return 0;
    *want |= w->flags;
    return 1;
}

/* The points of s's series in x, window w's cells, into w. */
static int record_points(const servgap__shared *s, const servgap_result *x, servgap__winsum *w)
{
    if (!s->series)
        return 0;
    w->points = servgap__calloc(&s->ctx->alloc, s->nseries ? s->nseries : 1, sizeof *w->points);
    if (!w->points)
        return -1;
    servgap__trend_points(x, s->series, s->series_order, s->nseries, w->points, 1);
    return 0;
}

/* Window w's cells want, into scratch with memo tc, summarized into w. */
static int compute(const servgap__shared *s, const servgap__options *opt, servgap__winsum *w,
                   uint32_t want, servgap_result *scratch, servgap__tcache *tc)
{
    const servgap__alloc *a = &s->ctx->alloc;
    servgap__runsel sel = {s->runs, s->nruns, NULL, 0};
    winsum_clear(a, w);
    if (servgap__window_into(s->ctx, opt, w->from, w->to,
                             want | SERVGAP__NO_SERVQUAL | SERVGAP__SOME_ROLLUPS, tc, &sel,
                             scratch) != 0 ||
        summarize(a, s->ctx, scratch, w) != 0 || record_points(s, scratch, w) != 0) {
        winsum_clear(a, w);
        return -1;
    }
    w->flags = want;
    w->with_runs = s->runs_set;
    return 0;
}

static int scratch_ready(servgap__shared *s)
{
    return s->scratch[0] || (s->scratch[0] = servgap__result_new(&s->ctx->alloc, 0, 0)) != NULL;
}

int servgap__shared_window(servgap__shared *s, int64_t from, int64_t to, uint32_t flags,
                           const servgap__winsum **out)
{
    servgap__winsum *w = shared_slot(s, from, to);
    uint32_t want;
    if (stale(s, w, flags, &want) &&
        (!scratch_ready(s) || compute(s, s->opt, w, want, s->scratch[0], &s->tc) != 0))
        return -1;
    *out = w;
    return 0;
}

/* Windows computed side by side: thread t computes jobs t, t + nthreads,
 * ... with a servgap__winthread (its result s->scratch[t]; thread 0 with
 * the shared memo), each into its own summary. */
typedef struct winjobs {
    const servgap__shared *s;
    servgap__options opt; /* one thread a window: the windows are the split */
    servgap__winsum *w[SERVGAP__SHARED_WINDOWS];
    uint32_t want[SERVGAP__SHARED_WINDOWS];
    size_t n, nthreads;
    servgap__winthread th[SERVGAP__SHARED_WINDOWS]; /* nthreads <= n */
} winjobs;

static int winjobs_task(void *arg, size_t t)
{
    const winjobs *job = arg;
    int rc = 0;
    for (size_t j = t; j < job->n && rc == 0; j += job->nthreads)
        rc = compute(job->s, &job->opt, job->w[j], job->want[j], job->th[t].r, job->th[t].tc);
    return rc;
}

/* The stale windows of [from[i], to[i]) into job; 0 when they cannot all
 * have slots of their own, which leaves them to servgap__shared_window. */
static size_t stale_windows(servgap__shared *s, const int64_t *from, const int64_t *to, size_t n,
                            uint32_t flags, winjobs *job)
{
    if (s->nwin + n > SERVGAP__SHARED_WINDOWS)
        return 0;
    job->n = 0;
    for (size_t i = 0; i < n; i++) {
        servgap__winsum *w = shared_slot(s, from[i], to[i]);
        uint32_t want;
        int listed = 0;
        for (size_t j = 0; j < job->n; j++)
            listed |= job->w[j] == w;
        if (!listed && stale(s, w, flags, &want)) {
            job->w[job->n] = w;
            job->want[job->n++] = want;
        }
    }
    return job->n;
}

int servgap__shared_windows(servgap__shared *s, const int64_t *from, const int64_t *to, size_t n,
                            uint32_t flags)
{
    size_t threads = servgap__threads_of(s->opt->threads);
    if (threads < 2 || n < 2)
        return 0;
    winjobs *job = servgap__calloc(&s->ctx->alloc, 1, sizeof *job);
    if (!job)
        return -1;
    int rc = 0;
    if (stale_windows(s, from, to, n, flags, job) >= 2) {
        job->s = s;
        job->opt = *s->opt;
        job->opt.threads = 1;
        job->nthreads = threads < job->n ? threads : job->n;
        rc = servgap__winthreads_init(job->th, job->nthreads, s->ctx, s->scratch, &s->tc);
        if (rc == 0) {
            rc = servgap__workers_run(job->nthreads, winjobs_task, job);
            servgap__winthreads_free(job->th, job->nthreads);
        }
    }
    servgap__free(&s->ctx->alloc, job);
    return rc;
}

int servgap__shared_series(servgap__shared *s, servgap__series *series, size_t n)
{
    s->series = series;
    s->nseries = n;
    s->series_order = servgap__series_sorted(s->ctx, series, n);
    return s->series_order ? 0 : -1;
}

const servgap_trend *servgap__shared_points(const servgap__shared *s, int64_t from, int64_t to)
{
    for (size_t i = 0; i < s->nwin; i++)
        if (s->win[i].from == from && s->win[i].to == to)
            return s->win[i].points;
    return NULL;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

int servgap__shared_rollups(servgap__shared *s, const uint64_t *runs, size_t n)
{
    const servgap__alloc *a = &s->ctx->alloc;
    uint64_t *copy = servgap__malloc(a, n ? n : 1, sizeof *copy);
    if (!copy)
        return -1;
    if (n)
        memcpy(copy, runs, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || copy[i] != copy[k - 1])
            copy[k++] = copy[i];
    servgap__free(a, s->runs);
    s->runs = copy;
    s->nruns = k;
    s->runs_set = 1;
    return 0;
}

int servgap__winsum_significant(const servgap__winsum *w, const servgap_finding *f)
{
    int64_t want[4];
    servgap__cell_order(f->scope_kind, f->scope_id, f->touchpoint, f->metric, f->dimension, want);
    size_t lo = 0, hi = w->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (servgap__cell_order_cmp(w->key[mid], want) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    unsigned bit = f->flags & SERVGAP_FINDING_NO_STANDARD ? SERVGAP__SIG_NO_STANDARD : 1u << f->gap;
    return lo < w->ncells && servgap__cell_order_cmp(w->key[lo], want) == 0 && (w->sig[lo] & bit);
}
