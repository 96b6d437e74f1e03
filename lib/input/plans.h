/*
 * plans -- what the ways a plan item comes in share: servgap_plan_add, the
 * CSV plans table (import_plans.c) and the snapshot decoder check a
 * baseline window by one rule, and the first two append an item by one
 * function. Relies on ctx.
 */
#ifndef SERVGAP_PLANS_H
#define SERVGAP_PLANS_H

#include "../model/ctx.h"

/* NULL when [from, to) is a plan's baseline window as a handle stores it
 * (both ends SERVGAP_TIME_NONE: none; or UTC midnights with from < to),
 * else what is wrong with it, as a phrase ("must end after it starts").
 * servgap_plan_add takes any empty window for none before it asks. */
const char *servgap__plan_window_fault(int64_t from, int64_t to);

/* Append p, whose ids the caller has checked, with its owner (1..255 bytes
 * of valid UTF-8, interned) and store its id in *id. The caller holds the
 * write lock. 0, or -1 when memory ran out: then only spare capacity and
 * perhaps the owner's name were added (a servgap__mark rolls both back). */
int servgap__plan_append(servgap_ctx *ctx, servgap__plan p, const char *owner, size_t len,
                         int32_t *id);

#endif
