/*
 * cells -- the cell builder. Groups arrive sorted by (scope, touchpoint,
 * metric); tiers are emitted before accounts, so cells come out in the
 * documented order without a sort.
 */
#include "../base/platform.h"

#include "cells.h"

#include <math.h>
#include <string.h>

#include "../base/workers.h"
#include "breakdown.h"
#include "classify.h"
#include "gaps.h"
#include "servqual.h"

static const servgap__moments empty_moments = {0, 0.0, 0.0, 0};

void servgap__scope_decode(uint32_t scope, int32_t *kind, int32_t *id)
{
    *kind = scope & SERVGAP__SCOPE_TIER ? SERVGAP_SCOPE_TIER : SERVGAP_SCOPE_ACCOUNT;
    *id = (int32_t)(scope & ~(SERVGAP__SCOPE_TIER | SERVGAP__SCOPE_POOLED));
}

/* Where a viewpoint may come from, in order of preference. */
typedef struct source_list {
    const servgap__group *g[4];
    uint32_t bits[4];
    int n;
} source_list;

static void sources_add(source_list *s, const servgap__map *m, uint32_t scope, uint32_t tp,
                        uint32_t metric, uint32_t bits)
{
    s->g[s->n] = servgap__map_find(m, servgap__gkey(scope, tp, metric), 0);
    s->bits[s->n++] = bits;
}

/* own is the cell's own group, which the caller is walking: no look-up. */
static void sources_of(const servgap__build *b, const servgap__group *own, uint32_t scope,
                       uint32_t tp, uint32_t metric, source_list *s)
{
    const servgap__map *m = &b->agg->groups;
    s->g[0] = own;
    s->bits[0] = SERVGAP_SOURCE_OWN;
    s->n = 1;
    int all = tp == SERVGAP__TP_ALL;
    if (!all)
        sources_add(s, m, scope, SERVGAP__TP_ANY, metric,
                    SERVGAP_SOURCE_OWN | SERVGAP_SOURCE_ANYTP);
    if (scope & SERVGAP__SCOPE_TIER)
        return;
    int32_t t = b->ctx->accounts.a[scope].tier;
    if (t < 0)
        return;
    uint32_t ts = (uint32_t)t | SERVGAP__SCOPE_TIER;
    sources_add(s, m, ts, tp, metric, SERVGAP_SOURCE_TIER);
    if (!all)
        sources_add(s, m, ts, SERVGAP__TP_ANY, metric, SERVGAP_SOURCE_TIER | SERVGAP_SOURCE_ANYTP);
}

/* The declaration days of declared viewpoint v, chosen from group g, into
 * days; the change flag into c's source. */
static void choose_days(const servgap__agg *agg, const servgap__group *g, int v,
                        servgap__cellrec *c, servgap__declnum *days)
{
    const servgap__decldays *d = servgap__group_decl(agg, g);
    int k = servgap__decl_slot(v);
    if (!d)
        return;
    days[k].first_day = d->first_day[k];
    days[k].last_day = d->last_day[k];
    if (d->changed[k])
        c->source[v] |= SERVGAP_SOURCE_CHANGED;
}

/* Fill the per-viewpoint columns of a cell (its sources into c, its
 * declarations' days into days) and return each viewpoint's group. */
static void choose(const servgap__agg *agg, const source_list *s, servgap__chosen *ch,
                   servgap__cellrec *c, servgap__vpcols *cols, servgap__declnum *days,
                   const servgap__group **from)
{
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        ch->vp[v] = &empty_moments;
        from[v] = NULL;
        for (int k = 0; k < s->n; k++) {
            if (s->g[k] && s->g[k]->vp[v].n > 0) {
                ch->vp[v] = &s->g[k]->vp[v];
                from[v] = s->g[k];
                c->source[v] = (uint8_t)s->bits[k];
                break;
            }
        }
        if (from[v] && servgap__vp_declared(v))
            choose_days(agg, from[v], v, c, days);
        const servgap__moments *m = ch->vp[v];
        cols->n[v] = m->n;
        cols->mean[v] = m->n ? m->mean : NAN;
        cols->sd[v] = m->n >= 2 ? sqrt(servgap__moments_var(m)) : NAN;
        cols->negative[v] = m->neg;
    }
}

/* The viewpoints whose declaration changed inside the window, as bits. */
static unsigned changed_vps(const servgap__cellrec *c)
{
    unsigned bits = 0;
    for (int v = 0; v < SERVGAP_VP_COUNT; v++)
        if (c->source[v] & SERVGAP_SOURCE_CHANGED)
            bits |= 1u << v;
    return bits;
}

/* The co-moments of a group without paired responses. */
static const servgap__comoments no_pairs = {0, 0.0, 0.0, 0.0, 0.0, 0.0};

static const servgap__comoments *pairs_of(const servgap__agg *agg,
                                          const servgap__group *const *from, int other)
{
    const servgap__group *p = from[SERVGAP_VP_PERCEIVED];
    if (!p || p != from[other])
        return NULL;
    const servgap__pairs *x = servgap__group_pairs(agg, p);
    if (!x)
        return &no_pairs;
    return other == SERVGAP_VP_EXPECTED ? &x->pe : &x->pa;
}

static int metric_cell(servgap__build *b, size_t gi, uint32_t scope, uint32_t low)
{
    servgap__cellrow *row = servgap__result_add_cell(b->r);
    if (!row)
        return -1;
    uint32_t tp = low >> 16, metric = low & 0xffff;
    const servgap__metric *m = &b->ctx->metrics.m[metric];
    servgap__cellrec *c = &row->c;
    int32_t kind;
    servgap__scope_decode(scope, &kind, &c->scope_id);
    c->scope_kind = (uint8_t)kind;
    c->touchpoint = tp == SERVGAP__TP_ALL ? SERVGAP_ALL : (int32_t)tp;
    c->metric = (int32_t)metric;
    c->dimension = (uint8_t)m->dimension;
    c->span = m->span;
    source_list s;
    sources_of(b, servgap__map_at(&b->agg->groups, gi), scope, tp, metric, &s);
    servgap__chosen ch = {{0}, low, scope, gi};
    const servgap__group *from[SERVGAP_VP_COUNT];
    servgap__vpcols cols;
    servgap__declnum days[2] = {{0, 0}, {0, 0}};
    choose(b->agg, &s, &ch, c, &cols, days, from);
    servgap__cellin in = {{0},
                          pairs_of(b->agg, from, SERVGAP_VP_EXPECTED),
                          pairs_of(b->agg, from, SERVGAP_VP_ADEQUATE),
                          m->direction,
                          m->span,
                          b->tc,
                          changed_vps(c)};
    memcpy(in.vp, ch.vp, sizeof in.vp);
    c->pairs = in.pe ? in.pe->n : 0;
    c->pe_correlation = in.pe ? servgap__comoments_corr(in.pe) : NAN;
    servgap__gaprec g[SERVGAP_GAP_COUNT];
    servgap__gaps_cell(&in, b->opt, g);
    int at_risk =
        c->scope_kind == SERVGAP_SCOPE_ACCOUNT &&
        servgap__account_at_risk(&b->ctx->accounts.a[c->scope_id], b->opt->at_risk_health);
    servgap__classify(g, at_risk, c);
    if (servgap__result_set_cell(b->r, row, &cols, days, g) != 0)
        return -1;
    return servgap__breakdown_cell(b, b->r->ncells - 1, &ch);
}

/* The span all metric cells of a dimension share, or 0. */
static double shared_span(const servgap__cellrow *cells, const size_t *idx, size_t k,
                          int *same_direction, const servgap_ctx *ctx)
{
    double s = cells[idx[0]].c.span;
    int32_t dir = ctx->metrics.m[cells[idx[0]].c.metric].direction;
    *same_direction = 1;
    for (size_t i = 1; i < k; i++) {
        if (cells[idx[i]].c.span != s)
            s = 0.0;
        if (ctx->metrics.m[cells[idx[i]].c.metric].direction != dir)
            *same_direction = 0;
    }
    return s;
}

/* The roll-up's columns from its k metric cells' (x[i] those of cell
 * idx[i]). */
static void rollup_columns(const servgap__cellrow *cells, const size_t *idx,
                           const servgap__vpcols *x, size_t k, int means, servgap__cellrec *c,
                           servgap__vpcols *cols)
{
    memset(cols, 0, sizeof *cols);
    for (int v = 0; v < SERVGAP_VP_COUNT; v++) {
        double sum = 0.0;
        size_t used = 0;
        for (size_t i = 0; i < k; i++) {
            cols->n[v] += x[i].n[v];
            cols->negative[v] += x[i].negative[v];
            c->source[v] |= cells[idx[i]].c.source[v];
            if (x[i].n[v] > 0) {
                sum += x[i].mean[v];
                used++;
            }
        }
        cols->mean[v] = means && used ? sum / (double)used : NAN;
        cols->sd[v] = NAN;
    }
    for (size_t i = 0; i < k; i++)
        c->pairs += cells[idx[i]].c.pairs;
    c->pe_correlation = NAN;
}

/* A roll-up's declaration days: the earliest first day and the latest
 * last day of its metric cells'. */
static void rollup_days(const servgap_result *r, const size_t *idx, size_t k,
                        servgap__declnum *days)
{
    static const int declared[2] = {SERVGAP_VP_STANDARD, SERVGAP_VP_PROMISED};
    for (int s = 0; s < 2; s++) {
        days[s].first_day = INT32_MAX;
        days[s].last_day = INT32_MIN;
        for (size_t i = 0; i < k; i++) {
            servgap__declnum x;
            if (!servgap__cell_declnum(r, &r->cells[idx[i]].c, declared[s], &x))
                continue;
            days[s].first_day = x.first_day < days[s].first_day ? x.first_day : days[s].first_day;
            days[s].last_day = x.last_day > days[s].last_day ? x.last_day : days[s].last_day;
        }
    }
}

/* Room for one dimension's metric cells of a run: their viewpoint columns
 * and gaps, read out of the result (cols; x, seven a cell), and pointers
 * to the gaps of one type (g). */
typedef struct scratch {
    servgap__vpcols *cols;
    servgap__gaprec *x;
    size_t *idx;
    const servgap__gaprec **g;
    double *span;
} scratch;

static void *scratch_new(const servgap__alloc *a, size_t n, scratch *s)
{
    size_t one = sizeof(servgap__vpcols) + SERVGAP_GAP_COUNT * sizeof(servgap__gaprec) +
                 sizeof(size_t) + sizeof(servgap__gaprec *) + sizeof(double);
    unsigned char *p = servgap__malloc(a, n, one);
    if (p) {
        s->cols = (servgap__vpcols *)(void *)p;
        s->x = (servgap__gaprec *)(void *)(s->cols + n);
        s->span = (double *)(void *)(s->x + n * SERVGAP_GAP_COUNT);
        s->idx = (size_t *)(void *)(s->span + n);
        s->g = (const servgap__gaprec **)(void *)(s->idx + n);
    }
    return p;
}

static int dimension_cell(servgap__build *b, size_t first, int32_t d, int at_risk,
                          const scratch *sc)
{
    size_t *idx = sc->idx, k = 0, end = b->r->ncells;
    for (size_t i = first; i < end; i++)
        if (b->r->cells[i].c.dimension == d)
            idx[k++] = i;
    if (k == 0)
        return 0;
    servgap__cellrow *row = servgap__result_add_cell(b->r);
    if (!row)
        return -1;
    const servgap__cellrow *cells = b->r->cells;
    servgap__cellrec *c = &row->c;
    *c = cells[first].c;
    c->metric = SERVGAP_ALL;
    c->dimension = (uint8_t)d;
    memset(c->source, 0, sizeof c->source);
    c->pairs = 0;
    int same_dir;
    double s = shared_span(cells, idx, k, &same_dir, b->ctx);
    c->span = s > 0.0 ? s : 1.0;
    for (size_t i = 0; i < k; i++) {
        servgap__cell_vps(b->r, &cells[idx[i]].c, &sc->cols[i]);
        servgap__cellrow_all_gaps(b->r, &cells[idx[i]], &sc->x[i * SERVGAP_GAP_COUNT]);
        sc->span[i] = cells[idx[i]].c.span;
    }
    servgap__vpcols cols;
    rollup_columns(cells, idx, sc->cols, k, s > 0.0 && same_dir, c, &cols);
    servgap__gaprec g[SERVGAP_GAP_COUNT];
    for (int gap = 0; gap < SERVGAP_GAP_COUNT; gap++) {
        for (size_t i = 0; i < k; i++)
            sc->g[i] = &sc->x[i * SERVGAP_GAP_COUNT + (size_t)gap];
        servgap__gaps_rollup(sc->g, sc->span, k, s, b->opt, b->tc, &g[gap]);
    }
    servgap__classify(g, at_risk, c);
    servgap__declnum days[2];
    rollup_days(b->r, idx, k, days);
    return servgap__result_set_cell(b->r, row, &cols, days, g);
}

/* The first of the sorted keys[0 .. n) at or above key. */
static size_t lower_bound(const uint64_t *keys, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Whether key is one of the sorted keys[0 .. n). */
static int listed(const uint64_t *keys, size_t n, uint64_t key)
{
    size_t i = lower_bound(keys, n, key);
    return i < n && keys[i] == key;
}

/* Whether the run of key k1 >> 16 = run gets dimension roll-ups. */
static int rolls_up(const servgap__build *b, uint64_t run)
{
    return !(b->flags & SERVGAP__SOME_ROLLUPS) || listed(b->sel.rollups, b->sel.nrollups, run);
}

/* With SERVGAP__SOME_RUNS: whether group k1 becomes a metric cell, as one
 * of the listed cells or of a run that rolls up (whose roll-ups read all
 * its metric cells). */
static int metric_wanted(const servgap__build *b, uint64_t k1)
{
    return listed(b->sel.cells, b->sel.ncells, k1) ||
           ((b->flags & SERVGAP__SOME_ROLLUPS) && rolls_up(b, k1 >> 16));
}

/* One (scope, touchpoint): its metric cells, dimension roll-ups, SERVQUAL. */
static int run(servgap__build *b, size_t gi, size_t gend)
{
    const servgap__map *m = &b->agg->groups;
    size_t first = b->r->ncells;
    uint64_t k1 = ((const servgap__mapkey *)servgap__map_at(m, gi))->k1;
    uint32_t scope = (uint32_t)(k1 >> 32);
    int some = (b->flags & SERVGAP__SOME_RUNS) != 0;
    for (size_t i = gi; i < gend; i++) {
        const servgap__group *g = servgap__map_at(m, i);
        if (some && !metric_wanted(b, g->key.k1))
            continue;
        if (metric_cell(b, i, scope, (uint32_t)g->key.k1) != 0)
            return -1;
    }
    if (!rolls_up(b, k1 >> 16) || b->r->ncells == first)
        return 0;
    const servgap__cellrec *c0 = &b->r->cells[first].c;
    int at_risk =
        c0->scope_kind == SERVGAP_SCOPE_ACCOUNT &&
        servgap__account_at_risk(&b->ctx->accounts.a[c0->scope_id], b->opt->at_risk_health);
    size_t nmetric = b->r->ncells;
    scratch sc;
    void *mem = scratch_new(&b->ctx->alloc, nmetric - first, &sc);
    if (!mem)
        return -1;
    int rc = 0;
    for (int32_t d = 0; d < SERVGAP_DIM_COUNT && rc == 0; d++)
        rc = dimension_cell(b, first, d, at_risk, &sc);
    servgap__free(&b->ctx->alloc, mem);
    if (rc != 0 || (b->flags & SERVGAP__NO_SERVQUAL))
        return rc;
    return servgap__servqual_run(b, first, nmetric, b->r->ncells);
}

static int wanted(const servgap__build *b, uint32_t scope, int tiers)
{
    if ((scope & SERVGAP__SCOPE_TIER) && !(scope & SERVGAP__SCOPE_POOLED))
        return 0; /* tier-wide only: a source of fallbacks, not a cell */
    int is_tier = (scope & SERVGAP__SCOPE_TIER) != 0;
    if (is_tier != tiers)
        return 0;
    return (b->flags & (is_tier ? SERVGAP_QUERY_TIERS : SERVGAP_QUERY_ACCOUNTS)) != 0;
}

static uint64_t group_k1(const servgap__map *m, size_t i)
{
    return ((const servgap__mapkey *)servgap__map_at(m, i))->k1;
}

/* The end of the run of groups of one (scope, touchpoint) starting at i. */
static size_t group_run(const servgap__map *m, size_t i)
{
    uint64_t k1 = group_k1(m, i);
    size_t j = i + 1;
    while (j < m->n && group_k1(m, j) >> 16 == k1 >> 16)
        j++;
    return j;
}

/* Whether the run [i, ..) is one of the (scope, touchpoint) runs that
 * become cells in the tier (tiers = 1) or account pass. */
static int run_wanted(const servgap__build *b, size_t i, int tiers)
{
    uint64_t k1 = group_k1(&b->agg->groups, i);
    uint32_t tp = (uint32_t)(k1 >> 16) & 0xffff;
    if (tp == SERVGAP__TP_ANY || !wanted(b, (uint32_t)(k1 >> 32), tiers))
        return 0;
    if (!(b->flags & SERVGAP__SOME_RUNS))
        return 1;
    uint64_t run = k1 >> 16;
    size_t c = lower_bound(b->sel.cells, b->sel.ncells, run << 16);
    return (c < b->sel.ncells && b->sel.cells[c] >> 16 == run) ||
           ((b->flags & SERVGAP__SOME_ROLLUPS) && rolls_up(b, run));
}

/* One (scope, touchpoint) run of groups [i, j) that becomes cells. */
typedef struct span {
    size_t i, j;
} span;

/* Append run [i, j) to list; 0, or -1 when memory ran out. */
static int span_add(const servgap__alloc *a, span **list, size_t *len, size_t *cap, size_t i,
                    size_t j)
{
    void *p = *list;
    if (servgap__reserve(a, &p, cap, *len + 1, sizeof **list) != 0)
        return -1;
    *list = p;
    (*list)[(*len)++] = (span){i, j};
    return 0;
}

/* The runs that become cells, in result order (the tiers', then the
 * accounts'), into *out (NULL when none): one pass over the groups, each
 * run into the list of its kind, as the groups (tiers last) are far larger
 * than the caches. 0, or -1 when memory ran out. */
static int wanted_runs(const servgap__build *b, span **out, size_t *n)
{
    const servgap__alloc *a = &b->ctx->alloc;
    const servgap__map *m = &b->agg->groups;
    span *list[2] = {NULL, NULL}; /* the accounts', the tiers' */
    size_t len[2] = {0, 0}, cap[2] = {0, 0};
    int rc = 0;
    for (size_t i = 0, j; i < m->n && rc == 0; i = j) {
        j = group_run(m, i);
        int tiers = ((uint32_t)(group_k1(m, i) >> 32) & SERVGAP__SCOPE_TIER) != 0;
        if (run_wanted(b, i, tiers))
            rc = span_add(a, &list[tiers], &len[tiers], &cap[tiers], i, j);
    }
    for (size_t k = 0; k < len[0] && rc == 0; k++)
        rc = span_add(a, &list[1], &len[1], &cap[1], list[0][k].i, list[0][k].j);
    servgap__free(a, list[0]);
    if (rc != 0) {
        servgap__free(a, list[1]);
        return -1;
    }
    *out = list[1];
    *n = len[1];
    return 0;
}

/* The most rows the runs s[0 .. n) make: a run [i, j) gives at most
 * j - i metric cells, one roll-up per dimension among them and one
 * SERVQUAL row; its breakdown rows are about its groups' facet groups
 * (more grow the table). */
typedef struct rowbound {
    size_t cells, sq, bd;
} rowbound;

static void bound_rows(const servgap__build *b, const span *s, size_t n, rowbound *out)
{
    const servgap__map *m = &b->agg->groups;
    const servgap__facets *fs = &b->agg->facets;
    size_t cells = 0, bd = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t dims = 0;
        for (size_t g = s[k].i; g < s[k].j; g++)
            dims |= 1u << b->ctx->metrics.m[group_k1(m, g) & 0xffff].dimension;
        for (; dims; dims &= dims - 1)
            cells++;
        cells += s[k].j - s[k].i;
        if (fs->at)
            bd += fs->at[s[k].j] - fs->at[s[k].i];
    }
    out->cells = cells;
    out->sq = b->flags & SERVGAP__NO_SERVQUAL ? 0 : n;
    out->bd = b->flags & SERVGAP_QUERY_BREAKDOWN ? bd : 0;
}

/* Size r's tables once for the runs s[0 .. n). Growing them row by row
 * instead copies and faults in about twice the memory. */
static int reserve(const servgap__build *b, servgap_result *r, const span *s, size_t n)
{
    rowbound x;
    bound_rows(b, s, n, &x);
    return servgap__result_reserve(r, x.cells, x.sq, x.bd);
}

static int build_runs(servgap__build *b, const span *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (servgap__interrupted(b->ctx, b->opt))
            return -1;
        if (run(b, s[k].i, s[k].j) != 0)
            return -1;
    }
    return 0;
}

/* The cells split into parts of consecutive runs, part k runs
 * s[at[k] .. at[k + 1]), so that the parts, joined in order, are the rows
 * one thread makes. Part 0 builds into the caller's result; part k > 0
 * into one of its own that r lends its cell and number tables from cell
 * base[k] on (servgap__result_lend), so that no part writes where another
 * does and the cells are written once, in place; each part has a copy of
 * the query's t-quantile memo. */
typedef struct parts {
    servgap__build b[SERVGAP__THREADS_MAX];
    servgap__tcache tc[SERVGAP__THREADS_MAX];
    size_t at[SERVGAP__THREADS_MAX + 1];
    size_t base[SERVGAP__THREADS_MAX + 1];
    const span *s;
    size_t n;
} parts;

static int part_task(void *arg, size_t k)
{
    parts *p = arg;
    return build_runs(&p->b[k], p->s + p->at[k], p->at[k + 1] - p->at[k]);
}

/* Part boundaries with about as many groups in each; n >= runs. */
static void split(parts *p, const span *s, size_t runs, size_t n)
{
    size_t total = 0, sum = 0, k = 1;
    for (size_t i = 0; i < runs; i++)
        total += s[i].j - s[i].i;
    p->at[0] = 0;
    for (size_t i = 0; i < runs && k < n; i++) {
        sum += s[i].j - s[i].i;
        /* Part k starts at the first run after total * k / n groups. */
        while (k < n && (double)sum >= (double)total * (double)k / (double)n)
            p->at[k++] = i + 1;
    }
    while (k <= n)
        p->at[k++] = runs;
    p->s = s;
    p->n = n;
}

/* Part k's result, lent its room in the caller's, and its memo. */
static int part_init(parts *p, const servgap__build *b, size_t k, const rowbound *x)
{
    servgap__build *pb = &p->b[k];
    *pb = *b;
    pb->tc = NULL;
    pb->r = servgap__result_new(&b->ctx->alloc, b->r->from, b->r->to);
    if (!pb->r)
        return -1;
    pb->r->survey_from = b->r->survey_from;
    pb->r->declarations_in_window = b->r->declarations_in_window;
    servgap__result_lend(pb->r, b->r, p->base[k], x->cells);
    if (b->tc && servgap__tcache_copy(&p->tc[k], b->tc) != 0)
        return -1;
    pb->tc = b->tc ? &p->tc[k] : NULL;
    return servgap__result_reserve(pb->r, 0, x->sq, x->bd);
}

static void parts_free(parts *p)
{
    for (size_t k = 1; k < p->n; k++) {
        if (p->b[k].r)
            servgap__result_unlend(p->b[k].r);
        servgap_result_free(p->b[k].r);
        if (p->b[k].tc)
            servgap__tcache_free(p->b[k].tc);
    }
}

/* The runs s[0 .. runs) on n threads: 0, -1 when memory ran out, or 1
 * when the parts' room would not fit a cell's 32-bit references to its
 * numbers (then nothing was built: one thread builds them). */
static int build_parallel(servgap__build *b, const span *s, size_t runs, size_t n)
{
    parts *p = servgap__calloc(&b->ctx->alloc, 1, sizeof *p);
    if (!p)
        return -1;
    split(p, s, runs, n);
    rowbound x[SERVGAP__THREADS_MAX];
    p->base[0] = 0;
    for (size_t k = 0; k < n; k++) {
        bound_rows(b, s + p->at[k], p->at[k + 1] - p->at[k], &x[k]);
        p->base[k + 1] = p->base[k] + x[k].cells;
    }
    int rc = p->base[n] > UINT32_MAX / SERVGAP_VP_COUNT ? 1 : 0;
    p->b[0] = *b;
    for (size_t k = 1; k < n && rc == 0; k++)
        rc = part_init(p, b, k, &x[k]);
    if (rc == 0)
        rc = servgap__workers_run(n, part_task, p);
    for (size_t k = 1; k < n && rc == 0; k++)
        rc = servgap__result_join(b->r, p->b[k].r, p->base[k]);
    parts_free(p);
    servgap__free(&b->ctx->alloc, p);
    return rc;
}

int servgap__build_cells(servgap__build *b)
{
    span *s;
    size_t runs;
    if (wanted_runs(b, &s, &runs) != 0)
        return -1;
    size_t n = servgap__threads_of(b->opt->threads);
    n = n < runs ? n : runs > 0 ? runs : 1;
    int rc = reserve(b, b->r, s, runs);
    if (rc == 0 && n > 1)
        rc = build_parallel(b, s, runs, n);
    if (rc == 1 || (rc == 0 && n == 1))
        rc = build_runs(b, s, runs);
    servgap__free(&b->ctx->alloc, s);
    return rc;
}
