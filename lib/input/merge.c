/*
 * merge -- everything src knows appended to dst, ids remapped by name.
 *
 * A merge looks first and appends second, so that dst's write lock is held
 * only for the append and queries of dst go on during the look. The look,
 * under the read locks of both handles, finds conflicts and limits, the id
 * each of src's names has in dst, and which allocations and efforts dst
 * lacks; it changes nothing. The append, under dst's write lock, adds the
 * names dst lacks, reserves all memory, then copies, which cannot fail; a
 * failure before the copy rolls the names back, so a merge is all or
 * nothing. Locks cannot be upgraded, so another writer may come between
 * the two: every write lock is counted (servgap__wrlock), and when either
 * count moved other than by the append's own lock, the look is redone
 * under the write lock, where nothing can come in between.
 *
 * Every step is a hashed look-up or a copy per entry of src, so a merge
 * costs time linear in src. The day buckets of loaded summaries
 * (model/buckets.h) merge as the tables do: a bucket dst lacks is
 * appended in src's order, one it has takes src's moments by Chan's
 * formula, so a fixed order of merges gives the same bits. Appending keeps src's row and plan
 * order, so dst afterwards equals a handle fed dst's data and then src's. Nothing here checks the
 * limits on numbers (model/limits.h): src obeys them as dst does (every way into a handle checks
 * them, the snapshot decoder included), and a merge copies numbers without combining them.
 */
#include "../base/platform.h"

#include "merge.h"

#include <math.h>
#include <string.h>

#include "../base/numtext.h"
#include "../model/tables.h"

static servgap__names *names_of(servgap_ctx *ctx, int k)
{
    switch (k) {
    case SERVGAP__MAP_TIER:
        return &ctx->tiers;
    case SERVGAP__MAP_TP:
        return &ctx->touchpoints;
    case SERVGAP__MAP_TEAM:
        return &ctx->teams;
    case SERVGAP__MAP_METRIC:
        return &ctx->metrics.names;
    case SERVGAP__MAP_ACCOUNT:
        return &ctx->accounts.names;
    default:
        return &ctx->owners;
    }
}

void servgap__merge_init(servgap__merge_job *m, servgap_ctx *dst, servgap_ctx *src,
                         const char *func, const char *src_label)
{
    memset(m, 0, sizeof *m);
    m->dst = dst;
    m->src = src;
    m->func = func;
    m->label = src_label;
}

void servgap__merge_free(servgap__merge_job *m)
{
    const servgap__alloc *a = &m->dst->alloc;
    for (int k = 0; k < SERVGAP__MAP_COUNT; k++) {
        servgap__free(a, m->map[k]);
        m->map[k] = NULL;
        m->fresh_names[k] = 0;
    }
    servgap__free(a, m->fresh);
    m->fresh = NULL;
    servgap__free(a, m->series);
    m->series = NULL;
    m->fresh_imp = m->fresh_eff = 0;
}

/* ---------------------------------------------------------------------- */
/* The look                                                                */
/* ---------------------------------------------------------------------- */

/* The id each of src's names of kind k has in dst, or -1. */
static int look_names(servgap__merge_job *m, int k)
{
    const servgap__names *from = names_of(m->src, k), *to = names_of(m->dst, k);
    int32_t *map = servgap__malloc(&m->dst->alloc, from->count, sizeof *map);
    if (!map)
        return SERVGAP_ENOMEM;
    m->map[k] = map;
    for (size_t i = 0; i < from->count; i++) {
        map[i] = servgap__names_find(to, from->str[i], from->len[i]);
        m->fresh_names[k] += map[i] < 0;
    }
    return SERVGAP_OK;
}

static const char *tier_name(const servgap_ctx *ctx, int32_t t)
{
    return t < 0 ? "" : ctx->tiers.str[t];
}

/* The id in dst of src's tier ts (-1: none), or, for a tier dst does not
 * know yet, an id that none of dst's tiers has. */
static int32_t dst_tier(const servgap__merge_job *m, int32_t ts)
{
    if (ts < 0)
        return -1;
    int32_t d = m->map[SERVGAP__MAP_TIER][ts];
    return d >= 0 ? d : (int32_t)m->dst->tiers.count;
}

/* Metrics defined differently, or accounts in different tiers. */
static int conflicts(const servgap__merge_job *m)
{
    const servgap_ctx *src = m->src, *dst = m->dst;
    for (size_t i = 0; i < src->metrics.names.count; i++) {
        int32_t d = m->map[SERVGAP__MAP_METRIC][i];
        if (d >= 0 && !servgap__metric_same(&dst->metrics.m[d], &src->metrics.m[i]))
            return servgap__fail(m->dst, SERVGAP_ECONFLICT, m->func,
                                 "metric '%s' is defined differently here and in %s",
                                 src->metrics.names.str[i], m->label);
    }
    for (size_t i = 0; i < src->accounts.names.count; i++) {
        int32_t d = m->map[SERVGAP__MAP_ACCOUNT][i];
        int32_t ts = src->accounts.a[i].tier, td = d >= 0 ? dst->accounts.a[d].tier : -1;
        if (d >= 0 && servgap__account_tier(td, dst_tier(m, ts)) == SERVGAP__TIER_CONFLICT)
            return servgap__fail(m->dst, SERVGAP_ECONFLICT, m->func,
                                 "account '%s' is in tier '%s' here and '%s' in %s",
                                 src->accounts.names.str[i], tier_name(dst, td), tier_name(src, ts),
                                 m->label);
    }
    return SERVGAP_OK;
}

/* Buckets whose negative answers were counted at another negative_share
 * would count differently in one table. */
static int share_conflict(const servgap__merge_job *m)
{
    const servgap__buckets *s = &m->src->buckets, *d = &m->dst->buckets;
    if (servgap__buckets_empty(s) || servgap__buckets_empty(d) ||
        s->negative_share == d->negative_share)
        return SERVGAP_OK;
    return servgap__fail(m->dst, SERVGAP_ECONFLICT, m->func,
                         "%s counted negative answers at negative_share %s, the handle's "
                         "summaries at %s",
                         m->label, SERVGAP__NUM(s->negative_share),
                         SERVGAP__NUM(d->negative_share));
}

/* The limits that interning and the define calls hold the tables to. */
static int limits(const servgap__merge_job *m)
{
    const servgap_ctx *dst = m->dst;
    const size_t *fresh = m->fresh_names;
    if (dst->touchpoints.count + fresh[SERVGAP__MAP_TP] > SERVGAP__TP_ALL)
        return servgap__fail(m->dst, SERVGAP_ELIMIT, m->func, "more than 65534 touchpoints");
    if (dst->tiers.count + fresh[SERVGAP__MAP_TIER] > 0x40000000u)
        return servgap__fail(m->dst, SERVGAP_ELIMIT, m->func, "more than 2^30 tiers");
    if (dst->metrics.names.count + fresh[SERVGAP__MAP_METRIC] > 0xffff)
        return servgap__fail(m->dst, SERVGAP_ELIMIT, m->func, "more than 65535 metrics");
    if (dst->nplans + m->src->nplans > INT32_MAX)
        return servgap__fail(m->dst, SERVGAP_ELIMIT, m->func, "more than 2^31-1 plan items");
    return SERVGAP_OK;
}

/* A touchpoint or metric id; negative values (SERVGAP_ALL, SERVGAP_ANY)
 * are wildcards and stay. */
static int32_t id_map(const int32_t *map, int32_t id)
{
    return id < 0 ? id : map[id];
}

static uint32_t scope_map(const servgap__merge_job *m, uint32_t scope)
{
    if (scope & SERVGAP__SCOPE_TIER)
        return (uint32_t)m->map[SERVGAP__MAP_TIER][scope & ~SERVGAP__SCOPE_TIER] |
               SERVGAP__SCOPE_TIER;
    return (uint32_t)m->map[SERVGAP__MAP_ACCOUNT][scope];
}

/* dst lacks src's allocation e: its scope is new, or its key is. */
static int importance_fresh(const servgap__merge_job *m, const servgap__importance *e)
{
    int32_t id = e->scope & SERVGAP__SCOPE_TIER
                     ? m->map[SERVGAP__MAP_TIER][e->scope & ~SERVGAP__SCOPE_TIER]
                     : m->map[SERVGAP__MAP_ACCOUNT][e->scope];
    return id < 0 || !servgap__importance_find(m->dst, scope_map(m, e->scope), e->whose);
}

/* dst lacks src's effort key e: a touchpoint or metric is new, or the key. */
static int effort_fresh(const servgap__merge_job *m, const servgap__effort *e)
{
    const int32_t *tp = m->map[SERVGAP__MAP_TP], *metric = m->map[SERVGAP__MAP_METRIC];
    if ((e->tp >= 0 && tp[e->tp] < 0) || (e->metric >= 0 && metric[e->metric] < 0))
        return 1;
    return !servgap__effort_find(m->dst, e->gap, id_map(tp, e->tp), id_map(metric, e->metric));
}

static int look_entries(servgap__merge_job *m)
{
    const servgap_ctx *src = m->src;
    m->fresh = servgap__malloc(&m->dst->alloc, src->nimp + src->neff, 1);
    if (!m->fresh)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < src->nimp; i++)
        m->fresh_imp += m->fresh[i] = (uint8_t)importance_fresh(m, &src->imp[i]);
    for (size_t i = 0; i < src->neff; i++)
        m->fresh_eff += m->fresh[src->nimp + i] = (uint8_t)effort_fresh(m, &src->eff[i]);
    return SERVGAP_OK;
}

/* Everything the append needs to know; a second look starts afresh. */
static int look(servgap__merge_job *m)
{
    servgap__merge_free(m);
    int rc = SERVGAP_OK;
    for (int k = 0; k < SERVGAP__MAP_COUNT && rc == SERVGAP_OK; k++)
        rc = look_names(m, k);
    if (rc == SERVGAP_OK)
        rc = conflicts(m);
    if (rc == SERVGAP_OK)
        rc = share_conflict(m);
    if (rc == SERVGAP_OK)
        rc = limits(m);
    if (rc == SERVGAP_OK)
        rc = look_entries(m);
    if (rc == SERVGAP_ENOMEM)
        servgap__fail(m->dst, rc, m->func, "out of memory");
    return rc;
}

/* ---------------------------------------------------------------------- */
/* The append                                                              */
/* ---------------------------------------------------------------------- */

/* Add src's name i of kind k, which dst lacks; -1 when memory ran out. */
static int add_name(servgap__merge_job *m, int k, size_t i, int32_t *id)
{
    servgap_ctx *dst = m->dst;
    const servgap__names *from = names_of(m->src, k);
    if (k == SERVGAP__MAP_METRIC)
        return servgap__metrics_add(&dst->metrics, &dst->alloc, from->str[i], &m->src->metrics.m[i],
                                    id);
    if (k == SERVGAP__MAP_ACCOUNT) {
        const servgap__account *a = &m->src->accounts.a[i];
        int32_t t = a->tier < 0 ? -1 : m->map[SERVGAP__MAP_TIER][a->tier];
        return servgap__accounts_add(&dst->accounts, &dst->alloc, from->str[i], t, a->value, id);
    }
    return servgap__names_add(names_of(dst, k), &dst->alloc, from->str[i], from->len[i], id);
}

/* The names dst lacks, in src's order (tiers before the accounts in
 * them), completing the maps. */
static int add_names(servgap__merge_job *m)
{
    for (int k = 0; k < SERVGAP__MAP_COUNT; k++) {
        size_t n = names_of(m->src, k)->count;
        for (size_t i = 0; i < n && m->fresh_names[k] > 0; i++)
            if (m->map[k][i] < 0 && add_name(m, k, i, &m->map[k][i]) != 0)
                return SERVGAP_ENOMEM;
    }
    return SERVGAP_OK;
}

/* Room for every appended entry, so that the copies cannot fail. */
static int reserve_tables(servgap__merge_job *m)
{
    servgap_ctx *dst = m->dst;
    const servgap_ctx *src = m->src;
    void *plans = dst->plans;
    if (servgap__importance_reserve(dst, m->fresh_imp) != 0 ||
        servgap__effort_reserve(dst, m->fresh_eff) != 0)
        return SERVGAP_ENOMEM;
    if (servgap__reserve(&dst->alloc, &plans, &dst->capplans, dst->nplans + src->nplans,
                         sizeof *dst->plans) != 0)
        return SERVGAP_ENOMEM;
    dst->plans = plans;
    if (servgap__store_reserve(&dst->store, &dst->alloc, src->store.count, src->store.npts) != 0)
        return SERVGAP_ENOMEM;
    return SERVGAP_OK;
}

/* Attributes only src knows. */
static void copy_attributes(const servgap__merge_job *m)
{
    const servgap_ctx *src = m->src;
    for (size_t i = 0; i < src->accounts.names.count; i++) {
        const servgap__account *s = &src->accounts.a[i];
        servgap__account *d = &m->dst->accounts.a[m->map[SERVGAP__MAP_ACCOUNT][i]];
        /* conflicts() has ruled out SERVGAP__TIER_CONFLICT. */
        d->tier =
            servgap__account_tier(d->tier, s->tier < 0 ? -1 : m->map[SERVGAP__MAP_TIER][s->tier]);
        if (isnan(d->health))
            d->health = s->health;
        if (d->renewal == SERVGAP_TIME_NONE)
            d->renewal = s->renewal;
        if (d->migration == SERVGAP_TIME_NONE)
            d->migration = s->migration;
        d->at_risk |= s->at_risk;
        d->churned |= s->churned;
    }
}

/* The allocations and efforts dst lacked at the look; a key dst knows
 * keeps dst's value. */
static void copy_keyed(const servgap__merge_job *m)
{
    const servgap_ctx *src = m->src;
    for (size_t i = 0; i < src->nimp; i++) {
        servgap__importance e = src->imp[i];
        e.scope = scope_map(m, e.scope);
        if (m->fresh[i])
            servgap__importance_append(m->dst, &e);
    }
    for (size_t i = 0; i < src->neff; i++) {
        servgap__effort e = src->eff[i];
        e.tp = id_map(m->map[SERVGAP__MAP_TP], e.tp);
        e.metric = id_map(m->map[SERVGAP__MAP_METRIC], e.metric);
        if (m->fresh[src->nimp + i])
            servgap__effort_append(m->dst, &e);
    }
}

static void copy_plans(const servgap__merge_job *m)
{
    servgap_ctx *dst = m->dst;
    int32_t *const *map = m->map;
    for (size_t i = 0; i < m->src->nplans; i++) {
        servgap__plan p = m->src->plans[i];
        p.owner = map[SERVGAP__MAP_OWNER][p.owner];
        p.scope_id = p.scope_kind == SERVGAP_SCOPE_TIER ? map[SERVGAP__MAP_TIER][p.scope_id]
                                                        : map[SERVGAP__MAP_ACCOUNT][p.scope_id];
        p.tp = id_map(map[SERVGAP__MAP_TP], p.tp);
        p.metric = id_map(map[SERVGAP__MAP_METRIC], p.metric);
        dst->plans[dst->nplans++] = p;
    }
}

static void copy_rows(const servgap__merge_job *m)
{
    servgap__store *to = &m->dst->store;
    const servgap__store *from = &m->src->store;
    const int32_t *tp = m->map[SERVGAP__MAP_TP], *metric = m->map[SERVGAP__MAP_METRIC],
                  *team = m->map[SERVGAP__MAP_TEAM];
    uint64_t base = to->count;
    servgap__obs obs;
    for (uint64_t i = 0; i < from->count; i++) {
        servgap__store_get(from, i, &obs);
        obs.scope = scope_map(m, obs.scope);
        if (obs.tp != SERVGAP__TP_ANY)
            obs.tp = (uint16_t)tp[obs.tp];
        obs.metric = (uint16_t)metric[obs.metric];
        if (obs.team >= 0)
            obs.team = team[obs.team];
        servgap__store_push(to, &obs);
    }
    for (size_t i = 0; i < from->npts; i++)
        servgap__store_push_points(to, base + from->pts[i].row, from->pts[i].p);
}

/* A group key of src in dst's ids; a respondent group's metric (0xffff)
 * and the touchpoint ANY stay. */
static uint64_t key_map(const servgap__merge_job *m, uint64_t key)
{
    uint32_t scope = scope_map(m, (uint32_t)(key >> 32));
    uint32_t tp = (uint32_t)(key >> 16) & 0xffffu, metric = (uint32_t)key & 0xffffu;
    if (tp != SERVGAP__TP_ANY)
        tp = (uint32_t)m->map[SERVGAP__MAP_TP][tp];
    if (metric != 0xffffu)
        metric = (uint32_t)m->map[SERVGAP__MAP_METRIC][metric];
    return servgap__bkey(scope, tp, metric);
}

static uint64_t code_map(const servgap__merge_job *m, uint64_t code)
{
    if ((code & ~(((uint64_t)1 << 40) - 1)) != SERVGAP__CODE_TEAM)
        return code;
    int32_t team = m->map[SERVGAP__MAP_TEAM][code & 0xffffffffu];
    return (code & ~(uint64_t)0xffffffffu) | (uint32_t)team;
}

/* Room for the buckets dst lacks, once the names are complete: each src
 * series' place in dst (or none yet) into m->series, then the count of
 * every new entry. */
static int reserve_buckets(servgap__merge_job *m)
{
    const servgap__buckets *s = &m->src->buckets;
    servgap__buckets *d = &m->dst->buckets;
    size_t fresh[4] = {0, 0, 0, 0};
    m->series = servgap__malloc(&m->dst->alloc, s->nseries ? s->nseries : 1, sizeof *m->series);
    if (!m->series)
        return SERVGAP_ENOMEM;
    for (size_t i = 0; i < s->nseries; i++) {
        int64_t x =
            servgap__bseries_find(d, key_map(m, s->series[i].key), code_map(m, s->series[i].code));
        m->series[i] = x < 0 ? UINT32_MAX : (uint32_t)x;
        fresh[0] += x < 0;
    }
    for (size_t i = 0; i < s->ndays; i++) {
        uint32_t x = m->series[s->days[i].series];
        fresh[1] += x == UINT32_MAX || servgap__bday_find(d, x, s->days[i].day) < 0;
    }
    for (size_t i = 0; i < s->npairs; i++)
        fresh[2] += servgap__bpair_find(d, key_map(m, s->pairs[i].key), s->pairs[i].day) < 0;
    for (size_t i = 0; i < s->nresp; i++)
        fresh[3] += servgap__bresp_find(d, key_map(m, s->resp[i].key), s->resp[i].day) < 0;
    if (servgap__buckets_reserve(d, &m->dst->alloc, fresh[0], fresh[1], fresh[2], fresh[3]) != 0)
        return SERVGAP_ENOMEM;
    return SERVGAP_OK;
}

/* src's buckets into dst's, in src's order. */
static void copy_buckets(const servgap__merge_job *m)
{
    const servgap__buckets *s = &m->src->buckets;
    servgap__buckets *d = &m->dst->buckets;
    if (servgap__buckets_empty(s))
        return;
    d->negative_share = s->negative_share;
    for (size_t i = 0; i < s->nseries; i++)
        m->series[i] =
            servgap__bseries_get(d, key_map(m, s->series[i].key), code_map(m, s->series[i].code));
    for (size_t i = 0; i < s->ndays; i++)
        servgap__bday_merge(d, m->series[s->days[i].series], s->days[i].day, &s->days[i].m);
    for (size_t i = 0; i < s->npairs; i++)
        servgap__bpair_merge(d, key_map(m, s->pairs[i].key), s->pairs[i].day, &s->pairs[i].pe,
                             &s->pairs[i].pa);
    for (size_t i = 0; i < s->nresp; i++)
        servgap__bresp_merge(d, key_map(m, s->resp[i].key), s->resp[i].day, &s->resp[i].sqw,
                             s->resp[i].points);
}

/* The append, after a look of the handles as they are now. */
static int append(servgap__merge_job *m)
{
    servgap__mark mark;
    servgap__mark_take(m->dst, &mark);
    int rc = add_names(m);
    if (rc == SERVGAP_OK)
        rc = reserve_tables(m);
    if (rc == SERVGAP_OK)
        rc = reserve_buckets(m);
    if (rc != SERVGAP_OK) {
        servgap__mark_rollback(m->dst, &mark);
        return servgap__fail(m->dst, rc, m->func, "out of memory");
    }
    copy_attributes(m);
    copy_keyed(m);
    copy_plans(m);
    copy_rows(m);
    copy_buckets(m);
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* The two steps and their locks                                           */
/* ---------------------------------------------------------------------- */

/* dst for reading or writing, src for reading, in address order, so that
 * two opposite merges cannot deadlock. */
static void lock_both(servgap_ctx *dst, servgap_ctx *src, int write)
{
    if (dst < src) {
        (write ? servgap__wrlock : servgap__rdlock)(dst);
        servgap__rdlock(src);
    } else {
        servgap__rdlock(src);
        (write ? servgap__wrlock : servgap__rdlock)(dst);
    }
}

static void unlock_both(servgap_ctx *dst, servgap_ctx *src)
{
    servgap__unlock(src);
    servgap__unlock(dst);
}

int servgap__merge_begin(servgap__merge_job *m)
{
    lock_both(m->dst, m->src, 0);
    int rc = look(m);
    m->dst_writes = m->dst->writes;
    m->src_writes = m->src->writes;
    unlock_both(m->dst, m->src);
    return rc;
}

int servgap__merge_finish(servgap__merge_job *m)
{
    lock_both(m->dst, m->src, 1);
    int rc = SERVGAP_OK;
    /* Our own write lock is the one write since the look, unless another
     * writer came in between. */
    if (m->dst->writes != m->dst_writes + 1 || m->src->writes != m->src_writes) {
        m->relooks++;
        rc = look(m);
    }
    if (rc == SERVGAP_OK)
        rc = append(m);
    unlock_both(m->dst, m->src);
    return rc;
}

int servgap__merge(servgap_ctx *dst, servgap_ctx *src, const char *func, const char *src_label)
{
    servgap__merge_job m;
    servgap__merge_init(&m, dst, src, func, src_label);
    int rc = servgap__merge_begin(&m);
    if (rc == SERVGAP_OK)
        rc = servgap__merge_finish(&m);
    servgap__merge_free(&m);
    return rc;
}

SERVGAP_API int servgap_ctx_merge(servgap_ctx *dst, servgap_ctx *src)
{
    static const char *const fn = "servgap_ctx_merge";
    if (!dst)
        return SERVGAP_EMISUSE;
    if (!src)
        return servgap__fail(dst, SERVGAP_EMISUSE, fn, "src is NULL");
    if (dst == src)
        return servgap__fail(dst, SERVGAP_EINVAL, fn, "cannot merge a handle into itself");
    return servgap__merge(dst, src, fn, "src");
}
