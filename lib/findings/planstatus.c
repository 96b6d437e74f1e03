/*
 * planstatus -- a query's plan rows (SERVGAP_QUERY_PLANS): every plan item
 * re-measured as of the analysis date by the rules of remeasure.h, with
 * its windows, whether it is overdue and the finding it addresses. The
 * follow-up is the W days (SERVGAP_OPT_WINDOW_DAYS) that end at now; the
 * baseline the plan's own window, else the W days before the follow-up.
 * Each distinct window is computed once, with the scope kinds its plans
 * need, however many plans share it: the default windows are shared by
 * every plan without its own. Runs under the query's read lock; stores
 * nothing on the plan items. docs/remediation.md, section 2.
 */
#include "../base/platform.h"

#include <math.h>

#include "persist.h"
#include "remeasure.h"

/* A window to compute and the scope kinds its plans need. */
typedef struct planwin {
    int64_t from, to;
    uint32_t flags;
} planwin;

/* One plan's windows (baseline [w[0], w[1]), follow-up [w[2], w[3])),
 * the indexes of those windows among the distinct ones (SIZE_MAX: empty,
 * nothing to measure) and its two sides. */
typedef struct planjob {
    int64_t w[4];
    int own;
    size_t win[2];
    servgap__side side[2];
} planjob;

/* The side of a window not measured (empty, or lacking the cell). */
static const servgap__side unmeasured = {NAN, NAN, NAN, 0, 0};

/* The windows of plan p as of now: its own baseline or the default one;
 * the follow-up starts no earlier than the baseline ends. */
static void plan_windows(const servgap__plan *p, int64_t now, int64_t days, planjob *j)
{
    int64_t last = servgap__days_before(now, days);
    j->own = p->base_from != SERVGAP_TIME_NONE;
    j->w[0] = j->own ? p->base_from : servgap__days_before(last, days);
    j->w[1] = j->own ? p->base_to : last;
    j->w[2] = j->w[1] > last ? j->w[1] : last;
    j->w[3] = now;
}

/* The index of [from, to) among wins[0 .. *n), added when new, with the
 * flags of scope kind; SIZE_MAX for an empty window. */
static size_t window_slot(planwin *wins, size_t *n, int64_t from, int64_t to, int32_t kind)
{
    uint32_t flags = kind == SERVGAP_SCOPE_TIER ? SERVGAP_QUERY_TIERS : SERVGAP_QUERY_ACCOUNTS;
    if (from >= to)
        return SIZE_MAX;
    size_t k = 0;
    while (k < *n && (wins[k].from != from || wins[k].to != to))
        k++;
    if (k == *n) {
        wins[k].from = from;
        wins[k].to = to;
        wins[k].flags = 0;
        ++*n;
    }
    wins[k].flags |= flags;
    return k;
}

/* Each distinct window's cells, once, and the sides of the plans that
 * measure in it. Sides of empty windows stay unusable. */
static int measure_all(const servgap_ctx *ctx, const servgap__options *opt, servgap__shared *sh,
                       const planwin *wins, size_t nwins, planjob *jobs)
{
    servgap_result *x = servgap__result_new(&ctx->alloc, 0, 0);
    if (!x)
        return -1;
    int rc = 0;
    for (size_t k = 0; k < nwins && rc == 0; k++) {
        rc = servgap__window_into(ctx, opt, wins[k].from, wins[k].to,
                                  wins[k].flags | SERVGAP__NO_SERVQUAL, &sh->tc, NULL, x);
        for (size_t i = 0; i < ctx->nplans && rc == 0; i++)
            for (int s = 0; s < 2; s++)
                if (jobs[i].win[s] == k)
                    servgap__side_read(x, &ctx->plans[i], &jobs[i].side[s]);
    }
    servgap_result_free(x);
    return rc;
}

/* The finding of r that p addresses: the first of its cell and gap. */
static uint64_t finding_of(const servgap_result *r, const servgap__plan *p)
{
    for (size_t i = 0; i < r->nfd; i++) {
        const servgap_finding *f = &r->fd[i];
        if (f->scope_kind == p->scope_kind && f->scope_id == p->scope_id &&
            f->touchpoint == p->tp && f->metric == p->metric && f->dimension == p->dimension &&
            f->gap == p->gap)
            return i;
    }
    return UINT64_MAX;
}

/* The outcome, numbers and next check of a plan row from its sides. */
static void fill_outcome(const servgap__options *opt, const servgap__plan *p, const planjob *j,
                         servgap_plan_status *row)
{
    servgap_remeasure m = {0};
    int followed = j->w[2] < j->w[3];
    servgap__remeasure_compare(&j->side[0], &j->side[1], p->target, opt->confidence, &m);
    row->outcome = followed ? m.outcome : SERVGAP_OUTCOME_NONE;
    row->baseline = m.baseline;
    row->followup = followed ? m.followup : NAN;
    row->change = followed ? m.change : NAN;
    row->lo = followed ? m.lo : NAN;
    row->hi = followed ? m.hi : NAN;
    row->follow_from = followed ? j->w[2] : SERVGAP_TIME_NONE;
    row->follow_to = followed ? j->w[3] : SERVGAP_TIME_NONE;
    row->next_check = servgap__add_days(followed ? j->w[3] : j->w[1], opt->window_days);
}

static int add_row(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r, size_t i,
                   const planjob *j)
{
    const servgap__plan *p = &ctx->plans[i];
    servgap_plan_status *row =
        servgap__result_add_plan(r, ctx->owners.str[p->owner], ctx->owners.len[p->owner]);
    if (!row)
        return -1;
    row->plan = (int32_t)i;
    row->scope_kind = p->scope_kind;
    row->scope_id = p->scope_id;
    row->touchpoint = p->tp;
    row->metric = p->metric;
    row->dimension = p->dimension;
    row->gap = p->gap;
    row->own_baseline = j->own;
    row->deadline = p->deadline;
    row->target = p->target;
    row->base_from = j->w[0];
    row->base_to = j->w[1];
    fill_outcome(opt, p, j, row);
    row->overdue = p->deadline != SERVGAP_TIME_NONE && p->deadline < r->now &&
                   row->outcome != SERVGAP_OUTCOME_CLOSED;
    row->finding = finding_of(r, p);
    return 0;
}

int servgap__plans_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                         servgap__shared *sh)
{
    size_t n = ctx->nplans, nwins = 0;
    if (n == 0)
        return 0;
    planjob *jobs = servgap__calloc(&ctx->alloc, n, sizeof *jobs);
    planwin *wins = servgap__calloc(&ctx->alloc, 2 * n, sizeof *wins);
    int rc = jobs && wins ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const servgap__plan *p = &ctx->plans[i];
        planjob *j = &jobs[i];
        plan_windows(p, r->now, opt->window_days, j);
        j->win[0] = window_slot(wins, &nwins, j->w[0], j->w[1], p->scope_kind);
        j->win[1] = window_slot(wins, &nwins, j->w[2], j->w[3], p->scope_kind);
        j->side[0] = j->side[1] = unmeasured;
    }
    if (rc == 0)
        rc = measure_all(ctx, opt, sh, wins, nwins, jobs);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = add_row(ctx, opt, r, i, &jobs[i]);
    servgap__free(&ctx->alloc, jobs);
    servgap__free(&ctx->alloc, wins);
    return rc;
}
