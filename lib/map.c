/*
 * map -- open addressing over dense entries.
 */
#include "map.h"

#include <stdlib.h>
#include <string.h>

void servgap__map_init(servgap__map *m, const servgap__alloc *a, size_t elem)
{
    memset(m, 0, sizeof *m);
    m->a = a;
    m->elem = elem;
}

void servgap__map_free(servgap__map *m)
{
    servgap__free(m->a, m->ent);
    servgap__free(m->a, m->slot);
    servgap__map_init(m, m->a, m->elem);
}

static uint64_t mix(uint64_t k1, uint64_t k2)
{
    uint64_t h = k1 * 0x9e3779b97f4a7c15u ^ (k2 + 0x632be59bd9b4e019u) * 0xc2b2ae3d27d4eb4fu;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9u;
    return h ^ (h >> 32);
}

static const servgap__mapkey *key_at(const servgap__map *m, size_t i)
{
    return (const servgap__mapkey *)servgap__map_at(m, i);
}

static size_t probe(const servgap__map *m, uint64_t k1, uint64_t k2)
{
    size_t mask = m->nslot - 1;
    size_t i = (size_t)mix(k1, k2) & mask;
    while (m->slot[i]) {
        const servgap__mapkey *k = key_at(m, m->slot[i] - 1);
        if (k->k1 == k1 && k->k2 == k2)
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

void *servgap__map_find(const servgap__map *m, uint64_t k1, uint64_t k2)
{
    if (m->nslot == 0)
        return NULL;
    size_t i = probe(m, k1, k2);
    return m->slot[i] ? servgap__map_at(m, m->slot[i] - 1) : NULL;
}

static int grow_slots(servgap__map *m)
{
    size_t nslot = m->nslot ? m->nslot * 2 : 64;
    uint32_t *slot = servgap__calloc(m->a, nslot, sizeof *slot);
    if (!slot)
        return -1;
    servgap__free(m->a, m->slot);
    m->slot = slot;
    m->nslot = nslot;
    for (size_t e = 0; e < m->n; e++) {
        const servgap__mapkey *k = key_at(m, e);
        m->slot[probe(m, k->k1, k->k2)] = (uint32_t)(e + 1);
    }
    return 0;
}

void *servgap__map_get(servgap__map *m, uint64_t k1, uint64_t k2, int *created)
{
    *created = 0;
    if (m->nslot) {
        size_t i = probe(m, k1, k2);
        if (m->slot[i])
            return servgap__map_at(m, m->slot[i] - 1);
    }
    if (m->n >= UINT32_MAX - 1)
        return NULL;
    void *p = m->ent;
    if (servgap__reserve(m->a, &p, &m->cap, m->n + 1, m->elem) != 0)
        return NULL;
    m->ent = p;
    if (2 * (m->n + 1) > m->nslot && grow_slots(m) != 0)
        return NULL;
    size_t i = probe(m, k1, k2);
    unsigned char *e = m->ent + m->n * m->elem;
    memset(e, 0, m->elem);
    servgap__mapkey k = {k1, k2};
    memcpy(e, &k, sizeof k);
    m->slot[i] = (uint32_t)(++m->n);
    *created = 1;
    return e;
}

static int cmp_key(const void *x, const void *y)
{
    const servgap__mapkey *a = x, *b = y;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    if (a->k2 != b->k2)
        return a->k2 < b->k2 ? -1 : 1;
    return 0;
}

void servgap__map_sort(servgap__map *m)
{
    if (m->n == 0)
        return;
    qsort(m->ent, m->n, m->elem, cmp_key);
    if (m->nslot == 0)
        return;
    /* Re-placing the sorted entries needs no memory, so it cannot fail. */
    memset(m->slot, 0, m->nslot * sizeof *m->slot);
    for (size_t e = 0; e < m->n; e++) {
        const servgap__mapkey *k = key_at(m, e);
        m->slot[probe(m, k->k1, k->k2)] = (uint32_t)(e + 1);
    }
}
