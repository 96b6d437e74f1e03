/*
 * rank -- the order of a result's findings and their root causes
 * (docs/priorities.md, sections 8 and 9): which account findings repeat
 * their tier's finding, and the rank of every finding. priorities builds
 * and scores the findings; this file only orders them.
 */
#ifndef SERVGAP_RANK_H
#define SERVGAP_RANK_H

#include "../model/ctx.h"

/* A scored finding on its way into the result. */
typedef struct servgap__cand {
    servgap_finding f;
    size_t acc;    /* its first affected account in the builder's list of ids */
    size_t self;   /* its place in build order (by cell, then gap) */
    size_t root;   /* the build-order place of its root, or SIZE_MAX */
    size_t key[2]; /* its place in the final order */
} servgap__cand;

/* Put c[0 .. n), given in build order (by cell; within a cell by gap, a
 * no-standard finding last), into rank order and fill each finding's
 * rank, root, members and members_value; r is the result whose cells
 * they are. 0, or -1 when memory ran out (c is then in some order). */
int servgap__rank(const servgap_ctx *ctx, const servgap__options *opt, const servgap_result *r,
                  servgap__cand *c, size_t n);

#endif
