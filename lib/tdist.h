/*
 * tdist.h -- Student t and standard normal distribution functions (internal).
 *
 * These back the confidence intervals and Welch tests of the library, so they
 * take real-valued degrees of freedom (Welch-Satterthwaite gives e.g. 7.36)
 * and keep full relative accuracy in the far tails, where p-values live.
 * Pure functions of their arguments: no state, safe from any thread.
 */
#ifndef SERVGAP_TDIST_H
#define SERVGAP_TDIST_H

/* P(T <= t) for Student's t with df degrees of freedom; df may be any real > 0
 * or +INFINITY (standard normal), t = -/+INFINITY gives 0 / 1, NaN or df <= 0
 * gives NaN. The smaller of P and 1-P is what a test reports, so for t < 0 the
 * result is accurate to about 1e-14 relative down to underflow (df >= 1; df < 1
 * is supported at somewhat lower accuracy); for t > 0, 1 - P is limited by the
 * spacing of doubles near 1, so call it with -t to get a small upper tail. */
double servgap__t_cdf(double t, double df);

/* The t with P(T <= t) = p, for the same df as servgap__t_cdf; p = 0 / 1 give
 * -/+INFINITY, p outside [0, 1], NaN p or df, or df <= 0 give NaN. It is solved
 * on whichever of p and 1-p is smaller, so the result is good to about 1e-14
 * relative in both tails (df >= 1), e.g. the 1-1e-12 quantile is as accurate
 * as the 1e-12 one. */
double servgap__t_quantile(double p, double df);

/* P(Z <= z) for a standard normal Z, via erfc so that the lower tail keeps its
 * relative accuracy (about 1e-15 at p = 1e-12) instead of cancelling in 1-x.
 * NaN gives NaN, -/+INFINITY give 0 / 1. */
double servgap__norm_cdf(double z);

/* Inverse of servgap__norm_cdf (Wichura's AS241 with one Newton step in the
 * tails), good to about 1e-16 relative for p in (0, 1). p = 0 / 1 give
 * -/+INFINITY; p outside [0, 1] or NaN gives NaN. */
double servgap__norm_quantile(double p);

#endif /* SERVGAP_TDIST_H */
