/*
 * breakdown -- the facet groups of a cell are indexed by its own group
 * (servgap__facets), so each cell finds its rows without a search.
 */
#include "../base/platform.h"

#include "breakdown.h"

#include <math.h>

#include "gaps.h"

static int customer_side(int vp)
{
    return vp == SERVGAP_VP_EXPECTED || vp == SERVGAP_VP_PERCEIVED;
}

/* down - up on oriented means by Welch, as the gap fields of row. */
static void facet_gap(const servgap__build *b, const servgap__metric *m,
                      const servgap__moments *down, int vdown, const servgap__moments *up, int vup,
                      servgap__bdrec *row)
{
    double sign = m->direction == SERVGAP_LOWER_IS_BETTER ? -1.0 : 1.0;
    servgap__interval iv;
    servgap__welch_tc(sign * down->mean, servgap__moments_var(down), down->n, sign * up->mean,
                      servgap__moments_var(up), up->n, b->opt->confidence, b->tc, &iv);
    /* The row keeps value and h: iv.lo and iv.hi are value -/+ h, and NaN
     * ends come back from a NaN value. */
    servgap_gap g = {sizeof g, row->gap, 0,     0,     0,     iv.value,
                     0.0,      iv.lo,    iv.hi, iv.df, up->n, down->n};
    row->h = iv.h;
    if (up->n == 0 || down->n == 0)
        g.value = g.lo = g.hi = g.df = row->h = NAN;
    int64_t need_d = customer_side(vdown) ? b->opt->min_n_customer : b->opt->min_n_provider;
    int64_t need_u = customer_side(vup) ? b->opt->min_n_customer : b->opt->min_n_provider;
    servgap__gap_status(&g, down->n >= need_d && up->n >= need_u && up->n > 0 && down->n > 0);
    row->status = (uint8_t)g.status;
    row->flags = (uint8_t)g.flags;
    row->value = g.value;
    row->df = g.df;
}

/* A new row of cell for facet group f; NULL when memory ran out. */
static servgap__bdrec *facet_row(servgap__build *b, size_t cell, const servgap__facetgroup *f)
{
    int facet = (int)(f->key.k2 >> 40), vp = (int)(f->key.k2 >> 32 & 0xff);
    servgap__bdrec *row = servgap__result_add_breakdown(b->r);
    if (!row)
        return NULL;
    row->facet = facet == 1 ? SERVGAP_FACET_TEAM : SERVGAP_FACET_DRIVER;
    row->facet_id = (int32_t)(uint32_t)f->key.k2;
    row->viewpoint = (uint8_t)vp;
    row->cell = cell;
    row->n = f->m.n;
    row->mean = f->m.mean;
    return row;
}

/* A team's delivery against the standard and, where the cell has a
 * promise, against the promise (its communication gap), each flagged when
 * that declaration changed in the window. */
static int delivered_rows(servgap__build *b, size_t cell, const servgap__chosen *ch,
                          const servgap__facetgroup *f)
{
    static const int side[2] = {SERVGAP_VP_STANDARD, SERVGAP_VP_PROMISED};
    static const int gap[2] = {SERVGAP_GAP_DELIVERY, SERVGAP_GAP_COMMUNICATION};
    const servgap__metric *m = &b->ctx->metrics.m[ch->key & 0xffff];
    for (int k = 0; k < 2; k++) {
        if (k == 1 && ch->vp[SERVGAP_VP_PROMISED]->n == 0)
            break;
        servgap__bdrec *row = facet_row(b, cell, f);
        if (!row)
            return -1;
        row->gap = (uint8_t)gap[k];
        facet_gap(b, m, &f->m, SERVGAP_VP_DELIVERED, ch->vp[side[k]], side[k], row);
        if (b->r->cells[cell].c.source[side[k]] & SERVGAP_SOURCE_CHANGED)
            row->flags |= SERVGAP_GAPFLAG_CHANGED;
    }
    return 0;
}

static int facet_rows(servgap__build *b, size_t cell, const servgap__chosen *ch,
                      const servgap__facetgroup *f)
{
    int vp = (int)(f->key.k2 >> 32 & 0xff);
    if (vp == SERVGAP_VP_DELIVERED)
        return delivered_rows(b, cell, ch, f);
    servgap__bdrec *row = facet_row(b, cell, f);
    if (!row)
        return -1;
    const servgap__metric *m = &b->ctx->metrics.m[ch->key & 0xffff];
    row->gap = SERVGAP_GAP_SERVICE;
    if (vp == SERVGAP_VP_PERCEIVED)
        facet_gap(b, m, &f->m, vp, ch->vp[SERVGAP_VP_EXPECTED], SERVGAP_VP_EXPECTED, row);
    else
        facet_gap(b, m, ch->vp[SERVGAP_VP_PERCEIVED], SERVGAP_VP_PERCEIVED, &f->m, vp, row);
    return 0;
}

int servgap__breakdown_cell(servgap__build *b, size_t cell, const servgap__chosen *ch)
{
    const servgap__facets *fs = &b->agg->facets;
    if (!(b->flags & SERVGAP_QUERY_BREAKDOWN) || !fs->at)
        return 0;
    for (size_t i = fs->at[ch->group]; i < fs->at[ch->group + 1]; i++)
        if (facet_rows(b, cell, ch, &fs->f[i]) != 0)
            return -1;
    return 0;
}
