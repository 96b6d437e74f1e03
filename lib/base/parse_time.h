/*
 * parse_time -- timestamps as the CSV tables hold them, read independently
 * of the C locale. Relies on calendar.
 */
#ifndef SERVGAP_PARSE_TIME_H
#define SERVGAP_PARSE_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Parse a time into UTC seconds: YYYY-MM-DD (midnight UTC);
 * YYYY-MM-DDTHH:MM[:SS[.f...]] followed by Z, +HH:MM, -HH:MM, +HHMM or
 * -HHMM (fractions of a second are dropped); or integer seconds since
 * 1970-01-01 with an optional sign. Calendar days are checked (leap years
 * of the Gregorian calendar). Returns SERVGAP_OK, SERVGAP_EFORMAT with a
 * static reason in *why, or SERVGAP_ERANGE for epoch seconds beyond int64. */
int servgap__parse_time(const char *s, size_t len, int64_t *out, const char **why);

#endif
