/*
 * servqual -- the PZB scores. Weights come from respondents' own points
 * when there are any (the respondent-level procedure), else from the
 * scope's customer allocation (an account falls back to its tier's).
 */
#include "../base/platform.h"

#include "servqual.h"

#include <math.h>
#include <string.h>

#include "../model/tables.h"

/* A scope's allocation by whose, falling back from account to tier. */
static const servgap__importance *allocation(const servgap_ctx *ctx, uint32_t scope, int32_t whose)
{
    const servgap__importance *imp = servgap__importance_find(ctx, scope, whose);
    if (imp || scope & SERVGAP__SCOPE_TIER)
        return imp;
    int32_t t = ctx->accounts.a[scope].tier;
    return t < 0 ? NULL : servgap__importance_find(ctx, (uint32_t)t | SERVGAP__SCOPE_TIER, whose);
}

static double mean_finite(const double *x, size_t n)
{
    double sum = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(x[i])) {
            sum += x[i];
            k++;
        }
    }
    return k ? sum / (double)k : NAN;
}

static void scores(const servgap__build *b, size_t first, size_t nmetric, size_t end,
                   servgap_servqual *q)
{
    const servgap__cellrow *cells = b->r->cells;
    double item_sum = 0.0, perf[SERVGAP_DIM_COUNT];
    size_t items = 0;
    for (size_t i = first; i < nmetric; i++) {
        double g = servgap__cellrow_value(b->r, &cells[i], SERVGAP_GAP_SERVICE);
        if (isfinite(g)) {
            item_sum += g;
            items++;
        }
    }
    q->item_mean = items ? item_sum / (double)items : NAN;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        q->dimension_gap[d] = perf[d] = NAN;
    for (size_t i = nmetric; i < end; i++) {
        const servgap__cellrow *c = &cells[i];
        q->dimension_gap[c->c.dimension] = servgap__cellrow_value(b->r, c, SERVGAP_GAP_SERVICE);
        if (isfinite(q->dimension_gap[c->c.dimension]))
            perf[c->c.dimension] = servgap__cell_mean(b->r, &c->c, SERVGAP_VP_PERCEIVED);
    }
    q->unweighted = mean_finite(q->dimension_gap, SERVGAP_DIM_COUNT);
    q->servperf = mean_finite(perf, SERVGAP_DIM_COUNT);
}

/* Respondent-level weights and score, if respondents gave points. */
static int respondent_weights(const servgap__build *b, uint32_t scope, uint32_t tp,
                              servgap_servqual *q)
{
    const servgap__respgroup *g =
        servgap__map_find(&b->agg->resp, servgap__gkey(scope, tp, SERVGAP__METRIC_ALL), 0);
    if (!g || g->sqw.n == 0)
        return 0;
    double n = (double)g->sqw.n;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        q->weight[d] = g->points[d] / (100.0 * n);
    servgap__interval iv;
    double se = sqrt(servgap__moments_var(&g->sqw) / n);
    servgap__interval_from_se(g->sqw.mean, se, g->sqw.n > 1 ? n - 1.0 : INFINITY,
                              b->opt->confidence, &iv);
    q->weighted = g->sqw.mean;
    q->weighted_lo = g->sqw.n > 1 ? iv.lo : NAN;
    q->weighted_hi = g->sqw.n > 1 ? iv.hi : NAN;
    q->respondents = g->sqw.n;
    q->weight_source = SERVGAP_WEIGHTS_RESPONDENTS;
    return 1;
}

/* Weighted score from a scope allocation, renormalised over dimensions with
 * data. */
static void allocation_weights(const servgap__importance *imp, servgap_servqual *q)
{
    double num = 0.0, den = 0.0;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        q->weight[d] = imp->p[d] / 100.0;
        if (isfinite(q->dimension_gap[d])) {
            num += q->weight[d] * q->dimension_gap[d];
            den += q->weight[d];
        }
    }
    q->weighted = den > 0.0 ? num / den : NAN;
    q->weight_source = SERVGAP_WEIGHTS_ALLOCATION;
}

static void importance_gap(const servgap__importance *believed, servgap_servqual *q)
{
    double tv = 0.0, worst = 0.0;
    q->most_underweighted = -1;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        q->believed_weight[d] = believed->p[d] / 100.0;
        double under = q->weight[d] - q->believed_weight[d];
        tv += fabs(under);
        if (under > worst) {
            worst = under;
            q->most_underweighted = d;
        }
    }
    q->importance_gap = tv / 2.0;
}

int servgap__servqual_run(servgap__build *b, size_t first, size_t nmetric, size_t end)
{
    const servgap__cellrec c0 = b->r->cells[first].c;
    int any = 0;
    for (size_t i = nmetric; i < end; i++)
        any |= isfinite(servgap__cellrow_value(b->r, &b->r->cells[i], SERVGAP_GAP_SERVICE));
    if (!any)
        return 0;
    servgap_servqual *q = servgap__result_add_servqual(b->r);
    if (!q)
        return -1;
    q->size = sizeof *q;
    q->scope_kind = c0.scope_kind;
    q->scope_id = c0.scope_id;
    q->touchpoint = c0.touchpoint;
    q->most_underweighted = -1;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        q->weight[d] = q->believed_weight[d] = NAN;
    q->weighted = q->weighted_lo = q->weighted_hi = q->importance_gap = NAN;
    scores(b, first, nmetric, end, q);
    uint32_t scope = c0.scope_kind == SERVGAP_SCOPE_TIER
                         ? (uint32_t)c0.scope_id | SERVGAP__SCOPE_TIER
                         : (uint32_t)c0.scope_id;
    uint32_t tp = c0.touchpoint == SERVGAP_ALL ? SERVGAP__TP_ALL : (uint32_t)c0.touchpoint;
    const servgap__importance *cust = allocation(b->ctx, scope, SERVGAP_WHOSE_CUSTOMER);
    uint32_t pooled = c0.scope_kind == SERVGAP_SCOPE_TIER ? scope | SERVGAP__SCOPE_POOLED : scope;
    if (!respondent_weights(b, pooled, tp, q) && cust)
        allocation_weights(cust, q);
    const servgap__importance *believed = allocation(b->ctx, scope, SERVGAP_WHOSE_PROVIDER);
    if (believed && q->weight_source)
        importance_gap(believed, q);
    return 0;
}
