/*
 * priorities -- findings, impact, effort, quadrants and rank
 * (docs/priorities.md). The impact formula is its own function so that its
 * monotonicity can be tested on any inputs. Relies on window and efforts.
 */
#ifndef SERVGAP_PRIORITIES_H
#define SERVGAP_PRIORITIES_H

#include "../model/ctx.h"

/* Impact on account health, 0..100, of a finding with size term s, value
 * term v and frequency f (each clamped to [0, 1]; NaN counts as 0):
 *
 *     impact = 100 * s^(ws/W) * v^(wv/W) * f^(wf/W),  W = ws + wv + wf
 *
 * with the weights of opt (x^0 = 1, also for x = 0), multiplied by
 * 1 + persist_boost when boosted, and capped at 100. Non-decreasing in each
 * of s, v and f; strictly increasing in one whose weight is positive while
 * the other terms are positive and the cap is not reached. */
double servgap__impact(double s, double v, double f, int boosted, const servgap__options *opt);

#endif
