/*
 * numtext -- numbers and dates as text without printf, whose decimal point
 * follows the locale's LC_NUMERIC: the shortest decimal that reads back to
 * a double (Ryu), integers, and ISO dates. The JSON report writes every
 * number through here. Relies on calendar, and on ryu_tables for the
 * generated powers of 5.
 */
#include "platform.h"

#include "numtext.h"

#include <math.h>
#include <string.h>

#include "calendar.h"
#include "ryu_tables.h"
#include "servgap.h"

/* ---------------------------------------------------------------------- */
/* Numbers                                                                 */
/* ---------------------------------------------------------------------- */

/* The shortest decimal that reads back to a double, by Ryu (U. Adams,
 * "Ryu: fast float-to-string conversion", PLDI 2018): the interval of
 * decimals that round to the double is scaled by a power of 5 held to 125
 * bits, enough to decide every digit exactly, and digits are dropped while
 * the interval still holds a number with fewer. Ties go to the even
 * neighbour, as correctly rounded printing does. */

#if defined(__SIZEOF_INT128__) && (defined(__GNUC__) || defined(__clang__))
/* (m * mul) >> j for a 128-bit mul and 64 < j < 128; the compiler's
 * 128-bit integers where it has them (__extension__ keeps -pedantic
 * quiet), else the portable version below: same result. */
__extension__ typedef unsigned __int128 servgap__u128;

static uint64_t mul_shift(uint64_t m, const uint64_t *mul, int j)
{
    servgap__u128 b0 = (servgap__u128)m * mul[0], b2 = (servgap__u128)m * mul[1];
    return (uint64_t)(((b0 >> 64) + b2) >> (j - 64));
}
#else
/* The full 128-bit product, without compiler extensions. */
static uint64_t umul128(uint64_t a, uint64_t b, uint64_t *hi)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid1 = p10 + (p00 >> 32);
    uint64_t mid2 = p01 + (uint32_t)mid1;
    *hi = p11 + (mid1 >> 32) + (mid2 >> 32);
    return (mid2 << 32) | (uint32_t)p00;
}

static uint64_t mul_shift(uint64_t m, const uint64_t *mul, int j)
{
    uint64_t hi0, hi1;
    umul128(m, mul[0], &hi0);
    uint64_t lo1 = umul128(m, mul[1], &hi1);
    uint64_t sum = hi0 + lo1;
    hi1 += sum < hi0;
    int d = j - 64;
    return (hi1 << (64 - d)) | (sum >> d);
}
#endif

static int pow5_bits(int e)
{
    return (int)(((uint32_t)e * 1217359u) >> 19) + 1;
}

static int log10_pow2(int e)
{
    return (int)(((uint32_t)e * 78913u) >> 18);
}

static int log10_pow5(int e)
{
    return (int)(((uint32_t)e * 732923u) >> 20);
}

static int multiple_of_pow5(uint64_t v, int p)
{
    int n = 0;
    while (v % 5 == 0) {
        v /= 5;
        n++;
    }
    return n >= p;
}

static int multiple_of_pow2(uint64_t v, int p)
{
    return (v & (((uint64_t)1 << p) - 1)) == 0;
}

/* The interval [vm, vp] around vr = 4 m2 * 2^e2, in decimal, and whether
 * the dropped digits of vm and vr are all zero (exact ends). */
typedef struct interval10 {
    uint64_t vr, vp, vm;
    int e10, vm_zeros, vr_zeros;
} interval10;

static void scale_up(uint64_t m2, int e2, int even, uint32_t mm_shift, interval10 *v)
{
    uint64_t mv = 4 * m2;
    int q = log10_pow2(e2) - (e2 > 3);
    int i = -e2 + q + 125 + pow5_bits(q) - 1;
    v->e10 = q;
    v->vr = mul_shift(mv, pow5_inv_split[q], i);
    v->vp = mul_shift(mv + 2, pow5_inv_split[q], i);
    v->vm = mul_shift(mv - 1 - mm_shift, pow5_inv_split[q], i);
    if (q > 21)
        return;
    /* Only one of mv - 1 - mm_shift, mv, mv + 2 can be a multiple of 5. */
    if (mv % 5 == 0)
        v->vr_zeros = multiple_of_pow5(mv, q);
    else if (even)
        v->vm_zeros = multiple_of_pow5(mv - 1 - mm_shift, q);
    else
        v->vp -= (uint64_t)multiple_of_pow5(mv + 2, q);
}

static void scale_down(uint64_t m2, int e2, int even, uint32_t mm_shift, interval10 *v)
{
    uint64_t mv = 4 * m2;
    int q = log10_pow5(-e2) - (-e2 > 1);
    int i = -e2 - q;
    int j = q - (pow5_bits(i) - 125);
    v->e10 = q + e2;
    v->vr = mul_shift(mv, pow5_split[i], j);
    v->vp = mul_shift(mv + 2, pow5_split[i], j);
    v->vm = mul_shift(mv - 1 - mm_shift, pow5_split[i], j);
    if (q <= 1) {
        v->vr_zeros = 1;
        if (even)
            v->vm_zeros = mm_shift == 1;
        else
            v->vp--;
    } else if (q < 63) {
        v->vr_zeros = multiple_of_pow2(mv, q);
    }
}

/* shortest() when neither end is exact, which is nearly always: no
 * trailing zeros to track, so two digits can go at a time. */
static uint64_t shortest_inexact(interval10 *v, int *e10)
{
    int removed = 0, up = 0;
    if (v->vp / 100 > v->vm / 100) {
        up = v->vr % 100 >= 50;
        v->vr /= 100;
        v->vp /= 100;
        v->vm /= 100;
        removed = 2;
    }
    while (v->vp / 10 > v->vm / 10) {
        up = v->vr % 10 >= 5;
        v->vr /= 10;
        v->vp /= 10;
        v->vm /= 10;
        removed++;
    }
    *e10 = v->e10 + removed;
    return v->vr + (uint64_t)(v->vr == v->vm || up);
}

/* Drop digits while the interval holds a shorter number; round to
 * nearest, ties to even. Returns the digits, *e10 their exponent. */
static uint64_t shortest(interval10 *v, int even, int *e10)
{
    if (!v->vm_zeros && !v->vr_zeros)
        return shortest_inexact(v, e10);
    int removed = 0, last = 0;
    while (v->vp / 10 > v->vm / 10) {
        v->vm_zeros &= v->vm % 10 == 0;
        v->vr_zeros &= last == 0;
        last = (int)(v->vr % 10);
        v->vr /= 10;
        v->vp /= 10;
        v->vm /= 10;
        removed++;
    }
    if (v->vm_zeros && even) {
        /* The lower end is exact and inside: it may be shorter still. */
        while (v->vm % 10 == 0) {
            v->vr_zeros &= last == 0;
            last = (int)(v->vr % 10);
            v->vr /= 10;
            v->vp /= 10;
            v->vm /= 10;
            removed++;
        }
    }
    if (v->vr_zeros && last == 5 && v->vr % 2 == 0)
        last = 4; /* exactly half way: round to even */
    *e10 = v->e10 + removed;
    int outside = v->vr == v->vm && (!even || !v->vm_zeros);
    return v->vr + (uint64_t)(outside || last >= 5);
}

/* Whether m * 2^e is an integer below 2^53, and if so its digits without
 * trailing zeros: a shortest form, since a digit less moves the value by at
 * least 1, more than half its spacing. The common case of counts and whole
 * scores, made cheap. */
static int small_int(uint64_t m, int e, uint64_t *digits, int *e10)
{
    if (e > 0 || e < -52 || (m & (((uint64_t)1 << -e) - 1)) != 0)
        return 0;
    uint64_t i = m >> -e;
    int z = 0;
    while (i % 10 == 0) {
        i /= 10;
        z++;
    }
    *digits = i;
    *e10 = z;
    return 1;
}

/* The shortest digits of finite v > 0, and the decimal exponent of the
 * last one: v reads back from digits * 10^*e10. */
static uint64_t ryu(double v, int *e10)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t mant = bits & (((uint64_t)1 << 52) - 1);
    uint32_t exp = (uint32_t)(bits >> 52) & 0x7ffu;
    /* Two more bits, so that the interval's ends are integers too. */
    int e2 = exp == 0 ? 1 - 1023 - 52 - 2 : (int)exp - 1023 - 52 - 2;
    uint64_t m2 = exp == 0 ? mant : mant | (uint64_t)1 << 52, digits;
    if (exp != 0 && small_int(m2, e2 + 2, &digits, e10))
        return digits;
    int even = (m2 & 1) == 0;
    /* At a power of two the gap below is half the gap above. */
    uint32_t mm_shift = mant != 0 || exp <= 1;
    interval10 iv = {0, 0, 0, 0, 0, 0};
    if (e2 >= 0)
        scale_up(m2, e2, even, mm_shift, &iv);
    else
        scale_down(m2, e2, even, mm_shift, &iv);
    return shortest(&iv, even, e10);
}

static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324"
                                     "25262728293031323334353637383940414243444546474849"
                                     "50515253545556575859606162636465666768697071727374"
                                     "75767778798081828384858687888990919293949596979899";

/* v < 10000 as exactly four digits. */
static void put4(uint32_t v, char *out)
{
    memcpy(out, digit_pairs + (size_t)(v / 100) * 2, 2);
    memcpy(out + 2, digit_pairs + (size_t)(v % 100) * 2, 2);
}

/* u in decimal. A report writes hundreds of millions of numbers, so the
 * digits go in 32-bit blocks of eight, whose halves do not wait on each
 * other, from the end. */
static size_t put_u64(uint64_t u, char *out)
{
    static const uint64_t pow10[20] = {1u,
                                       10u,
                                       100u,
                                       1000u,
                                       10000u,
                                       100000u,
                                       1000000u,
                                       10000000u,
                                       100000000u,
                                       1000000000u,
                                       10000000000u,
                                       100000000000u,
                                       1000000000000u,
                                       10000000000000u,
                                       100000000000000u,
                                       1000000000000000u,
                                       10000000000000000u,
                                       100000000000000000u,
                                       1000000000000000000u,
                                       10000000000000000000u};
    size_t n = 1;
    while (n < 20 && u >= pow10[n])
        n++;
    size_t i = n;
    while (u >= 100000000u) {
        uint32_t block = (uint32_t)(u % 100000000u);
        u /= 100000000u;
        i -= 8;
        put4(block / 10000, out + i);
        put4(block % 10000, out + i + 4);
    }
    uint32_t v = (uint32_t)u;
    while (v >= 100) {
        i -= 2;
        memcpy(out + i, digit_pairs + (size_t)(v % 100) * 2, 2);
        v /= 100;
    }
    if (v >= 10)
        memcpy(out, digit_pairs + (size_t)v * 2, 2);
    else
        out[0] = (char)('0' + v);
    return n;
}

static size_t put_zeros(char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = '0';
    return n > 0 ? (size_t)n : 0;
}

/* digits[0..k) * 10^(n - k) in ECMAScript's Number::toString layout. */
static size_t layout(const char *d, int k, int n, char *out)
{
    size_t o = 0;
    if (k <= n && n <= 21) {
        memcpy(out, d, (size_t)k);
        return (size_t)k + put_zeros(out + k, n - k);
    }
    if (0 < n && n <= 21) {
        memcpy(out, d, (size_t)n);
        out[n] = '.';
        memcpy(out + n + 1, d + n, (size_t)(k - n));
        return (size_t)k + 1;
    }
    if (-6 < n && n <= 0) {
        out[0] = '0';
        out[1] = '.';
        o = 2 + put_zeros(out + 2, -n);
        memcpy(out + o, d, (size_t)k);
        return o + (size_t)k;
    }
    out[o++] = d[0];
    if (k > 1) {
        out[o++] = '.';
        memcpy(out + o, d + 1, (size_t)(k - 1));
        o += (size_t)(k - 1);
    }
    int e = n - 1;
    out[o++] = 'e';
    out[o++] = e < 0 ? '-' : '+';
    return o + servgap__json_int(e < 0 ? -e : e, out + o);
}

size_t servgap__json_double(double x, char *out)
{
    if (!isfinite(x)) {
        memcpy(out, "null", 4);
        return 4;
    }
    size_t o = 0;
    if (signbit(x)) {
        out[o++] = '-';
        x = -x;
    }
    if (x == 0.0) {
        out[o++] = '0';
        return o;
    }
    int e10;
    uint64_t digits = ryu(x, &e10);
    char d[24];
    int k = (int)put_u64(digits, d);
    return o + layout(d, k, k + e10, out + o);
}

const char *servgap__num_text(double x, char *buf)
{
    const char *word = isnan(x) ? "nan" : x == INFINITY ? "inf" : x == -INFINITY ? "-inf" : NULL;
    size_t n = word ? strlen(word) : servgap__json_double(x, buf);
    if (word)
        memcpy(buf, word, n);
    buf[n] = '\0';
    return buf;
}

size_t servgap__json_int(int64_t v, char *out)
{
    if (v >= 0)
        return put_u64((uint64_t)v, out);
    out[0] = '-';
    return 1 + put_u64((uint64_t)0 - (uint64_t)v, out + 1);
}

/* v in decimal with at least width digits. */
static size_t padded(int64_t v, int width, char *out)
{
    char tmp[24];
    size_t n = servgap__json_int(v, tmp);
    size_t z = (size_t)width > n ? (size_t)width - n : 0;
    memset(out, '0', z);
    memcpy(out + z, tmp, n);
    return z + n;
}

size_t servgap__json_date(int64_t t, char *out)
{
    int64_t y;
    int m, d;
    servgap__civil(servgap__floor_div(t, SERVGAP_DAY), &y, &m, &d);
    size_t o = 0;
    if (y >= 0 && y <= 9999) {
        o = padded(y, 4, out);
    } else {
        out[o++] = y < 0 ? '-' : '+';
        o += padded(y < 0 ? -y : y, 6, out + o);
    }
    out[o++] = '-';
    o += padded(m, 2, out + o);
    out[o++] = '-';
    return o + padded(d, 2, out + o);
}
