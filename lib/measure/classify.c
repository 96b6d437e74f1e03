/*
 * classify -- candidates in tie order (upstream first, because fixing an
 * upstream gap also moves everything downstream of it), the most negative
 * normalized value wins.
 */
#include "../base/platform.h"

#include "classify.h"

#include <math.h>

static const int order[5] = {SERVGAP_GAP_KNOWLEDGE, SERVGAP_GAP_STANDARDS, SERVGAP_GAP_DELIVERY,
                             SERVGAP_GAP_COMMUNICATION, SERVGAP_GAP_PERCEPTION};

static int32_t class_of_gap(int gap)
{
    switch (gap) {
    case SERVGAP_GAP_KNOWLEDGE:
        return SERVGAP_CLASS_KNOWLEDGE;
    case SERVGAP_GAP_STANDARDS:
        return SERVGAP_CLASS_STANDARDS;
    case SERVGAP_GAP_DELIVERY:
        return SERVGAP_CLASS_DELIVERY;
    case SERVGAP_GAP_COMMUNICATION:
        return SERVGAP_CLASS_COMMUNICATION;
    default:
        return SERVGAP_CLASS_PERCEPTION;
    }
}

/* A significant shortfall, resolved or as a joined span. */
static int candidate(const servgap__gaprec *g)
{
    if (g->status == SERVGAP_STATUS_SHORTFALL)
        return 1;
    return g->status == SERVGAP_STATUS_UNRESOLVED && (g->flags & SERVGAP_GAPFLAG_SIGNIFICANT) &&
           g->value < 0.0;
}

/* Whether any gap of the cell has a status the data can tell. */
static int determinable(const servgap__gaprec *g)
{
    for (int i = 0; i < SERVGAP_GAP_COUNT; i++) {
        if (g[i].status == SERVGAP_STATUS_UNRESOLVED) {
            if (g[i].flags & SERVGAP_GAPFLAG_SUFFICIENT)
                return 1;
        } else if (g[i].status != SERVGAP_STATUS_INSUFFICIENT) {
            return 1;
        }
    }
    return 0;
}

void servgap__classify(const servgap__gaprec *g, int at_risk, servgap__cellrec *c)
{
    int best = -1;
    double best_normalized = NAN;
    for (int k = 0; k < 5; k++) {
        const servgap__gaprec *x = &g[order[k]];
        double normalized = x->value / c->span;
        /* A value that is not finite is no shortfall, whatever its codes
         * say (judge in gaps.c gives such a gap none). */
        if (candidate(x) && isfinite(normalized) && (best < 0 || normalized < best_normalized)) {
            best = order[k];
            best_normalized = normalized;
        }
    }
    c->class_normalized = best_normalized;
    c->class_span = best >= 0 ? g[best].span : 0;
    if (best >= 0) {
        c->classification =
            (uint8_t)(g[best].status == SERVGAP_STATUS_UNRESOLVED ? SERVGAP_CLASS_SPAN
                                                                  : class_of_gap(best));
        return;
    }
    const servgap__gaprec *s = &g[SERVGAP_GAP_SERVICE];
    if (at_risk && (s->status == SERVGAP_STATUS_MET || s->status == SERVGAP_STATUS_EXCEEDS))
        c->classification = SERVGAP_CLASS_HIDDEN;
    else
        c->classification = determinable(g) ? SERVGAP_CLASS_NONE : SERVGAP_CLASS_INSUFFICIENT;
}
