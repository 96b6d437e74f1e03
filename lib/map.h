/*
 * map -- a hash map from a pair of 64-bit keys to fixed-size entries kept
 * densely in insertion order, for the per-query aggregation tables. Every
 * entry starts with its keys (servgap__mapkey). Relies on alloc.
 */
#ifndef SERVGAP_MAP_H
#define SERVGAP_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

typedef struct servgap__mapkey {
    uint64_t k1, k2;
} servgap__mapkey;

typedef struct servgap__map {
    const servgap__alloc *a;
    size_t elem;
    unsigned char *ent;
    size_t n, cap;
    uint32_t *slot; /* entry index + 1, or 0 */
    size_t nslot;
} servgap__map;

void servgap__map_init(servgap__map *m, const servgap__alloc *a, size_t elem);
void servgap__map_free(servgap__map *m);

/* The entry of (k1, k2), or NULL. */
void *servgap__map_find(const servgap__map *m, uint64_t k1, uint64_t k2);

/* The entry of (k1, k2), created zeroed (but for its keys) when absent, in
 * which case *created is set. NULL on allocation failure. Pointers into the
 * map are invalidated by the next creation. */
void *servgap__map_get(servgap__map *m, uint64_t k1, uint64_t k2, int *created);

static inline void *servgap__map_at(const servgap__map *m, size_t i)
{
    return m->ent + i * m->elem;
}

/* Sort the entries by (k1, k2), keeping them findable. */
void servgap__map_sort(servgap__map *m);

#endif
