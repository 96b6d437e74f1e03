/*
 * query -- the public query call: checks the window, aggregates under the
 * read lock (so queries run concurrently), then builds the result.
 */
#define _POSIX_C_SOURCE 200809L /* pthread rwlocks and strnlen under -std=c11 */
#include "cells.h"

static int day_bound(int64_t t, int64_t *day)
{
    if (t == SERVGAP_TIME_MIN || t == SERVGAP_TIME_MAX) {
        *day = t == SERVGAP_TIME_MIN ? INT64_MIN : INT64_MAX;
        return 0;
    }
    if (t % SERVGAP_DAY != 0)
        return -1;
    *day = t / SERVGAP_DAY;
    return 0;
}

SERVGAP_API int servgap_query(servgap_ctx *ctx, int64_t from, int64_t to, uint32_t flags,
                              servgap_result **out)
{
    static const char *const fn = "servgap_query";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!out)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "out is NULL");
    if (flags & ~SERVGAP_QUERY_ALL)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown flags 0x%x", (unsigned)flags);
    int64_t from_day, to_day;
    if (day_bound(from, &from_day) != 0 || day_bound(to, &to_day) != 0)
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "window [%lld, %lld) must start and end at UTC midnight",
                             (long long)from, (long long)to);
    if (from >= to)
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "window [%lld, %lld) is empty",
                             (long long)from, (long long)to);
    servgap__options opt;
    servgap__options_get(ctx, &opt);
    servgap_result *r = servgap__result_new(&ctx->alloc, from, to);
    if (!r)
        return servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    servgap__agg agg;
    servgap__build b = {ctx, &opt, &agg, r, flags ? flags : SERVGAP_QUERY_ALL};
    servgap__rdlock(ctx);
    int rc = servgap__aggregate(ctx, from_day, to_day, &opt,
                                (b.flags & SERVGAP_QUERY_BREAKDOWN) != 0, &agg);
    if (rc == 0)
        rc = servgap__build_cells(&b);
    servgap__unlock(ctx);
    servgap__agg_free(&agg);
    if (rc != 0) {
        servgap_result_free(r);
        return servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    }
    *out = r;
    return SERVGAP_OK;
}
