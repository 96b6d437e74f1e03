#!/usr/bin/env python3
"""Reference values of the Student t distribution for tests/test_tdist_extreme.c,
derived with nothing but the standard library (no scipy, no mpmath).

The tail P(T > |t|) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2) comes from
the hypergeometric series of the regularized incomplete beta function

    I_x(a, b) = x^a / (a B(a, b)) * sum_n (1-b)_n / n! * a / (a + n) * x^n

(DLMF 8.17.8 with Euler's transformation), summed on whichever of x and
y = 1 - x is at most 1/2 (the other side is the complement), in Decimal
arithmetic with 120 digits; log Gamma comes from Stirling's series after
shifting the argument above 60. Arguments are taken as the exact doubles
the C test passes. Valid for df >= 1e-40 (below that the complement needs
more digits than Stirling's series gives); the tiny-df values of the test
come from the closed forms written next to them there.

    python3 tests/tools/t_reference.py      prints every value the test uses
"""
from decimal import Decimal as D, getcontext
from fractions import Fraction

getcontext().prec = 120
getcontext().Emin = -9999999
getcontext().Emax = 9999999

PI = D("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899863")
DBL_MAX = 1.7976931348623157e308


def bernoulli(n):
    """B_0 .. B_n by the Akiyama-Tanigawa algorithm."""
    a = [Fraction(0)] * (n + 1)
    out = []
    for m in range(n + 1):
        a[m] = Fraction(1, m + 1)
        for j in range(m, 0, -1):
            a[j - 1] = j * (a[j - 1] - a[j])
        out.append(a[0])
    return out


BERNOULLI = bernoulli(60)


def lgamma(z):
    z = D(z)
    shift = D(0)
    while z < 60:
        shift += z.ln()
        z += 1
    s = (z - D("0.5")) * z.ln() - z + (2 * PI).ln() / 2
    zp = z
    for k in range(1, 30):
        b = BERNOULLI[2 * k]
        s += D(b.numerator) / D(b.denominator) / (2 * k * (2 * k - 1) * zp)
        zp *= z * z
    return s - shift


def series(x, a, b):
    """sum_n (1-b)_n / n! * a / (a + n) * x^n for x <= 1/2."""
    total, term, n = D(0), D(1), 0
    while True:
        add = term * a / (a + n)
        total += add
        if n > 5 and abs(add) < abs(total) * D("1e-110"):
            return total
        term = term * (n + 1 - b) / (n + 1) * x
        n += 1


def ibeta(x, y, a, b):
    """I_x(a, b) and 1 - I_x(a, b), with y = 1 - x given exactly."""
    lbeta = lgamma(a) + lgamma(b) - lgamma(a + b)
    if x <= y:
        i = (a * x.ln() - lbeta).exp() / a * series(x, a, b) if x > 0 else D(0)
        return i, 1 - i
    j = (b * y.ln() - lbeta).exp() / b * series(y, b, a)
    return 1 - j, j


def tails(t, df):
    """P(T > |t|) and P(|T| < |t|), t and df as doubles."""
    t, df = abs(D(float(t))), D(float(df))
    if t == 0:
        return D("0.5"), D(0)
    x, y = df / (df + t * t), t * t / (df + t * t)
    i, j = ibeta(x, y, df / 2, D("0.5"))
    return i / 2, j


def normal_upper(z):
    """P(Z > z) by Laplace's continued fraction of the Mills ratio."""
    z = D(z)
    f = z
    for k in range(3000, 0, -1):
        f = z + k / f
    return (-(z * z) / 2).exp() / (2 * PI).sqrt() / f


def quantile_upper(q, df, lo, hi):
    """The t in [lo, hi] with P(T > t) = q, by bisection in log t."""
    q, lo, hi = D(q), D(lo), D(hi)
    for _ in range(400):
        mid = (lo * hi).sqrt()
        if tails(mid, df)[0] > q:
            lo = mid
        else:
            hi = mid
    return lo


def quantile_inner(c, df, lo, hi):
    """The t in [lo, hi] with P(|T| < t) = c, by bisection in log t."""
    c, lo, hi = D(c), D(lo), D(hi)
    for _ in range(400):
        mid = (lo * hi).sqrt()
        if tails(mid, df)[1] < c:
            lo = mid
        else:
            hi = mid
    return lo


def show(name, value):
    print("%-40s %r" % (name, float(value)))


if __name__ == "__main__":
    show("P(T < -1e308), df 0.01", tails(1e308, 0.01)[0])
    show("P(T < -1e308), df 0.5", tails(1e308, 0.5)[0])
    show("P(T < -1e10), df 1e-3", tails(1e10, 1e-3)[0])
    show("P(T < -1), df 1e-10", tails(1, 1e-10)[0])
    show("P(T < -1e308), df 1", D(1) / PI / D(1e308))
    show("P(Z < -1.5)", normal_upper(1.5))
    show("P(Z < -37)", normal_upper(37))
    show("t(1e-300), df 3", -quantile_upper(1e-300, 3, 1, 1e200))
    show("t(1/2 + 2^-53), df 1e-18", quantile_inner(D(2) ** -52, 1e-18, 1, 1e300))
    show("t(0.75), df 0.01", quantile_inner(D("0.5"), 0.01, 1, 1e300))
    show("P(T > DBL_MAX), df 1e-3", tails(DBL_MAX, 1e-3)[0])
