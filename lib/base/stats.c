/*
 * stats -- moments and intervals. Updates are written in the order that
 * keeps rounding small (Welford) and results are deterministic for a fixed
 * order of additions and merges.
 */
#include "platform.h"

#include "stats.h"

#include <math.h>
#include <string.h>

#include "tdist.h"

void servgap__moments_init(servgap__moments *m)
{
    m->n = 0;
    m->mean = 0.0;
    m->m2 = 0.0;
    m->neg = 0;
}

void servgap__moments_add(servgap__moments *m, double x)
{
    m->n++;
    double d = x - m->mean;
    m->mean += d / (double)m->n;
    m->m2 += d * (x - m->mean);
}

void servgap__moments_merge(servgap__moments *dst, const servgap__moments *src)
{
    if (src->n == 0)
        return;
    if (dst->n == 0) {
        *dst = *src;
        return;
    }
    double na = (double)dst->n, nb = (double)src->n, n = na + nb;
    double d = src->mean - dst->mean;
    dst->mean += d * (nb / n);
    dst->m2 += src->m2 + d * d * (na * nb / n);
    dst->n += src->n;
    dst->neg += src->neg;
}

double servgap__moments_var(const servgap__moments *m)
{
    if (m->n == 0)
        return NAN;
    if (m->n == 1)
        return 0.0;
    return m->m2 / (double)(m->n - 1);
}

void servgap__comoments_init(servgap__comoments *c)
{
    c->n = 0;
    c->mx = c->my = c->m2x = c->m2y = c->c = 0.0;
}

void servgap__comoments_add(servgap__comoments *c, double x, double y)
{
    c->n++;
    double n = (double)c->n;
    double dx = x - c->mx, dy = y - c->my;
    c->mx += dx / n;
    c->my += dy / n;
    c->m2x += dx * (x - c->mx);
    c->m2y += dy * (y - c->my);
    c->c += dx * (y - c->my);
}

void servgap__comoments_merge(servgap__comoments *dst, const servgap__comoments *src)
{
    if (src->n == 0)
        return;
    if (dst->n == 0) {
        *dst = *src;
        return;
    }
    double na = (double)dst->n, nb = (double)src->n, n = na + nb;
    double dx = src->mx - dst->mx, dy = src->my - dst->my;
    double w = na * nb / n;
    dst->mx += dx * (nb / n);
    dst->my += dy * (nb / n);
    dst->m2x += src->m2x + dx * dx * w;
    dst->m2y += src->m2y + dy * dy * w;
    dst->c += src->c + dx * dy * w;
    dst->n += src->n;
}

double servgap__comoments_corr(const servgap__comoments *c)
{
    if (c->n < 2 || c->m2x <= 0.0 || c->m2y <= 0.0)
        return NAN;
    return c->c / sqrt(c->m2x * c->m2y);
}

double servgap__comoments_diff_var(const servgap__comoments *c)
{
    if (c->n < 2)
        return c->n == 1 ? 0.0 : NAN;
    double v = (c->m2x + c->m2y - 2.0 * c->c) / (double)(c->n - 1);
    return v > 0.0 ? v : 0.0;
}

/* Slots: about one per observation, from 1,024 up to 131,072 (2 MiB), so
 * that small queries do not clear a large table and large ones keep the
 * distinct df of their most common intervals. */
#define TCACHE_MIN_BITS 10
#define TCACHE_MAX_BITS 17

/* c's fields and its 1 << bits empty slots; 0, or -1 when memory ran
 * out. */
static int tcache_alloc(servgap__tcache *c, const servgap__alloc *a, double p, unsigned bits)
{
    memset(c, 0, sizeof *c);
    c->a = a;
    c->p = p;
    c->bits = bits;
    size_t slots = (size_t)1 << bits;
    c->key = servgap__calloc(a, slots, sizeof *c->key);
    c->t = servgap__malloc(a, slots, sizeof *c->t);
    if (!c->key || !c->t) {
        servgap__tcache_free(c);
        return -1;
    }
    return 0;
}

int servgap__tcache_init(servgap__tcache *c, const servgap__alloc *a, double p,
                         uint64_t observations)
{
    unsigned bits = TCACHE_MIN_BITS;
    while (bits < TCACHE_MAX_BITS && ((uint64_t)1 << bits) < observations)
        bits++;
    return tcache_alloc(c, a, p, bits);
}

int servgap__tcache_copy(servgap__tcache *c, const servgap__tcache *from)
{
    if (tcache_alloc(c, from->a, from->p, from->bits) != 0)
        return -1;
    size_t slots = (size_t)1 << c->bits;
    memcpy(c->key, from->key, slots * sizeof *c->key);
    memcpy(c->t, from->t, slots * sizeof *c->t);
    return 0;
}

void servgap__tcache_free(servgap__tcache *c)
{
    servgap__free(c->a, c->key);
    servgap__free(c->a, c->t);
    c->key = NULL;
    c->t = NULL;
}

double servgap__tcache_quantile(servgap__tcache *c, double p, double df)
{
    if (!c || !c->key || p != c->p || isnan(df))
        return servgap__t_quantile(p, df);
    uint64_t bits;
    memcpy(&bits, &df, sizeof bits);
    /* Fibonacci hashing: the top bits of the product depend on every bit
     * of df, and integer df differ only in their high bits. */
    size_t i = (size_t)((bits * 0x9e3779b97f4a7c15u) >> (64 - c->bits));
    if (c->key[i] == bits + 1)
        return c->t[i];
    /* Direct-mapped: a new df replaces the old one in its slot, so that the
     * memo keeps serving the df of the query's later cells too. */
    double t = servgap__t_quantile(p, df);
    c->key[i] = bits + 1;
    c->t[i] = t;
    return t;
}

void servgap__interval_tc(double value, double se, double df, double confidence,
                          servgap__tcache *tc, servgap__interval *out)
{
    out->value = value;
    out->se = se;
    out->df = df;
    out->h = 0.0;
    if (se != 0.0)
        out->h = servgap__tcache_quantile(tc, 0.5 + confidence / 2.0, df) * se;
    /* Results store value and h only, and rebuild the ends this way. */
    out->lo = value - out->h;
    out->hi = value + out->h;
}

void servgap__interval_from_se(double value, double se, double df, double confidence,
                               servgap__interval *out)
{
    servgap__interval_tc(value, se, df, confidence, NULL, out);
}

double servgap__satterthwaite_df(const double *var, const double *df, size_t k)
{
    servgap__satterthwaite s = {0.0, 0.0};
    for (size_t i = 0; i < k; i++)
        servgap__satterthwaite_add(&s, var[i], df[i]);
    return servgap__satterthwaite_result(&s);
}

/* A side's contribution s^2/n, 0 for an exact constant. */
static double side_term(double var, int64_t n)
{
    if (n <= 1 || !(var > 0.0))
        return 0.0;
    return var / (double)n;
}

void servgap__welch_tc(double mean_down, double var_down, int64_t n_down, double mean_up,
                       double var_up, int64_t n_up, double confidence, servgap__tcache *tc,
                       servgap__interval *out)
{
    const double var[2] = {side_term(var_down, n_down), side_term(var_up, n_up)};
    const double df[2] = {(double)(n_down - 1), (double)(n_up - 1)};
    servgap__interval_tc(mean_down - mean_up, sqrt(var[0] + var[1]),
                         servgap__satterthwaite_df(var, df, 2), confidence, tc, out);
}

void servgap__welch(double mean_down, double var_down, int64_t n_down, double mean_up,
                    double var_up, int64_t n_up, double confidence, servgap__interval *out)
{
    servgap__welch_tc(mean_down, var_down, n_down, mean_up, var_up, n_up, confidence, NULL, out);
}

void servgap__paired_tc(double value, double var_d, int64_t n, double confidence,
                        servgap__tcache *tc, servgap__interval *out)
{
    double se = n >= 2 && var_d > 0.0 ? sqrt(var_d / (double)n) : 0.0;
    servgap__interval_tc(value, se, n >= 2 ? (double)(n - 1) : INFINITY, confidence, tc, out);
}

void servgap__paired(double value, double var_d, int64_t n, double confidence,
                     servgap__interval *out)
{
    servgap__paired_tc(value, var_d, n, confidence, NULL, out);
}
