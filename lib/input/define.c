/*
 * define -- the public calls that define what observations refer to:
 * interned names, metrics, accounts and importance allocations. Each
 * validates everything first, then changes the handle under its write lock.
 */
#include "../base/platform.h"

#include <math.h>
#include <string.h>

#include "../model/ctx.h"
#include "../model/limits.h"
#include "../model/sized.h"
#include "../base/numtext.h"
#include "../model/tables.h"

static const char *kind_label(int32_t kind)
{
    switch (kind) {
    case SERVGAP_KIND_TIER:
        return "tier";
    case SERVGAP_KIND_TOUCHPOINT:
        return "touchpoint";
    case SERVGAP_KIND_TEAM:
        return "team";
    case SERVGAP_KIND_ACCOUNT:
        return "account";
    default:
        return "metric";
    }
}

static int check_name(servgap_ctx *ctx, const char *func, const char *what, const char *name)
{
    if (!name)
        return servgap__fail(ctx, SERVGAP_EMISUSE, func, "%s name is NULL", what);
    size_t len = strnlen(name, 256);
    if (!servgap__name_valid(name, len))
        return servgap__fail(ctx, SERVGAP_EINVAL, func,
                             "%s name must be 1..255 bytes of valid UTF-8", what);
    return SERVGAP_OK;
}

int servgap__intern_locked(servgap_ctx *ctx, const char *func, int32_t kind, const char *name,
                           int32_t *id)
{
    servgap__names *t = servgap__kind_names(ctx, kind);
    size_t len = strlen(name);
    int32_t found = servgap__names_find(t, name, len);
    if (found >= 0) {
        *id = found;
        return SERVGAP_OK;
    }
    if (kind == SERVGAP_KIND_TOUCHPOINT && t->count >= SERVGAP__TP_ALL)
        return servgap__fail(ctx, SERVGAP_ELIMIT, func, "more than 65534 touchpoints");
    if (kind == SERVGAP_KIND_TIER && t->count >= 0x40000000u)
        return servgap__fail(ctx, SERVGAP_ELIMIT, func, "more than 2^30 tiers");
    if (servgap__names_add(t, &ctx->alloc, name, len, id) != 0)
        return servgap__fail(ctx, SERVGAP_ENOMEM, func, "out of memory interning %s '%s'",
                             kind_label(kind), name);
    return SERVGAP_OK;
}

SERVGAP_API int servgap_intern(servgap_ctx *ctx, int32_t kind, const char *name, int32_t *id)
{
    static const char *const fn = "servgap_intern";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!id)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "id is NULL");
    if (kind != SERVGAP_KIND_TIER && kind != SERVGAP_KIND_TOUCHPOINT && kind != SERVGAP_KIND_TEAM)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn,
                             "kind %d cannot be interned (tier, touchpoint or team)", (int)kind);
    int rc = check_name(ctx, fn, kind_label(kind), name);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__wrlock(ctx);
    rc = servgap__intern_locked(ctx, fn, kind, name, id);
    servgap__unlock(ctx);
    return rc;
}

SERVGAP_API int servgap_lookup(servgap_ctx *ctx, int32_t kind, const char *name, int32_t *id)
{
    static const char *const fn = "servgap_lookup";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!name || !id)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "name or id is NULL");
    servgap__rdlock(ctx);
    servgap__names *t = servgap__kind_names(ctx, kind);
    int32_t found = t ? servgap__names_find(t, name, strlen(name)) : -1;
    servgap__unlock(ctx);
    if (!t)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown kind %d", (int)kind);
    if (found < 0)
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn, "no %s named '%.255s'", kind_label(kind),
                             name);
    *id = found;
    return SERVGAP_OK;
}

SERVGAP_API int servgap_name(servgap_ctx *ctx, int32_t kind, int32_t id, const char **name)
{
    static const char *const fn = "servgap_name";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!name)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "name is NULL");
    servgap__rdlock(ctx);
    servgap__names *t = servgap__kind_names(ctx, kind);
    const char *s = t && id >= 0 && (size_t)id < t->count ? t->str[id] : NULL;
    servgap__unlock(ctx);
    if (!t)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown kind %d", (int)kind);
    if (!s)
        return servgap__fail(ctx, SERVGAP_ENOTFOUND, fn, "unknown %s id %d", kind_label(kind),
                             (int)id);
    *name = s;
    return SERVGAP_OK;
}

SERVGAP_API int servgap_count(servgap_ctx *ctx, int32_t kind, int32_t *count)
{
    static const char *const fn = "servgap_count";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!count)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "count is NULL");
    servgap__rdlock(ctx);
    servgap__names *t = servgap__kind_names(ctx, kind);
    size_t n = t ? t->count : 0;
    servgap__unlock(ctx);
    if (!t)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown kind %d", (int)kind);
    *count = (int32_t)n;
    return SERVGAP_OK;
}

/* Checks a range and its span, filling in the default span, max - min. */
static int metric_range_check(servgap_ctx *ctx, const char *name, servgap__metric *m)
{
    static const char *const fn = "servgap_metric_define";
    if (isnan(m->min) || isnan(m->max) || m->min == INFINITY || m->max == -INFINITY ||
        !(m->min < m->max))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "metric '%s': range [%s, %s] is not min < max", name,
                             SERVGAP__NUM(m->min), SERVGAP__NUM(m->max));
    int min_ok = servgap__range_end_in_limits(m->min);
    if (!min_ok || !servgap__range_end_in_limits(m->max))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "metric '%s': %s %s is beyond +-" SERVGAP__VALUE_MAX_TEXT
                             " (SERVGAP_VALUE_MAX)",
                             name, min_ok ? "max" : "min", SERVGAP__NUM(min_ok ? m->max : m->min));
    int defaulted = m->span == 0.0;
    if (defaulted && (!isfinite(m->min) || !isfinite(m->max)))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "metric '%s': an unbounded range needs a span", name);
    if (defaulted)
        m->span = m->max - m->min;
    if (!isfinite(m->span) || m->span <= 0.0)
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "metric '%s': span %s must be positive and finite", name,
                             SERVGAP__NUM(m->span));
    if (!servgap__span_in_limits(m->span))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "metric '%s': span %s%s is outside " SERVGAP__SPAN_LIMITS_TEXT
                             " (SERVGAP_SPAN_MIN, SERVGAP_SPAN_MAX)",
                             name, SERVGAP__NUM(m->span), defaulted ? " (max - min)" : "");
    return SERVGAP_OK;
}

/* Checks a definition and fills in the default span. */
static int metric_check(servgap_ctx *ctx, const char *name, servgap__metric *m)
{
    static const char *const fn = "servgap_metric_define";
    size_t at = 0;
    const char *why = servgap__unit_fault(m->unit, strlen(m->unit), &at);
    if (why)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "metric '%s': %s at byte %zu", name, why, at);
    if (m->dimension < 0 || m->dimension >= SERVGAP_DIM_COUNT)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "metric '%s': unknown dimension %d", name,
                             (int)m->dimension);
    if (m->direction != SERVGAP_HIGHER_IS_BETTER && m->direction != SERVGAP_LOWER_IS_BETTER)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "metric '%s': unknown direction %d", name,
                             (int)m->direction);
    return metric_range_check(ctx, name, m);
}

SERVGAP_API int servgap_metric_define(servgap_ctx *ctx, const char *name, int32_t dimension,
                                      int32_t direction, double min, double max, double span,
                                      const char *unit, int32_t *id)
{
    static const char *const fn = "servgap_metric_define";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!id)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "id is NULL");
    int rc = check_name(ctx, fn, "metric", name);
    if (rc != SERVGAP_OK)
        return rc;
    servgap__metric m = {dimension, direction, min, max, span, (char *)(unit ? unit : "")};
    if ((rc = metric_check(ctx, name, &m)) != SERVGAP_OK)
        return rc;
    servgap__wrlock(ctx);
    servgap__metrics *r = &ctx->metrics;
    int32_t found = servgap__names_find(&r->names, name, strlen(name));
    if (found >= 0) {
        if (servgap__metric_same(&r->m[found], &m))
            *id = found;
        else
            rc = servgap__fail(ctx, SERVGAP_ECONFLICT, fn,
                               "metric '%s' is already defined differently", name);
    } else if (r->names.count >= 0xffff) {
        rc = servgap__fail(ctx, SERVGAP_ELIMIT, fn, "more than 65535 metrics");
    } else if (servgap__metrics_add(r, &ctx->alloc, name, &m, id) != 0) {
        rc = servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory defining metric '%s'", name);
    }
    servgap__unlock(ctx);
    return rc;
}

SERVGAP_API int servgap_metric_info(servgap_ctx *ctx, int32_t id, servgap_metric *out)
{
    static const char *const fn = "servgap_metric_info";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!servgap__sized_ok(out, SERVGAP__SIZE_1_0_METRIC))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn,
                             "out is NULL or out->size is smaller than the 1.0 layout");
    servgap__rdlock(ctx);
    int rc = SERVGAP_OK;
    if (id < 0 || (size_t)id >= ctx->metrics.names.count) {
        rc = servgap__fail(ctx, SERVGAP_ENOTFOUND, fn, "unknown metric id %d", (int)id);
    } else {
        const servgap__metric *m = &ctx->metrics.m[id];
        servgap_metric full;
        memset(&full, 0, sizeof full);
        full.name = ctx->metrics.names.str[id];
        full.unit = m->unit;
        full.dimension = m->dimension;
        full.direction = m->direction;
        full.min = m->min;
        full.max = m->max;
        full.span = m->span;
        rc = servgap__sized_out(out, &full, sizeof full, SERVGAP__SIZE_1_0_METRIC);
    }
    servgap__unlock(ctx);
    return rc;
}

/* A known account defined again: its tier by servgap__account_tier (a
 * NULL tier keeps it), its value replaced. */
static int account_redefine(servgap_ctx *ctx, int32_t id, int32_t tier, double value)
{
    servgap__account *acc = &ctx->accounts.a[id];
    int32_t after = servgap__account_tier(acc->tier, tier);
    if (after == SERVGAP__TIER_CONFLICT)
        return servgap__fail(ctx, SERVGAP_ECONFLICT, "servgap_account_define",
                             "account '%s' is in tier '%s', not '%s'", ctx->accounts.names.str[id],
                             ctx->tiers.str[acc->tier], ctx->tiers.str[tier]);
    acc->tier = after;
    acc->value = value;
    return SERVGAP_OK;
}

SERVGAP_API int servgap_account_define(servgap_ctx *ctx, const char *account, const char *tier,
                                       double value, int32_t *id)
{
    static const char *const fn = "servgap_account_define";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!id)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "id is NULL");
    int rc = check_name(ctx, fn, "account", account);
    if (rc == SERVGAP_OK && tier)
        rc = check_name(ctx, fn, "tier", tier);
    if (rc != SERVGAP_OK)
        return rc;
    if (!isfinite(value) || value < 0.0)
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "account '%s': value %s must be >= 0",
                             account, SERVGAP__NUM(value));
    if (!servgap__account_value_in_limits(value))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn,
                             "account '%s': value %s is beyond " SERVGAP__VALUE_MAX_TEXT
                             " (SERVGAP_VALUE_MAX)",
                             account, SERVGAP__NUM(value));
    servgap__wrlock(ctx);
    servgap__mark mark;
    servgap__mark_take(ctx, &mark);
    int32_t t = SERVGAP_NONE;
    if (tier)
        rc = servgap__intern_locked(ctx, fn, SERVGAP_KIND_TIER, tier, &t);
    servgap__accounts *r = &ctx->accounts;
    int32_t found = servgap__names_find(&r->names, account, strlen(account));
    if (rc == SERVGAP_OK && found >= 0) {
        rc = account_redefine(ctx, found, t, value);
        if (rc == SERVGAP_OK)
            *id = found;
    } else if (rc == SERVGAP_OK && servgap__accounts_add(r, &ctx->alloc, account, t, value, id)) {
        rc = servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory defining account '%s'", account);
    }
    if (rc != SERVGAP_OK)
        servgap__mark_rollback(ctx, &mark);
    servgap__unlock(ctx);
    return rc;
}

/* Look up an account for a setter, reporting an unknown id; the caller
 * holds the write lock. */
static servgap__account *account_for(servgap_ctx *ctx, const char *func, int32_t id)
{
    if (id < 0 || (size_t)id >= ctx->accounts.names.count) {
        servgap__fail(ctx, SERVGAP_ENOTFOUND, func, "unknown account id %d", (int)id);
        return NULL;
    }
    return &ctx->accounts.a[id];
}

SERVGAP_API int servgap_account_set_health(servgap_ctx *ctx, int32_t id, double health)
{
    static const char *const fn = "servgap_account_set_health";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!isnan(health) && !(health >= 0.0 && health <= 100.0))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "health %s outside [0, 100]",
                             SERVGAP__NUM(health));
    servgap__wrlock(ctx);
    servgap__account *acc = account_for(ctx, fn, id);
    if (acc)
        acc->health = health;
    servgap__unlock(ctx);
    return acc ? SERVGAP_OK : SERVGAP_ENOTFOUND;
}

SERVGAP_API int servgap_account_set_flag(servgap_ctx *ctx, int32_t id, int32_t flag, int32_t on)
{
    static const char *const fn = "servgap_account_set_flag";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (flag != SERVGAP_ACCOUNT_AT_RISK && flag != SERVGAP_ACCOUNT_CHURNED)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown flag %d", (int)flag);
    servgap__wrlock(ctx);
    servgap__account *acc = account_for(ctx, fn, id);
    if (acc && flag == SERVGAP_ACCOUNT_AT_RISK)
        acc->at_risk = on != 0;
    else if (acc)
        acc->churned = on != 0;
    servgap__unlock(ctx);
    return acc ? SERVGAP_OK : SERVGAP_ENOTFOUND;
}

SERVGAP_API int servgap_account_set_date(servgap_ctx *ctx, int32_t id, int32_t which, int64_t time)
{
    static const char *const fn = "servgap_account_set_date";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (which != SERVGAP_ACCOUNT_RENEWAL && which != SERVGAP_ACCOUNT_MIGRATION)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown date %d", (int)which);
    servgap__wrlock(ctx);
    servgap__account *acc = account_for(ctx, fn, id);
    if (acc && which == SERVGAP_ACCOUNT_RENEWAL)
        acc->renewal = time;
    else if (acc)
        acc->migration = time;
    servgap__unlock(ctx);
    return acc ? SERVGAP_OK : SERVGAP_ENOTFOUND;
}

SERVGAP_API int servgap_account_info(servgap_ctx *ctx, int32_t id, servgap_account *out)
{
    static const char *const fn = "servgap_account_info";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!servgap__sized_ok(out, SERVGAP__SIZE_1_0_ACCOUNT))
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn,
                             "out is NULL or out->size is smaller than the 1.0 layout");
    servgap__rdlock(ctx);
    int rc = SERVGAP_OK;
    if (id < 0 || (size_t)id >= ctx->accounts.names.count) {
        rc = servgap__fail(ctx, SERVGAP_ENOTFOUND, fn, "unknown account id %d", (int)id);
    } else {
        const servgap__account *a = &ctx->accounts.a[id];
        servgap_account full;
        memset(&full, 0, sizeof full);
        full.name = ctx->accounts.names.str[id];
        full.tier = a->tier;
        full.at_risk = a->at_risk;
        full.churned = a->churned;
        full.value = a->value;
        full.health = a->health;
        full.renewal = a->renewal;
        full.migration = a->migration;
        rc = servgap__sized_out(out, &full, sizeof full, SERVGAP__SIZE_1_0_ACCOUNT);
    }
    servgap__unlock(ctx);
    return rc;
}

SERVGAP_API int servgap_set_importance(servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id,
                                       int32_t whose, const double *points)
{
    static const char *const fn = "servgap_set_importance";
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!points)
        return servgap__fail(ctx, SERVGAP_EMISUSE, fn, "points is NULL");
    if (whose != SERVGAP_WHOSE_CUSTOMER && whose != SERVGAP_WHOSE_PROVIDER)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown whose %d", (int)whose);
    if (!servgap__points_valid(points))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "points must be >= 0 and sum to 100 +- 0.5");
    servgap__wrlock(ctx);
    uint32_t scope = 0;
    int rc = servgap__scope_encode(ctx, fn, scope_kind, scope_id, &scope);
    if (rc == SERVGAP_OK) {
        servgap__importance *e = (servgap__importance *)servgap__importance_find(ctx, scope, whose);
        servgap__importance add = {scope, whose, {0}};
        memcpy(add.p, points, sizeof add.p);
        if (e)
            memcpy(e->p, points, sizeof e->p);
        else if (servgap__importance_reserve(ctx, 1) != 0)
            rc = servgap__fail(ctx, SERVGAP_ENOMEM, fn, "out of memory");
        else
            servgap__importance_append(ctx, &add);
    }
    servgap__unlock(ctx);
    return rc;
}

SERVGAP_API int servgap_observation_count(servgap_ctx *ctx, uint64_t *count)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!count)
        return servgap__fail(ctx, SERVGAP_EMISUSE, "servgap_observation_count", "count is NULL");
    servgap__rdlock(ctx);
    *count = ctx->store.count;
    servgap__unlock(ctx);
    return SERVGAP_OK;
}
