/*
 * import_fields -- a field of a CSV row read as the value a column holds
 * (number, time, boolean, dimension, name, metric), and the failure of a
 * row with its message, for every table loader of the import. Relies on
 * the number and time parsers and on the handle's registries.
 */
#include "../base/platform.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/parse_number.h"
#include "../base/parse_time.h"
#include "import.h"

int servgap__import_fail(servgap__importer *im, int code, uint64_t line, uint64_t col,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->why, sizeof im->why, fmt, ap);
    va_end(ap);
    im->code = code;
    im->line = line;
    im->at = col;
    return code;
}

int servgap__parse_field_number(servgap__importer *im, const servgap__csv_field *f,
                                const char *what, double *v)
{
    double x;
    int rc = servgap__parse_number(f->s, f->len, &x);
    if (rc == SERVGAP_EFORMAT)
        return SERVGAP__FAIL_FIELD(im, rc, f, "%s '%.*s' is not a decimal number", what,
                                   SERVGAP__QUOTE(f));
    if (rc == SERVGAP_ERANGE && isinf(x))
        return SERVGAP__FAIL_FIELD(im, rc, f, "%s '%.*s' is beyond the range of a double", what,
                                   SERVGAP__QUOTE(f));
    if (rc == SERVGAP_ERANGE)
        return SERVGAP__FAIL_FIELD(im, rc, f,
                                   "%s '%.*s' is too small for a double: a number that is not 0 "
                                   "must be at least 2.2250738585072014e-308 in magnitude",
                                   what, SERVGAP__QUOTE(f));
    *v = x;
    return SERVGAP_OK;
}

int servgap__parse_field_number_or(servgap__importer *im, const servgap__csv_field *f,
                                   const char *what, double dflt, double *v)
{
    if (!f || f->len == 0) {
        *v = dflt;
        return SERVGAP_OK;
    }
    return servgap__parse_field_number(im, f, what, v);
}

/* The day of a time must fit the log's 32-bit day column. */
static int time_fits(int64_t t)
{
    const int64_t limit = (int64_t)INT32_MAX * SERVGAP_DAY;
    return t > -limit && t < limit;
}

int servgap__field_time_ok(const servgap__csv_field *f, int64_t *t)
{
    const char *why;
    return servgap__parse_time(f->s, f->len, t, &why) == SERVGAP_OK && time_fits(*t);
}

int servgap__parse_field_time(servgap__importer *im, const servgap__csv_field *f, const char *what,
                              int64_t *t)
{
    const char *why;
    int rc = servgap__parse_time(f->s, f->len, t, &why);
    if (rc == SERVGAP_OK && !time_fits(*t))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ERANGE, f, "%s '%.*s' is too far from 1970", what,
                                   SERVGAP__QUOTE(f));
    if (rc != SERVGAP_OK)
        return SERVGAP__FAIL_FIELD(im, rc, f, "%s '%.*s': %s", what, SERVGAP__QUOTE(f), why);
    return SERVGAP_OK;
}

int servgap__parse_field_date_or_none(servgap__importer *im, const servgap__csv_field *f,
                                      const char *what, int64_t *t)
{
    if (f->len == 0) {
        *t = SERVGAP_TIME_NONE;
        return SERVGAP_OK;
    }
    return servgap__parse_field_time(im, f, what, t);
}

int servgap__parse_field_boolean(servgap__importer *im, const servgap__csv_field *f, int32_t *v)
{
    static const char *const yes[] = {"true", "1", "yes"}, *const no[] = {"false", "0", "no", ""};
    char low[8] = {0};
    for (size_t i = 0; i < f->len && i < sizeof low - 1; i++)
        low[i] = (char)(f->s[i] >= 'A' && f->s[i] <= 'Z' ? f->s[i] - 'A' + 'a' : f->s[i]);
    servgap__csv_field l = {low, f->len, f->line, f->col};
    if (f->len < sizeof low && servgap__field_index(&l, yes, 3) >= 0)
        *v = 1;
    else if (f->len < sizeof low && servgap__field_index(&l, no, 4) >= 0)
        *v = 0;
    else
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                   "'%.*s' is not a boolean (true, false, 1, 0, yes, no)",
                                   SERVGAP__QUOTE(f));
    return SERVGAP_OK;
}

int servgap__check_field_name(servgap__importer *im, const servgap__csv_field *f, const char *what)
{
    if (!servgap__name_valid(f->s, f->len))
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                   "%s name must be 1..255 bytes (it is %zu)", what, f->len);
    return SERVGAP_OK;
}

int servgap__parse_field_dimension(servgap__importer *im, const servgap__csv_field *f, int32_t *d)
{
    /* The library's own names (servgap_dimension_name), so that a column
     * is spelled as the report spells it. */
    *d = -1;
    for (int32_t k = 0; k < SERVGAP_DIM_COUNT && *d < 0; k++)
        if (servgap__field_equals(f, servgap_dimension_name(k)))
            *d = k;
    if (*d < 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                   "'%.*s' is not a dimension (tangibles, reliability, "
                                   "responsiveness, assurance, empathy)",
                                   SERVGAP__QUOTE(f));
    return SERVGAP_OK;
}

int servgap__find_field_metric(servgap__importer *im, const servgap__csv_field *f, int32_t *id)
{
    *id = servgap__names_find(&im->ctx->metrics.names, f->s, f->len);
    if (*id < 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOTFOUND, f, "unknown metric '%.*s'",
                                   SERVGAP__QUOTE(f));
    return SERVGAP_OK;
}

int servgap__parse_field_scope(servgap__importer *im, const servgap__csv_field *f, uint32_t *scope)
{
    servgap_ctx *ctx = im->ctx;
    int acc = f->len > 8 && memcmp(f->s, "account:", 8) == 0;
    int tier = f->len > 5 && memcmp(f->s, "tier:", 5) == 0;
    if (!acc && !tier)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_EFORMAT, f,
                                   "scope '%.*s' is not account:ID or tier:NAME",
                                   SERVGAP__QUOTE(f));
    size_t skip = acc ? 8 : 5;
    const servgap__names *t = acc ? &ctx->accounts.names : &ctx->tiers;
    int32_t id = servgap__names_find(t, f->s + skip, f->len - skip);
    if (id < 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOTFOUND, f, "unknown %s '%.*s'",
                                   acc ? "account" : "tier",
                                   servgap__quote_len(f->s + skip, f->len - skip), f->s + skip);
    *scope = acc ? (uint32_t)id : (uint32_t)id | SERVGAP__SCOPE_TIER;
    return SERVGAP_OK;
}

static const char *kind_label(int32_t kind)
{
    return kind == SERVGAP_KIND_TIER ? "tier" : kind == SERVGAP_KIND_TEAM ? "team" : "touchpoint";
}

int servgap__intern_field(servgap__importer *im, int32_t kind, const servgap__csv_field *f,
                          int32_t *id)
{
    servgap__names *t = servgap__kind_names(im->ctx, kind);
    *id = servgap__names_find(t, f->s, f->len);
    if (*id >= 0)
        return SERVGAP_OK;
    size_t limit = kind == SERVGAP_KIND_TOUCHPOINT ? SERVGAP__TP_ALL
                   : kind == SERVGAP_KIND_TIER     ? 0x40000000u
                                                   : INT32_MAX;
    if (t->count >= limit)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ELIMIT, f, "more than %zu %ss", limit,
                                   kind_label(kind));
    if (servgap__names_add(t, &im->ctx->alloc, f->s, f->len, id) != 0)
        return SERVGAP__FAIL_FIELD(im, SERVGAP_ENOMEM, f, "out of memory adding %s '%.*s'",
                                   kind_label(kind), SERVGAP__QUOTE(f));
    return SERVGAP_OK;
}
