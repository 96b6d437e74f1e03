/*
 * response -- a survey response read row by row (response.h).
 */
#include "../base/platform.h"

#include "response.h"

#include <math.h>
#include <string.h>

void servgap__response_open(servgap__response *r, const servgap__store *st, uint64_t i,
                            const servgap__obs *obs)
{
    memset(r, 0, sizeof *r);
    r->open = 1;
    r->scope = obs->scope;
    r->tp = obs->tp;
    r->day = obs->day;
    r->points = servgap__store_points(st, i);
    r->item_metric = -1;
}

int servgap__response_row(servgap__response *r, const servgap__metrics *mx, const servgap__obs *obs,
                          double *e, double *a)
{
    int vp = SERVGAP__BITS_VP(obs->bits);
    if (r->item_metric != obs->metric) {
        r->item_metric = obs->metric;
        r->e = r->a = NAN;
    }
    if (vp == SERVGAP_VP_EXPECTED)
        r->e = obs->value;
    else if (vp == SERVGAP_VP_ADEQUATE)
        r->a = obs->value;
    if (vp != SERVGAP_VP_PERCEIVED || (isnan(r->e) && isnan(r->a)))
        return 0;
    if (!isnan(r->e)) {
        const servgap__metric *m = &mx->m[obs->metric];
        r->sum[m->dimension] += servgap__orient(m, obs->value) - servgap__orient(m, r->e);
        r->cnt[m->dimension]++;
    }
    *e = r->e;
    *a = r->a;
    return 1;
}

int servgap__response_close(servgap__response *r, double *score)
{
    if (!r->open)
        return 0;
    r->open = 0;
    if (!r->points)
        return 0;
    double num = 0.0, den = 0.0;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        if (r->cnt[d] == 0)
            continue;
        num += r->points[d] * (r->sum[d] / (double)r->cnt[d]);
        den += r->points[d];
    }
    if (den <= 0.0)
        return 0;
    *score = num / den;
    return 1;
}
