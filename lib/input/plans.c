/*
 * plans -- remediation plan items: each names the cell and gap type of a
 * finding, an owner (interned in ctx->owners), a deadline, a target and
 * optionally the baseline window it is re-measured against. Re-measuring
 * them is findings/remeasure.c and findings/planstatus.c; the CSV plans
 * table is import_plans.c. Relies on ctx. docs/remediation.md states the
 * rules.
 */
#include "../base/platform.h"

#include "plans.h"

#include <math.h>
#include <string.h>

#include "../model/sized.h"
#include "../base/numtext.h"

static const char *const fn_add = "servgap_plan_add";
static const char *const fn_info = "servgap_plan_info";

const char *servgap__plan_window_fault(int64_t from, int64_t to)
{
    if (from == SERVGAP_TIME_NONE && to == SERVGAP_TIME_NONE)
        return NULL;
    if (from == SERVGAP_TIME_NONE || to == SERVGAP_TIME_NONE)
        return "needs both ends, or neither";
    if (from % SERVGAP_DAY != 0 || to % SERVGAP_DAY != 0)
        return "must start and end at UTC midnight";
    if (from >= to)
        return "must end after it starts";
    return NULL;
}

/* Checks that need no handle state: owner, target, gap, baseline window. */
static int check_plain(servgap_ctx *ctx, const servgap_plan *p)
{
    if (!p->owner)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn_add, "owner is NULL");
    if (!servgap__name_valid(p->owner, strnlen(p->owner, 256)))
        return servgap__fail(ctx, SERVGAP_EINVAL, fn_add,
                             "owner must be 1..255 bytes of valid UTF-8");
    if (p->gap < 0 || p->gap >= SERVGAP_GAP_COUNT)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn_add, "unknown gap %d", (int)p->gap);
    if (!isfinite(p->target))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn_add, "target %s is not finite",
                             SERVGAP__NUM(p->target));
    const char *why = servgap__plan_window_fault(p->baseline_from, p->baseline_to);
    if (why)
        return servgap__fail(ctx, SERVGAP_ERANGE, fn_add, "baseline window [%lld, %lld) %s",
                             (long long)p->baseline_from, (long long)p->baseline_to, why);
    return SERVGAP_OK;
}

/* Checks the ids against the handle (write lock held) and fills *out; the
 * dimension of a metric cell is the metric's, whatever the caller passed,
 * so that plan_info shows what servgap_result_find will match. */
static int check_ids(servgap_ctx *ctx, const servgap_plan *p, servgap__plan *out)
{
    uint32_t scope;
    int rc = servgap__scope_encode(ctx, fn_add, p->scope_kind, p->scope_id, &scope);
    if (rc != SERVGAP_OK)
        return rc;
    if (p->touchpoint != SERVGAP_ALL &&
        (p->touchpoint < 0 || (size_t)p->touchpoint >= ctx->touchpoints.count))
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn_add, "unknown touchpoint id %d",
                             (int)p->touchpoint);
    int32_t dim = p->dimension;
    if (p->metric == SERVGAP_ALL) {
        if (dim < 0 || dim >= SERVGAP_DIM_COUNT)
            return servgap__fail(ctx, SERVGAP_EINVAL, fn_add,
                                 "unknown dimension %d of a dimension roll-up", (int)dim);
    } else if (p->metric < 0 || (size_t)p->metric >= ctx->metrics.names.count) {
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn_add, "unknown metric id %d",
                             (int)p->metric);
    } else {
        dim = ctx->metrics.m[p->metric].dimension;
    }
    servgap__plan q = {
        -1,        p->scope_kind,    p->scope_id,          p->touchpoint, p->metric,
        dim,       p->gap,           SERVGAP_OUTCOME_NONE, p->deadline,   SERVGAP_TIME_NONE,
        p->target, p->baseline_from, p->baseline_to};
    *out = q;
    return SERVGAP_OK;
}

/* Room for the item first, then the owner: a failure after the growth
 * leaves only spare capacity behind, and an unused owner name, which
 * nothing refers to. */
int servgap__plan_append(servgap_ctx *ctx, servgap__plan p, const char *owner, size_t len,
                         int32_t *id)
{
    void *arr = ctx->plans;
    if (servgap__reserve(&ctx->alloc, &arr, &ctx->capplans, ctx->nplans + 1, sizeof p) != 0)
        return -1;
    ctx->plans = arr;
    p.owner = servgap__names_find(&ctx->owners, owner, len);
    if (p.owner < 0 && servgap__names_add(&ctx->owners, &ctx->alloc, owner, len, &p.owner) != 0)
        return -1;
    ctx->plans[ctx->nplans] = p;
    *id = (int32_t)ctx->nplans++;
    return 0;
}

static int add_locked(servgap_ctx *ctx, const servgap_plan *p, int32_t *id)
{
    servgap__plan q;
    int rc = check_ids(ctx, p, &q);
    if (rc != SERVGAP_OK)
        return rc;
    if (ctx->nplans >= INT32_MAX)
        return servgap__fail(ctx, SERVGAP_ELIMIT, fn_add, "more than 2^31-1 plan items");
    if (servgap__plan_append(ctx, q, p->owner, strlen(p->owner), id) != 0)
        return servgap__fail(ctx, SERVGAP_ENOMEM, fn_add, "out of memory");
    return SERVGAP_OK;
}

SERVGAP_API int servgap_plan_add(servgap_ctx *ctx, const servgap_plan *plan, int32_t *id)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!plan || !id || !servgap__sized_ok(plan, SERVGAP__SIZE_1_0_PLAN))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn_add,
                             "plan or id is NULL, or plan->size is smaller than the 1.0 layout");
    /* p holds the defaults of any field an older caller's struct lacks:
     * a 1.0 or 1.1 caller's plan has no baseline window. An empty window
     * is none too, so that a zeroed struct (a designated initializer
     * written for 1.1) means what it meant then. */
    servgap_plan p;
    memset(&p, 0, sizeof p);
    servgap__sized_in(&p, plan, sizeof p, SERVGAP__SIZE_1_0_PLAN);
    if (p.baseline_from == p.baseline_to)
        p.baseline_from = p.baseline_to = SERVGAP_TIME_NONE;
    int rc = check_plain(ctx, &p);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__wrlock(ctx);
    rc = add_locked(ctx, &p, id);
    servgap__unlock(ctx);
    return rc;
}

SERVGAP_API int servgap_plan_count(servgap_ctx *ctx, int32_t *count)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!count)
        return servgap__fail(ctx, SERVGAP_EMISUSE, "servgap_plan_count", "count is NULL");
    servgap__rdlock(ctx);
    *count = (int32_t)ctx->nplans;
    servgap__unlock(ctx);
    return SERVGAP_OK;
}

SERVGAP_API int servgap_plan_info(servgap_ctx *ctx, int32_t id, servgap_plan *out)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!servgap__sized_ok(out, SERVGAP__SIZE_1_0_PLAN))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn_info,
                             "out is NULL or out->size is smaller than the 1.0 layout");
    servgap__rdlock(ctx);
    int found = id >= 0 && (size_t)id < ctx->nplans;
    servgap__plan p;
    const char *owner = NULL;
    if (found) {
        p = ctx->plans[id];
        owner = ctx->owners.str[p.owner];
    }
    servgap__unlock(ctx);
    if (!found)
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn_info, "unknown plan id %d", (int)id);
    servgap_plan full;
    memset(&full, 0, sizeof full);
    full.owner = owner;
    full.scope_kind = p.scope_kind;
    full.scope_id = p.scope_id;
    full.touchpoint = p.tp;
    full.metric = p.metric;
    full.dimension = p.dimension;
    full.gap = p.gap;
    full.deadline = p.deadline;
    full.target = p.target;
    full.last_outcome = p.last_outcome;
    full.next_check = p.next_check;
    full.baseline_from = p.base_from;
    full.baseline_to = p.base_to;
    return servgap__sized_out(out, &full, sizeof full, SERVGAP__SIZE_1_0_PLAN);
}
