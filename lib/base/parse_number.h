/*
 * parse_number -- decimal numbers as the CSV tables hold them, read
 * independently of the C locale, so that an embedder's setlocale() cannot
 * change what a file means. Relies on nothing but libc.
 */
#ifndef SERVGAP_PARSE_NUMBER_H
#define SERVGAP_PARSE_NUMBER_H

#include <stddef.h>

/* Parse a decimal number: [+-] digits [. digits] [(e|E) [+-] digits], with
 * digits on at least one side of the point, nothing else (no spaces, hex,
 * inf or nan). The result is the correctly rounded double (round half to
 * even), the same as strtod in the "C" locale. Returns SERVGAP_OK,
 * SERVGAP_EFORMAT, or SERVGAP_ERANGE when the magnitude overflows to an
 * infinity, or when a number that is not zero rounds to zero or to a
 * subnormal (below DBL_MIN, 2.2250738585072014e-308, a double holds fewer
 * than 53 significant bits, so the text's digits would be lost). On
 * SERVGAP_ERANGE *out holds the rounded value (+-INFINITY, +-0 or the
 * subnormal), so that the caller can say which way it failed. */
int servgap__parse_number(const char *s, size_t len, double *out);

#endif
