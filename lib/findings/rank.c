/*
 * rank -- root causes and the rank of findings (docs/priorities.md,
 * sections 8 and 9). An account finding that repeats its tier's finding
 * is the tier's problem seen in one account: it is grouped under the tier
 * finding (its root), which counts the accounts and value of its group,
 * and it is ranked after every root and independent finding, so that the
 * first ranks name distinct problems. Relies on the result's cell look-up.
 */
#include "../base/platform.h"

#include "rank.h"

#include <stdint.h>
#include <stdlib.h>

/* The tie rule of both orders: priority, impact, then cell and gap. A
 * cell has one finding per gap type (a no-standard finding needs the
 * standard missing, any other standards finding needs it present), so the
 * order is total and does not depend on the sort algorithm. */
static int by_priority(const servgap_finding *a, const servgap_finding *b)
{
    if (a->priority != b->priority)
        return a->priority > b->priority ? -1 : 1;
    if (a->impact != b->impact)
        return a->impact > b->impact ? -1 : 1;
    if (a->cell != b->cell)
        return a->cell < b->cell ? -1 : 1;
    return (a->gap > b->gap) - (a->gap < b->gap);
}

/* Quick wins, major projects, fill-ins, thankless tasks (the quadrants'
 * ids count in that order), then priority: a high-impact project goes
 * before a low-impact fill-in, however cheap the fill-in. */
static int quadrant_order(const void *pa, const void *pb)
{
    const servgap_finding *a = &((const servgap__cand *)pa)->f;
    const servgap_finding *b = &((const servgap__cand *)pb)->f;
    if (a->quadrant != b->quadrant)
        return a->quadrant < b->quadrant ? -1 : 1;
    return by_priority(a, b);
}

/* 1.1's order (SERVGAP_PRIORITIES_1_1): quick wins first, then priority. */
static int quick_wins_first(const void *pa, const void *pb)
{
    const servgap_finding *a = &((const servgap__cand *)pa)->f;
    const servgap_finding *b = &((const servgap__cand *)pb)->f;
    int qa = a->quadrant == SERVGAP_QUADRANT_QUICK_WIN,
        qb = b->quadrant == SERVGAP_QUADRANT_QUICK_WIN;
    if (qa != qb)
        return qa ? -1 : 1;
    return by_priority(a, b);
}

static int by_key(const void *pa, const void *pb)
{
    const servgap__cand *a = pa, *b = pb;
    for (int i = 0; i < 2; i++)
        if (a->key[i] != b->key[i])
            return a->key[i] < b->key[i] ? -1 : 1;
    return 0;
}

/* The first of c[0 .. n) (in build order, so by cell) whose cell is at
 * least cell. */
static size_t first_of_cell(const servgap__cand *c, size_t n, uint64_t cell)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].f.cell < cell)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The build-order place of the tier finding that finding f repeats: the
 * cell of f's account's tier at the same touchpoint and metric (or
 * dimension roll-up), with the same gap type and no-standard flag.
 * SIZE_MAX when f is not an account finding or its tier raised no such
 * finding (the account's own problem, which stands on its own). */
static size_t root_of(const servgap_ctx *ctx, const servgap_result *r, const servgap__cand *c,
                      size_t n, const servgap_finding *f)
{
    const uint32_t nostd = SERVGAP_FINDING_NO_STANDARD;
    size_t cell;
    if (f->scope_kind != SERVGAP_SCOPE_ACCOUNT)
        return SIZE_MAX;
    int32_t tier = ctx->accounts.a[f->scope_id].tier;
    if (tier < 0 || servgap_result_find(r, SERVGAP_SCOPE_TIER, tier, f->touchpoint, f->metric,
                                        f->dimension, &cell) != SERVGAP_OK)
        return SIZE_MAX;
    for (size_t i = first_of_cell(c, n, cell); i < n && c[i].f.cell == cell; i++)
        if (c[i].f.gap == f->gap && (c[i].f.flags & nostd) == (f->flags & nostd))
            return i;
    return SIZE_MAX;
}

/* Link every member to its root, and count each root's members and their
 * value: exactly the accounts whose own finding repeats it, which may be
 * fewer than the accounts it affects (those that observed the gap). */
static void group(const servgap_ctx *ctx, const servgap_result *r, servgap__cand *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        c[i].self = i;
        c[i].f.members = 0;
        c[i].f.members_value = 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        c[i].root = root_of(ctx, r, c, n, &c[i].f);
        if (c[i].root != SIZE_MAX) {
            servgap_finding *root = &c[c[i].root].f;
            root->members++;
            root->members_value += ctx->accounts.a[c[i].f.scope_id].value;
        }
    }
}

/* From c in order: the roots and independent findings as they are, then
 * the members, group by group in their roots' order, each group in
 * order. where is room for n places. */
static void members_last(servgap__cand *c, size_t n, size_t *where)
{
    for (size_t i = 0; i < n; i++)
        where[c[i].self] = i;
    for (size_t i = 0; i < n; i++) {
        c[i].key[0] = c[i].root == SIZE_MAX ? i : n + where[c[i].root];
        c[i].key[1] = i;
    }
    qsort(c, n, sizeof *c, by_key);
}

int servgap__rank(const servgap_ctx *ctx, const servgap__options *opt, const servgap_result *r,
                  servgap__cand *c, size_t n)
{
    size_t *where = servgap__malloc(&ctx->alloc, n ? n : 1, sizeof *where);
    if (!where)
        return -1;
    group(ctx, r, c, n);
    int grouped = opt->priorities != SERVGAP_PRIORITIES_1_1;
    qsort(c, n, sizeof *c, grouped ? quadrant_order : quick_wins_first);
    if (grouped)
        members_last(c, n, where);
    for (size_t i = 0; i < n; i++)
        where[c[i].self] = i;
    for (size_t i = 0; i < n; i++) {
        c[i].f.rank = (int32_t)(i + 1);
        c[i].f.root = c[i].root == SIZE_MAX ? UINT64_MAX : (uint64_t)where[c[i].root];
    }
    servgap__free(&ctx->alloc, where);
    return 0;
}
