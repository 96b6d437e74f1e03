/*
 * analysis -- the analyses a query adds on top of a window's cells, each
 * implemented in the file of its concern: findings, impact, effort and rank
 * (priorities.c), Importance-Performance Analysis (ipa.c), review triggers
 * (triggers.c), gap-persistence risk (risk.c) and the plan items
 * re-measured (planstatus.c), and what two of them count as an account's
 * open shortfalls (shortfalls.c). Each runs with the
 * read lock held, may compute further windows through the query's shared
 * state sh (persist.h), and returns 0, or -1 when memory ran out.
 */
#ifndef SERVGAP_ANALYSIS_H
#define SERVGAP_ANALYSIS_H

#include "../measure/window.h"

typedef struct servgap__shared servgap__shared; /* persist.h */

int servgap__priorities_build(const servgap_ctx *ctx, const servgap__options *opt,
                              servgap_result *r, servgap__shared *sh);
int servgap__ipa_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r);
int servgap__triggers_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                            servgap__shared *sh);
int servgap__risk_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                        servgap__shared *sh);
/* Every plan item re-measured as of r->now (planstatus.c), each row
 * naming the finding of r it addresses. */
int servgap__plans_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                         servgap__shared *sh);

/* The end of the run of cells of the scope whose first cell is i. */
size_t servgap__scope_run(const servgap_result *r, size_t i);

/* An account's significant shortfalls in its run of r's cells [i, j),
 * counting the gap types whose bits are in gaps (1 << SERVGAP_GAP_*): each
 * (metric, gap) once, over its metric cells at every touchpoint and over all
 * touchpoints; worst is the most negative normalized value among them (NaN
 * if none). mask holds one byte of gap bits per metric, zero on entry and
 * zero again on return. */
typedef struct servgap__shortfalls {
    int64_t count;
    double worst;
} servgap__shortfalls;
servgap__shortfalls servgap__account_shortfalls(const servgap_result *r, size_t i, size_t j,
                                                unsigned gaps, uint8_t *mask);

/* One of an account's open shortfalls: where it is and how large. */
typedef struct servgap__shortfall {
    int32_t touchpoint, metric, gap;
    double normalized;
} servgap__shortfall;

/* The largest (most negative normalized) of the account's open shortfalls
 * that servgap__account_shortfalls counts, each (metric, gap) once at the
 * touchpoint where it is largest: up to three into out, largest first
 * (ties by metric, then gap); returns how many. */
size_t servgap__account_worst(const servgap_result *r, size_t i, size_t j, unsigned gaps,
                              servgap__shortfall out[3]);

/* Every gap type, and those measured on each window's own tickets and
 * answers: knowledge and standards compare the survey look-back with the
 * declarations in force, which read the same data in every window until
 * the next wave or declaration (docs/remediation.md, section 4). */
#define SERVGAP__GAPS_ALL ((1u << SERVGAP_GAP_COUNT) - 1u)
#define SERVGAP__GAPS_MEASURED                                                                     \
    (SERVGAP__GAPS_ALL & ~(1u << SERVGAP_GAP_KNOWLEDGE | 1u << SERVGAP_GAP_STANDARDS))

/* One series of a trend (trends.c): a cell, one of its gaps, and the
 * finding it follows (UINT64_MAX for a cell a caller named). */
typedef struct servgap__series {
    int32_t scope_kind, scope_id, touchpoint, metric, dimension, gap;
    uint64_t finding;
} servgap__series;

/* The series that follows finding f, the finding-th. */
static inline servgap__series servgap__series_of_finding(const servgap_finding *f, uint64_t finding)
{
    servgap__series s = {f->scope_kind, f->scope_id, f->touchpoint, f->metric,
                         f->dimension,  f->gap,      finding};
    return s;
}

/* The group key k1 of cell (kind, id, tp, metric), metric 0 for a
 * dimension roll-up (a tier's cells come from its pooled groups): k1 >> 16
 * is the cell's (scope, touchpoint) run. */
uint64_t servgap__cell_group(int32_t kind, int32_t id, int32_t tp, int32_t metric);

/* Append to r the rows of series s[0 .. n): opt->trend_windows windows of
 * opt->window_days days ending at r->now, with the t quantiles tc (or
 * NULL). With sh (or NULL) the windows' cells go into its scratch
 * results, and when it has the findings' series (series_of), s are r's
 * findings in rank order and the windows whose points the persistence
 * windows recorded are read there (persist.h). The caller holds the read
 * lock. 0, or -1 when memory ran out. */
int servgap__trends_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r,
                          servgap__tcache *tc, const servgap__series *s, size_t n,
                          servgap__shared *sh);

/* The series of each of r's findings, in rank order, with sh's memo and
 * recorded points. */
int servgap__trends_of_findings(const servgap_ctx *ctx, const servgap__options *opt,
                                servgap_result *r, servgap__shared *sh);

/* The places of series s[0 .. n) in the order of their cells in a result,
 * for servgap__trend_points; NULL when memory ran out. */
size_t *servgap__series_sorted(const servgap_ctx *ctx, const servgap__series *s, size_t n);

/* Each series' point in w, the cells of its window: its gap, or an
 * insufficient point where w has no such cell. Series order[x]'s goes to
 * t[order[x] * stride], whose labels stay untouched. One walk of w's cells
 * (order from servgap__series_sorted), not a search per series. */
void servgap__trend_points(const servgap_result *w, const servgap__series *s, const size_t *order,
                           size_t n, servgap_trend *t, size_t stride);

#endif
