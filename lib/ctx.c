/*
 * ctx -- handle lifecycle, options, locking, the last error and rollback.
 */
#define _POSIX_C_SOURCE 200809L /* pthread rwlocks and strnlen under -std=c11 */
#include "ctx.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void options_default(servgap__options *o)
{
    o->confidence = 0.95;
    o->min_n_customer = 5;
    o->min_n_provider = 1;
    o->negative_share = 0.4;
    o->at_risk_health = 50.0;
}

static int alloc_from(servgap__alloc *a, const servgap_allocator *user)
{
    if (!user) {
        servgap__alloc_default(a);
        return 0;
    }
    if (user->size < sizeof(servgap_allocator) || !user->malloc_fn || !user->realloc_fn ||
        !user->free_fn)
        return -1;
    a->malloc_fn = user->malloc_fn;
    a->realloc_fn = user->realloc_fn;
    a->free_fn = user->free_fn;
    a->user = user->user;
    return 0;
}

static int locks_init(servgap_ctx *ctx)
{
    if (pthread_rwlock_init(&ctx->lock, NULL) != 0)
        return -1;
    if (pthread_mutex_init(&ctx->errlock, NULL) != 0) {
        pthread_rwlock_destroy(&ctx->lock);
        return -1;
    }
    if (pthread_mutex_init(&ctx->optlock, NULL) != 0) {
        pthread_mutex_destroy(&ctx->errlock);
        pthread_rwlock_destroy(&ctx->lock);
        return -1;
    }
    return 0;
}

SERVGAP_API int servgap_ctx_new(servgap_ctx **out, const servgap_allocator *alloc)
{
    servgap__alloc a;
    if (!out)
        return SERVGAP_EMISUSE;
    if (alloc_from(&a, alloc) != 0)
        return SERVGAP_EINVAL;
    servgap_ctx *ctx = servgap__calloc(&a, 1, sizeof *ctx);
    if (!ctx)
        return SERVGAP_ENOMEM;
    ctx->alloc = a;
    options_default(&ctx->opt);
    servgap__accounts_init(&ctx->accounts);
    servgap__store_init(&ctx->store);
    if (servgap__metrics_init(&ctx->metrics, &a) != 0) {
        servgap__free(&a, ctx);
        return SERVGAP_ENOMEM;
    }
    if (locks_init(ctx) != 0) {
        servgap__metrics_free(&ctx->metrics, &a);
        servgap__free(&a, ctx);
        return SERVGAP_ENOMEM;
    }
    *out = ctx;
    return SERVGAP_OK;
}

SERVGAP_API void servgap_ctx_free(servgap_ctx *ctx)
{
    if (!ctx)
        return;
    servgap__alloc a = ctx->alloc;
    servgap__names_free(&ctx->tiers, &a);
    servgap__names_free(&ctx->touchpoints, &a);
    servgap__names_free(&ctx->teams, &a);
    servgap__metrics_free(&ctx->metrics, &a);
    servgap__accounts_free(&ctx->accounts, &a);
    servgap__store_free(&ctx->store, &a);
    servgap__free(&a, ctx->imp);
    pthread_mutex_destroy(&ctx->optlock);
    pthread_mutex_destroy(&ctx->errlock);
    pthread_rwlock_destroy(&ctx->lock);
    servgap__free(&a, ctx);
}

int servgap__fail(servgap_ctx *ctx, int code, const char *func, const char *fmt, ...)
{
    if (!ctx)
        return code;
    pthread_mutex_lock(&ctx->errlock);
    ctx->errcode = code;
    int k = snprintf(ctx->errmsg, sizeof ctx->errmsg, "%s: ", func);
    if (k < 0 || (size_t)k >= sizeof ctx->errmsg)
        k = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->errmsg + k, sizeof ctx->errmsg - (size_t)k, fmt, ap);
    va_end(ap);
    pthread_mutex_unlock(&ctx->errlock);
    return code;
}

SERVGAP_API const char *servgap_errmsg(servgap_ctx *ctx)
{
    if (!ctx)
        return "servgap: NULL handle";
    return ctx->errmsg;
}

SERVGAP_API size_t servgap_errmsg_copy(servgap_ctx *ctx, char *buf, size_t cap)
{
    if (!ctx) {
        const char *m = servgap_errmsg(NULL);
        size_t n = strlen(m);
        if (buf && cap) {
            size_t k = n < cap - 1 ? n : cap - 1;
            memcpy(buf, m, k);
            buf[k] = '\0';
        }
        return n;
    }
    pthread_mutex_lock(&ctx->errlock);
    size_t n = strlen(ctx->errmsg);
    if (buf && cap) {
        size_t k = n < cap - 1 ? n : cap - 1;
        memcpy(buf, ctx->errmsg, k);
        buf[k] = '\0';
    }
    pthread_mutex_unlock(&ctx->errlock);
    return n;
}

SERVGAP_API int servgap_errcode(servgap_ctx *ctx)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    pthread_mutex_lock(&ctx->errlock);
    int c = ctx->errcode;
    pthread_mutex_unlock(&ctx->errlock);
    return c;
}

static int whole_at_least_one(double v)
{
    return isfinite(v) && v >= 1.0 && v <= 1e15 && floor(v) == v;
}

static int option_check(servgap_ctx *ctx, int32_t option, double v)
{
    static const char *const fn = "servgap_ctx_set_option";
    switch (option) {
    case SERVGAP_OPT_CONFIDENCE:
        if (!(v > 0.5 && v < 1.0))
            return servgap__fail(ctx, SERVGAP_ERANGE, fn, "confidence %g outside (0.5, 1)", v);
        return SERVGAP_OK;
    case SERVGAP_OPT_MIN_N_CUSTOMER:
    case SERVGAP_OPT_MIN_N_PROVIDER:
        if (!whole_at_least_one(v))
            return servgap__fail(ctx, SERVGAP_ERANGE, fn, "min_n %g is not a whole number >= 1", v);
        return SERVGAP_OK;
    case SERVGAP_OPT_NEGATIVE_SHARE:
        if (!(v > 0.0 && v < 1.0))
            return servgap__fail(ctx, SERVGAP_ERANGE, fn, "negative share %g outside (0, 1)", v);
        return SERVGAP_OK;
    case SERVGAP_OPT_AT_RISK_HEALTH:
        if (!(v >= 0.0 && v <= 100.0))
            return servgap__fail(ctx, SERVGAP_ERANGE, fn, "at-risk health %g outside [0, 100]", v);
        return SERVGAP_OK;
    default:
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown option %d", (int)option);
    }
}

SERVGAP_API int servgap_ctx_set_option(servgap_ctx *ctx, int32_t option, double value)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    int rc = option_check(ctx, option, value);
    if (rc != SERVGAP_OK)
        return rc;
    pthread_mutex_lock(&ctx->optlock);
    servgap__options *o = &ctx->opt;
    if (option == SERVGAP_OPT_CONFIDENCE)
        o->confidence = value;
    else if (option == SERVGAP_OPT_MIN_N_CUSTOMER)
        o->min_n_customer = (int64_t)value;
    else if (option == SERVGAP_OPT_MIN_N_PROVIDER)
        o->min_n_provider = (int64_t)value;
    else if (option == SERVGAP_OPT_NEGATIVE_SHARE)
        o->negative_share = value;
    else
        o->at_risk_health = value;
    pthread_mutex_unlock(&ctx->optlock);
    return SERVGAP_OK;
}

SERVGAP_API int servgap_ctx_get_option(servgap_ctx *ctx, int32_t option, double *value)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!value)
        return servgap__fail(ctx, SERVGAP_EMISUSE, "servgap_ctx_get_option", "value is NULL");
    servgap__options o;
    servgap__options_get(ctx, &o);
    switch (option) {
    case SERVGAP_OPT_CONFIDENCE:
        *value = o.confidence;
        return SERVGAP_OK;
    case SERVGAP_OPT_MIN_N_CUSTOMER:
        *value = (double)o.min_n_customer;
        return SERVGAP_OK;
    case SERVGAP_OPT_MIN_N_PROVIDER:
        *value = (double)o.min_n_provider;
        return SERVGAP_OK;
    case SERVGAP_OPT_NEGATIVE_SHARE:
        *value = o.negative_share;
        return SERVGAP_OK;
    case SERVGAP_OPT_AT_RISK_HEALTH:
        *value = o.at_risk_health;
        return SERVGAP_OK;
    default:
        return servgap__fail(ctx, SERVGAP_EINVAL, "servgap_ctx_get_option", "unknown option %d",
                             (int)option);
    }
}

void servgap__options_get(servgap_ctx *ctx, servgap__options *out)
{
    pthread_mutex_lock(&ctx->optlock);
    *out = ctx->opt;
    pthread_mutex_unlock(&ctx->optlock);
}

void servgap__rdlock(servgap_ctx *ctx)
{
    pthread_rwlock_rdlock(&ctx->lock);
}

void servgap__wrlock(servgap_ctx *ctx)
{
    pthread_rwlock_wrlock(&ctx->lock);
}

void servgap__unlock(servgap_ctx *ctx)
{
    pthread_rwlock_unlock(&ctx->lock);
}

void servgap__mark_take(const servgap_ctx *ctx, servgap__mark *m)
{
    m->tiers = ctx->tiers.count;
    m->touchpoints = ctx->touchpoints.count;
    m->teams = ctx->teams.count;
    m->metrics = ctx->metrics.names.count;
    m->accounts = ctx->accounts.names.count;
    m->imp = ctx->nimp;
    m->rows = ctx->store.count;
}

void servgap__mark_rollback(servgap_ctx *ctx, const servgap__mark *m)
{
    const servgap__alloc *a = &ctx->alloc;
    servgap__names_truncate(&ctx->tiers, a, m->tiers);
    servgap__names_truncate(&ctx->touchpoints, a, m->touchpoints);
    servgap__names_truncate(&ctx->teams, a, m->teams);
    servgap__metrics_truncate(&ctx->metrics, a, m->metrics);
    servgap__accounts_truncate(&ctx->accounts, a, m->accounts);
    if (m->imp < ctx->nimp)
        ctx->nimp = m->imp;
    servgap__store_truncate(&ctx->store, m->rows);
}

servgap__names *servgap__kind_names(servgap_ctx *ctx, int32_t kind)
{
    switch (kind) {
    case SERVGAP_KIND_TIER:
        return &ctx->tiers;
    case SERVGAP_KIND_TOUCHPOINT:
        return &ctx->touchpoints;
    case SERVGAP_KIND_TEAM:
        return &ctx->teams;
    case SERVGAP_KIND_ACCOUNT:
        return &ctx->accounts.names;
    case SERVGAP_KIND_METRIC:
        return &ctx->metrics.names;
    default:
        return NULL;
    }
}

int servgap__scope_encode(servgap_ctx *ctx, const char *func, int32_t kind, int32_t id,
                          uint32_t *scope)
{
    if (kind == SERVGAP_SCOPE_ACCOUNT) {
        if (id < 0 || (size_t)id >= ctx->accounts.names.count)
            return servgap__fail(ctx, SERVGAP_ENOTFOUND, func, "unknown account id %d", (int)id);
        *scope = (uint32_t)id;
        return SERVGAP_OK;
    }
    if (kind == SERVGAP_SCOPE_TIER) {
        if (id < 0 || (size_t)id >= ctx->tiers.count)
            return servgap__fail(ctx, SERVGAP_ENOTFOUND, func, "unknown tier id %d", (int)id);
        *scope = (uint32_t)id | SERVGAP__SCOPE_TIER;
        return SERVGAP_OK;
    }
    return servgap__fail(ctx, SERVGAP_EINVAL, func, "unknown scope kind %d", (int)kind);
}

const servgap__importance *servgap__importance_find(const servgap_ctx *ctx, uint32_t scope,
                                                    int32_t whose)
{
    for (size_t i = 0; i < ctx->nimp; i++)
        if (ctx->imp[i].scope == scope && ctx->imp[i].whose == whose)
            return &ctx->imp[i];
    return NULL;
}

int servgap__points_valid(const double *p)
{
    double sum = 0.0;
    for (int d = 0; d < SERVGAP_DIM_COUNT; d++) {
        if (!isfinite(p[d]) || p[d] < 0.0)
            return 0;
        sum += p[d];
    }
    return fabs(sum - 100.0) <= 0.5;
}
