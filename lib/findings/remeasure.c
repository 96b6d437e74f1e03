/*
 * remeasure -- a plan item's gap re-measured: the plan's cell is computed
 * in a baseline and a follow-up window under the read lock, the gap is
 * compared between them with an interval built from the two windows'
 * independent standard errors, and the outcome is stored on the item under
 * the write lock. The rules (remeasure.h) are here too, as a query with
 * SERVGAP_QUERY_PLANS applies them (planstatus.c). Relies on window (cells
 * of any window) and stats. docs/remediation.md states the rules.
 */
#include "../base/platform.h"

#include "remeasure.h"

#include <math.h>
#include <string.h>

#include "../model/sized.h"

static const char *const fn_re = "servgap_plan_remeasure";

int64_t servgap__add_days(int64_t t, int64_t days)
{
    if (days > 0 && t > INT64_MAX - days * SERVGAP_DAY)
        return INT64_MAX;
    return t + days * SERVGAP_DAY;
}

void servgap__side_read(const servgap_result *r, const servgap__plan *p, servgap__side *s)
{
    s->value = s->se = s->df = NAN;
    s->span = 0;
    s->usable = 0;
    size_t i;
    if (servgap_result_find(r, p->scope_kind, p->scope_id, p->tp, p->metric, p->dimension, &i) !=
        SERVGAP_OK)
        return;
    servgap__gaprec g;
    servgap__cellrow_gap(r, &r->cells[i], p->gap, &g);
    s->value = g.value;
    s->se = g.se;
    s->df = g.df;
    s->span = g.span;
    s->usable = isfinite(s->value) && isfinite(s->se) && s->se >= 0.0 &&
                (g.flags & SERVGAP_GAPFLAG_SUFFICIENT);
}

/* Computes the window's cells and reads the plan's row; -1 when memory ran
 * out. The read lock is held. */
static int measure(const servgap_ctx *ctx, const servgap__options *opt, const servgap__plan *p,
                   int64_t from, int64_t to, servgap__side *s)
{
    servgap_result *r;
    uint32_t flags =
        p->scope_kind == SERVGAP_SCOPE_TIER ? SERVGAP_QUERY_TIERS : SERVGAP_QUERY_ACCOUNTS;
    if (servgap__window(ctx, opt, from, to, flags, &r) != 0)
        return -1;
    servgap__side_read(r, p, s);
    servgap_result_free(r);
    return 0;
}

/* The change's df: the windows are independent samples. */
static double combined_df(const servgap__side *b, const servgap__side *f)
{
    const double var[2] = {b->se * b->se, f->se * f->se};
    const double df[2] = {b->df, f->df};
    return servgap__satterthwaite_df(var, df, 2);
}

/* Outcome precedence: unknown, closed (point estimate at or above the
 * target: the target is the embedder's operational bar, and the interval
 * is reported for a stricter reading), worsened, improved, unchanged. Rows
 * covering different links (a joined span in one window only) cannot be
 * compared. */
void servgap__remeasure_compare(const servgap__side *b, const servgap__side *f, double target,
                                double confidence, servgap_remeasure *out)
{
    out->baseline = b->value;
    out->followup = f->value;
    out->change = f->value - b->value;
    out->lo = out->hi = NAN;
    if (isfinite(b->se) && isfinite(f->se) && isfinite(out->change)) {
        servgap__interval iv;
        servgap__interval_from_se(out->change, sqrt(b->se * b->se + f->se * f->se),
                                  combined_df(b, f), confidence, &iv);
        out->lo = iv.lo;
        out->hi = iv.hi;
    }
    if (!b->usable || !f->usable || b->span != f->span)
        out->outcome = SERVGAP_OUTCOME_UNKNOWN;
    else if (f->value >= target)
        out->outcome = SERVGAP_OUTCOME_CLOSED;
    else if (out->hi < 0.0)
        out->outcome = SERVGAP_OUTCOME_WORSENED;
    else if (out->lo > 0.0)
        out->outcome = SERVGAP_OUTCOME_IMPROVED;
    else
        out->outcome = SERVGAP_OUTCOME_UNCHANGED;
}

static int check_windows(servgap_ctx *ctx, const int64_t w[4])
{
    for (int k = 0; k < 4; k++)
        if (!servgap__is_bound(w[k]))
            return servgap__fail(ctx, SERVGAP_ERANGE, fn_re, "%s %lld is not a UTC midnight",
                                 k == 0   ? "base_from"
                                 : k == 1 ? "base_to"
                                 : k == 2 ? "follow_from"
                                          : "follow_to",
                                 (long long)w[k]);
    if (w[0] >= w[1] || w[2] >= w[3])
        return servgap__fail(ctx, SERVGAP_ERANGE, fn_re, "%s window is empty",
                             w[0] >= w[1] ? "baseline" : "follow-up");
    if (w[1] > w[2])
        return servgap__fail(ctx, SERVGAP_ERANGE, fn_re,
                             "follow-up window starts before the baseline window ends");
    return SERVGAP_OK;
}

/* Both windows under one read lock, so they see the same log. */
static int measure_both(servgap_ctx *ctx, const servgap__options *opt, int32_t id,
                        const int64_t w[4], servgap__plan *p, servgap__side *b, servgap__side *f,
                        int64_t *end)
{
    servgap__rdlock(ctx);
    int found = id >= 0 && (size_t)id < ctx->nplans, rc = 0;
    int ok = servgap__buckets_check(ctx, opt, fn_re);
    if (ok != SERVGAP_OK) {
        servgap__unlock(ctx);
        return ok;
    }
    if (found) {
        *p = ctx->plans[id];
        rc = measure(ctx, opt, p, w[0], w[1], b);
        if (rc == 0)
            rc = measure(ctx, opt, p, w[2], w[3], f);
        *end = w[3] != SERVGAP_TIME_MAX ? w[3] : servgap__after_latest(ctx);
    }
    servgap__unlock(ctx);
    if (!found)
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn_re, "unknown plan id %d", (int)id);
    if (rc != 0)
        return servgap__fail_run(ctx, opt, fn_re);
    return SERVGAP_OK;
}

SERVGAP_API int servgap_plan_remeasure(servgap_ctx *ctx, int32_t id, int64_t base_from,
                                       int64_t base_to, int64_t follow_from, int64_t follow_to,
                                       servgap_remeasure *out)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!servgap__sized_ok(out, SERVGAP__SIZE_1_0_REMEASURE))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn_re,
                             "out is NULL or out->size is smaller than the 1.0 layout");
    const int64_t w[4] = {base_from, base_to, follow_from, follow_to};
    int rc = check_windows(ctx, w);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__options opt;
    servgap__options_get(ctx, &opt);
    servgap__plan p = {0};
    servgap__side b = {0}, f = {0};
    int64_t end = 0;
    if ((rc = measure_both(ctx, &opt, id, w, &p, &b, &f, &end)) != SERVGAP_OK)
        return rc;
    servgap_remeasure res;
    memset(&res, 0, sizeof res);
    servgap__remeasure_compare(&b, &f, p.target, opt.confidence, &res);
    res.next_check = servgap__add_days(end, opt.window_days);
    servgap__wrlock(ctx);
    ctx->plans[id].last_outcome = res.outcome;
    ctx->plans[id].next_check = res.next_check;
    servgap__unlock(ctx);
    return servgap__sized_out(out, &res, sizeof res, SERVGAP__SIZE_1_0_REMEASURE);
}
