/*
 * record -- the public recording calls. Every input is validated into store
 * rows first; the log grows only when all of a call's rows are good and the
 * room for them is reserved, so a rejected call records nothing.
 */
#include "../base/platform.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../model/ctx.h"
#include "../model/limits.h"
#include "../base/numtext.h"

/* Validated, encoded arguments of one observation. */
typedef struct obs_in {
    int32_t scope_kind, scope_id, touchpoint, metric, viewpoint;
    double value;
    int64_t time;
    int32_t team, driver;
} obs_in;

/* Where an input is, for messages: "observation 17: ", "item 2: " or
 * nothing (label NULL). The text is formatted only when a check fails, so
 * validating a large batch costs no string work. */
typedef struct where {
    const char *label;
    size_t i;
} where;

#if defined(__GNUC__) || defined(__clang__)
__attribute__((format(printf, 5, 6)))
#endif
static int
fail_at(servgap_ctx *ctx, int code, const char *fn, const where *w, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!w->label)
        return servgap__fail(ctx, code, fn, "%s", msg);
    return servgap__fail(ctx, code, fn, "%s %zu: %s", w->label, w->i, msg);
}

static int check_value(servgap_ctx *ctx, const char *fn, const where *w, int32_t metric, double v)
{
    const servgap__metric *m = &ctx->metrics.m[metric];
    if (!isfinite(v) || v < m->min || v > m->max)
        return fail_at(ctx, SERVGAP_ERANGE, fn, w, "value %s outside [%s, %s] of metric '%s'",
                       SERVGAP__NUM(v), SERVGAP__NUM(m->min), SERVGAP__NUM(m->max),
                       ctx->metrics.names.str[metric]);
    /* Only a metric with an unbounded end lets a value get here. */
    if (!servgap__value_in_limits(v))
        return fail_at(ctx, SERVGAP_ERANGE, fn, w,
                       "value %s of metric '%s' is beyond +-" SERVGAP__VALUE_MAX_TEXT
                       " (SERVGAP_VALUE_MAX)",
                       SERVGAP__NUM(v), ctx->metrics.names.str[metric]);
    return SERVGAP_OK;
}

/* The day of a time, if it fits the log's 32-bit day column. */
static int day_of(int64_t t, int32_t *day)
{
    const int64_t limit = (int64_t)INT32_MAX * SERVGAP_DAY;
    if (t <= -limit || t >= limit)
        return -1;
    int64_t d = t / SERVGAP_DAY;
    if (t % SERVGAP_DAY < 0)
        d--;
    *day = (int32_t)d;
    return 0;
}

/* Checks the parts common to observations and responses. */
static int check_context(servgap_ctx *ctx, const char *fn, const where *w, const obs_in *o)
{
    uint32_t scope;
    int32_t day;
    int rc = servgap__scope_encode(ctx, fn, o->scope_kind, o->scope_id, &scope);
    if (rc != SERVGAP_OK)
        return fail_at(ctx, rc, fn, w, "%s %d",
                       rc == SERVGAP_EINVAL ? "unknown scope kind" : "unknown scope id",
                       rc == SERVGAP_EINVAL ? (int)o->scope_kind : (int)o->scope_id);
    if (o->touchpoint != SERVGAP_ANY &&
        (o->touchpoint < 0 || (size_t)o->touchpoint >= ctx->touchpoints.count))
        return fail_at(ctx, SERVGAP_ENOTFOUND, fn, w, "unknown touchpoint id %d",
                       (int)o->touchpoint);
    if (o->team != SERVGAP_NONE && (o->team < 0 || (size_t)o->team >= ctx->teams.count))
        return fail_at(ctx, SERVGAP_ENOTFOUND, fn, w, "unknown team id %d", (int)o->team);
    if (o->driver < SERVGAP_DRIVER_NONE || o->driver > SERVGAP_DRIVER_EXTERNAL_COMMUNICATION)
        return fail_at(ctx, SERVGAP_EINVAL, fn, w, "unknown driver %d", (int)o->driver);
    if (day_of(o->time, &day) != 0)
        return fail_at(ctx, SERVGAP_ERANGE, fn, w, "time %lld out of range", (long long)o->time);
    return SERVGAP_OK;
}

/* The store row of a validated observation. */
static void obs_encode(const obs_in *o, servgap__obs *obs)
{
    obs->value = o->value;
    day_of(o->time, &obs->day);
    obs->scope = o->scope_kind == SERVGAP_SCOPE_TIER ? (uint32_t)o->scope_id | SERVGAP__SCOPE_TIER
                                                     : (uint32_t)o->scope_id;
    obs->tp = o->touchpoint == SERVGAP_ANY ? SERVGAP__TP_ANY : (uint16_t)o->touchpoint;
    obs->metric = (uint16_t)o->metric;
    obs->team = o->team;
    obs->bits = (uint8_t)(o->driver << 3 | o->viewpoint);
}

static int check_metric(servgap_ctx *ctx, const char *fn, const where *w, int32_t metric)
{
    if (metric < 0 || (size_t)metric >= ctx->metrics.names.count)
        return fail_at(ctx, SERVGAP_ENOTFOUND, fn, w, "unknown metric id %d", (int)metric);
    return SERVGAP_OK;
}

static int obs_check(servgap_ctx *ctx, const char *fn, const where *w, const obs_in *o)
{
    int rc = check_context(ctx, fn, w, o);
    if (rc == SERVGAP_OK)
        rc = check_metric(ctx, fn, w, o->metric);
    if (rc == SERVGAP_OK && (o->viewpoint < 0 || o->viewpoint >= SERVGAP_VP_COUNT))
        rc = fail_at(ctx, SERVGAP_EINVAL, fn, w, "unknown viewpoint %d", (int)o->viewpoint);
    if (rc == SERVGAP_OK)
        rc = check_value(ctx, fn, w, o->metric, o->value);
    return rc;
}

static int record_columns(servgap_ctx *ctx, const char *fn, int batch, size_t n,
                          const int32_t *scope_kind, const int32_t *scope_id,
                          const int32_t *touchpoint, const int32_t *metric,
                          const int32_t *viewpoint, const double *value, const int64_t *time,
                          const int32_t *team, const int32_t *driver);

SERVGAP_API int servgap_record(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id,
                               int32_t touchpoint, int32_t metric, int32_t viewpoint, double value,
                               int64_t time, int32_t team, int32_t driver)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    return record_columns(ctx, "servgap_record", 0, 1, &scope_kind, &scope_id, &touchpoint, &metric,
                          &viewpoint, &value, &time, &team, &driver);
}

/* Element i of a batch, with the optional columns defaulted. */
static void batch_get(size_t i, const int32_t *kind, const int32_t *sid, const int32_t *tp,
                      const int32_t *metric, const int32_t *vp, const double *value,
                      const int64_t *time, const int32_t *team, const int32_t *driver, obs_in *o)
{
    o->scope_kind = kind ? kind[i] : SERVGAP_SCOPE_ACCOUNT;
    o->scope_id = sid[i];
    o->touchpoint = tp[i];
    o->metric = metric[i];
    o->viewpoint = vp[i];
    o->value = value[i];
    o->time = time[i];
    o->team = team ? team[i] : SERVGAP_NONE;
    o->driver = driver ? driver[i] : SERVGAP_DRIVER_NONE;
}

SERVGAP_API int servgap_record_batch(servgap_ctx *ctx, size_t n, const int32_t *scope_kind,
                                     const int32_t *scope_id, const int32_t *touchpoint,
                                     const int32_t *metric, const int32_t *viewpoint,
                                     const double *value, const int64_t *time, const int32_t *team,
                                     const int32_t *driver)
{
    static const char *const fn = "servgap_record_batch";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (n == 0)
        return SERVGAP_OK;
    if (!scope_id || !touchpoint || !metric || !viewpoint || !value || !time)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "a required column is NULL");
    return record_columns(ctx, fn, 1, n, scope_kind, scope_id, touchpoint, metric, viewpoint, value,
                          time, team, driver);
}

/* 1 when observation i passes every check of obs_check: the same rules,
 * without function calls or messages, so that a large batch is validated
 * at memory speed. A failing index is re-checked by obs_check for its
 * message. */
static int obs_ok(const servgap_ctx *ctx, size_t i, const int32_t *kind, const int32_t *sid,
                  const int32_t *tp, const int32_t *metric, const int32_t *vp, const double *value,
                  const int64_t *time, const int32_t *team, const int32_t *driver)
{
    const int64_t limit = (int64_t)INT32_MAX * SERVGAP_DAY;
    int32_t k = kind ? kind[i] : SERVGAP_SCOPE_ACCOUNT;
    size_t nscope = k == SERVGAP_SCOPE_ACCOUNT ? ctx->accounts.names.count
                    : k == SERVGAP_SCOPE_TIER  ? ctx->tiers.count
                                               : 0;
    int32_t m = metric[i];
    if (sid[i] < 0 || (size_t)sid[i] >= nscope)
        return 0;
    if (tp[i] != SERVGAP_ANY && (tp[i] < 0 || (size_t)tp[i] >= ctx->touchpoints.count))
        return 0;
    if (team && team[i] != SERVGAP_NONE && (team[i] < 0 || (size_t)team[i] >= ctx->teams.count))
        return 0;
    if (driver &&
        (driver[i] < SERVGAP_DRIVER_NONE || driver[i] > SERVGAP_DRIVER_EXTERNAL_COMMUNICATION))
        return 0;
    if (time[i] <= -limit || time[i] >= limit)
        return 0;
    if (m < 0 || (size_t)m >= ctx->metrics.names.count)
        return 0;
    if (vp[i] < 0 || vp[i] >= SERVGAP_VP_COUNT)
        return 0;
    const servgap__metric *mm = &ctx->metrics.m[m];
    double v = value[i];
    /* NaN fails both comparisons; infinities fail isfinite. */
    return isfinite(v) && v >= mm->min && v <= mm->max && servgap__value_in_limits(v);
}

/* Append n validated observations column by column, straight into the
 * reserved chunks (servgap__store_push's layout, without a call and a
 * division per row): the rows and their order are those of n pushes. */
static void append_columns(servgap__store *st, size_t n, const int32_t *kind, const int32_t *sid,
                           const int32_t *tp, const int32_t *metric, const int32_t *vp,
                           const double *value, const int64_t *time, const int32_t *team,
                           const int32_t *driver)
{
    size_t i = 0;
    while (i < n) {
        servgap__chunk *c = &st->chunk[st->count / SERVGAP__CHUNK_MAX];
        size_t at = c->n, take = SERVGAP__CHUNK_MAX - at;
        if (take > n - i)
            take = n - i;
        memcpy(c->value + at, value + i, take * sizeof *value);
        for (size_t j = 0; j < take; j++)
            day_of(time[i + j], &c->day[at + j]); /* validated: cannot fail */
        for (size_t j = 0; j < take; j++) {
            int tier = kind && kind[i + j] == SERVGAP_SCOPE_TIER;
            c->scope[at + j] = (uint32_t)sid[i + j] | (tier ? SERVGAP__SCOPE_TIER : 0u);
        }
        for (size_t j = 0; j < take; j++)
            c->tp[at + j] = tp[i + j] == SERVGAP_ANY ? SERVGAP__TP_ANY : (uint16_t)tp[i + j];
        for (size_t j = 0; j < take; j++)
            c->metric[at + j] = (uint16_t)metric[i + j];
        if (team)
            memcpy(c->team + at, team + i, take * sizeof *team);
        else
            for (size_t j = 0; j < take; j++)
                c->team[at + j] = SERVGAP_NONE;
        for (size_t j = 0; j < take; j++)
            c->bits[at + j] =
                (uint8_t)((driver ? driver[i + j] : SERVGAP_DRIVER_NONE) << 3 | vp[i + j]);
        c->n += take;
        st->count += take;
        i += take;
    }
}

/* Validates all n observations, reserves room, then appends them. */
static int record_columns(servgap_ctx *ctx, const char *fn, int batch, size_t n,
                          const int32_t *scope_kind, const int32_t *scope_id,
                          const int32_t *touchpoint, const int32_t *metric,
                          const int32_t *viewpoint, const double *value, const int64_t *time,
                          const int32_t *team, const int32_t *driver)
{
    servgap__wrlock(ctx);
    int rc = SERVGAP_OK;
    obs_in o;
    where w = {batch ? "observation" : NULL, 0};
    /* Validate everything before reserving: a bad batch costs no memory.
     * The fast check finds the first bad index; obs_check words its
     * message. */
    for (size_t i = 0; i < n && rc == SERVGAP_OK; i++) {
        if (obs_ok(ctx, i, scope_kind, scope_id, touchpoint, metric, viewpoint, value, time, team,
                   driver))
            continue;
        batch_get(i, scope_kind, scope_id, touchpoint, metric, viewpoint, value, time, team, driver,
                  &o);
        w.i = i;
        rc = obs_check(ctx, fn, &w, &o);
    }
    if (rc == SERVGAP_OK && servgap__store_reserve(&ctx->store, &ctx->alloc, n, 0) != 0)
        rc = servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory storing %zu observations", n);
    if (rc == SERVGAP_OK)
        append_columns(&ctx->store, n, scope_kind, scope_id, touchpoint, metric, viewpoint, value,
                       time, team, driver);
    servgap__unlock(ctx);
    return rc;
}

/* Checks the items of a response and counts the rows they become. */
static int response_items(servgap_ctx *ctx, const char *fn, size_t n, const int32_t *metric,
                          const double *e, const double *a, const double *p, size_t *rows)
{
    *rows = 0;
    for (size_t i = 0; i < n; i++) {
        const where w = {"item", i};
        int rc = check_metric(ctx, fn, &w, metric[i]);
        if (rc != SERVGAP_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (metric[j] == metric[i])
                return fail_at(ctx, SERVGAP_EINVAL, fn, &w, "metric '%s' repeats item %zu",
                               ctx->metrics.names.str[metric[i]], j);
        const double v[3] = {e[i], a ? a[i] : NAN, p[i]};
        for (int k = 0; k < 3; k++) {
            if (isnan(v[k]))
                continue;
            if ((rc = check_value(ctx, fn, &w, metric[i], v[k])) != SERVGAP_OK)
                return rc;
            ++*rows;
        }
    }
    if (*rows == 0)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "the response answers no item");
    return SERVGAP_OK;
}

static void response_push(servgap_ctx *ctx, servgap__obs *obs, size_t n, const int32_t *metric,
                          const double *e, const double *a, const double *p)
{
    static const int vps[3] = {SERVGAP_VP_EXPECTED, SERVGAP_VP_ADEQUATE, SERVGAP_VP_PERCEIVED};
    uint8_t base = (uint8_t)((obs->bits & 0x38u) | SERVGAP__BIT_RESPONSE);
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        const double v[3] = {e[i], a ? a[i] : NAN, p[i]};
        for (int k = 0; k < 3; k++) {
            if (isnan(v[k]))
                continue;
            obs->value = v[k];
            obs->metric = (uint16_t)metric[i];
            obs->bits = (uint8_t)(base | vps[k] | (first ? SERVGAP__BIT_START : 0));
            servgap__store_push(&ctx->store, obs);
            first = 0;
        }
    }
}

SERVGAP_API int servgap_record_response(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id,
                                        int32_t touchpoint, int64_t time, int32_t team,
                                        int32_t driver, size_t n_items, const int32_t *metric,
                                        const double *expected, const double *adequate,
                                        const double *perceived, const double *importance)
{
    static const char *const fn = "servgap_record_response";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (n_items == 0 || !metric || !expected || !perceived)
        return servgap__fail(ctx, n_items == 0 ? SERVGAP_EINVAL : SERVGAP_EMISUSE, fn,
                             n_items == 0 ? "the response has no items"
                                          : "metric, expected or perceived is NULL");
    if (importance && !servgap__points_valid(importance))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "importance points must be >= 0 and sum to 100 +- 0.5");
    obs_in o = {scope_kind, scope_id, touchpoint, 0, 0, 0.0, time, team, driver};
    const where none = {NULL, 0};
    servgap__obs obs;
    size_t rows = 0;
    servgap__wrlock(ctx);
    int rc = check_context(ctx, fn, &none, &o);
    if (rc == SERVGAP_OK)
        rc = response_items(ctx, fn, n_items, metric, expected, adequate, perceived, &rows);
    if (rc == SERVGAP_OK &&
        servgap__store_reserve(&ctx->store, &ctx->alloc, rows, importance ? 1 : 0) != 0)
        rc = servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory storing the response");
    if (rc == SERVGAP_OK) {
        if (importance)
            servgap__store_push_points(&ctx->store, ctx->store.count, importance);
        obs_encode(&o, &obs);
        response_push(ctx, &obs, n_items, metric, expected, adequate, perceived);
    }
    servgap__unlock(ctx);
    return rc;
}

/* A withdrawal is a row of its own (store.h), so that it lives in the log,
 * in snapshots and in merges like every declaration. */
SERVGAP_API int servgap_declaration_withdraw(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id,
                                             int32_t touchpoint, int32_t metric, int32_t viewpoint,
                                             int64_t time)
{
    static const char *const fn = "servgap_declaration_withdraw";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (viewpoint != SERVGAP_VP_STANDARD && viewpoint != SERVGAP_VP_PROMISED)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn,
                             "viewpoint %d is not a declaration (standard or promised)",
                             (int)viewpoint);
    obs_in o = {scope_kind, scope_id,     touchpoint,         metric, viewpoint, 0.0,
                time,       SERVGAP_NONE, SERVGAP_DRIVER_NONE};
    const where none = {NULL, 0};
    servgap__wrlock(ctx);
    int rc = check_context(ctx, fn, &none, &o);
    if (rc == SERVGAP_OK)
        rc = check_metric(ctx, fn, &none, metric);
    if (rc == SERVGAP_OK && servgap__store_reserve(&ctx->store, &ctx->alloc, 1, 0) != 0)
        rc = servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
    if (rc == SERVGAP_OK) {
        servgap__obs obs;
        obs_encode(&o, &obs);
        obs.bits |= SERVGAP__BITS_WITHDRAWAL;
        servgap__store_push(&ctx->store, &obs);
    }
    servgap__unlock(ctx);
    return rc;
}
