/*
 * scan -- the passes over the log's rows in a window: the marking of a
 * dense group table's groups, and the scan that adds each row to its
 * group: the moments of its viewpoint and its negative count, its paired
 * co-moments, its respondent's weighted score and its facet row. Over a
 * dense, premade group table the pass can be split across threads by
 * scope: each thread adds the rows of the scopes it owns, in log order, so
 * every group, response and facet receives the same additions in the same
 * order as on one thread, and the parts join into the same bytes. Relies
 * on agg.
 */
#ifndef SERVGAP_SCAN_H
#define SERVGAP_SCAN_H

#include "agg.h"

/* What a scan adds rows to. */
typedef struct servgap__scanto {
    servgap__agg *agg;      /* groups (hashed, or dense and premade), pairs, resp */
    const double *cut;      /* per metric: oriented negative-response threshold */
    servgap__facetscan *fs; /* facets over the dense group table, or */
    servgap__map *fmap;     /* facets hashed, or neither */
} servgap__scanto;

/* Add the rows the window to->agg->reads reads to to's tables, in log
 * order, on up to `threads` threads (servgap__scan_threads), agg->pairs
 * and agg->resp being empty before. sel has room for SERVGAP__CHUNK_MAX
 * offsets. The caller holds the read lock. 0, or -1 when memory ran out
 * or the call was interrupted (the tables are then only safe to free). */
int servgap__scan(const servgap_ctx *ctx, const servgap__options *opt, const servgap__scanto *to,
                  size_t threads, uint16_t *sel);

/* How many threads a pass over rows rows may use: what opt allows, but
 * no more than one per SERVGAP__SPLIT_ROWS rows (ctx->scan_split_rows
 * when tests set it), and 1 below two such. */
#define SERVGAP__SPLIT_ROWS 65536u
size_t servgap__split_threads(const servgap_ctx *ctx, const servgap__options *opt, uint64_t rows);

/* As servgap__split_threads for a scan into to: 1 unless its group table
 * is dense and premade and its facets (if any) are bucketed. */
size_t servgap__scan_threads(const servgap_ctx *ctx, const servgap__options *opt,
                             const servgap__scanto *to, uint64_t rows);

/* Mark in the dense directory of m the group of every row the window rd
 * reads, and count those rows into *rows and their facet rows into
 * *nfacet, on `threads` threads: each marks the rows of a range of
 * accounts (the tier-wide rows with the last), so no two write one
 * directory number. sel as for servgap__scan. The caller holds the read
 * lock. 0, or -1 when memory ran out or the call was interrupted (the
 * marks are then incomplete). */
int servgap__mark_window(const servgap_ctx *ctx, const servgap__options *opt, servgap__map *m,
                         const servgap__reads *rd, size_t threads, uint16_t *sel, uint64_t *rows,
                         uint64_t *nfacet);

#endif
