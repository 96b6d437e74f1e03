/*
 * breakdown -- team and driver rows of one metric cell: a team's delivered
 * values against the cell's standard and its perceived values against the
 * cell's expected; the cell's perceived values against the expectations
 * shaped by one driver. Relies on build and gaps.
 */
#ifndef SERVGAP_BREAKDOWN_H
#define SERVGAP_BREAKDOWN_H

#include "build.h"

/* Append the rows of cell (chosen data ch); -1 when memory ran out. */
int servgap__breakdown_cell(servgap__build *b, size_t cell, const servgap__chosen *ch);

#endif
