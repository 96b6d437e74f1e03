/*
 * classify -- one classification per cell (docs/concepts.md, section 10): where in the
 * chain the largest significant shortfall is created. Relies on the gap
 * rows only.
 */
#ifndef SERVGAP_CLASSIFY_H
#define SERVGAP_CLASSIFY_H

#include "rows.h"

/* Classify a cell from its gap rows (c->span set: the gaps' unit); at_risk
 * is 1 for an account cell of an at-risk account (enabling
 * SERVGAP_CLASS_HIDDEN). */
void servgap__classify(const servgap__gaprec *g, int at_risk, servgap__cellrec *c);

#endif
