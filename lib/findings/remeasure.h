/*
 * remeasure -- the rules of a re-measurement, shared by the two calls
 * that apply them: servgap_plan_remeasure (remeasure.c: one plan item,
 * windows given) and a query with SERVGAP_QUERY_PLANS (planstatus.c:
 * every item, windows by the analysis date). Relies on window (a window's
 * cells) and stats. docs/remediation.md, section 2, states the rules.
 */
#ifndef SERVGAP_REMEASURE_H
#define SERVGAP_REMEASURE_H

#include "../measure/window.h"

/* A plan's gap in one window. usable: the outcome may rest on it. */
typedef struct servgap__side {
    double value, se, df;
    uint32_t span;
    int usable;
} servgap__side;

/* The plan p's gap row in r, a window's cells of p's scope kind. A row is
 * usable when it has a finite value and standard error and every side
 * has its min_n observations: below min_n a single customer answer would
 * count as an exact constant. A cell r lacks gives an unusable side. */
void servgap__side_read(const servgap_result *r, const servgap__plan *p, servgap__side *s);

/* The outcome of baseline b against follow-up f at target, and the
 * change's interval at confidence, into out's outcome and numbers (not
 * next_check). */
void servgap__remeasure_compare(const servgap__side *b, const servgap__side *f, double target,
                                double confidence, servgap_remeasure *out);

/* t + days whole days, saturating instead of overflowing. */
int64_t servgap__add_days(int64_t t, int64_t days);

#endif
