/*
 * gaps -- every gap of one cell from its viewpoints' moments: orientation,
 * the chain expected -> believed -> standard -> delivered -> perceived with
 * joined spans where a link has no data, paired or Welch intervals, and the
 * statuses; and the dimension roll-up of several cells' gaps. Relies on
 * stats; knows nothing of scopes or storage.
 */
#ifndef SERVGAP_GAPS_H
#define SERVGAP_GAPS_H

#include "../model/ctx.h"
#include "rows.h"
#include "../base/stats.h"

typedef struct servgap__cellin {
    const servgap__moments *vp[SERVGAP_VP_COUNT]; /* raw-unit moments per viewpoint */
    const servgap__comoments *pe, *pa;            /* pairs usable for service / adequacy, or NULL */
    int32_t direction;
    double span;
    servgap__tcache *tc; /* the query's t quantiles, or NULL */
    unsigned changed;    /* bit v: viewpoint v is a declaration that changed in the window */
} servgap__cellin;

/* Fill g[SERVGAP_GAP_COUNT] for one metric cell; each gap's normalized
 * value is value / in->span. */
void servgap__gaps_cell(const servgap__cellin *in, const servgap__options *opt, servgap__gaprec *g);

/* One gap type's roll-up over k metric gaps (g[i] of a cell with span[i])
 * of a dimension: the mean over the resolved ones (docs/concepts.md), in
 * units of s, the span all k metrics share, or normalized when s is 0 (the
 * roll-up's span is then 1). tc: the query's t quantiles, or NULL. */
void servgap__gaps_rollup(const servgap__gaprec *const *g, const double *span, size_t k, double s,
                          const servgap__options *opt, servgap__tcache *tc, servgap__gaprec *out);

/* Set status and flags from value, interval and sufficiency: a value that
 * is not finite, or an interval with a NaN end, is insufficient and never
 * significant. */
void servgap__gap_status(servgap_gap *g, int sufficient);

#endif
