/*
 * helpers -- the small setup steps every suite of the public API repeats:
 * a handle, a named account, touchpoint or tier, and the handle's counts.
 * Each asserts that the call succeeded, so a test reads as its intent.
 * Also the suites' one random source, reproducible from its seed, and their
 * one failing allocator.
 */
#ifndef SERVGAP_TEST_HELPERS_H
#define SERVGAP_TEST_HELPERS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "servgap.h"

static inline servgap_ctx *new_ctx(void)
{
    servgap_ctx *ctx = NULL;
    ck_assert_int_eq(servgap_ctx_new(&ctx, NULL), SERVGAP_OK);
    ck_assert_ptr_nonnull(ctx);
    return ctx;
}

/* Define (or update) an account; tier may be NULL. */
static inline int32_t account(servgap_ctx *ctx, const char *name, const char *tier, double value)
{
    int32_t id = -1;
    ck_assert_int_eq(servgap_account_define(ctx, name, tier, value, &id), SERVGAP_OK);
    return id;
}

static inline int32_t interned(servgap_ctx *ctx, int32_t kind, const char *name)
{
    int32_t id = -1;
    ck_assert_int_eq(servgap_intern(ctx, kind, name, &id), SERVGAP_OK);
    return id;
}

static inline int32_t touchpoint(servgap_ctx *ctx, const char *name)
{
    return interned(ctx, SERVGAP_KIND_TOUCHPOINT, name);
}

static inline int32_t tier(servgap_ctx *ctx, const char *name)
{
    return interned(ctx, SERVGAP_KIND_TIER, name);
}

static inline uint64_t obs_count(servgap_ctx *ctx)
{
    uint64_t n = UINT64_MAX;
    ck_assert_int_eq(servgap_observation_count(ctx, &n), SERVGAP_OK);
    return n;
}

static inline int32_t kind_count(servgap_ctx *ctx, int32_t kind)
{
    int32_t n = -1;
    ck_assert_int_eq(servgap_count(ctx, kind, &n), SERVGAP_OK);
    return n;
}

/* xorshift64: a value in [0, n) from *state (nonzero), the same on every
 * platform, so that a failing random case can be replayed. */
static inline uint32_t test_draw(uint64_t *state, uint32_t n)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (uint32_t)(*state % n);
}

/* The failing allocator of every suite that sweeps allocation failures,
 * for servgap_ctx_new's allocator option (test_allocator). It numbers its
 * malloc and realloc calls from 1, refused ones included, and refuses call
 * fail_at (0: none) and, with fail_rest, every later call too. Each block
 * carries a header, so that it counts the blocks not given back (a leak)
 * and catches a free or realloc of a pointer it did not hand out (the
 * header's magic is gone); magic in the state checks that the library
 * passes user back. */
#define TEST_ALLOC_MAGIC 0x5e5a11c0de5e5a11ull

typedef struct test_alloc {
    uint64_t magic;
    long calls;    /* malloc and realloc calls so far, refused ones included */
    long fail_at;  /* the call to refuse, counting from 1; 0: none */
    int fail_rest; /* refuse every call after fail_at too */
    long live;     /* blocks handed out and not freed */
    long total;    /* successful allocations */
    long failed;   /* calls refused */
    long foreign;  /* frees and reallocs of pointers it did not hand out */
} test_alloc;

typedef union test_alloc_hdr {
    struct {
        uint64_t magic;
        size_t n;
    } h;
    max_align_t align; /* the block after the header stays aligned */
} test_alloc_hdr;

static inline test_alloc *test_alloc_of(void *user)
{
    test_alloc *a = user;
    ck_assert_ptr_nonnull(a);
    ck_assert_msg(a->magic == TEST_ALLOC_MAGIC, "allocator user pointer not passed back");
    return a;
}

static inline int test_alloc_refuse(test_alloc *a)
{
    long call = ++a->calls;
    int refuse = a->fail_at > 0 && (call == a->fail_at || (a->fail_rest && call > a->fail_at));
    a->failed += refuse;
    return refuse;
}

static inline void *test_alloc_malloc(void *user, size_t n)
{
    test_alloc *a = test_alloc_of(user);
    if (test_alloc_refuse(a))
        return NULL;
    test_alloc_hdr *h = malloc(sizeof *h + (n ? n : 1));
    if (!h)
        return NULL;
    h->h.magic = TEST_ALLOC_MAGIC;
    h->h.n = n;
    a->total++;
    a->live++;
    return h + 1;
}

static inline void *test_alloc_realloc(void *user, void *p, size_t n)
{
    test_alloc *a = test_alloc_of(user);
    if (!p)
        return test_alloc_malloc(user, n);
    test_alloc_hdr *h = (test_alloc_hdr *)p - 1;
    if (h->h.magic != TEST_ALLOC_MAGIC) {
        a->foreign++;
        return NULL;
    }
    if (test_alloc_refuse(a))
        return NULL;
    test_alloc_hdr *q = realloc(h, sizeof *q + (n ? n : 1));
    if (!q)
        return NULL;
    q->h.n = n;
    a->total++;
    return q + 1;
}

static inline void test_alloc_free(void *user, void *p)
{
    test_alloc *a = test_alloc_of(user);
    if (!p)
        return;
    test_alloc_hdr *h = (test_alloc_hdr *)p - 1;
    if (h->h.magic != TEST_ALLOC_MAGIC) {
        a->foreign++;
        return;
    }
    h->h.magic = 0;
    a->live--;
    free(h);
}

/* The allocator option that hands a's blocks out; a's counters and
 * failure settings are the caller's. */
static inline servgap_allocator test_allocator(test_alloc *a)
{
    a->magic = TEST_ALLOC_MAGIC;
    servgap_allocator al = {sizeof al, test_alloc_malloc, test_alloc_realloc, test_alloc_free, a};
    return al;
}

#endif
