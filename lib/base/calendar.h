/*
 * calendar -- the proleptic Gregorian calendar on day numbers (days since
 * 1970-01-01, UTC), exact for any day an int64 time can name (H. Hinnant's
 * civil_from_days and days_from_civil). CSV dates, JSON dates and the
 * triggers' review dates all count days the same way here. Relies on
 * nothing.
 */
#ifndef SERVGAP_CALENDAR_H
#define SERVGAP_CALENDAR_H

#include <stdint.h>

/* a / b rounded towards negative infinity (b > 0). */
int64_t servgap__floor_div(int64_t a, int64_t b);

/* Year, month 1..12 and day 1..31 of day z. */
void servgap__civil(int64_t z, int64_t *y, int *m, int *d);

/* The day of y-m-d; m in 1..12, d in 1..31 (not checked against the month). */
int64_t servgap__days_from_civil(int64_t y, int m, int d);

/* Days in month m (1..12) of year y. */
int servgap__month_days(int64_t y, int m);

#endif
