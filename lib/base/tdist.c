/*
 * tdist.c -- Student t and standard normal CDF and quantile.
 *
 * t CDF: P(T > |t|) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2), from the
 * continued fraction of the regularized incomplete beta function in the form
 * of Didonato & Morris (TOMS 708, BFRAC), which is written in both x and
 * 1 - x and so stays accurate for large df, where x is close to 1. Of
 * I_x(a, 1/2) and I_(1-x)(1/2, a) the one whose fraction converges is
 * summed and the other is its complement, which is never small there, so
 * neither the upper tail nor the central mass P(|T| < |t|) cancels. The
 * prefactor x^a (1-x)^(1/2) / B(a, 1/2) is built from log1p and a series for
 * Gamma(a+1/2)/Gamma(a) rather than from lgamma differences, which would
 * lose about log10(df) digits. Closed forms for df = 1 and 2; beyond 1e20
 * degrees of freedom the normal, whose relative difference, about
 * t^4 / (4 df), is then below 1e-14 wherever the tail is a normal double.
 * Below df = 1/4, where x^a is near 1 and the central mass 1 - I_x small,
 * the series of I_x in x gives both to relative accuracy; below 1e-20 its
 * first order in df is exact to 1e-40. t / sqrt(df) may exceed DBL_MAX:
 * only its logarithm is used then.
 *
 * Quantile: closed forms for df = 1 and 2; otherwise safeguarded Newton
 * iteration, in the tails on log P(T > t) as a function of log t (nearly
 * linear for power-law tails, and it works on the smaller tail so that the
 * 1 - 1e-12 quantile is as accurate as the 1e-12 one), near the median on
 * P(|T| < t) as a function of log t (so that t near 0 keeps relative
 * accuracy, and the heavy tails of df < 1 are crossed in a few steps). A
 * root beyond DBL_MAX is INFINITY; below df = 1e-20 every one is.
 *
 * Normal: CDF from erfc with the rounding of z / sqrt(2) corrected; quantile
 * by Wichura's AS241 (PPND16) plus one Newton step in the tails.
 */
#include "platform.h"

#include "tdist.h"

#include "servgap.h"

#include <float.h>
#include <math.h>

#define TD_PI         3.14159265358979323846
#define TD_SQRT_PI    1.77245385090551602730
#define TD_SQRT1_2    0.70710678118654752440
#define TD_SQRT1_2_LO (-4.8336466567264565186e-17) /* 1/sqrt(2) - TD_SQRT1_2 */
#define TD_SQRT2      1.41421356237309504880
#define TD_NORMAL_DF  1e20
#define TD_TINY_DF    1e-20 /* below it, tiny_df_tails */
#define TD_SMALL_DF   0.25  /* below it, small_df_tails on the side of small x */
#define TD_LN2        0.69314718055994530942
#define TD_CF_MAXIT   1000 /* a few dozen suffice for any df */
#define TD_NEWTON_MAX 100

/* ---------------------------------------------------------------------- */
/* Normal distribution                                                     */
/* ---------------------------------------------------------------------- */

static double norm_pdf(double z)
{
    return exp(-0.5 * z * z) / (TD_SQRT2 * TD_SQRT_PI);
}

/* P(Z > z). Rounding z / sqrt(2) would cost z^2 * 1e-16 relative in erfc,
 * so the rounding error of the product is carried to first order. */
static double norm_upper(double z)
{
    if (isinf(z))
        return z > 0.0 ? 0.0 : 1.0;
    double x = z * TD_SQRT1_2;
    double dx = fma(z, TD_SQRT1_2, -x) + z * TD_SQRT1_2_LO;
    return 0.5 * (erfc(x) - dx * (2.0 / TD_SQRT_PI) * exp(-x * x));
}

double servgap__norm_cdf(double z)
{
    return z < 0.0 ? norm_upper(-z) : 1.0 - norm_upper(z);
}

/* Wichura (1988), AS241 PPND16: numerator and denominator coefficients,
 * constant term first, for |p - 1/2| <= 0.425 (central), for
 * r = sqrt(-log(tail)) <= 5 (near) and beyond (far). */
static const double AS241_CENTRAL[2][8] = {
    {3.3871328727963666080e+0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
     1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
     3.3430575583588128105e+4, 2.5090809287301226727e+3},
    {1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
     2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
     5.2264952788528545610e+3}};
static const double AS241_NEAR[2][8] = {
    {1.42343711074968357734e+0, 4.63033784615654529590e+0, 5.76949722146069140550e+0,
     3.64784832476320460504e+0, 1.27045825245236838258e+0, 2.41780725177450611770e-1,
     2.27238449892691845833e-2, 7.74545014278341407640e-4},
    {1.0, 2.05319162663775882187e+0, 1.67638483018380384940e+0, 6.89767334985100004550e-1,
     1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
     1.05075007164441684324e-9}};
static const double AS241_FAR[2][8] = {
    {6.65790464350110377720e+0, 5.46378491116411436990e+0, 1.78482653991729133580e+0,
     2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
     2.71155556874348757815e-5, 2.01033439929228813265e-7},
    {1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
     7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
     2.04426310338993978564e-15}};

/* Ratio of two degree-7 polynomials at x, by Horner's rule. */
static double rational7(const double c[2][8], double x)
{
    double num = c[0][7], den = c[1][7];
    for (int i = 6; i >= 0; i--) {
        num = num * x + c[0][i];
        den = den * x + c[1][i];
    }
    return num / den;
}

double servgap__norm_quantile(double p)
{
    if (isnan(p) || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.0)
        return -INFINITY;
    if (p == 1.0)
        return INFINITY;
    double q = p - 0.5;
    if (fabs(q) <= 0.425)
        return q * rational7(AS241_CENTRAL, 0.180625 - q * q);
    double tail = q < 0.0 ? p : 1.0 - p; /* exact: 1 - p for p > 0.925 */
    double r = sqrt(-log(tail));
    double z = r <= 5.0 ? rational7(AS241_NEAR, r - 1.6) : rational7(AS241_FAR, r - 5.0);
    /* One Newton step on the tail itself, which erfc gives to relative
     * accuracy; below the normal range the density underflows, so skip. */
    double dens = norm_pdf(z);
    if (dens > DBL_MIN)
        z += (norm_upper(z) - tail) / dens;
    return q < 0.0 ? -z : z;
}

/* ---------------------------------------------------------------------- */
/* Student t distribution                                                  */
/* ---------------------------------------------------------------------- */

/* Gamma(a + 1/2) / Gamma(a) for a > 0: recurrence up to a >= 10, then the
 * asymptotic series of its logarithm (coefficients (2^(1-n) - 2) B_n /
 * (n (n-1)), B_n Bernoulli numbers), truncated below 1e-16. */
static double gamma_half_ratio(double a)
{
    double scale = 1.0;
    while (a < 10.0) {
        scale *= a / (a + 0.5);
        a += 1.0;
    }
    /* n = 2, 4, ..., 14 */
    static const double coef[7] = {-1.0 / 8,      1.0 / 192,      -1.0 / 640,      17.0 / 14336,
                                   -31.0 / 18432, 691.0 / 180224, -5461.0 / 425984};
    double r = 1.0 / a, series = 0.0;
    for (int i = 6; i >= 0; i--)
        series = series * r * r + coef[i];
    series *= r;
    return scale * sqrt(a) * exp(series);
}

/* log(1 + t^2 / df) for |t| = at, without overflow of t^2 / df, and also
 * where s = at / sqrt(df) itself is beyond DBL_MAX (t = 1e308, df = 0.01:
 * log s = 711.4 is still a plain number). */
static double log1p_t2(double at, double df)
{
    double s = at / sqrt(df);
    if (s < 1e150)
        return log1p(s * s);
    return 2.0 * (s <= DBL_MAX ? log(s) : log(at) - 0.5 * log(df));
}

/* s / sqrt(1 + s^2) = sqrt(y), which is 1 to the last bit from s = 1e150
 * up to an infinite s. */
static double root_y(double s)
{
    return s < 1e150 ? s / hypot(1.0, s) : 1.0;
}

/* Log density of t_df at t; logarithmic so that far-tail Newton steps, a
 * ratio of tail to density, survive when both are below DBL_MIN. */
static double t_log_pdf(double t, double df)
{
    double k = gamma_half_ratio(0.5 * df) / sqrt(df) / TD_SQRT_PI;
    return log(k) - 0.5 * (df + 1.0) * log1p_t2(fabs(t), df);
}

/* a + j for a > 0 and a whole j >= 0. Below a = 1 it is summed as
 * a + (double)j, exactly a at j = 0, where (a + 1) - 1 (the order of
 * a + m - 1.0) keeps only the bits of a above 2^-52: for df = 1e-12 that
 * is 1e-4 relative, and it put beta_cf's fraction off by 1e-9. From a = 1
 * up the two orders differ by at most an ulp, and the old one stays, so
 * that results for df >= 2 do not change by a bit. */
static double a_plus(double a, int j)
{
    return a < 1.0 ? a + (double)j : a + (j + 1) - 1.0;
}

/* The continued fraction f of I_x(a, b) = x^a y^b / (B(a, b) f), y = 1 - x,
 * in the form of Didonato & Morris (1992, TOMS 708 BFRAC), by modified
 * Lentz. Unlike the textbook fraction it is written in y as well as x, so
 * for large a and x near 1 it does not cancel (which costs a * 1e-16).
 * Converges quickly for x < (a + 1) / (a + b + 2). */
static double beta_cf(double x, double y, double a, double b)
{
    const double tiny = 1e-300;
    double f = a * (a * y - b * x + 1.0) / (a + 1.0);
    f = fabs(f) < tiny ? tiny : f;
    double c = f, d = 0.0;
    for (int m = 1; m <= TD_CF_MAXIT; m++) {
        double k = a + 2.0 * m - 1.0;
        double an = a_plus(a, m - 1) * (a + b + m - 1.0) * m * (b - m) * x * x / (k * k);
        double bn =
            m + m * (b - m) * x / k + (a + m) * (a * y - b * x + 1.0 + m * (2.0 - x)) / (k + 2.0);
        d = bn + an * d;
        d = 1.0 / (fabs(d) < tiny ? tiny : d);
        c = bn + an / c;
        c = fabs(c) < tiny ? tiny : c;
        f *= c * d;
        if (fabs(c * d - 1.0) < DBL_EPSILON)
            break;
    }
    return f;
}

/* (-1)^k zeta(k) (2^k - 2) / k for k = 2 .. 29: the Taylor coefficients
 * of log Gamma(a + 1/2) - log Gamma(a + 1) about a = 0 (the differences of
 * the polygamma functions at 1/2 and at 1), computed with 50 digits. */
static const double LOG_K_COEF[28] = {
    1.64493406684822641e+00,  -2.40411380631918847e+00, 3.78813131798898350e+00,
    -6.22156653086021993e+00, 1.05125449738393080e+01,  -1.81502869928746122e+01,
    3.18794560592847311e+01,  -5.67804755934779948e+01, 1.02301645578063003e+02,
    -1.86091919080366210e+02, 3.41250623195770288e+02,  -6.30077309408974429e+02,
    1.17021452621060939e+03,  -2.18446681694338895e+03, 4.09593759422425546e+03,
    -7.71005888279378814e+03, 1.45635000373828370e+04,  -2.75940526552217016e+04,
    5.24287500149892876e+04,  -9.98643333428577753e+04, 1.90650136369700922e+05,
    -3.64722043482129811e+05, 6.99050625002472661e+05,  -1.34217724000158301e+06,
    2.58111011538563017e+06,  -4.97102692592657730e+06, 9.58698053571470454e+06,
    -1.85127900344830267e+07,
};

/* log(1 / (a B(a, 1/2))) = log(Gamma(a + 1/2) / (Gamma(a + 1) Gamma(1/2)))
 * for 0 < a < 1/8: -2 log(2) a + sum_k>=2 LOG_K_COEF a^k, whose terms
 * fall as (2a)^k. It is about -1.39 a, and small_df_tails needs it to
 * relative accuracy, which a difference of log-gammas would give only to
 * 1e-16 absolute. */
static double log_inv_a_beta(double a)
{
    double s = 0.0;
    for (int k = 27; k >= 0; k--)
        s = s * a + LOG_K_COEF[k];
    return a * (-2.0 * TD_LN2 + a * s);
}

/* Upper tail and central mass for TD_TINY_DF <= df < TD_SMALL_DF where
 * x = df / (df + t^2) < 0.43, from the series of I_x(a, 1/2) in x (DLMF
 * 8.17.8, with Euler's transformation), whose terms fall as 0.43^n here:
 *   I_x(a, 1/2) = x^a / (a B(a, 1/2)) (1 + a sum_n>=1 (1/2)_n/n! x^n/(a + n)).
 * For a small I_x is near 1 and the central mass 1 - I_x about
 * a log(t^2/df): as 1 - 2 P(T > t), the continued fraction's way, it would
 * keep 1e-16 absolute accuracy only, 1e-6 relative at df = 1e-10. Here it
 * is -expm1 of a sum of logarithms that are each small and relatively
 * accurate. */
static void small_df_tails(double x, double log_x, double df, double *upper, double *inner)
{
    double a = 0.5 * df, term = 1.0, sum = 0.0;
    for (int n = 1; n < 100; n++) {
        term *= (n - 0.5) / n * x; /* (1/2)_n / n! x^n */
        double add = term / (a + n);
        sum += add;
        if (add <= 1e-17 * sum)
            break;
    }
    double log_i = a * log_x + log_inv_a_beta(a) + log1p(a * sum);
    *upper = 0.5 * exp(log_i);
    *inner = -expm1(log_i);
}

/* Upper tail P(T > |t|) and central mass P(|T| < |t|) by the incomplete
 * beta function; each is summed directly where it is the smaller one. */
static void beta_tails(double t, double df, double *upper, double *inner)
{
    double a = 0.5 * df, s = fabs(t) / sqrt(df), s2 = s * s;
    /* x = df / (df + t^2) and y = 1 - x, each to full relative accuracy */
    double x = s < 1.0 ? 1.0 / (1.0 + s2) : 1.0 / s2 / (1.0 + 1.0 / s2);
    double y = s < 1.0 ? s2 / (1.0 + s2) : 1.0 / (1.0 + 1.0 / s2);
    /* log x, and x^a y^(1/2) / B(a, 1/2) */
    double log_x = -log1p_t2(fabs(t), df);
    double pre = exp(a * log_x) * root_y(s) * gamma_half_ratio(a) / TD_SQRT_PI;
    int x_side = y > 1.5 / (a + 2.5); /* x < (a + 1) / (a + b + 2), without rounding x */
    if (x_side && df < TD_SMALL_DF) {
        small_df_tails(x, log_x, df, upper, inner);
    } else if (x_side) {
        *upper = 0.5 * pre / beta_cf(x, y, a, 0.5);
        *inner = 1.0 - 2.0 * *upper;
    } else {
        *inner = pre / beta_cf(y, x, 0.5, a);
        *upper = 0.5 - 0.5 * *inner;
    }
}

/* Upper tail and central mass for df < TD_TINY_DF, where a = df/2 is too
 * small for the continued fraction (its first term is about a, below its
 * floor of 1e-300 for df < 2e-300) and for gamma_half_ratio (subnormal).
 * With x = df / (df + t^2) and y = 1 - x, the series of I_x(a, 1/2) in x
 * (DLMF 8.17.8, with Euler's transformation),
 *   I_x(a, 1/2) = x^a / (a B(a, 1/2)) sum_n (1/2)_n / n! a / (a + n) x^n,
 * to first order in a (a B(a, 1/2) = 1 + 2a log 2 + O(a^2), and
 * sum_n>=1 (1/2)_n / n! x^n / n = 2 log(2 / (1 + sqrt(y)))) is
 *   I_x(a, 1/2) = x^a (1 - 2a log(1 + sqrt(y))) + O(a^2),
 * the O(a^2) term bounded uniformly in x and 0 at x = 1. So the error is
 * below 1e-40 relative in the tail, and below 1e-20 relative in the
 * central mass, written without cancellation as 1 - x^a + x^a 2a log(...).
 * As df -> 0 every finite t has P(T > |t|) -> 1/2: the mass escapes to
 * infinity. */
static void tiny_df_tails(double at, double df, double *upper, double *inner)
{
    double a_log_x = -0.5 * df * log1p_t2(at, df);
    double xa = exp(a_log_x), c = df * log1p(root_y(at / sqrt(df)));
    *upper = 0.5 * xa * (1.0 - c);
    *inner = -expm1(a_log_x) + xa * c;
}

/* Upper tail P(T > |t|) and central mass P(|T| < |t|) for df > 0. */
static void t_tails(double t, double df, double *upper, double *inner)
{
    double at = fabs(t);
    if (df < TD_TINY_DF) {
        tiny_df_tails(at, df, upper, inner);
    } else if (df > TD_NORMAL_DF) {
        *upper = norm_upper(at);
        *inner = erf(at * TD_SQRT1_2);
    } else if (df == 1.0) {
        *upper = atan2(1.0, at) / TD_PI;
        *inner = 2.0 * atan2(at, 1.0) / TD_PI;
    } else if (df == 2.0) {
        double s = hypot(TD_SQRT2, at);
        *inner = at / s;
        /* 1/2 - t / (2 s) cancels for large t; the rewritten form would give
         * 1/2 only to an ulp at t = 0 */
        *upper = at < 1.0 ? 0.5 - 0.5 * *inner : 1.0 / (s * (s + at));
    } else {
        beta_tails(t, df, upper, inner);
    }
}

double servgap__t_cdf(double t, double df)
{
    if (isnan(t) || isnan(df) || df <= 0.0)
        return NAN;
    if (isinf(t))
        return t > 0.0 ? 1.0 : 0.0;
    double upper, inner;
    t_tails(t, df, &upper, &inner);
    return t < 0.0 ? upper : 1.0 - upper;
}

/* Cornish-Fisher expansion of the t quantile about the normal deviate z
 * (Abramowitz & Stegun 26.7.5). */
static double cornish_fisher(double z, double df)
{
    double z2 = z * z;
    double g1 = (z2 + 1.0) * z / 4.0;
    double g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    double g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    double g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/* Power-law tail bound: P(T > t) < c s^-df with s = t / sqrt(df), so this t
 * is never below the true quantile, and is close to it far in the tail. */
static double tail_bound(double q, double df)
{
    double c = gamma_half_ratio(0.5 * df) / (df * TD_SQRT_PI);
    return sqrt(df) * exp((log(c) - log(q)) / df);
}

/* The t > 0 with P(T > t) = q, q < 1/4: Newton in log t on log P(T > t).
 * A bound beyond DBL_MAX does not put the root there (for df < 1 the
 * bound can be some times the root): the tail at DBL_MAX tells. */
static double solve_upper(double q, double df)
{
    double lo = 0.0, hi = tail_bound(q, df);
    if (!(hi <= DBL_MAX)) {
        double upper, inner;
        t_tails(DBL_MAX, df, &upper, &inner);
        if (upper > q)
            return INFINITY; /* beyond the largest double */
        hi = DBL_MAX;
    }
    /* The bound is the better start once the tail is a power law (t well
     * above sqrt(df)); elsewhere the normal-based expansion is. */
    double t = hi > 4.0 * sqrt(df) ? hi : fmin(cornish_fisher(-servgap__norm_quantile(q), df), hi);
    for (int i = 0; i < TD_NEWTON_MAX; i++) {
        double upper, inner;
        t_tails(t, df, &upper, &inner);
        if (upper > q)
            lo = t;
        else
            hi = t;
        double step = log(upper / q) * exp(log(upper / t) - t_log_pdf(t, df));
        double next = t * exp(step);
        if (fabs(step) < 1e-10) /* quadratic convergence: now near 1e-20 */
            return next;
        t = next > lo && next < hi ? next : lo > 0.0 ? sqrt(lo) * sqrt(hi) : 0.5 * hi;
    }
    return t;
}

/* The t > 0 with P(|T| < t) = c, 0 < c <= 1/2: Newton in log t on
 * P(|T| < t), started at the tangent of the concave P(|T| < t) at 0,
 * which lies below the root. In log t, because for df well below 1 the
 * root can be e^(1/df) times the start (the central half of t with
 * df = 0.01 reaches 10^30), which steps in t, each growing t by about
 * 1 + 1/df, would not reach in TD_NEWTON_MAX. */
static double solve_inner(double c, double df)
{
    double upper, inner;
    t_tails(DBL_MAX, df, &upper, &inner);
    if (inner < c)
        return INFINITY; /* beyond the largest double */
    double t = fmin(c / (2.0 * exp(t_log_pdf(0.0, df))), DBL_MAX);
    double lo = 0.0, hi = DBL_MAX;
    for (int i = 0; i < TD_NEWTON_MAX; i++) {
        t_tails(t, df, &upper, &inner);
        if (inner < c)
            lo = t;
        else
            hi = t;
        double step = (c - inner) / (2.0 * exp(log(t) + t_log_pdf(t, df)));
        double next = t * exp(step);
        if (fabs(step) < 1e-10) /* quadratic convergence: now near 1e-20 */
            return next;
        t = next > lo && next < hi ? next : lo > 0.0 ? sqrt(lo) * sqrt(hi) : 0.5 * hi;
    }
    return t;
}

double servgap__t_quantile(double p, double df)
{
    if (isnan(p) || isnan(df) || df <= 0.0 || p < 0.0 || p > 1.0)
        return NAN;
    if (p == 0.0 || p == 1.0)
        return p == 0.0 ? -INFINITY : INFINITY;
    if (p == 0.5)
        return 0.0;
    if (df > TD_NORMAL_DF)
        return servgap__norm_quantile(p);
    /* Below TD_TINY_DF, P(|T| < t) <= (df/2) log(1 + t^2/df) + df log 2
     * (tiny_df_tails), so even the smallest central mass a p other than
     * 1/2 asks for, 2^-53, needs log(1 + t^2/df) > 2.2e4: t is beyond
     * DBL_MAX for every such p. */
    if (df < TD_TINY_DF)
        return p < 0.5 ? -INFINITY : INFINITY;
    double q = p < 0.5 ? p : 1.0 - p; /* exact: Sterbenz */
    double t;
    if (df == 1.0)
        t = q < 0.25 ? 1.0 / tan(TD_PI * q) : tan(TD_PI * (0.5 - q));
    else if (df == 2.0)
        t = (1.0 - 2.0 * q) / sqrt(2.0 * q * (1.0 - q));
    else if (q < 0.25)
        t = solve_upper(q, df);
    else
        t = solve_inner(1.0 - 2.0 * q, df); /* exact for q >= 1/4 */
    return p < 0.5 ? -t : t;
}

/* The public face of the two functions above. */
SERVGAP_API double servgap_t_cdf(double t, double df)
{
    return servgap__t_cdf(t, df);
}

SERVGAP_API double servgap_t_quantile(double p, double df)
{
    return servgap__t_quantile(p, df);
}
