/*
 * scan -- a window's rows into their groups, on one thread or split by
 * scope across several (scan.h).
 */
#include "../base/platform.h"

#include "scan.h"

#include "../base/workers.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* A part of a split scan records which row made each of its pairs, so
 * that the parts' pairs join in the order one thread makes them. */
typedef struct pairmade {
    uint64_t row;   /* log index of the row that made the pair */
    uint32_t group; /* the pair's group: its entry in the group table */
} pairmade;

typedef struct scan {
    const servgap_ctx *ctx;
    const servgap__options *opt;
    servgap__scanto to;   /* a part's: its own agg (pairs, resp) and facet rows */
    servgap__map *groups; /* shared by the parts; dense: every group made */
    uint32_t lo, span;    /* the scopes whose rows it adds: [lo, lo + span) */
    servgap__response rs; /* the response being read */
    pairmade *made;       /* a part's: per pair, what made it; else NULL */
    size_t nmade, capmade;
} scan;

static servgap__group *row_group(scan *s, uint64_t key)
{
    if (s->groups->dense) /* look up only, never create */
        return servgap__map_find(s->groups, key, 0);
    return servgap__agg_group(s->to.agg, key);
}

static int facet_add(servgap__map *m, uint64_t key, uint64_t k2, double x)
{
    int created;
    servgap__facetgroup *f = servgap__map_get(m, key, k2, &created);
    if (!f)
        return -1;
    if (created)
        servgap__moments_init(&f->m);
    servgap__moments_add(&f->m, x);
    return 0;
}

/* Close the open response: its weighted score joins its (scope, tp). */
static int resp_flush(scan *s)
{
    double score;
    if (!servgap__response_close(&s->rs, &score))
        return 0;
    int created;
    uint64_t key = servgap__gkey(s->rs.scope, s->rs.tp, SERVGAP__METRIC_ALL);
    servgap__respgroup *g = servgap__map_get(&s->to.agg->resp, key, 0, &created);
    if (!g)
        return -1;
    if (created)
        servgap__moments_init(&g->sqw);
    servgap__moments_add(&g->sqw, score);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        g->points[d] += s->rs.points[d];
    return 0;
}

static int made_push(scan *s, uint64_t i, const servgap__group *g)
{
    void *p = s->made;
    if (servgap__reserve(&s->ctx->alloc, &p, &s->capmade, s->nmade + 1, sizeof *s->made) != 0)
        return -1;
    s->made = p;
    s->made[s->nmade].row = i;
    s->made[s->nmade++].group = (uint32_t)(g - (const servgap__group *)s->groups->ent);
    return 0;
}

/* Pairs row i, obs, a response row, with the item's earlier expected and
 * adequate rows. 0, or -1 when memory ran out. */
static int resp_row(scan *s, servgap__group *g, uint64_t i, const servgap__obs *obs)
{
    double e, a;
    if (!servgap__response_row(&s->rs, &s->ctx->metrics, obs, &e, &a))
        return 0;
    int fresh = g->pairs == 0;
    servgap__pairs *x = servgap__agg_pairs(s->to.agg, g);
    if (!x || (fresh && s->made && made_push(s, i, g) != 0))
        return -1;
    if (!isnan(e))
        servgap__comoments_add(&x->pe, obs->value, e);
    if (!isnan(a))
        servgap__comoments_add(&x->pa, obs->value, a);
    return 0;
}

static int scan_row(scan *s, uint64_t i, const servgap__obs *obs)
{
    if (servgap__response_ends(obs)) {
        if (resp_flush(s) != 0)
            return -1;
        if (obs->bits & SERVGAP__BIT_START)
            servgap__response_open(&s->rs, &s->ctx->store, i, obs);
    }
    uint64_t key = servgap__gkey(obs->scope, obs->tp, obs->metric);
    servgap__group *g = row_group(s, key);
    if (!g)
        return -1;
    int vp = SERVGAP__BITS_VP(obs->bits);
    const servgap__metric *m = &s->ctx->metrics.m[obs->metric];
    servgap__moments_add(&g->vp[vp], obs->value);
    if (servgap__orient(m, obs->value) < s->to.cut[obs->metric])
        g->vp[vp].neg++;
    if ((obs->bits & SERVGAP__BIT_RESPONSE) && resp_row(s, g, i, obs) != 0)
        return -1;
    uint64_t k2;
    if (s->to.fs)
        servgap__facetscan_add(s->to.fs, (size_t)(g - (servgap__group *)s->groups->ent), obs);
    else if (s->to.fmap && servgap__obs_facet(obs, &k2) &&
             facet_add(s->to.fmap, key, k2, obs->value) != 0)
        return -1;
    return 0;
}

/* Rows come in log order, so their groups are random accesses into a
 * table far larger than the caches. Reading the log ahead lets a scan hint
 * the directory slot of row i + AHEAD and the group of row i + AHEAD / 2
 * while it works on row i, so that the cache misses overlap instead of
 * being waited for one by one. */
#define AHEAD 16
/* The ring holds rows i .. i + AHEAD: loading row i + AHEAD must not
 * overwrite row i. */
#define RING ((uint64_t)2 * AHEAD)

/* A pass over one chunk's rows in the window, sel[0 .. n) their offsets:
 * a window of a few weeks holds a tenth of a year's rows, and reading the
 * day column alone to find them costs far less than loading every row. */
typedef struct lookahead {
    const servgap_ctx *ctx;
    const servgap__options *opt; /* asked whether the call was interrupted */
    const servgap__map *m;
    const servgap__map *facets; /* or NULL */
    int entries;                /* hint entries too (they exist) */
    uint32_t lo, span;          /* the scopes visited: [lo, lo + span) */
    const servgap__chunk *c;
    uint64_t base; /* log index of the chunk's first row */
    const uint16_t *sel;
    size_t n;
    servgap__obs ring[RING];
} lookahead;

/* Which viewpoints a window reads inside it, and which also over the
 * look-back before it (reads.h), by viewpoint number: standing
 * declarations come from declared.c instead. Withdrawal rows are never
 * read here (not_withdrawal). */
static const uint8_t read_in_window[2][8] = {{1, 1, 1, 0, 1, 0, 1, 0}, {1, 1, 1, 1, 1, 1, 1, 0}};
static const uint8_t read_in_lookback[8] = {1, 1, 1, 0, 0, 0, 0, 0};

static unsigned not_withdrawal(uint8_t bits)
{
    return (bits & (SERVGAP__BIT_START | SERVGAP__BIT_RESPONSE)) != SERVGAP__BIT_START;
}

/* The offsets of chunk la->c's rows that the window rd reads into sel
 * (SERVGAP__CHUNK_MAX entries), only those of the look-ahead's scopes when
 * by_scope; their count. Branch-free, as in a window of a few weeks the
 * test goes either way at random. */
static inline size_t select_in(const lookahead *la, const servgap__reads *rd, uint16_t *sel,
                               const int by_scope)
{
    const servgap__chunk *c = la->c;
    const uint8_t *in_window = read_in_window[rd->declarations_in_window != 0];
    size_t n = 0;
    for (size_t k = 0; k < c->n; k++) {
        int64_t day = c->day[k];
        unsigned vp = c->bits[k] & 7u;
        sel[n] = (uint16_t)k;
        n += (day < rd->to_day) & not_withdrawal(c->bits[k]) &
             (by_scope ? (uint32_t)(c->scope[k] - la->lo) < la->span : 1u) &
             ((in_window[vp] & (day >= rd->from_day)) |
              (read_in_lookback[vp] & (day >= rd->survey_from_day)));
    }
    return n;
}

/* A whole-log pass does not read the scope column: a short window's pass
 * is mostly this selection. */
static size_t select_rows(const lookahead *la, const servgap__reads *rd, uint16_t *sel)
{
    return la->span == UINT32_MAX ? select_in(la, rd, sel, 0) : select_in(la, rd, sel, 1);
}

static void ahead_load(lookahead *la, size_t j)
{
    servgap__obs *r = &la->ring[j % RING];
    servgap__store_chunk_get(la->c, la->sel[j], r);
    uint64_t key = servgap__gkey(r->scope, r->tp, r->metric), k2;
    servgap__map_prefetch_slot(la->m, key, 0);
    if (la->facets && servgap__obs_facet(r, &k2))
        servgap__map_prefetch_slot(la->facets, key, k2);
}

static void ahead_entries(const lookahead *la, const servgap__obs *h)
{
    uint64_t key = servgap__gkey(h->scope, h->tp, h->metric), k2;
    servgap__map_prefetch_entry(la->m, key, 0,
                                offsetof(servgap__group, vp) +
                                    (size_t)SERVGAP__BITS_VP(h->bits) * sizeof(servgap__moments));
    if (la->facets && servgap__obs_facet(h, &k2))
        servgap__map_prefetch_entry(la->facets, key, k2, offsetof(servgap__facetgroup, m));
}

/* The chunk's j-th selected row, with the hints for the rows after it. */
static const servgap__obs *ahead_get(lookahead *la, size_t j)
{
    for (size_t k = j == 0 ? 0 : j + AHEAD; k <= j + AHEAD && k < la->n; k++)
        ahead_load(la, k);
    if (la->entries && j + AHEAD / 2 < la->n)
        ahead_entries(la, &la->ring[(j + AHEAD / 2) % RING]);
    return &la->ring[j % RING];
}

/* Call fn on each row of the log the window rd reads among la's scopes,
 * in log order, with its log index; stops at the first nonzero return,
 * which it returns (-1 when the call was interrupted). */
typedef int (*row_fn)(void *arg, uint64_t i, const servgap__obs *row);

static int visit(const servgap__store *st, lookahead *la, const servgap__reads *rd, uint16_t *sel,
                 row_fn fn, void *arg)
{
    la->sel = sel;
    for (size_t c = 0; c < st->nchunk; c++) {
        if (servgap__interrupted(la->ctx, la->opt))
            return -1;
        la->c = &st->chunk[c];
        la->base = (uint64_t)c * SERVGAP__CHUNK_MAX;
        la->n = select_rows(la, rd, sel);
        for (size_t j = 0; j < la->n; j++) {
            int rc = fn(arg, la->base + sel[j], ahead_get(la, j));
            if (rc != 0)
                return rc;
        }
    }
    return 0;
}

/* One thread's part of the marking pass: the scopes of la, its counts. */
typedef struct markpart {
    lookahead la;
    servgap__map *m;
    const servgap__reads *rd;
    uint16_t *sel;
    uint64_t rows, nfacet;
} markpart;

static int mark_row(void *arg, uint64_t i, const servgap__obs *obs)
{
    (void)i;
    markpart *p = arg;
    uint64_t k2;
    servgap__map_mark(p->m, servgap__gkey(obs->scope, obs->tp, obs->metric), 0);
    p->rows++;
    p->nfacet += servgap__obs_facet(obs, &k2);
    return 0;
}

static int mark_task(void *arg, size_t k)
{
    markpart *p = &((markpart *)arg)[k];
    return visit(&p->la.ctx->store, &p->la, p->rd, p->sel, mark_row, p);
}

/* Part k of n of the marking pass: the accounts numbered k / n of the way
 * and on (the tier-wide scopes with the last), whose directory numbers
 * no other part's rows have. */
static int markpart_init(markpart *p, const markpart *whole, size_t k, size_t n, uint16_t *sel)
{
    uint64_t accounts = whole->la.ctx->accounts.names.count;
    uint32_t lo = (uint32_t)(accounts * k / n);
    uint32_t hi = k + 1 == n ? UINT32_MAX : (uint32_t)(accounts * (k + 1) / n);
    *p = *whole;
    p->la.lo = lo;
    p->la.span = hi - lo;
    p->sel = k == 0 ? sel : servgap__malloc(&whole->la.ctx->alloc, SERVGAP__CHUNK_MAX, sizeof *sel);
    return p->sel ? 0 : -1;
}

static int mark_split(const markpart *whole, size_t n, uint16_t *sel, uint64_t *rows,
                      uint64_t *nfacet)
{
    const servgap__alloc *a = &whole->la.ctx->alloc;
    markpart *p = servgap__calloc(a, n, sizeof *p);
    if (!p)
        return -1;
    int rc = 0;
    size_t made = 0;
    for (; made < n && rc == 0; made++)
        rc = markpart_init(&p[made], whole, made, n, sel);
    if (rc == 0)
        rc = servgap__workers_run(n, mark_task, p);
    for (size_t k = 0; k < made; k++) {
        *rows += p[k].rows;
        *nfacet += p[k].nfacet;
        if (k > 0)
            servgap__free(a, p[k].sel);
    }
    servgap__free(a, p);
    return rc;
}

int servgap__mark_window(const servgap_ctx *ctx, const servgap__options *opt, servgap__map *m,
                         const servgap__reads *rd, size_t threads, uint16_t *sel, uint64_t *rows,
                         uint64_t *nfacet)
{
    markpart whole = {.la = {.ctx = ctx, .opt = opt, .m = m, .lo = 0, .span = UINT32_MAX},
                      .m = m,
                      .rd = rd,
                      .sel = sel};
    if (threads > 1) {
        *rows = *nfacet = 0;
        return mark_split(&whole, threads, sel, rows, nfacet);
    }
    int rc = mark_task(&whole, 0);
    *rows = whole.rows;
    *nfacet = whole.nfacet;
    return rc;
}

static int scan_visit(void *arg, uint64_t i, const servgap__obs *obs)
{
    return scan_row(arg, i, obs);
}

static int scan_log(scan *s, uint16_t *sel)
{
    /* A response lies wholly in or out of a day range (one day): inside
     * the look-back but before the window only its perceived rows are
     * left out, and with them its pairs. Its rows share one scope, so it
     * lies wholly in one part of a split scan too. */
    lookahead la = {.ctx = s->ctx,
                    .opt = s->opt,
                    .m = s->groups,
                    .facets = s->to.fmap,
                    .entries = 1,
                    .lo = s->lo,
                    .span = s->span};
    if (visit(&s->ctx->store, &la, &s->to.agg->reads, sel, scan_visit, s) != 0)
        return -1;
    return resp_flush(s);
}

/* One thread's part of a split scan. */
typedef struct part {
    scan s;
    servgap__agg agg;      /* its pairs and respondent groups */
    servgap__facetscan fs; /* its facet rows; their counts are the scan's */
    uint16_t *sel;
    size_t next; /* the join's position in its pairs */
} part;

/* The scope where each part begins: the scope of every n-th group, so
 * that the parts hold about as many groups each (rows follow groups). */
static void split_scopes(const servgap__map *groups, size_t n, uint32_t *lo)
{
    lo[0] = 0;
    for (size_t k = 1; k < n; k++) {
        size_t e = (size_t)((uint64_t)groups->n * k / n);
        const servgap__mapkey *key = servgap__map_at(groups, e);
        lo[k] = (uint32_t)(key->k1 >> 32);
    }
    lo[n] = UINT32_MAX; /* no row's scope: pooled tiers are never rows */
}

/* Part k of whole, scopes [lo, hi): its own pairs, respondent groups and
 * (but part 0, which writes the whole scan's) facet rows and selection.
 * 0, or -1 when memory ran out (p is then still safe to free). */
static int part_init(part *p, const scan *whole, size_t k, uint32_t lo, uint32_t hi, uint16_t *sel)
{
    const servgap__alloc *a = &whole->ctx->alloc;
    memset(p, 0, sizeof *p);
    p->s = *whole;
    p->s.lo = lo;
    p->s.span = hi - lo;
    servgap__agg_init(&p->agg, a);
    p->agg.reads = whole->to.agg->reads;
    p->s.to.agg = &p->agg;
    p->sel = k == 0 ? sel : servgap__malloc(a, SERVGAP__CHUNK_MAX, sizeof *sel);
    /* A scan whose made is not NULL is a part: it notes its pairs. */
    p->s.made = servgap__malloc(a, 1, sizeof *p->s.made);
    p->s.capmade = 1;
    if (k > 0 && whole->to.fs) {
        /* Room for every facet row of the window, as which part a row
         * falls in is known only when it is read; untouched, that room
         * costs no pages. */
        p->fs = *whole->to.fs;
        p->fs.n = 0;
        p->fs.row = servgap__malloc(a, whole->to.fs->cap, sizeof *p->fs.row);
        p->s.to.fs = &p->fs;
        if (!p->fs.row && whole->to.fs->cap)
            return -1;
    }
    return p->sel && p->s.made ? 0 : -1;
}

static void part_free(part *p, size_t k)
{
    const servgap__alloc *a = &p->s.ctx->alloc;
    servgap__agg_free(&p->agg);
    servgap__free(a, p->s.made);
    if (k > 0) {
        servgap__free(a, p->sel);
        servgap__free(a, p->fs.row); /* (its count is the whole scan's) */
    }
}

static int part_task(void *arg, size_t k)
{
    part *p = &((part *)arg)[k];
    return scan_log(&p->s, p->sel);
}

/* The parts' pairs into agg in the order of the rows that made them,
 * which is the order one thread makes them in; each group refers to its
 * pair's new place. (A merge that looks at every part for each pair: n is
 * a thread count, and a window has few pairs beside its rows.) */
static int join_pairs(servgap__agg *agg, servgap__map *groups, part *p, size_t n)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += p[k].agg.npairs;
    if (total == 0)
        return 0;
    agg->pairs = servgap__malloc(groups->a, total, sizeof *agg->pairs);
    if (!agg->pairs)
        return -1;
    agg->cappairs = total;
    for (size_t j = 0; j < total; j++) {
        size_t b = n;
        for (size_t k = 0; k < n; k++)
            if (p[k].next < p[k].s.nmade &&
                (b == n || p[k].s.made[p[k].next].row < p[b].s.made[p[b].next].row))
                b = k;
        const pairmade *m = &p[b].s.made[p[b].next];
        servgap__group *g = servgap__map_at(groups, m->group);
        agg->pairs[j] = p[b].agg.pairs[p[b].next++];
        g->pairs = (uint32_t)(j + 1);
    }
    agg->npairs = total;
    return 0;
}

/* The parts' respondent groups into agg's: each (scope, touchpoint) is
 * one part's, and the pooling sorts them into key order. */
static int join_resp(servgap__agg *agg, const part *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        for (size_t e = 0; e < p[k].agg.resp.n; e++) {
            const servgap__respgroup *src = servgap__map_at(&p[k].agg.resp, e);
            int created;
            servgap__respgroup *dst = servgap__map_get(&agg->resp, src->key.k1, 0, &created);
            if (!dst)
                return -1;
            *dst = *src;
        }
    }
    return 0;
}

/* The facet rows of parts 1 .. n after part 0's: each group's rows stay
 * in log order, so bucketing them makes the same buckets. */
static void join_facets(servgap__facetscan *fs, const part *p, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        fs->overflow |= p[k].fs.overflow;
        if (p[k].fs.n > fs->cap - fs->n) {
            fs->overflow = 1;
            return;
        }
        if (p[k].fs.n)
            memcpy(fs->row + fs->n, p[k].fs.row, p[k].fs.n * sizeof *fs->row);
        fs->n += p[k].fs.n;
    }
}

static int scan_split(const scan *whole, size_t n, uint16_t *sel)
{
    const servgap__alloc *a = &whole->ctx->alloc;
    uint32_t lo[SERVGAP__THREADS_MAX + 1];
    part *p = servgap__calloc(a, n, sizeof *p);
    if (!p)
        return -1;
    split_scopes(whole->groups, n, lo);
    int rc = 0;
    size_t made = 0;
    for (; made < n && rc == 0; made++)
        rc = part_init(&p[made], whole, made, lo[made], lo[made + 1], sel);
    if (rc == 0)
        rc = servgap__workers_run(n, part_task, p);
    servgap__agg *agg = whole->to.agg;
    if (rc == 0)
        rc = join_pairs(agg, whole->groups, p, n);
    if (rc == 0)
        rc = join_resp(agg, p, n);
    if (rc == 0 && whole->to.fs)
        join_facets(whole->to.fs, p, n);
    for (size_t k = 0; k < made; k++)
        part_free(&p[k], k);
    servgap__free(a, p);
    return rc;
}

size_t servgap__split_threads(const servgap_ctx *ctx, const servgap__options *opt, uint64_t rows)
{
    uint64_t least = ctx->scan_split_rows ? ctx->scan_split_rows : SERVGAP__SPLIT_ROWS;
    size_t n = servgap__threads_of(opt->threads);
    if (rows / least < 2)
        return 1;
    return rows / least < n ? (size_t)(rows / least) : n;
}

size_t servgap__scan_threads(const servgap_ctx *ctx, const servgap__options *opt,
                             const servgap__scanto *to, uint64_t rows)
{
    if (!to->agg->groups.dense || to->fmap)
        return 1;
    return servgap__split_threads(ctx, opt, rows);
}

int servgap__scan(const servgap_ctx *ctx, const servgap__options *opt, const servgap__scanto *to,
                  size_t threads, uint16_t *sel)
{
    scan s = {
        .ctx = ctx, .opt = opt, .to = *to, .groups = &to->agg->groups, .lo = 0, .span = UINT32_MAX};
    if (threads > 1)
        return scan_split(&s, threads, sel);
    return scan_log(&s, sel);
}
