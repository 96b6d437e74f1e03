/*
 * snapdecode -- a snapshot's sections decoded into the private handle,
 * driven by one table: per section, how its entries are counted, the room
 * they need, how one entry is decoded and checked (as the define and
 * record calls check theirs), and which key must not repeat. Relies on
 * snapread (the cursor), the registries and the store.
 */
#include "../base/platform.h"

#include "snapdecode.h"

#include <math.h>
#include <string.h>

#include "plans.h"
#include "snapshot.h"
#include "summary.h"
#include "../base/numtext.h"
#include "../model/limits.h"

/* The cursor every decoder takes. */
typedef servgap__snapreader reader;

/* ---------------------------------------------------------------------- */
/* Names, metrics, accounts                                                */
/* ---------------------------------------------------------------------- */

/* A name of a registry in which names do not repeat. */
static int decode_name(reader *r, servgap__names *t, const char *what)
{
    size_t at = r->pos;
    char name[256];
    size_t len = servgap__snap_name(r, name);
    if (!len)
        return r->rc;
    int32_t id;
    if (servgap__names_find(t, name, len) >= 0)
        return servgap__snap_corrupt(r, at, "%s '%s' repeats", what, name);
    if (servgap__names_add(t, &r->t->alloc, name, len, &id) != 0)
        return servgap__snap_oom(r);
    return SERVGAP_OK;
}

static int decode_tier(reader *r, uint64_t i)
{
    (void)i;
    return decode_name(r, &r->t->tiers, "tier");
}

static int decode_touchpoint(reader *r, uint64_t i)
{
    (void)i;
    return decode_name(r, &r->t->touchpoints, "touchpoint");
}

static int decode_team(reader *r, uint64_t i)
{
    (void)i;
    return decode_name(r, &r->t->teams, "team");
}

/* The checks of servgap_metric_define, on a definition with its span. */
static int metric_valid(reader *r, size_t at, const char *name, const servgap__metric *m)
{
    if (m->dimension < 0 || m->dimension >= SERVGAP_DIM_COUNT)
        return servgap__snap_corrupt(r, at, "metric '%s': dimension %d", name, (int)m->dimension);
    if (m->direction != SERVGAP_HIGHER_IS_BETTER && m->direction != SERVGAP_LOWER_IS_BETTER)
        return servgap__snap_corrupt(r, at, "metric '%s': direction %d", name, (int)m->direction);
    if (isnan(m->min) || isnan(m->max) || m->min == INFINITY || m->max == -INFINITY ||
        !(m->min < m->max))
        return servgap__snap_corrupt(r, at, "metric '%s': range [%s, %s]", name,
                                     SERVGAP__NUM(m->min), SERVGAP__NUM(m->max));
    if (!servgap__range_end_in_limits(m->min) || !servgap__range_end_in_limits(m->max))
        return servgap__snap_corrupt(r, at,
                                     "metric '%s': range [%s, %s] beyond +-" SERVGAP__VALUE_MAX_TEXT
                                     " (SERVGAP_VALUE_MAX)",
                                     name, SERVGAP__NUM(m->min), SERVGAP__NUM(m->max));
    if (!servgap__span_in_limits(m->span))
        return servgap__snap_corrupt(r, at,
                                     "metric '%s': span %s outside " SERVGAP__SPAN_LIMITS_TEXT
                                     " (SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX)",
                                     name, SERVGAP__NUM(m->span));
    return SERVGAP_OK;
}

/* Metric i: the five built-ins come first, exactly as every handle has
 * them; later ones are new names. */
static int metric_add(reader *r, size_t at, uint32_t i, const char *name, const servgap__metric *m)
{
    servgap__metrics *reg = &r->t->metrics;
    if (i < SERVGAP_DIM_COUNT) {
        if (strcmp(name, reg->names.str[i]) != 0 || !servgap__metric_same(m, &reg->m[i]))
            return servgap__snap_corrupt(r, at, "metric %u is not the built-in '%s'", i,
                                         reg->names.str[i]);
        return SERVGAP_OK;
    }
    if (servgap__names_find(&reg->names, name, strlen(name)) >= 0)
        return servgap__snap_corrupt(r, at, "metric '%s' repeats", name);
    if (metric_valid(r, at, name, m) != SERVGAP_OK)
        return r->rc;
    int32_t id;
    if (servgap__metrics_add(reg, &r->t->alloc, name, m, &id) != 0)
        return servgap__snap_oom(r);
    return SERVGAP_OK;
}

static int decode_metric(reader *r, uint64_t i)
{
    size_t at = r->pos;
    char name[256];
    servgap__metric m;
    if (!servgap__snap_name(r, name))
        return r->rc;
    m.dimension = servgap__snap_i32(r);
    m.direction = servgap__snap_i32(r);
    m.min = servgap__snap_f64(r);
    m.max = servgap__snap_f64(r);
    m.span = servgap__snap_f64(r);
    uint32_t ulen = servgap__snap_u32(r);
    const uint8_t *unit = servgap__snap_take(r, ulen);
    if (!unit)
        return r->rc;
    size_t bad = 0;
    const char *why = servgap__unit_fault((const char *)unit, ulen, &bad);
    if (why)
        return servgap__snap_corrupt(r, (size_t)(unit - r->p) + bad, "metric '%s': %s at byte %zu",
                                     name, why, bad);
    m.unit = servgap__strndup(&r->t->alloc, (const char *)unit, ulen);
    if (!m.unit)
        return servgap__snap_oom(r);
    metric_add(r, at, (uint32_t)i, name, &m);
    servgap__free(&r->t->alloc, m.unit);
    return r->rc;
}

/* Every handle has the built-ins, so every snapshot has them. */
static int metrics_begin(reader *r, uint64_t n, size_t at)
{
    if (n < SERVGAP_DIM_COUNT)
        return servgap__snap_corrupt(r, at, "%u metrics, fewer than the five built-ins",
                                     (unsigned)n);
    return SERVGAP_OK;
}

static int account_valid(reader *r, size_t at, const char *name, int32_t tier, uint32_t flags,
                         double value, double health)
{
    if (servgap__names_find(&r->t->accounts.names, name, strlen(name)) >= 0)
        return servgap__snap_corrupt(r, at, "account '%s' repeats", name);
    if (tier < -1 || (tier >= 0 && (size_t)tier >= r->t->tiers.count))
        return servgap__snap_corrupt(r, at, "account '%s': unknown tier %d", name, (int)tier);
    if (flags & ~3u)
        return servgap__snap_corrupt(r, at, "account '%s': unknown flags 0x%x", name,
                                     (unsigned)flags);
    if (!servgap__account_value_in_limits(value))
        return servgap__snap_corrupt(r, at,
                                     "account '%s': value %s outside [0, " SERVGAP__VALUE_MAX_TEXT
                                     "] (SERVGAP_VALUE_MAX)",
                                     name, SERVGAP__NUM(value));
    if (!isnan(health) && !(health >= 0.0 && health <= 100.0))
        return servgap__snap_corrupt(r, at, "account '%s': health %s", name, SERVGAP__NUM(health));
    return SERVGAP_OK;
}

static int decode_account(reader *r, uint64_t i)
{
    (void)i;
    size_t at = r->pos;
    char name[256];
    if (!servgap__snap_name(r, name))
        return r->rc;
    int32_t tier = servgap__snap_i32(r);
    uint32_t flags = servgap__snap_u32(r);
    double value = servgap__snap_f64(r), health = servgap__snap_f64(r);
    int64_t renewal = servgap__snap_i64(r), migration = servgap__snap_i64(r);
    if (r->rc != SERVGAP_OK || account_valid(r, at, name, tier, flags, value, health))
        return r->rc;
    int32_t id;
    servgap__accounts *reg = &r->t->accounts;
    if (servgap__accounts_add(reg, &r->t->alloc, name, tier, value, &id) != 0)
        return servgap__snap_oom(r);
    servgap__account *a = &reg->a[id];
    a->at_risk = (flags & 1u) != 0;
    a->churned = (flags & 2u) != 0;
    a->health = isnan(health) ? NAN : health;
    a->renewal = renewal;
    a->migration = migration;
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* Importance                                                              */
/* ---------------------------------------------------------------------- */

static int scope_valid(const servgap_ctx *t, uint32_t scope)
{
    if (scope & SERVGAP__SCOPE_TIER)
        return (scope & ~SERVGAP__SCOPE_TIER) < t->tiers.count;
    return scope < t->accounts.names.count;
}

static int importance_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    servgap_ctx *t = r->t;
    void *p = t->imp;
    if (servgap__reserve(&t->alloc, &p, &t->capimp, n, sizeof *t->imp) != 0)
        return servgap__snap_oom(r);
    t->imp = p;
    return SERVGAP_OK;
}

static int decode_importance(reader *r, uint64_t i)
{
    servgap_ctx *t = r->t;
    servgap__importance *e = &t->imp[i];
    size_t at = r->pos;
    e->scope = servgap__snap_u32(r);
    e->whose = servgap__snap_i32(r);
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        e->p[d] = servgap__snap_f64(r);
    if (!scope_valid(t, e->scope))
        return servgap__snap_corrupt(r, at, "unknown scope 0x%08x", (unsigned)e->scope);
    if (e->whose != SERVGAP_WHOSE_CUSTOMER && e->whose != SERVGAP_WHOSE_PROVIDER)
        return servgap__snap_corrupt(r, at + 4, "whose %d", (int)e->whose);
    if (!servgap__points_valid(e->p))
        return servgap__snap_corrupt(r, at + 8, "points are not >= 0 summing to 100 +- 0.5");
    t->nimp++;
    return SERVGAP_OK;
}

static uint64_t importance_key(const servgap_ctx *t, size_t i)
{
    return (uint64_t)t->imp[i].scope << 32 | (uint32_t)t->imp[i].whose;
}

/* ---------------------------------------------------------------------- */
/* Observations and points                                                 */
/* ---------------------------------------------------------------------- */

/* n little-endian elements of width bytes into an array of the host. */
static void get_column(void *dst, const uint8_t *src, size_t n, size_t width)
{
    if (servgap__host_le()) {
        memcpy(dst, src, n * width);
        return;
    }
    uint8_t *d = dst;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < width; k++)
            d[i * width + k] = src[i * width + width - 1 - k];
}

/* The rows into the empty private log, a column at a time. Relies on the
 * store's layout: row i lives in chunk i / SERVGAP__CHUNK_MAX, and room
 * for n rows was reserved. */
static void store_fill(servgap__store *s, const uint8_t *rows, size_t n)
{
    for (size_t k = 0; k * SERVGAP__CHUNK_MAX < n; k++) {
        servgap__chunk *c = &s->chunk[k];
        size_t first = k * SERVGAP__CHUNK_MAX;
        size_t m = n - first < SERVGAP__CHUNK_MAX ? n - first : SERVGAP__CHUNK_MAX;
        void *col[7] = {c->value, c->day, c->scope, c->tp, c->metric, c->team, c->bits};
        for (int f = SERVGAP__COL_VALUE; f <= SERVGAP__COL_BITS; f++)
            get_column(col[f], rows + servgap__col_start[f] * n + servgap__col_width[f] * first, m,
                       servgap__col_width[f]);
        c->n = m;
    }
    s->count = n;
}

/* Where field f of row i is in the input, for messages. */
typedef struct rows_at {
    size_t base, n;
} rows_at;

static size_t field_at(const rows_at *ra, int f, uint64_t i)
{
    return ra->base + servgap__col_start[f] * ra->n + servgap__col_width[f] * (size_t)i;
}

static int row_ids_valid(reader *r, const rows_at *ra, uint64_t i, const servgap__obs *obs)
{
    const servgap_ctx *t = r->t;
    unsigned long long ri = (unsigned long long)i;
    if (!scope_valid(t, obs->scope))
        return servgap__snap_corrupt(r, field_at(ra, SERVGAP__COL_SCOPE, i),
                                     "row %llu: unknown scope 0x%08x", ri, (unsigned)obs->scope);
    if (obs->tp != SERVGAP__TP_ANY && obs->tp >= t->touchpoints.count)
        return servgap__snap_corrupt(r, field_at(ra, SERVGAP__COL_TP, i),
                                     "row %llu: unknown touchpoint %u", ri, (unsigned)obs->tp);
    if (obs->metric >= t->metrics.names.count)
        return servgap__snap_corrupt(r, field_at(ra, SERVGAP__COL_METRIC, i),
                                     "row %llu: unknown metric %u", ri, (unsigned)obs->metric);
    if (obs->team < -1 || (obs->team >= 0 && (size_t)obs->team >= t->teams.count))
        return servgap__snap_corrupt(r, field_at(ra, SERVGAP__COL_TEAM, i),
                                     "row %llu: unknown team %d", ri, (int)obs->team);
    return SERVGAP_OK;
}

/* A withdrawal row: a declared viewpoint with the start bit alone, value
 * 0, no driver and no team, in a snapshot whose header announces
 * withdrawals. */
static int withdrawal_valid(const reader *r, const servgap__obs *obs)
{
    int vp = SERVGAP__BITS_VP(obs->bits);
    return (r->header_flags & SERVGAP__SNAP_WITHDRAWALS) &&
           (vp == SERVGAP_VP_STANDARD || vp == SERVGAP_VP_PROMISED) &&
           SERVGAP__BITS_DRIVER(obs->bits) == SERVGAP_DRIVER_NONE && obs->team == -1 &&
           obs->value == 0.0;
}

/* A value inside its metric's range and the limits (a withdrawal's value
 * is 0 and means nothing: withdrawal_valid). */
static int value_valid(reader *r, const rows_at *ra, uint64_t i, const servgap__obs *obs)
{
    unsigned long long ri = (unsigned long long)i;
    const servgap__metric *m = &r->t->metrics.m[obs->metric];
    if (SERVGAP__IS_WITHDRAWAL(obs->bits))
        return SERVGAP_OK;
    if (!isfinite(obs->value) || obs->value < m->min || obs->value > m->max)
        return servgap__snap_corrupt(
            r, field_at(ra, SERVGAP__COL_VALUE, i), "row %llu: value %s outside [%s, %s]", ri,
            SERVGAP__NUM(obs->value), SERVGAP__NUM(m->min), SERVGAP__NUM(m->max));
    if (!servgap__value_in_limits(obs->value))
        return servgap__snap_corrupt(r, field_at(ra, SERVGAP__COL_VALUE, i),
                                     "row %llu: value %s beyond +-" SERVGAP__VALUE_MAX_TEXT
                                     " (SERVGAP_VALUE_MAX)",
                                     ri, SERVGAP__NUM(obs->value));
    return SERVGAP_OK;
}

/* The checks of servgap_record: a value inside its metric's range, a day
 * that a time within 2^31 days of 1970 gives, known bits. */
static int row_valid(reader *r, const rows_at *ra, uint64_t i, const servgap__obs *obs)
{
    unsigned long long ri = (unsigned long long)i;
    if (row_ids_valid(r, ra, i, obs) != SERVGAP_OK || value_valid(r, ra, i, obs) != SERVGAP_OK)
        return r->rc;
    if (obs->day < -INT32_MAX || obs->day == INT32_MAX)
        return servgap__snap_corrupt(r, field_at(ra, SERVGAP__COL_DAY, i), "row %llu: day %ld", ri,
                                     (long)obs->day);
    unsigned bits = obs->bits;
    if (SERVGAP__BITS_VP(bits) >= SERVGAP_VP_COUNT ||
        SERVGAP__BITS_DRIVER(bits) > SERVGAP_DRIVER_EXTERNAL_COMMUNICATION ||
        (SERVGAP__IS_WITHDRAWAL(bits) && !withdrawal_valid(r, obs)))
        return servgap__snap_corrupt(r, field_at(ra, SERVGAP__COL_BITS, i), "row %llu: bits 0x%02x",
                                     ri, bits);
    return SERVGAP_OK;
}

/* The response being read: what servgap_record_response writes is a run
 * of rows, the first flagged START, sharing scope, touchpoint, day, team
 * and driver, items in turn with their expected, adequate and perceived
 * rows in that order, no metric twice. */
typedef struct resp_check {
    int open;
    servgap__obs first;
    uint64_t id;    /* 1 + the first row's index */
    int32_t item;   /* metric of the current item */
    int vp;         /* its last viewpoint */
    uint64_t *seen; /* per metric: id of the last response that had it */
} resp_check;

static int same_context(const servgap__obs *a, const servgap__obs *b)
{
    return a->scope == b->scope && a->tp == b->tp && a->day == b->day && a->team == b->team &&
           SERVGAP__BITS_DRIVER(a->bits) == SERVGAP__BITS_DRIVER(b->bits);
}

static int response_row(reader *r, resp_check *rc, const rows_at *ra, uint64_t i,
                        const servgap__obs *obs)
{
    size_t at = field_at(ra, SERVGAP__COL_BITS, i);
    unsigned long long ri = (unsigned long long)i;
    if (!(obs->bits & SERVGAP__BIT_RESPONSE)) {
        rc->open = 0;
        return SERVGAP_OK;
    }
    if (obs->bits & SERVGAP__BIT_START) {
        rc->open = 1;
        rc->first = *obs;
        rc->id = i + 1;
        rc->item = -1;
    } else if (!rc->open || !same_context(&rc->first, obs)) {
        return servgap__snap_corrupt(r, at, "row %llu: a response row %s", ri,
                                     rc->open ? "differs from its response's first row"
                                              : "without a start");
    }
    int vp = SERVGAP__BITS_VP(obs->bits);
    if (vp != SERVGAP_VP_EXPECTED && vp != SERVGAP_VP_ADEQUATE && vp != SERVGAP_VP_PERCEIVED)
        return servgap__snap_corrupt(r, at, "row %llu: viewpoint %d in a response", ri, vp);
    if (obs->metric == rc->item && vp <= rc->vp)
        return servgap__snap_corrupt(
            r, at, "row %llu: an item's viewpoint repeats or is out of order", ri);
    if (obs->metric != rc->item) {
        if (rc->seen[obs->metric] == rc->id)
            return servgap__snap_corrupt(r, at, "row %llu: a metric repeats in one response", ri);
        rc->seen[obs->metric] = rc->id;
        rc->item = obs->metric;
    }
    rc->vp = vp;
    return SERVGAP_OK;
}

static int rows_valid(reader *r, const rows_at *ra)
{
    const servgap_ctx *t = r->t;
    resp_check rc = {0};
    rc.seen = servgap__calloc(&t->alloc, t->metrics.names.count, sizeof *rc.seen);
    if (!rc.seen)
        return servgap__snap_oom(r);
    servgap__obs obs;
    for (uint64_t i = 0; i < t->store.count && r->rc == SERVGAP_OK; i++) {
        servgap__store_get(&t->store, i, &obs);
        if (row_valid(r, ra, i, &obs) == SERVGAP_OK)
            response_row(r, &rc, ra, i, &obs);
    }
    servgap__free(&t->alloc, rc.seen);
    return r->rc;
}

static int observations_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    if (servgap__store_reserve(&r->t->store, &r->t->alloc, (size_t)n, 0) != 0)
        return servgap__snap_oom(r);
    return SERVGAP_OK;
}

/* The rows go in a column at a time, then are checked in the log. */
static int observations_finish(reader *r, uint64_t n, size_t base)
{
    rows_at ra = {base, (size_t)n};
    store_fill(&r->t->store, r->p + base, (size_t)n);
    r->pos = r->end;
    return rows_valid(r, &ra);
}

static int points_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    if (servgap__store_reserve(&r->t->store, &r->t->alloc, 0, (size_t)n) != 0)
        return servgap__snap_oom(r);
    return SERVGAP_OK;
}

static int decode_points(reader *r, uint64_t i)
{
    (void)i;
    servgap__store *s = &r->t->store;
    size_t at = r->pos;
    uint64_t ri = servgap__snap_u64(r);
    double p[SERVGAP_DIM_COUNT];
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++)
        p[d] = servgap__snap_f64(r);
    if (ri >= s->count || (s->npts > 0 && ri <= s->pts[s->npts - 1].row))
        return servgap__snap_corrupt(r, at, "row %llu is not a later row of the log",
                                     (unsigned long long)ri);
    servgap__obs obs;
    servgap__store_get(s, ri, &obs);
    if (!(obs.bits & SERVGAP__BIT_START))
        return servgap__snap_corrupt(r, at, "row %llu does not start a response",
                                     (unsigned long long)ri);
    if (!servgap__points_valid(p))
        return servgap__snap_corrupt(r, at + 8, "points are not >= 0 summing to 100 +- 0.5");
    servgap__store_push_points(s, ri, p);
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* Efforts and plans                                                       */
/* ---------------------------------------------------------------------- */

/* A touchpoint or metric of an effort or plan: SERVGAP_ALL or a known id. */
static int id_or_all(int32_t id, size_t count)
{
    return id == SERVGAP_ALL || (id >= 0 && (size_t)id < count);
}

static uint64_t effort_key(const servgap_ctx *t, size_t i)
{
    const servgap__effort *e = &t->eff[i];
    return (uint64_t)(uint32_t)(e->gap + 2) << 40 | (uint64_t)(uint32_t)(e->tp + 2) << 20 |
           (uint32_t)(e->metric + 2);
}

static int effort_valid(reader *r, size_t at, const servgap__effort *e)
{
    if (e->gap != SERVGAP_ALL && (e->gap < 0 || e->gap >= SERVGAP_GAP_COUNT))
        return servgap__snap_corrupt(r, at, "gap %d", (int)e->gap);
    if (!id_or_all(e->tp, r->t->touchpoints.count))
        return servgap__snap_corrupt(r, at + 4, "unknown touchpoint %d", (int)e->tp);
    if (!id_or_all(e->metric, r->t->metrics.names.count))
        return servgap__snap_corrupt(r, at + 8, "unknown metric %d", (int)e->metric);
    if (!servgap__effort_in_limits(e->effort))
        return servgap__snap_corrupt(r, at + 12,
                                     "effort %s outside " SERVGAP__EFFORT_LIMITS_TEXT
                                     " (SERVGAP_EFFORT_MIN, SERVGAP_EFFORT_MAX)",
                                     SERVGAP__NUM(e->effort));
    return SERVGAP_OK;
}

static int efforts_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    servgap_ctx *t = r->t;
    void *p = t->eff;
    if (servgap__reserve(&t->alloc, &p, &t->capeff, n, sizeof *t->eff) != 0)
        return servgap__snap_oom(r);
    t->eff = p;
    return SERVGAP_OK;
}

static int decode_effort(reader *r, uint64_t i)
{
    servgap_ctx *t = r->t;
    servgap__effort *e = &t->eff[i];
    size_t at = r->pos;
    e->gap = servgap__snap_i32(r);
    e->tp = servgap__snap_i32(r);
    e->metric = servgap__snap_i32(r);
    e->effort = servgap__snap_f64(r);
    if (effort_valid(r, at, e) == SERVGAP_OK)
        t->neff++;
    return r->rc;
}

static int plan_valid(reader *r, size_t at, const servgap__plan *p)
{
    const servgap_ctx *t = r->t;
    if (p->scope_kind != SERVGAP_SCOPE_ACCOUNT && p->scope_kind != SERVGAP_SCOPE_TIER)
        return servgap__snap_corrupt(r, at, "scope kind %d", (int)p->scope_kind);
    size_t nscope = p->scope_kind == SERVGAP_SCOPE_TIER ? t->tiers.count : t->accounts.names.count;
    if (p->scope_id < 0 || (size_t)p->scope_id >= nscope)
        return servgap__snap_corrupt(r, at, "unknown scope id %d", (int)p->scope_id);
    if (!id_or_all(p->tp, t->touchpoints.count))
        return servgap__snap_corrupt(r, at, "unknown touchpoint %d", (int)p->tp);
    if (!id_or_all(p->metric, t->metrics.names.count))
        return servgap__snap_corrupt(r, at, "unknown metric %d", (int)p->metric);
    /* servgap_plan_add gives a metric's plan the metric's dimension. */
    int32_t dim = p->metric == SERVGAP_ALL ? p->dimension : t->metrics.m[p->metric].dimension;
    if (p->dimension < 0 || p->dimension >= SERVGAP_DIM_COUNT || p->dimension != dim)
        return servgap__snap_corrupt(r, at, "dimension %d", (int)p->dimension);
    if (p->gap < 0 || p->gap >= SERVGAP_GAP_COUNT)
        return servgap__snap_corrupt(r, at, "gap %d", (int)p->gap);
    if (!isfinite(p->target))
        return servgap__snap_corrupt(r, at, "target %s", SERVGAP__NUM(p->target));
    if (p->last_outcome < SERVGAP_OUTCOME_NONE || p->last_outcome > SERVGAP_OUTCOME_UNKNOWN)
        return servgap__snap_corrupt(r, at, "outcome %d", (int)p->last_outcome);
    return SERVGAP_OK;
}

static int decode_plan(reader *r, uint64_t i)
{
    (void)i;
    size_t at = r->pos;
    char owner[256];
    size_t olen = servgap__snap_name(r, owner);
    if (!olen)
        return r->rc;
    servgap__plan p;
    p.base_from = p.base_to = SERVGAP_TIME_NONE; /* unless plan windows follow */
    p.scope_kind = servgap__snap_i32(r);
    p.scope_id = servgap__snap_i32(r);
    p.tp = servgap__snap_i32(r);
    p.metric = servgap__snap_i32(r);
    p.dimension = servgap__snap_i32(r);
    p.gap = servgap__snap_i32(r);
    p.deadline = servgap__snap_i64(r);
    p.target = servgap__snap_f64(r);
    p.last_outcome = servgap__snap_i32(r);
    p.next_check = servgap__snap_i64(r);
    if (r->rc != SERVGAP_OK || plan_valid(r, at, &p) != SERVGAP_OK)
        return r->rc;
    servgap_ctx *t = r->t;
    p.owner = servgap__names_find(&t->owners, owner, olen);
    if (p.owner < 0 && servgap__names_add(&t->owners, &t->alloc, owner, olen, &p.owner) != 0)
        return servgap__snap_oom(r);
    t->plans[t->nplans++] = p;
    return SERVGAP_OK;
}

static int plans_begin(reader *r, uint64_t n, size_t at)
{
    (void)at;
    servgap_ctx *t = r->t;
    void *p = t->plans;
    if (servgap__reserve(&t->alloc, &p, &t->capplans, n, sizeof *t->plans) != 0)
        return servgap__snap_oom(r);
    t->plans = p;
    return SERVGAP_OK;
}

/* The windows of the plans just decoded: one per plan, in plan order. */
static int plan_windows_begin(reader *r, uint64_t n, size_t at)
{
    if (n != r->t->nplans)
        return servgap__snap_corrupt(r, at, "%llu windows for %zu plan items",
                                     (unsigned long long)n, r->t->nplans);
    return SERVGAP_OK;
}

static int decode_plan_window(reader *r, uint64_t i)
{
    size_t at = r->pos;
    int64_t from = servgap__snap_i64(r), to = servgap__snap_i64(r);
    const char *why = servgap__plan_window_fault(from, to);
    if (r->rc != SERVGAP_OK)
        return r->rc;
    if (why)
        return servgap__snap_corrupt(r, at, "plan %llu: baseline window [%lld, %lld) %s",
                                     (unsigned long long)i, (long long)from, (long long)to, why);
    r->t->plans[i].base_from = from;
    r->t->plans[i].base_to = to;
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* The table                                                               */
/* ---------------------------------------------------------------------- */

/* How a section is decoded. It starts with a u64 count n; begin has the
 * count (read at offset at) before any entry, decode_one each entry in
 * turn, then no two entries may share a key (named by key_name), and
 * finish runs last, with the offset base where the entries start. Any
 * hook may be NULL. Each returns the reader's rc, which sticks. */
typedef struct section_decoder {
    size_t entry;   /* bytes of an entry: of each when fixed, else at least */
    int fixed;      /* the entries fill the section exactly */
    uint64_t limit; /* the most entries, when not fixed */
    int (*begin)(reader *r, uint64_t n, size_t at);
    int (*decode_one)(reader *r, uint64_t i);
    uint64_t (*key)(const servgap_ctx *t, size_t i);
    const char *key_name;
    int (*finish)(reader *r, uint64_t n, size_t base);
} section_decoder;

static const section_decoder decoders[SERVGAP__SEC_COUNT] = {
    [SERVGAP__SEC_TIERS] = {.entry = 2, .limit = 0x40000000u, .decode_one = decode_tier},
    [SERVGAP__SEC_TOUCHPOINTS] = {.entry = 2,
                                  .limit = SERVGAP__TP_ALL,
                                  .decode_one = decode_touchpoint},
    [SERVGAP__SEC_TEAMS] = {.entry = 2, .limit = INT32_MAX, .decode_one = decode_team},
    [SERVGAP__SEC_METRICS] = {.entry = 38,
                              .limit = 0xffff,
                              .begin = metrics_begin,
                              .decode_one = decode_metric},
    [SERVGAP__SEC_ACCOUNTS] = {.entry = 42, .limit = INT32_MAX, .decode_one = decode_account},
    [SERVGAP__SEC_IMPORTANCE] = {.entry = 48,
                                 .fixed = 1,
                                 .begin = importance_begin,
                                 .decode_one = decode_importance,
                                 .key = importance_key,
                                 .key_name = "scope and whose"},
    [SERVGAP__SEC_OBSERVATIONS] = {.entry = SERVGAP__SNAP_ROW_BYTES,
                                   .fixed = 1,
                                   .begin = observations_begin,
                                   .finish = observations_finish},
    [SERVGAP__SEC_POINTS] = {.entry = 48,
                             .fixed = 1,
                             .begin = points_begin,
                             .decode_one = decode_points},
    [SERVGAP__SEC_EFFORTS] = {.entry = 20,
                              .fixed = 1,
                              .begin = efforts_begin,
                              .decode_one = decode_effort,
                              .key = effort_key,
                              .key_name = "gap, touchpoint and metric"},
    [SERVGAP__SEC_PLANS] = {.entry = 54,
                            .limit = INT32_MAX,
                            .begin = plans_begin,
                            .decode_one = decode_plan},
    [SERVGAP__SEC_PLAN_WINDOWS] = {.entry = 16,
                                   .fixed = 1,
                                   .begin = plan_windows_begin,
                                   .decode_one = decode_plan_window},
    /* A summary's own sections (sumdecode.c). */
    [SERVGAP__SEC_SUMMARY] = {.entry = SERVGAP__SUM_SUMMARY_BYTES,
                              .fixed = 1,
                              .begin = servgap__sum_summary_begin,
                              .decode_one = servgap__sum_summary_one},
    [SERVGAP__SEC_SERIES] = {.entry = SERVGAP__SUM_SERIES_BYTES,
                             .fixed = 1,
                             .begin = servgap__sum_series_begin,
                             .decode_one = servgap__sum_series_one},
    [SERVGAP__SEC_DAYS] = {.entry = SERVGAP__SUM_DAY_BYTES,
                           .fixed = 1,
                           .begin = servgap__sum_days_begin,
                           .decode_one = servgap__sum_days_one,
                           .finish = servgap__sum_days_finish},
    [SERVGAP__SEC_PAIRS] = {.entry = SERVGAP__SUM_PAIR_BYTES,
                            .fixed = 1,
                            .begin = servgap__sum_pairs_begin,
                            .decode_one = servgap__sum_pairs_one},
    [SERVGAP__SEC_RESPONSES] = {.entry = SERVGAP__SUM_RESP_BYTES,
                                .fixed = 1,
                                .begin = servgap__sum_resp_begin,
                                .decode_one = servgap__sum_resp_one},
};

/* The n keys of the section's entries, which start at base, unique. */
static int keys_unique(reader *r, const section_decoder *d, uint64_t n, size_t base)
{
    const servgap_ctx *t = r->t;
    uint64_t *keys = servgap__malloc(&t->alloc, (size_t)n, sizeof *keys);
    if (!keys)
        return servgap__snap_oom(r);
    for (size_t i = 0; i < n; i++)
        keys[i] = d->key(t, i);
    servgap__snap_unique(r, keys, (size_t)n, base, d->entry, d->key_name);
    servgap__free(&t->alloc, keys);
    return r->rc;
}

int servgap__snap_decode_section(servgap__snapreader *r, int k)
{
    const section_decoder *d = &decoders[k];
    size_t at = r->pos;
    uint64_t n = servgap__snap_u64(r);
    if (d->fixed)
        servgap__snap_count_exact(r, at, n, d->entry);
    else
        servgap__snap_count_fits(r, at, n, d->entry, d->limit);
    if (r->rc == SERVGAP_OK && d->begin)
        d->begin(r, n, at);
    size_t base = r->pos;
    for (uint64_t i = 0; d->decode_one && i < n && r->rc == SERVGAP_OK; i++)
        d->decode_one(r, i);
    if (r->rc == SERVGAP_OK && d->key)
        keys_unique(r, d, n, base);
    if (r->rc == SERVGAP_OK && d->finish)
        d->finish(r, n, base);
    return r->rc;
}
