/*
 * build -- the state of one window's cell build, which cells hands to
 * servqual and breakdown for each run of cells, and the data a cell chose
 * for each viewpoint. Relies on aggregate and result.
 */
#ifndef SERVGAP_BUILD_H
#define SERVGAP_BUILD_H

#include "aggregate.h"
#include "result.h"

/* Internal flag beside SERVGAP_QUERY_TIERS, _ACCOUNTS and _BREAKDOWN: skip
 * the SERVQUAL rows, which windows computed only for their cells (the
 * persistence and risk windows) never read. */
#define SERVGAP__NO_SERVQUAL 0x80000000u
/* And: dimension roll-ups only for the runs listed in the build (with
 * SERVGAP__NO_SERVQUAL), which the persistence windows need only where
 * a finding is a roll-up. */
#define SERVGAP__SOME_ROLLUPS 0x40000000u
/* And: metric cells only for the groups listed in the build and for the
 * runs that get roll-ups, which a trend window needs for its series alone
 * (with SERVGAP__NO_SERVQUAL). A metric cell reads the aggregate, never
 * another cell, so those made are the cells a build of every run makes. */
#define SERVGAP__SOME_RUNS 0x20000000u

/* What a build restricts itself to, sorted: with SERVGAP__SOME_ROLLUPS
 * the (scope, touchpoint) runs, as their groups' k1 >> 16, that get
 * dimension roll-ups; with SERVGAP__SOME_RUNS the groups (their k1) that
 * become metric cells besides those runs'. */
typedef struct servgap__runsel {
    const uint64_t *rollups;
    size_t nrollups;
    const uint64_t *cells;
    size_t ncells;
} servgap__runsel;

typedef struct servgap__build {
    const servgap_ctx *ctx;
    const servgap__options *opt;
    const servgap__agg *agg;
    servgap_result *r;
    uint32_t flags;
    servgap__tcache *tc; /* the query's t quantiles, or NULL */
    servgap__runsel sel; /* read with SERVGAP__SOME_ROLLUPS, _SOME_RUNS */
} servgap__build;

/* The chosen viewpoint data of one metric cell. */
typedef struct servgap__chosen {
    const servgap__moments *vp[SERVGAP_VP_COUNT];
    uint32_t key; /* low 32 bits of the group key: tp << 16 | metric */
    uint32_t scope;
    size_t group; /* the cell's own group: its entry in the group table */
} servgap__chosen;

#endif
