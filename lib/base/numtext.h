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

/* Room for servgap__num_text's text and its NUL. */
#define SERVGAP__NUM_TEXT_SIZE (SERVGAP__NUM_MAX + 1)

/* x for a message: the digits of servgap__json_double, the shortest that
 * read back to exactly x, so that a message shows the digit at fault
 * ("value 0.9999999999999999 outside [1, 7]", where %g would print 1);
 * "nan", "inf" and "-inf" for the non-finite. Writes a NUL-terminated text
 * into buf (SERVGAP__NUM_TEXT_SIZE bytes) and returns buf. Thread-safe. */
const char *servgap__num_text(double x, char *buf);

/* servgap__num_text into a buffer that lives until the end of the
 * enclosing block (a compound literal), for the arguments of one message:
 * servgap__fail(..., "span %s", SERVGAP__NUM(span)). */
#define SERVGAP__NUM(x) servgap__num_text((x), (char[SERVGAP__NUM_TEXT_SIZE]){0})

#endif
