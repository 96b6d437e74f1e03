/*
 * store -- the observation log: raw observations in columnar chunks of at
 * most 65,536 rows, 25 bytes a row, so that any window of whole days is
 * answered exactly by a scan and merging is an append. Growth is reserved
 * before anything is written, so an append of a validated batch cannot fail
 * half way. Relies on alloc only: ids are opaque integers here.
 */
#ifndef SERVGAP_STORE_H
#define SERVGAP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "../base/alloc.h"

#define SERVGAP__CHUNK_MAX 65536u

/* scope: an account id, or a tier id with this bit set. */
#define SERVGAP__SCOPE_TIER 0x80000000u
/* touchpoint column value for "any touchpoint"; ALL is the roll-up over
 * touchpoints, never stored but used in query keys. */
#define SERVGAP__TP_ANY 0xffffu
#define SERVGAP__TP_ALL 0xfffeu

/* bits: viewpoint (0-2), driver (3-5), row of a response (6), first row of
 * a response (7). A response's rows are contiguous: per item expected,
 * adequate, perceived, each when answered. */
#define SERVGAP__BITS_VP(b)     ((int)((b)&7u))
#define SERVGAP__BITS_DRIVER(b) ((int)(((b) >> 3) & 7u))
#define SERVGAP__BIT_RESPONSE   0x40u
#define SERVGAP__BIT_START      0x80u
/* A withdrawal of a declaration (standard, promised) is a row of that
 * viewpoint with the start bit alone, which no response row has; its value
 * is 0, its driver none and its team -1. */
#define SERVGAP__BITS_WITHDRAWAL SERVGAP__BIT_START
#define SERVGAP__IS_WITHDRAWAL(b)                                                                  \
    (((b) & (SERVGAP__BIT_START | SERVGAP__BIT_RESPONSE)) == SERVGAP__BIT_START)

typedef struct servgap__obs {
    double value;
    int32_t day;
    uint32_t scope;
    uint16_t tp, metric;
    int32_t team; /* -1: none */
    uint8_t bits;
} servgap__obs;

typedef struct servgap__chunk {
    size_t n, cap;
    double *value;
    int32_t *day;
    uint32_t *scope;
    uint16_t *tp, *metric;
    int32_t *team;
    uint8_t *bits;
} servgap__chunk;

/* Importance points of one response, keyed by the index of its first row. */
typedef struct servgap__points {
    uint64_t row;
    double p[5];
} servgap__points;

typedef struct servgap__store {
    servgap__chunk *chunk;
    size_t nchunk, capchunk;
    uint64_t count;
    servgap__points *pts;
    size_t npts, cappts;
} servgap__store;

void servgap__store_init(servgap__store *s);
void servgap__store_free(servgap__store *s, const servgap__alloc *a);

/* Make room for extra more rows (and extra_pts point sets); -1 on failure,
 * with the log unchanged. After success the next pushes cannot fail. */
int servgap__store_reserve(servgap__store *s, const servgap__alloc *a, uint64_t extra,
                           size_t extra_pts);
void servgap__store_push(servgap__store *s, const servgap__obs *r);
void servgap__store_push_points(servgap__store *s, uint64_t row, const double *p);

/* Forget rows >= count and points of those rows (rollback). */
void servgap__store_truncate(servgap__store *s, uint64_t count);

/* Row i (i < count). */
void servgap__store_get(const servgap__store *s, uint64_t i, servgap__obs *r);

/* Row k of chunk c (k < c->n). */
static inline void servgap__store_chunk_get(const servgap__chunk *c, size_t k, servgap__obs *r)
{
    r->value = c->value[k];
    r->day = c->day[k];
    r->scope = c->scope[k];
    r->tp = c->tp[k];
    r->metric = c->metric[k];
    r->team = c->team[k];
    r->bits = c->bits[k];
}

/* Points of the response starting at row, or NULL. */
const double *servgap__store_points(const servgap__store *s, uint64_t row);

/* The latest day of any row, or INT64_MIN when there is none. */
int64_t servgap__store_last_day(const servgap__store *s);

/* Bytes held for rows and points (capacity, not just use). */
uint64_t servgap__store_bytes(const servgap__store *s);

#endif
