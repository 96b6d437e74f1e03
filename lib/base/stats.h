/*
 * stats -- the statistics every gap rests on: Welford moments, their exact
 * parallel combination (Chan, Golub & LeVeque 1979), co-moments of paired
 * values, and the Welch and paired t intervals. Knows nothing of metrics,
 * viewpoints or storage. Relies on tdist and alloc.
 */
#ifndef SERVGAP_STATS_H
#define SERVGAP_STATS_H

#include <stddef.h>
#include <math.h>
#include <stdint.h>

#include "alloc.h"

typedef struct servgap__moments {
    int64_t n;
    double mean;
    double m2;   /* sum of squared deviations from the mean */
    int64_t neg; /* negative responses, counted by the caller's rule */
} servgap__moments;

typedef struct servgap__comoments {
    int64_t n;
    double mx, my; /* means of x and y */
    double m2x, m2y;
    double c; /* sum of (x - mx)(y - my) */
} servgap__comoments;

void servgap__moments_init(servgap__moments *m);
void servgap__moments_add(servgap__moments *m, double x);
/* dst := dst combined with src, as if src's values had been added after. */
void servgap__moments_merge(servgap__moments *dst, const servgap__moments *src);
/* Sample variance (n - 1 denominator); 0 for n == 1, NaN for n == 0. */
double servgap__moments_var(const servgap__moments *m);

void servgap__comoments_init(servgap__comoments *c);
void servgap__comoments_add(servgap__comoments *c, double x, double y);
void servgap__comoments_merge(servgap__comoments *dst, const servgap__comoments *src);
/* Pearson correlation, NaN when a side has no variance or n < 2. */
double servgap__comoments_corr(const servgap__comoments *c);
/* Sample variance of x - y. */
double servgap__comoments_diff_var(const servgap__comoments *c);

/* A difference of means with its interval. */
/* lo = value - h and hi = value + h, h the half-width. */
typedef struct servgap__interval {
    double value, lo, hi, df, se, h;
} servgap__interval;

/* A memo of Student t quantiles at one probability p, keyed by the exact
 * bits of df, for the many intervals of one query: most share a few small
 * df. A hit returns the very double servgap__t_quantile(p, df) gave, so
 * results do not change; a df that collides replaces the one before it.
 * Owned by one query, so it needs no lock. */
typedef struct servgap__tcache {
    const servgap__alloc *a;
    double p;
    uint64_t *key; /* df bits + 1, 0 = empty (NaN df, the only all-ones bits, never stored) */
    double *t;
    unsigned bits; /* 1 << bits slots */
} servgap__tcache;

/* An empty cache for probability p, sized for a query over this many
 * observations; 0, or -1 when memory ran out. */
int servgap__tcache_init(servgap__tcache *c, const servgap__alloc *a, double p,
                         uint64_t observations);
/* c as a copy of from, for another thread: a t quantile costs far more
 * than the copy, and the windows and parts a query puts on threads share
 * most of their df. 0, or -1 when memory ran out. */
int servgap__tcache_copy(servgap__tcache *c, const servgap__tcache *from);
void servgap__tcache_free(servgap__tcache *c);
/* servgap__t_quantile(p, df), remembered when p is the cache's p. c may be
 * NULL (no memo). */
double servgap__tcache_quantile(servgap__tcache *c, double p, double df);

/* The Welch-Satterthwaite degrees of freedom of a sum of independent
 * variance estimates var >= 0 with df degrees of freedom each:
 * (sum var)^2 / sum (var^2 / df), accumulated one term at a time. Edge
 * rules: a term with zero variance, or with an unknown (NaN), infinite or
 * nonpositive df, adds nothing to the denominator (its variance still
 * counts in the sum); when no term is left the result is INFINITY, the
 * normal. Every df of a sum of variances in the library comes from here. */
typedef struct servgap__satterthwaite {
    double sum, den;
} servgap__satterthwaite;

static inline void servgap__satterthwaite_add(servgap__satterthwaite *s, double var, double df)
{
    s->sum += var;
    /* A known variance (infinite df) weighs nothing here; an unknown or
     * nonpositive df cannot be weighed, so it is taken as known too. */
    if (var > 0.0 && df > 0.0 && df < INFINITY)
        s->den += var * var / df;
}

static inline double servgap__satterthwaite_result(const servgap__satterthwaite *s)
{
    return s->den > 0.0 ? s->sum * s->sum / s->den : INFINITY;
}

/* The df of the k terms var[i], df[i] at once. */
double servgap__satterthwaite_df(const double *var, const double *df, size_t k);

/* Welch interval for mean(down) - mean(up), given each side's mean,
 * sample variance and n. A side with n == 1 or zero variance is an exact
 * constant: it adds neither variance nor a df term. */
void servgap__welch(double mean_down, double var_down, int64_t n_down, double mean_up,
                    double var_up, int64_t n_up, double confidence, servgap__interval *out);

/* Paired t interval: value is given (the difference of the sides' means),
 * var_d the sample variance of the differences over n pairs. */
void servgap__paired(double value, double var_d, int64_t n, double confidence,
                     servgap__interval *out);

/* Interval for value with standard error se and df degrees of freedom
 * (INFINITY: normal; se == 0: the point itself). */
void servgap__interval_from_se(double value, double se, double df, double confidence,
                               servgap__interval *out);

/* The same three with their t quantiles from the memo tc (NULL: none). */
void servgap__welch_tc(double mean_down, double var_down, int64_t n_down, double mean_up,
                       double var_up, int64_t n_up, double confidence, servgap__tcache *tc,
                       servgap__interval *out);
void servgap__paired_tc(double value, double var_d, int64_t n, double confidence,
                        servgap__tcache *tc, servgap__interval *out);
void servgap__interval_tc(double value, double se, double df, double confidence,
                          servgap__tcache *tc, servgap__interval *out);

#endif
