/*
 * helpers -- the small setup steps every suite of the public API repeats:
 * a handle, a named account, touchpoint or tier, and the handle's counts.
 * Each asserts that the call succeeded, so a test reads as its intent.
 * Also the suites' one random source, reproducible from its seed.
 */
#ifndef SERVGAP_TEST_HELPERS_H
#define SERVGAP_TEST_HELPERS_H

#include <check.h>
#include <stdint.h>

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

#endif
