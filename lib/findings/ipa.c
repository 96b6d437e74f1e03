/*
 * ipa -- Importance-Performance Analysis (Martilla & James 1977) on a
 * result's SERVQUAL rows: customer importance points against the perceived
 * mean of each dimension, placed around a crosshair (docs/priorities.md).
 * Reads the cells and SERVQUAL rows the window already built.
 */
#include "../base/platform.h"

#include "analysis.h"

#include <math.h>

/* One dimension of a SERVQUAL row on the grid, before its crosshair. */
typedef struct point {
    int32_t dim;
    double importance, performance, midpoint;
} point;

/* The mean of the midpoints (min + max) / 2 of the metrics whose perceived
 * means the roll-up cell at index j averages, NaN when one is unbounded. */
static double midpoint(const servgap_ctx *ctx, const servgap_result *r, size_t j)
{
    const servgap__cellrec *roll = &r->cells[j].c;
    double sum = 0.0;
    size_t k = 0;
    for (size_t i = j; i-- > 0;) {
        const servgap__cellrec *c = &r->cells[i].c;
        if (c->scope_kind != roll->scope_kind || c->scope_id != roll->scope_id ||
            c->touchpoint != roll->touchpoint)
            break;
        if (c->metric == SERVGAP_ALL || c->dimension != roll->dimension ||
            servgap__cell_n(r, c, SERVGAP_VP_PERCEIVED) <= 0)
            continue;
        const servgap__metric *m = &ctx->metrics.m[c->metric];
        sum += (m->min + m->max) / 2.0;
        k++;
    }
    return k ? sum / (double)k : NAN;
}

/* The dimensions of SERVQUAL row q that have a perceived mean: at most 5. */
static size_t points_of(const servgap_ctx *ctx, const servgap_result *r, const servgap_servqual *q,
                        point *p)
{
    size_t n = 0;
    for (int32_t d = 0; d < SERVGAP_DIM_COUNT; d++) {
        size_t j;
        if (servgap_result_find(r, q->scope_kind, q->scope_id, q->touchpoint, SERVGAP_ALL, d, &j) !=
            SERVGAP_OK)
            continue;
        double perf = servgap__cell_mean(r, &r->cells[j].c, SERVGAP_VP_PERCEIVED);
        double imp = q->weight[d] * 100.0;
        if (!isfinite(perf) || !isfinite(imp))
            continue;
        p[n++] = (point){d, imp, perf, midpoint(ctx, r, j)};
    }
    return n;
}

static double mean_of(const double *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    return s / (double)n;
}

static double median_of(double *x, size_t n)
{
    for (size_t i = 1; i < n; i++) /* insertion sort: n <= 5 */
        for (size_t k = i; k > 0 && x[k - 1] > x[k]; k--) {
            double t = x[k];
            x[k] = x[k - 1];
            x[k - 1] = t;
        }
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2.0;
}

/* The crosshair of a scope's points; midpoint's performance is per point. */
static void crosshair(const servgap__options *opt, const point *p, size_t n, double *ci, double *cp)
{
    double imp[SERVGAP_DIM_COUNT], perf[SERVGAP_DIM_COUNT];
    for (size_t i = 0; i < n; i++) {
        imp[i] = p[i].importance;
        perf[i] = p[i].performance;
    }
    switch (opt->ipa_crosshair) {
    case SERVGAP_CROSSHAIR_MEAN:
        *ci = mean_of(imp, n);
        *cp = mean_of(perf, n);
        break;
    case SERVGAP_CROSSHAIR_MEDIAN:
        *ci = median_of(imp, n);
        *cp = median_of(perf, n);
        break;
    case SERVGAP_CROSSHAIR_CUSTOM:
        *ci = opt->ipa_importance;
        *cp = opt->ipa_performance;
        break;
    default:
        *ci = 100.0 / SERVGAP_DIM_COUNT;
        *cp = NAN;
        break;
    }
}

static int32_t ipa_quadrant(double imp, double perf, double ci, double cp)
{
    int important = imp >= ci, well = perf >= cp;
    if (important)
        return well ? SERVGAP_IPA_KEEP_UP : SERVGAP_IPA_CONCENTRATE;
    return well ? SERVGAP_IPA_OVERKILL : SERVGAP_IPA_LOW_PRIORITY;
}

static int ipa_row(servgap_result *r, const servgap_servqual *q, const point *p, double ci,
                   double cp)
{
    servgap_ipa *row = servgap__result_add_ipa(r);
    if (!row)
        return -1;
    row->size = sizeof *row;
    row->scope_kind = q->scope_kind;
    row->scope_id = q->scope_id;
    row->touchpoint = q->touchpoint;
    row->dimension = p->dim;
    row->importance = p->importance;
    row->performance = p->performance;
    row->importance_cross = ci;
    row->performance_cross = cp;
    row->quadrant = ipa_quadrant(p->importance, p->performance, ci, cp);
    return 0;
}

int servgap__ipa_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r)
{
    for (size_t i = 0; i < r->nsq; i++) {
        const servgap_servqual *q = &r->sq[i];
        if (q->weight_source == SERVGAP_WEIGHTS_NONE)
            continue;
        point p[SERVGAP_DIM_COUNT];
        size_t n = points_of(ctx, r, q, p);
        if (n == 0)
            continue;
        double ci, cp;
        crosshair(opt, p, n, &ci, &cp);
        for (size_t k = 0; k < n; k++) {
            double c = opt->ipa_crosshair == SERVGAP_CROSSHAIR_MIDPOINT ? p[k].midpoint : cp;
            /* A scale without both ends has no midpoint, so no place on the grid. */
            if (isfinite(c) && ipa_row(r, q, &p[k], ci, c) != 0)
                return -1;
        }
    }
    return 0;
}
