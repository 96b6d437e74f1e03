/*
 * summary -- writing a summary (docs/formats.md, "Summaries"): the
 * observations of a range of days reduced into day buckets
 * (model/reduce.h) and merged with the buckets the handle already holds
 * of those days, the declarations of those days kept raw, every
 * definition, all written in the snapshot's container (snapshot.h) with
 * the summary's magic, its sections sorted by key so that equal contents
 * give equal bytes. Loading is snapload.c; the entries are checked by
 * sumdecode.c. Relies on ctx, the snapshot writer and the buckets.
 */
#include "../base/platform.h"

#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "../model/reduce.h"

const uint8_t servgap__sum_magic[8] = {'S', 'R', 'V', 'G', 'A', 'P', 'S', 'M'};

/* An entry of a table with its sort key (a, b). */
typedef struct order {
    uint64_t a;
    int64_t b;
    uint32_t i;
} order;

/* What a summary's own sections write: the buckets, and each table's
 * entries in key order. */
typedef struct content {
    double negative_share;
    int64_t from_day, to_day;
    servgap__buckets b;
    order *series, *days, *pairs, *resp; /* sorted */
    uint32_t *rank;                      /* series index -> its place in the summary */
} content;

static int order_cmp(const void *x, const void *y)
{
    const order *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

/* ---------------------------------------------------------------------- */
/* The content                                                             */
/* ---------------------------------------------------------------------- */

/* The handle's buckets of [from_day, to_day) merged into c->b, after the
 * log's. */
static int add_held(const servgap_ctx *ctx, content *c)
{
    const servgap__buckets *h = &ctx->buckets;
    servgap__buckets *b = &c->b;
    if (servgap__buckets_reserve(b, &ctx->alloc, h->nseries, h->ndays, h->npairs, h->nresp) != 0)
        return -1;
    for (size_t i = 0; i < h->ndays; i++) {
        const servgap__bday *d = &h->days[i];
        const servgap__bseries *s = &h->series[d->series];
        if (d->day >= c->from_day && d->day < c->to_day)
            servgap__bday_merge(b, servgap__bseries_get(b, s->key, s->code), d->day, &d->m);
    }
    for (size_t i = 0; i < h->npairs; i++) {
        const servgap__bpair *p = &h->pairs[i];
        if (p->day >= c->from_day && p->day < c->to_day)
            servgap__bpair_merge(b, p->key, p->day, &p->pe, &p->pa);
    }
    for (size_t i = 0; i < h->nresp; i++) {
        const servgap__bresp *r = &h->resp[i];
        if (r->day >= c->from_day && r->day < c->to_day)
            servgap__bresp_merge(b, r->key, r->day, &r->sqw, r->points);
    }
    return 0;
}

static order *orders(const servgap__alloc *a, size_t n)
{
    return servgap__malloc(a, n ? n : 1, sizeof(order));
}

/* Each table's entries in key order: series by (key, code), days by
 * (series' place, day), pairs and scores by (key, day). */
static int sort_tables(const servgap__alloc *a, content *c)
{
    const servgap__buckets *b = &c->b;
    c->series = orders(a, b->nseries);
    c->days = orders(a, b->ndays);
    c->pairs = orders(a, b->npairs);
    c->resp = orders(a, b->nresp);
    c->rank = servgap__malloc(a, b->nseries ? b->nseries : 1, sizeof *c->rank);
    if (!c->series || !c->days || !c->pairs || !c->resp || !c->rank)
        return -1;
    for (size_t i = 0; i < b->nseries; i++)
        c->series[i] = (order){b->series[i].key, (int64_t)b->series[i].code, (uint32_t)i};
    qsort(c->series, b->nseries, sizeof(order), order_cmp);
    for (size_t i = 0; i < b->nseries; i++)
        c->rank[c->series[i].i] = (uint32_t)i;
    for (size_t i = 0; i < b->ndays; i++)
        c->days[i] = (order){c->rank[b->days[i].series], b->days[i].day, (uint32_t)i};
    for (size_t i = 0; i < b->npairs; i++)
        c->pairs[i] = (order){b->pairs[i].key, b->pairs[i].day, (uint32_t)i};
    for (size_t i = 0; i < b->nresp; i++)
        c->resp[i] = (order){b->resp[i].key, b->resp[i].day, (uint32_t)i};
    qsort(c->days, b->ndays, sizeof(order), order_cmp);
    qsort(c->pairs, b->npairs, sizeof(order), order_cmp);
    qsort(c->resp, b->nresp, sizeof(order), order_cmp);
    return 0;
}

/* The declarations of [from_day, to_day) into log, in log order. */
static int declarations(const servgap_ctx *ctx, const content *c, servgap__store *log)
{
    const servgap__store *st = &ctx->store;
    uint64_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && servgap__store_reserve(log, &ctx->alloc, n, 0) != 0)
            return -1;
        for (uint64_t i = 0; i < st->count; i++) {
            servgap__obs o;
            servgap__store_get(st, i, &o);
            if (!servgap__row_declared(o.bits) || o.day < c->from_day || o.day >= c->to_day)
                continue;
            if (pass == 0)
                n++;
            else
                servgap__store_push(log, &o);
        }
    }
    return 0;
}

static void content_free(const servgap__alloc *a, content *c)
{
    servgap__buckets_free(&c->b, a);
    servgap__free(a, c->series);
    servgap__free(a, c->days);
    servgap__free(a, c->pairs);
    servgap__free(a, c->resp);
    servgap__free(a, c->rank);
}

/* ---------------------------------------------------------------------- */
/* The sections                                                            */
/* ---------------------------------------------------------------------- */

static void put_moments(servgap__sink *s, const servgap__moments *m, int with_neg)
{
    servgap__sink_i64(s, m->n);
    servgap__sink_f64(s, m->mean);
    servgap__sink_f64(s, m->m2);
    if (with_neg)
        servgap__sink_i64(s, m->neg);
}

static void put_comoments(servgap__sink *s, const servgap__comoments *c)
{
    servgap__sink_i64(s, c->n);
    servgap__sink_f64(s, c->mx);
    servgap__sink_f64(s, c->my);
    servgap__sink_f64(s, c->m2x);
    servgap__sink_f64(s, c->m2y);
    servgap__sink_f64(s, c->c);
}

static void write_series_days(servgap__sink *s, const content *c, int k)
{
    const servgap__buckets *b = &c->b;
    if (k == SERVGAP__SEC_SERIES) {
        servgap__sink_u64(s, b->nseries);
        for (size_t i = 0; i < b->nseries; i++) {
            servgap__sink_u64(s, b->series[c->series[i].i].key);
            servgap__sink_u64(s, b->series[c->series[i].i].code);
        }
        return;
    }
    servgap__sink_u64(s, b->ndays);
    for (size_t i = 0; i < b->ndays; i++) {
        const servgap__bday *d = &b->days[c->days[i].i];
        servgap__sink_u32(s, c->rank[d->series]);
        servgap__sink_i32(s, d->day);
        put_moments(s, &d->m, 1);
    }
}

static void write_pairs_resp(servgap__sink *s, const content *c, int k)
{
    const servgap__buckets *b = &c->b;
    if (k == SERVGAP__SEC_PAIRS) {
        servgap__sink_u64(s, b->npairs);
        for (size_t i = 0; i < b->npairs; i++) {
            const servgap__bpair *p = &b->pairs[c->pairs[i].i];
            servgap__sink_u64(s, p->key);
            servgap__sink_i32(s, p->day);
            put_comoments(s, &p->pe);
            put_comoments(s, &p->pa);
        }
        return;
    }
    servgap__sink_u64(s, b->nresp);
    for (size_t i = 0; i < b->nresp; i++) {
        const servgap__bresp *r = &b->resp[c->resp[i].i];
        servgap__sink_u64(s, r->key);
        servgap__sink_i32(s, r->day);
        put_moments(s, &r->sqw, 0);
        for (int d = 0; d < 5; d++)
            servgap__sink_f64(s, r->points[d]);
    }
}

static void summary_payload(servgap__sink *s, const servgap__doc *d, int k)
{
    const content *c = d->extra;
    if (k < SERVGAP__SEC_SNAP_COUNT) {
        servgap__snap_payload(s, d, k);
    } else if (k == SERVGAP__SEC_SUMMARY) {
        servgap__sink_u64(s, 1);
        servgap__sink_f64(s, c->negative_share);
        servgap__sink_i64(s, c->from_day);
        servgap__sink_i64(s, c->to_day);
    } else if (k == SERVGAP__SEC_SERIES || k == SERVGAP__SEC_DAYS) {
        write_series_days(s, c, k);
    } else {
        write_pairs_resp(s, c, k);
    }
}

/* ---------------------------------------------------------------------- */
/* The call                                                                */
/* ---------------------------------------------------------------------- */

/* The summary's content and log, then the document; under the read lock. */
static int write_locked(servgap_ctx *ctx, const char *fn, content *c, servgap__store *log,
                        void *buf, size_t cap, size_t *len)
{
    servgap__doc d = {"summary",
                      servgap__sum_magic,
                      SERVGAP__SUM_MAJOR,
                      SERVGAP__SUM_MINOR,
                      0,
                      SERVGAP__SEC_COUNT,
                      summary_payload,
                      ctx,
                      log,
                      c};
    if (servgap__reduce_log(&ctx->store, &ctx->metrics, &ctx->alloc, c->from_day, c->to_day,
                            c->negative_share, &c->b) != 0 ||
        add_held(ctx, c) != 0 || sort_tables(&ctx->alloc, c) != 0 || declarations(ctx, c, log) != 0)
        return servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    d.flags = servgap__snap_log_flags(log);
    return servgap__doc_write(ctx, fn, &d, buf, cap, len);
}

static int64_t bound_day(int64_t t)
{
    return t == SERVGAP_TIME_MIN ? INT64_MIN : t == SERVGAP_TIME_MAX ? INT64_MAX : t / SERVGAP_DAY;
}

/* A bound the loader accepts back: no observation has a day beyond
 * +-(2^31 - 1) (5.8 million years), so neither may a summary's window. */
static int is_bound(int64_t t)
{
    if (t == SERVGAP_TIME_MIN || t == SERVGAP_TIME_MAX)
        return 1;
    int64_t day = t / SERVGAP_DAY;
    return t % SERVGAP_DAY == 0 && day > -INT32_MAX && day < INT32_MAX;
}

SERVGAP_API int servgap_summary_write(servgap_ctx *ctx, int64_t from, int64_t to, void *buf,
                                      size_t cap, size_t *len)
{
    static const char *const fn = "servgap_summary_write";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!len || (!buf && cap > 0))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "len is NULL, or buf is NULL with cap > 0");
    if (!is_bound(from) || !is_bound(to) || from >= to)
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "days [%lld, %lld) must start and end at UTC midnight, within "
                             "2^31 - 1 days of 1970-01-01, from < to",
                             (long long)from, (long long)to);
    servgap__options opt;
    servgap__options_get(ctx, &opt);
    content c;
    memset(&c, 0, sizeof c);
    c.negative_share = opt.negative_share;
    c.from_day = bound_day(from);
    c.to_day = bound_day(to);
    servgap__buckets_init(&c.b);
    servgap__store log;
    servgap__store_init(&log);
    size_t n = 0;
    servgap__rdlock(ctx);
    int rc = servgap__buckets_check(ctx, &opt, fn);
    if (rc == SERVGAP_OK)
        rc = write_locked(ctx, fn, &c, &log, buf, cap, &n);
    servgap__unlock(ctx);
    content_free(&ctx->alloc, &c);
    servgap__store_free(&log, &ctx->alloc);
    if (rc == SERVGAP_OK || rc == SERVGAP_EBUFSIZE)
        *len = n;
    return rc;
}
