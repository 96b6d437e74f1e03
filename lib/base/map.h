/*
 * map -- a hash map from a pair of 64-bit keys to fixed-size entries kept
 * densely in insertion order, for the per-query aggregation tables. Every
 * entry starts with its keys (servgap__mapkey). A map whose keys can be
 * numbered in key order from a small space may instead index a dense
 * directory: no hashing, and sorting is a walk of the directory. Relies on
 * alloc.
 */
#ifndef SERVGAP_MAP_H
#define SERVGAP_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"

typedef struct servgap__mapkey {
    uint64_t k1, k2;
} servgap__mapkey;

/* The hash of a key, which the hashed maps and base/index share. */
static inline uint64_t servgap__mapkey_hash(uint64_t k1, uint64_t k2)
{
    uint64_t h = k1 * 0x9e3779b97f4a7c15u ^ (k2 + 0x632be59bd9b4e019u) * 0xc2b2ae3d27d4eb4fu;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9u;
    return h ^ (h >> 32);
}

/* The number of key (k1, k2) in a dense key space described by four
 * numbers of the caller's choice; numbers must follow key order and stay
 * below the space's size. */
typedef size_t (*servgap__dense_fn)(const uint32_t space[4], uint64_t k1, uint64_t k2);

typedef struct servgap__map {
    const servgap__alloc *a;
    size_t elem;
    unsigned char *ent;
    size_t n, cap;
    uint32_t *slot; /* entry index + 1, or 0; dense: by key number */
    size_t nslot;
    servgap__dense_fn dense; /* NULL: hashed */
    uint32_t space[4];       /* copied, so that a map may be moved by value */
    int sorted;              /* no entry created since the last sort */
} servgap__map;

void servgap__map_init(servgap__map *m, const servgap__alloc *a, size_t elem);

/* Make the empty map m dense over a key space of size numbers (dense and
 * space as above). Only keys of the space may then be used. 0, or -1 when
 * memory ran out (m is then still hashed). */
int servgap__map_dense(servgap__map *m, servgap__dense_fn dense, const uint32_t space[4],
                       size_t size);
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

/* Dense maps only: mark key (k1, k2), then create an entry for each marked
 * number at once, in key order: a copy of blank (elem bytes) with its
 * keys (key gives the key of a number). After a creation into an empty
 * map the entries are sorted. 0, or -1 when memory ran out (the marks are
 * then cleared). */
typedef void (*servgap__dense_key_fn)(const uint32_t space[4], size_t number, uint64_t *k1,
                                      uint64_t *k2);
void servgap__map_mark(servgap__map *m, uint64_t k1, uint64_t k2);
/* The first marked number at or after d, or m->nslot when none is. */
size_t servgap__map_next_mark(const servgap__map *m, size_t d);
int servgap__map_add_marked(servgap__map *m, servgap__dense_key_fn key, const void *blank);

/* Hints that key (k1, k2) will soon be used: load its slot (a hashed
 * map's first probe), or the bytes at offset of the entry that slot holds
 * (the slot should then be cached already). */
void servgap__map_prefetch_slot(const servgap__map *m, uint64_t k1, uint64_t k2);
void servgap__map_prefetch_entry(const servgap__map *m, uint64_t k1, uint64_t k2, size_t offset);

/* Sort the entries by (k1, k2) in place, keeping them findable. */
void servgap__map_sort(servgap__map *m);

/* Call fn with a copy of each entry present at the call, in key order,
 * until fn returns nonzero; fn may create entries (they are not visited).
 * Entries may be reordered. 0, or -1 when fn failed. */
typedef int (*servgap__visit_fn)(void *arg, const void *entry);
int servgap__map_visit(servgap__map *m, servgap__visit_fn fn, void *arg);

/* Hand over the entries (*n of them, in their present order) for the
 * caller to free with servgap__free, leaving m empty: a sorted table then
 * needs no copy to outlive its index. */
void *servgap__map_take(servgap__map *m, size_t *n);

#endif
