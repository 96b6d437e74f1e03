/*
 * csv -- the RFC 4180 reader and the locale-independent value parsers.
 *
 * The reader keeps going after a malformed record (a stray quote, text after
 * a closing quote, a bare CR, invalid UTF-8, a NUL byte) until the record's
 * real end, respecting quotes, so that a caller that skips bad rows stays in
 * step with the file. Only an unterminated quote is fatal: where the record
 * ends is then unknowable.
 *
 * Numbers are converted without strtod, whose decimal point follows the
 * process locale: a fast exact path for short inputs, otherwise an
 * approximation corrected against the exact decimal value with big-integer
 * comparisons, which gives the correctly rounded double for any input.
 */
#include "platform.h"

#include "csv.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "calendar.h"
#include "names.h"
#include "servgap.h"

/* ---------------------------------------------------------------------- */
/* Reader                                                                  */
/* ---------------------------------------------------------------------- */

void servgap__csv_init(servgap__csv *r, const servgap__alloc *a, const void *data, size_t len)
{
    static const unsigned char empty[1] = {0};
    memset(r, 0, sizeof *r);
    r->a = a;
    r->p = data ? (const unsigned char *)data : empty;
    r->end = r->p + (data ? len : 0);
    if (r->end - r->p >= 3 && memcmp(r->p, "\xef\xbb\xbf", 3) == 0)
        r->p += 3;
    r->line_start = r->p;
    r->line = 1;
}

void servgap__csv_free(servgap__csv *r)
{
    servgap__free(r->a, r->text);
    servgap__free(r->a, r->field);
    r->text = NULL;
    r->field = NULL;
}

static uint64_t col_of(const servgap__csv *r, const unsigned char *p)
{
    return (uint64_t)(p - r->line_start) + 1;
}

/* Keeps the first error of a record, except that a fatal one wins. */
static void set_err(servgap__csv *r, const unsigned char *at, const char *why, int fatal)
{
    if (r->err && !fatal)
        return;
    r->err = why;
    r->err_line = r->line;
    r->err_col = col_of(r, at);
    r->fatal = fatal;
}

static int put(servgap__csv *r, const unsigned char *s, size_t n)
{
    void *p = r->text;
    if (servgap__reserve(r->a, &p, &r->captext, r->ntext + n + 1, 1) != 0)
        return SERVGAP_ENOMEM;
    r->text = p;
    memcpy(r->text + r->ntext, s, n);
    r->ntext += n;
    return SERVGAP_OK;
}

/* Bytes that need no attention inside a field: ASCII except NUL, CR, LF,
 * the quote and the comma. */
static int plain(unsigned char c)
{
    return c < 0x80 && c != 0 && c != '\r' && c != '\n' && c != '"' && c != ',';
}

/* Copy a run of plain bytes, or one non-plain byte that is content (a
 * quote, CR or LF inside quotes; a UTF-8 sequence), flagging what is
 * malformed. Returns SERVGAP_OK or SERVGAP_ENOMEM. */
static int take(servgap__csv *r, int quoted)
{
    const unsigned char *s = r->p;
    size_t n = 0;
    while (s + n < r->end && plain(s[n]))
        n++;
    if (n == 0) {
        unsigned char c = *s;
        n = 1;
        if (c >= 0x80) {
            n = servgap__utf8_seq(s, (size_t)(r->end - s));
            if (n == 0) {
                set_err(r, s, "invalid UTF-8", 0);
                r->p = s + 1;
                return SERVGAP_OK;
            }
        } else if (c == 0) {
            set_err(r, s, "NUL byte", 0);
        } else if (c == '"' && !quoted) {
            set_err(r, s, "quote inside an unquoted field", 0);
        } else if (c == '\r' && !quoted) {
            set_err(r, s, "CR not followed by LF", 0);
        }
    }
    r->p = s + n;
    if (n == 1 && *s == '\n') {
        r->line++;
        r->line_start = r->p;
    }
    return put(r, s, n);
}

/* At the end of a field: a comma, LF, CRLF or the end of the input. */
static int at_field_end(const servgap__csv *r)
{
    const unsigned char *p = r->p;
    if (p == r->end || *p == ',' || *p == '\n')
        return 1;
    return *p == '\r' && p + 1 < r->end && p[1] == '\n';
}

static int unquoted(servgap__csv *r)
{
    while (!at_field_end(r)) {
        int rc = take(r, 0);
        if (rc != SERVGAP_OK)
            return rc;
    }
    return SERVGAP_OK;
}

static int quoted(servgap__csv *r)
{
    const unsigned char *open = r->p++;
    uint64_t open_line = r->line, open_col = col_of(r, open);
    for (;;) {
        if (r->p == r->end) {
            set_err(r, open, "unterminated quoted field", 1);
            r->err_line = open_line;
            r->err_col = open_col;
            return SERVGAP_EFORMAT;
        }
        if (*r->p == '"') {
            if (r->p + 1 < r->end && r->p[1] == '"') {
                r->p++; /* a doubled quote stands for one */
            } else {
                r->p++;
                break;
            }
        }
        int rc = take(r, 1);
        if (rc != SERVGAP_OK)
            return rc;
    }
    if (at_field_end(r))
        return SERVGAP_OK;
    /* Keep the rest as unquoted text, so the record still ends where a
     * reader of the file would expect. */
    set_err(r, r->p, "text after the closing quote", 0);
    return unquoted(r);
}

static int field(servgap__csv *r)
{
    void *p = r->field;
    if (servgap__reserve(r->a, &p, &r->capfield, r->nfield + 1, sizeof *r->field) != 0)
        return SERVGAP_ENOMEM;
    r->field = p;
    servgap__csv_field *f = &r->field[r->nfield++];
    f->line = r->line;
    f->col = col_of(r, r->p);
    f->len = r->ntext; /* the offset until the record is complete */
    int rc = r->p < r->end && *r->p == '"' ? quoted(r) : unquoted(r);
    if (rc == SERVGAP_OK)
        rc = put(r, (const unsigned char *)"", 1);
    return rc;
}

static void skip_blank_lines(servgap__csv *r)
{
    for (;;) {
        const unsigned char *p = r->p;
        if (p < r->end && *p == '\r' && p + 1 < r->end && p[1] == '\n')
            p++;
        if (p == r->end || *p != '\n')
            return;
        r->p = p + 1;
        r->line++;
        r->line_start = r->p;
    }
}

/* Turn the fields' offsets into pointers once the text no longer moves. */
static void fix_fields(servgap__csv *r)
{
    for (size_t i = 0; i < r->nfield; i++) {
        size_t off = r->field[i].len;
        size_t next = i + 1 < r->nfield ? r->field[i + 1].len : r->ntext;
        r->field[i].s = r->text + off;
        r->field[i].len = next - off - 1;
    }
}

/* Make room for n bytes of text (and the padding) and for nfield fields. */
static int simple_room(servgap__csv *r, size_t n, size_t nfield)
{
    void *p = r->text;
    if ((n + SERVGAP__CSV_PAD > r->captext || !r->text) &&
        servgap__reserve(r->a, &p, &r->captext, n + SERVGAP__CSV_PAD, 1) != 0)
        return SERVGAP_ENOMEM;
    r->text = p;
    p = r->field;
    if ((nfield > r->capfield || !r->field) &&
        servgap__reserve(r->a, &p, &r->capfield, nfield, sizeof *r->field) != 0)
        return SERVGAP_ENOMEM;
    r->field = p;
    return SERVGAP_OK;
}

/* Split the line src[0..n), copied to text, at its commas, which become
 * NULs there. field[] has room for the fields. */
static void simple_split(servgap__csv *r, const unsigned char *src, size_t n)
{
    servgap__csv_field *f = r->field;
    size_t start = 0, k = 0;
    for (size_t i = 0;; i++) {
        if (i < n && src[i] != ',')
            continue;
        r->text[i] = '\0';
        f[k].s = r->text + start;
        f[k].len = i - start;
        f[k].line = r->line;
        f[k].col = col_of(r, src + start);
        k++;
        start = i + 1;
        if (i == n)
            break;
    }
    r->nfield = k;
}

/* 1 when p[0..n) is well-formed UTF-8 without NUL, CR or quote bytes. */
static int plain_line(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = p[i] < 0x80 ? p[i] != 0 && p[i] != '\r' && p[i] != '"'
                               : servgap__utf8_seq(p + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* The common record: one line without quotes, NUL bytes or CRs (but for
 * a final CRLF), of well-formed UTF-8. The general reader would take it
 * byte by byte, field by field; here one pass that the compiler can
 * vectorize counts its fields and finds whether it is ASCII without those
 * bytes (a line that is not is checked again, slower), it is copied whole
 * with one reservation per record, and split in place. Returns 1 when done, 0 when
 * the line is not such a record (r is then as it was, for the general
 * reader), or SERVGAP_ENOMEM. */
static int simple_record(servgap__csv *r)
{
    const unsigned char *p = r->p, *eol = memchr(p, '\n', (size_t)(r->end - p));
    size_t n = (size_t)((eol ? eol : r->end) - p), commas = 0;
    unsigned other = 0;
    if (eol && n > 0 && p[n - 1] == '\r')
        n--;
    for (size_t i = 0; i < n; i++) {
        commas += p[i] == ',';
        other |= (p[i] == 0) | (p[i] == '\r') | (p[i] == '"') | (p[i] >= 0x80);
    }
    if (other && !plain_line(p, n))
        return 0;
    if (simple_room(r, n, commas + 1) != SERVGAP_OK)
        return SERVGAP_ENOMEM;
    memcpy(r->text, p, n);
    simple_split(r, p, n);
    r->ntext = n + 1;
    r->end_line = r->line;
    r->end_col = col_of(r, p + n);
    r->p = eol ? eol + 1 : r->end;
    if (eol) {
        r->line++;
        r->line_start = r->p;
    }
    return 1;
}

int servgap__csv_next(servgap__csv *r)
{
    r->nfield = 0;
    r->ntext = 0;
    r->err = NULL;
    r->fatal = 0;
    skip_blank_lines(r);
    if (r->p == r->end)
        return 0;
    int simple = simple_record(r);
    if (simple != 0)
        return simple;
    for (;;) {
        int rc = field(r);
        if (rc != SERVGAP_OK)
            return rc;
        if (r->p == r->end || *r->p != ',')
            break;
        r->p++;
    }
    void *t = r->text;
    if (servgap__reserve(r->a, &t, &r->captext, r->ntext + SERVGAP__CSV_PAD, 1) != 0)
        return SERVGAP_ENOMEM;
    r->text = t;
    r->end_line = r->line;
    r->end_col = col_of(r, r->p);
    if (r->p < r->end && *r->p == '\r')
        r->p++;
    if (r->p < r->end) {
        r->p++;
        r->line++;
        r->line_start = r->p;
    }
    fix_fields(r);
    return r->err ? SERVGAP_EFORMAT : 1;
}

/* A peek looks this far at most per line, so that it costs little on any
 * input. */
#define PEEK_MAX 512

/* The first up to PEEK_MAX bytes of the input from p. */
static const unsigned char *peek_stop(const servgap__csv *r, const unsigned char *p)
{
    size_t avail = (size_t)(r->end - p);
    return p + (avail < PEEK_MAX ? avail : PEEK_MAX);
}

int servgap__csv_peek(const servgap__csv *r, size_t ahead, size_t i, const char **s, size_t *len)
{
    const unsigned char *p = r->p;
    for (; ahead > 0; ahead--) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(peek_stop(r, p) - p));
        if (!nl)
            return 0;
        p = nl + 1;
    }
    const unsigned char *stop = peek_stop(r, p);
    for (;; i--) {
        const unsigned char *q = memchr(p, ',', (size_t)(stop - p));
        if (!q || (i == 0 && r->end - p < SERVGAP__CSV_PAD))
            return 0;
        if (i == 0) {
            *s = (const char *)p;
            *len = (size_t)(q - p);
            return 1;
        }
        p = q + 1;
    }
}

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
    if (isinf(v))
        return SERVGAP_ERANGE;
    *out = x.neg ? -v : v;
    return SERVGAP_OK;
}

/* ---------------------------------------------------------------------- */
/* Timestamps                                                              */
/* ---------------------------------------------------------------------- */

static const char *const form =
    "not YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or an offset, or epoch seconds";

/* n digits at s[i..] as a number, or -1. */
static int num(const char *s, size_t len, size_t i, size_t n)
{
    int v = 0;
    if (i + n > len)
        return -1;
    for (size_t k = i; k < i + n; k++) {
        if (!is_digit(s[k]))
            return -1;
        v = v * 10 + (s[k] - '0');
    }
    return v;
}

static int parse_epoch(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (s[0] == '-' || s[0] == '+')
        neg = s[i++] == '-';
    if (i == len)
        return SERVGAP_EFORMAT;
    uint64_t v = 0;
    const uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return SERVGAP_EFORMAT;
        unsigned dgt = (unsigned)(s[i] - '0');
        if (v > (limit - dgt) / 10)
            return SERVGAP_ERANGE;
        v = v * 10 + dgt;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return SERVGAP_OK;
}

static int parse_date(const char *s, size_t len, int64_t *days, const char **why)
{
    int y = num(s, len, 0, 4), m = num(s, len, 5, 2), d = num(s, len, 8, 2);
    if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-') {
        *why = form;
        return SERVGAP_EFORMAT;
    }
    if (m < 1 || m > 12) {
        *why = "no such month";
        return SERVGAP_EFORMAT;
    }
    if (d < 1 || d > servgap__month_days(y, m)) {
        *why = "no such day in that month";
        return SERVGAP_EFORMAT;
    }
    *days = servgap__days_from_civil(y, m, d);
    return SERVGAP_OK;
}

/* The zone at s[i..len): Z, +HH:MM, +HHMM or with a minus; seconds east. */
static int parse_zone(const char *s, size_t len, size_t i, int64_t *east, const char **why)
{
    *why = "missing or malformed time zone (Z, +HH:MM or +HHMM)";
    if (i + 1 == len && s[i] == 'Z') {
        *east = 0;
        return SERVGAP_OK;
    }
    if (i >= len || (s[i] != '+' && s[i] != '-'))
        return SERVGAP_EFORMAT;
    int colon = len - i == 6 && s[i + 3] == ':';
    if (len - i != 5 && !colon)
        return SERVGAP_EFORMAT;
    int h = num(s, len, i + 1, 2), m = num(s, len, i + 3 + (size_t)colon, 2);
    if (h < 0 || m < 0)
        return SERVGAP_EFORMAT;
    if (h > 23 || m > 59) {
        *why = "time zone offset out of range";
        return SERVGAP_EFORMAT;
    }
    *east = (s[i] == '-' ? -1 : 1) * (int64_t)(h * 3600 + m * 60);
    return SERVGAP_OK;
}

/* HH:MM[:SS[.f...]] at s[11..); the seconds of the day and where the zone
 * starts. */
static int parse_clock(const char *s, size_t len, int64_t *secs, size_t *zone, const char **why)
{
    int h = num(s, len, 11, 2), mi = num(s, len, 14, 2), sec = 0;
    size_t i = 16;
    if (h < 0 || mi < 0 || s[13] != ':') {
        *why = form;
        return SERVGAP_EFORMAT;
    }
    if (i < len && s[i] == ':') {
        if ((sec = num(s, len, i + 1, 2)) < 0) {
            *why = form;
            return SERVGAP_EFORMAT;
        }
        i += 3;
        if (i < len && s[i] == '.') {
            size_t f = ++i;
            while (i < len && is_digit(s[i]))
                i++;
            if (i == f) {
                *why = form;
                return SERVGAP_EFORMAT;
            }
        }
    }
    if (h > 23 || mi > 59 || sec > 59) {
        *why = "hour, minute or second out of range";
        return SERVGAP_EFORMAT;
    }
    *secs = h * 3600 + mi * 60 + sec;
    *zone = i;
    return SERVGAP_OK;
}

int servgap__parse_time(const char *s, size_t len, int64_t *out, const char **why)
{
    *why = form;
    if (len == 0)
        return SERVGAP_EFORMAT;
    if (len < 10 || s[4] != '-') {
        int rc = parse_epoch(s, len, out);
        if (rc == SERVGAP_ERANGE)
            *why = "epoch seconds beyond 64 bits";
        return rc;
    }
    int64_t days, secs = 0, east = 0;
    int rc = parse_date(s, len, &days, why);
    if (rc != SERVGAP_OK || len == 10) {
        if (rc == SERVGAP_OK)
            *out = days * SERVGAP_DAY;
        return rc;
    }
    size_t zone;
    if (s[10] != 'T' || len < 16) {
        *why = form;
        return SERVGAP_EFORMAT;
    }
    if ((rc = parse_clock(s, len, &secs, &zone, why)) != SERVGAP_OK)
        return rc;
    if ((rc = parse_zone(s, len, zone, &east, why)) != SERVGAP_OK)
        return rc;
    *out = days * SERVGAP_DAY + secs - east;
    return SERVGAP_OK;
}
