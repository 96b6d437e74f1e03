/*
 * names -- FNV-1a hashed, open-addressed intern table.
 */
#include "platform.h"

#include "names.h"

#include <string.h>

void servgap__names_init(servgap__names *t)
{
    memset(t, 0, sizeof *t);
}

void servgap__names_free(servgap__names *t, const servgap__alloc *a)
{
    for (size_t i = 0; i < t->count; i++)
        servgap__free(a, t->str[i]);
    servgap__free(a, t->str);
    servgap__free(a, t->len);
    servgap__free(a, t->slot);
    servgap__names_init(t);
}

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

int32_t servgap__names_find(const servgap__names *t, const char *s, size_t len)
{
    if (t->nslot == 0)
        return -1;
    size_t mask = t->nslot - 1;
    for (size_t i = (size_t)hash(s, len) & mask;; i = (i + 1) & mask) {
        int32_t id = t->slot[i];
        if (id < 0)
            return -1;
        if (t->len[id] == len && memcmp(t->str[id], s, len) == 0)
            return id;
    }
}

static void place(int32_t *slot, size_t nslot, const servgap__names *t, int32_t id)
{
    size_t mask = nslot - 1;
    size_t i = (size_t)hash(t->str[id], t->len[id]) & mask;
    while (slot[i] >= 0)
        i = (i + 1) & mask;
    slot[i] = id;
}

/* Rebuild the slots for n ids at load <= 1/2; on failure keep the old ones. */
static int rehash(servgap__names *t, const servgap__alloc *a, size_t n)
{
    size_t nslot = 16;
    while (nslot < 2 * n)
        nslot *= 2;
    if (nslot == t->nslot)
        return 0;
    int32_t *slot = servgap__malloc(a, nslot, sizeof *slot);
    if (!slot)
        return -1;
    memset(slot, 0xff, nslot * sizeof *slot);
    for (size_t id = 0; id < n && id < t->count; id++)
        place(slot, nslot, t, (int32_t)id);
    servgap__free(a, t->slot);
    t->slot = slot;
    t->nslot = nslot;
    return 0;
}

int servgap__names_add(servgap__names *t, const servgap__alloc *a, const char *s, size_t len,
                       int32_t *id)
{
    if (t->count >= INT32_MAX)
        return -1;
    size_t cap = t->cap;
    if (cap < t->count + 1) {
        size_t c2 = cap;
        void *str = t->str, *lens = t->len;
        if (servgap__reserve(a, &str, &c2, t->count + 1, sizeof *t->str) != 0)
            return -1;
        t->str = str;
        c2 = cap;
        if (servgap__reserve(a, &lens, &c2, t->count + 1, sizeof *t->len) != 0)
            return -1;
        t->len = lens;
        t->cap = c2;
    }
    if (2 * (t->count + 1) > t->nslot && rehash(t, a, t->count + 1) != 0)
        return -1;
    char *copy = servgap__strndup(a, s, len);
    if (!copy)
        return -1;
    t->str[t->count] = copy;
    t->len[t->count] = (uint32_t)len;
    place(t->slot, t->nslot, t, (int32_t)t->count);
    *id = (int32_t)t->count++;
    return 0;
}

/* Ids are placed in id order (rehash too places 0, 1, 2, ...), so the
 * newest id sits in the first free slot of its probe with all older ones
 * placed: clearing the newest first restores the slots exactly, in time
 * proportional to the ids taken back, not to the table. */
void servgap__names_truncate(servgap__names *t, const servgap__alloc *a, size_t count)
{
    while (t->count > count) {
        int32_t id = (int32_t)(t->count - 1);
        size_t mask = t->nslot - 1;
        size_t i = (size_t)hash(t->str[id], t->len[id]) & mask;
        while (t->slot[i] != id)
            i = (i + 1) & mask;
        t->slot[i] = -1;
        servgap__free(a, t->str[id]);
        t->count--;
    }
}

/* Length of the UTF-8 sequence at s (>= 1), or 0 if malformed. Rejects
 * overlong forms, surrogates and code points above U+10FFFF. */
size_t servgap__utf8_seq(const unsigned char *s, size_t avail)
{
    unsigned c = s[0];
    size_t n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n > avail)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n;
}

size_t servgap__utf8_prefix(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len && u[i] != 0) {
        size_t n = servgap__utf8_seq(u + i, len - i);
        if (n == 0)
            break;
        i += n;
    }
    return i;
}

int servgap__name_valid(const char *s, size_t len)
{
    return len > 0 && len <= 255 && servgap__utf8_prefix(s, len) == len;
}
