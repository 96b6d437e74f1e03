/*
 * numtext -- locale-independent text of numbers and dates: what printf
 * would write if LC_NUMERIC were always "C", and the shortest digits that
 * read back to the same double. Relies on calendar.
 */
#ifndef SERVGAP_NUMTEXT_H
#define SERVGAP_NUMTEXT_H

#include <stddef.h>
#include <stdint.h>

/* Longest text servgap__json_double, _int or _date can produce. */
#define SERVGAP__NUM_MAX 32

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

#endif
