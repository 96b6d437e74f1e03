/*
 * aggregate -- one window's rows into the tables of agg.h: the group table
 * made (dense, every group before the scan, in key order) or left to the
 * scan (hashed), the scan of the log (scan.c), the summaries' buckets and
 * the declarations in force; then each tier gets pooled groups (its
 * tier-wide observations and all its accounts') and every scope gets its
 * all-touchpoints roll-up. Relies on agg and scan.
 */
#ifndef SERVGAP_AGGREGATE_H
#define SERVGAP_AGGREGATE_H

#include "agg.h"

/* What servgap__aggregate builds beside the groups: the team and driver
 * facets; and whether the group table must be hashed even when a dense
 * directory would fit (tests compare the two). */
#define SERVGAP__AGG_FACETS 1u
#define SERVGAP__AGG_HASHED 2u

/* Aggregate what the window [from_day, to_day) reads (reads.h: events in
 * the window, survey viewpoints over the look-back, the declarations in
 * force) into agg (how: the bits above). The caller holds the read lock.
 * Returns 0, or -1 when memory ran out (agg is then still safe to free). */
int servgap__aggregate(const servgap_ctx *ctx, int64_t from_day, int64_t to_day,
                       const servgap__options *opt, uint32_t how, servgap__agg *agg);

/* Fold the day buckets of ctx's summaries (model/buckets.h) that the
 * window agg->reads reads into agg's groups and respondent groups, and,
 * when fmap is not NULL, the facet buckets into the hashed facet table
 * fmap, in the buckets' table order, so that a fixed order of summary
 * loads gives the same bits. Implemented in fold.c. The caller holds the
 * read lock. 0, or -1 when memory ran out or the call was interrupted. */
int servgap__agg_fold(const servgap_ctx *ctx, const servgap__options *opt, servgap__agg *agg,
                      servgap__map *fmap);

#endif
