/*
 * analysis -- the analyses a query adds on top of a window's cells, each
 * implemented in the file of its concern: findings, impact, effort and rank
 * (priorities.c), Importance-Performance Analysis (ipa.c), review triggers
 * (triggers.c) and gap-persistence risk (risk.c), and what two of them
 * count as an account's open shortfalls (shortfalls.c). Each runs with the
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

/* The end of the run of cells of the scope whose first cell is i. */
size_t servgap__scope_run(const servgap_result *r, size_t i);

/* An account's significant shortfalls in its run of r's cells [i, j): each
 * (metric, gap) once, over its metric cells at every touchpoint and over all
 * touchpoints; worst is the most negative normalized value among them (NaN
 * if none). mask holds one byte of gap bits per metric, zero on entry and
 * zero again on return. */
typedef struct servgap__shortfalls {
    int64_t count;
    double worst;
} servgap__shortfalls;
servgap__shortfalls servgap__account_shortfalls(const servgap_result *r, size_t i, size_t j,
                                                uint8_t *mask);

#endif
