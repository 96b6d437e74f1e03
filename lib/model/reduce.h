/*
 * reduce -- the observation log's rows of a range of days into day
 * buckets (buckets.h), as a window's scan reads them (measure/aggregate.c):
 * each row's moments per viewpoint with its negative answer counted by the
 * metric's cut, its team or driver facet, and a response's paired
 * co-moments and weighted SERVQUAL score. Declarations (standard, promised
 * and their withdrawals) are left to the caller: they stay raw. Relies on
 * the store, metrics and buckets.
 */
#ifndef SERVGAP_REDUCE_H
#define SERVGAP_REDUCE_H

#include "buckets.h"
#include "metrics.h"
#include "store.h"

/* 1 for a declaration row (standard, promised, or a withdrawal of one). */
static inline int servgap__row_declared(uint8_t bits)
{
    int vp = SERVGAP__BITS_VP(bits);
    return vp == 3 || vp == 5; /* SERVGAP_VP_STANDARD, SERVGAP_VP_PROMISED */
}

/* Add the rows of st with a day in [from_day, to_day) (INT64_MIN /
 * INT64_MAX: unbounded), but declarations, to b, in log order, counting a
 * value negative below its metric's cut at negative_share. 0, or -1 when
 * memory ran out (b then holds part of them: the caller discards it). */
int servgap__reduce_log(const servgap__store *st, const servgap__metrics *mx,
                        const servgap__alloc *a, int64_t from_day, int64_t to_day,
                        double negative_share, servgap__buckets *b);

#endif
