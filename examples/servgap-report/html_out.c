/*
 * html_out.c -- text, numbers and embedded JSON made safe for the HTML page.
 *
 * Names, units, owners and trigger details come from the data. They are
 * made visible first (visible.c: a control character shows as its
 * escape, as in the text report), then HTML-escaped, so a name holding
 * "<script>" or a quote shows as text and can end no element or
 * attribute. In the JSON embedded in a <script> element the characters
 * that could end it or start a comment there (< > &) and the two line
 * separators that older JavaScript read as line ends are escaped too.
 *
 * Numbers shown are tagged with their place in the JSON report (data-j),
 * and embedded numbers are written so that they read back as the very
 * double the result holds: the page shows the JSON report's numbers, not
 * ones it rounded twice.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* raw made visible into a buffer of its own: every byte shows as at most
 * six characters (\u009b). NULL when out of memory. */
static char *visible_copy(const char *raw)
{
    size_t cap = 6 * strlen(raw) + 1;
    char *buf = malloc(cap);
    if (buf != NULL)
        visible(raw, buf, cap);
    return buf;
}

void h_visible(FILE *f, const char *raw)
{
    char *v = visible_copy(raw ? raw : "");
    put_markup(f, v ? v : "?");
    free(v);
}

void h_name(FILE *f, servgap_ctx *ctx, int32_t kind, int32_t id)
{
    char buf[LABEL_CAP];
    put_markup(f, kind_name(ctx, kind, id, buf, sizeof buf));
}

void h_scope(FILE *f, servgap_ctx *ctx, int32_t scope_kind, int32_t scope_id)
{
    char buf[LABEL_CAP];
    put_markup(f, scope_label(ctx, scope_kind, scope_id, buf, sizeof buf));
}

void h_touchpoint(FILE *f, servgap_ctx *ctx, int32_t touchpoint)
{
    char buf[LABEL_CAP];
    put_markup(f, touchpoint_label(ctx, touchpoint, buf, sizeof buf));
}

void h_metric(FILE *f, servgap_ctx *ctx, int32_t metric, int32_t dimension)
{
    char buf[LABEL_CAP];
    put_markup(f, metric_label(ctx, metric, dimension, buf, sizeof buf));
}

/* <span data-j="PATH"> for a path format, or nothing; returns whether it
 * opened a span. */
static int open_tag(FILE *f, const char *path_fmt, va_list ap)
{
    char path[160];
    if (path_fmt == NULL)
        return 0;
    vsnprintf(path, sizeof path, path_fmt, ap);
    fputs("<span data-j=\"", f);
    put_markup(f, path);
    fputs("\">", f);
    return 1;
}

void h_num(FILE *f, const char *spec, double v, const char *path_fmt, ...)
{
    va_list ap;
    char money[48];
    va_start(ap, path_fmt);
    int tagged = open_tag(f, path_fmt, ap);
    va_end(ap);
    if (!isfinite(v))
        fputs("&ndash;", f);
    else if (spec == NULL)
        fputs(fmt_money(v, money, sizeof money), f);
    else
        fprintf(f, spec, v);
    if (tagged)
        fputs("</span>", f);
}

void h_date(FILE *f, int64_t t, const char *path_fmt, ...)
{
    va_list ap;
    char date[11];
    va_start(ap, path_fmt);
    int tagged = open_tag(f, path_fmt, ap);
    va_end(ap);
    if (t == SERVGAP_TIME_NONE) {
        fputs("&ndash;", f);
    } else {
        date_format(t, date);
        fputs(date, f);
    }
    if (tagged)
        fputs("</span>", f);
}

void h_count(FILE *f, long long n, const char *what)
{
    fputs("<span data-c=\"", f);
    put_markup(f, what);
    fprintf(f, "\">%lld</span>", n);
}

void j_str(FILE *f, const char *raw)
{
    const unsigned char *s = (const unsigned char *)raw;
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if (*s < 0x20 || *s == '<' || *s == '>' || *s == '&')
            fprintf(f, "\\u%04x", *s);
        else if (s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)) {
            fputs(s[2] == 0xa8 ? "\\u2028" : "\\u2029", f);
            s += 2;
        } else
            fputc(*s, f);
    }
    fputc('"', f);
}

void j_visible(FILE *f, const char *raw)
{
    char *v = visible_copy(raw ? raw : "");
    j_str(f, v ? v : "?");
    free(v);
}

/* The fewest significant digits (15 to 17) that read back as v: the
 * doubles of the JSON report, which writes the shortest digits there are. */
void j_num(FILE *f, double v)
{
    char buf[40];
    if (!isfinite(v)) {
        fputs("null", f);
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        fprintf(f, "%.0f", v);
        return;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, f);
}

void h_finding_name(FILE *f, servgap_ctx *ctx, const servgap_finding *fd)
{
    h_scope(f, ctx, fd->scope_kind, fd->scope_id);
    fputs(" / ", f);
    h_touchpoint(f, ctx, fd->touchpoint);
    fputs(" / ", f);
    h_metric(f, ctx, fd->metric, fd->dimension);
    fputs(" / ", f);
    fputs((fd->flags & SERVGAP_FINDING_NO_STANDARD) ? "no standard" : GAP_NAME(fd->gap), f);
}

const char *gap_class(int32_t gap)
{
    static const char *const names[] = {"g0", "g1", "g2", "g3", "g4", "g5", "g6"};
    return gap >= 0 && gap < SERVGAP_GAP_COUNT ? names[gap] : "g0";
}

double axis_step(double span, int target)
{
    static const double mant[] = {1, 2, 2.5, 5};
    if (!(span > 0) || !isfinite(span))
        return 1;
    double p = pow(10, floor(log10(span / target)));
    for (int k = 0; k < 4; k++)
        if (span / (mant[k] * p) <= target)
            return mant[k] * p;
    return 10 * p;
}
