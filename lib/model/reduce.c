/*
 * reduce -- the log into day buckets. The arithmetic is the aggregate's
 * scan (measure/aggregate.c) with the day added to every key: Welford
 * additions in log order, a response's items paired as its rows come, its
 * weighted score closed when the next response or row begins. A window's
 * fold of these buckets (measure/buckets.c) then merges what the scan
 * would have added, which is why the two agree to rounding.
 */
#include "../base/platform.h"

#include "reduce.h"

#include "response.h"

#include <math.h>
#include <string.h>

#include "servgap.h"

typedef struct reducer {
    const servgap__store *st;
    const servgap__metrics *mx;
    const servgap__alloc *a;
    const double *cut;
    servgap__buckets *b;
    servgap__response rs;
} reducer;

/* The moments of bucket (key, code, day), made empty on first use. */
static servgap__moments *day_moments(reducer *r, uint64_t key, uint64_t code, int32_t day)
{
    servgap__buckets *b = r->b;
    int64_t s = servgap__bseries_find(b, key, code), i = -1;
    if (s >= 0)
        i = servgap__bday_find(b, (uint32_t)s, day);
    if (i >= 0)
        return &b->days[i].m;
    if (servgap__buckets_reserve(b, r->a, s < 0, 1, 0, 0) != 0)
        return NULL;
    servgap__moments none;
    servgap__moments_init(&none);
    servgap__bday_merge(b, servgap__bseries_get(b, key, code), day, &none);
    return &b->days[b->ndays - 1].m;
}

static servgap__bpair *day_pairs(reducer *r, uint64_t key, int32_t day)
{
    servgap__buckets *b = r->b;
    int64_t i = servgap__bpair_find(b, key, day);
    if (i >= 0)
        return &b->pairs[i];
    if (servgap__buckets_reserve(b, r->a, 0, 0, 1, 0) != 0)
        return NULL;
    servgap__comoments none;
    servgap__comoments_init(&none);
    servgap__bpair_merge(b, key, day, &none, &none);
    return &b->pairs[b->npairs - 1];
}

/* Close the open response: its weighted score joins its (scope, tp, day). */
static int resp_flush(reducer *r)
{
    double score;
    if (!servgap__response_close(&r->rs, &score))
        return 0;
    servgap__buckets *b = r->b;
    uint64_t key = servgap__bkey(r->rs.scope, r->rs.tp, SERVGAP__METRIC_ALL);
    int64_t i = servgap__bresp_find(b, key, r->rs.day);
    if (i < 0) {
        static const double zero[5];
        servgap__moments none;
        servgap__moments_init(&none);
        if (servgap__buckets_reserve(b, r->a, 0, 0, 0, 1) != 0)
            return -1;
        servgap__bresp_merge(b, key, r->rs.day, &none, zero);
        i = (int64_t)b->nresp - 1;
    }
    servgap__moments_add(&b->resp[i].sqw, score);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        b->resp[i].points[d] += r->rs.points[d];
    return 0;
}

/* Pairs a response row with the item's earlier expected/adequate rows. */
static int resp_row(reducer *r, uint64_t key, const servgap__obs *obs)
{
    double e, a;
    if (!servgap__response_row(&r->rs, r->mx, obs, &e, &a))
        return 0;
    servgap__bpair *x = day_pairs(r, key, obs->day);
    if (!x)
        return -1;
    if (!isnan(e))
        servgap__comoments_add(&x->pe, obs->value, e);
    if (!isnan(a))
        servgap__comoments_add(&x->pa, obs->value, a);
    return 0;
}

static int reduce_row(reducer *r, uint64_t i, const servgap__obs *obs)
{
    if (servgap__response_ends(obs)) {
        if (resp_flush(r) != 0)
            return -1;
        if (obs->bits & SERVGAP__BIT_START)
            servgap__response_open(&r->rs, r->st, i, obs);
    }
    uint64_t key = servgap__bkey(obs->scope, obs->tp, obs->metric), code;
    int vp = SERVGAP__BITS_VP(obs->bits);
    servgap__moments *m = day_moments(r, key, (uint64_t)vp, obs->day);
    if (!m)
        return -1;
    servgap__moments_add(m, obs->value);
    if (servgap__orient(&r->mx->m[obs->metric], obs->value) < r->cut[obs->metric])
        m->neg++;
    if ((obs->bits & SERVGAP__BIT_RESPONSE) && resp_row(r, key, obs) != 0)
        return -1;
    if (servgap__obs_facet(obs, &code)) {
        servgap__moments *f = day_moments(r, key, code, obs->day);
        if (!f)
            return -1;
        servgap__moments_add(f, obs->value);
    }
    return 0;
}

static int reduce_rows(reducer *r, int64_t from_day, int64_t to_day)
{
    servgap__obs obs;
    for (size_t c = 0; c < r->st->nchunk; c++) {
        const servgap__chunk *k = &r->st->chunk[c];
        for (size_t j = 0; j < k->n; j++) {
            if (k->day[j] < from_day || k->day[j] >= to_day || servgap__row_declared(k->bits[j]))
                continue;
            servgap__store_chunk_get(k, j, &obs);
            if (reduce_row(r, (uint64_t)c * SERVGAP__CHUNK_MAX + j, &obs) != 0)
                return -1;
        }
    }
    return resp_flush(r);
}

int servgap__reduce_log(const servgap__store *st, const servgap__metrics *mx,
                        const servgap__alloc *a, int64_t from_day, int64_t to_day,
                        double negative_share, servgap__buckets *b)
{
    size_t nm = mx->names.count;
    double *cut = servgap__malloc(a, nm, sizeof *cut);
    if (!cut)
        return -1;
    for (size_t k = 0; k < nm; k++)
        cut[k] = servgap__negative_cut(&mx->m[k], negative_share);
    reducer r = {st, mx, a, cut, b, {0}};
    int rc = reduce_rows(&r, from_day, to_day);
    servgap__free(a, cut);
    if (rc == 0 && !servgap__buckets_empty(b))
        b->negative_share = negative_share;
    return rc;
}
