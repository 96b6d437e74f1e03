/*
 * index -- a hashed index over the entries of a table that the caller
 * keeps (the handle's importance allocations and efforts): entry i's key,
 * a pair of 64-bit words, to i. Entries are numbered in the order they are
 * added, as the caller appends them, and only the newest can be taken
 * back (the rollback of a failed operation). Memory is reserved before
 * entries are added, so that adding cannot fail half way. Relies on alloc
 * and map (the hash).
 */
#ifndef SERVGAP_INDEX_H
#define SERVGAP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "map.h"

typedef struct servgap__index {
    servgap__mapkey *key; /* key[i]: entry i's */
    size_t count, cap;
    uint32_t *slot; /* open addressing, linear probing: entry + 1, or 0 */
    size_t nslot;   /* a power of two, or 0 */
} servgap__index;

void servgap__index_init(servgap__index *x);
void servgap__index_free(servgap__index *x, const servgap__alloc *a);

/* The entry of key (k1, k2), or -1. */
int64_t servgap__index_find(const servgap__index *x, uint64_t k1, uint64_t k2);

/* Room for extra more entries: the next extra servgap__index_add calls
 * cannot fail. 0, or -1 when memory ran out (the entries are unchanged;
 * only room may have grown). */
int servgap__index_reserve(servgap__index *x, const servgap__alloc *a, size_t extra);

/* Add key (k1, k2), which must be absent, as entry count; room must have
 * been reserved. */
void servgap__index_add(servgap__index *x, uint64_t k1, uint64_t k2);

/* Forget entries >= count. The slots are then exactly those of an index
 * to which they were never added (at the same size). */
void servgap__index_truncate(servgap__index *x, size_t count);

#endif
