/*
 * map -- open addressing over dense entries, or a dense directory.
 */
#include "platform.h"

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

int servgap__map_dense(servgap__map *m, servgap__dense_fn dense, const uint32_t space[4],
                       size_t size)
{
    uint32_t *dir = servgap__calloc(m->a, size ? size : 1, sizeof *dir);
    if (!dir)
        return -1;
    m->slot = dir;
    m->nslot = size;
    m->dense = dense;
    memcpy(m->space, space, sizeof m->space);
    return 0;
}

static const servgap__mapkey *key_at(const servgap__map *m, size_t i)
{
    return (const servgap__mapkey *)servgap__map_at(m, i);
}

/* The slot of (k1, k2): its entry, or where it goes. */
static size_t probe(const servgap__map *m, uint64_t k1, uint64_t k2)
{
    if (m->dense)
        return m->dense(m->space, k1, k2);
    size_t mask = m->nslot - 1;
    size_t i = (size_t)servgap__mapkey_hash(k1, k2) & mask;
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
    if (!m->dense && 2 * (m->n + 1) > m->nslot && grow_slots(m) != 0)
        return NULL;
    size_t i = probe(m, k1, k2);
    unsigned char *e = m->ent + m->n * m->elem;
    memset(e, 0, m->elem);
    servgap__mapkey k = {k1, k2};
    memcpy(e, &k, sizeof k);
    m->slot[i] = (uint32_t)(++m->n);
    m->sorted = 0;
    *created = 1;
    return e;
}

#define MARK UINT32_MAX /* a marked directory number; entries stay below */

void servgap__map_mark(servgap__map *m, uint64_t k1, uint64_t k2)
{
    uint32_t *d = &m->slot[m->dense(m->space, k1, k2)];
    if (!*d)
        *d = MARK;
}

size_t servgap__map_next_mark(const servgap__map *m, size_t d)
{
    while (d < m->nslot && m->slot[d] != MARK)
        d++;
    return d;
}

#if defined(__GNUC__)
#define PREFETCH_WRITE(p) __builtin_prefetch((p), 1)
#else
#define PREFETCH_WRITE(p) ((void)(p))
#endif

/* Where (k1, k2) is or would go: its directory slot, or its first probe. */
static size_t first_slot(const servgap__map *m, uint64_t k1, uint64_t k2)
{
    return m->dense ? m->dense(m->space, k1, k2)
                    : (size_t)servgap__mapkey_hash(k1, k2) & (m->nslot - 1);
}

void servgap__map_prefetch_slot(const servgap__map *m, uint64_t k1, uint64_t k2)
{
    if (m->nslot)
        PREFETCH_WRITE(&m->slot[first_slot(m, k1, k2)]);
}

void servgap__map_prefetch_entry(const servgap__map *m, uint64_t k1, uint64_t k2, size_t offset)
{
    if (!m->nslot)
        return;
    uint32_t e = m->slot[first_slot(m, k1, k2)];
    if (e && e != MARK)
        PREFETCH_WRITE(m->ent + (size_t)(e - 1) * m->elem + offset);
}

static size_t count_marks(const servgap__map *m, int clear)
{
    size_t k = 0;
    for (size_t d = 0; d < m->nslot; d++)
        if (m->slot[d] == MARK) {
            k++;
            if (clear)
                m->slot[d] = 0;
        }
    return k;
}

int servgap__map_add_marked(servgap__map *m, servgap__dense_key_fn key, const void *blank)
{
    size_t k = count_marks(m, 0);
    m->sorted = m->n == 0;
    if (k == 0)
        return 0;
    void *p = m->ent;
    if (m->n + k >= UINT32_MAX - 1 || servgap__resize(m->a, &p, m->n + k, m->elem) != 0) {
        count_marks(m, 1);
        return -1;
    }
    m->ent = p;
    m->cap = m->n + k;
    for (size_t d = 0; d < m->nslot; d++) {
        if (m->slot[d] != MARK)
            continue;
        servgap__mapkey mk;
        key(m->space, d, &mk.k1, &mk.k2);
        unsigned char *e = m->ent + m->n * m->elem;
        memcpy(e, blank, m->elem);
        memcpy(e, &mk, sizeof mk);
        m->slot[d] = (uint32_t)(++m->n);
    }
    return 0;
}

static void swap(unsigned char *x, unsigned char *y, size_t len)
{
    unsigned char tmp[256];
    for (size_t off = 0; off < len; off += sizeof tmp) {
        size_t k = len - off < sizeof tmp ? len - off : sizeof tmp;
        memcpy(tmp, x + off, k);
        memcpy(x + off, y + off, k);
        memcpy(y + off, tmp, k);
    }
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

/* Entries into directory order in place, by swaps: the entries before
 * position p are final, so the one a swap displaces is still to come.
 * (Gathering into a new array instead faults in fresh pages for all.) */
static void dense_sort(servgap__map *m)
{
    size_t p = 0;
    for (size_t d = 0; d < m->nslot && p < m->n; d++) {
        if (!m->slot[d])
            continue;
        size_t e = m->slot[d] - 1;
        if (e != p) {
            swap(servgap__map_at(m, p), servgap__map_at(m, e), m->elem);
            const servgap__mapkey *k = key_at(m, e);
            m->slot[probe(m, k->k1, k->k2)] = (uint32_t)(e + 1);
        }
        m->slot[d] = (uint32_t)(++p);
    }
}

static void hash_sort(servgap__map *m)
{
    qsort(m->ent, m->n, m->elem, cmp_key);
    memset(m->slot, 0, m->nslot * sizeof *m->slot);
    for (size_t e = 0; e < m->n; e++) {
        const servgap__mapkey *k = key_at(m, e);
        m->slot[probe(m, k->k1, k->k2)] = (uint32_t)(e + 1);
    }
}

void servgap__map_sort(servgap__map *m)
{
    if (m->sorted || m->n == 0)
        return;
    if (m->dense)
        dense_sort(m);
    else
        hash_sort(m);
    m->sorted = 1;
}

int servgap__map_visit(servgap__map *m, servgap__visit_fn fn, void *arg)
{
    unsigned char buf[512];
    size_t n0 = m->n;
    if (m->elem > sizeof buf)
        return -1;
    if (!m->dense) {
        servgap__map_sort(m);
        for (size_t i = 0; i < n0; i++) {
            memcpy(buf, servgap__map_at(m, i), m->elem);
            if (fn(arg, buf) != 0)
                return -1;
        }
        return 0;
    }
    /* The directory is in key order already, and after a sort so are the
     * entries: the walk reads them in order but for those created since.
     * Entries that fn creates (index n0 and up) are skipped. */
    for (size_t d = 0; d < m->nslot; d++) {
        if (!m->slot[d] || m->slot[d] > n0)
            continue;
        memcpy(buf, servgap__map_at(m, m->slot[d] - 1), m->elem);
        if (fn(arg, buf) != 0)
            return -1;
    }
    return 0;
}

void *servgap__map_take(servgap__map *m, size_t *n)
{
    void *ent = m->ent;
    *n = m->n;
    m->ent = NULL;
    servgap__map_free(m);
    return ent;
}
