/*
 * memo -- a table from short names (1..24 bytes, no NUL byte) to an id and
 * one more integer, for look-ups that repeat a few thousand names millions
 * of times, as the name columns of a CSV import do. Each entry holds its
 * name inline, zero-padded, in a 32-byte slot aligned so that it never
 * straddles two cache lines: a hit costs one line. The intern table
 * (names) cannot do this, as it keeps each string in its own allocation,
 * nor can a map, whose keys are 16 bytes and whose entries are reached
 * through their slot. Relies on alloc.
 *
 * The look-ups are inline because they run several times per row of a
 * file; what adds or frees memory is in memo.c.
 */
#ifndef SERVGAP_MEMO_H
#define SERVGAP_MEMO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

#define SERVGAP__MEMO_KEY_WORDS 3
#define SERVGAP__MEMO_KEY_BYTES 24 /* SERVGAP__MEMO_KEY_WORDS * 8 */

typedef struct servgap__memo_slot {
    /* The name, zero-padded. Names hold no NUL byte, so equal keys mean
     * equal names; key[0] == 0 marks an empty slot. */
    uint64_t key[SERVGAP__MEMO_KEY_WORDS];
    int32_t id, aux;
} servgap__memo_slot;

/* All zero is an empty memo. */
typedef struct servgap__memo {
    void *raw;                /* the allocation; slot is raw aligned to a cache line */
    servgap__memo_slot *slot; /* so that no slot straddles two lines */
    size_t nslot, n;          /* nslot: a power of two, or 0 */
} servgap__memo;

/* The key of s[0..len), or 0 when the name is empty or too long to be
 * memoized. SERVGAP__MEMO_KEY_BYTES bytes must be readable from s, len or
 * not: the key is its words as loaded, with the bytes past its end masked
 * off. Masks come from a table, so the key is the same in either byte
 * order. */
static inline int servgap__memo_key(const char *s, size_t len, uint64_t *key)
{
    static const unsigned char keep[2 * SERVGAP__MEMO_KEY_BYTES] = {
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255};
    if (len == 0 || len > SERVGAP__MEMO_KEY_BYTES)
        return 0;
    for (size_t k = 0; k < SERVGAP__MEMO_KEY_WORDS; k++) {
        uint64_t w, m;
        memcpy(&w, s + sizeof w * k, sizeof w);
        memcpy(&m, keep + SERVGAP__MEMO_KEY_BYTES - len + sizeof m * k, sizeof m);
        key[k] = w & m;
    }
    return 1;
}

/* The first slot to probe for key among nslot (a power of two). */
static inline size_t servgap__memo_index(const uint64_t *key, size_t nslot)
{
    uint64_t h = key[0] * 0x9e3779b97f4a7c15u;
    h = (h ^ key[1] ^ h >> 29) * 0xbf58476d1ce4e5b9u;
    h = (h ^ key[2] ^ h >> 31) * 0x94d049bb133111ebu;
    return (size_t)(h ^ h >> 32) & (nslot - 1);
}

/* The slot of key in m (m->nslot > 0): its entry, or the empty slot where
 * it would go. */
static inline servgap__memo_slot *servgap__memo_probe(const servgap__memo *m, const uint64_t *key)
{
    size_t mask = m->nslot - 1;
    for (size_t i = servgap__memo_index(key, m->nslot);; i = (i + 1) & mask) {
        const uint64_t *k = m->slot[i].key;
        if (k[0] == 0 || (k[0] == key[0] && k[1] == key[1] && k[2] == key[2]))
            return &m->slot[i];
    }
}

/* The id of s[0..len) in m (and its aux in *aux), or -1. Readable bytes
 * as for servgap__memo_key. */
static inline int32_t servgap__memo_find(const servgap__memo *m, const char *s, size_t len,
                                         int32_t *aux)
{
    uint64_t key[SERVGAP__MEMO_KEY_WORDS];
    if (m->n == 0 || !servgap__memo_key(s, len, key))
        return -1;
    const servgap__memo_slot *e = servgap__memo_probe(m, key);
    if (e->key[0] == 0)
        return -1;
    *aux = e->aux;
    return e->id;
}

/* Start loading the slot of s[0..len) ahead of its look-up. Only a hint:
 * s need not be a checked name (readable bytes as above). */
static inline void servgap__memo_prefetch(const servgap__memo *m, const char *s, size_t len)
{
#if defined(__GNUC__) || defined(__clang__)
    uint64_t key[SERVGAP__MEMO_KEY_WORDS];
    if (m->n > 0 && servgap__memo_key(s, len, key))
        __builtin_prefetch(&m->slot[servgap__memo_index(key, m->nslot)]);
#else
    (void)m;
    (void)s;
    (void)len;
#endif
}

/* Add entry e (a key from servgap__memo_key), or replace the entry of its
 * key. 0, or -1 when memory ran out (m is then unchanged). */
int servgap__memo_put(servgap__memo *m, const servgap__alloc *a, const servgap__memo_slot *e);

/* Free m's memory and leave it empty. */
void servgap__memo_free(servgap__memo *m, const servgap__alloc *a);

#endif
