/*
 * buckets -- the day-bucket tables (buckets.h): arrays in the order of
 * first addition, each with its hashed index; a bucket that exists is
 * merged into with Chan's formula, one that does not is appended as a
 * copy, so merging a table into an empty one reproduces it bit for bit.
 */
#include "../base/platform.h"

#include "buckets.h"

#include <math.h>
#include <string.h>

void servgap__buckets_init(servgap__buckets *b)
{
    memset(b, 0, sizeof *b);
    servgap__index_init(&b->seriesix);
    servgap__index_init(&b->daysix);
    servgap__index_init(&b->pairsix);
    servgap__index_init(&b->respix);
    b->negative_share = NAN;
    b->last_day = INT64_MIN;
}

void servgap__buckets_free(servgap__buckets *b, const servgap__alloc *a)
{
    servgap__free(a, b->series);
    servgap__free(a, b->days);
    servgap__free(a, b->pairs);
    servgap__free(a, b->resp);
    servgap__index_free(&b->seriesix, a);
    servgap__index_free(&b->daysix, a);
    servgap__index_free(&b->pairsix, a);
    servgap__index_free(&b->respix, a);
    servgap__buckets_init(b);
}

int servgap__buckets_empty(const servgap__buckets *b)
{
    return b->nseries == 0 && b->npairs == 0 && b->nresp == 0;
}

static uint64_t day_k2(int32_t day)
{
    return (uint64_t)(uint32_t)day;
}

int64_t servgap__bseries_find(const servgap__buckets *b, uint64_t key, uint64_t code)
{
    return servgap__index_find(&b->seriesix, key, code);
}

int64_t servgap__bday_find(const servgap__buckets *b, uint32_t series, int32_t day)
{
    return servgap__index_find(&b->daysix, series, day_k2(day));
}

int64_t servgap__bpair_find(const servgap__buckets *b, uint64_t key, int32_t day)
{
    return servgap__index_find(&b->pairsix, key, day_k2(day));
}

int64_t servgap__bresp_find(const servgap__buckets *b, uint64_t key, int32_t day)
{
    return servgap__index_find(&b->respix, key, day_k2(day));
}

/* Room for extra more entries in one table and its index. */
static int reserve_one(const servgap__alloc *a, void **p, size_t *cap, size_t n, size_t extra,
                       size_t size, servgap__index *x)
{
    if (extra == 0)
        return 0;
    if (extra > UINT32_MAX - 1 - n || servgap__reserve(a, p, cap, n + extra, size) != 0)
        return -1;
    return servgap__index_reserve(x, a, extra);
}

int servgap__buckets_reserve(servgap__buckets *b, const servgap__alloc *a, size_t series,
                             size_t days, size_t pairs, size_t resp)
{
    void *ps = b->series, *pd = b->days, *pp = b->pairs, *pr = b->resp;
    int rc =
        reserve_one(a, &ps, &b->capseries, b->nseries, series, sizeof *b->series, &b->seriesix);
    b->series = ps;
    if (rc == 0)
        rc = reserve_one(a, &pd, &b->capdays, b->ndays, days, sizeof *b->days, &b->daysix);
    b->days = pd;
    if (rc == 0)
        rc = reserve_one(a, &pp, &b->cappairs, b->npairs, pairs, sizeof *b->pairs, &b->pairsix);
    b->pairs = pp;
    if (rc == 0)
        rc = reserve_one(a, &pr, &b->capresp, b->nresp, resp, sizeof *b->resp, &b->respix);
    b->resp = pr;
    return rc;
}

uint32_t servgap__bseries_get(servgap__buckets *b, uint64_t key, uint64_t code)
{
    int64_t i = servgap__bseries_find(b, key, code);
    if (i >= 0)
        return (uint32_t)i;
    servgap__index_add(&b->seriesix, key, code);
    b->series[b->nseries].key = key;
    b->series[b->nseries].code = code;
    return (uint32_t)b->nseries++;
}

static void saw_day(servgap__buckets *b, int32_t day)
{
    if (day > b->last_day)
        b->last_day = day;
}

void servgap__bday_merge(servgap__buckets *b, uint32_t series, int32_t day,
                         const servgap__moments *m)
{
    int64_t i = servgap__bday_find(b, series, day);
    if (i >= 0) {
        servgap__moments_merge(&b->days[i].m, m);
        return;
    }
    servgap__index_add(&b->daysix, series, day_k2(day));
    servgap__bday *d = &b->days[b->ndays++];
    d->series = series;
    d->day = day;
    d->m = *m;
    saw_day(b, day);
}

void servgap__bpair_merge(servgap__buckets *b, uint64_t key, int32_t day,
                          const servgap__comoments *pe, const servgap__comoments *pa)
{
    int64_t i = servgap__bpair_find(b, key, day);
    if (i >= 0) {
        servgap__comoments_merge(&b->pairs[i].pe, pe);
        servgap__comoments_merge(&b->pairs[i].pa, pa);
        return;
    }
    servgap__index_add(&b->pairsix, key, day_k2(day));
    servgap__bpair *p = &b->pairs[b->npairs++];
    p->key = key;
    p->day = day;
    p->pe = *pe;
    p->pa = *pa;
    saw_day(b, day);
}

void servgap__bresp_merge(servgap__buckets *b, uint64_t key, int32_t day,
                          const servgap__moments *sqw, const double *points)
{
    int64_t i = servgap__bresp_find(b, key, day);
    servgap__bresp *r;
    if (i >= 0) {
        r = &b->resp[i];
        servgap__moments_merge(&r->sqw, sqw);
    } else {
        servgap__index_add(&b->respix, key, day_k2(day));
        r = &b->resp[b->nresp++];
        r->key = key;
        r->day = day;
        r->sqw = *sqw;
        memset(r->points, 0, sizeof r->points);
        saw_day(b, day);
    }
    for (int d = 0; d < 5; d++)
        r->points[d] += points[d];
}
