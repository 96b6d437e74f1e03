/*
 * snapread -- the cursor a snapshot is decoded with (snapread.h): bounded
 * reads, counts checked against the bytes left, unique keys, and the first
 * failure kept with its message. Relies on ctx, names and bytes.
 */
#include "../base/platform.h"

#include "snapread.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int servgap__snap_corrupt(servgap__snapreader *r, size_t at, const char *fmt, ...)
{
    if (r->rc != SERVGAP_OK)
        return r->rc;
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->rc =
        servgap__fail(r->ctx, SERVGAP_ECORRUPT, r->func, "%.300s%ssection '%s' at offset %zu: %s",
                      r->path ? r->path : "", r->path ? ": " : "", r->sec, at, msg);
    return r->rc;
}

int servgap__snap_oom(servgap__snapreader *r)
{
    if (r->rc == SERVGAP_OK)
        r->rc = servgap__fail(r->ctx, SERVGAP_ENOMEM, r->func, "out of memory");
    return r->rc;
}

const uint8_t *servgap__snap_take(servgap__snapreader *r, size_t n)
{
    if (r->rc != SERVGAP_OK)
        return NULL;
    if (r->end - r->pos < n) {
        servgap__snap_corrupt(r, r->pos, "%zu bytes needed, %zu left in the section", n,
                              r->end - r->pos);
        return NULL;
    }
    const uint8_t *q = r->p + r->pos;
    r->pos += n;
    return q;
}

uint32_t servgap__snap_u32(servgap__snapreader *r)
{
    const uint8_t *q = servgap__snap_take(r, 4);
    return q ? servgap__get_u32(q) : 0;
}

int32_t servgap__snap_i32(servgap__snapreader *r)
{
    const uint8_t *q = servgap__snap_take(r, 4);
    return q ? servgap__get_i32(q) : 0;
}

uint64_t servgap__snap_u64(servgap__snapreader *r)
{
    const uint8_t *q = servgap__snap_take(r, 8);
    return q ? servgap__get_u64(q) : 0;
}

int64_t servgap__snap_i64(servgap__snapreader *r)
{
    const uint8_t *q = servgap__snap_take(r, 8);
    return q ? servgap__get_i64(q) : 0;
}

double servgap__snap_f64(servgap__snapreader *r)
{
    const uint8_t *q = servgap__snap_take(r, 8);
    return q ? servgap__get_f64(q) : 0.0;
}

size_t servgap__snap_name(servgap__snapreader *r, char out[256])
{
    size_t at = r->pos;
    const uint8_t *q = servgap__snap_take(r, 1);
    size_t len = q ? *q : 0;
    const uint8_t *s = servgap__snap_take(r, len);
    if (!s)
        return 0;
    if (!servgap__name_valid((const char *)s, len)) {
        servgap__snap_corrupt(r, at, "a name that is not 1..255 bytes of valid UTF-8");
        return 0;
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return len;
}

static size_t left(const servgap__snapreader *r)
{
    return r->end - r->pos;
}

int servgap__snap_count_fits(servgap__snapreader *r, size_t at, uint64_t n, size_t min,
                             uint64_t limit)
{
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (n > left(r) / min)
        return servgap__snap_corrupt(r, at, "%llu entries cannot fit in the %zu bytes left",
                                     (unsigned long long)n, left(r));
    if (n > limit)
        return servgap__snap_corrupt(r, at, "%llu entries exceed the limit of %llu",
                                     (unsigned long long)n, (unsigned long long)limit);
    return SERVGAP_OK;
}

int servgap__snap_count_exact(servgap__snapreader *r, size_t at, uint64_t n, size_t size)
{
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (left(r) % size != 0 || n != left(r) / size)
        return servgap__snap_corrupt(r, at,
                                     "%llu entries of %zu bytes do not match the %zu bytes left",
                                     (unsigned long long)n, size, left(r));
    return SERVGAP_OK;
}

/* Keys of entries that must be unique, with their entry index. */
typedef struct keyed {
    uint64_t key;
    size_t i;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The first entry, in input order, whose key an earlier entry has:
 * its index, n if none, or -1 when out of memory. Sorting keeps this
 * O(n log n) for large tables. */
static int64_t first_repeat(const servgap__alloc *a, const uint64_t *keys, size_t n)
{
    keyed *k = servgap__malloc(a, n, sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++) {
        k[i].key = keys[i];
        k[i].i = i;
    }
    qsort(k, n, sizeof *k, keyed_cmp);
    size_t first = n;
    for (size_t i = 1; i < n; i++)
        if (k[i].key == k[i - 1].key && k[i].i < first)
            first = k[i].i;
    servgap__free(a, k);
    return (int64_t)first;
}

int servgap__snap_unique(servgap__snapreader *r, const uint64_t *keys, size_t n, size_t base,
                         size_t size, const char *what)
{
    int64_t dup = first_repeat(&r->t->alloc, keys, n);
    if (dup < 0)
        return servgap__snap_oom(r);
    if ((size_t)dup < n)
        return servgap__snap_corrupt(r, base + (size_t)dup * size,
                                     "entry %lld repeats the %s of an earlier one", (long long)dup,
                                     what);
    return SERVGAP_OK;
}
