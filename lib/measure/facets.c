/*
 * facets -- bucketing, pooling and writing out the facet groups of a dense
 * group table. A facet's code numbers it in k2 order: the teams' delivered
 * facets, their perceived ones, then the drivers (8 codes, as the row's
 * driver bits allow), so that a code indexes small tables instead of a
 * hash, and sorting by code is sorting by k2.
 */
#include "../base/platform.h"

#include "facets.h"

#include <stdlib.h>
#include <string.h>

#define DRIVER_CODES 8u

static uint64_t code_k2(size_t code, size_t nteams)
{
    if (code < nteams)
        return (uint64_t)1 << 40 | (uint64_t)SERVGAP_VP_DELIVERED << 32 | code;
    if (code < 2 * nteams)
        return (uint64_t)1 << 40 | (uint64_t)SERVGAP_VP_PERCEIVED << 32 | (code - nteams);
    return (uint64_t)2 << 40 | (uint64_t)SERVGAP_VP_EXPECTED << 32 | (code - 2 * nteams);
}

static size_t k2_code(uint64_t k2, size_t nteams)
{
    size_t id = (uint32_t)k2;
    if (k2 >> 40 == 2)
        return 2 * nteams + id;
    return ((k2 >> 32 & 0xffu) == SERVGAP_VP_PERCEIVED ? nteams : 0) + id;
}

static uint64_t group_k1(const servgap__map *groups, size_t i)
{
    return ((const servgap__mapkey *)servgap__map_at(groups, i))->k1;
}

/* The first entry of a pooled tier scope: those come last in key order. */
static size_t first_pooled(const servgap__map *groups)
{
    uint64_t k1 = (uint64_t)(SERVGAP__SCOPE_TIER | SERVGAP__SCOPE_POOLED) << 32;
    size_t lo = 0, hi = groups->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (group_k1(groups, mid) < k1)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int servgap__facetscan_fits(const servgap_ctx *ctx, const servgap__map *groups, uint64_t nrows)
{
    /* Each facet group holds a row or a merge, so there are at most 4 per
     * row: the row's, its tier's, and the roll-ups of both. */
    if (!groups->dense || nrows >= UINT32_MAX / 4)
        return 0;
    double codes = 2.0 * (double)ctx->teams.count + DRIVER_CODES;
    double limit = 2.0 * (double)ctx->store.count + 65536.0;
    double pooled = (double)(groups->n - first_pooled(groups));
    return pooled * codes <= limit && (double)ctx->metrics.names.count * codes <= limit;
}

int servgap__facetscan_init(servgap__facetscan *fs, const servgap_ctx *ctx,
                            const servgap__map *groups, uint64_t nrows)
{
    memset(fs, 0, sizeof *fs);
    fs->a = &ctx->alloc;
    fs->nteams = ctx->teams.count;
    fs->row = servgap__malloc(fs->a, (size_t)nrows, sizeof *fs->row);
    fs->count = servgap__calloc(fs->a, groups->n + 1, sizeof *fs->count);
    if (!fs->row || !fs->count)
        return -1;
    fs->cap = (size_t)nrows;
    return 0;
}

void servgap__facetscan_free(servgap__facetscan *fs)
{
    if (!fs->a)
        return;
    servgap__free(fs->a, fs->row);
    servgap__free(fs->a, fs->count);
    fs->row = NULL;
    fs->count = NULL;
    fs->n = fs->cap = 0;
}

void servgap__facets_free(servgap__facets *fs)
{
    if (fs->a) {
        servgap__free(fs->a, fs->f);
        servgap__free(fs->a, fs->at);
    }
    memset(fs, 0, sizeof *fs);
}

/* A growing array of facet groups. */
typedef struct fbuf {
    servgap__facetgroup *f;
    size_t n, cap;
} fbuf;

static servgap__facetgroup *fbuf_add(const servgap__alloc *a, fbuf *b)
{
    if (b->n == b->cap) {
        void *p = b->f;
        if (servgap__reserve(a, &p, &b->cap, b->n + 1, sizeof *b->f) != 0)
            return NULL;
        b->f = p;
    }
    return &b->f[b->n++];
}

/* A new facet group, initialized as the hashed table makes one. */
static servgap__facetgroup *fbuf_new(const servgap__alloc *a, fbuf *b, uint64_t k1, uint64_t k2)
{
    servgap__facetgroup *f = fbuf_add(a, b);
    if (f) {
        f->key.k1 = k1;
        f->key.k2 = k2;
        servgap__moments_init(&f->m);
    }
    return f;
}

static int cmp_key(const void *x, const void *y)
{
    const servgap__mapkey *a = x, *b = y;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    return a->k2 < b->k2 ? -1 : a->k2 > b->k2;
}

/* Into key order; a group has a few facets, a scope a few dozen. */
static void sort_keys(servgap__facetgroup *f, size_t n)
{
    if (n > 32) {
        qsort(f, n, sizeof *f, cmp_key);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        servgap__facetgroup x = f[i];
        size_t j = i;
        for (; j > 0 && cmp_key(&f[j - 1], &x) > 0; j--)
            f[j] = f[j - 1];
        f[j] = x;
    }
}

/* The sweep over the groups, one scope at a time. Each table maps a code
 * (per pooled group, per metric) to a facet group's index + 1 in its
 * buffer: stage holds the facet groups of the scope's groups, tier those
 * of the pooled groups (all of the sweep), roll the scope's roll-ups. */
typedef struct sweep {
    const servgap_ctx *ctx;
    const servgap__alloc *a;
    const servgap__map *groups;
    size_t nteams, ncodes, pooled0;
    const servgap__facetrow *row;
    const uint32_t *end; /* rows of group e: [end[e - 1], end[e]) */
    uint32_t *by_code, *tier_tab, *roll_tab;
    fbuf stage, tier, roll;
    fbuf out;
} sweep;

/* The rows of group e into its facet groups, in log order. */
static int add_rows(sweep *s, size_t e, uint64_t k1)
{
    size_t first = s->stage.n;
    for (size_t i = e ? s->end[e - 1] : 0; i < s->end[e]; i++) {
        const servgap__facetrow *r = &s->row[i];
        uint32_t *t = &s->by_code[r->code];
        if (!*t) {
            if (!fbuf_new(s->a, &s->stage, k1, code_k2(r->code, s->nteams)))
                return -1;
            *t = (uint32_t)s->stage.n;
        }
        servgap__moments_add(&s->stage.f[*t - 1].m, r->value);
    }
    for (size_t i = first; i < s->stage.n; i++)
        s->by_code[k2_code(s->stage.f[i].key.k2, s->nteams)] = 0;
    if (s->stage.n > first) /* (stage.f is NULL before the first) */
        sort_keys(s->stage.f + first, s->stage.n - first);
    return 0;
}

/* The pooled group e's facet groups, complete (their sources come first
 * in key order), in code order. */
static int add_pooled(sweep *s, size_t e)
{
    const uint32_t *t = s->tier_tab + (e - s->pooled0) * s->ncodes;
    for (size_t c = 0; c < s->ncodes; c++) {
        if (!t[c])
            continue;
        servgap__facetgroup *f = fbuf_add(s->a, &s->stage);
        if (!f)
            return -1;
        *f = s->tier.f[t[c] - 1];
    }
    return 0;
}

/* Merge src into the facet group of table slot *t, made (key k1, src's
 * k2) in buf when the slot is empty. */
static int merge_into(sweep *s, fbuf *buf, uint32_t *t, uint64_t k1, const servgap__facetgroup *src)
{
    if (!*t) {
        if (!fbuf_new(s->a, buf, k1, src->key.k2))
            return -1;
        *t = (uint32_t)buf->n;
    }
    servgap__moments_merge(&buf->f[*t - 1].m, &src->m);
    return 0;
}

/* The staged facet groups [first, ..) of the group k1 into its tier's
 * pooled group (tier scope ts, or none) and its scope's roll-up. Groups
 * come in key order, so each pooled and roll-up facet group receives its
 * merges in key order of their sources, as the hashed table's visits. */
static int pool_group(sweep *s, int64_t ts, uint64_t k1, size_t first)
{
    uint32_t scope = (uint32_t)(k1 >> 32), tp = (uint32_t)(k1 >> 16) & 0xffffu;
    uint32_t metric = (uint32_t)k1 & 0xffffu;
    uint32_t *tier = NULL, *roll = s->roll_tab + (size_t)metric * s->ncodes;
    uint64_t tk1 = ts < 0 ? 0 : servgap__gkey((uint32_t)ts, tp, metric);
    uint64_t rk1 = servgap__gkey(scope, SERVGAP__TP_ALL, metric);
    if (ts >= 0) {
        const servgap__group *pg = servgap__map_find(s->groups, tk1, 0);
        if (!pg) /* premade with its sources */
            return -1;
        size_t e = (size_t)(pg - (const servgap__group *)s->groups->ent);
        tier = s->tier_tab + (e - s->pooled0) * s->ncodes;
    }
    for (size_t i = first; i < s->stage.n; i++) {
        const servgap__facetgroup *f = &s->stage.f[i];
        size_t c = k2_code(f->key.k2, s->nteams);
        if ((tier && merge_into(s, &s->tier, &tier[c], tk1, f) != 0) ||
            merge_into(s, &s->roll, &roll[c], rk1, f) != 0)
            return -1;
    }
    return 0;
}

/* Append the facet groups of the scope's groups [e0, e1) in key order,
 * noting where each group's begin, and clear the roll-up table. */
static int write_scope(sweep *s, size_t e0, size_t e1, uint32_t *at)
{
    sort_keys(s->roll.f, s->roll.n);
    size_t need = s->out.n + s->stage.n + s->roll.n;
    void *p = s->out.f;
    if (servgap__reserve(s->a, &p, &s->out.cap, need, sizeof *s->out.f) != 0)
        return -1;
    s->out.f = p;
    size_t i = 0, j = 0;
    for (size_t e = e0; e < e1; e++) {
        uint64_t k1 = group_k1(s->groups, e);
        at[e] = (uint32_t)s->out.n;
        int all = ((k1 >> 16) & 0xffffu) == SERVGAP__TP_ALL;
        const fbuf *b = all ? &s->roll : &s->stage;
        size_t *k = all ? &j : &i;
        for (; *k < b->n && b->f[*k].key.k1 == k1; ++*k)
            s->out.f[s->out.n++] = b->f[*k];
    }
    for (size_t r = 0; r < s->roll.n; r++) {
        const servgap__facetgroup *f = &s->roll.f[r];
        s->roll_tab[(f->key.k1 & 0xffffu) * s->ncodes + k2_code(f->key.k2, s->nteams)] = 0;
    }
    s->stage.n = s->roll.n = 0;
    return 0;
}

/* The groups of one scope, from entry e0; the end of its run. */
static int one_scope(sweep *s, size_t e0, size_t *e1, uint32_t *at)
{
    const servgap__map *g = s->groups;
    uint32_t scope = (uint32_t)(group_k1(g, e0) >> 32);
    int64_t ts = servgap__pooled_scope(s->ctx, scope);
    size_t e = e0;
    for (; e < g->n; e++) {
        uint64_t k1 = group_k1(g, e);
        if ((uint32_t)(k1 >> 32) != scope)
            break;
        if (((k1 >> 16) & 0xffffu) == SERVGAP__TP_ALL)
            continue;
        size_t first = s->stage.n;
        int rc = scope & SERVGAP__SCOPE_POOLED ? add_pooled(s, e) : add_rows(s, e, k1);
        if (rc != 0 || (s->stage.n > first && pool_group(s, ts, k1, first) != 0))
            return -1;
    }
    *e1 = e;
    return write_scope(s, e0, e, at);
}

/* Bucket the rows by group, stably (log order within a group): fs->count
 * becomes each group's end. The rows in log order are then freed. */
static servgap__facetrow *bucket(servgap__facetscan *fs, size_t ngroups)
{
    servgap__facetrow *b = servgap__malloc(fs->a, fs->n, sizeof *b);
    if (!b)
        return NULL;
    uint32_t *pos = fs->count, sum = 0;
    for (size_t e = 0; e < ngroups; e++) {
        uint32_t c = pos[e];
        pos[e] = sum;
        sum += c;
    }
    for (size_t i = 0; i < fs->n; i++)
        b[pos[fs->row[i].group]++] = fs->row[i];
    servgap__free(fs->a, fs->row);
    fs->row = NULL;
    return b;
}

static int sweep_all(sweep *s, uint32_t *at)
{
    size_t n = s->groups->n;
    for (size_t e = 0, next; e < n; e = next)
        if (one_scope(s, e, &next, at) != 0)
            return -1;
    at[n] = (uint32_t)s->out.n;
    return 0;
}

int servgap__facets_build(servgap__facetscan *fs, const servgap_ctx *ctx,
                          const servgap__map *groups, servgap__facets *out)
{
    const servgap__alloc *a = fs->a;
    size_t ncodes = 2 * fs->nteams + DRIVER_CODES, nm = ctx->metrics.names.count;
    size_t pooled0 = first_pooled(groups);
    memset(out, 0, sizeof *out);
    if (fs->overflow)
        return -1;
    sweep s = {.ctx = ctx,
               .a = a,
               .groups = groups,
               .nteams = fs->nteams,
               .ncodes = ncodes,
               .pooled0 = pooled0,
               .end = fs->count};
    uint32_t *at = servgap__malloc(a, groups->n + 1, sizeof *at);
    servgap__facetrow *rows = bucket(fs, groups->n);
    s.row = rows;
    s.by_code = servgap__calloc(a, ncodes, sizeof *s.by_code);
    s.tier_tab = servgap__calloc(a, (groups->n - pooled0) * ncodes, sizeof *s.tier_tab);
    s.roll_tab = servgap__calloc(a, nm * ncodes, sizeof *s.roll_tab);
    int rc = at && rows && s.by_code && s.tier_tab && s.roll_tab ? sweep_all(&s, at) : -1;
    servgap__free(a, rows);
    servgap__free(a, s.by_code);
    servgap__free(a, s.tier_tab);
    servgap__free(a, s.roll_tab);
    servgap__free(a, s.stage.f);
    servgap__free(a, s.tier.f);
    servgap__free(a, s.roll.f);
    if (rc != 0) {
        servgap__free(a, at);
        servgap__free(a, s.out.f);
        return -1;
    }
    out->a = a;
    out->f = s.out.f;
    out->n = s.out.n;
    out->at = at;
    return 0;
}

int servgap__facets_adopt(const servgap__map *groups, servgap__map *fm, servgap__facets *out)
{
    memset(out, 0, sizeof *out);
    uint32_t *at = servgap__malloc(fm->a, groups->n + 1, sizeof *at);
    if (!at)
        return -1;
    out->a = fm->a;
    out->at = at;
    out->f = servgap__map_take(fm, &out->n);
    size_t j = 0;
    for (size_t i = 0; i < groups->n; i++) {
        uint64_t k1 = group_k1(groups, i);
        while (j < out->n && out->f[j].key.k1 < k1)
            j++;
        at[i] = (uint32_t)j;
        while (j < out->n && out->f[j].key.k1 == k1)
            j++;
    }
    at[groups->n] = (uint32_t)j;
    return 0;
}
