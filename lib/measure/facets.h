/*
 * facets -- the team and driver facet groups of a window whose group table
 * is dense (made in key order before the scan). The scan appends each
 * facet row's group entry, facet and value to a list in log order; then
 * one counting sort buckets the list by group, and one sweep of the groups
 * in key order adds each group's rows into its facet groups, pools them
 * into their tier, rolls every scope up over touchpoints and writes the
 * facet groups out in key order. So nothing is hashed or sorted but each
 * group's few facets. The moments receive the same additions and merges
 * in the same order as a hashed facet table pooled by visits in key order,
 * so the two give the same bytes. Relies on groups and map.
 */
#ifndef SERVGAP_FACETS_H
#define SERVGAP_FACETS_H

#include "groups.h"

/* k1 = group key; k2 = facet << 40 | viewpoint << 32 | facet id. */
typedef struct servgap__facetgroup {
    servgap__mapkey key;
    servgap__moments m;
} servgap__facetgroup;

/* The facet groups of a window in key order; those of the group at entry
 * i of the (sorted) group table are f[at[i]] up to f[at[i + 1]], so that a
 * cell finds its rows without a search. at is NULL when no facets were
 * asked for. */
typedef struct servgap__facets {
    const servgap__alloc *a;
    servgap__facetgroup *f;
    size_t n;
    uint32_t *at;
} servgap__facets;

void servgap__facets_free(servgap__facets *fs);

typedef struct servgap__facetrow {
    uint32_t group; /* entry index in the group table */
    uint32_t code;  /* the facet, numbered in k2 order (facets.c) */
    double value;
} servgap__facetrow;

typedef struct servgap__facetscan {
    const servgap__alloc *a;
    servgap__facetrow *row;
    size_t n, cap;
    uint32_t *count; /* rows per group entry (and one more) */
    size_t nteams;
    int overflow; /* more rows came than were counted before the scan */
} servgap__facetscan;

/* Whether the facets of a window with nrows facet rows can be built so
 * over the dense, premade table groups: the code-indexed tables of the
 * pooling cost no more than the group directory may, and every count fits
 * 32 bits. When not, the caller keeps a hashed facet table. */
int servgap__facetscan_fits(const servgap_ctx *ctx, const servgap__map *groups, uint64_t nrows);

/* Room for nrows facet rows over the table groups. 0, or -1 when memory
 * ran out (fs is then still safe to free). */
int servgap__facetscan_init(servgap__facetscan *fs, const servgap_ctx *ctx,
                            const servgap__map *groups, uint64_t nrows);
void servgap__facetscan_free(servgap__facetscan *fs);

/* Note observation obs (of the group at entry index group) when it splits a facet:
 * the same rows as the hashed table's. Called once a row, in log order. */
static inline void servgap__facetscan_add(servgap__facetscan *fs, size_t group,
                                          const servgap__obs *obs)
{
    int vp = SERVGAP__BITS_VP(obs->bits), driver = SERVGAP__BITS_DRIVER(obs->bits);
    size_t code;
    if (obs->team >= 0 && vp == SERVGAP_VP_DELIVERED)
        code = (size_t)obs->team;
    else if (obs->team >= 0 && vp == SERVGAP_VP_PERCEIVED)
        code = fs->nteams + (size_t)obs->team;
    else if (driver && vp == SERVGAP_VP_EXPECTED)
        code = 2 * fs->nteams + (size_t)driver;
    else
        return;
    if (fs->n == fs->cap) {
        fs->overflow = 1;
        return;
    }
    servgap__facetrow *r = &fs->row[fs->n++];
    r->group = (uint32_t)group;
    r->code = (uint32_t)code;
    r->value = obs->value;
    fs->count[group]++;
}

/* Build out from the rows noted, once the group table is pooled. The rows
 * are consumed (fs keeps only what it must free). 0, or -1 when memory ran
 * out (out is then left empty). */
int servgap__facets_build(servgap__facetscan *fs, const servgap_ctx *ctx,
                          const servgap__map *groups, servgap__facets *out);

/* Take the sorted hashed facet table fm into out, indexed by the sorted
 * table groups. 0, or -1 when memory ran out (fm then keeps its entries). */
int servgap__facets_adopt(const servgap__map *groups, servgap__map *fm, servgap__facets *out);

#endif
