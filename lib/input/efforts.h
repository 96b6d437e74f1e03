/*
 * efforts -- the embedder's effort table: the effort to fix a gap type at a
 * touchpoint for a metric, keyed with SERVGAP_ALL as a wildcard, and the
 * documented defaults per gap type (docs/priorities.md). Relies on ctx.
 */
#ifndef SERVGAP_EFFORTS_H
#define SERVGAP_EFFORTS_H

#include "../model/ctx.h"

/* The default effort of a gap type (SERVGAP_GAP_*), on the 1..5 scale. */
double servgap__effort_default(int32_t gap);

/* The effort of a finding of gap at tp for metric (tp and metric may be
 * SERVGAP_ALL for the roll-ups): the most specific matching key, else the
 * default of the gap type. The caller holds a lock; gap is valid. */
double servgap__effort_lookup(const servgap_ctx *ctx, int32_t gap, int32_t tp, int32_t metric);

/* Check a key and an effort as servgap_effort_set does (each of gap, tp and
 * metric may be SERVGAP_ALL), reporting a failure on ctx under func: CSV
 * import and snapshot loading validate with the same messages. The caller
 * holds a lock, as the touchpoint and metric tables may grow. */
int servgap__effort_check(servgap_ctx *ctx, const char *func, int32_t gap, int32_t tp,
                          int32_t metric, double effort);

/* Set or replace the effort of a checked key with the write lock held.
 * 0, or -1 when memory ran out (the table is then unchanged). */
int servgap__effort_put(servgap_ctx *ctx, int32_t gap, int32_t tp, int32_t metric, double effort);

#endif
