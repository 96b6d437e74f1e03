/*
 * merge -- the one merge of a handle's contents into another, shared by
 * servgap_ctx_merge and the snapshot loader (which decodes into a private
 * handle and merges that), so that both follow the same rules.
 */
#ifndef SERVGAP_MERGE_H
#define SERVGAP_MERGE_H

#include "../model/ctx.h"

/* Merge everything src knows into dst: names, metrics, accounts (attributes
 * dst lacks), importance (allocations dst lacks), observations and response
 * points (appended in src order), efforts (keys dst lacks) and plan items
 * (appended). All or nothing: on failure dst is as before and the message,
 * prefixed with func, is on dst; src_label ("src", "the snapshot") names
 * src in messages. The caller holds dst's write lock and keeps src from
 * changing; src must be a consistent handle (unique names, allocations and
 * effort keys, ids in range). */
int servgap__merge_locked(servgap_ctx *dst, const servgap_ctx *src, const char *func,
                          const char *src_label);

#endif
