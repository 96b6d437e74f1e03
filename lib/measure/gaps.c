/*
 * gaps -- the gap model (docs/concepts.md, sections 4 and 5) and the
 * statistics of sections 6 and 7 applied to one cell.
 */
#include "../base/platform.h"

#include "gaps.h"

#include <math.h>
#include <string.h>

/* Chain nodes in order and the links between consecutive nodes. */
static const int chain_vp[5] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_BELIEVED, SERVGAP_VP_STANDARD,
                                SERVGAP_VP_DELIVERED, SERVGAP_VP_PERCEIVED};
static const int link_gap[4] = {SERVGAP_GAP_KNOWLEDGE, SERVGAP_GAP_STANDARDS, SERVGAP_GAP_DELIVERY,
                                SERVGAP_GAP_PERCEPTION};
static const uint32_t link_bit[4] = {SERVGAP_LINK_KNOWLEDGE, SERVGAP_LINK_STANDARDS,
                                     SERVGAP_LINK_DELIVERY, SERVGAP_LINK_PERCEPTION};

static int customer_side(int vp)
{
    return vp == SERVGAP_VP_EXPECTED || vp == SERVGAP_VP_ADEQUATE || vp == SERVGAP_VP_PERCEIVED;
}

static int64_t min_n(const servgap__options *opt, int vp)
{
    return customer_side(vp) ? opt->min_n_customer : opt->min_n_provider;
}

/* A gap's status and flags from its value, interval [lo, hi] and
 * sufficiency. A value that is not finite, or an interval with a NaN end,
 * supports no judgement: the gap is insufficient and never significant,
 * so that an overflow (-inf below zero, and lo = hi = -inf) is never
 * labelled a shortfall. The limits on numbers keep every value finite
 * (docs/concepts.md, section 14); this holds without relying on them. An
 * infinite interval around a finite value contains zero: met. */
static void judge(double value, double lo, double hi, int sufficient, int32_t *status,
                  uint32_t *flags)
{
    if (sufficient)
        *flags |= SERVGAP_GAPFLAG_SUFFICIENT;
    int judged = sufficient && isfinite(value) && !isnan(lo) && !isnan(hi);
    int below = judged && hi < 0.0, above = judged && lo > 0.0;
    if (below || above)
        *flags |= SERVGAP_GAPFLAG_SIGNIFICANT;
    if (*status == SERVGAP_STATUS_UNRESOLVED)
        return;
    if (!judged)
        *status = SERVGAP_STATUS_INSUFFICIENT;
    else
        *status = below   ? SERVGAP_STATUS_SHORTFALL
                  : above ? SERVGAP_STATUS_EXCEEDS
                          : SERVGAP_STATUS_MET;
}

void servgap__gap_status(servgap_gap *g, int sufficient)
{
    judge(g->value, g->lo, g->hi, sufficient, &g->status, &g->flags);
}

static void rec_status(servgap__gaprec *g, int sufficient)
{
    int32_t status = g->status;
    uint32_t flags = g->flags;
    judge(g->value, servgap__gap_lo(g), servgap__gap_hi(g), sufficient, &status, &flags);
    g->status = (uint8_t)status;
    g->flags = (uint8_t)flags;
}

static void gap_empty(servgap__gaprec *g, int status)
{
    memset(g, 0, sizeof *g);
    g->status = (uint8_t)status;
    g->value = g->h = g->df = g->se = NAN;
}

/* down - up on oriented means, with the interval the pairing allows. */
static void diff(const servgap__cellin *in, const servgap__options *opt, int down, int up,
                 const servgap__comoments *pairs, servgap__gaprec *g)
{
    const servgap__moments *d = in->vp[down], *u = in->vp[up];
    double sign = in->direction == SERVGAP_LOWER_IS_BETTER ? -1.0 : 1.0;
    servgap__interval iv;
    double value = sign * d->mean - sign * u->mean;
    if (pairs && pairs->n == d->n && pairs->n == u->n) {
        servgap__paired_tc(value, servgap__comoments_diff_var(pairs), pairs->n, opt->confidence,
                           in->tc, &iv);
        g->flags |= SERVGAP_GAPFLAG_PAIRED;
    } else {
        servgap__welch_tc(sign * d->mean, servgap__moments_var(d), d->n, sign * u->mean,
                          servgap__moments_var(u), u->n, opt->confidence, in->tc, &iv);
    }
    g->value = value;
    g->h = iv.h;
    g->df = iv.df;
    g->se = iv.se;
    g->n_up = u->n;
    g->n_down = d->n;
    if (in->changed & (1u << down | 1u << up))
        g->flags |= SERVGAP_GAPFLAG_CHANGED;
    rec_status(g, d->n >= min_n(opt, down) && u->n >= min_n(opt, up));
}

/* A gap between two viewpoints outside the chain (service, communication,
 * adequacy): insufficient when a side is empty. */
static void side_gap(const servgap__cellin *in, const servgap__options *opt, int gap, int down,
                     int up, const servgap__comoments *pairs, servgap__gaprec *g)
{
    gap_empty(g, SERVGAP_STATUS_INSUFFICIENT);
    if (in->vp[down]->n > 0 && in->vp[up]->n > 0)
        diff(in, opt, down, up, pairs, g);
    if (gap == SERVGAP_GAP_COMMUNICATION)
        g->span = SERVGAP_LINK_COMMUNICATION;
}

/* Link i of the chain: resolved, a joined span, or insufficient. */
static void link_gap_row(const servgap__cellin *in, const servgap__options *opt, int i,
                         servgap__gaprec *g)
{
    int present[5];
    for (int k = 0; k < 5; k++)
        present[k] = in->vp[chain_vp[k]]->n > 0;
    gap_empty(g, SERVGAP_STATUS_INSUFFICIENT);
    g->span = (uint8_t)link_bit[i];
    int up = i, down = i + 1;
    while (up >= 0 && !present[up])
        up--;
    while (down < 5 && !present[down])
        down++;
    if (up < 0 || down > 4)
        return;
    /* The joined span expected -> perceived is the service gap: same pairs. */
    const servgap__comoments *pairs = up == 0 && down == 4 ? in->pe : NULL;
    diff(in, opt, chain_vp[down], chain_vp[up], pairs, g);
    if (up != i || down != i + 1) {
        g->status = SERVGAP_STATUS_UNRESOLVED;
        g->span = 0;
        for (int k = up; k < down; k++)
            g->span |= (uint8_t)link_bit[k];
    }
}

void servgap__gaps_cell(const servgap__cellin *in, const servgap__options *opt, servgap__gaprec *g)
{
    side_gap(in, opt, SERVGAP_GAP_SERVICE, SERVGAP_VP_PERCEIVED, SERVGAP_VP_EXPECTED, in->pe,
             &g[SERVGAP_GAP_SERVICE]);
    side_gap(in, opt, SERVGAP_GAP_COMMUNICATION, SERVGAP_VP_DELIVERED, SERVGAP_VP_PROMISED, NULL,
             &g[SERVGAP_GAP_COMMUNICATION]);
    side_gap(in, opt, SERVGAP_GAP_ADEQUACY, SERVGAP_VP_PERCEIVED, SERVGAP_VP_ADEQUATE, in->pa,
             &g[SERVGAP_GAP_ADEQUACY]);
    for (int i = 0; i < 4; i++)
        link_gap_row(in, opt, i, &g[link_gap[i]]);
    if (in->vp[SERVGAP_VP_EXPECTED]->n > 0 && in->vp[SERVGAP_VP_STANDARD]->n == 0)
        g[SERVGAP_GAP_STANDARDS].flags |= SERVGAP_GAPFLAG_NO_STANDARD;
}

static int resolved(const servgap__gaprec *g)
{
    return g->status != SERVGAP_STATUS_UNRESOLVED && isfinite(g->value);
}

/* Which rows a roll-up averages: the resolved ones; or, when none is
 * resolved and every computable row is one and the same joined span, those
 * (the roll-up is then that span, unresolved). Returns the span, 0 for
 * resolved rows, or UINT32_MAX when there is nothing to average. */
static uint32_t rollup_mode(const servgap__gaprec *const *g, size_t k)
{
    uint32_t span = 0;
    for (size_t i = 0; i < k; i++) {
        if (resolved(g[i]))
            return 0;
        if (g[i]->status != SERVGAP_STATUS_UNRESOLVED || !isfinite(g[i]->value))
            continue;
        if (span && span != g[i]->span)
            return UINT32_MAX;
        span = g[i]->span;
    }
    return span ? span : UINT32_MAX;
}

static int rollup_uses(const servgap__gaprec *g, uint32_t mode)
{
    if (mode == 0)
        return resolved(g);
    return g->status == SERVGAP_STATUS_UNRESOLVED && isfinite(g->value) && g->span == mode;
}

void servgap__gaps_rollup(const servgap__gaprec *const *g, const double *span, size_t k, double s,
                          const servgap__options *opt, servgap__tcache *tc, servgap__gaprec *out)
{
    gap_empty(out, SERVGAP_STATUS_INSUFFICIENT);
    uint32_t mode = rollup_mode(g, k);
    if (mode == UINT32_MAX) {
        /* Different joined spans cannot be averaged: name them all. */
        for (size_t i = 0; i < k; i++)
            if (g[i]->status == SERVGAP_STATUS_UNRESOLVED)
                out->span |= g[i]->span;
        if (out->span)
            out->status = SERVGAP_STATUS_UNRESOLVED;
        return;
    }
    double sum = 0.0;
    servgap__satterthwaite var = {0.0, 0.0};
    size_t used = 0;
    int sufficient = 1, paired = 1;
    for (size_t i = 0; i < k; i++) {
        if (!rollup_uses(g[i], mode))
            continue;
        double scale = s > 0.0 ? 1.0 : 1.0 / span[i];
        double e = g[i]->se * scale;
        sum += g[i]->value * scale;
        servgap__satterthwaite_add(&var, e * e, g[i]->df);
        out->n_up += g[i]->n_up;
        out->n_down += g[i]->n_down;
        sufficient &= (g[i]->flags & SERVGAP_GAPFLAG_SUFFICIENT) != 0;
        paired &= (g[i]->flags & SERVGAP_GAPFLAG_PAIRED) != 0;
        out->flags |= g[i]->flags & SERVGAP_GAPFLAG_CHANGED;
        out->span |= g[i]->span;
        used++;
    }
    double n = (double)used;
    double e = sqrt(var.sum) / n;
    servgap__interval iv;
    servgap__interval_tc(sum / n, e, servgap__satterthwaite_result(&var), opt->confidence, tc, &iv);
    out->value = iv.value;
    out->h = iv.h;
    out->df = iv.df;
    out->se = e;
    if (paired)
        out->flags |= SERVGAP_GAPFLAG_PAIRED;
    if (mode != 0)
        out->status = SERVGAP_STATUS_UNRESOLVED;
    rec_status(out, sufficient);
}
