/*
 * pg_csv -- CSV text (docs/formats.md) from SQL values, and back into
 * fields for error messages. Rows reach the library through its CSV
 * import, so that an aggregate row, a definitions query's row and a line
 * of servgap-report's files mean the same thing by construction: one
 * parser, one set of rules, one set of messages.
 *
 * Times are written as ISO 8601 UTC date-times (readable in messages) and
 * numbers with the shortest digits that read back to the same double, so
 * nothing is lost on the way.
 */
#include "servgap_pg.h"

#include "common/shortest_dec.h"
#include "utils/datetime.h"

static bool needs_quotes(const char *s, int len)
{
    for (int k = 0; k < len; k++)
        if (s[k] == ',' || s[k] == '"' || s[k] == '\n' || s[k] == '\r')
            return true;
    return false;
}

void pgsg_csv_text(StringInfo buf, bool first, const char *s, int len)
{
    if (!first)
        appendStringInfoChar(buf, ',');
    if (!needs_quotes(s, len)) {
        appendBinaryStringInfo(buf, s, len);
        return;
    }
    appendStringInfoChar(buf, '"');
    for (int k = 0; k < len; k++) {
        if (s[k] == '"')
            appendStringInfoChar(buf, '"');
        appendStringInfoChar(buf, s[k]);
    }
    appendStringInfoChar(buf, '"');
}

void pgsg_csv_cstring(StringInfo buf, bool first, const char *s)
{
    pgsg_csv_text(buf, first, s, (int)strlen(s));
}

void pgsg_csv_double(StringInfo buf, bool first, double v)
{
    char digits[DOUBLE_SHORTEST_DECIMAL_LEN];

    double_to_shortest_decimal_buf(v, digits);
    pgsg_csv_cstring(buf, first, digits);
}

/* Floor division, so that times before 1970 fall on their own day. */
static int64 floor_div(int64 a, int64 b)
{
    int64 q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* y-m-d of a UTC day; false outside the years the library reads. */
static bool civil_day(int64 unix_seconds, int *y, int *m, int *d)
{
    int64 day = floor_div(unix_seconds, SECS_PER_DAY);

    if (day < -800000 || day > 3000000)
        return false;
    j2date((int)(day + UNIX_EPOCH_JDATE), y, m, d);
    return *y >= 0 && *y <= 9999;
}

/* Outside years 0000-9999 the time goes as seconds: the library's range
 * check then speaks for it. */
void pgsg_csv_time(StringInfo buf, bool first, int64 unix_seconds)
{
    int y, m, d;
    int64 sod = unix_seconds - floor_div(unix_seconds, SECS_PER_DAY) * SECS_PER_DAY;

    if (!first)
        appendStringInfoChar(buf, ',');
    if (!civil_day(unix_seconds, &y, &m, &d)) {
        appendStringInfo(buf, INT64_FORMAT, unix_seconds);
        return;
    }
    appendStringInfo(buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(sod / 3600),
                     (int)(sod / 60 % 60), (int)(sod % 60));
}

void pgsg_csv_date(StringInfo buf, bool first, int64 unix_seconds)
{
    int y, m, d;

    if (!first)
        appendStringInfoChar(buf, ',');
    if (!civil_day(unix_seconds, &y, &m, &d)) {
        appendStringInfo(buf, INT64_FORMAT, unix_seconds);
        return;
    }
    appendStringInfo(buf, "%04d-%02d-%02d", y, m, d);
}

/* One field from *p (which it advances past the field's end). */
static char *split_field(const char **p, const char *end)
{
    StringInfoData f;
    const char *s = *p;

    initStringInfo(&f);
    if (s < end && *s == '"') {
        for (s++; s < end; s++) {
            if (*s == '"' && (s + 1 >= end || s[1] != '"'))
                break;
            if (*s == '"')
                s++;
            appendStringInfoChar(&f, *s);
        }
        s = s < end ? s + 1 : s;
    }
    while (s < end && *s != ',')
        appendStringInfoChar(&f, *s++);
    *p = s;
    return f.data;
}

int pgsg_csv_split(const char *line, size_t len, char **fields, int max, int col, int *field_at)
{
    const char *p = line, *end = line + len;
    int n = 0;

    if (len > 0 && end[-1] == '\r')
        end--;
    while (n < max) {
        if (col >= 1 && p - line <= col - 1)
            *field_at = n;
        fields[n++] = split_field(&p, end);
        if (p >= end)
            break;
        p++; /* the comma */
    }
    return n;
}

int64 pgsg_unix_from_timestamptz(TimestampTz t)
{
    return floor_div(t, USECS_PER_SEC) +
           (int64)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
}

int64 pgsg_unix_from_date(int32 d)
{
    return ((int64)d + (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE)) * SECS_PER_DAY;
}
