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

/* P(T <= t) for Student's t with real df > 0 or +INFINITY (the normal);
 * t = -/+INFINITY gives 0 / 1, a NaN argument or df <= 0 gives NaN, and no
 * other argument does (t = 1e308 with df = 1e-300 is 1/2). A test
 * reports the smaller tail, so for t < 0 the result keeps about 1e-14 relative
 * accuracy while P >= 1e-12 and a few 1e-13 further out (df >= 1, and as
 * measured also below). For t > 0, 1-P is limited by the spacing of doubles
 * near 1: call with -t for a small upper tail. */
double servgap__t_cdf(double t, double df);

/* The t with P(T <= t) = p for the same df; p = 0 / 1 give -/+INFINITY, p
 * outside [0, 1], a NaN argument or df <= 0 give NaN. A quantile beyond
 * DBL_MAX (every p but 1/2 when df < 1e-20) is -/+INFINITY. It is solved on the
 * smaller of p and 1-p, so the 1-1e-12 quantile is as accurate as the 1e-12
 * one: about 1e-14 relative for df >= 1, 1e-13 for df < 1. */
double servgap__t_quantile(double p, double df);

/* P(Z <= z) for a standard normal Z. The lower tail comes from erfc, not 1-x,
 * and the rounding of z/sqrt(2) is corrected, so it keeps about 2e-16
 * relative accuracy down to underflow. NaN gives NaN, -/+INFINITY give 0 / 1. */
double servgap__norm_cdf(double z);

/* Inverse of servgap__norm_cdf (Wichura's AS241 with one Newton step in the
 * tails), good to about 1e-16 relative for p in (0, 1). p = 0 / 1 give
 * -/+INFINITY; p outside [0, 1] or NaN gives NaN. */
double servgap__norm_quantile(double p);

#endif /* SERVGAP_TDIST_H */
