/*
 * efforts -- the effort table and its public calls. A key is (gap,
 * touchpoint, metric), each SERVGAP_ALL as a wildcard; a look-up takes the
 * matching key with the highest specificity score (gap 4, metric 2,
 * touchpoint 1). The scores are distinct powers of two, so two different
 * matching keys never tie, and replacing on an equal key keeps keys unique:
 * the winner is always a single entry, whatever the order of the table.
 */
#include "../base/platform.h"

#include "efforts.h"

#include <math.h>

#include "../base/numtext.h"
#include "../model/limits.h"
#include "../model/tables.h"

/* Why these numbers (1 easy .. 5 hard): listening to customers
 * (knowledge), re-aligning promises (communication) and managing how
 * service is perceived (perception) are cheap changes; rewriting a
 * standard needs cross-team agreement; changing what is delivered needs
 * staffing, tooling or process; an unexplained service or adequacy
 * shortfall has no known cause yet, so it sits in the middle. */
static const double default_effort[SERVGAP_GAP_COUNT] = {
    [SERVGAP_GAP_SERVICE] = 3.0,  [SERVGAP_GAP_KNOWLEDGE] = 2.0,     [SERVGAP_GAP_STANDARDS] = 3.0,
    [SERVGAP_GAP_DELIVERY] = 4.0, [SERVGAP_GAP_COMMUNICATION] = 2.0, [SERVGAP_GAP_PERCEPTION] = 2.0,
    [SERVGAP_GAP_ADEQUACY] = 3.0,
};

double servgap__effort_default(int32_t gap)
{
    return gap >= 0 && gap < SERVGAP_GAP_COUNT ? default_effort[gap] : 3.0;
}

/* The specificity of key e for a look-up, or -1 when it does not match. */
static int score(const servgap__effort *e, int32_t gap, int32_t tp, int32_t metric)
{
    int s = 0;
    if (e->gap != SERVGAP_ALL) {
        if (e->gap != gap)
            return -1;
        s += 4;
    }
    if (e->metric != SERVGAP_ALL) {
        if (e->metric != metric)
            return -1;
        s += 2;
    }
    if (e->tp != SERVGAP_ALL) {
        if (e->tp != tp)
            return -1;
        s += 1;
    }
    return s;
}

/* A key matches when each of its fields is SERVGAP_ALL or the look-up's,
 * so the keys that can match are the eight that take each field from one
 * or the other: probing those (through the table's index) and keeping the
 * best score picks the entry a scan of the whole table would. */
double servgap__effort_lookup(const servgap_ctx *ctx, int32_t gap, int32_t tp, int32_t metric)
{
    int best = -1;
    double effort = servgap__effort_default(gap);
    for (int own = 0; own < 8 && ctx->neff > 0; own++) {
        const servgap__effort *e =
            servgap__effort_find(ctx, own & 4 ? gap : SERVGAP_ALL, own & 1 ? tp : SERVGAP_ALL,
                                 own & 2 ? metric : SERVGAP_ALL);
        int s = e ? score(e, gap, tp, metric) : -1;
        if (e && s > best) {
            best = s;
            effort = e->effort;
        }
    }
    return effort;
}

int servgap__effort_check(servgap_ctx *ctx, const char *func, int32_t gap, int32_t tp,
                          int32_t metric, double effort)
{
    if (gap != SERVGAP_ALL && (gap < 0 || gap >= SERVGAP_GAP_COUNT))
        return servgap__fail(ctx, SERVGAP_EINVAL, func,
                             "gap %d is neither a SERVGAP_GAP_* type nor SERVGAP_ALL", (int)gap);
    if (tp != SERVGAP_ALL && (tp < 0 || (size_t)tp >= ctx->touchpoints.count))
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, func,
                             "unknown touchpoint id %d (SERVGAP_ALL is the wildcard)", (int)tp);
    if (metric != SERVGAP_ALL && (metric < 0 || (size_t)metric >= ctx->metrics.names.count))
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, func,
                             "unknown metric id %d (SERVGAP_ALL is the wildcard)", (int)metric);
    if (!isfinite(effort) || effort <= 0.0)
        return servgap__fail(ctx, SERVGAP_ERANGE, func, "effort %s must be finite and > 0",
                             SERVGAP__NUM(effort));
    if (!servgap__effort_in_limits(effort))
        return servgap__fail(ctx, SERVGAP_ERANGE, func,
                             "effort %s is outside " SERVGAP__EFFORT_LIMITS_TEXT
                             " (SERVGAP_EFFORT_MIN, SERVGAP_EFFORT_MAX)",
                             SERVGAP__NUM(effort));
    return SERVGAP_OK;
}

int servgap__effort_put(servgap_ctx *ctx, int32_t gap, int32_t tp, int32_t metric, double effort)
{
    servgap__effort *e = (servgap__effort *)servgap__effort_find(ctx, gap, tp, metric);
    servgap__effort add = {gap, tp, metric, effort};
    if (e)
        e->effort = effort;
    else if (servgap__effort_reserve(ctx, 1) != 0)
        return -1;
    else
        servgap__effort_append(ctx, &add);
    return 0;
}

SERVGAP_API int servgap_effort_set(servgap_ctx *ctx, int32_t gap, int32_t touchpoint,
                                   int32_t metric, double effort)
{
    static const char *const fn = "servgap_effort_set";
    if (!ctx)
        return SERVGAP_EMISUSE;
    servgap__wrlock(ctx);
    int rc = servgap__effort_check(ctx, fn, gap, touchpoint, metric, effort);
    if (rc == SERVGAP_OK && servgap__effort_put(ctx, gap, touchpoint, metric, effort) != 0)
        rc = servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    servgap__unlock(ctx);
    return rc;
}

SERVGAP_API int servgap_effort_get(servgap_ctx *ctx, int32_t gap, int32_t touchpoint,
                                   int32_t metric, double *effort)
{
    static const char *const fn = "servgap_effort_get";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!effort)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "effort is NULL");
    if (gap == SERVGAP_ALL)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn,
                             "gap must be a SERVGAP_GAP_* type: a finding has one");
    servgap__rdlock(ctx);
    int rc = servgap__effort_check(ctx, fn, gap, touchpoint, metric, 1.0);
    if (rc == SERVGAP_OK)
        *effort = servgap__effort_lookup(ctx, gap, touchpoint, metric);
    servgap__unlock(ctx);
    return rc;
}
