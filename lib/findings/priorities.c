/*
 * priorities -- findings from a result's cells, their affected accounts,
 * value share, frequency, persistence over the last K windows, impact,
 * effort and quadrant (docs/priorities.md has the rules and the reasons);
 * rank orders them. Runs under the query's read lock; every temporary
 * comes from the handle's allocator and is freed before returning.
 */
#include "../base/platform.h"

#include "priorities.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "persist.h"
#include "rank.h"
#include "../base/workers.h"
#include "../input/efforts.h"

#define BIT(g) (1u << (g))
#define CHAIN_BITS                                                                                 \
    (BIT(SERVGAP_GAP_KNOWLEDGE) | BIT(SERVGAP_GAP_STANDARDS) | BIT(SERVGAP_GAP_DELIVERY) |         \
     BIT(SERVGAP_GAP_PERCEPTION))
#define CUSTOMER_BITS (BIT(SERVGAP_GAP_SERVICE) | BIT(SERVGAP_GAP_ADEQUACY))
/* A cell's no-standard finding, one bit past the gap types: a standards
 * finding of its own kind, raised where the standard is missing, so never
 * beside a standards finding of the same cell. */
#define NO_STANDARD_BIT BIT(SERVGAP_GAP_COUNT)
#define FINDING_BITS    (SERVGAP_GAP_COUNT + 1)

/* The chain's nodes, upstream first; link k joins node k and node k + 1. */
static const uint8_t chain_vp[5] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_BELIEVED, SERVGAP_VP_STANDARD,
                                    SERVGAP_VP_DELIVERED, SERVGAP_VP_PERCEIVED};

/* The upstream and downstream viewpoints of each gap. */
static const uint8_t gap_side[SERVGAP_GAP_COUNT][2] = {
    {SERVGAP_VP_EXPECTED, SERVGAP_VP_PERCEIVED}, {SERVGAP_VP_EXPECTED, SERVGAP_VP_BELIEVED},
    {SERVGAP_VP_BELIEVED, SERVGAP_VP_STANDARD},  {SERVGAP_VP_STANDARD, SERVGAP_VP_DELIVERED},
    {SERVGAP_VP_PROMISED, SERVGAP_VP_DELIVERED}, {SERVGAP_VP_DELIVERED, SERVGAP_VP_PERCEIVED},
    {SERVGAP_VP_ADEQUATE, SERVGAP_VP_PERCEIVED},
};

static double clamp01(double x)
{
    return x > 0.0 ? (x < 1.0 ? x : 1.0) : 0.0; /* NaN fails x > 0 */
}

/* x^e with 0^0 = 1, so that a term of weight 0 drops out. */
static double power(double x, double e)
{
    return e == 0.0 ? 1.0 : pow(x, e);
}

double servgap__impact(double s, double v, double f, int boosted, const servgap__options *opt)
{
    double ws = opt->weight_size, wv = opt->weight_value, wf = opt->weight_frequency;
    double w = ws + wv + wf;
    if (!(w > 0.0))
        return 0.0;
    double x =
        100.0 * power(clamp01(s), ws / w) * power(clamp01(v), wv / w) * power(clamp01(f), wf / w);
    if (boosted)
        x *= 1.0 + opt->persist_boost;
    return x < 100.0 ? x : 100.0;
}

/* ---------------------------------------------------------------------- */
/* Which gaps become findings                                              */
/* ---------------------------------------------------------------------- */

/* A significant shortfall with a finite value: a value that is not finite
 * is never a finding, whatever its codes say (judge in gaps.c gives such
 * a gap none, and the limits on numbers keep every value finite). */
static int significant_shortfall(const servgap_result *r, const servgap__cellrow *row, int g)
{
    return row->gc.status[g] == SERVGAP_STATUS_SHORTFALL &&
           (row->gc.flags[g] & SERVGAP_GAPFLAG_SIGNIFICANT) &&
           isfinite(servgap__cellrow_normalized(r, row, g));
}

/* An account cell whose gap has no own observation on either side (the
 * viewpoints up and down) only repeats its tier's gap (the account fell
 * back to tier data on both), and the tier's finding already stands for
 * it. */
static int borrowed(const servgap__cellrec *c, int up, int down)
{
    return c->scope_kind == SERVGAP_SCOPE_ACCOUNT && !(c->source[up] & SERVGAP_SOURCE_OWN) &&
           !(c->source[down] & SERVGAP_SOURCE_OWN);
}

/* The two ends of a joined span (SERVGAP_LINK_* bits of the chain): the
 * viewpoints of its most upstream and most downstream nodes. */
static void span_ends(uint32_t span, int *up, int *down)
{
    int lo = 0, hi = 3;
    while (lo < 3 && !(span & (1u << lo)))
        lo++;
    while (hi > 0 && !(span & (1u << hi)))
        hi--;
    *up = chain_vp[lo];
    *down = chain_vp[hi + 1];
}

/* The viewpoints a finding compares: its gap's two sides; for a
 * no-standard finding, the ends of the span through the missing standard. */
static void finding_sides(const servgap__cellrow *row, int32_t gap, int nostd, int *up, int *down)
{
    if (nostd) {
        span_ends(row->gc.span[SERVGAP_GAP_STANDARDS], up, down);
    } else {
        *up = gap_side[gap][0];
        *down = gap_side[gap][1];
    }
}

/* Customers expect a level no standard defines (the standards row is
 * flagged), and the joined span through the missing standard, the
 * shortfall a standard would have to close, is significant and below
 * zero. The provider must have recorded its side (a belief or a delivery,
 * an end of the span): in a plain survey, expected against perceived, a
 * missing standard says nothing, and the service gap stands unexplained.
 * As for any gap, an account that read both ends from its tier only
 * repeats the tier's. */
static int no_standard(const servgap_result *r, const servgap__cellrow *row)
{
    const int g = SERVGAP_GAP_STANDARDS;
    const uint32_t want = SERVGAP_GAPFLAG_NO_STANDARD | SERVGAP_GAPFLAG_SIGNIFICANT;
    int up, down;
    if ((row->gc.flags[g] & want) != want)
        return 0;
    double normalized = servgap__cellrow_normalized(r, row, g);
    if (!isfinite(normalized) || !(normalized < 0.0))
        return 0;
    finding_sides(row, g, 1, &up, &down);
    if (up == SERVGAP_VP_EXPECTED && down == SERVGAP_VP_PERCEIVED)
        return 0;
    return !borrowed(&row->c, up, down);
}

/* The gap types a cell raises, as bits: every significant chain or
 * communication shortfall, and a no-standard finding (NO_STANDARD_BIT);
 * the service shortfall only when neither a chain link nor a missing
 * standard explains it, and the adequacy one only when the service gap is
 * not raised either, so that one shortfall is not counted twice. */
static uint32_t raised(const servgap__options *opt, const servgap_result *r,
                       const servgap__cellrow *row)
{
    uint32_t m = 0;
    for (int g = 0; g < SERVGAP_GAP_COUNT; g++)
        if (significant_shortfall(r, row, g) && !borrowed(&row->c, gap_side[g][0], gap_side[g][1]))
            m |= BIT(g);
    if (opt->priorities != SERVGAP_PRIORITIES_1_1 && no_standard(r, row))
        m |= NO_STANDARD_BIT;
    if (m & (CHAIN_BITS | NO_STANDARD_BIT))
        m &= ~CUSTOMER_BITS;
    else if (m & BIT(SERVGAP_GAP_SERVICE))
        m &= ~BIT(SERVGAP_GAP_ADEQUACY);
    return m;
}

/* What a cell's raised gaps account for in the roll-ups above it: the same
 * types, and the customer-side shortfall whenever a chain link, a missing
 * standard or the customer side itself was raised (communication stands
 * beside it). */
static uint32_t accounted(uint32_t m)
{
    return m & ~BIT(SERVGAP_GAP_COMMUNICATION) ? m | CUSTOMER_BITS : m;
}

/* OR m into every roll-up of the same scope that contains cell c; the
 * scope's cells are [lo, hi). */
static void mark_rollups(const servgap_result *r, size_t lo, size_t hi, const servgap__cellrec *c,
                         uint32_t m, uint8_t *covered)
{
    const int32_t tps[2] = {c->touchpoint, SERVGAP_ALL};
    const int32_t ms[2] = {c->metric, SERVGAP_ALL};
    for (int a = 0; a < 2; a++) {
        for (int b = 0; b < 2; b++) {
            if ((a == 0 && b == 0) || (a && c->touchpoint == SERVGAP_ALL) ||
                (b && c->metric == SERVGAP_ALL))
                continue;
            size_t j;
            if (servgap__result_find_in(r, lo, hi, c->scope_kind, c->scope_id, tps[a], ms[b],
                                        c->dimension, &j) == SERVGAP_OK)
                covered[j] |= (uint8_t)m;
        }
    }
}

/* bits[i]: the gap types cell i turns into findings (and NO_STANDARD_BIT).
 * A roll-up raises only what none of the cells it contains raised. */
static uint8_t *finding_bits(const servgap_ctx *ctx, const servgap__options *opt,
                             const servgap_result *r, size_t *count)
{
    uint8_t *bits = servgap__calloc(&ctx->alloc, r->ncells, 2);
    if (!bits)
        return NULL;
    uint8_t *covered = bits + r->ncells;
    for (size_t lo = 0, hi; lo < r->ncells; lo = hi) {
        hi = servgap__scope_run(r, lo);
        for (size_t i = lo; i < hi; i++) {
            bits[i] = (uint8_t)raised(opt, r, &r->cells[i]);
            if (bits[i])
                mark_rollups(r, lo, hi, &r->cells[i].c, accounted(bits[i]), covered);
        }
    }
    *count = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        bits[i] &= (uint8_t)~covered[i];
        for (int g = 0; g < FINDING_BITS; g++)
            *count += (bits[i] >> g) & 1u;
    }
    return bits;
}

/* ---------------------------------------------------------------------- */
/* Building the findings                                                   */
/* ---------------------------------------------------------------------- */

typedef servgap__cand cand;

/* What each account of a tier observed, read for every tier cell with a
 * finding before the findings are built. Read finding by finding, each
 * group is a cache miss into a table of gigabytes; read account by
 * account, an account's groups lie together (the dense table makes them
 * in key order), and all its tier's cells find them in the cache. */
typedef struct tierobs {
    size_t *cell;      /* the tier cells with findings, in cell order, so by tier */
    size_t n, at;      /* how many; the one the findings being built are in */
    size_t *off;       /* cell[k]'s accounts observed have[off[k] ..] */
    size_t *cfirst;    /* tier t's cells: cell[cfirst[t] .. cfirst[t + 1]) */
    uint32_t *members; /* the accounts in a tier, by tier, then by id */
    size_t *first;     /* tier t's members[first[t] .. first[t + 1]) */
    uint8_t *have;
} tierobs;

typedef struct work {
    const servgap_ctx *ctx;
    const servgap__options *opt;
    servgap_result *r;
    servgap__shared *sh;
    cand *c;
    size_t n;
    int32_t *ids;
    size_t nids, capids;
    const servgap__agg *agg; /* the window's groups, when a tier has findings */
    tierobs tiers;
    double total_value;
} work;

/* The viewpoint whose observations stand for the interactions a gap
 * touches: its per-interaction side (docs/priorities.md). */
static int counted_vp(int32_t gap)
{
    switch (gap) {
    case SERVGAP_GAP_KNOWLEDGE:
        return SERVGAP_VP_EXPECTED;
    case SERVGAP_GAP_STANDARDS:
    case SERVGAP_GAP_DELIVERY:
    case SERVGAP_GAP_COMMUNICATION:
        return SERVGAP_VP_DELIVERED;
    default:
        return SERVGAP_VP_PERCEIVED;
    }
}

static double frequency(const servgap_result *r, const servgap__cellrec *c, int32_t gap)
{
    int v = counted_vp(gap);
    int64_t n = servgap__cell_n(r, c, v);
    size_t j;
    if (n <= 0 || c->touchpoint == SERVGAP_ALL ||
        servgap_result_find(r, c->scope_kind, c->scope_id, SERVGAP_ALL, c->metric, c->dimension,
                            &j) != SERVGAP_OK)
        return 1.0;
    int64_t all = servgap__cell_n(r, &r->cells[j].c, v);
    return all > n ? (double)n / (double)all : 1.0;
}

static int push_id(work *w, int32_t id)
{
    void *p = w->ids;
    if (servgap__reserve(&w->ctx->alloc, &p, &w->capids, w->nids + 1, sizeof *w->ids) != 0)
        return -1;
    w->ids = p;
    w->ids[w->nids++] = id;
    return 0;
}

/* Viewpoint bits of a group that hold observations. */
static uint32_t group_vps(const servgap__agg *agg, uint32_t scope, uint32_t tp, uint32_t metric)
{
    const servgap__group *g = servgap__map_find(&agg->groups, servgap__gkey(scope, tp, metric), 0);
    uint32_t bits = 0;
    for (int v = 0; g && v < SERVGAP_VP_COUNT; v++)
        if (g->vp[v].n > 0)
            bits |= BIT(v);
    return bits;
}

/* The viewpoints account a observed itself that a tier cell like c pools:
 * at c's touchpoint or for any touchpoint, of c's metric or of a metric of
 * c's dimension. */
static uint32_t account_vps(const work *w, uint32_t a, const servgap__cellrec *c)
{
    const servgap__metrics *ms = &w->ctx->metrics;
    int all_tp = c->touchpoint == SERVGAP_ALL;
    uint32_t tp = all_tp ? SERVGAP__TP_ALL : (uint32_t)c->touchpoint;
    size_t m0 = c->metric == SERVGAP_ALL ? 0 : (size_t)c->metric;
    size_t m1 = c->metric == SERVGAP_ALL ? ms->names.count : m0 + 1;
    uint32_t bits = 0;
    for (size_t m = m0; m < m1; m++) {
        if (ms->m[m].dimension != c->dimension)
            continue;
        bits |= group_vps(w->agg, a, tp, (uint32_t)m);
        if (!all_tp)
            bits |= group_vps(w->agg, a, SERVGAP__TP_ANY, (uint32_t)m);
    }
    return bits;
}

/* Whether an account that observed the viewpoints have counts as
 * affected in pass 0 (it observed both sides, up and down, itself), 1
 * (either side) or 2 (it is in the tier). */
static int account_in(uint32_t have, int up, int down, int pass)
{
    if (pass == 2)
        return 1;
    uint32_t u = BIT(up), d = BIT(down);
    return pass == 0 ? (have & u) && (have & d) : (have & (u | d)) != 0;
}

/* The accounts by tier: a counting sort of the accounts' tiers. */
static void tier_members(const servgap_ctx *ctx, tierobs *o)
{
    const servgap__accounts *acc = &ctx->accounts;
    size_t nt = ctx->tiers.count;
    for (size_t a = 0; a < acc->names.count; a++)
        if (acc->a[a].tier >= 0)
            o->first[acc->a[a].tier + 1]++;
    for (size_t t = 0; t < nt; t++)
        o->first[t + 1] += o->first[t];
    size_t *next = o->cfirst; /* borrowed as cursors until the cells are listed */
    memcpy(next, o->first, nt * sizeof *next);
    for (size_t a = 0; a < acc->names.count; a++)
        if (acc->a[a].tier >= 0)
            o->members[next[acc->a[a].tier]++] = (uint32_t)a;
}

/* The tier cells that have findings, each with its place in have. */
static size_t tier_cells(const servgap_ctx *ctx, const servgap_result *r, const uint8_t *bits,
                         tierobs *o)
{
    size_t nt = ctx->tiers.count, size = 0;
    memset(o->cfirst, 0, (nt + 1) * sizeof *o->cfirst);
    o->n = 0;
    for (size_t i = 0; i < r->ncells && r->cells[i].c.scope_kind == SERVGAP_SCOPE_TIER; i++) {
        if (!bits[i])
            continue;
        int32_t t = r->cells[i].c.scope_id;
        o->cell[o->n] = i;
        o->off[o->n++] = size;
        o->cfirst[t + 1]++;
        size += o->first[t + 1] - o->first[t];
    }
    for (size_t t = 0; t < nt; t++)
        o->cfirst[t + 1] += o->cfirst[t];
    return size;
}

/* What members [lo, hi) observed, for each cell of their tier. */
static void observe(const work *w, size_t lo, size_t hi)
{
    const tierobs *o = &w->tiers;
    for (size_t i = lo; i < hi; i++) {
        uint32_t a = o->members[i];
        int32_t t = w->ctx->accounts.a[a].tier;
        size_t p = i - o->first[t];
        for (size_t k = o->cfirst[t]; k < o->cfirst[t + 1]; k++)
            o->have[o->off[k] + p] = (uint8_t)account_vps(w, a, &w->r->cells[o->cell[k]].c);
    }
}

/* Group reads worth a thread of their own: about 5 ms. */
#define READS_PER_THREAD 65536

/* The members split into n parts of about as many reads (a member reads
 * once for each of its tier's cells), part k members [at[k], at[k + 1]). */
typedef struct observing {
    const work *w;
    size_t at[SERVGAP__THREADS_MAX + 1];
} observing;

static int observe_task(void *arg, size_t k)
{
    const observing *j = arg;
    observe(j->w, j->at[k], j->at[k + 1]);
    return 0;
}

static void split_members(const tierobs *o, size_t nt, size_t reads, size_t n, size_t *at)
{
    size_t t = 0, before = 0; /* the reads of the tiers before tier t */
    for (size_t k = 1; k < n; k++) {
        size_t target = reads / n * k, per = 0;
        for (; t < nt; t++) {
            per = o->cfirst[t + 1] - o->cfirst[t];
            if (before + per * (o->first[t + 1] - o->first[t]) > target)
                break;
            before += per * (o->first[t + 1] - o->first[t]);
        }
        at[k] = t < nt ? o->first[t] + (target - before) / per : o->first[nt];
    }
    at[0] = 0;
    at[n] = o->first[nt];
}

/* The groups of the result's window: those the query kept, else
 * aggregated here once (into the shared state, which frees them). */
static int need_agg(work *w)
{
    servgap__shared *sh = w->sh;
    if (!sh->have_agg) {
        const servgap_result *r = w->r;
        if (servgap__aggregate(w->ctx, servgap__bound_day(r->from), servgap__bound_day(r->to),
                               w->opt, 0, &sh->agg) != 0) {
            servgap__agg_free(&sh->agg);
            return -1;
        }
        sh->have_agg = 1;
    }
    w->agg = &sh->agg;
    return 0;
}

/* The tiers' members and what they observed for every tier cell with a
 * finding (bits), on threads when there are enough reads. */
static int read_tiers(work *w, const uint8_t *bits)
{
    const servgap__alloc *a = &w->ctx->alloc;
    tierobs *o = &w->tiers;
    size_t nt = w->ctx->tiers.count, na = w->ctx->accounts.names.count, ncell = 0;
    for (size_t i = 0; i < w->r->ncells && w->r->cells[i].c.scope_kind == SERVGAP_SCOPE_TIER; i++)
        ncell += bits[i] != 0;
    if (ncell == 0)
        return 0;
    o->cell = servgap__malloc(a, 2 * ncell, sizeof *o->cell);
    o->first = servgap__calloc(a, 2 * (nt + 1), sizeof *o->first);
    o->members = servgap__malloc(a, na ? na : 1, sizeof *o->members);
    if (!o->cell || !o->first || !o->members || need_agg(w) != 0)
        return -1;
    o->off = o->cell + ncell;
    o->cfirst = o->first + nt + 1;
    tier_members(w->ctx, o);
    size_t reads = tier_cells(w->ctx, w->r, bits, o);
    if (!(o->have = servgap__malloc(a, reads ? reads : 1, 1)))
        return -1;
    observing *job = servgap__malloc(a, 1, sizeof *job);
    if (!job)
        return -1;
    uint64_t least = w->ctx->tier_split_reads ? w->ctx->tier_split_reads : READS_PER_THREAD;
    size_t n = servgap__threads_of(w->opt->threads), most = (size_t)(reads / least);
    n = n < most ? n : most > 0 ? most : 1;
    job->w = w;
    split_members(o, nt, reads, n, job->at);
    int rc = servgap__workers_run(n, observe_task, job);
    servgap__free(a, job);
    return rc;
}

static void tierobs_free(const servgap__alloc *a, tierobs *o)
{
    servgap__free(a, o->cell);
    servgap__free(a, o->first);
    servgap__free(a, o->members);
    servgap__free(a, o->have);
}

/* The accounts of tier cell cell that observed both sides (up, down) of
 * its finding (a promise made to five accounts affects those five), else
 * those that observed either side (a tier-wide standard against each
 * account's delivery), else all of them: the cell then holds tier-wide
 * observations only, which speak for the tier. */
static int tier_accounts(work *w, size_t cell, int up, int down)
{
    tierobs *o = &w->tiers;
    /* read_tiers listed every tier cell with findings, and the findings
     * come in cell order. */
    while (o->at < o->n && o->cell[o->at] < cell)
        o->at++;
    if (o->at == o->n || o->cell[o->at] != cell)
        return -1;
    int32_t t = w->r->cells[cell].c.scope_id;
    const uint32_t *acc = o->members + o->first[t];
    const uint8_t *have = o->have + o->off[o->at];
    size_t n = o->first[t + 1] - o->first[t], first = w->nids;
    for (int pass = 0; pass < 3 && w->nids == first; pass++)
        for (size_t i = 0; i < n; i++)
            if (account_in(have[i], up, down, pass) && push_id(w, (int32_t)acc[i]) != 0)
                return -1;
    return 0;
}

/* Affected accounts of candidate k, which compares viewpoints up and
 * down, into w->ids, with their value. */
static int affected(work *w, cand *k, size_t cell, int up, int down)
{
    const servgap__cellrec *c = &w->r->cells[cell].c;
    k->acc = w->nids;
    if (c->scope_kind == SERVGAP_SCOPE_ACCOUNT) {
        if (push_id(w, c->scope_id) != 0)
            return -1;
    } else if (tier_accounts(w, cell, up, down) != 0) {
        return -1;
    }
    k->f.affected_accounts = (int64_t)(w->nids - k->acc);
    double sum = 0.0;
    for (size_t i = k->acc; i < w->nids; i++)
        sum += w->ctx->accounts.a[w->ids[i]].value;
    k->f.affected_value = sum;
    k->f.value_share = w->total_value > 0.0 ? sum / w->total_value : 0.0;
    return 0;
}

/* The finding of gap in cell; nostd: its no-standard finding (gap is then
 * standards), whose value is the joined span the standards row holds. */
static int candidate(work *w, size_t cell, int32_t gap, int nostd)
{
    const servgap__cellrow *row = &w->r->cells[cell];
    const servgap__cellrec *c = &row->c;
    cand *k = &w->c[w->n++];
    int up, down;
    memset(k, 0, sizeof *k);
    servgap_finding *f = &k->f;
    f->size = sizeof *f;
    f->flags = nostd ? SERVGAP_FINDING_NO_STANDARD : 0;
    f->scope_kind = c->scope_kind;
    f->scope_id = c->scope_id;
    f->touchpoint = c->touchpoint;
    f->metric = c->metric;
    f->dimension = c->dimension;
    f->gap = gap;
    f->cell = cell;
    f->value = servgap__cellrow_value(w->r, row, gap);
    f->normalized = servgap__cellrow_normalized(w->r, row, gap);
    f->size_term = clamp01(fabs(f->normalized));
    f->frequency = frequency(w->r, c, gap);
    f->effort = servgap__effort_lookup(w->ctx, gap, c->touchpoint, c->metric);
    finding_sides(row, gap, nostd, &up, &down);
    return affected(w, k, cell, up, down);
}

/* ---------------------------------------------------------------------- */
/* Persistence                                                             */
/* ---------------------------------------------------------------------- */

/* t - k * len, or SERVGAP_TIME_MIN where that would not be representable. */
/* Count, for every candidate, the windows in which its cell's gap is a
 * significant shortfall. The windows are shared with risk, which counts
 * the same ones. */
static int window_count(work *w, int64_t from, int64_t to, uint32_t flags)
{
    const servgap__winsum *x;
    if (servgap__shared_window(w->sh, from, to, flags, &x) != 0)
        return -1;
    for (size_t i = 0; i < w->n; i++)
        if (servgap__winsum_significant(x, &w->c[i].f))
            w->c[i].f.windows++;
    return 0;
}

/* The runs of the roll-up findings (k1 >> 16 of their groups: a tier's
 * cells come from its pooled groups), the only roll-ups the windows need. */
static int rollup_runs(work *w)
{
    uint64_t *runs = servgap__malloc(&w->ctx->alloc, w->n ? w->n : 1, sizeof *runs);
    if (!runs)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < w->n; i++) {
        const servgap_finding *f = &w->c[i].f;
        if (f->metric == SERVGAP_ALL)
            runs[k++] =
                servgap__cell_group(f->scope_kind, f->scope_id, f->touchpoint, f->metric) >> 16;
    }
    int rc = servgap__shared_rollups(w->sh, runs, k);
    servgap__free(&w->ctx->alloc, runs);
    return rc;
}

/* The candidates as trend series, in build order, for the windows to
 * record their points (persist.h). */
static int trend_series(work *w)
{
    servgap__series *s = servgap__malloc(&w->ctx->alloc, w->n ? w->n : 1, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < w->n; i++)
        s[i] = servgap__series_of_finding(&w->c[i].f, (uint64_t)i);
    return servgap__shared_series(w->sh, s, w->n);
}

static int persistence(work *w)
{
    if (rollup_runs(w) != 0 || (w->sh->trend_points && trend_series(w) != 0))
        return -1;
    uint32_t flags = SERVGAP__SOME_ROLLUPS;
    for (size_t i = 0; i < w->n; i++)
        flags |= w->c[i].f.scope_kind == SERVGAP_SCOPE_TIER ? SERVGAP_QUERY_TIERS
                                                            : SERVGAP_QUERY_ACCOUNTS;
    int64_t days = w->opt->window_days, now = w->r->now;
    int64_t from[SERVGAP__WINDOWS_MAX], to[SERVGAP__WINDOWS_MAX];
    size_t n = (size_t)w->opt->windows;
    for (size_t k = 0; k < n; k++) {
        from[k] = servgap__days_before(now, (int64_t)(k + 1) * days);
        to[k] = servgap__days_before(now, (int64_t)k * days);
    }
    if (servgap__shared_windows(w->sh, from, to, n, flags) != 0)
        return -1;
    for (size_t k = 0; k < n; k++)
        if (window_count(w, from[k], to[k], flags) != 0)
            return -1;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Scoring                                                                 */
/* ---------------------------------------------------------------------- */

static int32_t quadrant(double impact, double effort, const servgap__options *opt)
{
    int high_impact = impact >= opt->impact_cut, high_effort = effort >= opt->effort_cut;
    if (high_impact)
        return high_effort ? SERVGAP_QUADRANT_MAJOR_PROJECT : SERVGAP_QUADRANT_QUICK_WIN;
    return high_effort ? SERVGAP_QUADRANT_THANKLESS : SERVGAP_QUADRANT_FILL_IN;
}

static void score(work *w, servgap_finding *f)
{
    const servgap__options *opt = w->opt;
    if (f->windows >= opt->windows)
        f->flags |= SERVGAP_FINDING_PERSISTENT;
    int boosted =
        f->gap == SERVGAP_GAP_COMMUNICATION && (f->flags & SERVGAP_FINDING_PERSISTENT) != 0;
    /* Without any account value the value term is neutral, so that the
     * ranking rests on size and frequency instead of collapsing to 0. */
    double v = w->total_value > 0.0 ? f->value_share : 1.0;
    f->impact = servgap__impact(f->size_term, v, f->frequency, boosted, opt);
    f->priority = f->impact / f->effort;
    f->quadrant = quadrant(f->impact, f->effort, opt);
}

/* The build-order place of each finding in rank order, for the points
 * the windows recorded in build order. */
static int series_order(work *w)
{
    size_t *order = servgap__malloc(&w->ctx->alloc, w->n ? w->n : 1, sizeof *order);
    if (!order)
        return -1;
    for (size_t i = 0; i < w->n; i++)
        order[i] = w->c[i].self;
    w->sh->series_of = order; /* freed with the shared struct */
    return 0;
}

/* The findings into the result, in rank order. */
static int store(work *w)
{
    if (servgap__rank(w->ctx, w->opt, w->r, w->c, w->n) != 0 ||
        (w->sh->series && series_order(w) != 0))
        return -1;
    for (size_t i = 0; i < w->n; i++) {
        const cand *k = &w->c[i];
        /* A tier without accounts affects none, and ids may still be NULL. */
        const int32_t *ids = k->f.affected_accounts ? w->ids + k->acc : NULL;
        servgap_finding *row =
            servgap__result_add_finding(w->r, ids, (size_t)k->f.affected_accounts);
        if (!row)
            return -1;
        *row = k->f;
    }
    return 0;
}

static int build(work *w, const uint8_t *bits)
{
    if (read_tiers(w, bits) != 0)
        return -1;
    for (size_t i = 0; i < w->r->ncells; i++)
        for (int32_t g = 0; g < FINDING_BITS; g++)
            if (((bits[i] >> g) & 1u) &&
                candidate(w, i, g == SERVGAP_GAP_COUNT ? SERVGAP_GAP_STANDARDS : g,
                          g == SERVGAP_GAP_COUNT) != 0)
                return -1;
    if (persistence(w) != 0)
        return -1;
    for (size_t i = 0; i < w->n; i++)
        score(w, &w->c[i].f);
    return store(w);
}

int servgap__priorities_build(const servgap_ctx *ctx, const servgap__options *opt,
                              servgap_result *r, servgap__shared *sh)
{
    size_t count;
    uint8_t *bits = finding_bits(ctx, opt, r, &count);
    if (!bits)
        return -1;
    work w = {.ctx = ctx, .opt = opt, .r = r, .sh = sh};
    for (size_t a = 0; a < ctx->accounts.names.count; a++)
        w.total_value += ctx->accounts.a[a].value;
    int rc = 0;
    if (count > 0) {
        w.c = servgap__malloc(&ctx->alloc, count, sizeof *w.c);
        rc = w.c ? build(&w, bits) : -1;
    }
    servgap__free(&ctx->alloc, w.ids);
    tierobs_free(&ctx->alloc, &w.tiers);
    servgap__free(&ctx->alloc, w.c);
    servgap__free(&ctx->alloc, bits);
    return rc;
}
