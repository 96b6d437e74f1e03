/*
 * memo -- growing and freeing the memo of short names; the look-ups are
 * inline in memo.h.
 */
#include "platform.h"

#include "memo.h"

/* Double m's slots, keeping load at most 1/2; -1 when allocation fails. */
static int memo_grow(servgap__memo *m, const servgap__alloc *a)
{
    const size_t line = 64;
    size_t nslot = m->nslot ? 2 * m->nslot : 16;
    char *raw =
        servgap__calloc(a, nslot + line / sizeof(servgap__memo_slot), sizeof(servgap__memo_slot));
    if (!raw)
        return -1;
    servgap__memo old = *m;
    m->raw = raw;
    m->slot = (servgap__memo_slot *)(raw + (line - (uintptr_t)raw % line) % line);
    m->nslot = nslot;
    for (size_t i = 0; i < old.nslot; i++)
        if (old.slot[i].key[0] != 0)
            *servgap__memo_probe(m, old.slot[i].key) = old.slot[i];
    servgap__free(a, old.raw);
    return 0;
}

int servgap__memo_put(servgap__memo *m, const servgap__alloc *a, const servgap__memo_slot *e)
{
    if (2 * (m->n + 1) > m->nslot && memo_grow(m, a) != 0)
        return -1;
    servgap__memo_slot *at = servgap__memo_probe(m, e->key);
    m->n += at->key[0] == 0;
    *at = *e;
    return 0;
}

void servgap__memo_free(servgap__memo *m, const servgap__alloc *a)
{
    servgap__free(a, m->raw);
    memset(m, 0, sizeof *m);
}
