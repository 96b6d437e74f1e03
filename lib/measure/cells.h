/*
 * cells -- turns the aggregated groups into result rows: chooses each
 * viewpoint's source (own, any touchpoint, tier), computes the gaps and the
 * classification of every metric cell, the dimension roll-ups of each
 * (scope, touchpoint), and hands each run to servqual and breakdown.
 * Relies on aggregate, gaps, classify and result.
 */
#ifndef SERVGAP_CELLS_H
#define SERVGAP_CELLS_H

#include "build.h"

/* Build every cell into b->r, which holds none yet; 0, or -1 when memory
 * ran out. */
int servgap__build_cells(servgap__build *b);

/* Public scope kind and id of an encoded scope. */
void servgap__scope_decode(uint32_t scope, int32_t *kind, int32_t *id);

#endif
