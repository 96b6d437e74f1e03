/*
 * servqual -- SERVQUAL scores of one scope and touchpoint from its cells:
 * dimension gaps, unweighted, item mean, weighted (respondent-level or by
 * allocation), SERVPERF and the importance knowledge gap. Relies on build.
 */
#ifndef SERVGAP_SERVQUAL_H
#define SERVGAP_SERVQUAL_H

#include "build.h"

/* Cells [first, nmetric) are the run's metric cells, [nmetric, end) its
 * dimension roll-ups. Appends at most one row; -1 when memory ran out. */
int servgap__servqual_run(servgap__build *b, size_t first, size_t nmetric, size_t end);

#endif
