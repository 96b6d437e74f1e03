/*
 * window -- one window's core result under a held read lock.
 */
#define _POSIX_C_SOURCE 200809L /* pthread rwlocks and strnlen under -std=c11 */
#include "window.h"

int64_t servgap__bound_day(int64_t t)
{
    if (t == SERVGAP_TIME_MIN)
        return INT64_MIN;
    if (t == SERVGAP_TIME_MAX)
        return INT64_MAX;
    return t / SERVGAP_DAY;
}

int servgap__is_bound(int64_t t)
{
    return t == SERVGAP_TIME_MIN || t == SERVGAP_TIME_MAX || t % SERVGAP_DAY == 0;
}

int64_t servgap__after_latest(const servgap_ctx *ctx)
{
    int64_t last = INT64_MIN;
    const servgap__store *s = &ctx->store;
    for (size_t c = 0; c < s->nchunk; c++)
        for (size_t i = 0; i < s->chunk[c].n; i++)
            if (s->chunk[c].day[i] > last)
                last = s->chunk[c].day[i];
    return last == INT64_MIN ? 0 : (last + 1) * SERVGAP_DAY;
}

int servgap__window(const servgap_ctx *ctx, const servgap__options *opt, int64_t from, int64_t to,
                    uint32_t flags, servgap_result **out)
{
    *out = NULL;
    servgap_result *r = servgap__result_new(&ctx->alloc, from, to);
    if (!r)
        return -1;
    servgap__agg agg;
    servgap__build b = {ctx, opt, &agg, r, flags};
    int rc = servgap__aggregate(ctx, servgap__bound_day(from), servgap__bound_day(to), opt,
                                (flags & SERVGAP_QUERY_BREAKDOWN) != 0, &agg);
    if (rc == 0)
        rc = servgap__build_cells(&b);
    servgap__agg_free(&agg);
    if (rc != 0) {
        servgap_result_free(r);
        return -1;
    }
    *out = r;
    return 0;
}
