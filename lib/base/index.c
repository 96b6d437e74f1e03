/*
 * index -- open addressing with linear probing over keys kept in entry
 * order. Slots are only ever filled in entry order (rebuilding places
 * entries 0, 1, 2, ...), so the newest entry always sits in the first
 * free slot of its probe when all older ones are placed: clearing it
 * restores the slots exactly, which is how truncation works in O(entries
 * taken back) rather than by a rebuild.
 */
#include "platform.h"

#include "index.h"

#include <string.h>

void servgap__index_init(servgap__index *x)
{
    memset(x, 0, sizeof *x);
}

void servgap__index_free(servgap__index *x, const servgap__alloc *a)
{
    servgap__free(a, x->key);
    servgap__free(a, x->slot);
    servgap__index_init(x);
}

/* The slot of (k1, k2) in slot[0..nslot): its entry's, or the free one
 * where it goes. */
static size_t probe(const uint32_t *slot, size_t nslot, const servgap__mapkey *key, uint64_t k1,
                    uint64_t k2)
{
    size_t mask = nslot - 1;
    size_t i = (size_t)servgap__mapkey_hash(k1, k2) & mask;
    while (slot[i] && !(key[slot[i] - 1].k1 == k1 && key[slot[i] - 1].k2 == k2))
        i = (i + 1) & mask;
    return i;
}

int64_t servgap__index_find(const servgap__index *x, uint64_t k1, uint64_t k2)
{
    if (x->nslot == 0)
        return -1;
    uint32_t e = x->slot[probe(x->slot, x->nslot, x->key, k1, k2)];
    return e ? (int64_t)e - 1 : -1;
}

/* Slots for n entries at a load of at most 1/2; the old ones stay when
 * memory runs out. */
static int grow_slots(servgap__index *x, const servgap__alloc *a, size_t n)
{
    size_t nslot = 16;
    while (nslot / 2 < n)
        nslot *= 2;
    if (nslot <= x->nslot)
        return 0;
    uint32_t *slot = servgap__calloc(a, nslot, sizeof *slot);
    if (!slot)
        return -1;
    for (size_t e = 0; e < x->count; e++)
        slot[probe(slot, nslot, x->key, x->key[e].k1, x->key[e].k2)] = (uint32_t)(e + 1);
    servgap__free(a, x->slot);
    x->slot = slot;
    x->nslot = nslot;
    return 0;
}

int servgap__index_reserve(servgap__index *x, const servgap__alloc *a, size_t extra)
{
    /* Entry numbers are stored + 1 in 32 bits; the bound also keeps the
     * slot count's doubling from overflowing. */
    size_t most = UINT32_MAX - 1 < SIZE_MAX / 8 ? UINT32_MAX - 1 : SIZE_MAX / 8;
    if (extra == 0)
        return 0;
    if (extra > most - x->count)
        return -1;
    void *p = x->key;
    if (servgap__reserve(a, &p, &x->cap, x->count + extra, sizeof *x->key) != 0)
        return -1;
    x->key = p;
    return grow_slots(x, a, x->count + extra);
}

void servgap__index_add(servgap__index *x, uint64_t k1, uint64_t k2)
{
    size_t i = probe(x->slot, x->nslot, x->key, k1, k2);
    x->key[x->count].k1 = k1;
    x->key[x->count].k2 = k2;
    x->slot[i] = (uint32_t)++x->count;
}

void servgap__index_truncate(servgap__index *x, size_t count)
{
    while (x->count > count) {
        const servgap__mapkey *k = &x->key[x->count - 1];
        x->slot[probe(x->slot, x->nslot, x->key, k->k1, k->k2)] = 0;
        x->count--;
    }
}
