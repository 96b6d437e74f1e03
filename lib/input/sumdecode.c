/*
 * sumdecode -- a summary's own sections decoded into the private handle's
 * buckets and checked as strictly as the snapshot's rows: ids in range,
 * days inside the summary's days, counts and sums of squares that moments
 * can have, finite numbers within the limits, keys strictly increasing
 * (so none repeats and the writer's order is the only one). The
 * definition and observation sections before them are the snapshot's
 * (snapdecode.c). Relies on snapread, summary.h and the buckets.
 */
#include "../base/platform.h"

#include "summary.h"

#include <math.h>

#include "snapshot.h"
#include "../base/numtext.h"
#include "../model/limits.h"
#include "../model/reduce.h"

typedef servgap__snapreader reader;

/* ---------------------------------------------------------------------- */
/* The summary section                                                     */
/* ---------------------------------------------------------------------- */

int servgap__sum_summary_begin(reader *r, uint64_t n, size_t at)
{
    if (n != 1)
        return servgap__snap_corrupt(r, at, "%llu entries, not 1", (unsigned long long)n);
    return SERVGAP_OK;
}

/* The log holds declarations of the summary's days only, and no points. */
static int log_valid(reader *r, size_t at)
{
    const servgap__store *st = &r->t->store;
    if (st->npts != 0)
        return servgap__snap_corrupt(r, at, "the observations hold responses' points");
    for (uint64_t i = 0; i < st->count; i++) {
        servgap__obs o;
        servgap__store_get(st, i, &o);
        if (!servgap__row_declared(o.bits))
            return servgap__snap_corrupt(r, at, "observation %llu is not a declaration",
                                         (unsigned long long)i);
        if (o.day < r->sum_from_day || o.day >= r->sum_to_day)
            return servgap__snap_corrupt(r, at, "observation %llu: day %ld outside the summary's",
                                         (unsigned long long)i, (long)o.day);
    }
    return SERVGAP_OK;
}

int servgap__sum_summary_one(reader *r, uint64_t i)
{
    (void)i;
    size_t at = r->pos;
    double share = servgap__snap_f64(r);
    int64_t from = servgap__snap_i64(r), to = servgap__snap_i64(r);
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (!(share > 0.0 && share < 1.0))
        return servgap__snap_corrupt(r, at, "negative_share %s outside (0, 1)",
                                     SERVGAP__NUM(share));
    if (!(from < to) || (from != INT64_MIN && (from < -INT32_MAX || from >= INT32_MAX)) ||
        (to != INT64_MAX && (to <= -INT32_MAX || to > INT32_MAX)))
        return servgap__snap_corrupt(r, at + 8, "days [%lld, %lld)", (long long)from,
                                     (long long)to);
    r->sum_from_day = from;
    r->sum_to_day = to;
    r->t->buckets.negative_share = share;
    return log_valid(r, at);
}

/* ---------------------------------------------------------------------- */
/* Keys and moments                                                        */
/* ---------------------------------------------------------------------- */

/* A group key of the private handle: a known scope (no pooling bit), a
 * known touchpoint or ANY, a known metric (or, resp_key, 0xffff). */
static int key_valid(const servgap_ctx *t, uint64_t key, int resp_key)
{
    uint32_t scope = (uint32_t)(key >> 32), tp = (uint32_t)(key >> 16) & 0xffffu;
    uint32_t metric = (uint32_t)key & 0xffffu;
    int scope_ok = scope & SERVGAP__SCOPE_TIER ? (scope & ~SERVGAP__SCOPE_TIER) < t->tiers.count
                                               : scope < t->accounts.names.count;
    int metric_ok = resp_key ? metric == 0xffffu : metric < t->metrics.names.count;
    return scope_ok && metric_ok && (tp == SERVGAP__TP_ANY || tp < t->touchpoints.count);
}

/* A series code: a viewpoint a summary buckets (not a declaration), a
 * known team's delivered or perceived facet, a driver's expected one. */
static int code_valid(const servgap_ctx *t, uint64_t code)
{
    uint64_t kind = code & ~(((uint64_t)1 << 40) - 1), id = code & 0xffffffffu;
    int vp = (int)(code >> 32 & 0xffu);
    if (code < 8)
        return code != SERVGAP_VP_STANDARD && code != SERVGAP_VP_PROMISED &&
               code < SERVGAP_VP_COUNT;
    if (kind == SERVGAP__CODE_TEAM)
        return (vp == SERVGAP_VP_DELIVERED || vp == SERVGAP_VP_PERCEIVED) && id < t->teams.count;
    return kind == SERVGAP__CODE_DRIVER && vp == SERVGAP_VP_EXPECTED && id >= 1 &&
           id <= SERVGAP_DRIVER_EXTERNAL_COMMUNICATION;
}

static int day_valid(const reader *r, int64_t day)
{
    return day >= r->sum_from_day && day < r->sum_to_day && day >= -INT32_MAX && day < INT32_MAX;
}

/* A mean of n >= 1 numbers within +-bound; its sum of squared
 * deviations, 0 for one number. */
static int moments_valid(int64_t n, double mean, double m2, double bound)
{
    return n >= 1 && isfinite(mean) && fabs(mean) <= bound && isfinite(m2) && m2 >= 0.0 &&
           (n > 1 || m2 == 0.0);
}

static servgap__moments read_moments(reader *r, int with_neg)
{
    servgap__moments m;
    m.n = servgap__snap_i64(r);
    m.mean = servgap__snap_f64(r);
    m.m2 = servgap__snap_f64(r);
    m.neg = with_neg ? servgap__snap_i64(r) : 0;
    return m;
}

/* (a1, a2) after (b1, b2): keys strictly increase. */
static int after(uint64_t a1, int64_t a2, uint64_t b1, int64_t b2)
{
    return a1 > b1 || (a1 == b1 && a2 > b2);
}

/* ---------------------------------------------------------------------- */
/* Series and their days                                                   */
/* ---------------------------------------------------------------------- */

int servgap__sum_series_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    if (servgap__buckets_reserve(&r->t->buckets, &r->t->alloc, (size_t)n, 0, 0, 0) != 0)
        return servgap__snap_oom(r);
    return SERVGAP_OK;
}

int servgap__sum_series_one(reader *r, uint64_t i)
{
    size_t at = r->pos;
    uint64_t key = servgap__snap_u64(r), code = servgap__snap_u64(r);
    servgap__buckets *b = &r->t->buckets;
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (!key_valid(r->t, key, 0))
        return servgap__snap_corrupt(r, at, "series %llu: unknown group 0x%016llx",
                                     (unsigned long long)i, (unsigned long long)key);
    if (!code_valid(r->t, code))
        return servgap__snap_corrupt(r, at + 8, "series %llu: code 0x%llx", (unsigned long long)i,
                                     (unsigned long long)code);
    if (i > 0 && !(key > b->series[i - 1].key ||
                   (key == b->series[i - 1].key && code > b->series[i - 1].code)))
        return servgap__snap_corrupt(r, at, "series %llu does not follow the one before",
                                     (unsigned long long)i);
    servgap__bseries_get(b, key, code);
    return SERVGAP_OK;
}

int servgap__sum_days_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    if (servgap__buckets_reserve(&r->t->buckets, &r->t->alloc, 0, (size_t)n, 0, 0) != 0)
        return servgap__snap_oom(r);
    return SERVGAP_OK;
}

/* Days come by series, each series' days in order, no series without. */
static int day_follows(const servgap__buckets *b, uint64_t i, uint32_t series, int32_t day)
{
    if (i == 0)
        return series == 0;
    const servgap__bday *p = &b->days[i - 1];
    return (series == p->series && day > p->day) || series == p->series + 1;
}

int servgap__sum_days_one(reader *r, uint64_t i)
{
    size_t at = r->pos;
    unsigned long long ei = (unsigned long long)i;
    uint32_t series = servgap__snap_u32(r);
    int32_t day = servgap__snap_i32(r);
    servgap__moments m = read_moments(r, 1);
    servgap__buckets *b = &r->t->buckets;
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (series >= b->nseries || !day_follows(b, i, series, day))
        return servgap__snap_corrupt(r, at, "day %llu: series %u out of order", ei,
                                     (unsigned)series);
    if (!day_valid(r, day))
        return servgap__snap_corrupt(r, at + 4, "day %llu: day %ld outside the summary's", ei,
                                     (long)day);
    int facet = b->series[series].code >= 8;
    if (!moments_valid(m.n, m.mean, m.m2, SERVGAP_VALUE_MAX) || m.neg < 0 || m.neg > m.n ||
        (facet && m.neg != 0))
        return servgap__snap_corrupt(r, at + 8, "day %llu: moments n %lld mean %s m2 %s neg %lld",
                                     ei, (long long)m.n, SERVGAP__NUM(m.mean), SERVGAP__NUM(m.m2),
                                     (long long)m.neg);
    servgap__bday_merge(b, series, day, &m);
    return SERVGAP_OK;
}

int servgap__sum_days_finish(reader *r, uint64_t n, size_t base)
{
    const servgap__buckets *b = &r->t->buckets;
    uint32_t last = n ? b->days[n - 1].series + 1 : 0;
    if (last != b->nseries)
        return servgap__snap_corrupt(r, base, "series %u has no days", (unsigned)last);
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* Pairs and respondent scores                                             */
/* ---------------------------------------------------------------------- */

int servgap__sum_pairs_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    if (servgap__buckets_reserve(&r->t->buckets, &r->t->alloc, 0, 0, (size_t)n, 0) != 0)
        return servgap__snap_oom(r);
    return SERVGAP_OK;
}

static servgap__comoments read_comoments(reader *r)
{
    servgap__comoments c;
    c.n = servgap__snap_i64(r);
    c.mx = servgap__snap_f64(r);
    c.my = servgap__snap_f64(r);
    c.m2x = servgap__snap_f64(r);
    c.m2y = servgap__snap_f64(r);
    c.c = servgap__snap_f64(r);
    return c;
}

/* Co-moments of n pairs, all zero when there are none. */
static int comoments_valid(const servgap__comoments *c)
{
    if (c->n == 0)
        return c->mx == 0.0 && c->my == 0.0 && c->m2x == 0.0 && c->m2y == 0.0 && c->c == 0.0;
    return moments_valid(c->n, c->mx, c->m2x, SERVGAP_VALUE_MAX) &&
           moments_valid(c->n, c->my, c->m2y, SERVGAP_VALUE_MAX) && isfinite(c->c) &&
           (c->n > 1 || c->c == 0.0);
}

int servgap__sum_pairs_one(reader *r, uint64_t i)
{
    size_t at = r->pos;
    uint64_t key = servgap__snap_u64(r);
    int32_t day = servgap__snap_i32(r);
    servgap__comoments pe = read_comoments(r), pa = read_comoments(r);
    servgap__buckets *b = &r->t->buckets;
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (!key_valid(r->t, key, 0) ||
        (i > 0 && !after(key, day, b->pairs[i - 1].key, b->pairs[i - 1].day)))
        return servgap__snap_corrupt(r, at, "pairs %llu: group 0x%016llx unknown or out of order",
                                     (unsigned long long)i, (unsigned long long)key);
    if (!day_valid(r, day))
        return servgap__snap_corrupt(r, at + 8, "pairs %llu: day %ld outside the summary's",
                                     (unsigned long long)i, (long)day);
    if (!comoments_valid(&pe) || !comoments_valid(&pa) || pe.n + pa.n == 0)
        return servgap__snap_corrupt(r, at + 12, "pairs %llu: co-moments that no pairs give",
                                     (unsigned long long)i);
    servgap__bpair_merge(b, key, day, &pe, &pa);
    return SERVGAP_OK;
}

int servgap__sum_resp_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    if (servgap__buckets_reserve(&r->t->buckets, &r->t->alloc, 0, 0, 0, (size_t)n) != 0)
        return servgap__snap_oom(r);
    return SERVGAP_OK;
}

/* n respondents' summed points: each gave 100 +- 0.5 (servgap__points_valid). */
static int points_valid(const double *p, int64_t n)
{
    double sum = 0.0;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        if (!isfinite(p[d]) || p[d] < 0.0)
            return 0;
        sum += p[d];
    }
    double slack = 1e-9 * (double)n;
    return sum >= 99.5 * (double)n - slack && sum <= 100.5 * (double)n + slack;
}

int servgap__sum_resp_one(reader *r, uint64_t i)
{
    size_t at = r->pos;
    uint64_t key = servgap__snap_u64(r);
    int32_t day = servgap__snap_i32(r);
    servgap__moments m = read_moments(r, 0);
    double p[SERVGAP_DIM_COUNT];
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        p[d] = servgap__snap_f64(r);
    servgap__buckets *b = &r->t->buckets;
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (!key_valid(r->t, key, 1) ||
        (i > 0 && !after(key, day, b->resp[i - 1].key, b->resp[i - 1].day)))
        return servgap__snap_corrupt(r, at,
                                     "responses %llu: scope 0x%016llx unknown or out of order",
                                     (unsigned long long)i, (unsigned long long)key);
    if (!day_valid(r, day))
        return servgap__snap_corrupt(r, at + 8, "responses %llu: day %ld outside the summary's",
                                     (unsigned long long)i, (long)day);
    /* A score is a weighted mean of differences of values: within a span. */
    if (!moments_valid(m.n, m.mean, m.m2, SERVGAP_SPAN_MAX) || !points_valid(p, m.n))
        return servgap__snap_corrupt(r, at + 12,
                                     "responses %llu: scores or points that no "
                                     "respondents give",
                                     (unsigned long long)i);
    servgap__bresp_merge(b, key, day, &m, p);
    return SERVGAP_OK;
}
