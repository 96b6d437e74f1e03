/*
 * response -- a survey response read row by row in log order, the one way
 * both the window's scan (measure/aggregate.c) and the reduction to day
 * buckets (reduce.c) read it: each item's expected and adequate rows wait
 * for its perceived row, which pairs with them and adds the item's gap to
 * its dimension's sum; when the response ends, its importance points
 * weigh the dimensions' mean gaps into one score. Keeping the arithmetic
 * in one place is what lets a summary's buckets agree with the scan.
 * Relies on the store and metrics.
 */
#ifndef SERVGAP_RESPONSE_H
#define SERVGAP_RESPONSE_H

#include "servgap.h"

#include "metrics.h"
#include "store.h"

typedef struct servgap__response {
    int open;
    uint32_t scope, tp;
    int32_t day;
    const double *points; /* the response's importance points, or NULL */
    int32_t item_metric;
    double e, a; /* the item's expected and adequate answers, NaN until read */
    double sum[SERVGAP_DIM_COUNT];
    int64_t cnt[SERVGAP_DIM_COUNT];
} servgap__response;

/* Whether row obs ends the response being read: a new response begins,
 * or the row is not part of one. */
static inline int servgap__response_ends(const servgap__obs *obs)
{
    return (obs->bits & SERVGAP__BIT_START) || !(obs->bits & SERVGAP__BIT_RESPONSE);
}

/* Begin reading the response whose first row is row i of st, obs. */
void servgap__response_open(servgap__response *r, const servgap__store *st, uint64_t i,
                            const servgap__obs *obs);

/* Row obs of the open response. 1 when it is a perceived answer that
 * pairs with its item's expected or adequate answer (*e, *a: those, NaN
 * where absent), its gap then added to its dimension's sum; 0 otherwise. */
int servgap__response_row(servgap__response *r, const servgap__metrics *mx, const servgap__obs *obs,
                          double *e, double *a);

/* End the open response (if any): 1 with its weighted score in *score
 * when it has importance points and a paired item, 0 otherwise. */
int servgap__response_close(servgap__response *r, double *score);

#endif
