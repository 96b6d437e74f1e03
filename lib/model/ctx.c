/*
 * ctx -- handle lifecycle, options, locking, the last error and rollback.
 */
#include "../base/platform.h"

#include "ctx.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sized.h"
#include "../base/numtext.h"

/* One option: where it lives, its range and its default. Counts are whole
 * numbers stored as int64; ranges are closed unless open is set. */
typedef struct option_spec {
    int32_t id;
    size_t offset;
    int count;
    int open; /* 1: (lo, hi) */
    double lo, hi, def;
    const char *what;
} option_spec;

#define OPT_D(id, field, open, lo, hi, def, what)                                                  \
    {                                                                                              \
        id, offsetof(servgap__options, field), 0, open, lo, hi, def, what                          \
    }
#define OPT_N(id, field, lo, hi, def, what)                                                        \
    {                                                                                              \
        id, offsetof(servgap__options, field), 1, 0, lo, hi, def, what                             \
    }

static const option_spec options[] = {
    OPT_D(SERVGAP_OPT_CONFIDENCE, confidence, 1, 0.5, 1.0, 0.95, "confidence"),
    OPT_N(SERVGAP_OPT_MIN_N_CUSTOMER, min_n_customer, 1, 1e15, 5, "min_n"),
    OPT_N(SERVGAP_OPT_MIN_N_PROVIDER, min_n_provider, 1, 1e15, 1, "min_n"),
    OPT_D(SERVGAP_OPT_NEGATIVE_SHARE, negative_share, 1, 0.0, 1.0, 0.4, "negative share"),
    OPT_D(SERVGAP_OPT_AT_RISK_HEALTH, at_risk_health, 0, 0.0, 100.0, 50.0, "at-risk health"),
    OPT_D(SERVGAP_OPT_WEIGHT_SIZE, weight_size, 0, 0.0, 1e6, 1.0, "size weight"),
    OPT_D(SERVGAP_OPT_WEIGHT_VALUE, weight_value, 0, 0.0, 1e6, 1.0, "value weight"),
    OPT_D(SERVGAP_OPT_WEIGHT_FREQUENCY, weight_frequency, 0, 0.0, 1e6, 1.0, "frequency weight"),
    OPT_D(SERVGAP_OPT_PERSIST_BOOST, persist_boost, 0, 0.0, 1e6, 1.0, "persistence boost"),
    OPT_N(SERVGAP_OPT_WINDOWS, windows, 1, SERVGAP__WINDOWS_MAX, 3, "windows"),
    OPT_N(SERVGAP_OPT_WINDOW_DAYS, window_days, 1, 366, 30, "window days"),
    OPT_D(SERVGAP_OPT_IMPACT_CUT, impact_cut, 0, 0.0, 100.0, 25.0, "impact cut"),
    OPT_D(SERVGAP_OPT_EFFORT_CUT, effort_cut, 1, 0.0, 1e15, 3.0, "effort cut"),
    OPT_N(SERVGAP_OPT_RENEWAL_DAYS, renewal_days, 1, 3660, 90, "renewal days"),
    OPT_N(SERVGAP_OPT_MIGRATION_DAYS, migration_days, 1, 3660, 60, "migration days"),
    OPT_N(SERVGAP_OPT_SPIKE_RECENT_DAYS, spike_recent_days, 1, 366, 14, "spike recent days"),
    OPT_N(SERVGAP_OPT_SPIKE_BASELINE_DAYS, spike_baseline_days, 1, 3660, 180,
          "spike baseline days"),
    OPT_N(SERVGAP_OPT_IPA_CROSSHAIR, ipa_crosshair, 1, 4, 1, "IPA crosshair"),
    OPT_D(SERVGAP_OPT_IPA_IMPORTANCE, ipa_importance, 0, 0.0, 100.0, 20.0, "IPA importance"),
    OPT_D(SERVGAP_OPT_IPA_PERFORMANCE, ipa_performance, 0, -1e300, 1e300, 4.0, "IPA performance"),
    OPT_N(SERVGAP_OPT_LOOKBACK_DAYS, lookback_days, 1, 3660, 365, "look-back days"),
    OPT_N(SERVGAP_OPT_TREND_WINDOWS, trend_windows, 1, SERVGAP__WINDOWS_MAX, 12, "trend windows"),
    OPT_N(SERVGAP_OPT_DECLARATIONS, declarations, 1, 2, 1, "declarations"),
    OPT_N(SERVGAP_OPT_PRIORITIES, priorities, 1, 2, 1, "priorities"),
    OPT_N(SERVGAP_OPT_REPORT_LEVEL, report_level, 1, 2, 1, "report level"),
    OPT_N(SERVGAP_OPT_THREADS, threads, 0, 256, 1, "threads"),
};

#define N_OPTIONS (sizeof options / sizeof *options)

static const option_spec *option_find(int32_t id)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].id == id)
            return &options[i];
    return NULL;
}

static void option_store(servgap__options *o, const option_spec *sp, double v)
{
    char *field = (char *)o + sp->offset;
    if (sp->count) {
        int64_t n = (int64_t)v;
        memcpy(field, &n, sizeof n);
    } else {
        memcpy(field, &v, sizeof v);
    }
}

static double option_load(const servgap__options *o, const option_spec *sp)
{
    const char *field = (const char *)o + sp->offset;
    if (sp->count) {
        int64_t n;
        memcpy(&n, field, sizeof n);
        return (double)n;
    }
    double v;
    memcpy(&v, field, sizeof v);
    return v;
}

static void options_default(servgap__options *o)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        option_store(o, &options[i], options[i].def);
}

static int alloc_from(servgap__alloc *a, const servgap_allocator *user)
{
    if (!user) {
        servgap__alloc_default(a);
        return 0;
    }
    /* in holds the defaults of any field an older caller's struct lacks. */
    servgap_allocator in = {0};
    if (servgap__sized_in(&in, user, sizeof in, SERVGAP__SIZE_1_0_ALLOCATOR) != SERVGAP_OK ||
        !in.malloc_fn || !in.realloc_fn || !in.free_fn)
        return -1;
    a->malloc_fn = in.malloc_fn;
    a->realloc_fn = in.realloc_fn;
    a->free_fn = in.free_fn;
    a->user = in.user;
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
    atomic_init(&ctx->interrupts, 0);
    options_default(&ctx->opt);
    servgap__accounts_init(&ctx->accounts);
    servgap__store_init(&ctx->store);
    servgap__buckets_init(&ctx->buckets);
    servgap__index_init(&ctx->impix);
    servgap__index_init(&ctx->effix);
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
    servgap__buckets_free(&ctx->buckets, &a);
    servgap__free(&a, ctx->imp);
    servgap__index_free(&ctx->impix, &a);
    servgap__free(&a, ctx->eff);
    servgap__index_free(&ctx->effix, &a);
    servgap__names_free(&ctx->owners, &a);
    servgap__free(&a, ctx->plans);
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

static int option_in_range(const option_spec *sp, double v)
{
    if (!isfinite(v))
        return 0;
    if (sp->count && floor(v) != v)
        return 0;
    return sp->open ? v > sp->lo && v < sp->hi : v >= sp->lo && v <= sp->hi;
}

SERVGAP_API int servgap_ctx_set_option(servgap_ctx *ctx, int32_t option, double value)
{
    static const char *const fn = "servgap_ctx_set_option";
    if (!ctx)
        return SERVGAP_EMISUSE;
    const option_spec *sp = option_find(option);
    if (!sp)
        return servgap__fail(ctx, SERVGAP_EINVAL, fn, "unknown option %d", (int)option);
    if (!option_in_range(sp, value))
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "%s %s outside %c%s, %s%c%s", sp->what,
                             SERVGAP__NUM(value), sp->open ? '(' : '[', SERVGAP__NUM(sp->lo),
                             SERVGAP__NUM(sp->hi), sp->open ? ')' : ']',
                             sp->count ? " or not a whole number" : "");
    pthread_mutex_lock(&ctx->optlock);
    servgap__options next = ctx->opt;
    option_store(&next, sp, value);
    int all_zero =
        next.weight_size == 0.0 && next.weight_value == 0.0 && next.weight_frequency == 0.0;
    if (!all_zero)
        ctx->opt = next;
    pthread_mutex_unlock(&ctx->optlock);
    if (all_zero)
        return servgap__fail(ctx, SERVGAP_ERANGE, fn, "the three impact weights cannot all be 0");
    return SERVGAP_OK;
}

SERVGAP_API int servgap_ctx_get_option(servgap_ctx *ctx, int32_t option, double *value)
{
    if (!ctx)
        return SERVGAP_EMISUSE;
    if (!value)
        return servgap__fail(ctx, SERVGAP_EMISUSE, "servgap_ctx_get_option", "value is NULL");
    const option_spec *sp = option_find(option);
    if (!sp)
        return servgap__fail(ctx, SERVGAP_EINVAL, "servgap_ctx_get_option", "unknown option %d",
                             (int)option);
    servgap__options o;
    servgap__options_get(ctx, &o);
    *value = option_load(&o, sp);
    return SERVGAP_OK;
}

void servgap__options_get(servgap_ctx *ctx, servgap__options *out)
{
    pthread_mutex_lock(&ctx->optlock);
    *out = ctx->opt;
    pthread_mutex_unlock(&ctx->optlock);
    out->interrupts_at_start = servgap__interrupt_mark(ctx);
}

void servgap__rdlock(servgap_ctx *ctx)
{
    pthread_rwlock_rdlock(&ctx->lock);
}

void servgap__wrlock(servgap_ctx *ctx)
{
    pthread_rwlock_wrlock(&ctx->lock);
    ctx->writes++;
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
    m->eff = ctx->neff;
    m->owners = ctx->owners.count;
    m->plans = ctx->nplans;
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
    servgap__index_truncate(&ctx->impix, ctx->nimp);
    if (m->eff < ctx->neff)
        ctx->neff = m->eff;
    servgap__index_truncate(&ctx->effix, ctx->neff);
    servgap__names_truncate(&ctx->owners, a, m->owners);
    if (m->plans < ctx->nplans)
        ctx->nplans = m->plans;
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

int64_t servgap__last_day(const servgap_ctx *ctx)
{
    int64_t last = servgap__store_last_day(&ctx->store);
    return ctx->buckets.last_day > last ? ctx->buckets.last_day : last;
}

int servgap__buckets_check(servgap_ctx *ctx, const servgap__options *opt, const char *func)
{
    double share = ctx->buckets.negative_share;
    if (servgap__buckets_empty(&ctx->buckets) || share == opt->negative_share)
        return SERVGAP_OK;
    return servgap__fail(ctx, SERVGAP_ECONFLICT, func,
                         "the handle's summaries counted negative answers at negative_share %s, "
                         "the option is %s: set SERVGAP_OPT_NEGATIVE_SHARE to %s",
                         SERVGAP__NUM(share), SERVGAP__NUM(opt->negative_share),
                         SERVGAP__NUM(share));
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

SERVGAP_API void servgap_ctx_interrupt(servgap_ctx *ctx)
{
    if (ctx)
        atomic_fetch_add(&ctx->interrupts, 1);
}

int servgap__fail_run(servgap_ctx *ctx, const servgap__options *opt, const char *func)
{
    if (servgap__interrupted(ctx, opt))
        return servgap__fail(ctx, SERVGAP_EINTERRUPTED, func, "%s", servgap__interrupted_text);
    return servgap__fail(ctx, SERVGAP_ENOMEM, func, "out of memory");
}

const char servgap__interrupted_text[] =
    "interrupted by servgap_ctx_interrupt: nothing was changed";
