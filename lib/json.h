/*
 * json -- the JSON report and the text primitives it is made of: a byte
 * sink that counts what it cannot hold, locale-independent numbers that
 * read back to the same double, ISO dates and escaped strings. Any file
 * that writes text (a CSV export, a message with a number) should use these
 * rather than printf, whose decimal point follows LC_NUMERIC. Relies on
 * nothing but libc for the primitives; the report itself on ctx and result.
 */
#ifndef SERVGAP_JSON_H
#define SERVGAP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Longest text servgap__json_double, _int or _date can produce. */
#define SERVGAP__NUM_MAX 32

/* A sink over buf[0..cap). Every byte is counted in len; bytes are stored
 * only while all of them fit, so after an overflow buf holds a prefix and
 * nothing is stored any more. buf NULL with cap 0 only counts. */
typedef struct servgap__sink {
    char *buf;
    size_t cap;
    size_t len;
} servgap__sink;

static inline void servgap__sink_put(servgap__sink *s, const char *p, size_t n)
{
    if (s->buf && s->len <= s->cap && n <= s->cap - s->len)
        memcpy(s->buf + s->len, p, n);
    else
        s->cap = 0; /* a gap in the middle would be worse than a prefix */
    s->len += n;
}

/* x as a JSON number: the shortest decimal that reads back to exactly x
 * (the closest such, ties to even), laid out as ECMAScript's
 * Number::toString does (plain digits for decimal exponents -7 < e < 21,
 * else d.ddde+X): the text of JSON.stringify(x), the digits of Python's
 * repr(x). Negative zero is "-0" (JavaScript writes 0); NaN and
 * infinities are "null".
 * Always '.', never a locale separator. Writes at most SERVGAP__NUM_MAX
 * bytes, no NUL; returns the length. Thread-safe (no state). */
size_t servgap__json_double(double x, char *out);

/* v in decimal, as above. */
size_t servgap__json_int(int64_t v, char *out);

/* The proleptic Gregorian UTC date of the day holding time t (seconds), as
 * YYYY-MM-DD; years outside 0..9999 get a sign and at least six digits
 * (+010000-01-01), as ECMAScript's Date does. As above. */
size_t servgap__json_date(int64_t t, char *out);

/* s (NUL-terminated, valid UTF-8) as a JSON string with its quotes:
 * quote, backslash and control characters escaped, everything else as is;
 * NULL as null. */
void servgap__json_string(servgap__sink *sink, const char *s);

#endif
