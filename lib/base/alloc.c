/*
 * alloc -- overflow-checked wrappers over the injected allocator.
 */
#include "platform.h"

#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

/* The default allocator asks the kernel for transparent huge pages for
 * blocks of HUGE_BLOCK bytes or more (docs/api.md, "Huge pages"). A query of
 * 10M observations writes about 7 GB of fresh memory, and a first touch
 * in 4 kB pages costs from 0.4 s a GB on a quiet host to 2.8 s a GB on
 * a virtual machine whose page faults go through the hypervisor, more
 * than the query's arithmetic; in 2 MB pages, 0.09 s. The advice covers
 * the block's whole pages: a block the C library mapped on its own is
 * then one mapping with one advice, which it can still grow in place
 * (mremap moves only a single mapping). */
#define HUGE_BLOCK ((size_t)4 << 20)

static void *advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    long page = sysconf(_SC_PAGESIZE);
    if (p && n >= HUGE_BLOCK && page > 0) {
        /* From the start of the page p is in to the end of the last page
         * the block reaches; a failure leaves the default pages. */
        uintptr_t mask = (uintptr_t)page - 1, head = (uintptr_t)p & mask;
        size_t whole = (head + n + mask) & ~mask;
        (void)madvise((unsigned char *)p - head, whole, MADV_HUGEPAGE);
    }
#else
    (void)n;
#endif
    return p;
}

static void *std_malloc(void *user, size_t n)
{
    (void)user;
    return advise_huge(malloc(n), n);
}

static void *std_realloc(void *user, void *p, size_t n)
{
    (void)user;
    return advise_huge(realloc(p, n), n);
}

static void std_free(void *user, void *p)
{
    (void)user;
    free(p);
}

void servgap__alloc_default(servgap__alloc *a)
{
    a->malloc_fn = std_malloc;
    a->realloc_fn = std_realloc;
    a->free_fn = std_free;
    a->user = NULL;
}

void *servgap__malloc(const servgap__alloc *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    return a->malloc_fn(a->user, bytes ? bytes : 1);
}

void *servgap__calloc(const servgap__alloc *a, size_t n, size_t size)
{
    void *p = servgap__malloc(a, n, size);
    if (p && n != 0 && size != 0)
        memset(p, 0, n * size);
    return p;
}

int servgap__resize(const servgap__alloc *a, void **p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return -1;
    size_t bytes = n * size;
    void *q = *p ? a->realloc_fn(a->user, *p, bytes ? bytes : 1)
                 : a->malloc_fn(a->user, bytes ? bytes : 1);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

int servgap__reserve(const servgap__alloc *a, void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap && *p)
        return 0;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (servgap__resize(a, p, c, size) != 0)
        return -1;
    *cap = c;
    return 0;
}

void servgap__free(const servgap__alloc *a, void *p)
{
    if (p)
        a->free_fn(a->user, p);
}

char *servgap__strndup(const servgap__alloc *a, const char *s, size_t len)
{
    char *d = servgap__malloc(a, len + 1, 1);
    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}
