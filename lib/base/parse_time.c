/*
 * parse_time -- a timestamp's text (a date, a date-time with its offset, or
 * epoch seconds) to UTC seconds, independently of the C locale. Relies on
 * calendar.
 */
#include "platform.h"

#include "parse_time.h"

#include "calendar.h"
#include "servgap.h"

static const char *const form =
    "not YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff]] with Z or an offset, or epoch seconds";

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

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
