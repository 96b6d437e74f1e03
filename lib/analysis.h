/*
 * analysis -- the analyses a query adds on top of a window's cells, each
 * implemented in the file of its concern: findings, impact, effort and rank
 * (priorities.c), Importance-Performance Analysis (ipa.c), review triggers
 * (triggers.c) and gap-persistence risk (risk.c). Each runs with the read
 * lock held, may compute further windows through servgap__window, and
 * returns 0, or -1 when memory ran out.
 */
#ifndef SERVGAP_ANALYSIS_H
#define SERVGAP_ANALYSIS_H

#include "window.h"

int servgap__priorities_build(const servgap_ctx *ctx, const servgap__options *opt,
                              servgap_result *r);
int servgap__ipa_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r);
int servgap__triggers_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r);
int servgap__risk_build(const servgap_ctx *ctx, const servgap__options *opt, servgap_result *r);

#endif
