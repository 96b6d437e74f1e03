/*
 * merge -- the one merge of a handle's contents into another, shared by
 * servgap_ctx_merge and the snapshot loader (which decodes into a private
 * handle and merges that), so that both follow the same rules.
 */
#ifndef SERVGAP_MERGE_H
#define SERVGAP_MERGE_H

#include "../model/ctx.h"

/* The kinds of names a merge maps from src's ids to dst's. */
enum {
    SERVGAP__MAP_TIER,
    SERVGAP__MAP_TP,
    SERVGAP__MAP_TEAM,
    SERVGAP__MAP_METRIC,
    SERVGAP__MAP_ACCOUNT,
    SERVGAP__MAP_OWNER,
    SERVGAP__MAP_COUNT
};

/* A merge of src into dst in two steps: the look, which reads both
 * handles, and the append, which changes dst (merge.c says why). */
typedef struct servgap__merge_job {
    servgap_ctx *dst, *src;
    const char *func, *label;
    int32_t *map[SERVGAP__MAP_COUNT]; /* src id -> dst id; -1: a name dst lacks */
    size_t fresh_names[SERVGAP__MAP_COUNT];
    uint8_t *fresh; /* per src allocation, then per src effort: dst lacks its key */
    size_t fresh_imp, fresh_eff;
    uint32_t *series;                /* per src bucket series: its index in dst's table */
    uint64_t dst_writes, src_writes; /* the handles' write-lock counts at the look */
    int relooks;                     /* looks redone because a writer came in between */
} servgap__merge_job;

/* A merge of src into dst; func prefixes messages (reported on dst), and
 * src_label ("src", "the snapshot") names src in them. */
void servgap__merge_init(servgap__merge_job *m, servgap_ctx *dst, servgap_ctx *src,
                         const char *func, const char *src_label);
void servgap__merge_free(servgap__merge_job *m);

/* The look, under the read locks of both handles: conflicts, limits, the
 * ids src's names have in dst, the allocations and efforts dst lacks.
 * Changes nothing. */
int servgap__merge_begin(servgap__merge_job *m);

/* The append, under dst's write lock and src's read lock: everything src
 * knows, as servgap_ctx_merge documents, all or nothing. If either handle
 * was written since the look, the look is redone first. */
int servgap__merge_finish(servgap__merge_job *m);

/* Both steps. src must be a consistent handle (unique names, allocations
 * and effort keys, ids in range, its tables indexed); the caller holds no
 * lock of either. */
int servgap__merge(servgap_ctx *dst, servgap_ctx *src, const char *func, const char *src_label);

#endif
