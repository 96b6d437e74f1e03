/*
 * parse_number -- decimal text to the correctly rounded double, without
 * strtod, whose decimal point follows the process locale: a fast exact
 * path for short inputs, otherwise an approximation corrected against the
 * exact decimal value with big-integer comparisons, which gives the
 * correctly rounded double for any input. Relies on nothing but libc.
 */
#include "platform.h"

#include "parse_number.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "servgap.h"

/* ---------------------------------------------------------------------- */
/* Big integers, for exact comparisons of decimal and binary values        */
/* ---------------------------------------------------------------------- */

/* Enough for every comparison below: a decimal side has at most
 * MAX_DIGITS + 1 digits times 5^310, a binary side at most 2^56 times
 * 5^1105 times a small power of two; both stay under 3,000 bits. */
#define BIG_WORDS  128
#define MAX_DIGITS 780

typedef struct big {
    uint32_t w[BIG_WORDS]; /* little-endian words */
    size_t n;
    int overflow; /* never set for the inputs above; checked anyway */
} big;

static void big_set(big *b, uint64_t v)
{
    b->n = 0;
    b->overflow = 0;
    while (v) {
        b->w[b->n++] = (uint32_t)v;
        v >>= 32;
    }
}

static void big_mul_add(big *b, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (size_t i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->w[i] * m + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry && b->n < BIG_WORDS)
        b->w[b->n++] = (uint32_t)carry;
    else if (carry)
        b->overflow = 1;
}

static void big_mul_pow5(big *b, int64_t k)
{
    static const uint32_t p5[14] = {1,       5,        25,        125,       625,
                                    3125,    15625,    78125,     390625,    1953125,
                                    9765625, 48828125, 244140625, 1220703125};
    for (; k >= 13; k -= 13)
        big_mul_add(b, p5[13], 0);
    if (k > 0)
        big_mul_add(b, p5[k], 0);
}

static void big_shl(big *b, int64_t k)
{
    if (b->n == 0 || k <= 0)
        return;
    size_t words = (size_t)(k / 32), bits = (size_t)(k % 32);
    if (b->n + words + 1 > BIG_WORDS) {
        b->overflow = 1;
        return;
    }
    b->w[b->n + words] = 0;
    for (size_t i = b->n; i-- > 0;) {
        b->w[i + words + 1] |= bits ? b->w[i] >> (32 - bits) : 0;
        b->w[i + words] = b->w[i] << bits;
    }
    memset(b->w, 0, words * sizeof *b->w);
    b->n += words + 1;
    while (b->n && b->w[b->n - 1] == 0)
        b->n--;
}

static int big_cmp(const big *x, const big *y)
{
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    for (size_t i = x->n; i-- > 0;)
        if (x->w[i] != y->w[i])
            return x->w[i] < y->w[i] ? -1 : 1;
    return 0;
}

/* The digits of a decimal: value = digits * 10^exp, digits without leading
 * or trailing zeros. */
typedef struct decimal {
    char d[MAX_DIGITS + 1];
    size_t n;
    int64_t exp;
    int neg;
} decimal;

static void big_from_decimal(big *b, const decimal *x)
{
    static const uint32_t p10[10] = {1,      10,      100,      1000,      10000,
                                     100000, 1000000, 10000000, 100000000, 1000000000};
    big_set(b, 0);
    for (size_t i = 0; i < x->n;) {
        uint32_t chunk = 0;
        size_t k = 0;
        for (; k < 9 && i < x->n; k++, i++)
            chunk = chunk * 10 + (uint32_t)(x->d[i] - '0');
        if (b->n == 0)
            big_set(b, chunk);
        else
            big_mul_add(b, p10[k], chunk);
    }
}

/* Sign of x - m * 2^e, exactly. */
static int cmp_exact(const decimal *x, uint64_t m, int64_t e)
{
    big l, r;
    big_from_decimal(&l, x);
    big_set(&r, m);
    big_mul_pow5(x->exp >= 0 ? &l : &r, x->exp >= 0 ? x->exp : -x->exp);
    big_shl(x->exp >= e ? &l : &r, x->exp >= e ? x->exp - e : e - x->exp);
    if (l.overflow || r.overflow)
        return 0; /* unreachable within the bounds above */
    return big_cmp(&l, &r);
}

/* ---------------------------------------------------------------------- */
/* Decimal numbers                                                         */
/* ---------------------------------------------------------------------- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Append one digit of the mantissa; digits beyond MAX_DIGITS only matter
 * as "something nonzero follows", kept as a final 1 (see digits_done). */
static void digit_add(decimal *x, char c, int *sticky, int64_t *dropped)
{
    if (x->n == 0 && c == '0')
        return;
    if (x->n < MAX_DIGITS) {
        x->d[x->n++] = c;
        return;
    }
    ++*dropped;
    if (c != '0')
        *sticky = 1;
}

/* Mantissa and fraction digits of s[*i..len); returns how many digits. */
static size_t scan_digits(const char *s, size_t len, size_t *i, decimal *x, int *sticky,
                          int64_t *dropped, int64_t *frac, int fraction)
{
    size_t start = *i;
    for (; *i < len && is_digit(s[*i]); ++*i) {
        digit_add(x, s[*i], sticky, dropped);
        if (fraction && *frac < INT64_MAX / 4)
            ++*frac;
    }
    return *i - start;
}

/* An exponent, saturated far beyond any double's range. */
static int scan_exponent(const char *s, size_t len, size_t *i, int64_t *e)
{
    int neg = 0;
    if (*i < len && (s[*i] == '+' || s[*i] == '-'))
        neg = s[(*i)++] == '-';
    if (*i >= len || !is_digit(s[*i]))
        return -1;
    for (*e = 0; *i < len && is_digit(s[*i]); ++*i)
        if (*e < 1000000000000LL)
            *e = *e * 10 + (s[*i] - '0');
    if (neg)
        *e = -*e;
    return 0;
}

/* A dropped nonzero tail becomes a trailing 1 one place further down: no
 * rounding boundary of a double needs more than 767 significant digits, so
 * none lies strictly between the kept digits and the true value. */
static void digits_done(decimal *x, int sticky, int64_t dropped)
{
    x->exp += dropped;
    if (sticky) {
        x->d[x->n++] = '1';
        x->exp--;
    }
    while (x->n > 0 && x->d[x->n - 1] == '0') {
        x->n--;
        x->exp++;
    }
}

static int decimal_parse(const char *s, size_t len, decimal *x)
{
    size_t i = 0;
    int sticky = 0;
    int64_t dropped = 0, frac = 0, e = 0;
    x->n = 0;
    x->neg = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        x->neg = s[i++] == '-';
    size_t nd = scan_digits(s, len, &i, x, &sticky, &dropped, &frac, 0);
    if (i < len && s[i] == '.') {
        i++;
        nd += scan_digits(s, len, &i, x, &sticky, &dropped, &frac, 1);
    }
    if (nd == 0)
        return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (scan_exponent(s, len, &i, &e) != 0)
            return -1;
    }
    if (i != len)
        return -1;
    x->exp = e - frac;
    digits_done(x, sticky, dropped);
    return 0;
}

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* The first up to 19 digits as an integer, and how many were taken. */
static uint64_t leading(const decimal *x, size_t *taken)
{
    uint64_t w = 0;
    size_t k = 0;
    for (; k < x->n && k < 19; k++)
        w = w * 10 + (uint64_t)(x->d[k] - '0');
    *taken = k;
    return w;
}

/* A double within a few dozen ulps of the value (or 0 / infinity at the
 * edges of the range); each step rounds once. */
static double approximate(const decimal *x)
{
    size_t taken;
    double v = (double)leading(x, &taken);
    int64_t e = x->exp + (int64_t)(x->n - taken);
    for (; e > 22 && isfinite(v); e -= 22)
        v *= 1e22;
    for (; e < -22 && v > 0.0; e += 22)
        v /= 1e22;
    if (e > 22 || e < -22)
        return v;
    return e >= 0 ? v * pow10_exact[e] : v / pow10_exact[-e];
}

static void split(double v, uint64_t *m, int64_t *e)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    int be = (int)((u >> 52) & 0x7ff);
    *m = u & ((1ULL << 52) - 1);
    if (be == 0) {
        *e = -1074;
    } else {
        *m |= 1ULL << 52;
        *e = be - 1075;
    }
}

/* Move v to the correctly rounded value of x (positive), or return
 * infinity when x rounds beyond DBL_MAX. */
static double correct(const decimal *x, double v)
{
    if (isinf(v))
        v = DBL_MAX;
    if (v == 0.0)
        v = 4.9406564584124654e-324; /* the smallest subnormal */
    for (;;) {
        uint64_t m;
        int64_t e;
        split(v, &m, &e);
        int c = cmp_exact(x, 2 * m + 1, e - 1); /* against the midpoint above */
        if (c > 0 || (c == 0 && (m & 1))) {
            if (v == DBL_MAX)
                return INFINITY;
            v = nextafter(v, INFINITY);
            continue;
        }
        /* Below a power of two the spacing halves (not for subnormals). */
        int edge = m == 1ULL << 52 && e > -1074;
        c = edge ? cmp_exact(x, 4 * m - 1, e - 2) : cmp_exact(x, 2 * m - 1, e - 1);
        if (c < 0 || (c == 0 && (m & 1))) {
            v = nextafter(v, 0.0);
            if (v == 0.0)
                return 0.0;
            continue;
        }
        return v;
    }
}

static double decimal_value(const decimal *x)
{
    int64_t top = (int64_t)x->n + x->exp; /* x < 10^top */
    if (x->n == 0 || top < -323)          /* below half the smallest subnormal */
        return 0.0;
    if (top > 309)
        return INFINITY;
    size_t taken;
    uint64_t w = leading(x, &taken);
    /* Clinger's fast path: both factors exact, so one rounding. */
    if (taken == x->n && w <= (1ULL << 53) && x->exp >= -22 && x->exp <= 22)
        return x->exp >= 0 ? (double)w * pow10_exact[x->exp] : (double)w / pow10_exact[-x->exp];
    return correct(x, approximate(x));
}

int servgap__parse_number(const char *s, size_t len, double *out)
{
    decimal x;
    if (decimal_parse(s, len, &x) != 0)
        return SERVGAP_EFORMAT;
    double v = decimal_value(&x);
    *out = x.neg ? -v : v;
    /* Digits that are not all zero (x.n > 0) must survive as a normal
     * double: zero or a subnormal would drop them silently. */
    if (isinf(v) || (x.n > 0 && v < DBL_MIN))
        return SERVGAP_ERANGE;
    return SERVGAP_OK;
}
