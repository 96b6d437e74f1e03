/*
 * tables -- the handle's keyed tables, importance allocations (by scope
 * and whose) and efforts (by gap, touchpoint and metric), found through
 * their hashed indexes (base/index) and appended only here, so that a
 * table and its index always hold the same entries. Rollback
 * (servgap__mark_rollback in ctx) truncates both. Relies on ctx.
 */
#ifndef SERVGAP_TABLES_H
#define SERVGAP_TABLES_H

#include "ctx.h"

/* The allocation of (scope, whose), or NULL. */
const servgap__importance *servgap__importance_find(const servgap_ctx *ctx, uint32_t scope,
                                                    int32_t whose);

/* Room for extra more allocations in the table and its index. 0, or -1
 * when memory ran out (the table is then unchanged). */
int servgap__importance_reserve(servgap_ctx *ctx, size_t extra);

/* Append e, whose key the table lacks; room was reserved. */
void servgap__importance_append(servgap_ctx *ctx, const servgap__importance *e);

/* The effort of exactly key (gap, tp, metric), SERVGAP_ALL matching only
 * SERVGAP_ALL, or NULL. */
const servgap__effort *servgap__effort_find(const servgap_ctx *ctx, int32_t gap, int32_t tp,
                                            int32_t metric);

/* As for allocations. */
int servgap__effort_reserve(servgap_ctx *ctx, size_t extra);
void servgap__effort_append(servgap_ctx *ctx, const servgap__effort *e);

/* Index tables that were filled directly, each key once (the snapshot
 * decoder fills its private handle so, then checks the keys unique). 0,
 * or -1 when memory ran out. */
int servgap__tables_reindex(servgap_ctx *ctx);

#endif
